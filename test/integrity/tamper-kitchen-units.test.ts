import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { draft, line, postNew, setupWorld, type World } from '../core/receiving-fixtures.ts';
import { holdingRows, tamperableCopy, tamperRounds, tamperTargets } from './tamper-kit.ts';

/**
 * Tampering with delivery_line_units (kitchen units, issue 15) behind the app's back. The demo ledger of
 * tamper-domains.test receives nothing in 斤 or 箱, so its receiving group finds the table empty; here a posted delivery
 * (20 斤 青菜, 3 箱 牛奶), a cancelled one with its amended draft and a plain base-unit line are written through the API,
 * and the kit's cases for the table (from the registry) change, delete and insert rows: verify names each one.
 */
let w: World;
let baseline: string;
let work: string;

beforeAll(async () => {
  w = await setupWorld();
  await w.b.loginAs('admin');
  const greens = (await w.b.call('ingredients.create', { name: '青菜', category: 'vegetable', unit: '千克', refPriceFen: null })).id;
  await w.b.call('ingredients.update', { id: w.milk, name: '牛奶', category: 'dairy', unit: '盒', spec: '', refPriceFen: 300, banned: false, storable: false, packSizes: { 箱: 24_000 } });
  await w.b.loginAs('storekeeper');
  await postNew(w, draft(w, [line(greens, { receivedUnit: '斤', receivedMilli: 20_000, unitPriceFen: 160 }), line(w.milk, { receivedUnit: '箱', receivedMilli: 3_000, unitPriceFen: 4800, storageClass: 'chilled' }), line(w.rice)]));
  const second = await postNew(w, draft(w, [line(greens, { receivedUnit: '斤', receivedMilli: 9_000, unitPriceFen: 150 })], { noteNumber: 'SH-0915-02' }));
  await w.b.call('receiving.cancel', { id: second.id, reason: '单价录错', amend: true });
  w.b.db.pragma('wal_checkpoint(TRUNCATE)');
  baseline = path.join(w.b.dir, 'baseline.sqlite');
  await w.b.db.backup(baseline);
  work = fs.mkdtempSync(path.join(w.b.dir, 'tamper-'));
}, 120_000);
afterAll(() => w?.b.cleanup());

describe('verify catches tampering with the kitchen units of delivery lines', { timeout: 120_000 }, () => {
  const targets = Object.fromEntries(Object.entries(tamperTargets('domains').receiving ?? {}).filter(([t]) => t === 'delivery_line_units'));

  it('the registry puts delivery_line_units in the receiving group, and the ledger verifies clean with it covered', () => {
    expect(Object.keys(targets)).toEqual(['delivery_line_units']);
    const db = new Database(baseline, { readonly: true });
    const r = verifyLedger(db);
    db.close();
    expect(r.problems).toEqual([]);
    // By hand: 2 unit rows of the first delivery, 1 of the cancelled one, 1 of its amended draft.
    expect(r.coveredTables.delivery_line_units).toBe(4);
  });

  it('30 random changes, deletions and insertions, every one caught and named', () => {
    const { tables, empty } = holdingRows(baseline, targets);
    expect(empty).toEqual([]);
    const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
    const { counts, perTable, missed } = tamperRounds({ tables, rounds: 30, seed, fresh: (i) => tamperableCopy(baseline, path.join(work, `t${i % 4}.sqlite`)), verify: (db) => verifyLedger(db) });
    console.log(`tampering delivery_line_units (seed ${seed}): ${JSON.stringify(counts)}; per table ${JSON.stringify(perTable)}; missed ${missed.length}`);
    expect(missed).toEqual([]);
    expect(counts.change + counts.delete + counts.insert).toBeGreaterThanOrEqual(30);
  }, 600_000);
});
