import { z } from './api/contract.ts';
import { CATEGORIES, NON_FOOD_EXPENSES, type Category, type CategoryGroup, type CostBasis, type NonFoodExpense } from './domain.ts';

/**
 * The monthly disclosure workbook (公示, LAYOUTS.md) as data: what the month close hands to the writer.
 * Everything is an integer (fen, thousandths of a unit, basis points, counts) or a plain string / ISO date
 * 'YYYY-MM-DD' (a China business date). Derived rows — fee net, totals, surplus, rates, averages, consumed cost,
 * average prices, deviations, subsidy amounts — are NOT carried here: electron/core/disclosure/derive.ts computes
 * them in one place (half-up rounding), so the month-close screen and the workbook always show the same figures.
 */

/** The workbook's sheets in LAYOUTS.md order; a layout chooses and orders them. */
export const DISCLOSURE_SHEETS = ['summary', 'categoryCost', 'purchases', 'prices', 'suppliers', 'subsidy', 'refunds'] as const;
export type DisclosureSheet = (typeof DISCLOSURE_SHEETS)[number];

/** Default sheet names (tab names, ≤ 31 characters, none of []:*?/\). */
export const DISCLOSURE_SHEET_NAMES: Record<DisclosureSheet, string> = {
  summary: '收支公示',
  categoryCost: '分类成本',
  purchases: '食材采购明细',
  prices: '食材价格',
  suppliers: '供应商及资质',
  subsidy: '营养改善计划',
  refunds: '退费明细',
};

/** Rows of the 收支公示 sheet that a profile may rename: fixed rows, then one per category and non-food kind. */
export const SUMMARY_FIXED_ROWS = [
  'previousBalance',
  'income',
  'feeNet',
  'feesCollected',
  'refunds',
  'subsidy',
  'otherIncome',
  'expense',
  'surplus',
  'cumulativeSurplus',
  'surplusRate',
  'mealDays',
  'avgCost',
  'foodShare',
  'operatingProfit',
  'operatingProfitRate',
] as const;
export type SummaryFixedRow = (typeof SUMMARY_FIXED_ROWS)[number];
export type SummaryRowKey = SummaryFixedRow | Category | NonFoodExpense;
export const SUMMARY_ROW_KEYS: readonly SummaryRowKey[] = [...SUMMARY_FIXED_ROWS, ...CATEGORIES, ...NON_FOOD_EXPENSES];

export const DEFAULT_SUMMARY_LABELS: Record<SummaryFixedRow, string> = {
  previousBalance: '一、上月累计结余',
  income: '二、本月收入',
  feeNet: '1. 学生伙食费（净额）',
  feesCollected: '　　其中：收取',
  refunds: '　　　　　退费',
  subsidy: '2. 营养改善计划补助',
  otherIncome: '3. 其他收入',
  expense: '三、本月支出',
  surplus: '四、本月结余',
  cumulativeSurplus: '五、本月累计结余',
  surplusRate: '六、结余率',
  mealDays: '七、就餐人日数',
  avgCost: '八、生均日伙食成本',
  foodShare: '九、食材支出占伙食费收入比例',
  operatingProfit: '十、营业利润',
  operatingProfitRate: '十一、营业利润率',
};

/**
 * One row of the 收支公示 table as the workbook prints it and the month-close and settings pages show it (issue 14
 * §4): built once in electron/core/disclosure/summary-rows.ts from the derived figures and the profile's lists.
 */
export interface SummaryTableRow {
  key: SummaryFixedRow | `category:${number}` | NonFoodExpense;
  label: string;
  format: 'money' | 'percent' | 'count';
  bold: boolean;
  /** fen, basis points or a count; null prints “—”. */
  month: number | null;
  ytd: number | null;
  note: string;
  /** The ingredient categories a category row sums (absent on other rows). */
  categories?: Category[];
}

/** How a profile shows the workbook. Figures and their definitions never change; names and the choice of sheets do. */
export interface DisclosureLayout {
  /** Sheets to write, in order. 'summary' must be among them. 'categoryCost' is skipped when the school does not use the storeroom. */
  sheets: DisclosureSheet[];
  /** Tab names (and the title words of detail sheets) that differ from DISCLOSURE_SHEET_NAMES. */
  sheetNames: Partial<Record<DisclosureSheet, string>>;
  /** Summary row labels that differ from the defaults (category and non-food rows default to domain.ts labels). */
  rowLabels: Partial<Record<SummaryRowKey, string>>;
  /** 食堂性质 on the summary's second line. */
  canteenKind: string;
}

