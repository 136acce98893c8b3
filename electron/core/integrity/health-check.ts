import { Worker } from 'node:worker_threads';
import type { AttentionItem } from '../../../shared/api/audit.ts';
import type { HealthInfo } from '../../../shared/api/maintenance.ts';
import type { Ctx } from '../context.ts';
import { restoreLossNote } from '../db/damage.ts';

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

interface Running {
  state: HealthState;
  opts: { file: string; driver: string };
  stop(): void;
}
const checks = new WeakMap<Ctx, Running>();

/**
 * Starts the check of the backend's ledger file and keeps its result with the backend; a second call (after a restore)
 * replaces the first. Resolves with the result.
 */
export function startHealthCheck(ctx: Ctx, opts: { file: string; driver: string }): Promise<HealthState> {
  checks.get(ctx)?.stop();
  const startedAt = ctx.now().toISOString();
  const run = quickCheckInWorker(opts.file, opts.driver, ctx.now);
  const entry: Running = { state: { status: 'pending', startedAt, checkedAt: null, problems: [] }, opts, stop: run.stop };
  checks.set(ctx, entry);
  return run.done.then((s) => {
    if (checks.get(ctx) === entry) entry.state = s;
    return s;
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
