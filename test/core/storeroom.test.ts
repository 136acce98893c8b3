import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstBrokenAudit } from '../../electron/core/ledger/audit.ts';
import { shareHalfUp } from '../../electron/core/domains/storeroom/ledger.ts';
import { categoryCost } from '../../electron/core/domains/storeroom/index.ts';
import { tableDigest } from '../helpers/backend.ts';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

let w: World;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.b.cleanup());

const porkCerts = { animal_quarantine: 'DQ-350102-0001', meat_quality: 'RP-0001' };
const rice = (w: World, kg: number, priceFen: number, expiryDate: string | null, over = {}) =>
  line(w.rice, { receivedMilli: kg * 1000, unitPriceFen: priceFen, expiryDate, ...over });
const deliver = (w: World, date: string, lines: ReturnType<typeof line>[]) => postNew(w, draft(w, lines, { date, noteNumber: `SH-${date}` }));
const lotsOf = async (w: World) => (await w.b.call('storeroom.stock', { includeEmpty: true })).flatMap((i) => i.lots);

describe('stock-in at delivery posting', () => {
  it('turns accepted storable lines into lots and issues the rest straight to the day’s kitchen, leaving the journal as it was', async () => {
    // rice 100 kg × 4.20 = 420.00 stored; pork 20 kg × 28.00 = 560.00 direct; cabbage 12 received, 2 rejected,
    // 10 kg × 2.50 = 25.00 direct.
    const d = await deliver(w, '2026-09-03', [
      rice(w, 100, 420, '2027-02-01'),
      line(w.pork, { receivedMilli: 20_000, unitPriceFen: 2800, storageClass: 'chilled', certs: porkCerts }),
      line(w.cabbage, { receivedMilli: 12_000, acceptedMilli: 10_000, rejectedMilli: 2_000, rejectReason: '烂叶', disposition: 'returned', unitPriceFen: 250 }),
    ]);
    const stock = await w.b.call('storeroom.stock', {});
    expect(stock.map((i) => [i.name, i.onHandMilli, i.onHandValueFen])).toEqual([['大米', 100_000, 42_000]]);
    expect(stock[0].lots[0]).toMatchObject({ deliveryId: d.id, deliveryNumber: d.number, receivedOn: '2026-09-03', expiryDate: '2027-02-01', storageClass: 'ambient', unitPriceFen: 420, inMilli: 100_000, inValueFen: 42_000, direct: false });

    const meal = await w.b.call('storeroom.mealTrace', { date: '2026-09-03', meal: null });
    expect(meal.lines.map((l) => [l.ingredientName, l.qtyMilli, l.valueFen, l.meal, l.deliveryNumber])).toEqual([
      ['猪肉', 20_000, 56_000, null, d.number],
      ['白菜', 10_000, 2_500, null, d.number],
    ]);
    expect(meal.totalFen).toBe(58_500);
    // The direct issue is one 出库单 pointing at the delivery.
    const issues = await w.b.call('storeroom.issues', {});
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ number: 'CK2026-0001', meal: null, deliveryId: d.id, totalFen: 58_500 });

    // The journal still books every accepted amount as expense by category at posting.
    const postings = w.b.db
      .prepare(`SELECT p.account, p.amount_fen FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.source_id = ? ORDER BY p.account`)
      .all(d.id);
    expect(postings).toEqual([
      { account: 'expense:grain', amount_fen: 42_000 },
      { account: 'expense:meat', amount_fen: 56_000 },
      { account: 'expense:vegetable', amount_fen: 2_500 },
      { account: `payable:${w.supplierId}`, amount_fen: -100_500 },
    ]);
    const cost = await w.b.call('storeroom.categoryCost', { month: '2026-09' });
    const row = (c: string) => cost.rows.find((r) => r.category === c)!;
    expect(row('grain')).toMatchObject({ openingFen: 0, purchasesFen: 42_000, closingFen: 42_000, consumedFen: 0 });
    expect(row('meat')).toMatchObject({ openingFen: 0, purchasesFen: 56_000, closingFen: 0, consumedFen: 56_000, issuedFen: 56_000 });
    expect(row('vegetable')).toMatchObject({ purchasesFen: 2_500, consumedFen: 2_500 });
    expect(firstBrokenAudit(w.b.db)).toBeNull();
  });

  it('cancelling an untouched delivery takes its stock out again; one whose stock was issued is refused and nothing is written', async () => {
    const a = await deliver(w, '2026-09-03', [rice(w, 10, 400, '2027-02-01'), line(w.cabbage, { receivedMilli: 5_000, unitPriceFen: 250 })]);
    await w.b.call('receiving.cancel', { id: a.id, reason: '单价录错', amend: false });
    expect((await w.b.call('storeroom.stock', {})).length).toBe(0);
    // The direct issue was reversed with it: the day's kitchen got nothing from the cancelled delivery.
    expect((await w.b.call('storeroom.mealTrace', { date: '2026-09-03', meal: null })).totalFen).toBe(0);
    expect((await w.b.call('storeroom.categoryCost', { month: '2026-09' })).total).toMatchObject({ purchasesFen: 0, consumedFen: 0, closingFen: 0 });

    const b = await deliver(w, '2026-09-04', [rice(w, 10, 400, '2027-02-01')]);
    await w.b.call('storeroom.issue', { date: '2026-09-05', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
    const before = tableDigest(w.b);
    const e = await w.b.reject('receiving.cancel', { id: b.id, reason: '单价录错', amend: true });
    expect(e.code).toBe('RULE');
    expect(e.message).toBe(`验收单 ${b.number}的「大米」已出库或调整 1 kg，不能作废；请先冲销相关出库单，或在本月盘点/下月入库中更正`);
    expect(tableDigest(w.b)).toBe(before);
  });
});

