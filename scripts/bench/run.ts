/**
 * The benchmark (issue 8): builds (or reuses) a large ledger, then measures the app's operations through the real
 * openBackend/invoke next to the raw limits (better-sqlite3 inserting the same rows, exceljs's streaming writer writing
 * the same cells), and writes bench-results/<date>-<years>y.json (or --results FILE).
 *
 *   npm run bench -- --quick             1 school year (10 months) at full school size
 *   npm run bench                        10 years (builds for about an hour the first time; --resume-able, see
 *                                        build-ledger.ts)
 *   npm run bench -- --ledger FILE       reuse a ledger built by build-ledger.ts (it is copied, never changed)
 *   npm run bench -- --only post,export  measure only these (post fees summary search list verify export renderer centre)
 *   npm run bench -- --only renderer --dist A --dist B   the renderer part on two builds made earlier, timed in turn
 *   npm run bench -- --only centre       the town centre alone (issue 18), no school ledger built: a town of 30 schools
 *                                        × 120 months and a city's year of 3,000 schools × 12 months
 *                                        (scripts/bench/centre.ts, each in a process of its own; the last 600 / 1,000
 *                                        packages through the real import, the rest bulk-loaded), written to
 *                                        bench-results/<date>-centre.json; --centre-town 30x120, --centre-city 3000x12
 *                                        and --centre-imported N|all change them, --centre-city 0 leaves it out
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { LATEST_VERSION } from '../../electron/core/db/open.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import { loginAs } from './bench-session.ts';
import { sizeFromArgs, monthDays, className, type BuildResult } from './build-ledger.ts';
import { addDays, lastDayOfMonth } from '../../electron/core/ledger/clock.ts';

const HERE = import.meta.filename;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Stat { n: number; medianMs: number; p95Ms: number; minMs: number; maxMs: number }
function stat(xs: number[]): Stat {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, medianMs: r(s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2), p95Ms: r(q(0.95)), minMs: r(s[0]), maxMs: r(s.at(-1)!) };
}
async function sample(n: number, f: (i: number) => unknown | Promise<unknown>): Promise<Stat> {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await f(i);
    xs.push(performance.now() - t);
  }
  return stat(xs);
}

// ---------------------------------------------------------------- child modes (peak memory needs its own process)
if (process.argv[2] === '--child-export') {
  const [, , , file, month, dir] = process.argv;
  const b = openBackend({ file, now: () => new Date(`${addDays(lastDayOfMonth(month), 40)}T02:00:00Z`), lockHolder: 'bench' });
  for (const p of (process.env.BENCH_PRAGMAS ?? '').split(';').filter(Boolean)) b.db.pragma(p);
  const u = b.db.prepare(`SELECT id FROM users WHERE username = 'accountant'`).get() as { id: string };
  b.ctx.setSession({ userId: u.id, username: 'accountant', displayName: '刘会计', roles: ['accountant'] });
  // With a repeat count, the same export that many times in this process (the app's, after exports have run).
  const times: number[] = [];
  let r: Awaited<ReturnType<typeof b.invoke>> | null = null;
  for (let i = 0; i < Number(process.argv[6] ?? 1); i++) {
    const t = performance.now();
    r = await b.invoke('monthclose.export', { month, dir: i ? `${dir}-${i}` : dir, pdf: false });
    times.push(performance.now() - t);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  }
  b.close();
  console.log(JSON.stringify({ ms: times[0], times, maxRssMB: peakRssMB(), xlsxPath: (r!.value as { xlsxPath: string }).xlsxPath }));
  process.exit(0);
}
function child(args: string[], script = HERE): { ms: number; maxRssMB: number; xlsxPath?: string } {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`child ${args[0]} failed: ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

// ---------------------------------------------------------------- the centre (issue 18)
/**
 * scripts/bench/centre.ts for each size asked, in a process of its own; its JSON is the section's result. `onSize`
 * hears each size as it ends, so a run stopped during the city keeps the town's figures.
 */
