import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeClosedMonthChecksum } from '../../electron/core/domains/monthclose/index.ts';
import { tableDigest } from '../helpers/backend.ts';
import { septemberSchool, type SeptSchool } from './monthclose-fixture.ts';

/**
 * Issue 14: a void is booked on a date of its own, in an open month, never back-dated into a closed one. September
 * (monthclose-fixture.ts: 王小明's cash receipt of 2026-09-01 for 午餐 21 × 6.00 = 126.00) is closed; the clock reads
 * 2026-10-08. The receipt is voided on 2026-10-05: its reversal is October's (收取 −126.00 there), September's
 * published figures and checksum stay. A refund approved on 2026-10-07 (张伟, notice 09-28, so 29 and 30 September:
 * 2 × 15.00 = 30.00) cannot be voided before its approval nor in September; left undated its void is today's.
 */

const LOCK_TAIL = '不能再记账；如需更正请由审核人填写理由后反结账';

describe('void dates', { timeout: 240_000 }, () => {
  let s: SeptSchool;
  let checksum: string;
  beforeAll(async () => {
    s = await septemberSchool();
    const b = s.w.b;
    await b.loginAs('accountant');
    await b.call('monthclose.submit', { month: '2026-09' });
    await b.loginAs('reviewer');
    checksum = (await b.call('monthclose.approve', { month: '2026-09' })).checksumHex!;
  });
  afterAll(() => s.w.b.cleanup());

  it('a receipt of a closed month is voided on a day of an open month, and the closed month stays as published', async () => {
    const b = s.w.b;
    await b.loginAs('cashier');
    const receipt = (await b.call('receipts.list', { studentId: s.students['王小明'].id, limit: 10 }))[0];
    expect([receipt.date, receipt.amountFen]).toEqual(['2026-09-01', 12_600]);
    const before = tableDigest(b);
    // Inside the closed September: refused, nothing written.
    expect(await b.reject('receipts.void', { id: receipt.id, reason: '收错了学生', voidDate: '2026-09-30' })).toMatchObject({ code: 'LOCKED', message: `2026年9月已月结锁定，${LOCK_TAIL}` });
    // After today: refused.
    expect(await b.reject('receipts.void', { id: receipt.id, reason: '收错了学生', voidDate: '2026-10-09' })).toMatchObject({ code: 'RULE', message: '作废日期 2026-10-09 晚于今天 2026-10-08，不能预先记账' });
    expect(tableDigest(b)).toBe(before);

    const v = await b.call('receipts.void', { id: receipt.id, reason: '收错了学生', voidDate: '2026-10-05' });
    expect([v.status, v.voidDate]).toEqual(['void', '2026-10-05']);
    const rev = b.db.prepare(`SELECT entry_date FROM journal_entries WHERE source_id = ? AND reverses IS NOT NULL`).all(receipt.id);
    expect(rev).toEqual([{ entry_date: '2026-10-05' }]);

    await b.loginAs('accountant');
    // September as published: 收取 651.00; October carries the void: 收取 −126.00.
    const sep = (await b.call('monthclose.get', { month: '2026-09' })).summary.current;
    expect(sep.feesCollectedFen).toBe(65_100);
    const oct = (await b.call('monthclose.get', { month: '2026-10' })).summary.current;
    expect(oct.feesCollectedFen).toBe(-12_600);
    expect(recomputeClosedMonthChecksum(b.db, '2026-09')).toMatchObject({ ok: true, storedChecksum: checksum });
    const ex = await b.call('monthclose.export', { month: '2026-09', dir: path.join(b.dir, 'sep'), pdf: false });
    expect(ex.checksumHex).toBe(checksum);
  });

  it('a refund is voided on or after its approval, never in a closed month; undated, today', async () => {
    const b = s.w.b;
    await b.loginAs('cashier');
    const r = await b.call('refunds.create', {
      studentId: s.students['张伟'].id,
      reason: 'illness',
      noticeDate: '2026-09-28',
      lastDay: '2026-09-30',
      appliedOn: '2026-10-06',
      teacherName: '王老师',
      teacherConfirmedOn: '2026-10-06',
      approvedOn: '2026-10-07',
    });
    expect([r.days, r.amountFen]).toEqual([2, 3_000]);
    const before = tableDigest(b);
    expect(await b.reject('refunds.void', { id: r.id, reason: '家长撤回申请', voidDate: '2026-10-06' })).toMatchObject({
      code: 'RULE',
      message: `作废日期 2026-10-06 早于退费 ${r.number} 的批准日期 2026-10-07，不能在批准之前作废`,
    });
    expect(await b.reject('refunds.void', { id: r.id, reason: '家长撤回申请', voidDate: '2026-09-29' })).toMatchObject({ code: 'LOCKED', message: `2026年9月已月结锁定，${LOCK_TAIL}` });
    expect(tableDigest(b)).toBe(before);
    const v = await b.call('refunds.void', { id: r.id, reason: '家长撤回申请' });
    expect(v.status).toBe('void');
    expect(b.db.prepare(`SELECT entry_date FROM journal_entries WHERE source_id = ? AND reverses IS NOT NULL`).all(r.id)).toEqual([{ entry_date: '2026-10-08' }]);
  });
});
