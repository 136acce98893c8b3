import { afterEach, describe, expect, it } from 'vitest';
import { accountBalance } from '../../electron/core/ledger/journal.ts';
import { docOf, statusMessage } from '../../electron/core/ledger/lifecycle.ts';
import { registeredTables, tableShape } from '../../electron/core/ledger/tables.ts';
import { DELIVERY_SOURCE } from '../../electron/core/domains/receiving/posting.ts';
import { tableDigest, type TestBackend } from '../helpers/backend.ts';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

/**
 * The one document lifecycle (electron/core/ledger/lifecycle.ts, declared per table in shared/tables.ts): every cancel
 * path stamps its table's declared columns and nothing else, reverses the journal and the stock of the document, and a
 * refused status says so in one form. Expected messages, columns and balances are written out by hand.
 */

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

type Row = Record<string, unknown>;
const rowOf = (b: TestBackend, table: string, id: string) => b.db.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as Row;
/** The columns whose values differ between two states of one row. */
const changed = (before: Row, after: Row) => Object.keys(after).filter((k) => before[k] !== after[k]).sort();
const userId = (b: TestBackend, username: string) => (b.db.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: string }).id;
/** A lot's stock from its movements: quantity in thousandths and value in fen. */
const lotStock = (b: TestBackend, lotId: string) =>
  b.db.prepare('SELECT sum(qty_milli) AS q, sum(value_fen) AS v FROM stock_movements WHERE lot_id = ?').get(lotId) as { q: number; v: number };

async function world(): Promise<World> {
  const w = await setupWorld();
  cleanup = () => w.b.cleanup();
  return w;
}
async function school(): Promise<FeeSchool> {
  const s = await feeSchool();
  cleanup = () => s.b.cleanup();
  return s;
}

describe('the lifecycle declarations', () => {
  it('name columns every table has, and the delivery books under the source its posting uses', () => {
    const declared = registeredTables().filter(([, e]) => e.lifecycle);
    // The tables this work declared (later document tables add theirs).
    expect(declared.map(([t]) => t)).toEqual(expect.arrayContaining(['deliveries', 'fee_receipts', 'fee_refunds', 'openings', 'stock_counts', 'stock_issues']));
    for (const [t, e] of declared) {
      const lc = e.lifecycle!;
      const cols = tableShape(t)!.columns;
      const stamp = typeof lc.cancel === 'object' ? [lc.cancel.at, lc.cancel.by, lc.cancel.reason, ...(lc.cancel.date ? [lc.cancel.date] : [])] : [];
      for (const c of [lc.column, ...(lc.name ? [lc.name] : []), ...(lc.date ? [lc.date] : []), ...(lc.amendedFrom ? [lc.amendedFrom] : []), ...stamp]) expect(cols, `${t}.${c}`).toContain(c);
    }
    expect(declared.find(([t]) => t === 'deliveries')![1].lifecycle!.journal).toBe(DELIVERY_SOURCE);
  });

  it('says a refused status in one form', () => {
    const count = docOf('stock_counts', { id: 'c', month: '2026-08', status: 'posted' }, { name: '2026年8月' });
    expect(statusMessage(count, 'save')).toBe('盘点单 2026年8月 已过账，不能修改');
    expect(statusMessage(count, 'post')).toBe('盘点单 2026年8月 已过账，不能重复过账');
    const opening = docOf('openings', { id: 'o', status: 'submitted', opening_date: '2026-08-31' });
    expect(statusMessage(opening, 'submit')).toBe('期初建账已提交待审核，不能重复提交');
    expect(statusMessage(opening, 'save', '如需修改请先退回草稿')).toBe('期初建账已提交待审核，不能修改；如需修改请先退回草稿');
    const delivery = docOf('deliveries', { id: 'd', number: 'YS2026-0012', status: 'cancelled', delivery_date: '2026-09-15' });
    expect(statusMessage(delivery, 'post')).toBe('验收单 YS2026-0012 已作废，不能过账');
  });
});

