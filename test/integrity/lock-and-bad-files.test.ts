import Database from 'better-sqlite3';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { previewBackup, restoreLedger } from '../../electron/core/integrity/backup-restore.ts';
import { backupsDir, createBackup, listBackups } from '../../electron/core/integrity/backup.ts';
import { LATEST_VERSION } from '../../electron/core/db/open.ts';
import { lockFileFor } from '../../electron/core/integrity/writer-lock.ts';
import { ApiError } from '../../shared/errors.ts';
import { tableDigest, tempLedger, type TestBackend } from '../helpers/backend.ts';
import { ledgerWithHistory } from './fixture.ts';

const CJK = /[\u4e00-\u9fff]/;

function holdLock(file: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['test/integrity/children/hold-lock.ts', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().startsWith('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}
const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('one writer per ledger', () => {
  it('a second writer (another process, or the CLI) is refused with a Chinese message; a dead holder’s lock is taken over', async () => {
    const t = tempLedger();
    try {
      openBackend({ file: t.file }).close(); // create it
      const child = await holdLock(t.file);
      let err: unknown;
      try {
        openBackend({ file: t.file }).close();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe('LOCKED');
      expect((err as ApiError).message).toContain(`进程号 ${child.pid}`);
      expect((err as ApiError).message).toMatch(/同一账本同时只能由一个程序写入/);
      // The CLI is refused too, with the same message and exit code 1.
      let cliOut = '';
      let cliCode = 0;
      try {
        execFileSync(process.execPath, ['bin/canteen.js', '--db', t.file, 'backup', '--out', path.join(t.dir, 'x.sqlite')], { encoding: 'utf8' });
      } catch (e) {
        cliOut = (e as { stdout: string }).stdout;
        cliCode = (e as { status: number }).status;
      }
      expect(cliCode).toBe(1);
      expect(cliOut).toContain('LOCKED');
      // Reading (verify) is still allowed while the app holds the ledger.
      const v = execFileSync(process.execPath, ['bin/canteen.js', '--db', t.file, 'verify'], { encoding: 'utf8' });
      expect(v).toContain('"ok": true');

      child.kill('SIGKILL');
      await exited(child);
      expect(fs.existsSync(lockFileFor(t.file))).toBe(true); // left behind by the crash
      const b = openBackend({ file: t.file }); // stale: taken over
      const info = JSON.parse(fs.readFileSync(lockFileFor(t.file), 'utf8')) as { pid: number };
      expect(info.pid).toBe(process.pid);
      b.close();
      expect(fs.existsSync(lockFileFor(t.file))).toBe(false);
    } finally {
      t.cleanup();
    }
  }, 180_000);
});

describe('bad files offered for restore are refused, the current data untouched', () => {
  let b: TestBackend;
  let good: string;
  let work: string;
  beforeAll(async () => {
    b = await ledgerWithHistory();
    good = (await createBackup(b.db, backupsDir(b.dir), 'manual', new Date())).file;
    work = fs.mkdtempSync(path.join(b.dir, 'bad-'));
  }, 120_000);
  afterAll(() => b?.cleanup());

  const variants: [string, (f: string) => void, RegExp][] = [
    ['not SQLite at all', (f) => fs.writeFileSync(f, '姓名,金额\n张三,100\n'.repeat(200)), /不是 SQLite/],
    ['an empty file', (f) => fs.writeFileSync(f, ''), /不是 SQLite/],
    ['truncated', (f) => {
      const buf = fs.readFileSync(good);
      fs.writeFileSync(f, buf.subarray(0, Math.floor(buf.length / 2) + 100));
    }, /截断|损坏/],
    ['truncated at a page boundary', (f) => {
      const buf = fs.readFileSync(good);
      fs.writeFileSync(f, buf.subarray(0, 4096 * 3));
    }, /截断/],
    ['a newer version', (f) => {
      fs.copyFileSync(good, f);
      const db = new Database(f);
      db.pragma(`user_version = ${LATEST_VERSION + 1}`);
      db.close();
    }, /更新版本/],
    ['damaged pages', (f) => {
      const buf = Buffer.from(fs.readFileSync(good));
      for (let i = 4096 * 2; i < buf.length - 4096; i += 4096 * 3) buf.fill(0xa5, i + 8, i + 200);
      fs.writeFileSync(f, buf);
    }, /损坏|无法/],
    ['edited behind the app (a supplier row changed)', (f) => {
      fs.copyFileSync(good, f);
      const db = new Database(f);
      db.prepare(`UPDATE suppliers SET phone = '13700000000'`).run();
      db.close();
    }, /被改动/],
    ['another SQLite database, not a ledger', (f) => {
      const db = new Database(f);
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
      db.pragma('user_version = 1');
      db.close();
    }, /不是本软件的账本备份/],
    ['a folder', (f) => fs.mkdirSync(f), /不是文件/],
    ['a missing file', () => {}, /找不到/],
    ['a device that never ends', () => {}, /不是文件/],
  ];

  for (const [what, make, message] of variants) {
    it(`refuses ${what}`, async () => {
      const f = what === 'a device that never ends' ? '/dev/zero' : path.join(work, `${what.replace(/\W+/g, '-')}.sqlite`);
      make(f);
      const before = tableDigest(b);
      const backupsBefore = listBackups(backupsDir(b.dir)).length;
      let err: unknown;
      try {
        await restoreLedger(b.ctx, f);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).message).toMatch(message);
      expect((err as ApiError).message).toMatch(CJK);
      expect(() => previewBackup(f, b.file)).toThrow(message);
      expect(tableDigest(b)).toBe(before);
      expect(b.db.open).toBe(true);
      expect(listBackups(backupsDir(b.dir)).length).toBe(backupsBefore); // refused before any pre-restore backup
      expect(fs.readdirSync(path.dirname(b.file)).filter((n) => n.startsWith('.restore-'))).toEqual([]);
    });
  }

  it('the CLI restore refuses a bad file with exit code 1 and leaves the ledger as it was', async () => {
    const f = path.join(work, 'cli-bad.sqlite');
    fs.writeFileSync(f, 'not a ledger');
    const before = tableDigest(b);
    b.close(); // the CLI must be the only writer
    let code = 0;
    let out = '';
    try {
      execFileSync(process.execPath, ['bin/canteen.js', '--db', b.file, 'restore', '--from', f], { encoding: 'utf8' });
    } catch (e) {
      code = (e as { status: number }).status;
      out = (e as { stdout: string }).stdout;
    }
    expect(code).toBe(1);
    expect(out).toMatch(/不是 SQLite/);
    const again = openBackend({ file: b.file });
    expect(tableDigest(again)).toBe(before);
    again.close();
    b = Object.assign(openBackend({ file: b.file }), { cleanup: b.cleanup }) as TestBackend;
  }, 180_000);
});
