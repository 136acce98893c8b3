import type Database from 'better-sqlite3';
import { addDays, chinaDate } from './clock.ts';
import type { Ctx } from '../context.ts';

/**
 * Recent use at this school, for ranking search results (issue 15: "qc" lists 青菜, bought weekly, before 芹菜):
 * posted delivery lines per ingredient and posted deliveries per supplier over the last RECENT_USE_DAYS days.
 *
 * Counting them is a walk over the window's deliveries (about 6,000 lines on the ten-year bench ledger, a few ms),
 * too much for every keystroke, so the counts are kept per connection and counted again only when the day or the
 * ledger changed: every write appends to the audit chain, so its newest seq says whether anything did. The searches
 * read them through the SQL function recent_use(kind, id), so ranking and LIMIT stay in one statement.
 */
export const RECENT_USE_DAYS = 90;

type Kind = 'ingredient' | 'supplier';
interface Counts {
  key: string;
  byKind: Record<Kind, Map<string, number>>;
}
const cache = new WeakMap<Database.Database, Counts>();
/** The counts the SQL function reads: set by recentUse() just before the statement runs (all of it synchronous). */
let current: Counts | null = null;

export function recentSince(ctx: Ctx): string {
  return addDays(chinaDate(ctx.now()), -RECENT_USE_DAYS);
}

/** Makes recent_use(kind, id) answer for this ledger and today; call it right before the statement that uses it. */
export function recentUse(ctx: Ctx): void {
  const db = ctx.db;
  const since = recentSince(ctx);
  const head = (db.prepare('SELECT max(seq) AS seq FROM audit_log').get() as { seq: number | null }).seq ?? 0;
  const key = `${since}|${head}`;
  let counts = cache.get(db);
  if (!counts) db.function('recent_use', (kind: unknown, id: unknown) => current?.byKind[kind as Kind]?.get(id as string) ?? 0);
  if (!counts || counts.key !== key) {
    // CROSS JOIN keeps the order: the window's deliveries by date first, then their lines by primary key (left to
    // itself the planner walks every line of every item ever received).
    const lines = db
      .prepare(
        `SELECT l.ingredient_id AS id, count(*) AS n FROM deliveries d CROSS JOIN delivery_lines l ON l.delivery_id = d.id
         WHERE d.delivery_date >= ? AND d.status = 'posted' GROUP BY l.ingredient_id`,
      )
      .all(since) as { id: string; n: number }[];
    const deliveries = db
      .prepare(`SELECT supplier_id AS id, count(*) AS n FROM deliveries WHERE delivery_date >= ? AND status = 'posted' GROUP BY supplier_id`)
      .all(since) as { id: string; n: number }[];
    counts = { key, byKind: { ingredient: new Map(lines.map((r) => [r.id, r.n])), supplier: new Map(deliveries.map((r) => [r.id, r.n])) } };
    cache.set(db, counts);
  }
  current = counts;
}