describe('deliveries', () => {
  it('a discarded draft and a cancelled posted delivery stamp the same columns, and updated_at stays the last save', async () => {
    const w = await world();
    const keeper = w.users.storekeeper;
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)]) });
    const saved = rowOf(w.b, 'deliveries', d.id);
    expect(saved.updated_at).toBe('2026-09-15T02:00:00.000Z');
    w.setNow('2026-09-15T03:00:00.000Z');
    await w.b.call('receiving.discard', { id: d.id, reason: '重复录入' });
    const discarded = rowOf(w.b, 'deliveries', d.id);
    expect(changed(saved, discarded)).toEqual(['cancel_reason', 'cancelled_at', 'cancelled_by', 'status']);
    expect(discarded).toMatchObject({ status: 'cancelled', cancelled_at: '2026-09-15T03:00:00.000Z', cancelled_by: keeper, cancel_reason: '重复录入', updated_at: '2026-09-15T02:00:00.000Z', updated_by: keeper });

    // rice 10 kg × 4.00 = 40.00 stored; cabbage 5 kg × 2.50 = 12.50 straight to the kitchen; owed 52.50.
    const p = await postNew(w, draft(w, [line(w.rice, { unitPriceFen: 400, expiryDate: '2027-02-01' }), line(w.cabbage, { receivedMilli: 5_000, unitPriceFen: 250 })]));
    expect(p.number).toBe('YS2026-0001');
    const ctx = w.b.ctx;
    expect([accountBalance(ctx, 'expense:grain'), accountBalance(ctx, 'expense:vegetable'), accountBalance(ctx, `payable:${w.supplierId}`)]).toEqual([4_000, 1_250, -5_250]);
    const lots = w.b.db.prepare('SELECT id, direct FROM stock_lots WHERE delivery_id = ? ORDER BY line_no').all(p.id) as { id: string; direct: number }[];
    expect(lots.map((l) => [l.direct, lotStock(w.b, l.id)])).toEqual([[0, { q: 10_000, v: 4_000 }], [1, { q: 0, v: 0 }]]);
    const posted = rowOf(w.b, 'deliveries', p.id);

    await w.b.loginAs('accountant');
    w.setNow('2026-09-15T04:00:00.000Z');
    await w.b.call('receiving.cancel', { id: p.id, reason: '单价录错', amend: false });
    const cancelled = rowOf(w.b, 'deliveries', p.id);
    expect(changed(posted, cancelled)).toEqual(['cancel_reason', 'cancelled_at', 'cancelled_by', 'status']);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelled_at: '2026-09-15T04:00:00.000Z', cancelled_by: w.users.accountant, cancel_reason: '单价录错', updated_at: '2026-09-15T03:00:00.000Z' });
    // The journal reversed by source, on the delivery's date; the stored lot emptied and the direct issue reversed.
    expect([accountBalance(ctx, 'expense:grain'), accountBalance(ctx, 'expense:vegetable'), accountBalance(ctx, `payable:${w.supplierId}`)]).toEqual([0, 0, 0]);
    expect(w.b.db.prepare('SELECT entry_date, memo FROM journal_entries WHERE source_id = ? AND reverses IS NOT NULL').all(p.id)).toEqual([
      { entry_date: '2026-09-15', memo: '作废验收单 YS2026-0001：单价录错' },
    ]);
    expect(lots.map((l) => lotStock(w.b, l.id))).toEqual([{ q: 0, v: 0 }, { q: 0, v: 0 }]);
    expect(w.b.db.prepare('SELECT number, issue_date, note FROM stock_issues WHERE delivery_id = ? AND reverses IS NOT NULL').all(p.id)).toEqual([
      { number: 'CK2026-0002', issue_date: '2026-09-15', note: '冲销 CK2026-0001：验收单 YS2026-0001作废' },
    ]);

    // Not twice, not posted again, and a draft is not cancelled but discarded: each refused in one form, nothing written.
    const before = tableDigest(w.b);
    expect(await w.b.reject('receiving.cancel', { id: p.id, reason: '再来一次' })).toMatchObject({ code: 'CONFLICT', message: '验收单 YS2026-0001 已作废，不能重复作废' });
    expect(await w.b.reject('receiving.post', { id: p.id })).toMatchObject({ code: 'CONFLICT', message: '验收单 YS2026-0001 已作废，不能过账' });
    expect(await w.b.reject('receiving.discard', { id: d.id, reason: '再来一次' })).toMatchObject({ code: 'CONFLICT', message: '验收单已作废，不能重复作废' });
    expect(await w.b.reject('receiving.saveDraft', { id: d.id, draft: draft(w, [line(w.rice)]) })).toMatchObject({ code: 'CONFLICT', message: '验收单已作废，不能修改' });
    const photo = { lineNo: null, certKind: null, kind: 'photo', fileName: 'a.png', mime: 'image/png', dataBase64: 'iVBORw0KGgo=' };
    expect(await w.b.reject('receiving.attach', { deliveryId: p.id, ...photo })).toMatchObject({ code: 'CONFLICT', message: '验收单 YS2026-0001 已作废，不能添加附件' });
    expect(tableDigest(w.b)).toBe(before);
  });

  it('a posted delivery is not discarded, a draft is not cancelled', async () => {
    const w = await world();
    const p = await postNew(w, draft(w, [line(w.cabbage, { unitPriceFen: 250 })]));
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.cabbage, { unitPriceFen: 250 })]) });
    const before = tableDigest(w.b);
    expect(await w.b.reject('receiving.discard', { id: p.id, reason: '不要了' })).toMatchObject({ code: 'CONFLICT', message: '验收单 YS2026-0001 已过账，不能作废；请用“作废并更正”' });
    expect(await w.b.reject('receiving.cancel', { id: d.id, reason: '不要了' })).toMatchObject({ code: 'CONFLICT', message: '验收单还是草稿，不能作废；草稿直接修改或作废草稿即可' });
    expect(tableDigest(w.b)).toBe(before);
  });
});

