import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.ts';
import { assertRoomFor, freeBytes, isDiskFull, writeMargin } from '../integrity/disk-space.ts';
import { checkFindings } from '../integrity/health-check.ts';
import { corruptLedgerError, damagedLedgerMessage, isCorrupt, type CutShort } from './damage.ts';
import { MIGRATIONS } from './migrations/index.ts';
import { classSortKey } from '../../../shared/class-order.ts';
import { splitStatements, statementHead } from './sql-split.ts';

export type Db = Database.Database;

export interface OpenOptions {
  /** Called with the open database before the first pending migration is applied (issue 7: back up first). */
  beforeMigrate?: (db: Db, from: number, to: number) => void;
  /**
   * Progress of the ladder (issue 19), statement by statement: with it each step runs its statements one by one (in
   * the step's one transaction, as before) and says which (db/upgrade.ts).
   */
  onMigrate?: MigrationReporter;
  readonly?: boolean;
}

/** Where the ladder is: step `stepNo` of `steps` (its migration's name), statement `done` of `total` in all the steps. */
export interface MigrationPoint {
  stepNo: number;
  steps: number;
  name: string;
  /** What the statement does, in words ('建立索引 food_samples_day'), and the rows of the table it reads, if it reads one. */
  what: string;
  rows: number | null;
  /** Statements finished, of all the pending steps' statements. */
  done: number;
  total: number;
}
export type MigrationReporter = (p: MigrationPoint) => void;

/**
 * Opens the ledger file: WAL for crash safety with a reader beside the writer, synchronous=FULL so that a post that
 * returned survives power loss, foreign keys on. Then brings the schema up the migration ladder.
 */
export function openLedger(file: string, opts: OpenOptions = {}): Db {
  const cutShort = file !== ':memory:' && fs.existsSync(file) ? assertSqliteFile(file) : null;
  if (cutShort) assertReadableBySqlite(file, cutShort);
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
    if (cutShort && !opts.readonly) completeCheckpoint(db, file);
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
    if (isCorrupt(e)) throw corruptLedgerError(file);
    throw new ApiError('INTERNAL', `账本文件无法使用：${(e as Error).message}`);
  }
}

/**
 * Header checks before SQLite touches the file: not SQLite at all is refused. A header counting more pages than the
 * file has is damage (a copy cut short) unless the ledger's WAL is there: a checkpoint that could not grow the file on
 * a full disk writes page 1 (the new count) and stops, while the pages it could not write stay in the WAL, where
 * SQLite reads them (issue 20). Then SQLite is asked (assertReadableBySqlite) instead of calling the file damaged.
 */
function assertSqliteFile(file: string): CutShort | null {
  const size = fs.statSync(file).size;
  if (size === 0) return null;
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(100);
  const got = fs.readSync(fd, head, 0, 100, 0);
  fs.closeSync(fd);
  if (got < 100 || head.toString('latin1', 0, 16) !== 'SQLite format 3\u0000') {
    throw new ApiError('INTERNAL', `${file} 不是账本数据库文件（不是 SQLite 格式）`);
  }
  // The header's page count is valid when its version-valid-for number equals the change counter; a file shorter
  // than that count × page size lost its tail (a copy cut short) or is waiting for its WAL to be checkpointed.
  const pageSize = head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const pages = head.readUInt32BE(28);
  if (head.readUInt32BE(92) === head.readUInt32BE(24) && pages > 0 && size < pages * pageSize) {
    const cut: CutShort = { expected: pages * pageSize, actual: size };
    // No WAL (or an empty one): the missing pages are nowhere, and the file is damaged without reading a page.
    if (walBytes(file) === 0) throw new ApiError('INTERNAL', damagedLedgerMessage(file, { cutShort: cut }));
    return cut;
  }
  return null;
}

function walBytes(file: string): number {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/**
 * A header counting pages the file does not have, with a WAL beside it: SQLite's quick_check (every page, through
 * the WAL, on a read-only connection that changes no byte of the ledger) decides. Clean: the ledger opens as usual
 * (the pages are in the WAL). Not clean: damaged, and the message says what a restore would lose. quick_check, not
 * integrity_check: truncation loses pages, which quick_check finds; index contents are not what a cut-short file gets
 * wrong, and quick_check is linear where integrity_check is not (this runs before the window opens).
 */
function assertReadableBySqlite(file: string, cut: CutShort): void {
  let finding: string | null = null;
  let probe: Db | null = null;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
    const rows = probe.pragma('quick_check(20)', { simple: false }) as Record<string, unknown>[];
    const found = checkFindings(rows.map((r) => String(Object.values(r)[0])), 1);
    if (found.length) finding = found.join('，');
  } catch (e) {
    finding = (e as Error).message;
  } finally {
    probe?.close();
  }
  if (finding !== null) throw new ApiError('INTERNAL', damagedLedgerMessage(file, { cutShort: cut, finding }));
}

/**
 * The checkpoint the full disk interrupted, finished when there is room for it (the file grows to its header's count),
 * so the ledger file is whole again on its own, as a copy without its WAL would need. Without room it waits: the WAL
 * keeps the pages, and the next open tries again.
 */
function completeCheckpoint(db: Db, file: string): void {
  const free = freeBytes(path.dirname(path.resolve(file)));
  if (free !== null && free < writeMargin(file)) return;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    if (!isDiskFull(e)) throw e;
  }
}

