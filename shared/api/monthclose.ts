import { method, z } from './contract.ts';
import { profileSchema } from '../profile.ts';
import { documentDate, documentMonth, fen, month, note, optionalNote, signedFen, text } from './fields.ts';
import type { Category, CostBasis, NonFoodExpense } from '../domain.ts';
import type { FundSummary, SummaryTableRow } from '../disclosure.ts';
import type { Role } from '../roles.ts';
import type { MonthStatus } from '../labels-monthclose.ts';
// The vocabulary the renderer needs lives in a zod-free module (no zod in the renderer bundle); re-exported here.
export * from '../labels-monthclose.ts';

/**
 * 月结与公示 (DOMAIN.md §3, §4): the month's checklist, the fund summary (month and year to date), the close
 * (会计 submits, 审核人 approves → the month locks), reopening with a written reason, and the disclosure export.
 * Also the fund's other entries (fund.recordExpense / fund.recordIncome), which refuse what the rules forbid.
 * Money in integer fen, rates in basis points (1 % = 100).
 */

/** Who closes: the accountant submits, the reviewer approves and reopens; parents read closed months' disclosures. */
export const CLOSE_READERS: readonly Role[] = ['admin', 'accountant', 'reviewer', 'parent'];
export const FUND_WRITERS: readonly Role[] = ['accountant'];

export type ChecklistKey = 'earlier_months' | 'cash_days' | 'drafts' | 'statements' | 'bank' | 'subsidy' | 'storeroom' | 'certificate_rules' | 'backdated' | 'food_samples' | 'accompanied_meals' | 'morning_checks' | 'residue_tests';

export interface ChecklistItem {
  key: ChecklistKey;
  label: string;
  /** Clear (or informational): nothing blocks the close from this item. */
  ok: boolean;
  /** Shown for information only; never blocks. */
  informational: boolean;
  /** One line: what was checked, or what is missing. */
  detail: string;
  /** Each missing piece, e.g. a day, a draft's date and supplier, a supplier's difference. */
  missing: string[];
  /** The renderer route that fixes it (hash path). */
  link: string;
  linkLabel: string;
}

export interface BankLine {
  account: 'bank' | 'subsidy_bank';
  label: string;
  /** Journal balance at the month's end. */
  bookFen: number;
  /** Latest bank-statement balance entered for the month, or null. */
  statementFen: number | null;
  differenceFen: number | null;
  enteredByName: string | null;
  enteredAt: string | null;
}

/** One column (month or year to date) of the fund summary: the derived figures plus both expense bases. */
export interface FundColumn extends FundSummary {
  /** Journal expense:<category> (accepted purchases). */
  purchasedByCategoryFen: Record<Category, number>;
  /** Storeroom: opening + purchases − closing per category (null where the profile does not use the storeroom). */
  consumedByCategoryFen: Record<Category, number> | null;
}

export interface SurplusPeriod {
  kind: 'month' | 'term' | 'year';
  /** First and last month of the period ('YYYY-MM'); the rate is taken over `from` … the closing month. */
  from: string;
  to: string;
  months: string[];
  incomeFen: number;
  surplusFen: number;
  rateBp: number | null;
  limitBp: number;
  breach: boolean;
  text: string;
}

export interface FundFlag {
  code: 'surplus_over_limit' | 'negative_balance' | 'negative_month';
  message: string;
}

export interface FundSummaryView {
  month: string;
  usesStoreroom: boolean;
  expenseBasis: 'consumed' | 'purchased';
  allowedNonFood: NonFoodExpense[];
  /** 'full': 承包经营 (全成本), with 营业利润 rows. */
  costBasis: CostBasis;
  /** The 收支公示 table's rows as the workbook prints them (the profile's categories and kinds; issue 14 §4). */
  rows: SummaryTableRow[];
  current: FundColumn;
  ytd: FundColumn;
  period: SurplusPeriod;
  flags: FundFlag[];
  /** How student meal days were counted (shown under the table). */
  mealDaysNote: string;
}

export interface MonthEvent {
  kind: 'submit' | 'close' | 'reopen';
  revision: number;
  reason: string;
  checksumHex: string | null;
  at: string;
  byName: string;
}

