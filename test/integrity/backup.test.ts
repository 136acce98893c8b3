import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { previewBackup, restoreLedger } from '../../electron/core/integrity/backup-restore.ts';
import {
  backupFileName,
  backupsDir,
  createBackup,
  listBackups,
  nextDailyBackupAt,
  parseBackupName,
  pruneBackups,
  retainedNames,
  scheduleDailyBackups,
  startupBackup,
  type BackupFile,
} from '../../electron/core/integrity/backup.ts';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { LATEST_VERSION } from '../../electron/core/db/open.ts';
import { setupBackend, tempLedger, type TestBackend } from '../helpers/backend.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

async function ledgerWithData(): Promise<TestBackend> {
  const b = await setupBackend();
  cleanups.push(() => b.cleanup());
  await b.loginAs('admin');
  await b.call('suppliers.create', {
    name: '城南粮油',
    creditCode: '91110000100000000X'.slice(0, 17) + checkChar('91110000100000000'),
    address: '城南路 1 号',
    contactPerson: '王经理',
    phone: '13800000000',
  });
  await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg' });
  return b;
}

/** GB 32100 check character, computed here so the fixture's code is valid. */
function checkChar(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(first17[i]) * w[i];
  return chars[(31 - (sum % 31)) % 31];
}

function countsOf(file: string): { users: number; suppliers: number; ingredients: number } {
  const db = new Database(file, { readonly: true });
  try {
    const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { users: n('users'), suppliers: n('suppliers'), ingredients: n('ingredients') };
  } finally {
    db.close();
  }
}

