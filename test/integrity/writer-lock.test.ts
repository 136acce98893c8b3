import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireWriterLock, lockFileFor, writerLockHolder } from '../../electron/core/integrity/writer-lock.ts';
import { ApiError } from '../../shared/errors.ts';
import { tempLedger } from '../helpers/backend.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function ledger(): string {
  const t = tempLedger();
  cleanups.push(t.cleanup);
  return t.file;
}
function refusal(file: string): ApiError {
  try {
    acquireWriterLock(file, 'cli').release();
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected a refusal');
}
/** The pid of a process that has finished (and been reaped): certainly not alive. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('writer lock file', () => {
  it('holds pid, host, start time and holder; released on close; re-entrant in one process', () => {
    const file = ledger();
    const a = acquireWriterLock(file, 'app');
    const info = JSON.parse(fs.readFileSync(lockFileFor(file), 'utf8'));
    expect(info).toMatchObject({ pid: process.pid, host: os.hostname(), holder: 'app' });
    expect(Date.parse(info.startedAt)).not.toBeNaN();
    const b = acquireWriterLock(file, 'app'); // same process: shared
    a.release();
    expect(fs.existsSync(lockFileFor(file))).toBe(true);
    b.release();
    expect(fs.existsSync(lockFileFor(file))).toBe(false);
  });

  it('takes over a lock whose process is gone', () => {
    const file = ledger();
    fs.writeFileSync(lockFileFor(file), JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z', holder: 'app' }));
    expect(writerLockHolder(file)).toBeNull();
    const l = acquireWriterLock(file, 'cli');
    expect(JSON.parse(fs.readFileSync(lockFileFor(file), 'utf8')).pid).toBe(process.pid);
    l.release();
  });

  it('never steals a lock held from another computer (a shared folder), and names that computer', () => {
    const file = ledger();
    fs.writeFileSync(lockFileFor(file), JSON.stringify({ pid: 1234, host: 'FINANCE-PC', startedAt: '2026-09-15T01:00:00.000Z', holder: 'app' }));
    const e = refusal(file);
    expect(e.code).toBe('LOCKED');
    expect(e.message).toContain('电脑“FINANCE-PC”上的阳光食堂账本');
    expect(e.message).toContain('进程号 1234');
  });

  it('a half-written lock file: refused while fresh, taken over once old', () => {
    const file = ledger();
    fs.writeFileSync(lockFileFor(file), '');
    expect(refusal(file).code).toBe('LOCKED');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockFileFor(file), old, old);
    acquireWriterLock(file, 'cli').release();
  });

  it('a lock in a folder that cannot be written is a clear refusal', () => {
    const e = refusal('/proc/no-such-dir/ledger.sqlite');
    expect(e.code).toBe('LOCKED');
    expect(e.message).toMatch(/无法在账本旁建立写入锁文件/);
  });
});
