import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.ts';
import { LATEST_VERSION } from '../../electron/core/db/open.ts';
import { restoreLedger } from '../../electron/core/integrity/backup-restore.ts';
import { PASSWORD, setupBackend, tempLedger } from '../helpers/backend.ts';
import { writeSchema25Ledger } from '../helpers/old-ledger.ts';

/**
 * Issue 19, progress on long work: restoring a backup of an older version migrates it inside the restore — the backup
 * of the old version, then each step of the ladder. The restore says so on its own scale of ten, never going back:
 * the copy and check of the file, 升级前备份 (the old version, page by page), 先备份当前账本, the swap, then each
 * ladder step in the upgrade's words, ending at 10/10. The backup is a real schema-25 file (test/helpers/old-ledger.ts:
 * 300 weeks of menus, which step 0026 copies out and back).
 */
const cleanups: (() => void)[] = [];
afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

const WEEKS = 300;

function schema25Backup(): string {
  const t = tempLedger('old-v25.sqlite');
  cleanups.push(t.cleanup);
  writeSchema25Ledger(t.file, WEEKS);
  return t.file;
}

// The ladder from 25: four steps, in these words (the upgrade's own, db/upgrade.ts migrationStep).
const LADDER = ['第 1/4 步 0026_menu_amendments', '第 2/4 步 0027_signing_key', '第 3/4 步 0028_light_samples', '第 4/4 步 0029_survey_kiosk'];

describe('restoring a backup of an older version reports its migration', { timeout: 120_000 }, () => {
  it('the copy, the old version’s backup, the current ledger’s backup, the swap, each ladder step, 10/10; the ledger is new with the backup’s data', async () => {
    const b = await setupBackend();
    cleanups.push(() => b.cleanup());
    const old = schema25Backup();
    const seen: { step: string; done: number; total: number }[] = [];
    await restoreLedger(b.ctx, old, (step, done, total) => seen.push({ step, done, total }));

    expect(seen.every((s) => s.total === 10)).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i].done, `${seen[i - 1].step} → ${seen[i].step}`).toBeGreaterThanOrEqual(seen[i - 1].done);
    expect(seen[0]).toEqual({ step: '复制并检查备份文件', done: 0, total: 10 });
    expect(seen.at(-1)).toEqual({ step: '完成', done: 10, total: 10 });

    // The phases in order, each once, each within its part of the scale.
    const phase = (s: string) => (s.startsWith('第 ') ? '迁移' : s.replace(/：.*/, ''));
    const phases = seen.map((s) => phase(s.step)).filter((p, i, all) => i === 0 || all[i - 1] !== p);
    expect(phases).toEqual(['复制并检查备份文件', '升级前备份', '先备份当前账本', '换入备份中的数据并重新打开', '迁移', '完成']);
    const within = (p: string, lo: number, hi: number) => {
      const ds = seen.filter((s) => phase(s.step) === p).map((s) => s.done);
      expect(Math.min(...ds), p).toBeGreaterThanOrEqual(lo);
      expect(Math.max(...ds), p).toBeLessThanOrEqual(hi);
    };
    within('升级前备份', 2, 5);
    within('先备份当前账本', 5, 8);
    within('迁移', 8, 10);
    // The old version's backup: its pages copied, then its check.
    expect(seen.some((s) => s.step === '升级前备份：复制账本数据')).toBe(true);
    expect(seen.some((s) => s.step === '升级前备份：检查备份文件')).toBe(true);
    expect(seen.find((s) => s.step === '换入备份中的数据并重新打开')).toEqual({ step: '换入备份中的数据并重新打开', done: 8, total: 10 });

    // The ladder: its four steps in order, the copy of menus with its rows, each step's end, the last at 10.
    const ladder = seen.filter((s) => phase(s.step) === '迁移');
    expect([...new Set(ladder.map((s) => s.step.replace(/：.*/, '')))]).toEqual(LADDER);
    expect(ladder[0].step.startsWith('第 1/4 步 0026_menu_amendments：')).toBe(true);
    expect(ladder[0].done).toBe(8);
    expect(ladder.map((s) => s.step)).toContain('第 1/4 步 0026_menu_amendments：写入数据表 menus（读取 menus_0026）（300 行）');
    expect(ladder.filter((s) => s.step.endsWith('：完成')).map((s) => s.step)).toEqual(LADDER.map((l) => `${l}：完成`));
    expect(ladder.at(-1)).toEqual({ step: '第 4/4 步 0029_survey_kiosk：完成', done: 10, total: 10 });

    // The ledger is the backup's, at the newest version, the restore recorded; everyone logged out.
    expect(LATEST_VERSION).toBe(29);
    expect(b.db.pragma('user_version', { simple: true })).toBe(29);
    expect(b.db.prepare('SELECT count(*) AS n FROM menus').get()).toEqual({ n: 300 });
    expect(b.db.prepare(`SELECT display_name FROM users`).all()).toEqual([{ display_name: '张保管' }]);
    expect((b.db.prepare('SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { action: string }).action).toBe('restore');
    expect(b.ctx.session).toBeNull();
    // The backup of the old version as it was (named for the fixed clock, 10:00 China time), and the one of the ledger
    // before the restore.
    const backups = fs.readdirSync(path.join(b.dir, 'backups')).sort();
    expect(backups).toEqual(['canteen-20260915-100000-000-premigrate-v25-v29.sqlite', 'canteen-20260915-100000-000-prerestore.sqlite']);
    const pre = new Database(path.join(b.dir, 'backups', backups[0]), { readonly: true });
    expect(pre.pragma('user_version', { simple: true })).toBe(25);
    expect(pre.prepare('SELECT count(*) AS n FROM menus').get()).toEqual({ n: 300 });
    pre.close();
    // Nothing left beside the ledger but the ledger itself (its WAL files) and the backups folder.
    expect(fs.readdirSync(b.dir).filter((f) => !f.startsWith('ledger.sqlite') && f !== 'backups' && !f.endsWith('.lock'))).toEqual([]);
  });
});

function io(tty: boolean) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: 200 } : {});
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  return { io: { stdin, stdout, stderr, env: { CANTEEN_PASSWORD: PASSWORD } }, out: () => out, err: () => err };
}

