import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { openCentreBackend, type CentreBackend } from '../../electron/core/centre/backend.ts';
import { StartSwitch } from '../../electron/shell/start-kind.ts';
import { tempLedger } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * The first run's question (issue 18) in Chromium: the page talks to the shell's StartSwitch over a fresh ledger, as
 * in the app; choosing 镇教育管理中心 makes centre.duckdb in the data folder and the page goes on to the centre's
 * setup, which makes the first centre admin.
 */
let t: ReturnType<typeof tempLedger>;
let school: Backend;
let centre: CentreBackend | null = null;
let app: App;

beforeAll(async () => {
  t = tempLedger();
  school = openBackend({ file: t.file });
  const target = new StartSwitch({ kind: 'school', target: school }, async () => {
    centre = await openCentreBackend({ file: path.join(t.dir, 'centre.duckdb'), create: true });
    school.close();
    return centre;
  });
  app = await openApp({ backend: target, name: 'start-choice' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  centre?.close();
  t?.cleanup();
});

describe('first run', () => {
  test('asks what this computer is for; the centre is chosen and set up', async () => {
    const page = app.page;
    await page.getByTestId('choose-centre').waitFor();
    expect(await page.getByTestId('choose-school').innerText()).toContain('学校食堂账本');
    await app.screenshot('ask');
    await page.getByTestId('choose-centre').click();
    await page.getByTestId('centre-setup-name').fill('城关镇教育管理中心');
    await page.getByTestId('centre-setup-username').fill('wang');
    await page.getByTestId('centre-setup-admin').fill('王主任');
    await page.getByTestId('centre-setup-password').fill('Centre-2026');
    await page.getByRole('button', { name: '建立' }).click();
    await page.getByRole('menuitem', { name: '报送情况' }).waitFor();
    expect(await page.getByText('中心管理员').first().isVisible()).toBe(true);
    expect(fs.existsSync(path.join(t.dir, 'centre.duckdb'))).toBe(true);
    const status = await centre!.invoke('centre.status', {});
    expect(status).toMatchObject({ ok: true, value: { initialized: true, centreName: '城关镇教育管理中心' } });
    expect(app.errors).toEqual([]);
  });
});
