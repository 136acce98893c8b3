import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import type { MenuLine } from '../../shared/api/menus.ts';
import { tableDigest } from '../helpers/backend.ts';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

/**
 * 带量食谱 (issue 17) through the API, every figure worked by hand.
 *
 * Prices: one delivery posted 2026-09-15 — 大米 5.18/kg, 白菜 2.35/kg, 牛奶 3.00/盒. Composition values entered (test
 * data, per 100 g edible part): 大米 edible 100 %, 346 kcal, protein 7.9 g, calcium 8 mg, vitamin A none, vitamin C none;
 * 白菜 edible 87 %, 20 kcal, protein 1.6 g, calcium 69 mg, vitamin A 13 μg, vitamin C 28 mg; 牛奶 one 盒 = 250 g, edible
 * 100 %, 65 kcal, protein 3.3 g, calcium 107 mg, vitamin A 54 μg, vitamin C 1 mg.
 *
 * The week of Monday 2026-09-21, lunch on the 21st: 米饭 (大米), 炒白菜 (白菜), 牛奶 — 6~8岁 100 g, 125 g, 200 g;
 * 9~11岁 125 g, 145 g, 230 g. Lunch on the 22nd, 6~8岁: 米饭 100 g, 炒白菜 100 g.
 *
 * Cost per pupil, 21st, 6~8岁 (thousandths of a fen per line, rounded half up, then the day to the fen):
 *   大米 100 g × 518 / 1000 g = 51.8 fen; 白菜 125 × 235 / 1000 = 29.375; 牛奶 200 × 300 / 250 = 240 → 321.175 → 321 fen.
 * 9~11岁: 125 × 518 / 1000 = 64.75; 145 × 235 / 1000 = 34.075; 230 × 300 / 250 = 276 → 374.825 → 375 fen.
 * Nutrients, 21st, 6~8岁 (grams × edible share × value / 100):
 *   energy 346 + 125 × 0.87 × 0.20 (21.75) + 200 × 0.65 (130) = 497.75 kcal;
 *   protein 7.9 + 125 × 0.87 × 0.016 (1.74) + 6.6 = 16.24 g;
 *   calcium 8 + 125 × 0.87 × 0.69 (75.0375) + 214 = 297.0375 mg → 297.038 (to the thousandth, half up);
 *   vitamin A 0 + 125 × 0.87 × 0.13 (14.1375) + 108 = 122.1375 μg → 122.138; vitamin C 0 + 30.45 + 2 = 32.45 mg.
 * Targets (profile, test data for 6~8岁 a day): energy 1400 kcal, protein 35 g, calcium 1000 mg; lunch is 35 %–40 % of
 * the day: energy 490–560 → 497.75 达标; protein 12.25–14 → 16.24 达标 (only energy has an upper bound); calcium
 * 350–400 → 297.038 不足; iron has no target → 未设目标. 9~11岁 has no targets.
 * Variety: 3 ingredients on the 21st, 2 on the 22nd, 3 in the week.
 */
let w: World;
let rice = '';
let cabbage = '';
let milk = '';
const NONE = { energy: null, protein: null, fat: null, carbohydrate: null, calcium: null, iron: null, zinc: null, vitaminA: null, vitaminB1: null, vitaminB2: null, vitaminC: null };

function weekLines(): MenuLine[] {
  const l = (day: string, dish: string, ingredientId: string, ageGroup: string, grams: number): MenuLine => ({ day, meal: 'lunch', dish, ingredientId, ageGroup, qtyMg: grams * 1000 });
  return [
    l('2026-09-21', '米饭', rice, '6-8', 100),
    l('2026-09-21', '炒白菜', cabbage, '6-8', 125),
    l('2026-09-21', '牛奶', milk, '6-8', 200),
    l('2026-09-21', '米饭', rice, '9-11', 125),
    l('2026-09-21', '炒白菜', cabbage, '9-11', 145),
    l('2026-09-21', '牛奶', milk, '9-11', 230),
    l('2026-09-22', '米饭', rice, '6-8', 100),
    l('2026-09-22', '炒白菜', cabbage, '6-8', 100),
  ];
}

