import { afterEach, describe, expect, it } from 'vitest';
import { tableDigest } from '../helpers/backend.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

async function paySeptember(period = '2026-09') {
  const ids = Object.values(s.students).map((x) => ({ studentId: x.id }));
  return s.b.call('fees.collect', { period, method: 'cash', items: ids });
}

async function setProfile(patch: Record<string, unknown>) {
  await s.b.loginAs('admin');
  const school = await s.b.call('school.get', {});
  await s.b.call('school.update', { name: school.name, profile: { ...school.profile, ...patch } });
  await s.b.loginAs('cashier');
}

const base = { appliedOn: '2026-09-14', teacherName: '黄老师', teacherConfirmedOn: '2026-09-14' };

describe('refund arithmetic (退费天数 × 日标准)', () => {
  it('counts from the day after a Friday notice: the weekend is skipped, Mon–Wed count', async () => {
    s = await feeSchool();
    await paySeptember();
    const q = await s.b.call('refunds.quote', { studentId: s.students['王小明'].id, reason: 'illness', noticeDate: '2026-09-11', lastDay: '2026-09-16' });
    // Fri 11 is the notice day; Sat 12, Sun 13 are not school days; Mon 14, Tue 15, Wed 16 → 3 × 6.00
    expect(q.dayList.map((d) => d.day)).toEqual(['2026-09-14', '2026-09-15', '2026-09-16']);
    expect(q).toMatchObject({ days: 3, amountFen: 1800, firstDay: '2026-09-14', lastDay: '2026-09-16' });
  });

  it('counts the notice day itself when the profile says so', async () => {
    s = await feeSchool();
    await setProfile({ refundFromNextDay: false });
    await paySeptember();
    const q = await s.b.call('refunds.quote', { studentId: s.students['张伟'].id, reason: 'leave', noticeDate: '2026-09-11', lastDay: '2026-09-16' });
    // Fri 11, Mon 14, Tue 15, Wed 16 → 4 × 15.00
    expect(q).toMatchObject({ days: 4, amountFen: 6000, firstDay: '2026-09-11' });
  });

  it('at the month end: the next day falls in an unpaid month, so only paid days are refunded', async () => {
    s = await feeSchool();
    await paySeptember();
    const id = s.students['李小红'].id;
    // Notice on Wed 30 Sep: counting starts 1 Oct, which nobody has paid for → nothing to refund.
    const none = await s.b.call('refunds.quote', { studentId: id, reason: 'transfer', noticeDate: '2026-09-30', lastDay: '2026-10-31' });
    expect(none).toMatchObject({ days: 0, amountFen: 0 });
    const before = tableDigest(s.b);
    const e = await s.b.reject('refunds.create', { ...base, studentId: id, reason: 'transfer', noticeDate: '2026-09-30', lastDay: '2026-10-31' });
    expect(e.code).toBe('RULE');
    expect(tableDigest(s.b)).toBe(before);
    // Notice on Tue 29 Sep: Wed 30 Sep counts (paid); October is not paid.
    const one = await s.b.call('refunds.quote', { studentId: id, reason: 'transfer', noticeDate: '2026-09-29', lastDay: '2026-10-31' });
    expect(one).toMatchObject({ days: 1, amountFen: 1000, firstDay: '2026-09-30', lastDay: '2026-09-30' });
    // With October paid too, the National Day week is skipped: 30 Sep + 8, 9 Oct (to Fri 9 Oct) = 3 × 10.00
    await paySeptember('2026-10');
    const three = await s.b.call('refunds.quote', { studentId: id, reason: 'transfer', noticeDate: '2026-09-29', lastDay: '2026-10-09' });
    expect(three.dayList.map((d) => d.day)).toEqual(['2026-09-30', '2026-10-08', '2026-10-09']);
    expect(three.amountFen).toBe(3000);
  });

  it('refunds a canteen fault from the affected day itself', async () => {
    s = await feeSchool();
    await paySeptember();
    const q = await s.b.call('refunds.quote', { studentId: s.students['刘洋'].id, reason: 'canteen', noticeDate: '2026-09-14', lastDay: '2026-09-14' });
    expect(q).toMatchObject({ days: 1, amountFen: 600 });
  });

  it('uses the rate the family paid, not a rate changed since', async () => {
    s = await feeSchool();
    await paySeptember();
    await s.b.loginAs('accountant');
    await s.b.call('mealPlans.update', { code: 'lunch', dailyRateFen: 700 });
    const q = await s.b.call('refunds.quote', { studentId: s.students['王小明'].id, reason: 'leave', noticeDate: '2026-09-14', lastDay: '2026-09-16' });
    expect(q).toMatchObject({ days: 2, amountFen: 1200 });
  });
});

