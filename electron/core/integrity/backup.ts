import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.ts';
import { addDays, chinaDate } from '../ledger/clock.ts';
import { LATEST_VERSION, type Db } from '../db/open.ts';
import { checkFindings } from './health-check.ts';
import { noProgress, type ProgressReporter } from '../ledger/progress.ts';
import { assertRoomFor, diskFullMessage, freeBytes, isDiskFull } from './disk-space.ts';

/**
 * Backups: one self-contained SQLite file each, taken through SQLite's online backup API while the app runs, into
 * <dataDir>/backups. Names sort by time and say why: canteen-20260915-100000-123-start.sqlite. A backup is written
 * to a temporary name, switched to rollback-journal mode (so it opens on its own, even from a read-only USB stick),
 * checked with integrity_check, and only then given its final name: a half-written backup never looks like one.
 */
export const BACKUP_REASONS = ['start', 'premigrate', 'daily', 'manual', 'prerestore'] as const;
export type BackupReason = (typeof BACKUP_REASONS)[number];
export const BACKUP_REASON_LABELS: Record<BackupReason, string> = {
  start: '启动时自动备份',
  premigrate: '升级数据版本前自动备份',
  daily: '每日自动备份',
  manual: '手动备份',
  prerestore: '恢复前自动备份',
};

/**
 * Retention of the automatic backups (start, daily): the newest per day for `daily` days, the newest per month for
 * `monthly` months. Manual, pre-migration and pre-restore backups are never removed by retention. The numbers are
 * the profile's backupKeepDays / backupKeepMonths (retentionOf); DEFAULT_RETENTION where no profile is at hand.
 */
export interface Retention {
  daily: number;
  monthly: number;
}
export const DEFAULT_RETENTION: Retention = { daily: 14, monthly: 12 };

/** The retention a school's profile asks for (shared/profile.ts), falling back to the defaults. */
export function retentionOf(p: { backupKeepDays?: number; backupKeepMonths?: number } | null | undefined): Retention {
  return { daily: p?.backupKeepDays ?? DEFAULT_RETENTION.daily, monthly: p?.backupKeepMonths ?? DEFAULT_RETENTION.monthly };
}

export interface BackupFile {
  file: string;
  name: string;
  /** When it was taken (ISO, UTC), read from the name. */
  at: string;
  reason: BackupReason;
  /** e.g. 'v1-v2' for a pre-migration backup. */
  detail: string;
  sizeBytes: number;
}

export function backupsDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** China wall-clock time, so that a person reading the folder sees the school's own date and time. */
function stamp(at: Date): string {
  const t = new Date(at.getTime() + CHINA_OFFSET_MS).toISOString(); // 2026-09-15T10:00:00.123Z
  return `${t.slice(0, 4)}${t.slice(5, 7)}${t.slice(8, 10)}-${t.slice(11, 13)}${t.slice(14, 16)}${t.slice(17, 19)}-${t.slice(20, 23)}`;
}

export function backupFileName(reason: BackupReason, at: Date, detail = ''): string {
  return `canteen-${stamp(at)}-${reason}${detail ? `-${detail}` : ''}.sqlite`;
}

const NAME_RE = /^canteen-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-(\d{3})-(start|premigrate|daily|manual|prerestore)(?:-([A-Za-z0-9-]+))?(?:~\d+)?\.sqlite$/;

export function parseBackupName(name: string): { at: Date; reason: BackupReason; detail: string } | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms, reason, detail] = m;
  const at = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, +ms) - CHINA_OFFSET_MS);
  if (Number.isNaN(at.getTime())) return null;
  return { at, reason: reason as BackupReason, detail: detail ?? '' };
}

