import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { auditHash, GENESIS_HASH, type AuditRow } from '../ledger/audit.ts';
import path from 'node:path';
import { backupsDir, listBackups } from './backup.ts';
import { openLedgerToRead, type Db } from '../db/open.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';
import { pinyinKeys } from '../ledger/pinyin.ts';
import { defaultImported, defaultKind } from '../../../shared/cert-rules.ts';
import type { Category, CertKind } from '../../../shared/domain.ts';
import { passwordDigest } from './verify-digest.ts';
import { snapshotRows } from '../ledger/row-snapshot.ts';
import { verifyClosedMonths } from '../domains/monthclose/index.ts';
import { schemaDifferences } from '../db/schema.ts';
import { attachmentFileIn, attachmentFileProblem, fileSha256 } from '../domains/receiving/attachments.ts';
import type { AttachmentMime } from '../../../shared/api/receiving.ts';
import type { VerifyAnchor } from '../../../shared/anchors.ts';
import { figuresChecksum, type CloseFigures } from '../domains/monthclose/figures.ts';
import { monthWords } from '../ledger/clock.ts';

/**
 * `verify`: is this ledger what the app wrote? SQLite's own checks (integrity, foreign keys), the audit hash chain,
 * the journal (every entry posted and balanced), and — the part that catches edits made with the sqlite3 shell behind
 * the app's back — the rows of the audited tables against the audit chain: every audit entry's `after` holds the
 * record as written, so replaying the chain gives what each row must be now. A row the chain does not explain (an
 * insertion), a row the chain says exists but is missing (a deletion), or a row that differs from the chain's latest
 * state (a change) is reported. The domain tables (deliveries, receipts, stock, …) are checked the same way against the
 * raw rows their audit entries carry under `after._rows` (see row-snapshot.ts and ROW_GROUPS); document counters
 * against the numbers the documents carry. A per-row hash kept by triggers would not do: whoever edits the row can recompute it.
 * Rewriting the audit chain itself to match breaks the hash chain, unless the whole chain is recomputed from the
 * tampered entry on; outside anchors catch that: the newest backup's chain head (see `anchorFromBackups`) for
 * everything older than the backup, and the 校验码 of a published notice (`published`) for everything up to that
 * month's close — each close's checksum hashes its figures with the chain head at the close, and that head must be
 * the entry just before the close's own audit entry. Without an anchor verify proves only that the ledger agrees with
 * itself, and says so.
 */
export interface VerifyProblem {
  kind: 'integrity' | 'foreign_key' | 'audit_chain' | 'journal' | 'tamper' | 'anchor' | 'schema' | 'attachment';
  message: string;
  table?: string;
  id?: string;
  seq?: number;
}

export interface VerifyReport {
  ok: boolean;
  /** The first problems found, in check order (capped). */
  problems: VerifyProblem[];
  first: VerifyProblem | null;
  auditEntries: number;
  journalEntries: number;
  /** Tables whose every row was checked against the audit chain, with row counts. */
  coveredTables: Record<string, number>;
  /** Tables that hold data but whose rows verify cannot explain yet (named in the report, not silently passed). */
  uncoveredTables: string[];
  /** Attachment files hashed against the sha256 their rows record; null when no attachments folder was given. */
  attachmentFiles: number | null;
  /** The outside anchors used (a backup's chain head, published checksums); empty: none, and the summary says so. */
  anchors: VerifyAnchor[];
}

const MAX_PROBLEMS = 200;

/** The audited entities whose rows verify replays, and the audit action that brings one into being. */
const CREATING_ACTION: Record<string, string> = {
  school: 'create',
  user: 'create',
  supplier: 'create',
  ingredient: 'create',
  journal_entry: 'post',
};

/**
 * Domain tables whose rows the domains write into their audit entries (`after._rows`, see row-snapshot.ts), with the
 * column that groups them: a snapshot replaces its whole group, so rows deleted by a later write drop out.
 */
const ROW_GROUPS: Record<string, string> = {
  deliveries: 'id',
  delivery_lines: 'delivery_id',
  delivery_inspectors: 'delivery_id',
  fee_receipts: 'id',
  fee_refunds: 'id',
  stock_lots: 'id',
  stock_movements: 'id',
  stock_issues: 'id',
  cash_deposits: 'id',
  students: 'id',
  subsidy_batches: 'id',
  subsidy_meals: 'batch_id',
  subsidy_receipts: 'id',
  supplier_statements: 'supplier_id',
  supplier_payments: 'id',
  cash_clearings: 'day',
  school_days: 'day',
  terms: 'code',
  stock_counts: 'id',
  stock_count_lines: 'count_id',
  attachments: 'id',
  bank_statement_balances: 'seq',
  month_close_events: 'seq',
  closed_periods: 'period',
  month_disclosures: 'month',
  login_attempts: 'seq',
  student_class_moves: 'id',
  openings: 'id',
  opening_lines: 'opening_id',
  profile_versions: 'seq',
};

/** Tables born with their snapshots (every row ever written has one): checked even when the chain carries no other. */
const SNAPSHOTTED_FROM_BIRTH = new Set(['login_attempts', 'student_class_moves', 'openings', 'opening_lines', 'profile_versions']);

/** The tables whose documents take numbers from doc_counters (series + year + '-' + gapless number). */
const DOC_NUMBER_TABLES = ['deliveries', 'stock_issues', 'cash_deposits', 'fee_receipts', 'fee_refunds'];

export { passwordDigest };
/** A row's own timestamp is taken a moment before its audit entry's, in the same transaction. */
const CLOCK_WINDOW_MS = 60_000;

type Row = Record<string, unknown>;

interface EntityState {
  seq: number;
  createdSeq: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  data: Record<string, unknown>;
}

