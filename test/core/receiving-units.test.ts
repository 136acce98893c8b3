import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { tableDigest } from '../helpers/backend.ts';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

/**
 * Kitchen units (issue 15, shared/units.ts): a line received in 斤 or 箱 keeps the supplier's unit, quantity and price
 * per that unit; the amount is qty × price per received unit rounded half-up once; stock gets the base quantity
 * exactly. Every figure below is worked out by hand.
 */
let w: World;
let greens: string;
beforeEach(async () => {
  w = await setupWorld();
  await w.b.loginAs('admin');
  greens = (await w.b.call('ingredients.create', { name: '青菜', category: 'vegetable', unit: '千克', refPriceFen: null })).id;
  // 牛奶 is counted in 盒; its 箱 holds 24 盒 (24 000 thousandths of a 盒).
  await w.b.call('ingredients.update', { id: w.milk, name: '牛奶', category: 'dairy', unit: '盒', spec: '', refPriceFen: 300, banned: false, storable: false, packSizes: { 箱: 24_000 } });
  await w.b.loginAs('storekeeper');
});
afterEach(() => w.b.cleanup());

const lotsOf = (deliveryId: string) =>
  w.b.db.prepare('SELECT line_no, in_milli, in_value_fen, unit_price_fen FROM stock_lots WHERE delivery_id = ? ORDER BY line_no').raw(true).all(deliveryId);
const storedLines = (deliveryId: string) =>
  w.b.db
    .prepare('SELECT line_no, received_milli, accepted_milli, rejected_milli, unit_price_fen, computed_amount_fen, amount_fen FROM delivery_lines WHERE delivery_id = ? ORDER BY line_no')
    .raw(true)
    .all(deliveryId);