function centreBench(onSize: (partial: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  // Each size imports its last packages through the real import (the throughput) and bulk-loads the rest
  // (scripts/bench/centre.ts says how; --centre-imported N changes the sample, 'all' imports every package).
  const sizes: [string, string, string][] = [
    ['town', arg('centre-town') ?? '30x120', arg('centre-imported') ?? '600'],
    ['city', arg('centre-city') ?? '3000x12', arg('centre-imported') ?? '1000'],
  ];
  const out: Record<string, unknown> = {};
  for (const [name, dims, imported] of sizes) {
    if (dims === '0') continue;
    const [schools, months] = dims.split('x').map(Number);
    console.log(`centre ${name}: ${schools} schools × ${months} months …`);
    const r = spawnSync(process.execPath, [path.join(path.dirname(HERE), 'centre.ts'), '--schools', String(schools), '--months', String(months), ...(imported === 'all' ? [] : ['--imported', imported])], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`the centre part (${name}) failed: ${r.stderr.slice(0, 2000)}`);
    out[name] = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
    console.log(`centre ${name}: ${JSON.stringify(out[name])}`);
    onSize(out);
  }
  return out;
}
if (arg('only') === 'centre') {
  const t = performance.now();
  let commit = process.env.BENCH_COMMIT ?? '';
  if (!commit) commit = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  fs.mkdirSync('bench-results', { recursive: true });
  const outFile = arg('results') ?? `bench-results/${new Date().toISOString().slice(0, 10)}-centre.json`;
  const write = (centre: Record<string, unknown>) => {
    const machine = { nproc: os.availableParallelism(), memGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, node: process.version, platform: `${os.platform()} ${os.release()}`, loadAvgAtEnd: os.loadavg() };
    fs.writeFileSync(outFile, JSON.stringify({ date: new Date().toISOString(), commit, machine, seconds: Math.round((performance.now() - t) / 1000), results: { centre } }, null, 2));
    console.log(`wrote ${outFile}`);
  };
  write(centreBench(write));
  process.exit(0);
}

// ---------------------------------------------------------------- main
const size = sizeFromArgs();
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-bench-'));
let built: BuildResult;
const given = arg('ledger');
const source = given ?? `bench-results/ledger-${size.years}y-${size.students}s-${size.linesPerMonth}l.sqlite`;
if (fs.existsSync(source) && fs.existsSync(`${source}.json`)) {
  built = JSON.parse(fs.readFileSync(`${source}.json`, 'utf8'));
  console.log(`reusing ${source} (${built.fileMB.toFixed(1)} MB)`);
} else {
  // Built in a process of its own: the build's native memory (see docs/PERFORMANCE.md) must not weigh on the timings.
  console.log(`building ${source} …`);
  const r = spawnSync(process.execPath, [path.join(path.dirname(HERE), 'build-ledger.ts'), ...process.argv.slice(2).filter((a) => a !== '--ledger' && a !== given), '--out', source], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`building the ledger failed (exit ${r.status})`);
  built = JSON.parse(fs.readFileSync(`${source}.json`, 'utf8'));
}
const file = path.join(work, 'ledger.sqlite');
fs.copyFileSync(source, file);
// The copy (gigabytes) is written back to disk in the background for a while after: a durable commit measured
// meanwhile waits in the same disk queue. Flush it first (the post timings varied 9–13 ms run to run without this).
spawnSync('sync');
const months = built.months;
const openMonth = months.at(-1)!;
const closedMonth = months.at(-2)!;
const lastDay = monthDays(openMonth).at(-1)!;
let nowIso = `${lastDay}T03:00:00.000Z`;
const now = () => new Date(nowIso);
const results: Record<string, unknown> = {};
const only = arg('only')?.split(',');
const want = (section: string) => !only || only.includes(section);
const log = (k: string, v: unknown) => {
  results[k] = v;
  console.log(`${k}: ${JSON.stringify(v)}`);
};

// A ledger built by an older version is brought up the migration ladder first (with its pre-migration backup), untimed
// in the opening figures: that happens once per upgrade, not at every start.
{
  const t = performance.now();
  const from = (new Database(file, { readonly: true }).pragma('user_version', { simple: true }) as number);
  openBackend({ file, now, lockHolder: 'bench' }).close();
  log('firstOpen', { ms: Math.round(performance.now() - t), fromVersion: from, toVersion: LATEST_VERSION });
}
// Opening: the whole openBackend (writer lock, header and version checks, installation row).
log('open', await sample(20, () => openBackend({ file, now, lockHolder: 'bench' }).close()));

const b: Backend = openBackend({ file, now, lockHolder: 'bench' });
// BENCH_PRAGMAS='synchronous=OFF;wal_autocheckpoint=0' tries a setting on the measured connection without changing the app.
for (const p of (process.env.BENCH_PRAGMAS ?? '').split(';').filter(Boolean)) b.db.pragma(p);
const call = async <K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> => {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error).slice(0, 500)}`);
  return r.value as Output<K>;
};
const as = (username: string) => loginAs(b, username);
const ingredients = b.db.prepare(`SELECT id, ref_price_fen AS price FROM ingredients ORDER BY name`).all() as { id: string; price: number }[];
const supplierId = (b.db.prepare(`SELECT id FROM suppliers ORDER BY name LIMIT 1`).get() as { id: string }).id;
const inspectors = (b.db.prepare(`SELECT id FROM users WHERE username IN ('storekeeper', 'storekeeper2') ORDER BY username`).all() as { id: string }[]).map((r) => r.id);

// A 30-line delivery as the form does it: the live check (read-only) shows the warnings, the storekeeper types the
// note, then one durable saveDraft and one durable post (synchronous=FULL, WAL). The issue's target is for posting.
as('storekeeper');
const draftOf = (i: number) => ({
  date: lastDay,
  arrivalTime: '07:30',
  supplierId,
  noteNumber: `BENCH-${i}`,
  inspectorIds: inspectors,
  lines: Array.from({ length: 30 }, (_, k) => {
    const ing = ingredients[(i * 37 + k * 101) % ingredients.length];
    return { ingredientId: ing.id, receivedMilli: 12_300, acceptedMilli: 12_300, unitPriceFen: ing.price, storageClass: 'ambient' as const };
  }),
});
if (want('post')) {
const rowidTables = (b.db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string; sql: string }[]).filter((t) => !/WITHOUT ROWID/i.test(t.sql)).map((t) => t.name);
const maxRowids = () => Object.fromEntries(rowidTables.map((t) => [t, (b.db.prepare(`SELECT coalesce(max(rowid), 0) AS m FROM "${t}"`).get() as { m: number }).m]));
const before = maxRowids();
let firstPostRows: Record<string, Record<string, unknown>[]> = {};
const saveMs: number[] = [];
const postMs: number[] = [];
const checkMs: number[] = [];
for (let i = 0; i < 30; i++) {
  const t0 = performance.now();
  const c = await call('receiving.check', { draft: draftOf(i), deliveryId: null });
  const draft = c.findings.some((f) => f.level === 'warning') ? { ...draftOf(i), warningNote: '已核实' } : draftOf(i);
  const t1 = performance.now();
  const v = await call('receiving.saveDraft', { id: null, draft });
  const t2 = performance.now();
  await call('receiving.post', { id: v.id });
  const t3 = performance.now();
  checkMs.push(t1 - t0);
  saveMs.push(t2 - t1);
  postMs.push(t3 - t2);
  if (i === 0) {
    for (const t of rowidTables) {
      const rows = b.db.prepare(`SELECT * FROM "${t}" WHERE rowid > ?`).all(before[t]) as Record<string, unknown>[];
      if (rows.length) firstPostRows[t] = rows;
    }
  }
}
const post = stat(postMs);
log('post30', post);
log('post30_save', stat(saveMs));
log('post30_check', stat(checkMs));
const saveAndPost = stat(saveMs.map((x, i) => x + postMs[i]));
log('post30_total', saveAndPost);

// Raw limit: the same rows (rowid tables; audit included) into an empty copy of the schema without triggers, one
// transaction, same durability.
{
  // A fresh empty copy per sample (made before the clock starts), so the same keys can go in each time.
  const schema = (b.db.prepare(`SELECT sql FROM sqlite_schema WHERE type IN ('table', 'index') AND sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY type DESC`).all() as { sql: string }[]).map((r) => r.sql);
  const raws = Array.from({ length: 30 }, (_, i) => {
    const raw = new Database(path.join(work, `raw-${i}.sqlite`));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = OFF');
    for (const sql of schema) raw.exec(sql);
    const stmts = Object.entries(firstPostRows).map(([t, rows]) => {
      const cols = Object.keys(rows[0]);
      return { st: raw.prepare(`INSERT INTO "${t}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map(() => '?').join(',')})`), rows: rows.map((r) => cols.map((c) => r[c])) };
    });
    return { raw, stmts };
  });
  const nRows = raws[0].stmts.reduce((s, x) => s + x.rows.length, 0);
  const rawStat = await sample(30, (i) => {
    const { raw, stmts } = raws[i];
    raw.transaction(() => {
      for (const { st, rows } of stmts) for (const r of rows) st.run(r);
    })();
  });
  for (const { raw } of raws) raw.close();
  log('post30_raw', { ...rawStat, rowsPerPost: nRows, tables: Object.fromEntries(Object.entries(firstPostRows).map(([t, r]) => [t, r.length])), oursOverRaw: Math.round((saveAndPost.medianMs / rawStat.medianMs) * 10) / 10 });
}

}
// Collecting a class's fees (50 receipts, one call), for a prepaid period: a different class each time.
if (want('fees')) {
as('admin');
const nextMonth = addDays(`${lastDayOfMonth(openMonth)}`, 45).slice(0, 7);
await call('schoolDays.set', { month: nextMonth, days: monthDays(nextMonth) });
as('cashier');
const classes = (b.db.prepare(`SELECT DISTINCT class_name AS c FROM students ORDER BY class_name`).all() as { c: string }[]).map((r) => r.c);
log('collectClass', await sample(Math.min(20, classes.length), async (i) => {
  const ids = (b.db.prepare(`SELECT id FROM students WHERE class_name = ? ORDER BY student_no`).all(classes[i]) as { id: string }[]).map((r) => ({ studentId: r.id }));
  await call('fees.collect', { period: nextMonth, date: lastDay, method: 'bank', items: ids });
}));
void className;
}

