import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../shared/calendar.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * The month lock over the food-safety records (issue 17 "the month lock covers the new records"). Recording them in a
 * closed month is refused by the dispatcher (test/core/period-lock.test.ts walks samples.record, meals.record,
 * checks.record, surveys.record and complaints.record); here, by hand, what those tests cannot reach:
 * - a correction (samples.amend, meals.amend, checks.amend) of a record of a closed month is refused — it cancels the
 *   record on its own date — and so is a discard dated in it; a discard, a 整改 or a complaint's handling done now, in
 *   the open month, of an October record is not (they are dated when done);
 * - SQL holds it again (migration 0026): no 留样, discard, 陪餐, 晨检, 满意度 or 投诉 row inserted or cancelled on or before
 *   the latest closed month, behind the app's back.
 *
 * Friday 2026-10-30 10:00… 12:00 China time: 王师傅 checked, lunch's 米饭 sampled at 11:20 (kept to 11-01 11:20), the
 * parent's 陪餐 with a problem, a complaint, a survey. Tuesday 11-03: October is closed.
 */
let clock = new Date(Date.UTC(2026, 9, 30, 4, 0, 0));
let b: TestBackend;
const ids: Record<string, string> = {};
const LOCKED = '2026年10月已月结锁定，不能再记账；如需更正请由审核人填写理由后反结账';
const GOOD = { taste: 'good', quantity: 'good', hygiene: 'good', temperature: 'good' } as const;

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  await b.loginAs('storekeeper');
  const wang = await b.call('staff.save', { name: '王师傅', post: '厨师', certNo: 'JK-001', certExpiry: '2027-03-01' });
  ids.staff = wang.id;
  ids.check = (await b.call('checks.record', { date: '2026-10-30', checks: [{ staffId: wang.id, outcome: 'fit', onDuty: true }] }))[0].id;
  ids.sample = (await b.call('samples.record', { date: '2026-10-30', meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '米饭', weightG: 150, takenTime: '11:20' }] }))[0].id;
  ids.complaint = (await b.call('complaints.record', { date: '2026-10-30', channel: '电话', content: '饭菜偏咸' })).id;
  await b.loginAs('parent');
  ids.meal = (await b.call('meals.record', { date: '2026-10-30', meal: 'lunch', ratings: { ...GOOD, temperature: 'poor' }, problem: '菜凉了' })).id;
  await b.loginAs('reviewer');
  ids.survey = (await b.call('surveys.record', { termName: '2026秋', date: '2026-10-30', forms: 1, results: ['饭菜口味', '饭菜份量', '食品卫生', '菜品种类', '价格', '服务态度'].map((question) => ({ question, counts: { satisfied: 1, fair: 0, dissatisfied: 0 } })) })).id;
  clock = new Date(Date.UTC(2026, 10, 3, 2, 0, 0));
  const admin = (b.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
  b.db.prepare('INSERT INTO closed_periods (period, closed_at, closed_by) VALUES (?, ?, ?)').run('2026-10', '2026-11-02T02:00:00Z', admin);
}, 60_000);
afterAll(() => b?.cleanup());

