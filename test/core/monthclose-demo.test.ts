import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import { recomputeClosedMonthChecksum } from '../../electron/core/domains/monthclose/index.ts';
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

  /**
   * The demo month is sized for its 120 pupils. Worked out by hand from the roster (demo/fees.ts), the migration's
   * fee standard (午餐 6.00, 两餐 10.00, 三餐寄宿 15.00 a day) and the default profile (subsidy 5.00 a meal day; surplus
   * at most 2 % over the term, which so far — September had no books — is October alone):
   * - October 2026 has 17 school days: 8–9, 12–16, 19–23, 26–30 (1–7 is the National Day holiday).
   * - Pupil i (1–20) of class c (0–5) boards if c ≥ 4 and i > 14 (12), else has two meals if i % 5 = 0 (16 + 4 = 20),
   *   else lunch (64 + 24 = 88). Pupils 7 and 19 of each class have not paid: 10 on lunch (all the 7s, the 19s of
   *   c < 4) and 2 boarders. Payers: 78 × 17 × 6.00 + 20 × 17 × 10.00 + 10 × 17 × 15.00 = 7,956.00 + 3,400.00 +
   *   2,550.00 = 13,906.00, less 一(1)班 pupil 2's 3 days not eaten (3 × 6.00) = 13,888.00. Today's void and refunds
   *   are dated 20 Nov, not October.
   * - Subsidy: eligible where (i + c) % 3 = 0: 6 + 7 + 7 + 6 + 7 + 7 = 40; one per class absent each day, so 34 meals
   *   × 17 days × 5.00 = 2,890.00.
   * - Income = 13,888.00 + 2,890.00 = 16,778.00.
   * - Meal days: 108 payers × 17 = 1,836, plus the subsidised meals of the unpaid but eligible (pupils 7 and 19 of
   *   二(1)班 and 三(2)班; of the 7 eligible of those classes, pupil 7 is absent on school days 2, 9, 16 and pupil 19
   *   on 6, 13 (0-based): 14 + 15 each) = 58 → 1,894.
   * Surplus rate within [0, 2 %] ⇔ food cost within [16,778.00 × 98 %, 16,778.00] = [16,442.44, 16,778.00], so per
   * meal day within [16,442.44 / 1,894, 16,778.00 / 1,894] = [8.68, 8.86] 元.
   */
  it('the demo month is sized for its 120 pupils: income ≈ food cost, the surplus within the profile limit', async () => {
    await login('accountant');
    const { summary } = await call('monthclose.get', { month: MONTH });
    const c = summary.current;
    expect(c.feesCollectedFen).toBe(1_388_800);
    expect(c.refundsFen).toBe(0);
    expect(c.subsidyFen).toBe(289_000);
    expect(c.incomeFen).toBe(1_677_800);
    expect(c.mealDays).toBe(1_894);
    expect(summary.expenseBasis).toBe('consumed');
    expect(c.expenseFen).toBeGreaterThanOrEqual(1_644_244);
    expect(c.expenseFen).toBeLessThanOrEqual(1_677_800);
    expect(c.surplusRateBp).toBeGreaterThanOrEqual(0);
    expect(c.surplusRateBp).toBeLessThanOrEqual(200);
    expect(summary.period).toMatchObject({ kind: 'term', from: '2026-09', limitBp: 200, breach: false });
    expect(summary.period.rateBp).toBe(c.surplusRateBp);
    expect(summary.flags).toEqual([]);
    expect(c.avgCostFen).toBeGreaterThanOrEqual(868);
    expect(c.avgCostFen).toBeLessThanOrEqual(886);
    // The deliveries are a month's food for 120 pupils, not four times that: what was bought is the food cost plus
    // a few days' stock (the storeroom opened the month empty, so closing = purchased − consumed).
    const purchased = Object.values(c.purchasedByCategoryFen).reduce((s, v) => s + v, 0);
    expect(purchased).toBeGreaterThanOrEqual(c.expenseFen);
    expect((purchased - c.expenseFen) * 17).toBeLessThanOrEqual(c.expenseFen * 5);
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
