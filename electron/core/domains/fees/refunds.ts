import { REFUND_REASON_LABELS, type Refund, type RefundPayMethod, type RefundQuote, type RefundReason } from '../../../../shared/api/fees.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { formatFen } from '../../../../shared/format.ts';
import { audit } from '../../ledger/audit.ts';
import { addDays } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { accountBalance, postEntry } from '../../ledger/journal.ts';
import { assertStatus, cancel, docOf } from '../../ledger/lifecycle.ts';
import { nextNumber } from '../../ledger/numbering.ts';
import { assertWritableDay, getStudent, schoolDaysBetween, today, workingDaysAfter } from './common.ts';
import { profileFor, profileOf } from '../people/index.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';

/**
 * 退费: school days not eaten × the daily rate the family paid, counted from the day after notice (profile), only
 * days covered by a valid receipt. Approval posts 退费 against 应付退费; the payout clears 应付退费 from cash or bank.
 */

type Keys = 'refunds.quote' | 'refunds.create' | 'refunds.pay' | 'refunds.void' | 'refunds.list';

interface RefundRow {
  id: string;
  number: string;
  student_id: string;
  student_no: string;
  student_name: string;
  class_name: string;
  reason: RefundReason;
  notice_date: string;
  first_day: string;
  last_day: string;
  days: number;
  amount_fen: number;
  applied_on: string;
  teacher_name: string;
  teacher_confirmed_on: string;
  approved_on: string;
  note: string;
  status: 'approved' | 'paid' | 'void';
  paid_on: string | null;
  pay_method: RefundPayMethod | null;
  void_reason: string | null;
  created_at: string;
  created_by_name: string | null;
}

const SELECT = `SELECT f.*, s.student_no, s.name AS student_name, s.class_name, u.display_name AS created_by_name
  FROM fee_refunds f JOIN students s ON s.id = f.student_id LEFT JOIN users u ON u.id = f.created_by`;

function toRefund(ctx: Ctx, r: RefundRow): Refund {
  const deadline = profileOf(ctx).refundDeadlineWorkingDays;
  const end = r.status === 'paid' ? (r.paid_on as string) : today(ctx);
  const open = workingDaysAfter(r.applied_on, end);
  return {
    id: r.id,
    number: r.number,
    studentId: r.student_id,
    studentNo: r.student_no,
    studentName: r.student_name,
    className: r.class_name,
    reason: r.reason,
    noticeDate: r.notice_date,
    firstDay: r.first_day,
    lastDay: r.last_day,
    days: r.days,
    amountFen: r.amount_fen,
    appliedOn: r.applied_on,
    teacherName: r.teacher_name,
    teacherConfirmedOn: r.teacher_confirmed_on,
    approvedOn: r.approved_on,
    note: r.note,
    status: r.status,
    paidOn: r.paid_on,
    payMethod: r.pay_method,
    voidReason: r.void_reason,
    workingDaysOpen: open,
    overdue: r.status === 'approved' && open > deadline,
    createdAt: r.created_at,
    createdByName: r.created_by_name ?? '',
  };
}

export function getRefund(ctx: Ctx, id: string): Refund {
  const r = ctx.db.prepare(`${SELECT} WHERE f.id = ?`).get(id) as RefundRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该退费记录');
  return toRefund(ctx, r);
}

export function listRefunds(ctx: Ctx, where = '1', params: unknown[] = []): Refund[] {
  return (ctx.db.prepare(`${SELECT} WHERE ${where} ORDER BY f.number`).all(...params) as RefundRow[]).map((r) => toRefund(ctx, r));
}

/** The first day counted: the day after notice where the profile says so; a canteen fault refunds the affected days in full. */
export function firstRefundDay(ctx: Ctx, reason: RefundReason, noticeDate: string): string {
  if (reason === 'canteen') return noticeDate;
  return profileFor(ctx, noticeDate).refundFromNextDay ? addDays(noticeDate, 1) : noticeDate;
}

/**
 * What the k-th refunded day of a receipt gives back: the receipt's amount spread over the days it charged for, the
 * running total floored, so a receipt charged at an overridden amount refunds what it actually took per day (21 days
 * collected as 71.40 give back 3.40 a day, not the plan's rate) and all its refunds together never exceed its amount.
 * A receipt at the standard amount gives back exactly its daily rate; a day beyond those it charged for gives nothing.
 */
export function refundDayValue(amountFen: number, chargedDays: number, k: number): number {
  if (chargedDays <= 0) return 0;
  const cum = (n: number) => Math.floor((Math.min(n, chargedDays) * amountFen) / chargedDays);
  return cum(k) - cum(k - 1);
}

