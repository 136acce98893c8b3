import Database from 'better-sqlite3';
import fs from 'node:fs';
import { seededRandom } from '../../electron/core/ledger/seeded-random.ts';
import { registeredTables, tableShape, type TableEntry } from '../../electron/core/ledger/tables.ts';
import type { VerifyReport } from '../../electron/core/integrity/verify.ts';

/**
 * Tampering as done with the sqlite3 shell behind the app's back, shared by the tamper tests: a copy of a baseline
 * ledger with triggers dropped, CHECK constraints and foreign keys off; one random change, deletion or insertion.
 */

type Row = Record<string, unknown>;

/** The CREATE text of the triggers each tamperable copy dropped, for `restoreTriggers`. */
const droppedTriggers = new WeakMap<Database.Database, string[]>();

/** A copy of `baseline` at `file`, opened the way a person with the sqlite3 shell would: no triggers, no checks. */
export function tamperableCopy(baseline: string, file: string): Database.Database {
  const db = plainCopy(baseline, file);
  db.pragma('foreign_keys = OFF');
  db.pragma('ignore_check_constraints = ON');
  droppedTriggers.set(db, dropTriggers(db));
  return db;
}

/** Drops every trigger; their CREATE text, in schema order. */
function dropTriggers(db: Database.Database): string[] {
  const triggers = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'`).all() as { name: string; sql: string }[];
  db.transaction(() => {
    for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
  })();
  return triggers.map((t) => t.sql);
}

/**
 * The same tamperable copies as `tamperableCopy`, made in memory (issue 19, suite time): `baseline` is read once and its
 * triggers dropped once, and each call deserializes those bytes into a fresh in-memory database with foreign keys and
 * CHECK constraints off — no file copied, written or synced per round (a third of a round's CPU with file copies).
 * `restoreTriggers` puts back the baseline's triggers as for a file copy. For verify runs that need no file beside
 * the ledger (attachments, backups): the database has no path.
 */
export function tamperableCopies(baseline: string): () => Database.Database {
  const src = new Database(baseline, { readonly: true });
  let image: Buffer;
  try {
    image = src.serialize();
  } finally {
    src.close();
  }
  // Header bytes 18-19 say WAL (2) in a WAL ledger; an in-memory database cannot use a WAL: the rollback journal (1).
  image[18] = 1;
  image[19] = 1;
  const scratch = new Database(image);
  const triggers = dropTriggers(scratch);
  const dropped = scratch.serialize();
  scratch.close();
  return () => {
    const db = new Database(dropped);
    db.unsafeMode(true);
    db.pragma('foreign_keys = OFF');
    db.pragma('ignore_check_constraints = ON');
    droppedTriggers.set(db, triggers);
    return db;
  };
}

/** A copy of `baseline` at `file` opened with the sqlite3 shell's defaults (triggers and checks in place). */
export function plainCopy(baseline: string, file: string): Database.Database {
  fs.copyFileSync(baseline, file);
  for (const side of ['-wal', '-shm']) fs.rmSync(`${file}${side}`, { force: true });
  const db = new Database(file);
  // The shell is not in defensive mode: sqlite_schema itself can be edited (PRAGMA writable_schema).
  db.unsafeMode(true);
  db.pragma('synchronous = OFF');
  return db;
}

/**
 * Puts back the triggers `tamperableCopy` dropped, as a careful tamperer would after editing rows: verify must then
 * find the edit in the rows themselves, not merely notice the missing triggers (which it names since issue 20).
 */
export function restoreTriggers(db: Database.Database): void {
  const sqls = droppedTriggers.get(db) ?? [];
  db.transaction(() => {
    for (const sql of sqls) db.exec(sql);
  })();
  droppedTriggers.delete(db);
}

const where = (keys: string[]) => keys.map((k) => `"${k}" IS ?`).join(' AND ');

function variants(old: unknown, others: unknown[], rnd: () => number): unknown[] {
  const pick = others[Math.floor(rnd() * others.length)];
  if (typeof old === 'string') return [`${old}x`, old.slice(1), `改${old}`, pick, '', old.toUpperCase(), old.replace(/\d/, (d) => String((Number(d) + 1) % 10)), '2026-01-01', null];
  if (typeof old === 'number') return [old + 1, old - 1, -old, 0, old * 10 + 7, pick, null];
  return ['x', 0, 1, pick, '2020-01-01'];
}

/**
 * One random tampering of `table`; a description, or null when the chosen operation was impossible (then retried).
 * `skip`: columns verify says it does not cover (never changed here).
 */