describe('with October closed, on 2026-11-03', { timeout: 60_000 }, () => {
  it('no correction of an October record, and no discard dated in October, writing nothing', async () => {
    await b.loginAs('storekeeper');
    let before = tableDigest(b);
    const sampleFix = { id: ids.sample, reason: '称重录错', dish: '米饭', weightG: 160, takenTime: '11:20', taker: '王师傅', fridge: '1号留样柜' };
    expect(await b.reject('samples.amend', sampleFix)).toMatchObject({ code: 'LOCKED', message: LOCKED });
    expect(await b.reject('checks.amend', { id: ids.check, reason: '漏填说明', outcome: 'fit', onDuty: true, note: '体温正常' })).toMatchObject({ code: 'LOCKED', message: LOCKED });
    expect(await b.reject('samples.discard', { ids: [ids.sample], at: '2026-10-31 12:00', disposer: '王师傅', reason: '冰箱故障' })).toMatchObject({ code: 'LOCKED', message: LOCKED });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('parent');
    before = tableDigest(b);
    expect(await b.reject('meals.amend', { id: ids.meal, reason: '评价写错', ratings: GOOD, problem: '' })).toMatchObject({ code: 'LOCKED', message: LOCKED });
    expect(tableDigest(b)).toBe(before);
  });

  it('what is done now, in November, of an October record goes through: the discard, the 整改, the complaint’s handling', async () => {
    await b.loginAs('storekeeper');
    const [s] = await b.call('samples.discard', { ids: [ids.sample], disposer: '王师傅', reason: '' });
    expect(s.discard).toMatchObject({ at: '2026-11-03T02:00:00.000Z', disposer: '王师傅', early: false });
    expect((await b.call('meals.closeFollowup', { id: ids.meal, action: '改用保温桶' })).followup).toMatchObject({ action: '改用保温桶', closedByName: '张保管' });
    expect((await b.call('complaints.close', { id: ids.complaint, action: '已要求厨师减盐' })).followup).toMatchObject({ action: '已要求厨师减盐', closedByName: '张保管' });
  });

  it('SQL refuses the same behind the app’s back: inserts and cancels of October (and earlier) records', () => {
    const d = b.db;
    const user = (d.prepare(`SELECT id FROM users WHERE username = 'storekeeper'`).get() as { id: string }).id;
    const tx = (sql: string, ...args: unknown[]) => () => d.transaction(() => d.prepare(sql).run(...args))();
    const IN = '该月份已月结锁定，不能再记账';
    const EARLIER = '该日期早于已月结锁定的月份，不能再记账';
    const sample = (day: string) =>
      tx(
        `INSERT INTO food_samples (id, origin, sample_date, meal, dish, weight_g, taken_at, taker, fridge, keep_until, status, created_at, created_by)
         VALUES (?, 'o', ?, 'lunch', '馒头', 150, ?, '王师傅', '1号留样柜', ?, 'confirmed', 'now', ?)`,
        `s-${day}`, day, `${day}T03:20:00.000Z`, `${addDays(day, 3)}T03:20:00.000Z`, user,
      );
    expect(sample('2026-10-29')).toThrow(IN);
    // The same row in the open month goes in (rolled back: the test only asks the triggers).
    d.exec('SAVEPOINT open_month');
    expect(sample('2026-11-02')).not.toThrow();
    d.exec('ROLLBACK TO open_month; RELEASE open_month');
    expect(sample('2026-09-10')).toThrow(EARLIER);
    const cancel = (table: string, id: string) => tx(`UPDATE ${table} SET status = 'cancelled', cancelled_at = 'now', cancelled_by = ?, cancel_reason = '改' WHERE id = ?`, user, id);
    expect(cancel('food_samples', ids.sample)).toThrow(IN);
    expect(cancel('accompanied_meals', ids.meal)).toThrow(IN);
    expect(cancel('morning_checks', ids.check)).toThrow(IN);
    expect(cancel('satisfaction_surveys', ids.survey)).toThrow(IN);
    expect(cancel('complaints', ids.complaint)).toThrow(IN);
    expect(tx(`INSERT INTO morning_checks (id, origin, check_date, staff_id, outcome, on_duty, status, created_at, created_by) VALUES ('c', 'o', '2026-10-29', ?, 'fit', 0, 'confirmed', 'now', ?)`, ids.staff, user)).toThrow(IN);
    expect(
      tx(
        `INSERT INTO accompanied_meals (id, origin, meal_date, meal, companion_kind, companion_name, taste, quantity, hygiene, temperature, status, created_at, created_by)
         VALUES ('m', 'o', '2026-08-31', 'lunch', 'parent', '周家长', 'good', 'good', 'good', 'good', 'confirmed', 'now', ?)`,
        user,
      ),
    ).toThrow(EARLIER);
    expect(tx(`INSERT INTO satisfaction_surveys (id, origin, term_name, survey_date, forms, results, status, created_at, created_by) VALUES ('v', 'o', '2026秋', '2026-10-29', 1, '[]', 'confirmed', 'now', ?)`, user)).toThrow(IN);
    expect(tx(`INSERT INTO complaints (id, origin, received_date, channel, content, status, created_at, created_by) VALUES ('k', 'o', '2026-10-29', '电话', '偏咸', 'confirmed', 'now', ?)`, user)).toThrow(IN);
    // A discard is dated by its China day: 2026-10-31 23:30 China time is still October.
    expect(tx(`INSERT INTO food_sample_discards (sample_id, discarded_at, disposer, reason, created_at, created_by) VALUES ('x', '2026-10-31T15:30:00.000Z', '王师傅', '', 'now', ?)`, user)).toThrow(IN);
  });
});
