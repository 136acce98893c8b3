import { PAY_METHOD_LABELS, REFUND_REASON_LABELS, type PayMethod, type RefundReason, type SettlementRow, type StatementLine } from '../../../../shared/api/fees.ts';
import { formatFen } from '../../../../shared/format.ts';
import { monthWords } from '../../ledger/clock.ts';
import type { Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { postedOpeningDate } from '../opening/index.ts';
import { dailyRate, getStudent, resolvePeriod, schoolDaysBetween, toStudent, type StudentRow } from './common.ts';

/** 欠费名单, a student's statement (个人明细) and the term-end settlement (多退少补). Read only. */

type Keys = 'fees.arrears' | 'fees.statement' | 'fees.settlement';

/**
 * Pupils' balances recorded by the posted opening (期初建账: prepaid +, arrears −), when from … to holds the first day
 * of the books (the day after the opening date); else none. They are the opening's record and never posted (fees are
 * income when collected), so they are carried once: into the 欠费名单 of the period that starts the books and the
 * settlement (多退少补) that covers that day.
 */
function openingBalances(ctx: Ctx, from: string, to: string): Map<string, number> {
  const d = postedOpeningDate(ctx);
  const out = new Map<string, number>();
  if (d === null) return out;
  const first = (ctx.db.prepare(`SELECT date(?, '+1 day') AS d`).get(d) as { d: string }).d;
  if (first < from || first > to) return out;
  const rows = ctx.db
    .prepare(`SELECT l.student_id AS s, l.kind AS k, l.amount_fen AS a FROM opening_lines l JOIN openings o ON o.id = l.opening_id WHERE o.status = 'posted' AND l.kind IN ('prepaid', 'arrears')`)
    .all() as { s: string; k: 'prepaid' | 'arrears'; a: number }[];
  for (const r of rows) out.set(r.s, (out.get(r.s) ?? 0) + (r.k === 'prepaid' ? r.a : -r.a));
  return out;
}


export const reportHandlers: Handlers<Keys> = {
  'fees.arrears': (ctx, { period, className }) => {
    const p = resolvePeriod(ctx, period);
    // 期初欠费 in the period that starts the books: listed whether or not the pupil paid this period (or is still active).
    const owed = [...openingBalances(ctx, p.start, p.end)].filter(([, v]) => v < 0);
    const opening = new Map(owed.map(([s, v]) => [s, -v]));
    const rows = ctx.db
      .prepare(
        `SELECT s.*, EXISTS (SELECT 1 FROM fee_receipts r WHERE r.student_id = s.id AND r.period_key = ? AND r.status = 'valid') AS paid
         FROM students s WHERE (? IS NULL OR s.class_name = ?)
         AND ((s.active = 1 AND NOT EXISTS (SELECT 1 FROM fee_receipts r WHERE r.student_id = s.id AND r.period_key = ? AND r.status = 'valid'))
              OR s.id IN (SELECT value FROM json_each(?)))
         ORDER BY class_order(s.class_name), s.class_name, s.student_no`,
      )
      .all(p.key, className ?? null, className ?? null, p.key, JSON.stringify([...opening.keys()])) as (StudentRow & { paid: number })[];
    return rows.map((r) => {
      const rate = dailyRate(ctx, r.meal_plan);
      const days = r.paid ? 0 : p.schoolDays;
      const openingArrearsFen = opening.get(r.id) ?? 0;
      return { student: toStudent(r), days, dailyRateFen: rate, dueFen: days * rate, openingArrearsFen, totalFen: days * rate + openingArrearsFen };
    });
  },

  'fees.statement': (ctx, { studentId }) => {
    const student = getStudent(ctx, studentId);
    const lines: StatementLine[] = [];
    const receipts = ctx.db.prepare(`SELECT * FROM fee_receipts WHERE student_id = ? ORDER BY number`).all(studentId) as {
      number: string;
      receipt_date: string;
      period_label: string;
      days: number;
      daily_rate_fen: number;
      amount_fen: number;
      method: PayMethod;
      status: string;
      void_date: string | null;
      void_reason: string | null;
    }[];
    let paidFen = 0;
    for (const r of receipts) {
      lines.push({
        date: r.receipt_date,
        kind: 'receipt',
        number: r.number,
        text: `伙食费 ${r.period_label}：${r.days} 天 × ${formatFen(r.daily_rate_fen)} 元（${PAY_METHOD_LABELS[r.method]}）`,
        amountFen: r.amount_fen,
      });
      if (r.status === 'void') lines.push({ date: r.void_date as string, kind: 'void', number: r.number, text: `作废：${r.void_reason}`, amountFen: -r.amount_fen });
      else paidFen += r.amount_fen;
    }
    const refunds = ctx.db.prepare(`SELECT * FROM fee_refunds WHERE student_id = ? ORDER BY number`).all(studentId) as {
      number: string;
      reason: RefundReason;
      approved_on: string;
      first_day: string;
      last_day: string;
      days: number;
      amount_fen: number;
      status: string;
      paid_on: string | null;
      pay_method: string | null;
      void_date: string | null;
      void_reason: string | null;
    }[];
    let refundedFen = 0;
    for (const f of refunds) {
      lines.push({
        date: f.approved_on,
        kind: 'refund',
        number: f.number,
        text: `退费（${REFUND_REASON_LABELS[f.reason]}）${f.first_day} 至 ${f.last_day} 共 ${f.days} 天`,
        amountFen: -f.amount_fen,
      });
      if (f.status === 'void') lines.push({ date: f.void_date as string, kind: 'refund_void', number: f.number, text: `退费作废：${f.void_reason}`, amountFen: f.amount_fen });
      else refundedFen += f.amount_fen;
      if (f.status === 'paid') lines.push({ date: f.paid_on as string, kind: 'refund_paid', number: f.number, text: `已退付（${f.pay_method === 'cash' ? '现金' : '银行转账'}）`, amountFen: 0 });
    }
    const subsidy = ctx.db
      .prepare(`SELECT substr(meal_date, 1, 7) AS m, count(*) AS n, sum(rate_fen) AS v, max(meal_date) AS last FROM subsidy_meals WHERE student_id = ? GROUP BY m ORDER BY m`)
      .all(studentId) as { m: string; n: number; v: number; last: string }[];
    for (const s of subsidy) {
      lines.push({ date: s.last, kind: 'subsidy', number: '', text: `营养改善计划 ${monthWords(s.m)} 受助就餐 ${s.n} 天（补助专款，不计入伙食费）`, amountFen: s.v });
    }
    lines.sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? -1 : 1));
    return {
      student,
      lines,
      paidFen,
      refundedFen,
      subsidyDays: subsidy.reduce((n, s) => n + s.n, 0),
      subsidyFen: subsidy.reduce((n, s) => n + s.v, 0),
    };
  },

  'fees.settlement': (ctx, { from, to, className }) => {
    const days = schoolDaysBetween(ctx, from, to);
    const opening = openingBalances(ctx, from, to);
    const students = ctx.db
      .prepare(
        `SELECT s.* FROM students s WHERE (? IS NULL OR s.class_name = ?)
         AND (s.active = 1 OR EXISTS (SELECT 1 FROM fee_receipts r WHERE r.student_id = s.id AND r.period_start >= ? AND r.period_end <= ?)
              OR s.id IN (SELECT value FROM json_each(?)))
         ORDER BY class_order(s.class_name), s.class_name, s.student_no`,
      )
      .all(className ?? null, className ?? null, from, to, JSON.stringify([...opening.keys()])) as StudentRow[];
    return students.map((s): SettlementRow => {
      const receipts = ctx.db
        .prepare(`SELECT period_start, period_end, daily_rate_fen, amount_fen FROM fee_receipts WHERE student_id = ? AND status = 'valid' AND period_start >= ? AND period_end <= ?`)
        .all(s.id, from, to) as { period_start: string; period_end: string; daily_rate_fen: number; amount_fen: number }[];
      const refunds = ctx.db
        .prepare(`SELECT first_day, last_day, amount_fen FROM fee_refunds WHERE student_id = ? AND status <> 'void' AND first_day >= ? AND last_day <= ?`)
        .all(s.id, from, to) as { first_day: string; last_day: string; amount_fen: number }[];
      const rate = dailyRate(ctx, s.meal_plan);
      let refundedDays = 0;
      let dueFen = 0;
      for (const d of days) {
        // A refunded day was not eaten; every other school day was, at the rate of the receipt that covers it.
        if (refunds.some((f) => f.first_day <= d && d <= f.last_day)) {
          refundedDays++;
          continue;
        }
        dueFen += receipts.find((r) => r.period_start <= d && d <= r.period_end)?.daily_rate_fen ?? rate;
      }
      const paidFen = receipts.reduce((n, r) => n + r.amount_fen, 0);
      const refundedFen = refunds.reduce((n, r) => n + r.amount_fen, 0);
      const openingFen = opening.get(s.id) ?? 0;
      return {
        student: toStudent(s),
        schoolDays: days.length,
        refundedDays,
        eatenDays: days.length - refundedDays,
        dueFen,
        paidFen,
        refundedFen,
        openingFen,
        balanceFen: openingFen + paidFen - refundedFen - dueFen,
      };
    });
  },
};
