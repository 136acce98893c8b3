import Database from 'better-sqlite3';
import { MIGRATIONS } from '../db/migrations/index.ts';
import { TABLES, type TableEntry } from '../../../shared/tables.ts';

/**
 * The table registry for the core (the declarations: shared/tables.ts, so the pages read the same names). Everything
 * that needs to know the ledger's tables reads it here — verify's checks (integrity/checks/), the tamper kit — and is
 * read afresh on every call, so an entry added at run time (a test's scratch table) is seen like one in the file.
 * Columns and primary keys are read from the schema the migration ladder builds in memory, never written twice.
 */

export { TABLES, tableLabel, type TableCheck, type TableDomain, type TableEntry, type TableName } from '../../../shared/tables.ts';

/** Every registered table with its entry, in declaration order. */
export function registeredTables(): [string, TableEntry][] {
  return Object.entries(TABLES as Record<string, TableEntry>);
}

export function tableEntry(table: string): TableEntry | undefined {
  return (TABLES as Record<string, TableEntry>)[table];
}

/** The snapshot group column of every table checked against its row snapshots (what verify's ROW_GROUPS held). */
export function rowGroups(): Record<string, string> {
  return Object.fromEntries(registeredTables().flatMap(([t, e]) => (e.check === 'snapshots' && e.group ? [[t, e.group]] : [])));
}

/** The columns a later migration added to `table`, with the value the rows it found took (registry `added`). */
export function addedColumns(table: string): Readonly<Record<string, string | number | null>> | undefined {
  return tableEntry(table)?.added;
}

/** A snapshot's row as the table holds it now: the columns added since it was written, at the value they took. */
export function withAddedColumns(table: string, row: Record<string, unknown>): Record<string, unknown> {
  const added = addedColumns(table);
  if (!added) return row;
  const missing = Object.keys(added).filter((c) => !(c in row));
  return missing.length ? { ...row, ...Object.fromEntries(missing.map((c) => [c, added[c]])) } : row;
}

/** Tables every row of which has its snapshot since the table was born. */
export function snapshottedFromBirth(): Set<string> {
  return new Set(registeredTables().flatMap(([t, e]) => (e.snapshottedFromBirth ? [t] : [])));
}

/** The tables whose documents take numbers from doc_counters. */
export function docNumberTables(): string[] {
  return registeredTables().flatMap(([t, e]) => (e.numbered ? [t] : []));
}

/** Audit entity → the action that brings one into being, for the tables checked entity by entity. */
export function creatingActions(): Record<string, string> {
  return Object.fromEntries(registeredTables().flatMap(([, e]) => (e.check === 'entity' && e.entity ? [[e.entity.code, e.entity.creates]] : [])));
}

/** A table's registered entity's table, by audit entity code ('supplier' → 'suppliers'). */
export function tableOfEntity(code: string): string | undefined {
  return registeredTables().find(([, e]) => e.entity?.code === code)?.[0];
}

export interface TableShape {
  columns: string[];
  /** The primary key's columns, in key order. */
  key: string[];
}

const shapes = new Map<number, Map<string, TableShape>>();

/** Every table the migrations build, with its columns and primary key (cached per ladder length). */
export function migratedTables(): Map<string, TableShape> {
  const hit = shapes.get(MIGRATIONS.length);
  if (hit) return hit;
  const scratch = new Database(':memory:');
  try {
    for (const m of MIGRATIONS) scratch.exec(m.sql);
    const names = (scratch.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    const out = new Map<string, TableShape>();
    for (const name of names) {
      const cols = scratch.prepare('SELECT name, pk FROM pragma_table_info(?) ORDER BY cid').all(name) as { name: string; pk: number }[];
      out.set(name, { columns: cols.map((c) => c.name), key: cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name) });
    }
    shapes.set(MIGRATIONS.length, out);
    return out;
  } finally {
    scratch.close();
  }
}

/** Tables the migrations build that have no registry entry (a new table's entry forgotten): none, in a sound build. */
export function unregisteredTables(): string[] {
  return [...migratedTables().keys()].filter((t) => !tableEntry(t));
}

/** A table's columns and key as the migrations build it. */
export function tableShape(table: string): TableShape | undefined {
  return migratedTables().get(table);
}
