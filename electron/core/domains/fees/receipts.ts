import { PAY_METHOD_LABELS, type FeeQuoteRow, type PayMethod, type Receipt } from '../../../../shared/api/fees.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { formatFen } from '../../../../shared/format.ts';
import { audit } from '../../ledger/audit.ts';
import { currentUser, type Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { postEntry } from '../../ledger/journal.ts';
import { assertStatus, cancel, docOf } from '../../ledger/lifecycle.ts';
import { nextNumber } from '../../ledger/numbering.ts';
import { assertWritableDay, dailyRate, getStudent, moneyAccount, resolvePeriod, today, toStudent, type StudentRow } from './common.ts';
import { groupRows, snapshotRows, withRows } from '../../ledger/row-snapshot.ts';

/** 收据: one per student and period, a gapless SJ number, posted debit cash/bank/ewallet, credit 伙食费收入. */

type Keys = 'fees.quote' | 'fees.collect' | 'receipts.list' | 'receipts.get' | 'receipts.void';

interface ReceiptRow {
  id: string;
  number: string;
  receipt_date: string;
  student_id: string;
  student_no: string;
  student_name: string;
  class_name: string;
  period_key: string;
  period_label: string;
  days: number;
  daily_rate_fen: number;
  amount_fen: number;
  override_reason: string;
  method: PayMethod;
  status: 'valid' | 'void';
  void_reason: string | null;
  void_date: string | null;
  voided_by_name: string | null;
  created_at: string;
  created_by_name: string;
}

const SELECT = `SELECT r.*, s.student_no, s.name AS student_name, s.class_name, cu.display_name AS created_by_name, vu.display_name AS voided_by_name
  FROM fee_receipts r JOIN students s ON s.id = r.student_id LEFT JOIN users cu ON cu.id = r.created_by LEFT JOIN users vu ON vu.id = r.voided_by`;

function toReceipt(r: ReceiptRow): Receipt {
  return {
    id: r.id,
    number: r.number,
    date: r.receipt_date,
    studentId: r.student_id,
    studentNo: r.student_no,
    studentName: r.student_name,
    className: r.class_name,
    periodKey: r.period_key,
    periodLabel: r.period_label,
    days: r.days,
    dailyRateFen: r.daily_rate_fen,
    standardFen: r.days * r.daily_rate_fen,
    amountFen: r.amount_fen,
    overrideReason: r.override_reason,
    method: r.method,
    status: r.status,
    voidReason: r.void_reason,
    voidDate: r.void_date,
    voidedByName: r.voided_by_name,
    createdAt: r.created_at,
    createdByName: r.created_by_name ?? '',
  };
}

export function getReceipt(ctx: Ctx, id: string): Receipt {
  const r = ctx.db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as ReceiptRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该收据');
  return toReceipt(r);
}

function validReceiptFor(ctx: Ctx, studentId: string, periodKey: string): string | null {
  return (ctx.db.prepare(`SELECT number FROM fee_receipts WHERE student_id = ? AND period_key = ? AND status = 'valid'`).get(studentId, periodKey) as { number: string } | undefined)?.number ?? null;
}

export const receiptHandlers: Handlers<Keys> = {
  'fees.quote': (ctx, input) => {
    const period = resolvePeriod(ctx, input.period);
    const rows = (input.studentIds
      ? input.studentIds.map((id) => ctx.db.prepare('SELECT * FROM students WHERE id = ?').get(id) as StudentRow | undefined).filter((r) => r !== undefined)
      : (ctx.db.prepare('SELECT * FROM students WHERE class_name = ? AND active = 1 ORDER BY student_no').all(input.className) as StudentRow[])) as StudentRow[];
    return rows.map((r): FeeQuoteRow => {
      const rate = dailyRate(ctx, r.meal_plan);
      return { student: toStudent(r), days: period.schoolDays, dailyRateFen: rate, standardFen: period.schoolDays * rate, paidReceipt: validReceiptFor(ctx, r.id, period.key) };
    });
  },

  'fees.collect': (ctx, input) => {
    const period = resolvePeriod(ctx, input.period, true);
    if (period.schoolDays === 0) throw new ApiError('RULE', `${period.label}尚未设置上课日，无法计算伙食费；请先在“上课日”中设置`);
    const date = input.date ?? today(ctx);
    assertWritableDay(ctx, date, '收款', input.method === 'cash');
    const user = currentUser(ctx);
    // Read once per call, not once per receipt (a class is ~50 receipts in one call).
    const createdByName = (ctx.db.prepare('SELECT display_name FROM users WHERE id = ?').get(user.userId) as { display_name: string } | undefined)?.display_name ?? null;
    const rates = new Map<string, number>();
    const out: Receipt[] = [];
    for (const item of input.items) {
      const s = getStudent(ctx, item.studentId);
      if (!s.active) throw new ApiError('RULE', `${s.name}（${s.studentNo}）已离校，不能收费`);
      const paid = validReceiptFor(ctx, s.id, period.key);
      if (paid) throw new ApiError('CONFLICT', `${s.name}（${s.studentNo}）${period.label}已交费（收据 ${paid}）；如需重开请先作废原收据`);
      const rate = rates.get(s.mealPlan) ?? dailyRate(ctx, s.mealPlan);
      rates.set(s.mealPlan, rate);
      const standard = period.schoolDays * rate;
      const amount = item.amountFen ?? standard;
      if (amount !== standard && !item.overrideReason) {
        throw new ApiError('VALIDATION', `${s.name}的金额 ${formatFen(amount)} 元与标准 ${formatFen(standard)} 元不同，请填写理由`);
      }
      if (amount <= 0) throw new ApiError('RULE', `${s.name}的收费金额为 0，不能开收据`);
      const id = uuidv7(ctx.now().getTime());
      const number = nextNumber(ctx, 'SJ', Number(date.slice(0, 4)));
      ctx.db
        .prepare(
          `INSERT INTO fee_receipts (id, origin, number, receipt_date, student_id, period_key, period_label, period_start, period_end, days, daily_rate_fen, amount_fen,
           override_reason, method, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'valid', ?, ?)`,
        )
        .run(id, ctx.installationId, number, date, s.id, period.key, period.label, period.start, period.end, period.schoolDays, rate, amount,
          amount === standard ? '' : item.overrideReason, input.method, ctx.now().toISOString(), user.userId);
      postEntry(ctx, {
        date,
        memo: `收伙食费 ${number} ${s.className} ${s.name} ${period.label}（${PAY_METHOD_LABELS[input.method]}）`,
        sourceType: 'fee_receipt',
        sourceId: id,
        postings: [
          { account: moneyAccount(input.method), amountFen: amount },
          { account: 'income:fees', amountFen: -amount },
        ],
      });
      // The stored row (also the audit's snapshot) with the student and user already in hand: what getReceipt returns.
      const snap = groupRows(ctx, 'fee_receipts', 'id', id);
      const receipt = toReceipt({
        ...(snapshotRows(snap)![0] as Omit<ReceiptRow, 'student_no' | 'student_name' | 'class_name' | 'created_by_name' | 'voided_by_name'>),
        student_no: s.studentNo,
        student_name: s.name,
        class_name: s.className,
        created_by_name: createdByName as string,
        voided_by_name: null,
      });
      audit(ctx, 'create', 'fee_receipt', id, null, withRows({ ...receipt, documentDate: date }, snap));
      out.push(receipt);
    }
    return out;
  },

  'receipts.list': (ctx, input) => {
    const rows = ctx.db
      .prepare(
        `${SELECT} WHERE (? IS NULL OR r.receipt_date >= ?) AND (? IS NULL OR r.receipt_date <= ?) AND (? IS NULL OR r.period_key = ?)
         AND (? IS NULL OR s.class_name = ?) AND (? IS NULL OR r.student_id = ?) ORDER BY r.number LIMIT ?`,
      )
      .all(input.from ?? null, input.from ?? null, input.to ?? null, input.to ?? null, input.period ?? null, input.period ?? null,
        input.className ?? null, input.className ?? null, input.studentId ?? null, input.studentId ?? null, input.limit) as ReceiptRow[];
    return rows.map(toReceipt);
  },
  'receipts.get': (ctx, { id }) => getReceipt(ctx, id),

  'receipts.void': (ctx, { id, reason, voidDate }) => {
    const before = getReceipt(ctx, id);
    assertStatus(docOf('fee_receipts', before), ['valid'], 'cancel');
    const refund = ctx.db
      .prepare(`SELECT number FROM fee_refunds WHERE student_id = ? AND status <> 'void' AND first_day <= ? AND last_day >= ?`)
      .get(before.studentId, (ctx.db.prepare('SELECT period_end FROM fee_receipts WHERE id = ?').get(id) as { period_end: string }).period_end,
        (ctx.db.prepare('SELECT period_start FROM fee_receipts WHERE id = ?').get(id) as { period_start: string }).period_start) as { number: string } | undefined;
    if (refund) throw new ApiError('RULE', `收据 ${before.number} 所在期间已有退费 ${refund.number}，请先处理该退费`);
    // A void is booked on a day of its own (issue 14): today unless given; the dispatcher keeps it out of closed months
    // and the future, so a receipt of a closed month is voided in an open one, never back-dated into the closed month.
    const date = voidDate ?? today(ctx);
    if (date < before.date) throw new ApiError('RULE', `作废日期 ${date} 早于收据 ${before.number} 的收款日期 ${before.date}，不能在收款之前作废`);
    assertWritableDay(ctx, date, '作废冲销', before.method === 'cash');
    // Its entry reversed on the day of the void, then stamped (void_date, voided_at, voided_by, void_reason).
    cancel(ctx, 'fee_receipts', id, reason, date, { from: ['valid'] });
    const after = getReceipt(ctx, id);
    audit(ctx, 'void', 'fee_receipt', id, before, withRows({ ...after, documentDate: date }, groupRows(ctx, 'fee_receipts', 'id', id)));
    return after;
  },
};
