import path from 'node:path';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstBrokenAudit } from '../../electron/core/ledger/audit.ts';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/index.ts';
import { recomputeClosedMonthChecksum, verifyClosedMonths } from '../../electron/core/domains/monthclose/index.ts';
import { overSurplusLimit, surplusPeriodOf } from '../../electron/core/ledger/month-figures.ts';
import { tableDigest } from '../helpers/backend.ts';
import { septemberSchool, type SeptSchool } from './monthclose-fixture.ts';
import { draft, line, postNew, setupWorld } from './receiving-fixtures.ts';
import { parseCsv } from '../helpers/csv.ts';

const M = '2026-09';
const cats = (v: Partial<Record<string, number>>) => ({ grain: 0, meat: 0, aquatic: 0, vegetable: 0, dairy: 0, soy: 0, seasoning: 0, other: 0, ...v });

function rowOf(ws: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((r) => {
    if (!found && r.getCell(1).value === label) found = r;
  });
  if (!found) throw new Error(`no row “${label}” in ${ws.name}`);
  return found;
}
const vals = (r: ExcelJS.Row, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => r.getCell(from + i).value);
const lastRow = (ws: ExcelJS.Worksheet) => ws.getRow(ws.rowCount);


describe('month close of a hand-worked September (see monthclose-fixture.ts)', { timeout: 180_000 }, () => {
  let s: SeptSchool;
  let firstExport = '';
  beforeAll(async () => {
    s = await septemberSchool({ skipBank: true });
  });
  afterAll(() => s.w.b.cleanup());
  const b = () => s.w.b;

  it('the fund summary: month and year to date, both expense columns, rates and flags', async () => {
    const v = await b().call('monthclose.get', { month: M });
    const c = v.summary.current;
    expect(v.summary.expenseBasis).toBe('consumed');
    expect(c).toMatchObject({
      previousBalanceFen: 0,
      feesCollectedFen: 65_100, // 126.00 + 210.00 + 315.00
      refundsFen: 3_000,
      feeNetFen: 62_100,
      subsidyFen: 2_500, // 5 meal days × 5.00
      otherIncomeFen: 10_000,
      incomeFen: 74_600, // 621.00 + 25.00 + 100.00
      foodExpenseFen: 13_662,
      expenseFen: 13_662, // consumed: 25.62 + 56.00 + 25.00 + 30.00
      surplusFen: 60_938, // 746.00 − 136.62
      cumulativeSurplusFen: 60_938,
      surplusRateBp: 8169, // 609.38 ÷ 746.00 = 81.686 % → 81.69 %
      mealDays: 61, // 21 + 18 + 21 paid, + 刘洋's subsidised day
      avgCostFen: 224, // 136.62 ÷ 61 = 2.2397 → 2.24
      foodShareBp: 1831, // 136.62 ÷ 746.00 = 18.314 % → 18.31 %
    });
    expect(c.purchasedByCategoryFen).toEqual(cats({ grain: 4_200, meat: 5_600, vegetable: 2_500, dairy: 3_000 }));
    expect(c.consumedByCategoryFen).toEqual(cats({ grain: 2_562, meat: 5_600, vegetable: 2_500, dairy: 3_000 }));
    expect(c.expenseByCategoryFen).toEqual(c.consumedByCategoryFen);
    expect(c.nonFoodFen).toEqual({});
    // Nothing before September this year: the year to date is the month.
    expect(v.summary.ytd).toEqual(c);
    // Term 2026秋 = September 2026 – January 2027; the rate is taken over September alone so far.
    expect(v.summary.period).toMatchObject({ kind: 'term', from: '2026-09', to: '2027-01', months: ['2026-09'], incomeFen: 74_600, surplusFen: 60_938, rateBp: 8169, limitBp: 200, breach: true });
    expect(v.summary.flags.map((f) => f.code)).toEqual(['surplus_over_limit']);
    expect(v.summary.flags[0].message).toBe('结余超限：9月结余 609.38 元，结余率 81.69%，超过限额2.00%（按学期）');
  });

  it('the checklist names what is missing and blocks the submission, writing nothing', async () => {
    await b().loginAs('accountant');
    let v = await b().call('monthclose.get', { month: M });
    const bank = v.checklist!.find((i) => i.key === 'bank')!;
    expect(bank).toMatchObject({ ok: false, link: '/closing', missing: ['银行存款（食堂专户）：未录入银行对账单余额（账面 100.00 元）'] });
    expect(v.checklist!.filter((i) => !i.ok).map((i) => i.key)).toEqual(['bank']);
    expect(v.checklist!.find((i) => i.key === 'subsidy')).toMatchObject({ ok: true, informational: true, detail: '本月受助就餐 5 人日，应申报补助 25.00 元（受助人日数 × 补助标准）' });

    // A draft dated in the month shows up with its supplier and a link to receiving.
    await b().loginAs('storekeeper');
    const dr = await b().call('receiving.saveDraft', { id: null, draft: draft(s.w, [line(s.w.cabbage, { receivedMilli: 1_000, unitPriceFen: 250 })], { date: '2026-09-29', noteNumber: 'SH-0929' }) });
    await b().loginAs('accountant');
    v = await b().call('monthclose.get', { month: M });
    expect(v.checklist!.find((i) => i.key === 'drafts')).toMatchObject({ ok: false, link: '/receiving', missing: ['2026-09-29 城东农产品配送有限公司 的验收单草稿'] });

    const before = tableDigest(b());
    const e = await b().reject('monthclose.submit', { month: M });
    expect(e.code).toBe('RULE');
    expect(e.message).toBe('2026年9月不能提交月结：月结检查清单还有 2 项未完成（没有未过账的验收单草稿；银行存款余额已与对账单核对）');
    expect(tableDigest(b())).toBe(before);

    await b().loginAs('storekeeper');
    await b().call('receiving.discard', { id: dr.id, reason: '供应商未送货' });
    await b().loginAs('accountant');
    // A bank statement one fen off is a difference, and blocks.
    await b().call('monthclose.setBankBalance', { month: M, account: 'bank', balanceFen: 9_999 });
    v = await b().call('monthclose.get', { month: M });
    expect(v.checklist!.find((i) => i.key === 'bank')!.missing).toEqual(['银行存款（食堂专户）：对账单 99.99 元，账面 100.00 元，相差 -0.01 元']);
    await b().call('monthclose.setBankBalance', { month: M, account: 'bank', balanceFen: 10_000 });
    v = await b().call('monthclose.get', { month: M });
    expect(v.checklist!.every((i) => i.ok)).toBe(true);
    expect(v.bank![0]).toMatchObject({ bookFen: 10_000, statementFen: 10_000, differenceFen: 0, enteredByName: '刘会计' });
  });

  it('the accountant submits, the same person may not approve, the reviewer approves and the month locks with its checksum', async () => {
    await b().loginAs('reviewer');
    expect((await b().reject('monthclose.approve', { month: M })).message).toBe('2026年9月尚未由会计提交月结，不能审核');
    await b().loginAs('accountant');
    expect((await b().reject('monthclose.approve', { month: M })).code).toBe('FORBIDDEN');
    const sub = await b().call('monthclose.submit', { month: M });
    expect(sub).toMatchObject({ status: 'submitted', revision: 1, submittedByName: '刘会计' });
    // A reviewer who also keeps the books may not approve what they submitted.
    await b().loginAs('admin');
    const both = await b().call('users.create', { username: 'acc2', displayName: '孙兼审', roles: ['accountant', 'reviewer'], password: 'test-pass-123' });
    await b().loginAs('acc2');
    const mine = await b().call('monthclose.submit', { month: M });
    // Said before they try (issue 15): the page shows it and leaves 审核 disabled.
    expect(mine.approveBlockedReason).toBe('您提交的月结需由另一位审核人审核（不相容岗位分离：提交月结的人不能审核自己提交的月结）');
    expect((await b().call('monthclose.get', { month: M })).state.approveBlockedReason).toBe('您提交的月结需由另一位审核人审核（不相容岗位分离：提交月结的人不能审核自己提交的月结）');
    expect((await b().reject('monthclose.approve', { month: M })).message).toBe('不相容岗位分离：提交月结的人不能审核自己提交的月结，请由另一位审核人审核');
    await b().loginAs('reviewer');
    expect((await b().call('monthclose.get', { month: M })).state.approveBlockedReason).toBeNull();
    void both;
    await b().loginAs('accountant');
    await b().call('monthclose.submit', { month: M });
    await b().loginAs('reviewer');
    const st = await b().call('monthclose.approve', { month: M });
    expect(st.status).toBe('closed');
    expect(st.revision).toBe(1);
    // The approval names whose submission it approved (the last one: 刘会计 submitted again after 孙兼审).
    expect(st.submittedByName).toBe('刘会计');
    expect(st.checksumHex).toMatch(/^[0-9a-f]{64}$/);
    expect(b().db.prepare('SELECT period FROM closed_periods').all()).toEqual([{ period: M }]);
    expect(st.events.map((e) => e.kind)).toEqual(['submit', 'submit', 'submit', 'close']);
    // The checksum recomputes from the ledger and the audit head recorded at the close (what verify calls).
    expect(recomputeClosedMonthChecksum(b().db, M)).toMatchObject({ ok: true, revision: 1, storedChecksum: st.checksumHex });
    expect(firstBrokenAudit(b().db)).toBeNull();
  });

  it('nothing posts into the closed month by any path, and every refusal writes nothing', async () => {
    const before = tableDigest(b());
    const locked = (e: { code: string; message: string }) => {
      expect(['LOCKED', 'RULE']).toContain(e.code);
      expect(e.message).toMatch(/已月结锁定/);
    };
    await b().loginAs('storekeeper');
    const dr = await b().invoke('receiving.saveDraft', { id: null, draft: draft(s.w, [line(s.w.cabbage, { receivedMilli: 1_000, unitPriceFen: 250 })], { date: '2026-09-30', noteNumber: 'SH-0930' }) });
    if (dr.ok) {
      const before2 = tableDigest(b());
      locked(await b().reject('receiving.post', { id: (dr.value as { id: string }).id }));
      expect(tableDigest(b())).toBe(before2);
      await b().call('receiving.discard', { id: (dr.value as { id: string }).id, reason: '月份已锁定' });
    } else locked(dr.error);
    // Logging in writes an audit row, so the digest is taken after each login and compared before the next.
    let mid = tableDigest(b());
    locked(await b().reject('receiving.cancel', { id: s.d1.id, reason: '单价录错', amend: false }));
    locked(await b().reject('storeroom.issue', { date: '2026-09-29', meal: 'lunch', lines: [{ ingredientId: s.w.rice, lotId: null, qtyMilli: 1_000 }] }));
    expect(tableDigest(b())).toBe(mid);
    await b().loginAs('cashier');
    mid = tableDigest(b());
    locked(await b().reject('fees.collect', { period: '2026-09', date: '2026-09-20', method: 'bank', items: [{ studentId: s.students['刘洋'].id }] }));
    locked(await b().reject('subsidy.record', { className: '一(2)班', date: '2026-09-21', studentIds: [s.students['刘洋'].id] }));
    expect(tableDigest(b())).toBe(mid);
    await b().loginAs('accountant');
    mid = tableDigest(b());
    locked(await b().reject('fund.recordIncome', { date: '2026-09-20', kind: 'donation', amountFen: 500, method: 'bank', memo: '补记' }));
    locked(await b().reject('monthclose.setBankBalance', { month: M, account: 'bank', balanceFen: 1 }));
    locked(await b().reject('receiving.statementSave', { supplierId: s.w.supplierId, month: M, totalFen: 1 }));
    expect(tableDigest(b())).toBe(mid);
    await b().loginAs('admin');
    mid = tableDigest(b());
    locked(await b().reject('schoolDays.set', { month: M, days: ['2026-09-01'] }));
    expect(tableDigest(b())).toBe(mid);
    // SQL behind the app's back: the journal's trigger, and the lock row that only the reopen path may remove.
    expect(() =>
      b().db.prepare(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES ('x', 'o', '2026-09-30', 'm', 't', 'open', 'now')`).run(),
    ).toThrow(/已月结锁定/);
    expect(() => b().db.prepare(`DELETE FROM closed_periods WHERE period = '2026-09'`).run()).toThrow('已月结的月份只能由审核人填写理由后反结账');
    expect(() => b().db.prepare(`UPDATE closed_periods SET period = '2026-08'`).run()).toThrow('月结锁定记录不能修改');
    expect(() => b().db.prepare(`DELETE FROM month_close_events`).run()).toThrow('月结记录不能删除');
    expect(() => b().db.prepare(`INSERT INTO stock_movements (id, origin, lot_id, kind, move_date, qty_milli, value_fen, reason, created_at) VALUES ('m', 'o', ?, 'adjustment', '2026-09-30', -1, 0, 'loss', 'now')`).run(s.riceLotId)).toThrow(/已月结锁定/);
    // October is open.
    await b().loginAs('accountant');
    await b().call('fund.recordIncome', { date: '2026-10-08', kind: 'donation', amountFen: 100, method: 'bank', memo: '十月捐赠' });
    expect(tableDigest(b())).not.toBe(before);
  });

  it('the workbook read back with exceljs carries the ledger’s figures, the checksum and revision 1', async () => {
    await b().loginAs('parent');
    // Parents read the disclosures of closed months.
    const out = path.join(s.w.b.dir, 'out1');
    const r = await b().call('monthclose.export', { month: M, dir: out, pdf: true });
    if (r.pdfPath) expect(path.basename(r.pdfPath)).toBe('阳光实验小学_2026年9月_伙食费收支公示表.pdf');
    else expect(r.pdfError).toMatch(/LibreOffice/);
    expect(path.basename(r.xlsxPath)).toBe('阳光实验小学_2026年9月_伙食费公示.xlsx');
    expect(r.revision).toBe(1);
    firstExport = r.xlsxPath;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.xlsxPath);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['收支公示', '分类成本', '食材采购明细', '食材价格', '供应商及资质', '营养改善计划', '退费明细']);
    const ws = wb.getWorksheet('收支公示')!;
    expect(vals(rowOf(ws, '一、上月累计结余'), 2, 3)).toEqual([0, 0]);
    expect(vals(rowOf(ws, '二、本月收入'), 2, 3)).toEqual([746, 746]);
    expect(vals(rowOf(ws, '　　其中：收取'), 2, 3)).toEqual([651, 651]);
    expect(vals(rowOf(ws, '　　　　　退费'), 2, 3)).toEqual([30, 30]);
    expect(vals(rowOf(ws, '2. 营养改善计划补助'), 2, 3)).toEqual([25, 25]);
    expect(vals(rowOf(ws, '3. 其他收入'), 2, 3)).toEqual([100, 100]);
    expect(vals(rowOf(ws, '三、本月支出'), 2, 3)).toEqual([136.62, 136.62]);
    expect(vals(rowOf(ws, '粮油'), 2, 3)).toEqual([25.62, 25.62]);
    expect(vals(rowOf(ws, '四、本月结余'), 2, 3)).toEqual([609.38, 609.38]);
    expect(vals(rowOf(ws, '六、结余率'), 2, 3)).toEqual([0.8169, 0.8169]);
    expect(vals(rowOf(ws, '七、就餐人日数'), 2, 3)).toEqual([61, 61]);
    expect(vals(rowOf(ws, '八、生均日伙食成本'), 2, 3)).toEqual([2.24, 2.24]);
    const st = await (async () => {
      await b().loginAs('reviewer');
      return (await b().call('monthclose.get', { month: M })).state;
    })();
    expect(lastRow(ws).getCell(1).value).toBe(`校验码：${st.checksumHex!.slice(0, 16)}　版本：1`);
    const cc = wb.getWorksheet('分类成本')!;
    expect(vals(rowOf(cc, '粮油'), 2, 6)).toEqual([0, 42, 25.62, -0.42, 16.38]);
    const p = wb.getWorksheet('食材采购明细')!;
    expect(vals(p.getRow(4), 3, 9)).toEqual([s.d1.number, '大米', '', 'kg', 10, 4.2, 42]);
    expect(vals(p.getRow(4), 10, 11)).toEqual(['城东农产品配送有限公司', '张保管、李验收']);
    expect(vals(p.getRow(7), 3, 4)).toEqual([s.d2.number, '牛奶']);
    expect(vals(p.getRow(8), 1, 1)).toEqual(['合计（4笔）']);
    expect(p.getRow(8).getCell(9).value).toBe(153);
    const rej = p.getRow(rowOf(p, '拒收记录').number + 2);
    expect([rej.getCell(2).value, rej.getCell(5).value, rej.getCell(8).value, rej.getCell(10).value]).toEqual(['白菜', 2, '烂叶', '当场退回']);
    const sub = wb.getWorksheet('营养改善计划')!;
    expect(vals(rowOf(sub, '合计'), 2, 6)).toEqual([3, null, 5, null, 25]);
    const ref = wb.getWorksheet('退费明细')!;
    expect(vals(rowOf(ref, '合计'), 4, 5)).toEqual([3, 30]);
    const sup = wb.getWorksheet('供应商及资质')!;
    expect(vals(rowOf(sup, '合计'), 5, 7)).toEqual([2, 153, 2]);
  });

  it('LibreOffice opens the exported workbook headless: CSV of every sheet, totals equal to the ledger’s', async () => {
    expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
    const files = await convertWithSoffice(firstExport, 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', path.join(b().dir, 'csv'));
    const sheet = (name: string) => parseCsv(fs.readFileSync(files.find((f) => f.endsWith(`-${name}.csv`))!, 'utf8'));
    const row = (rows: string[][], label: string) => rows.find((x) => x[0] === label)!;
    const summary = sheet('收支公示');
    expect(row(summary, '二、本月收入').slice(1, 3)).toEqual(['746', '746']);
    expect(row(summary, '三、本月支出').slice(1, 3)).toEqual(['136.62', '136.62']);
    expect(row(summary, '四、本月结余').slice(1, 3)).toEqual(['609.38', '609.38']);
    expect(row(sheet('食材采购明细'), '合计（4笔）')[8]).toBe('153');
  });

  it('reopening takes the reviewer and a written reason, is recorded, deletes nothing, and the next close is revision 2', async () => {
    await b().loginAs('accountant');
    expect((await b().reject('monthclose.reopen', { month: M, reason: '发现漏记捐赠收入' })).code).toBe('FORBIDDEN');
    await b().loginAs('reviewer');
    const before = tableDigest(b());
    expect((await b().reject('monthclose.reopen', { month: M, reason: '  ' })).code).toBe('VALIDATION');
    expect(tableDigest(b())).toBe(before);
    const st = await b().call('monthclose.reopen', { month: M, reason: '发现漏记9月捐赠收入' });
    expect(st).toMatchObject({ status: 'open', revision: 2, checksumHex: null });
    expect(st.events.map((e) => [e.kind, e.revision])).toEqual([['submit', 1], ['submit', 1], ['submit', 1], ['close', 1], ['reopen', 1]]);
    expect(st.events[4]).toMatchObject({ reason: '发现漏记9月捐赠收入', byName: '赵校长' });
    expect(b().db.prepare('SELECT count(*) AS n FROM closed_periods').get()).toEqual({ n: 0 });
    const a = b().db.prepare(`SELECT action, entity, entity_id, after FROM audit_log WHERE entity = 'month_close' AND action = 'reopen'`).get() as { after: string; entity_id: string };
    expect(a.entity_id).toBe(M);
    expect(JSON.parse(a.after)).toMatchObject({ status: 'open', reason: '发现漏记9月捐赠收入', nextRevision: 2 });
    // The parent can no longer read the month, and its export is refused until it is closed again.
    await b().loginAs('parent');
    expect((await b().reject('monthclose.get', { month: M })).code).toBe('FORBIDDEN');
    await b().loginAs('accountant');
    expect((await b().reject('monthclose.export', { month: M, dir: path.join(b().dir, 'x') })).message).toBe('2026年9月尚未月结，审核通过后才能导出公示');
    // The correction posts; the bank statement is brought up to date; submit and approve again.
    await b().call('fund.recordIncome', { date: '2026-09-20', kind: 'donation', amountFen: 5_000, method: 'bank', memo: '补记9月捐赠' });
    await b().call('monthclose.setBankBalance', { month: M, account: 'bank', balanceFen: 15_000 });
    await b().call('monthclose.submit', { month: M });
    await b().loginAs('reviewer');
    const st2 = await b().call('monthclose.approve', { month: M });
    expect(st2).toMatchObject({ status: 'closed', revision: 2 });
    expect(st2.checksumHex).not.toBe(st.events[3].checksumHex);
    const r = await b().call('monthclose.export', { month: M, dir: path.join(b().dir, 'out2'), pdf: false });
    expect([r.pdfPath, r.pdfError]).toEqual([null, null]);
    expect(path.basename(r.xlsxPath)).toBe('阳光实验小学_2026年9月_伙食费公示_第2版.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.xlsxPath);
    const ws = wb.getWorksheet('收支公示')!;
    expect(vals(rowOf(ws, '3. 其他收入'), 2, 2)).toEqual([150]);
    expect(vals(rowOf(ws, '四、本月结余'), 2, 2)).toEqual([659.38]); // 796.00 − 136.62
    expect(lastRow(ws).getCell(1).value).toBe(`校验码：${st2.checksumHex!.slice(0, 16)}　版本：2`);
    expect(firstBrokenAudit(b().db)).toBeNull();
  });

  it('verify’s recomputation catches a figure changed behind the app’s back after the close', () => {
    expect(verifyClosedMonths(b().db).map((c) => [c.month, c.revision, c.ok])).toEqual([[M, 2, true]]);
    // An August entry written with SQL moves September's opening balance. The journal's trigger refuses any entry on or
    // before the latest closed month (migration 0014), so the tamperer drops it first, as someone with the file can.
    const d = b().db;
    const trigger = (d.prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = 'journal_entry_insert'`).get() as { sql: string }).sql;
    d.exec('DROP TRIGGER journal_entry_insert');
    d.prepare(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES ('t1', 'o', '2026-08-31', '篡改', 'x', 'open', 'now')`).run();
    d.prepare(`INSERT INTO journal_postings (entry_id, account, amount_fen) VALUES ('t1', 'bank', 100), ('t1', 'income:other', -100)`).run();
    d.prepare(`UPDATE journal_entries SET status = 'posted' WHERE id = 't1'`).run();
    d.exec(trigger);
    const c = recomputeClosedMonthChecksum(d, M)!;
    expect(c.ok).toBe(false);
    expect(c.recomputedChecksum).not.toBe(c.storedChecksum);
  });
});

describe('the export follows the layout of the profile version in force for the month', { timeout: 120_000 }, () => {
  // A layout changed after a close no longer reaches the closed month (issue 14 §5, profile-versions.test.ts): the
  // layout is set for September, effective from September, before it closes.
  it('exports in the profile’s layout: chosen sheets, renamed sheets and rows', async () => {
    const s = await septemberSchool();
    const b = () => s.w.b;
    try {
      await b().loginAs('admin');
      const school = await b().call('school.get', {});
      const layout = { sheets: ['summary', 'purchases'] as const, sheetNames: { summary: '伙食费公示' }, rowLabels: { previousBalance: '一、上月结转' }, canteenKind: '自营' };
      await b().call('school.update', { name: school.name, profile: { ...school.profile, disclosureLayout: { ...layout, sheets: [...layout.sheets] } }, effectiveFrom: M });
      await b().loginAs('accountant');
      await b().call('monthclose.submit', { month: M });
      await b().loginAs('reviewer');
      await b().call('monthclose.approve', { month: M });
      const r = await b().call('monthclose.export', { month: M, dir: path.join(s.w.b.dir, 'out-layout') });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(r.xlsxPath);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['伙食费公示', '食材采购明细']);
      expect(vals(rowOf(wb.getWorksheet('伙食费公示')!, '一、上月结转'), 2, 3)).toEqual([0, 0]);
      expect(vals(rowOf(wb.getWorksheet('伙食费公示')!, '四、本月结余'), 2, 3)).toEqual([609.38, 609.38]);
    } finally {
      s.w.b.cleanup();
    }
  });
});

describe('the surplus limit at its boundary', { timeout: 120_000 }, () => {
  it('exactly at the limit is no breach; one fen more surplus is', async () => {
    const w = await setupWorld();
    try {
      // 白菜 3,920 kg × 2.50 = 9,800.00 straight to the kitchen; a donation of 10,000.00: surplus 200.00 = 2.00 % exactly.
      await postNew(w, draft(w, [line(w.cabbage, { receivedMilli: 3_920_000, unitPriceFen: 250 })], { date: '2026-09-03', noteNumber: 'SH-1' }));
      await w.b.loginAs('accountant');
      // Before any income the fund is 9,800.00 in deficit: a negative balance is flagged (and no surplus breach).
      let v = (await w.b.call('monthclose.get', { month: M })).summary;
      expect(v.current).toMatchObject({ incomeFen: 0, surplusFen: -980_000, cumulativeSurplusFen: -980_000, surplusRateBp: null });
      expect(v.flags).toEqual([{ code: 'negative_balance', message: '经费累计结余为负数：-9,800.00 元' }]);
      await w.b.call('fund.recordIncome', { date: '2026-09-04', kind: 'donation', amountFen: 1_000_000, method: 'bank', memo: '捐赠' });
      v = (await w.b.call('monthclose.get', { month: M })).summary;
      expect(v.current).toMatchObject({ incomeFen: 1_000_000, expenseFen: 980_000, surplusFen: 20_000, surplusRateBp: 200 });
      expect(v.period.breach).toBe(false);
      expect(v.flags).toEqual([]);
      // One fen more income is one fen more surplus: 200.01 ÷ 10,000.01 = 2.00008 % > 2 %, though it still rounds to 2.00 %.
      await w.b.call('fund.recordIncome', { date: '2026-09-05', kind: 'donation', amountFen: 1, method: 'bank', memo: '捐赠' });
      v = (await w.b.call('monthclose.get', { month: M })).summary;
      expect(v.current).toMatchObject({ surplusFen: 20_001, surplusRateBp: 200 });
      expect(v.period.breach).toBe(true);
      expect(v.flags.map((f) => f.code)).toEqual(['surplus_over_limit']);
      // October cannot close before September: the item names the month and links to it.
      const oct = await w.b.call('monthclose.get', { month: '2026-10' });
      expect(oct.checklist!.find((i) => i.key === 'earlier_months')).toMatchObject({ ok: false, link: '/closing?month=2026-09', missing: ['2026年9月有记账但未月结'] });
    } finally {
      w.b.cleanup();
    }
  });

  it('the exact comparison, and the periods a month belongs to', () => {
    expect(overSurplusLimit(20_000, 1_000_000, 200)).toBe(false);
    expect(overSurplusLimit(20_001, 1_000_000, 200)).toBe(true);
    expect(overSurplusLimit(0, 0, 0)).toBe(false);
    expect(overSurplusLimit(-5, 1_000, 0)).toBe(false);
    expect(surplusPeriodOf('2026-09', 'term')).toEqual({ from: '2026-09', to: '2027-01' });
    expect(surplusPeriodOf('2027-01', 'term')).toEqual({ from: '2026-09', to: '2027-01' });
    expect(surplusPeriodOf('2027-02', 'term')).toEqual({ from: '2027-02', to: '2027-08' });
    expect(surplusPeriodOf('2027-08', 'term')).toEqual({ from: '2027-02', to: '2027-08' });
    expect(surplusPeriodOf('2026-05', 'year')).toEqual({ from: '2026-01', to: '2026-12' });
    expect(surplusPeriodOf('2026-05', 'month')).toEqual({ from: '2026-05', to: '2026-05' });
  });
});

describe('fund.recordExpense refuses what the rules forbid, naming the rule', { timeout: 60_000 }, () => {
  it('the negative list always, non-food kinds unless the profile allows them', async () => {
    const w = await setupWorld();
    try {
      await w.b.loginAs('accountant');
      await w.b.call('fund.recordIncome', { date: '2026-09-04', kind: 'donation', amountFen: 100_000, method: 'bank', memo: '捐赠' });
      const before = tableDigest(w.b);
      const e1 = await w.b.reject('fund.recordExpense', { date: '2026-09-05', kind: 'staff_meals', amountFen: 1_000, method: 'bank', memo: '教工午餐' });
      expect(e1).toMatchObject({ code: 'RULE' });
      expect(e1.message).toBe('不能登记“教职工就餐”：伙食费不得用于教职工就餐（专款专用（《学校食品安全与营养健康管理规定》及膳食经费负面清单））');
      const e2 = await w.b.reject('fund.recordExpense', { date: '2026-09-05', kind: 'fuel', amountFen: 1_000, method: 'bank', memo: '液化气' });
      expect(e2.message).toMatch(/^不能登记“燃料”支出：本校区域配置（默认（全国通用））规定伙食费只能用于食材/);
      const e3 = await w.b.reject('fund.recordIncome', { date: '2026-09-05', kind: 'shop_rent', amountFen: 1_000, method: 'bank', memo: '小卖部租金' });
      expect(e3.message).toMatch(/商铺租金不属于学生伙食费/);
      expect(tableDigest(w.b)).toBe(before);

      // A profile that allows fuel: it posts to expense:fuel and shows as its own row, outside the food share.
      await w.b.loginAs('admin');
      const school = await w.b.call('school.get', {});
      await w.b.call('school.update', { name: school.name, profile: { ...school.profile, allowedNonFood: ['fuel'] } });
      await w.b.loginAs('accountant');
      const r = await w.b.call('fund.recordExpense', { date: '2026-09-05', kind: 'fuel', amountFen: 1_000, method: 'bank', memo: '液化气' });
      expect(r.account).toBe('expense:fuel');
      const v = (await w.b.call('monthclose.get', { month: M })).summary;
      expect(v.allowedNonFood).toEqual(['fuel']);
      expect(v.current).toMatchObject({ incomeFen: 100_000, nonFoodFen: { fuel: 1_000 }, foodExpenseFen: 0, expenseFen: 1_000, surplusFen: 99_000, foodShareBp: 0 });
      // wages stay refused.
      expect((await w.b.reject('fund.recordExpense', { date: '2026-09-05', kind: 'wages', amountFen: 1_000, method: 'bank', memo: '工资' })).code).toBe('RULE');
    } finally {
      w.b.cleanup();
    }
  });
});


describe('the close records the disclosure as published (month_disclosures, migration 0012)', { timeout: 120_000 }, () => {
  let s: SeptSchool;
  beforeAll(async () => {
    s = await septemberSchool();
  });
  afterAll(() => s.w.b.cleanup());

  /** Every cell value of every sheet, as exceljs reads them back. */
  async function sheets(file: string): Promise<Record<string, unknown[][]>> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const out: Record<string, unknown[][]> = {};
    for (const ws of wb.worksheets) {
      out[ws.name] = [];
      ws.eachRow({ includeEmpty: true }, (r) => out[ws.name].push((r.values as unknown[]).slice(1)));
    }
    return out;
  }
  const exportTo = async (dir: string) => (await s.w.b.call('monthclose.export', { month: M, dir: path.join(s.w.b.dir, dir), pdf: false })).xlsxPath;

  it('a rename after the close leaves the export as published; a month closed without recorded lists reads them now', async () => {
    const { w } = s;
    const b = w.b;
    await b.loginAs('accountant');
    await b.call('monthclose.submit', { month: M });
    await b.loginAs('reviewer');
    await b.call('monthclose.approve', { month: M });
    const reviewer = b.db.prepare(`SELECT id FROM users WHERE username = 'reviewer'`).get() as { id: string };
    expect(b.db.prepare('SELECT month, revision, created_by FROM month_disclosures').all()).toEqual([{ month: M, revision: 1, created_by: reviewer.id }]);
    // Held in SQL: never changed or removed, and written only with a close of that month and revision.
    expect(() => b.db.prepare(`UPDATE month_disclosures SET lists = '{}'`).run()).toThrow('月结时记录的公示明细不能修改');
    expect(() => b.db.prepare('DELETE FROM month_disclosures').run()).toThrow('月结时记录的公示明细不能删除');
    expect(() =>
      b.db.prepare(`INSERT INTO month_disclosures (month, revision, lists, created_at, created_by) VALUES (?, 2, '{}', 'now', ?)`).run(M, reviewer.id),
    ).toThrow('公示明细只能在月结审核通过时记录');

    await b.loginAs('accountant');
    const published = await sheets(await exportTo('a'));
    // 大米 is 42.00 of September's purchases (LAYOUTS.md row 4 of 食材采购明细) and a row of 食材价格.
    expect(published['食材采购明细'][3].slice(2, 4)).toEqual([s.d1.number, '大米']);
    expect(published['食材价格'].some((r) => r[0] === '大米')).toBe(true);

    await b.loginAs('admin');
    const rice = await b.call('ingredients.get', { id: w.rice });
    await b.call('ingredients.update', { id: w.rice, name: '东北大米', category: rice.category, unit: rice.unit, spec: rice.spec, refPriceFen: rice.refPriceFen, requiredCerts: rice.requiredCerts, banned: rice.banned, storable: rice.storable });
    await b.loginAs('accountant');
    expect(await sheets(await exportTo('b'))).toEqual(published);

    // A ledger whose month was closed before the lists were recorded (no row): the export reads them from the ledger,
    // the same sheets but for the name as it is now.
    b.db.exec('DROP TRIGGER month_disclosures_no_delete');
    b.db.prepare('DELETE FROM month_disclosures').run();
    const now = await sheets(await exportTo('c'));
    const rename = (v: unknown): unknown => (typeof v === 'string' ? v.replaceAll('大米', '东北大米') : Array.isArray(v) ? v.map(rename) : v);
    expect(now).not.toEqual(published);
    expect(now).toEqual(Object.fromEntries(Object.entries(published).map(([k, rows]) => [k, rename(rows)])));
  });
});
