import Database from 'better-sqlite3';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { startHealthCheck } from '../../electron/core/integrity/health-check.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * The backup page in the Electron shape: window.canteen.pickPath present (here a Playwright binding standing in for
 * the shell's native dialog, answering what the person "chose"), so the page offers buttons that open the dialog and
 * no typed path. And a ledger with damaged pages, found by the file check after start: the home page, the 备份与校验
 * page and 关于 all say to restore from a backup. Real core, real ledger files, Chromium.
 */
const driver = createRequire(import.meta.url).resolve('better-sqlite3');
let tmp: string;
let usb: string;
let b: Backend;
let app: App;
let healthy: TestBackend;
let picker: App;
const picks: string[] = [];
let answer: string | null = null;

function actAsAdmin(be: Backend): void {
  const admin = be.db.prepare(`SELECT id, display_name FROM users WHERE username = 'admin'`).get() as { id: string; display_name: string };
  be.ctx.setSession({ userId: admin.id, username: 'admin', displayName: admin.display_name, roles: ['admin'] });
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-picker-'));
  usb = path.join(tmp, 'usb');
  fs.mkdirSync(usb);
  // A set-up ledger, bulked up by a table whose pages fill the file's second half; then bytes overwritten inside every
  // third of those pages (as lock-and-bad-files.test.ts damages a backup). It still opens: opening runs no quick_check.
  const s = await setupBackend();
  s.db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, pad TEXT NOT NULL)');
  const ins = s.db.prepare('INSERT INTO filler (pad) VALUES (?)');
  s.db.transaction(() => {
    for (let i = 0; i < 2000; i++) ins.run(`第${i}行`.padEnd(1000, '填'));
  })();
  s.close();
  const dir = path.join(tmp, 'data');
  fs.mkdirSync(dir);
  const file = path.join(dir, 'ledger.sqlite');
  const buf = Buffer.from(fs.readFileSync(s.file));
  s.cleanup();
  for (let i = Math.floor(buf.length / 2 / 4096) * 4096; i < buf.length - 4096; i += 4096 * 3) buf.fill(0xa5, i + 8, i + 200);
  fs.writeFileSync(file, buf);
  b = openBackend({ file, now: () => new Date(Date.UTC(2026, 8, 15, 2, 0, 0)) });
  actAsAdmin(b);
  expect((await startHealthCheck(b.ctx, { file, driver })).status).toBe('damaged');

  app = await openApp({ backend: b, name: 'backup-damaged', path: '/' });

  // A healthy ledger (a damaged one cannot be backed up: the backup's own check refuses it) for the picker.
  healthy = await setupBackend({ now: () => new Date(Date.UTC(2026, 8, 15, 2, 0, 0)) });
  picker = await openApp({ backend: healthy, name: 'backup-picker', path: '/maintenance/backup' });
  // What the preload gives in Electron: pickPath(kind) → ApiResult of the chosen path (null: cancelled).
  await picker.page.exposeBinding('__canteenPick', async (_s, kind: string) => (picks.push(kind), { ok: true, value: answer }));
  await picker.page.addInitScript(() => {
    const w = window as unknown as { __canteenPick: (k: string) => Promise<unknown>; canteen: Record<string, unknown> };
    w.canteen.pickPath = (kind: string) => w.__canteenPick(kind);
  });
  await picker.page.reload();
  await picker.page.locator('#root > *').first().waitFor();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await picker?.close();
  b?.close();
  healthy?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('file damage and the native picker on the backup page', { timeout: 60_000 }, () => {
  test('the home page puts the damage first and sends the person to 备份与校验', async () => {
    const page = app.page;
    const list = page.getByTestId('attention-list');
    await list.waitFor();
    const first = list.locator('.ant-list-item').first();
    expect(await first.innerText()).toContain('账本文件已损坏，请从备份恢复');
    await app.screenshot('home-damaged');
    await first.getByRole('button', { name: '去处理' }).click();
    await page.getByTestId('health-damaged').waitFor();
    expect(await page.getByTestId('health-damaged').innerText()).toContain('选择损坏之前的备份恢复');
    await app.screenshot('backup-damaged');
  });

  test('backup to a folder chosen in the dialog; no typed path where the shell offers the dialog; cancel does nothing', async () => {
    const page = picker.page;
    await page.getByTestId('backups').waitFor();
    expect(await page.getByTestId('backup-folder').count()).toBe(0);
    expect(await page.getByTestId('restore-file').count()).toBe(0);
    answer = null;
    await page.getByTestId('backup-pick-folder').click();
    await expect.poll(() => picks.length).toBe(1);
    expect(picks).toEqual(['backupFolder']);
    expect(fs.readdirSync(usb)).toEqual([]);
    answer = usb;
    await page.getByTestId('backup-pick-folder').click();
    await expect.poll(() => fs.readdirSync(usb)).toEqual(['canteen-20260915-100000-000-manual.sqlite']);
    expect(picks).toEqual(['backupFolder', 'backupFolder']);
  });

  test('restore from a file chosen in the dialog opens its preview', async () => {
    const page = picker.page;
    const onStick = path.join(usb, 'canteen-20260915-100000-000-manual.sqlite');
    expect(new Database(onStick, { readonly: true }).pragma('quick_check', { simple: true })).toBe('ok');
    answer = onStick;
    await page.getByTestId('restore-pick-file').click();
    await page.getByTestId('restore-preview').waitFor();
    expect(picks[picks.length - 1]).toBe('backupFile');
    expect(await page.getByTestId('restore-preview').innerText()).toContain(onStick);
    expect(await page.getByTestId('restore-preview').innerText()).toContain('阳光实验小学');
    await picker.screenshot('restore-preview');
    await page.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => page.getByTestId('restore-preview').count()).toBe(0);
  });

  test('关于 shows the file check result too', async () => {
    const page = app.page;
    await page.evaluate(() => (window.location.hash = '#/about'));
    await page.getByTestId('about').waitFor();
    expect(await page.getByTestId('about').innerText()).toContain('发现损坏');
    await page.getByTestId('health-damaged').waitFor();
    expect(app.errors).toEqual([]);
    expect(picker.errors).toEqual([]);
  });
});
