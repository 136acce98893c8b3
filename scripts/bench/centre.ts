/**
 * The centre's benchmark (issue 18): makes month packages for a town (or a city) with scripts/bench/centre-packages.ts,
 * fills a fresh DuckDB centre with them, and times each view, directly and through the centre's dispatcher, beside
 * DuckDB reading the same rows raw (a plain aggregate over the tables and month the view reads).
 *
 *   npx node scripts/bench/centre.ts                                       town: 30 schools × 24 months, 600 lines a month
 *   npx node scripts/bench/centre.ts --schools 30 --months 120             the town (10 years)
 *   npx node scripts/bench/centre.ts --schools 3000 --months 12 --imported 1000   the city year
 *
 * Two paths fill the centre, and the result says how many packages came by each:
 * - the real import (`--imported N`, default every package): the last N packages in (month, school) order are
 *   written as signed files and imported one by one through importPackage (file read, JSON, signature, hashes,
 *   checks, one transaction of appenders each) — timed: this is the import throughput, measured on a centre that
 *   already holds everything before them;
 * - the bulk load (the packages before those): the same generated packages, their rows appended by openBulkLoad
 *   (import.ts), which writes exactly the rows the import would (the import's own row builders) without file,
 *   signature or a transaction per package. test/core/centre-bulk.test.ts proves equal views over the two.
 * Prints JSON (with load average and this process's CPU time beside each wall time); docs/PERFORMANCE.md records runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCentreBackend } from '../../electron/core/centre/backend.ts';
import { openCentre, rows } from '../../electron/core/centre/db.ts';
import { enrolSchool, importPackage, openBulkLoad } from '../../electron/core/centre/import.ts';
import { foodSafetyView, inspectionView, priceView, submissionView, supplierView, surplusView } from '../../electron/core/centre/views.ts';
import { packageFileName } from '../../electron/core/package/schema.ts';
import { fingerprintOf } from '../../electron/core/package/signing-key.ts';
import { seededRandom } from '../../electron/core/ledger/seeded-random.ts';
import { ITEMS, benchSchools, makePackageData, monthOf, sealPackage } from './centre-packages.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const SCHOOLS = arg('schools', 30);
const MONTHS = arg('months', 24);
const LINES = arg('lines', 600);
const TOTAL = SCHOOLS * MONTHS;
const IMPORTED = Math.min(arg('imported', TOTAL), TOTAL);
const REPS = arg('reps', 5);

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const r1 = (x: number) => Math.round(x * 10) / 10;
const load = () => os.loadavg().map((x) => r1(x));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-bench-'));
try {
  const rnd = seededRandom(18);
  const schools = benchSchools(SCHOOLS);
  const file = path.join(dir, 'centre.duckdb');
  const c = await openCentre(file, { create: true });
  for (const s of schools) await enrolSchool(c, { code: s.code, name: s.name, fingerprint: fingerprintOf(s.pub) }, new Date());
  const loadsDuring: number[][] = [load()];

  // The bulk part: every package before the imported sample, month by month (one set of appenders per month).
  const bulkCount = TOTAL - IMPORTED;
  const tb = performance.now();
  const cb = cpuMs();
  let n = 0;
  for (let mi = 0; mi < MONTHS && n < bulkCount; mi++) {
    const bulk = await openBulkLoad(c);
    for (const s of schools) {
      if (n >= bulkCount) break;
      const m = monthOf(mi);
      bulk.add(sealPackage(s, makePackageData(s, m, rnd, LINES), false).checked, packageFileName(s.code, m, 1), new Date());
      n++;
    }
    bulk.close();
    if (mi % 12 === 11) loadsDuring.push(load());
  }
  const bulkMs = performance.now() - tb;
  const bulkCpuMs = cpuMs() - cb;

  // The imported sample: written as signed files first (not timed), then imported one by one through the real import.
  const pkgDir = path.join(dir, 'packages');
  fs.mkdirSync(pkgDir);
  const tg = performance.now();
  const files: string[] = [];
  for (let k = bulkCount; k < TOTAL; k++) {
    const s = schools[k % SCHOOLS];
    const m = monthOf(Math.floor(k / SCHOOLS));
    const f = path.join(pkgDir, packageFileName(s.code, m, 1));
    fs.writeFileSync(f, JSON.stringify(sealPackage(s, makePackageData(s, m, rnd, LINES), true).file));
    files.push(f);
  }
  const genMs = performance.now() - tg;
  const pkgBytes = files.length ? fs.statSync(files[0]).size : 0;
  const ti = performance.now();
  const ci = cpuMs();
  let refused = 0;
  for (const f of files) {
    if ((await importPackage(c, f, new Date())).status !== 'imported') refused++;
    fs.rmSync(f);
  }
  const importMs = performance.now() - ti;
  const importCpuMs = cpuMs() - ci;
  loadsDuring.push(load());
  await c.conn.run('CHECKPOINT');

  const last = monthOf(MONTHS - 1);
  const time = async (f: () => Promise<unknown>) => {
    await f();
    const xs: number[] = [];
    const cs: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const a = performance.now();
      const b = cpuMs();
      await f();
      xs.push(performance.now() - a);
      cs.push(cpuMs() - b);
    }
    xs.sort((a, b) => a - b);
    cs.sort((a, b) => a - b);
    return { wall: r1(xs[Math.floor(REPS / 2)]), cpu: r1(cs[Math.floor(REPS / 2)]) };
  };
  // DuckDB reading the same rows raw: each view's tables for the month, scanned and summed into one row (no join,
  // no window, no median, no sort, nothing turned into JS objects but that row).
  const raw = (sql: string) => () => rows(c.conn, sql, [last]);
  const rawMs = {
    monthLines: await time(raw(`SELECT count(*) AS n, sum(amount_fen) AS s, sum(qty_milli) AS q FROM purchases WHERE month = ?`)),
    submission: await time(raw(`SELECT count(*) AS n, sum(p.revision), sum(f.income_fen) FROM packages p JOIN fund f USING (school_code, month, revision) WHERE p.month = ? AND f.period = 'month'`)),
    surplus: await time(raw(`SELECT count(*) AS n, sum(f.surplus_fen) FROM packages p JOIN fund f USING (school_code, month, revision) WHERE p.month = ? AND f.period = 'month'`)),
    price: await time(raw(`SELECT count(*) AS n, sum(a) FROM (SELECT item, spec, unit, school_code, sum(amount_fen) AS a, sum(qty_milli) AS q FROM purchases WHERE month = ? GROUP BY ALL)`)),
    supplier: await time(raw(`SELECT count(*) AS n, sum(a) FROM (SELECT supplier_credit_code, item, spec, unit, school_code, sum(amount_fen) AS a, sum(qty_milli) AS q FROM purchases WHERE month = ? GROUP BY ALL)`)),
    inspection: await time(raw(`SELECT count(*) AS n FROM (SELECT school_code, receipt_no, min(inspectors) FROM purchases WHERE month = ? GROUP BY ALL)`)),
    foodSafety: await time(raw(`SELECT count(*) AS n, count(DISTINCT school_code) FROM food_safety_findings WHERE month = ?`)),
  };
  const views = {
    submission: await time(() => submissionView(c, last)),
    surplusMonth: await time(() => surplusView(c, { month: last })),
    priceFirst500: await time(() => priceView(c, last, { limit: 500 })),
    priceAllRows: await time(() => priceView(c, last)),
    supplier: await time(() => supplierView(c, last)),
    inspection: await time(() => inspectionView(c, last)),
    foodSafety: await time(() => foodSafetyView(c, last)),
  };
  const rawOf: Record<keyof typeof views, keyof typeof rawMs> = {
    submission: 'submission', surplusMonth: 'surplus', priceFirst500: 'price', priceAllRows: 'price', supplier: 'supplier', inspection: 'inspection', foodSafety: 'foodSafety',
  };
  const counts = (await rows(c.conn, `SELECT (SELECT count(*) FROM packages) AS packages, (SELECT count(*) FROM purchases) AS lines,
    (SELECT count(*) FROM (SELECT DISTINCT item, spec, unit, school_code FROM purchases WHERE month = ?)) AS price_rows`, [last]))[0];
  c.close();
  // The views as the screens ask for them: through the centre's dispatcher (openCentreBackend's invoke: the role
  // read, the input validated, the queue), logged in as the centre's admin.
  const backend = await openCentreBackend({ file });
  const call = async (name: string, input: unknown) => {
    const r = await backend.invoke(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value;
  };
  await call('centre.setup', { centreName: '基准中心', adminUsername: 'bench', adminName: '基准', password: 'Bench-2026-x' });
  const invokeMs = {
    submission: await time(() => call('views.show', { view: 'submission', month: last })),
    surplus: await time(() => call('views.show', { view: 'surplus', month: last })),
    priceFirst500: await time(() => call('views.show', { view: 'price', month: last, limit: 500 })),
    supplier: await time(() => call('views.show', { view: 'supplier', month: last })),
    inspection: await time(() => call('views.show', { view: 'inspection', month: last })),
    foodsafety: await time(() => call('views.show', { view: 'foodsafety', month: last })),
    priceHistory: await time(() => call('views.priceHistory', { item: ITEMS[1].item, spec: ITEMS[1].spec, unit: ITEMS[1].unit })),
  };
  backend.close();
  loadsDuring.push(load());
  const size = fs.statSync(file).size;
  console.log(
    JSON.stringify(
      {
        schools: SCHOOLS, months: MONTHS, linesPerMonth: LINES, packages: Number(counts.packages), purchaseRows: Number(counts.lines), priceRowsLastMonth: Number(counts.price_rows), centreBytes: size,
        bulkLoaded: { packages: bulkCount, ms: Math.round(bulkMs), cpuMs: Math.round(bulkCpuMs), perSecond: bulkCount ? r1((bulkCount / bulkMs) * 1000) : null },
        imported: { packages: files.length, refused, packageBytes: pkgBytes, generateMs: Math.round(genMs), ms: Math.round(importMs), cpuMs: Math.round(importCpuMs), perSecond: files.length ? r1((files.length / importMs) * 1000) : null },
        month: last, reps: REPS, rawMs, viewMs: views, invokeMs,
        ratioToRaw: Object.fromEntries(Object.entries(views).map(([k, v]) => [k, r1(v.wall / Math.max(rawMs[rawOf[k as keyof typeof views]].wall, 0.1))])),
        loadAvg: loadsDuring, node: process.version, cpus: os.cpus().length, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      },
      null,
      2,
    ),
  );
} finally {
  // CANTEEN_BENCH_KEEP=1 keeps the centre file for a closer look (the path on stderr).
  if (process.env.CANTEEN_BENCH_KEEP) console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
