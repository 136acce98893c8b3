import { TABLES, type TableEntry } from '../../../shared/tables.ts';
import type { Ctx } from '../context.ts';

/**
 * Row snapshots carried in an audit entry's `after` (under `_rows`), so `verify` can compare the domain tables with
 * the audit chain column by column. A snapshot with `g` replaces every row of its group (the table's group column,
 * see verify's ROW_GROUPS) with its rows (none: the group is gone); one without `g` puts each row in its own group (the
 * rows of append-only tables, which never change once written).
 */
export interface RowSnapshot {
  t: string;
  g?: string;
  /** The table's columns, once; then each row's values in that order (a third fewer bytes than a row object each:
   * the snapshots are most of what a post writes to the audit log, and a durable commit costs by its pages). */
  cols: string[];
  vals: unknown[][];
}

/** The table's rows chosen by `where`, as columns and value arrays. */
function select(ctx: Ctx, table: string, where: string, args: unknown[]): Pick<RowSnapshot, 'cols' | 'vals'> {
  // Its own SQL text (the comment): the connection caches one statement per text, and this one is put in raw mode.
  const st = ctx.db.prepare(`SELECT * FROM "${table}" WHERE ${where} /* row snapshot */`).raw(true);
  return { cols: st.columns().map((c) => c.name), vals: st.all(...args) as unknown[][] };
}

/** Every row of `table` whose `col` is `value`, replacing that group. */
export function groupRows(ctx: Ctx, table: string, col: string, value: string): RowSnapshot {
  return { t: table, g: value, ...select(ctx, table, `"${col}" = ?`, [value]) };
}

/** The rows of `table` chosen by a WHERE clause, each in its own group (for immutable, append-only rows). */
export function rowsWhere(ctx: Ctx, table: string, where: string, ...args: unknown[]): RowSnapshot {
  return { t: table, ...select(ctx, table, where, args) };
}

/** A snapshot's rows as objects, from either form: `cols` and `vals`, or `rows` (audit entries written before 2026-11-28). */
export function snapshotRows(snap: { cols?: unknown; vals?: unknown; rows?: unknown }): Record<string, unknown>[] | null {
  if (Array.isArray(snap.rows)) return snap.rows as Record<string, unknown>[];
  if (!Array.isArray(snap.cols) || !Array.isArray(snap.vals)) return null;
  const cols = snap.cols as string[];
  return (snap.vals as unknown[]).map((v) => (Array.isArray(v) ? Object.fromEntries(cols.map((c, i) => [c, v[i]])) : {}));
}

/** The audit `after` with the snapshots added (a strict superset of what it held). */
export function withRows<T extends object>(after: T | null, ...snaps: RowSnapshot[]): T & { _rows: RowSnapshot[] } {
  return { ...((after ?? {}) as T), _rows: snaps };
}

/** A delivery's header, lines, inspectors and quick tests (a draft save rewrites all four). */
export function deliveryRows(ctx: Ctx, id: string): RowSnapshot[] {
  return [
    groupRows(ctx, 'deliveries', 'id', id),
    groupRows(ctx, 'delivery_lines', 'delivery_id', id),
    groupRows(ctx, 'delivery_inspectors', 'delivery_id', id),
    groupRows(ctx, 'delivery_residue_tests', 'delivery_id', id),
    groupRows(ctx, 'delivery_line_units', 'delivery_id', id),
  ];
}

/** The row just appended to an append-only table numbered by `seq` (its INTEGER PRIMARY KEY), in its own group. */
export function newestBySeq(ctx: Ctx, table: 'bank_statement_balances' | 'month_close_events' | 'profile_versions'): RowSnapshot {
  return rowsWhere(ctx, table, `seq = (SELECT max(seq) FROM "${table}")`);
}

/** What a secret column's value is shown as (audit.list); the chain keeps the value itself. */
export const SECRET_SHOWN = '（已隐藏）';

/**
 * An audit `before`/`after` as a person may read it: the values of the columns the table registry declares secret
 * (the signing key's private key) replaced by 已隐藏 in its row snapshots, either form. Everything else as it is.
 */
export function withoutSecrets(payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || !Array.isArray((payload as { _rows?: unknown })._rows)) return payload;
  const snaps = (payload as { _rows: (RowSnapshot & { rows?: Record<string, unknown>[] })[] })._rows;
  const secretOf = (t: string): readonly string[] | undefined => (TABLES as Record<string, TableEntry>)[t]?.secret;
  if (!snaps.some((s) => secretOf(s.t))) return payload;
  return {
    ...payload,
    _rows: snaps.map((snap) => {
      const secret = secretOf(snap.t);
      if (!secret) return snap;
      if (Array.isArray(snap.rows)) return { ...snap, rows: snap.rows.map((r) => ({ ...r, ...Object.fromEntries(secret.filter((c) => c in r).map((c) => [c, SECRET_SHOWN])) })) };
      const at = secret.map((c) => snap.cols.indexOf(c)).filter((i) => i >= 0);
      return { ...snap, vals: snap.vals.map((v) => (Array.isArray(v) ? v.map((x, i) => (at.includes(i) ? SECRET_SHOWN : x)) : v)) };
    }),
  };
}
