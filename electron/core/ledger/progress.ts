import type { OperationKind, OperationProgress } from '../../../shared/api/maintenance.ts';
import { ApiError } from '../../../shared/errors.ts';
import type { Ctx } from '../context.ts';
import { uuidv7 } from './ids.ts';

/**
 * Progress on long work (issue 19): verify, backup, restore, the month's export, migration and imports take from
 * seconds to minutes on a school PC with years of data. The long operation takes a `ProgressReporter` and calls it
 * with what it is doing, how far it is and how far it must go; it never knows who listens. Here, an operation started
 * through the backend is kept per backend (keyed by its Ctx, which a restore keeps), so the app's window reads it
 * (`maintenance.progress`, polled while the call runs) and the CLI prints it on a terminal (`watchProgress`).
 *
 * Cancelling is cooperative: `cancel` only asks, and the operation's next `report` throws `Cancelled` — so an
 * operation cancels only where it reports, and it reports its cancellable steps only where stopping is safe (verify
 * and the export write nothing to the ledger; a restore is never cancellable).
 */
export type ProgressReporter = (step: string, done: number, total: number) => void;

export const noProgress: ProgressReporter = () => {};

export class Cancelled extends ApiError {
  constructor(what: string) {
    super('CANCELLED', `${what}已取消`);
  }
}

/** The Chinese name of each kind of long work, as the progress bar and the terminal say it. */
export const OPERATION_LABELS: Record<OperationKind, string> = {
  verify: '校验账本',
  backup: '备份',
  restore: '从备份恢复',
  export: '导出月结公示',
  import: '导入',
  migrate: '升级账本数据',
};

interface Operation extends OperationProgress {
  cancelRequested: boolean;
  startedMs: number;
  /** What stops work running elsewhere (a worker thread) when a cancel is asked. */
  hooks: (() => void)[];
}

interface Registry {
  ops: Map<string, Operation>;
  listeners: Set<(p: OperationProgress) => void>;
}

/**
 * Whose operations these are: a school backend's Ctx (its person by user id), or the town centre's dispatcher context
 * (electron/core/centre/handlers.ts, its person by username) — one registry per backend either way.
 */
export type ProgressOwner = Ctx | { readonly session: { username: string } | null };

const whoOf = (owner: ProgressOwner): string | null => {
  const s = owner.session;
  return !s ? null : 'userId' in s ? s.userId : s.username;
};

const registries = new WeakMap<ProgressOwner, Registry>();
/** Finished operations stay readable this long, so a poll that comes after the end still sees how it ended. */
const KEEP_FINISHED_MS = 60_000;

function registryOf(ctx: ProgressOwner): Registry {
  let r = registries.get(ctx);
  if (!r) registries.set(ctx, (r = { ops: new Map(), listeners: new Set() }));
  return r;
}

/**
 * Seconds left, from the rate so far (done/elapsed); null until there is a rate to go by (nothing done, or under half
 * a second gone: an early rate says little).
 */
export function estimateSeconds(elapsedMs: number, done: number, total: number): number | null {
  if (total > 0 && done >= total) return 0;
  if (total <= 0 || done <= 0 || elapsedMs < 500) return null;
  return Math.max(0, Math.round(((total - done) * elapsedMs) / done / 1000));
}

export interface RunningOperation {
  id: string;
  /** The reporter to hand to the work: records the step and throws `Cancelled` once a cancel was asked. */
  report: ProgressReporter;
  /** True once someone asked to cancel (for work that checks between its own steps). */
  readonly cancelRequested: boolean;
  /** Work running elsewhere (a worker thread) that stops in its own way when asked. */
  onCancel(fn: () => void): void;
}

/** An operation begun by `startOperation`: its reporter, and its end, which the caller must call once. */
export interface StartedOperation extends RunningOperation {
  end(state: 'done' | 'failed' | 'cancelled'): void;
  /** Ends it by how `e` ended the work (a cancel or a failure), and returns `e` to be thrown on. */
  endWith(e: unknown): unknown;
}

/**
 * Begins one recorded operation of this backend (`cancellable`: whether the person may stop it); the caller ends it.
 * For work whose parts the dispatcher runs apart — a prepared import reads and checks before the transaction and
 * writes inside it (domains/imports) — where `withOperation` cannot hold the whole.
 */
