import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.ts';
import { diskFullMessage, freeBytes, isDiskFull } from './disk-space.ts';

/**
 * One writer per ledger. SQLite alone would let two programs write the same file in turn, each unaware of the other's
 * changes on screen; a school PC running the app while someone runs the CLI (or a second copy of the app) must be
 * refused with a message that says who holds the ledger. The lock is a file beside the ledger, created exclusively,
 * holding the holder's pid, host and start time. A lock whose process is gone (a crash, a power cut) is taken over.
 */
export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  /** What holds it: 'app', 'cli', a test name… shown in the refusal. */
  holder: string;
}

export interface WriterLock {
  readonly file: string;
  readonly info: LockInfo;
  release(): void;
}

export function lockFileFor(ledgerFile: string): string {
  return `${path.resolve(ledgerFile)}.lock`;
}

/** Locks this process holds, by lock path: a second open in the same process shares it (SQLite serialises those). */
const held = new Map<string, { info: LockInfo; count: number }>();

/** Is a process with this pid alive on this machine? EPERM means it exists but belongs to someone else. */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): { info: LockInfo | null; raw: string; mtimeMs: number } | null {
  try {
    const raw = fs.readFileSync(file, 'utf8');
    const mtimeMs = fs.statSync(file).mtimeMs;
    try {
      const info = JSON.parse(raw) as LockInfo;
      if (typeof info.pid !== 'number' || typeof info.host !== 'string') return { info: null, raw, mtimeMs };
      return { info, raw, mtimeMs };
    } catch {
      return { info: null, raw, mtimeMs };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** A lock left by a process that no longer runs on this host, or a half-written lock file older than a few seconds. */
function isStale(l: { info: LockInfo | null; mtimeMs: number }, nowMs: number): boolean {
  if (!l.info) return nowMs - l.mtimeMs > 5_000;
  if (l.info.host !== os.hostname()) return false; // cannot see another computer's processes: never steal
  if (l.info.pid === process.pid) return false;
  return !pidAlive(l.info.pid);
}

function describeHolder(info: LockInfo | null): string {
  if (!info) return '另一个程序';
  const who = info.holder === 'cli' ? '命令行工具' : info.holder === 'app' ? '阳光食堂账本' : `程序（${info.holder}）`;
  const where = info.host === os.hostname() ? '本机' : `电脑“${info.host}”`;
  return `${where}上的${who}（进程号 ${info.pid}，${info.startedAt.replace('T', ' ').slice(0, 19)} UTC 起）`;
}

/**
 * Takes the ledger's writer lock or throws LOCKED with a Chinese message naming the holder. Re-entrant within one
 * process (counted); a stale lock is moved aside by rename — only one of two racing takers can win that rename.
 */
export function acquireWriterLock(ledgerFile: string, holder = 'app'): WriterLock {
  const file = lockFileFor(ledgerFile);
  const mine = held.get(file);
  if (mine) {
    mine.count++;
    return handle(file, mine.info);
  }
  const info: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), holder };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      createLockFile(file, JSON.stringify(info));
      held.set(file, { info, count: 1 });
      return handle(file, info);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (isDiskFull(e)) {
        throw new ApiError('DISK_FULL', diskFullMessage(freeBytes(path.dirname(file)), { what: '账本没有打开（账本旁的写入锁文件写不进去）' }));
      }
      if (code !== 'EEXIST') {
        throw new ApiError('LOCKED', `无法在账本旁建立写入锁文件 ${file}：${(e as Error).message}（请检查文件夹是否可写）`);
      }
    }
    const current = readLock(file);
    if (!current) continue; // released meanwhile: try again
    if (!isStale(current, Date.now())) {
      throw new ApiError('LOCKED', `账本正由${describeHolder(current.info)}打开写入。同一账本同时只能由一个程序写入，请先关闭它再试。`);
    }
    // Take over: move the stale lock aside, then check that what we moved is the stale lock we judged.
    const aside = `${file}.stale-${process.pid}-${Date.now()}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue; // someone else moved it first
    }
    const moved = fs.readFileSync(aside, 'utf8');
    if (moved !== current.raw) {
      // We moved a lock that a live process had just taken: put it back and give way.
      try {
        fs.renameSync(aside, file);
      } catch {
        /* another taker is already there; they will be refused or win on their own */
      }
      continue;
    }
    fs.rmSync(aside, { force: true });
  }
  throw new ApiError('LOCKED', '账本写入锁正被其他程序反复占用，请稍后再试');
}

/**
 * Creates the lock file with its content in one step: written and synced under a name of its own
 * (`….lock.PID.new`, swept by the next start if this process dies there), then hard-linked to the lock's name, which
 * fails with EEXIST like an exclusive create. So no writer ever sees an empty or half-written lock (issue 20 item 8:
 * one left by a kill made the next writer wait). Where the file system has no hard links, an exclusive create.
 */
function createLockFile(file: string, content: string): void {
  const fresh = `${file}.${process.pid}.new`;
  try {
    fs.writeFileSync(fresh, content, { flag: 'w' });
    const fd = fs.openSync(fresh, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    fs.rmSync(fresh, { force: true });
    throw e;
  }
  try {
    fs.linkSync(fresh, file);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
  } finally {
    fs.rmSync(fresh, { force: true });
  }
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } catch (e) {
    // Created but not written (a full disk): an empty lock file would make the next writer wait; it goes.
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
    throw e;
  }
  fs.closeSync(fd);
}

function handle(file: string, info: LockInfo): WriterLock {
  let released = false;
  return {
    file,
    info,
    release() {
      if (released) return;
      released = true;
      const h = held.get(file);
      if (!h) return;
      if (--h.count > 0) return;
      held.delete(file);
      try {
        const now = readLock(file);
        // Only remove our own lock: if someone took it over (they judged us dead), leave theirs.
        if (now?.info && now.info.pid === info.pid && now.info.startedAt === info.startedAt) fs.rmSync(file, { force: true });
      } catch {
        /* the folder is gone (tests clean up): nothing to release */
      }
    },
  };
}

/** Who holds the ledger now, if anyone alive (for the CLI's messages and the shell's start screen). */
export function writerLockHolder(ledgerFile: string): LockInfo | null {
  const l = readLock(lockFileFor(ledgerFile));
  if (!l || isStale(l, Date.now())) return null;
  return l.info;
}