/** The backups in a folder, newest first; files that are not ours are ignored. */
export function listBackups(dir: string): BackupFile[] {
  if (!fs.existsSync(dir)) return [];
  const out: BackupFile[] = [];
  for (const name of fs.readdirSync(dir)) {
    const p = parseBackupName(name);
    if (!p) continue;
    const file = path.join(dir, name);
    let sizeBytes = 0;
    try {
      const st = fs.statSync(file);
      if (!st.isFile()) continue;
      sizeBytes = st.size;
    } catch {
      continue;
    }
    out.push({ file, name, at: p.at.toISOString(), reason: p.reason, detail: p.detail, sizeBytes });
  }
  return out.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

/** A free final name in `dir` (two backups in one millisecond get ~2, ~3…). */
export function freeName(dir: string, name: string): string {
  let candidate = path.join(dir, name);
  for (let i = 2; fs.existsSync(candidate); i++) candidate = path.join(dir, name.replace(/\.sqlite$/, `~${i}.sqlite`));
  return candidate;
}

function tempBeside(dest: string): string {
  return path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.${Date.now()}.partial`);
}

/**
 * Makes a freshly written copy stand on its own: rollback journal (no -wal needed to read it), integrity checked.
 * Throws, leaving nothing behind, when the copy is not sound. The check runs in steps (checkCopy) that `pause` may
 * separate (a turn of the event loop, so the window is answered while a ten-year copy is checked).
 */
async function finalize(tmp: string, dest: string, report: ProgressReporter = noProgress, pages = 0, pause?: () => Promise<void>): Promise<void> {
  try {
    const c = new Database(tmp, { fileMustExist: true });
    try {
      c.pragma('journal_mode = DELETE');
      const steps = checkCopy(c);
      for (let s = steps.next(); ; s = steps.next()) {
        if (s.done) {
          failOn(s.value);
          break;
        }
        // The check's steps after the copy's pages, on one scale: the whole backup is copy and check.
        report('检查备份文件', pages + Math.round((pages * s.value.done) / s.value.total), 2 * pages);
        await pause?.();
      }
    } finally {
      c.close();
    }
    settle(tmp, dest);
  } catch (e) {
    throw cleanUp(tmp, dest, e);
  }
}

/** The same, all at once, for the synchronous backup (the migration hook inside opening). */
function finalizeSync(tmp: string, dest: string): void {
  try {
    const c = new Database(tmp, { fileMustExist: true });
    try {
      c.pragma('journal_mode = DELETE');
      const steps = checkCopy(c);
      for (let s = steps.next(); ; s = steps.next()) {
        if (s.done) {
          failOn(s.value);
          break;
        }
      }
    } finally {
      c.close();
    }
    settle(tmp, dest);
  } catch (e) {
    throw cleanUp(tmp, dest, e);
  }
}

/**
 * SQLite's integrity check of the copy, in steps that can say how far they are (issue 19: on ten years the check was
 * one silent statement of half a minute, after the copy's 100 %): quick_check first — every page once: page-level
 * damage, the freelist, a page used twice or never — then integrity_check table by table, each with its indexes (what
 * quick_check leaves out: index entries against their rows, UNIQUE). Together what integrity_check checks. Yields
 * before each (steps done of steps), returns the first finding or null.
 */
function* checkCopy(c: Database.Database): Generator<{ done: number; total: number }, string | null> {
  const tables = c.prepare(`SELECT name, sql LIKE '%WITHOUT ROWID%' AS noRowid FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name`).all() as { name: string; noRowid: number }[];
  // Each table weighs its rows, so the bar and the estimate follow the big tables: a rowid table's largest rowid (one
  // look down the b-tree; ledger rows are not deleted, so near enough its count), a WITHOUT ROWID table's count (a
  // pass over its b-tree: the 3.2 million subsidised meals of ten years are one, a minute of the check). quick_check,
  // one pass over every page, weighs as much as 0.4 of the tables (so measured on the ten-year ledger). Names cannot
  // be bound: quoted from the copy's own schema.
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const rowsOf = (name: string, noRowid: number): number => {
    try {
      const sql = noRowid ? `SELECT count(*) AS n FROM ${quote(name)}` : `SELECT max(rowid) AS n FROM ${quote(name)}`;
      return Number((c.prepare(sql).get() as { n: number | null }).n ?? 0);
    } catch {
      return 0; // a damaged page on the way: quick_check below names it
    }
  };
  const weights = tables.map((t) => 1 + rowsOf(t.name, t.noRowid));
  const quickWeight = Math.ceil(0.4 * weights.reduce((a, b) => a + b, 0));
  const total = quickWeight + weights.reduce((a, b) => a + b, 0);
  yield { done: 0, total };
  const quick = c.pragma('quick_check', { simple: true });
  if (quick !== 'ok') return String(quick);
  let done = quickWeight;
  for (let i = 0; i < tables.length; i++) {
    yield { done, total };
    const r = c.pragma(`integrity_check('${tables[i].name.replaceAll("'", "''")}')`, { simple: true });
    if (r !== 'ok') return String(r);
    done += weights[i];
  }
  return null;
}

function failOn(finding: string | null): void {
  if (finding === null) return;
  // Usually the ledger itself is damaged (the copy is page for page): name the first finding, not hundreds.
  const found = checkFindings([finding], 1);
  throw new ApiError('INTERNAL', `备份文件校验未通过（${found.join('，')}），备份没有保存。若“备份与校验”页显示账本文件已损坏，请从以前的备份恢复`);
}

function settle(tmp: string, dest: string): void {
  fs.rmSync(`${tmp}-wal`, { force: true });
  fs.rmSync(`${tmp}-shm`, { force: true });
  fsyncFile(tmp);
  fs.renameSync(tmp, dest);
  fsyncDir(path.dirname(dest));
}

function cleanUp(tmp: string, dest: string, e: unknown): unknown {
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) fs.rmSync(f, { force: true });
  if (isDiskFull(e)) return backupDiskFull(path.dirname(dest));
  return e;
}

