import type { SubsidyClassSummary } from '../../../../shared/api/fees.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { audit } from '../../ledger/audit.ts';
import { lastDayOfMonth } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { accountBalance, postEntry } from '../../ledger/journal.ts';
import { assertWritableDay, classOn, getStudent, toStudent, type StudentRow } from './common.ts';
import { profileFor } from '../people/index.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';

/**
 * 营养改善计划: meals actually served to eligible students, one per student per day, valued at the profile's rate,
 * owed by the authority (应收补助) until the funds arrive in the subsidy account. Kept apart from fees: these entries
 * never touch cash or the fee accounts (and a journal trigger refuses any entry that mixes them).
 */

type Keys = 'subsidy.roster' | 'subsidy.record' | 'subsidy.receive' | 'subsidy.summary';

export const subsidyHandlers: Handlers<Keys> = {
  'subsidy.roster': (ctx, { className, date }) => {
    // The class's pupils on that day: those in it now and those moved since (调班), each kept if it was their class then.
    const rows = ctx.db
      .prepare(
        `SELECT s.*, EXISTS (SELECT 1 FROM subsidy_meals m WHERE m.student_id = s.id AND m.meal_date = @date) AS recorded
         FROM students s WHERE s.active = 1 AND s.subsidy_eligible = 1
           AND (s.class_name = @cls OR s.id IN (SELECT student_id FROM student_class_moves WHERE effective_date > @date AND from_class = @cls))
         ORDER BY s.student_no`,
      )
      .all({ date, cls: className }) as (StudentRow & { recorded: number })[];
    return rows.filter((r) => classOn(ctx, r.id, r.class_name, date) === className).map((r) => ({ student: toStudent(r), recorded: r.recorded === 1 }));
  },

  'subsidy.record': (ctx, { className, date, studentIds }) => {
    assertWritableDay(ctx, date, '受助就餐', false);
    if (!ctx.db.prepare('SELECT 1 FROM school_days WHERE day = ?').get(date)) throw new ApiError('RULE', `${date} 不是上课日，不能登记受助就餐`);
    for (const id of studentIds) {
      const s = getStudent(ctx, id);
      const was = classOn(ctx, s.id, s.className, date);
      if (was !== className) throw new ApiError('VALIDATION', `${s.name}（${s.studentNo}）${date} 在${was}，不在${className}`);
      if (!s.active) throw new ApiError('RULE', `${s.name}（${s.studentNo}）已离校，不能登记受助就餐`);
      if (!s.subsidyEligible) throw new ApiError('RULE', `${s.name}（${s.studentNo}）不是营养改善计划受助学生`);
      if (ctx.db.prepare('SELECT 1 FROM subsidy_meals WHERE student_id = ? AND meal_date = ?').get(id, date)) {
        throw new ApiError('CONFLICT', `${s.name}（${s.studentNo}）${date} 的受助就餐已登记`);
      }
    }
    const rate = profileFor(ctx, date).subsidyRateFen;
    const amount = rate * studentIds.length;
    const id = uuidv7(ctx.now().getTime());
    const user = currentUser(ctx);
    ctx.db
      .prepare(`INSERT INTO subsidy_batches (id, origin, class_name, meal_date, students, rate_fen, amount_fen, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, ctx.installationId, className, date, studentIds.length, rate, amount, ctx.now().toISOString(), user.userId);
    const ins = ctx.db.prepare('INSERT INTO subsidy_meals (batch_id, student_id, meal_date, rate_fen) VALUES (?, ?, ?, ?)');
    for (const sid of studentIds) ins.run(id, sid, date, rate);
    postEntry(ctx, {
      date,
      memo: `营养改善计划 ${className} ${date} 受助 ${studentIds.length} 人`,
      sourceType: 'subsidy_meals',
      sourceId: id,
      postings: [
        { account: 'subsidy_receivable', amountFen: amount },
        { account: 'income:subsidy', amountFen: -amount },
      ],
    });
    audit(ctx, 'create', 'subsidy_meals', id, null, withRows({ className, date, documentDate: date, studentIds, rateFen: rate, amountFen: amount }, groupRows(ctx, 'subsidy_batches', 'id', id), groupRows(ctx, 'subsidy_meals', 'batch_id', id)));
    return { recorded: studentIds.length, amountFen: amount };
  },

  'subsidy.receive': (ctx, { date, amountFen, note }) => {
    assertWritableDay(ctx, date, '补助到账', false);
    const id = uuidv7(ctx.now().getTime());
    ctx.db
      .prepare(`INSERT INTO subsidy_receipts (id, origin, received_on, amount_fen, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(id, ctx.installationId, date, amountFen, note, ctx.now().toISOString(), currentUser(ctx).userId);
    postEntry(ctx, {
      date,
      memo: `营养改善计划补助资金到账${note ? `：${note}` : ''}`,
      sourceType: 'subsidy_receipt',
      sourceId: id,
      postings: [
        { account: 'subsidy_bank', amountFen },
        { account: 'subsidy_receivable', amountFen: -amountFen },
      ],
    });
    audit(ctx, 'create', 'subsidy_receipt', id, null, withRows({ date, documentDate: date, amountFen, note }, groupRows(ctx, 'subsidy_receipts', 'id', id)));
    return { id, amountFen };
  },

  'subsidy.summary': (ctx, { month }) => {
    const to = lastDayOfMonth(month);
    // By the batches' class, as the disclosure's subsidy sheet counts them (monthclose-disclosure.ts).
    const rows: SubsidyClassSummary[] = subsidyByClass(ctx, month, false).map((r) => ({
      className: r.className,
      eligibleStudents: r.students,
      mealDays: r.days,
      studentDays: r.studentDays,
      rateFen: r.rateFen,
      amountFen: r.amountFen,
    }));
    return { classes: rows, receivableFen: accountBalance(ctx, 'subsidy_receivable', to), bankFen: accountBalance(ctx, 'subsidy_bank', to) };
  },
};

export interface SubsidyClassRow {
  className: string;
  /** The highest rate when the rows are by class only. */
  rateFen: number;
  students: number;
  /** Days on which the class (at that rate) had a subsidised meal. */
  days: number;
  studentDays: number;
  amountFen: number;
}

/**
 * A month's subsidised meals by the class the pupil ate in that day, and by rate too if asked, in class (and rate)
 * order: from subsidy_class_months (migration 0012), one row per pupil, class and rate, its days as bits.
 */
export function subsidyByClass(ctx: Ctx, month: string, byRate: boolean): SubsidyClassRow[] {
  const rows = ctx.db
    .prepare('SELECT class_name, rate_fen, student_id, days, meals FROM subsidy_class_months WHERE month = ? ORDER BY class_order(class_name), class_name, rate_fen, student_id')
    .all(month) as { class_name: string; rate_fen: number; student_id: string; days: number; meals: number }[];
  const groups = new Map<string, SubsidyClassRow & { pupils: Set<string>; dayBits: number }>();
  for (const r of rows) {
    const k = byRate ? `${r.class_name}\u0000${r.rate_fen}` : r.class_name;
    let g = groups.get(k);
    if (!g) {
      g = { className: r.class_name, rateFen: r.rate_fen, students: 0, days: 0, studentDays: 0, amountFen: 0, pupils: new Set(), dayBits: 0 };
      groups.set(k, g);
    }
    g.pupils.add(r.student_id);
    g.dayBits |= r.days;
    g.studentDays += r.meals;
    g.amountFen += r.meals * r.rate_fen;
    g.rateFen = Math.max(g.rateFen, r.rate_fen);
  }
  return [...groups.values()].map(({ pupils, dayBits, ...g }) => ({ ...g, students: pupils.size, days: bitCount(dayBits) }));
}

function bitCount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
}