beforeAll(async () => {
  w = await setupWorld();
  ({ rice, cabbage, milk } = w);
  await postNew(w, draft(w, [line(rice, { unitPriceFen: 518 }), line(cabbage, { unitPriceFen: 235 }), line(milk, { unitPriceFen: 300 })]));
  await w.b.loginAs('admin');
  const school = await w.b.call('school.get', {});
  const groups = school.profile.menuAgeGroups.map((g) => (g.code === '6-8' ? { ...g, targets: { energy: 1400, protein: 35, calcium: 1000 } } : g));
  await w.b.call('school.update', { name: school.name, profile: { ...school.profile, menuAgeGroups: groups, menuVarietyPerDay: 4 }, effectiveFrom: '2026-09' });
  await w.b.call('users.create', { username: 'sp', displayName: '吴家长', roles: ['storekeeper', 'parent'], password: 'test-pass-123' });
  await w.b.loginAs('storekeeper');
});
afterAll(() => w?.b.cleanup());

describe('带量食谱 through the API', { timeout: 60_000 }, () => {
  let menuId = '';

  it('composition values are entered with their source; a value-less entry and a parent are refused, writing nothing', async () => {
    const b = w.b;
    await b.call('compositions.save', { ingredientId: rice, values: { ...NONE, energy: 346_000, protein: 7_900, calcium: 8_000 }, source: '学校营养员录入（测试数据）' });
    await b.call('compositions.save', { ingredientId: cabbage, edibleBp: 8700, values: { ...NONE, energy: 20_000, protein: 1_600, calcium: 69_000, vitaminA: 13_000, vitaminC: 28_000 }, source: '学校营养员录入（测试数据）' });
    const m = await b.call('compositions.save', {
      ingredientId: milk,
      unitGrams: 250,
      values: { ...NONE, energy: 65_000, protein: 3_300, calcium: 107_000, vitaminA: 54_000, vitaminC: 1_000 },
      source: '包装营养成分表',
    });
    expect(m).toMatchObject({ ingredientName: '牛奶', unit: '盒', unitGrams: 250, edibleBp: 10_000, source: '包装营养成分表', updatedByName: '张保管' });
    let before = tableDigest(b);
    expect(await b.reject('compositions.save', { ingredientId: rice, values: NONE, source: '无' })).toMatchObject({ code: 'VALIDATION', message: '大米：请至少填写一项营养素含量' });
    expect(await b.reject('compositions.save', { ingredientId: rice, values: NONE })).toMatchObject({ code: 'VALIDATION' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('parent');
    before = tableDigest(b);
    expect(await b.reject('compositions.save', { ingredientId: rice, values: { ...NONE, energy: 1 }, source: 'x' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('storekeeper');
    expect((await b.call('compositions.list', {})).map((c) => c.ingredientName).sort()).toEqual(['牛奶', '大米', '白菜'].sort());
  });

  it('a week is saved as a draft; its cost and nutrients per pupil are the hand-worked figures', async () => {
    const b = w.b;
    const v = await b.call('menus.save', { id: null, weekStart: '2026-09-21', note: '', lines: weekLines() });
    menuId = v.id;
    expect(v.status).toBe('draft');
    const d21a = v.analysis.find((a) => a.day === '2026-09-21' && a.ageGroup === '6-8')!;
    const d21b = v.analysis.find((a) => a.day === '2026-09-21' && a.ageGroup === '9-11')!;
    expect(v.analysis.map((a) => [a.day, a.ageGroupLabel])).toEqual([
      ['2026-09-21', '6~8岁'],
      ['2026-09-21', '9~11岁'],
      ['2026-09-22', '6~8岁'],
    ]);
    expect(d21a.costFen).toBe(321);
    expect(d21b.costFen).toBe(375);
    expect(d21a.meals).toEqual(['lunch']);
    expect(d21a.missing).toEqual([]);
    expect(d21a.nutrients.energy).toEqual({ amount: 497_750, low: 490_000, high: 560_000, attainment: 'ok' });
    expect(d21a.nutrients.protein).toEqual({ amount: 16_240, low: 12_250, high: 14_000, attainment: 'ok' });
    expect(d21a.nutrients.calcium).toEqual({ amount: 297_038, low: 350_000, high: 400_000, attainment: 'low' });
    expect(d21a.nutrients.vitaminA.amount).toBe(122_138);
    expect(d21a.nutrients.vitaminC.amount).toBe(32_450);
    expect(d21a.nutrients.iron).toEqual({ amount: 0, low: null, high: null, attainment: 'none' });
    expect(d21b.nutrients.energy.attainment).toBe('none');
    expect([d21a.variety, v.analysis[2].variety, v.weekVariety, v.varietyPerDay, v.varietyPerWeek]).toEqual([3, 2, 3, 4, null]);
  });

  it('refuses a week not starting on Monday, a day outside it, an unknown age group, a second menu of the week and a parent, writing nothing', async () => {
    const b = w.b;
    let before = tableDigest(b);
    expect(await b.reject('menus.save', { id: null, weekStart: '2026-09-22', lines: weekLines() })).toMatchObject({
      code: 'VALIDATION',
      message: '2026-09-22 不是星期一：带量食谱按周填写，请选择该周的星期一',
    });
    expect(await b.reject('menus.save', { id: menuId, weekStart: '2026-09-21', lines: [{ ...weekLines()[0], day: '2026-09-28' }] })).toMatchObject({
      code: 'VALIDATION',
      message: '第 1 行（2026-09-28 午餐 米饭）：日期不在 2026-09-21 至 2026-09-27 这一周',
    });
    expect(await b.reject('menus.save', { id: menuId, weekStart: '2026-09-21', lines: [{ ...weekLines()[0], ageGroup: 'adult' }] })).toMatchObject({
      code: 'VALIDATION',
      message: '第 1 行（2026-09-21 午餐 米饭）：年龄组“adult”不在区域配置的年龄组中（6~8岁、9~11岁、12~14岁、15~17岁）',
    });
    expect(await b.reject('menus.save', { id: null, weekStart: '2026-09-21', lines: weekLines() })).toMatchObject({ code: 'CONFLICT', message: '2026-09-21 这一周已有带量食谱：请打开它修改' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('parent');
    before = tableDigest(b);
    expect(await b.reject('menus.save', { id: menuId, weekStart: '2026-09-21', lines: weekLines() })).toMatchObject({ code: 'FORBIDDEN' });
    expect(await b.reject('menus.review', { id: menuId, decision: 'approved' })).toMatchObject({ code: 'CONFLICT', message: '带量食谱 2026-09-21 还是草稿，不能审核' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('storekeeper');
    before = tableDigest(b);
    expect(await b.reject('menus.review', { id: menuId, decision: 'approved' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(tableDigest(b)).toBe(before);
  });

  it('submitted, returned by the parent with remarks, corrected, submitted again and approved; the submitter may not approve', async () => {
    const b = w.b;
    await b.call('menus.submit', { id: menuId });
    let before = tableDigest(b);
    expect(await b.reject('menus.save', { id: menuId, weekStart: '2026-09-21', lines: weekLines() })).toMatchObject({
      code: 'CONFLICT',
      message: '带量食谱 2026-09-21 已提交待审核，不能修改；请等待家委会审定；退回后可修改',
    });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('parent');
    before = tableDigest(b);
    expect(await b.reject('menus.review', { id: menuId, decision: 'returned', remark: '' })).toMatchObject({ code: 'VALIDATION', message: '退回时请写明审定意见' });
    expect(tableDigest(b)).toBe(before);
    // The parent's home asks for the 审定 (today is Tuesday 2026-09-15).
    const entryOf = async (role: string, kind: string) =>
      (await b.call('home.summary', {})).sections.find((x) => x.role === role)!.entries.find((e) => e.kind === kind)!;
    const waiting = await entryOf('parent', 'menus_review');
    expect([waiting.value, waiting.lines.map((l) => l.text), waiting.link]).toEqual(['1 份待审定', ['2026-09-21 这一周的带量食谱待审定'], '/foodsafety/menus?week=2026-09-21']);
    const returned = await b.call('menus.review', { id: menuId, decision: 'returned', remark: '22日没有奶类，请补上' });
    expect(returned).toMatchObject({ status: 'draft', submittedAt: null, approvedAt: null });
    expect(returned.reviews.map((r) => [r.decision, r.remark, r.reviewedByName])).toEqual([['returned', '22日没有奶类，请补上', '周家长']]);
    await b.loginAs('storekeeper');
    // The canteen's home: next week's menu is a draft again, returned with the parent's remark.
    const mine = await entryOf('storekeeper', 'menus');
    expect([mine.value, mine.lines.map((l) => l.text)]).toEqual(['下周 草稿', ['2026-09-21 这一周的食谱被 周家长 退回：22日没有奶类，请补上']]);
    const lines = [...weekLines(), { day: '2026-09-22', meal: 'lunch' as const, dish: '牛奶', ingredientId: milk, ageGroup: '6-8', qtyMg: 200_000 }];
    await b.call('menus.save', { id: menuId, weekStart: '2026-09-21', note: '已补牛奶', lines });
    await b.call('menus.submit', { id: menuId });
    // A person holding both roles who submitted a menu may not approve it.
    await b.loginAs('sp');
    const other = await b.call('menus.save', { id: null, weekStart: '2026-09-28', lines: [{ ...weekLines()[0], day: '2026-09-28' }] });
    await b.call('menus.submit', { id: other.id });
    before = tableDigest(b);
    expect(await b.reject('menus.review', { id: other.id, decision: 'approved' })).toMatchObject({ code: 'FORBIDDEN', message: '带量食谱 2026-09-28 是您提交的：须由另一位家委会代表审定' });
    expect(tableDigest(b)).toBe(before);
    // …and SQL holds it too.
    const sp = (b.db.prepare(`SELECT id FROM users WHERE username = 'sp'`).get() as { id: string }).id;
    expect(() => b.db.prepare(`INSERT INTO menu_reviews (menu_id, seq, decision, remark, reviewed_at, reviewed_by) VALUES (?, 1, 'approved', '', '2026-09-15T02:00:00.000Z', ?)`).run(other.id, sp)).toThrow(
      '提交人不能审定自己提交的带量食谱',
    );
    await b.loginAs('parent');
    const approved = await b.call('menus.review', { id: menuId, decision: 'approved' });
    expect(approved).toMatchObject({ status: 'approved', approvedByName: '周家长', submittedByName: '张保管', note: '已补牛奶' });
    expect(approved.reviews.map((r) => r.decision)).toEqual(['returned', 'approved']);
    // 22nd, 6~8岁, with the milk: 100 × 518 / 1000 = 51.8 + 100 × 235 / 1000 = 23.5 + 240 = 315.3 → 315 fen.
    expect(approved.analysis.find((a) => a.day === '2026-09-22')!.costFen).toBe(315);
    await b.loginAs('storekeeper');
    before = tableDigest(b);
    expect(await b.reject('menus.save', { id: menuId, weekStart: '2026-09-21', lines })).toMatchObject({ code: 'CONFLICT', message: '带量食谱 2026-09-21 已审定公布，不能修改' });
    expect(() => b.db.prepare(`DELETE FROM menu_items WHERE menu_id = ?`).run(menuId)).toThrow('只有草稿状态的带量食谱可以修改');
    expect(() => b.db.prepare(`UPDATE menus SET note = 'x' WHERE id = ?`).run(menuId)).toThrow('已审定的带量食谱不能修改');
    expect(tableDigest(b)).toBe(before);
    const list = await b.call('menus.list', { from: '2026-09-21', to: '2026-09-30' });
    expect(list.map((m) => [m.weekStart, m.status, m.dishes])).toEqual([
      ['2026-09-28', 'submitted', 1],
      ['2026-09-21', 'approved', 6],
    ]);
  });

  it('the approved menu drives the expected 留样: a planned dish without its sample is a finding', async () => {
    const b = w.b;
    await b.loginAs('storekeeper');
    w.setNow('2026-09-21T06:00:00.000Z');
    await b.call('samples.record', {
      date: '2026-09-21',
      meal: 'lunch',
      fridge: '1号留样柜',
      taker: '张保管',
      dishes: [
        { dish: '米饭', weightG: 150, takenTime: '11:20' },
        { dish: '炒白菜', weightG: 150, takenTime: '11:21' },
      ],
    });
    const f = await b.call('samples.findings', { month: '2026-09' });
    expect(f.filter((x) => x.kind === 'planned_dish_without_sample').map((x) => x.text)).toEqual(['2026-09-21 午餐 牛奶 是审定食谱中的菜品，没有留样记录']);
  });

  it('composition values import from an .xlsx, all rows or none', async () => {
    const b = w.b;
    await b.loginAs('storekeeper');
    const book = async (rows: (string | number)[][]) => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('成分');
      ws.addRow(['食材', '可食部(%)', '每单位克数', '能量(kcal)', '蛋白质(g)', '脂肪(g)', '维生素C(mg)', '数据来源']);
      for (const r of rows) ws.addRow(r);
      return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    };
    const before = tableDigest(b);
    expect(await b.reject('compositions.import', { fileBase64: await book([['猪肉', 100, '', 395, 13.2, 37, '', '测试数据'], ['黄瓜', 92, '', 16, 0.8, 0.2, 9, '测试数据']]) })).toMatchObject({
      code: 'VALIDATION',
      message: '第 3 行：食材“黄瓜”不在食材目录中，未导入任何数据',
    });
    expect(await b.reject('compositions.import', { fileBase64: await book([['猪肉', 100, '', 'x', 13.2, 37, '', '测试数据']]) })).toMatchObject({
      code: 'VALIDATION',
      message: '第 2 行：能量“x”不是数字（最多三位小数），未导入任何数据',
    });
    expect(tableDigest(b)).toBe(before);
    const r = await b.call('compositions.import', { fileBase64: await book([['猪肉', 100, '', 395, 13.2, 37, '', '测试数据（导入）']]) });
    expect(r).toEqual({ saved: 1, names: ['猪肉'] });
    const pork = (await b.call('compositions.list', {})).find((c) => c.ingredientName === '猪肉')!;
    expect([pork.edibleBp, pork.values.energy, pork.values.protein, pork.values.fat, pork.values.vitaminC, pork.values.calcium, pork.source]).toEqual([10_000, 395_000, 13_200, 37_000, null, null, '测试数据（导入）']);
  });

  it('verify covers the new tables and names a changed menu line', async () => {
    const b = w.b;
    const r = await verifyLedger(b.db);
    expect(r.ok).toBe(true);
    b.db.exec('DROP TRIGGER menu_items_no_update');
    b.db.prepare(`UPDATE menu_items SET qty_mg = 90000 WHERE menu_id = ? AND line_no = 1`).run(menuId);
    const bad = await verifyLedger(b.db);
    expect(bad.ok).toBe(false);
    expect(JSON.stringify(bad)).toContain('带量食谱明细');
  });
});
