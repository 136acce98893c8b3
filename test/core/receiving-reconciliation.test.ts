import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountBalance } from '../../electron/core/ledger/journal.ts';
import { tableDigest } from '../helpers/backend.ts';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

let w: World;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.b.cleanup());

describe('reconciliation (对账)', () => {
  /**
   * September, 城东: SH-01 on 09-02 rice 20 kg × 5.80 = 116.00; SH-02 on 09-09 cabbage 30 kg × 2.40 = 72.00;
   * SH-03 on 09-15 rice 10 kg × 6.00 = 60.00, cancelled (not counted). October SH-04 1 kg × 6.00 (not in the month, but owed now).
   * Ours: 116.00 + 72.00 = 188.00. The statement says SH-01 116.00, SH-02 73.50, plus SH-99 12.00 we never received:
   * total 201.50; difference per delivery 0 and +1.50, in total 201.50 − 188.00 = +13.50.
   */
  async function september() {
    await postNew(w, draft(w, [line(w.rice, { receivedMilli: 20_000, unitPriceFen: 580 })], { date: '2026-09-02', noteNumber: 'SH-01' }));
    await postNew(w, draft(w, [line(w.cabbage, { receivedMilli: 30_000, unitPriceFen: 240 })], { date: '2026-09-09', noteNumber: 'SH-02' }));
    const c = await postNew(w, draft(w, [line(w.rice, { receivedMilli: 10_000, unitPriceFen: 600 })], { date: '2026-09-15', noteNumber: 'SH-03' }));
    await w.b.call('receiving.cancel', { id: c.id, reason: '重复录入', amend: false });
    // other supplier, same month: not part of this statement
    await postNew(w, draft(w, [line(w.rice, { receivedMilli: 5_000, unitPriceFen: 600 })], { date: '2026-09-03', supplierId: w.supplier2Id, noteNumber: 'SH-01' }));
    w.setNow('2026-10-03T02:00:00Z');
    await postNew(w, draft(w, [line(w.rice, { receivedMilli: 1_000, unitPriceFen: 600 })], { date: '2026-10-02', noteNumber: 'SH-04' }));
    await w.b.loginAs('accountant');
  }

  it('compares the statement with the month’s posted deliveries, per delivery and in total', async () => {
    await september();
    await w.b.call('receiving.statementSave', {
      supplierId: w.supplierId,
      month: '2026-09',
      totalFen: 20_150,
      invoiceNumbers: ['FP-20260930-01'],
      lines: [
        { ref: 'SH-01', amountFen: 11_600 },
        { ref: 'SH-02', amountFen: 7_350 },
        { ref: 'SH-99', amountFen: 1_200 },
      ],
    });
    const r = await w.b.call('receiving.reconciliation', { supplierId: w.supplierId, month: '2026-09' });
    expect(r.rows.map((x) => [x.noteNumber, x.ourFen, x.statementFen, x.differenceFen])).toEqual([
      ['SH-01', 11_600, 11_600, 0],
      ['SH-02', 7_200, 7_350, 150],
    ]);
    expect(r.unmatched).toEqual([{ ref: 'SH-99', amountFen: 1_200 }]);
    expect(r).toMatchObject({ ourTotalFen: 18_800, differenceFen: 1_350, payableAtMonthEndFen: 18_800, payableNowFen: 19_400 });
    expect(r.statement?.invoiceNumbers).toEqual(['FP-20260930-01']);
  });

  it('matches by our 验收单 number as well, and a statement without lines is compared in total only', async () => {
    await september();
    await w.b.call('receiving.statementSave', { supplierId: w.supplierId, month: '2026-09', totalFen: 11_600, lines: [{ ref: 'YS2026-0001', amountFen: 11_600 }] });
    let r = await w.b.call('receiving.reconciliation', { supplierId: w.supplierId, month: '2026-09' });
    expect(r.rows.map((x) => x.differenceFen)).toEqual([0, null]);
    await w.b.call('receiving.statementSave', { supplierId: w.supplierId, month: '2026-09', totalFen: 18_800 });
    r = await w.b.call('receiving.reconciliation', { supplierId: w.supplierId, month: '2026-09' });
    expect(r.rows.map((x) => x.statementFen)).toEqual([null, null]);
    expect(r.differenceFen).toBe(0);
    const audits = w.b.db.prepare(`SELECT action FROM audit_log WHERE entity = 'supplier_statement' ORDER BY seq`).all();
    expect(audits).toEqual([{ action: 'create' }, { action: 'update' }]);
  });

  it('lists the month’s suppliers with where each stands, the worklist of one pass', async () => {
    await september();
    // By hand: 城东 posted SH-01 116.00 and SH-02 72.00 in September (SH-03 cancelled), 闽江 SH-01 5 kg × 6.00 = 30.00;
    // October's SH-04 is another month. Names in code-point order (城 U+57CE before 闽 U+95FD).
    const month = () => w.b.call('receiving.reconciliationMonth', { month: '2026-09' });
    expect(await month()).toEqual([
      { supplierId: w.supplierId, supplierName: '城东农产品配送有限公司', deliveries: 2, ourTotalFen: 18_800, statementTotalFen: null, state: 'none' },
      { supplierId: w.supplier2Id, supplierName: '闽江粮油贸易有限公司', deliveries: 1, ourTotalFen: 3_000, statementTotalFen: null, state: 'none' },
    ]);
    await w.b.call('receiving.statementSave', { supplierId: w.supplierId, month: '2026-09', totalFen: 18_800, lines: [{ ref: 'SH-01', amountFen: 11_600 }, { ref: 'SH-02', amountFen: 7_200 }] });
    await w.b.call('receiving.statementSave', { supplierId: w.supplier2Id, month: '2026-09', totalFen: 3_100 });
    expect((await month()).map((r) => [r.statementTotalFen, r.state])).toEqual([
      [18_800, 'agreed'],
      [3_100, 'different'],
    ]);
    // A statement agreeing in total but not per delivery is not agreed.
    await w.b.call('receiving.statementSave', { supplierId: w.supplierId, month: '2026-09', totalFen: 18_800, lines: [{ ref: 'SH-01', amountFen: 11_000 }, { ref: 'SH-02', amountFen: 7_800 }] });
    expect((await month())[0].state).toBe('different');
    // The checklist sends the accountant to this month's worklist, not the current month's.
    const view = await w.b.call('monthclose.get', { month: '2026-09' });
    expect(view.checklist?.find((i) => i.key === 'statements')?.link).toBe('/receiving/reconcile?month=2026-09');
    await w.b.loginAs('cashier');
    expect((await w.b.reject('receiving.reconciliationMonth', { month: '2026-09' })).code).toBe('FORBIDDEN');
  });

  it('refuses itemised lines that do not add up to the total, and non-accountants', async () => {
    await september();
    const before = tableDigest(w.b);
    const e = await w.b.reject('receiving.statementSave', { supplierId: w.supplierId, month: '2026-09', totalFen: 10_000, lines: [{ ref: 'SH-01', amountFen: 11_600 }] });
    expect(e.message).toBe('对账单逐单金额合计 116.00 元与对账单总额 100.00 元不一致');
    expect(tableDigest(w.b)).toBe(before);
    await w.b.loginAs('storekeeper');
    const before2 = tableDigest(w.b);
    expect((await w.b.reject('receiving.statementSave', { supplierId: w.supplierId, month: '2026-09', totalFen: 1 })).code).toBe('FORBIDDEN');
    expect((await w.b.reject('receiving.pay', { supplierId: w.supplierId, date: '2026-09-30', amountFen: 1, method: 'bank' })).code).toBe('FORBIDDEN');
    expect(tableDigest(w.b)).toBe(before2);
  });
});

