import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { audit, type AuditSubject } from '../../electron/core/ledger/audit.ts';
import { uuidv7 } from '../../electron/core/ledger/ids.ts';
import { groupRows, withRows } from '../../electron/core/ledger/row-snapshot.ts';
import { TABLES, tableLabel, unregisteredTables, type TableEntry } from '../../electron/core/ledger/tables.ts';
import { describeReport, verifyLedger } from '../../electron/core/integrity/verify.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { restoreTriggers, tamperableCopy, tamperRounds, tamperTargets } from './tamper-kit.ts';

/**
 * Adding a record table takes three files (issue 16, docs/ARCHITECTURE.md "Adding a record table"): its migration, its
 * registry entry and its domain handler. Here all three are made in the test — a migration step appended to the ladder,
 * an entry added to the registry, a handler that writes a row and audits it with its row snapshot — and nothing else is
 * touched: verify covers the table row by row, names it in the report with its Chinese name, and the tamper kit's
 * cases reach it, every tampering caught and named.
 */

// 1. Its migration (as electron/core/db/migrations/NNNN_<name>.ts would be; a scratch table no migration of ours builds).
MIGRATIONS.push({
  name: 'scratch_records',
  sql: `CREATE TABLE scratch_records (
    id TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    sample_date TEXT NOT NULL CHECK (sample_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    meal TEXT NOT NULL CHECK (meal IN ('breakfast','lunch','dinner')),
    dish TEXT NOT NULL CHECK (length(dish) BETWEEN 1 AND 50),
    weight_g INTEGER NOT NULL CHECK (weight_g >= 125),
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES users(id)
  ) STRICT;
  CREATE INDEX scratch_records_date ON scratch_records(sample_date);`,
});
// 2. Its registry entry (as in shared/tables.ts).
(TABLES as Record<string, TableEntry>).scratch_records = { label: '试验记录', domain: 'receiving', check: 'snapshots', group: 'id' };

// 3. Its domain handler: writes the row and its audit entry, with the row snapshot, in one transaction.
function recordSample(b: TestBackend, s: { date: string; meal: string; dish: string; weightG: number }): string {
  const id = uuidv7();
  b.db.transaction(() => {
    b.db
      .prepare('INSERT INTO scratch_records (id, origin, sample_date, meal, dish, weight_g, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, b.ctx.installationId, s.date, s.meal, s.dish, s.weightG, b.ctx.now().toISOString(), b.ctx.session?.userId ?? null);
    audit(b.ctx, 'create', 'scratch_records' as AuditSubject, id, null, withRows(s, groupRows(b.ctx, 'scratch_records', 'id', id)));
  })();
  return id;
}

let b: TestBackend;
let baseline: string;
let work: string;
beforeAll(async () => {
  b = await setupBackend();
  // The ladder ran to the length it had when db/open.ts loaded (LATEST_VERSION); the new step runs as the migrator
  // runs each step: its SQL and the version, in one transaction.
  b.db.transaction(() => {
    b.db.exec(MIGRATIONS[MIGRATIONS.length - 1].sql);
    b.db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
  recordSample(b, { date: '2026-09-01', meal: 'lunch', dish: '番茄炒蛋', weightG: 150 });
  recordSample(b, { date: '2026-09-01', meal: 'lunch', dish: '红烧肉', weightG: 130 });
  recordSample(b, { date: '2026-09-02', meal: 'breakfast', dish: '包子', weightG: 200 });
  work = fs.mkdtempSync(path.join(b.dir, 'new-table-'));
  baseline = path.join(work, 'baseline.sqlite');
  await b.db.backup(baseline);
}, 120_000);
afterAll(() => {
  b?.cleanup();
  // The ladder and the registry are modules shared with the files that run after this one in the same worker
  // (vitest.config.ts: core files are not isolated): take the scratch table back out of both.
  if (MIGRATIONS[MIGRATIONS.length - 1]?.name === 'scratch_records') MIGRATIONS.pop();
  delete (TABLES as Record<string, TableEntry>).scratch_records;
});

describe('a new record table: migration, registry entry, handler — and nothing else', () => {
  it('is in the migrated schema and the registry, so the registry test holds', () => {
    expect(unregisteredTables()).toEqual([]);
    expect(tableLabel('scratch_records')).toBe('试验记录');
  });

  it('verify covers it row by row and names it in the report by its Chinese name', () => {
    const r = verifyLedger(b.db);
    expect(r.problems).toEqual([]);
    expect(r.coveredTables.scratch_records).toBe(3);
    expect(r.uncoveredTables).toEqual([]);
    expect(describeReport(r)).toContain('试验记录 3');
  });

  it('a row changed behind the app is named with the table, the row and the column', () => {
    const db = tamperableCopy(baseline, path.join(work, 'changed.sqlite'));
    const id = (db.prepare(`SELECT id FROM scratch_records WHERE dish = '红烧肉'`).get() as { id: string }).id;
    db.prepare('UPDATE scratch_records SET weight_g = 100 WHERE id = ?').run(id);
    restoreTriggers(db);
    const r = verifyLedger(db);
    db.close();
    expect(r.problems.map((p) => [p.table, p.id, p.message])).toEqual([['scratch_records', id, expect.stringMatching(/^试验记录 .* 与审计记录（第 \d+ 条）不符：被改动：weight_g$/)]]);
  });

  it('the tamper kit generates its cases: 60 random changes, deletions and insertions, every one caught and named', () => {
    const targets = tamperTargets('domains').receiving;
    expect(targets.scratch_records).toEqual(['id']);
    const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
    const { counts, missed } = tamperRounds({ tables: { scratch_records: targets.scratch_records }, rounds: 60, seed, fresh: (i) => tamperableCopy(baseline, path.join(work, `t${i % 4}.sqlite`)), verify: (db) => verifyLedger(db) });
    console.log(`tampering scratch_records (seed ${seed}): ${JSON.stringify(counts)}; missed ${missed.length}`);
    expect(missed).toEqual([]);
    expect(Math.min(counts.change, counts.delete, counts.insert)).toBeGreaterThanOrEqual(19);
  }, 300_000);

  it('without its registry entry the table is caught: the registry check lists it and verify names it as uncovered', () => {
    const entry = (TABLES as Record<string, TableEntry>).scratch_records;
    delete (TABLES as Record<string, TableEntry>).scratch_records;
    try {
      expect(unregisteredTables()).toEqual(['scratch_records']);
      const db = new Database(baseline, { readonly: true });
      const r = verifyLedger(db);
      db.close();
      expect(r.uncoveredTables).toEqual(['scratch_records']);
    } finally {
      (TABLES as Record<string, TableEntry>).scratch_records = entry;
    }
  });
});