/**
 * The layout as a profile may store it (JSON). Sheet names are checked in full (≤ 31 characters, no []:*?/\ ',
 * no repeats, the summary present) by the writer, which names the offending sheet.
 */
export const disclosureLayoutSchema = z
  .object({
    sheets: z.array(z.enum(DISCLOSURE_SHEETS), { error: '请选择公示表' }).min(1, '至少选择一张公示表'),
    sheetNames: z.partialRecord(z.enum(DISCLOSURE_SHEETS), z.string().trim().min(1, '工作表名称不能为空').max(31, '工作表名称最多31个字')),
    rowLabels: z.partialRecord(z.enum(SUMMARY_ROW_KEYS as [SummaryRowKey, ...SummaryRowKey[]]), z.string().trim().min(1, '行名称不能为空').max(40, '行名称最多40个字')),
    canteenKind: z.string().trim().min(1, '食堂性质不能为空').max(20, '食堂性质最多20个字'),
  })
  .strict();

/** LAYOUTS.md as shipped. */
export const DEFAULT_DISCLOSURE_LAYOUT: DisclosureLayout = {
  sheets: [...DISCLOSURE_SHEETS],
  sheetNames: {},
  rowLabels: {},
  canteenKind: '自营',
};

/**
 * The fund figures of one period — the month, or 1 January to the month's end (本年累计) — as booked.
 * Derived rows come from deriveFund().
 */
export interface FundInputs {
  /** 一、上月累计结余: the fund balance before the period (for the year to date: at the end of last year). */
  previousBalanceFen: number;
  /** 学生伙食费 collected in the period (receipts, not voided). */
  feesCollectedFen: number;
  /** Refunds paid in the period (positive number). */
  refundsFen: number;
  /** 营养改善计划补助: subsidised student meal days × rate. */
  subsidyFen: number;
  /** 其他收入 the profile allows. */
  otherIncomeFen: number;
  /** 三、本月支出 by ingredient category: cost as consumed where the storeroom is used, else accepted purchases. */
  expenseByCategoryFen: Record<Category, number>;
  /** Non-food expense rows; only the kinds in DisclosureData.allowedNonFood are shown (others must be 0 or absent). */
  nonFoodFen: Partial<Record<NonFoodExpense, number>>;
  /** 就餐人日数: student meal days served. */
  mealDays: number;
}

/** 分类成本, one row per category. 本月实际支出 = opening + purchases − closing is derived. */
export interface CategoryCostRow {
  category: Category;
  openingFen: number;
  purchasesFen: number;
  /** 盘点调整: losses, expiry disposals, count differences (already inside closing stock; shown apart). Signed. */
  adjustmentsFen: number;
  closingFen: number;
}

/** 食材采购明细, one accepted line, in date then document order. */
export interface PurchaseLine {
  date: string;
  receiptNo: string;
  item: string;
  spec: string;
  unit: string;
  /** Accepted quantity, thousandths of `unit`. */
  qtyMilli: number;
  unitPriceFen: number;
  /** The line's booked amount (lineAmountFen of qty × price, half-up). */
  amountFen: number;
  supplier: string;
  /** 验收人, e.g. '张三、李四'. */
  inspectors: string;
  note: string;
}

/** A rejected quantity, disclosed under the accepted lines. */
export interface RejectedLine {
  item: string;
  unit: string;
  qtyMilli: number;
  reason: string;
  /** 处理方式, e.g. 退回供应商. */
  disposition: string;
}

/** 食材价格: per item over the month's accepted lines. Average price = amount ÷ quantity, derived. */
export interface PriceRow {
  item: string;
  category: Category;
  unit: string;
  qtyMilli: number;
  amountFen: number;
  /** 参考价, fen per unit; null when none was set. */
  referencePriceFen: number | null;
  /** Last month's average, fen per unit; null when the item was not bought. */
  previousAvgPriceFen: number | null;
}

/** 供应商及资质. */
export interface SupplierRow {
  name: string;
  creditCode: string;
  /** The food licence (食品经营/生产许可证) number; '' when missing. */
  licenceNo: string;
  /** 有效期至, 'YYYY-MM-DD'; null when missing. */
  licenceValidUntil: string | null;
  deliveries: number;
  amountFen: number;
  /** 随货证明（份）. */
  certificates: number;
}