/** Key order must not matter when comparing JSON held in a row with JSON held in the audit entry. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val as object).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val,
  );
}

function parseJson(s: string | null): Record<string, unknown> | null {
  if (s === null) return null;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function withinWindow(rowTime: unknown, auditAt: string): boolean {
  if (typeof rowTime !== 'string') return false;
  const r = Date.parse(rowTime);
  const a = Date.parse(auditAt);
  if (Number.isNaN(r) || Number.isNaN(a)) return false;
  if (new Date(r).toISOString() !== rowTime) return false;
  return r <= a && a - r <= CLOCK_WINDOW_MS;
}

const LABEL: Record<string, string> = {
  school: '学校信息',
  users: '用户',
  user_roles: '用户角色',
  suppliers: '供应商',
  supplier_licences: '供应商证照',
  ingredients: '食材',
  journal_entries: '记账凭证',
  journal_postings: '记账分录',
  accounts: '会计科目',
  installation: '安装信息',
  deliveries: '验收单',
  delivery_lines: '验收明细',
  delivery_inspectors: '验收人',
  fee_receipts: '收据',
  fee_refunds: '退费',
  stock_lots: '库存批次',
  stock_movements: '库存流水',
  stock_issues: '出库单',
  cash_deposits: '现金送存',
  students: '学生',
  subsidy_batches: '营养餐就餐批次',
  subsidy_meals: '营养餐就餐明细',
  subsidy_receipts: '补助到账',
  supplier_statements: '供应商对账单',
  supplier_payments: '供应商付款',
  cash_clearings: '现金日清',
  school_days: '上课日',
  terms: '学期',
  doc_counters: '单据编号计数',
  stock_counts: '盘点单',
  stock_count_lines: '盘点明细',
  attachments: '验收附件',
  meal_plans: '用餐方式',
  bank_statement_balances: '银行对账余额',
  month_close_events: '月结记录',
  closed_periods: '已月结月份',
  month_disclosures: '月结公示明细',
  login_attempts: '登录记录',
  student_class_moves: '调班记录',
  openings: '期初建账',
  opening_lines: '期初明细',
  profile_versions: '区域配置版本',
  account_month_totals: '科目月合计',
  account_day_totals: '科目日合计',
  stock_month_totals: '库存月合计',
  stock_lot_categories: '库存批次类别',
  subsidy_meal_months: '受助就餐月汇总',
  subsidy_class_months: '受助就餐班级月汇总',
};

/**
 * The rows the migrations themselves write (accounts, the meal plans' starting rates), read from a scratch database
 * built by the same migrations: they have no audit entry, so this is what they must be until one changes them.
 */
let seeded: { accounts: Map<string, Row>; mealPlans: Map<string, Row> } | null = null;
function migrationSeed(): { accounts: Map<string, Row>; mealPlans: Map<string, Row> } {
  if (seeded) return seeded;
  const scratch = new Database(':memory:');
  try {
    for (const m of MIGRATIONS) scratch.exec(m.sql);
    const byCode = (sql: string) => new Map((scratch.prepare(sql).all() as Row[]).map((r) => [String(r.code), r]));
    seeded = { accounts: byCode('SELECT * FROM accounts'), mealPlans: byCode('SELECT * FROM meal_plans') };
  } finally {
    scratch.close();
  }
  return seeded;
}
const migrationAccounts = () => migrationSeed().accounts;

export interface VerifyOptions {
  /** The chain head of a trusted copy (the newest backup): the current chain must contain it unchanged. */
  anchor?: { seq: number; hash: string; source: string } | null;
  /** How many problems to list (200: a report a person reads); a benchmark or an investigation may want them all. */
  maxProblems?: number;
  /** The ledger's attachments folder: every live attachment's file is hashed against its row (not checked without). */
  attachmentsDir?: string;
  /**
   * 校验码 from published notices (16 to 64 lower-case hex digits, see shared/anchors.ts): each must begin the
   * checksum of a close this ledger carries, whose chain head is in the chain; else verify fails naming it.
   */
  published?: readonly string[];
}

/**
 * Rows a migration wrote without an audit entry, each held to what the migration could have written: migration 0018's
 * first profile version (the first row, no author, in force from '0001-01', created when the school was, holding a
 * profile the chain gives the school). Returned as 'table#group'; anything else unexplained is reported as inserted.
 */
function migrationBackfill(db: Db, tables: Set<string>, snapshots: Map<string, Map<string, GroupDigest>>, schoolProfiles: Set<string>): Set<string> {
  const out = new Set<string>();
  if (!tables.has('profile_versions') || !tables.has('school')) return out;
  const snapped = snapshots.get('profile_versions');
  const loose = (db.prepare('SELECT * FROM profile_versions WHERE created_by IS NULL ORDER BY seq').all() as Row[]).filter((r) => !snapped?.has(String(r.seq)));
  const first = (db.prepare('SELECT min(seq) AS s FROM profile_versions').get() as { s: number | null }).s;
  const school = db.prepare('SELECT created_at FROM school').get() as { created_at: string } | undefined;
  const r = loose[0];
  if (loose.length === 1 && r.seq === first && r.effective_from === '0001-01' && r.created_at === school?.created_at && schoolProfiles.has(canonical(parseJson(r.profile as string)))) {
    out.add(`profile_versions#${String(r.seq)}`);
  }
  return out;
}

