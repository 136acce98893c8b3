import { describe, expect, it } from 'vitest';
import {
  avgPriceFen,
  consumedFen,
  deriveFund,
  deviationBp,
  divHalfUp,
  licenceStatus,
  overTolerance,
  subsidyAmountFen,
  surplusLimitText,
} from '../../electron/core/disclosure/derive.ts';
import { formatBp } from '../../shared/format.ts';
import type { FundInputs } from '../../shared/disclosure.ts';
import { fixture } from './fixture.ts';

describe('divHalfUp: 四舍五入 on the magnitude', () => {
  it('rounds halves away from zero and the rest to nearest', () => {
    expect(divHalfUp(5n, 2n)).toBe(3n); // 2.5 → 3
    expect(divHalfUp(-5n, 2n)).toBe(-3n); // −2.5 → −3
    expect(divHalfUp(7n, 2n)).toBe(4n); // 3.5 → 4
    expect(divHalfUp(4n, 3n)).toBe(1n); // 1.33 → 1
    expect(divHalfUp(5n, 3n)).toBe(2n); // 1.67 → 2
    expect(divHalfUp(-4n, 3n)).toBe(-1n);
    expect(divHalfUp(1n, 2n)).toBe(1n); // 0.5 → 1
    expect(divHalfUp(1n, 3n)).toBe(0n);
    expect(divHalfUp(5n, -2n)).toBe(-3n);
    expect(divHalfUp(0n, 7n)).toBe(0n);
    expect(() => divHalfUp(1n, 0n)).toThrow('除数为零');
  });
});

describe('deriveFund on the hand-worked month (see fixture.ts)', () => {
  it('the month column', () => {
    const s = deriveFund(fixture().monthFigures, []);
    expect(s.feeNetFen).toBe(9_880_000); // 100,000.00 − 1,200.00
    expect(s.incomeFen).toBe(13_230_000); // 98,800.00 + 33,000.00 + 500.00
    expect(s.foodExpenseFen).toBe(12_030_235);
    expect(s.expenseFen).toBe(12_030_235);
    expect(s.surplusFen).toBe(1_199_765); // 11,997.65
    expect(s.cumulativeSurplusFen).toBe(1_349_765); // 13,497.65
    expect(s.surplusRateBp).toBe(907); // 9.0685 % → 9.07 %
    expect(s.avgCostFen).toBe(1769); // 17.6915 → 17.69
    expect(s.foodShareBp).toBe(9093); // 90.9315 % → 90.93 %
    expect(s.nonFoodFen).toEqual({});
  });

  it('the year-to-date column ends at the same cumulative balance', () => {
    const s = deriveFund(fixture().yearToDate, []);
    expect(s.feeNetFen).toBe(29_700_000);
    expect(s.incomeFen).toBe(38_750_000);
    expect(s.expenseFen).toBe(37_600_235);
    expect(s.surplusFen).toBe(1_149_765);
    expect(s.cumulativeSurplusFen).toBe(1_349_765);
    expect(s.surplusRateBp).toBe(297); // 2.9671 % → 2.97 %
    expect(s.avgCostFen).toBe(1979); // 19.7896 → 19.79
    expect(s.foodShareBp).toBe(9703); // 97.0329 % → 97.03 %
  });

  it('allowed non-food rows count in 三 but not in the food share or the cost per meal day; disallowed kinds are left out', () => {
    const f: FundInputs = { ...fixture().monthFigures, nonFoodFen: { fuel: 100_000, wages: 999_999 } };
    const s = deriveFund(f, ['fuel']);
    expect(s.nonFoodFen).toEqual({ fuel: 100_000 });
    expect(s.expenseFen).toBe(12_130_235); // 120,302.35 + 1,000.00
    expect(s.surplusFen).toBe(1_099_765); // 132,300.00 − 121,302.35 = 10,997.65
    expect(s.surplusRateBp).toBe(831); // 10,997.65 ÷ 132,300.00 = 8.3127 % → 8.31 %
    expect(s.avgCostFen).toBe(1769); // food only (DOMAIN.md §4): 120,302.35 ÷ 6,800 = 17.6915 → 17.69, not 121,302.35 ÷ 6,800
    expect(s.foodShareBp).toBe(9093); // food only, unchanged
  });

  it('rates and averages over nothing are null; a deficit gives a negative rate rounded on its magnitude', () => {
    const zero: FundInputs = {
      previousBalanceFen: 0, feesCollectedFen: 0, refundsFen: 0, subsidyFen: 0, otherIncomeFen: 0,
      expenseByCategoryFen: { grain: 0, meat: 0, aquatic: 0, vegetable: 0, dairy: 0, soy: 0, seasoning: 0, other: 0 },
      nonFoodFen: {}, mealDays: 0,
    };
    const s = deriveFund(zero, []);
    expect([s.surplusRateBp, s.avgCostFen, s.foodShareBp]).toEqual([null, null, null]);
    // income 200.00, expense 200.01 → surplus −0.01 → −0.01 ÷ 200.00 = −0.005 % = −0.5 bp → −1 bp
    const d = deriveFund({ ...zero, feesCollectedFen: 20_000, expenseByCategoryFen: { ...zero.expenseByCategoryFen, grain: 20_001 }, mealDays: 3 }, []);
    expect(d.surplusFen).toBe(-1);
    expect(d.surplusRateBp).toBe(-1);
    expect(d.avgCostFen).toBe(6667); // 200.01 ÷ 3 = 66.67
    expect(d.foodShareBp).toBe(10_001); // 100.005 % → 100.01 %
  });
});

describe('detail-sheet figures', () => {
  it('consumed = opening + purchases − closing', () => {
    const vegetable = fixture().categoryCosts.find((r) => r.category === 'vegetable')!;
    expect(consumedFen(vegetable)).toBe(3_012_345); // 500.00 + 30,000.00 − 376.55
  });

  it('average price, deviation and the tolerance boundary', () => {
    const [rice, pork, greens, milk] = fixture().prices;
    expect(avgPriceFen(rice.amountFen, rice.qtyMilli)).toBe(600);
    expect(deviationBp(rice)).toBe(-323); // (6.00 − 6.20) ÷ 6.20 = −3.2258 % → −3.23 %
    expect(deviationBp(pork)).toBe(1000); // exactly +10 %
    expect(overTolerance(pork, 1000)).toBe(false); // at the tolerance: not over
    expect(overTolerance(pork, 999)).toBe(true);
    expect(avgPriceFen(greens.amountFen, greens.qtyMilli)).toBe(350); // 3.49999… → 3.50
    expect(deviationBp(greens)).toBe(1667); // 16.6667 % → 16.67 %
    expect(overTolerance(greens, 1000)).toBe(true);
    expect(deviationBp(milk)).toBeNull();
    expect(overTolerance(milk, 0)).toBe(false);
    expect(avgPriceFen(0, 0)).toBeNull();
  });

  it('subsidy amount, licence status at the month end, texts', () => {
    expect(subsidyAmountFen(fixture().subsidy[0])).toBe(1_320_000); // 2,640 × 5.00
    const [ok, expired, missing] = fixture().suppliers;
    expect(licenceStatus(ok, '2026-03-31')).toBe('ok'); // valid through the last day
    expect(licenceStatus(expired, '2026-03-31')).toBe('expired');
    expect(licenceStatus(missing, '2026-03-31')).toBe('missing');
    expect(formatBp(907)).toBe('9.07%');
    expect(formatBp(-5)).toBe('-0.05%');
    expect(formatBp(10_000)).toBe('100.00%');
    expect(surplusLimitText(200, 'term')).toBe('不超过2.00%（按学期）');
  });
});