export function startOperation(ctx: ProgressOwner, op: OperationKind, opts: { cancellable: boolean; label?: string }): StartedOperation {
  const reg = registryOf(ctx);
  const now = Date.now();
  for (const [id, x] of reg.ops) if (x.state !== 'running' && now - Date.parse(x.updatedAt) > KEEP_FINISHED_MS) reg.ops.delete(id);
  const label = opts.label ?? OPERATION_LABELS[op];
  const o: Operation = {
    id: uuidv7(now),
    op,
    label,
    step: '准备中',
    done: 0,
    total: 0,
    etaSeconds: null,
    cancellable: opts.cancellable,
    state: 'running',
    startedAt: new Date(now).toISOString(),
    updatedAt: new Date(now).toISOString(),
    userId: whoOf(ctx),
    cancelRequested: false,
    startedMs: now,
    hooks: [],
  };
  reg.ops.set(o.id, o);
  const emit = () => {
    const view = publicView(o);
    for (const fn of reg.listeners) fn(view);
  };
  emit();
  const end = (state: 'done' | 'failed' | 'cancelled') => {
    if (o.state !== 'running') return;
    o.state = state;
    if (state === 'done' && o.total > 0) o.done = o.total;
    o.etaSeconds = state === 'done' ? 0 : null;
    o.updatedAt = new Date().toISOString();
    o.hooks = [];
    emit();
  };
  return {
    id: o.id,
    report(step, done, total) {
      if (o.cancelRequested) throw new Cancelled(label);
      const t = Date.now();
      o.step = step;
      o.done = Math.max(0, done);
      o.total = Math.max(0, total);
      o.etaSeconds = estimateSeconds(t - o.startedMs, o.done, o.total);
      o.updatedAt = new Date(t).toISOString();
      emit();
    },
    get cancelRequested() {
      return o.cancelRequested;
    },
    onCancel(fn) {
      o.hooks.push(fn);
      if (o.cancelRequested) fn();
    },
    end,
    endWith(e) {
      end(e instanceof ApiError && e.code === 'CANCELLED' ? 'cancelled' : 'failed');
      return e;
    },
  };
}

/**
 * Runs `work` as one recorded operation of this backend (`cancellable`: whether the person may stop it), ended as
 * done, failed or cancelled by how the work ends.
 */
export async function withOperation<T>(ctx: ProgressOwner, op: OperationKind, opts: { cancellable: boolean; label?: string }, work: (run: RunningOperation) => Promise<T> | T): Promise<T> {
  const run = startOperation(ctx, op, opts);
  try {
    const v = await work(run);
    run.end('done');
    return v;
  } catch (e) {
    throw run.endWith(e);
  }
}

/**
 * Maps rows through `fn` in runs of `chunk` (a file's rows checked one by one), reporting `step` with rows done of all
 * after each run and giving the event loop a turn there: the window's poll is answered while a long file is checked,
 * and a cancel asked meanwhile stops it at the next report. For reading work only (checks before any write).
 */
export async function mapReporting<T, R>(items: readonly T[], fn: (item: T, index: number) => R, report: ProgressReporter, step = '检查数据', chunk = 100): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % chunk === 0) {
      report(step, i, items.length);
      await new Promise((r) => setImmediate(r));
    }
    out.push(fn(items[i], i));
  }
  return out;
}

function publicView(o: Operation): OperationProgress {
  const { cancelRequested: _c, startedMs: _s, hooks: _h, ...view } = o;
  return view;
}

/** The operations of this backend running now or ended in the last minute, oldest first. */
export function operationsOf(ctx: ProgressOwner): OperationProgress[] {
  return [...registryOf(ctx).ops.values()].map(publicView);
}

/**
 * Asks a running operation to stop. Refused (in words) when it is not cancellable, already over, or someone else's:
 * one person's verify is not another's to stop.
 */
export function cancelOperation(ctx: ProgressOwner, id: string): OperationProgress {
  const o = registryOf(ctx).ops.get(id);
  if (!o) throw new ApiError('NOT_FOUND', '找不到这项工作（可能早已结束）');
  if (o.userId !== whoOf(ctx)) throw new ApiError('FORBIDDEN', '只能取消自己开始的工作');
  if (o.state !== 'running') throw new ApiError('CONFLICT', `${o.label}已经结束，无需取消`);
  if (!o.cancellable) throw new ApiError('RULE', `${o.label}开始后不能取消（中途停止会留下不完整的数据），请等待完成`);
  o.cancelRequested = true;
  for (const fn of o.hooks) fn();
  return publicView(o);
}

/** Every change of every operation of this backend, as it happens (the CLI's terminal line). Returns the unsubscribe. */
export function watchProgress(ctx: ProgressOwner, fn: (p: OperationProgress) => void): () => void {
  const reg = registryOf(ctx);
  reg.listeners.add(fn);
  return () => {
    reg.listeners.delete(fn);
  };
}
