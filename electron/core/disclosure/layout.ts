import {
  DEFAULT_SUMMARY_LABELS,
  DISCLOSURE_SHEET_NAMES,
  DISCLOSURE_SHEETS,
  type DisclosureData,
  type DisclosureLayout,
  type DisclosureSheet,
  type SummaryRowKey,
} from '../../../shared/disclosure.ts';
import { BANK_FEE, CATEGORIES, CATEGORY_LABELS, NON_FOOD_EXPENSES, NON_FOOD_LABELS, type Category, type NonFoodExpense } from '../../../shared/domain.ts';
import { ApiError } from '../../../shared/errors.ts';
import { consumedFen, deriveFund, subsidyAmountFen } from './derive.ts';

type Issue = { path: string; message: string };

/** Excel refuses (with a repair prompt) tab names over 31 characters, with []:*?/\ or quotes at the ends, or repeated. */
const BAD_SHEET_CHARS = /[[\]:*?/\\']/;

export interface ResolvedLayout {
  sheets: { key: DisclosureSheet; name: string }[];
  label(key: SummaryRowKey): string;
  canteenKind: string;
}

/** The layout with defaults filled in and checked; the categoryCost sheet drops out without a storeroom. */
export function resolveLayout(layout: DisclosureLayout, usesStoreroom: boolean): ResolvedLayout {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const keys = new Set<DisclosureSheet>();
  const sheets: { key: DisclosureSheet; name: string }[] = [];
  layout.sheets.forEach((key, i) => {
    if (!DISCLOSURE_SHEETS.includes(key)) return issues.push({ path: `sheets.${i}`, message: `未知的公示表：${String(key)}` });
    if (keys.has(key)) return issues.push({ path: `sheets.${i}`, message: `公示表重复：${DISCLOSURE_SHEET_NAMES[key]}` });
    keys.add(key);
    const name = (layout.sheetNames[key] ?? DISCLOSURE_SHEET_NAMES[key]).trim();
    if (name === '' || [...name].length > 31 || BAD_SHEET_CHARS.test(name)) {
      issues.push({ path: `sheetNames.${key}`, message: `工作表名称“${name}”无效：须为1至31个字，且不含 [ ] : * ? / \\ '` });
    } else if (seen.has(name.toLowerCase())) {
      issues.push({ path: `sheetNames.${key}`, message: `工作表名称“${name}”重复` });
    }
    seen.add(name.toLowerCase());
    if (key === 'categoryCost' && !usesStoreroom) return;
    sheets.push({ key, name });
  });
  if (!keys.has('summary')) issues.push({ path: 'sheets', message: '公示工作簿必须包含收支公示表' });
  for (const [key, text] of Object.entries(layout.rowLabels)) {
    if (typeof text !== 'string' || text.trim() === '') issues.push({ path: `rowLabels.${key}`, message: '行名称不能为空' });
  }
  if (issues.length) throw new ApiError('VALIDATION', `公示版式有误：${issues[0].message}`, issues);
  return {
    sheets,
    canteenKind: layout.canteenKind,
    label(key) {
      const custom = layout.rowLabels[key];
      if (custom) return custom;
      if ((CATEGORIES as readonly string[]).includes(key)) return CATEGORY_LABELS[key as Category];
      if ((NON_FOOD_EXPENSES as readonly string[]).includes(key)) return NON_FOOD_LABELS[key as NonFoodExpense];
      return DEFAULT_SUMMARY_LABELS[key as keyof typeof DEFAULT_SUMMARY_LABELS];
    },
  };
}

export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function int(issues: Issue[], path: string, v: unknown, min = Number.MIN_SAFE_INTEGER): void {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
    issues.push({ path, message: min === 0 ? '须为非负整数' : '须为整数' });
  }
}

/**
 * Checks that the data is whole and agrees with itself before a byte is written: integers everywhere, the two
 * columns end at the same cumulative balance, the storeroom sheet adds up to the summary, the subsidy rows to the
 * subsidy income. Purchase lines (possibly a cursor) are checked one by one while they are written.
 */
