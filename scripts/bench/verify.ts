/**
 * Verify on a big ledger (issue 19): time and peak RSS of one run in a process of its own, beside the floor — the
 * same rows read raw with better-sqlite3 (every row of every table, `.iterate()`, nothing done with them), in a
 * process of its own too. The ledger must already be at this code's schema (a copy migrated once, e.g. by
 * `npm run bench -- --ledger …`, whose first open migrates), else verify reports the schema difference.
 *
 *   npx node scripts/bench/verify.ts LEDGER [--mode full|quick] [--raw] [--cpu-prof]
 *   npx node scripts/bench/verify.ts LEDGER --all --results bench-results/<date>-verify-10y.json
 *
 * --all runs raw, full and (when this code has it) quick, each in its own child, and writes the results file. Each
 * result has wall time (ms) and CPU time (cpuMs: on a machine shared with other work, the steadier figure).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

const HERE = import.meta.filename;
const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error('usage: npx node scripts/bench/verify.ts LEDGER [--mode full|quick] [--raw] [--all --results FILE]');
  process.exit(2);
}

/** CPU time of this process (user + system): on a shared machine wall time measures the neighbours too. */
function cpuMs(): number {
  const u = process.resourceUsage();
  return Math.round((u.userCPUTime + u.systemCPUTime) / 1000);
}

function peakRssMB(): number {
  const m = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s*(\d+) kB/);
  return Math.round(m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024);
}

async function one(): Promise<Record<string, unknown>> {
  if (process.argv.includes('--raw')) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const t = performance.now();
    const rows: Record<string, number> = {};
    for (const { name } of db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]) {
      let n = 0;
      for (const _ of db.prepare(`SELECT * FROM "${name}"`).iterate()) n++;
      rows[name] = n;
    }
    const ms = performance.now() - t;
    db.close();
    return { what: 'raw', ms: Math.round(ms), cpuMs: cpuMs(), maxRssMB: peakRssMB(), rows: Object.values(rows).reduce((a, b) => a + b, 0), auditEntries: rows.audit_log };
  }
  const { openLedgerToRead } = await import('../../electron/core/db/open.ts');
  const verify = await import('../../electron/core/integrity/verify.ts');
  const mode = arg('mode') ?? 'full';
  const opened = openLedgerToRead(file);
  const steps: string[] = [];
  /** CPU milliseconds per step of the run (what each check costs). */
  const stepCpu: Record<string, number> = {};
  let stepAt = cpuMs();
  const t = performance.now();
  const opts: Record<string, unknown> = { maxProblems: 100_000 };
  opts.onProgress = (step: string) => {
    if (steps.at(-1) === step) return;
    const now = cpuMs();
    if (steps.length) stepCpu[steps.at(-1)!] = now - stepAt;
    stepAt = now;
    steps.push(step);
  };
  const r =
    mode === 'quick'
      ? await (async () => {
          const { quickVerify } = await import('../../electron/core/integrity/quick.ts');
          const q = quickVerify(opened.db, { maxProblems: 100_000, report: opts.onProgress as never });
          return { ok: q.problems.length === 0, problems: q.problems, first: q.problems[0] ?? null, auditEntries: q.auditEntries, seal: q.sealed };
        })()
      : verify.verifyLedger(opened.db, opts as never);
  const ms = performance.now() - t;
  opened.close();
  return { what: mode, ms: Math.round(ms), cpuMs: cpuMs(), maxRssMB: peakRssMB(), ok: r.ok, problems: r.problems.length, first: r.first?.message ?? null, auditEntries: r.auditEntries, stepCpuMs: stepCpu, seal: (r as { seal?: unknown }).seal ?? null };
}

if (process.argv.includes('--all')) {
  const out: Record<string, unknown> = { ledger: path.resolve(file), sizeMB: Math.round(fs.statSync(file).size / 1024 / 1024), at: new Date().toISOString() };
  for (const which of [['--raw'], ['--mode', 'full'], ['--mode', 'quick']]) {
    const r = spawnSync(process.execPath, [HERE, file, ...which], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) {
      console.error(`${which.join(' ')} failed: ${r.stderr.slice(0, 2000)}`);
      continue;
    }
    const v = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { what: string };
    out[v.what] = v;
    console.log(JSON.stringify(v));
  }
  const results = arg('results');
  if (results) fs.writeFileSync(results, `${JSON.stringify(out, null, 2)}\n`);
} else {
  console.log(JSON.stringify(await one()));
}
