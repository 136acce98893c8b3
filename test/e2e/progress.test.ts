import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { buildLedger } from '../../scripts/bench/build-ledger.ts';
import { loginAs } from '../../scripts/bench/bench-session.ts';
import { tempLedger } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * Progress on long work in the window (issue 19), in Chromium against the real core: a ledger from the benchmark's
 * generator (a school year of closed months, large enough that verify and the export take a while), the accountant
 * runs 校验账本 and 导出公示 and the page's progress line is recorded at every change (a MutationObserver in the
 * page): the percentage advances, never goes back, and the work ends with its result. 取消 stops a verify.
 */
let t: ReturnType<typeof tempLedger>;
let b: Backend;
let app: App;
let months: string[];

beforeAll(async () => {
  t = tempLedger();
  months = (await buildLedger(t.file, { years: 1, students: 400, linesPerMonth: 800, mealStudents: 200, ingredients: 300, close: true })).months;
  b = openBackend({ file: t.file, now: () => new Date(`${months.at(-1)}-28T03:00:00.000Z`) });
  loginAs(b, 'accountant');
  app = await openApp({ backend: b, name: 'progress', path: '/maintenance/backup' });
}, 300_000);

afterAll(async () => {
  await app?.close();
  b?.close();
  t?.cleanup();
});

/** Starts recording every text the element with this test id shows, until `stop()`; returns the texts in order. */
async function recordTexts(testId: string): Promise<() => Promise<string[]>> {
  await app.page.evaluate((id) => {
    const w = window as unknown as { __seen: string[]; __obs: MutationObserver };
    w.__seen = [];
    const look = () => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      const text = el?.textContent ?? null;
      if (text && w.__seen.at(-1) !== text) w.__seen.push(text);
    };
    w.__obs = new MutationObserver(look);
    w.__obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    look();
  }, testId);
  return () =>
    app.page.evaluate(() => {
      const w = window as unknown as { __seen: string[]; __obs: MutationObserver };
      w.__obs.disconnect();
      return w.__seen;
    });
}

const percentOf = (text: string) => Number(/（(\d+)%/.exec(text)?.[1] ?? 'NaN');

function expectAdvancing(texts: string[]): number[] {
  const pct = texts.map(percentOf).filter((n) => !Number.isNaN(n));
  expect(pct.length).toBeGreaterThanOrEqual(2);
  for (let i = 1; i < pct.length; i++) expect(pct[i]).toBeGreaterThanOrEqual(pct[i - 1]);
  expect(pct.at(-1)!).toBeGreaterThan(pct[0]);
  return pct;
}

describe('progress of long work in the window', { timeout: 240_000 }, () => {
  test('校验账本 shows its steps advancing, then 正常', async () => {
    const page = app.page;
    await page.getByTestId('verify-run').waitFor();
    const stop = await recordTexts('verify-progress-step');
    await page.getByTestId('verify-run').click();
    await page.getByTestId('verify-result').waitFor({ timeout: 200_000 });
    const texts = await stop();
    expect(texts[0]).toMatch(/^(正在开始……|校验账本：)/);
    const pct = expectAdvancing(texts);
    // Several distinct steps of the check were seen, not just a start and an end.
    expect(new Set(pct).size).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('verify-result').innerText()).toContain('正常');
    expect(await page.getByTestId('verify-progress').count()).toBe(0);
    await app.screenshot('verify-done');
  });

  test('取消 stops a running verify: said in a message, no result replaces the last one', async () => {
    const page = app.page;
    await page.reload();
    await page.getByTestId('verify-run').click();
    await page.getByTestId('verify-progress-cancel').click({ timeout: 30_000 });
    await expect.poll(() => page.locator('.ant-message, .ant-notification').innerText().catch(() => ''), { timeout: 60_000 }).toContain('已取消校验');
    expect(await page.getByTestId('verify-result').count()).toBe(0);
    const ops = await b.invoke('maintenance.progress', {});
    expect(ops.ok && (ops.value as { op: string; state: string }[]).filter((o) => o.op === 'verify').at(-1)?.state).toBe('cancelled');
  });

  test('导出公示 shows its steps advancing through the sheets and the PDF, then the files', async () => {
    const page = app.page;
    const month = months.at(-2)!;
    await page.goto(page.url().replace(/#.*$/, `#/closing?month=${month}`));
    await page.getByTestId('close-export').waitFor({ timeout: 30_000 });
    const stop = await recordTexts('export-progress-step');
    await page.getByTestId('close-export').click();
    await page.getByTestId('close-exported').waitFor({ timeout: 200_000 });
    const texts = await stop();
    expectAdvancing(texts);
    expect(texts.some((x) => x.startsWith('导出月结公示：'))).toBe(true);
    const done = await page.getByTestId('close-exported').innerText();
    const xlsx = /工作簿：(.+\.xlsx)/.exec(done)?.[1];
    expect(xlsx && fs.existsSync(xlsx)).toBe(true);
    expect(path.dirname(xlsx!)).toBe(path.join(t.dir, 'exports'));
    await app.screenshot('export-done');
  });
});
