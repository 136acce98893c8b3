import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { tableDigest } from '../helpers/backend.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

async function workbook(rows: (string | number | null)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('roster import (花名册)', () => {
  it('previews with the columns found under a title row, one error per bad row, and commits all good rows', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const data = await workbook([
      ['阳光实验小学 2026 秋季学生名单'],
      ['序号', '学号', '姓名', '班级', '用餐方式', '是否受助'],
      [1, 2026101, '赵一', '二(1)班', '午餐', '是'],
      [2, 2026102, '钱二', '二(1)班', '两餐', '否'],
      [3, 2026103, '', '二(1)班', '午餐', '否'],
      [4, 2026104, '孙四', '二(1)班', '夜宵', '否'],
      [5, 2026102, '李五', '二(1)班', '午餐', '否'],
      [6, 2026001, '王小明', '二(2)班', '三餐寄宿', '是'],
    ]);
    const p = await s.b.call('students.importPreview', { dataBase64: data });
    expect(p.mapping).toEqual({ studentNo: 1, name: 2, className: 3, mealPlan: 4, subsidyEligible: 5 });
    expect(p.rows.map((r) => [r.line, r.errors, r.action])).toEqual([
      [3, [], 'create'],
      [4, [], 'create'],
      [5, ['缺少姓名'], null],
      [6, ['用餐方式“夜宵”无法识别（应为 午餐、两餐 或 三餐寄宿）'], null],
      [7, ['学号 2026102 与第 4 行重复'], null],
      [8, [], 'update'],
    ]);
    expect([p.okCount, p.errorCount]).toEqual([3, 3]);
    // The page sends only the rows without errors; the commit re-checks them all.
    const good = p.rows.filter((r) => r.row).map((r) => r.row!);
    const out = await s.b.call('students.importCommit', { rows: good });
    expect(out).toEqual({ created: 2, updated: 1, unchanged: 0 });
    const wang = (await s.b.call('students.list', { q: '2026001' }))[0];
    expect(wang).toMatchObject({ name: '王小明', className: '二(2)班', mealPlan: 'boarding' });
    const audits = s.b.db.prepare(`SELECT action, count(*) AS n FROM audit_log WHERE entity = 'student' GROUP BY action ORDER BY action`).all();
    expect(audits).toEqual([
      { action: 'create', n: 5 + 2 },
      { action: 'update', n: 1 },
    ]);
  });

  it('imports again without duplicating anyone: same rows change nothing, changed rows update by student number', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const rows = [
      { studentNo: '2026001', name: '王小明', className: '一(1)班', mealPlan: 'lunch' as const, subsidyEligible: true },
      { studentNo: '2026002', name: '李小红', className: '一(3)班', mealPlan: 'two' as const, subsidyEligible: false },
    ];
    expect(await s.b.call('students.importCommit', { rows })).toEqual({ created: 0, updated: 1, unchanged: 1 });
    expect(await s.b.call('students.importCommit', { rows })).toEqual({ created: 0, updated: 0, unchanged: 2 });
    expect(s.b.db.prepare('SELECT count(*) AS n FROM students').get()).toEqual({ n: 5 });
  });

  it('takes a mapping the user chose for unusual headers', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const data = await workbook([
      ['名字', '编码', '年级班', '餐', '营养'],
      ['周六', 'A-77', '三(1)班', '寄宿', '√'],
    ]);
    const guessed = await s.b.call('students.importPreview', { dataBase64: data });
    expect(guessed.rows[0].errors[0]).toContain('未对应列');
    const p = await s.b.call('students.importPreview', { dataBase64: data, mapping: { studentNo: 1, name: 0, className: 2, mealPlan: 3, subsidyEligible: 4 } });
    expect(p.rows[0].row).toEqual({ studentNo: 'A-77', name: '周六', className: '三(1)班', mealPlan: 'boarding', subsidyEligible: true });
  });

  it('commits all or nothing: a bad row or a duplicate number rejects the whole import', async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
    const before = tableDigest(s.b);
    const ok = { studentNo: '2026201', name: '新生甲', className: '一(1)班', mealPlan: 'lunch', subsidyEligible: false };
    const cases: unknown[] = [
      { rows: [ok, { ...ok, studentNo: '2026202', mealPlan: '夜宵' }] },
      { rows: [ok, { ...ok, name: '新生乙' }] },
      { rows: [ok, { ...ok, studentNo: '学号 1' }] },
      { rows: [] },
    ];
    for (const input of cases) expect((await s.b.reject('students.importCommit', input)).code).toBe('VALIDATION');
    expect((await s.b.reject('students.importPreview', { dataBase64: Buffer.from('not a workbook').toString('base64') })).message).toContain('.xlsx');
    expect(tableDigest(s.b)).toBe(before);
    await s.b.loginAs('reviewer');
    expect((await s.b.reject('students.importCommit', { rows: [ok] })).code).toBe('FORBIDDEN');
    await s.b.loginAs('admin');
    expect(s.b.db.prepare('SELECT count(*) AS n FROM students').get()).toEqual({ n: 5 });
  });

  it('keeps meal plan rates editable by admin and accountant only, audited', async () => {
    s = await feeSchool();
    expect((await s.b.reject('mealPlans.update', { code: 'two', dailyRateFen: 1100 })).code).toBe('FORBIDDEN');
    await s.b.loginAs('accountant');
    const p = await s.b.call('mealPlans.update', { code: 'two', dailyRateFen: 1100 });
    expect(p.dailyRateFen).toBe(1100);
    const a = s.b.db.prepare(`SELECT before, after FROM audit_log WHERE entity = 'meal_plan'`).get() as { before: string; after: string };
    expect(JSON.parse(a.before).dailyRateFen).toBe(1000);
    expect(JSON.parse(a.after).dailyRateFen).toBe(1100);
    const q = await s.b.call('fees.quote', { period: '2026-09', studentIds: [s.students['李小红'].id] });
    expect(q[0].standardFen).toBe(21 * 1100);
  });
});

