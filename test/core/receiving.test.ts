import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstBrokenAudit } from '../../electron/core/ledger/audit.ts';
import { accountBalance } from '../../electron/core/ledger/journal.ts';
import { tableDigest } from '../helpers/backend.ts';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

let w: World;
beforeEach(async () => {
  w = await setupWorld();
});
afterEach(() => w.b.cleanup());

const porkCerts = { animal_quarantine: 'DQ-350102-0001', meat_quality: 'RP-0001' };

/**
 * rice 50 kg × 5.80 = 290.00 (grain); pork received 10.5 kg, 8.25 accepted × 28.60 = 235.95 (meat), 2.25 rejected;
 * cabbage 20 kg × 2.35 = 47.00 but the supplier printed 48.00 (vegetable, booked 48.00). Total 290.00 + 235.95 + 48.00
 * = 573.95.
 */
function threeLines(w: World) {
  return draft(w, [
    line(w.rice, { receivedMilli: 50_000, unitPriceFen: 580, productionDate: '2026-09-01', shelfLifeDays: 365 }),
    line(w.pork, { receivedMilli: 10_500, acceptedMilli: 8_250, rejectedMilli: 2_250, rejectReason: '部分肉色发暗', disposition: 'returned', unitPriceFen: 2860, storageClass: 'chilled', temperatureDc: 35, certs: porkCerts }),
    line(w.cabbage, { receivedMilli: 20_000, unitPriceFen: 235, printedAmountFen: 4800 }),
  ]);
}

describe('drafts', () => {
  it('saves a draft without a number, replaces its lines on save, and shows the live findings', async () => {
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.pork, { unitPriceFen: 2800 })]) });
    expect(d).toMatchObject({ status: 'draft', number: null, totalFen: 28_000 });
    expect(d.findings.map((f) => f.code)).toEqual(['cert_missing', 'cert_missing']);
    const again = await w.b.call('receiving.saveDraft', { id: d.id, draft: threeLines(w) });
    expect(again.id).toBe(d.id);
    expect(again.lines.map((l) => [l.lineNo, l.ingredientName, l.acceptedMilli, l.amountFen, l.differenceFen])).toEqual([
      [1, '大米', 50_000, 29_000, 0],
      [2, '猪肉', 8_250, 23_595, 0],
      [3, '白菜', 20_000, 4_800, 100],
    ]);
    expect(again.totalFen).toBe(57_395);
    expect(again.lines[0].expiryDate).toBe('2027-09-01');
    expect(again.findings).toEqual([]);
  });

  it('check gives the same findings as the draft view, before anything is saved', async () => {
    const r = await w.b.call('receiving.check', { draft: draft(w, [line(w.pork, { unitPriceFen: 3500, certs: { animal_quarantine: 'D' } })], { inspectorIds: [w.users.storekeeper] }) });
    expect(r.findings.map((f) => `${f.level}:${f.code}`)).toEqual(['error:inspectors_too_few', 'error:cert_missing', 'warning:price_high']);
    expect(r.canPost).toBe(false);
  });

  it('refuses a line where received ≠ accepted + rejected, writing nothing', async () => {
    const before = tableDigest(w.b);
    const e = await w.b.reject('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice, { receivedMilli: 10_000, acceptedMilli: 9_000, rejectedMilli: 500, rejectReason: '受潮', disposition: 'returned' })]) });
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe('第 1 行：送货数量应等于合格数量加拒收数量');
    const e2 = await w.b.reject('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice, { rejectedMilli: 500 })]) });
    expect(e2.issues?.map((i) => i.message)).toContain('第 1 行：有拒收数量时请填写拒收原因');
    expect(tableDigest(w.b)).toBe(before);
  });

  it('refuses unknown references and duplicate inspectors; records a parent witness by user or by name', async () => {
    const before = tableDigest(w.b);
    expect((await w.b.reject('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { inspectorIds: [w.users.storekeeper, w.users.storekeeper] }) })).message).toBe('同一位验收人不能重复选择');
    expect((await w.b.reject('receiving.saveDraft', { id: null, draft: draft(w, [line('01900000-0000-7000-8000-000000000099')]) })).message).toBe('第 1 行：找不到该食材');
    expect((await w.b.reject('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { witnessUserId: w.users.cashier }) })).message).toBe('在场见证的应为家委会代表（不在系统中的可直接填写姓名）');
    expect(tableDigest(w.b)).toBe(before);
    const withWitness = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { witnessUserId: w.users.parent }) });
    expect(withWitness.witnessName).toBe('周家长');
    const byName = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { witnessName: '吴家长' }) });
    expect(byName.witnessName).toBe('吴家长');
  });

  it('holds the quantity rules in SQL too', async () => {
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)]) });
    const ins = (rec: number, acc: number, rej: number, reason: string, disp: string | null) =>
      w.b.db
        .prepare(
          `INSERT INTO delivery_lines (delivery_id, line_no, ingredient_id, received_milli, accepted_milli, rejected_milli, reject_reason, disposition,
            unit_price_fen, computed_amount_fen, amount_fen, storage_class) VALUES (?, 2, ?, ?, ?, ?, ?, ?, 100, 0, 0, 'ambient')`,
        )
        .run(d.id, w.rice, rec, acc, rej, reason, disp);
    expect(() => ins(1000, 900, 50, '烂', 'returned')).toThrow(/CHECK constraint failed/);
    expect(() => ins(1000, 900, 100, '', 'returned')).toThrow(/CHECK constraint failed/);
    expect(() => ins(1000, 900, 100, '烂', null)).toThrow(/CHECK constraint failed/);
    expect(() => ins(1000, 900, 100, '烂', 'eaten')).toThrow(/CHECK constraint failed/);
    expect(() => ins(1000, 1000, 0, '', 'returned')).toThrow(/CHECK constraint failed/);
  });

  it('only recorders write; the parent reads', async () => {
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)]) });
    await w.b.loginAs('parent');
    expect((await w.b.reject('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)]) })).code).toBe('FORBIDDEN');
    expect((await w.b.call('receiving.get', { id: d.id })).id).toBe(d.id);
    expect((await w.b.reject('receiving.reconciliation', { supplierId: w.supplierId, month: '2026-09' })).code).toBe('FORBIDDEN');
    await w.b.loginAs('cashier');
    expect((await w.b.reject('receiving.post', { id: d.id })).code).toBe('FORBIDDEN');
  });
});

