import { formatBp } from '../../../shared/format.ts';
import type { CategoryCostRow, FundInputs, FundSummary, PriceRow, SubsidyRow, SupplierRow } from '../../../shared/disclosure.ts';
import { BANK_FEE, CATEGORIES, NON_FOOD_EXPENSES, type NonFoodExpense } from '../../../shared/domain.ts';

/**
 * Every derived figure of the disclosure (LAYOUTS.md), computed once from the booked integers so the month-close
 * screen and the workbook cannot disagree. Integer arithmetic in BigInt; each division rounds half-up on the
 * magnitude (四舍五入: 0.5 → 1, −0.5 → −1). Rates are basis points (1 % = 100, so two decimals of a percent);
 * a rate or average over a zero denominator is null (shown as “—”).
 */

/** num ÷ den rounded half away from zero. den must not be 0. */
export function divHalfUp(num: bigint, den: bigint): bigint {
  if (den === 0n) throw new Error('除数为零');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const neg = num < 0n;
  const abs = neg ? -num : num;
  const q = (2n * abs + den) / (2n * den);
  return neg ? -q : q;
}

const ratio = (num: number, den: number, scale: bigint): number | null =>
  den === 0 ? null : Number(divHalfUp(BigInt(num) * scale, BigInt(den)));


export function deriveFund(f: FundInputs, allowedNonFood: readonly NonFoodExpense[]): FundSummary {
  const feeNetFen = f.feesCollectedFen - f.refundsFen;
  const incomeFen = feeNetFen + f.subsidyFen + f.otherIncomeFen;
  const foodExpenseFen = CATEGORIES.reduce((s, c) => s + f.expenseByCategoryFen[c], 0);
  const nonFoodFen: Partial<Record<NonFoodExpense, number>> = {};
  let nonFoodTotal = 0;
  for (const k of NON_FOOD_EXPENSES) {
    // 手续费 is allowed under every profile (never in allowedNonFood): it counts wherever it is booked.
    if (k === BANK_FEE ? f.nonFoodFen[k] === undefined : !allowedNonFood.includes(k)) continue;
    nonFoodFen[k] = f.nonFoodFen[k] ?? 0;
    nonFoodTotal += nonFoodFen[k];
  }
  const expenseFen = foodExpenseFen + nonFoodTotal;
  const surplusFen = incomeFen - expenseFen;
  return {
    previousBalanceFen: f.previousBalanceFen,
    feesCollectedFen: f.feesCollectedFen,
    refundsFen: f.refundsFen,
    feeNetFen,
    subsidyFen: f.subsidyFen,
    otherIncomeFen: f.otherIncomeFen,
    incomeFen,
    expenseByCategoryFen: { ...f.expenseByCategoryFen },
    nonFoodFen,
    foodExpenseFen,
    expenseFen,
    surplusFen,
    cumulativeSurplusFen: f.previousBalanceFen + surplusFen,
    surplusRateBp: ratio(surplusFen, incomeFen, 10_000n),
    mealDays: f.mealDays,
    avgCostFen: ratio(foodExpenseFen, f.mealDays, 1n),
    foodShareBp: ratio(foodExpenseFen, incomeFen, 10_000n),
  };
}

/** 本月实际支出 = 上月底库存 + 本月购入 − 本月底库存 (the adjustments are inside the closing stock already). */
export const consumedFen = (r: CategoryCostRow): number => r.openingFen + r.purchasesFen - r.closingFen;

/** 本月均价, fen per unit = amount ÷ quantity (quantity in thousandths); null for no quantity. */
export const avgPriceFen = (amountFen: number, qtyMilli: number): number | null => ratio(amountFen, qtyMilli, 1000n);

/**
 * 偏离 = (均价 − 参考价) ÷ 参考价 in basis points, from the exact average (amount ÷ quantity), not the rounded one;
 * null without a reference price or quantity.
 */
export function deviationBp(r: PriceRow): number | null {
  if (r.referencePriceFen === null || r.referencePriceFen === 0 || r.qtyMilli === 0) return null;
  const refTimesQty = BigInt(r.referencePriceFen) * BigInt(r.qtyMilli);
  return Number(divHalfUp((BigInt(r.amountFen) * 1000n - refTimesQty) * 10_000n, refTimesQty));
}

/** A price above reference by more than the tolerance (exact comparison, no rounding). */
export function overTolerance(r: PriceRow, toleranceBp: number): boolean {
  if (r.referencePriceFen === null || r.referencePriceFen === 0 || r.qtyMilli === 0) return false;
  const refTimesQty = BigInt(r.referencePriceFen) * BigInt(r.qtyMilli);
  return (BigInt(r.amountFen) * 1000n - refTimesQty) * 10_000n > BigInt(toleranceBp) * refTimesQty;
}

/** 补助金额 = 受助人日数 × 补助标准. */
export const subsidyAmountFen = (r: SubsidyRow): number => r.studentDays * r.rateFen;

/** A supplier's licence as of the month's last day: missing (no number or no date), expired, or fine. */
export function licenceStatus(r: SupplierRow, monthEnd: string): 'ok' | 'missing' | 'expired' {
  if (r.licenceNo.trim() === '' || r.licenceValidUntil === null) return 'missing';
  return r.licenceValidUntil < monthEnd ? 'expired' : 'ok';
}


const PERIOD_WORDS = { month: '按月', term: '按学期', year: '按年' } as const;

/** The profile's limit and its period: "2.00%（按学期）". */
export const surplusLimitValue = (bp: number, period: keyof typeof PERIOD_WORDS): string => `${formatBp(bp)}（${PERIOD_WORDS[period]}）`;
/** The profile's surplus limit as printed in 说明: "不超过2.00%（按学期）". */
export const surplusLimitText = (bp: number, period: keyof typeof PERIOD_WORDS): string => `不超过${surplusLimitValue(bp, period)}`;