export interface MonthState {
  month: string;
  status: MonthStatus;
  /** Revision of the current close (closed), or the one the next close will carry. */
  revision: number;
  checksumHex: string | null;
  submittedByName: string | null;
  /**
   * Why the user asking may not approve this submission, said before they try (issue 15: warn before, not after):
   * they submitted it themselves (segregation of duties). null when nothing in the roles rule blocks them.
   */
  approveBlockedReason: string | null;
  events: MonthEvent[];
}

export interface MonthView {
  state: MonthState;
  /** null for a parent-committee member (they read closed months' figures only). */
  checklist: ChecklistItem[] | null;
  bank: BankLine[] | null;
  summary: FundSummaryView;
}

export interface ExportResult {
  xlsxPath: string;
  pdfPath: string | null;
  /** Why no PDF was written (LibreOffice missing), else null. */
  pdfError: string | null;
  revision: number;
  checksumHex: string;
}

/** What monthclose.package wrote (issue 18): the file, and what a person checks against the centre's enrolment. */
export interface PackageResult {
  file: string;
  schoolCode: string;
  month: string;
  revision: number;
  /** The revision this package replaces (a reopened and re-approved month), else null. */
  supersedesRevision: number | null;
  checksumHex: string;
  /** The installation's public key fingerprint, in groups of four, as on the enrolment sheet. */
  fingerprint: string;
}

/** The installation's signing key as the enrolment sheet shows it. */
export interface SigningKeyInfo {
  schoolCode: string;
  schoolName: string;
  fingerprint: string;
  createdAt: string;
  /** True when this call made the key. */
  created: boolean;
}

/** 学校代码: the 10-digit 学校标识码 or another code of 4–20 digits and capital letters the centre assigns. */
const schoolCode = z
  .string({ error: '学校代码必须是文字' })
  .trim()
  .regex(/^[0-9A-Z]{4,20}$/, { error: '学校代码应为 4–20 位数字或大写字母（如教育部学校标识码）' });

/** The settings page's preview of a month's 收支公示 table under the profile being edited (nothing is written). */
export interface SummaryPreview {
  month: string;
  /** The month is closed: its published table keeps the version it closed with; this only shows the edit's effect. */
  closed: boolean;
  canteenKind: string;
  sheets: string[];
  rows: SummaryTableRow[];
}

/** Other canteen expenses: the kinds a profile may allow, and the negative list (DOMAIN.md §3) that is always refused. */
export const OTHER_EXPENSE_KINDS = ['fuel', 'utilities', 'wages', 'office', 'repairs', 'misc', 'bank_fee', 'staff_meals', 'bonus', 'hospitality', 'school_public', 'subsidy_cash', 'lending'] as const;
export type OtherExpenseKind = (typeof OTHER_EXPENSE_KINDS)[number];
export const OTHER_EXPENSE_LABELS: Record<OtherExpenseKind, string> = {
  fuel: '燃料',
  utilities: '水电',
  wages: '人工',
  office: '办公',
  repairs: '维修',
  misc: '其他费用',
  bank_fee: '手续费',
  staff_meals: '教职工就餐',
  bonus: '奖金福利',
  hospitality: '招待',
  school_public: '学校公用经费开支',
  subsidy_cash: '补助发放现金',
  lending: '出借或担保',
};
export const OTHER_INCOME_KINDS = ['donation', 'other', 'shop_rent', 'stall'] as const;
export type OtherIncomeKind = (typeof OTHER_INCOME_KINDS)[number];
export const OTHER_INCOME_LABELS: Record<OtherIncomeKind, string> = {
  donation: '捐赠',
  other: '其他食堂收入',
  shop_rent: '商铺租金',
  stall: '承包档口收入',
};

const monthInput = z.object({ month: month() }).strict();
const money = z.enum(['bank', 'cash'], { error: '付款方式应为 银行 或 现金' });