export function verifyLedger(db: Db, opts: VerifyOptions = {}): VerifyReport {
  const problems: VerifyProblem[] = [];
  const max = opts.maxProblems ?? MAX_PROBLEMS;
  const add = (p: VerifyProblem) => {
    if (problems.length < max) problems.push(p);
  };
  const tables = new Set((db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name));

  // 1. SQLite's own view of the file.
  for (const r of db.pragma('integrity_check') as { integrity_check: string }[]) {
    if (r.integrity_check !== 'ok') add({ kind: 'integrity', message: `数据库文件结构损坏：${r.integrity_check}` });
  }
  for (const r of db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]) {
    add({ kind: 'foreign_key', table: r.table, message: `${LABEL[r.table] ?? r.table}表第 ${r.rowid} 行引用的${LABEL[r.parent] ?? r.parent}不存在（疑似被直接删除）` });
  }

  // 2. The audit chain, and the state it says every audited record is in.
  const states = new Map<string, Map<string, EntityState>>();
  const historicalNames = new Map<string, Set<string>>();
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  let chainBroken = false;
  let auditEntries = 0;
  let anchorSeen = false;
  /** table → group value → the entry that last wrote the group, with a digest of the rows it says the group holds and
   * their count. Only the digest is held (the rows of ten years took gigabytes); a difference re-reads that entry. */
  const snapshots = new Map<string, Map<string, GroupDigest>>();
  /** meal plan code → the row as the latest 'update' entry left it (its `after` holds every column but updated_by). */
  const mealPlans = new Map<string, { seq: number; row: Row }>();
  /** month + '#' + revision → the close's audit entry: its seq and the chain head before it. */
  const closeEntries = new Map<string, { seq: number; prev: string }>();
  /** Every profile the chain says the school held (created with, changed to): what migration 0018 could backfill. */
  const schoolProfiles = new Set<string>();
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    auditEntries++;
    if (!chainBroken) {
      let reason: string | null = null;
      if (r.seq !== expectSeq) reason = `审计记录第 ${expectSeq} 条缺失（疑似被直接删除）`;
      else if (r.prev_hash !== prev) reason = `审计记录第 ${r.seq} 条与上一条不衔接`;
      else if (auditHash(r) !== r.hash) reason = `审计记录第 ${r.seq} 条内容被改动`;
      if (reason) {
        chainBroken = true;
        add({ kind: 'audit_chain', seq: r.seq !== expectSeq ? expectSeq : r.seq, message: reason });
      }
    }
    if (opts.anchor && r.seq === opts.anchor.seq) {
      anchorSeen = true;
      if (r.hash !== opts.anchor.hash) add({ kind: 'anchor', seq: r.seq, message: `审计记录第 ${r.seq} 条与备份 ${opts.anchor.source} 中的不同（审计链被改写）` });
    }
    prev = r.hash;
    expectSeq = r.seq + 1;
    const after = parseJson(r.after);
    if (after && Array.isArray(after._rows)) {
      for (const snap of after._rows as { t?: unknown; g?: unknown; rows?: unknown; cols?: unknown; vals?: unknown }[]) {
        const col = typeof snap?.t === 'string' ? ROW_GROUPS[snap.t] : undefined;
        const rows = col ? (snapshotRows(snap) as Row[] | null) : null;
        if (!col || !rows) continue;
        let m = snapshots.get(snap.t as string);
        if (!m) snapshots.set(snap.t as string, (m = new Map()));
        if (snap.g !== undefined) m.set(String(snap.g), { seq: r.seq, ...groupDigest(rows.map(canonical)) });
        else for (const row of rows) m.set(String(row[col]), { seq: r.seq, ...groupDigest([canonical(row)]) });
      }
    }
    if (r.action === 'close' && r.entity === 'month_close' && r.entity_id !== null && after && typeof after.revision === 'number') {
      closeEntries.set(`${r.entity_id}#${after.revision}`, { seq: r.seq, prev: r.prev_hash });
    }
    if (r.entity === 'school' && after && after.profile && typeof after.profile === 'object') schoolProfiles.add(canonical(after.profile));
    if (r.entity === 'meal_plan' && r.action === 'update' && after && typeof after.code === 'string') {
      mealPlans.set(after.code, { seq: r.seq, row: { code: after.code, name: after.name, daily_rate_fen: after.dailyRateFen, updated_at: after.updatedAt, updated_by: r.user_id } });
    }
    if (r.entity_id === null || !CREATING_ACTION[r.entity]) continue;
    let m = states.get(r.entity);
    if (!m) states.set(r.entity, (m = new Map()));
    const s = m.get(r.entity_id);
    if (r.action === CREATING_ACTION[r.entity]) {
      if (s) add({ kind: 'tamper', seq: r.seq, message: `审计记录第 ${r.seq} 条重复建立了已存在的记录 ${r.entity_id}` });
      m.set(r.entity_id, {
        seq: r.seq,
        createdSeq: r.seq,
        createdAt: r.at,
        createdBy: r.user_id,
        updatedAt: r.at,
        updatedBy: r.user_id,
        data: { ...(after ?? {}) },
      });
    } else if (s) {
      if (r.action !== 'login') {
        s.seq = r.seq;
        s.updatedAt = r.at;
        s.updatedBy = r.user_id;
        if (after) Object.assign(s.data, after);
      }
    }
    if ((r.entity === 'supplier' || r.entity === 'ingredient') && after && typeof after.name === 'string') {
      const key = `${r.entity}:${r.entity_id}`;
      if (!historicalNames.has(key)) historicalNames.set(key, new Set());
      historicalNames.get(key)!.add(after.name);
    }
  }
  const anchors: VerifyAnchor[] = [];
  if (opts.anchor) {
    if (!anchorSeen && opts.anchor.seq > 0) {
      add({ kind: 'anchor', seq: opts.anchor.seq, message: `备份 ${opts.anchor.source} 中有第 ${opts.anchor.seq} 条审计记录，当前账本中却没有（审计记录被截去）` });
    }
    const held = !problems.some((p) => p.kind === 'anchor' || p.kind === 'audit_chain');
    anchors.push({ kind: 'backup', source: opts.anchor.source, ok: held, detail: held ? `审计记录第 1 至 ${opts.anchor.seq} 条与该备份一致` : '审计记录与该备份不一致' });
  }

  const covered: Record<string, number> = {};
  const cmp = new RowComparer(add);
  // Records carry the installation that wrote them; until ledgers are merged, that is this one.
  const installation = tables.has('installation') ? ((db.prepare('SELECT id FROM installation LIMIT 1').get() as { id: string } | undefined)?.id ?? null) : null;

  // 3. The rows of each audited table against the chain.
  if (tables.has('school')) {
    const exp = states.get('school') ?? new Map();
    const rows = db.prepare('SELECT * FROM school').all() as Row[];
    covered.school = rows.length;
    cmp.table('school', rows, exp, (row, s) => {
      cmp.eq(row, 'name', s.data.name);
      cmp.eq(row, 'origin', installation);
      if (canonical(parseJson(row.profile as string)) !== canonical(s.data.profile)) cmp.diff(row, 'profile');
      cmp.time(row, 'created_at', s.createdAt, exp, s);
      cmp.eq(row, 'created_by', s.createdBy);
      cmp.time(row, 'updated_at', s.updatedAt, exp, s);
      cmp.eq(row, 'updated_by', s.updatedSeq === s.createdSeq ? null : s.updatedBy);
    });
  }
  if (tables.has('users')) {
    const exp = states.get('user') ?? new Map();
    const rows = db.prepare('SELECT * FROM users').all() as Row[];
    covered.users = rows.length;
    cmp.table('users', rows, exp, (row, s, id) => {
      cmp.eq(row, 'username', s.data.username);
      cmp.eq(row, 'origin', installation);
      cmp.eq(row, 'display_name', s.data.displayName);
      cmp.eq(row, 'disabled', s.data.disabled === true ? 1 : 0);
      cmp.time(row, 'created_at', s.createdAt, exp, s);
      cmp.eq(row, 'created_by', s.createdBy ?? id);
      cmp.time(row, 'updated_at', s.updatedAt, exp, s);
      cmp.eq(row, 'updated_by', s.updatedBy ?? id);
      // Ledgers written before password digests were audited have none: their password hashes cannot be checked.
      if (typeof s.data.passwordDigest === 'string' && (typeof row.password_hash !== 'string' || passwordDigest(row.password_hash) !== s.data.passwordDigest)) cmp.diff(row, 'password_hash');
    });
    const roles = db.prepare('SELECT user_id, role FROM user_roles ORDER BY user_id, role').all() as { user_id: string; role: string }[];
    covered.user_roles = roles.length;
    cmp.children('user_roles', 'users', roles, (r) => r.user_id, (r) => r.role, exp, (s) => [...((s.data.roles as string[]) ?? [])].sort());
  }
  if (tables.has('suppliers')) {
    const exp = states.get('supplier') ?? new Map();
    const rows = db.prepare('SELECT * FROM suppliers').all() as Row[];
    covered.suppliers = rows.length;
    cmp.table('suppliers', rows, exp, (row, s) => {
      const d = s.data;
      cmp.eq(row, 'name', d.name);
      cmp.eq(row, 'credit_code', d.creditCode);
      cmp.eq(row, 'origin', installation);
      cmp.eq(row, 'address', d.address);
      cmp.eq(row, 'contact_person', d.contactPerson);
      cmp.eq(row, 'phone', d.phone);
      cmp.eq(row, 'kind', d.kind);
      cmp.eq(row, 'disabled', d.disabled === true ? 1 : 0);
      cmp.eq(row, 'updated_at', d.updatedAt);
      cmp.eq(row, 'updated_by', s.updatedBy);
      cmp.time(row, 'created_at', s.createdAt, exp, s);
      cmp.eq(row, 'created_by', s.createdBy);
      const py = typeof d.name === 'string' ? pinyinKeys(d.name) : { initials: null, full: null };
      cmp.eq(row, 'py_initials', py.initials);
      cmp.eq(row, 'py_full', py.full);
    });
    const lic = db.prepare('SELECT supplier_id, kind, number, expires_on FROM supplier_licences ORDER BY supplier_id, kind').all() as Row[];
    covered.supplier_licences = lic.length;
    cmp.children(
      'supplier_licences',
      'suppliers',
      lic,
      (r) => String(r.supplier_id),
      (r) => canonical({ kind: r.kind, number: r.number, expiresOn: r.expires_on }),
      exp,
      (s) => ((s.data.licences as Row[]) ?? []).map((l) => canonical({ kind: l.kind, number: l.number, expiresOn: l.expiresOn ?? null })).sort(),
    );
  }
  if (tables.has('ingredients')) {
    const exp = states.get('ingredient') ?? new Map();
    const rows = db.prepare('SELECT * FROM ingredients').all() as Row[];
    covered.ingredients = rows.length;
    cmp.table('ingredients', rows, exp, (row, s) => {
      const d = s.data;
      cmp.eq(row, 'name', d.name);
      cmp.eq(row, 'category', d.category);
      cmp.eq(row, 'origin', installation);
      cmp.eq(row, 'unit', d.unit);
      cmp.eq(row, 'spec', d.spec);
      cmp.eq(row, 'ref_price_fen', d.refPriceFen ?? null);
      if (canonical(parseJson(`{"v":${String(row.required_certs)}}`)?.v ?? null) !== canonical(d.requiredCerts ?? null)) cmp.diff(row, 'required_certs');
      // Kind and import (migration 0013): entries written before carry neither; the migration set them by the rule a new
      // unclassified item follows, from the name, category, spec and list those entries hold.
      const name = typeof d.name === 'string' ? d.name : '';
      cmp.eq(row, 'kind', typeof d.kind === 'string' ? d.kind : defaultKind(d.category as Category, name));
      const imported = typeof d.imported === 'boolean' ? d.imported : defaultImported(name, typeof d.spec === 'string' ? d.spec : '', Array.isArray(d.requiredCerts) ? (d.requiredCerts as CertKind[]) : []);
      cmp.eq(row, 'imported', imported ? 1 : 0);
      cmp.eq(row, 'banned', d.banned === true ? 1 : 0);
      cmp.eq(row, 'storable', d.storable === true ? 1 : 0);
      cmp.eq(row, 'disabled', d.disabled === true ? 1 : 0);
      cmp.eq(row, 'updated_at', d.updatedAt);
      cmp.eq(row, 'updated_by', s.updatedBy);
      cmp.time(row, 'created_at', s.createdAt, exp, s);
      cmp.eq(row, 'created_by', s.createdBy);
      const py = typeof d.name === 'string' ? pinyinKeys(d.name) : { initials: null, full: null };
      cmp.eq(row, 'py_initials', py.initials);
      cmp.eq(row, 'py_full', py.full);
    });
  }

  // 4. The journal: every entry posted, balanced, and explained by its audit entry with the same postings.
  let journalEntries = 0;
  if (tables.has('journal_entries')) {
    const exp = states.get('journal_entry') ?? new Map();
    const rows = db.prepare('SELECT * FROM journal_entries').all() as Row[];
    journalEntries = rows.length;
    covered.journal_entries = rows.length;
    for (const row of rows) {
      if (row.status !== 'posted') add({ kind: 'journal', table: 'journal_entries', id: String(row.id), message: `记账凭证 ${String(row.id)} 未过账（半写入的凭证）` });
    }
    const sums = db
      .prepare(`SELECT e.id, coalesce(sum(p.amount_fen), 0) AS s, count(p.id) AS n FROM journal_entries e LEFT JOIN journal_postings p ON p.entry_id = e.id GROUP BY e.id HAVING s <> 0 OR n < 2`)
      .all() as { id: string; s: number; n: number }[];
    for (const r of sums) add({ kind: 'journal', table: 'journal_entries', id: r.id, message: `记账凭证 ${r.id} 借贷不平衡（差 ${r.s} 分，${r.n} 条分录）` });
    cmp.table('journal_entries', rows, exp, (row, s) => {
      const d = s.data;
      cmp.eq(row, 'entry_date', d.entryDate);
      cmp.eq(row, 'origin', installation);
      cmp.eq(row, 'memo', d.memo);
      cmp.eq(row, 'source_type', d.sourceType);
      cmp.eq(row, 'source_id', d.sourceId ?? null);
      cmp.eq(row, 'reverses', d.reverses ?? null);
      cmp.eq(row, 'created_at', d.createdAt);
      cmp.eq(row, 'created_by', s.createdBy);
    });
    const postings = db.prepare('SELECT id, entry_id, account, amount_fen FROM journal_postings ORDER BY entry_id, id').all() as Row[];
    covered.journal_postings = postings.length;
    cmp.children(
      'journal_postings',
      'journal_entries',
      postings,
      (r) => String(r.entry_id),
      (r) => `${String(r.account)} ${String(r.amount_fen)}`,
      exp,
      (s) => ((s.data.postings as Row[]) ?? []).map((p) => `${String(p.account)} ${String(p.amountFen)}`),
      false,
    );
  }

  // 5. Accounts: those the migrations create, plus one payable account per supplier named after it.
  if (tables.has('accounts')) {
    const fixed = migrationAccounts();
    const rows = db.prepare('SELECT * FROM accounts').all() as Row[];
    covered.accounts = rows.length;
    const seen = new Set<string>();
    for (const row of rows) {
      const code = String(row.code);
      seen.add(code);
      const f = fixed.get(code);
      if (f) {
        if (canonical(f) !== canonical(row)) add({ kind: 'tamper', table: 'accounts', id: code, message: `会计科目 ${code} 被改动（与软件建立的不符）` });
        continue;
      }
      const m = /^payable:(.+)$/.exec(code);
      const names = m ? historicalNames.get(`supplier:${m[1]}`) : undefined;
      if (!m || !names || row.supplier_id !== m[1] || row.kind !== 'liability' || ![...names].some((n) => row.name === `应付账款—${n}`)) {
        add({ kind: 'tamper', table: 'accounts', id: code, message: `会计科目 ${code} 无法由账本记录解释（疑似被直接插入或改动）` });
      }
    }
    for (const code of fixed.keys()) if (!seen.has(code)) add({ kind: 'tamper', table: 'accounts', id: code, message: `会计科目 ${code} 缺失（疑似被直接删除）` });
  }
  // 5a. Meal plans: seeded by the migration without an audit entry, changed only by audited rate updates.
  if (tables.has('meal_plans')) {
    const expected = new Map<string, { seq: number | undefined; row: Row }>([...migrationSeed().mealPlans].map(([code, row]) => [code, { seq: undefined, row }]));
    for (const [code, m] of mealPlans) expected.set(code, m);
    const rows = db.prepare('SELECT * FROM meal_plans').all() as Row[];
    covered.meal_plans = rows.length;
    for (const row of rows) {
      const code = String(row.code);
      const e = expected.get(code);
      expected.delete(code);
      if (!e) {
        add({ kind: 'tamper', table: 'meal_plans', id: code, message: `用餐方式 ${code} 无法由账本记录解释（疑似被直接插入）` });
        continue;
      }
      const cols = [...new Set([...Object.keys(row), ...Object.keys(e.row)])].filter((k) => canonical(row[k] ?? null) !== canonical(e.row[k] ?? null));
      if (cols.length) add({ kind: 'tamper', table: 'meal_plans', id: code, seq: e.seq, message: `用餐方式 ${code} 与${e.seq ? `审计记录（第 ${e.seq} 条）` : '软件建立时'}不符：${cols.join('、')} 被改动` });
    }
    for (const [code, e] of expected) add({ kind: 'tamper', table: 'meal_plans', id: code, seq: e.seq, message: `用餐方式 ${code} 缺失（疑似被直接删除）` });
  }
  if (tables.has('installation')) {
    const n = (db.prepare('SELECT count(*) AS n FROM installation').get() as { n: number }).n;
    covered.installation = n;
    if (n !== 1) add({ kind: 'tamper', table: 'installation', message: `安装信息应有且只有一行，现有 ${n} 行` });
  }

  // 5b. Domain tables against the row snapshots their audit entries carry: every group of rows as the chain last wrote
  // it, nothing more, nothing less. A ledger whose chain carries no snapshot at all predates them: left uncovered (but
  // for tables born with their snapshots).
  const preSnapshotLedger = [...snapshots.keys()].every((t) => SNAPSHOTTED_FROM_BIRTH.has(t));
  const unsnapshotted = migrationBackfill(db, tables, snapshots, schoolProfiles);
  for (const [table, col] of Object.entries(ROW_GROUPS)) {
    if (!tables.has(table) || (preSnapshotLedger && !SNAPSHOTTED_FROM_BIRTH.has(table))) continue;
    const label = LABEL[table] ?? table;
    const exp = snapshots.get(table) ?? new Map<string, GroupDigest>();
    // The table in group order, one group at a time (its index on the group column serves the order).
    let n = 0;
    let group: string | null = null;
    let rows: string[] = [];
    const flush = () => {
      if (group === null) return;
      const g = group;
      const e = exp.get(g);
      exp.delete(g);
      if (!e) {
        if (unsnapshotted.has(`${table}#${g}`)) return;
        add({ kind: 'tamper', table, id: g, message: `${label}表中的记录 ${g} 没有对应的审计记录（疑似被直接插入）` });
        return;
      }
      if (groupDigest(rows).digest === e.digest) return;
      const expected = expectedGroupRows(db, e.seq, table, col, g);
      const what = e.n === 0 ? '本应不存在（疑似被直接插入）' : rows.length !== e.n ? '行数不符（疑似被直接删除或插入）' : `被改动：${differingColumns([...rows].sort(), expected).join('、')}`;
      add({ kind: 'tamper', table, id: g, seq: e.seq, message: `${label} ${g} 与审计记录（第 ${e.seq} 条）不符：${what}` });
    };
    for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY "${col}"`).iterate() as IterableIterator<Row>) {
      n++;
      const g = String(row[col]);
      if (g !== group) {
        flush();
        group = g;
        rows = [];
      }
      rows.push(canonical(row));
    }
    flush();
    covered[table] = n;
    // Groups the chain holds that the table no longer has (a group written empty is meant to be gone).
    for (const [g, e] of exp) {
      if (e.n > 0) add({ kind: 'tamper', table, id: g, seq: e.seq, message: `${label} ${g} 与审计记录（第 ${e.seq} 条）不符：缺失（疑似被直接删除）` });
    }
  }

  // 5c. Document counters: numbers are gapless per series and year and kept by every committed document (voids
  // included), so each counter must equal the highest number the documents carry, and every number up to it be used.
  if (tables.has('doc_counters')) {
    const used = new Map<string, Set<number>>();
    for (const t of DOC_NUMBER_TABLES) {
      if (!tables.has(t)) continue;
      for (const { number } of db.prepare(`SELECT number FROM "${t}" WHERE number IS NOT NULL`).iterate() as IterableIterator<{ number: unknown }>) {
        const m = typeof number === 'string' ? /^([A-Z]{2})(\d{4})-(\d+)$/.exec(number) : null;
        if (!m) continue;
        const key = `${m[1]}${m[2]}`;
        if (!used.has(key)) used.set(key, new Set());
        used.get(key)!.add(Number(m[3]));
      }
    }
    const rows = db.prepare('SELECT series, year, last FROM doc_counters').all() as Row[];
    covered.doc_counters = rows.length;
    for (const row of rows) {
      const key = `${String(row.series)}${String(row.year)}`;
      const nums = used.get(key);
      used.delete(key);
      const max = nums ? Math.max(...nums) : 0;
      if (row.last !== max) add({ kind: 'tamper', table: 'doc_counters', id: key, message: `单据编号 ${key} 的计数为 ${String(row.last)}，已开出的单据最大号为 ${max}（疑似被直接改动或插入）` });
      else if (nums && nums.size !== max) add({ kind: 'tamper', table: 'doc_counters', id: key, message: `单据编号 ${key} 有缺号：计数 ${max}，现存单据 ${nums.size} 张（疑似单据被直接删除）` });
    }
    for (const key of used.keys()) add({ kind: 'tamper', table: 'doc_counters', id: key, message: `单据编号 ${key} 已开出单据，却没有编号计数（疑似被直接删除）` });
  }

  // 6. Closed months: their figures recomputed from the ledger as it is now must give the checksum recorded at the
  // close (with the audit head of that moment), so a change to anything a closed month's disclosure shows is named.
  if (tables.has('month_close_events') && tables.has('closed_periods')) {
    for (const c of verifyClosedMonths(db)) {
      if (!c.ok) add({ kind: 'tamper', table: 'closed_periods', id: c.month, message: `已月结的 ${c.month} 月数据与月结时记录的校验值不符（第 ${c.revision} 次月结后被改动）` });
    }
  }

  // 6b. Every close (of every revision) against the chain: its chain head must be the one just before its own audit
  // entry, and its recorded figures must hash, with that head, to its checksum. So a printed 校验码 pins the chain up
  // to the close: a chain rewritten before it (even one keeping the month's figures) no longer leads to that head.
  const closes = tables.has('month_close_events')
    ? checkCloseHeads(db, closeEntries, new Set(tables.has('closed_periods') ? verifyClosedMonths(db).map((c) => `${c.month}#${c.revision}`) : []), add)
    : [];
  for (const c of opts.published ?? []) anchors.push(publishedAnchor(c, closes, db, add));

  // 7. Month totals (migration 0006): pure summaries, recomputed from their source rows.
  if (tables.has('account_month_totals')) checkMonthTotals(db, add, covered);

  // 8. The schema: a dropped or planted trigger, index, view or table changes no row the checks above can see, but
  // the rules every later write obeys (after the rows, so a changed row is still named first).
  for (const d of schemaDifferences(db)) add({ kind: 'schema', id: d.name, message: `数据库结构与本软件不一致：${d.message}` });

  // 9. The attachment files: each stored under its content hash, which the audited row records.
  const attachmentFiles = opts.attachmentsDir !== undefined && tables.has('attachments') ? checkAttachmentFiles(db, opts.attachmentsDir, add) : null;

  const uncoveredTables = [...tables]
    .filter((t) => !(t in covered) && t !== 'audit_log')
    .filter((t) => (db.prepare(`SELECT 1 FROM "${t}" LIMIT 1`).get() as unknown) !== undefined)
    .sort();
  return { ok: problems.length === 0, problems, first: problems[0] ?? null, auditEntries, journalEntries, coveredTables: covered, uncoveredTables, attachmentFiles, anchors };
}