describe('refund records, payout and deadline', () => {
  it('approves with the teacher’s confirmation, posts to 应付退费, pays out in cash, and refuses overlaps', async () => {
    s = await feeSchool();
    await paySeptember();
    const id = s.students['王小明'].id;
    const r = await s.b.call('refunds.create', { ...base, studentId: id, reason: 'illness', noticeDate: '2026-09-11', lastDay: '2026-09-15', note: '发烧' });
    expect(r).toMatchObject({ number: 'TF2026-0001', days: 2, amountFen: 1200, status: 'approved', teacherName: '黄老师', overdue: false });
    expect(s.balance('income:refunds')).toBe(1200);
    expect(s.balance('refunds_payable')).toBe(-1200);
    const before = tableDigest(s.b);
    const clash = await s.b.reject('refunds.create', { ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-14', lastDay: '2026-09-18' });
    expect(clash.code).toBe('CONFLICT');
    expect(clash.message).toContain('TF2026-0001');
    expect(tableDigest(s.b)).toBe(before);
    const cashBefore = s.balance('cash');
    const paid = await s.b.call('refunds.pay', { id: r.id, paidOn: '2026-09-15', method: 'cash' });
    expect(paid).toMatchObject({ status: 'paid', paidOn: '2026-09-15', payMethod: 'cash' });
    expect(s.balance('refunds_payable')).toBe(0);
    expect(s.balance('cash')).toBe(cashBefore - 1200);
    const v = await s.b.reject('refunds.void', { id: r.id, reason: '误录' });
    expect(v.code).toBe('CONFLICT');
    const again = await s.b.reject('refunds.pay', { id: r.id, paidOn: '2026-09-15', method: 'cash' });
    expect(again.code).toBe('CONFLICT');
  });

  it('voids an unpaid refund by reversing it, after which the days may be refunded again', async () => {
    s = await feeSchool();
    await paySeptember();
    const id = s.students['张伟'].id;
    const r = await s.b.call('refunds.create', { ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-14', lastDay: '2026-09-15' });
    expect(r.amountFen).toBe(1500);
    await s.b.call('refunds.void', { id: r.id, reason: '学生未请假' });
    expect(s.balance('income:refunds')).toBe(0);
    expect(s.balance('refunds_payable')).toBe(0);
    const r2 = await s.b.call('refunds.create', { ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-14', lastDay: '2026-09-15' });
    expect(r2.number).toBe('TF2026-0002');
  });

  it('refuses bad refund input and writes nothing', async () => {
    s = await feeSchool();
    await paySeptember();
    const id = s.students['王小明'].id;
    const before = tableDigest(s.b);
    const cases: [unknown, string][] = [
      [{ ...base, studentId: id, reason: 'holiday', noticeDate: '2026-09-11', lastDay: '2026-09-15' }, 'VALIDATION'],
      [{ ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-15', lastDay: '2026-09-11' }, 'VALIDATION'],
      [{ ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-11', lastDay: '2026-09-15', teacherName: ' ' }, 'VALIDATION'],
      [{ ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-11', lastDay: '2026-09-15', teacherConfirmedOn: '2026-09-13' }, 'VALIDATION'],
      [{ ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-11', lastDay: '2026-09-15', appliedOn: '2026-09-20', teacherConfirmedOn: '2026-09-20' }, 'RULE'],
      [{ ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-12', lastDay: '2026-09-13' }, 'RULE'], // a weekend only
    ];
    for (const [input, code] of cases) {
      const e = await s.b.reject('refunds.create', input);
      expect(e.code, JSON.stringify(input)).toBe(code);
    }
    expect(tableDigest(s.b)).toBe(before);
  });

  it('flags a refund unpaid past 15 working days (Mon–Fri after the application) on the home page', async () => {
    s = await feeSchool();
    await paySeptember();
    const r = await s.b.call('refunds.create', { ...base, appliedOn: '2026-09-01', teacherConfirmedOn: '2026-09-02', studentId: s.students['陈静'].id, reason: 'leave', noticeDate: '2026-09-14', lastDay: '2026-09-16' });
    // 2–4, 7–11, 14, 15 Sep: 10 working days after 1 Sep.
    expect(r).toMatchObject({ workingDaysOpen: 10, overdue: false });
    s.setToday('2026-09-22'); // + 16, 17, 18, 21, 22 = 15: at the limit, not past it
    expect((await s.b.call('refunds.list', { overdueOnly: true })).length).toBe(0);
    s.setToday('2026-09-23'); // 16 working days
    const overdue = await s.b.call('refunds.list', { overdueOnly: true });
    expect(overdue.map((x) => [x.number, x.workingDaysOpen])).toEqual([['TF2026-0001', 16]]);
    const home = await s.b.call('home.attention', {});
    expect(home.filter((h) => h.kind === 'refund_overdue').map((h) => h.title)).toEqual(['退费 TF2026-0001 逾期未退付：一(2)班 陈静 12.00 元']);
    await s.b.call('refunds.pay', { id: r.id, paidOn: '2026-09-23', method: 'bank' });
    expect((await s.b.call('home.attention', {})).filter((h) => h.kind === 'refund_overdue')).toEqual([]);
  });
});

describe('term-end settlement (多退少补)', () => {
  it('sets paid less refunds against the days eaten at the paid rate', async () => {
    s = await feeSchool();
    const st = s.students;
    await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['王小明'].id }, { studentId: st['李小红'].id, amountFen: 20000, overrideReason: '家庭困难减免' }] });
    await s.b.call('refunds.create', { ...base, studentId: st['王小明'].id, reason: 'illness', noticeDate: '2026-09-11', lastDay: '2026-09-16' });
    const rows = await s.b.call('fees.settlement', { from: '2026-09-01', to: '2026-09-30', className: '一(1)班' });
    const byName = Object.fromEntries(rows.map((r) => [r.student.name, r]));
    // 王小明: paid 126.00, refunded 3 days 18.00, ate 18 days × 6.00 = 108.00 → 0
    expect(byName['王小明']).toMatchObject({ schoolDays: 21, refundedDays: 3, eatenDays: 18, paidFen: 12600, refundedFen: 1800, dueFen: 10800, balanceFen: 0 });
    // 李小红: paid 200.00 for 21 × 10.00 = 210.00 → 10.00 still to pay
    expect(byName['李小红']).toMatchObject({ eatenDays: 21, paidFen: 20000, dueFen: 21000, balanceFen: -1000 });
    // 张伟 never paid: 21 × 15.00 = 315.00 due
    expect(byName['张伟']).toMatchObject({ paidFen: 0, dueFen: 31500, balanceFen: -31500 });
  });
});
