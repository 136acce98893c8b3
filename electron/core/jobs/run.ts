import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { ApiError, type ApiErrorShape } from '../../../shared/errors.ts';
import type { Ctx } from '../context.ts';
import type { RunningOperation } from '../ledger/progress.ts';
import type { CopyFinisher } from '../integrity/backup.ts';
import type { UpgradeProgress, UpgradeResult } from '../db/upgrade.ts';
import type { JobMessage, JobName, JobRequest, JobWorkerData } from './protocol.ts';

/**
 * Long reads (verify, the month's export) run in a worker thread on their own read-only connection (issue 19), so the
 * process that runs them — Electron's main process, whose event loop also carries the window's IPC — stays free:
 * the window keeps answering, and `maintenance.progress` can be read while the work goes on. The worker posts its
 * progress here, where it becomes the operation's (ledger/progress.ts); a cancel sets a shared flag the worker's
 * reporter reads, so the work stops at its next report, where stopping is safe (the export removes its part file).
 *
 * From the sources (tests, the CLI on Node 24) the worker is worker.ts beside this file; in the bundle
 * (dist/electron/main.cjs) scripts/build.mjs builds it as job-worker.cjs beside main.cjs, and its source is read and
 * evaluated (inside app.asar a worker's own loader may not read files; see xlsx/read.ts). better-sqlite3 is loaded
 * from the path resolved here, as the health check does.
 */
let bundledSource: string | null = null;
function startWorker(): Worker {
  const workerData: JobWorkerData = { driver: driverPath() };
  if (typeof __filename === 'string' && __filename.endsWith('.cjs')) {
    bundledSource ??= fs.readFileSync(path.join(__dirname, 'job-worker.cjs'), 'utf8');
    return new Worker(bundledSource, { eval: true, workerData });
  }
  return new Worker(new URL('./worker.ts', import.meta.url), { workerData });
}

/**
 * One worker is kept a while after its job (loading the core into a fresh thread takes a moment, seconds from the
 * sources): the next verify or export starts at once. Not holding the process open meanwhile (unref).
 */
const IDLE_MS = 60_000;
let idle: { worker: Worker; timer: ReturnType<typeof setTimeout> } | null = null;
function takeWorker(): Worker {
  if (idle) {
    const { worker, timer } = idle;
    idle = null;
    clearTimeout(timer);
    worker.ref();
    return worker;
  }
  return startWorker();
}
function keepIdle(worker: Worker): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = null;
    void worker.terminate();
  }, IDLE_MS);
  timer.unref();
  idle = { worker, timer };
  worker.once('exit', () => {
    if (idle?.worker === worker) idle = null;
  });
}

/** The ledger file behind this backend, when its work can be read on a second connection (not an in-memory ledger). */
export function jobFile(ctx: Ctx): string | null {
  const f = ctx.db.name;
  return f && f !== ':memory:' && ctx.dataDir ? path.resolve(f) : null;
}

/** The driver's absolute path, for the worker (it may not resolve modules from its own folder). */
export function driverPath(): string {
  return createRequire(typeof __filename === 'string' && __filename.endsWith('.cjs') ? __filename : import.meta.url).resolve('better-sqlite3');
}

/** Runs one job in a worker thread; its progress goes to `run`, its answer (or ApiError) comes back. */
export function runJob<T>(ctx: Ctx, job: JobName, input: unknown, run: RunningOperation): Promise<T> {
  const file = jobFile(ctx);
  if (!file) throw new ApiError('INTERNAL', '内存中的账本不能在后台线程中读取');
  const cancelFlag = new SharedArrayBuffer(4);
  const request: JobRequest = { job, input, file, dataDir: ctx.dataDir, nowIso: ctx.now().toISOString(), session: ctx.session, installationId: ctx.installationId, cancelFlag };
  run.onCancel(() => Atomics.store(new Int32Array(cancelFlag), 0, 1));
  return inWorker<T>(request, (m) => {
    try {
      run.report(m.step, m.done, m.total);
    } catch {
      // A cancel was asked: the worker sees the flag at its own next report.
    }
  });
}

/**
 * The ledger's upgrade at the app's start (db/upgrade.ts) in a worker thread, so Electron's main process keeps
 * answering the window (its progress screen) for the minutes a ten-year ledger's backup takes. No backend exists yet;
 * the caller holds the writer lock. Not cancellable.
 */
export function runUpgradeJob(file: string, opts: { backups: string; now?: Date; onProgress: (p: UpgradeProgress) => void }): Promise<UpgradeResult | null> {
  const request: JobRequest = {
    job: 'upgrade',
    input: { backups: opts.backups },
    file: path.resolve(file),
    dataDir: path.dirname(path.resolve(file)),
    nowIso: (opts.now ?? new Date()).toISOString(),
    session: null,
    installationId: '',
    cancelFlag: new SharedArrayBuffer(4),
  };
  return inWorker(request, () => {}, opts.onProgress);
}

/**
 * A backup's copy finished in a worker thread (integrity/backup.ts `CopyFinisher`): the copy's check — quick_check,
 * then integrity_check table by table, one big table a statement of up to ~40 s on ten years — and its rename, while
 * this process keeps answering the window. The copy is a private file nothing else opens. Not cancellable (a backup
 * never is); its progress goes to the backup's reporter.
 */
export const finishCopyInWorker: CopyFinisher = (tmp, dest, pages, report) => {
  const request: JobRequest = {
    job: 'finishBackup',
    input: { tmp, dest, pages },
    file: path.resolve(dest),
    dataDir: path.dirname(path.resolve(dest)),
    nowIso: new Date().toISOString(),
    session: null,
    installationId: '',
    cancelFlag: new SharedArrayBuffer(4),
  };
  return inWorker<void>(request, (m) => report(m.step, m.done, m.total));
};

function inWorker<T>(request: JobRequest, onProgress: (m: { step: string; done: number; total: number }) => void, onUpgrade?: (p: UpgradeProgress) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = takeWorker();
    } catch (e) {
      reject(new ApiError('INTERNAL', `无法启动后台线程：${(e as Error).message}`));
      return;
    }
    let settled = false;
    /** `healthy`: the worker answered, so it may take the next job; otherwise it is ended. */
    const settle = (healthy: boolean, f: () => void) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (healthy) keepIdle(worker);
      else void worker.terminate();
      f();
    };
    const onMessage = (m: JobMessage) => {
      if (m.type === 'progress') onProgress(m);
      else if (m.type === 'upgrade') onUpgrade?.(m.progress);
      else if (m.type === 'result') settle(true, () => resolve(m.value as T));
      else settle(true, () => reject(fromShape(m.error)));
    };
    const onError = (e: Error) => settle(false, () => reject(new ApiError('INTERNAL', `后台线程出错：${e.message}`)));
    const onExit = (code: number) => settle(false, () => reject(new ApiError('INTERNAL', `后台线程意外结束（代码 ${code}）`)));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(request);
  });
}

function fromShape(e: ApiErrorShape): ApiError {
  return new ApiError(e.code, e.message, e.issues);
}