interface CloseCheck {
  month: string;
  revision: number;
  checksum: string;
  /** The close's audit entry, if the chain has one. */
  seq: number | null;
  ok: boolean;
}

/** Each close event's chain head and recorded figures (see 6b in verifyLedger); `checked`: latest closes already hashed. */
function checkCloseHeads(db: Db, entries: Map<string, { seq: number; prev: string }>, checked: Set<string>, add: (p: VerifyProblem) => void): CloseCheck[] {
  const rows = db
    .prepare(`SELECT month, revision, figures, audit_head, checksum FROM month_close_events WHERE kind = 'close' ORDER BY seq`)
    .all() as { month: string; revision: number; figures: string | null; audit_head: string | null; checksum: string | null }[];
  return rows.map((ev) => {
    const key = `${ev.month}#${ev.revision}`;
    const entry = entries.get(key);
    const what = `${monthWords(ev.month)}第 ${ev.revision} 次月结`;
    let ok = true;
    if (!entry) {
      ok = false;
      add({ kind: 'audit_chain', table: 'month_close_events', id: ev.month, message: `${what}在审计记录中没有对应的审核记录（疑似被直接插入或审计记录被截去）` });
    } else if (entry.prev !== ev.audit_head) {
      ok = false;
      add({
        kind: 'audit_chain',
        table: 'month_close_events',
        id: ev.month,
        seq: entry.seq,
        message: `${what}记录的审计链头不是审计记录第 ${entry.seq - 1} 条（这次月结之前的审计记录被改写，公示的校验码已不能印证本账本）`,
      });
    }
    if (!checked.has(key)) {
      let hashes = false;
      try {
        hashes = ev.figures !== null && ev.audit_head !== null && figuresChecksum(JSON.parse(ev.figures) as CloseFigures, ev.audit_head) === ev.checksum;
      } catch {
        hashes = false;
      }
      if (!hashes) {
        ok = false;
        add({ kind: 'tamper', table: 'month_close_events', id: ev.month, message: `${what}记录的数据与其校验值不符（月结记录被改动）` });
      }
    }
    return { month: ev.month, revision: ev.revision, checksum: ev.checksum ?? '', seq: entry?.seq ?? null, ok };
  });
}

