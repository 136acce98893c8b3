import type { Db } from '../db/open.ts';

/**
 * The seal a month close leaves in its audit entry (issue 19), under `after.seal`: what every record table held at
 * that moment — its row count and its highest rowid — as of the close entry itself (the close's own rows are written
 * before it). The entry's hash covers the seal, and every later entry's hash covers that one, so the seal cannot be
 * changed without breaking the chain from there on.
 *
 * `verify --quick` starts from the newest seal whose entry is intact (its hash, and its link to the entry before it):
 * it proves the chain's continuity from there to the head, checks every row group written after it in full against
 * its snapshot, and holds the tables to the seal: a table nobody wrote since must have exactly the rows it had (count
 * and highest rowid), and any row added since must belong to a group an audit entry since wrote. What it does not
 * prove (only the full verify does): that rows present at the seal were not changed in place, and the chain's hashes
 * before the seal. Closes written before seals existed carry none: they are simply unsealed.
 */
export interface Seal {
  v: 1;
  /** table → [row count, highest rowid (0 when empty)] */
  tables: Record<string, [number, number]>;
}

/** The tables a seal counts: every table but the audit log itself (the chain is proved by its hashes). */
export function sealedTables(db: Db): string[] {
  return (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'audit_log' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

/** Whether `table` has rowids (a WITHOUT ROWID table has none: the seal holds its count only). */
export function hasRowid(db: Db, table: string): boolean {
  return !/\bWITHOUT\s+ROWID\b/i.test((db.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?`).get(table) as { sql: string } | undefined)?.sql ?? '');
}

/** Row count and highest rowid of `table` (a WITHOUT ROWID table: count only, its highest rowid 0). */
export function tableBounds(db: Db, table: string): [number, number] {
  const r = db.prepare(hasRowid(db, table) ? `SELECT count(*) AS n, coalesce(max(rowid), 0) AS m FROM "${table}"` : `SELECT count(*) AS n, 0 AS m FROM "${table}"`).get() as { n: number; m: number };
  return [r.n, r.m];
}

/** The seal of the ledger as it is now (inside the close's transaction, after its rows are written). */
export function sealNow(db: Db): Seal {
  const tables: Seal['tables'] = {};
  for (const t of sealedTables(db)) tables[t] = tableBounds(db, t);
  return { v: 1, tables };
}

/** The seal an audit entry's `after` carries, if it is well formed. */
export function sealOf(after: Record<string, unknown> | null): Seal | null {
  const s = after?.seal as Seal | undefined;
  if (!s || s.v !== 1 || typeof s.tables !== 'object' || s.tables === null) return null;
  for (const v of Object.values(s.tables)) if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => Number.isInteger(x) && x >= 0)) return null;
  return s;
}
