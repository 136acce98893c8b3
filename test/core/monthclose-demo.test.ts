import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import { recomputeClosedMonthChecksum } from '../../electron/core/domains/monthclose.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import { tempLedger } from '../helpers/backend.ts';
import { finishDemoMonth } from './monthclose-fixture.ts';

/**
 * The demo school's month before "today" (2026-11-20): the accountant finishes what the demo leaves open on purpose
 * (the supplier statements, one of them 3.50 off until the supplier's corrected bill; the bank statements), submits,
 * the reviewer approves, and the export carries the ledger's figures — checked against the journal directly.
 */
const MONTH = '2026-10';
let t: ReturnType<typeof tempLedger>;
let b: Backend;
async function call<K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new Error(`${name} rejected: ${JSON.stringify(r.error)}`);
  return r.value as Output<K>;
}
const login = (u: string) => call('auth.login', { username: u, password: `demo-${u}` });
const journal = (account: string) =>
  (
    b.db
      .prepare(`SELECT coalesce(sum(p.amount_fen), 0) AS s FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id WHERE p.account = ? AND e.entry_date BETWEEN ? AND ?`)
      .get(account, `${MONTH}-01`, `${MONTH}-31`) as { s: number }
  ).s;

describe('closing and exporting the demo month', { timeout: 240_000 }, () => {
  beforeAll(async () => {
    t = tempLedger();
    b = openBackend({ file: t.file, now: () => new Date(Date.UTC(2026, 10, 20, 2, 0, 0)) });
    await seedDemo(b);
  });
  afterAll(() => {
    b.close();
    t.cleanup();
  });

  it('the checklist leads to what is open; once done, the month closes and exports', async () => {
    await login('accountant');
    const first = await call('monthclose.get', { month: MONTH });
    expect(first.checklist!.find((i) => i.key === 'bank')).toMatchObject({ ok: false, link: '/closing' });
    await expect(b.invoke('monthclose.submit', { month: MONTH })).resolves.toMatchObject({ ok: false, error: { code: 'RULE' } });
    await finishDemoMonth(call, b.db, login, MONTH);
    let v = await call('monthclose.get', { month: MONTH });
    expect(v.checklist!.find((i) => i.key === 'cash_days')!.ok).toBe(true); // the demo clears every cash day
    for (const line of v.bank!) await call('monthclose.setBankBalance', { month: MONTH, account: line.account, balanceFen: line.bookFen, note: '' });
    v = await call('monthclose.get', { month: MONTH });
    expect(v.checklist!.filter((i) => !i.ok)).toEqual([]);
    await call('monthclose.submit', { month: MONTH });
    await login('reviewer');
    const st = await call('monthclose.approve', { month: MONTH });
    expect(st).toMatchObject({ status: 'closed', revision: 1 });
    expect(recomputeClosedMonthChecksum(b.db, MONTH)?.ok).toBe(true);

    // The summary's income rows are the journal's, read independently here.
    const c = v.summary.current;
    expect(c.feesCollectedFen).toBe(-journal('income:fees'));
    expect(c.refundsFen).toBe(journal('income:refunds'));
    expect(c.subsidyFen).toBe(-journal('income:subsidy'));
    expect(c.purchasedByCategoryFen.grain).toBe(journal('expense:grain'));
    expect(c.surplusFen).toBe(c.incomeFen - c.expenseFen);

    await login('parent');
    const dir = path.join(path.dirname(t.file), 'exports');
    const r = await call('monthclose.export', { month: MONTH, dir, pdf: false });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.xlsxPath);
    const ws = wb.getWorksheet('收支公示')!;
    const row = (label: string) => {
      let found: unknown[] = [];
      ws.eachRow((x) => {
        if (x.getCell(1).value === label) found = [x.getCell(2).value, x.getCell(3).value];
      });
      return found;
    };
    const yuan = (f: number) => f / 100;
    expect(row('二、本月收入')[0]).toBeCloseTo(yuan(c.incomeFen), 2);
    expect(row('三、本月支出')[0]).toBeCloseTo(yuan(c.expenseFen), 2);
    expect(row('四、本月结余')[0]).toBeCloseTo(yuan(c.surplusFen), 2);
    expect(row('七、就餐人日数')[0]).toBe(c.mealDays);
    expect(String(ws.getRow(ws.rowCount).getCell(1).value)).toBe(`校验码：${st.checksumHex!.slice(0, 16)}　版本：1`);
  });
});