describe('posting', () => {
  it('numbers, freezes and books accepted amounts by category against the payable', async () => {
    const p = await postNew(w, threeLines(w));
    expect(p).toMatchObject({ status: 'posted', number: 'YS2026-0001', totalFen: 57_395, postedByName: '张保管' });
    const ctx = w.b.ctx;
    expect(accountBalance(ctx, 'expense:grain')).toBe(29_000);
    expect(accountBalance(ctx, 'expense:meat')).toBe(23_595);
    expect(accountBalance(ctx, 'expense:vegetable')).toBe(4_800);
    expect(accountBalance(ctx, `payable:${w.supplierId}`)).toBe(-57_395);
    const entries = w.b.db.prepare(`SELECT id, entry_date, memo FROM journal_entries WHERE source_type = 'delivery' AND source_id = ?`).all(p.id) as { entry_date: string; memo: string }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ entry_date: '2026-09-15', memo: '验收入库 YS2026-0001 城东农产品配送有限公司' });
    expect(firstBrokenAudit(w.b.db)).toBeNull();
    const actions = (w.b.db.prepare(`SELECT action FROM audit_log WHERE entity = 'delivery' AND entity_id = ? ORDER BY seq`).all(p.id) as { action: string }[]).map((r) => r.action);
    expect(actions).toEqual(['create', 'post']);
  });

  it('refuses posting twice, with nothing written', async () => {
    const p = await postNew(w, threeLines(w));
    const before = tableDigest(w.b);
    const e = await w.b.reject('receiving.post', { id: p.id });
    expect(e).toMatchObject({ code: 'CONFLICT', message: '验收单 YS2026-0001 已过账，不能重复过账' });
    expect((await w.b.reject('receiving.saveDraft', { id: p.id, draft: threeLines(w) })).code).toBe('CONFLICT');
    expect(tableDigest(w.b)).toBe(before);
  });

  it('refuses an invalid delivery with nothing written and no number used; posts once the certificate is added', async () => {
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.pork, { unitPriceFen: 2800, certs: { animal_quarantine: 'DQ1' } })]) });
    const before = tableDigest(w.b);
    const e = await w.b.reject('receiving.post', { id: d.id });
    expect(e).toMatchObject({ code: 'RULE', message: '不能过账：第 1 行（猪肉）：缺少肉品品质检验合格证明编号' });
    expect(tableDigest(w.b)).toBe(before);
    await w.b.call('receiving.saveDraft', { id: d.id, draft: draft(w, [line(w.pork, { unitPriceFen: 2800, certs: porkCerts })]) });
    expect((await w.b.call('receiving.post', { id: d.id })).number).toBe('YS2026-0001');
  });

  it('needs a note for each warning before posting', async () => {
    const near = draft(w, [line(w.milk, { receivedMilli: 100_000, unitPriceFen: 300, storageClass: 'chilled', expiryDate: '2026-09-17' })]);
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: near });
    const before = tableDigest(w.b);
    expect((await w.b.reject('receiving.post', { id: d.id })).message).toBe('有 1 条警示尚未填写说明，填写后才能过账');
    expect(tableDigest(w.b)).toBe(before);
    await w.b.call('receiving.saveDraft', { id: d.id, draft: { ...near, warningNotes: [{ code: 'near_expiry', lineIndex: 0, note: '当天午餐全部用完' }] } });
    const p = await w.b.call('receiving.post', { id: d.id });
    // the acknowledged warning stays with the posted document
    expect(p.findings.map((f) => f.code)).toEqual(['near_expiry']);
    expect(p.warningNotes[0].note).toBe('当天午餐全部用完');
  });

  it('refuses posting into a closed month', async () => {
    // The draft was saved before August closed (a draft dated in a locked month is refused when saved, period-lock.test.ts).
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice, { productionDate: '2026-08-01', shelfLifeDays: 365 })], { date: '2026-08-31' }) });
    w.b.db.prepare(`INSERT INTO closed_periods (period, closed_at, closed_by) VALUES ('2026-08', '2026-09-05T00:00:00Z', 'x')`).run();
    const before = tableDigest(w.b);
    expect((await w.b.reject('receiving.post', { id: d.id })).code).toBe('LOCKED');
    expect(tableDigest(w.b)).toBe(before);
  });

  it('books nothing for a wholly rejected delivery but still numbers and keeps it', async () => {
    const p = await postNew(w, draft(w, [line(w.cabbage, { rejectedMilli: 10_000, rejectReason: '腐烂', disposition: 'destroyed' })]));
    expect(p).toMatchObject({ number: 'YS2026-0001', totalFen: 0 });
    expect(w.b.db.prepare(`SELECT count(*) AS n FROM journal_entries WHERE source_id = ?`).get(p.id)).toEqual({ n: 0 });
  });
});

