import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { setupWorld, draft, line, postNew, type World } from '../core/receiving-fixtures.ts';
import { plainCopy } from './tamper-kit.ts';

/**
 * verify lets SQLite write the snapshot tables' row text (json_array) where a table is STRICT with INTEGER and TEXT
 * columns (issue 19, checks/snapshots.ts). A value of another type can still be put there behind the app's back: the
 * table's CREATE text edited to drop STRICT, the value written, the text put back. json_array fails on a BLOB and
 * writes a REAL in its own way: verify must neither stop nor pass such a row — the page check names the datatype
 * mismatch, and the row's group is named against its audit entry, as the JS reading does.
 */
let w: World;
let baseline: string;

beforeAll(async () => {
  w = await setupWorld();
  await postNew(w, draft(w, [line(w.rice), line(w.cabbage, { unitPriceFen: 250 })], { noteNumber: 'SH-ODD-1' }));
  w.b.db.pragma('wal_checkpoint(TRUNCATE)');
  baseline = path.join(w.b.dir, 'baseline.sqlite');
  await w.b.db.backup(baseline);
}, 120_000);
afterAll(() => w?.b.cleanup());

/**
 * A copy where `write` ran on delivery_lines while the table was not STRICT (triggers and CHECK constraints off, as a
 * tamperer with the sqlite3 shell has them); STRICT and the triggers put back after.
 */
function withOddValue(name: string, write: (db: Database.Database) => void): Database.Database {
  const file = path.join(w.b.dir, `${name}.sqlite`);
  const db = plainCopy(baseline, file);
  const sql = (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'delivery_lines'`).get() as { sql: string }).sql;
  expect(sql).toMatch(/\)\s*STRICT\s*$/);
  const triggers = (db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'`).all() as { name: string; sql: string }[]);
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
  db.pragma('writable_schema = ON');
  db.prepare(`UPDATE sqlite_schema SET sql = ? WHERE name = 'delivery_lines'`).run(sql.replace(/\)\s*STRICT\s*$/, ')'));
  db.close();
  const loose = new Database(file);
  loose.pragma('ignore_check_constraints = ON');
  write(loose);
  loose.unsafeMode(true);
  loose.pragma('writable_schema = ON');
  loose.prepare(`UPDATE sqlite_schema SET sql = ? WHERE name = 'delivery_lines'`).run(sql);
  loose.close();
  const back = new Database(file);
  for (const t of triggers) back.exec(t.sql);
  back.close();
  return new Database(file, { readonly: true });
}

describe('verify with values a STRICT table should not hold', { timeout: 120_000 }, () => {
  it('the untouched copy verifies clean', () => {
    const db = new Database(baseline, { readonly: true });
    expect(verifyLedger(db).problems).toEqual([]);
    db.close();
  });

  it('a BLOB in a text column: verify runs to the end, names the mismatch and the delivery', () => {
    const db = withOddValue('blob', (d) => d.exec(`UPDATE delivery_lines SET reject_reason = x'00ff' WHERE rowid = (SELECT min(rowid) FROM delivery_lines)`));
    const deliveryId = (db.prepare('SELECT delivery_id FROM delivery_lines ORDER BY rowid LIMIT 1').get() as { delivery_id: string }).delivery_id;
    const r = verifyLedger(db);
    db.close();
    expect(r.problems.some((p) => p.kind === 'integrity' && p.message.includes('non-TEXT value in delivery_lines.reject_reason'))).toBe(true);
    expect(r.problems.some((p) => p.kind === 'tamper' && p.table === 'delivery_lines' && p.id === deliveryId && p.message.includes('reject_reason'))).toBe(true);
  });

  it('a REAL a hair off the integer price: named as a mismatch and as a change of the delivery', () => {
    const db = withOddValue('real', (d) => d.exec(`UPDATE delivery_lines SET unit_price_fen = unit_price_fen + 0.000000001 WHERE rowid = (SELECT min(rowid) FROM delivery_lines)`));
    const deliveryId = (db.prepare('SELECT delivery_id FROM delivery_lines ORDER BY rowid LIMIT 1').get() as { delivery_id: string }).delivery_id;
    const r = verifyLedger(db);
    db.close();
    expect(r.problems.some((p) => p.kind === 'integrity' && p.message.includes('non-INTEGER value in delivery_lines.unit_price_fen'))).toBe(true);
    expect(r.problems.some((p) => p.kind === 'tamper' && p.table === 'delivery_lines' && p.id === deliveryId && p.message.includes('unit_price_fen'))).toBe(true);
  });
});
