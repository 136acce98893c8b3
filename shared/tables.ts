/**
 * The table registry (issue 16): one declaration per table of the ledger — its Chinese name, the domain that writes it,
 * how `verify` explains its rows, its snapshot group, whether its documents take numbers from doc_counters, whether its
 * rows were snapshotted from the day the table was born, and its document lifecycle. verify
 * (electron/core/integrity/checks/), the tamper kit (test/integrity/tamper-kit.ts), the verify report's and the
 * 备份与校验 page's table names all read it, so a new record table is its migration, its entry here and its domain
 * handler (docs/ARCHITECTURE.md "Adding a record table").
 *
 * Columns and keys are not written here: they are what the migrations build (electron/core/ledger/tables.ts reads them
 * from the in-memory ladder). test/core/table-registry.test.ts fails on a table of the migrated schema without an
 * entry, or an entry without a table. Zod-free and plain data: the renderer imports it for the names.
 */

/** How verify explains a table's rows (electron/core/integrity/checks/). */
export type TableCheck =
  /** Rows carried by their audit entries (`after._rows`, ledger/row-snapshot.ts), grouped by `group`. */
  | 'snapshots'
  /** One row per audited entity (`entity`), compared column by column with the state the chain gives it. */
  | 'entity'
  /** Rows listed inside their parent entity's audit entries (`parent`), compared as a list per parent. */
  | 'children'
  /** The chart of accounts: the migrations' rows plus one payable account per supplier. */
  | 'accounts'
  /** Rows a migration seeds, changed only by audited updates (meal plans' rates). */
  | 'seeded'
  /** Exactly one row. */
  | 'singleton'
  /** The audit chain itself (hash-linked). */
  | 'chain'
  /** Document counters, against the numbers the documents carry. */
  | 'counters'
  /** Kept by triggers, holding nothing of their own: recomputed from their source rows. */
  | 'summary';

export type TableDomain = 'ledger' | 'people' | 'masterdata' | 'receiving' | 'fees' | 'storeroom' | 'monthclose' | 'opening' | 'foodsafety';

export interface TableEntry {
  /** The Chinese name verify's messages, the CLI and the pages use. */
  label: string;
  domain: TableDomain;
  check: TableCheck;
  /** 'snapshots': the column a snapshot's group is keyed by (a group snapshot replaces all its rows). */
  group?: string;
  /** 'entity': the audit entity whose entries describe a row, and the action that brings one into being. */
  entity?: { code: string; creates: string };
  /** 'children': the table whose audited entity lists these rows. */
  parent?: string;
  /** Its documents take gapless numbers from doc_counters (series + year + '-' + number). */
  numbered?: true;
  /** Every row ever written has its snapshot (born after row snapshots): checked even on a ledger whose chain has no other. */
  snapshottedFromBirth?: true;
  /** The document lifecycle (electron/core/ledger/lifecycle.ts reads it: status checks, their messages, cancels). */
  lifecycle?: TableLifecycle;
  /**
   * Columns no person may read back through the app (a private key). Their values stay in the audit chain, where
   * verify compares them with the row, but audit.list shows them as 已隐藏: the chain is read by the admin, the
   * accountant and the reviewer, and the signing key must not leave the ledger except inside a backup.
   */
  secret?: readonly string[];
  /**
   * Columns a later migration added to a table that already held rows, with the value it gave those rows. A row
   * snapshot written before that step carries no such column: verify reads it as holding that value, so the chain
   * still explains the rows (and a changed value is caught like any other column's).
   */
  added?: Readonly<Record<string, string | number | null>>;
}

/**
 * A state of the one document lifecycle: draft → posted → cancelled, with submitted (awaiting approval), open (a count
 * being entered) and paid (a refund paid out) between, and reversal (a row that itself cancels another, never cancelled).
 */
export type DocState = 'draft' | 'submitted' | 'open' | 'posted' | 'paid' | 'cancelled' | 'reversal';

/** The columns a cancel stamps on the document's own row: the status value it sets, when, who, why, and (where the
 * table keeps one) the date the cancel is booked on. */
export interface CancelStamp {
  value: string;
  at: string;
  by: string;
  reason: string;
  date: string | null;
}

