import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { creditCode } from '../core/receiving-fixtures.ts';
import { openApp, type App } from './harness.ts';

/**
 * The storeroom end to end in Chromium against the real core. Clock 2026-09-30 10:00 China time.
 * 09-01: rice 100 kg × 4.20 = 420.00 into stock; pork 20 kg × 28.00 = 560.00 straight to the kitchen (not storable).
 * Lunch on 09-02, 09-03, 09-04: 20 kg rice each, 84.00 each (420.00 × 20/100; then 336.00 × 20/80; 252.00 × 20/60).
 * Count at month end: 40 kg on the books (168.00), 39.5 kg found: 0.5 kg 损耗 = 168.00 × 0.5/40 = 2.10.
 * 分类成本 for September, worked by hand:
 *   粮油: 上月底 0.00, 购入 420.00, 本月底 165.90, 实际支出 254.10, 盘点调整 −2.10
 *   肉禽蛋: 0.00, 560.00, 0.00, 560.00, 0.00
 *   合计: 0.00, 980.00, 165.90, 814.10, −2.10
 */
let b: TestBackend;
let app: App;
let riceLot = '';

beforeAll(async () => {
  b = await setupBackend({ now: () => new Date(Date.UTC(2026, 8, 30, 2, 0, 0)) });
  const s = await b.call('suppliers.create', {
    name: '城东农产品配送有限公司',
    creditCode: creditCode('91350102MA2XYW001'),
    address: '城东路 1 号',
    contactPerson: '王经理',
    phone: '0591-88886666',
    licences: [{ kind: 'food_business', number: 'JY13501020001', expiresOn: '2027-06-30' }],
  });
  const rice = await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg', refPriceFen: 600, storable: true });
  const pork = await b.call('ingredients.create', { name: '猪肉', category: 'meat', unit: 'kg', refPriceFen: 2800, requiredCerts: ['animal_quarantine', 'meat_quality'], storable: false });
  const users = Object.fromEntries((await b.call('users.list', {})).map((u) => [u.username, u.id]));
  await b.loginAs('storekeeper');
  const d = await b.call('receiving.saveDraft', {
    id: null,
    draft: {
      date: '2026-09-01',
      supplierId: s.id,
      noteNumber: 'SH-0901',
      inspectorIds: [users.storekeeper, users.storekeeper2],
      lines: [
        { ingredientId: rice.id, receivedMilli: 100_000, acceptedMilli: 100_000, unitPriceFen: 420, expiryDate: '2027-03-01', storageClass: 'ambient' },
        { ingredientId: pork.id, receivedMilli: 20_000, acceptedMilli: 20_000, unitPriceFen: 2800, storageClass: 'chilled', certs: { animal_quarantine: 'DQ-0901', meat_quality: 'RP-0901' } },
      ],
    },
  });
  await b.call('receiving.post', { id: d.id });
  riceLot = (await b.call('storeroom.stock', {}))[0].lots[0].lotId;
  app = await openApp({ backend: b, name: 'storeroom', path: '/storeroom' });
});

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

async function pick(page: Page, testid: string, typed: string, option: string) {
  await page.getByTestId(testid).click();
  await page.keyboard.type(typed);
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: option }).waitFor();
  await page.keyboard.press('Enter');
}

const cells = (page: Page, testid: string) =>
  page.getByTestId(testid).locator('tbody tr.ant-table-row').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));

