import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { profileFor } from '../../electron/core/ledger/profile.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 设置 → 食品安全：带量食谱与满意度 (issue 17): the targets of an age group are typed by the admin from WS/T 554-2017 (none
 * shipped); 1400 kcal and 35 g of protein for 6~8岁 and a variety of 12 a day saved from 2026-10 make October's version;
 * the boxes left empty stay no target, the groups keep their codes and names. Clock: 2026-09-15 10:00 China time.
 */
const NOW = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
const until = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

describe('设置: the 带量食谱 targets of the profile', { timeout: 120_000 }, () => {
  let b: TestBackend;
  let ui: App;
  beforeAll(async () => {
    b = await setupBackend({ now: () => NOW });
    await b.loginAs('admin');
    ui = await openApp({ backend: b, name: 'settings-menus', path: '/settings' });
  });
  afterAll(async () => {
    await ui?.close();
    b?.cleanup();
  });

  test('targets typed for 6~8岁 are saved as October’s version; empty boxes are no target', async () => {
    const { page } = ui;
    await page.getByTestId('settings-menus').scrollIntoViewIfNeeded();
    await page.getByTestId('settings-target-0-energy').fill('1400');
    await page.getByTestId('settings-target-0-protein').fill('35');
    await page.getByLabel('每天食物种类至少').fill('12');
    await page.getByLabel('区域配置生效月份').fill('2026-10');
    await page.getByRole('button', { name: '保存设置' }).click();
    await until(async () => (await b.call('school.get', {})).profileVersions.length).toBe(2);
    const oct = profileFor(b.ctx, '2026-10');
    expect(oct.menuAgeGroups).toEqual([
      { code: '6-8', label: '6~8岁', targets: { energy: 1400, protein: 35 } },
      { code: '9-11', label: '9~11岁', targets: {} },
      { code: '12-14', label: '12~14岁', targets: {} },
      { code: '15-17', label: '15~17岁', targets: {} },
    ]);
    expect([oct.menuVarietyPerDay, oct.menuVarietyPerWeek]).toEqual([12, null]);
    expect(profileFor(b.ctx, '2026-09').menuAgeGroups[0].targets).toEqual({});
    expect(ui.errors).toEqual([]);
  });
});