export const monthcloseApi = {
  'monthclose.list': method<{ month: string; status: MonthStatus; revision: number }[]>()({
    input: z.object({}).strict().default({}),
    access: CLOSE_READERS,
    writes: false,
    summary: '已提交或已月结的月份',
  }),
  'monthclose.get': method<MonthView>()({
    input: monthInput,
    access: CLOSE_READERS,
    writes: false,
    summary: '月结：检查清单、银行对账、经费收支汇总（本月与本年累计）',
  }),
  'monthclose.setBankBalance': method<BankLine[]>()({
    input: z
      .object({
        month: documentMonth('月份', '录入银行对账余额'),
        account: z.enum(['bank', 'subsidy_bank'], { error: '账户应为 食堂专户 或 补助专户' }),
        balanceFen: signedFen('银行对账单余额'),
        note: optionalNote('备注', 200),
      })
      .strict(),
    access: ['accountant'],
    writes: true,
    summary: '录入银行对账单月末余额（与账面核对）',
  }),
  'monthclose.submit': method<MonthState>()({
    input: monthInput,
    access: ['accountant'],
    writes: true,
    summary: '会计提交月结（检查清单须全部通过）',
  }),
  'monthclose.approve': method<MonthState>()({
    input: monthInput,
    access: ['reviewer'],
    writes: true,
    summary: '审核人审核月结：锁定该月，记录校验码与版本',
  }),
  'monthclose.reopen': method<MonthState>()({
    input: z.object({ month: month(), reason: note('反结账理由', 200).refine((s) => s.length >= 5, { error: '反结账理由至少 5 个字' }) }).strict(),
    access: ['reviewer'],
    writes: true,
    summary: '审核人反结账（须填写理由，留痕；下次导出为新版本）',
  }),
  'monthclose.package': method<PackageResult>()({
    input: z.object({ month: month(), dir: z.string().trim().min(1).max(500).optional(), schoolCode: schoolCode.optional() }).strict(),
    access: ['admin', 'accountant', 'reviewer'],
    // Writes the installation's signing key (with its audit entry) the first time: it lives in the ledger (0027).
    writes: true,
    summary: '生成已月结月份的上报包（公示工作簿、月度数据、校验码、哈希清单与签名），交乡镇中心导入',
  }),
  'monthclose.signingKey': method<SigningKeyInfo>()({
    input: z.object({ schoolCode: schoolCode.optional() }).strict().default({}),
    access: ['admin'],
    writes: true,
    summary: '本机上报签名密钥：学校代码与公钥指纹（首次使用时生成，须提供学校代码），供中心登记',
  }),
  'monthclose.export': method<ExportResult>()({
    input: z.object({ month: month(), dir: z.string().trim().min(1).max(500).optional(), pdf: z.boolean().default(true) }).strict(),
    access: CLOSE_READERS,
    writes: false,
    summary: '导出已月结月份的公示工作簿（.xlsx）与收支公示表 PDF',
  }),
  'monthclose.preview': method<SummaryPreview>()({
    input: z.object({ month: month(), profile: profileSchema }).strict(),
    access: ['admin'],
    writes: false,
    summary: '按设置页上正在编辑的区域配置，预览某月收支公示表的各行（只读，不保存）',
  }),
  'fund.recordExpense': method<{ id: string; account: string }>()({
    input: z
      .object({
        date: documentDate('日期'),
        kind: z.enum(OTHER_EXPENSE_KINDS, { error: '支出类别无效' }),
        amountFen: fen('金额').min(1, { error: '金额必须大于 0' }),
        method: money,
        memo: text('摘要', 200),
      })
      .strict(),
    access: FUND_WRITERS,
    writes: true,
    summary: '登记食材以外的食堂支出（按区域配置允许的类别；负面清单一律拒绝）',
  }),
  'fund.recordIncome': method<{ id: string; account: string }>()({
    input: z
      .object({
        date: documentDate('日期'),
        kind: z.enum(OTHER_INCOME_KINDS, { error: '收入类别无效' }),
        amountFen: fen('金额').min(1, { error: '金额必须大于 0' }),
        method: money,
        memo: text('摘要', 200),
      })
      .strict(),
    access: FUND_WRITERS,
    writes: true,
    summary: '登记其他收入（捐赠等；商铺租金、承包档口收入不得计入伙食费）',
  }),
};
