import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { startHealthCheck } from '../../electron/core/integrity/health-check.ts';
import { buildLedger } from '../../scripts/bench/build-ledger.ts';
import { loginAs } from '../../scripts/bench/bench-session.ts';
import { restoreTriggers, tamperableCopy } from '../integrity/tamper-kit.ts';
import { openApp, type App } from './harness.ts';

/**
 * The daily quick verify's finding in the window (issue 19): a ledger whose newest audit entries were changed after the
 * newest month-close seal; the file check after start finds the file sound, the quick verify (jobs worker) finds the
 * change. The home page lists it, 备份与校验 shows it as a red notice, 关于 names the last quick verify's result.
 * Real core, a real ledger file (the benchmark's generator, small), Chromium.
 */
const driver = createRequire(import.meta.url).resolve('better-sqlite3');
let tmp: string;
let b: Backend;
let app: App;
let last = 0;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-quick-health-'));
  const built = path.join(tmp, 'built.sqlite');
  await buildLedger(built, { years: 1, students: 20, linesPerMonth: 10, mealStudents: 5, ingredients: 12, close: true });
  const dir = path.join(tmp, 'data');
  fs.mkdirSync(dir);
  const file = path.join(dir, 'ledger.sqlite');
  const db = tamperableCopy(built, file);
  last = (db.prepare('SELECT max(seq) AS s FROM audit_log').get() as { s: number }).s;
  db.prepare(`UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%fZ', at, '-60 seconds') WHERE seq >= ?`).run(last - 1);
  restoreTriggers(db);
  db.close();
  b = openBackend({ file });
  loginAs(b, 'admin');
  const h = await startHealthCheck(b.ctx, { file, driver });
  expect(h.quick?.status).toBe('failed');
  app = await openApp({ backend: b, name: 'quick-verify-failed', path: '/' });
}, 240_000);

afterAll(async () => {
  await app?.close();
  b?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the quick verify after start, in the window', () => {
  test('home: the attention list says so and links to 备份与校验', async () => {
    const { page } = app;
    const list = page.getByTestId('attention-list');
    await list.waitFor();
    const item = list.locator('.ant-list-item').filter({ hasText: '每日快速校验发现账本数据与审计记录不符' });
    await item.waitFor();
    expect(await item.innerText()).toContain(`启动后的快速校验发现：审计记录第 ${last - 1} 条内容被改动。`);
    expect(await item.getByTestId('home-link').getAttribute('data-link')).toBe('/maintenance/backup');
    await app.screenshot('home');
  });

  test('备份与校验 shows the red notice with the time and what was found; 关于 names the result', async () => {
    const { page } = app;
    await page.evaluate(() => (window.location.hash = '#/maintenance/backup'));
    const notice = page.getByTestId('quick-verify-failed');
    await notice.waitFor();
    const text = await notice.innerText();
    expect(text).toContain('每日快速校验发现账本数据与审计记录不符');
    expect(text).toMatch(/启动后的快速校验（\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?，用时 \d+\.\d 秒）发现 \d+ 处问题/);
    expect(text).toContain(`审计记录第 ${last - 1} 条内容被改动`);
    await app.screenshot('backup');
    await page.evaluate(() => (window.location.hash = '#/about'));
    await page.getByTestId('about').waitFor();
    const about = page.getByTestId('quick-verify-failed');
    await about.waitFor();
    expect(await about.innerText()).toMatch(new RegExp(`^未通过（.+，用时 \\d+\\.\\d 秒）：审计记录第 ${last - 1} 条内容被改动$`));
    expect(app.errors).toEqual([]);
  });
});
