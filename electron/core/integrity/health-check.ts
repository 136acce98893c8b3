import { Worker } from 'node:worker_threads';
import type { AttentionItem } from '../../../shared/api/audit.ts';
import type { HealthInfo, QuickVerifyInfo } from '../../../shared/api/maintenance.ts';
import type { Ctx } from '../context.ts';
import { restoreLossNote } from '../db/damage.ts';
import { jobFile, runJob } from '../jobs/run.ts';
import { monthWords } from '../ledger/clock.ts';
import type { RunningOperation } from '../ledger/progress.ts';
import type { QuickResult } from './quick.ts';

/**
 * Page-level damage, found without blocking the start. Opening a ledger no longer runs `PRAGMA quick_check` (seconds
 * on a big ledger, in Electron's main process, before the window can show); instead, once the app has started, the
 * check runs on its own read-only connection in a worker thread, and its result is kept with the backend (keyed by
 * its Ctx, which a restore keeps) for the home page's attention list and the 备份与校验 / 关于 pages.
 *
 * The worker is evaluated from source (`eval: true`) rather than loaded from a file, so it is the same code whether
 * the core runs as .ts sources or bundled into dist/electron/main.cjs; it loads better-sqlite3 from the absolute path
 * the caller resolved (`driver`), so it needs neither a worker file beside the bundle nor module resolution from the
 * worker's working folder.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let db = null;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  const rows = db.pragma('quick_check(' + workerData.maxErrors + ')');
  parentPort.postMessage({ results: rows.map((r) => String(Object.values(r)[0])) });
} catch (e) {
  parentPort.postMessage({ error: String((e && e.message) || e), code: (e && e.code) || null });
} finally {
  try { if (db) db.close(); } catch {}
}
`;

/** SQLite's answers that mean the file itself is damaged (rather than, say, unreadable for a moment). */
const DAMAGE_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_SEQUENCE', 'SQLITE_CORRUPT_VTAB', 'SQLITE_IOERR_SHORT_READ']);
const MAX_ERRORS = 20;

export type HealthState = HealthInfo;

/**
 * SQLite's check results as one finding per line: a result row may hold several lines, headed by
 * '*** in database main ***'; 'ok' and the headers drop out. At most `max`, with a count of the rest.
 */
export function checkFindings(rows: string[], max = MAX_ERRORS): string[] {
  const lines = rows.flatMap((r) => r.split('\n')).map((l) => l.trim()).filter((l) => l && l !== 'ok' && !/^\*\*\* in database \w+ \*\*\*$/.test(l));
  return lines.length > max ? [...lines.slice(0, max), `……另有 ${lines.length - max} 处`] : lines;
}

/** Runs quick_check on `file` in a worker thread; never rejects. */
export function quickCheckInWorker(file: string, driver: string, now: () => Date = () => new Date()): { done: Promise<HealthState>; stop(): void } {
  const startedAt = now().toISOString();
  let worker: Worker | null = null;
  let settle: (s: HealthState) => void = () => {};
  const done = new Promise<HealthState>((resolve) => {
    let settled = false;
    settle = (s) => {
      if (settled) return;
      settled = true;
      resolve(s);
    };
  });
  const finish = (status: HealthState['status'], problems: string[]) => settle({ status, startedAt, checkedAt: now().toISOString(), problems });
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, maxErrors: MAX_ERRORS } });
  } catch (e) {
    finish('unchecked', [`无法启动检查：${(e as Error).message}`]);
    return { done, stop() {} };
  }
  worker.once('message', (m: { results?: string[]; error?: string; code?: string | null }) => {
    if (m.results) {
      const bad = m.results.filter((r) => r !== 'ok');
      finish(bad.length ? 'damaged' : 'ok', bad.length ? checkFindings(bad) : []);
    } else if (m.code && DAMAGE_CODES.has(m.code)) finish('damaged', [m.error ?? m.code]);
    else finish('unchecked', [`检查未能完成：${m.error ?? '未知原因'}`]);
  });
  worker.once('error', (e) => finish('unchecked', [`检查未能完成：${e.message}`]));
  worker.once('exit', (code) => finish('unchecked', [`检查未能完成（检查线程退出，代码 ${code}）`]));
  return {
    done,
    stop() {
      void worker?.terminate();
    },
  };
}

/** What the quick verify found, in the words the health info keeps. */
export function quickVerifyInfo(q: QuickResult, startedAt: string, checkedAt: string, ms: number): QuickVerifyInfo {
  const problems = checkFindings(q.problems.map((p) => p.message));
  const base = { startedAt, checkedAt, ms, problems, sealed: q.sealed };
  if (q.problems.length) {
    return { ...base, status: 'failed', summary: `快速校验未通过，发现 ${q.problems.length} 处问题。第一处：${q.problems[0].message}` };
  }
  if (!q.sealed) return { ...base, status: 'unsealed', summary: '还没有完好的月结封存，快速校验无从开始；请在“备份与校验”中做完整校验。' };
  return {
    ...base,
    status: 'ok',
    summary: `快速校验通过：自${monthWords(q.sealed.month)}月结的封存（审计记录第 ${q.sealed.seq} 条）以来的 ${q.auditEntries} 条审计记录首尾相接，其后写入的数据与审计记录相符；封存之前的数据未逐行核对。`,
  };
}