export function quoteRefund(ctx: Ctx, studentId: string, reason: RefundReason, noticeDate: string, lastDay: string): RefundQuote {
  getStudent(ctx, studentId);
  if (lastDay < noticeDate) throw new ApiError('VALIDATION', '最后一天不能早于通知日期');
  // Counted from the notice date (and the profile's rule), never from the day it is typed or approved.
  const first = firstRefundDay(ctx, reason, noticeDate);
  const receipts = ctx.db
    .prepare(`SELECT number, period_start, period_end, days, amount_fen FROM fee_receipts WHERE student_id = ? AND status = 'valid' AND period_start <= ? AND period_end >= ?`)
    .all(studentId, lastDay, first) as { number: string; period_start: string; period_end: string; days: number; amount_fen: number }[];
  const earlier = ctx.db
    .prepare(`SELECT number, first_day, last_day FROM fee_refunds WHERE student_id = ? AND status <> 'void' AND first_day <= ? AND last_day >= ?`)
    .all(studentId, lastDay, first) as { number: string; first_day: string; last_day: string }[];
  // Days of each receipt already given back by refunds not voided (any range within its period).
  const refundedOf = (r: { period_start: string; period_end: string }) =>
    (ctx.db
      .prepare(`SELECT first_day, last_day FROM fee_refunds WHERE student_id = ? AND status <> 'void' AND first_day <= ? AND last_day >= ?`)
      .all(studentId, r.period_end, r.period_start) as { first_day: string; last_day: string }[])
      .reduce((n, f) => n + schoolDaysBetween(ctx, f.first_day > r.period_start ? f.first_day : r.period_start, f.last_day < r.period_end ? f.last_day : r.period_end).length, 0);
  const taken = new Map<string, number>();
  const dayList: RefundQuote['dayList'] = [];
  for (const day of first <= lastDay ? schoolDaysBetween(ctx, first, lastDay) : []) {
    const r = receipts.find((x) => x.period_start <= day && day <= x.period_end);
    if (!r) continue; // not paid for: nothing to give back
    const clash = earlier.find((x) => x.first_day <= day && day <= x.last_day);
    if (clash) throw new ApiError('CONFLICT', `${day} 已在退费 ${clash.number} 中退过`);
    const k = (taken.get(r.number) ?? refundedOf(r)) + 1;
    taken.set(r.number, k);
    dayList.push({ day, rateFen: refundDayValue(r.amount_fen, r.days, k), receipt: r.number });
  }
  return {
    days: dayList.length,
    amountFen: dayList.reduce((s, d) => s + d.rateFen, 0),
    firstDay: dayList[0]?.day ?? null,
    lastDay: dayList.at(-1)?.day ?? null,
    dayList,
  };
}

