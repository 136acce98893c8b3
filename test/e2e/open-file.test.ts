import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 打开文件 / 打开所在文件夹 after a backup (issue 15), in Chromium. The harness's bridge has only `invoke` (no shell): the
 * backup's file is named and no button shows. With openPath / showInFolder added to the bridge (as the Electron preload
 * has them), the buttons show and hand the shell exactly the file the backup wrote. The shell's own path check is
 * tested with the electron module injected (test/shell/open-path.test.ts).
 */
const NOW = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
let b: TestBackend;
let app: App;

beforeAll(async () => {
  b = await setupBackend({ now: () => NOW });
  await b.loginAs('admin');
  app = await openApp({ backend: b, name: 'open-file', path: '/maintenance/backup' });
  await app.page.getByTestId('backups').waitFor();
}, 120_000);

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

describe('opening what was just written', { timeout: 60_000 }, () => {
  test('without a shell the backup is named and the open buttons are hidden', async () => {
    const { page } = app;
    expect(await page.evaluate(() => Object.keys(window.canteen))).toEqual(['invoke']);
    await page.getByTestId('backup-now').click();
    await page.getByTestId('backup-made').waitFor();
    const file = path.join(b.dir, 'backups', 'canteen-20260915-100000-000-manual.sqlite');
    expect(await page.getByTestId('backup-made').innerText()).toContain(file);
    expect(await page.getByRole('button', { name: '打开文件' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '打开所在文件夹' }).count()).toBe(0);
    expect(await page.getByTestId('backup-made-file').count()).toBe(0);
  });

  test('with the shell’s functions on the bridge the buttons show and ask for exactly that file', async () => {
    const { page } = app;
    await page.evaluate(() => {
      const w = window as unknown as { canteen: Record<string, unknown>; __asked: [string, string][] };
      w.__asked = [];
      w.canteen.openPath = async (p: string) => (w.__asked.push(['open', p]), { ok: true, value: null });
      w.canteen.showInFolder = async (p: string) => (w.__asked.push(['folder', p]), { ok: true, value: null });
    });
    NOW.setUTCSeconds(5);
    await page.getByTestId('backup-now').click();
    const file = path.join(b.dir, 'backups', 'canteen-20260915-100005-000-manual.sqlite');
    await expect.poll(() => page.getByTestId('backup-made').innerText()).toContain(file);
    await page.getByTestId('backup-made-file-open').click();
    await page.getByTestId('backup-made-file-folder').click();
    expect(await page.evaluate(() => (window as unknown as { __asked: unknown }).__asked)).toEqual([
      ['open', file],
      ['folder', file],
    ]);
    expect(app.errors).toEqual([]);
  });
});