describe('backup files', () => {
  it('names sort by time and say why; China time in the name', () => {
    const at = new Date(Date.UTC(2026, 8, 15, 2, 3, 4, 5)); // 10:03:04.005 in China
    expect(backupFileName('start', at)).toBe('canteen-20260915-100304-005-start.sqlite');
    expect(backupFileName('premigrate', at, 'v1-v2')).toBe('canteen-20260915-100304-005-premigrate-v1-v2.sqlite');
    const p = parseBackupName('canteen-20260915-100304-005-premigrate-v1-v2.sqlite')!;
    expect(p.at.toISOString()).toBe('2026-09-15T02:03:04.005Z');
    expect(p.reason).toBe('premigrate');
    expect(p.detail).toBe('v1-v2');
    expect(parseBackupName('notes.txt')).toBeNull();
    const names = [new Date(Date.UTC(2026, 0, 2)), new Date(Date.UTC(2025, 11, 31, 23)), new Date(Date.UTC(2026, 0, 1, 12))].map((d) => backupFileName('daily', d));
    expect([...names].sort()).toEqual([names[1], names[2], names[0]]);
  });

  it('a backup is one self-contained file: opens alone (no -wal), integrity ok, same rows', async () => {
    const b = await ledgerWithData();
    const out = fs.mkdtempSync(path.join(path.dirname(b.file), 'usb-'));
    const f = await createBackup(b.db, out, 'manual', new Date());
    expect(fs.existsSync(`${f.file}-wal`)).toBe(false);
    // Copy the lone file elsewhere: it must still open and hold everything.
    const alone = path.join(out, 'copy', 'alone.sqlite');
    fs.mkdirSync(path.dirname(alone));
    fs.copyFileSync(f.file, alone);
    const db = new Database(alone, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    db.close();
    expect(countsOf(alone)).toEqual({ users: 7, suppliers: 1, ingredients: 1 });
    expect(fs.readdirSync(out).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('the start backup lands in <dataDir>/backups and is listed', async () => {
    const b = await ledgerWithData();
    const f = (await startupBackup(b.db, b.ctx.dataDir, new Date(Date.UTC(2026, 8, 15, 2))))!;
    expect(f.reason).toBe('start');
    expect(path.dirname(f.file)).toBe(backupsDir(b.dir));
    expect(listBackups(backupsDir(b.dir)).map((x) => x.name)).toEqual([f.name]);
  });

  it('a migration is preceded by a backup of the old version', async () => {
    const t = tempLedger();
    cleanups.push(t.cleanup);
    const old = new Database(t.file);
    old.exec(MIGRATIONS[0].sql);
    old.pragma('user_version = 1');
    old.prepare(`INSERT INTO installation (id, created_at) VALUES ('0190a000-0000-7000-8000-000000000000', '2026-01-01T00:00:00.000Z')`).run();
    old.close();
    const b = openBackend({ file: t.file });
    b.close();
    const list = listBackups(backupsDir(t.dir));
    if (LATEST_VERSION === 1) return; // nothing to migrate yet
    expect(list.map((f) => f.reason)).toEqual(['premigrate']);
    expect(list[0].detail).toBe(`v1-v${LATEST_VERSION}`);
    const db = new Database(list[0].file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    db.close();
  });
});

describe('retention', () => {
  const at = (iso: string) => new Date(iso);
  const file = (iso: string, reason: BackupFile['reason'] = 'daily'): BackupFile => {
    const name = backupFileName(reason, at(iso));
    return { file: name, name, at: at(iso).toISOString(), reason, detail: '', sizeBytes: 1 };
  };

  it('keeps the newest per day for 14 days, the newest per month for 12 months, and every manual one', () => {
    const now = at('2026-09-15T04:00:00Z'); // 12:00 China, 15 Sept
    const files = [
      file('2026-09-15T01:00:00Z', 'start'), // 15th 09:00: newest of today → kept
      file('2026-09-14T23:00:00Z', 'start'), // 15th 07:00 China: same day, older → removed
      file('2026-09-02T02:00:00Z'), // 2 Sept: day 14 of the window (15-13=2) → kept
      file('2026-09-01T02:00:00Z'), // 1 Sept: outside the 14 days; oldest of September but not newest → removed
      file('2026-08-31T10:00:00Z'), // 31 Aug 18:00: newest of August → kept (month)
      file('2026-08-20T10:00:00Z'), // removed
      file('2025-10-05T10:00:00Z'), // October 2025: 12th month back (Sept 2026 − 11 = Oct 2025) → kept
      file('2025-09-30T10:00:00Z'), // September 2025: 13th month → removed
      file('2024-01-01T10:00:00Z', 'manual'), // manual → kept
      file('2024-01-01T11:00:00Z', 'premigrate'), // pre-migration → kept
    ];
    const kept = retainedNames(files, now);
    expect(files.map((f) => kept.has(f.name))).toEqual([true, false, true, false, true, false, true, false, true, true]);
  });

  it('pruneBackups deletes only what retention drops', () => {
    const t = tempLedger();
    cleanups.push(t.cleanup);
    const dir = backupsDir(t.dir);
    fs.mkdirSync(dir);
    const names = ['2026-09-15T01:00:00Z', '2026-09-14T23:00:00Z', '2026-08-01T00:00:00Z'].map((iso) => backupFileName('daily', at(iso)));
    for (const n of names) fs.writeFileSync(path.join(dir, n), 'x');
    fs.writeFileSync(path.join(dir, 'readme.txt'), 'not ours');
    const removed = pruneBackups(dir, at('2026-09-15T04:00:00Z'));
    expect(removed).toEqual([names[1]]);
    expect(fs.readdirSync(dir).sort()).toEqual([names[2], names[0], 'readme.txt'].sort());
  });
});

describe('daily backup scheduling (injected clock and timers)', () => {
  it('nextDailyBackupAt: due at once when none today, else 00:01 China time next day', () => {
    const now = new Date('2026-09-15T04:00:00Z'); // 12:00 China
    expect(nextDailyBackupAt(now, null)).toEqual(now);
    expect(nextDailyBackupAt(now, new Date('2026-09-14T15:59:00Z'))).toEqual(now); // 23:59 on the 14th, China
    expect(nextDailyBackupAt(now, new Date('2026-09-14T16:00:00Z')).toISOString()).toBe('2026-09-15T16:01:00.000Z');
  });

  it('runs once per China day while running, re-checking at most hourly', async () => {
    let clock = new Date('2026-09-15T04:00:00Z').getTime();
    const timers: { at: number; fn: () => void; id: number }[] = [];
    let nextId = 1;
    const fake = {
      setTimeout: (fn: () => void, ms: number) => {
        const id = nextId++;
        timers.push({ at: clock + ms, fn, id });
        return id;
      },
      clearTimeout: (h: unknown) => {
        const i = timers.findIndex((t) => t.id === h);
        if (i >= 0) timers.splice(i, 1);
      },
    };
    let last: Date | null = new Date('2026-09-15T01:00:00Z'); // a start backup this morning
    const runs: string[] = [];
    const s = scheduleDailyBackups({
      now: () => new Date(clock),
      lastBackupAt: () => last,
      run: async () => {
        runs.push(new Date(clock).toISOString());
        last = new Date(clock);
      },
      timers: fake,
    });
    const advanceTo = async (iso: string) => {
      const target = new Date(iso).getTime();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > target) break;
        timers.shift();
        clock = t.at;
        t.fn();
        await new Promise((r) => setImmediate(r));
      }
      clock = target;
    };
    expect(s.nextAt()!.toISOString()).toBe('2026-09-15T16:01:00.000Z');
    expect(timers[0].at - clock).toBe(3_600_000); // waits at most an hour before looking again
    await advanceTo('2026-09-15T15:59:00Z'); // 23:59 China: today already has its backup
    expect(runs).toEqual([]);
    // The hourly look at 16:00Z is already midnight in China: a new day without a backup, so it runs then.
    await advanceTo('2026-09-16T03:00:00Z');
    expect(runs).toEqual(['2026-09-15T16:00:00.000Z']);
    // Each later night the same: the first look after China midnight (the hourly grid here falls on it) runs it,
    // once a day, never twice.
    await advanceTo('2026-09-18T03:00:00Z');
    expect(runs).toEqual(['2026-09-15T16:00:00.000Z', '2026-09-16T16:00:00.000Z', '2026-09-17T16:00:00.000Z']);
    s.stop();
    expect(timers).toEqual([]);
    await advanceTo('2026-09-20T03:00:00Z');
    expect(runs.length).toBe(3);
  });
});

describe('restore', () => {
  it('preview tells what a backup holds; restore backs the current state up first and brings the backup back', async () => {
    const b = await ledgerWithData();
    const backup = await createBackup(b.db, backupsDir(b.dir), 'manual', new Date());
    await b.call('ingredients.create', { name: '白菜', category: 'vegetable', unit: 'kg' });
    expect(countsOf(b.file).ingredients).toBe(2);

    const p = previewBackup(backup.file, b.file);
    expect(p.schoolName).toBe('阳光实验小学');
    expect(p.schemaVersion).toBe(LATEST_VERSION);
    expect(p.counts.users).toBe(7);
    expect(p.counts.suppliers).toBe(1);
    expect(p.lastAuditAt).toMatch(/^2026-09-15T/);

    const r = await restoreLedger(b.ctx, backup.file);
    expect(r.preRestore.reason).toBe('prerestore');
    expect(countsOf(r.preRestore.file).ingredients).toBe(2); // the state just before the restore is kept
    expect(countsOf(b.file).ingredients).toBe(1);
    expect(b.ctx.session).toBeNull(); // everyone logs in again
    await b.loginAs('admin');
    const list = await b.call('ingredients.search', { q: '' });
    expect(list.map((i) => i.name)).toEqual(['大米']);
    const audit = b.db.prepare(`SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2`).all() as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(['login', 'restore']);
  });
});

describe('retention from the profile', () => {
  it('the default profile keeps 14 days and 12 months; a school may keep more or fewer', async () => {
    const { DEFAULT_PROFILE, profileSchema } = await import('../../shared/profile.ts');
    const { retentionOf, DEFAULT_RETENTION } = await import('../../electron/core/integrity/backup.ts');
    expect(retentionOf(DEFAULT_PROFILE)).toEqual({ daily: 14, monthly: 12 });
    expect(retentionOf(null)).toEqual(DEFAULT_RETENTION);
    // A profile stored before these settings existed reads with the defaults.
    const { backupKeepDays: _d, backupKeepMonths: _m, ...old } = DEFAULT_PROFILE;
    expect(retentionOf(profileSchema.parse(old))).toEqual({ daily: 14, monthly: 12 });
    expect(retentionOf({ ...DEFAULT_PROFILE, backupKeepDays: 30, backupKeepMonths: 24 })).toEqual({ daily: 30, monthly: 24 });
    expect(profileSchema.safeParse({ ...DEFAULT_PROFILE, backupKeepDays: 0 }).success).toBe(false);
  });
});