describe('never negative', () => {
  it('refuses to issue more than is on hand, in the API and in SQL', async () => {
    await deliver(w, '2026-09-03', [rice(w, 10, 400, '2027-02-01')]);
    const before = tableDigest(w.b);
    const e = await w.b.reject('storeroom.issue', { date: '2026-09-05', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 10_001 }] });
    expect(e).toMatchObject({ code: 'RULE', message: '第 1 行「大米」：库存不足，需出库 10.001 kg，可出库 10 kg' });
    const [lot] = await lotsOf(w);
    const e2 = await w.b.reject('storeroom.issue', { date: '2026-09-05', meal: 'lunch', lines: [{ ingredientId: w.rice, lotId: lot.lotId, qtyMilli: 10_500 }] });
    expect(e2.message).toBe('第 1 行「大米」：该批次结存 10 kg，不能出库 10.5 kg');
    // Two lines that together exceed the lot: the second is refused and the first is rolled back with it.
    const e3 = await w.b.reject('storeroom.issue', { date: '2026-09-05', meal: 'dinner', lines: [{ ingredientId: w.rice, qtyMilli: 6_000 }, { ingredientId: w.rice, qtyMilli: 5_000 }] });
    expect(e3.message).toBe('第 2 行「大米」：库存不足，需出库 5 kg，可出库 4 kg');
    // Before the lot arrived there was nothing to issue.
    const e4 = await w.b.reject('storeroom.issue', { date: '2026-09-02', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
    expect(e4.message).toBe('第 1 行「大米」：库存不足，需出库 1 kg，可出库 0 kg');
    expect(tableDigest(w.b)).toBe(before);

    // SQL holds it again for anything that writes directly.
    const ins = (qty: number, value: number, date = '2026-09-05') =>
      w.b.db
        .prepare(`INSERT INTO stock_movements (id, origin, lot_id, kind, move_date, qty_milli, value_fen, reason, created_at) VALUES (?, 'x', ?, 'adjustment', ?, ?, ?, 'loss', 'now')`)
        .run(`m-${qty}-${value}-${date}`, lot.lotId, date, qty, value);
    expect(() => ins(-10_001, -4_000)).toThrow('库存数量或金额不能为负数');
    expect(() => ins(-1_000, -4_001)).toThrow('库存数量或金额不能为负数');
    expect(() => ins(-10_000, -3_999)).toThrow('批次数量为零时金额也必须为零');
    expect(() => ins(-1_000, -400, '2026-09-02')).toThrow('库存变动日期不能早于批次入库日期');
    expect(() => w.b.db.prepare(`UPDATE stock_movements SET qty_milli = 1`).run()).toThrow('库存流水不能修改，只能冲销');
    expect(() => w.b.db.prepare(`DELETE FROM stock_movements`).run()).toThrow('库存流水不能删除，只能冲销');
    expect(() => w.b.db.prepare(`UPDATE stock_lots SET in_milli = 1`).run()).toThrow('库存批次不能修改');
    expect(tableDigest(w.b)).toBe(before);
  });

  it('rejects malformed issues with Chinese messages, writing nothing', async () => {
    await deliver(w, '2026-09-03', [rice(w, 10, 400, '2027-02-01')]);
    const before = tableDigest(w.b);
    const bad = async (input: unknown) => (await w.b.reject('storeroom.issue', input)).message;
    expect(await bad({ date: '2026-09-05', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 0 }] })).toBe('出库数量必须大于 0');
    expect(await bad({ date: '2026-09-05', meal: 'supper', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] })).toBe('餐次应为早餐、午餐或晚餐');
    expect(await bad({ date: '2026-09-05', meal: 'lunch', lines: [] })).toBe('请至少填写一行出库明细');
    expect(await bad({ date: '2026-02-30', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] })).toBe('出库日期不是有效日期');
    expect(await bad({ date: '2026-09-05', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 1.5 }] })).toBe('出库数量必须是千分之一单位的整数');
    expect(tableDigest(w.b)).toBe(before);
  });

  it('refuses an issue on a date whose balance was already used by a later issue (as of its date, not only in total)', async () => {
    await deliver(w, '2026-09-03', [rice(w, 10, 400, '2027-02-01')]);
    const first = await w.b.call('storeroom.issue', { date: '2026-09-10', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 10_000 }] });
    await w.b.call('storeroom.cancelIssue', { id: first.id, date: '2026-09-12', reason: '录错餐次' });
    // 10 kg back in on the 12th; on the 11th the lot held nothing.
    const e = await w.b.reject('storeroom.issue', { date: '2026-09-11', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
    expect(e.message).toBe('第 1 行「大米」：库存不足，需出库 1 kg，可出库 0 kg');
    await w.b.call('storeroom.issue', { date: '2026-09-12', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 10_000 }] });
  });
});

