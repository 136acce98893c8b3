import ExcelJS from 'exceljs';
import fs from 'node:fs';
import path from 'node:path';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/soffice.ts';
import { parseCsv } from '../helpers/csv.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * 满意度, 投诉 and the 食品安全月报 (issue 17) through the API, every figure by hand.
 *
 * October 2026, 上课日 12–16; today is Thursday the 15th, 12:00 China time, so the report covers 10-01 to 10-15 and its
 * school days 12–15. The roster (entered on the 9th): 王师傅 (certificate to 2027-03-01) and 赵师傅 (expired 2026-10-01).
 * On the 12th both are checked (赵 off duty); nobody after. Samples: 12th lunch 米饭, 13th lunch 红烧肉. 陪餐: the
 * principal on the 12th, the parent on the 13th raising 菜凉了, closed by the storekeeper. The approved menu of the week
 * of the 12th plans 米饭 and 炒白菜 for lunch on the 12th (炒白菜 was not sampled). Complaints: 饭菜偏咸 on the 13th
 * (closed by 张保管), 排队时间长 on the 14th (open). A survey of 40 forms, each question 30 / 8 / 2.
 */
let clock = new Date(Date.UTC(2026, 9, 9, 2, 0, 0));
let b: TestBackend;
const QUESTIONS = ['饭菜口味', '饭菜份量', '食品卫生', '菜品种类', '价格', '服务态度'];
const GOOD = { taste: 'good', quantity: 'good', hygiene: 'good', temperature: 'good' } as const;

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  await b.loginAs('storekeeper');
  const wang = await b.call('staff.save', { name: '王师傅', post: '厨师', certNo: 'JK-001', certExpiry: '2027-03-01' });
  const zhao = await b.call('staff.save', { name: '赵师傅', post: '帮厨', certNo: 'JK-002', certExpiry: '2026-10-01' });
  await b.loginAs('admin');
  const rice = await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg', refPriceFen: 600, requiredCerts: [], storable: true });
  const cabbage = await b.call('ingredients.create', { name: '白菜', category: 'vegetable', unit: 'kg', refPriceFen: 250, requiredCerts: [], storable: false });
  clock = new Date(Date.UTC(2026, 9, 15, 4, 0, 0));
  // 6~8岁 targets (test data): energy 1400 kcal and protein 35 g a day. No composition is entered, so the menu's lunch
  // on the 12th gives 0 of each: 2 figures under their targets (energy, protein); the other nutrients have none.
  const school = await b.call('school.get', {});
  const groups = school.profile.menuAgeGroups.map((g) => (g.code === '6-8' ? { ...g, targets: { energy: 1400, protein: 35 } } : g));
  await b.call('school.update', { name: school.name, profile: { ...school.profile, menuAgeGroups: groups }, effectiveFrom: '2026-10' });
  await b.loginAs('accountant');
  await b.call('schoolDays.set', { month: '2026-10', days: ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16'] });
  await b.loginAs('storekeeper');
  await b.call('checks.record', { date: '2026-10-12', checks: [{ staffId: wang.id, outcome: 'fit', onDuty: true }, { staffId: zhao.id, outcome: 'fit', onDuty: false }] });
  await b.call('samples.record', { date: '2026-10-12', meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '米饭', weightG: 150, takenTime: '11:20' }] });
  await b.call('samples.record', { date: '2026-10-13', meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '红烧肉', weightG: 150, takenTime: '11:20' }] });
  const lines = [
    { day: '2026-10-12', meal: 'lunch' as const, dish: '米饭', ingredientId: rice.id, ageGroup: '6-8', qtyMg: 100_000 },
    { day: '2026-10-12', meal: 'lunch' as const, dish: '炒白菜', ingredientId: cabbage.id, ageGroup: '6-8', qtyMg: 120_000 },
  ];
  const menu = await b.call('menus.save', { id: null, weekStart: '2026-10-12', lines });
  await b.call('menus.submit', { id: menu.id });
  await b.loginAs('reviewer');
  await b.call('meals.record', { date: '2026-10-12', meal: 'lunch', ratings: GOOD });
  await b.loginAs('parent');
  const cold = await b.call('meals.record', { date: '2026-10-13', meal: 'lunch', ratings: { ...GOOD, temperature: 'poor' }, problem: '菜凉了' });
  await b.call('menus.review', { id: menu.id, decision: 'approved' });
  await b.loginAs('storekeeper');
  await b.call('meals.closeFollowup', { id: cold.id, action: '改用保温桶' });
}, 120_000);
afterAll(() => b?.cleanup());