// Fund summary (monthclose.get: checklist, bank lines, the month and the year to date).
if (want('summary')) {
as('accountant');
log('monthSummaryClosed', await sample(20, () => call('monthclose.get', { month: closedMonth })));
log('monthSummaryOpen', await sample(20, () => call('monthclose.get', { month: openMonth })));
}

// Pinyin search keystrokes over the ingredients.
if (want('search')) {
as('storekeeper');
const keys = ['b', 'bc', 'bcz', 'n', 'nr', 'nrg', 'j', 'jd', 'jdf', 'x', 'xg', 'xgt', 'y', 'yr', 'yrs', 'd', 'dj', 'djg', 'm', 'mf'];
log('searchKeystroke', { ...(await sample(60, (i) => call('ingredients.search', { q: keys[i % keys.length] }))), items: ingredients.length });
}

// The first page of a month's deliveries.
if (want('list')) {
log('listMonthFirstPage', await sample(20, () => call('receiving.list', { from: `${closedMonth}-01`, to: lastDayOfMonth(closedMonth), limit: 50 })));
}

// Verify over the whole ledger (slow: a few samples).
as('admin');
// --verify-samples 0 leaves verify out (minutes at ten years), e.g. when only the export is measured again.
if (want('verify') && Number(arg('verify-samples') ?? 3) > 0) log('verify', await sample(Number(arg('verify-samples') ?? 3), () => call('integrity.verify', {})));
b.close();