describe('issue', () => {
  it('proposes lots earliest expiry first and issues them that way', async () => {
    await deliver(w, '2026-09-01', [rice(w, 30, 400, '2027-03-01')]);
    await deliver(w, '2026-09-02', [rice(w, 20, 410, '2026-12-01')]);
    await deliver(w, '2026-09-03', [rice(w, 25, 420, '2027-01-15')]);
    const p = await w.b.call('storeroom.proposeIssue', { ingredientId: w.rice, qtyMilli: 50_000, date: '2026-09-05' });
    expect(p.lines.map((l) => [l.expiryDate, l.qtyMilli])).toEqual([
      ['2026-12-01', 20_000],
      ['2027-01-15', 25_000],
      ['2027-03-01', 5_000],
    ]);
    expect(p).toMatchObject({ requestedMilli: 50_000, availableMilli: 75_000, proposedMilli: 50_000, shortMilli: 0 });
    const short = await w.b.call('storeroom.proposeIssue', { ingredientId: w.rice, qtyMilli: 80_000, date: '2026-09-05' });
    expect(short).toMatchObject({ proposedMilli: 75_000, shortMilli: 5_000 });

    const issue = await w.b.call('storeroom.issue', { date: '2026-09-05', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 50_000 }], note: '' });
    // 20 kg × 4.10 = 82.00; 25 kg × 4.20 = 105.00; 5 of 30 kg × 4.00 = 20.00
    expect(issue.lines.map((l) => [l.expiryDate, l.qtyMilli, l.valueFen])).toEqual([
      ['2026-12-01', 20_000, 8_200],
      ['2027-01-15', 25_000, 10_500],
      ['2027-03-01', 5_000, 2_000],
    ]);
    expect(issue).toMatchObject({ number: 'CK2026-0001', meal: 'lunch', totalFen: 20_700, createdByName: '张保管' });
    const audit = w.b.db.prepare(`SELECT action, user_id FROM audit_log WHERE entity = 'stock_issue' AND entity_id = ?`).all(issue.id);
    expect(audit).toEqual([{ action: 'issue', user_id: w.users.storekeeper }]);
  });

  it('never issues an expired lot: it is disposed of with 过期销毁 instead', async () => {
    w.setNow('2026-09-21T02:00:00Z'); // the day of the issues below: nothing is booked ahead of the day
    await deliver(w, '2026-09-03', [rice(w, 10, 400, '2026-09-20')]);
    await deliver(w, '2026-09-04', [rice(w, 5, 400, '2027-01-01')]);
    const [expiring] = (await lotsOf(w)).filter((l) => l.expiryDate === '2026-09-20');
    // On its expiry day it may still be used.
    const p0 = await w.b.call('storeroom.proposeIssue', { ingredientId: w.rice, qtyMilli: 1_000, date: '2026-09-20' });
    expect(p0.lines.map((l) => l.lotId)).toEqual([expiring.lotId]);
    const p = await w.b.call('storeroom.proposeIssue', { ingredientId: w.rice, qtyMilli: 8_000, date: '2026-09-21' });
    expect(p.lines.map((l) => [l.expiryDate, l.qtyMilli])).toEqual([['2027-01-01', 5_000]]);
    expect(p.expiredLots.map((l) => [l.lotId, l.onHandMilli, l.state])).toEqual([[expiring.lotId, 10_000, 'expired']]);
    expect(p.shortMilli).toBe(3_000);

    const before = tableDigest(w.b);
    const e = await w.b.reject('storeroom.issue', { date: '2026-09-21', meal: 'lunch', lines: [{ ingredientId: w.rice, lotId: expiring.lotId, qtyMilli: 1_000 }] });
    expect(e).toMatchObject({ code: 'RULE', message: '第 1 行「大米」：该批次已过保质期（保质期至 2026-09-20），不能出库；请以“过期销毁”报损处理' });
    const e2 = await w.b.reject('storeroom.issue', { date: '2026-09-21', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 8_000 }] });
    expect(e2.message).toBe('第 1 行「大米」：库存不足，需出库 8 kg，可出库 5 kg（另有已过期 10 kg，不能出库，请报损销毁）');
    const e3 = await w.b.reject('storeroom.adjust', { lotId: expiring.lotId, date: '2026-09-19', qtyMilli: 10_000, reason: 'expired' });
    expect(e3.message).toBe('「大米」该批次在 2026-09-19 未过保质期，不能按“过期销毁”处理');
    expect(tableDigest(w.b)).toBe(before);

    const m = await w.b.call('storeroom.adjust', { lotId: expiring.lotId, date: '2026-09-21', qtyMilli: 10_000, reason: 'expired', note: '霉变，已销毁' });
    expect(m).toMatchObject({ kind: 'adjustment', qtyMilli: -10_000, valueFen: -4_000, reason: 'expired', createdByName: '张保管' });
    const cost = await w.b.call('storeroom.categoryCost', { month: '2026-09' });
    expect(cost.rows.find((r) => r.category === 'grain')).toMatchObject({ purchasesFen: 6_000, adjustmentsFen: -4_000, closingFen: 2_000, consumedFen: 4_000 });
  });

  it('values issues as a half-up share of what remains, so a lot issued to the end sums exactly to its value', async () => {
    expect(shareHalfUp(5, 500, 1_000)).toBe(3); // 2.5 → 3
    expect(shareHalfUp(833, 1_000, 2_500)).toBe(333); // 333.2
    expect(shareHalfUp(833, 1_000, 1_000)).toBe(833);
    expect(shareHalfUp(99_999_999_999, 999_999_999_999, 1_000_000_000_000)).toBe(99_999_999_999); // 99999999998.9 → exact, no float error
    // 2.5 kg × 3.33 = 8.325 → 8.33 (833 fen). Issue 1 kg: 833 × 1/2.5 = 333.2 → 333; then 0.7 of the remaining 1.5 kg
    // (500 fen): 233.33 → 233; the last 0.8 kg takes the rest, 267. 333 + 233 + 267 = 833.
    await deliver(w, '2026-09-03', [rice(w, 0, 333, '2027-02-01', { receivedMilli: 2_500 })]);
    const values: number[] = [];
    for (const q of [1_000, 700, 800]) {
      const i = await w.b.call('storeroom.issue', { date: '2026-09-05', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: q }] });
      values.push(i.totalFen);
    }
    expect(values).toEqual([333, 233, 267]);
    const [lot] = await lotsOf(w);
    expect(lot).toMatchObject({ inValueFen: 833, onHandMilli: 0, onHandValueFen: 0 });
  });

  it('lets the storekeeper issue; finance and the principal read; the parent reads the trace only', async () => {
    await deliver(w, '2026-09-03', [rice(w, 10, 400, '2027-02-01')]);
    const [lot] = await lotsOf(w);
    for (const u of ['accountant', 'reviewer', 'admin', 'parent']) {
      await w.b.loginAs(u);
      const e = await w.b.reject('storeroom.issue', { date: '2026-09-05', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
      expect(e.code).toBe('FORBIDDEN');
      expect((await w.b.call('storeroom.lotTrace', { lotId: lot.lotId })).lot.lotId).toBe(lot.lotId);
    }
    expect((await w.b.reject('storeroom.stock', {})).code).toBe('FORBIDDEN');
    expect((await w.b.reject('storeroom.categoryCost', { month: '2026-09' })).code).toBe('FORBIDDEN');
    await w.b.loginAs('accountant');
    expect((await w.b.call('storeroom.stock', {})).length).toBe(1);
  });

  it('refuses writes into a closed month', async () => {
    await deliver(w, '2026-08-20', [rice(w, 10, 400, '2027-02-01')]);
    w.b.db.prepare(`INSERT INTO closed_periods (period, closed_at, closed_by) VALUES ('2026-08', 'now', 'x')`).run();
    const before = tableDigest(w.b);
    const e = await w.b.reject('storeroom.issue', { date: '2026-08-25', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
    expect(e).toMatchObject({ code: 'LOCKED', message: '2026年8月已月结锁定，不能再记账；如需更正请由审核人填写理由后反结账' });
    expect((await w.b.reject('storeroom.countStart', { month: '2026-08' })).code).toBe('LOCKED');
    expect(tableDigest(w.b)).toBe(before);
    await w.b.call('storeroom.issue', { date: '2026-09-01', meal: 'breakfast', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
  });

  it('lists lots expiring within the profile’s days on the home page', async () => {
    // Today is 2026-09-15; nearExpiryDays is 3.
    await deliver(w, '2026-09-10', [rice(w, 10, 400, '2026-09-18'), rice(w, 5, 400, '2026-09-19')]);
    const items = (await w.b.call('home.attention', {})).filter((i) => i.kind === 'near_expiry');
    expect(items.map((i) => [i.severity, i.title])).toEqual([['warning', '大米：库存临期（保质期至 2026-09-18）']]);
  });
});

describe('month-end count and the cost as consumed', () => {
  /**
   * August, worked by hand:
   *   08-03 rice 100 kg × 4.20 = 420.00 stored (lot 1); pork 20 kg × 28.00 = 560.00 direct.
   *   08-10 lunch: 60 kg rice from lot 1 = 420.00 × 60/100 = 252.00; lot 1 keeps 40 kg, 168.00.
   *   08-20 rice 10 kg × 4.50 = 45.00 (lot 2).
   *   Count: lot 1 found 39.5 kg → 0.5 kg 损耗 = 168.00 × 0.5/40 = 2.10; lot 2 found 10.2 kg → 0.2 kg 盘盈 at 4.50 = 0.90.
   *   Book 168.00 + 45.00 = 213.00; adjustments −2.10 + 0.90 = −1.20; closing 211.80.
   *   粮油: opening 0 + purchases 465.00 − closing 211.80 = consumed 253.20 (= 252.00 issued + 1.20 net loss).
   *   肉禽蛋: 0 + 560.00 − 0 = 560.00.
   * September:
   *   09-02 lunch: 45 kg rice: lot 1 (expires first) all 39.5 kg = 165.90; lot 2 5.5 of 10.2 kg (45.90) = 24.75;
   *   lot 2 keeps 4.7 kg, 21.15.  09-10 rice 50 kg × 4.30 = 215.00 (lot 3).
   *   粮油: opening 211.80 + purchases 215.00 − closing (21.15 + 215.00 = 236.15) = consumed 190.65 (= 165.90 + 24.75).
   */
  it('counts, posts the differences as adjustments that balance, and consumption = opening + purchases − closing', async () => {
    await deliver(w, '2026-08-03', [rice(w, 100, 420, '2027-02-01'), line(w.pork, { receivedMilli: 20_000, unitPriceFen: 2800, storageClass: 'chilled', certs: porkCerts })]);
    const i1 = await w.b.call('storeroom.issue', { date: '2026-08-10', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 60_000 }] });
    expect(i1.totalFen).toBe(25_200);
    await deliver(w, '2026-08-20', [rice(w, 10, 450, '2027-03-01')]);

    const started = await w.b.call('storeroom.countStart', { month: '2026-08' });
    expect(started).toMatchObject({ month: '2026-08', date: '2026-08-31', status: 'open', bookValueFen: 21_300, uncounted: 2, countedValueFen: null });
    const [lot1, lot2] = [...started.lines].sort((a, b) => a.receivedOn.localeCompare(b.receivedOn));
    expect([lot1.bookMilli, lot1.bookValueFen, lot2.bookMilli, lot2.bookValueFen]).toEqual([40_000, 16_800, 10_000, 4_500]);

    let before = tableDigest(w.b);
    expect((await w.b.reject('storeroom.countPost', { month: '2026-08' })).message).toBe('还有 2 个批次未录入实盘数量（如「大米」），录完后才能过账');
    expect((await w.b.reject('storeroom.countEnter', { month: '2026-08', lines: [{ lotId: lot1.lotId, countedMilli: 39_500, reason: 'count_gain' }] })).message).toBe(
      '第 1 行「大米」：实盘少于账面，原因应为损耗、过期销毁或盘亏',
    );
    expect(tableDigest(w.b)).toBe(before);
    await w.b.call('storeroom.countEnter', { month: '2026-08', lines: [{ lotId: lot1.lotId, countedMilli: 39_500, reason: null }, { lotId: lot2.lotId, countedMilli: 10_200, reason: null }] });
    expect((await w.b.reject('storeroom.countPost', { month: '2026-08' })).message).toBe('「大米」实盘与账面不符，请选择差异原因（损耗、过期销毁、盘亏）');
    const entered = await w.b.call('storeroom.countEnter', { month: '2026-08', lines: [{ lotId: lot1.lotId, countedMilli: 39_500, reason: 'loss', note: '撒漏' }] });
    const l1 = entered.lines.find((l) => l.lotId === lot1.lotId)!;
    const l2 = entered.lines.find((l) => l.lotId === lot2.lotId)!;
    expect([l1.diffMilli, l1.diffValueFen, l1.reason, l2.diffMilli, l2.diffValueFen, l2.reason]).toEqual([-500, -210, 'loss', 200, 90, 'count_gain']);

    const posted = await w.b.call('storeroom.countPost', { month: '2026-08' });
    expect(posted).toMatchObject({ status: 'posted', bookValueFen: 21_300, adjustmentsFen: -120, countedValueFen: 21_180, postedByName: '张保管' });
    // The adjustments balance: book value + adjustments = value on hand after the count.
    const stock = await w.b.call('storeroom.stock', { asOf: '2026-08-31' });
    expect(stock.map((i) => [i.onHandMilli, i.onHandValueFen])).toEqual([[49_700, 21_180]]);

    const aug = categoryCost(w.b.ctx, '2026-08');
    const grain = aug.rows.find((r) => r.category === 'grain')!;
    const meat = aug.rows.find((r) => r.category === 'meat')!;
    expect(grain).toEqual({ category: 'grain', openingFen: 0, purchasesFen: 46_500, adjustmentsFen: -120, closingFen: 21_180, consumedFen: 25_320, issuedFen: 25_200 });
    expect(meat).toEqual({ category: 'meat', openingFen: 0, purchasesFen: 56_000, adjustmentsFen: 0, closingFen: 0, consumedFen: 56_000, issuedFen: 56_000 });
    expect(aug.total).toEqual({ openingFen: 0, purchasesFen: 102_500, adjustmentsFen: -120, closingFen: 21_180, consumedFen: 81_320, issuedFen: 81_200 });
    expect(aug.countPosted).toBe(true);
    expect(aug.adjustments.map((a) => [a.reason, a.qtyMilli, a.valueFen])).toEqual([
      ['loss', -500, -210],
      ['count_gain', 200, 90],
    ]);

    // The counted month is fixed: no more stock movements dated in it, and the count cannot be entered again.
    before = tableDigest(w.b);
    const e = await w.b.reject('storeroom.issue', { date: '2026-08-31', meal: 'dinner', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
    expect(e).toMatchObject({ code: 'LOCKED', message: '2026年8月库房已盘点过账，2026-08-31 不能再有库存变动' });
    expect((await w.b.reject('storeroom.countEnter', { month: '2026-08', lines: [{ lotId: lot1.lotId, countedMilli: 1 }] })).message).toBe('盘点单 2026年8月 已过账，不能修改');
    expect(() => w.b.db.prepare(`UPDATE stock_count_lines SET counted_milli = 1`).run()).toThrow('已过账的盘点不能修改');
    expect(tableDigest(w.b)).toBe(before);

    const i2 = await w.b.call('storeroom.issue', { date: '2026-09-02', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 45_000 }] });
    expect(i2.lines.map((l) => [l.lotId, l.qtyMilli, l.valueFen])).toEqual([
      [lot1.lotId, 39_500, 16_590],
      [lot2.lotId, 5_500, 2_475],
    ]);
    await deliver(w, '2026-09-10', [rice(w, 50, 430, '2027-04-01')]);
    const sep = await w.b.call('storeroom.categoryCost', { month: '2026-09' });
    expect(sep.rows.find((r) => r.category === 'grain')).toEqual({ category: 'grain', openingFen: 21_180, purchasesFen: 21_500, adjustmentsFen: 0, closingFen: 23_615, consumedFen: 19_065, issuedFen: 19_065 });
    expect(sep.countPosted).toBe(false);
    expect(firstBrokenAudit(w.b.db)).toBeNull();
  });

  it('asks for a refresh when stock moved after the count sheet was made, keeping what was counted', async () => {
    await deliver(w, '2026-08-03', [rice(w, 10, 400, '2027-02-01')]);
    const c = await w.b.call('storeroom.countStart', { month: '2026-08' });
    await w.b.call('storeroom.countEnter', { month: '2026-08', lines: [{ lotId: c.lines[0].lotId, countedMilli: 9_000, reason: 'count_loss' }] });
    await w.b.call('storeroom.issue', { date: '2026-08-31', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
    const before = tableDigest(w.b);
    expect((await w.b.reject('storeroom.countPost', { month: '2026-08' })).message).toBe('开始盘点后库存有变动，请先“刷新账面数”，核对后再过账');
    // Today is 2026-09-15: October cannot be counted yet.
    expect((await w.b.reject('storeroom.countStart', { month: '2026-10' })).message).toBe('2026年10月还没到，不能盘点');
    expect(tableDigest(w.b)).toBe(before);
    const refreshed = await w.b.call('storeroom.countStart', { month: '2026-08' });
    expect(refreshed.lines.map((l) => [l.bookMilli, l.countedMilli, l.diffMilli, l.reason])).toEqual([[9_000, 9_000, 0, null]]);
    const posted = await w.b.call('storeroom.countPost', { month: '2026-08' });
    expect(posted).toMatchObject({ adjustmentsFen: 0, countedValueFen: 3_600 });
  });
});

describe('trace', () => {
  it('follows a lot to its delivery, supplier, inspectors and certificates, and a meal to its lots', async () => {
    const d = await deliver(w, '2026-09-03', [rice(w, 10, 400, '2027-02-01', { batchNo: 'B-0901' }), line(w.pork, { receivedMilli: 5_000, unitPriceFen: 2800, storageClass: 'chilled', certs: porkCerts })]);
    const [lot] = (await lotsOf(w)).filter((l) => !l.direct);
    await w.b.call('storeroom.issue', { date: '2026-09-04', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 4_000 }] });
    await w.b.call('storeroom.issue', { date: '2026-09-04', meal: 'dinner', lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
    await w.b.loginAs('parent');
    const t = await w.b.call('storeroom.lotTrace', { lotId: lot.lotId });
    expect(t.delivery).toMatchObject({ id: d.id, number: d.number, supplierName: '城东农产品配送有限公司', inspectors: ['张保管', '李验收'], batchNo: 'B-0901' });
    expect(t.movements.map((m) => [m.kind, m.date, m.qtyMilli, m.meal])).toEqual([
      ['in', '2026-09-03', 10_000, null],
      ['issue', '2026-09-04', -4_000, 'lunch'],
      ['issue', '2026-09-04', -1_000, 'dinner'],
    ]);
    const porkLot = (await w.b.call('storeroom.lots', {})).find((l) => l.direct)!;
    expect((await w.b.call('storeroom.lotTrace', { lotId: porkLot.lotId })).delivery?.certs).toEqual(porkCerts);
    const lunch = await w.b.call('storeroom.mealTrace', { date: '2026-09-04', meal: 'lunch' });
    expect(lunch.lines.map((l) => [l.ingredientName, l.qtyMilli, l.valueFen, l.deliveryNumber, l.supplierName])).toEqual([['大米', 4_000, 1_600, d.number, '城东农产品配送有限公司']]);
  });
});

describe('profile and counted months at stock-in', () => {
  it('sends every accepted line straight to the kitchen when the profile does not use the storeroom', async () => {
    await w.b.loginAs('admin');
    const school = await w.b.call('school.get', {});
    await w.b.call('school.update', { name: school.name, profile: { ...school.profile, usesStoreroom: false } });
    await w.b.loginAs('storekeeper');
    await deliver(w, '2026-09-03', [rice(w, 10, 400, '2027-02-01')]);
    expect(await w.b.call('storeroom.stock', {})).toEqual([]);
    const cost = await w.b.call('storeroom.categoryCost', { month: '2026-09' });
    expect(cost.rows.find((r) => r.category === 'grain')).toMatchObject({ purchasesFen: 4_000, consumedFen: 4_000, closingFen: 0 });
  });

  it('refuses stored goods dated in a counted month at posting; direct goods still go to that day’s kitchen', async () => {
    await w.b.call('storeroom.countStart', { month: '2026-08' });
    await w.b.call('storeroom.countPost', { month: '2026-08' });
    const saved = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [rice(w, 10, 400, '2027-02-01')], { date: '2026-08-20' }) });
    const before = tableDigest(w.b);
    const e = await w.b.reject('receiving.post', { id: saved.id });
    expect(e).toMatchObject({ code: 'LOCKED', message: '2026年8月库房已盘点过账，2026-08-20 不能再有库存变动' });
    expect(tableDigest(w.b)).toBe(before);
    await deliver(w, '2026-08-20', [line(w.cabbage, { receivedMilli: 4_000, unitPriceFen: 250 })]);
    expect(categoryCost(w.b.ctx, '2026-08').rows.find((r) => r.category === 'vegetable')).toMatchObject({ purchasesFen: 1_000, consumedFen: 1_000 });
  });
});
