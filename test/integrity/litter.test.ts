import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/soffice.ts';
import { lockFileFor } from '../../electron/core/integrity/writer-lock.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { septemberSchool, type SeptSchool } from '../core/monthclose-fixture.ts';

/**
 * Issue 20 item 8: what killed runs leave behind — hidden .partial backups, .restore-*.sqlite staging copies,
 * attachment .tmp files, half-written workbooks, lock scratch, LibreOffice's temp folders and orphaned soffice
 * processes — is cleaned at the next start, and the converter dies with its parent. Files of a run still going are kept.
 */

/** A pid that ran and is gone (a child that has exited and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

const HOUR_AGO = new Date(Date.now() - 60 * 60 * 1000);
const TWO_DAYS_AGO = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
/** Before this test process started: a file of this pid from an earlier run that had the same pid. */
const BEFORE_THIS_RUN = new Date(performance.timeOrigin - 60_000);

function put(file: string, at: Date, content = 'x'): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.utimesSync(file, at, at);
  return file;
}

describe('the next start removes what killed runs left, and keeps what live runs are using', () => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await setupBackend();
    b.close();
  });
  afterAll(() => b?.cleanup());

  it('partial backups, restore copies, attachment and workbook temp files, lock scratch and temp folders of dead runs go', () => {
    const dir = b.dir;
    const dead = deadPid();
    const live = process.ppid; // the test runner's main process: alive and not us
    const me = process.pid;
    const sha = 'ab'.repeat(32);
    const ms = Date.now() - 3_600_000;
    const gone = [
      put(path.join(dir, 'backups', `.canteen-20260915-100000-000-daily.sqlite.${dead}.${ms}.partial`), HOUR_AGO),
      put(path.join(dir, 'backups', `.canteen-20260915-100000-000-daily.sqlite.${dead}.${ms}.partial-wal`), HOUR_AGO),
      put(path.join(dir, `.restore-${dead}-${ms}.sqlite`), HOUR_AGO),
      put(path.join(dir, `.restore-${dead}-${ms}.sqlite-journal`), HOUR_AGO),
      put(path.join(dir, 'attachments', `${sha}.jpg.${dead}.tmp`), HOUR_AGO),
      put(path.join(dir, 'exports', `阳光实验小学_2026年9月_伙食费公示.xlsx.part-${dead}`), HOUR_AGO),
      put(`${lockFileFor(b.file)}.${dead}.new`, HOUR_AGO),
      put(`${lockFileFor(b.file)}.stale-${dead}-${ms}`, HOUR_AGO),
      // Our own pid on a file older than this run: an earlier run had the same pid.
      put(path.join(dir, `.restore-${me}-${ms}.sqlite`), BEFORE_THIS_RUN),
      // A live pid on a restore copy two days old: no restore takes that long (a reused pid).
      put(path.join(dir, `.restore-${live}-${ms}.sqlite`), TWO_DAYS_AGO),
    ];
    const deadRun = path.join(dir, 'tmp', `run-${dead}-${ms}`);
    put(path.join(deadRun, 'soffice-AbC123', 'user', 'registrymodifications.xcu'), HOUR_AGO);
    put(path.join(deadRun, 'summary-XyZ789', '阳光实验小学_2026年9月_伙食费收支公示表.xlsx'), HOUR_AGO);
    const kept = [
      put(path.join(dir, 'backups', `.canteen-20260915-100000-000-daily.sqlite.${live}.${Date.now()}.partial`), new Date()),
      put(path.join(dir, `.restore-${live}-${Date.now()}.sqlite`), HOUR_AGO),
      put(path.join(dir, 'attachments', `${sha}.png.${me}.tmp`), new Date()),
      put(path.join(dir, 'exports', `别的文件.xlsx.part-${live}`), HOUR_AGO),
      // Not ours by name: never touched, however old.
      put(path.join(dir, 'backups', 'notes.partial'), TWO_DAYS_AGO),
      put(path.join(dir, 'attachments', `${sha}.jpg`), TWO_DAYS_AGO),
      put(path.join(dir, 'tmp', 'readme.txt'), TWO_DAYS_AGO),
    ];
    const liveRun = path.join(dir, 'tmp', `run-${live}-${ms}`);
    put(path.join(liveRun, 'soffice-QwE456', 'x'), HOUR_AGO);

    const app = openBackend({ file: b.file });
    app.close();
    expect(gone.filter((f) => fs.existsSync(f))).toEqual([]);
    expect(fs.existsSync(deadRun)).toBe(false);
    expect(kept.filter((f) => !fs.existsSync(f))).toEqual([]);
    expect(fs.existsSync(path.join(liveRun, 'soffice-QwE456', 'x'))).toBe(true);
  });

  it('a lock never appears empty: a writer killed while creating it leaves only its scratch, and the next writer opens at once', () => {
    // Killed after writing the scratch, before linking it in: no lock file, the scratch goes at the next start.
    const scratch = put(`${lockFileFor(b.file)}.${deadPid()}.new`, new Date(), '');
    const started = Date.now();
    const app = openBackend({ file: b.file });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(fs.existsSync(scratch)).toBe(false);
    // The lock it holds was complete the moment it appeared.
    expect(JSON.parse(fs.readFileSync(lockFileFor(b.file), 'utf8'))).toMatchObject({ pid: process.pid, holder: 'cli' });
    app.close();
    expect(fs.existsSync(lockFileFor(b.file))).toBe(false);
  });
});

