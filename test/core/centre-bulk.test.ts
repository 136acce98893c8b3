import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCentre, rows, type Centre } from '../../electron/core/centre/db.ts';
import { enrolSchool, importFolder, openBulkLoad } from '../../electron/core/centre/import.ts';
import { foodSafetyView, inspectionView, mapItem, monthItems, priceHistory, priceView, submissionView, supplierView, surplusView } from '../../electron/core/centre/views.ts';
import { packageFileName } from '../../electron/core/package/schema.ts';
import { fingerprintOf } from '../../electron/core/package/signing-key.ts';
import { seededRandom } from '../../electron/core/ledger/seeded-random.ts';
import { benchSchools, makePackageData, monthOf, sealPackage } from '../../scripts/bench/centre-packages.ts';

/**
 * The centre benchmark fills a city's year mostly by the bulk load (openBulkLoad) and imports a sample through the
 * real import (docs/PERFORMANCE.md). This proves the two write the same: the same packages — four schools, three
 * months, one month sent again as revision 2, an item mapping — imported as signed files into one centre and
 * bulk-loaded into another give equal tables and equal views.
 */

const NOW = new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
const PACKAGE_TABLES = ['packages', 'fund', 'fund_lines', 'categories', 'purchases', 'rejected', 'prices', 'suppliers', 'subsidy', 'deliveries', 'food_safety_findings', 'refunds'];
const dirs: string[] = [];
const centres: Centre[] = [];
afterAll(() => {
  for (const c of centres) c.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function tableRows(c: Centre, t: string): Promise<string[]> {
  return (await rows(c.conn, `SELECT CAST(t AS VARCHAR) AS r FROM ${t} t ORDER BY 1`)).map((x) => String(x.r));
}

describe('the benchmark bulk load writes what the import writes', () => {
  it('equal tables and equal views over imported and bulk-loaded packages', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-bulk-'));
    dirs.push(dir);
    const rnd = seededRandom(7);
    const schools = benchSchools(4);
    // Revision 1 of every school's three months, then revision 2 of the first school's last month (different lines).
    const made = [];
    for (let mi = 0; mi < 3; mi++) for (const s of schools) made.push({ s, ...sealPackage(s, makePackageData(s, monthOf(mi), rnd, 60), true) });
    made.push({ s: schools[0], ...sealPackage(schools[0], makePackageData(schools[0], monthOf(2), rnd, 45, 2), true) });
    const pkgDir = path.join(dir, 'packages');
    fs.mkdirSync(pkgDir);
    for (const p of made) fs.writeFileSync(path.join(pkgDir, packageFileName(p.s.code, p.checked.manifest.month, p.checked.manifest.revision)), JSON.stringify(p.file));

    const imported = await openCentre(path.join(dir, 'imported.duckdb'), { create: true });
    const bulk = await openCentre(path.join(dir, 'bulk.duckdb'), { create: true });
    centres.push(imported, bulk);
    for (const c of [imported, bulk]) for (const s of schools) await enrolSchool(c, { code: s.code, name: s.name, fingerprint: fingerprintOf(s.pub) }, NOW);
    const outcomes = await importFolder(imported, pkgDir, NOW);
    expect(outcomes.map((o) => o.status)).toEqual(Array(13).fill('imported'));
    const load = await openBulkLoad(bulk);
    for (const p of made) load.add(p.checked, packageFileName(p.s.code, p.checked.manifest.month, p.checked.manifest.revision), NOW);
    load.close();

    // Every row of every package table, the same (13 packages; 12 × 60 + 45 purchase lines).
    expect((await rows(bulk.conn, 'SELECT count(*) AS n FROM packages'))[0].n).toBe(13);
    expect((await rows(bulk.conn, 'SELECT count(*) AS n FROM purchases'))[0].n).toBe(12 * 60 + 45);
    for (const t of PACKAGE_TABLES) expect(await tableRows(bulk, t), t).toEqual(await tableRows(imported, t));

    for (const c of [imported, bulk]) await mapItem(c, { item: '食材02', spec: '', unit: 'kg', toItem: '食材03', toSpec: '' }, 'zhongxin', NOW);
    const views = async (c: Centre) => {
      const out: unknown[] = [];
      for (let mi = 0; mi < 3; mi++) {
        const m = monthOf(mi);
        out.push(await submissionView(c, m), await surplusView(c, { month: m }), await priceView(c, m), await priceView(c, m, { limit: 7, offset: 3 }));
        out.push(await supplierView(c, m), await inspectionView(c, m), await foodSafetyView(c, m), await monthItems(c, m));
      }
      out.push(await surplusView(c), await priceHistory(c, { item: '食材03', spec: '', unit: 'kg' }));
      return out;
    };
    const a = await views(imported);
    expect(await views(bulk)).toEqual(a);
    // Not vacuous: the views hold rows (the price list of the last month has school × item rows).
    expect((a[18] as { rows: unknown[] }).rows.length).toBeGreaterThan(100);
  });
});
