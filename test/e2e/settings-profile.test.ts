import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * Issue 14 §4 on the settings page: the admin picks a preset instead of building the profile's JSON, sees the month's
 * 收支公示 rows under it before saving (monthclose.preview, which writes nothing), and saves it as a version.
 * The clock is 2026-09-15 10:00 China time. September holds a 100.00 donation into the bank and a 2.00 bank fee, so by
 * hand: 二、本月收入 100.00; 手续费 2.00; 三 = 2.00; 四 = 98.00; under full cost 营业利润 98.00 and 营业利润率
 * 98.00 ÷ 100.00 = 98.00 %.
 */
const NOW = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
const until = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

describe('设置: presets and the workbook preview', { timeout: 120_000 }, () => {
  let b: TestBackend;
  let ui: App;
  beforeAll(async () => {
    b = await setupBackend({ now: () => NOW });
    await b.loginAs('accountant');
    await b.call('fund.recordIncome', { date: '2026-09-10', kind: 'donation', amountFen: 10_000, method: 'bank', memo: '爱心捐赠' });
    await b.call('fund.recordExpense', { date: '2026-09-11', kind: 'bank_fee', amountFen: 200, method: 'bank', memo: '账户管理费' });
    await b.loginAs('admin');
    ui = await openApp({ backend: b, name: 'settings-profile' });
  });
  afterAll(async () => {
    await ui?.close();
    b?.cleanup();
  });

  const pick = async (title: string) => {
    const { page } = ui;
    await page.getByTestId('settings-preset').click();
    await page.locator('.ant-select-dropdown:visible').getByText(title, { exact: true }).click();
  };
  const previewRow = (label: string) => ui.page.getByTestId('preview-table').locator('tbody tr', { has: ui.page.getByRole('cell', { name: label, exact: true }) });

  test('picking 承包经营（全成本） previews its rows for the month without writing, and saving makes it a version', async () => {
    const { page } = ui;
    await page.getByRole('menuitem', { name: '设置', exact: true }).last().click();
    const form = page.getByTestId('settings-form');
    await until(() => form.isVisible()).toBe(true);
    const before = tableDigest(b);
    await pick('承包经营（全成本）');
    const preview = page.getByTestId('settings-preview');
    await until(() => preview.textContent()).toContain('食堂性质：承包经营');
    const text = (await preview.textContent()) ?? '';
    expect(text).toContain('2026年9月');
    for (const label of ['燃料', '水电', '人工', '办公', '维修', '其他费用', '手续费', '十、营业利润', '十一、营业利润率']) expect(text, label).toContain(label);
    expect(await previewRow('手续费').textContent()).toContain('2.00');
    expect(await previewRow('二、本月收入').textContent()).toContain('100.00');
    expect(await previewRow('十、营业利润').textContent()).toContain('98.00');
    expect(await previewRow('十一、营业利润率').textContent()).toContain('98.00%');
    // The form follows the preset: full cost chosen, every cost kind ticked.
    expect(await form.getByRole('radio', { name: '全成本（承包经营）' }).isChecked()).toBe(true);
    expect(await form.getByRole('checkbox', { name: '办公' }).isChecked()).toBe(true);
    await preview.scrollIntoViewIfNeeded();
    await ui.screenshot('contracted-preview');
    // Nothing is written by choosing or previewing.
    expect(tableDigest(b)).toBe(before);

    await form.getByRole('button', { name: '保存设置' }).click();
    await until(async () => (await b.call('school.get', {})).profile.costBasis).toBe('full');
    const school = await b.call('school.get', {});
    expect(school.profile.name).toBe('承包经营（全成本）');
    expect(school.profile.allowedNonFood).toEqual(['fuel', 'utilities', 'wages', 'office', 'repairs', 'misc']);
    expect(school.profile.disclosureLayout.canteenKind).toBe('承包经营');
    expect(school.profile.bannedItems).toContain('四季豆'); // what the preset does not set stays
    expect(school.profileVersions.map((v) => [v.effectiveFrom, v.profileName])).toEqual([
      ['2026-09', '承包经营（全成本）'],
      [null, '默认（全国通用）'],
    ]);
    // The month-close view now reads the same rows, and the 月结与公示 page shows them.
    const rows = (await b.call('monthclose.get', { month: '2026-09' })).summary.rows.map((r) => r.label);
    expect(rows.slice(-2)).toEqual(['十、营业利润', '十一、营业利润率']);
    await page.evaluate(() => (window.location.hash = '#/closing?month=2026-09'));
    const summary = page.getByTestId('fund-summary');
    await until(() => summary.textContent()).toContain('十、营业利润');
    const profitRow = summary.locator('tbody tr', { hasText: '十、营业利润' }).first();
    expect(await profitRow.textContent()).toContain('98.00');
    expect(await summary.locator('tbody tr', { hasText: '手续费' }).first().textContent()).toContain('2.00');
    await page.getByRole('menuitem', { name: '设置', exact: true }).last().click();
    await until(() => page.getByTestId('settings-form').isVisible()).toBe(true);
  });

  test('picking 幼儿园 previews the kindergarten’s categories (荤食, 牛奶, 点心及其他) and 人工（保育员工资）', async () => {
    const { page } = ui;
    await pick('幼儿园（含保育员工资，按省规定）');
    const preview = page.getByTestId('settings-preview');
    await until(() => preview.textContent()).toContain('荤食');
    const labels = await page.getByTestId('preview-table').locator('tbody tr td:first-child').allTextContents();
    const a = labels.indexOf('三、本月支出');
    const z = labels.indexOf('四、本月结余');
    expect(labels.slice(a + 1, z)).toEqual(['粮油', '荤食', '蔬菜水果', '豆制品', '牛奶', '调味品', '点心及其他', '人工（保育员工资）', '手续费']);
    expect(labels).not.toContain('十、营业利润');
    // Food cost again: 办公 can no longer be ticked.
    expect(await page.getByTestId('settings-form').getByRole('checkbox', { name: '办公' }).isDisabled()).toBe(true);
    await preview.scrollIntoViewIfNeeded();
    await ui.screenshot('kindergarten-preview');
    expect(ui.errors).toEqual([]);
  });
});