/** One published 校验码 against the closes the ledger carries. */
function publishedAnchor(given: string, closes: CloseCheck[], db: Db, add: (p: VerifyProblem) => void): VerifyAnchor {
  const hex = given.toLowerCase();
  const shown = `${hex.slice(0, 16)}${hex.length > 16 ? '…' : ''}`;
  const c = closes.find((x) => x.checksum.startsWith(hex));
  if (!c) {
    add({ kind: 'anchor', id: hex, message: `公示校验码 ${shown} 不属于本账本的任何已月结月份（账本可能被改写或截断）` });
    return { kind: 'published', source: hex, ok: false, detail: '不属于本账本的任何已月结月份' };
  }
  const what = `${monthWords(c.month)}第 ${c.revision} 次月结`;
  if (!c.ok) {
    add({ kind: 'anchor', id: hex, message: `公示校验码 ${shown}（${what}）不能印证本账本：这次月结的记录与审计记录不符（账本可能被改写）` });
    return { kind: 'published', source: hex, ok: false, detail: `${what}，其记录与审计记录不符` };
  }
  const latest = db.prepare(`SELECT max(revision) AS r FROM month_close_events WHERE month = ? AND kind = 'close'`).get(c.month) as { r: number };
  const stillClosed = (db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(c.month) as unknown) !== undefined;
  const later = latest.r !== c.revision || !stillClosed ? '，此后已反结账' : '';
  return { kind: 'published', source: hex, ok: true, detail: `${what}${later}：审计记录第 1 至 ${(c.seq ?? 1) - 1} 条与公示时一致` };
}