describe('the cancel stamps in SQL (migration 0019)', () => {
  it('refuses a discard that changes the draft or leaves who out, and a cancel without who', async () => {
    const w = await world();
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.cabbage, { unitPriceFen: 250 })]) });
    const p = await postNew(w, draft(w, [line(w.cabbage, { unitPriceFen: 250 })]));
    const run = (sql: string, ...args: unknown[]) => () => w.b.db.prepare(sql).run(...args);
    const stamp = `status = 'cancelled', cancelled_at = '2026-09-15T03:00:00.000Z', cancel_reason = '重复'`;
    expect(run(`UPDATE deliveries SET ${stamp}, cancelled_by = ?, updated_at = '2026-09-15T03:00:00.000Z' WHERE id = ?`, w.users.storekeeper, d.id)).toThrow('作废草稿只记录作废时间、作废人和原因，不能同时修改内容');
    expect(run(`UPDATE deliveries SET ${stamp}, cancelled_by = ?, total_fen = 0 WHERE id = ?`, w.users.storekeeper, d.id)).toThrow('作废草稿只记录作废时间、作废人和原因，不能同时修改内容');
    expect(run(`UPDATE deliveries SET ${stamp} WHERE id = ?`, d.id)).toThrow('作废验收单须记录作废人');
    expect(run(`UPDATE deliveries SET ${stamp} WHERE id = ?`, p.id)).toThrow('作废验收单须记录作废人');
    // A posted delivery's content is still refused in migration 0002's words.
    expect(run(`UPDATE deliveries SET ${stamp}, total_fen = 0 WHERE id = ?`, p.id)).toThrow('已过账或已作废的验收单不能修改，只能作废后更正');
    // The stamps alone pass (rolled back: written behind the app's back they would be tampering).
    const tx = w.b.db.transaction(() => {
      run(`UPDATE deliveries SET ${stamp}, cancelled_by = ? WHERE id = ?`, w.users.storekeeper, d.id)();
      run(`UPDATE deliveries SET ${stamp}, cancelled_by = ? WHERE id = ?`, w.users.storekeeper, p.id)();
      throw new Error('rollback');
    });
    expect(tx).toThrow('rollback');
  });
});