describe('canteen restore of an older backup', { timeout: 120_000 }, () => {
  it('on a terminal, paints the old version’s backup and each ladder step; through a pipe, nothing', async () => {
    for (const tty of [false, true]) {
      const b = await setupBackend();
      const { file, dir } = b;
      b.close();
      cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
      const old = schema25Backup();
      const x = io(tty);
      const code = await main(['--db', file, 'restore', '--from', old], x.io);
      expect(code, x.err()).toBe(0);
      expect(JSON.parse(x.out())).toMatchObject({ ledger: file, restoredFrom: old, preview: { schemaVersion: 25 } });
      const db = new Database(file, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(29);
      expect(db.prepare('SELECT count(*) AS n FROM menus').get()).toEqual({ n: 300 });
      db.close();
      if (!tty) {
        expect(x.err()).toBe('');
        continue;
      }
      const err = x.err();
      expect(err.startsWith('\r\x1b[K从备份恢复：复制并检查备份文件 0%')).toBe(true);
      expect(err).toContain('\r\x1b[K从备份恢复：升级前备份：复制账本数据 2');
      expect(err).toContain('\r\x1b[K从备份恢复：先备份当前账本 5');
      expect(err).toContain('\r\x1b[K从备份恢复：换入备份中的数据并重新打开 80%');
      // Every ladder step is painted, in order, the first at 80%.
      const at = LADDER.map((l) => err.indexOf(`\r\x1b[K从备份恢复：${l}：`));
      expect(at.every((i) => i > 0)).toBe(true);
      expect([...at].sort((p, q) => p - q)).toEqual(at);
      expect(err).toContain('\r\x1b[K从备份恢复：第 1/4 步 0026_menu_amendments：写入数据表 menus（读取 menus_0026）（300 行）');
      expect(err).toContain('\r\x1b[K从备份恢复：第 4/4 步 0029_survey_kiosk：完成 100%');
      expect(err.endsWith('\r\x1b[K')).toBe(true);
      expect(err).not.toContain('\n');
    }
  });
});