interface GroupDigest {
  seq: number;
  digest: string;
  n: number;
}

/** A group of rows (canonical JSON, any order) as a digest and a count: equal digests, equal rows. */
function groupDigest(rows: string[]): Omit<GroupDigest, 'seq'> {
  const h = createHash('sha256');
  for (const r of [...rows].sort()) h.update(r).update('\0');
  return { digest: h.digest('base64'), n: rows.length };
}

/** The rows of one group as the audit entry `seq` wrote them, sorted (the last snapshot of the table in the entry). */
function expectedGroupRows(db: Db, seq: number, table: string, col: string, g: string): string[] {
  const r = db.prepare('SELECT after FROM audit_log WHERE seq = ?').get(seq) as { after: string | null } | undefined;
  const after = parseJson(r?.after ?? null);
  let rows: Row[] = [];
  for (const snap of (Array.isArray(after?._rows) ? after._rows : []) as { t?: unknown; g?: unknown; cols?: unknown; vals?: unknown; rows?: unknown }[]) {
    if (snap?.t !== table) continue;
    const all = (snapshotRows(snap) ?? []) as Row[];
    if (snap.g !== undefined) {
      if (String(snap.g) === g) rows = all;
    } else {
      const mine = all.filter((x) => String(x[col]) === g);
      if (mine.length) rows = mine;
    }
  }
  return rows.map(canonical).sort();
}