/** A backup that did not fit (issue 20): said in words, naming the folder; the partial copy is already removed. */
function backupDiskFull(dir: string): ApiError {
  return new ApiError('DISK_FULL', diskFullMessage(freeBytes(dir), { where: `备份位置（${dir}）所在磁盘`, what: '备份没有保存', kept: '账本没有改动' }));
}

/**
 * Refuses a backup into `dir` before it starts when its disk cannot hold the copy: the ledger's pages (a backup is page
 * for page) and room for switching the copy out of WAL mode, 8 MB.
 */
function assertRoomForBackup(db: Db, dir: string): void {
  const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  assertRoomFor(dir, bytes + 8 * 1024 * 1024, { where: `备份位置（${dir}）所在磁盘`, what: '备份没有保存', kept: '账本没有改动' });
}

function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* Windows cannot open a folder for fsync; its rename is already durable enough */
  }
}

function ensureDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new ApiError('INTERNAL', `无法创建备份文件夹 ${dir}：${(e as Error).message}`);
  }
}

/** Pages copied per step of the online backup (better-sqlite3's default), then other calls get their turn. */
const BACKUP_PAGES_PER_STEP = 100;

/**
 * Finishes a written copy `tmp` (of `pages` pages) into `dest`: its journal switched, its check step by step (on the
 * backup's scale, after the pages), then renamed into place; on a failure nothing is left. The default runs in this
 * thread with a turn of the event loop between the check's steps — but one big table's check is one statement (up to
 * ~40 s on ten years), so the app runs it in the jobs worker instead (jobs/run.ts `finishCopyInWorker`): the window's
 * process never waits for it.
 */
export type CopyFinisher = (tmp: string, dest: string, pages: number, report: ProgressReporter) => Promise<void>;

export const finishCopy: CopyFinisher = (tmp, dest, pages, report) => finalize(tmp, dest, report, pages, () => new Promise((r) => setImmediate(r)));

