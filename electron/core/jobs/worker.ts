import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../../shared/errors.ts';
import type { Ctx } from '../context.ts';
import { openLedgerToRead } from '../db/open.ts';
import { toApiError } from '../backend.ts';
import { Cancelled, OPERATION_LABELS, type ProgressReporter } from '../ledger/progress.ts';
import { exportMonth } from '../domains/monthclose/index.ts';
import { verifyForApi } from '../domains/maintenance/index.ts';
import { quickVerify } from '../integrity/quick.ts';
import { upgradeLedger } from '../db/upgrade.ts';
import { finishCopy } from '../integrity/backup.ts';
import type { JobMessage, JobRequest } from './protocol.ts';

/**
 * The worker thread of jobs/run.ts: each job on its own read-only connection, its progress posted as it goes (at most
 * every 50 ms, and at each new step), then its answer. Bundled by scripts/build.mjs as dist/electron/job-worker.cjs
 * (no top-level await: the bundle is CommonJS).
 */
const post = (m: JobMessage) => parentPort?.postMessage(m);

async function runOne(req: JobRequest): Promise<unknown> {
  const flag = new Int32Array(req.cancelFlag);
  let lastAt = 0;
  let lastStep = '';
  const report: ProgressReporter = (step, done, total) => {
    if (Atomics.load(flag, 0) === 1) throw new Cancelled(OPERATION_LABELS[req.job === 'quickVerify' ? 'verify' : req.job === 'upgrade' ? 'migrate' : req.job === 'finishBackup' ? 'backup' : req.job]);
    const t = Date.now();
    if (step === lastStep && t - lastAt < 50 && done < total) return;
    lastAt = t;
    lastStep = step;
    post({ type: 'progress', step, done, total });
  };
  // The ledger's upgrade at the app's start: it writes (the backup, the ladder), so it opens its own connections, and
  // posts every event (they are few: a run of pages, a statement). Never cancelled (db/upgrade.ts says why).
  if (req.job === 'upgrade') {
    const { backups } = req.input as { backups: string };
    let at = 0;
    let said = '';
    return upgradeLedger(req.file, {
      backups,
      now: () => new Date(req.nowIso),
      onProgress: (progress) => {
        // Each statement and each new step is told; a run of pages at most every 50 ms.
        const t = Date.now();
        if (progress.step === said && t - at < 50 && progress.done < progress.total) return;
        at = t;
        said = progress.step;
        post({ type: 'upgrade', progress });
      },
    });
  }
  // A backup's written copy: checked and renamed into place; no connection to the ledger itself.
  if (req.job === 'finishBackup') {
    const { tmp, dest, pages } = req.input as { tmp: string; dest: string; pages: number };
    await finishCopy(tmp, dest, pages, report);
    return null;
  }
  const opened = openLedgerToRead(req.file);
  const ctx: Ctx = {
    db: opened.db,
    now: () => new Date(req.nowIso),
    installationId: req.installationId,
    dataDir: req.dataDir,
    session: req.session,
    setSession: () => {},
  };
  try {
    if (req.job === 'verify') return verifyForApi(ctx, req.input as { anchors?: string[]; quick?: boolean }, report);
    // The daily check after start (integrity/health-check.ts): the sealed quick verify only, never the full one.
    if (req.job === 'quickVerify') return quickVerify(ctx.db, { report });
    return await exportMonth(ctx, req.input as Parameters<typeof exportMonth>[1], report);
  } finally {
    opened.close();
  }
}

// One job at a time: run.ts sends the next only after this one's answer.
parentPort?.on('message', (req: JobRequest) => {
  runOne(req).then(
    (value) => post({ type: 'result', value }),
    (e: unknown) => post({ type: 'error', error: (e instanceof ApiError ? e : toApiError(e, req.dataDir, req.file)).toJSON() }),
  );
});
