import { afterEach, describe, expect, it } from 'vitest';
import { postEntry } from '../../electron/core/ledger/journal.ts';
import { tableDigest } from '../helpers/backend.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

async function collectClass(className: string, method: 'cash' | 'bank' = 'cash', period = '2026-09') {
  const q = await s.b.call('fees.quote', { period, className });
  return s.b.call('fees.collect', { period, method, items: q.map((r) => ({ studentId: r.student.id })) });
}

describe('日清 daily cash clearing', () => {
  it('shows the book balance, refuses the cashier who took the cash, and lets another confirm with no difference', async () => {
    s = await feeSchool();
    await collectClass('一(1)班'); // 126.00 + 210.00 + 315.00 = 651.00 in cash
    const st = await s.b.call('clearing.status', { date: '2026-09-15' });
    expect(st).toMatchObject({ openingFen: 0, cashInFen: 65100, cashOutFen: 0, bookBalanceFen: 65100, cashReceipts: 3, cashTakers: ['陈出纳'], cleared: null });
    expect(st.blockedReason).toContain('当天收取现金的人不能自己确认日清');
    const before = tableDigest(s.b);
    const e = await s.b.reject('clearing.confirm', { date: '2026-09-15', countedFen: 65100 });
    expect(e.code).toBe('RULE');
    expect(tableDigest(s.b)).toBe(before);
    await s.b.loginAs('accountant');
    const done = await s.b.call('clearing.confirm', { date: '2026-09-15', countedFen: 65100 });
    expect(done.cleared).toMatchObject({ countedFen: 65100, bookBalanceFen: 65100, differenceFen: 0, reason: '', confirmedByName: '刘会计' });
    expect(s.b.db.prepare(`SELECT count(*) AS n FROM journal_entries WHERE source_type = 'cash_clearing'`).get()).toEqual({ n: 0 });
    const again = await s.b.reject('clearing.confirm', { date: '2026-09-15', countedFen: 65100 });
    expect(again.code).toBe('CONFLICT');
  });

  it('lets the cashier clear their own day where the profile does not ask for two people', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const school = await s.b.call('school.get', {});
    await s.b.call('school.update', { name: school.name, profile: { ...school.profile, cashClearingTwoPeople: false } });
    await s.b.loginAs('cashier');
    await collectClass('一(2)班'); // 2 × 126.00
    const done = await s.b.call('clearing.confirm', { date: '2026-09-15', countedFen: 25200 });
    expect(done.cleared?.confirmedByName).toBe('陈出纳');
  });

  it('requires a reason for a difference, posts it to 现金长短款, and the balance follows the count', async () => {
    s = await feeSchool();
    await collectClass('一(2)班'); // 252.00
    await s.b.loginAs('accountant');
    const before = tableDigest(s.b);
    const noReason = await s.b.reject('clearing.confirm', { date: '2026-09-15', countedFen: 25150 });
    expect(noReason.code).toBe('VALIDATION');
    expect(noReason.message).toContain('相差 -0.50 元');
    expect(tableDigest(s.b)).toBe(before);
    const done = await s.b.call('clearing.confirm', { date: '2026-09-15', countedFen: 25150, reason: '找零差错' });
    expect(done.cleared).toMatchObject({ bookBalanceFen: 25200, countedFen: 25150, differenceFen: -50, reason: '找零差错' });
    expect(s.balance('cash')).toBe(25150);
    expect(s.balance('cash_over_short')).toBe(50);
    expect(done.bookBalanceFen).toBe(25200);
    const list = await s.b.call('clearing.list', { month: '2026-09' });
    expect(list).toEqual([{ date: '2026-09-15', countedFen: 25150, bookBalanceFen: 25200, differenceFen: -50, reason: '找零差错', confirmedByName: '刘会计' }]);
    // An overage the next day: the opening is the counted cash.
    s.setToday('2026-09-16');
    await s.b.loginAs('cashier');
    await collectClass('一(1)班'); // 651.00
    await s.b.loginAs('accountant');
    const st = await s.b.call('clearing.status', { date: '2026-09-16' });
    expect(st).toMatchObject({ openingFen: 25150, cashInFen: 65100, bookBalanceFen: 90250 });
    await s.b.call('clearing.confirm', { date: '2026-09-16', countedFen: 90300, reason: '家长多付未找零，待退' });
    expect(s.balance('cash')).toBe(90300);
    expect(s.balance('cash_over_short')).toBe(0);
  });

  it('closes the day for cash: no cash fee, cash payout, deposit or void of a cash receipt posts into it or any day before it', async () => {
    s = await feeSchool();
    const [r] = await collectClass('一(2)班');
    await s.b.loginAs('accountant');
    await s.b.call('clearing.confirm', { date: '2026-09-15', countedFen: 25200 });
    await s.b.loginAs('cashier');
    const before = tableDigest(s.b);
    const id = s.students['王小明'].id;
    const attempts: [string, unknown, string][] = [
      ['fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: id }] }, '2026-09-15 的现金已日清结账，不能再记入收款；请改在日清之后的日期办理'],
      ['fees.collect', { period: '2026-09', method: 'cash', date: '2026-09-14', items: [{ studentId: id }] }, '2026-09-14（2026-09-15 及之前） 的现金已日清结账，不能再记入收款；请改在日清之后的日期办理'],
      ['deposits.create', { date: '2026-09-15', amountFen: 10000 }, '2026-09-15 的现金已日清结账，不能再记入现金送存；请改在日清之后的日期办理'],
      ['receipts.void', { id: r.id, reason: '误收' }, '2026-09-15 的现金已日清结账，不能再记入作废冲销；请改在日清之后的日期办理'],
    ];
    for (const [name, input, message] of attempts) {
      const e = await s.b.reject(name as 'fees.collect', input);
      expect(e.code, name).toBe('LOCKED');
      expect(e.message, name).toBe(message);
    }
    expect(tableDigest(s.b)).toBe(before);
    // The journal trigger holds it too, whoever posts cash.
    const post = (date: string) => () =>
      s.b.db
        .transaction(() =>
          postEntry(s.b.ctx, { date, memo: 't', sourceType: 'test', sourceId: null, postings: [{ account: 'cash', amountFen: 100 }, { account: 'income:other', amountFen: -100 }] }),
        )
        .immediate();
    expect(post('2026-09-15')).toThrow(/已日清/);
    expect(post('2026-09-10')).toThrow(/已日清/);
    expect(tableDigest(s.b)).toBe(before);
    // The next day is open; the receipt can be voided then (the reversal is dated that day).
    s.setToday('2026-09-16');
    const v = await s.b.call('receipts.void', { id: r.id, reason: '误收' });
    expect(v.voidDate).toBe('2026-09-16');
    expect(post('2026-09-16')).not.toThrow();
  });

  it('a document that moves no cash may be dated on a cleared day (issue 14 §3: a month entered late)', async () => {
    s = await feeSchool();
    await collectClass('一(2)班');
    await s.b.loginAs('accountant');
    await s.b.call('clearing.confirm', { date: '2026-09-15', countedFen: 25200 });
    await s.b.loginAs('cashier');
    const cashBefore = s.balance('cash');
    // A bank receipt dated the day before, a refund approved on the cleared day, a subsidised meal and the subsidy's arrival.
    const [bank] = await s.b.call('fees.collect', { period: '2026-09', method: 'bank', date: '2026-09-14', items: [{ studentId: s.students['王小明'].id }] });
    expect(bank).toMatchObject({ date: '2026-09-14', amountFen: 12600, method: 'bank' });
    const refund = await s.b.call('refunds.create', {
      studentId: s.students['刘洋'].id, reason: 'leave', noticeDate: '2026-09-14', lastDay: '2026-09-15', appliedOn: '2026-09-15', teacherName: '黄老师', teacherConfirmedOn: '2026-09-15',
    });
    expect(refund.approvedOn).toBe('2026-09-15');
    await s.b.call('subsidy.record', { className: '一(2)班', date: '2026-09-15', studentIds: [s.students['刘洋'].id] });
    await s.b.call('subsidy.receive', { date: '2026-09-14', amountFen: 500 });
    expect(s.balance('cash')).toBe(cashBefore);
    // Its payout in cash on the cleared day is refused; by bank it is not.
    const e = await s.b.reject('refunds.pay', { id: refund.id, paidOn: '2026-09-15', method: 'cash' });
    expect(e).toMatchObject({ code: 'LOCKED', message: '2026-09-15 的现金已日清结账，不能再记入退付；请改在日清之后的日期办理' });
    expect((await s.b.call('refunds.pay', { id: refund.id, paidOn: '2026-09-15', method: 'bank' })).status).toBe('paid');
  });

  it('moves cash to the bank, never more than there is, and refuses clearing out of order', async () => {
    s = await feeSchool();
    await collectClass('一(1)班'); // 651.00
    const before = tableDigest(s.b);
    const tooMuch = await s.b.reject('deposits.create', { date: '2026-09-15', amountFen: 65101 });
    expect(tooMuch.code).toBe('RULE');
    expect((await s.b.reject('deposits.create', { date: '2026-09-15', amountFen: 0 })).code).toBe('VALIDATION');
    expect(tableDigest(s.b)).toBe(before);
    const d = await s.b.call('deposits.create', { date: '2026-09-15', amountFen: 60000, note: '送存农商行' });
    expect(d).toMatchObject({ number: 'CK2026-0001', amountFen: 60000 });
    expect(s.balance('cash')).toBe(5100);
    expect(s.balance('bank')).toBe(60000);
    const st = await s.b.call('clearing.status', { date: '2026-09-15' });
    expect(st).toMatchObject({ cashInFen: 65100, cashOutFen: 60000, bookBalanceFen: 5100 });
    await s.b.loginAs('accountant');
    s.setToday('2026-09-16');
    await s.b.call('clearing.confirm', { date: '2026-09-16', countedFen: 5100 });
    const late = await s.b.reject('clearing.confirm', { date: '2026-09-15', countedFen: 5100 });
    expect(late.code).toBe('RULE');
    expect(late.message).toContain('2026-09-16 已日清');
    const future = await s.b.reject('clearing.confirm', { date: '2026-09-17', countedFen: 5100 });
    expect(future.code).toBe('RULE');
  });

  it('flags past days with cash not yet cleared on the home page', async () => {
    s = await feeSchool();
    await collectClass('一(2)班');
    expect((await s.b.call('home.attention', {})).filter((h) => h.kind === 'cash_uncleared')).toEqual([]); // today is not past
    s.setToday('2026-09-17');
    const items = (await s.b.call('home.attention', {})).filter((h) => h.kind === 'cash_uncleared');
    expect(items.map((i) => i.title)).toEqual(['有 1 天的现金尚未日清']);
    expect(items[0].link).toBe('/fees/clearing?date=2026-09-15');
  });
});
