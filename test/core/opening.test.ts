import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import type { OpeningLineInput } from '../../shared/api/opening.ts';
import { PASSWORD, setupBackend, tableDigest } from '../helpers/backend.ts';
import { ROSTER, SEPT_DAYS } from './fees-fixture.ts';
import { setupWorld, type World } from './receiving-fixtures.ts';

/**
 * 期初建账 (issue 14 §2), worked out by hand. The school starts its books here in September 2026 and opens them on
 * 2026-08-31 with:
 *   食堂专户 12,345.67   营养改善计划专户 2,000.00   库存现金 300.00
 *   stock: 大米 50 kg at 260.00 (ambient, to 2027-03-31), 牛奶 20 盒 at 60.00 (chilled, to 2026-10-20) = 320.00
 *   pupils (备查, not in the journal): 王小明 prepaid 126.00, 刘洋 owes 50.00
 *   owed to 城东农产品配送有限公司 1,500.00
 * The entry: bank +12,345.67, subsidy_bank +2,000.00, cash +300.00, payable:城东 −1,500.00, fund_opening
 *   −(12,345.67 + 2,000.00 + 300.00 − 1,500.00) = −13,145.67.
 * September's 一、上月累计结余 (the default profile counts stock as consumed) = 13,145.67 + 320.00 = 13,465.67.
 * September: 张伟 pays 三餐寄宿 21 × 15.00 = 315.00 in cash on 09-01; a donation of 100.00 to the bank on 09-05;
 *   the kitchen draws 10 kg of the opening rice on 09-14 = 10/50 × 260.00 = 52.00.
 *   income 415.00, expense 52.00 (粮油 260.00 + 0 − 208.00), surplus 363.00, 累计结余 13,828.67; the year to date
 *   starts from the opening: the same column.
 */

const OPENING_DATE = '2026-08-31';
let w: World;
let ids: { wang: string; liu: string; zhang: string };
let lines: OpeningLineInput[];

const b = () => w.b;

async function enter(): Promise<void> {
  await b().loginAs('accountant');
  await b().call('opening.save', { date: OPENING_DATE, bankFen: 1_234_567, subsidyBankFen: 200_000, cashFen: 30_000, note: '原手工账 8 月末结存', lines });
}

beforeAll(async () => {
  w = await setupWorld();
  await b().loginAs('admin');
  await b().call('schoolDays.set', { month: '2026-09', days: SEPT_DAYS });
  await b().call('students.importCommit', { rows: ROSTER });
  const list = await b().call('students.list', { q: '', includeInactive: true, limit: 100 });
  const by = Object.fromEntries(list.map((s) => [s.name, s.id]));
  ids = { wang: by['王小明'], liu: by['刘洋'], zhang: by['张伟'] };
  lines = [
    { kind: 'stock', ingredientId: w.rice, qtyMilli: 50_000, amountFen: 26_000, expiryDate: '2027-03-31', storageClass: 'ambient', note: '' },
    { kind: 'stock', ingredientId: w.milk, qtyMilli: 20_000, amountFen: 6_000, expiryDate: '2026-10-20', storageClass: 'chilled', note: '' },
    { kind: 'prepaid', studentId: ids.wang, amountFen: 12_600, note: '已交9月伙食费' },
    { kind: 'arrears', studentId: ids.liu, amountFen: 5_000, note: '' },
    { kind: 'payable', supplierId: w.supplierId, amountFen: 150_000, note: '8月货款未付' },
  ];
}, 120_000);
afterAll(() => w?.b.cleanup());

