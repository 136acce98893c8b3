import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { watchProgress } from '../../electron/core/ledger/progress.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * Progress of an .xlsx import in the window (issue 19), in Chromium against the real core: the storekeeper imports
 * 5,000 ingredients (the most one file may hold) and the dialog's progress line, recorded at every change (a
 * MutationObserver in the page), goes through 读取文件, 检查数据 and 写入数据 without going back, then the list holds
 * them. 取消 during a second import stops it and writes nothing.
 */
let b: TestBackend;
let app: App;

const ROWS = 5_000;

async function ingredientsFile(prefix: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['品名', '类别', '单位', '规格', '参考价(元)']);
  for (let i = 1; i <= ROWS; i++) ws.addRow([`${prefix}${String(i).padStart(4, '0')}`, '蔬菜水果', '千克', '', 2.5]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

beforeAll(async () => {
  b = await setupBackend();
  await b.loginAs('storekeeper');
  app = await openApp({ backend: b, name: 'import-progress', path: '/masterdata/ingredients' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

/**
 * Starts recording every text the element with this test id (or CSS selector) shows, until `stop()`; returns the
 * texts in order. `disconnect`: stop recording when read (else keep recording, to be read again).
 */
async function recordTexts(target: string, disconnect = true): Promise<() => Promise<string[]>> {
  const selector = target.startsWith('.') ? target : `[data-testid="${target}"]`;
  await app.page.evaluate((sel) => {
    const w = window as unknown as { __seen: string[]; __obs: MutationObserver };
    w.__seen = [];
    const look = () => {
      const el = document.querySelector(sel);
      const text = el?.textContent ?? null;
      if (text && w.__seen.at(-1) !== text) w.__seen.push(text);
    };
    w.__obs = new MutationObserver(look);
    w.__obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    look();
  }, selector);
  return () =>
    app.page.evaluate((off) => {
      const w = window as unknown as { __seen: string[]; __obs: MutationObserver };
      if (off) w.__obs.disconnect();
      return [...w.__seen];
    }, disconnect);
}

async function choose(name: string, buffer: Buffer): Promise<void> {
  const page = app.page;
  await page.getByTestId('ingredient-import').click();
  await page.locator('.ant-upload').filter({ has: page.getByTestId('import-choose') }).locator('input[type=file]').setInputFiles({ name, mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await expect.poll(() => page.getByTestId('import-commit').innerText(), { timeout: 60_000 }).toBe(`导入 ${ROWS} 条`);
}

const STEPS = ['读取文件', '检查数据', '写入数据'];

describe('import progress in the window', { timeout: 240_000 }, () => {
  test('导入 shows 读取文件, 检查数据 and 写入数据 advancing, then the rows are there', async () => {
    const page = app.page;
    await choose('食材5000.xlsx', await ingredientsFile('甲食材'));
    const stop = await recordTexts('import-progress-step');
    await page.getByTestId('import-commit').click();
    await expect.poll(async () => (await app.shownFeedback()).join('\n'), { timeout: 200_000 }).toContain(`已导入 ${ROWS} 条食材`);
    const texts = await stop();
    const seen = texts.filter((x) => x.startsWith('导入食材：'));
    expect(seen.length).toBeGreaterThanOrEqual(2);
    // In the order of the steps, each step's percentage never going back.
    const at = seen.map((x) => {
      const m = /^导入食材：(\S+?)（(\d+)%/.exec(x)!;
      return { step: STEPS.indexOf(m[1]), pct: Number(m[2]) };
    });
    expect(at.every((a) => a.step >= 0)).toBe(true);
    for (let i = 1; i < at.length; i++) {
      expect(at[i].step).toBeGreaterThanOrEqual(at[i - 1].step);
      if (at[i].step === at[i - 1].step) expect(at[i].pct).toBeGreaterThanOrEqual(at[i - 1].pct);
    }
    expect(new Set(at.map((a) => `${a.step}:${a.pct}`)).size).toBeGreaterThanOrEqual(2);
    await expect.poll(() => page.getByTestId('import-progress').count()).toBe(0);
    expect((b.db.prepare(`SELECT count(*) AS n FROM ingredients WHERE name LIKE '甲食材%'`).get() as { n: number }).n).toBe(ROWS);
    await app.screenshot('import-done');
  });

  test('取消 stops an import before it writes: said in a message, nothing written', async () => {
    const page = app.page;
    // 取消 shows once the page's poll has seen the import, and only until its rows are checked: a second or two here,
    // and on a busy machine the import was through before the click (seen with the suite's files run side by side).
    // So the check step is held as a school PC with a slow disk would take it: each of its reports (every 100 rows)
    // waits 100 ms, about 5 s in all, while the event loop still answers the page between them (the commit yields a turn
    // after each report).
    // Held for the commit only, not the dialog's preview. Tried again with a new file up to three times all the same.
    const pause = new Int32Array(new SharedArrayBuffer(4));
    let hold = false;
    const unwatch = watchProgress(b.ctx, (p) => {
      if (hold && p.op === 'import' && p.state === 'running' && p.step === '检查数据') Atomics.wait(pause, 0, 0, 100);
    });
    onTestFinished(unwatch);
    let cancelled = false;
    for (let attempt = 1; attempt <= 3 && !cancelled; attempt++) {
      await choose(`食材5000-${attempt}.xlsx`, await ingredientsFile(`第${attempt}批食材`));
      const before = tableDigest(b);
      // What was said before (the last import's 已导入) gone first, so only this import's outcome is recorded.
      await expect.poll(() => page.locator('.ant-notification-notice, .ant-message-notice').count(), { timeout: 30_000 }).toBe(0);
      const said = await recordTexts('.ant-notification-notice, .ant-message-notice', false);
      hold = true;
      await page.getByTestId('import-commit').click();
      await page
        .getByTestId('import-progress-cancel')
        .click({ timeout: 15_000 })
        .catch(() => undefined);
      // The notification stays a few seconds while the dialog shows the rows again: recorded as it comes.
      await expect.poll(async () => (await said()).join('\n'), { timeout: 60_000 }).toMatch(/导入食材已取消|已导入 5000 条食材/);
      hold = false;
      if (!(await said()).join('\n').includes('导入食材已取消')) {
        // Through before the cancel: the dialog closed with the rows imported; try again once it is gone.
        await expect.poll(() => page.locator('.ant-modal').filter({ hasText: '从Excel导入食材' }).count(), { timeout: 30_000 }).toBe(0);
        continue;
      }
      cancelled = true;
      // The import ended cancelled (the dialog then reads the file again for its rows: a preview, recorded too).
      const ops = await b.invoke('maintenance.progress', {});
      expect(ops.ok && (ops.value as { op: string; state: string; step: string }[]).filter((o) => o.op === 'import' && o.state === 'cancelled').map((o) => o.step)).toEqual([expect.stringMatching(/^(读取文件|检查数据)$/)]);
      expect(tableDigest(b)).toBe(before);
      await app.screenshot('import-cancelled');
    }
    expect(cancelled).toBe(true);
  });
});
