import type { Ctx } from '../context.ts';

/**
 * The next gapless number of a series in a year, e.g. nextNumber(ctx, 'YS', 2026) → 'YS2026-0001'. Must run inside
 * the writing transaction: a rolled-back document gives its number back, a committed one keeps it (voids included).
 */
export function nextNumber(ctx: Ctx, series: string, year: number, width = 4): string {
  const db = ctx.db;
  const row = db.prepare('SELECT last FROM doc_counters WHERE series = ? AND year = ?').get(series, year) as { last: number } | undefined;
  const n = (row?.last ?? 0) + 1;
  if (row) db.prepare('UPDATE doc_counters SET last = ? WHERE series = ? AND year = ?').run(n, series, year);
  else db.prepare('INSERT INTO doc_counters (series, year, last) VALUES (?, ?, 1)').run(series, year);
  return `${series}${year}-${String(n).padStart(width, '0')}`;
}
