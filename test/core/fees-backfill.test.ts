import { afterEach, describe, expect, it } from 'vitest';
import { tableDigest } from '../helpers/backend.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

/**
 * Issue 14 §3: October's books entered in November. Every dated fee document takes a date in an open month (past or
 * today); a refund is approved (and booked) on its own date and paid on or after it; cash is held by 日清 only where
 * cash moves; the audit keeps the document date beside the typing time; the month-close checklist lists what was
 * typed more than the profile's N days late; and a refund counts from its notice date whenever it is typed.
 * Figures (fixture): 午餐 6.00 元/天, October 17 school days (8, 9, 12–16, 19–23, 26–30).
 */

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

const refundInput = (studentId: string, extra: Record<string, unknown> = {}) => ({
  studentId,
  reason: 'illness' as const,
  noticeDate: '2026-10-14', // Wed: counting from Thu 15, to Fri 16 → 2 × 6.00 = 12.00
  lastDay: '2026-10-16',
  appliedOn: '2026-10-14',
  teacherName: '黄老师',
  teacherConfirmedOn: '2026-10-15',
  ...extra,
});

function auditAfter(s: FeeSchool, entity: string, action: string): { at: string; after: Record<string, unknown> }[] {
  return (s.b.db.prepare('SELECT at, after FROM audit_log WHERE entity = ? AND action = ? ORDER BY seq').all(entity, action) as { at: string; after: string }[]).map((r) => ({
    at: r.at,
    after: JSON.parse(r.after) as Record<string, unknown>,
  }));
}

