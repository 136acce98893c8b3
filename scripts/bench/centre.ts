/**
 * The centre's benchmark (issue 18): generates signed month packages for a town (or a city), imports them into a
 * fresh DuckDB centre through the real import (file read, signature, hashes, checks, one transaction each), and times
 * each view against DuckDB reading the same rows raw (a plain scan and sum of the month's purchase lines).
 *
 *   npx node scripts/bench/centre.ts                                 town: 30 schools × 24 months, 600 lines a month
 *   npx node scripts/bench/centre.ts --schools 30 --months 120       the town (10 years)
 *   npx node scripts/bench/centre.ts --schools 3000 --months 12      the city year (large: ~36,000 files)
 *
 * The packages are synthetic — school ledgers take minutes a month to build, a town's ten years would take days —
 * but have the shape and sizes of real ones: data.json as package/schema.ts defines it, purchase lines drawn from 60
 * items at prices scattered around a reference, 8 suppliers of 40 in the town, rotating inspector pairs, a workbook
 * of 60 KB (random bytes: it is only hashed). Each school signs with its own Ed25519 key and is enrolled first.
 * Prints JSON; docs/PERFORMANCE.md records a run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCentreBackend } from '../../electron/core/centre/backend.ts';
import { openCentre, rows } from '../../electron/core/centre/db.ts';
import { enrolSchool, importPackage } from '../../electron/core/centre/import.ts';
import { foodSafetyView, inspectionView, priceView, submissionView, supplierView, surplusView } from '../../electron/core/centre/views.ts';
import { CATEGORIES } from '../../shared/domain.ts';
import { DATA_FILE, PACKAGE_FORMAT, PACKAGE_SCHEMA_VERSION, WORKBOOK_FILE, packageFileName, type PackageData, type PackageFile, type PackageFund, type PackageManifest } from '../../electron/core/package/schema.ts';
import { fingerprintOf } from '../../electron/core/package/signing-key.ts';
import { seededRandom } from '../../electron/core/ledger/seeded-random.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const SCHOOLS = arg('schools', 30);
const MONTHS = arg('months', 24);
const LINES = arg('lines', 600);
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const monthOf = (i: number) => {
  const y = 2017 + Math.floor(i / 12);
  return `${y}-${String((i % 12) + 1).padStart(2, '0')}`;
};
const ITEMS = Array.from({ length: 60 }, (_, i) => ({ item: `食材${String(i + 1).padStart(2, '0')}`, spec: i % 3 === 0 ? '一级' : '', unit: i % 5 === 0 ? '盒' : 'kg', ref: 200 + ((i * 137) % 3000) }));
const SUPPLIERS = Array.from({ length: 40 }, (_, i) => ({ name: `供应商${i + 1}有限公司`, code: `91330100MA${String(100000 + i).padStart(8, '0')}` }));

function fund(income: number, expense: number): PackageFund {
  const byCat = Object.fromEntries(CATEGORIES.map((c, i) => [c, i === 0 ? expense : 0])) as PackageFund['expenseByCategoryFen'];
  return {
    previousBalanceFen: 0, feesCollectedFen: income, refundsFen: 0, feeNetFen: income, subsidyFen: 0, otherIncomeFen: 0, incomeFen: income,
    expenseByCategoryFen: byCat, nonFoodFen: {}, foodExpenseFen: expense, expenseFen: expense, surplusFen: income - expense,
    cumulativeSurplusFen: income - expense, surplusRateBp: income ? Math.round(((income - expense) * 10_000) / income) : null, mealDays: 2000, avgCostFen: Math.round(expense / 2000), foodShareBp: null,
  };
}

function makePackage(school: { code: string; name: string; key: crypto.KeyObject; pub: Buffer }, m: string, rnd: () => number): PackageFile {
  const sup = Array.from({ length: 8 }, (_, i) => SUPPLIERS[(Number(school.code.slice(-3)) * 7 + i * 5) % SUPPLIERS.length]);
  const purchases = Array.from({ length: LINES }, (_, i) => {
    const it = ITEMS[Math.floor(rnd() * ITEMS.length)];
    const s = sup[i % sup.length];
    const price = Math.max(1, Math.round(it.ref * (0.85 + rnd() * 0.35)));
    const qty = 1000 * (1 + Math.floor(rnd() * 20));
    return {
      date: `${m}-${String(1 + (i % 28)).padStart(2, '0')}`, receiptNo: `YS${m.replace('-', '')}${String(Math.floor(i / 20)).padStart(4, '0')}`,
      item: it.item, spec: it.spec, unit: it.unit, qtyMilli: qty, unitPriceFen: price, amountFen: Math.round((qty * price) / 1000),
      supplier: s.name, supplierCreditCode: s.code, inspectors: rnd() < 0.8 ? ['张三', '李四'] : ['王五', '李四'], note: '',
    };
  });
  const expense = purchases.reduce((t, p) => t + p.amountFen, 0);
  const income = Math.round(expense * (0.97 + rnd() * 0.06));
  const data: PackageData = {
    schemaVersion: PACKAGE_SCHEMA_VERSION, school: { code: school.code, name: school.name }, month: m, revision: 1, closedChecksum: sha(Buffer.from(`${school.code}${m}`)),
    profile: { usesStoreroom: false, allowedNonFood: [], surplusLimitBp: 200, surplusPeriod: 'term', priceToleranceBp: 1000, disclosureDeadlineDay: 15 },
    fund: { month: fund(income, expense), yearToDate: fund(income * 6, expense * 6) },
    surplusPeriod: { kind: 'term', from: m, to: m, incomeFen: income, surplusFen: income - expense, rateBp: Math.round(((income - expense) * 10_000) / income), limitBp: 200, breach: income - expense > income * 0.02 },
    categories: CATEGORIES.map((c, i) => ({ category: c, purchasedFen: i === 0 ? expense : 0, expenseFen: i === 0 ? expense : 0, openingFen: null, adjustmentsFen: null, closingFen: null })),
    purchases,
    rejected: [{ item: ITEMS[0].item, unit: 'kg', qtyMilli: 2000, reason: '部分腐烂', disposition: '当场退回' }],
    prices: ITEMS.slice(0, 40).map((it) => ({ item: it.item, category: 'grain' as const, unit: it.unit, qtyMilli: 10_000, amountFen: it.ref * 10, referencePriceFen: it.ref, previousAvgPriceFen: null })),
    suppliers: sup.map((s) => ({ name: s.name, creditCode: s.code, licenceNo: 'JY1330100', licenceValidUntil: '2030-12-31', deliveries: 10, amountFen: Math.round(expense / 8), certificates: 20 })),
    subsidy: Array.from({ length: 12 }, (_, i) => ({ className: `${i + 1}班`, students: 40, days: 20, studentDays: 800, rateFen: 500, amountFen: 400_000 })),
    refunds: [{ className: '1班', days: 3, amountFen: 1800, reason: '请假', appliedOn: `${m}-10`, approvedOn: `${m}-11`, paidOn: `${m}-12`, status: 'paid', earlier: false }],
  };
  const dataBytes = Buffer.from(`${JSON.stringify(data)}\n`);
  const workbook = crypto.randomBytes(60_000);
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT, schemaVersion: PACKAGE_SCHEMA_VERSION, schoolCode: school.code, schoolName: school.name, month: m, revision: 1,
    closedChecksum: data.closedChecksum, closedAt: `${m}-28T02:00:00.000Z`, supersedes: null, createdAt: new Date().toISOString(), keyFingerprint: fingerprintOf(school.pub),
    files: [{ name: DATA_FILE, bytes: dataBytes.length, sha256: sha(dataBytes) }, { name: WORKBOOK_FILE, bytes: workbook.length, sha256: sha(workbook) }],
  };
  const text = JSON.stringify(manifest);
  return {
    format: PACKAGE_FORMAT, schemaVersion: PACKAGE_SCHEMA_VERSION, manifest: text, signature: crypto.sign(null, Buffer.from(text), school.key).toString('base64'),
    publicKey: school.pub.toString('base64'), files: { [DATA_FILE]: dataBytes.toString('base64'), [WORKBOOK_FILE]: workbook.toString('base64') },
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-bench-'));
try {
  const rnd = seededRandom(18);
  const schools = Array.from({ length: SCHOOLS }, (_, i) => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    return { code: `21350${String(i + 1).padStart(5, '0')}`, name: `第${i + 1}小学`, key: privateKey, pub: publicKey.export({ format: 'der', type: 'spki' }) };
  });
  const pkgDir = path.join(dir, 'packages');
  fs.mkdirSync(pkgDir);
  const t0 = performance.now();
  const files: string[] = [];
  for (let mi = 0; mi < MONTHS; mi++) {
    for (const s of schools) {
      const f = path.join(pkgDir, packageFileName(s.code, monthOf(mi), 1));
      fs.writeFileSync(f, JSON.stringify(makePackage(s, monthOf(mi), rnd)));
      files.push(f);
    }
  }
  const genMs = performance.now() - t0;
  const c = await openCentre(path.join(dir, 'centre.duckdb'), { create: true });
  for (const s of schools) await enrolSchool(c, { code: s.code, name: s.name, fingerprint: fingerprintOf(s.pub) }, new Date());
  const t1 = performance.now();
  let refused = 0;
  for (const f of files) if ((await importPackage(c, f, new Date())).status !== 'imported') refused++;
  const importMs = performance.now() - t1;
  const last = monthOf(MONTHS - 1);
  const time = async (f: () => Promise<unknown>) => {
    await f();
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const a = performance.now();
      await f();
      xs.push(performance.now() - a);
    }
    xs.sort((a, b) => a - b);
    return Math.round(xs[2] * 10) / 10;
  };
  const raw = await time(() => rows(c.conn, `SELECT count(*) AS n, sum(amount_fen) AS s, sum(qty_milli) AS q FROM purchases WHERE month = ?`, [last]));
  const rawAll = await time(() => rows(c.conn, `SELECT count(*) AS n, sum(amount_fen) AS s FROM purchases`));
  const views = {
    submission: await time(() => submissionView(c, last)),
    surplusMonth: await time(() => surplusView(c, { month: last })),
    surplusAllMonths: await time(() => surplusView(c)),
    priceFirst1000: await time(() => priceView(c, last, { limit: 1000 })),
    priceAllRows: await time(() => priceView(c, last)),
    supplier: await time(() => supplierView(c, last)),
    inspection: await time(() => inspectionView(c, last)),
    foodSafety: await time(() => foodSafetyView(c, last)),
  };
  const lines = (await rows(c.conn, 'SELECT count(*) AS n FROM purchases'))[0].n;
  c.close();
  // The same views as the app asks for them: through the centre's dispatcher (openCentreBackend's invoke: the role
  // read, the input validated, the queue), logged in as a centre reviewer.
  const backend = await openCentreBackend({ file: path.join(dir, 'centre.duckdb') });
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
    priceHistory: await time(() => call('views.priceHistory', { item: ITEMS[1].item, spec: ITEMS[1].spec, unit: ITEMS[1].unit })),
  };
  backend.close();
  const size = fs.statSync(path.join(dir, 'centre.duckdb')).size;
  console.log(
    JSON.stringify(
      {
        schools: SCHOOLS, months: MONTHS, linesPerMonth: LINES, packages: files.length, refused, purchaseRows: lines, centreBytes: size,
        generateMs: Math.round(genMs), importMs: Math.round(importMs), importPerSecond: Math.round((files.length / importMs) * 1000 * 10) / 10,
        rawMonthScanMs: raw, rawAllScanMs: rawAll, viewMs: views, invokeMs,
        ratioToRawMonthScan: Object.fromEntries(Object.entries(views).map(([k, v]) => [k, Math.round((v / Math.max(raw, 0.1)) * 10) / 10])),
        node: process.version, cpus: os.cpus().length,
      },
      null,
      2,
    ),
  );
} finally {
  // CANTEEN_BENCH_KEEP=1 keeps the generated packages and centre file for a closer look (the path on stderr).
  if (process.env.CANTEEN_BENCH_KEEP) console.error(`kept ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
