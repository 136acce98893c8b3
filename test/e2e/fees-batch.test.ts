import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RosterRow } from '../../shared/api/fees.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * Issues 15 and 14 in Chromium: a class's receipts batch-printed three to an A4 sheet (the PDF Chromium prints is
 * counted by poppler's pdfinfo and read by pdftotext), a receipt voided on an earlier day of the open month (作废日期),
 * and the opening's arrears (期初欠费) on the 欠费 page and in the settlement. Clocks: Tue 2026-09-15 10:00.
 *
 * September 2026: 22 weekdays less 中秋节 (Fri 25th) = 21 school days; 午餐 6.00, 两餐 10.00, 三餐寄宿 15.00 元/天.
 * 一(1)班, seven pupils, collected on 2026-09-08 (SJ2026-0001 … 0007 in 学号 order):
 *   午餐 21 × 6.00 = 126.00 (壹佰贰拾陆元整), 两餐 21 × 10.00 = 210.00 (贰佰壹拾元整), 三餐 21 × 15.00 = 315.00
 *   (叁佰壹拾伍元整) → 7 receipts = 3 pages: 0001–0003, 0004–0006, 0007.
 * 一(2)班: 王八 collected the same day (SJ2026-0008, 126.00), voided through the page dated 2026-09-10; 冯九 owes
 * 35.00 from before the books (opening dated 2026-08-31) and has not paid September: 126.00 + 35.00 = 161.00.
 */
const NOW = new Date('2026-09-15T02:00:00Z');
const SEPT_DAYS = [1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 24, 28, 29, 30].map((d) => `2026-09-${String(d).padStart(2, '0')}`);
const ROSTER: RosterRow[] = [
  { studentNo: '2026101', name: '赵一', className: '一(1)班', mealPlan: 'lunch', subsidyEligible: false },
  { studentNo: '2026102', name: '钱二', className: '一(1)班', mealPlan: 'two', subsidyEligible: false },
  { studentNo: '2026103', name: '孙三', className: '一(1)班', mealPlan: 'boarding', subsidyEligible: false },
  { studentNo: '2026104', name: '李四', className: '一(1)班', mealPlan: 'lunch', subsidyEligible: false },
  { studentNo: '2026105', name: '周五', className: '一(1)班', mealPlan: 'lunch', subsidyEligible: false },
  { studentNo: '2026106', name: '吴六', className: '一(1)班', mealPlan: 'two', subsidyEligible: false },
  { studentNo: '2026107', name: '郑七', className: '一(1)班', mealPlan: 'lunch', subsidyEligible: false },
  { studentNo: '2026201', name: '王八', className: '一(2)班', mealPlan: 'lunch', subsidyEligible: false },
  { studentNo: '2026202', name: '冯九', className: '一(2)班', mealPlan: 'lunch', subsidyEligible: false },
];
/** [number, 小写, 大写] of 一(1)班's receipts by hand, in print order. */
const CLASS_RECEIPTS: [string, string, string][] = [
  ['SJ2026-0001', '126.00', '壹佰贰拾陆元整'],
  ['SJ2026-0002', '210.00', '贰佰壹拾元整'],
  ['SJ2026-0003', '315.00', '叁佰壹拾伍元整'],
  ['SJ2026-0004', '126.00', '壹佰贰拾陆元整'],
  ['SJ2026-0005', '126.00', '壹佰贰拾陆元整'],
  ['SJ2026-0006', '210.00', '贰佰壹拾元整'],
  ['SJ2026-0007', '126.00', '壹佰贰拾陆元整'],
];

let b: TestBackend;
let app: App;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-batch-'));
  b = await setupBackend({ now: () => NOW });
  await b.loginAs('admin');
  await b.call('schoolDays.set', { month: '2026-09', days: SEPT_DAYS });
  await b.call('students.importCommit', { rows: ROSTER });
  const list = await b.call('students.list', { q: '', includeInactive: true, limit: 100 });
  const id = Object.fromEntries(list.map((s) => [s.name, s.id]));
  await b.loginAs('accountant');
  await b.call('opening.save', { date: '2026-08-31', bankFen: 0, subsidyBankFen: 0, cashFen: 0, lines: [{ kind: 'arrears', studentId: id['冯九'], amountFen: 3_500, note: '8月欠交' }] });
  await b.call('opening.submit', {});
  await b.loginAs('reviewer');
  await b.call('opening.approve', {});
  await b.loginAs('cashier');
  const names = ['赵一', '钱二', '孙三', '李四', '周五', '吴六', '郑七', '王八'];
  await b.call('fees.collect', { period: '2026-09', date: '2026-09-08', method: 'cash', items: names.map((n) => ({ studentId: id[n] })) });
  app = await openApp({ backend: b, name: 'fees-batch', path: '/fees/receipts' });
  await app.page.clock.setFixedTime(NOW);
  await app.page.reload();
  await app.page.getByTestId('receipts-table').waitFor();
});