describe('storeroom in Chromium', () => {
  test('stock on hand shows the rice lot; the pork went straight to the kitchen', async () => {
    const { page } = app;
    await page.getByTestId('stock-total').waitFor();
    await expect.poll(() => page.getByTestId('stock-total').textContent()).toContain('¥420.00');
    expect(await page.locator('.ant-table-row', { hasText: '大米' }).first().textContent()).toContain('100');
    expect(await page.locator('.ant-table-row', { hasText: '猪肉' }).count()).toBe(0);
    await app.screenshot('stock');
  }, 90_000);

  test('issues 20 kg rice to lunch on three days from the keyboard, with the FEFO proposal shown', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: '出库' }).click();
    await page.getByTestId('issue-item').waitFor();
    for (const [i, date] of ['2026-09-02', '2026-09-03', '2026-09-04'].entries()) {
      await page.getByTestId('issue-date').fill(date);
      await page.getByTestId('issue-meal').getByText('午餐').click();
      await pick(page, 'issue-item', 'dm', '大米');
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('issue-qty');
      await page.keyboard.type('20');
      await page.getByTestId('issue-proposal').waitFor();
      expect(await page.getByTestId('issue-proposal').textContent()).toContain('YS2026-0001');
      if (i === 0) await app.screenshot('issue-proposal');
      await page.keyboard.press('Enter'); // to 加入
      await page.keyboard.press('Enter'); // adds the line
      await page.getByTestId('issue-lines').locator('tbody tr.ant-table-row').first().waitFor();
      // Focus is back on the empty item box: Enter there confirms the issue.
      await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('[data-testid="issue-item"]'))).toBe(true);
      await page.keyboard.press('Enter');
      await page.getByTestId('issue-lines').locator('tbody tr.ant-table-row').first().waitFor({ state: 'detached' });
    }
    await expect.poll(async () => (await b.call('storeroom.issues', { from: '2026-09-02', to: '2026-09-04' })).length).toBe(3);
    const issues = (await b.call('storeroom.issues', { from: '2026-09-02', to: '2026-09-04' })).sort((x, y) => x.date.localeCompare(y.date));
    expect(issues.map((x) => [x.date, x.meal, x.totalFen, x.lines.map((l) => l.qtyMilli)])).toEqual([
      ['2026-09-02', 'lunch', 8_400, [20_000]],
      ['2026-09-03', 'lunch', 8_400, [20_000]],
      ['2026-09-04', 'lunch', 8_400, [20_000]],
    ]);
    await page.getByTestId('issue-list').locator('tbody tr.ant-table-row').first().waitFor();
    await app.screenshot('issued');
  }, 90_000);

  test('counts at month end with one loss and posts the count', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: '盘点' }).click();
    await page.getByTestId('count-month').fill('2026-09');
    await page.getByTestId('count-start').click();
    await page.getByTestId('count-table').waitFor();
    const counted = page.locator(`input[data-testid="counted-${riceLot}"], [data-testid="counted-${riceLot}"] input`);
    await counted.fill('39.5');
    // From the keyboard: the list opens on its first reason, 损耗, and Enter takes it.
    await page.getByTestId(`reason-${riceLot}`).click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: '损耗' }).waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId(`reason-${riceLot}`).textContent()).toBe('损耗');
    await page.getByTestId('count-save').click();
    await expect.poll(() => page.getByTestId('count-summary').textContent()).toContain('盘点调整 ¥-2.10');
    // Saved with its reason: a loss without one is refused at the post.
    expect((await b.call('storeroom.countGet', { month: '2026-09' }))?.lines.map((l) => [l.countedMilli, l.reason])).toEqual([[39_500, 'loss']]);
    expect(await page.getByTestId('count-summary').textContent()).toContain('盘点后库存 ¥165.90');
    await app.screenshot('count');
    // From the keyboard too: Enter on 盘点过账 opens the confirmation, Enter on its 过账 confirms.
    await page.getByTestId('count-post').press('Enter');
    const confirm = page.locator('.ant-popconfirm').getByRole('button', { name: '过账' });
    await confirm.waitFor();
    await app.screenshot('count-confirm');
    await confirm.press('Enter');
    // Not yet posted: say what the app shows instead (an error notification, the dialog still open), not just 'open'.
    const postedOrShown = async () => {
      const status = (await b.call('storeroom.countGet', { month: '2026-09' }))?.status;
      return status === 'posted' ? status : { status, shown: await app.shownFeedback(), errors: app.errors };
    };
    await expect.poll(postedOrShown).toBe('posted');

    await page.getByTestId('count-print').click();
    await page.getByTestId('count-sheet').waitFor();
    const sheet = await page.getByTestId('count-sheet').textContent();
    expect(sheet).toContain('食堂库存盘点表');
    expect(sheet).toContain('39.5');
    expect(sheet).toContain('损耗');
    await app.screenshot('count-sheet');
    await page.getByRole('button', { name: '返回' }).click();
  }, 90_000);

  test('shows the month’s category cost: opening + purchases − closing = consumed, the loss apart', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: '分类成本' }).click();
    await page.getByTestId('cost-month').fill('2026-09');
    await expect.poll(async () => (await cells(page, 'cost-table')).find((r) => r[0] === '粮油')).toEqual(['粮油', '0.00', '420.00', '254.10', '-2.10', '165.90']);
    const rows = await cells(page, 'cost-table');
    expect(rows.find((r) => r[0] === '肉禽蛋')).toEqual(['肉禽蛋', '0.00', '560.00', '560.00', '0.00', '0.00']);
    expect(rows.find((r) => r[0] === '合计')).toEqual(['合计', '0.00', '980.00', '814.10', '-2.10', '165.90']);
    expect(await page.getByTestId('cost-adjustments').textContent()).toContain('损耗');
    await app.screenshot('category-cost');
  }, 90_000);

  test('traces the lunch of 09-03 to the rice lot and the lot back to its delivery', async () => {
    const { page } = app;
    await page.getByRole('tab', { name: '追溯' }).click();
    await page.getByTestId('trace-date').fill('2026-09-03');
    await page.getByTestId('trace-meal').getByText('午餐').click();
    await expect.poll(async () => (await cells(page, 'meal-trace')).map((r) => [r[2], r[3], r[4]])).toEqual([['大米', '20 kg', '84.00']]);
    await page.getByTestId('trace-date').fill('2026-09-01');
    await page.getByTestId('trace-meal').getByText('全天').click();
    await expect.poll(async () => (await cells(page, 'meal-trace')).map((r) => [r[1], r[2], r[4]])).toEqual([['直进直出', '猪肉', '560.00']]);
    await page.getByTestId('meal-trace').getByText('YS2026-0001').click();
    await page.getByTestId('lot-trace').waitFor();
    const t = await page.getByTestId('lot-trace').textContent();
    expect(t).toContain('城东农产品配送有限公司');
    expect(t).toContain('张保管、李验收');
    expect(t).toContain('动物检疫合格证明：DQ-0901');
    await app.screenshot('trace');
    expect(app.errors).toEqual([]);
  }, 90_000);
});