export function tamper(db: Database.Database, table: string, keys: string[], op: 'change' | 'delete' | 'insert', rnd: () => number, skip: string[] = []): string | null {
  const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Row[];
  if (rows.length === 0) return null;
  const row = rows[Math.floor(rnd() * rows.length)];
  const keyVals = keys.map((k) => row[k]);
  try {
    if (op === 'delete') {
      return db.prepare(`DELETE FROM "${table}" WHERE ${where(keys)}`).run(...keyVals).changes === 1 ? `delete ${table} ${JSON.stringify(keyVals)}` : null;
    }
    if (op === 'change') {
      const cols = Object.keys(row).filter((c) => !skip.includes(c));
      const col = cols[Math.floor(rnd() * cols.length)];
      const vs = variants(row[col], rows.map((r) => r[col]), rnd);
      for (let tries = 0; tries < 6; tries++) {
        const v = vs[Math.floor(rnd() * vs.length)];
        if (v === row[col] || v === undefined) continue;
        try {
          if (db.prepare(`UPDATE "${table}" SET "${col}" = ? WHERE ${where(keys)}`).run(v, ...keyVals).changes === 1) {
            return `change ${table}.${col} of ${JSON.stringify(keyVals)}: ${JSON.stringify(row[col])} → ${JSON.stringify(v)}`;
          }
        } catch {
          /* NOT NULL, UNIQUE or STRICT type: try another value */
        }
      }
      return null;
    }
    // insert: a copy of an existing row under a new key (a child row stays under its parent: a forged extra line)
    const copy: Row = { ...row };
    const own = keys.slice(-1);
    for (const k of own) {
      if (typeof copy[k] === 'number') copy[k] = (db.prepare(`SELECT max("${k}") AS m FROM "${table}"`).get() as { m: number }).m + 1;
      else copy[k] = `${String(copy[k]).slice(0, -4)}${Math.floor(rnd() * 9000 + 1000)}`;
    }
    const cols = Object.keys(copy);
    const ins = db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    try {
      ins.run(...cols.map((c) => copy[c]));
    } catch {
      for (const c of cols) if (!keys.includes(c) && typeof copy[c] === 'string' && !/^[[{]/.test(copy[c] as string)) copy[c] = `${String(copy[c])}·`;
      try {
        ins.run(...cols.map((c) => copy[c]));
      } catch {
        return null;
      }
    }
    return `insert ${table} ${JSON.stringify(keys.map((k) => copy[k]))}`;
  } catch {
    return null;
  }
}

/**
 * Which tamper suite takes a registered table (ledger/tables.ts), so every table of the registry — a new one too — is
 * tampered with by one of them without listing it: 'foundation' (tamper.test: the tables checked entity by entity, their
 * children, the accounts, the installation and the audit chain, on a ledger with history), 'monthclose'
 * (tamper-monthclose.test: the month close's tables, on a closed, reopened and re-closed month) and 'domains'
 * (tamper-domains.test: every other table, on the demo ledger, grouped by domain).
 */
export type TamperSuite = 'foundation' | 'monthclose' | 'domains';
export function suiteOf(e: TableEntry): TamperSuite {
  if (e.check === 'entity' || e.check === 'children' || e.check === 'accounts' || e.check === 'singleton' || e.check === 'chain') return 'foundation';
  return e.domain === 'monthclose' ? 'monthclose' : 'domains';
}

/** The registered tables of a suite with their keys (the primary key the migrations give them), grouped by domain. */
export function tamperTargets(suite: TamperSuite): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  for (const [t, e] of registeredTables()) {
    if (suiteOf(e) !== suite) continue;
    (out[e.domain] ??= {})[t] = tableShape(t)!.key;
  }
  return out;
}

/** The tables of `targets` holding at least one row in the ledger at `file` (a table without rows cannot be tampered with). */
export function holdingRows(file: string, targets: Record<string, string[]>): { tables: Record<string, string[]>; empty: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const empty = Object.keys(targets).filter((t) => db.prepare(`SELECT 1 FROM "${t}" LIMIT 1`).get() === undefined);
    return { tables: Object.fromEntries(Object.entries(targets).filter(([t]) => !empty.includes(t))), empty };
  } finally {
    db.close();
  }
}

/**
 * `rounds` random tamperings spread over `tables` (keys: the columns that identify a row), the three kinds kept even,
 * each on a fresh copy; a tampering is missed unless a problem names its table.
 */
export function tamperRounds(o: {
  tables: Record<string, string[]>;
  rounds: number;
  seed: number;
  fresh: (i: number) => Database.Database;
  verify: (db: Database.Database) => VerifyReport;
  /** Columns not covered by verify, per table. */
  skip?: Record<string, string[]>;
  /** When a tampering counts as caught; by default a problem must name its table. */
  caught?: (r: VerifyReport, table: string) => boolean;
}): { counts: Record<'change' | 'delete' | 'insert', number>; perTable: Record<string, number>; missed: string[] } {
  const rnd = seededRandom(o.seed);
  const ops = ['change', 'delete', 'insert'] as const;
  const counts = { change: 0, delete: 0, insert: 0 };
  const perTable: Record<string, number> = {};
  const missed: string[] = [];
  const names = Object.keys(o.tables);
  for (let i = 0; counts.change + counts.delete + counts.insert < o.rounds && i < o.rounds * 20; i++) {
    const op = ops.reduce((a, x) => (counts[x] < counts[a] ? x : a), ops[i % 3]);
    const table = names[i % names.length];
    const db = o.fresh(i);
    const what = tamper(db, table, o.tables[table], op, rnd, o.skip?.[table]);
    if (!what) {
      db.close();
      continue;
    }
    counts[op]++;
    perTable[table] = (perTable[table] ?? 0) + 1;
    restoreTriggers(db);
    const r = o.verify(db);
    db.close();
    if (!(o.caught ? o.caught(r, table) : r.problems.some((p) => p.table === table))) missed.push(`${what} → ${r.ok ? 'passed' : r.first!.message}`);
  }
  return { counts, perTable, missed };
}
