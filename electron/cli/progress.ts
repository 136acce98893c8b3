import type { Writable } from 'node:stream';
import type { OperationProgress } from '../../shared/api/maintenance.ts';
import type { Backend } from '../core/backend.ts';
import type { UpgradeProgress } from '../core/db/upgrade.ts';
import { estimateSeconds, noProgress, OPERATION_LABELS, watchProgress, type ProgressOwner, type ProgressReporter } from '../core/ledger/progress.ts';

/**
 * Progress on the CLI (issue 19): one line on stderr, rewritten in place, only when stderr is a terminal — a script
 * reading stdout's JSON, or a log capturing stderr, gets nothing extra. At most ten updates a second; the line is
 * cleared when the work ends, so what follows starts on a clean line.
 */
type Stream = Writable & { isTTY?: boolean; columns?: number };

export function progressLine(p: Pick<OperationProgress, 'label' | 'step' | 'done' | 'total' | 'etaSeconds'>): string {
  const pct = p.total > 0 ? `${Math.min(100, Math.floor((100 * p.done) / p.total))}%` : '';
  const eta = p.etaSeconds === null ? '' : p.etaSeconds === 0 ? '' : `，约剩 ${formatSeconds(p.etaSeconds)}`;
  return `${p.label}：${p.step}${pct ? ` ${pct}` : ''}${eta}`;
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} 分 ${s % 60} 秒` : `${Math.floor(m / 60)} 小时 ${m % 60} 分`;
}

function painter(stream: Stream): { paint(line: string, force?: boolean): void; clear(): void } {
  let last = 0;
  let shown = false;
  return {
    paint(line, force = false) {
      const t = Date.now();
      if (!force && t - last < 100) return;
      last = t;
      const width = Math.max(20, (stream.columns ?? 80) - 1);
      stream.write(`\r\x1b[K${line.length > width ? line.slice(0, width) : line}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

/**
 * The backend's long operations (export, backup, restore, verify through the backend; a centre's folder import) on
 * stderr; returns the stop.
 */
export function showProgressOf(b: Pick<Backend, 'ctx'> | { ctx: ProgressOwner }, stderr: Stream): () => void {
  if (!stderr.isTTY) return () => {};
  const p = painter(stderr);
  const stop = watchProgress(b.ctx, (op) => {
    if (op.state === 'running') p.paint(progressLine(op), op.done === 0);
    else p.clear();
  });
  return () => {
    stop();
    p.clear();
  };
}

/** A reporter for work the CLI runs itself (verify of a file, a backup), painting on stderr when it is a terminal. */
export function terminalReporter(stderr: Stream, label: string): { report: ProgressReporter; end(): void } {
  if (!stderr.isTTY) return { report: noProgress, end() {} };
  const p = painter(stderr);
  const started = Date.now();
  let last = '';
  return {
    report(step, done, total) {
      // A new step is painted at once (a restore's ladder steps follow each other in milliseconds); a run of the same
      // step's pages or rows at most ten times a second.
      p.paint(progressLine({ label, step, done, total, etaSeconds: estimateSeconds(Date.now() - started, done, total) }), done === 0 || step !== last);
      last = step;
    },
    end: () => p.clear(),
  };
}

/**
 * The ledger's upgrade when a command opens a ledger of an older version (db/upgrade.ts): the backup's pages, then
 * each step and statement of the ladder, with the phase's estimate; painted only on a terminal, cleared at the end.
 */
export function upgradeReporter(stderr: Stream): { onProgress: (p: UpgradeProgress) => void; end(): void } {
  if (!stderr.isTTY) return { onProgress: () => {}, end() {} };
  const p = painter(stderr);
  let last = '';
  return {
    onProgress(u) {
      const line = progressLine({ label: OPERATION_LABELS.migrate, step: u.step, done: u.done, total: u.total, etaSeconds: u.etaSeconds });
      // Each new step and statement is painted at once; a run of the backup's pages at most ten times a second.
      p.paint(line, u.step !== last);
      last = u.step;
    },
    end: () => p.clear(),
  };
}
