import { describe, expect, it } from 'vitest';
import { conversionText, emptyLine, lineFlow, priceInUnit } from '../../renderer/src/pages/receiving/model.ts';
import { basePriceFen, toBaseMilli, unitSize, unitsOf } from '../../shared/units.ts';

/** Kitchen units in the door form's model and in shared/units.ts (issue 15); figures by hand. */
const greens = { name: '青菜', unit: '千克', packSizes: {} };
const milk = { name: '牛奶', unit: '盒', packSizes: { 箱: 24_000 } };

describe('kitchen units, shared and in the form', () => {
  it('sizes: 1 斤 = 0.5 千克, 1 两 = 0.05 千克, 1 公斤 = 1 千克, 1 公斤 = 2 斤, 1 箱 = 24 盒; the units offered', () => {
    expect([unitSize(greens, '斤'), unitSize(greens, '两'), unitSize(greens, '公斤'), unitSize({ unit: '斤', packSizes: {} }, '公斤'), unitSize(milk, '箱')]).toEqual([
      { ok: true, sizeMilli: 500 },
      { ok: true, sizeMilli: 50 },
      { ok: true, sizeMilli: 1000 },
      { ok: true, sizeMilli: 2000 },
      { ok: true, sizeMilli: 24_000 },
    ]);
    expect(unitsOf(greens)).toEqual(['千克', '斤', '两']);
    expect(unitsOf(milk)).toEqual(['盒', '箱']);
    expect(unitSize(milk, '件')).toEqual({ ok: false, message: '“牛奶”没有登记每件的规格（1 件 = 多少盒），请先在食材资料中填写' });
    // 20 斤 → 10 千克; 0.001 斤 → 0.0005 千克 does not convert; 1.60/斤 → 3.20/千克; 50.00/箱 → 208.33 → 2.08/盒
    expect([toBaseMilli(20_000, 500), toBaseMilli(1, 500), basePriceFen(160, 500), basePriceFen(5000, 24_000)]).toEqual([10_000, null, 320, 208]);
  });

  it('the row: "3 箱 = 72 盒", the unit in the Enter flow only once it differs, a prefilled price carried to the unit', () => {
    expect(conversionText(3_000, { receivedUnit: '箱' }, milk)).toBe('3 箱 = 72 盒');
    expect(conversionText(16_000, { receivedUnit: '斤' }, greens)).toBe('16 斤 = 8 千克');
    expect(conversionText(8_000, { receivedUnit: null }, greens)).toBe('8 千克');
    const l = { ...emptyLine(), ingredientId: 'x', detail: false };
    expect(lineFlow(l, [])).toEqual(['item', 'received', 'price', 'rejected']);
    expect(lineFlow({ ...l, receivedUnit: '斤' }, [])).toEqual(['item', 'received', 'unit', 'price', 'rejected']);
    // 4.00/千克 is 2.00/斤 and back; 48.00/箱 is 2.00/盒; 1.33/斤 is 2.66/千克
    expect([priceInUnit(400, null, '斤', greens), priceInUnit(200, '斤', null, greens), priceInUnit(4800, '箱', null, milk), priceInUnit(133, '斤', null, greens), priceInUnit(null, null, '斤', greens)]).toEqual([200, 400, 200, 266, null]);
  });
});