/** Online backup (SQLite's backup API, page by page, writers keep going) of the open ledger to `dest`. */
export async function backupDbTo(db: Db, dest: string, report: ProgressReporter = noProgress, finish: CopyFinisher = finishCopy): Promise<void> {
  ensureDir(path.dirname(dest));
  assertRoomForBackup(db, path.dirname(dest));
  const tmp = tempBeside(dest);
  let pages = 0;
  try {
    // Pages copied of pages in all (issue 19: progress on long work), after each run of pages.
    await db.backup(tmp, {
      progress: ({ totalPages, remainingPages }) => {
        pages = totalPages;
        // Copied pages count for half: the check after the copy reads them all again (finalize).
        report('复制账本数据', totalPages - remainingPages, 2 * totalPages);
        return BACKUP_PAGES_PER_STEP;
      },
    });
  } catch (e) {
    for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`, `${tmp}-journal`]) fs.rmSync(f, { force: true });
    if (isDiskFull(e)) throw backupDiskFull(path.dirname(dest));
    throw new ApiError('INTERNAL', `备份失败：${(e as Error).message}`);
  }
  await finish(tmp, dest, pages, report);
}

/**
 * The same, synchronously, for the one place that cannot wait: the migration hook inside opening. VACUUM INTO writes
 * a consistent snapshot of the open database (SQLite's other built-in copy mechanism).
 */
export function backupDbToSync(db: Db, dest: string): void {
  ensureDir(path.dirname(dest));
  assertRoomForBackup(db, path.dirname(dest));
  const tmp = tempBeside(dest);
  try {
    db.prepare('VACUUM INTO ?').run(tmp);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if (isDiskFull(e)) throw backupDiskFull(path.dirname(dest));
    throw new ApiError('INTERNAL', `备份失败：${(e as Error).message}`);
  }
  finalizeSync(tmp, dest);
}

function describe(file: string): BackupFile {
  const name = path.basename(file);
  const p = parseBackupName(name);
  return { file, name, at: (p?.at ?? new Date()).toISOString(), reason: p?.reason ?? 'manual', detail: p?.detail ?? '', sizeBytes: fs.statSync(file).size };
}

/** Backs the open ledger up into `dir` (the backups folder, or a folder the person chose) under a dated name. */
export async function createBackup(db: Db, dir: string, reason: BackupReason, at: Date, detail = '', report: ProgressReporter = noProgress, finish?: CopyFinisher): Promise<BackupFile> {
  ensureDir(dir);
  const dest = freeName(dir, backupFileName(reason, at, detail));
  await backupDbTo(db, dest, report, finish);
  return describe(dest);
}

export function createBackupSync(db: Db, dir: string, reason: BackupReason, at: Date, detail = ''): BackupFile {
  ensureDir(dir);
  const dest = freeName(dir, backupFileName(reason, at, detail));
  backupDbToSync(db, dest);
  return describe(dest);
}

/** For OpenOptions.beforeMigrate: a backup of the old version before the first step of the ladder runs. */
export function preMigrationBackup(dataDir: string, now: () => Date = () => new Date()) {
  return (db: Db, from: number, to: number): void => {
    createBackupSync(db, backupsDir(dataDir), 'premigrate', now(), `v${from}-v${to}`);
  };
}

/** Which automatic backups retention keeps: the newest per China day for `daily` days, per month for `monthly` months. */
export function retainedNames(files: BackupFile[], now: Date, keep: Retention = DEFAULT_RETENTION): Set<string> {
  const kept = new Set<string>();
  const today = chinaDate(now);
  const firstDay = addDays(today, -(Math.max(keep.daily, 0) - 1));
  const [y, m] = today.split('-').map(Number);
  const firstMonthIndex = y * 12 + (m - 1) - (Math.max(keep.monthly, 0) - 1);
  const newestOfDay = new Map<string, string>();
  const newestOfMonth = new Map<string, string>();
  const sorted = [...files].sort((a, b) => (a.name < b.name ? 1 : -1));
  for (const f of sorted) {
    if (f.reason !== 'start' && f.reason !== 'daily') {
      kept.add(f.name);
      continue;
    }
    const day = chinaDate(new Date(f.at));
    if (day > today) {
      kept.add(f.name); // from the future (the clock was changed): never delete what we cannot place
      continue;
    }
    if (!newestOfDay.has(day)) newestOfDay.set(day, f.name);
    const month = day.slice(0, 7);
    if (!newestOfMonth.has(month)) newestOfMonth.set(month, f.name);
  }
  for (const [day, name] of newestOfDay) if (keep.daily > 0 && day >= firstDay) kept.add(name);
  for (const [month, name] of newestOfMonth) {
    const [yy, mm] = month.split('-').map(Number);
    if (keep.monthly > 0 && yy * 12 + (mm - 1) >= firstMonthIndex) kept.add(name);
  }
  if (sorted[0]) kept.add(sorted[0].name); // the newest backup of all is always kept
  return kept;
}

/** Removes the automatic backups that retention no longer keeps; returns the removed names. */
export function pruneBackups(dir: string, now: Date, keep: Retention = DEFAULT_RETENTION): string[] {
  const files = listBackups(dir);
  const kept = retainedNames(files, now, keep);
  const removed: string[] = [];
  for (const f of files) {
    if (kept.has(f.name)) continue;
    try {
      fs.rmSync(f.file);
      removed.push(f.name);
    } catch {
      /* in use or read-only: try again next time */
    }
  }
  return removed;
}

/**
 * The backup at every start: the shell and the CLI call this right after opening the ledger for writing. Returns
 * null for an in-memory ledger.
 */
export async function startupBackup(db: Db, dataDir: string | null, now: Date = new Date(), keep: Retention = DEFAULT_RETENTION, finish?: CopyFinisher): Promise<BackupFile | null> {
  if (!dataDir) return null;
  const dir = backupsDir(dataDir);
  const b = await createBackup(db, dir, 'start', now, '', noProgress, finish);
  pruneBackups(dir, now, keep);
  return b;
}

/** When the next daily backup is due: now if none was taken today (China date), else just after the next midnight. */
export function nextDailyBackupAt(now: Date, lastBackupAt: Date | null): Date {
  if (!lastBackupAt || chinaDate(lastBackupAt) < chinaDate(now)) return now;
  const tomorrow = addDays(chinaDate(now), 1);
  const [y, m, d] = tomorrow.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d, 0, 1, 0) - CHINA_OFFSET_MS); // 00:01 China time
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DailyBackupOptions {
  now: () => Date;
  /** When the newest backup in the folder was taken (any reason: a start backup today already covers today). */
  lastBackupAt: () => Date | null;
  /** Takes the daily backup (and prunes). */
  run: () => Promise<unknown>;
  timers?: Timers;
  /** Re-check at least this often, so a sleeping laptop or a changed clock does not skip a day. */
  maxWaitMs?: number;
  onError?: (e: unknown) => void;
}

/** The daily backup while the app runs. The shell starts it after the start backup and stops it on quit. */
export function scheduleDailyBackups(o: DailyBackupOptions): { stop(): void; nextAt(): Date | null } {
  const timers: Timers = o.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms).unref(), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const maxWait = o.maxWaitMs ?? 3_600_000;
  let handle: unknown = null;
  let stopped = false;
  let due: Date | null = null;
  const arm = () => {
    if (stopped) return;
    due = nextDailyBackupAt(o.now(), o.lastBackupAt());
    const wait = Math.max(0, Math.min(due.getTime() - o.now().getTime(), maxWait));
    handle = timers.setTimeout(tick, wait);
  };
  const tick = () => {
    handle = null;
    if (stopped) return;
    const now = o.now();
    if (due && now.getTime() >= due.getTime() && nextDailyBackupAt(now, o.lastBackupAt()).getTime() <= now.getTime()) {
      o.run()
        .catch((e) => o.onError?.(e))
        .finally(arm);
    } else arm();
  };
  arm();
  return {
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
    nextAt: () => (stopped ? null : due),
  };
}

/** What a backup holds, shown before restoring it. */
export interface BackupPreview {
  file: string;
  schoolName: string | null;
  schemaVersion: number;
  installationId: string | null;
  counts: { users: number; suppliers: number; deliveries: number | null; receipts: number | null };
  auditEntries: number;
  lastAuditAt: string | null;
  sizeBytes: number;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/**
 * Checks a file offered for restore without trusting it: SQLite header, not truncated (the header's page count ×
 * page size fits the file), opens read-only, integrity_check, a schema version this program knows, the ledger's
 * tables, and an intact audit chain. Every refusal is an ApiError with a Chinese message.
 */
export function inspectBackup(file: string, chainCheck?: (db: Db) => string | null): BackupPreview {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new ApiError('NOT_FOUND', `找不到备份文件：${file}`);
  }
  if (!st.isFile()) throw new ApiError('VALIDATION', `${file} 不是文件`);
  const head = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let got = 0;
  try {
    got = fs.readSync(fd, head, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (got < 100 || head.subarray(0, 16).toString('latin1') !== SQLITE_HEADER) {
    throw new ApiError('VALIDATION', '该文件不是账本备份（不是 SQLite 数据库文件），已拒绝恢复，当前数据未改动');
  }
  const rawPageSize = head.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pageCount = head.readUInt32BE(28);
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) throw new ApiError('VALIDATION', '备份文件头已损坏，已拒绝恢复，当前数据未改动');
  if (st.size % pageSize !== 0 || (pageCount > 0 && pageCount * pageSize > st.size)) {
    throw new ApiError('VALIDATION', '备份文件不完整（文件被截断），已拒绝恢复，当前数据未改动');
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new ApiError('VALIDATION', `无法打开备份文件（${(e as Error).message}），已拒绝恢复，当前数据未改动`);
  }
  try {
    let check: unknown;
    try {
      check = db.pragma('integrity_check', { simple: true });
    } catch (e) {
      throw new ApiError('VALIDATION', `备份文件已损坏（${(e as Error).message}），已拒绝恢复，当前数据未改动`);
    }
    if (check !== 'ok') throw new ApiError('VALIDATION', `备份文件已损坏（${String(check)}），已拒绝恢复，当前数据未改动`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_VERSION) {
      throw new ApiError('VALIDATION', `备份来自更新版本的软件（数据版本 ${version}，本软件支持到 ${LATEST_VERSION}），请先升级软件；已拒绝恢复，当前数据未改动`);
    }
    const tables = new Set((db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    if (version < 1 || !tables.has('school') || !tables.has('audit_log') || !tables.has('users')) {
      throw new ApiError('VALIDATION', '该文件不是本软件的账本备份，已拒绝恢复，当前数据未改动');
    }
    const broken = chainCheck?.(db);
    if (broken) throw new ApiError('VALIDATION', `备份文件内容被改动过（${broken}），已拒绝恢复，当前数据未改动`);
    const count = (t: string): number | null => (tables.has(t) ? (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n : null);
    const firstTable = (...names: string[]) => names.find((n) => tables.has(n));
    const deliveries = firstTable('deliveries', 'receiving_deliveries', 'delivery_notes');
    const receipts = firstTable('fee_receipts', 'receipts');
    const school = db.prepare('SELECT name FROM school').get() as { name: string } | undefined;
    const inst = tables.has('installation') ? (db.prepare('SELECT id FROM installation').get() as { id: string } | undefined) : undefined;
    const last = db.prepare('SELECT count(*) AS n, max(at) AS at FROM audit_log').get() as { n: number; at: string | null };
    return {
      file,
      schoolName: school?.name ?? null,
      schemaVersion: version,
      installationId: inst?.id ?? null,
      counts: {
        users: count('users') ?? 0,
        suppliers: count('suppliers') ?? 0,
        deliveries: deliveries ? count(deliveries) : null,
        receipts: receipts ? count(receipts) : null,
      },
      auditEntries: last.n,
      lastAuditAt: last.at,
      sizeBytes: st.size,
    };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError('VALIDATION', `备份文件无法读取（${(e as Error).message}），已拒绝恢复，当前数据未改动`);
  } finally {
    db.close();
  }
}

/** Copies a file offered for restore next to the ledger, so it is read once, from local disk, and can be renamed in. */
export function stageCopy(from: string, ledgerFile: string): string {
  const staged = path.join(path.dirname(path.resolve(ledgerFile)), `.restore-${process.pid}-${Date.now()}.sqlite`);
  // Only a regular file: a folder, a device (/dev/zero would never end) or a pipe is refused before reading.
  let st: fs.Stats;
  try {
    st = fs.statSync(from);
  } catch {
    throw new ApiError('NOT_FOUND', `找不到备份文件：${from}`);
  }
  if (!st.isFile()) throw new ApiError('VALIDATION', `${from} 不是文件`);
  // The copy lands on the ledger's disk: a full one is said as such (issue 20), not as an unreadable backup.
  const dataDir = path.dirname(staged);
  const onFullDisk = { what: '备份文件没有复制过来，没有恢复，当前数据未改动' };
  assertRoomFor(dataDir, st.size, onFullDisk);
  try {
    fs.copyFileSync(from, staged);
  } catch (e) {
    fs.rmSync(staged, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ApiError('NOT_FOUND', `找不到备份文件：${from}`);
    if (code === 'EISDIR') throw new ApiError('VALIDATION', `${from} 不是文件`);
    if (isDiskFull(e)) throw new ApiError('DISK_FULL', diskFullMessage(freeBytes(dataDir), onFullDisk));
    throw new ApiError('VALIDATION', `无法读取备份文件 ${from}：${(e as Error).message}`);
  }
  return staged;
}

/**
 * Puts a staged, inspected copy in place of the (closed) ledger file: the old file's -wal/-shm go with it, the copy is
 * renamed over the ledger in one step, so at any moment the ledger is either wholly the old or wholly the new.
 */
export function swapInStaged(staged: string, ledgerFile: string): void {
  const file = path.resolve(ledgerFile);
  fsyncFile(staged);
  fs.rmSync(`${file}-wal`, { force: true });
  fs.rmSync(`${file}-shm`, { force: true });
  fs.renameSync(staged, file);
  fsyncDir(path.dirname(file));
}