/** The columns in which two equally long lists of canonical rows differ (for the message). */
function differingColumns(actual: string[], expected: string[]): string[] {
  const cols = new Set<string>();
  actual.forEach((a, i) => {
    const x = JSON.parse(a) as Row;
    const y = JSON.parse(expected[i]) as Row;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (canonical(x[k]) !== canonical(y[k])) cols.add(k);
  });
  return [...cols];
}

/** Compares rows with the states the chain gives them, reporting the first differing column of each row. */
class RowComparer {
  private add: (p: VerifyProblem) => void;
  private current: { table: string; id: string; differs: string[] } | null = null;
  constructor(add: (p: VerifyProblem) => void) {
    this.add = add;
  }

  table(table: string, rows: Row[], expected: Map<string, EntityState>, check: (row: Row, s: EntityState & { updatedSeq: number }, id: string) => void): void {
    const label = LABEL[table] ?? table;
    const seen = new Set<string>();
    for (const row of rows) {
      const id = String(row.id);
      seen.add(id);
      const s = expected.get(id);
      if (!s) {
        this.add({ kind: 'tamper', table, id, message: `${label}表中的记录 ${id} 没有对应的审计记录（疑似被直接插入）` });
        continue;
      }
      this.current = { table, id, differs: [] };
      check(row, { ...s, updatedSeq: s.seq }, id);
      if (this.current.differs.length) {
        this.add({ kind: 'tamper', table, id, seq: s.seq, message: `${label} ${id} 与审计记录（第 ${s.seq} 条）不符：${this.current.differs.join('、')} 被改动` });
      }
      this.current = null;
    }
    for (const [id, s] of expected) {
      if (!seen.has(id)) this.add({ kind: 'tamper', table, id, seq: s.createdSeq, message: `审计记录（第 ${s.createdSeq} 条）建立的${label} ${id} 在账本中缺失（疑似被直接删除）` });
    }
  }

  /** Child rows (roles, licences, postings) grouped by parent and compared as a list with the parent's audited state. */
  children<R>(
    table: string,
    parentTable: string,
    rows: R[],
    parentOf: (r: R) => string,
    value: (r: R) => string,
    expected: Map<string, EntityState>,
    expectedValues: (s: EntityState) => string[],
    sort = true,
  ): void {
    const label = LABEL[table] ?? table;
    const groups = new Map<string, string[]>();
    for (const r of rows) {
      const p = parentOf(r);
      if (!groups.has(p)) groups.set(p, []);
      groups.get(p)!.push(value(r));
    }
    for (const [parent, s] of expected) {
      const actual = groups.get(parent) ?? [];
      groups.delete(parent);
      const a = sort ? [...actual].sort() : actual;
      if (canonical(a) !== canonical(expectedValues(s))) {
        this.add({ kind: 'tamper', table, id: parent, seq: s.seq, message: `${LABEL[parentTable] ?? parentTable} ${parent} 的${label}与审计记录（第 ${s.seq} 条）不符（疑似被直接改动、删除或插入）` });
      }
    }
    for (const parent of groups.keys()) {
      this.add({ kind: 'tamper', table, id: parent, message: `${label}表中有属于 ${parent} 的行，审计记录中没有这条${LABEL[parentTable] ?? parentTable}（疑似被直接插入）` });
    }
  }

  eq(row: Row, col: string, expected: unknown): void {
    const actual = row[col] === undefined ? null : row[col];
    const exp = expected === undefined ? null : expected;
    if (actual !== exp) this.diff(row, col);
  }

  time(row: Row, col: string, auditAt: string, _exp: Map<string, EntityState>, _s: EntityState): void {
    if (!withinWindow(row[col], auditAt)) this.diff(row, col);
  }

  diff(_row: Row, col: string): void {
    this.current?.differs.push(col);
  }
}

