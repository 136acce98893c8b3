import path from 'node:path';
import { api, type MethodName } from '../../shared/api/index.ts';
import type { MethodDef } from '../../shared/api/contract.ts';
import { ApiError, type ApiResult } from '../../shared/errors.ts';
import type { Role } from '../../shared/roles.ts';
import { KIOSK_MODE_METHODS } from '../../shared/labels-menus.ts';
import type { Ctx, Session } from './context.ts';
import { openLedger, type Db, type OpenOptions } from './db/open.ts';
import { corruptLedgerError, isCorrupt } from './db/damage.ts';
import { assertSchemaIntact, schemaDifferencesCached } from './db/schema.ts';
import { RefusedAfterWrite, type Handler, type PreparedHandler } from './handlers.ts';
import { uuidv7 } from './ledger/ids.ts';
import { assertPeriodFields } from './ledger/period-lock.ts';
import { allHandlers } from './registry.ts';
import { preMigrationBackup } from './integrity/backup.ts';
import { acquireWriterLock } from './integrity/writer-lock.ts';
import { sweepLitter } from './integrity/litter.ts';
import { assertRoomToWrite, diskFullMessage, freeBytes, isDiskFull } from './integrity/disk-space.ts';

export interface BackendOptions extends OpenOptions {
  file: string;
  now?: () => Date;
  /** Who takes the ledger's writer lock ('app', 'cli', …), named when a second writer is refused (writer-lock.ts). */
  lockHolder?: string;
}

export interface Backend {
  /** The one entry point for IPC, the CLI and tests: validates, checks roles, runs the handler, never throws. */
  invoke(name: string, input: unknown): Promise<ApiResult<unknown>>;
  readonly ctx: Ctx;
  readonly db: Db;
  close(): void;
}

export function openBackend(opts: BackendOptions): Backend {
  const onDisk = opts.file !== ':memory:';
  // One writer per ledger (issue 7): a second app or CLI is refused here, before the file is touched.
  const lock = onDisk && !opts.readonly ? acquireWriterLock(opts.file, opts.lockHolder ?? (process.versions.electron ? 'app' : 'cli')) : null;
  // What killed runs left (partial backups, restore copies, attachment and workbook temp files, their temp folders) goes
  // now, by the writer only: files of runs still going are kept (litter.ts).
  if (lock) sweepLitter(path.dirname(path.resolve(opts.file)));
  let db: Db;
  try {
    // Before any migration step, a backup of the old version (backup.ts) unless the caller brings its own hook.
    const beforeMigrate = opts.beforeMigrate ?? (onDisk ? preMigrationBackup(path.dirname(path.resolve(opts.file)), opts.now) : undefined);
    db = openLedger(opts.file, { ...opts, beforeMigrate });
  } catch (e) {
    lock?.release();
    throw e;
  }
  // The schema against the migrations' (issue 20), compared once here; a writing call is refused while it differs.
  schemaDifferencesCached(db);
  let session: Session | null = null;
  const ctx: Ctx = {
    db,
    now: opts.now ?? (() => new Date()),
    installationId: ensureInstallation(db, opts.now?.() ?? new Date()),
    dataDir: opts.file === ':memory:' ? null : path.dirname(path.resolve(opts.file)),
    get session() {
      return session;
    },
    setSession(s) {
      session = s;
    },
  };
  return {
    ctx,
    // A restore (backup-restore.ts) swaps the connection in ctx: always hand out the current one.
    get db() {
      return ctx.db;
    },
    invoke: (name, input) => dispatch(ctx, name, input),
    close: () => {
      if (ctx.db.open) ctx.db.close();
      lock?.release();
    },
  };
}

function ensureInstallation(db: Db, now: Date): string {
  const row = db.prepare('SELECT id FROM installation').get() as { id: string } | undefined;
  if (row) return row.id;
  const id = uuidv7(now.getTime());
  db.prepare('INSERT INTO installation (id, created_at) VALUES (?, ?)').run(id, now.toISOString());
  return id;
}

/**
 * A method declared `writes: false` runs its synchronous part with the connection in query_only mode: a read handler
 * that writes (by mistake, or through a helper shared with a writing path) fails instead of writing outside the
 * dispatcher's transaction, its audit and its checks (issue 16). An asynchronous handler's later part (an export
 * writing a file) runs after the mode is back; between two awaits another call may use the connection.
 */
function readOnly<T>(db: Db, run: () => T): T {
  db.pragma('query_only = ON');
  try {
    return run();
  } finally {
    if (db.open) db.pragma('query_only = OFF');
  }
}