describe('a posted delivery is frozen in SQLite', () => {
  it('refuses direct UPDATE and DELETE of headers, lines and inspectors', async () => {
    const p = await postNew(w, threeLines(w));
    const before = tableDigest(w.b);
    const run = (sql: string, ...args: unknown[]) => () => w.b.db.prepare(sql).run(...args);
    expect(run(`UPDATE deliveries SET total_fen = 1 WHERE id = ?`, p.id)).toThrow('已过账或已作废的验收单不能修改，只能作废后更正');
    expect(run(`UPDATE deliveries SET status = 'draft', number = NULL WHERE id = ?`, p.id)).toThrow('已过账或已作废的验收单不能修改');
    // the cancel step may not smuggle in other changes
    expect(run(`UPDATE deliveries SET status = 'cancelled', cancelled_at = 'x', cancel_reason = 'r', total_fen = 0 WHERE id = ?`, p.id)).toThrow('已过账或已作废的验收单不能修改');
    expect(run(`DELETE FROM deliveries WHERE id = ?`, p.id)).toThrow('验收单不能删除，只能作废');
    expect(run(`UPDATE delivery_lines SET accepted_milli = 1, received_milli = 1, rejected_milli = 0 WHERE delivery_id = ?`, p.id)).toThrow('已过账或已作废的验收单不能修改明细');
    expect(run(`DELETE FROM delivery_lines WHERE delivery_id = ?`, p.id)).toThrow('已过账或已作废的验收单不能删除明细');
    expect(run(`INSERT INTO delivery_lines (delivery_id, line_no, ingredient_id, received_milli, accepted_milli, rejected_milli, unit_price_fen, computed_amount_fen, amount_fen, storage_class) VALUES (?, 9, ?, 1, 1, 0, 1, 0, 0, 'ambient')`, p.id, w.rice)).toThrow('已过账或已作废的验收单不能修改明细');
    expect(run(`DELETE FROM delivery_inspectors WHERE delivery_id = ?`, p.id)).toThrow('已过账或已作废的验收单不能修改验收人');
    expect(tableDigest(w.b)).toBe(before);
  });
});

