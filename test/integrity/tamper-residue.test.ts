import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { setupWorld, draft, line, postNew, type World } from '../core/receiving-fixtures.ts';
import { holdingRows, tamperableCopy, tamperRounds, tamperTargets } from './tamper-kit.ts';

/**
 * Tampering with the 农残快检 table (issue 17) behind the app's back. The demo ledger of tamper-domains.test holds no
 * quick tests, so its receiving group finds delivery_residue_tests empty; here deliveries with tests are written through
 * the API — a passed and a failed test posted (the failed line rejected in whole), a draft's test, and a test carried
 * into an amended copy — and the kit's cases, taken from the registry (no table listed here but the one asserted),
 * change, delete and insert rows: verify names the table each time.
 */
let w: World;
let baseline: string;
let work: string;
const enzyme = (rate: number) => ({ method: 'enzyme_inhibition' as const, inhibitionTenths: rate, tester: '李检测', testedTime: '07:40' });

beforeAll(async () => {
  w = await setupWorld(); // 2026-09-15, the storekeeper
  const b = w.b;
  const veg = (over: object = {}) => line(w.cabbage, { unitPriceFen: 250, ...over });
  const first = await postNew(w, draft(w, [line(w.rice), veg({ residueTest: enzyme(125) })], { date: '2026-09-14', noteNumber: 'SH-0914' }));
  await postNew(w, draft(w, [veg({ residueTest: enzyme(625), rejectedMilli: 10_000, acceptedMilli: 0, rejectReason: '农残快检不合格', disposition: 'destroyed' }), line(w.rice)]));
  await b.call('receiving.saveDraft', { id: null, draft: draft(w, [veg({ residueTest: { method: 'test_card', result: 'pass', tester: '王师傅', testedTime: '08:05' } })], { noteNumber: 'SH-0915-03' }) });
  await b.call('receiving.cancel', { id: first.id, reason: '单价录错', amend: true });
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  baseline = path.join(b.dir, 'baseline.sqlite');
  await b.db.backup(baseline);
  work = fs.mkdtempSync(path.join(b.dir, 'tamper-'));
}, 120_000);
afterAll(() => w?.b.cleanup());

describe('verify catches tampering with the 农残快检 table', { timeout: 120_000 }, () => {
  const targets = tamperTargets('domains').receiving ?? {};

  it('the registry puts the table in the domains suite, and the ledger verifies clean with it covered', () => {
    expect(Object.keys(targets)).toContain('delivery_residue_tests');
    const db = new Database(baseline, { readonly: true });
    const r = verifyLedger(db);
    db.close();
    expect(r.problems).toEqual([]);
    // By hand: the 09-14 test, the failed test, the draft's card test, the amended copy's test.
    expect(r.coveredTables.delivery_residue_tests).toBe(4);
  });

  it('at least 30 random changes, deletions and insertions, every one caught and named', () => {
    const { tables, empty } = holdingRows(baseline, { delivery_residue_tests: targets.delivery_residue_tests });
    expect(empty).toEqual([]);
    const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
    const rounds = 30 * Object.keys(tables).length;
    const { counts, perTable, missed } = tamperRounds({ tables, rounds, seed, fresh: (i) => tamperableCopy(baseline, path.join(work, `t${i % 4}.sqlite`)), verify: (db) => verifyLedger(db) });
    console.log(`tampering delivery_residue_tests (seed ${seed}): ${JSON.stringify(counts)}; missed ${missed.length}`);
    expect(missed).toEqual([]);
    expect(counts.change + counts.delete + counts.insert).toBeGreaterThanOrEqual(rounds);
    expect(perTable.delivery_residue_tests).toBeGreaterThan(0);
  }, 600_000);
});
