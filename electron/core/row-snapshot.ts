import type { Ctx } from './context.ts';

/**
 * Row snapshots carried in an audit entry's `after` (under `_rows`), so `verify` can compare the domain tables with
 * the audit chain column by column. A snapshot with `g` replaces every row of its group (the table's group column,
 * see verify's ROW_GROUPS) with `rows` (none: the group is gone); one without `g` puts each row in its own group (the
 * rows of append-only tables, which never change once written).
 */
export interface RowSnapshot {
  t: string;
  g?: string;
  rows: Record<string, unknown>[];
}

/** Every row of `table` whose `col` is `value`, replacing that group. */
export function groupRows(ctx: Ctx, table: string, col: string, value: string): RowSnapshot {
  return { t: table, g: value, rows: ctx.db.prepare(`SELECT * FROM "${table}" WHERE "${col}" = ?`).all(value) as Record<string, unknown>[] };
}

/** The rows of `table` chosen by a WHERE clause, each in its own group (for immutable, append-only rows). */
export function rowsWhere(ctx: Ctx, table: string, where: string, ...args: unknown[]): RowSnapshot {
  return { t: table, rows: ctx.db.prepare(`SELECT * FROM "${table}" WHERE ${where}`).all(...args) as Record<string, unknown>[] };
}

/** The audit `after` with the snapshots added (a strict superset of what it held). */
export function withRows<T extends object>(after: T | null, ...snaps: RowSnapshot[]): T & { _rows: RowSnapshot[] } {
  return { ...((after ?? {}) as T), _rows: snaps };
}

/** A delivery's header, lines and inspectors (a draft save rewrites all three). */
export function deliveryRows(ctx: Ctx, id: string): RowSnapshot[] {
  return [groupRows(ctx, 'deliveries', 'id', id), groupRows(ctx, 'delivery_lines', 'delivery_id', id), groupRows(ctx, 'delivery_inspectors', 'delivery_id', id)];
}

/** The row just appended to an append-only table numbered by `seq` (its INTEGER PRIMARY KEY), in its own group. */
export function newestBySeq(ctx: Ctx, table: 'bank_statement_balances' | 'month_close_events'): RowSnapshot {
  return rowsWhere(ctx, table, `seq = (SELECT max(seq) FROM "${table}")`);
}