describe('payments', () => {
  it('debit the payable, credit bank or cash; never more than is owed', async () => {
    await postNew(w, draft(w, [line(w.rice, { receivedMilli: 20_000, unitPriceFen: 580 })], { date: '2026-09-02' })); // 116.00
    await w.b.loginAs('accountant');
    const p = await w.b.call('receiving.pay', { supplierId: w.supplierId, date: '2026-09-10', amountFen: 10_000, method: 'bank', reference: 'ZZ-001' });
    expect(p).toMatchObject({ amountFen: 10_000, method: 'bank', createdByName: '刘会计' });
    await w.b.call('receiving.pay', { supplierId: w.supplierId, date: '2026-09-11', amountFen: 1_000, method: 'cash' });
    const ctx = w.b.ctx;
    expect(accountBalance(ctx, `payable:${w.supplierId}`)).toBe(-600);
    expect(accountBalance(ctx, 'bank')).toBe(-10_000);
    expect(accountBalance(ctx, 'cash')).toBe(-1_000);
    const before = tableDigest(w.b);
    expect((await w.b.reject('receiving.pay', { supplierId: w.supplierId, date: '2026-09-12', amountFen: 601, method: 'bank' })).message).toBe('付款金额 6.01 元超过应付城东农产品配送有限公司的余额 6.00 元');
    expect(() => w.b.db.prepare('UPDATE supplier_payments SET amount_fen = 1').run()).toThrow('付款记录不能修改');
    expect(() => w.b.db.prepare('DELETE FROM supplier_payments').run()).toThrow('付款记录不能删除');
    expect(tableDigest(w.b)).toBe(before);
    expect(await w.b.call('receiving.payables', {})).toEqual([{ supplierId: w.supplierId, supplierName: '城东农产品配送有限公司', balanceFen: 600 }]);
    const r = await w.b.call('receiving.reconciliation', { supplierId: w.supplierId, month: '2026-09' });
    expect(r.payments.map((x) => x.amountFen)).toEqual([10_000, 1_000]);
    expect(r.payableAtMonthEndFen).toBe(600);
  });
});