describe('cancel and amend', () => {
  it('reverses the entries, freezes the cancelled document, and opens an amended draft pointing to it', async () => {
    const p = await postNew(w, threeLines(w));
    await w.b.loginAs('accountant');
    const { cancelled, amended } = await w.b.call('receiving.cancel', { id: p.id, reason: '猪肉单价录错' });
    expect(cancelled).toMatchObject({ status: 'cancelled', number: 'YS2026-0001', cancelReason: '猪肉单价录错', cancelledByName: '刘会计', amendedBy: amended?.id });
    expect(amended).toMatchObject({ status: 'draft', number: null, amends: p.id, amendsNumber: 'YS2026-0001', totalFen: 57_395 });
    expect(amended?.lines.map((l) => [l.ingredientName, l.acceptedMilli, l.rejectReason])).toEqual([['大米', 50_000, ''], ['猪肉', 8_250, '部分肉色发暗'], ['白菜', 20_000, '']]);
    const ctx = w.b.ctx;
    for (const acc of ['expense:grain', 'expense:meat', 'expense:vegetable', `payable:${w.supplierId}`]) expect(accountBalance(ctx, acc), acc).toBe(0);
    const rev = w.b.db.prepare(`SELECT entry_date, memo, reverses FROM journal_entries WHERE source_id = ? AND reverses IS NOT NULL`).all(p.id) as { entry_date: string; memo: string }[];
    expect(rev).toHaveLength(1);
    expect(rev[0]).toMatchObject({ entry_date: '2026-09-15', memo: '作废验收单 YS2026-0001：猪肉单价录错' });
    expect(() => w.b.db.prepare(`UPDATE deliveries SET cancel_reason = 'x' WHERE id = ?`).run(p.id)).toThrow('已过账或已作废的验收单不能修改');

    // correct the pork price on the copy and post it: the next number, no gap
    const fixed = threeLines(w);
    fixed.lines[1] = { ...fixed.lines[1], unitPriceFen: 2680 };
    await w.b.call('receiving.saveDraft', { id: amended!.id, draft: fixed });
    const reposted = await w.b.call('receiving.post', { id: amended!.id });
    // pork 8.25 × 26.80 = 221.10; total 290.00 + 221.10 + 48.00 = 559.10
    expect(reposted).toMatchObject({ number: 'YS2026-0002', totalFen: 55_910, amends: p.id });
    expect(accountBalance(ctx, 'expense:meat')).toBe(22_110);
    expect(accountBalance(ctx, `payable:${w.supplierId}`)).toBe(-55_910);

    const before = tableDigest(w.b);
    expect((await w.b.reject('receiving.cancel', { id: p.id, reason: '再来一次' })).message).toBe('验收单 YS2026-0001 已作废，不能重复作废');
    expect(tableDigest(w.b)).toBe(before);
  });

  it('cancel without amend, and the parent may not cancel', async () => {
    const p = await postNew(w, threeLines(w));
    await w.b.loginAs('parent');
    expect((await w.b.reject('receiving.cancel', { id: p.id, reason: 'x' })).code).toBe('FORBIDDEN');
    await w.b.loginAs('storekeeper');
    const r = await w.b.call('receiving.cancel', { id: p.id, reason: '供应商送错', amend: false });
    expect(r.amended).toBeNull();
    expect((await w.b.call('receiving.list', {})).total).toBe(1);
  });

  it('an inspector disabled since posting is left off the amended copy instead of blocking the cancel', async () => {
    const p = await postNew(w, threeLines(w));
    await w.b.loginAs('admin');
    await w.b.call('users.setDisabled', { id: w.users.storekeeper2, disabled: true });
    await w.b.loginAs('storekeeper');
    const { amended } = await w.b.call('receiving.cancel', { id: p.id, reason: '更正' });
    expect(amended?.inspectors.map((i) => i.name)).toEqual(['张保管']);
    expect(amended?.findings.map((f) => f.code)).toEqual(['inspectors_too_few']);
  });

  it('discards a draft with a reason, keeping the record', async () => {
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)]) });
    const x = await w.b.call('receiving.discard', { id: d.id, reason: '重复录入' });
    expect(x).toMatchObject({ status: 'cancelled', number: null, cancelReason: '重复录入' });
    expect((await w.b.reject('receiving.post', { id: d.id })).code).toBe('CONFLICT');
  });
});

describe('gapless numbers', () => {
  it('counts per year and leaves no gaps when posts fail in between', async () => {
    const bad = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.pork, { unitPriceFen: 2800 })]) });
    const n: string[] = [];
    n.push((await postNew(w, draft(w, [line(w.rice)]))).number!);
    await w.b.reject('receiving.post', { id: bad.id });
    n.push((await postNew(w, draft(w, [line(w.rice)]))).number!);
    n.push((await postNew(w, draft(w, [line(w.rice, { productionDate: '2025-12-01', shelfLifeDays: 365 })], { date: '2025-12-30' }))).number!);
    n.push((await postNew(w, draft(w, [line(w.rice)]))).number!);
    expect(n).toEqual(['YS2026-0001', 'YS2026-0002', 'YS2025-0001', 'YS2026-0003']);
  });
});

