import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 食材 in pages the core cuts (issue 15: the page stopped at 500 of 5,067 items and said nothing of the rest). 45 items
 * 食材01…食材45, one category, no use yet: the list reads 共 45 条 and holds 20, 20 and 5 rows, the last page 食材41…食材45
 * (the names differ only in their number, so the order is the number's).
 */
const NOW = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
const until = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const two = (n: number) => String(n).padStart(2, '0');

let b: TestBackend;
let ui: App;
beforeAll(async () => {
  b = await setupBackend({ now: () => NOW });
  await b.loginAs('admin');
  for (let n = 1; n <= 45; n++) await b.call('ingredients.create', { name: `食材${two(n)}`, category: 'vegetable', unit: '千克', spec: `${n}斤/袋` });
  ui = await openApp({ backend: b, name: 'masterdata', path: '/masterdata/ingredients' });
}, 90_000);
afterAll(async () => {
  await ui?.close();
  b?.cleanup();
});

describe('食材 page by page', { timeout: 90_000 }, () => {
  test('shows 共 45 条 and reaches the last page of 5; a search counts what it finds', async () => {
    const { page } = ui;
    const table = page.getByTestId('ingredient-table');
    const rows = table.locator('tbody tr.ant-table-row');
    // The pager under the table (antd puts it beside the element that carries the test id).
    const total = page.locator('.ant-pagination-total-text');
    const names = async () => (await rows.locator('td:first-child').allTextContents()).map((t) => t.trim());
    await until(() => rows.count()).toBe(20);
    await until(() => total.textContent()).toBe('共 45 条');
    expect((await names())[0]).toBe('食材01');
    await page.locator('.ant-pagination-item[title="3"]').click();
    await until(names).toEqual(['食材41', '食材42', '食材43', '食材44', '食材45']);
    expect(await total.textContent()).toBe('共 45 条');
    await ui.screenshot('ingredients-last-page');

    // A new search starts again from the first page: 食材4 is in 食材40…食材45.
    await page.getByTestId('ingredient-search').locator('input').fill('食材4');
    await until(() => total.textContent()).toBe('共 6 条');
    await until(names).toEqual(['食材40', '食材41', '食材42', '食材43', '食材44', '食材45']);
    expect(ui.errors).toEqual([]);
  });

  test('the item picker shows spec and 参考价 in full, though its box is 240 px', async () => {
    await b.call('ingredients.create', { name: '东北珍珠米', category: 'grain', unit: '千克', spec: '25千克/袋 五常产区 一级', refPriceFen: 1_234, storable: true });
    const { page } = ui;
    await page.evaluate(() => (window.location.hash = '#/receiving'));
    await page.getByRole('tab', { name: '价格历史' }).click();
    await page.getByTestId('price-item').click();
    await page.keyboard.type('dbzzm');
    const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '东北珍珠米' });
    await until(() => option.count()).toBe(1);
    expect(await option.textContent()).toContain('25千克/袋 五常产区 一级 · 参考价 12.34');
    // Not cut off: the option's content fits the list (with the list as wide as the box it overflowed, 200 px).
    const fits = await option.locator('.ant-select-item-option-content').evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(fits).toBe(true);
    await ui.screenshot('ingredient-picker-wide');
    await page.keyboard.press('Escape');
    expect(ui.errors).toEqual([]);
  });
});