describe('期初建账 of a school starting in September 2026 (figures in the module comment)', { timeout: 180_000 }, () => {
  it('the storekeeper and the cashier may not enter it; a date that is not a month end is refused; nothing written', async () => {
    const empty = { date: OPENING_DATE, bankFen: 1, subsidyBankFen: 0, cashFen: 0, lines: [] };
    for (const role of ['storekeeper', 'cashier']) {
      await b().loginAs(role);
      const before = tableDigest(b());
      expect(await b().reject('opening.save', empty)).toMatchObject({ code: 'FORBIDDEN' });
      expect(tableDigest(b())).toBe(before);
    }
    await b().loginAs('accountant');
    const before = tableDigest(b());
    expect(await b().reject('opening.save', { ...empty, date: '2026-08-30' })).toMatchObject({
      code: 'VALIDATION',
      message: '期初日期应为月末（开始记账月份的上月最后一天），如 2026-07-31 或 2026-08-31',
    });
    expect(await b().reject('opening.save', { ...empty, date: '2026-09-30' })).toMatchObject({
      code: 'RULE',
      message: '期初日期 2026-09-30 晚于今天 2026-09-15，不能预先记账',
    });
    expect(await b().reject('opening.submit', {})).toMatchObject({ code: 'NOT_FOUND', message: '还没有期初建账草稿' });
    expect(tableDigest(b())).toBe(before);
  });

  it('the accountant saves and submits; the submitter cannot approve; the reviewer approves and it posts one balanced entry', async () => {
    await enter();
    const sub = await b().call('opening.submit', {});
    expect(sub.status).toBe('submitted');
    expect(sub.totals).toEqual({ stockFen: 32_000, prepaidFen: 12_600, arrearsFen: 5_000, payableFen: 150_000, fundFen: 1_314_567, previousBalanceFen: 1_346_567 });
    // Someone who is both accountant and reviewer: submits again after a withdrawal, and may not approve it.
    await b().loginAs('admin');
    await b().call('users.create', { username: 'both', displayName: '兼岗', roles: ['accountant', 'reviewer'], password: PASSWORD });
    await b().loginAs('reviewer');
    const back = await b().call('opening.withdraw', { reason: '请兼岗同事复核后再提交' });
    expect(back.status).toBe('draft');
    await b().loginAs('both');
    await b().call('opening.submit', {});
    let before = tableDigest(b());
    expect(await b().reject('opening.approve', {})).toMatchObject({ code: 'RULE', message: '不相容岗位分离：提交期初建账的人不能审核自己提交的期初，请由另一位审核人审核' });
    expect(tableDigest(b())).toBe(before);
    await b().loginAs('accountant');
    before = tableDigest(b());
    expect(await b().reject('opening.approve', {})).toMatchObject({ code: 'FORBIDDEN' });
    expect(await b().reject('opening.save', { date: OPENING_DATE, bankFen: 1, subsidyBankFen: 0, cashFen: 0, lines: [] })).toMatchObject({
      code: 'CONFLICT',
      message: '期初建账已提交待审核，不能修改；如需修改请先退回草稿',
    });
    expect(tableDigest(b())).toBe(before);

    await b().loginAs('reviewer');
    const v = await b().call('opening.approve', {});
    expect(v.status).toBe('posted');
    expect(v.submittedByName).toBe('兼岗');
    const postings = b()
      .db.prepare(`SELECT p.account, p.amount_fen AS a FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.source_type = 'opening' ORDER BY p.amount_fen DESC`)
      .all();
    expect(postings).toEqual([
      { account: 'bank', a: 1_234_567 },
      { account: 'subsidy_bank', a: 200_000 },
      { account: 'cash', a: 30_000 },
      { account: `payable:${w.supplierId}`, a: -150_000 },
      { account: 'fund_opening', a: -1_314_567 },
    ]);
    expect(b().db.prepare(`SELECT entry_date, memo FROM journal_entries WHERE source_type = 'opening'`).all()).toEqual([{ entry_date: '2026-08-31', memo: '期初建账（2026-08-31）' }]);
    // The lots, with their cost, on the opening date; the pupils are the opening's own record only.
    const lots = b()
      .db.prepare(`SELECT i.name, l.received_on, l.in_milli, l.in_value_fen, l.unit_price_fen, l.expiry_date, l.storage_class, l.delivery_id FROM stock_lots l JOIN ingredients i ON i.id = l.ingredient_id ORDER BY i.name`)
      .all();
    expect(lots).toEqual([
      { name: '大米', received_on: '2026-08-31', in_milli: 50_000, in_value_fen: 26_000, unit_price_fen: 520, expiry_date: '2027-03-31', storage_class: 'ambient', delivery_id: null },
      { name: '牛奶', received_on: '2026-08-31', in_milli: 20_000, in_value_fen: 6_000, unit_price_fen: 300, expiry_date: '2026-10-20', storage_class: 'chilled', delivery_id: null },
    ]);
    expect(v.lines.filter((l) => l.kind === 'stock').every((l) => l.lotId !== null)).toBe(true);
    expect(b().db.prepare(`SELECT count(*) AS n FROM journal_postings WHERE account LIKE 'income:%'`).get()).toEqual({ n: 0 });

    // Once posted: no second opening, no change, nothing dated on or before 2026-08-31.
    await b().loginAs('accountant');
    before = tableDigest(b());
    // (a second opening on the same date is refused by the boundary the first one set; on a later month end, as posted)
    expect(await b().reject('opening.save', { date: OPENING_DATE, bankFen: 1, subsidyBankFen: 0, cashFen: 0, lines: [] })).toMatchObject({
      code: 'LOCKED',
      message: '本账于 2026-08-31 期初建账，2026-08-31 不晚于期初日，不能再记账；期初以前的业务已包含在期初数中',
    });
    expect(await b().reject('opening.submit', {})).toMatchObject({ code: 'CONFLICT', message: '期初建账已过账，不能提交' });
    expect(await b().reject('opening.withdraw', { reason: '重做' })).toMatchObject({ code: 'CONFLICT', message: '期初建账已过账，不能退回' });
    expect(await b().reject('fund.recordIncome', { date: '2026-08-31', kind: 'donation', amountFen: 100, method: 'bank', memo: '补记' })).toMatchObject({
      code: 'LOCKED',
      message: '本账于 2026-08-31 期初建账，2026-08-31 不晚于期初日，不能再记账；期初以前的业务已包含在期初数中',
    });
    expect(tableDigest(b())).toBe(before);
    // And in SQL, behind the app's back.
    const d = b().db;
    expect(() => d.prepare(`UPDATE openings SET bank_fen = 1`).run()).toThrow('期初建账已过账，不能修改');
    expect(() => d.prepare(`DELETE FROM opening_lines`).run()).toThrow('期初建账只能在草稿状态下修改');
    expect(() => d.prepare(`DELETE FROM openings`).run()).toThrow('期初建账不能删除');
    expect(() => d.prepare(`INSERT INTO openings (id, origin, opening_date, status, bank_fen, subsidy_bank_fen, cash_fen, created_at, created_by, updated_at, updated_by) SELECT 'x', 'o', '2026-07-31', 'draft', 0, 0, 0, 'now', created_by, 'now', created_by FROM openings`).run()).toThrow(/UNIQUE constraint failed: openings.singleton/);
    expect(() => d.transaction(() => d.prepare(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES ('e', 'o', '2026-08-20', 'm', 't', 'open', 'now')`).run())()).toThrow('该日期不晚于期初建账日，不能再记账');
    const entry = (d.prepare(`SELECT id FROM journal_entries WHERE source_type = 'opening'`).get() as { id: string }).id;
    expect(() => d.prepare(`INSERT INTO journal_postings (entry_id, account, amount_fen) VALUES (?, 'bank', 1)`).run(entry)).toThrow('已过账的记账凭证不能再添加分录');
  });

  it('September’s fund summary starts from the opening: 上月累计结余 13,465.67, the year to date the same column', async () => {
    await b().loginAs('cashier');
    await b().call('fees.collect', { period: '2026-09', date: '2026-09-01', method: 'cash', items: [{ studentId: ids.zhang }] });
    await b().loginAs('accountant');
    await b().call('fund.recordIncome', { date: '2026-09-05', kind: 'donation', amountFen: 10_000, method: 'bank', memo: '爱心企业捐赠' });
    await b().loginAs('storekeeper');
    await b().call('storeroom.issue', { date: '2026-09-14', meal: 'lunch', lines: [{ ingredientId: w.rice, lotId: null, qtyMilli: 10_000 }] });
    await b().loginAs('accountant');
    const v = await b().call('monthclose.get', { month: '2026-09' });
    for (const col of [v.summary.current, v.summary.ytd]) {
      expect(col.previousBalanceFen).toBe(1_346_567);
      expect(col.incomeFen).toBe(41_500);
      expect(col.expenseFen).toBe(5_200);
      expect(col.expenseByCategoryFen.grain).toBe(5_200);
      expect(col.surplusFen).toBe(36_300);
      expect(col.cumulativeSurplusFen).toBe(1_382_867);
    }
    // The surplus period (autumn term, September to January) begins after the opening too: 363.00 ÷ 415.00 = 87.47 %.
    expect(v.summary.period.months).toEqual(['2026-09']);
    expect(v.summary.period.rateBp).toBe(8_747);
    // August holds the opening alone: not a month the checklist asks to close first.
    expect(v.checklist!.find((i) => i.key === 'earlier_months')!.ok).toBe(true);
  });

  it('closed: the disclosure workbook read back with exceljs shows the opening as 一、上月累计结余 and says so in 说明', async () => {
    await b().loginAs('accountant');
    await b().call('clearing.confirm', { date: '2026-09-01', countedFen: 61_500 });
    await b().loginAs('storekeeper');
    const count = await b().call('storeroom.countStart', { month: '2026-09' });
    await b().call('storeroom.countEnter', { month: '2026-09', lines: count.lines.map((l) => ({ lotId: l.lotId, countedMilli: l.bookMilli, reason: null, note: '' })) });
    await b().call('storeroom.countPost', { month: '2026-09' });
    w.setNow('2026-10-08T02:00:00Z');
    await b().loginAs('accountant');
    await b().call('monthclose.setBankBalance', { month: '2026-09', account: 'bank', balanceFen: 1_244_567 });
    await b().call('monthclose.setBankBalance', { month: '2026-09', account: 'subsidy_bank', balanceFen: 200_000 });
    const g = await b().call('monthclose.get', { month: '2026-09' });
    expect(g.checklist!.filter((i) => !i.ok)).toEqual([]);
    await b().call('monthclose.submit', { month: '2026-09' });
    await b().loginAs('reviewer');
    await b().call('monthclose.approve', { month: '2026-09' });
    const r = await b().call('monthclose.export', { month: '2026-09', dir: path.join(b().dir, 'out'), pdf: false });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(r.xlsxPath);
    const ws = wb.getWorksheet('收支公示')!;
    const row = (label: string) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((x) => {
        if (!found && x.getCell(1).value === label) found = x;
      });
      return [found!.getCell(2).value, found!.getCell(3).value];
    };
    expect(row('一、上月累计结余')).toEqual([13_465.67, 13_465.67]);
    expect(row('二、本月收入')).toEqual([415, 415]);
    expect(row('三、本月支出')).toEqual([52, 52]);
    expect(row('五、本月累计结余')).toEqual([13_828.67, 13_828.67]);
    const texts: string[] = [];
    ws.eachRow((x) => texts.push(String(x.getCell(1).value ?? '')));
    expect(texts.some((t) => t.includes('本账自 2026-08-31 期初建账：期初结余计入上月累计结余，不计入收入和结余；本年累计和结余率考核期从建账次月起计算。'))).toBe(true);

    // After the first close nothing about the opening changes, and verify is clean.
    await b().loginAs('accountant');
    const before = tableDigest(b());
    expect(await b().reject('opening.withdraw', { reason: '改' })).toMatchObject({ code: 'CONFLICT', message: '期初建账已过账，不能退回' });
    expect(tableDigest(b())).toBe(before);
    const rep = verifyLedger(b().db);
    expect(rep.problems).toEqual([]);
    expect(rep.coveredTables.openings).toBe(1);
    expect(rep.coveredTables.opening_lines).toBe(5);
  });

  it('a tampered opening row is named by verify', async () => {
    const copy = path.join(b().dir, 'tampered.sqlite');
    await b().db.backup(copy);
    const db = new Database(copy);
    db.exec('DROP TRIGGER openings_update');
    db.prepare('UPDATE openings SET cash_fen = 50000').run();
    db.exec('DROP TRIGGER opening_lines_no_update');
    db.prepare(`UPDATE opening_lines SET amount_fen = 1 WHERE kind = 'arrears'`).run();
    const r = verifyLedger(db);
    db.close();
    expect(r.problems.some((p) => p.table === 'openings' && p.message.includes('期初建账') && p.message.includes('cash_fen'))).toBe(true);
    expect(r.problems.some((p) => p.table === 'opening_lines' && p.message.includes('期初明细') && p.message.includes('amount_fen'))).toBe(true);
  });
});

describe('refusals on other ledgers', { timeout: 120_000 }, () => {
  it('after the first month closes no opening can be entered; nothing written', async () => {
    const t = await setupBackend({ now: () => new Date(Date.UTC(2026, 10, 5, 2)) });
    try {
      const admin = (t.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
      t.db.prepare('INSERT INTO closed_periods (period, closed_at, closed_by) VALUES (?, ?, ?)').run('2026-09', '2026-10-05T02:00:00Z', admin);
      await t.loginAs('accountant');
      const before = tableDigest(t);
      expect(await t.reject('opening.save', { date: '2026-10-31', bankFen: 100, subsidyBankFen: 0, cashFen: 0, lines: [] })).toMatchObject({
        code: 'RULE',
        message: '2026年9月已经月结过，期初建账须在第一次月结之前完成，现在不能再建账或修改期初',
      });
      expect(await t.reject('opening.save', { date: '2026-08-31', bankFen: 100, subsidyBankFen: 0, cashFen: 0, lines: [] })).toMatchObject({ code: 'LOCKED' });
      expect(tableDigest(t)).toBe(before);
    } finally {
      t.cleanup();
    }
  });

  it('an opening dated after business already booked is refused at save, naming the first date', async () => {
    const t = await setupBackend();
    try {
      await t.loginAs('accountant');
      await t.call('fund.recordIncome', { date: '2026-09-02', kind: 'donation', amountFen: 100, method: 'bank', memo: '捐赠' });
      const before = tableDigest(t);
      expect(await t.reject('opening.save', { date: '2026-09-30', bankFen: 100, subsidyBankFen: 0, cashFen: 0, lines: [] })).toMatchObject({ code: 'RULE' });
      expect(await t.reject('opening.save', { date: '2026-08-31', bankFen: 100, subsidyBankFen: 0, cashFen: 0, lines: [{ kind: 'payable', supplierId: '01890000-0000-7000-8000-000000000000', amountFen: 5 }] })).toMatchObject({
        code: 'VALIDATION',
        message: '期初明细第 1 行：找不到该供应商',
      });
      expect(tableDigest(t)).toBe(before);
      // A month end before the first business is fine.
      const v = await t.call('opening.save', { date: '2026-08-31', bankFen: 100, subsidyBankFen: 0, cashFen: 0, lines: [] });
      expect(v.totals.previousBalanceFen).toBe(100);
    } finally {
      t.cleanup();
    }
  });
});

describe('.xlsx import of the opening stock and the pupils’ balances: preview with row errors', { timeout: 120_000 }, () => {
  const xlsx = async (rows: unknown[][]): Promise<string> => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('期初');
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
  };

  it('stock rows: found items become lines, the rest say what is wrong', async () => {
    await b().loginAs('accountant');
    const before = tableDigest(b());
    const p = await b().call('opening.importPreview', {
      kind: 'stock',
      dataBase64: await xlsx([
        ['期初库存表'],
        ['品名', '数量', '金额', '保质期至', '储存方式'],
        ['大米', '25.5', '132.60', '2027-03-31', '常温'],
        ['牛奶', 12, null, null, '冷藏'],
        ['龙虾', '3', '300', null, null],
        ['白菜', 'abc', '10', '2027-02-30', '冰箱'],
      ]),
    });
    expect(p.rows.map((r) => [r.line, r.errors])).toEqual([
      [3, []],
      [4, ['金额和单价都为空']],
      [5, ['找不到食材「龙虾」，请先在食材中新增']],
      [6, ['数量「abc」应为大于零的数字（最多三位小数）', '保质期至「2027-02-30」不是有效日期（如 2027-03-31）', '储存方式「冰箱」应为 冷冻、冷藏 或 常温']],
    ]);
    expect(p.rows[0].input).toEqual({ kind: 'stock', ingredientId: w.rice, qtyMilli: 25_500, amountFen: 13_260, expiryDate: '2027-03-31', storageClass: 'ambient', note: '' });
    expect([p.okCount, p.errorCount]).toEqual([1, 3]);
    expect(tableDigest(b())).toBe(before);
  });

  it('pupil rows: by 学号, name checked, prepaid or owed', async () => {
    await b().loginAs('accountant');
    const p = await b().call('opening.importPreview', {
      kind: 'pupils',
      dataBase64: await xlsx([
        ['学号', '姓名', '预交', '欠费'],
        ['2026001', '王小明', '126', null],
        ['2026004', '刘洋', null, '50.00'],
        ['2026002', '李小华', '10', null],
        ['2099999', '无名', '10', null],
        ['2026003', '张伟', '10', '5'],
        ['2026001', '王小明', '1', null],
      ]),
    });
    expect(p.rows.map((r) => [r.line, r.errors])).toEqual([
      [2, []],
      [3, []],
      [4, ['学号 2026002 是「李小红」，与表中姓名「李小华」不符']],
      [5, ['找不到学号 2099999 的学生，请先导入花名册']],
      [6, ['同一学生不能既有预交又有欠费，请填差额']],
      [7, ['学号 2026001 与第 2 行重复']],
    ]);
    expect(p.rows.slice(0, 2).map((r) => r.input)).toEqual([
      { kind: 'prepaid', studentId: ids.wang, amountFen: 12_600, note: '' },
      { kind: 'arrears', studentId: ids.liu, amountFen: 5_000, note: '' },
    ]);
  });
});
