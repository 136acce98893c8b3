import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { profileFor } from '../../electron/core/ledger/profile.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 设置 → 食品安全：留样 (issue 17's profile fields on the page, issue 14 §5's versions): the card names the version in
 * force and its month; 100 g (below the national 125 g) is refused on the page and writes nothing; 150 g and 72 hours
 * saved from 2026-10 become a version of October, September keeps 125 g / 48 h. Clock: 2026-09-15 10:00 China time.
 */
const NOW = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
const until = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

describe('设置: the 留样 rules of the profile', { timeout: 120_000 }, () => {
  let b: TestBackend;
  let ui: App;
  beforeAll(async () => {
    b = await setupBackend({ now: () => NOW });
    await b.loginAs('admin');
    ui = await openApp({ backend: b, name: 'settings-samples', path: '/settings' });
  });
  afterAll(async () => {
    await ui?.close();
    b?.cleanup();
  });

  test('shows 125 g / 48 h of the version in force, refuses 100 g, saves 150 g / 72 h as October’s version', async () => {
    const { page } = ui;
    const card = page.getByTestId('settings-samples');
    await until(() => card.isVisible()).toBe(true);
    expect(await page.getByTestId('settings-samples-version').innerText()).toBe(
      '现行区域配置（默认（全国通用））自建账起执行：每个菜品留样不少于 125 克、保存不少于 48 小时。改动自下方“生效月份”起执行，之前的月份不变；只能在国家规定（125 克、48 小时）之上提高。',
    );
    expect(await page.getByTestId('settings-sample-grams').inputValue()).toBe('125');
    expect(await page.getByTestId('settings-sample-hours').inputValue()).toBe('48');

    const before = tableDigest(b);
    await page.getByTestId('settings-sample-grams').fill('100');
    await page.getByRole('button', { name: '保存设置' }).click();
    await card.getByText('留样量应为 125–1000 克的整数，不能低于国家规定的 125 克').waitFor();
    expect(tableDigest(b)).toBe(before);

    await page.getByTestId('settings-sample-grams').fill('150');
    await page.getByTestId('settings-sample-hours').fill('72');
    await page.getByLabel('区域配置生效月份').fill('2026-10');
    await page.getByRole('button', { name: '保存设置' }).click();
    await until(async () => (await b.call('school.get', {})).profileVersions.length).toBe(2);
    expect([profileFor(b.ctx, '2026-10').sampleMinGrams, profileFor(b.ctx, '2026-10').sampleKeepHours]).toEqual([150, 72]);
    expect([profileFor(b.ctx, '2026-09').sampleMinGrams, profileFor(b.ctx, '2026-09').sampleKeepHours]).toEqual([125, 48]);
    // September is still under the version from the start of the books: the card says so.
    expect(await page.getByTestId('settings-samples-version').innerText()).toContain('自建账起执行：每个菜品留样不少于 125 克、保存不少于 48 小时');
    expect(ui.errors).toEqual([]);
  });
});
