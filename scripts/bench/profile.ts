/**
 * Where the time of a slow operation goes: runs it N times on a copy of a bench ledger under the V8 profiler and
 * prints the functions with the most self time.
 *   node scripts/bench/profile.ts LEDGER post30|monthSummary|export [N]
 */
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { openBackend } from '../../electron/core/backend.ts';
import { loginAs, thirtyLineDraft } from './bench-session.ts';
import { monthDays } from './build-ledger.ts';

const [, , source, what, nArg] = process.argv;
const n = Number(nArg ?? 10);
const meta = JSON.parse(fs.readFileSync(`${source}.json`, 'utf8')) as { months: string[] };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-prof-'));
const file = path.join(work, 'l.sqlite');
fs.copyFileSync(source, file);
// BENCH_PRAGMAS='cache_size=-65536;mmap_size=268435456' tries a setting without changing the app.
const lastDay = monthDays(meta.months.at(-1)!).at(-1)!;
const b = openBackend({ file, now: () => new Date(`${lastDay}T03:00:00Z`), lockHolder: 'bench' });
for (const p of (process.env.BENCH_PRAGMAS ?? '').split(';').filter(Boolean)) b.db.pragma(p);
// Time per SQL statement (native time is invisible to the JS profiler); statements run through run/get/all/iterate.
const sqlTime = new Map<string, { ms: number; n: number }>();
const origPrepare = b.db.prepare.bind(b.db);
// openLedger's prepare hands out one cached statement per SQL text: wrap each statement once, or the timers nest.
const wrapped = new WeakSet<object>();
(b.db as unknown as { prepare: unknown }).prepare = (sql: string) => {
  const st = origPrepare(sql) as unknown as Record<string, (...a: unknown[]) => unknown>;
  if (wrapped.has(st)) return st;
  wrapped.add(st);
  const k = sql.replace(/\s+/g, ' ').slice(0, 200);
  for (const m of ['run', 'get', 'all']) {
    const f = st[m].bind(st);
    st[m] = (...a: unknown[]) => {
      const t = performance.now();
      try {
        return f(...a);
      } finally {
        const e = sqlTime.get(k) ?? { ms: 0, n: 0 };
        e.ms += performance.now() - t;
        e.n++;
        sqlTime.set(k, e);
      }
    };
  }
  return st;
};
const draftOf = thirtyLineDraft(b, lastDay);
const run = async (i: number) => {
  if (what === 'post30') {
    loginAs(b, 'storekeeper');
    const t0 = performance.now();
    const v = await b.invoke('receiving.saveDraft', { id: null, draft: draftOf(i) });
    const t1 = performance.now();
    if (!v.ok) throw new Error(JSON.stringify(v.error));
    const p = await b.invoke('receiving.post', { id: (v.value as { id: string }).id });
    if (!p.ok) throw new Error(JSON.stringify(p.error));
    return [t1 - t0, performance.now() - t1];
  }
  loginAs(b, 'accountant');
  const t0 = performance.now();
  if (what === 'export') {
    // A closed month's disclosure workbook, as run.ts times it (no PDF); the file goes to the work folder.
    const r = await b.invoke('monthclose.export', { month: meta.months.at(-2)!, dir: work, pdf: false });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    return [performance.now() - t0];
  }
  await b.invoke('monthclose.get', { month: meta.months.at(-2)! });
  return [performance.now() - t0];
};
// PROFILE_COLD=1: no warm-up call, so the first profiled call is the cold one (e.g. an export in a fresh process).
if (!process.env.PROFILE_COLD) await run(-1);
const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const times: number[][] = [];
for (let i = 0; i < n; i++) times.push(await run(i));
const { profile } = await session.post('Profiler.stop');
if (process.env.PROFILE_OUT) fs.writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
b.close();
fs.rmSync(work, { recursive: true, force: true });
console.log('ms per call (parts):', times.map((t) => t.map((x) => x.toFixed(1)).join('+')).join('  '));
const self = new Map<string, number>();
const dt = profile.timeDeltas ?? [];
const byId = new Map(profile.nodes.map((nd) => [nd.id, nd]));
(profile.samples ?? []).forEach((id, k) => {
  const nd = byId.get(id)!;
  const f = nd.callFrame;
  const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/work\/main\//, '')}:${f.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, c) => a + c, 0);
console.log('SQL statements by total time (all runs):');
for (const [k, v] of [...sqlTime.entries()].sort((a, c) => c[1].ms - a[1].ms).slice(0, 12)) console.log(`${v.ms.toFixed(0).padStart(6)} ms ${String(v.n).padStart(5)}×  ${k}`);
for (const [k, v] of [...self.entries()].sort((a, c) => c[1] - a[1]).slice(0, 15)) console.log(`${((v / total) * 100).toFixed(1).padStart(5)}%  ${v.toFixed(0).padStart(6)} ms  ${k}`);