describe('kitchen units', () => {
  it('20 斤 青菜 at 1.60/斤, 3 箱 牛奶 at 48.00/箱, 15 斤 with 2.5 斤 rejected at 1.33/斤: amounts as billed, stock in base units', async () => {
    const posted = await postNew(
      w,
      draft(w, [
        line(greens, { receivedUnit: '斤', receivedMilli: 20_000, unitPriceFen: 160 }),
        line(w.milk, { receivedUnit: '箱', receivedMilli: 3_000, unitPriceFen: 4800, storageClass: 'chilled' }),
        line(greens, { receivedUnit: '斤', receivedMilli: 15_000, acceptedMilli: 12_500, rejectedMilli: 2_500, rejectReason: '黄叶', disposition: 'returned', unitPriceFen: 133 }),
      ]),
    );
    // 20 × 1.60 = 32.00; 3 × 48.00 = 144.00; 12.5 × 1.33 = 16.625 → 16.63 (half-up, once). Total 192.63.
    expect(posted.lines.map((l) => [l.receivedUnit, l.receivedMilli, l.acceptedMilli, l.unitPriceFen, l.amountFen])).toEqual([
      ['斤', 20_000, 20_000, 160, 3200],
      ['箱', 3_000, 3_000, 4800, 14_400],
      ['斤', 15_000, 12_500, 133, 1663],
    ]);
    expect(posted.totalFen).toBe(19_263);
    // 1 斤 = 0.5 千克: 10 千克 at 3.20; 1 箱 = 24 盒: 72 盒 at 2.00; 7.5 千克 received, 1.25 rejected, 6.25 accepted at 2.66.
    expect(posted.lines.map((l) => [l.unitSizeMilli, l.baseReceivedMilli, l.baseAcceptedMilli, l.baseRejectedMilli, l.baseUnitPriceFen])).toEqual([
      [500, 10_000, 10_000, 0, 320],
      [24_000, 72_000, 72_000, 0, 200],
      [500, 7_500, 6_250, 1_250, 266],
    ]);
    expect(storedLines(posted.id)).toEqual([
      [1, 10_000, 10_000, 0, 320, 3200, 3200],
      [2, 72_000, 72_000, 0, 200, 14_400, 14_400],
      [3, 7_500, 6_250, 1_250, 266, 1663, 1663],
    ]);
    expect(lotsOf(posted.id)).toEqual([
      [1, 10_000, 3200, 320],
      [2, 72_000, 14_400, 200],
      [3, 6_250, 1663, 266],
    ]);
    const v = verifyLedger(w.b.db);
    expect(v.ok).toBe(true);
    expect(v.coveredTables.delivery_line_units).toBe(3);
  });

  it('a price that does not divide: 3 箱 牛奶 at 50.00/箱 = 150.00; 72 盒 in stock worth 150.00, 2.08/盒 (208.33 rounded)', async () => {
    const posted = await postNew(w, draft(w, [line(w.milk, { receivedUnit: '箱', receivedMilli: 3_000, unitPriceFen: 5000, storageClass: 'chilled' })]));
    expect(posted.totalFen).toBe(15_000);
    // 5000 fen × 1000 / 24 000 = 208.33… → 208 fen per 盒; never multiplied back: 72 × 2.08 would be 149.76.
    expect(storedLines(posted.id)).toEqual([[1, 72_000, 72_000, 0, 208, 15_000, 15_000]]);
    expect(lotsOf(posted.id)).toEqual([[1, 72_000, 15_000, 208]]);
  });

  it('a line in the base unit stays as it was; the base unit typed by name is the base unit', async () => {
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(greens, { receivedMilli: 3_000, unitPriceFen: 320 }), line(greens, { receivedUnit: '千克', receivedMilli: 2_000, unitPriceFen: 320 })]) });
    expect(d.lines.map((l) => [l.receivedUnit, l.unitSizeMilli, l.baseReceivedMilli, l.amountFen])).toEqual([
      [null, null, 3_000, 960],
      [null, null, 2_000, 640],
    ]);
    expect(w.b.db.prepare('SELECT count(*) AS n FROM delivery_line_units').get()).toEqual({ n: 0 });
  });

  it('the reference price is compared per base unit: 1.60/斤 is 3.20/kg, above 白菜 2.50/kg', async () => {
    const r = await w.b.call('receiving.check', { draft: draft(w, [line(w.cabbage, { receivedUnit: '斤', receivedMilli: 20_000, unitPriceFen: 160 })]) });
    const high = r.findings.find((f) => f.code === 'price_high');
    expect(high?.message).toMatch(/^第 1 行（白菜）：单价 3\.20 元（1\.60 元\/斤）高于参考价上限 .* 元（参考价 2\.50 元\/kg）$/);
  });

  it('refuses in Chinese, writing nothing: a unit the item cannot take, a 箱 without a size, a quantity that does not convert', async () => {
    const before = tableDigest(w.b);
    const msg = async (l: ReturnType<typeof line>) => (await w.b.reject('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice), l]) })).message;
    expect(await msg(line(w.milk, { receivedUnit: '斤', receivedMilli: 2_000 }))).toBe('第 2 行（牛奶）：“牛奶”以“盒”计量，不能按“斤”验收');
    expect(await msg(line(w.rice, { receivedUnit: '箱', receivedMilli: 2_000 }))).toBe('第 2 行（大米）：“大米”没有登记每箱的规格（1 箱 = 多少kg），请先在食材资料中填写');
    expect(await msg(line(greens, { receivedUnit: '瓶', receivedMilli: 2_000 }))).toBe('第 2 行（青菜）：“青菜”以“千克”计量，不能按“瓶”验收');
    // 20.001 斤 = 10.0005 千克: not a whole thousandth of the base unit, refused rather than rounded.
    expect(await msg(line(greens, { receivedUnit: '斤', receivedMilli: 20_001 }))).toBe('第 2 行（青菜）：20.001 斤换算成千克不是整 0.001 千克，请核对数量');
    expect(tableDigest(w.b)).toBe(before);
    // The live check says the same as a finding.
    const r = await w.b.call('receiving.check', { draft: draft(w, [line(w.rice, { receivedUnit: '箱' })]) });
    expect(r.findings.filter((f) => f.code === 'unit_unknown').map((f) => f.message)).toEqual(['第 1 行（大米）：“大米”没有登记每箱的规格（1 箱 = 多少kg），请先在食材资料中填写']);
  });

  it('holds the conversion in SQL: a unit row that disagrees with its line is refused', async () => {
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(greens, { receivedUnit: '斤', receivedMilli: 20_000, unitPriceFen: 160 })]) });
    expect(() => w.b.db.prepare(`UPDATE delivery_line_units SET received_milli = 21000 WHERE delivery_id = ?`).run(d.id)).toThrow('明细的计量单位换算与数量、金额不一致');
    expect(() => w.b.db.prepare(`UPDATE delivery_lines SET received_milli = 10500, accepted_milli = 10500 WHERE delivery_id = ?`).run(d.id)).toThrow('明细的计量单位换算与数量、金额不一致');
    expect(() => w.b.db.prepare(`UPDATE delivery_line_units SET unit_price_fen = 170 WHERE delivery_id = ?`).run(d.id)).toThrow('明细的计量单位换算与数量、金额不一致');
  });

  it('a draft saved again, changed back to the base unit, and an amended copy keep the figures as typed; verify names a changed unit row', async () => {
    const d = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(greens, { receivedUnit: '斤', receivedMilli: 20_000, unitPriceFen: 160 })]) });
    const back = await w.b.call('receiving.saveDraft', { id: d.id, draft: draft(w, [line(greens, { receivedMilli: 10_000, unitPriceFen: 320 })]) });
    expect(back.lines.map((l) => [l.receivedUnit, l.receivedMilli, l.amountFen])).toEqual([[null, 10_000, 3200]]);
    const again = await w.b.call('receiving.saveDraft', { id: d.id, draft: draft(w, [line(greens, { receivedUnit: '斤', receivedMilli: 20_000, unitPriceFen: 160 })]) });
    await w.b.call('receiving.post', { id: again.id });
    const { amended } = await w.b.call('receiving.cancel', { id: again.id, reason: '单价录错', amend: true });
    expect(amended?.lines.map((l) => [l.receivedUnit, l.receivedMilli, l.unitPriceFen, l.baseReceivedMilli, l.amountFen])).toEqual([['斤', 20_000, 160, 10_000, 3200]]);
    expect(verifyLedger(w.b.db).ok).toBe(true);
    // Behind the app's back (triggers dropped as a tamperer would): the 斤 of the posted line become 公斤.
    w.b.db.exec('DROP TRIGGER delivery_line_units_frozen_update; DROP TRIGGER delivery_line_units_agree_update');
    w.b.db.prepare(`UPDATE delivery_line_units SET unit = '公斤' WHERE delivery_id = ?`).run(again.id);
    const v = verifyLedger(w.b.db);
    expect(v.ok).toBe(false);
    expect(v.problems.map((f) => f.message).join('\n')).toContain(`验收明细计量单位 ${again.id} 与审计记录`);
  });
});
