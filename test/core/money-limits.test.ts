import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toApiError } from '../../electron/core/backend.ts';
import { tableDigest } from '../helpers/backend.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

/**
 * Issue 20 item 9 (part): `fees.collect` took 1e11 fen and the database answered "CHECK constraint failed: amount_fen
 * <= 100000000"; an out-of-range bank balance said "必须是数字". The API's limit per kind of amount is now the
 * database's, with a message in yuan, and SQL still holds it behind the app's back.
 */
let s: FeeSchool;
beforeEach(async () => {
  s = await feeSchool();
});
afterEach(() => s.b.cleanup());

describe('a receipt is at most 1,000,000.00 元, in the API and in SQL', () => {
  it('1e11 fen and 100 万元 + 1 分 are refused with the limit in yuan, writing nothing', async () => {
    const studentId = s.students['王小明'].id;
    const before = tableDigest(s.b);
    for (const amountFen of [1e11, 100_000_001]) {
      expect(await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId, amountFen, overrideReason: '补交' }] })).toEqual({
        code: 'VALIDATION',
        message: '金额不能超过 1,000,000.00 元',
        issues: [{ path: 'items.0.amountFen', message: '金额不能超过 1,000,000.00 元' }],
      });
    }
    // Beyond the safe integers: still the limit first, not the integer rule.
    expect(await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId, amountFen: 1e17, overrideReason: '补交' }] })).toMatchObject({
      message: '输入有 2 处问题：金额不能超过 1,000,000.00 元等',
    });
    expect(tableDigest(s.b)).toBe(before);
    // The limit itself is a valid receipt.
    const [r] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId, amountFen: 100_000_000, overrideReason: '预交全年' }] });
    expect(r.amountFen).toBe(100_000_000);
  });

  it('SQL refuses a receipt over the limit written behind the app, and the dispatcher would not show its words', async () => {
    const [r] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: s.students['王小明'].id }] });
    const row = s.b.db.prepare('SELECT * FROM fee_receipts WHERE id = ?').get(r.id) as Record<string, unknown>;
    const copy = { ...row, id: '01900000-0000-7000-8000-000000000001', number: 'SF2026-9999', amount_fen: 100_000_001, override_reason: '直接写入' };
    const cols = Object.keys(copy);
    let err: unknown;
    try {
      s.b.db.prepare(`INSERT INTO fee_receipts (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => copy[c as keyof typeof copy]));
    } catch (e) {
      err = e;
    }
    expect(String((err as Error).message)).toBe('CHECK constraint failed: amount_fen > 0 AND amount_fen <= 100000000');
    expect(toApiError(err).toJSON()).toEqual({ code: 'VALIDATION', message: '数据超出账本允许的范围或不完整，未保存；请检查金额、数量和必填项' });
  });
});

describe('other amounts', () => {
  it('a daily rate is at most 1,000.00 元 (the meal plans’ CHECK)', async () => {
    await s.b.loginAs('admin');
    expect(await s.b.reject('mealPlans.update', { code: 'lunch', dailyRateFen: 100_001 })).toMatchObject({ code: 'VALIDATION', message: '日收费标准不能超过 1,000.00 元' });
    expect((await s.b.call('mealPlans.update', { code: 'lunch', dailyRateFen: 100_000 })).dailyRateFen).toBe(100_000);
  });

  it('an out-of-range bank balance names the range, not "必须是数字"', async () => {
    await s.b.loginAs('accountant');
    const before = tableDigest(s.b);
    expect(await s.b.reject('monthclose.setBankBalance', { month: '2026-09', account: 'bank', balanceFen: 1e16 })).toMatchObject({
      code: 'VALIDATION',
      message: '输入有 2 处问题：银行对账单余额不能超过 1,000,000,000.00 元等',
    });
    expect(await s.b.reject('monthclose.setBankBalance', { month: '2026-09', account: 'bank', balanceFen: -100_000_000_001 })).toMatchObject({
      code: 'VALIDATION',
      message: '银行对账单余额不能低于 -1,000,000,000.00 元',
    });
    expect(await s.b.reject('monthclose.setBankBalance', { month: '2026-09', account: 'bank', balanceFen: '12' })).toMatchObject({ message: '银行对账单余额必须是数字' });
    expect(tableDigest(s.b)).toBe(before);
  });
});