// Exporting a closed month's disclosure workbook, each in a child process for its peak RSS; then exceljs's streaming
// writer writing the same cells (read back from our workbook) in a child of its own.
if (want('export')) {
  const n = Number(arg('export-samples') ?? 7);
  const warmUp = Number(arg('export-warm-up') ?? 3);
  const nWarm = Number(arg('export-warm-samples') ?? 15);
  const coldExports = (tag: string) => {
    const xs: number[] = [];
    let peakMB = 0;
    let last = '';
    for (let i = 0; i < n; i++) {
      const r = child(['--child-export', file, closedMonth, path.join(work, `export-${tag}-${i}`)]);
      xs.push(r.ms);
      peakMB = Math.max(peakMB, r.maxRssMB);
      last = r.xlsxPath!;
    }
    return { xs, peakMB, last };
  };
  // Warm, as in the running app (the month's close page was open, and exports have run before): ours repeating in a
  // process of its own, as the raw writer does, each after `warmUp` runs not counted (V8 optimises a function after
  // it has run a while; this process's heap, grown by the other measurements, would slow ours alone).
  const warmExports = (tag: string) => {
    const r = child(['--child-export', file, closedMonth, path.join(work, `export-${tag}-warm`), String(warmUp + nWarm)]) as unknown as { times: number[] };
    return stat(r.times.slice(warmUp));
  };
  // A month closed by a version before migration 0012 has no lists recorded with its close: its export reads them
  // from the ledger. Measured as such, then the month is reopened and closed again (as a 审核人 would after a
  // correction), which records its lists, and the rows below are of that close.
  const listsRecorded = () => {
    const d = new Database(file, { readonly: true });
    const r = d.prepare('SELECT count(*) AS n FROM month_disclosures WHERE month = ?').get(closedMonth) as { n: number };
    d.close();
    return r.n > 0;
  };
  if (!listsRecorded()) {
    const cold = coldExports('ledger');
    const warm = warmExports('ledger');
    log('exportMonth_listsFromLedger', { cold: stat(cold.xs), warm, peakRssMB: Math.round(cold.peakMB) });
    const bc = openBackend({ file, now, lockHolder: 'bench' });
    const step = async <K extends MethodName>(user: string, name: K, input: Input<K>) => {
      loginAs(bc, user);
      const t = performance.now();
      const r = await bc.invoke(name, input);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error).slice(0, 500)}`);
      return performance.now() - t;
    };
    await step('reviewer', 'monthclose.reopen', { month: closedMonth, reason: '基准测试：重新月结以记录公示明细' });
    await step('accountant', 'monthclose.submit', { month: closedMonth });
    const approveMs = await step('reviewer', 'monthclose.approve', { month: closedMonth });
    const lists = bc.db.prepare('SELECT length(lists) AS bytes FROM month_disclosures WHERE month = ?').get(closedMonth) as { bytes: number };
    bc.close();
    log('reclose', { approveMs: Math.round(approveMs), listsBytes: lists.bytes });
  }
  // Our workbook once (not counted), for the cells the raw writers write.
  const xlsx = child(['--child-export', file, closedMonth, path.join(work, 'export-cells')]).xlsxPath!;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(xlsx);
  let cells = 0;
  // One style object per distinct look (as our writer has them), each cell pointing at its own.
  const styleIds = new Map<string, number>();
  const styleTable: Partial<ExcelJS.Style>[] = [];
  const styleOf = (st: Partial<ExcelJS.Style> | undefined): number | null => {
    if (!st || !Object.keys(st).length) return null;
    const k = JSON.stringify(st);
    let id = styleIds.get(k);
    if (id === undefined) {
      id = styleTable.push(st) - 1;
      styleIds.set(k, id);
    }
    return id;
  };
  const sheets = wb.worksheets.map((ws) => {
    const rows: unknown[][] = [];
    const styles: (number | null)[][] = [];
    ws.eachRow({ includeEmpty: true }, (row) => {
      const vals = (row.values as unknown[]).slice(1).map((v) => (v && typeof v === 'object' && 'result' in (v as object) ? (v as { result: unknown }).result : v));
      cells += vals.filter((v) => v !== undefined && v !== null).length;
      rows.push(vals);
      styles.push(vals.map((_, c) => styleOf(row.getCell(c + 1).style)));
    });
    return { name: ws.name, rows, styles };
  });
  // Values only for the plain raw writer (styles held in its heap would slow its garbage collection), and values with
  // styles for the styled one.
  const cellsFile = path.join(work, 'cells.json');
  fs.writeFileSync(cellsFile, JSON.stringify(sheets.map(({ name, rows }) => ({ name, rows }))));
  const styledCellsFile = path.join(work, 'cells-styled.json');
  fs.writeFileSync(styledCellsFile, JSON.stringify({ styles: styleTable, sheets }));
  // Ours, the raw writer and the styled raw writer take turns, cold (a process each) and warm (a process per round,
  // `warmUp` runs not counted in each): on this shared host a busy minute then slows all three alike, where measured
  // one after the other it fell on one of them (the same raw writer moved by up to 40 % between runs minutes apart).
  const rawScript = path.join(path.dirname(HERE), 'raw-xlsx.ts');
  const cold = { ours: [] as number[], raw: [] as number[], styled: [] as number[] };
  const peakMB = { ours: 0, raw: 0, styled: 0 };
  for (let i = 0; i < n; i++) {
    const o = child(['--child-export', file, closedMonth, path.join(work, `export-recorded-${i}`)]);
    const r = child([cellsFile, path.join(work, `raw-${i}.xlsx`)], rawScript);
    const st = child([styledCellsFile, path.join(work, `raw-styled-${i}.xlsx`), '1', 'styled'], rawScript);
    cold.ours.push(o.ms);
    cold.raw.push(r.ms);
    cold.styled.push(st.ms);
    peakMB.ours = Math.max(peakMB.ours, o.maxRssMB);
    peakMB.raw = Math.max(peakMB.raw, r.maxRssMB);
    peakMB.styled = Math.max(peakMB.styled, st.maxRssMB);
  }
  const rounds = Number(arg('export-warm-rounds') ?? 3);
  const perRound = Math.ceil(nWarm / rounds);
  const warmXs = { ours: [] as number[], raw: [] as number[], styled: [] as number[] };
  for (let k = 0; k < rounds; k++) {
    const times = (r: unknown) => (r as { times: number[] }).times.slice(warmUp);
    warmXs.ours.push(...times(child(['--child-export', file, closedMonth, path.join(work, `export-recorded-warm-${k}`), String(warmUp + perRound)])));
    warmXs.raw.push(...times(child([cellsFile, path.join(work, `raw-warm-${k}.xlsx`), String(warmUp + perRound)], rawScript)));
    warmXs.styled.push(...times(child([styledCellsFile, path.join(work, `raw-styled-warm-${k}.xlsx`), String(warmUp + perRound), 'styled'], rawScript)));
  }
  const ratio = (a: Stat, b: Stat) => Math.round((a.medianMs / b.medianMs) * 100) / 100;
  const ours = stat(cold.ours);
  const rawS = stat(cold.raw);
  const warm = stat(warmXs.ours);
  const rawWarmS = stat(warmXs.raw);
  const sc = stat(cold.styled);
  const sw = stat(warmXs.styled);
  log('exportMonth', { ...ours, peakRssMB: Math.round(peakMB.ours), sheets: sheets.length, cells, bytes: fs.statSync(xlsx).size });
  log('exportMonth_raw', { ...rawS, peakRssMB: Math.round(peakMB.raw), oursOverRaw: ratio(ours, rawS) });
  log('exportMonthWarm', { ...warm, warmUp, rounds, raw: rawWarmS, oursOverRaw: ratio(warm, rawWarmS) });
  log('exportMonth_rawStyled', { cold: sc, warm: sw, peakRssMB: Math.round(peakMB.styled), oursOverRawCold: ratio(ours, sc), oursOverRawWarm: ratio(warm, sw) });
}

// The centre last (its own processes, its own DuckDB files): a full run measures the town and the city month too.
if (want('centre')) log('centre', centreBench());

const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.cpus()[0]?.model;
const machine = { nproc: os.availableParallelism(), cpu, memGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10, node: process.version, platform: `${os.platform()} ${os.release()}`, loadAvgAtEnd: os.loadavg(), sqlite: (new Database(':memory:').prepare('select sqlite_version() v').get() as { v: string }).v };
let commit = process.env.BENCH_COMMIT ?? '';
if (!commit) commit = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const out = { date: new Date().toISOString(), commit, machine, ledger: { source, size: built.size, months: `${months[0]}..${openMonth}`, buildSeconds: built.seconds, fileMB: built.fileMB, rows: built.rows, closedMonth, openMonth }, results };
fs.mkdirSync('bench-results', { recursive: true });
const outFile = arg('results') ?? `bench-results/${new Date().toISOString().slice(0, 10)}-${size.years}y.json`;
fs.writeFileSync(outFile, JSON.stringify(out, null, 2));
console.log(`wrote ${outFile}`);
if (want('renderer')) {
  // The renderer in Chromium on the same ledger (renderer.ts, a process of its own, on its own copy): a cold start to a
  // usable door form, navigation to it inside the open app, keystroke to paint in the item search, and a 30-line
  // delivery typed (issue 15). It adds `results.renderer` to the results file. --renderer-runs N cold loads (3),
  // --nav-runs N navigations (5), --typing-runs N deliveries typed (2); --dist DIR (repeatable) times builds made
  // earlier in turn instead of this tree's (renderer.ts says how).
  fs.copyFileSync(`${source}.json`, `${file}.json`);
  const dists = process.argv.flatMap((a, i) => (a === '--dist' && process.argv[i + 1] ? ['--dist', process.argv[i + 1]] : []));
  const r = spawnSync(process.execPath, [path.join(path.dirname(HERE), 'renderer.ts'), file, outFile, '--runs', arg('renderer-runs') ?? '3', '--nav-runs', arg('nav-runs') ?? '5', '--typing-runs', arg('typing-runs') ?? '2', ...dists], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the renderer part failed (exit ${r.status})`);
}
fs.rmSync(work, { recursive: true, force: true });

/** This process's peak RSS (VmHWM). Not resourceUsage().maxRSS: Linux carries ru_maxrss over fork/exec, so a child
 * spawned by a big parent would report the parent's size. */
function peakRssMB(): number {
  const m = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s*(\d+) kB/);
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}
