import type { FundSummary, SummaryRowKey, SummaryTableRow } from '../../../shared/disclosure.ts';
import { BANK_FEE, CATEGORIES, DEFAULT_CATEGORY_GROUPS, NON_FOOD_EXPENSES, NON_FOOD_LABELS, type CategoryGroup, type CostBasis, type NonFoodExpense } from '../../../shared/domain.ts';
import { surplusLimitText } from './derive.ts';

/**
 * The 收支公示 table's rows (LAYOUTS.md sheet 1), built in one place from the derived figures of both columns: the
 * workbook writes them, the month-close page shows them and the settings page previews them, so the three never
 * disagree on which rows a profile publishes (issue 14 §4).
 *
 * - Expense by category: one row per entry of the profile's `disclosureCategories` (e.g. 荤食 = 肉禽蛋 + 水产), each the
 *   sum of its categories; without that list, one row per category under its (layout-renamable) label.
 * - Non-food rows: the kinds the profile allows, in NON_FOOD_EXPENSES order, and 手续费 wherever it is booked (it is
 *   allowed under every profile, as the canteen account's own cost).
 * - A full-cost profile (承包经营) adds 营业利润 = 二 − 三 and 营业利润率 = 营业利润 ÷ 二, the result rows its notices print.
 */

export interface SummarySpec {
  usesStoreroom: boolean;
  allowedNonFood: readonly NonFoodExpense[];
  costBasis: CostBasis;
  categoryGroups?: readonly CategoryGroup[] | null;
  surplusLimitBp: number;
  surplusPeriod: 'month' | 'term' | 'year';
}

/** The non-food kinds a table shows: the allowed ones, and 手续费 when either column carries it. */
export function shownNonFood(mo: FundSummary, yt: FundSummary, allowed: readonly NonFoodExpense[]): NonFoodExpense[] {
  return NON_FOOD_EXPENSES.filter((k) => (k === BANK_FEE ? mo.nonFoodFen[k] !== undefined || yt.nonFoodFen[k] !== undefined : allowed.includes(k)));
}

/** The groups a table prints: the profile's own list, or one per category (labelled by the layout). */
export function groupsOf(spec: Pick<SummarySpec, 'categoryGroups'>, label: (k: SummaryRowKey) => string): CategoryGroup[] {
  if (spec.categoryGroups && spec.categoryGroups.length) return spec.categoryGroups.map((g) => ({ label: g.label, categories: [...g.categories] }));
  return DEFAULT_CATEGORY_GROUPS.map((g) => ({ label: label(g.categories[0]), categories: g.categories }));
}

export function summaryTableRows(mo: FundSummary, yt: FundSummary, spec: SummarySpec, label: (k: SummaryRowKey) => string): SummaryTableRow[] {
  const rows: SummaryTableRow[] = [];
  const money = (key: SummaryTableRow['key'], l: string, f: (s: FundSummary) => number | null, note: string, bold = false) =>
    rows.push({ key, label: l, format: 'money', bold, month: f(mo), ytd: f(yt), note });
  const fixed = (key: Exclude<SummaryRowKey, (typeof CATEGORIES)[number] | NonFoodExpense>, f: (s: FundSummary) => number | null, note: string, bold = false, format: SummaryTableRow['format'] = 'money') =>
    rows.push({ key, label: label(key), format, bold, month: f(mo), ytd: f(yt), note });

  fixed('previousBalance', (s) => s.previousBalanceFen, '本年累计列为上年末结余', true);
  fixed('income', (s) => s.incomeFen, '1 + 2 + 3', true);
  fixed('feeNet', (s) => s.feeNetFen, '收取 − 退费');
  fixed('feesCollected', (s) => s.feesCollectedFen, '');
  fixed('refunds', (s) => s.refundsFen, '从收取中减除');
  fixed('subsidy', (s) => s.subsidyFen, '受助人日数 × 补助标准');
  fixed('otherIncome', (s) => s.otherIncomeFen, '');
  fixed('expense', (s) => s.expenseFen, spec.usesStoreroom ? '按消耗计：上月底库存 + 本月购入 − 本月底库存' : '按验收入库金额计', true);
  const custom = !!spec.categoryGroups?.length;
  groupsOf(spec, label).forEach((g, i) => {
    money(custom ? `category:${i}` : (`category:${CATEGORIES.indexOf(g.categories[0])}` as const), g.label, (s) => g.categories.reduce((t, c) => t + s.expenseByCategoryFen[c], 0), '');
    rows[rows.length - 1].categories = [...g.categories];
  });
  const nonFood = shownNonFood(mo, yt, spec.allowedNonFood);
  for (const k of nonFood) money(k, label(k), (s) => s.nonFoodFen[k] ?? 0, k === BANK_FEE ? '食堂专户银行手续费' : '');
  fixed('surplus', (s) => s.surplusFen, '二 − 三', true);
  fixed('cumulativeSurplus', (s) => s.cumulativeSurplusFen, '一 + 四', true);
  fixed('surplusRate', (s) => s.surplusRateBp, `四 ÷ 二；限额：${surplusLimitText(spec.surplusLimitBp, spec.surplusPeriod)}`, true, 'percent');
  fixed('mealDays', (s) => s.mealDays, '学生就餐人日数', true, 'count');
  fixed('avgCost', (s) => s.avgCostFen, nonFood.length ? `食材支出 ÷ 七（不含${nonFood.map((k) => NON_FOOD_LABELS[k]).join('、')}）` : '三 ÷ 七', true);
  fixed('foodShare', (s) => s.foodShareBp, '食材支出 ÷ 二', true, 'percent');
  if (spec.costBasis === 'full') {
    fixed('operatingProfit', (s) => s.surplusFen, '二 − 三（全成本：食材及各项费用）', true);
    fixed('operatingProfitRate', (s) => s.surplusRateBp, '营业利润 ÷ 二', true, 'percent');
  }
  return rows;
}
