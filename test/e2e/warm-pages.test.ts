import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * The door form's scripts are there before they are asked for (issue 15: the form usable soon after 验收入库 is
 * clicked). A storekeeper's window, opened on the home page, loads the 验收入库 page's script in idle time without
 * anyone opening it; 验收入库 → 新建验收单 then fetches no script at all and the form takes typing (b finds 白菜). A cashier, who may
 * look at the list but enters no deliveries, does not load it.
 */
const POLL = { timeout: 30_000, interval: 100 };
let b: TestBackend;
let app: App;

beforeAll(async () => {
  b = await setupBackend();
  await b.call('ingredients.create', { name: '白菜', category: 'vegetable', unit: 'kg', refPriceFen: 240, requiredCerts: [] });
  await b.loginAs('storekeeper');
  app = await openApp({ backend: b, name: 'warm-pages' });
  app.page.setDefaultTimeout(30_000);
}, 240_000);

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

/** The scripts the page has loaded so far (file names), as the browser recorded them. */
const scripts = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js'))
      .map((e) => e.name.split('/').pop()!),
  );

describe('the daily page loaded ahead (issue 15)', () => {
  test("the storekeeper's home loads the 验收入库 script unasked; opening the door form then fetches none", { timeout: 120_000 }, async () => {
    const { page } = app;
    await page.getByTestId('home-section-storekeeper').waitFor();
    await expect.poll(async () => (await scripts(page)).filter((s) => s.startsWith('ReceivingPage-')).length, POLL).toBe(1);
    expect(['', '#/']).toContain(await page.evaluate(() => window.location.hash));
    const before = await scripts(page);
    await page.getByTestId('side-menu').getByRole('menuitem', { name: '验收入库', exact: true }).click();
    await page.getByTestId('delivery-new').click();
    await page.getByTestId('line-0-item').click();
    await page.keyboard.press('b');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '白菜' }).first().waitFor();
    expect((await scripts(page)).filter((s) => !before.includes(s))).toEqual([]);
    expect(app.errors).toEqual([]);
  });

  test('a cashier’s home does not load it', { timeout: 120_000 }, async () => {
    const { page } = app;
    await b.loginAs('cashier');
    await page.evaluate(() => (window.location.hash = '#/'));
    await page.reload();
    await page.getByTestId('home-section-cashier').waitFor();
    // the storekeeper's page would have come within an idle period of the home (3 s at the latest): wait past that
    await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 5000 })));
    await page.waitForTimeout(4000);
    expect((await scripts(page)).filter((s) => s.startsWith('ReceivingPage-'))).toEqual([]);
    expect(await page.getByTestId('side-menu').getByRole('menuitem', { name: '验收入库', exact: true }).isVisible()).toBe(true);
    expect(app.errors).toEqual([]);
  });
});