describe('满意度 and 投诉', { timeout: 60_000 }, () => {
  it('a survey is the paper forms counted, per question of the profile; a wrong question list, too many answers and a parent are refused, writing nothing', async () => {
    await b.loginAs('reviewer');
    const results = QUESTIONS.map((question) => ({ question, counts: { satisfied: 30, fair: 8, dissatisfied: 2 } }));
    let before = tableDigest(b);
    expect(await b.reject('surveys.record', { termName: '2026秋', date: '2026-10-14', forms: 40, results: results.slice(1) })).toMatchObject({
      code: 'VALIDATION',
      message: '调查问题应为区域配置的 6 个问题：饭菜口味、饭菜份量、食品卫生、菜品种类、价格、服务态度',
    });
    expect(await b.reject('surveys.record', { termName: '2026秋', date: '2026-10-14', forms: 39, results })).toMatchObject({
      code: 'VALIDATION',
      message: '“饭菜口味”的回答共 40 份，多于收回的问卷 39 份',
    });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('parent');
    before = tableDigest(b);
    expect(await b.reject('surveys.record', { termName: '2026秋', date: '2026-10-14', forms: 40, results })).toMatchObject({ code: 'FORBIDDEN' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('reviewer');
    const s = await b.call('surveys.record', { termName: '2026秋', date: '2026-10-14', forms: 40, results });
    // (30 + 8) × 6 of 40 × 6 answers = 95.00 %.
    expect(s).toMatchObject({ termName: '2026秋', forms: 40, satisfiedBp: 9500, status: 'confirmed', createdByName: '赵校长' });
  });

  it('complaints are logged and closed once, naming who closed them', async () => {
    await b.loginAs('storekeeper');
    const c = await b.call('complaints.record', { date: '2026-10-13', channel: '电话', complainant: '三(2)班家长', content: '饭菜偏咸' });
    await b.call('complaints.record', { date: '2026-10-14', channel: '信箱', content: '排队时间长' });
    const closed = await b.call('complaints.close', { id: c.id, action: '已要求厨师减盐' });
    expect(closed.followup).toMatchObject({ action: '已要求厨师减盐', closedByName: '张保管' });
    const before = tableDigest(b);
    expect(await b.reject('complaints.close', { id: c.id, action: '再处理' })).toMatchObject({ code: 'CONFLICT', message: '2026-10-13 的投诉已由 张保管 处理完毕，不能重复处理' });
    expect(await b.reject('complaints.record', { date: '2026-10-14', channel: '微博', content: 'x' })).toMatchObject({ code: 'VALIDATION', message: '投诉渠道无效' });
    expect(() => b.db.prepare(`UPDATE complaints SET status = 'cancelled', cancelled_at = 'x', cancelled_by = created_by, cancel_reason = '错' WHERE id = ?`).run(c.id)).toThrow('投诉已处理完毕，不能作废');
    expect(tableDigest(b)).toBe(before);
    const listed = await b.call('complaints.list', { from: '2026-10-01', to: '2026-10-31' });
    expect(listed.map((x) => [x.date, x.content, x.followup?.closedByName ?? null])).toEqual([
      ['2026-10-13', '饭菜偏咸', '张保管'],
      ['2026-10-14', '排队时间长', null],
    ]);
  });
});

describe('食品安全月报', { timeout: 60_000 }, () => {
  it('the month’s figures, by hand', async () => {
    await b.loginAs('reviewer');
    const r = await b.call('reports.foodSafetyMonth', { month: '2026-10' });
    expect([r.from, r.to, r.schoolName]).toEqual(['2026-10-01', '2026-10-15', '阳光实验小学']);
    expect(r.days).toEqual([
      { date: '2026-10-12', sampledMeals: ['lunch'], accompaniedMeals: ['lunch'], checked: 2, staff: 2 },
      { date: '2026-10-13', sampledMeals: ['lunch'], accompaniedMeals: ['lunch'], checked: 0, staff: 2 },
      { date: '2026-10-14', sampledMeals: [], accompaniedMeals: [], checked: 0, staff: 2 },
      { date: '2026-10-15', sampledMeals: [], accompaniedMeals: [], checked: 0, staff: 2 },
    ]);
    expect(r.samples).toEqual({ count: 2, light: 0, earlyDiscards: 0 });
    expect(r.meals).toEqual({ count: 2, problems: 1, followedUp: 1 });
    expect(r.findings).toEqual([
      '2026-10-12 午餐 炒白菜 是审定食谱中的菜品，没有留样记录',
      '2026-10-13 王师傅 未晨检',
      '2026-10-13 赵师傅 未晨检',
      '2026-10-14 上课日没有留样记录',
      '2026-10-14 上课日没有陪餐记录',
      '2026-10-14 王师傅 未晨检',
      '2026-10-14 赵师傅 未晨检',
      '2026-10-15 上课日没有留样记录',
      '2026-10-15 上课日没有陪餐记录',
      '2026-10-15 王师傅 未晨检',
      '2026-10-15 赵师傅 未晨检',
    ]);
    expect(r.staff).toEqual([
      { name: '王师傅', certExpiry: '2027-03-01', certState: '有效', checkedDays: 1 },
      { name: '赵师傅', certExpiry: '2026-10-01', certState: '已过期', checkedDays: 1 },
    ]);
    expect(r.menus.map((m) => [m.weekStart, m.status, m.approvedByName, m.lowFigures])).toEqual([['2026-10-12', 'approved', '周家长', 2]]);
    expect(r.complaints).toEqual([
      { date: '2026-10-13', content: '饭菜偏咸', closed: true, action: '已要求厨师减盐', closedByName: '张保管' },
      { date: '2026-10-14', content: '排队时间长', closed: false, action: '', closedByName: '' },
    ]);
    await b.loginAs('parent');
    expect(await b.reject('reports.foodSafetyMonth', { month: '2026-10' })).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('the A4 workbook, read back by exceljs', async () => {
    await b.loginAs('storekeeper');
    const { xlsxPath } = await b.call('reports.foodSafetyMonthExport', { month: '2026-10', dir: path.join(b.dir, 'out') });
    expect(path.basename(xlsxPath)).toBe('食品安全月报_2026-10.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const ws = wb.getWorksheet('食品安全月报')!;
    expect(ws.pageSetup.paperSize).toBe(9);
    const text = (r: number) => (ws.getRow(r).values as unknown[]).slice(1).map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v));
    expect(text(1)).toEqual(['阳光实验小学 2026年10月食品安全月报']);
    expect(text(2)).toEqual(['统计期间：2026-10-01 至 2026-10-15']);
    expect(text(4)).toEqual(['日期', '留样餐次', '陪餐餐次', '晨检人数', '应检人数']);
    expect(text(5)).toEqual(['2026-10-12', '午餐', '午餐', 2, 2]);
    expect(text(8)).toEqual(['2026-10-15', '无', '无', 0, 2]);
    expect(text(9)).toEqual(['留样 2 份，其中留样不足 0 份、提前处理 0 份；陪餐 2 次，提出问题 1 个，已整改 1 个']);
    expect(text(10)).toEqual(['二、发现的问题与整改']);
    expect(text(11)).toEqual(['1. 2026-10-12 午餐 炒白菜 是审定食谱中的菜品，没有留样记录']);
    // 11 findings on rows 11–21, then the staff: heading 22, header 23, 王师傅 24, 赵师傅 25.
    expect(text(25)).toEqual(['赵师傅', '2026-10-01', '已过期', 1]);
    expect(text(28)[0]).toBe('2026-10-12');
    expect(text(28).slice(1, 2).concat(text(28).slice(3))).toEqual(['已审定', '周家长', 2]);
    expect(text(31)).toEqual(['2026-10-13', '饭菜偏咸', '已要求厨师减盐', '张保管', '已处理']);
    // An empty cell reads back as nothing.
    expect(text(32)).toEqual(['2026-10-14', '排队时间长', undefined, undefined, '待处理']);
  });

  it('LibreOffice reads the same workbook', async () => {
    expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
    await b.loginAs('storekeeper');
    const { xlsxPath } = await b.call('reports.foodSafetyMonthExport', { month: '2026-10', dir: path.join(b.dir, 'lo') });
    const [csvFile] = await convertWithSoffice(xlsxPath, 'csv:Text - txt - csv (StarCalc):44,34,76,1', path.join(b.dir, 'lo-csv'));
    const rows = parseCsv(fs.readFileSync(csvFile, 'utf8'));
    expect(rows[0][0]).toBe('阳光实验小学 2026年10月食品安全月报');
    expect(rows[4].slice(0, 5)).toEqual(['2026-10-12', '午餐', '午餐', '2', '2']);
    expect(rows[24].slice(0, 4)).toEqual(['赵师傅', '2026-10-01', '已过期', '1']);
    expect(rows[30].slice(0, 5)).toEqual(['2026-10-13', '饭菜偏咸', '已要求厨师减盐', '张保管', '已处理']);
  }, 120_000);
});
