import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCentre, rows, type Centre } from '../../electron/core/centre/db.ts';
import { purchaseSumDifferences } from '../../electron/core/centre/derived.ts';
import { enrolSchool, importPackage } from '../../electron/core/centre/import.ts';
import { mapItem, monthItems, priceHistory, priceView, supplierView } from '../../electron/core/centre/views.ts';
import { packageFileName, type PackageData } from '../../electron/core/package/schema.ts';
import { fingerprintOf } from '../../electron/core/package/signing-key.ts';
import { seededRandom } from '../../electron/core/ledger/seeded-random.ts';
import { benchSchools, makePackageData, sealPackage } from '../../scripts/bench/centre-packages.ts';

/**
 * Centre schema version 8 (issue 18, scale): the purchase sums by item and by item and supplier that 食材价格 and
 * 供应商 read, the price list read a page at a time with the month's totals, and the check that re-derives the sums.
 * Every figure below is worked out by hand from the lines written here.
 */

const NOW = new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
const M = '2026-10';
const S1 = '91330100MA00000001';
const S2 = '91330100MA00000002';
const S3 = '91330100MA00000003';
const dirs: string[] = [];
const open: Centre[] = [];
afterAll(() => {
  for (const c of open) c.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

type Line = [item: string, qtyMilli: number, amountFen: number, credit: string];
const line = ([item, qtyMilli, amountFen, credit]: Line, i: number): PackageData['purchases'][number] => ({
  date: `${M}-0${1 + (i % 9)}`, receiptNo: `YS2026100000`, item, spec: '', unit: 'kg', qtyMilli, unitPriceFen: Math.round((amountFen * 1000) / qtyMilli), amountFen,
  supplier: `供应商${credit.slice(-1)}`, supplierCreditCode: credit, inspectors: ['张三', '李四'], note: '',
});

/** 甲 (A), 乙 (B), 丙 (C): A calls some of its rice 东北大米; C buys rice from S3 only. */
const LINES: Line[][] = [
  [['大米', 10_000, 5200, S1], ['大米', 5000, 2700, S2], ['大米', 5000, 2600, S1], ['东北大米', 10_000, 6000, S1], ['鸡蛋', 2000, 2400, S2]],
  [['大米', 10_000, 5000, S1], ['鸡蛋', 1000, 1000, S2]],
  [['大米', 10_000, 6500, S3]],
];

async function centreWithThree(): Promise<{ c: Centre; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-derived-'));
  dirs.push(dir);
  const c = await openCentre(path.join(dir, 'centre.duckdb'), { create: true });
  open.push(c);
  const rnd = seededRandom(3);
  const schools = benchSchools(3);
  for (const [i, s] of schools.entries()) {
    await enrolSchool(c, { code: s.code, name: s.name, fingerprint: fingerprintOf(s.pub) }, NOW);
    const d = makePackageData(s, M, rnd, 20);
    d.purchases = LINES[i].map(line);
    d.prices = [];
    d.suppliers = [...new Set(LINES[i].map((l) => l[3]))].map((code) => ({ name: `供应商${code.slice(-1)}`, creditCode: code, licenceNo: 'JY1', licenceValidUntil: '2030-12-31', deliveries: 1, amountFen: 100, certificates: 1 }));
    const f = path.join(dir, packageFileName(s.code, M, 1));
    fs.writeFileSync(f, JSON.stringify(sealPackage(s, d, true).file));
    expect((await importPackage(c, f, NOW)).status).toBe('imported');
  }
  return { c, dir };
}

const sums = (c: Centre, t: string) => rows(c.conn, `SELECT * EXCLUDE (month, revision) FROM ${t} ORDER BY ALL`);

describe('centre schema 8: purchase sums, the paged price list, the check', () => {
  it('the import writes each package lines summed by item and by item and supplier', async () => {
    const { c } = await centreWithThree();
    expect(await sums(c, 'purchase_items')).toEqual([
      { school_code: '2135000001', item: '东北大米', spec: '', unit: 'kg', lines: 1, qty_milli: 10_000, amount_fen: 6000 },
      { school_code: '2135000001', item: '大米', spec: '', unit: 'kg', lines: 3, qty_milli: 20_000, amount_fen: 10_500 },
      { school_code: '2135000001', item: '鸡蛋', spec: '', unit: 'kg', lines: 1, qty_milli: 2000, amount_fen: 2400 },
      { school_code: '2135000002', item: '大米', spec: '', unit: 'kg', lines: 1, qty_milli: 10_000, amount_fen: 5000 },
      { school_code: '2135000002', item: '鸡蛋', spec: '', unit: 'kg', lines: 1, qty_milli: 1000, amount_fen: 1000 },
      { school_code: '2135000003', item: '大米', spec: '', unit: 'kg', lines: 1, qty_milli: 10_000, amount_fen: 6500 },
    ]);
    expect(await sums(c, 'purchase_item_suppliers')).toEqual([
      { school_code: '2135000001', item: '东北大米', spec: '', unit: 'kg', supplier_credit_code: S1, lines: 1, qty_milli: 10_000, amount_fen: 6000 },
      { school_code: '2135000001', item: '大米', spec: '', unit: 'kg', supplier_credit_code: S1, lines: 2, qty_milli: 15_000, amount_fen: 7800 },
      { school_code: '2135000001', item: '大米', spec: '', unit: 'kg', supplier_credit_code: S2, lines: 1, qty_milli: 5000, amount_fen: 2700 },
      { school_code: '2135000001', item: '鸡蛋', spec: '', unit: 'kg', supplier_credit_code: S2, lines: 1, qty_milli: 2000, amount_fen: 2400 },
      { school_code: '2135000002', item: '大米', spec: '', unit: 'kg', supplier_credit_code: S1, lines: 1, qty_milli: 10_000, amount_fen: 5000 },
      { school_code: '2135000002', item: '鸡蛋', spec: '', unit: 'kg', supplier_credit_code: S2, lines: 1, qty_milli: 1000, amount_fen: 1000 },
      { school_code: '2135000003', item: '大米', spec: '', unit: 'kg', supplier_credit_code: S3, lines: 1, qty_milli: 10_000, amount_fen: 6500 },
    ]);
    expect(await purchaseSumDifferences(c.conn)).toEqual([]);
  });

  it('供应商 over the sums: a mapping merges two of a school items before its average (S1 rice 400 bp, then 1040 bp)', async () => {
    const { c } = await centreWithThree();
    const spread = async () => (await supplierView(c, M)).rows.map((r) => [r.credit_code, r.schools, r.spread_item, r.spread_bp]);
    // S1 rice: A 7,800 fen / 15 kg = 520, B 5,000 / 10 = 500: (520 − 500) / 500 = 400 bp. S2 eggs: A 2,400 / 2 = 1,200,
    // B 1,000 / 1 = 1,000: 2,000 bp (S2's rice is A's alone: no spread). S3 supplies C alone. Most schools first, then
    // the widest spread.
    expect(await spread()).toEqual([[S2, 2, '鸡蛋', 2000], [S1, 2, '大米', 400], [S3, 1, null, null]]);
    await mapItem(c, { item: '东北大米', spec: '', unit: 'kg', toItem: '大米', toSpec: '' }, 'zhongxin', NOW);
    // A's 东北大米 from S1 joins its rice from S1: (7,800 + 6,000) / 25 kg = 552; against B's 500: 52 / 500 = 1,040 bp.
    expect(await spread()).toEqual([[S2, 2, '鸡蛋', 2000], [S1, 2, '大米', 1040], [S3, 1, null, null]]);
  });

  it('食材价格 a page at a time, flagged first, with the month totals on every page', async () => {
    const { c } = await centreWithThree();
    await mapItem(c, { item: '东北大米', spec: '', unit: 'kg', toItem: '大米', toSpec: '' }, 'zhongxin', NOW);
    // Rice: A (10,500 + 6,000) / 30 kg = 550, B 500, C 650; median 550, C over 550 × 1.1 = 605: flagged. Eggs: A 1,200,
    // B 1,000, median 1,100 (× 1.1 = 1,210: none). Five rows, one flagged; C first, then by item, price high to low.
    const row = (r: Record<string, unknown>) => [r.item, r.school_code, r.lines, r.avg_price_fen, r.median_fen, r.over_median];
    const all = await priceView(c, M);
    expect(all.rows.map(row)).toEqual([
      ['大米', '2135000003', 1, 650, 550, true],
      ['大米', '2135000001', 4, 550, 550, false],
      ['大米', '2135000002', 1, 500, 550, false],
      ['鸡蛋', '2135000001', 1, 1200, 1100, false],
      ['鸡蛋', '2135000002', 1, 1000, 1100, false],
    ]);
    expect([all.total, all.flagged]).toEqual([5, 1]);
    const first = await priceView(c, M, { limit: 2 });
    expect([first.rows.map(row), first.total, first.flagged]).toEqual([all.rows.slice(0, 2).map(row), 5, 1]);
    expect(Object.keys(first.rows[0])).toEqual(Object.keys(all.rows[0]));
    expect(Object.keys(first.rows[0])).not.toContain('total_rows__');
    const last = await priceView(c, M, { limit: 2, offset: 4 });
    expect([last.rows.map(row), last.total, last.flagged]).toEqual([[['鸡蛋', '2135000002', 1, 1000, 1100, false]], 5, 1]);
    const past = await priceView(c, M, { limit: 2, offset: 10 });
    expect([past.rows, past.total, past.flagged]).toEqual([[], 5, 1]);
    // The item picker and the chart read the same sums: rice bought by three schools, eggs by two; A's rice at 550.
    expect(await monthItems(c, M)).toEqual([
      { item: '大米', spec: '', unit: 'kg', schools: 3 },
      { item: '鸡蛋', spec: '', unit: 'kg', schools: 2 },
    ]);
    expect((await priceHistory(c, { item: '大米', spec: '', unit: 'kg' })).map((p) => [p.schoolCode, p.avgPriceFen])).toEqual([['2135000001', 550], ['2135000002', 500], ['2135000003', 650]]);
  });

  it('a version-7 file derives the sums when opened; a line changed behind the app shows as the sums it no longer gives', async () => {
    const { c, dir } = await centreWithThree();
    await c.conn.run('DROP TABLE purchase_items');
    await c.conn.run('DROP TABLE purchase_item_suppliers');
    await c.conn.run(`UPDATE centre_meta SET value = '7' WHERE key = 'schema_version'`);
    c.close();
    open.splice(open.indexOf(c), 1);
    const again = await openCentre(path.join(dir, 'centre.duckdb'));
    open.push(again);
    expect((await rows(again.conn, `SELECT value FROM centre_meta WHERE key = 'schema_version'`))[0].value).toBe('8');
    expect((await sums(again, 'purchase_items')).length).toBe(6);
    expect((await sums(again, 'purchase_item_suppliers')).length).toBe(7);
    expect(await purchaseSumDifferences(again.conn)).toEqual([]);
    // B's egg line from 1,000 fen to 1,100: both tables now lack B's egg sum at 1,000 and hold one purchases no longer gives.
    await again.conn.run(`UPDATE purchases SET amount_fen = 1100 WHERE school_code = '2135000002' AND item = '鸡蛋'`);
    const d = await purchaseSumDifferences(again.conn);
    expect(d.map((x) => [x.table, x.kind, x.row.school_code, x.row.item, x.row.amount_fen])).toEqual([
      ['purchase_items', 'missing', '2135000002', '鸡蛋', 1100],
      ['purchase_items', 'extra', '2135000002', '鸡蛋', 1000],
      ['purchase_item_suppliers', 'missing', '2135000002', '鸡蛋', 1100],
      ['purchase_item_suppliers', 'extra', '2135000002', '鸡蛋', 1000],
    ]);
  });
});