/** 营养改善计划, one row per class. 补助金额 = studentDays × rateFen, derived. */
export interface SubsidyRow {
  className: string;
  students: number;
  /** 就餐天数 (days the class ate in the month). */
  days: number;
  /** 受助人日数. */
  studentDays: number;
  /** 补助标准, fen per student per day. */
  rateFen: number;
}

/** 退费明细. */
export interface RefundRow {
  studentNo: string;
  name: string;
  className: string;
  days: number;
  amountFen: number;
  reason: string;
  appliedOn: string;
  /** null while approved but not yet paid. */
  paidOn: string | null;
  /**
   * Lists recorded from issue 14 on carry these (closed months before keep their frozen rows without them): the
   * approval date, 'pending' (待退) while unpaid at the month's end, and `earlier` for a refund approved in an earlier
   * month and paid in this one or still owed at its end — listed after the month's total, which they are not part of.
   */
  approvedOn?: string;
  status?: 'paid' | 'pending';
  earlier?: boolean;
}

export interface DisclosureData {
  schoolName: string;
  /** 'YYYY-MM'. */
  month: string;
  /** 版本: 1 for the first close; +1 for each reopening. */
  revision: number;
  /** SHA-256 (64 lowercase hex) of the closed month's canonical figures with the audit head; the sheet shows 16. */
  checksumHex: string;
  usesStoreroom: boolean;
  /** Non-food rows the profile allows, in NON_FOOD_EXPENSES order (手续费 is shown whenever it is booked). */
  allowedNonFood: NonFoodExpense[];
  /** 'full' adds 营业利润 and 营业利润率 (承包经营); absent: 'food'. */
  costBasis?: CostBasis;
  /** The expense rows the region publishes (profile.disclosureCategories); absent: one per category. */
  categoryGroups?: CategoryGroup[];
  surplusLimitBp: number;
  surplusPeriod: 'month' | 'term' | 'year';
  priceToleranceBp: number;
  /** Profile notes printed under the summary. */
  notes: string[];
  complaintPhone: string;
  /** Signature labels, e.g. ['编制人', '审核人', '膳食委员会（家委会）代表', '校长']. */
  signatures: string[];
  monthFigures: FundInputs;
  yearToDate: FundInputs;
  /** One row per category, CATEGORIES order (ignored when usesStoreroom is false). */
  categoryCosts: CategoryCostRow[];
  /** Explanation lines for 盘点调整 under 分类成本. */
  adjustmentNotes: string[];
  /** Thousands of lines in a large month: an iterable (e.g. a SQLite cursor) is read once, row by row. */
  purchases: Iterable<PurchaseLine> | AsyncIterable<PurchaseLine>;
  rejected: RejectedLine[];
  prices: PriceRow[];
  suppliers: SupplierRow[];
  subsidy: SubsidyRow[];
  refunds: RefundRow[];
}

/** The summary's figures as derived from FundInputs by electron/core/disclosure/derive.ts (deriveFund). */
export interface FundSummary {
  previousBalanceFen: number;
  feesCollectedFen: number;
  refundsFen: number;
  /** 1. 学生伙食费（净额） = collected − refunds. */
  feeNetFen: number;
  subsidyFen: number;
  otherIncomeFen: number;
  /** 二、本月收入 = fee net + subsidy + other. */
  incomeFen: number;
  expenseByCategoryFen: FundInputs['expenseByCategoryFen'];
  /** Only the allowed kinds, in NON_FOOD_EXPENSES order. */
  nonFoodFen: Partial<Record<NonFoodExpense, number>>;
  /** Sum of the category (food) rows. */
  foodExpenseFen: number;
  /** 三、本月支出 = food rows + allowed non-food rows. */
  expenseFen: number;
  /** 四、本月结余 = 二 − 三. */
  surplusFen: number;
  /** 五、本月累计结余 = 一 + 四. */
  cumulativeSurplusFen: number;
  /** 六、结余率 = 四 ÷ 二, basis points; null when income is 0. */
  surplusRateBp: number | null;
  mealDays: number;
  /** 八、生均日伙食成本 = food expense (the category rows of 三) ÷ 七, fen (DOMAIN.md §4); null when no meal days. */
  avgCostFen: number | null;
  /** 九、食材支出占伙食费收入比例 = food rows of 三 ÷ 二, basis points; null when income is 0. */
  foodShareBp: number | null;
}
