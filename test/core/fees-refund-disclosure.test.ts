import ExcelJS from 'exceljs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DISCLOSURE_LAYOUT } from '../../shared/disclosure.ts';
import { writeSheets } from '../../electron/core/disclosure/workbook.ts';
import { disclosureData, disclosureListsJson } from '../../electron/core/domains/monthclose/disclosure.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

/**
 * Issue 14 §6: a refund approved and not yet paid is listed in 退费明细 as 待退, with its dates, and one approved in
 * an earlier month stays listed until it is paid (after the month's total, which it is not part of).
 * Fixture rates: 午餐 6.00, 两餐 10.00 元/天.
 */

let s: FeeSchool;
afterEach(() => s?.b.cleanup());

const base = { teacherName: '黄老师' };

describe('退费明细 lists refunds still owed', () => {
  it('September: one paid, one 待退; October: the September one paid on 10-20 after the total, an October one 待退', async () => {
    s = await feeSchool();
    s.setToday('2026-09-28');
    const ids = Object.values(s.students).map((x) => ({ studentId: x.id }));
    await s.b.call('fees.collect', { period: '2026-09', method: 'bank', date: '2026-09-01', items: ids });
    await s.b.call('fees.collect', { period: '2026-10', method: 'bank', date: '2026-09-28', items: ids });
    // 王小明: notice Fri 11 Sep, Mon 14–Wed 16 = 3 × 6.00, approved 09-14, paid 09-15.
    const a = await s.b.call('refunds.create', { ...base, studentId: s.students['王小明'].id, reason: 'illness', noticeDate: '2026-09-11', lastDay: '2026-09-16', appliedOn: '2026-09-14', teacherConfirmedOn: '2026-09-14', approvedOn: '2026-09-14' });
    await s.b.call('refunds.pay', { id: a.id, paidOn: '2026-09-15', method: 'bank' });
    // 李小红: notice Mon 21, Tue 22–Wed 23 = 2 × 10.00, approved 09-28, paid only on 10-20.
    const b = await s.b.call('refunds.create', { ...base, studentId: s.students['李小红'].id, reason: 'leave', noticeDate: '2026-09-21', lastDay: '2026-09-23', appliedOn: '2026-09-22', teacherConfirmedOn: '2026-09-22' });
    expect(b).toMatchObject({ approvedOn: '2026-09-28', amountFen: 2000 });
    s.setToday('2026-10-20');
    await s.b.call('refunds.pay', { id: b.id, paidOn: '2026-10-20', method: 'bank' });
    // 刘洋: notice Mon 12 Oct, Tue 13 = 1 × 6.00, approved 10-13, not paid.
    await s.b.call('refunds.create', { ...base, studentId: s.students['刘洋'].id, reason: 'leave', noticeDate: '2026-10-12', lastDay: '2026-10-13', appliedOn: '2026-10-12', teacherConfirmedOn: '2026-10-13', approvedOn: '2026-10-13' });

    const lists = (m: string) => {
      const j = JSON.parse(disclosureListsJson(s.b.ctx, m)) as { refunds: { cols: string[]; vals: unknown[][] } };
      return j.refunds.vals.map((v) => Object.fromEntries(j.refunds.cols.map((c, i) => [c, v[i]])));
    };
    expect(lists('2026-09').map((r) => [r.name, r.amountFen, r.approvedOn, r.paidOn, r.status, r.earlier])).toEqual([
      ['王小明', 1800, '2026-09-14', '2026-09-15', 'paid', false],
      ['李小红', 2000, '2026-09-28', null, 'pending', false],
    ]);
    expect(lists('2026-10').map((r) => [r.name, r.amountFen, r.approvedOn, r.paidOn, r.status, r.earlier])).toEqual([
      ['刘洋', 600, '2026-10-13', null, 'pending', false],
      ['李小红', 2000, '2026-09-28', '2026-10-20', 'paid', true],
    ]);
    // November: only 刘洋's, still owed.
    expect(lists('2026-11').map((r) => [r.name, r.status, r.earlier])).toEqual([['刘洋', 'pending', true]]);

    // The sheet: October's total is its own approvals (6.00); the earlier one follows it.
    const file = path.join(s.b.dir, 'oct.xlsx');
    await writeSheets(disclosureData(s.b.ctx, '2026-10', 1, '0123456789abcdef'), DEFAULT_DISCLOSURE_LAYOUT, file, ['refunds']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const from = rows.findIndex((r) => r[0] === '2026004');
    expect(rows.slice(from, from + 4)).toEqual([
      ['2026004', '刘洋', '一(2)班', 1, 6, '请假；2026-10-13 批准', expect.anything(), '待退'],
      ['合计', undefined, undefined, 1, 6, undefined, undefined, undefined].slice(0, 5),
      Array(8).fill('以前月份批准、本月退付或仍待退的退费（不计入本月合计）：'), // a merged note row
      ['2026002', '李小红', '一(1)班', 2, 20, '请假；2026-09-28 批准', expect.anything(), expect.anything()],
    ]);
  });
});
