import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { feeSchool, OCT_DAYS, SEPT_DAYS, type FeeSchool } from './fees-fixture.ts';

/**
 * Issue 14 §6: a refund gives back what the receipt actually charged per day, not the meal plan's rate. Fixture:
 * September has 21 school days; 两餐 10.00 元/天 (standard 210.00), 午餐 6.00 元/天 (standard 126.00).
 */

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

const base = { appliedOn: '2026-09-30', teacherName: '黄老师', teacherConfirmedOn: '2026-09-30' };

describe('refunds of a receipt collected at an overridden amount', () => {
  it('21 days collected as 71.40 (3.40 a day): 20 days give back 68.00, the last day 3.40 — 71.40 in all, not 200.00', async () => {
    s = await feeSchool();
    s.setToday('2026-09-30');
    const id = s.students['李小红'].id;
    const [r] = await s.b.call('fees.collect', { period: '2026-09', method: 'bank', items: [{ studentId: id, amountFen: 7140, overrideReason: '低保家庭减免' }] });
    expect(r).toMatchObject({ days: 21, dailyRateFen: 1000, standardFen: 21000, amountFen: 7140 });
    // Notice Tue 1 Sep: counted from Wed 2 Sep to Wed 30 Sep = 20 school days × 3.40.
    const q = await s.b.call('refunds.quote', { studentId: id, reason: 'transfer', noticeDate: '2026-09-01', lastDay: '2026-09-30' });
    expect(q.days).toBe(20);
    expect(q.amountFen).toBe(6800);
    expect(new Set(q.dayList.map((d) => d.rateFen))).toEqual(new Set([340]));
    const first = await s.b.call('refunds.create', { ...base, studentId: id, reason: 'transfer', noticeDate: '2026-09-01', lastDay: '2026-09-30' });
    expect(first).toMatchObject({ days: 20, amountFen: 6800 });
    // The canteen's fault on 1 Sep itself (counted from the notice day): the receipt's last 3.40.
    const last = await s.b.call('refunds.create', { ...base, studentId: id, reason: 'canteen', noticeDate: '2026-09-01', lastDay: '2026-09-01' });
    expect(last).toMatchObject({ days: 1, amountFen: 340 });
  });

  it('100.00 for 21 days: each day gives back 4.76 while the running total floors (3 days 14.28, then 2 days 9.52)', async () => {
    s = await feeSchool();
    s.setToday('2026-09-30');
    const id = s.students['王小明'].id;
    await s.b.call('fees.collect', { period: '2026-09', method: 'bank', items: [{ studentId: id, amountFen: 10000, overrideReason: '按实际就餐收取' }] });
    // Fri 11 notice: Mon 14, Tue 15, Wed 16. 1–3 of 21 days: ⌊3 × 10000 / 21⌋ = 1428.
    const a = await s.b.call('refunds.create', { ...base, studentId: id, reason: 'illness', noticeDate: '2026-09-11', lastDay: '2026-09-16' });
    expect(a).toMatchObject({ days: 3, amountFen: 1428 });
    // Fri 18 notice: Mon 21, Tue 22 are days 4–5: ⌊5 × 10000 / 21⌋ − 1428 = 2380 − 1428 = 952.
    const b = await s.b.call('refunds.create', { ...base, studentId: id, reason: 'illness', noticeDate: '2026-09-18', lastDay: '2026-09-22' });
    expect(b).toMatchObject({ days: 2, amountFen: 952 });
  });

  it('a receipt at the standard amount still gives back its daily rate', async () => {
    s = await feeSchool();
    s.setToday('2026-09-30');
    const id = s.students['张伟'].id; // 三餐寄宿 15.00
    await s.b.call('fees.collect', { period: '2026-09', method: 'bank', items: [{ studentId: id }] });
    const r = await s.b.call('refunds.create', { ...base, studentId: id, reason: 'leave', noticeDate: '2026-09-11', lastDay: '2026-09-16' });
    expect(r).toMatchObject({ days: 3, amountFen: 4500 });
  });
});

describe('property: a receipt’s refunds never exceed what it took', () => {
  it('random amounts, refunds and voids over September and October', { timeout: 300_000 }, async () => {
    const seed = Number(process.env.REFUND_SEED ?? Date.now() % 1_000_000);
    console.log(`refunds against receipts (seed ${seed}; REFUND_SEED replays)`);
    const days = [...SEPT_DAYS, ...OCT_DAYS];
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ t: fc.constant('refund' as const), who: fc.nat(4), reason: fc.constantFrom('leave', 'illness', 'transfer', 'canteen' as const), from: fc.nat(days.length - 1), len: fc.nat(12) }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('void' as const), pick: fc.nat(20) }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.integer({ min: 1, max: 40_000 }), { nil: undefined }), { minLength: 10, maxLength: 10 }),
        fc.array(op, { minLength: 3, maxLength: 12 }),
        async (amounts, ops) => {
          const s = await feeSchool();
          try {
            s.setToday('2026-10-30');
            const names = Object.keys(s.students);
            // Each pupil pays September and October, at the standard or at a random amount.
            let k = 0;
            for (const period of ['2026-09', '2026-10']) {
              for (const n of names) {
                const amount = amounts[k++];
                await s.b.call('fees.collect', { period, method: 'bank', items: [{ studentId: s.students[n].id, ...(amount === undefined ? {} : { amountFen: amount, overrideReason: '调整' }) }] });
              }
            }
            for (const o of ops) {
              if (o.t === 'void') {
                const list = await s.b.call('refunds.list', { status: 'approved' });
                if (list.length) await s.b.call('refunds.void', { id: list[o.pick % list.length].id, reason: '录错' });
                continue;
              }
              const noticeDate = days[o.from];
              const lastDay = days[Math.min(days.length - 1, o.from + o.len)];
              const r = await s.b.invoke('refunds.create', { ...base, appliedOn: '2026-10-30', teacherConfirmedOn: '2026-10-30', studentId: s.students[names[o.who % names.length]].id, reason: o.reason, noticeDate, lastDay });
              if (!r.ok) expect(r.error.code, r.error.message).toMatch(/^(RULE|CONFLICT)$/);
            }
            // Per receipt: what its refunds (not voided) gave back, day by day, against what it took.
            const receipts = s.b.db.prepare(`SELECT student_id, period_start, period_end, amount_fen FROM fee_receipts WHERE status = 'valid'`).all() as { student_id: string; period_start: string; period_end: string; amount_fen: number }[];
            const live = s.b.db.prepare(`SELECT student_id, first_day, last_day, amount_fen FROM fee_refunds WHERE status <> 'void'`).all() as { student_id: string; first_day: string; last_day: string; amount_fen: number }[];
            for (const st of names.map((n) => s.students[n].id)) {
              const took = receipts.filter((r) => r.student_id === st).reduce((a, r) => a + r.amount_fen, 0);
              const gave = live.filter((f) => f.student_id === st).reduce((a, f) => a + f.amount_fen, 0);
              expect(gave).toBeLessThanOrEqual(took);
            }
            // Refunds lie within one month here only when first and last day share it: those count against that receipt alone.
            for (const r of receipts) {
              const within = live.filter((f) => f.student_id === r.student_id && f.first_day >= r.period_start && f.last_day <= r.period_end);
              expect(within.reduce((a, f) => a + f.amount_fen, 0)).toBeLessThanOrEqual(r.amount_fen);
            }
          } finally {
            s.b.cleanup();
          }
        },
      ),
      { numRuns: 15, seed },
    );
  });
});
