import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { PASSWORD, setupBackend, type TestBackend } from '../helpers/backend.ts';
import { holdingRows, tamperableCopies, tamperRounds, tamperTargets } from './tamper-kit.ts';

/**
 * Tampering with the 食品安全 tables (issue 17) behind the app's back. The demo ledger of tamper-domains.test holds no
 * 留样, 陪餐 or 晨检, so its generated foodsafety group finds them empty; here a ledger with samples (one amended, one light
 * with its reason — migration 0028's light_reason —, discards on time and early), 陪餐 by a leader and a parent (one amended), a closed 整改, two staff (one certificate renewed) and their
 * checks (one amended) is written through the API, and the kit's
 * cases — taken from the registry, no table listed here — change, delete and insert rows: verify names the table each time.
 */
const NOW = new Date(Date.UTC(2026, 9, 15, 4, 0, 0));
let b: TestBackend;
let baseline: string;

beforeAll(async () => {
  b = await setupBackend({ now: () => NOW });
  await b.loginAs('storekeeper');
  const lunch = (date: string, dishes: [string, number, string, string?][]) =>
    b.call('samples.record', { date, meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: dishes.map(([dish, weightG, takenTime, lightReason]) => ({ dish, weightG, takenTime, lightReason })) });
  const a = await lunch('2026-10-08', [['红烧肉', 150, '11:20'], ['炒青菜', 130, '11:25']]);
  const c = await lunch('2026-10-12', [['番茄炒蛋', 125, '11:30'], ['米饭', 140, '11:31'], ['炒白菜', 100, '11:32', '菜品已售完，无法补足']]);
  await b.call('samples.discard', { ids: a.map((s) => s.id), at: '2026-10-10 12:00', disposer: '王师傅', reason: '' });
  await b.call('samples.discard', { ids: [c[0].id], at: '2026-10-13 09:00', disposer: '王师傅', reason: '冰箱故障' });
  await b.call('samples.amend', { id: c[1].id, reason: '称重录错', dish: '米饭', weightG: 150, takenTime: '11:31', taker: '王师傅', fridge: '1号留样柜' });
  await b.loginAs('reviewer');
  const good = { taste: 'good', quantity: 'good', hygiene: 'good', temperature: 'good' } as const;
  const m = await b.call('meals.record', { date: '2026-10-12', meal: 'lunch', ratings: good });
  await b.call('meals.amend', { id: m.id, reason: '份量记错', ratings: { ...good, quantity: 'fair' } });
  await b.loginAs('parent');
  const p = await b.call('meals.record', { date: '2026-10-13', meal: 'lunch', ratings: { ...good, temperature: 'poor' }, problem: '菜凉了' });
  await b.call('meals.record', { date: '2026-10-14', meal: 'lunch', ratings: good });
  await b.loginAs('storekeeper');
  await b.call('meals.closeFollowup', { id: p.id, action: '保温桶盛菜' });
  const wang = await b.call('staff.save', { name: '王师傅', post: '厨师', certNo: 'JK-001', certExpiry: '2027-03-01' });
  const li = await b.call('staff.save', { name: '李阿姨', post: '帮厨', certNo: 'JK-002', certExpiry: '2026-11-10' });
  await b.call('staff.save', { id: li.id, name: '李阿姨', post: '帮厨', certNo: 'JK-102', certExpiry: '2027-11-10' });
  const [first] = await b.call('checks.record', {
    date: '2026-10-15',
    checks: [
      { staffId: wang.id, outcome: 'fit', onDuty: false },
      { staffId: li.id, outcome: 'unfit', symptoms: ['fever'], onDuty: false },
    ],
  });
  await b.call('checks.amend', { id: first.id, reason: '漏选上岗', outcome: 'fit', onDuty: true });
  // 带量食谱, 满意度 and 投诉 (issue 17): two compositions (one saved twice), a menu returned once and approved, a survey, two
  // complaints (one closed).
  await b.loginAs('admin');
  const rice = await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg', refPriceFen: 600, requiredCerts: [], storable: true });
  const cabbage = await b.call('ingredients.create', { name: '白菜', category: 'vegetable', unit: 'kg', refPriceFen: 250, requiredCerts: [], storable: false });
  await b.loginAs('storekeeper');
  const none = { energy: null, protein: null, fat: null, carbohydrate: null, calcium: null, iron: null, zinc: null, vitaminA: null, vitaminB1: null, vitaminB2: null, vitaminC: null };
  await b.call('compositions.save', { ingredientId: rice.id, values: { ...none, energy: 346_000 }, source: '测试数据' });
  await b.call('compositions.save', { ingredientId: rice.id, values: { ...none, energy: 347_000, protein: 7_900 }, source: '测试数据（更正）' });
  await b.call('compositions.save', { ingredientId: cabbage.id, edibleBp: 8700, values: { ...none, energy: 20_000 }, source: '测试数据' });
  const menuLines = [
    { day: '2026-10-12', meal: 'lunch' as const, dish: '米饭', ingredientId: rice.id, ageGroup: '6-8', qtyMg: 100_000 },
    { day: '2026-10-12', meal: 'lunch' as const, dish: '炒白菜', ingredientId: cabbage.id, ageGroup: '6-8', qtyMg: 120_000 },
  ];
  const menu = await b.call('menus.save', { id: null, weekStart: '2026-10-12', lines: menuLines });
  await b.call('menus.submit', { id: menu.id });
  await b.loginAs('parent');
  await b.call('menus.review', { id: menu.id, decision: 'returned', remark: '少了汤' });
  await b.loginAs('storekeeper');
  await b.call('menus.save', { id: menu.id, weekStart: '2026-10-12', lines: [...menuLines, { ...menuLines[1], dish: '白菜汤', qtyMg: 50_000 }] });
  await b.call('menus.submit', { id: menu.id });
  await b.loginAs('parent');
  await b.call('menus.review', { id: menu.id, decision: 'approved' });
  // Its reasoned amendment (migration 0026): a second revision adding a 紫菜汤 line, approved, superseding the first.
  await b.loginAs('storekeeper');
  const rev = await b.call('menus.amend', { id: menu.id, reason: '加一道紫菜汤' });
  await b.call('menus.save', { id: rev.id, weekStart: '2026-10-12', lines: [...menuLines, { ...menuLines[1], dish: '白菜汤', qtyMg: 50_000 }, { ...menuLines[0], dish: '紫菜汤', qtyMg: 10_000 }] });
  await b.call('menus.submit', { id: rev.id });
  await b.loginAs('parent');
  await b.call('menus.review', { id: rev.id, decision: 'approved' });
  // The 陪餐 duty rota (migration 0026): the term's first rota, from today (10-15) on, 周一 and 周三 午餐 赵校长 (a version
  // never starts on a past day).
  await b.loginAs('admin');
  await b.call('terms.save', { code: '2026秋', name: '2026年秋季学期', startDate: '2026-09-01', endDate: '2027-01-20' });
  await b.loginAs('reviewer');
  const zhao = (b.db.prepare(`SELECT id FROM users WHERE username = 'reviewer'`).get() as { id: string }).id;
  await b.call('mealRota.save', { termCode: '2026秋', fromDate: '2026-10-15', entries: [{ weekday: 1, meal: 'lunch', userId: zhao }, { weekday: 3, meal: 'lunch', userId: zhao }] });
  const questions = ['饭菜口味', '饭菜份量', '食品卫生', '菜品种类', '价格', '服务态度'];
  await b.call('surveys.record', { termName: '2026秋', date: '2026-10-14', forms: 40, results: questions.map((question) => ({ question, counts: { satisfied: 30, fair: 8, dissatisfied: 2 } })) });
  const c1 = await b.call('complaints.record', { date: '2026-10-13', channel: '电话', complainant: '三(2)班家长', content: '饭菜偏咸' });
  await b.call('complaints.record', { date: '2026-10-14', channel: '信箱', content: '排队时间长' });
  await b.call('complaints.close', { id: c1.id, action: '已要求厨师减盐，次日回访满意' });
  // 现场填写 (migration 0029): the parent-committee member opens it, two parents submit a form, she closes it.
  await b.loginAs('parent');
  const kiosk = await b.call('surveys.kioskOpen', { termName: '2026秋' });
  await b.call('surveys.respond', { sessionId: kiosk.id, answers: questions.map(() => 'satisfied' as const), remark: '孩子说饭菜好吃' });
  await b.call('surveys.respond', { sessionId: kiosk.id, answers: questions.map((_, i) => (i === 0 ? 'dissatisfied' : 'fair')), remark: '' });
  await b.call('surveys.kioskClose', { id: kiosk.id, password: PASSWORD });
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  baseline = path.join(b.dir, 'baseline.sqlite');
  await b.db.backup(baseline);
}, 120_000);
afterAll(() => b?.cleanup());