export async function dispatch(ctx: Ctx, name: string, input: unknown): Promise<ApiResult<unknown>> {
  try {
    if (typeof name !== 'string' || !Object.hasOwn(api, name)) throw new ApiError('UNKNOWN_METHOD', `没有名为“${String(name).slice(0, 60)}”的功能`);
    const def = api[name as MethodName] as MethodDef;
    authorize(ctx, def);
    // 现场填写 (issue 17): a login handed to the parents reaches the kiosk's methods only, until the opener's password closes it.
    if (ctx.session?.kiosk && !KIOSK_MODE_METHODS.includes(name)) throw new ApiError('FORBIDDEN', '正在进行满意度现场填写：请开启人输入密码退出后再使用其他功能');
    const parsed = safeParse(def, input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
      throw new ApiError('VALIDATION', issues.length === 1 ? issues[0].message : `输入有 ${issues.length} 处问题：${issues[0].message}等`, issues);
    }
    if (def.writes && !WRITES_ON_CHANGED_SCHEMA.has(name)) assertSchemaIntact(ctx.db);
    // Free space before the write (disk-space.ts): refused with a message a person can act on, nothing written.
    if (def.writes && ctx.dataDir && !WRITES_ON_A_FULL_DISK.has(name)) assertRoomToWrite(ctx.db.name);
    const handler = allHandlers[name as MethodName] as Handler<MethodName>;
    const args = parsed.data as never;
    const run = typeof handler === 'function' ? () => handler(ctx, args) : await prepareThen(handler, ctx, args);
    const refusal: { error?: ApiError } = {};
    const value = def.writes
      ? ctx.db.transaction(() => {
          // The period lock on every marked date of the input, in the same transaction as the write (period-lock.ts).
          assertPeriodFields(ctx, def, args);
          let out: unknown;
          try {
            out = run();
          } catch (e) {
            // A refusal whose writes stand (a failed login is recorded): commit them, then answer with the error.
            if (!(e instanceof RefusedAfterWrite)) throw e;
            refusal.error = e.error;
            return null;
          }
          if (out instanceof Promise) throw new ApiError('INTERNAL', `写入功能 ${name} 不能是异步的`);
          return out;
        }).immediate()
      : await readOnly(ctx.db, run);
    if (refusal.error) throw refusal.error;
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toApiError(e, ctx.dataDir, ctx.db.name).toJSON() };
  }
}

/**
 * Logging in writes a line or two; refusing it below the margin would lock a person out of reading the ledger and of
 * taking a backup to a USB stick, the way out of a full disk. On a disk really full it fails as DISK_FULL.
 */
const WRITES_ON_A_FULL_DISK = new Set<string>(['auth.login']);

/** Logging in records an audit entry, and must still work on a ledger whose schema differs: to verify and restore. */
const WRITES_ON_CHANGED_SCHEMA = new Set<string>(['auth.login']);

/**
 * Input is first copied into plain data: callers in this process can hand over objects without a prototype, whose
 * own `constructor` key makes zod's messages throw while describing them (found by the hostile-input test).
 * Structured clone drops prototypes, getters and functions the way IPC does.
 */
function safeParse(def: MethodDef, input: unknown) {
  let plain: unknown;
  try {
    plain = structuredClone(input === undefined ? {} : input);
  } catch {
    throw new ApiError('VALIDATION', '输入不是有效的数据（只能包含文字、数字、是/否、列表和对象）');
  }
  try {
    return def.input.safeParse(plain);
  } catch {
    throw new ApiError('VALIDATION', '输入格式无效');
  }
}

async function prepareThen(h: PreparedHandler<MethodName, unknown>, ctx: Ctx, input: never): Promise<() => unknown> {
  const p = await h.prepare(ctx, input);
  return () => h.run(ctx, input, p);
}

/** Roles are read from the database on every call, so a user disabled or demoted a moment ago loses access at once. */
function authorize(ctx: Ctx, def: MethodDef): void {
  if (def.access === 'public') return;
  const s = ctx.session;
  if (!s) throw new ApiError('UNAUTHENTICATED', '请先登录');
  const user = ctx.db.prepare('SELECT disabled FROM users WHERE id = ?').get(s.userId) as { disabled: number } | undefined;
  if (!user || user.disabled) {
    ctx.setSession(null);
    throw new ApiError('UNAUTHENTICATED', '该用户已停用，请联系系统管理员');
  }
  const roles = (ctx.db.prepare('SELECT role FROM user_roles WHERE user_id = ?').all(s.userId) as { role: Role }[]).map((r) => r.role);
  ctx.setSession({ ...s, roles });
  if (def.access === 'any') return;
  if (!roles.some((r) => (def.access as readonly Role[]).includes(r))) {
    throw new ApiError('FORBIDDEN', '您的角色无权进行此操作');
  }
}

/**
 * SQLite's own refusals (our triggers raise Chinese messages) become rule errors, a full disk DISK_FULL (with the free
 * space left on `dataDir`'s disk); anything else is internal.
 */
export function toApiError(e: unknown, dataDir?: string | null, ledgerFile?: string | null): ApiError {
  if (e instanceof ApiError) return e;
  // SQLITE_CORRUPT: a damaged page, found by this read or write; what a restore would cost (damage.ts).
  if (isCorrupt(e)) return corruptLedgerError(ledgerFile && ledgerFile !== ':memory:' ? ledgerFile : null);
  // SQLITE_FULL ("database or disk is full"): the transaction was rolled back, what was saved before is kept.
  if (isDiskFull(e)) return new ApiError('DISK_FULL', diskFullMessage(dataDir ? freeBytes(dataDir) : null));
  const err = e as { code?: string; message?: string };
  if (typeof err?.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT')) {
    const msg = err.message ?? '';
    if (/[\u4e00-\u9fff]/.test(msg)) return new ApiError('RULE', msg);
    // SQLite's own words ("CHECK constraint failed: amount_fen <= 100000000") mean nothing to the person: they go to
    // the debug log, the person gets what happened and what to do (issue 20).
    if (typeof process !== 'undefined' && process.env.CANTEEN_DEBUG) console.error(e);
    if (err.code === 'SQLITE_CONSTRAINT_UNIQUE' || err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return new ApiError('CONFLICT', '账本中已有相同的记录，未保存；请检查是否重复录入');
    if (err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new ApiError('CONFLICT', '引用的记录不存在，未保存；请刷新后重试');
    return new ApiError('VALIDATION', '数据超出账本允许的范围或不完整，未保存；请检查金额、数量和必填项');
  }
  if (err?.code === 'SQLITE_BUSY') return new ApiError('LOCKED', '账本正被另一个程序写入，请稍后再试');
  if (typeof process !== 'undefined' && process.env.CANTEEN_DEBUG) console.error(e);
  return new ApiError('INTERNAL', `内部错误：${err?.message ?? String(e)}`);
}
