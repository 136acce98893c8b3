import Database from 'better-sqlite3';
import fs from 'node:fs';
import { ApiError } from '../../../shared/errors.ts';
import { MIGRATIONS } from './migrations/index.ts';

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
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new ApiError('INTERNAL', `账本文件已损坏（${String(check)}），请从备份恢复`);
    migrate(db, opts);
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
  const head = Buffer.alloc(16);
  fs.readSync(fd, head, 0, 16, 0);
  fs.closeSync(fd);
  if (head.toString('latin1') !== 'SQLite format 3\u0000') {
    throw new ApiError('INTERNAL', `${file} 不是账本数据库文件（不是 SQLite 格式）`);
  }
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
