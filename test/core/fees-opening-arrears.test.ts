import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

/**
 * Issue 14: 期初欠费 in the 欠费名单 and the settlement. The school opens its books on 2026-08-31 (clock 2026-09-15) with
 * 张伟 owing 50.00 and 李小红 20.00 from before, and 王小明 10.00 paid ahead. In September 王小明 (午餐 21 × 6.00 =
 * 126.00) and 李小红 (两餐 21 × 10.00 = 210.00) pay; 张伟 (三餐寄宿 21 × 15.00 = 315.00) does not. By hand:
 * - 欠费名单 2026-09, 一(1)班: 李小红 paid the month, owes the opening 20.00 → 20.00; 张伟 315.00 + 50.00 = 365.00.
 * - 2026-10 holds no first day of the books: no opening amounts there.
 * - settlement 2026-09: 王小明 10.00 + 126.00 − 126.00 = +10.00 (多退); 李小红 −20.00 + 210.00 − 210.00 = −20.00;
 *   张伟 −50.00 + 0 − 315.00 = −365.00 (少补). October's settlement carries no opening.
 */
describe('期初欠费 in the arrears list and the settlement', { timeout: 120_000 }, () => {
  let s: FeeSchool;
  beforeAll(async () => {
    s = await feeSchool();
    const b = s.b;
    const st = s.students;
    await b.loginAs('accountant');
    await b.call('opening.save', {
      date: '2026-08-31',
      bankFen: 100_000,
      subsidyBankFen: 0,
      cashFen: 0,
      lines: [
        { kind: 'arrears', studentId: st['张伟'].id, amountFen: 5_000, note: '7月欠交' },
        { kind: 'arrears', studentId: st['李小红'].id, amountFen: 2_000, note: '' },
        { kind: 'prepaid', studentId: st['王小明'].id, amountFen: 1_000, note: '' },
      ],
    });
    await b.call('opening.submit', {});
    await b.loginAs('reviewer');
    await b.call('opening.approve', {});
    await b.loginAs('cashier');
    await b.call('fees.collect', { period: '2026-09', method: 'bank', items: [{ studentId: st['王小明'].id }, { studentId: st['李小红'].id }] });
  });
  afterAll(() => s.b.cleanup());

  it('the 欠费名单 of the period that starts the books adds each pupil’s opening arrears', async () => {
    const rows = await s.b.call('fees.arrears', { period: '2026-09', className: '一(1)班' });
    expect(rows.map((r) => [r.student.name, r.days, r.dueFen, r.openingArrearsFen, r.totalFen])).toEqual([
      ['李小红', 0, 0, 2_000, 2_000],
      ['张伟', 21, 31_500, 5_000, 36_500],
    ]);
    const oct = await s.b.call('fees.arrears', { period: '2026-10', className: '一(1)班' });
    expect(oct.map((r) => r.openingArrearsFen)).toEqual([0, 0, 0]);
  });

  it('the settlement covering the first day of the books carries the opening balance, once', async () => {
    const rows = await s.b.call('fees.settlement', { from: '2026-09-01', to: '2026-09-30', className: '一(1)班' });
    expect(rows.map((r) => [r.student.name, r.openingFen, r.paidFen, r.dueFen, r.balanceFen])).toEqual([
      ['王小明', 1_000, 12_600, 12_600, 1_000],
      ['李小红', -2_000, 21_000, 21_000, -2_000],
      ['张伟', -5_000, 0, 31_500, -36_500],
    ]);
    const oct = await s.b.call('fees.settlement', { from: '2026-10-01', to: '2026-10-31', className: '一(1)班' });
    expect(oct.map((r) => r.openingFen)).toEqual([0, 0, 0]);
  });
});
