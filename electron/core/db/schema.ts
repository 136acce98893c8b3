import Database from 'better-sqlite3';
import { ApiError } from '../../../shared/errors.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { Db } from './open.ts';

/**
 * The ledger's schema against the one the migration ladder defines (issue 20): a trigger dropped (the rules that
 * refuse changing posted rows gone) or planted (one that shaves a yuan off each new receipt after its audit entry was
 * written) changes nothing the row-by-row checks can see, so verify compares every table, index, trigger and view by
 * name and definition, and the dispatcher refuses to write to a ledger whose schema differs.
 *
 * The expected schema is not written down anywhere: it is what running the first N migrations on an empty in-memory
 * database leaves in sqlite_schema (N = the ledger's user_version), built once per version per process (about 20 ms
 * for twelve steps) so that a migration added later is covered without touching this file.
 */

interface SchemaObject {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

export interface SchemaDifference {
  type: string;
  name: string;
  change: 'missing' | 'extra' | 'changed';
  /** e.g. "触发器 fee_receipts_no_update 缺失", "多出触发器 shave（表 fee_receipts）", "索引 x 的定义被改动". */
  message: string;
}

const TYPE_LABEL: Record<string, string> = { table: '表', index: '索引', trigger: '触发器', view: '视图' };
const label = (type: string) => TYPE_LABEL[type] ?? type;

/** SQLite keeps the CREATE text as written; only runs of whitespace are not meaningful. */
const normalise = (sql: string | null) => (sql ?? '').replace(/\s+/g, ' ').trim();
const key = (o: { type: string; name: string }) => `${o.type}\u0000${o.name}`;

/** Objects SQLite makes for itself (autoindexes, sqlite_sequence, sqlite_stat1 after ANALYZE) are not ours to compare. */
const READ_SCHEMA = `SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name`;

const expected = new Map<number, Map<string, SchemaObject>>();

/** The schema the first `version` migrations create, by type and name (cached per process). */
export function expectedSchema(version: number = MIGRATIONS.length): Map<string, SchemaObject> {
  const hit = expected.get(version);
  if (hit) return hit;
  const scratch = new Database(':memory:');
  try {
    for (const m of MIGRATIONS.slice(0, version)) scratch.exec(m.sql);
    const objects = new Map((scratch.prepare(READ_SCHEMA).all() as SchemaObject[]).map((o) => [key(o), o]));
    expected.set(version, objects);
    return objects;
  } finally {
    scratch.close();
  }
}

/** Every object missing, extra or defined differently from what the migrations up to the ledger's version create. */
export function schemaDifferences(db: Db): SchemaDifference[] {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    return [{ type: 'database', name: 'user_version', change: 'changed', message: `数据版本 ${version} 比本软件支持的 ${MIGRATIONS.length} 新，无法核对数据库结构` }];
  }
  const want = expectedSchema(version);
  const have = new Map((db.prepare(READ_SCHEMA).all() as SchemaObject[]).map((o) => [key(o), o]));
  // Planted objects first, then changed, then missing ones: what acts on every later write is named first.
  const extra: SchemaDifference[] = [];
  const changed: SchemaDifference[] = [];
  const missing: SchemaDifference[] = [];
  for (const [k, h] of have) {
    if (want.has(k)) continue;
    const on = h.type === 'trigger' || h.type === 'index' ? `（表 ${h.tbl_name}）` : '';
    extra.push({ type: h.type, name: h.name, change: 'extra', message: `多出${label(h.type)} ${h.name}${on}` });
  }
  for (const [k, w] of want) {
    const h = have.get(k);
    if (!h) missing.push({ type: w.type, name: w.name, change: 'missing', message: `${label(w.type)} ${w.name} 缺失` });
    else if (h.tbl_name !== w.tbl_name || normalise(h.sql) !== normalise(w.sql)) {
      changed.push({ type: w.type, name: w.name, change: 'changed', message: `${label(w.type)} ${w.name} 的定义被改动` });
    }
  }
  return [...extra, ...changed, ...missing];
}

/** Per connection, the differences found at its current schema_version (any DDL bumps it, so a live change is seen). */
const checked = new WeakMap<Db, { schemaVersion: number; differences: SchemaDifference[] }>();

/** The differences of this connection's ledger, compared once per schema change (a pragma read on later calls). */
export function schemaDifferencesCached(db: Db): SchemaDifference[] {
  const schemaVersion = db.pragma('schema_version', { simple: true }) as number;
  const c = checked.get(db);
  if (c && c.schemaVersion === schemaVersion) return c.differences;
  const differences = schemaDifferences(db);
  checked.set(db, { schemaVersion, differences });
  return differences;
}

/**
 * Refuses writing to a ledger whose schema is not the one the migrations define: a changed trigger may alter every
 * later record (and the audit entries written beside it) without a trace in the rows. Reads, verify, backup and
 * restore still work, so the person can see what is wrong and go back to a good copy.
 */
export function assertSchemaIntact(db: Db): void {
  const d = schemaDifferencesCached(db);
  if (d.length === 0) return;
  const what = d.length === 1 ? d[0].message : `${d[0].message}等 ${d.length} 处`;
  throw new ApiError('LOCKED', `账本的数据库结构与本软件不一致（${what}），为防止账目被篡改，已禁止写入。请运行校验查看详情，并从备份恢复或联系技术支持。`);
}