describe('arrears and the student statement', () => {
  it('lists active students without a valid receipt for the period, and one student’s history', async () => {
    s = await feeSchool();
    const st = s.students;
    const [r1] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['王小明'].id }] });
    await s.b.call('fees.collect', { period: '2026-09', method: 'bank', items: [{ studentId: st['李小红'].id }] });
    await s.b.call('receipts.void', { id: r1.id, reason: '收错期间' });
    const arrears = await s.b.call('fees.arrears', { period: '2026-09', className: '一(1)班' });
    expect(arrears.map((a) => [a.student.name, a.dueFen])).toEqual([
      ['王小明', 12600],
      ['张伟', 31500],
    ]);
    const [r3] = await s.b.call('fees.collect', { period: '2026-09', method: 'wechat', items: [{ studentId: st['王小明'].id }] });
    await s.b.call('refunds.create', { studentId: st['王小明'].id, reason: 'leave', noticeDate: '2026-09-14', lastDay: '2026-09-15', appliedOn: '2026-09-15', teacherName: '黄老师', teacherConfirmedOn: '2026-09-15' });
    await s.b.call('subsidy.record', { className: '一(1)班', date: '2026-09-15', studentIds: [st['王小明'].id] });
    const stmt = await s.b.call('fees.statement', { studentId: st['王小明'].id });
    expect(stmt.lines.map((l) => [l.kind, l.number, l.amountFen])).toEqual([
      ['receipt', 'SJ2026-0001', 12600],
      ['void', 'SJ2026-0001', -12600],
      ['receipt', r3.number, 12600],
      ['refund', 'TF2026-0001', -600],
      ['subsidy', '', 500],
    ]);
    expect(stmt).toMatchObject({ paidFen: 12600, refundedFen: 600, subsidyDays: 1, subsidyFen: 500 });
  });
});
