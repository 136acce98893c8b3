import type { FeePeriod, MealPlan, PayMethod, Student } from '../../../../shared/api/fees.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { addDays, chinaDate, lastDayOfMonth, monthWords } from '../../ledger/clock.ts';
import type { Ctx } from '../../context.ts';
import { assertPeriodOpen } from '../../ledger/journal.ts';
import { profileOf } from '../people/index.ts';

/** Shared pieces of the fee modules: students, periods, school days, and the checks every money write makes. */

export interface StudentRow {
  id: string;
  student_no: string;
  name: string;
  class_name: string;
  meal_plan: MealPlan;
  subsidy_eligible: number;
  active: number;
  updated_at: string;
}

export function toStudent(r: StudentRow): Student {
  return {
    id: r.id,
    studentNo: r.student_no,
    name: r.name,
    className: r.class_name,
    mealPlan: r.meal_plan,
    subsidyEligible: r.subsidy_eligible === 1,
    active: r.active === 1,
    updatedAt: r.updated_at,
  };
}

export function getStudent(ctx: Ctx, id: string): Student {
  const r = ctx.db.prepare('SELECT * FROM students WHERE id = ?').get(id) as StudentRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该学生');
  return toStudent(r);
}

/**
 * The class a pupil was in on a day (调班, migration 0016): the class a later move moved them from, or their current
 * class when no move is dated after the day.
 */
export function classOn(ctx: Ctx, studentId: string, currentClass: string, date: string): string {
  const m = ctx.db
    .prepare('SELECT from_class FROM student_class_moves WHERE student_id = ? AND effective_date > ? ORDER BY effective_date LIMIT 1')
    .get(studentId, date) as { from_class: string } | undefined;
  return m?.from_class ?? currentClass;
}

export function dailyRate(ctx: Ctx, plan: MealPlan): number {
  return (ctx.db.prepare('SELECT daily_rate_fen FROM meal_plans WHERE code = ?').get(plan) as { daily_rate_fen: number }).daily_rate_fen;
}

/** Which account a payment method lands in: the two e-wallets settle through one clearing account. */
export function moneyAccount(method: PayMethod): 'cash' | 'bank' | 'ewallet' {
  return method === 'cash' ? 'cash' : method === 'bank' ? 'bank' : 'ewallet';
}

export function today(ctx: Ctx): string {
  return chinaDate(ctx.now());
}

export function schoolDaysBetween(ctx: Ctx, from: string, to: string): string[] {
  return (ctx.db.prepare('SELECT day FROM school_days WHERE day BETWEEN ? AND ? ORDER BY day').all(from, to) as { day: string }[]).map((r) => r.day);
}

/** A month ('2026-09') or a term ('2026秋'); the profile decides which kind fees are collected for. */
export function resolvePeriod(ctx: Ctx, key: string, forCollection = false): FeePeriod {
  const isMonth = /^\d{4}-\d{2}$/.test(key);
  if (forCollection) {
    const p = profileOf(ctx).feePeriod;
    if (p === 'month' && !isMonth) throw new ApiError('RULE', '本校按月收取伙食费，收费期间应为 YYYY-MM');
    if (p === 'term' && isMonth) throw new ApiError('RULE', '本校按学期收取伙食费，请选择学期');
  }
  let start: string;
  let end: string;
  let label: string;
  if (isMonth) {
    start = `${key}-01`;
    end = lastDayOfMonth(key);
    label = monthWords(key);
  } else {
    const t = ctx.db.prepare('SELECT name, start_date, end_date FROM terms WHERE code = ?').get(key) as { name: string; start_date: string; end_date: string } | undefined;
    if (!t) throw new ApiError('NOT_FOUND', `没有设置学期“${key}”，请先在学期设置中填写起止日期`);
    start = t.start_date;
    end = t.end_date;
    label = t.name;
  }
  return { key, label, start, end, schoolDays: schoolDaysBetween(ctx, start, end).length };
}

/** The latest day whose cash has been cleared; that day and every day before it are closed for cash. */
export function lastClearedDay(ctx: Ctx): string | null {
  return (ctx.db.prepare('SELECT max(day) AS d FROM cash_clearings').get() as { d: string | null }).d;
}

/**
 * Every fee, refund, subsidy and deposit write goes through this: not in the future, not in a closed month, and — when
 * it moves cash — not into a day on or before the last 日清 (a cleared day's count fixed the cash carried forward;
 * the journal trigger refuses cash postings into those days again). A document that moves no cash (a refund's
 * approval, a bank or e-wallet receipt, a subsidy) may be dated on a cleared day: entering an earlier month late
 * (issue 14 §3) must not depend on whether cash was counted since.
 */
export function assertWritableDay(ctx: Ctx, date: string, what: string, movesCash: boolean): void {
  if (date > today(ctx)) throw new ApiError('RULE', `${what}日期 ${date} 晚于今天，不能预先记账`);
  assertPeriodOpen(ctx, date);
  if (!movesCash) return;
  const cleared = lastClearedDay(ctx);
  if (cleared && date <= cleared) {
    throw new ApiError('LOCKED', `${date === cleared ? date : `${date}（${cleared} 及之前）`} 的现金已日清结账，不能再记入${what}；请改在日清之后的日期办理`);
  }
}

/** Mon–Fri working days after `from` up to and including `to` (0 when to ≤ from). Holidays are not subtracted. */
export function workingDaysAfter(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6) n++;
  }
  return n;
}

export function userName(ctx: Ctx, id: string | null): string {
  if (!id) return '';
  return (ctx.db.prepare('SELECT display_name FROM users WHERE id = ?').get(id) as { display_name: string } | undefined)?.display_name ?? '';
}
