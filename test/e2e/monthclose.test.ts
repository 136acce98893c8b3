import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import type { ApiResult } from '../../shared/errors.ts';
import { formatFen } from '../../shared/format.ts';
import { tempLedger } from '../helpers/backend.ts';
import { finishDemoMonth } from '../core/monthclose-fixture.ts';
import { openApp, type App } from './harness.ts';

/**
 * 月结与公示 end to end in Chromium against the real core, on the demo school (clock 2026-11-20 10:00 China time,
 * so the demo month is October 2026). The accountant enters the bank statements on the page and submits, the
 * reviewer approves and the month locks; a posting into it is refused; the export is revision 1; the reviewer
 * reopens with a reason; the month is closed again and the export is revision 2. Screenshots under test-results/.
 */
const MONTH = '2026-10';
let t: ReturnType<typeof tempLedger>;
let b: Backend;
let app: App;

async function call<K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new Error(`${name} rejected: ${JSON.stringify(r.error)}`);
  return r.value as Output<K>;
}
async function as(user: string): Promise<void> {
  await call('auth.login', { username: user, password: `demo-${user}` });
  await app.page.reload();
  await app.page.getByTestId('close-status').waitFor();
}
const status = () => app.page.getByTestId('close-status').innerText();

beforeAll(async () => {
  t = tempLedger();
  b = openBackend({ file: t.file, now: () => new Date(Date.UTC(2026, 10, 20, 2, 0, 0)) });
  await seedDemo(b);
  // What the demo leaves open on purpose (the suppliers' statements; the count if the demo has none).
  await finishDemoMonth(call, b.db, (u) => call('auth.login', { username: u, password: `demo-${u}` }), MONTH);
  app = await openApp({ backend: b, name: 'monthclose', path: `/closing?month=${MONTH}` });
}, 240_000);

afterAll(async () => {
  await app?.close();
  b?.close();
  t?.cleanup();
});

describe('月结与公示', () => {
  test('the accountant sees the checklist, enters the bank statements on the page and submits', async () => {
    const page = app.page;
    await page.getByTestId('close-status').waitFor();
    expect(await status()).toBe('未月结');
    await expect.poll(() => page.getByTestId('check-bank').innerText()).toContain('未录入银行对账单余额');
    await page.getByTestId('fund-summary').waitFor();
    await app.screenshot('checklist');
    await page.getByTestId('fund-summary').scrollIntoViewIfNeeded();
    await app.screenshot('fund-summary');
    await page.evaluate(() => window.scrollTo(0, 0));
    const bank = await call('monthclose.get', { month: MONTH });
    for (const line of bank.bank!) {
      await page.getByTestId(`bank-${line.account}`).fill(formatFen(line.bookFen));
      await page.getByTestId(`bank-save-${line.account}`).click();
      await expect.poll(() => page.getByTestId('bank-table').innerText()).toContain('0.00');
    }
    await expect.poll(() => page.getByTestId('check-bank').innerText()).toContain('已完成');
    await page.getByTestId('close-submit').click();
    await expect.poll(status).toBe('已提交待审核');
    // Whoever submitted is told before trying that another reviewer approves (issue 15: warn before, not after).
    await expect.poll(() => page.getByTestId('close-approve-blocked').innerText()).toContain('您提交的月结需由另一位审核人审核');
    // 月结记录 in China time: submitted at the clock's 02:00 UTC, 10:00 in China.
    expect(await page.getByTestId('close-events').innerText()).toContain('2026-11-20 10:00:00');
    expect(await page.getByTestId('close-events').innerText()).not.toContain('UTC');
    await app.screenshot('submitted');
  }, 120_000);

  test('the reviewer approves: the month locks, and a posting into it is refused', async () => {
    await as('reviewer');
    // Not the submitter: nothing stands in the way.
    expect(await app.page.getByTestId('close-approve-blocked').count()).toBe(0);
    await app.page.getByTestId('close-approve').click();
    await expect.poll(status).toBe('已月结');
    expect(await app.page.getByTestId('close-revision').innerText()).toBe('版本：1');
    expect(await app.page.getByTestId('close-checksum').innerText()).toMatch(/^校验码：[0-9a-f]{16}$/);
    await app.screenshot('closed');
    await as('accountant');
    // Through the page's own bridge, as any form would post.
    const r = (await app.page.evaluate(
      () =>
        (window as unknown as { canteen: { invoke: (n: string, i: unknown) => Promise<unknown> } }).canteen.invoke('fund.recordIncome', {
          date: '2026-10-15',
          kind: 'donation',
          amountFen: 100,
          method: 'bank',
          memo: '补记',
        }),
    )) as ApiResult<unknown>;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'LOCKED', message: '2026年10月已月结锁定，不能再记账；如需更正请由审核人填写理由后反结账' });
    expect(app.page.getByTestId('close-submit')).toBeDefined();
    expect(await app.page.getByTestId('close-submit').count()).toBe(0);
  }, 120_000);

  test('export (revision 1), reopen with a reason, close again, export revision 2', async () => {
    await as('reviewer');
    const page = app.page;
    await page.getByTestId('close-export').click();
    await page.getByTestId('close-exported').waitFor({ timeout: 150_000 });
    const first = await page.getByTestId('close-exported').innerText();
    expect(first).toContain('版本 1');
    // The harness's bridge has no shell: 打开文件 / 打开所在文件夹 are hidden (test/e2e/open-file.test.ts shows them).
    expect(await page.getByTestId('close-exported').getByRole('button').count()).toBe(0);
    expect(await page.getByTestId('close-exported-xlsx').count()).toBe(0);
    const xlsx1 = /工作簿：(.+\.xlsx)/.exec(first)![1].trim();
    expect(path.basename(xlsx1)).toBe('阳光实验小学_2026年10月_伙食费公示.xlsx');
    expect(fs.existsSync(xlsx1)).toBe(true);
    await app.screenshot('exported-1');

    await page.getByTestId('close-reopen').click();
    await page.getByTestId('reopen-reason').fill('补记10月漏登的捐赠收入');
    await page.getByTestId('reopen-ok').click();
    await expect.poll(status).toBe('未月结');
    expect(await page.getByTestId('close-revision').innerText()).toBe('版本：2');
    await expect.poll(() => page.getByTestId('close-events').innerText()).toContain('反结账（版本 1）：补记10月漏登的捐赠收入');
    await app.screenshot('reopened');

    await as('accountant');
    await page.getByTestId('close-submit').click();
    await expect.poll(status).toBe('已提交待审核');
    await as('reviewer');
    await page.getByTestId('close-approve').click();
    await expect.poll(status).toBe('已月结');
    expect(await page.getByTestId('close-revision').innerText()).toBe('版本：2');
    await page.getByTestId('close-export').click();
    await expect.poll(() => page.getByTestId('close-exported').innerText().catch(() => ''), { timeout: 150_000 }).toContain('版本 2');
    const second = await page.getByTestId('close-exported').innerText();
    const xlsx2 = /工作簿：(.+\.xlsx)/.exec(second)![1].trim();
    expect(path.basename(xlsx2)).toBe('阳光实验小学_2026年10月_伙食费公示_第2版.xlsx');
    expect(fs.existsSync(xlsx2)).toBe(true);
    const pdf2 = /收支公示表 PDF：(.+\.pdf)/.exec(second)?.[1].trim();
    if (pdf2) expect(path.basename(pdf2)).toBe('阳光实验小学_2026年10月_伙食费收支公示表_第2版.pdf');
    await app.screenshot('exported-2');
    expect(app.errors).toEqual([]);
  }, 400_000);
});