export interface TableLifecycle {
  /** The status column; for a document cancelled by a reversing row of its own table (出库单), the column by which that
   * row points at the one it cancels (the state is then derived: reversed, a reversal, or posted). */
  column: string;
  /** Each stored (or derived) status value with the state of the one lifecycle it stands for, in lifecycle order. */
  values: Readonly<Record<string, DocState>>;
  /** The column that names a document in messages after its label (default: none, the label alone). */
  name?: string;
  /** The document's own date. */
  date?: string;
  /** How a cancel is recorded: stamped on the row, or a new reversing row of the same table (`column` points back). */
  cancel?: CancelStamp | 'reversing row';
  /** The verb of a cancel in messages and memos: 作废 (default) or 冲销. */
  cancelVerb?: '作废' | '冲销';
  /** The journal's source_type of what the document booked (source_id its id): a cancel reverses those entries. */
  journal?: string;
  /** The document moved stock: a cancel reverses it too (the storeroom's reversal of that source). */
  stock?: true;
  /** The column by which an amended copy points at the document it corrects. */
  amendedFrom?: string;
}

export const TABLES = {
  // The ledger's own mechanisms.
  installation: { label: '安装信息', domain: 'ledger', check: 'singleton' },
  audit_log: { label: '审计记录', domain: 'ledger', check: 'chain' },
  doc_counters: { label: '单据编号计数', domain: 'ledger', check: 'counters' },
  accounts: { label: '会计科目', domain: 'ledger', check: 'accounts' },
  journal_entries: { label: '记账凭证', domain: 'ledger', check: 'entity', entity: { code: 'journal_entry', creates: 'post' } },
  journal_postings: { label: '记账分录', domain: 'ledger', check: 'children', parent: 'journal_entries' },
  account_month_totals: { label: '科目月合计', domain: 'ledger', check: 'summary' },
  account_day_totals: { label: '科目日合计', domain: 'ledger', check: 'summary' },
  // People and the school.
  school: { label: '学校信息', domain: 'people', check: 'entity', entity: { code: 'school', creates: 'create' } },
  users: { label: '用户', domain: 'people', check: 'entity', entity: { code: 'user', creates: 'create' } },
  user_roles: { label: '用户角色', domain: 'people', check: 'children', parent: 'users' },
  login_attempts: { label: '登录记录', domain: 'people', check: 'snapshots', group: 'seq', snapshottedFromBirth: true },
  profile_versions: { label: '区域配置版本', domain: 'people', check: 'snapshots', group: 'seq', snapshottedFromBirth: true },
  // Master data.
  suppliers: { label: '供应商', domain: 'masterdata', check: 'entity', entity: { code: 'supplier', creates: 'create' } },
  supplier_licences: { label: '供应商证照', domain: 'masterdata', check: 'children', parent: 'suppliers' },
  ingredients: { label: '食材', domain: 'masterdata', check: 'entity', entity: { code: 'ingredient', creates: 'create' } },
  // Receiving and payables.
  deliveries: {
    label: '验收单', domain: 'receiving', check: 'snapshots', group: 'id', numbered: true,
    lifecycle: {
      column: 'status', values: { draft: 'draft', posted: 'posted', cancelled: 'cancelled' }, name: 'number', date: 'delivery_date',
      cancel: { value: 'cancelled', at: 'cancelled_at', by: 'cancelled_by', reason: 'cancel_reason', date: null },
      journal: 'delivery', stock: true, amendedFrom: 'amends',
    },
  },
  delivery_lines: { label: '验收明细', domain: 'receiving', check: 'snapshots', group: 'delivery_id' },
  delivery_inspectors: { label: '验收人', domain: 'receiving', check: 'snapshots', group: 'delivery_id' },
  // Kitchen units (issue 15, migration 0023): a line received in 斤 or 箱 as the supplier billed it; written with the lines.
  delivery_line_units: { label: '验收明细计量单位', domain: 'receiving', check: 'snapshots', group: 'delivery_id', snapshottedFromBirth: true },
  // 农残快检 (issue 17): one line's quick test, part of the delivery's draft, frozen with it when it posts.
  delivery_residue_tests: { label: '农残快检', domain: 'receiving', check: 'snapshots', group: 'delivery_id', snapshottedFromBirth: true },
  attachments: { label: '验收附件', domain: 'receiving', check: 'snapshots', group: 'id' },
  supplier_statements: { label: '供应商对账单', domain: 'receiving', check: 'snapshots', group: 'supplier_id' },
  supplier_payments: { label: '供应商付款', domain: 'receiving', check: 'snapshots', group: 'id' },
  // Fees, pupils and the subsidy.
  students: { label: '学生', domain: 'fees', check: 'snapshots', group: 'id' },
  student_class_moves: { label: '调班记录', domain: 'fees', check: 'snapshots', group: 'id', snapshottedFromBirth: true },
  meal_plans: { label: '用餐方式', domain: 'fees', check: 'seeded' },
  school_days: { label: '上课日', domain: 'fees', check: 'snapshots', group: 'day' },
  terms: { label: '学期', domain: 'fees', check: 'snapshots', group: 'code' },
  fee_receipts: {
    label: '收据', domain: 'fees', check: 'snapshots', group: 'id', numbered: true,
    lifecycle: {
      column: 'status', values: { valid: 'posted', void: 'cancelled' }, name: 'number', date: 'receipt_date',
      cancel: { value: 'void', at: 'voided_at', by: 'voided_by', reason: 'void_reason', date: 'void_date' }, journal: 'fee_receipt',
    },
  },
  fee_refunds: {
    label: '退费', domain: 'fees', check: 'snapshots', group: 'id', numbered: true,
    lifecycle: {
      column: 'status', values: { approved: 'posted', paid: 'paid', void: 'cancelled' }, name: 'number', date: 'approved_on',
      cancel: { value: 'void', at: 'voided_at', by: 'voided_by', reason: 'void_reason', date: 'void_date' }, journal: 'fee_refund',
    },
  },
  cash_clearings: { label: '现金日清', domain: 'fees', check: 'snapshots', group: 'day' },
  cash_deposits: { label: '现金送存', domain: 'fees', check: 'snapshots', group: 'id', numbered: true },
  subsidy_batches: { label: '营养餐就餐批次', domain: 'fees', check: 'snapshots', group: 'id' },
  subsidy_meals: { label: '营养餐就餐明细', domain: 'fees', check: 'snapshots', group: 'batch_id' },
  subsidy_receipts: { label: '补助到账', domain: 'fees', check: 'snapshots', group: 'id' },
  subsidy_meal_months: { label: '受助就餐月汇总', domain: 'fees', check: 'summary' },
  subsidy_class_months: { label: '受助就餐班级月汇总', domain: 'fees', check: 'summary' },
  // The storeroom.
  stock_lots: { label: '库存批次', domain: 'storeroom', check: 'snapshots', group: 'id' },
  stock_movements: { label: '库存流水', domain: 'storeroom', check: 'snapshots', group: 'id' },
  stock_issues: {
    label: '出库单', domain: 'storeroom', check: 'snapshots', group: 'id', numbered: true,
    lifecycle: {
      column: 'reverses', values: { posted: 'posted', cancelled: 'cancelled', reversal: 'reversal' }, name: 'number', date: 'issue_date',
      cancel: 'reversing row', cancelVerb: '冲销', stock: true,
    },
  },
  stock_counts: {
    label: '盘点单', domain: 'storeroom', check: 'snapshots', group: 'id',
    lifecycle: { column: 'status', values: { open: 'open', posted: 'posted' }, name: 'month' },
  },
  stock_count_lines: { label: '盘点明细', domain: 'storeroom', check: 'snapshots', group: 'count_id' },
  stock_lot_categories: { label: '库存批次类别', domain: 'storeroom', check: 'summary' },
  stock_month_totals: { label: '库存月合计', domain: 'storeroom', check: 'summary' },
  // Month close.
  bank_statement_balances: { label: '银行对账余额', domain: 'monthclose', check: 'snapshots', group: 'seq' },
  month_close_events: { label: '月结记录', domain: 'monthclose', check: 'snapshots', group: 'seq' },
  closed_periods: { label: '已月结月份', domain: 'monthclose', check: 'snapshots', group: 'period' },
  month_disclosures: { label: '月结公示明细', domain: 'monthclose', check: 'snapshots', group: 'month' },
  // The package signing key (issue 18, migration 0027): in the ledger so backups carry it.
  signing_keys: { label: '上报签名密钥', domain: 'monthclose', check: 'snapshots', group: 'seq', snapshottedFromBirth: true, secret: ['private_key_pem'] },
  // The opening (期初建账).
  openings: {
    label: '期初建账', domain: 'opening', check: 'snapshots', group: 'id', snapshottedFromBirth: true,
    lifecycle: { column: 'status', values: { draft: 'draft', submitted: 'submitted', posted: 'posted' }, date: 'opening_date' },
  },
  opening_lines: { label: '期初明细', domain: 'opening', check: 'snapshots', group: 'opening_id', snapshottedFromBirth: true },
  // Food safety (食品安全, issue 17): records kept beside the books, on the same chain.
  // light_reason (migration 0028): why a light sample could not be topped up; '' on the samples recorded before.
  food_samples: {
    label: '留样', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true, added: { light_reason: '' },
    lifecycle: {
      column: 'status', values: { confirmed: 'posted', cancelled: 'cancelled' }, name: 'dish', date: 'sample_date',
      cancel: { value: 'cancelled', at: 'cancelled_at', by: 'cancelled_by', reason: 'cancel_reason', date: null }, amendedFrom: 'amends',
    },
  },
  food_sample_discards: { label: '留样处理', domain: 'foodsafety', check: 'snapshots', group: 'sample_id', snapshottedFromBirth: true },
  accompanied_meals: {
    label: '陪餐', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true,
    lifecycle: {
      column: 'status', values: { confirmed: 'posted', cancelled: 'cancelled' }, name: 'companion_name', date: 'meal_date',
      cancel: { value: 'cancelled', at: 'cancelled_at', by: 'cancelled_by', reason: 'cancel_reason', date: null }, amendedFrom: 'amends',
    },
  },
  meal_followups: { label: '陪餐整改', domain: 'foodsafety', check: 'snapshots', group: 'meal_id', snapshottedFromBirth: true },
  // The 陪餐 duty rota per term (migration 0026): a term's versions together, saved one version at a time.
  meal_duty_rota: { label: '陪餐值班表', domain: 'foodsafety', check: 'snapshots', group: 'term_code', snapshottedFromBirth: true },
  canteen_staff: { label: '食堂从业人员', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true },
  // 带量食谱 (issue 17): the ingredients' composition the school enters, the week's menu, its lines and its 审定.
  food_compositions: { label: '食物成分', domain: 'foodsafety', check: 'snapshots', group: 'ingredient_id', snapshottedFromBirth: true },
  menus: {
    label: '带量食谱', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true,
    // superseded: an approved menu whose reasoned amendment (menu_amendments) was approved in its place (migration 0026).
    lifecycle: { column: 'status', values: { draft: 'draft', submitted: 'submitted', approved: 'posted', superseded: 'cancelled' }, name: 'week_start', date: 'week_start' },
  },
  menu_amendments: { label: '食谱修订', domain: 'foodsafety', check: 'snapshots', group: 'menu_id', snapshottedFromBirth: true },
  menu_items: { label: '带量食谱明细', domain: 'foodsafety', check: 'snapshots', group: 'menu_id', snapshottedFromBirth: true },
  menu_reviews: { label: '食谱审定', domain: 'foodsafety', check: 'snapshots', group: 'menu_id', snapshottedFromBirth: true },
  // 满意度 and 投诉 (issue 17).
  satisfaction_surveys: {
    label: '满意度调查', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true,
    lifecycle: {
      column: 'status', values: { confirmed: 'posted', cancelled: 'cancelled' }, name: 'term_name', date: 'survey_date',
      cancel: { value: 'cancelled', at: 'cancelled_at', by: 'cancelled_by', reason: 'cancel_reason', date: null }, amendedFrom: 'amends',
    },
  },
  complaints: {
    label: '投诉', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true,
    lifecycle: {
      column: 'status', values: { confirmed: 'posted', cancelled: 'cancelled' }, date: 'received_date',
      cancel: { value: 'cancelled', at: 'cancelled_at', by: 'cancelled_by', reason: 'cancel_reason', date: null },
    },
  },
  complaint_followups: { label: '投诉处理', domain: 'foodsafety', check: 'snapshots', group: 'complaint_id', snapshottedFromBirth: true },
  // 满意度 typed by parents on the shared PC (issue 17, migration 0029): the 现场填写 session and each anonymous form.
  survey_sessions: { label: '满意度现场填写', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true },
  survey_responses: { label: '家长填写的问卷', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true },
  morning_checks: {
    label: '晨检', domain: 'foodsafety', check: 'snapshots', group: 'id', snapshottedFromBirth: true,
    lifecycle: {
      column: 'status', values: { confirmed: 'posted', cancelled: 'cancelled' }, date: 'check_date',
      cancel: { value: 'cancelled', at: 'cancelled_at', by: 'cancelled_by', reason: 'cancel_reason', date: null }, amendedFrom: 'amends',
    },
  },
} satisfies Record<string, TableEntry>;

export type TableName = keyof typeof TABLES;

/** A table's Chinese name, or the table's own name for one the registry does not know. */
export function tableLabel(table: string): string {
  return (TABLES as Record<string, TableEntry>)[table]?.label ?? table;
}
