import { afterEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { tableDigest } from '../helpers/backend.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

/**
 * Issue 14 §6: one pupil added without a roster import, and a pupil moved between classes on a date (调班). Fixture
 * roster: 一(1)班 王小明 (2026001, 受助), 李小红, 张伟 (受助); 一(2)班 刘洋 (受助), 陈静. Subsidy 5.00 元/生/天.
 */

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

describe('students.create', () => {
  it('adds one pupil, audited, findable by pinyin; a taken student number is refused, writing nothing', async () => {
    s = await feeSchool();
    await s.b.loginAs('accountant');
    const z = await s.b.call('students.create', { studentNo: '2026006', name: '赵六', className: '二(1)班', mealPlan: 'two', subsidyEligible: true });
    expect(z).toMatchObject({ studentNo: '2026006', name: '赵六', className: '二(1)班', mealPlan: 'two', subsidyEligible: true, active: true });
    expect((await s.b.call('students.list', { q: 'zl' })).map((x) => x.name)).toEqual(['赵六']);
    expect(s.b.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE entity = 'student' AND action = 'create' AND entity_id = ?`).get(z.id)).toEqual({ n: 1 });

    const before = tableDigest(s.b);
    const dup = await s.b.reject('students.create', { studentNo: '2026001', name: '王小明', className: '二(1)班', mealPlan: 'lunch', subsidyEligible: false });
    expect(dup).toMatchObject({ code: 'CONFLICT', message: '学号 2026001 已是一(1)班王小明的学号，不能重复' });
    const bad = await s.b.reject('students.create', { studentNo: '20 26', name: '钱七', className: '二(1)班', mealPlan: 'lunch', subsidyEligible: false });
    expect(bad).toMatchObject({ code: 'VALIDATION', message: '学号应为 1–20 位数字或字母' });
    const noName = await s.b.reject('students.create', { studentNo: '2026007', name: '  ', className: '二(1)班', mealPlan: 'lunch', subsidyEligible: false });
    expect(noName.code).toBe('VALIDATION');
    expect(tableDigest(s.b)).toBe(before);
    // A pupil who left keeps their number too.
    await s.b.call('students.update', { id: z.id, name: '赵六', className: '二(1)班', mealPlan: 'two', subsidyEligible: true, active: false });
    const left = await s.b.reject('students.create', { studentNo: '2026006', name: '赵六六', className: '二(2)班', mealPlan: 'lunch', subsidyEligible: false });
    expect(left.message).toBe('学号 2026006 已是二(1)班赵六（已离校）的学号，不能重复');
    expect(verifyLedger(s.b.db).ok).toBe(true);
  });
});

describe('students.move (调班 with a date)', () => {
  it('meals before the date stay in the old class, from the date on in the new one; verify covers the moves', async () => {
    s = await feeSchool();
    s.setToday('2026-09-30');
    await s.b.loginAs('accountant');
    const wang = s.students['王小明'].id;
    const moved = await s.b.call('students.move', { id: wang, toClass: '一(2)班', date: '2026-09-21', note: '家长申请' });
    expect(moved.className).toBe('一(2)班');
    expect(await s.b.call('students.moves', { id: wang })).toMatchObject([{ fromClass: '一(1)班', toClass: '一(2)班', date: '2026-09-21', note: '家长申请', createdByName: '刘会计' }]);

    await s.b.loginAs('cashier');
    const roster = async (className: string, date: string) => (await s.b.call('subsidy.roster', { className, date })).map((r) => r.student.name);
    expect(await roster('一(1)班', '2026-09-18')).toEqual(['王小明', '张伟']);
    expect(await roster('一(2)班', '2026-09-18')).toEqual(['刘洋']);
    expect(await roster('一(1)班', '2026-09-21')).toEqual(['张伟']);
    expect(await roster('一(2)班', '2026-09-21')).toEqual(['王小明', '刘洋']);

    // Fri 18 Sep, entered late: 王小明 ate in 一(1)班.
    const before = tableDigest(s.b);
    const wrong = await s.b.reject('subsidy.record', { className: '一(2)班', date: '2026-09-18', studentIds: [wang] });
    expect(wrong).toMatchObject({ code: 'VALIDATION', message: '王小明（2026001）2026-09-18 在一(1)班，不在一(2)班' });
    expect(tableDigest(s.b)).toBe(before);
    await s.b.call('subsidy.record', { className: '一(1)班', date: '2026-09-18', studentIds: [wang, s.students['张伟'].id] });
    await s.b.call('subsidy.record', { className: '一(2)班', date: '2026-09-21', studentIds: [wang, s.students['刘洋'].id] });
    const sum = await s.b.call('subsidy.summary', { month: '2026-09' });
    // 一(1)班: 2 pupils × 1 day = 2 人日, 10.00; 一(2)班: 2 pupils × 1 day, 10.00.
    expect(sum.classes.map((c) => [c.className, c.eligibleStudents, c.studentDays, c.amountFen])).toEqual([
      ['一(1)班', 2, 2, 1000],
      ['一(2)班', 2, 2, 1000],
    ]);
    expect(verifyLedger(s.b.db).ok).toBe(true);
    expect(verifyLedger(s.b.db).coveredTables.student_class_moves).toBe(1);

    // A move written behind the app's back is caught.
    s.b.db.prepare(`INSERT INTO student_class_moves (id, origin, student_id, from_class, to_class, effective_date, created_at, created_by)
      SELECT '01890000-0000-7000-8000-000000000001', origin, student_id, to_class, '一(3)班', '2026-09-28', created_at, created_by FROM student_class_moves`).run();
    const v = verifyLedger(s.b.db);
    expect(v.ok).toBe(false);
    expect(v.problems.some((p) => p.table === 'student_class_moves')).toBe(true);
  });

  it('refuses a move to the same class, on or before the last move, or before a meal already recorded in the old class; writes nothing', async () => {
    s = await feeSchool();
    s.setToday('2026-09-30');
    await s.b.call('subsidy.record', { className: '一(1)班', date: '2026-09-22', studentIds: [s.students['张伟'].id] });
    await s.b.loginAs('accountant');
    const wang = s.students['王小明'].id;
    await s.b.call('students.move', { id: wang, toClass: '一(2)班', date: '2026-09-21' });
    const before = tableDigest(s.b);
    expect(await s.b.reject('students.move', { id: wang, toClass: '一(2)班', date: '2026-09-28' })).toMatchObject({ code: 'VALIDATION', message: '王小明已在一(2)班，无需调班' });
    expect(await s.b.reject('students.move', { id: wang, toClass: '一(1)班', date: '2026-09-21' })).toMatchObject({ code: 'RULE', message: '王小明已于 2026-09-21 调班，新的调班日期必须晚于 2026-09-21' });
    expect(await s.b.reject('students.move', { id: s.students['张伟'].id, toClass: '一(2)班', date: '2026-09-22' })).toMatchObject({
      code: 'RULE',
      message: '张伟在 2026-09-22 已按一(1)班登记受助就餐，调班日期不能早于或等于该日；请选择 2026-09-22 之后的日期',
    });
    expect(await s.b.reject('students.move', { id: wang, toClass: '一(1)班', date: '2026-10-01' })).toMatchObject({ code: 'RULE', message: '调班日期 2026-10-01 晚于今天 2026-09-30，不能预先记账' });
    expect(tableDigest(s.b)).toBe(before);
    // SQL holds the order and immutability again.
    expect(() => s.b.db.prepare(`UPDATE student_class_moves SET effective_date = '2026-09-01'`).run()).toThrow('调班记录不能修改');
    expect(() => s.b.db.prepare(`DELETE FROM student_class_moves`).run()).toThrow('调班记录不能删除');
    expect(() =>
      s.b.db.prepare(`INSERT INTO student_class_moves (id, origin, student_id, from_class, to_class, effective_date, created_at, created_by)
        SELECT 'x', origin, student_id, '一(2)班', '一(1)班', '2026-09-10', created_at, created_by FROM student_class_moves`).run(),
    ).toThrow('调班日期必须晚于该学生上一次调班的日期');
  });
});