export function checkDisclosureData(d: DisclosureData): void {
  const issues: Issue[] = [];
  if (typeof d.schoolName !== 'string' || d.schoolName.trim() === '') issues.push({ path: 'schoolName', message: '学校名称不能为空' });
  if (!MONTH.test(d.month)) issues.push({ path: 'month', message: '月份须为 YYYY-MM' });
  int(issues, 'revision', d.revision, 1);
  if (!/^[0-9a-f]{16,}$/i.test(d.checksumHex)) issues.push({ path: 'checksumHex', message: '校验码须为至少16位十六进制数' });
  for (const [name, f] of [['monthFigures', d.monthFigures], ['yearToDate', d.yearToDate]] as const) {
    int(issues, `${name}.previousBalanceFen`, f.previousBalanceFen);
    for (const k of ['feesCollectedFen', 'refundsFen', 'subsidyFen', 'otherIncomeFen', 'mealDays'] as const) int(issues, `${name}.${k}`, f[k], 0);
    for (const c of CATEGORIES) int(issues, `${name}.expenseByCategoryFen.${c}`, f.expenseByCategoryFen?.[c], 0);
    for (const k of NON_FOOD_EXPENSES) {
      const v = f.nonFoodFen?.[k];
      if (v === undefined) continue;
      int(issues, `${name}.nonFoodFen.${k}`, v, 0);
      if (v !== 0 && k !== BANK_FEE && !d.allowedNonFood.includes(k)) {
        issues.push({ path: `${name}.nonFoodFen.${k}`, message: `本地配置不允许列支${NON_FOOD_LABELS[k]}` });
      }
    }
  }
  if (!issues.length) {
    const m = deriveFund(d.monthFigures, d.allowedNonFood);
    const y = deriveFund(d.yearToDate, d.allowedNonFood);
    if (m.cumulativeSurplusFen !== y.cumulativeSurplusFen) {
      issues.push({ path: 'yearToDate', message: '本月与本年累计两列的累计结余不一致' });
    }
  }
  if (d.categoryGroups) {
    // Every category in exactly one published row, or some spending would be missing from the table (or counted twice).
    const seen = d.categoryGroups.flatMap((g) => g.categories);
    for (const c of CATEGORIES) {
      const n = seen.filter((x) => x === c).length;
      if (n !== 1) issues.push({ path: 'categoryGroups', message: `${CATEGORY_LABELS[c]}须归入且只归入一个公示类别` });
    }
  }
  if (d.usesStoreroom) {
    CATEGORIES.forEach((c) => {
      const rows = d.categoryCosts.filter((r) => r.category === c);
      if (rows.length !== 1) return issues.push({ path: 'categoryCosts', message: `分类成本须有且仅有一行${CATEGORY_LABELS[c]}` });
      const r = rows[0];
      for (const k of ['openingFen', 'purchasesFen', 'closingFen'] as const) int(issues, `categoryCosts.${c}.${k}`, r[k], 0);
      int(issues, `categoryCosts.${c}.adjustmentsFen`, r.adjustmentsFen);
      if (consumedFen(r) !== d.monthFigures.expenseByCategoryFen?.[c]) {
        issues.push({ path: `categoryCosts.${c}`, message: `${CATEGORY_LABELS[c]}的本月实际支出与收支公示表不一致` });
      }
    });
  }
  d.rejected.forEach((r, i) => int(issues, `rejected.${i}.qtyMilli`, r.qtyMilli, 0));
  d.prices.forEach((r, i) => {
    int(issues, `prices.${i}.qtyMilli`, r.qtyMilli, 0);
    int(issues, `prices.${i}.amountFen`, r.amountFen, 0);
    if (r.referencePriceFen !== null) int(issues, `prices.${i}.referencePriceFen`, r.referencePriceFen, 0);
    if (r.previousAvgPriceFen !== null) int(issues, `prices.${i}.previousAvgPriceFen`, r.previousAvgPriceFen, 0);
  });
  d.suppliers.forEach((r, i) => {
    for (const k of ['deliveries', 'amountFen', 'certificates'] as const) int(issues, `suppliers.${i}.${k}`, r[k], 0);
    if (r.licenceValidUntil !== null && !ISO_DATE.test(r.licenceValidUntil)) issues.push({ path: `suppliers.${i}.licenceValidUntil`, message: '日期须为 YYYY-MM-DD' });
  });
  let subsidyTotal = 0;
  d.subsidy.forEach((r, i) => {
    for (const k of ['students', 'days', 'studentDays', 'rateFen'] as const) int(issues, `subsidy.${i}.${k}`, r[k], 0);
    subsidyTotal += subsidyAmountFen(r);
  });
  if (d.subsidy.length && subsidyTotal !== d.monthFigures.subsidyFen) {
    issues.push({ path: 'subsidy', message: '营养改善计划补助明细合计与收支公示表不一致' });
  }
  d.refunds.forEach((r, i) => {
    int(issues, `refunds.${i}.days`, r.days, 0);
    int(issues, `refunds.${i}.amountFen`, r.amountFen, 0);
    if (!ISO_DATE.test(r.appliedOn)) issues.push({ path: `refunds.${i}.appliedOn`, message: '日期须为 YYYY-MM-DD' });
    if (r.paidOn !== null && !ISO_DATE.test(r.paidOn)) issues.push({ path: `refunds.${i}.paidOn`, message: '日期须为 YYYY-MM-DD' });
  });
  if (issues.length) throw new ApiError('VALIDATION', `公示数据有误（${issues[0].path}）：${issues[0].message}`, issues);
}
