import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';
import { focusedTestId, openApp, type App } from './harness.ts';

/**
 * A light 留样 in Chromium (issue 17, migration 0028), keyboard-only, at Thursday 2026-10-15 12:00 China time (backend and
 * page clocks): the 食堂管理员 types the lunch — 米饭 150 g at 11:20, 炒白菜 100 g at 11:25 — and saves; the 炒白菜 is
 * refused as light in the rule's words (top it up first), nothing is written, and the form opens a reason field for it
 * with focus there. The dish is sold out: the storekeeper types 菜品已售完，无法补足, Enter goes to 仍然登记（记为问题）, Enter
 * records both samples as weighed, and the finding '2026-10-15 午餐 炒白菜 留样不足：100 克（应不少于 125 克）：菜品已售完，
 * 无法补足' shows in the page's 留样问题 and on the home, and on the reviewer's. Last the storekeeper corrects it (更正): the
 * dialog brings the reason; at 130 g its field goes, and the corrected sample is no finding. Every text written out by hand.
 */
const NOW = new Date('2026-10-15T04:00:00Z');
const FINDING = '2026-10-15 午餐 炒白菜 留样不足：100 克（应不少于 125 克）：菜品已售完，无法补足';
let b: TestBackend;
let app: App;

beforeAll(async () => {
  b = await setupBackend({ now: () => NOW });
  await b.loginAs('storekeeper');
  app = await openApp({ backend: b, name: 'foodsafety-light-sample', path: '/foodsafety/samples' });
  await app.page.clock.setFixedTime(NOW);
  await app.page.reload();
  await app.page.getByTestId('dish-0').waitFor();
});

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

describe('a light 留样 in Chromium', () => {
  test('refused first; the storekeeper, keyboard-only, gives the reason and records it; the finding shows', async () => {
    const { page } = app;
    await page.getByTestId('dish-0').focus();
    for (const [dish, grams, time] of [['米饭', '150', '11:20'], ['炒白菜', '100', '11:25']]) {
      await page.keyboard.type(dish);
      await page.keyboard.press('Enter');
      await page.keyboard.type(grams);
      await page.keyboard.press('Enter');
      await page.keyboard.type(time);
      await page.keyboard.press('Enter');
    }
    await page.getByText('不足 125 克', { exact: true }).waitFor();
    // Enter on the empty last dish goes to 保存留样; Enter saves: refused as light, nothing written.
    await page.keyboard.press('Enter');
    expect(await focusedTestId(page)).toBe('save-samples');
    const before = tableDigest(b);
    await page.keyboard.press('Enter');
    const refusal = page.getByTestId('light-refusal');
    await refusal
      .getByText('炒白菜 留样量 100 克，不足 125 克：每个菜品留样不少于 125 克，请补足后再登记；确实无法补足（如菜品已售完）请填写留样不足原因，登记后列为问题')
      .waitFor();
    await refusal.getByText('炒白菜（100 克）留样不足原因').waitFor();
    await expect.poll(() => focusedTestId(page)).toBe('light-reason-1');
    expect(tableDigest(b)).toBe(before);
    expect((await b.call('samples.list', { from: '2026-10-15', to: '2026-10-15' })).samples).toEqual([]);
    await app.screenshot('light-refused');

    // The reason, Enter to 仍然登记（记为问题）, Enter records.
    await page.keyboard.type('菜品已售完，无法补足');
    await page.keyboard.press('Enter');
    expect(await focusedTestId(page)).toBe('record-light');
    await page.keyboard.press('Enter');
    await page.getByText('已登记 2026-10-15 午餐 留样 2 个菜品，其中 1 个留样不足，已列为留样问题').waitFor();
    await refusal.waitFor({ state: 'detached' });
    const table = page.getByTestId('samples-table');
    const row = table.getByRole('row').filter({ hasText: '炒白菜' });
    await row.getByText('留样不足', { exact: true }).waitFor();
    await row.getByText('菜品已售完，无法补足').waitFor();
    await page.getByTestId('sample-findings').getByText(FINDING).waitFor();
    const listed = await b.call('samples.list', { from: '2026-10-15', to: '2026-10-15' });
    expect(listed.samples.map((s) => [s.dish, s.weightG, s.lightReason, s.takenAt])).toEqual([
      ['米饭', 150, '', '2026-10-15T03:20:00.000Z'],
      ['炒白菜', 100, '菜品已售完，无法补足', '2026-10-15T03:25:00.000Z'],
    ]);
    await app.screenshot('light-recorded');

    // The storekeeper's home: 今日留样 lists the finding.
    await page.evaluate(() => (window.location.hash = '#/'));
    await page.getByText(FINDING).waitFor();
    expect(app.errors).toEqual([]);
  });

  test('the reviewer sees the finding on the home', async () => {
    const { page } = app;
    await b.loginAs('reviewer');
    await page.reload();
    await page.getByText(FINDING).waitFor();
    await app.screenshot('light-reviewer-home');
    expect(app.errors).toEqual([]);
  });

  test('更正: the light sample’s reason comes with it; corrected to 130 g (it was weighed wrong) the field goes, and so does the finding', async () => {
    const { page } = app;
    await b.loginAs('storekeeper');
    await page.evaluate(() => (window.location.hash = '#/foodsafety/samples'));
    await page.reload();
    const row = page.getByTestId('samples-table').getByRole('row').filter({ hasText: '炒白菜' });
    await row.getByRole('button', { name: '更正' }).click();
    const dialog = page.getByRole('dialog');
    const reasonField = dialog.getByLabel('留样不足原因（不足 125 克，无法补足时填写，列为留样问题）');
    expect(await reasonField.inputValue()).toBe('菜品已售完，无法补足');
    await dialog.getByLabel('留样量（克）').fill('130');
    await reasonField.waitFor({ state: 'detached' });
    await dialog.getByLabel('更正原因').fill('称重录错，实为 130 克');
    await dialog.getByRole('button', { name: '作废原记录并登记更正' }).click();
    await page.getByText('已更正 炒白菜 的留样记录').waitFor();
    await page.getByText('没有问题：每个上课日和出库餐次都有留样，没有留样不足或提前处理').waitFor();
    const listed = await b.call('samples.list', { from: '2026-10-15', to: '2026-10-15' });
    expect(listed.samples.map((s) => [s.dish, s.weightG, s.lightReason, s.status])).toEqual([
      ['米饭', 150, '', 'confirmed'],
      ['炒白菜', 100, '菜品已售完，无法补足', 'cancelled'],
      ['炒白菜', 130, '', 'confirmed'],
    ]);
    expect(app.errors).toEqual([]);
  });
});
