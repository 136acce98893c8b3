import type { MethodDef } from '../../../shared/api/contract.ts';
import { periodValuesOf } from '../../../shared/api/period-fields.ts';
import { ApiError } from '../../../shared/errors.ts';
import { chinaDate } from './clock.ts';
import type { Ctx } from '../context.ts';

/**
 * The period lock (docs/DOMAIN-RULES.md "Dates and the period lock"). Months close in order and only the latest
 * closed month can be reopened (monthclose.ts), so the lock is one boundary: nothing is booked on or before the last
 * day of the latest closed month — a date inside a closed month, or before it (a month left open before it, e.g. an
 * empty summer month, is part of the published history too). Nothing is booked after today in China time either.
 * Migration 0014 holds the boundary again in SQL; the "not after today" rule needs the app's clock and lives here.
 */

const monthWords = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
const CORRECT = '如需更正请由审核人填写理由后反结账';

/** The latest closed month ('2026-11'), or null when no month is closed. */
export function latestClosedMonth(ctx: Pick<Ctx, 'db'>): string | null {
  return (ctx.db.prepare('SELECT max(period) AS p FROM closed_periods').get() as { p: string | null }).p;
}

/** Why a date (YYYY-MM-DD) or month (YYYY-MM) may not be booked under the lock, or null when it may. */
export function lockRefusal(ctx: Pick<Ctx, 'db'>, dateOrMonth: string): string | null {
  const latest = latestClosedMonth(ctx);
  const m = dateOrMonth.slice(0, 7);
  if (latest === null || m > latest) return openingRefusal(ctx, dateOrMonth);
  if (m === latest || ctx.db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(m) !== undefined) {
    return `${monthWords(m)}已月结锁定，不能再记账；${CORRECT}`;
  }
  const what = dateOrMonth.length === 7 ? monthWords(dateOrMonth) : dateOrMonth;
  return `${monthWords(latest)}已月结锁定，${what} 早于已锁定的月份，不能再记账；${CORRECT}`;
}

/**
 * The books start at a posted opening (期初建账, migration 0017, dated a month's last day): nothing else is booked on
 * or before it, so its month holds the opening alone and the next month's 上月累计结余 is the opening.
 */
function openingRefusal(ctx: Pick<Ctx, 'db'>, dateOrMonth: string): string | null {
  const o = ctx.db.prepare(`SELECT opening_date AS d FROM openings WHERE status = 'posted'`).get() as { d: string } | undefined;
  if (!o || dateOrMonth > (dateOrMonth.length === 7 ? o.d.slice(0, 7) : o.d)) return null;
  const what = dateOrMonth.length === 7 ? monthWords(dateOrMonth) : dateOrMonth;
  return `本账于 ${o.d} 期初建账，${what} 不晚于期初日，不能再记账；期初以前的业务已包含在期初数中`;
}

/** True when the date lies on or before the last day of the latest closed month. */
export function isPeriodClosed(ctx: Pick<Ctx, 'db'>, date: string): boolean {
  return lockRefusal(ctx, date) !== null;
}

/** Every path that writes dated records calls this first (the dispatcher does for marked fields), so the refusal names the month. */
export function assertPeriodOpen(ctx: Pick<Ctx, 'db'>, date: string): void {
  const why = lockRefusal(ctx, date);
  if (why) throw new ApiError('LOCKED', why);
}

/** A document cannot be booked ahead of the day (China time). */
export function assertNotFuture(ctx: Pick<Ctx, 'now'>, date: string, label = '单据日期'): void {
  const today = chinaDate(ctx.now());
  if (date > today) throw new ApiError('RULE', `${label} ${date} 晚于今天 ${today}，不能预先记账`);
}

/** The date a document is booked on: not locked, not in the future. */
export function assertDocumentDate(ctx: Pick<Ctx, 'db' | 'now'>, date: string, label = '单据日期'): void {
  assertPeriodOpen(ctx, date);
  assertNotFuture(ctx, date, label);
}

/**
 * The dispatcher's check of a writing method's marked fields (shared/api/fields.ts documentDate, documentMonth), run
 * inside the method's transaction before its handler: one rule for every dated method, whatever the handler does.
 */
export function assertPeriodFields(ctx: Ctx, def: MethodDef, input: unknown): void {
  for (const f of periodValuesOf(def.input, input)) {
    const why = lockRefusal(ctx, f.value);
    if (why) throw new ApiError('LOCKED', why, [{ path: f.path, message: why }]);
    if (f.future) continue;
    const today = chinaDate(ctx.now());
    if (f.kind === 'date' && f.value > today) {
      const msg = `${f.label} ${f.value} 晚于今天 ${today}，不能预先记账`;
      throw new ApiError('RULE', msg, [{ path: f.path, message: msg }]);
    }
    if (f.kind === 'month' && f.value > today.slice(0, 7)) {
      const msg = `${monthWords(f.value)}还没到，不能${f.action}`;
      throw new ApiError('RULE', msg, [{ path: f.path, message: msg }]);
    }
  }
}