/**
 * A converter that hangs (a font, a dialog, a damaged profile): a stand-in for soffice that starts a helper and waits,
 * like soffice → oosplash → soffice.bin. Real LibreOffice usually finishes within seconds on its own, which would hide
 * an orphan; this one never does.
 */
function hangingSoffice(dir: string): string {
  const file = path.join(dir, 'soffice-hangs.sh');
  fs.writeFileSync(file, '#!/bin/sh\nsh -c "sleep 300" "hung-soffice.bin $*" &\nwait\n', { mode: 0o755 });
  return file;
}

/** The pids of converter processes (oosplash, soffice.bin, or the stand-in) whose profile is under `dir`. */
function converters(dir: string): number[] {
  const r = spawnSync('pgrep', ['-f', `UserInstallation=file://${dir}`], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

async function gone(dir: string, ms: number): Promise<number[]> {
  let left = converters(dir);
  for (let i = 0; i < ms / 100 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = converters(dir);
  }
  return left;
}

describe.skipIf(process.platform === 'win32')('a hung converter dies with its parent and on its timeout', () => {
  let s: SeptSchool;
  beforeAll(async () => {
    s = await septemberSchool();
    const b = s.w.b;
    await b.loginAs('accountant');
    await b.call('monthclose.submit', { month: '2026-09' });
    await b.loginAs('reviewer');
    await b.call('monthclose.approve', { month: '2026-09' });
    b.close();
  }, 300_000);
  afterAll(() => s?.w.b.cleanup());

  it('SIGKILL of the exporting process: the hung converter and its helper are gone within seconds', async () => {
    const b = s.w.b;
    const dir = path.dirname(b.file);
    const child = spawn(process.execPath, ['test/integrity/children/exporter.ts', b.file, '2026-09', path.join(dir, 'out')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CANTEEN_SOFFICE: hangingSoffice(dir) },
    });
    let said = '';
    child.stdout.on('data', (d) => (said += d));
    child.stderr.on('data', (d) => (said += d));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let seen: number[] = [];
    for (let i = 0; i < 300 && seen.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = converters(dir);
    }
    expect(seen.length, `the converter did not start: ${said}`).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    expect(await gone(dir, 5_000), 'converter processes outlived their killed parent').toEqual([]);
    const app = openBackend({ file: b.file });
    app.close();
    expect(fs.readdirSync(path.join(dir, 'tmp')).filter((n) => n.startsWith(`run-${child.pid}-`))).toEqual([]);
  }, 120_000);

  it('a conversion past its time limit is stopped whole, with a message, and leaves no process', async () => {
    const dir = path.dirname(s.w.b.file);
    const before = process.env.CANTEEN_SOFFICE;
    process.env.CANTEEN_SOFFICE = hangingSoffice(dir);
    try {
      const input = put(path.join(dir, 'in.csv'), new Date(), 'a,b\n1,2\n');
      await expect(convertWithSoffice(input, 'pdf', path.join(dir, 'pdf'), { timeoutMs: 1_500, dataDir: dir })).rejects.toMatchObject({
        code: 'INTERNAL',
        message: 'LibreOffice 转换失败：超过 2 秒仍未完成，已停止',
      });
    } finally {
      if (before === undefined) delete process.env.CANTEEN_SOFFICE;
      else process.env.CANTEEN_SOFFICE = before;
    }
    expect(await gone(dir, 3_000)).toEqual([]);
  }, 60_000);
});

const soffice = findSoffice();
if (!soffice) console.warn('litter.test: LibreOffice (soffice) is not installed here, so the killed-export cases are skipped');

describe.skipIf(!soffice)('with the real LibreOffice, a killed export leaves none of it behind (skipped without LibreOffice)', () => {
  let s: SeptSchool;
  beforeAll(async () => {
    s = await septemberSchool();
    const b = s.w.b;
    await b.loginAs('accountant');
    await b.call('monthclose.submit', { month: '2026-09' });
    await b.loginAs('reviewer');
    await b.call('monthclose.approve', { month: '2026-09' });
    b.close();
  }, 300_000);
  afterAll(() => s?.w.b.cleanup());

  it('SIGKILL of the exporting process mid-conversion: its converter is gone within seconds, its temp folder at the next start', async () => {
    const b = s.w.b;
    const dir = path.dirname(b.file);
    const child = spawn(process.execPath, ['test/integrity/children/exporter.ts', b.file, '2026-09', path.join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    child.stdout.on('data', (d) => (said += d));
    child.stderr.on('data', (d) => (said += d));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    // Wait for LibreOffice to be running for this ledger, then kill the exporter (not its converter).
    let seen: number[] = [];
    for (let i = 0; i < 300 && seen.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      seen = converters(dir);
    }
    expect(seen.length, `no soffice started for the export: ${said}`).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    const runDirs = fs.readdirSync(path.join(dir, 'tmp')).filter((n) => n.startsWith(`run-${child.pid}-`));
    expect(runDirs).toHaveLength(1);
    expect(await gone(dir, 5_000), 'soffice processes outlived their killed parent').toEqual([]);
    // The next start removes the killed run's temp folder (LibreOffice's profile, the PDF's scratch workbook).
    const app = openBackend({ file: b.file });
    app.close();
    expect(fs.readdirSync(path.join(dir, 'tmp')).filter((n) => n.startsWith(`run-${child.pid}-`))).toEqual([]);
  }, 120_000);

  it('an export that finishes leaves neither a converter nor a temp folder', async () => {
    const b = s.w.b;
    const dir = path.dirname(b.file);
    const child = spawnSync(process.execPath, ['test/integrity/children/exporter.ts', b.file, '2026-09', path.join(dir, 'out2')], { encoding: 'utf8', timeout: 200_000 });
    const last = JSON.parse(child.stdout.trim().split('\n').pop()!) as { ok: boolean; value?: { pdfPath: string | null; pdfError: string | null } };
    expect(last.ok).toBe(true);
    expect(last.value!.pdfError).toBeNull();
    expect(fs.existsSync(last.value!.pdfPath!)).toBe(true);
    expect(converters(dir)).toEqual([]);
    const run = fs.readdirSync(path.join(dir, 'tmp')).filter((n) => n.startsWith(`run-${child.pid}-`));
    // The run folder itself may stay until the next start; nothing is left in it.
    for (const r of run) expect(fs.readdirSync(path.join(dir, 'tmp', r))).toEqual([]);
  }, 240_000);
});