/** Reads the chain head of a trusted copy (a backup) to anchor verify against truncation or rewriting. */
export function chainHeadOf(file: string): { seq: number; hash: string; installationId: string | null } | null {
  let db: Db | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const inst = db.prepare('SELECT id FROM installation').get() as { id: string } | undefined;
    return head ? { ...head, installationId: inst?.id ?? null } : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/** A one-line Chinese summary for the CLI and the UI. */
export function describeReport(r: VerifyReport): string {
  if (r.ok) {
    const tables = Object.entries(r.coveredTables)
      .map(([t, n]) => `${LABEL[t] ?? t} ${n}`)
      .join('，');
    const files = r.attachmentFiles === null ? '' : `附件文件 ${r.attachmentFiles} 个与登记的 sha256 相符；`;
    return `校验通过：审计记录 ${r.auditEntries} 条首尾相接，记账凭证 ${r.journalEntries} 张全部过账且借贷平衡；数据库结构与本软件一致；${files}已与审计记录逐行核对：${tables}。${anchorsSentence(r.anchors)}`;
  }
  return `校验未通过，发现 ${r.problems.length >= MAX_PROBLEMS ? `${MAX_PROBLEMS} 处以上` : `${r.problems.length} 处`}问题。第一处：${r.first!.message}`;
}

/** What the outside anchors pinned, or plainly that there were none (a self-consistent rewrite would pass without). */
export function anchorsSentence(anchors: readonly VerifyAnchor[]): string {
  if (anchors.length === 0) return '未使用外部锚点：只能证明账本自身前后一致，不能证明没有被整体改写；请用公示表上的校验码运行 verify --anchor（或在“备份与校验”页填入校验码）。';
  const words = anchors.map((a) => (a.kind === 'backup' ? `备份 ${a.source}（${a.detail}）` : `公示校验码 ${a.source.slice(0, 16)}（${a.detail}）`));
  return `外部锚点：${words.join('；')}。`;
}

/**
 * The anchor for `verify`: the chain head of the newest backup of this installation taken after the last restore
 * (a restore replaces the chain with the backup's, so older backups no longer describe it).
 */
export function anchorFromBackups(db: Db, dir: string, list: (dir: string) => { file: string; name: string; at: string }[]): VerifyOptions['anchor'] {
  const inst = (db.prepare('SELECT id FROM installation').get() as { id: string } | undefined)?.id ?? null;
  const lastRestore = (db.prepare(`SELECT max(at) AS at FROM audit_log WHERE action = 'restore' AND entity = 'ledger'`).get() as { at: string | null }).at;
  for (const b of list(dir)) {
    if (lastRestore && b.at <= lastRestore) break;
    const head = chainHeadOf(b.file);
    if (!head || head.installationId !== inst) continue;
    return { seq: head.seq, hash: head.hash, source: b.name };
  }
  return null;
}

/**
 * Verifies a ledger file read-only (the app may keep running), anchored on its newest backup and on the published
 * checksums given. For the CLI and tests.
 */
export function verifyLedgerFile(file: string, published: readonly string[] = []): VerifyReport & { anchor: string | null; readOnlyNote: string | null } {
  // Also in a folder that cannot be written: read in place or from a temporary copy, and said so (open.ts).
  const opened = openLedgerToRead(file);
  const db = opened.db;
  try {
    const anchor = anchorFromBackups(db, backupsDir(path.dirname(path.resolve(file))), listBackups);
    return { ...verifyLedger(db, { anchor, published, attachmentsDir: path.join(path.dirname(path.resolve(file)), 'attachments') }), anchor: anchor?.source ?? null, readOnlyNote: opened.readOnlyNote };
  } finally {
    opened.close();
  }
}

/**
 * Every live attachment's file hashed against the sha256 its row records (the row is checked against the audit chain
 * like any other): a scan replaced, edited or deleted on disk is named by delivery and file name. One content shared
 * by several rows is read once. Returns how many files were hashed.
 */
function checkAttachmentFiles(db: Db, dir: string, add: (p: VerifyProblem) => void): number {
  const rows = db
    .prepare(
      `SELECT a.id, a.sha256, a.mime, a.file_name, coalesce(d.number, a.delivery_id) AS delivery FROM attachments a LEFT JOIN deliveries d ON d.id = a.delivery_id
       WHERE a.deleted_at IS NULL ORDER BY a.sha256, a.mime, a.id`,
    )
    .all() as { id: string; sha256: string; mime: AttachmentMime; file_name: string; delivery: string }[];
  const seen = new Map<string, string | null>();
  for (const r of rows) {
    const file = attachmentFileIn(dir, r.sha256, r.mime);
    if (!seen.has(file)) seen.set(file, fileSha256(file));
    const got = seen.get(file);
    if (got === r.sha256) continue;
    const why = got === null ? `文件 ${path.basename(file)} 缺失或无法读取` : '文件内容与登记的 sha256 不符';
    add({ kind: 'attachment', table: 'attachments', id: r.id, message: attachmentFileProblem(r.delivery, r.file_name, why) });
  }
  return seen.size;
}

/**
 * The month totals of migrations 0006, 0009 and 0012 are summaries kept by triggers, holding nothing of their own:
 * each is recomputed from its source rows and every key whose row differs, is missing or is extra is named. A lot's frozen category must
 * be its ingredient's category now or one the ingredient's audit trail shows it had (a recategorised ingredient).
 */
function checkMonthTotals(db: Db, add: (p: VerifyProblem) => void, covered: Record<string, number>): void {
  const sums: [table: string, label: string, key: string, recompute: string][] = [
    ['account_month_totals', '科目月合计', `account || ' ' || month`,
      `SELECT p.account, substr(e.entry_date, 1, 7) AS month, sum(p.amount_fen) AS amount_fen, count(*) AS postings
       FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY 1, 2`],
    ['account_day_totals', '科目日合计', `account || ' ' || day`,
      // In the table's column order (day first since migration 0011): the comparison is SELECT * against this.
      `SELECT e.entry_date AS day, p.account, sum(p.amount_fen) AS amount_fen, count(*) AS postings
       FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY 1, 2`],
    ['stock_month_totals', '库存月合计', `month || ' ' || category || ' ' || kind`,
      `SELECT substr(m.move_date, 1, 7) AS month, c.category, m.kind, sum(m.value_fen) AS value_fen, count(*) AS movements
       FROM stock_movements m JOIN stock_lot_categories c ON c.lot_id = m.lot_id GROUP BY 1, 2, 3`],
    ['subsidy_meal_months', '受助就餐月汇总', `month || ' ' || student_id`,
      `SELECT substr(meal_date, 1, 7) AS month, student_id, sum(1 << (CAST(substr(meal_date, 9, 2) AS INTEGER) - 1)) AS days, count(*) AS meals
       FROM subsidy_meals GROUP BY 1, 2`],
    ['subsidy_class_months', '受助就餐班级月汇总', `month || ' ' || class_name || ' ' || rate_fen || ' ' || student_id`,
      `SELECT substr(m.meal_date, 1, 7) AS month, b.class_name, b.rate_fen, m.student_id, sum(1 << (CAST(substr(m.meal_date, 9, 2) AS INTEGER) - 1)) AS days, count(*) AS meals
       FROM subsidy_meals m JOIN subsidy_batches b ON b.id = m.batch_id GROUP BY 1, 2, 3, 4`],
  ];
  for (const [table, label, key, recompute] of sums) {
    const diff = db
      .prepare(`WITH want AS MATERIALIZED (${recompute}) SELECT ${key} AS k FROM (SELECT * FROM (SELECT * FROM want EXCEPT SELECT * FROM "${table}") UNION ALL SELECT * FROM (SELECT * FROM "${table}" EXCEPT SELECT * FROM want)) GROUP BY k`)
      .all() as { k: string }[];
    for (const { k } of diff) add({ kind: 'tamper', table, id: k, message: `${label} ${k} 与按原始记录重算的结果不符（疑似被直接改动）` });
    covered[table] = (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  }
  const lots = db
    .prepare(
      `SELECT l.id FROM stock_lots l LEFT JOIN stock_lot_categories c ON c.lot_id = l.id JOIN ingredients i ON i.id = l.ingredient_id
       WHERE c.category IS NULL OR (c.category <> i.category AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'ingredient' AND a.entity_id = i.id
         AND c.category IN (json_extract(a.before, '$.category'), json_extract(a.after, '$.category'))))
       UNION ALL SELECT c.lot_id FROM stock_lot_categories c WHERE NOT EXISTS (SELECT 1 FROM stock_lots l WHERE l.id = c.lot_id)`,
    )
    .all() as { id: string }[];
  for (const { id } of lots) add({ kind: 'tamper', table: 'stock_lot_categories', id, message: `库存批次 ${id} 的入库类别缺失或与食材的类别记录不符（疑似被直接改动）` });
  covered.stock_lot_categories = (db.prepare('SELECT count(*) AS n FROM stock_lot_categories').get() as { n: number }).n;
}
