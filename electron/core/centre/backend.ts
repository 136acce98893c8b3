import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { MethodDef } from '../../../shared/api/contract.ts';
import { centreApi, type CentreMethodName } from '../../../shared/centre/api.ts';
import type { CentreRole } from '../../../shared/centre/roles.ts';
import { ApiError, type ApiResult } from '../../../shared/errors.ts';
import { openCentre, type Centre } from './db.ts';
import { centreHandlers, type CentreCtx } from './handlers.ts';

/**
 * The centre's dispatcher (issue 18): the school's pattern (electron/core/backend.ts) on a DuckDB file — the method
 * is looked up in its contract (shared/centre/api.ts), the caller's role checked against `access` (read from the
 * database on every call, so a disabled user loses access at once), the input validated by the method's schema, the
 * handler run, every outcome an ApiResult with a Chinese message. A centre backend has the same `invoke` as the
 * school's Backend, so the shell's IPC, the CLI and the e2e harness talk to either alike.
 *
 * DuckDB is asynchronous and the centre has one connection: calls run one at a time (a queue), so one call's
 * transaction never takes in another call's statements — except an import's progress and its cancel (BESIDE_QUEUE,
 * answered on a second connection). A writing method runs in one transaction, except packages.import, which imports
 * each package in a transaction of its own (a folder is not all-or-nothing: each package is, import.ts), and
 * auth.login, whose failed try is recorded (login_failures) though the call fails.
 */
export interface CentreBackend {
  readonly kind: 'centre';
  invoke(name: string, input: unknown): Promise<ApiResult<unknown>>;
  readonly centre: Centre;
  /** Whose long work (ledger/progress.ts) is this backend's: the CLI watches it to paint its progress line. */
  readonly ctx: CentreCtx;
  close(): void;
}

// packages.import: a transaction per package (import.ts); auth.login: a failed try is kept though the call fails.
const OWN_TRANSACTIONS = new Set<string>(['packages.import', 'auth.login']);

/**
 * Asked while a long packages.import runs (its progress, a cancel: issue 19), so answered at once beside the queue,
 * not after the import. They read the caller's role on a second connection of their own (committed rows only: nothing
 * of theirs runs inside the import's transaction) and write nothing.
 */
const BESIDE_QUEUE = new Set<string>(['packages.progress', 'packages.cancel']);

export async function openCentreBackend(opts: { file: string; now?: () => Date; create?: boolean }): Promise<CentreBackend> {
  const centre = await openCentre(opts.file, { create: opts.create });
  let session: { username: string } | null = null;
  const ctx: CentreCtx = {
    centre,
    now: opts.now ?? (() => new Date()),
    dataDir: path.dirname(centre.file),
    get session() {
      return session;
    },
    setSession(s) {
      session = s;
    },
    role: null,
  };
  let queue: Promise<unknown> = Promise.resolve();
  let side: DuckDBConnection | null = null;
  let sideOpening: Promise<DuckDBConnection> | null = null;
  const sideConn = () => (sideOpening ??= centre.instance.connect().then((c) => (side = c)));
  const invoke = (name: string, input: unknown): Promise<ApiResult<unknown>> => {
    if (BESIDE_QUEUE.has(name)) return dispatchCentre(ctx, name, input, sideConn);
    const run = queue.then(() => dispatchCentre(ctx, name, input));
    queue = run.catch(() => undefined);
    return run;
  };
  let closed = false;
  return {
    kind: 'centre',
    invoke,
    centre,
    ctx,
    close() {
      if (closed) return;
      closed = true;
      side?.closeSync();
      centre.close();
    },
  };
}

/** `beside`: a call answered beside the queue (BESIDE_QUEUE), its role read on the side connection. */
async function dispatchCentre(ctx: CentreCtx, name: string, input: unknown, beside?: () => Promise<DuckDBConnection>): Promise<ApiResult<unknown>> {
  try {
    if (typeof name !== 'string' || !Object.hasOwn(centreApi, name)) throw new ApiError('UNKNOWN_METHOD', `中心数据库没有名为“${String(name).slice(0, 60)}”的功能`);
    const def = centreApi[name as CentreMethodName] as MethodDef & { access: readonly CentreRole[] | 'any' | 'public' };
    if (beside) {
      // ctx.role is the queued call's (running now): this one's role stays its own; its handler reads only the session.
      allow(ctx, await roleOf(ctx, await beside()), def.access);
    } else {
      ctx.role = null;
      ctx.role = await roleOf(ctx, ctx.centre.conn);
      allow(ctx, ctx.role, def.access);
    }
    let plain: unknown;
    try {
      plain = structuredClone(input === undefined ? {} : input);
    } catch {
      throw new ApiError('VALIDATION', '输入不是有效的数据（只能包含文字、数字、是/否、列表和对象）');
    }
    const parsed = def.input.safeParse(plain);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw new ApiError('VALIDATION', issues.length === 1 ? issues[0].message : `输入有 ${issues.length} 处问题：${issues[0].message}等`, issues);
    }
    const handler = centreHandlers[name as CentreMethodName] as (ctx: CentreCtx, input: unknown) => Promise<unknown>;
    if (!def.writes || OWN_TRANSACTIONS.has(name) || beside) return { ok: true, value: await handler(ctx, parsed.data) };
    const conn = ctx.centre.conn;
    await conn.run('BEGIN TRANSACTION');
    let value: unknown;
    try {
      value = await handler(ctx, parsed.data);
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
    return { ok: true, value };
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError('INTERNAL', `中心数据库出错：${(e as Error)?.message ?? String(e)}`);
    return { ok: false, error: err.toJSON() };
  }
}

/** Roles are read from the database on every call (a user disabled a moment ago loses access at once). */
async function roleOf(ctx: CentreCtx, conn: DuckDBConnection): Promise<CentreRole | null> {
  const s = ctx.session;
  if (!s) return null;
  const r = await conn.runAndReadAll('SELECT role, disabled FROM centre_users WHERE username = ?', [s.username]);
  const row = r.getRowObjects()[0] as { role: CentreRole; disabled: boolean } | undefined;
  if (row && !row.disabled) return row.role;
  ctx.setSession(null);
  return null;
}

function allow(ctx: CentreCtx, role: CentreRole | null, access: readonly CentreRole[] | 'any' | 'public'): void {
  if (access === 'public') return;
  if (!ctx.session || !role) throw new ApiError('UNAUTHENTICATED', '请先登录');
  if (access === 'any') return;
  if (!access.includes(role)) throw new ApiError('FORBIDDEN', '您的角色无权进行此操作');
}