/** A ledger opened for reading only (verify): how, and what to say about it. */
export interface ReadOnlyLedger {
  db: Db;
  /** Set when the ledger's folder cannot be written: says that the ledger was only read, and how. */
  readOnlyNote: string | null;
  close(): void;
}

/**
 * Opens a ledger to read it (verify), also in a folder that cannot be written (a read-only share, a write-protected
 * USB stick, a folder without write permission; issue 20). SQLite reads a WAL ledger read-only in place only when its
 * -wal and -shm files are both there; otherwise (closed cleanly: no -wal, or a -wal without its -shm) it would have to
 * create them and fails ("attempt to write a readonly database", "unable to open database file"). Then the ledger
 * (and its WAL) are copied to a temporary folder and the copy is read; the original is not touched.
 */
export function openLedgerToRead(file: string): ReadOnlyLedger {
  const resolved = path.resolve(file);
  const dir = path.dirname(resolved);
  if (folderWritable(dir)) {
    const db = openLedger(file, { readonly: true });
    return { db, readOnlyNote: null, close: () => db.close() };
  }
  if (fs.existsSync(`${resolved}-wal`) && fs.existsSync(`${resolved}-shm`)) {
    const db = openLedger(file, { readonly: true });
    return { db, readOnlyNote: '账本所在的文件夹不能写入，已以只读方式打开账本（没有改动任何文件）', close: () => db.close() };
  }
  const need = fs.statSync(resolved).size + walBytes(resolved);
  assertRoomFor(os.tmpdir(), need, { where: '临时文件夹所在磁盘', what: '账本所在的文件夹不能写入，需要把账本复制到临时文件夹再读取，没有复制', kept: '账本没有改动' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-readonly-'));
  const copy = path.join(tmp, path.basename(resolved));
  const drop = () => fs.rmSync(tmp, { recursive: true, force: true });
  try {
    fs.copyFileSync(resolved, copy);
    if (walBytes(resolved) > 0) fs.copyFileSync(`${resolved}-wal`, `${copy}-wal`);
    const db = openLedger(copy, { readonly: true });
    return {
      db,
      readOnlyNote: '账本所在的文件夹不能写入，已以只读方式把账本复制到临时文件夹读取（没有改动原文件）',
      close: () => {
        db.close();
        drop();
      },
    };
  } catch (e) {
    drop();
    if (e instanceof ApiError) throw new ApiError(e.code, e.message.replaceAll(copy, resolved), e.issues);
    throw e;
  }
}

/** Can files be created in this folder? access(2) answers for this user, and says EROFS on a read-only mount. */
function folderWritable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
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
  if (opts.onMigrate) {
    migrateReporting(db, current, opts.onMigrate);
    return;
  }
  for (let v = current; v < LATEST_VERSION; v++) {
    const step = MIGRATIONS[v];
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/**
 * The same ladder, each step still one IMMEDIATE transaction, its statements run one at a time so the reporter hears
 * of each before it runs (what it does, the rows of the table it reads — counted first, as SQLite says nothing while
 * one statement runs) and once all are done. A reporter that throws stops the ladder: the step it was in rolls back
 * whole, the steps before it stay (each a complete version).
 */
function migrateReporting(db: Db, current: number, report: MigrationReporter): void {
  const pending = MIGRATIONS.slice(current).map((m, i) => ({ version: current + i + 1, name: m.name, statements: splitStatements(m.sql) }));
  const total = pending.reduce((n, p) => n + p.statements.length, 0);
  let done = 0;
  pending.forEach((step, i) => {
    const point = (what: string, rows: number | null): MigrationPoint => ({ stepNo: i + 1, steps: pending.length, name: step.name, what, rows, done, total });
    db.transaction(() => {
      for (const stmt of step.statements) {
        const head = statementHead(stmt);
        const rows = head.table && SCANS.has(head.verb) ? rowsOf(db, head.table) : null;
        report(point(describeStatement(head), rows));
        db.exec(stmt);
        done++;
      }
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
    report(point('完成', null));
  });
}

/** The statements that read a whole table: their rows are what takes the time. */
const SCANS = new Set(['CREATE INDEX', 'INSERT', 'UPDATE', 'DELETE FROM', 'ALTER TABLE', 'CREATE TABLE']);

function rowsOf(db: Db, table: string): number | null {
  try {
    return (db.prepare(`SELECT count(*) AS n FROM "${table.replaceAll('"', '""')}"`).get() as { n: number }).n;
  } catch {
    return null; // a table the statement names but that is not there (yet): the statement says so itself
  }
}

const VERBS: Record<string, string> = {
  'CREATE INDEX': '建立索引',
  'CREATE TABLE': '建立数据表',
  'CREATE TRIGGER': '建立规则',
  'CREATE VIEW': '建立视图',
  INSERT: '写入数据表',
  UPDATE: '更新数据表',
  'DELETE FROM': '清理数据表',
  'ALTER TABLE': '调整数据表',
  'DROP TABLE': '移除数据表',
  'DROP INDEX': '移除索引',
  'DROP TRIGGER': '移除规则',
  'DROP VIEW': '移除视图',
};

function describeStatement(h: { verb: string; name: string; table: string | null }): string {
  const verb = VERBS[h.verb] ?? '调整账本结构';
  if (!h.name) return verb;
  if (h.verb === 'INSERT' && h.table && h.table !== h.name) return `${verb} ${h.name}（读取 ${h.table}）`;
  return `${verb} ${h.name}`;
}