describe('receipts and refunds', () => {
  it('void in the same columns, reverse their entries on the day of the void, and only once', async () => {
    const s = await school();
    const cashier = userId(s.b, 'cashier');
    // 王小明, lunch: 21 school days × 6.00 = 126.00 in cash.
    const [receipt] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: s.students['王小明'].id }] });
    expect(receipt).toMatchObject({ number: 'SJ2026-0001', amountFen: 12_600 });
    // Ill from Fri 11 Sep (notice), Mon 14 and Tue 15 refunded: 2 × 6.00 = 12.00.
    const refund = await s.b.call('refunds.create', {
      studentId: s.students['王小明'].id, reason: 'illness', noticeDate: '2026-09-11', lastDay: '2026-09-15', appliedOn: '2026-09-14', teacherName: '黄老师', teacherConfirmedOn: '2026-09-14', note: '',
    });
    expect(refund).toMatchObject({ number: 'TF2026-0001', amountFen: 1_200 });
    expect([s.balance('cash'), s.balance('income:fees'), s.balance('income:refunds'), s.balance('refunds_payable')]).toEqual([12_600, -12_600, 1_200, -1_200]);

    s.setToday('2026-09-16');
    const refundBefore = rowOf(s.b, 'fee_refunds', refund.id);
    await s.b.call('refunds.void', { id: refund.id, reason: '误录' });
    const refundAfter = rowOf(s.b, 'fee_refunds', refund.id);
    expect(changed(refundBefore, refundAfter)).toEqual(['status', 'void_date', 'void_reason', 'voided_at', 'voided_by']);
    expect(refundAfter).toMatchObject({ status: 'void', void_reason: '误录', void_date: '2026-09-16', voided_at: '2026-09-16T02:00:00.000Z', voided_by: cashier });

    const receiptBefore = rowOf(s.b, 'fee_receipts', receipt.id);
    await s.b.call('receipts.void', { id: receipt.id, reason: '重复收费' });
    const receiptAfter = rowOf(s.b, 'fee_receipts', receipt.id);
    expect(changed(receiptBefore, receiptAfter)).toEqual(['status', 'void_date', 'void_reason', 'voided_at', 'voided_by']);
    expect(receiptAfter).toMatchObject({ status: 'void', void_reason: '重复收费', void_date: '2026-09-16', voided_at: '2026-09-16T02:00:00.000Z', voided_by: cashier });

    expect([s.balance('cash'), s.balance('income:fees'), s.balance('income:refunds'), s.balance('refunds_payable')]).toEqual([0, 0, 0, 0]);
    expect(s.b.db.prepare(`SELECT entry_date, memo FROM journal_entries WHERE reverses IS NOT NULL ORDER BY memo`).all()).toEqual([
      { entry_date: '2026-09-16', memo: '作废收据 SJ2026-0001：重复收费' },
      { entry_date: '2026-09-16', memo: '作废退费 TF2026-0001：误录' },
    ]);

    const before = tableDigest(s.b);
    expect(await s.b.reject('receipts.void', { id: receipt.id, reason: '再次' })).toMatchObject({ code: 'CONFLICT', message: '收据 SJ2026-0001 已作废，不能重复作废' });
    expect(await s.b.reject('refunds.void', { id: refund.id, reason: '再次' })).toMatchObject({ code: 'CONFLICT', message: '退费 TF2026-0001 已作废，不能重复作废' });
    expect(await s.b.reject('refunds.pay', { id: refund.id, paidOn: '2026-09-16', method: 'cash' })).toMatchObject({ code: 'CONFLICT', message: '退费 TF2026-0001 已作废，不能退付' });
    expect(tableDigest(s.b)).toBe(before);
  });
});

describe('stock issues', () => {
  it('are cancelled by one reversing issue that puts the stock back, and never twice', async () => {
    const w = await world();
    // rice 10 kg × 4.00 = 40.00 into one lot on 3 Sep; 4 kg leave on the 10th: 4/10 of 40.00 = 16.00.
    await postNew(w, draft(w, [line(w.rice, { unitPriceFen: 400, expiryDate: '2027-02-01' })], { date: '2026-09-03' }));
    const lot = (w.b.db.prepare('SELECT id FROM stock_lots').get() as { id: string }).id;
    const issue = await w.b.call('storeroom.issue', { date: '2026-09-10', meal: 'lunch', lines: [{ ingredientId: w.rice, qtyMilli: 4_000 }] });
    expect(issue).toMatchObject({ number: 'CK2026-0001', totalFen: 1_600 });
    expect(lotStock(w.b, lot)).toEqual({ q: 6_000, v: 2_400 });

    w.setNow('2026-09-15T05:00:00.000Z');
    const reversal = await w.b.call('storeroom.cancelIssue', { id: issue.id, date: '2026-09-12', reason: '录错餐次' });
    expect(reversal).toMatchObject({ number: 'CK2026-0002', date: '2026-09-12', reverses: issue.id, totalFen: -1_600 });
    expect(rowOf(w.b, 'stock_issues', reversal.id)).toMatchObject({
      issue_date: '2026-09-12', note: '冲销 CK2026-0001：录错餐次', reverses: issue.id, created_at: '2026-09-15T05:00:00.000Z', created_by: w.users.storekeeper,
    });
    expect(lotStock(w.b, lot)).toEqual({ q: 10_000, v: 4_000 });

    const before = tableDigest(w.b);
    expect(await w.b.reject('storeroom.cancelIssue', { id: issue.id, date: '2026-09-12', reason: '再次' })).toMatchObject({ code: 'CONFLICT', message: '出库单 CK2026-0001 已冲销，不能重复冲销' });
    expect(await w.b.reject('storeroom.cancelIssue', { id: reversal.id, date: '2026-09-12', reason: '再次' })).toMatchObject({ code: 'CONFLICT', message: '出库单 CK2026-0002 是冲销单，不能冲销' });
    expect(tableDigest(w.b)).toBe(before);
  });
});
