import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PASSWORD, setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 期初建账 end to end in Chromium against the real core (clock 2026-09-15): the accountant types the three fund
 * balances, imports the opening stock from .xlsx (a preview with one row in error, the good row added), saves and
 * submits; the reviewer approves and the page shows it posted with the first month's 上月累计结余:
 * 12,345.67 + 2,000.00 + 300.00 + 大米 50 kg 260.00 = 14,905.67 (no payables).
 */
let b: TestBackend;
let app: App;

async function as(user: string): Promise<void> {
  await b.call('auth.login', { username: user, password: PASSWORD });
  await app.page.reload();
  await app.page.getByTestId('opening-lines').waitFor();
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('期初库存');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  b = await setupBackend();
  await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg', refPriceFen: 600, requiredCerts: [], storable: true });
  await b.loginAs('accountant');
  app = await openApp({ backend: b, name: 'opening', path: '/closing/opening' });
  await app.page.getByTestId('opening-lines').waitFor();
}, 240_000);

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

describe('期初建账', () => {
  test('the accountant enters and imports, the reviewer approves, and it is posted', async () => {
    const page = app.page;
    expect(await page.getByTestId('opening-date').inputValue()).toBe('2026-08-31');
    await page.getByTestId('opening-bank').fill('12345.67');
    await page.getByTestId('opening-bank').press('Enter');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.dataset.testid)).toBe('opening-subsidy');
    await page.getByTestId('opening-subsidy').fill('2000');
    await page.getByTestId('opening-cash').fill('300');
    await page
      .getByTestId('opening-stock-file')
      .locator('input[type=file]')
      .setInputFiles({
        name: '期初库存.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: await xlsx([['品名', '数量', '金额', '保质期至', '储存方式'], ['大米', '50', '260.00', '2027-03-31', '常温'], ['龙虾', '3', '300', null, null]]),
      });
    await page.getByText('找不到食材「龙虾」，请先在食材中新增').waitFor();
    await app.screenshot('import-preview');
    await page.getByTestId('opening-import-ok').click();
    await expect.poll(() => page.getByTestId('opening-lines').innerText()).toContain('260.00');
    await page.getByTestId('opening-save').click();
    await page.getByTestId('opening-status').waitFor();
    expect(await page.getByTestId('opening-status').innerText()).toBe('草稿');
    await page.getByTestId('opening-submit').click();
    await expect.poll(() => page.getByTestId('opening-status').innerText()).toBe('待审核');

    await as('reviewer');
    await page.getByTestId('opening-approve').click();
    await expect.poll(() => page.getByTestId('opening-status').innerText()).toBe('已过账');
    expect(await page.getByTestId('opening-previous-balance').innerText()).toBe('14,905.67');
    await app.screenshot('posted');
    expect(b.db.prepare(`SELECT account, amount_fen FROM journal_postings WHERE account = 'fund_opening'`).all()).toEqual([{ account: 'fund_opening', amount_fen: -1_464_567 }]);
    expect(app.errors).toEqual([]);
  }, 120_000);
});