export const refundHandlers: Handlers<Keys> = {
  'refunds.quote': (ctx, i) => quoteRefund(ctx, i.studentId, i.reason, i.noticeDate, i.lastDay),

  'refunds.create': (ctx, i) => {
    // Booked on its approval date: today, or an earlier open day when the month is entered late (issue 14 §3); the
    // dispatcher holds the period lock and "not after today" on approvedOn. No cash moves, so a cleared cash day
    // does not stand in its way.
    const date = i.approvedOn ?? today(ctx);
    if (i.approvedOn === undefined) {
      if (i.appliedOn > date) throw new ApiError('RULE', '申请日期不能晚于今天');
      if (i.teacherConfirmedOn > date) throw new ApiError('RULE', '班主任确认日期不能晚于今天');
    }
    assertWritableDay(ctx, date, '退费', false);
    const s = getStudent(ctx, i.studentId);
    const q = quoteRefund(ctx, i.studentId, i.reason, i.noticeDate, i.lastDay);
    if (q.days === 0) throw new ApiError('RULE', `${s.name}在 ${firstRefundDay(ctx, i.reason, i.noticeDate)} 至 ${i.lastDay} 之间没有已交费的上课日，无可退金额`);
    if (q.amountFen === 0) throw new ApiError('RULE', `${s.name}在 ${q.firstDay} 至 ${q.lastDay} 的 ${q.days} 天按收据实收金额计算已无可退金额`);
    const id = uuidv7(ctx.now().getTime());
    const number = nextNumber(ctx, 'TF', Number(date.slice(0, 4)));
    const user = currentUser(ctx);
    ctx.db
      .prepare(
        `INSERT INTO fee_refunds (id, origin, number, student_id, reason, notice_date, first_day, last_day, days, amount_fen, applied_on, teacher_name,
         teacher_confirmed_on, note, status, approved_on, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved', ?, ?, ?)`,
      )
      .run(id, ctx.installationId, number, s.id, i.reason, i.noticeDate, q.firstDay, q.lastDay, q.days, q.amountFen, i.appliedOn, i.teacherName,
        i.teacherConfirmedOn, i.note, date, ctx.now().toISOString(), user.userId);
    postEntry(ctx, {
      date,
      memo: `退费 ${number} ${s.className} ${s.name} ${REFUND_REASON_LABELS[i.reason]} ${q.days} 天`,
      sourceType: 'fee_refund',
      sourceId: id,
      postings: [
        { account: 'income:refunds', amountFen: q.amountFen },
        { account: 'refunds_payable', amountFen: -q.amountFen },
      ],
    });
    const created = getRefund(ctx, id);
    audit(ctx, 'create', 'fee_refund', id, null, withRows({ ...created, documentDate: date }, groupRows(ctx, 'fee_refunds', 'id', id)));
    return created;
  },

  'refunds.pay': (ctx, i) => {
    const before = getRefund(ctx, i.id);
    assertStatus(docOf('fee_refunds', before), ['approved'], 'pay');
    if (i.paidOn < (ctx.db.prepare('SELECT approved_on FROM fee_refunds WHERE id = ?').get(i.id) as { approved_on: string }).approved_on) {
      throw new ApiError('RULE', '退付日期不能早于批准日期');
    }
    assertWritableDay(ctx, i.paidOn, '退付', i.method === 'cash');
    if (i.method === 'cash') {
      const cash = accountBalance(ctx, 'cash', i.paidOn);
      if (cash < before.amountFen) throw new ApiError('RULE', `库存现金 ${formatFen(cash)} 元不足以退付 ${formatFen(before.amountFen)} 元，请改用银行转账`);
    }
    const user = currentUser(ctx);
    ctx.db
      .prepare(`UPDATE fee_refunds SET status = 'paid', paid_on = ?, pay_method = ?, paid_at = ?, paid_by = ? WHERE id = ?`)
      .run(i.paidOn, i.method, ctx.now().toISOString(), user.userId, i.id);
    postEntry(ctx, {
      date: i.paidOn,
      memo: `退付 ${before.number} ${before.className} ${before.studentName}（${i.method === 'cash' ? '现金' : '银行转账'}）`,
      sourceType: 'fee_refund_payout',
      sourceId: i.id,
      postings: [
        { account: 'refunds_payable', amountFen: before.amountFen },
        { account: i.method, amountFen: -before.amountFen },
      ],
    });
    const after = getRefund(ctx, i.id);
    audit(ctx, 'pay', 'fee_refund', i.id, before, withRows({ ...after, documentDate: i.paidOn }, groupRows(ctx, 'fee_refunds', 'id', i.id)));
    return after;
  },

  'refunds.void': (ctx, { id, reason, voidDate }) => {
    const before = getRefund(ctx, id);
    assertStatus(docOf('fee_refunds', before), ['approved'], 'cancel');
    // Booked on a day of its own (issue 14): today unless given, never before the approval, never in a closed month.
    const date = voidDate ?? today(ctx);
    if (date < before.approvedOn) throw new ApiError('RULE', `作废日期 ${date} 早于退费 ${before.number} 的批准日期 ${before.approvedOn}，不能在批准之前作废`);
    // Reverses the approval only (no cash moved yet).
    assertWritableDay(ctx, date, '作废冲销', false);
    cancel(ctx, 'fee_refunds', id, reason, date, { from: ['approved'] });
    const after = getRefund(ctx, id);
    audit(ctx, 'void', 'fee_refund', id, before, withRows({ ...after, documentDate: date }, groupRows(ctx, 'fee_refunds', 'id', id)));
    return after;
  },

  'refunds.list': (ctx, i) => {
    const rows = listRefunds(
      ctx,
      `(? IS NULL OR f.status = ?) AND (? IS NULL OR f.student_id = ?) AND (? IS NULL OR f.applied_on >= ?) AND (? IS NULL OR f.applied_on <= ?)`,
      [i.status ?? null, i.status ?? null, i.studentId ?? null, i.studentId ?? null, i.from ?? null, i.from ?? null, i.to ?? null, i.to ?? null],
    );
    return i.overdueOnly ? rows.filter((r) => r.overdue) : rows;
  },
};
