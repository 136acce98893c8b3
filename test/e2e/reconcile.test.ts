import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import { tempLedger } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * Reconciliation in one pass (issue 15), in Chromium on the demo school at Friday 2026-11-20: October is open with
 * seven suppliers' posted deliveries. The demo's 绿源 statement bills one delivery 3.50 more than we accepted; the
 * others have sent statements that agree with our books. The accountant follows the checklist's link to October's
 * worklist, saves each agreeing statement as prefilled from our accepted deliveries (no typing), types the one
 * corrected amount for 绿源 after the call, and the month closes. Before: the link opened the current month with no
 * supplier chosen, lines were not prefilled, and a statement listing only the disputed delivery was refused.
 */
const MONTH = '2026-10';
const NOW = new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
const until = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

let t: ReturnType<typeof tempLedger>;
let b: Backend;
let app: App;

async function call<K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new Error(`${name} rejected: ${JSON.stringify(r.error)}`);
  return r.value as Output<K>;
}
const login = (u: string) => call('auth.login', { username: u, password: `demo-${u}` });

beforeAll(async () => {
  t = tempLedger();
  b = openBackend({ file: t.file, now: () => NOW });
  await seedDemo(b);
  // Everything else the close needs, as the demo's own close does it (demo/close.ts): drafts discarded, the count, the
  // bank statements at the book balance. The suppliers' statements are the page's work below.
  await login('storekeeper');
  const drafts = await call('receiving.list', { status: 'draft', from: `${MONTH}-01`, to: `${MONTH}-31`, limit: 1000 });
  for (const r of drafts.rows) await call('receiving.discard', { id: r.id, reason: '供应商无食品经营许可证，已退回，不再入账' });
  const count = (await call('storeroom.countGet', { month: MONTH })) ?? (await call('storeroom.countStart', { month: MONTH }));
  if (count.status !== 'posted') {
    if (count.lines.length) await call('storeroom.countEnter', { month: MONTH, lines: count.lines.map((l) => ({ lotId: l.lotId, countedMilli: l.bookMilli, reason: null, note: '' })) });
    await call('storeroom.countPost', { month: MONTH });
  }
  await login('accountant');
  const view = await call('monthclose.get', { month: MONTH });
  for (const bank of view.bank ?? []) await call('monthclose.setBankBalance', { month: MONTH, account: bank.account, balanceFen: bank.bookFen });
  app = await openApp({ backend: b, name: 'reconcile', path: `/closing?month=${MONTH}` });
}, 240_000);

afterAll(async () => {
  await app?.close();
  b?.close();
  t?.cleanup();
});

describe('供应商对账 in one pass', { timeout: 300_000 }, () => {
  test('seven suppliers reconciled through the page, one corrected amount typed, then the month closes', async () => {
    const { page } = app;
    const statements = page.getByTestId('check-statements');
    await until(() => statements.innerText()).toContain('7 家供应商对账未完成');
    await statements.getByRole('button', { name: '供应商对账' }).click();
    // The month being closed, not the current one.
    await until(() => page.evaluate(() => window.location.hash)).toBe(`#/receiving/reconcile?month=${MONTH}`);
    expect(await page.getByTestId('rec-month').inputValue()).toBe(MONTH);
    const worklist = page.getByTestId('rec-worklist');
    await until(() => worklist.locator('tbody tr.ant-table-row').count()).toBe(7);
    await until(() => page.getByTestId('rec-progress').innerText()).toBe('0/7 家已核对一致');
    await app.screenshot('worklist');

    let typed = 0;
    for (let done = 0; done < 7; done++) {
      const selected = worklist.locator('tr.ant-table-row-selected');
      await until(() => selected.count()).toBe(1);
      const name = await selected.locator('td').first().innerText();
      await until(() => page.getByTestId('rec-table').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
      if (name.includes('绿源')) {
        // The statement on file: one delivery 3.50 more than accepted, in total too.
        await until(() => page.getByTestId('rec-difference').innerText()).toBe('+3.50');
        const rows = page.getByTestId('rec-table').locator('tbody tr.ant-table-row');
        const diffs = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[5]?.textContent ?? ''));
        const k = diffs.findIndex((d) => d === '+3.50');
        expect(diffs.filter((d) => d !== '0.00')).toEqual(['+3.50']);
        const ours = await rows.nth(k).locator('td').nth(3).innerText();
        await app.screenshot('lvyuan-difference');
        // After the call the supplier corrects that one delivery: the only amount typed in the whole pass.
        await page.getByTestId(`statement-amount-${k}`).fill(ours);
        typed += 1;
        await until(() => page.getByTestId('statement-total').inputValue()).not.toBe('');
      }
      await page.getByTestId('statement-save').click();
      await until(() => page.getByTestId('rec-progress').innerText()).toBe(`${done + 1}/7 家已核对一致`);
    }
    expect(typed).toBe(1);
    expect(await worklist.locator('tbody tr.ant-table-row').evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[4]?.textContent))).toEqual(Array(7).fill('一致'));
    await app.screenshot('all-agreed');

    // Back to the month: the statements item is done; the accountant submits and another reviewer approves.
    await page.evaluate((m) => (window.location.hash = `#/closing?month=${m}`), MONTH);
    await until(() => page.getByTestId('check-statements').innerText()).toContain('已完成');
    await page.getByTestId('close-submit').click();
    await until(() => page.getByTestId('close-status').innerText()).toBe('已提交待审核');
    await login('reviewer');
    await page.reload();
    await page.getByTestId('close-approve').click();
    await until(() => page.getByTestId('close-status').innerText()).toContain('已月结');
    const closed = await call('monthclose.get', { month: MONTH });
    expect(closed.checklist?.find((i) => i.key === 'statements')?.ok).toBe(true);
    expect(app.errors).toEqual([]);
  });
});
