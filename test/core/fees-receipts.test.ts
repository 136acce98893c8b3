import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { PASSWORD, tableDigest } from '../helpers/backend.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

const SUBSIDY_ACCOUNTS = ['subsidy_bank', 'subsidy_receivable', 'income:subsidy'];

describe('collecting fees (收据)', () => {
  it('quotes school days × daily rate and collects a whole class, one numbered receipt each', async () => {
    s = await feeSchool();
    const q = await s.b.call('fees.quote', { period: '2026-09', className: '一(1)班' });
    // 21 school days: 午餐 21 × 6.00 = 126.00, 两餐 21 × 10.00 = 210.00, 三餐寄宿 21 × 15.00 = 315.00
    expect(q.map((r) => [r.student.name, r.days, r.standardFen])).toEqual([
      ['王小明', 21, 12600],
      ['李小红', 21, 21000],
      ['张伟', 21, 31500],
    ]);
    const receipts = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: q.map((r) => ({ studentId: r.student.id })) });
    expect(receipts.map((r) => [r.number, r.amountFen, r.periodLabel, r.date])).toEqual([
      ['SJ2026-0001', 12600, '2026年9月', '2026-09-15'],
      ['SJ2026-0002', 21000, '2026年9月', '2026-09-15'],
      ['SJ2026-0003', 31500, '2026年9月', '2026-09-15'],
    ]);
    // What collect returns (built from the row it wrote) is what reading the receipt back gives, field for field.
    for (const r of receipts) expect(await s.b.call('receipts.get', { id: r.id })).toEqual(r);
    expect(receipts[0]).toMatchObject({ studentName: '王小明', className: '一(1)班', method: 'cash', status: 'valid', voidReason: null, voidedByName: null, days: 21, dailyRateFen: 600, standardFen: 12600 });
    expect(receipts[0].createdByName).not.toBe('');
    expect(s.balance('cash')).toBe(65100);
    expect(s.balance('income:fees')).toBe(-65100);
    const again = await s.b.call('fees.quote', { period: '2026-09', className: '一(1)班' });
    expect(again.map((r) => r.paidReceipt)).toEqual(['SJ2026-0001', 'SJ2026-0002', 'SJ2026-0003']);
  });

  it('posts bank, 微信 and 支付宝 to their accounts and never to a subsidy account', async () => {
    s = await feeSchool();
    const st = s.students;
    await s.b.call('fees.collect', { period: '2026-09', method: 'bank', items: [{ studentId: st['王小明'].id }] });
    await s.b.call('fees.collect', { period: '2026-09', method: 'wechat', items: [{ studentId: st['李小红'].id }] });
    await s.b.call('fees.collect', { period: '2026-09', method: 'alipay', items: [{ studentId: st['张伟'].id }] });
    expect(s.balance('bank')).toBe(12600);
    expect(s.balance('ewallet')).toBe(21000 + 31500);
    expect(s.balance('cash')).toBe(0);
    const touched = s.b.db
      .prepare(`SELECT DISTINCT p.account FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.source_type = 'fee_receipt'`)
      .all() as { account: string }[];
    expect(touched.map((t) => t.account).filter((a) => SUBSIDY_ACCOUNTS.includes(a))).toEqual([]);
  });

  it('keeps numbers gapless and unique under interleaved calls from two connections', async () => {
    s = await feeSchool();
    const other = openBackend({ file: s.b.file, now: () => new Date('2026-09-15T03:00:00Z') });
    try {
      const login = await other.invoke('auth.login', { username: 'accountant', password: PASSWORD });
      expect(login.ok).toBe(true);
      const ids = Object.values(s.students).map((x) => x.id);
      const calls = ids.map((id, i) =>
        (i % 2 === 0 ? s.b : other).invoke('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: id }] }),
      );
      // The October collection interleaves too, from both connections at once.
      const octCalls = ids.map((id, i) => (i % 2 === 1 ? s.b : other).invoke('fees.collect', { period: '2026-10', method: 'bank', items: [{ studentId: id }] }));
      const results = await Promise.all([...calls, ...octCalls]);
      expect(results.every((r) => r.ok)).toBe(true);
      const numbers = (s.b.db.prepare('SELECT number FROM fee_receipts ORDER BY number').all() as { number: string }[]).map((r) => r.number);
      expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => `SJ2026-${String(i + 1).padStart(4, '0')}`));
    } finally {
      other.close();
    }
  });

  it('gives a refused batch its numbers back and keeps a voided number in the sequence', async () => {
    s = await feeSchool();
    const st = s.students;
    await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['王小明'].id }] });
    const before = tableDigest(s.b);
    // The second item is already paid: the whole batch is refused, the first item's number is not used up.
    const err = await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['李小红'].id }, { studentId: st['王小明'].id }] });
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('SJ2026-0001');
    expect(tableDigest(s.b)).toBe(before);
    const [second] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['李小红'].id }] });
    expect(second.number).toBe('SJ2026-0002');
    const voided = await s.b.call('receipts.void', { id: second.id, reason: '金额收错，重开' });
    expect(voided).toMatchObject({ number: 'SJ2026-0002', status: 'void', voidReason: '金额收错，重开', voidDate: '2026-09-15' });
    const [third] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['李小红'].id }] });
    expect(third.number).toBe('SJ2026-0003');
    const all = await s.b.call('receipts.list', {});
    expect(all.map((r) => [r.number, r.status])).toEqual([
      ['SJ2026-0001', 'valid'],
      ['SJ2026-0002', 'void'],
      ['SJ2026-0003', 'valid'],
    ]);
    // 126.00 + 210.00 − 210.00 (void) + 210.00
    expect(s.balance('cash')).toBe(12600 + 21000);
    expect(s.balance('income:fees')).toBe(-(12600 + 21000));
    const reversal = s.b.db.prepare(`SELECT count(*) AS n FROM journal_entries WHERE source_id = ? AND reverses IS NOT NULL`).get(second.id) as { n: number };
    expect(reversal.n).toBe(1);
    // Every write is in the audit chain with who did it: three receipts, one void.
    const audits = s.b.db
      .prepare(`SELECT a.action, u.username, count(*) AS n FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.entity = 'fee_receipt' GROUP BY a.action, u.username ORDER BY a.action`)
      .all();
    expect(audits).toEqual([
      { action: 'create', username: 'cashier', n: 3 },
      { action: 'void', username: 'cashier', n: 1 },
    ]);
  });

  it('needs a reason to change the amount, and writes nothing without one', async () => {
    s = await feeSchool();
    const id = s.students['王小明'].id;
    const before = tableDigest(s.b);
    const err = await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: id, amountFen: 10000 }] });
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('请填写理由');
    expect(tableDigest(s.b)).toBe(before);
    const [r] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: id, amountFen: 10000, overrideReason: '9月1日至4日未入学' }] });
    expect(r).toMatchObject({ amountFen: 10000, standardFen: 12600, overrideReason: '9月1日至4日未入学', number: 'SJ2026-0001' });
  });

  it('refuses bad input, the wrong roles, a closed month and a period kind the profile does not use; each writes nothing', async () => {
    s = await feeSchool();
    const id = s.students['王小明'].id;
    const before = tableDigest(s.b);
    const bad: [unknown, string][] = [
      [{ period: '2026-13', method: 'cash', items: [{ studentId: id }] }, 'VALIDATION'],
      [{ period: '2026-09', method: 'card', items: [{ studentId: id }] }, 'VALIDATION'],
      [{ period: '2026-09', method: 'cash', items: [] }, 'VALIDATION'],
      [{ period: '2026-09', method: 'cash', items: [{ studentId: id, amountFen: -5, overrideReason: 'x' }] }, 'VALIDATION'],
      [{ period: '2026-09', method: 'cash', items: [{ studentId: id }, { studentId: id }] }, 'VALIDATION'],
      [{ period: '2026-09', method: 'cash', date: '2026-09-16', items: [{ studentId: id }] }, 'RULE'], // tomorrow
      [{ period: '2026-11', method: 'cash', items: [{ studentId: id }] }, 'RULE'], // no school days set
      [{ period: '2026秋', method: 'cash', items: [{ studentId: id }] }, 'RULE'], // the profile collects by month
    ];
    for (const [input, code] of bad) {
      const e = await s.b.reject('fees.collect', input);
      expect(e.code, JSON.stringify(input)).toBe(code);
      expect(e.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(tableDigest(s.b)).toBe(before);
    for (const who of ['storekeeper', 'reviewer', 'parent']) {
      await s.b.loginAs(who);
      const d = tableDigest(s.b);
      expect((await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: id }] })).code).toBe('FORBIDDEN');
      expect(tableDigest(s.b)).toBe(d);
    }
    await s.b.loginAs('cashier');
    s.b.db.prepare(`INSERT INTO closed_periods (period, closed_at, closed_by) VALUES ('2026-08', '2026-09-05T00:00:00Z', 'x')`).run();
    const d2 = tableDigest(s.b);
    const closed = await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', date: '2026-08-31', items: [{ studentId: id }] });
    expect(closed.code).toBe('LOCKED');
    expect(closed.message).toContain('2026年8月已月结');
    expect(tableDigest(s.b)).toBe(d2);
  });

  it('lets the accountant stand in, but not for an inactive student', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const st = s.students['陈静'];
    await s.b.call('students.update', { id: st.id, name: st.name, className: st.className, mealPlan: st.mealPlan, subsidyEligible: false, active: false });
    await s.b.loginAs('accountant');
    const e = await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st.id }] });
    expect(e.code).toBe('RULE');
    expect(e.message).toContain('已离校');
    const [r] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: s.students['刘洋'].id }] });
    expect(r.createdByName).toBe('刘会计');
  });

  it('holds receipts immutable in SQL: no edits, no deletes, void only with a reason', async () => {
    s = await feeSchool();
    const [r] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: s.students['王小明'].id }] });
    const db = s.b.db;
    expect(() => db.prepare('UPDATE fee_receipts SET amount_fen = 1 WHERE id = ?').run(r.id)).toThrow(/不能修改/);
    expect(() => db.prepare('DELETE FROM fee_receipts WHERE id = ?').run(r.id)).toThrow(/不能删除/);
    expect(() => db.prepare(`UPDATE fee_receipts SET status = 'void' WHERE id = ?`).run(r.id)).toThrow(/CHECK/);
    expect(() =>
      db.prepare(`UPDATE fee_receipts SET status = 'void', void_reason = ' ', void_date = '2026-09-15', voided_at = 'x', voided_by = 'y' WHERE id = ?`).run(r.id),
    ).toThrow(/CHECK/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO fee_receipts (id, origin, number, receipt_date, student_id, period_key, period_label, period_start, period_end, days, daily_rate_fen, amount_fen, method, created_at, created_by)
           VALUES ('x', 'o', 'SJX', '2026-09-15', ?, '2026-10', 'x', '2026-10-01', '2026-10-31', 17, 600, 5000, 'cash', 'x', 'y')`,
        )
        .run(s.students['王小明'].id),
    ).toThrow(/CHECK/); // amount ≠ days × rate without a reason
    await s.b.call('receipts.void', { id: r.id, reason: '重复收费' });
    const again = await s.b.reject('receipts.void', { id: r.id, reason: '再次' });
    expect(again.code).toBe('CONFLICT');
    expect(() => db.prepare(`UPDATE fee_receipts SET status = 'valid', void_reason = NULL, void_date = NULL, voided_at = NULL, voided_by = NULL WHERE id = ?`).run(r.id)).toThrow(/不能修改/);
  });

  it('collects by term where the profile says so', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const school = await s.b.call('school.get', {});
    await s.b.call('school.update', { name: school.name, profile: { ...school.profile, feePeriod: 'term' } });
    await s.b.call('terms.save', { code: '2026秋', name: '2026年秋季学期', startDate: '2026-09-01', endDate: '2026-10-31' });
    await s.b.loginAs('cashier');
    const monthly = await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: s.students['王小明'].id }] });
    expect(monthly.code).toBe('RULE');
    const [r] = await s.b.call('fees.collect', { period: '2026秋', method: 'cash', items: [{ studentId: s.students['王小明'].id }] });
    // 21 + 17 = 38 school days × 6.00 = 228.00
    expect(r).toMatchObject({ days: 38, amountFen: 22800, periodLabel: '2026年秋季学期' });
  });
});
