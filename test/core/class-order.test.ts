import { afterEach, describe, expect, it } from 'vitest';
import { compareClassNames } from '../../shared/class-order.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

let s: FeeSchool | undefined;
afterEach(() => s?.b.cleanup());

describe('classes in grade order (issue 14 §6)', () => {
  it('orders by stage, grade and class number; names it cannot read come last, in text order', () => {
    const shuffled = ['高一(2)班', '二(1)班', '一(10)班', '初一(3)班', '一(2)班', '大班', '三年级1班', '10班', '小(2)班', '七年级(1)班', '兴趣班', '2班', '六(1)班', '十二班'];
    expect([...shuffled].sort(compareClassNames)).toEqual([
      '小(2)班',
      '大班',
      '2班',
      '10班',
      '十二班',
      '一(2)班',
      '一(10)班',
      '二(1)班',
      '三年级1班',
      '六(1)班',
      '七年级(1)班',
      '初一(3)班',
      '高一(2)班',
      '兴趣班',
    ]);
  });

  it('the API lists classes and pupils in that order (students.classes, students.list)', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const pupil = (no: string, className: string) => ({ studentNo: no, name: `学生${no}`, className, mealPlan: 'lunch' as const, subsidyEligible: false });
    await s.b.call('students.importCommit', { rows: [pupil('9001', '一(10)班'), pupil('9002', '三(1)班'), pupil('9003', '二(2)班'), pupil('9004', '一(3)班')] });
    const classes = (await s.b.call('students.classes', {})).map((c) => c.className);
    // The fixture's own 一(1)班 and 一(2)班 among them.
    expect(classes).toEqual(['一(1)班', '一(2)班', '一(3)班', '一(10)班', '二(2)班', '三(1)班']);
    const listed = (await s.b.call('students.list', { q: '学生' })).map((x) => x.className);
    expect(listed).toEqual(['一(3)班', '一(10)班', '二(2)班', '三(1)班']);
  });
});
