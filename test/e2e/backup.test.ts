import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PASSWORD, setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 备份与校验 end to end in Chromium against the real core on a real ledger file (its folder is the data folder, so
 * backups go to <tmp>/backups). The admin backs up, backs up again into a second folder typed in (a USB stick's
 * path), adds a supplier, restores the first backup through the preview dialog, lands on the login page, logs in
 * and finds the supplier gone; 校验账本 says 正常. The accountant may back up but sees no restore, and the backend
 * refuses a restore from them in Chinese. The clock is ours: 2026-09-15 10:00 China time, moved on by hand.
 */
let clock = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
let b: TestBackend;
let app: App;
let usb: string;

const backupsDir = () => path.join(b.dir, 'backups');
const rows = () => app.page.getByTestId('backup-list').locator('tbody tr.ant-table-row');

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  usb = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-usb-'));
  await b.loginAs('admin');
  app = await openApp({ backend: b, name: 'backup', path: '/maintenance/backup' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  b?.cleanup();
  if (usb) fs.rmSync(usb, { recursive: true, force: true });
});

describe('备份与校验', { timeout: 60_000 }, () => {
  test('立即备份 lists the new backup with China time, Chinese reason and size', async () => {
    const page = app.page;
    await page.getByTestId('backups').waitFor();
    expect(fs.existsSync(backupsDir()) ? fs.readdirSync(backupsDir()) : []).toEqual([]);
    await page.getByTestId('backup-now').click();
    await expect.poll(() => rows().count()).toBe(1);
    const files = fs.readdirSync(backupsDir());
    // 2026-09-15 02:00:00.000 UTC is 10:00:00.000 in China.
    expect(files).toEqual(['canteen-20260915-100000-000-manual.sqlite']);
    const size = fs.statSync(path.join(backupsDir(), files[0])).size;
    const text = await rows().first().innerText();
    expect(text).toContain('2026-09-15 10:00:00');
    expect(text).toContain('手动备份');
    expect(text).toContain(`${(size / 1024).toFixed(1)} KB`);
    expect(text).toContain(files[0]);
    await app.screenshot('list');
  });

  test('备份到… a folder typed in writes the backup there; a missing folder is refused in Chinese', async () => {
    const page = app.page;
    clock = new Date(Date.UTC(2026, 8, 15, 2, 5, 0));
    await page.getByTestId('backup-folder').fill(path.join(usb, 'no-such-stick'));
    await page.getByTestId('backup-to').click();
    await expect.poll(() => page.locator('.ant-notification').innerText()).toContain('找不到文件夹');
    expect(fs.readdirSync(usb)).toEqual([]);
    await page.getByTestId('backup-folder').fill(usb);
    await page.getByTestId('backup-to').click();
    await expect.poll(() => fs.readdirSync(usb)).toEqual(['canteen-20260915-100500-000-manual.sqlite']);
    // The list shows the backups folder only: still the one backup.
    expect(await rows().count()).toBe(1);
  });

  test('restore: preview in a dialog, confirm, back to the login page, the later supplier is gone', async () => {
    const page = app.page;
    clock = new Date(Date.UTC(2026, 8, 15, 3, 0, 0));
    await b.call('suppliers.create', {
      name: '城东粮油商行',
      creditCode: '92440300L12345678R',
      address: '城东路 8 号',
      contactPerson: '赵老板',
      phone: '13800000000',
      licences: [{ kind: 'business', number: '92440300L12345678R', expiresOn: null }],
    });
    expect((await b.call('suppliers.search', { q: '城东', includeDisabled: true })).map((s) => s.name)).toEqual(['城东粮油商行']);

    // The USB copy, typed in: preview, then cancel — nothing changes.
    await page.getByTestId('restore-file').fill(path.join(usb, 'canteen-20260915-100500-000-manual.sqlite'));
    await page.getByTestId('restore-file-preview').click();
    await page.getByTestId('restore-preview').waitFor();
    expect(await page.getByTestId('restore-preview').innerText()).toContain('阳光实验小学');
    await page.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => page.getByTestId('restore-preview').count()).toBe(0);
    expect(await b.call('suppliers.search', { q: '城东', includeDisabled: true })).toHaveLength(1);

    await page.getByTestId('restore-canteen-20260915-100000-000-manual.sqlite').click();
    const preview = page.getByTestId('restore-preview');
    await preview.waitFor();
    const text = await preview.innerText();
    expect(text).toContain('阳光实验小学');
    // setupBackend: the admin and six others; no supplier yet when the backup was taken.
    expect(text).toContain('用户 7，供应商 0');
    expect(text).toMatch(/数据版本\s*\d+/);
    expect(text).toMatch(/最后操作时间\s*2026-09-15 \d\d:\d\d:\d\d/);
    expect(await page.getByTestId('restore-warning').innerText()).toContain('所有人都要重新登录');
    await app.screenshot('preview');
    await page.getByTestId('restore-confirm').click();

    await page.getByRole('button', { name: '登录' }).waitFor();
    await app.screenshot('after-restore');
    // The pre-restore backup was taken first, into the backups folder.
    expect(fs.readdirSync(backupsDir()).sort()).toEqual(['canteen-20260915-100000-000-manual.sqlite', 'canteen-20260915-110000-000-prerestore.sqlite']);
    // Logged out in the backend too.
    expect((await b.reject('suppliers.search', { q: '城东' })).code).toBe('UNAUTHENTICATED');

    // Log in on the page; the supplier added after the backup is gone.
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    // Back on the main window (at 首页); open 设置 › 备份与校验 again from the side menu (its groups start open).
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '备份与校验', exact: true }).click();
    await page.getByTestId('backups').waitFor();
    expect(await b.call('suppliers.search', { q: '城东', includeDisabled: true })).toEqual([]);
    const restore = b.db.prepare(`SELECT action, entity FROM audit_log WHERE action = 'restore'`).all();
    expect(restore).toEqual([{ action: 'restore', entity: 'ledger' }]);
    expect(app.errors).toEqual([]);
  });

  test('校验账本 shows 正常 after the restore', async () => {
    const page = app.page;
    clock = new Date(Date.UTC(2026, 8, 15, 3, 10, 0));
    await page.getByTestId('verify-run').click();
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    const text = await result.innerText();
    expect(text).toContain('正常');
    expect(text).toContain('校验通过');
    expect(text).toContain('未逐行核对');
    const report = await b.call('integrity.verify', {});
    // Each table verify leaves uncovered is named on the page (in Chinese where the audit log has a name for it).
    for (const t of report.uncoveredTables) expect(text).toContain(t);
    expect((await b.call('integrity.verify', {})).ok).toBe(true);
    await app.screenshot('verify');
  });

  test('校验账本 with a 校验码 from a notice: one this ledger does not carry is named; none given says so (issue 20 item 6)', async () => {
    const page = app.page;
    await page.getByTestId('verify-run').click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toContain('（无：只能证明账本自身前后一致，不能证明没有被整体改写；请填入公示表上的校验码再校验）');
    await page.getByTestId('verify-anchors').fill('校验码：AB12CD34EF560789');
    await page.getByTestId('verify-run').click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toContain('公示校验码 ab12cd34ef560789 不属于本账本的任何已月结月份（账本可能被改写或截断）');
    expect(await page.getByTestId('verify-anchor-list').innerText()).toContain('不符');
    // Fewer digits than a notice prints: refused on the page, nothing sent.
    await page.getByTestId('verify-anchors').fill('ab12cd34');
    await page.getByTestId('verify-run').click();
    await expect.poll(() => page.locator('.ant-notification').innerText()).toContain('“ab12cd34”不是公示校验码');
    await page.getByTestId('verify-anchors').fill('');
    expect(app.errors).toEqual([]);
  });

  test('the accountant may back up and verify but sees no restore; the backend refuses it in Chinese', async () => {
    const page = app.page;
    await b.loginAs('accountant');
    await page.reload();
    await page.getByTestId('backups').waitFor();
    await expect.poll(() => rows().count()).toBe(2);
    expect(await page.locator('[data-testid^="restore-canteen-"]').count()).toBe(0);
    expect(await page.getByTestId('restore-file').count()).toBe(0);
    expect(await page.getByTestId('restore-admin-only').innerText()).toContain('只能由系统管理员');
    await app.screenshot('accountant');
    const err = await b.reject('backup.restore', { file: path.join(backupsDir(), 'canteen-20260915-100000-000-manual.sqlite') });
    expect(err.code).toBe('FORBIDDEN');
    expect(err.message).toBe('您的角色无权进行此操作');
    expect(app.errors).toEqual([]);
  });

  test('the reviewer (校长) sees only 校验账本: backup.list is not theirs', async () => {
    const page = app.page;
    await b.loginAs('reviewer');
    await page.reload();
    await page.getByTestId('verify').waitFor();
    expect(await page.getByTestId('backups').count()).toBe(0);
    await page.getByTestId('verify-run').click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toContain('正常');
    expect(app.errors).toEqual([]);
  });
});