/**
 * The sealed quick verify (integrity/quick.ts) in the jobs worker (jobs/run.ts), as `integrity.verify` runs the full
 * one; never on this thread. Not a recorded operation (no progress bar for the daily check): its stop sets the
 * worker's cancel flag. Never rejects.
 */
function quickVerifyInWorker(ctx: Ctx): { done: Promise<QuickVerifyInfo>; stop(): void } {
  const startedAt = ctx.now().toISOString();
  const t0 = performance.now();
  const cancels: (() => void)[] = [];
  let stopped = false;
  const run: RunningOperation = {
    id: 'health-quick-verify',
    report: () => {},
    get cancelRequested() {
      return stopped;
    },
    onCancel: (fn) => cancels.push(fn),
  };
  const unchecked = (why: string): QuickVerifyInfo => ({ status: 'unchecked', startedAt, checkedAt: ctx.now().toISOString(), ms: Math.round(performance.now() - t0), summary: `快速校验未能完成：${why}`, problems: [], sealed: null });
  let done: Promise<QuickVerifyInfo>;
  if (!jobFile(ctx)) done = Promise.resolve(unchecked('内存中的账本不能在后台线程中读取'));
  else {
    try {
      done = runJob<QuickResult>(ctx, 'quickVerify', {}, run).then(
        (q) => quickVerifyInfo(q, startedAt, ctx.now().toISOString(), Math.round(performance.now() - t0)),
        (e: unknown) => unchecked((e as Error)?.message ?? String(e)),
      );
    } catch (e) {
      done = Promise.resolve(unchecked((e as Error)?.message ?? String(e)));
    }
  }
  return {
    done,
    stop() {
      stopped = true;
      for (const f of cancels) f();
    },
  };
}

interface Running {
  state: HealthState;
  opts: { file: string; driver: string };
  stop(): void;
}
const checks = new WeakMap<Ctx, Running>();

/**
 * Starts the check of the backend's ledger file and keeps its result with the backend; a second call (after a restore)
 * replaces the first. Once the file check finds the file clean, the sealed quick verify runs (in the jobs worker) and
 * its result is kept with it (`quick`). Resolves with the result, once both have run.
 */
export function startHealthCheck(ctx: Ctx, opts: { file: string; driver: string }): Promise<HealthState> {
  checks.get(ctx)?.stop();
  const startedAt = ctx.now().toISOString();
  const run = quickCheckInWorker(opts.file, opts.driver, ctx.now);
  const entry: Running = { state: { status: 'pending', startedAt, checkedAt: null, problems: [] }, opts, stop: run.stop };
  checks.set(ctx, entry);
  return run.done.then(async (s) => {
    if (checks.get(ctx) !== entry) return s;
    entry.state = s;
    if (s.status !== 'ok') return s;
    const q = quickVerifyInWorker(ctx);
    entry.stop = q.stop;
    entry.state = { ...s, quick: { status: 'pending', startedAt: ctx.now().toISOString(), checkedAt: null, ms: null, summary: '快速校验进行中', problems: [], sealed: null } };
    const quick = await q.done;
    if (checks.get(ctx) !== entry) return { ...s, quick };
    entry.state = { ...s, quick };
    return entry.state;
  });
}

/** Checks again, as before (after a restore replaced the file); null when this backend never started a check. */
export function recheckHealth(ctx: Ctx): Promise<HealthState> | null {
  const entry = checks.get(ctx);
  return entry ? startHealthCheck(ctx, entry.opts) : null;
}

/** Stops a running check (the app is closing). */
export function stopHealthCheck(ctx: Ctx): void {
  checks.get(ctx)?.stop();
}

/** The latest result for this backend; 'unchecked' when no check was started (the CLI, tests). */
export function healthOf(ctx: Ctx): HealthState {
  return checks.get(ctx)?.state ?? { status: 'unchecked', startedAt: null, checkedAt: null, problems: [] };
}

/** Damage on the home page: the one thing to do is restore from a backup. */
export function healthAttention(ctx: Ctx): AttentionItem[] {
  const h = healthOf(ctx);
  if (h.status !== 'damaged') return [];
  return [
    {
      kind: 'ledger_damaged',
      severity: 'error',
      title: '账本文件已损坏，请从备份恢复',
      // What a restore from the newest backup would lose, named (issue 20): never a blind advice to restore.
      detail: `启动后的文件检查发现账本文件有损坏的页（${h.problems[0] ?? '结构检查未通过'}）。请停止录入，由系统管理员在“备份与校验”中选择损坏前的备份恢复；恢复前程序会先另存当前文件。${ctx.db.name && ctx.db.name !== ':memory:' ? restoreLossNote(ctx.db.name) : ''}`,
      link: '/maintenance/backup',
    },
  ];
}

/** What the daily quick verify found, on the home page beside the file check (the same people, the same page). */
export function quickVerifyAttention(ctx: Ctx): AttentionItem[] {
  const q = healthOf(ctx).quick;
  if (q?.status !== 'failed') return [];
  return [
    {
      kind: 'quick_verify_failed',
      severity: 'error',
      title: '每日快速校验发现账本数据与审计记录不符',
      detail: `启动后的快速校验发现：${q.problems[0] ?? '校验未通过'}。账本可能被绕过软件直接改动。请由系统管理员在“备份与校验”中做完整校验，查明原因后再继续录入。`,
      link: '/maintenance/backup',
    },
  ];
}
