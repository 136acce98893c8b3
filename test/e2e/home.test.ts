import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { closedDemoLedger, openApp, quietPage, type App } from './harness.ts';

/**
 * Homes by role (issue 15), in Chromium on the demo school with October closed and published, at Friday 2026-11-20
 * 10:00 China time. Each of the six demo accounts logs in through the login form, reads its home (screenshot at
 * 1366×768), and clicks every link on it — to-dos, each figure's page and each line under it — one click per distinct
 * address: the page must open, without '您的角色无权打开此页面' (the defect: a parent's 去处理 led there) or any
 * refusal of a call the page makes ('您的角色无权进行此操作').
 */
const NOW = new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
const until = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

let t: Awaited<ReturnType<typeof closedDemoLedger>>;
let b: Backend;
let app: App;

beforeAll(async () => {
  t = await closedDemoLedger(NOW); // the demo with October closed and approved, seeded once per run (harness.ts)
  b = openBackend({ file: t.file, now: () => NOW });
  app = await openApp({ backend: b, name: 'home', quiet: true });
}, 240_000);

afterAll(async () => {
  await app?.close();
  b?.close();
  t?.cleanup();
});

async function login(user: string): Promise<void> {
  const { page } = app;
  if (await page.getByTestId('user-menu').isVisible()) {
    await page.evaluate(() => (window.location.hash = '#/')); // off the last page opened (a supplier's dialog)
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
  }
  await page.getByRole('button', { name: '登录' }).waitFor();
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(`demo-${user}`);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('side-menu').waitFor();
}

async function goHome(role: string): Promise<void> {
  const { page } = app;
  await page.evaluate(() => (window.location.hash = '#/'));
  await page.getByTestId(`home-section-${role}`).waitFor();
}

/** What the home shows: the to-do titles, each figure's label and value, and the lines under it. */
async function readHome(role: string) {
  const { page } = app;
  const todos = await page.locator('[data-testid="attention-list"] .ant-list-item-meta-title').allInnerTexts();
  const entries = await page
    .getByTestId(`home-section-${role}`)
    .locator('[data-testid^="home-entry-"]')
    .evaluateAll((els) =>
      els.map((el) => ({
        label: el.querySelector('.ant-card-head-title')?.textContent ?? '',
        value: el.querySelector('[data-testid="home-value"]')?.textContent ?? '',
        lines: [...el.querySelectorAll('li')].map((li) => li.textContent ?? ''),
      })),
    );
  const links = [...new Set(await page.locator('[data-testid="home-link"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-link') ?? '')))];
  return { todos: todos.map((s) => s.replace(/^(须处理|提醒|提示)/, '').trim()), entries, links };
}

/** Clicks the first link to `target` on the home page and waits for its page to open and settle. */
async function open(role: string, target: string): Promise<string> {
  const { page } = app;
  await goHome(role);
  await page.locator(`[data-testid="home-link"][data-link="${target}"]`).first().click();
  await until(() => page.evaluate(() => window.location.hash)).toBe(`#${target}`);
  // The page's title (the Shell's h4) and its data: no spinner left, no backend call awaiting its answer (so a refusal
  // has been shown) and no short timer pending (a list's delayed load), on three frames in a row (this replaced a fixed
  // 300 ms pause per link). What is read is the text, which motion does not change: animations are not waited for.
  await page.locator('.ant-layout-content h4, .ant-result-title').first().waitFor();
  await quietPage(page, { animations: false });
  return page.locator('body').innerText();
}

const ROLES = ['admin', 'storekeeper', 'cashier', 'accountant', 'reviewer', 'parent'] as const;

describe('each role’s home opens only its own pages', { timeout: 300_000 }, () => {
  for (const role of ROLES) {
    test(`${role}: every link on the home opens a page the role may use`, async () => {
      await login(role);
      await goHome(role);
      // Only this role's section.
      for (const other of ROLES.filter((r) => r !== role)) expect(await app.page.getByTestId(`home-section-${other}`).count(), other).toBe(0);
      await app.screenshot(role);
      await app.page.getByText('今天需要处理的事项', { exact: true }).scrollIntoViewIfNeeded();
      await app.screenshot(`${role}-todo`);
      const home = await readHome(role);
      if (role === 'parent') {
        // Written by hand: no staff to-dos and no red banner; the October notice; this week; what they may witness; the
        // menus awaiting their 审定 (issue 17).
        expect(home.todos).toEqual([]);
        expect(await app.page.getByText('暂无需要处理的事项').isVisible()).toBe(true);
        expect(await app.page.getByTestId('home-alert').count()).toBe(0);
        expect(home.entries.map((e) => e.label)).toEqual(['最近公示', '本周验收', '本周价格', '可见证的事项', '食谱审定']);
        expect(home.entries[0].value).toBe('2026年10月');
        expect(home.links).toContain('/closing?month=2026-10');
        expect(home.entries[1].lines.every((l) => /^2026-11-(16|17|18|19|20) YS2026-\d{4} .+ ¥[\d,]+\.\d\d$/.test(l))).toBe(true);
      }
      if (role === 'cashier') {
        expect(home.todos).toEqual(['退费 TF2026-0003 逾期未退付：三(1)班 刘浩然 12.00 元']);
        expect(await app.page.getByTestId('home-alert').innerText()).toBe('有 1 项须处理的事项（见下方“今天需要处理的事项”），请尽快处理。');
        expect(home.entries.map((e) => e.label)).toEqual(['今日现金', '今日收据', '待退付的退费']);
        expect(home.entries[2]).toEqual({ label: '待退付的退费', value: '1 笔', lines: ['TF2026-0003 三(1)班 刘浩然 ¥12.00（逾期）'] });
        expect(home.links.sort()).toEqual(['/fees/clearing', '/fees/receipts', '/fees/refunds']);
      }
      expect(home.links.length).toBeGreaterThanOrEqual(home.entries.length);
      for (const target of home.links) {
        const text = await open(role, target);
        expect(text, `${role} → ${target}`).not.toContain('您的角色无权打开此页面');
        expect(text, `${role} → ${target}`).not.toContain('无权进行此操作');
        expect(text, `${role} → ${target}`).not.toContain('找不到此页面');
      }
      expect(app.errors).toEqual([]);
    });
  }
});