describe('attachments', () => {
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body for the test')]);
  const PDF = Buffer.from('%PDF-1.4\n% a certificate scan\n');

  it('stores by content hash (once), links to the delivery, reads back', async () => {
    const d = await postNew(w, draft(w, [line(w.rice, { expiryDate: '2026-10-01' })]));
    const a = await w.b.call('receiving.attach', { deliveryId: d.id, lineNo: 1, certKind: null, kind: 'photo', fileName: '大米.png', mime: 'image/png', dataBase64: PNG.toString('base64') });
    const file = path.join(w.b.dir, 'attachments', `${a.sha256}.png`);
    expect(fs.readFileSync(file).equals(PNG)).toBe(true);
    const b2 = await w.b.call('receiving.attach', { deliveryId: d.id, lineNo: null, certKind: null, kind: 'delivery_note', fileName: 'again.png', mime: 'image/png', dataBase64: PNG.toString('base64') });
    expect(b2.sha256).toBe(a.sha256);
    expect(fs.readdirSync(path.join(w.b.dir, 'attachments'))).toEqual([`${a.sha256}.png`]);
    expect((await w.b.call('receiving.get', { id: d.id })).attachments.map((x) => x.fileName)).toEqual(['大米.png', 'again.png']);
    expect((await w.b.call('receiving.attachmentData', { id: a.id })).dataBase64).toBe(PNG.toString('base64'));
  });

  it('refuses content that is not what it claims, and unknown lines, writing nothing', async () => {
    const d = await postNew(w, draft(w, [line(w.rice)]));
    const before = tableDigest(w.b);
    const e = await w.b.reject('receiving.attach', { deliveryId: d.id, kind: 'photo', fileName: 'x.jpg', mime: 'image/jpeg', dataBase64: PNG.toString('base64') });
    expect(e.message).toBe('文件内容与类型不符（只能上传 JPG、PNG 图片或 PDF 文件）');
    expect((await w.b.reject('receiving.attach', { deliveryId: d.id, kind: 'photo', fileName: 'x.gif', mime: 'image/gif', dataBase64: 'R0lG' })).message).toBe('只能上传 JPG、PNG 图片或 PDF 文件');
    expect((await w.b.reject('receiving.attach', { deliveryId: d.id, lineNo: 5, kind: 'photo', fileName: 'x.pdf', mime: 'application/pdf', dataBase64: PDF.toString('base64') })).message).toBe('验收单没有第 5 行');
    const big = Buffer.concat([PDF, Buffer.alloc(10 * 1024 * 1024)]);
    expect((await w.b.reject('receiving.attach', { deliveryId: d.id, kind: 'certificate', fileName: 'big.pdf', mime: 'application/pdf', dataBase64: big.toString('base64') })).message).toBe('文件不能超过 10 MB');
    expect(tableDigest(w.b)).toBe(before);
    expect(fs.existsSync(path.join(w.b.dir, 'attachments'))).toBe(false);
  });

  it('keeps files until shelf life + 6 months; deletion is refused before and recorded after', async () => {
    // expiry 2026-10-01 → keep until 2027-04-01
    const d = await postNew(w, draft(w, [line(w.rice, { expiryDate: '2026-10-01' })]));
    const a = await w.b.call('receiving.attach', { deliveryId: d.id, certKind: 'test_report', kind: 'certificate', fileName: '检测报告.pdf', mime: 'application/pdf', dataBase64: PDF.toString('base64') });
    expect(a.keepUntil).toBe('2027-04-01');
    w.setNow('2027-03-31T16:30:00Z'); // 2027-04-01 00:30 China time: the last day of retention
    const before = tableDigest(w.b);
    expect((await w.b.reject('receiving.deleteAttachment', { id: a.id, reason: '过期清理' })).message).toBe('附件须保存至 2027-04-01（保质期满后 6 个月，未标明保质期的 2 年），在此之前不能删除');
    expect(tableDigest(w.b)).toBe(before);
    expect(() => w.b.db.prepare('DELETE FROM attachments').run()).toThrow('附件记录不能删除');
    w.setNow('2027-04-01T16:00:00Z'); // 2027-04-02 China time
    await w.b.call('receiving.deleteAttachment', { id: a.id, reason: '过期清理' });
    expect(fs.existsSync(path.join(w.b.dir, 'attachments', `${a.sha256}.pdf`))).toBe(false);
    expect((await w.b.call('receiving.get', { id: d.id })).attachments).toEqual([]);
    expect(w.b.db.prepare('SELECT delete_reason FROM attachments WHERE id = ?').get(a.id)).toEqual({ delete_reason: '过期清理' });
  });

  it('keeps two years where a line states no shelf life', async () => {
    // rice expires 2026-10-01 (→ 2027-04-01), cabbage has none (delivery 2026-09-15 → 2028-09-15): the later wins
    const d = await postNew(w, draft(w, [line(w.rice, { expiryDate: '2026-10-01' }), line(w.cabbage, { unitPriceFen: 240 })]));
    const a = await w.b.call('receiving.attach', { deliveryId: d.id, kind: 'photo', fileName: 'p.png', mime: 'image/png', dataBase64: PNG.toString('base64') });
    expect(a.keepUntil).toBe('2028-09-15');
    w.setNow('2028-09-15T02:00:00Z');
    expect((await w.b.reject('receiving.deleteAttachment', { id: a.id, reason: 'x' })).code).toBe('RULE');
  });
});
