import Database from 'better-sqlite3';
import fs from 'node:fs';
import { ApiError } from '../../../shared/errors.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { classSortKey } from '../../../shared/class-order.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Called with the open database before the first pending migration is applied (issue 7: back up first). */
  beforeMigrate?: (db: Db, from: number, to: number) => void;
  readonly?: boolean;
}

/**
 * Opens the ledger file: WAL for crash safety with a reader beside the writer, synchronous=FULL so that a post that
 * returned survives power loss, foreign keys on. Then brings the schema up the migration ladder.
 */
export function openLedger(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:' && fs.existsSync(file)) assertSqliteFile(file);
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    throw new ApiError('INTERNAL', `无法打开账本文件 ${file}：${(e as Error).message}`);
  }
  try {
    // Checked before any pragma that writes (WAL changes the header): a refused file must stay byte for byte.
    const version = schemaVersion(db);
    if (version > LATEST_VERSION) {
      throw new ApiError('INTERNAL', `账本文件来自更新版本的软件（数据版本 ${version}，本软件支持到 ${LATEST_VERSION}），请升级软件后再打开`);
    }
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // No quick_check here: it reads every page (seconds at a few hundred MB, half a minute at ten years) and opening
    // must stay fast. The header check above catches a truncated file; page-level damage is found by the background
    // check after start, by every backup and by verify (issue 8, docs/PERFORMANCE.md).
    // Class lists in the order schools use (一(2)班 before 一(10)班): ORDER BY class_order(class_name).
    db.function('class_order', { deterministic: true }, classSortKey);
    migrate(db, opts);
    cacheStatements(db);
    return db;
  } catch (e) {
    db.close();
    if (e instanceof ApiError) throw e;
    throw new ApiError('INTERNAL', `账本文件无法使用：${(e as Error).message}`);
  }
}

function assertSqliteFile(file: string): void {
  const size = fs.statSync(file).size;
  if (size === 0) return;
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(100);
  const got = fs.readSync(fd, head, 0, 100, 0);
  fs.closeSync(fd);
  if (got < 100 || head.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') {
    throw new ApiError('INTERNAL', `${file} 不是账本数据库文件（不是 SQLite 格式）`);
  }
  // The header's page count is valid when its version-valid-for number equals the change counter; a file shorter
  // than that count × page size lost its tail (a copy cut short, a full disk).
  const pageSize = head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const pages = head.readUInt32BE(28);
  if (head.readUInt32BE(92) === head.readUInt32BE(24) && pages > 0 && size < pages * pageSize) {
    throw new ApiError('INTERNAL', `账本文件已损坏（文件被截断：应有 ${pages * pageSize} 字节，实有 ${size} 字节），请从备份恢复`);
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Every `db.prepare(sql)` on this connection returns one cached statement per SQL text. better-sqlite3 keeps a
 * statement's native memory until the connection closes, so preparing on every call grew the process by ~20 MB per
 * thousand calls (docs/PERFORMANCE.md, finding 5); the cache also saves the compile on every call. Bounded (least
 * recently used goes first) because a few statements are built with a varying number of parameters. A statement that
 * is still being iterated is busy: a second user of the same text gets a fresh one.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db) as Db['prepare'];
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    const hit = cache.get(sql);
    if (hit && !hit.busy) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const fresh = prepare(sql);
    if (hit) return fresh;
    cache.set(sql, fresh);
    if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return fresh;
  }) as Db['prepare'];
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
export const LATEST_VERSION = MIGRATIONS.length;

/** The user_version ladder, one transaction per step (a newer database was refused before this point). */
function migrate(db: Db, opts: OpenOptions): void {
  const current = schemaVersion(db);
  if (current === LATEST_VERSION) return;
  if (opts.readonly) throw new ApiError('INTERNAL', '只读打开的账本需要先升级数据版本');
  if (current > 0) opts.beforeMigrate?.(db, current, LATEST_VERSION);
  for (let v = current; v < LATEST_VERSION; v++) {
    const step = MIGRATIONS[v];
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