afterAll(async () => {
  await app?.close();
  b?.cleanup();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('receipts in batch, void dates and the opening arrears', () => {
  test('a class of 7 receipts prints on 3 A4 pages, each number with its amount in figures and capitals', async () => {
    const { page } = app;
    await expect(page.getByTestId('receipts-batch').isDisabled()).resolves.toBe(true);
    await page.getByTestId('receipts-class').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '一(1)班' }).first().click();
    await page.getByTestId('receipts-batch').click();
    await expect.poll(() => page.getByTestId('receipt-batch-sheet').count()).toBe(3);
    expect(await page.getByTestId('batch-summary').innerText()).toBe('一(1)班 2026-09-01 至 2026-09-15：有效收据 7 张 ¥1,239.00，共 3 页');
    // Only the 交款人 part by default, one per receipt.
    expect(await page.locator('.sj-part').count()).toBe(7);
    expect(await page.locator('.sj-which').allInnerTexts()).toEqual(Array(7).fill('第二联　交款人'));
    await app.screenshot('batch-preview');

    const pdfFile = process.env.KEEP_PDF ?? path.join(tmp, 'batch.pdf');
    await page.pdf({ path: pdfFile, format: 'A4' });
    const info = execFileSync('pdfinfo', [pdfFile], { encoding: 'utf8' });
    expect(info, info).toMatch(/^Pages:\s+3$/m);
    expect(info, info).toMatch(/^Page size:\s+(594|595)(\.\d+)? x (841|842)(\.\d+)? pts \(A4\)$/m);
    // pdftotext sometimes reads a '-' or '.' of the printed page as a space (seen at a sheet's first line), so the
    // PDF's text is compared with spaces, '-' and '.' taken out of both sides; the DOM below is compared exactly.
    const squeeze = (t: string) => t.replace(/[\s.\-]/g, '');
    const pageText = (n: number) => squeeze(execFileSync('pdftotext', ['-f', String(n), '-l', String(n), pdfFile, '-'], { encoding: 'utf8' }));
    const pages = [pageText(1), pageText(2), pageText(3)];
    CLASS_RECEIPTS.forEach(([number, figures, capitals], i) => {
      const text = pages[Math.floor(i / 3)];
      expect(text, number).toContain(squeeze(`收据号：${number}`));
      expect(text, number).toContain(squeeze(`¥${figures}`));
      expect(text, number).toContain(capitals);
    });
    // Each sheet holds its own three and no other.
    expect(pages.map((t) => [...t.matchAll(/SJ2026(\d{4})/g)].map((m) => m[1]))).toEqual([
      ['0001', '0002', '0003'],
      ['0004', '0005', '0006'],
      ['0007'],
    ]);
    const sheets = page.getByTestId('receipt-batch-sheet');
    for (const [i, [number, figures, capitals]] of CLASS_RECEIPTS.entries()) {
      const part = sheets.nth(Math.floor(i / 3)).locator('.sj-part').nth(i % 3);
      const text = await part.innerText();
      expect(text, number).toContain(`收据号：${number}`);
      expect(text, number).toContain(`¥${figures}`);
      expect(await part.getByTestId('receipt-capital').innerText(), number).toBe(capitals);
    }

    await page.getByRole('button', { name: '返回收据列表' }).click();
    await page.getByTestId('receipts-table').waitFor();
  });

  test('a receipt voided on an earlier day of the open month shows that day; a future day is refused', async () => {
    const { page } = app;
    // The list still shows 一(1)班 (the batch's filter): 一(2)班 now.
    await page.getByTestId('receipts-class').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '一(2)班' }).first().click();
    const row = page.getByTestId('receipts-table').getByRole('row').filter({ hasText: 'SJ2026-0008' });
    await row.getByRole('button', { name: '作废' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByTestId('reason-date').inputValue()).toBe('2026-09-15');
    await dialog.getByTestId('reason-input').fill('家长已转账，重复收取');
    await dialog.getByTestId('reason-date').fill('2026/9/10');
    await dialog.getByRole('button', { name: '作废' }).click();
    await dialog.getByText('作废日期请按 YYYY-MM-DD 填写').waitFor();
    await dialog.getByTestId('reason-date').fill('2026-09-16');
    await dialog.getByRole('button', { name: '作废' }).click();
    await expect.poll(async () => (await b.call('receipts.list', { className: '一(2)班' }))[0].status).toBe('valid');
    await page.waitForTimeout(300);
    expect(await dialog.isVisible()).toBe(true);
    await dialog.getByTestId('reason-date').fill('2026-09-10');
    // Enter in the reason confirms, as it did before the date field came.
    await dialog.getByTestId('reason-input').press('Enter');
    await page.getByText('收据 SJ2026-0008 已作废，记账已冲销').waitFor();
    await expect.poll(() => row.innerText()).toContain('作废 2026-09-10');
    const [voided] = await b.call('receipts.list', { className: '一(2)班' });
    expect([voided.number, voided.status, voided.voidDate, voided.voidReason]).toEqual(['SJ2026-0008', 'void', '2026-09-10', '家长已转账，重复收取']);
  });

  test('the 欠费 page shows 冯九’s 期初欠费 beside September, and the settlement carries it', async () => {
    const { page } = app;
    await page.evaluate(() => (window.location.hash = '#/fees/arrears'));
    const table = page.getByTestId('arrears-table');
    await expect.poll(() => table.getByRole('row').filter({ hasText: '冯九' }).count()).toBe(1);
    const cells = await table.getByRole('row').filter({ hasText: '冯九' }).getByRole('cell').allInnerTexts();
    // 班级 学号 姓名 用餐方式 天数 日标准 应交 期初欠费 合计欠费
    expect(cells).toEqual(['一(2)班', '2026202', '冯九', '午餐', '21', '6.00', '126.00', '35.00', '161.00']);
    const wang = await table.getByRole('row').filter({ hasText: '王八' }).getByRole('cell').allInnerTexts();
    expect(wang.slice(6)).toEqual(['126.00', '', '126.00']);
    expect(await page.getByTestId('arrears-opening').innerText()).toBe('（含期初欠费 ¥35.00）');
    await app.screenshot('arrears-opening');

    await page.evaluate(() => (window.location.hash = '#/fees/refunds'));
    await page.getByRole('tab', { name: '学期结算（多退少补）' }).click();
    const feng = page.getByTestId('settlement-table').getByRole('row').filter({ hasText: '冯九' });
    await expect.poll(() => feng.innerText()).toContain('期初欠费 35.00');
  });

  test('a collection run on the 收费 page prints as one batch: 一(2)班 today, SJ2026-0009 and 0010 on one page', async () => {
    const { page } = app;
    await page.evaluate(() => (window.location.hash = '#/fees/collect'));
    await page.locator('#collect-class').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '一(2)班' }).first().click();
    // 王八 (his receipt voided) and 冯九: 2 × 21 × 6.00 = 252.00.
    await expect.poll(() => page.getByTestId('collect-total').textContent()).toBe('合计 2 人 ¥252.00');
    await page.getByRole('button', { name: '收款并开收据' }).click();
    await page.getByText('本次开出收据 SJ2026-0009 至 SJ2026-0010').waitFor();
    await page.getByTestId('collect-batch-print').click();
    await expect.poll(() => page.locator('.sj-part').count()).toBe(2);
    expect(await page.getByTestId('batch-summary').innerText()).toBe('一(2)班 本次收款 SJ2026-0009 至 SJ2026-0010：有效收据 2 张 ¥252.00，共 1 页');
    const parts = await page.locator('.sj-part').allInnerTexts();
    expect(parts.map((t) => /收据号：(\S+)/.exec(t)?.[1])).toEqual(['SJ2026-0009', 'SJ2026-0010']);
    expect(parts.every((t) => t.includes('日期：2026-09-15') && t.includes('¥126.00'))).toBe(true);
    expect(app.errors).toEqual([]);
  });
});
