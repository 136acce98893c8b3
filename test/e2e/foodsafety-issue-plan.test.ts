import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { draft, line, postNew, setupWorld, type World } from '../core/receiving-fixtures.ts';
import { openApp, type App } from './harness.ts';

/**
 * 出库 from the approved 带量食谱 in Chromium (issue 17), Monday 2026-10-12 08:00 China time. 50 kg of 大米 was received on
 * the 9th; the week's approved menu plans lunch 米饭 (大米 100 g per 6~8岁 pupil) and 炒白菜 (白菜 120 g, not stored). On the
 * 出库 tab the storekeeper presses 按带量食谱, types 213 diners of 6~8岁 and gets 大米 21.3 kg (100 g × 213) as a line with
 * its lot, and the note that 白菜 is 直进直出; confirming issues 21.3 kg.
 */
let w: World;
let app: App;

beforeAll(async () => {
  w = await setupWorld(); // 2026-09-15, storekeeper
  w.setNow('2026-10-09T02:00:00Z');
  await postNew(w, draft(w, [line(w.rice, { receivedMilli: 50_000, unitPriceFen: 500, expiryDate: '2027-06-30' })], { date: '2026-10-09', noteNumber: 'SH-1009' }));
  const menu = await w.b.call('menus.save', {
    id: null,
    weekStart: '2026-10-12',
    lines: [
      { day: '2026-10-12', meal: 'lunch', dish: '米饭', ingredientId: w.rice, ageGroup: '6-8', qtyMg: 100_000 },
      { day: '2026-10-12', meal: 'lunch', dish: '炒白菜', ingredientId: w.cabbage, ageGroup: '6-8', qtyMg: 120_000 },
    ],
  });
  await w.b.call('menus.submit', { id: menu.id });
  await w.b.loginAs('parent');
  await w.b.call('menus.review', { id: menu.id, decision: 'approved' });
  await w.b.loginAs('storekeeper');
  const now = new Date('2026-10-12T00:00:00Z');
  w.setNow(now.toISOString());
  app = await openApp({ backend: w.b, name: 'foodsafety-issue-plan', path: '/storeroom' });
  await app.page.clock.setFixedTime(now);
  await app.page.reload();
}, 120_000);

afterAll(async () => {
  await app?.close();
  w?.b.cleanup();
});

describe('出库 from the approved menu in Chromium', () => {
  test('213 pupils of 6~8岁: 大米 21.3 kg proposed and issued; 白菜 named as 直进直出', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: '出库' }).click();
    await page.getByTestId('issue-item').waitFor();
    await page.getByTestId('issue-meal').getByText('午餐').click();
    await page.getByTestId('issue-from-menu').click();
    await page.locator('input[data-testid="diners-6-8"], [data-testid="diners-6-8"] input').first().fill('213');
    await page.getByRole('button', { name: '生成出库明细' }).click();
    await page.getByText('已按带量食谱（2026-10-12 第 1 版，就餐 213 人）加入 1 行').waitFor();
    const row = page.getByTestId('issue-lines').locator('tbody tr.ant-table-row');
    expect(await row.count()).toBe(1);
    expect(await row.first().textContent()).toContain('大米21.3 kg');
    expect(await page.getByTestId('issue-plan-notes').textContent()).toBe('白菜：直进直出，不从库房出库');
    await app.screenshot('issue-from-menu');
    await page.getByTestId('issue-confirm').click();
    await page.getByText(/^已出库 CK2026-\d{4}：午餐 1 个批次/).waitFor();
    const [issue] = await w.b.call('storeroom.issues', { from: '2026-10-12', to: '2026-10-12' });
    expect([issue.meal, issue.lines.map((l) => [l.ingredientName, l.qtyMilli])]).toEqual(['lunch', [['大米', 21_300]]]);
    expect(app.errors).toEqual([]);
  });
});
