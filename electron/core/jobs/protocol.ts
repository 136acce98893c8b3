import type { ApiErrorShape } from '../../../shared/errors.ts';
import type { Session } from '../context.ts';
import type { UpgradeProgress } from '../db/upgrade.ts';

/**
 * The long work that runs in a worker thread (jobs/run.ts): reads on a read-only connection, 'upgrade' — a ledger
 * of an older version brought up the ladder at the app's start (db/upgrade.ts), before any other connection is open —
 * and 'finishBackup', a backup's written copy checked and renamed into place (integrity/backup.ts `finishCopy`).
 */
export type JobName = 'verify' | 'export' | 'quickVerify' | 'upgrade' | 'finishBackup';

/** The worker's workerData: better-sqlite3's absolute path (the bundled worker requires it from there). */
export interface JobWorkerData {
  driver: string;
}

/** One job, as a message to the worker: the job, its input, and what it needs to build a read-only context like the backend's. */
export interface JobRequest {
  job: JobName;
  input: unknown;
  file: string;
  dataDir: string | null;
  /** The backend's clock at the start (a test's fixed clock is kept). */
  nowIso: string;
  session: Session | null;
  installationId: string;
  /** Int32 [0]: 1 once a cancel was asked. */
  cancelFlag: SharedArrayBuffer;
}

export type JobMessage =
  | { type: 'progress'; step: string; done: number; total: number }
  | { type: 'upgrade'; progress: UpgradeProgress }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: ApiErrorShape };