describe('verify catches tampering with the 食品安全 tables', { timeout: 120_000 }, () => {
  const targets = tamperTargets('domains').foodsafety ?? {};

  it('the registry puts all seventeen tables in the domains suite, and the ledger verifies clean with each covered', () => {
    expect(Object.keys(targets).sort()).toEqual([
      'accompanied_meals',
      'canteen_staff',
      'complaint_followups',
      'complaints',
      'food_compositions',
      'food_sample_discards',
      'food_samples',
      'meal_duty_rota',
      'meal_followups',
      'menu_amendments',
      'menu_items',
      'menu_reviews',
      'menus',
      'morning_checks',
      'satisfaction_surveys',
      'survey_responses',
      'survey_sessions',
    ]);
    const db = new Database(baseline, { readonly: true });
    const r = verifyLedger(db);
    db.close();
    expect(r.problems).toEqual([]);
    // By hand: 6 samples (one cancelled by its amendment, one light), 3 discards, 4 陪餐 (one cancelled), 1 整改, 2 staff, 3 checks (one cancelled).
    expect([r.coveredTables.food_samples, r.coveredTables.food_sample_discards, r.coveredTables.accompanied_meals, r.coveredTables.meal_followups, r.coveredTables.canteen_staff, r.coveredTables.morning_checks]).toEqual([6, 3, 4, 1, 2, 3]);
    // By hand: 2 compositions; 2 menus of one week — the first with 3 lines and 2 reviews (returned, approved), superseded
    // by its revision with 4 lines and 1 review (approved) and 1 amendment —; 1 survey, 2 complaints, 1 closed.
    const t = r.coveredTables as Record<string, number>;
    expect([t.food_compositions, t.menus, t.menu_items, t.menu_reviews, t.menu_amendments, t.satisfaction_surveys, t.complaints, t.complaint_followups]).toEqual([2, 2, 7, 3, 1, 1, 2, 1]);
    // By hand: the rota's 2 rows; 1 现场填写 session with 2 forms.
    expect(t.meal_duty_rota).toBe(2);
    expect([t.survey_sessions, t.survey_responses]).toEqual([1, 2]);
  });

  it('at least 30 random changes, deletions and insertions per table, every one caught and named', () => {
    const { tables, empty } = holdingRows(baseline, targets);
    expect(empty).toEqual([]);
    const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
    const rounds = 30 * Object.keys(tables).length;
    const { counts, perTable, missed } = tamperRounds({ tables, rounds, seed, fresh: tamperableCopies(baseline), verify: (db) => verifyLedger(db) });
    console.log(`tampering foodsafety (seed ${seed}): ${JSON.stringify(counts)}; per table ${JSON.stringify(perTable)}; missed ${missed.length}`);
    expect(missed).toEqual([]);
    expect(counts.change + counts.delete + counts.insert).toBeGreaterThanOrEqual(rounds);
    for (const t of Object.keys(tables)) expect(perTable[t]).toBeGreaterThan(0);
  }, 600_000);
});
