import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 修订 of an approved 带量食谱 in Chromium (issue 17), at Saturday 2026-10-10 10:00 China time. The week of Monday 10-12
 * was planned and approved through the API (米饭 大米 100 g, 炒白菜 白菜 120 g for 6~8岁). The storekeeper opens the week,
 * presses 修订, types the reason and gets 第 2 版 as a draft — the reason shown with the approved 第 1 版 still in force —,
 * changes 炒白菜's 120 g to 150 g and submits; the parent committee member approves it, and the week's revisions read
 * 第 1 版 已被修订本取代 and 第 2 版 已审定.
 */
const NOW = new Date('2026-10-10T02:00:00Z');
let b: TestBackend;
let app: App;
let v1 = '';

beforeAll(async () => {
  b = await setupBackend({ now: () => NOW });
  const rice = await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg', refPriceFen: 600, requiredCerts: [], storable: true });
  const cabbage = await b.call('ingredients.create', { name: '白菜', category: 'vegetable', unit: 'kg', refPriceFen: 250, requiredCerts: [], storable: false });
  await b.loginAs('storekeeper');
  const lines = [
    { day: '2026-10-12', meal: 'lunch' as const, dish: '米饭', ingredientId: rice.id, ageGroup: '6-8', qtyMg: 100_000 },
    { day: '2026-10-12', meal: 'lunch' as const, dish: '炒白菜', ingredientId: cabbage.id, ageGroup: '6-8', qtyMg: 120_000 },
  ];
  v1 = (await b.call('menus.save', { id: null, weekStart: '2026-10-12', lines })).id;
  await b.call('menus.submit', { id: v1 });
  await b.loginAs('parent');
  await b.call('menus.review', { id: v1, decision: 'approved' });
  await b.loginAs('storekeeper');
  app = await openApp({ backend: b, name: 'foodsafety-menu-amend', path: '/foodsafety/menus?week=2026-10-12' });
  await app.page.clock.setFixedTime(NOW);
  await app.page.reload();
  await app.page.getByTestId('amend-menu').waitFor();
});

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

describe('修订 of an approved 带量食谱 in Chromium', () => {
  test('the storekeeper amends the approved menu with a reason and submits 第 2 版', async () => {
    const { page } = app;
    expect(await page.getByTestId('menu-status').textContent()).toBe('已审定');
    await page.getByTestId('amend-menu').click();
    await page.getByTestId('amend-reason').fill('白菜份量偏少，改为 150 克');
    await page.getByRole('button', { name: '生成修订草稿' }).click();
    await page.getByText('已生成第 2 版修订草稿：修改后提交审定，审定前第 1 版继续有效').waitFor();
    await expect.poll(() => page.getByTestId('menu-status').textContent()).toBe('草稿');
    expect(await page.getByTestId('menu-amendment').textContent()).toBe('第 2 版：张保管 2026-10-10 10:00 修订，原因：白菜份量偏少，改为 150 克；审定通过前，第 1 版继续有效');
    expect(await page.getByTestId('menu-revisions').getByRole('button').allTextContents()).toEqual(['第 1 版 已审定', '第 2 版 草稿']);
    // The approved lines came over; 炒白菜 is the second.
    expect(await page.getByTestId('line-dish-1').inputValue()).toBe('炒白菜');
    await page.getByTestId('line-grams-1').fill('150');
    await page.getByTestId('submit-menu').click();
    await page.getByText('已提交，等待家委会审定').waitFor();
    const [v2] = await b.call('menus.list', { from: '2026-10-12', to: '2026-10-18' });
    expect([v2.revision, v2.status]).toEqual([2, 'submitted']);
    expect((await b.call('menus.get', { id: v2.id })).lines.map((l) => [l.dish, l.qtyMg])).toEqual([['米饭', 100_000], ['炒白菜', 150_000]]);
    expect((await b.call('menus.get', { id: v1 })).status).toBe('approved');
    await app.screenshot('amend-submitted');
    expect(app.errors).toEqual([]);
  });

  test('the parent approves 第 2 版; 第 1 版 is superseded', async () => {
    const { page } = app;
    await b.loginAs('parent');
    await page.reload();
    await page.getByTestId('approve-menu').click();
    await page.getByText('已审定通过，可打印公示').waitFor();
    await expect.poll(() => page.getByTestId('menu-revisions').getByRole('button').allTextContents()).toEqual(['第 1 版 已被修订本取代', '第 2 版 已审定']);
    // The parent reads 第 1 版 as it was approved.
    await page.getByTestId('menu-revisions').getByRole('button', { name: '第 1 版 已被修订本取代' }).click();
    await expect.poll(() => page.getByTestId('menu-status').textContent()).toBe('已被修订本取代');
    await page.getByTestId('menu-lines').getByRole('row').filter({ hasText: '炒白菜' }).filter({ hasText: '120' }).waitFor();
    expect(await page.getByTestId('amend-menu').count()).toBe(0);
    expect((await b.call('menus.get', { id: v1 })).status).toBe('superseded');
    await app.screenshot('amend-approved');
    expect(app.errors).toEqual([]);
  });
});