describe('back-filling October on 2026-11-20', () => {
  it('books a receipt, a refund approved on 10-15 and paid on 10-16 on their own dates; the audit keeps both dates', async () => {
    s = await feeSchool();
    s.setToday('2026-11-20');
    const wang = s.students['王小明'].id;
    const [r] = await s.b.call('fees.collect', { period: '2026-10', method: 'cash', date: '2026-10-08', items: [{ studentId: wang }] });
    expect(r).toMatchObject({ number: 'SJ2026-0001', date: '2026-10-08', amountFen: 10200 }); // 17 × 6.00

    const refund = await s.b.call('refunds.create', refundInput(wang, { approvedOn: '2026-10-15' }));
    expect(refund).toMatchObject({ number: 'TF2026-0001', approvedOn: '2026-10-15', days: 2, amountFen: 1200, firstDay: '2026-10-15', lastDay: '2026-10-16', status: 'approved' });
    const before = tableDigest(s.b);
    expect(await s.b.reject('refunds.pay', { id: refund.id, paidOn: '2026-10-14', method: 'bank' })).toMatchObject({ code: 'RULE', message: '退付日期不能早于批准日期' });
    expect(tableDigest(s.b)).toBe(before);
    const paid = await s.b.call('refunds.pay', { id: refund.id, paidOn: '2026-10-16', method: 'bank' });
    expect(paid).toMatchObject({ status: 'paid', paidOn: '2026-10-16', approvedOn: '2026-10-15' });

    const entries = s.b.db.prepare(`SELECT entry_date, memo FROM journal_entries WHERE source_id IN (?, ?) ORDER BY entry_date`).all(r.id, refund.id);
    expect(entries).toEqual([
      { entry_date: '2026-10-08', memo: '收伙食费 SJ2026-0001 一(1)班 王小明 2026年10月（现金）' },
      { entry_date: '2026-10-15', memo: '退费 TF2026-0001 一(1)班 王小明 生病 2 天' },
      { entry_date: '2026-10-16', memo: '退付 TF2026-0001 一(1)班 王小明（银行转账）' },
    ]);
    // The document date in every audit entry under one key; the entry's own time is when it was typed.
    const typed = '2026-11-20T02:00:00.000Z';
    expect(auditAfter(s, 'fee_receipt', 'create').map((a) => [a.at, a.after.documentDate])).toEqual([[typed, '2026-10-08']]);
    expect(auditAfter(s, 'fee_refund', 'create').map((a) => [a.at, a.after.documentDate])).toEqual([[typed, '2026-10-15']]);
    expect(auditAfter(s, 'fee_refund', 'pay').map((a) => [a.at, a.after.documentDate])).toEqual([[typed, '2026-10-16']]);
    expect(auditAfter(s, 'journal_entry', 'post').map((a) => [a.at, a.after.documentDate])).toEqual([
      [typed, '2026-10-08'],
      [typed, '2026-10-15'],
      [typed, '2026-10-16'],
    ]);
  });

  it('refuses an approval after today, or before the application or the teacher’s confirmation, writing nothing', async () => {
    s = await feeSchool();
    s.setToday('2026-11-20');
    await s.b.call('fees.collect', { period: '2026-10', method: 'bank', date: '2026-10-08', items: [{ studentId: s.students['王小明'].id }] });
    const before = tableDigest(s.b);
    const wang = s.students['王小明'].id;
    expect(await s.b.reject('refunds.create', refundInput(wang, { approvedOn: '2026-11-21' }))).toMatchObject({ code: 'RULE', message: '批准日期 2026-11-21 晚于今天 2026-11-20，不能预先记账' });
    const both = await s.b.reject('refunds.create', refundInput(wang, { approvedOn: '2026-10-13' }));
    expect(both).toMatchObject({ code: 'VALIDATION', message: '输入有 2 处问题：申请日期不能晚于批准日期等' });
    expect(both.issues?.map((i) => [i.path, i.message])).toEqual([['appliedOn', '申请日期不能晚于批准日期'], ['teacherConfirmedOn', '班主任确认日期不能晚于批准日期']]);
    expect(await s.b.reject('refunds.create', refundInput(wang, { approvedOn: '2026-10-14' }))).toMatchObject({ code: 'VALIDATION', message: '班主任确认日期不能晚于批准日期' });
    expect(tableDigest(s.b)).toBe(before);
  });

  it('a cash receipt on or before a cleared day is refused; a bank receipt and a refund on that day are not', async () => {
    s = await feeSchool();
    s.setToday('2026-11-20');
    await s.b.call('fees.collect', { period: '2026-10', method: 'cash', date: '2026-10-08', items: [{ studentId: s.students['王小明'].id }] });
    await s.b.loginAs('accountant');
    await s.b.call('clearing.confirm', { date: '2026-11-02', countedFen: 10200 });
    await s.b.loginAs('cashier');
    const before = tableDigest(s.b);
    const e = await s.b.reject('fees.collect', { period: '2026-10', method: 'cash', date: '2026-10-09', items: [{ studentId: s.students['刘洋'].id }] });
    expect(e).toMatchObject({ code: 'LOCKED', message: '2026-10-09（2026-11-02 及之前） 的现金已日清结账，不能再记入收款；请改在日清之后的日期办理' });
    expect(tableDigest(s.b)).toBe(before);
    const [bank] = await s.b.call('fees.collect', { period: '2026-10', method: 'bank', date: '2026-10-09', items: [{ studentId: s.students['刘洋'].id }] });
    expect(bank).toMatchObject({ date: '2026-10-09', amountFen: 10200 });
    const refund = await s.b.call('refunds.create', refundInput(s.students['刘洋'].id, { approvedOn: '2026-10-15' }));
    expect(refund).toMatchObject({ approvedOn: '2026-10-15', amountFen: 1200 });
  });

  it('the month-close checklist lists entries typed more than N days after their date (N in the profile)', async () => {
    s = await feeSchool();
    s.setToday('2026-10-12');
    const wang = s.students['王小明'].id;
    // Typed on the day, and two days late: within N = 3, not listed.
    await s.b.call('fees.collect', { period: '2026-10', method: 'bank', date: '2026-10-12', items: [{ studentId: s.students['张伟'].id }] });
    await s.b.call('fees.collect', { period: '2026-10', method: 'bank', date: '2026-10-09', items: [{ studentId: s.students['李小红'].id }] });
    s.setToday('2026-11-20');
    await s.b.call('fees.collect', { period: '2026-10', method: 'cash', date: '2026-10-08', items: [{ studentId: wang }] });
    const refund = await s.b.call('refunds.create', refundInput(wang, { approvedOn: '2026-10-15' }));
    await s.b.call('refunds.pay', { id: refund.id, paidOn: '2026-10-16', method: 'bank' });
    await s.b.loginAs('accountant');
    const item = async () => (await s.b.call('monthclose.get', { month: '2026-10' })).checklist?.find((i) => i.key === 'backdated');
    expect(await item()).toMatchObject({
      ok: true,
      informational: true,
      label: '补录的单据（录入晚于单据日期 3 天以上）',
      detail: '本月有 3 笔记账晚于单据日期 3 天以上录入（单据日期、录入时间、录入人、内容），请审核人知悉',
      missing: [
        '单据日期 2026-10-08，2026-11-20 10:00 由 陈出纳 录入（晚 43 天）：收伙食费 SJ2026-0003 一(1)班 王小明 2026年10月（现金）',
        '单据日期 2026-10-15，2026-11-20 10:00 由 陈出纳 录入（晚 36 天）：退费 TF2026-0001 一(1)班 王小明 生病 2 天',
        '单据日期 2026-10-16，2026-11-20 10:00 由 陈出纳 录入（晚 35 天）：退付 TF2026-0001 一(1)班 王小明（银行转账）',
      ],
    });
    await s.b.loginAs('admin');
    const school = await s.b.call('school.get', {});
    expect(school.profile.backdateWarnDays).toBe(3);
    // In force from September (profile versions, issue 14 §5): a change made on 2026-11-20 would otherwise start in November.
    await s.b.call('school.update', { name: school.name, profile: { ...school.profile, backdateWarnDays: 40 }, effectiveFrom: '2026-09' });
    await s.b.loginAs('accountant');
    expect((await item())?.missing).toEqual(['单据日期 2026-10-08，2026-11-20 10:00 由 陈出纳 录入（晚 43 天）：收伙食费 SJ2026-0003 一(1)班 王小明 2026年10月（现金）']);
    // September: nothing late.
    expect((await s.b.call('monthclose.get', { month: '2026-09' })).checklist?.find((i) => i.key === 'backdated')).toMatchObject({ missing: [], detail: '本月没有晚于单据日期 40 天以上录入的记账' });
  });
});

describe('a refund counts from its notice date, whatever day it is typed', () => {
  for (const [typedOn, approvedOn] of [
    ['2026-10-15', undefined],
    ['2026-10-23', '2026-10-15'],
    ['2026-11-20', '2026-10-15'],
    ['2026-11-20', '2026-11-20'],
  ] as const) {
    it(`typed on ${typedOn}, approved ${approvedOn ?? 'that day'}: 2 days, 12.00`, async () => {
      s = await feeSchool();
      s.setToday('2026-10-08');
      await s.b.call('fees.collect', { period: '2026-10', method: 'bank', items: [{ studentId: s.students['王小明'].id }] });
      s.setToday(typedOn);
      const refund = await s.b.call('refunds.create', refundInput(s.students['王小明'].id, approvedOn ? { approvedOn } : {}));
      expect(refund).toMatchObject({ days: 2, amountFen: 1200, firstDay: '2026-10-15', lastDay: '2026-10-16', approvedOn: approvedOn ?? typedOn });
    });
  }
});
