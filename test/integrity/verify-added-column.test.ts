import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quickVerify } from '../../electron/core/integrity/quick.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { auditHash } from '../../electron/core/ledger/audit.ts';
import { septemberSchool, type SeptSchool } from '../core/monthclose-fixture.ts';
import { restoreTriggers, tamperableCopy } from './tamper-kit.ts';

/**
 * A column added to a snapshot table that holds rows (migration 0028: food_samples.light_reason; the registry's `added`).
 * The row snapshots a ledger wrote before the step carry no such column. Here September is closed (sealed) and two
 * October samples are recorded after the seal; their audit entries are then rewritten as the old code wrote them —
 * light_reason left out of each food_samples snapshot, every later entry re-hashed so the chain holds — and both the
 * sealed quick verify and the full verify must read those snapshots as holding '' (what the migration gave the rows):
 * clean; and a light_reason changed behind the app's back is still caught by both.
 */
let s: SeptSchool;
let file = '';

beforeAll(async () => {
  s = await septemberSchool();
  const b = s.w.b;
  await b.loginAs('accountant');
  await b.call('monthclose.submit', { month: '2026-09' });
  await b.loginAs('reviewer');
  await b.call('monthclose.approve', { month: '2026-09' });
  // 2026-10-08 10:00 China time: October's lunch samples.
  await b.loginAs('storekeeper');
  await b.call('samples.record', { date: '2026-10-08', meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '米饭', weightG: 150, takenTime: '09:20' }, { dish: '青菜', weightG: 130, takenTime: '09:25' }] });
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  file = path.join(b.dir, 'baseline.sqlite');
  await b.db.backup(file);
}, 240_000);
afterAll(() => s?.w.b.cleanup());

/** The ledger with its food_samples snapshots written as before migration 0028 (no light_reason), the chain re-hashed. */
function asBefore0028(name: string): Database.Database {
  const db = tamperableCopy(file, path.join(s.w.b.dir, name));
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as { seq: number; prev_hash: string; at: string; user_id: string | null; action: string; entity: string; entity_id: string | null; before: string | null; after: string | null; hash: string }[];
  let prev: string | null = null;
  let stripped = 0;
  const put = db.prepare('UPDATE audit_log SET prev_hash = ?, after = ?, hash = ? WHERE seq = ?');
  for (const r of rows) {
    let after = r.after;
    if (after?.includes('"light_reason"')) {
      const a = JSON.parse(after) as { _rows: { t: string; cols: string[]; vals: unknown[][] }[] };
      for (const snap of a._rows) {
        const at = snap.cols.indexOf('light_reason');
        if (snap.t !== 'food_samples' || at < 0) continue;
        snap.cols.splice(at, 1);
        for (const v of snap.vals) v.splice(at, 1);
        stripped++;
      }
      after = JSON.stringify(a);
    }
    if (prev !== null || after !== r.after) {
      const prevHash = prev ?? r.prev_hash;
      const hash = auditHash({ ...r, prev_hash: prevHash, after });
      put.run(prevHash, after, hash, r.seq);
      prev = hash;
    }
  }
  expect(stripped).toBe(2);
  restoreTriggers(db);
  return db;
}

describe('row snapshots written before a column was added', { timeout: 120_000 }, () => {
  it('verify, quick and full, reads them as holding the value the migration gave: clean', () => {
    const db = asBefore0028('before-0028.sqlite');
    const q = quickVerify(db);
    expect(q.sealed?.month).toBe('2026-09');
    expect(q.problems).toEqual([]);
    expect(q.coveredTables.food_samples).toBe(2);
    const full = verifyLedger(db);
    expect(full.problems).toEqual([]);
    expect(full.coveredTables.food_samples).toBe(2);
    db.close();
  });

  it('a light_reason changed behind the app’s back is still named by both', () => {
    const db = asBefore0028('before-0028-tampered.sqlite');
    db.exec('DROP TRIGGER food_samples_update');
    const id = db.prepare(`SELECT id FROM food_samples WHERE dish = '青菜'`).pluck().get() as string;
    db.prepare(`UPDATE food_samples SET light_reason = '菜品已售完' WHERE id = ?`).run(id);
    const quick = quickVerify(db).problems.filter((p) => p.table === 'food_samples').map((p) => p.message.replace(/第 \d+ 条/, '第 N 条'));
    expect(quick).toEqual([`留样 ${id} 与审计记录（第 N 条）不符：被改动`]);
    const full = verifyLedger(db).problems.filter((p) => p.table === 'food_samples').map((p) => p.message.replace(/第 \d+ 条/, '第 N 条'));
    expect(full).toEqual([`留样 ${id} 与审计记录（第 N 条）不符：被改动：light_reason`]);
    db.close();
  });
});
