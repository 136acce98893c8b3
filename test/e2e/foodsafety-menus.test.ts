import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 带量食谱 end to end in Chromium (issue 17), at Thursday 2026-10-15 12:00 China time: the 食堂管理员 opens the week of
 * Monday 2026-10-12, types Monday's lunch — 米饭 with 大米 100 g and 炒白菜 with 白菜 120 g per pupil of 6~8岁 — and
 * submits it; the parent committee member (周家长) opens the same week, sees it 待审定, approves it, and prints the A4
 * notice. The ledger holds what was typed (thousandths of a gram) and who approved it.
 */
const NOW = new Date('2026-10-15T04:00:00Z');
let b: TestBackend;
let app: App;

beforeAll(async () => {
  b = await setupBackend({ now: () => NOW });
  await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg', refPriceFen: 600, requiredCerts: [], storable: true });
  await b.call('ingredients.create', { name: '白菜', category: 'vegetable', unit: 'kg', refPriceFen: 250, requiredCerts: [], storable: false });
  await b.loginAs('storekeeper');
  app = await openApp({ backend: b, name: 'foodsafety-menus', path: '/foodsafety/menus' });
  await app.page.clock.setFixedTime(NOW);
  await app.page.reload();
  await app.page.getByTestId('line-dish-0').waitFor();
});

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

describe('带量食谱 in Chromium', () => {
  test('the storekeeper types Monday’s lunch and submits the week', async () => {
    const { page } = app;
    expect(await page.getByTestId('menu-week').textContent()).toBe('2026-10-12 至 2026-10-18');
    expect(await page.getByTestId('menu-status').textContent()).toBe('未编制');
    const line = async (i: number, dish: string, typed: string, item: string, grams: string) => {
      await page.getByTestId(`line-dish-${i}`).click();
      await page.keyboard.type(dish);
      await page.keyboard.press('Enter');
      await page.keyboard.type(typed);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: item }).waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId(`line-grams-${i}`).click();
      await page.keyboard.type(grams);
    };
    await line(0, '米饭', 'dm', '大米', '100');
    await page.getByTestId('add-line').click();
    await line(1, '炒白菜', 'bc', '白菜', '120');
    await page.getByTestId('submit-menu').click();
    await page.getByText('已提交，等待家委会审定').waitFor();
    await expect.poll(() => page.getByTestId('menu-status').textContent()).toBe('待审定');
    const [m] = await b.call('menus.list', { from: '2026-10-12', to: '2026-10-18' });
    const v = await b.call('menus.get', { id: m.id });
    expect(v.status).toBe('submitted');
    expect(v.submittedByName).toBe('张保管');
    expect(v.lines.map((l) => [l.day, l.meal, l.dish, l.ingredientName, l.ageGroup, l.qtyMg])).toEqual([
      ['2026-10-12', 'lunch', '米饭', '大米', '6-8', 100_000],
      ['2026-10-12', 'lunch', '炒白菜', '白菜', '6-8', 120_000],
    ]);
    await app.screenshot('menu-submitted');
  });

  test('a parent committee member approves it, and the A4 notice prints', async () => {
    const { page } = app;
    await b.loginAs('parent');
    await page.reload();
    await page.getByTestId('approve-menu').waitFor();
    // The parent reads the menu; nothing of it can be edited.
    expect(await page.getByTestId('line-dish-0').count()).toBe(0);
    await page.getByTestId('review-remark').fill('荤素搭配合理');
    await page.getByTestId('approve-menu').click();
    await page.getByText('已审定通过，可打印公示').waitFor();
    await expect.poll(() => page.getByTestId('menu-status').textContent()).toBe('已审定');
    const [m] = await b.call('menus.list', { from: '2026-10-12', to: '2026-10-18' });
    const v = await b.call('menus.get', { id: m.id });
    expect(v).toMatchObject({ status: 'approved', approvedByName: '周家长' });
    expect(v.reviews.map((r) => [r.decision, r.remark, r.reviewedByName])).toEqual([['approved', '荤素搭配合理', '周家长']]);
    await page.getByTestId('print-menu').click();
    const notice = page.getByTestId('menu-notice');
    await notice.getByText('带量食谱公示').waitFor();
    await notice.getByRole('row').filter({ hasText: '米饭' }).filter({ hasText: '大米' }).filter({ hasText: '100' }).waitFor();
    await notice.getByRole('row').filter({ hasText: '炒白菜' }).filter({ hasText: '120' }).waitFor();
    await app.screenshot('menu-notice');
    expect(app.errors).toEqual([]);
  });
});