describe('inspector rotation against the ledger', () => {
  it('counts posted deliveries of the pair in the 30 days ending on the delivery date', async () => {
    await w.b.loginAs('admin');
    await w.b.call('school.update', { name: '阳光实验小学', profile: { ...(await w.b.call('school.get', {})).profile, inspectorPairRepeatLimit: 2 } });
    await w.b.loginAs('storekeeper');
    // 2026-08-16 is 30 days before 09-14 (outside for a delivery on 09-15); 08-17 is inside.
    await postNew(w, draft(w, [line(w.rice)], { date: '2026-08-16', noteNumber: 'a' }));
    await postNew(w, draft(w, [line(w.rice)], { date: '2026-08-17', noteNumber: 'b' }));
    const check = async () => (await w.b.call('receiving.check', { draft: draft(w, [line(w.rice)]) })).findings.map((f) => f.code);
    expect(await check()).toEqual([]);
    await postNew(w, draft(w, [line(w.rice)], { date: '2026-09-15', noteNumber: 'c' }));
    expect(await check()).toEqual(['inspector_pair_repeat']);
  });
});

describe('lists and prices', () => {
  it('filters by date, supplier, item and status with totals of posted documents', async () => {
    await postNew(w, threeLines(w));
    await postNew(w, draft(w, [line(w.rice, { receivedMilli: 25_000, unitPriceFen: 600 })], { date: '2026-09-10', supplierId: w.supplier2Id, noteNumber: 'MJ-1' }));
    await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.cabbage)], { date: '2026-09-14' }) });
    const all = await w.b.call('receiving.list', {});
    expect(all.total).toBe(3);
    // posted only: 573.95 + 25 × 6.00 = 723.95; the draft is not counted
    expect(all.totalFen).toBe(72_395);
    expect(all.rows.map((r) => r.date)).toEqual(['2026-09-15', '2026-09-14', '2026-09-10']);
    expect(all.rows[0]).toMatchObject({ lineCount: 3, rejectedLines: 1, inspectorNames: ['张保管', '李验收'] });
    expect((await w.b.call('receiving.list', { supplierId: w.supplier2Id })).totalFen).toBe(15_000);
    expect((await w.b.call('receiving.list', { ingredientId: w.pork })).total).toBe(1);
    expect((await w.b.call('receiving.list', { status: 'draft' })).rows.map((r) => r.date)).toEqual(['2026-09-14']);
    expect((await w.b.call('receiving.list', { from: '2026-09-11', to: '2026-09-15', status: 'posted' })).totalFen).toBe(57_395);
  });

  it('price history of accepted lines and the last accepted price for prefill', async () => {
    expect(await w.b.call('receiving.lastPrice', { ingredientId: w.rice })).toBeNull();
    await postNew(w, draft(w, [line(w.rice, { unitPriceFen: 600 })], { date: '2026-09-10', supplierId: w.supplier2Id, noteNumber: 'x' }));
    await postNew(w, draft(w, [line(w.rice, { unitPriceFen: 580 })], { date: '2026-09-12' }));
    await postNew(w, draft(w, [line(w.rice, { unitPriceFen: 999, rejectedMilli: 10_000, rejectReason: '霉变', disposition: 'returned' })], { date: '2026-09-14' }));
    expect((await w.b.call('receiving.priceHistory', { ingredientId: w.rice })).map((r) => [r.date, r.unitPriceFen, r.acceptedMilli])).toEqual([
      ['2026-09-12', 580, 10_000],
      ['2026-09-10', 600, 10_000],
    ]);
    expect(await w.b.call('receiving.lastPrice', { ingredientId: w.rice })).toEqual({ unitPriceFen: 580, date: '2026-09-12', supplierName: '城东农产品配送有限公司' });
    expect((await w.b.call('receiving.lastPrice', { ingredientId: w.rice, supplierId: w.supplier2Id }))?.unitPriceFen).toBe(600);
  });
});

describe('home attention', () => {
  it('lists drafts from before today', async () => {
    await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { date: '2026-09-14' }) });
    await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { date: '2026-09-15' }) });
    const items = (await w.b.call('home.attention', {})).filter((i) => i.kind === 'delivery_draft');
    expect(items.map((i) => i.title)).toEqual(['2026-09-14 城东农产品配送有限公司 的验收单尚未过账']);
  });
});
