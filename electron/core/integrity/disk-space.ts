import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.ts';

/**
 * Free space (issue 20): a write on a full disk must be refused with a message a person can act on, before SQLite
 * runs into it. SQLite survives a full disk (the transaction rolls back, the WAL keeps what was committed), but its
 * "database or disk is full" tells nobody what to do, and a checkpoint that could not grow the file leaves a header
 * that counts pages the file does not have yet (db/open.ts tells that apart from real damage).
 *
 * The margin a writing call needs: WRITE_MARGIN_BYTES, or twice the ledger's WAL if that is more. A post writes a few
 * hundred KB of WAL at most (docs/PERFORMANCE.md: ~90 pages), an import a few MB; the checkpoint that follows copies
 * the WAL's pages into the ledger and may grow it by up to the WAL's size, and the WAL itself grows while a reader
 * holds it. 64 MB leaves room for the largest import and its checkpoint many times over, and is little on any disk
 * that still works well (Windows itself misbehaves below a few hundred MB). It is one statfs and one stat per
 * writing call: two system calls, nothing next to the synced commit.
 */
export const WRITE_MARGIN_BYTES = 64 * 1024 * 1024;

/** Bytes free for this user on the disk holding `dir`; null where the system cannot tell (then nothing is refused). */
export function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** The free space a writing call on this ledger needs (see above). */
export function writeMargin(ledgerFile: string): number {
  return Math.max(WRITE_MARGIN_BYTES, 2 * sizeOf(`${ledgerFile}-wal`));
}

export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 10 ? String(Math.floor(mb)) : mb.toFixed(1);
}

/** What happened and what to do, in the words a school's bookkeeper reads; `where` names the disk. */
export function diskFullMessage(free: number | null, opts: { where?: string; what?: string; kept?: string; need?: number } = {}): string {
  const where = opts.where ?? '账本所在磁盘';
  const need = opts.need === undefined ? '' : `（需要约 ${megabytes(opts.need)} MB）`;
  const left = free === null ? `${where}已满${need}` : `${where}只剩 ${megabytes(free)} MB${need}`;
  return `磁盘空间不足：${left}，${opts.what ?? '本次操作未保存'}。请清理磁盘（删除不需要的文件或清空回收站）后重试；${opts.kept ?? '已保存的记录都在'}。`;
}

/** Refuses a writing call on the ledger when its disk has less than the margin free. */
export function assertRoomToWrite(ledgerFile: string): void {
  const free = freeBytes(path.dirname(path.resolve(ledgerFile)));
  if (free !== null && free < writeMargin(ledgerFile)) throw new ApiError('DISK_FULL', diskFullMessage(free));
}

/**
 * Refuses writing `need` bytes into `dir` (a backup, a staged copy) when its disk has less free; `what` says what was
 * not done. The ledger's own margin is not asked for here: a backup is worth more than room for the next post.
 */
export function assertRoomFor(dir: string, need: number, opts: { where?: string; what: string; kept?: string }): void {
  const free = freeBytes(dir);
  if (free !== null && free < need) {
    throw new ApiError('DISK_FULL', diskFullMessage(free, { ...opts, need }));
  }
}

/** SQLite's SQLITE_FULL or the system's ENOSPC/EDQUOT, however it was wrapped. */
export function isDiskFull(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  const code = typeof err.code === 'string' ? err.code : '';
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
  const msg = typeof err.message === 'string' ? err.message : '';
  return /database or disk is full|ENOSPC|no space left on device|EDQUOT|disk quota exceeded/i.test(msg);
}
