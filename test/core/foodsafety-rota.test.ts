import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { PASSWORD, setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * The 陪餐 duty rota per term (issue 17, migration 0026), by hand.
 *
 * 2026年秋季学期 runs 2026-09-01 to 2027-01-20; 上课日 of the week: 10-12 … 10-16; today is Wednesday 10-14, 14:00 China
 * time. Leaders (审核人): 赵校长 and 钱副校长. The principal sets the rota on 09-01 from that day: 周一午餐 赵校长, 周三午餐
 * 钱副校长; and on Tuesday 10-13, from 10-14 on: 周一午餐 钱副校长, 周三午餐 赵校长 (a version takes effect tomorrow at the
 * earliest once one is in force: the leaders cannot rewrite a duty already due). 陪餐: 赵校长 on Monday the 12th; the parent member on the 12th too;
 * 钱副校长 on Wednesday the 14th; nobody on the 13th.
 *
 * So the month's 陪餐 findings: the 13th without any 陪餐; on the 14th 赵校长 was on duty (the 10-14 version) and did not
 * eat with the pupils — 钱副校长's record does not stand for his. The 12th: 赵校长 on duty and there.
 */
let clock = new Date(Date.UTC(2026, 9, 14, 6, 0, 0));
let b: TestBackend;
let zhao = '';
let qian = '';
let keeper = '';
const GOOD = { taste: 'good', quantity: 'good', hygiene: 'good', temperature: 'good' } as const;

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  const users = Object.fromEntries((await b.call('users.list', {})).map((u) => [u.username, u.id]));
  zhao = users.reviewer;
  keeper = users.storekeeper;
  qian = (await b.call('users.create', { username: 'qian', displayName: '钱副校长', roles: ['reviewer'], password: PASSWORD })).id;
  await b.call('terms.save', { code: '2026秋', name: '2026年秋季学期', startDate: '2026-09-01', endDate: '2027-01-20' });
  await b.loginAs('accountant');
  await b.call('schoolDays.set', { month: '2026-10', days: ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16'] });
  await b.loginAs('reviewer');
  await b.call('meals.record', { date: '2026-10-12', meal: 'lunch', ratings: GOOD });
  await b.loginAs('parent');
  await b.call('meals.record', { date: '2026-10-12', meal: 'lunch', ratings: GOOD });
  await b.loginAs('qian');
  await b.call('meals.record', { date: '2026-10-14', meal: 'lunch', ratings: GOOD });
}, 60_000);
afterAll(() => b?.cleanup());

describe('the 陪餐 duty rota', { timeout: 60_000 }, () => {
  it('refuses, writing nothing: a storekeeper, a non-leader on duty, a date outside the term, a duplicate, an empty rota', async () => {
    await b.loginAs('storekeeper');
    let before = tableDigest(b);
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-09-01', entries: [{ weekday: 1, meal: 'lunch', userId: zhao }] })).toMatchObject({ code: 'FORBIDDEN' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('reviewer');
    before = tableDigest(b);
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-09-01', entries: [{ weekday: 1, meal: 'lunch', userId: keeper }] })).toMatchObject({
      code: 'RULE',
      message: '张保管 不是在用的学校领导（审核人），不能排入陪餐值班',
    });
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2027-02-01', entries: [{ weekday: 1, meal: 'lunch', userId: zhao }] })).toMatchObject({
      code: 'VALIDATION',
      message: '生效日期 2027-02-01 不在2026年秋季学期（2026-09-01 至 2027-01-20）内',
    });
    const twice = [{ weekday: 1, meal: 'lunch' as const, userId: zhao }, { weekday: 1, meal: 'lunch' as const, userId: zhao }];
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-09-01', entries: twice })).toMatchObject({ code: 'VALIDATION', message: '周一午餐 赵校长 填了两次' });
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-09-01', entries: [] })).toMatchObject({ code: 'VALIDATION', message: '请至少安排一位值班领导' });
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-09-01', entries: [{ weekday: 8, meal: 'lunch', userId: zhao }] })).toMatchObject({ code: 'VALIDATION', message: '星期应为周一至周日' });
    expect(await b.reject('mealRota.save', { termCode: '2027春', fromDate: '2027-03-01', entries: [{ weekday: 1, meal: 'lunch', userId: zhao }] })).toMatchObject({ code: 'NOT_FOUND', message: '找不到学期 2027春' });
    expect(tableDigest(b)).toBe(before);
  });

  it('two versions, the later taking over from its date; the findings name the leader on duty who did not eat with the pupils', async () => {
    await b.loginAs('reviewer');
    expect((await b.call('home.summary', {})).sections[0].entries.find((e) => e.kind === 'meal_duty')).toMatchObject({ value: '未安排', lines: [] });
    clock = new Date(Date.UTC(2026, 8, 1, 2, 0, 0));
    await b.call('mealRota.save', { termCode: '2026秋', fromDate: '2026-09-01', entries: [{ weekday: 3, meal: 'lunch', userId: qian }, { weekday: 1, meal: 'lunch', userId: zhao }] });
    // Tuesday the 13th, before the second version: the 12th was 赵校长's, who was there; only the empty 13th.
    clock = new Date(Date.UTC(2026, 9, 13, 6, 0, 0));
    expect((await b.call('meals.findings', { month: '2026-10' })).map((f) => f.text)).toEqual(['2026-10-13 上课日没有陪餐记录']);
    const r = await b.call('mealRota.save', { termCode: '2026秋', fromDate: '2026-10-14', entries: [{ weekday: 1, meal: 'lunch', userId: qian }, { weekday: 3, meal: 'lunch', userId: zhao }] });
    expect(r.versions).toEqual([
      { fromDate: '2026-09-01', entries: [{ weekday: 1, meal: 'lunch', userId: zhao, userName: '赵校长' }, { weekday: 3, meal: 'lunch', userId: qian, userName: '钱副校长' }] },
      { fromDate: '2026-10-14', entries: [{ weekday: 1, meal: 'lunch', userId: qian, userName: '钱副校长' }, { weekday: 3, meal: 'lunch', userId: zhao, userName: '赵校长' }] },
    ]);
    expect(r.leaders.map((l) => l.name)).toEqual(['赵校长', '钱副校长']);
    clock = new Date(Date.UTC(2026, 9, 14, 6, 0, 0));
    expect(await b.call('meals.findings', { month: '2026-10' })).toEqual([
      { kind: 'no_companion', date: '2026-10-13', meal: null, text: '2026-10-13 上课日没有陪餐记录', mealId: null },
      { kind: 'rota_missed', date: '2026-10-14', meal: 'lunch', text: '2026-10-14 午餐 值班领导 赵校长 没有陪餐记录', mealId: null },
    ]);
    // The reviewer's home lists it with the others, and today's duty: 赵校长 on duty at lunch (the 10-14 version), not yet
    // recorded; 钱副校长 is not on duty today.
    const home = await b.call('home.summary', {});
    const entries = home.sections.find((s) => s.role === 'reviewer')?.entries ?? [];
    expect(entries.find((e) => e.kind === 'flags')?.lines.map((l) => l.text)).toContain('2026-10-14 午餐 值班领导 赵校长 没有陪餐记录');
    expect(entries.find((e) => e.kind === 'meal_duty')).toMatchObject({ label: '今日陪餐值班', value: '午餐待陪餐', lines: [{ text: '午餐 值班领导 赵校长：尚未登记陪餐', tone: 'warning' }] });
    // 赵校长 cannot take himself off today's duty, nor off a past day's, with a new version: refused, nothing written,
    // the finding stays.
    const kept = tableDigest(b);
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-10-14', entries: [{ weekday: 3, meal: 'lunch', userId: qian }] })).toMatchObject({
      code: 'RULE',
      message: '生效日期 2026-10-14：值班表已在执行，新的值班安排最早从明天起生效，不能改写已过的值班',
    });
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-10-12', entries: [{ weekday: 3, meal: 'lunch', userId: qian }] })).toMatchObject({
      code: 'RULE',
      message: '生效日期 2026-10-12：值班表已在执行，新的值班安排最早从明天起生效，不能改写已过的值班',
    });
    expect(tableDigest(b)).toBe(kept);
    await b.loginAs('admin');
    const kept2 = tableDigest(b);
    expect((await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-10-14', entries: [{ weekday: 3, meal: 'lunch', userId: qian }] })).code).toBe('RULE');
    expect(tableDigest(b)).toBe(kept2);
    await b.loginAs('reviewer');
    expect((await b.call('meals.findings', { month: '2026-10' })).map((f) => f.text)).toContain('2026-10-14 午餐 值班领导 赵校长 没有陪餐记录');
    await b.loginAs('qian');
    const hers = (await b.call('home.summary', {})).sections[0].entries.find((e) => e.kind === 'meal_duty');
    expect(hers?.value).toBe('今日您不值班');
    await b.loginAs('reviewer');
    await b.call('meals.record', { date: '2026-10-14', meal: 'lunch', ratings: GOOD });
    expect((await b.call('home.summary', {})).sections[0].entries.find((e) => e.kind === 'meal_duty')).toMatchObject({ value: '午餐已陪餐', lines: [{ text: '午餐 值班领导 赵校长：已陪餐', tone: 'info' }] });
    expect((await b.call('meals.findings', { month: '2026-10' })).map((f) => f.text)).toEqual(['2026-10-13 上课日没有陪餐记录']);
    await b.loginAs('parent');
    const seen = await b.call('mealRota.get', { termCode: null });
    expect([seen?.termCode, seen?.termName, seen?.versions.length, seen?.terms]).toEqual(['2026秋', '2026年秋季学期', 2, [{ code: '2026秋', name: '2026年秋季学期' }]]);
    // Saving a version not yet in force again replaces that version's rows, audited with the term's rows.
    await b.loginAs('reviewer');
    await b.call('mealRota.save', { termCode: '2026秋', fromDate: '2026-10-19', entries: [{ weekday: 5, meal: 'lunch', userId: qian }] });
    await b.call('mealRota.save', { termCode: '2026秋', fromDate: '2026-10-19', entries: [{ weekday: 3, meal: 'lunch', userId: zhao }] });
    const a = b.db.prepare(`SELECT action, entity_id, before FROM audit_log WHERE entity = 'meal_duty_rota' ORDER BY seq`).all() as { action: string; entity_id: string; before: string | null }[];
    expect(a.map((x) => [x.action, x.entity_id, x.before && JSON.parse(x.before)])).toEqual([
      ['create', '2026秋', null],
      ['create', '2026秋', null],
      ['create', '2026秋', null],
      ['update', '2026秋', { fromDate: '2026-10-19', entries: 1 }],
    ]);
    expect(verifyLedger(b.db).problems).toEqual([]);
  });

  it('with September closed, its version is not saved again, in the API nor in SQL', async () => {
    clock = new Date(Date.UTC(2026, 9, 15, 2, 0, 0));
    const admin = (b.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
    b.db.prepare('INSERT INTO closed_periods (period, closed_at, closed_by) VALUES (?, ?, ?)').run('2026-09', '2026-10-15T01:00:00Z', admin);
    await b.loginAs('reviewer');
    const before = tableDigest(b);
    expect(await b.reject('mealRota.save', { termCode: '2026秋', fromDate: '2026-09-01', entries: [{ weekday: 1, meal: 'lunch', userId: qian }] })).toMatchObject({
      code: 'LOCKED',
      message: '生效日期 2026-09-01：2026年9月已月结锁定，不能再记账；如需更正请由审核人填写理由后反结账',
    });
    expect(tableDigest(b)).toBe(before);
    const d = b.db;
    expect(() => d.transaction(() => d.prepare(`DELETE FROM meal_duty_rota WHERE from_date = '2026-09-01'`).run())()).toThrow('该月份已月结锁定，不能再记账');
    expect(() => d.transaction(() => d.prepare(`UPDATE meal_duty_rota SET user_id = ? WHERE from_date = '2026-10-14'`).run(qian))()).toThrow('陪餐值班表不能修改，请重新保存该生效日期的值班表');
    expect(tableDigest(b)).toBe(before);
    // A version from an open month is still saved.
    await b.call('mealRota.save', { termCode: '2026秋', fromDate: '2026-10-19', entries: [{ weekday: 5, meal: 'lunch', userId: qian }] });
  });
});
