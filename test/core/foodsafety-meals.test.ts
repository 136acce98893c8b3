import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * 陪餐 (issue 17 slice 2) through the API. October 2026 has four 上课日 up to today (12, 13, 14, 15); today is Thursday
 * 2026-10-15 12:00 China time. The principal (赵校长, 审核人) eats lunch on the 12th and finds it good; the parent
 * committee member (周家长) eats lunch on the 13th, rates the temperature 差 and raises 菜凉了 — a follow-up the
 * 食堂管理员 closes with what was done. Nobody eats with the pupils on the 14th or 15th. All expectations by hand.
 */
const clock = new Date(Date.UTC(2026, 9, 15, 4, 0, 0));
let b: TestBackend;
const GOOD = { taste: 'good', quantity: 'good', hygiene: 'good', temperature: 'good' } as const;
const COLD = { taste: 'good', quantity: 'fair', hygiene: 'good', temperature: 'poor' } as const;
const row = (id: string) => b.db.prepare('SELECT * FROM accompanied_meals WHERE id = ?').get(id) as Record<string, unknown>;

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  await b.loginAs('accountant');
  await b.call('schoolDays.set', { month: '2026-10', days: ['2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16'] });
});
afterAll(() => b?.cleanup());

describe('陪餐 through the API', { timeout: 60_000 }, () => {
  let principal = '';
  let parent = '';

  it('the principal records as a school leader, the parent as a parent, each as themselves', async () => {
    await b.loginAs('reviewer');
    const p = await b.call('meals.record', { date: '2026-10-12', meal: 'lunch', ratings: GOOD, remarks: { taste: '咸淡适中', quantity: '', hygiene: '', temperature: '' } });
    principal = p.id;
    expect(p).toMatchObject({ companionKind: 'leader', companionName: '赵校长', ratings: GOOD, problem: '', status: 'confirmed', mine: true, followup: null });
    expect(p.remarks.taste).toBe('咸淡适中');
    await b.loginAs('parent');
    const q = await b.call('meals.record', { date: '2026-10-13', meal: 'lunch', ratings: COLD, problem: '菜凉了，打到碗里已不热' });
    parent = q.id;
    expect(q).toMatchObject({ companionKind: 'parent', companionName: '周家长', ratings: COLD, problem: '菜凉了，打到碗里已不热', mine: true });
    // The parent sees the principal's record, not as theirs.
    const listed = await b.call('meals.list', { from: '2026-10-12', to: '2026-10-13' });
    expect(listed.map((m) => [m.date, m.companionName, m.mine])).toEqual([
      ['2026-10-12', '赵校长', false],
      ['2026-10-13', '周家长', true],
    ]);
  });

  it('refuses a 差 without the problem, a second record of the same meal, another’s correction and the storekeeper, writing nothing', async () => {
    await b.loginAs('parent');
    const before = tableDigest(b);
    expect(await b.reject('meals.record', { date: '2026-10-14', meal: 'lunch', ratings: { ...GOOD, hygiene: 'poor', taste: 'poor' } })).toMatchObject({
      code: 'RULE',
      message: '口味、卫生评价为“差”：请写明发现的问题，以便整改',
    });
    expect(await b.reject('meals.record', { date: '2026-10-13', meal: 'lunch', ratings: GOOD })).toMatchObject({
      code: 'CONFLICT',
      message: '2026-10-13 午餐 您已登记过陪餐：如有错误请更正该记录',
    });
    expect(await b.reject('meals.amend', { id: principal, reason: '改一下', ratings: GOOD })).toMatchObject({ code: 'FORBIDDEN', message: '这是 赵校长 的陪餐记录：只能由本人更正' });
    expect(await b.reject('meals.record', { date: '2026-10-16', meal: 'lunch', ratings: GOOD })).toMatchObject({ code: 'RULE', message: '陪餐日期 2026-10-16 晚于今天 2026-10-15，不能预先记账' });
    expect(await b.reject('meals.closeFollowup', { id: parent, action: '已处理' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('storekeeper');
    const asStorekeeper = tableDigest(b);
    expect(await b.reject('meals.record', { date: '2026-10-14', meal: 'lunch', ratings: GOOD })).toMatchObject({ code: 'FORBIDDEN' });
    expect(() => b.db.prepare(`UPDATE accompanied_meals SET problem = '' WHERE id = ?`).run(parent)).toThrow('陪餐记录确认后不能修改，只能作废并重新登记');
    expect(() => b.db.prepare('DELETE FROM accompanied_meals WHERE id = ?').run(parent)).toThrow('陪餐记录不能删除');
    expect(tableDigest(b)).toBe(asStorekeeper);
  });

  it('findings: the school days without 陪餐 and the open follow-up, on the checklist and both homes', async () => {
    const expected = [
      '2026-10-13 午餐 周家长 陪餐提出的问题待整改：菜凉了，打到碗里已不热',
      '2026-10-14 上课日没有陪餐记录',
      '2026-10-15 上课日没有陪餐记录',
    ];
    await b.loginAs('storekeeper');
    expect((await b.call('meals.findings', { month: '2026-10' })).map((f) => f.text)).toEqual(expected);
    const home = await b.call('home.summary', {});
    const entry = home.sections[0].entries.find((e) => e.kind === 'meal_followups');
    expect(entry).toMatchObject({ label: '陪餐整改', value: '1 项待整改' });
    expect(entry?.lines).toEqual([{ text: expected[0], link: '/foodsafety/meals?date=2026-10-13', tone: 'warning' }]);
    await b.loginAs('accountant');
    const item = (await b.call('monthclose.get', { month: '2026-10' })).checklist?.find((i) => i.key === 'accompanied_meals');
    expect(item).toMatchObject({ ok: true, informational: true, missing: expected, detail: '本月有 3 项陪餐问题（缺陪餐或整改未完成），请审核人知悉' });
    await b.loginAs('reviewer');
    const flags = (await b.call('home.summary', {})).sections[0].entries.find((e) => e.kind === 'flags');
    expect(flags?.lines.map((l) => l.text)).toEqual(expect.arrayContaining(expected));
  });

  it('the storekeeper closes the follow-up with what was done; it is not closed twice, nor the record corrected after', async () => {
    await b.loginAs('storekeeper');
    const closed = await b.call('meals.closeFollowup', { id: parent, action: '午餐改为分批出锅，保温桶盛菜，10月14日起执行' });
    expect(closed.followup).toEqual({ action: '午餐改为分批出锅，保温桶盛菜，10月14日起执行', closedAt: '2026-10-15T04:00:00.000Z', closedByName: '张保管' });
    const before = tableDigest(b);
    expect(await b.reject('meals.closeFollowup', { id: parent, action: '再次' })).toMatchObject({ code: 'CONFLICT', message: '2026-10-13 午餐 周家长 提出的问题已整改，不能重复整改' });
    expect(await b.reject('meals.closeFollowup', { id: principal, action: '无' })).toMatchObject({ code: 'RULE', message: '2026-10-12 午餐 赵校长 的陪餐没有提出问题，无需整改' });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('parent');
    const asParent = tableDigest(b);
    expect(await b.reject('meals.amend', { id: parent, reason: '写错了', ratings: GOOD })).toMatchObject({ code: 'CONFLICT', message: '周家长 的陪餐记录提出的问题已整改，不能更正' });
    expect(tableDigest(b)).toBe(asParent);
    await b.loginAs('reviewer');
    expect((await b.call('meals.findings', { month: '2026-10' })).map((f) => f.kind)).toEqual(['no_companion', 'no_companion']);
  });

  it('the principal corrects their own record by a reasoned amendment', async () => {
    await b.loginAs('reviewer');
    const fixed = await b.call('meals.amend', { id: principal, reason: '份量记错了', ratings: { ...GOOD, quantity: 'fair' } });
    expect(fixed).toMatchObject({ amends: principal, companionName: '赵校长', ratings: { ...GOOD, quantity: 'fair' }, date: '2026-10-12', meal: 'lunch' });
    expect(row(principal)).toMatchObject({ status: 'cancelled', cancel_reason: '份量记错了', quantity: 'good' });
    expect(await b.reject('meals.amend', { id: principal, reason: '再改', ratings: GOOD })).toMatchObject({ code: 'CONFLICT', message: '陪餐 赵校长 已作废，不能修改' });
  });

  it('verify covers both tables and names a tampered one', () => {
    const r = verifyLedger(b.db);
    expect(r.problems).toEqual([]);
    expect(r.coveredTables.accompanied_meals).toBe(3);
    expect(r.coveredTables.meal_followups).toBe(1);
    b.db.exec('DROP TRIGGER meal_followups_no_update');
    b.db.prepare(`UPDATE meal_followups SET action = '已处理'`).run();
    const t = verifyLedger(b.db);
    expect(t.problems.some((p) => p.table === 'meal_followups')).toBe(true);
  });
});
