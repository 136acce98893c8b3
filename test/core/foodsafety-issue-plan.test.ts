import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * 出库 proposed from the approved 带量食谱 (issue 17: "issues from the storeroom can be proposed from the approved menu's
 * quantities × the day's diners"), by hand.
 *
 * Monday 2026-10-12's lunch, approved: 米饭 大米 (kg) 100 g for 6~8岁 and 125 g for 9~11岁; 炒白菜 白菜 (kg, not stored)
 * 120 g and 150 g; 馒头 面粉 (斤) 33.3 g for 6~8岁; 牛奶 (盒, 250 g a 盒 once its composition says so) 250 g for 6~8岁.
 * Diners: 213 of 6~8岁, 187 of 9~11岁.
 */
const clock = new Date(Date.UTC(2026, 9, 12, 1, 0, 0));
let b: TestBackend;
const id: Record<string, string> = {};
const NONE = { energy: null, protein: null, fat: null, carbohydrate: null, calcium: null, iron: null, zinc: null, vitaminA: null, vitaminB1: null, vitaminB2: null, vitaminC: null };

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  const mk = (name: string, category: 'grain' | 'vegetable' | 'dairy', unit: string, storable: boolean) =>
    b.call('ingredients.create', { name, category, unit, refPriceFen: 100, requiredCerts: [], storable });
  id.rice = (await mk('大米', 'grain', 'kg', true)).id;
  id.cabbage = (await mk('白菜', 'vegetable', 'kg', false)).id;
  id.flour = (await mk('面粉', 'grain', '斤', true)).id;
  id.milk = (await mk('牛奶', 'dairy', '盒', true)).id;
  await b.loginAs('storekeeper');
  const l = (dish: string, item: string, ageGroup: string, mg: number) => ({ day: '2026-10-12', meal: 'lunch' as const, dish, ingredientId: id[item], ageGroup, qtyMg: mg });
  const menu = await b.call('menus.save', {
    id: null,
    weekStart: '2026-10-12',
    lines: [
      l('米饭', 'rice', '6-8', 100_000), l('米饭', 'rice', '9-11', 125_000),
      l('炒白菜', 'cabbage', '6-8', 120_000), l('炒白菜', 'cabbage', '9-11', 150_000),
      l('馒头', 'flour', '6-8', 33_300), l('牛奶', 'milk', '6-8', 250_000),
    ],
  });
  await b.call('menus.submit', { id: menu.id });
  await b.loginAs('parent');
  await b.call('menus.review', { id: menu.id, decision: 'approved' });
  await b.loginAs('storekeeper');
}, 60_000);
afterAll(() => b?.cleanup());

describe('出库 from the approved menu × diners', { timeout: 60_000 }, () => {
  it('each ingredient in its unit, by hand', async () => {
    const before = tableDigest(b);
    const p = await b.call('menus.issuePlan', { date: '2026-10-12', meal: 'lunch', diners: { '6-8': 213, '9-11': 187 } });
    expect([p.weekStart, p.revision, p.diners]).toEqual(['2026-10-12', 1, 400]);
    expect(p.lines.map((x) => [x.name, x.unit, x.storable, x.totalMg, x.qtyMilli, x.dishes])).toEqual([
      // 100 g × 213 + 125 g × 187 = 21 300 + 23 375 = 44 675 g = 44.675 kg
      ['大米', 'kg', true, 44_675_000, 44_675, ['米饭']],
      // 120 × 213 + 150 × 187 = 25 560 + 28 050 = 53 610 g = 53.61 kg (not stored: 直进直出)
      ['白菜', 'kg', false, 53_610_000, 53_610, ['炒白菜']],
      // 33.3 g × 213 = 7 092.9 g ÷ 500 g a 斤 = 14.1858 斤, half up to 14.186
      ['面粉', '斤', true, 7_092_900, 14_186, ['馒头']],
      // 盒 has no weight yet: no quantity
      ['牛奶', '盒', true, 53_250_000, null, ['牛奶']],
    ]);
    // A read: nothing written.
    expect(tableDigest(b)).toBe(before);
    // 250 g a 盒: 53 250 g ÷ 250 = 213 盒.
    await b.call('compositions.save', { ingredientId: id.milk, unitGrams: 250, values: { ...NONE, energy: 54_000 }, source: '包装标示' });
    const again = await b.call('menus.issuePlan', { date: '2026-10-12', meal: 'lunch', diners: { '6-8': 213 } });
    // Only 6~8岁 now: 大米 21.3 kg, 面粉 14.186 斤, 牛奶 213 盒.
    expect(again.lines.filter((x) => x.storable).map((x) => [x.name, x.qtyMilli])).toEqual([['大米', 21_300], ['面粉', 14_186], ['牛奶', 213_000]]);
  });

  it('refused in words: no approved menu that week, a meal without dishes, no diners, an unknown age group', async () => {
    const before = tableDigest(b);
    expect(await b.reject('menus.issuePlan', { date: '2026-10-19', meal: 'lunch', diners: { '6-8': 10 } })).toMatchObject({ code: 'NOT_FOUND', message: '2026-10-19 所在的一周（2026-10-19 起）没有已审定的带量食谱' });
    expect(await b.reject('menus.issuePlan', { date: '2026-10-13', meal: 'lunch', diners: { '6-8': 10 } })).toMatchObject({ code: 'RULE', message: '已审定的带量食谱中 2026-10-13 午餐 没有菜品' });
    expect(await b.reject('menus.issuePlan', { date: '2026-10-12', meal: 'lunch', diners: { '6-8': 0 } })).toMatchObject({ code: 'RULE', message: '请填写各年龄组的就餐人数' });
    expect(await b.reject('menus.issuePlan', { date: '2026-10-12', meal: 'lunch', diners: { '18-20': 5 } })).toMatchObject({
      code: 'VALIDATION',
      message: '年龄组“18-20”不在区域配置的年龄组中（6~8岁、9~11岁、12~14岁、15~17岁）',
    });
    expect(await b.reject('menus.issuePlan', { date: '2026-10-12', meal: 'lunch', diners: { '6-8': -1 } })).toMatchObject({ code: 'VALIDATION', message: '就餐人数不能为负数' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('parent');
    expect(await b.reject('menus.issuePlan', { date: '2026-10-12', meal: 'lunch', diners: { '6-8': 1 } })).toMatchObject({ code: 'FORBIDDEN' });
    await b.loginAs('storekeeper');
  });
});
