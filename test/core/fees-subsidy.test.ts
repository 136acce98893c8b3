import { afterEach, describe, expect, it } from 'vitest';
import { postEntry } from '../../electron/core/ledger/journal.ts';
import { tableDigest } from '../helpers/backend.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

describe('营养改善计划 subsidy', () => {
  it('records eligible students by class and day at the profile rate, into the subsidy accounts only', async () => {
    s = await feeSchool();
    const roster = await s.b.call('subsidy.roster', { className: '一(1)班', date: '2026-09-14' });
    expect(roster.map((r) => [r.student.name, r.recorded])).toEqual([
      ['王小明', false],
      ['张伟', false],
    ]);
    const out = await s.b.call('subsidy.record', { className: '一(1)班', date: '2026-09-14', studentIds: roster.map((r) => r.student.id) });
    expect(out).toEqual({ recorded: 2, amountFen: 1000 }); // 2 × 5.00
    await s.b.call('subsidy.record', { className: '一(2)班', date: '2026-09-14', studentIds: [s.students['刘洋'].id] });
    await s.b.call('subsidy.record', { className: '一(1)班', date: '2026-09-15', studentIds: [s.students['王小明'].id] });
    expect(s.balance('subsidy_receivable')).toBe(2000);
    expect(s.balance('income:subsidy')).toBe(-2000);
    expect(s.balance('cash')).toBe(0);
    expect(s.balance('income:fees')).toBe(0);
    const sum = await s.b.call('subsidy.summary', { month: '2026-09' });
    expect(sum.classes).toEqual([
      { className: '一(1)班', eligibleStudents: 2, mealDays: 2, studentDays: 3, rateFen: 500, amountFen: 1500 },
      { className: '一(2)班', eligibleStudents: 1, mealDays: 1, studentDays: 1, rateFen: 500, amountFen: 500 },
    ]);
    await s.b.call('subsidy.receive', { date: '2026-09-15', amountFen: 1500, note: '县教育局拨付9月上半月' });
    expect(s.balance('subsidy_bank')).toBe(1500);
    expect(s.balance('subsidy_receivable')).toBe(500);
    expect(s.balance('cash')).toBe(0);
    expect((await s.b.call('subsidy.roster', { className: '一(1)班', date: '2026-09-14' })).every((r) => r.recorded)).toBe(true);
    const st = await s.b.call('fees.statement', { studentId: s.students['王小明'].id });
    expect(st).toMatchObject({ subsidyDays: 2, subsidyFen: 1000, paidFen: 0 });
  });

  it('counts a pupil who changed class in the class that recorded each meal', async () => {
    s = await feeSchool();
    const wxm = s.students['王小明'];
    await s.b.call('subsidy.record', { className: '一(1)班', date: '2026-09-14', studentIds: [wxm.id] });
    await s.b.loginAs('admin');
    await s.b.call('students.update', { id: wxm.id, name: wxm.name, className: '一(2)班', mealPlan: wxm.mealPlan, subsidyEligible: true, active: true });
    await s.b.loginAs('cashier');
    await s.b.call('subsidy.record', { className: '一(2)班', date: '2026-09-15', studentIds: [wxm.id] });
    // One meal in each class, 5.00 each: the move does not carry 09-14's meal to 一(2)班.
    expect((await s.b.call('subsidy.summary', { month: '2026-09' })).classes).toEqual([
      { className: '一(1)班', eligibleStudents: 1, mealDays: 1, studentDays: 1, rateFen: 500, amountFen: 500 },
      { className: '一(2)班', eligibleStudents: 1, mealDays: 1, studentDays: 1, rateFen: 500, amountFen: 500 },
    ]);
  });

  it('refuses ineligible, inactive, duplicate, non-school-day and cross-class entries; each writes nothing', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const lx = s.students['刘洋'];
    await s.b.call('students.update', { id: lx.id, name: lx.name, className: lx.className, mealPlan: lx.mealPlan, subsidyEligible: true, active: false });
    await s.b.loginAs('cashier');
    await s.b.call('subsidy.record', { className: '一(1)班', date: '2026-09-14', studentIds: [s.students['王小明'].id] });
    const before = tableDigest(s.b);
    const cases: [unknown, string, RegExp][] = [
      [{ className: '一(1)班', date: '2026-09-14', studentIds: [s.students['李小红'].id] }, 'RULE', /不是营养改善计划受助学生/],
      [{ className: '一(2)班', date: '2026-09-14', studentIds: [lx.id] }, 'RULE', /已离校/],
      [{ className: '一(1)班', date: '2026-09-14', studentIds: [s.students['张伟'].id, s.students['王小明'].id] }, 'CONFLICT', /已登记/],
      [{ className: '一(1)班', date: '2026-09-12', studentIds: [s.students['张伟'].id] }, 'RULE', /不是上课日/],
      [{ className: '一(1)班', date: '2026-09-14', studentIds: [s.students['陈静'].id] }, 'VALIDATION', /不在一\(1\)班/],
      [{ className: '一(1)班', date: '2026-09-16', studentIds: [s.students['张伟'].id] }, 'RULE', /晚于今天/],
      [{ className: '一(1)班', date: '2026-09-14', studentIds: [] }, 'VALIDATION', /请选择受助学生/],
    ];
    for (const [input, code, msg] of cases) {
      const e = await s.b.reject('subsidy.record', input);
      expect(e.code, JSON.stringify(input)).toBe(code);
      expect(e.message).toMatch(msg);
    }
    expect(tableDigest(s.b)).toBe(before);
  });

  it('holds the same rules in SQL: only eligible active students, one meal a student a day', async () => {
    s = await feeSchool();
    const db = s.b.db;
    await s.b.call('subsidy.record', { className: '一(1)班', date: '2026-09-14', studentIds: [s.students['王小明'].id] });
    const batch = (db.prepare('SELECT id FROM subsidy_batches').get() as { id: string }).id;
    expect(() => db.prepare(`INSERT INTO subsidy_meals (batch_id, student_id, meal_date, rate_fen) VALUES (?, ?, '2026-09-14', 500)`).run(batch, s.students['李小红'].id)).toThrow(
      /只有在读的受助学生/,
    );
    // A meal carries its batch's date and rate: the class rows count meals by their batch.
    for (const [date, rate] of [['2026-09-15', 500], ['2026-09-14', 600]] as const) {
      expect(() => db.prepare(`INSERT INTO subsidy_meals (batch_id, student_id, meal_date, rate_fen) VALUES (?, ?, ?, ?)`).run(batch, s.students['张伟'].id, date, rate)).toThrow(
        /受助就餐记录的日期或标准与其登记批次不符/,
      );
    }
    expect(() => db.prepare(`INSERT INTO subsidy_meals (batch_id, student_id, meal_date, rate_fen) VALUES (?, ?, '2026-09-14', 500)`).run(batch, s.students['王小明'].id)).toThrow(
      /UNIQUE|PRIMARY/,
    );
    expect(() => db.prepare(`DELETE FROM subsidy_meals`).run()).toThrow(/不能删除/);
  });

  it('never mixes subsidy with fees and never pays subsidy out as cash (journal trigger)', async () => {
    s = await feeSchool();
    const ctx = s.b.ctx;
    const tryPost = (postings: { account: string; amountFen: number }[]) => () =>
      s.b.db.transaction(() => postEntry(ctx, { date: '2026-09-15', memo: 't', sourceType: 'test', sourceId: null, postings })).immediate();
    const before = tableDigest(s.b);
    // Paying subsidy money out as cash.
    expect(tryPost([{ account: 'cash', amountFen: 500 }, { account: 'subsidy_bank', amountFen: -500 }])).toThrow(/营养改善计划补助专款专用/);
    // A fee receipt booked into the subsidy account.
    expect(tryPost([{ account: 'subsidy_bank', amountFen: 500 }, { account: 'income:fees', amountFen: -500 }])).toThrow(/营养改善计划补助专款专用/);
    // Subsidy income parked in the fee e-wallet or offset against refunds.
    expect(tryPost([{ account: 'ewallet', amountFen: 500 }, { account: 'income:subsidy', amountFen: -500 }])).toThrow(/营养改善计划补助专款专用/);
    expect(tryPost([{ account: 'refunds_payable', amountFen: 500 }, { account: 'subsidy_receivable', amountFen: -500 }])).toThrow(/营养改善计划补助专款专用/);
    expect(tableDigest(s.b)).toBe(before);
    // Spending subsidy funds on food through the bank is allowed.
    expect(tryPost([{ account: 'expense:grain', amountFen: 500 }, { account: 'subsidy_bank', amountFen: -500 }])).not.toThrow();
  });
});
