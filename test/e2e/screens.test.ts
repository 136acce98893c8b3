import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { closedDemoLedger, openApp, quietPage, type App } from './harness.ts';

/**
 * Every page every role can open, at 1366×768 (the usual school office PC), on the demo school with October closed:
 * a screenshot per page and tab in test-results/ (screens-<user>-<n>.png) for review, and two checks a person would
 * otherwise make by eye (issue 15):
 * - text contrast: every visible piece of text against the background it is painted on meets WCAG AA — 4.5:1, or 3:1
 *   for large text (24 px, or 18.66 px bold). Disabled controls are exempt, as WCAG exempts inactive components.
 * - numbers stay whole: an amount, a quantity or a document number (CK2026-0120) in a table cell or a statistic is laid
 *   out on one line — the defect was "CK2026-/0120" wrapped in the 出库 list.
 */
const NOW = new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
const USERS = ['admin', 'storekeeper', 'cashier', 'accountant', 'reviewer', 'parent'] as const;

let t: Awaited<ReturnType<typeof closedDemoLedger>>;
let b: Backend;
let app: App;

beforeAll(async () => {
  t = await closedDemoLedger(NOW); // the demo with October closed and approved, seeded once per run (harness.ts)
  b = openBackend({ file: t.file, now: () => NOW });
  // antd's motion off: a colour mid-transition is not what the audit checks (settle below).
  app = await openApp({ backend: b, name: 'screens', quiet: true, motion: false });
}, 240_000);

afterAll(async () => {
  await app?.close();
  b?.close();
  t?.cleanup();
});

async function login(user: string): Promise<void> {
  const { page } = app;
  if (await page.getByTestId('user-menu').isVisible()) {
    await page.evaluate(() => (window.location.hash = '#/'));
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
  }
  await page.getByRole('button', { name: '登录' }).waitFor();
  await page.getByLabel('用户名').fill(user);
  await page.getByLabel('密码').fill(`demo-${user}`);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('side-menu').waitFor();
}

interface Finding {
  text: string;
  ratio?: number;
  need?: number;
  color?: string;
  background?: string;
  cls?: string;
}

/** Runs in the page: text below AA contrast, and numbers laid out on more than one line. */
function auditScreen(): { contrast: Finding[]; wrapped: Finding[] } {
  type Rgba = [number, number, number, number];
  const parse = (c: string): Rgba => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top: Rgba, under: Rgba): Rgba => {
    const a = top[3] + under[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    const mix = (i: number) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
    return [mix(0), mix(1), mix(2), a];
  };
  const background = (el: Element | null): Rgba => {
    const layers: Rgba[] = [];
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      const c = parse(s.backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let out: Rgba = [255, 255, 255, 1];
    for (const layer of layers.reverse()) out = over(layer, out);
    return out;
  };
  const lum = ([r, g, b]: Rgba) => {
    const ch = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const disabled = '[disabled], [aria-disabled="true"], .ant-btn-disabled, .ant-input-disabled, .ant-select-disabled, .ant-picker-disabled, .ant-menu-item-disabled, .ant-checkbox-wrapper-disabled, .ant-radio-wrapper-disabled, .ant-pagination-disabled, .ant-tabs-tab-disabled, .ant-steps-item-wait';
  const contrast: Finding[] = [];
  const wrapped: Finding[] = [];
  const seen = new Set<string>();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').trim();
    const el = n.parentElement;
    if (!text || !el || el.closest(disabled) || el.closest('svg, script, style, [aria-hidden="true"]')) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    if (rects.length === 0) continue;
    const s = getComputedStyle(el);
    if (s.visibility !== 'visible' || Number(s.opacity) === 0) continue;
    // A number: digits with separators, a currency sign, a unit-less amount or a document number such as CK2026-0120.
    if (/^(¥|-|−)?[\dA-Z][\dA-Z,.\-/%]*\d%?$/.test(text) && /\d{2}/.test(text) && el.closest('td, .ant-statistic, [data-number]')) {
      const lines = new Set(rects.map((r) => Math.round(r.top)));
      if (lines.size > 1) wrapped.push({ text });
    }
    let fg = parse(s.color);
    let opacity = 1;
    for (let e: Element | null = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    const bg = background(el);
    fg = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
    const l1 = lum(fg);
    const l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    if (ratio < need - 0.005) {
      const key = `${s.color}|${bg.join(',')}|${text.slice(0, 20)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      contrast.push({ text: text.slice(0, 40), ratio: Math.round(ratio * 100) / 100, need, color: s.color, background: `rgb(${bg.slice(0, 3).map(Math.round).join(',')})`, cls: String(el.className) });
    }
  }
  return { contrast, wrapped };
}

/**
 * Waits for the page to be what it will stay: the title of the page clicked (or the selected tab), then no spinner, no
 * backend call awaiting its answer, no short timer pending (a list loads 150 ms after it opens) and no animation, on
 * three frames in a row (harness quietPage; antd's motion is off in this file). This replaced a fixed 250 ms pause
 * after every page and tab (about 180 of them).
 */
async function settle(shown: { title?: string; tab?: string } = {}): Promise<void> {
  const { page } = app;
  if (shown.title) await page.locator('.ant-layout-content h4').getByText(shown.title, { exact: true }).waitFor();
  else await page.locator('.ant-layout-content h4, .ant-result-title').first().waitFor();
  if (shown.tab) await page.locator('.ant-layout-content [role="tab"][aria-selected="true"]').filter({ hasText: shown.tab }).first().waitFor();
  await quietPage(page);
}

describe('every page at 1366×768: AA contrast, numbers on one line', { timeout: 600_000 }, () => {
  for (const user of USERS) {
    test(`${user}: every page and tab`, async () => {
      const { page } = app;
      await login(user);
      await page.evaluate(() => (window.location.hash = '#/'));
      await settle();
      const menu = page.getByTestId('side-menu');
      const labels = await menu.locator('.ant-menu-item').allInnerTexts();
      expect(labels.length, user).toBeGreaterThan(1);
      const problems: string[] = [];
      let n = 0;
      const check = async (where: string) => {
        n += 1;
        await app.screenshot(`screens-${user}-${String(n).padStart(2, '0')}`);
        const { contrast, wrapped } = await page.evaluate(auditScreen);
        for (const c of contrast) problems.push(`${where}: 对比度 ${c.ratio}:1 < ${c.need}:1 「${c.text}」 ${c.color} on ${c.background} (${c.cls})`);
        for (const w of wrapped) problems.push(`${where}: 数字折行 「${w.text}」`);
      };
      for (const label of labels) {
        await menu.locator('.ant-menu-item').filter({ hasText: label }).first().click();
        await settle({ title: label });
        await check(label);
        const tabs = await page.locator('.ant-layout-content [role="tab"]').allInnerTexts();
        for (const tab of tabs.slice(1)) {
          await page.locator('.ant-layout-content [role="tab"]').filter({ hasText: tab }).first().click();
          await settle({ title: label, tab });
          await check(`${label} › ${tab}`);
        }
      }
      expect(problems).toEqual([]);
      expect(app.errors).toEqual([]);
    });
  }
});
