import type { RosterRow, Student } from '../../shared/api/fees.ts';
import { accountBalance } from '../../electron/core/ledger/journal.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';

/**
 * A school for the fee tests: September 2026 has 22 weekdays less 中秋节 (Fri 25th) = 21 school days; October has 22
 * weekdays less the National Day week (1, 2, 5, 6, 7) = 17. Default rates: 午餐 6.00, 两餐 10.00, 三餐寄宿 15.00 元/天;
 * subsidy 5.00 元/生/天. The clock starts at Tue 2026-09-15 10:00 China time and can be moved.
 */
export const SEPT_DAYS = [1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 21, 22, 23, 24, 28, 29, 30].map((d) => `2026-09-${String(d).padStart(2, '0')}`);
export const OCT_DAYS = [8, 9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30].map((d) => `2026-10-${String(d).padStart(2, '0')}`);

export const ROSTER: RosterRow[] = [
  { studentNo: '2026001', name: '王小明', className: '一(1)班', mealPlan: 'lunch', subsidyEligible: true },
  { studentNo: '2026002', name: '李小红', className: '一(1)班', mealPlan: 'two', subsidyEligible: false },
  { studentNo: '2026003', name: '张伟', className: '一(1)班', mealPlan: 'boarding', subsidyEligible: true },
  { studentNo: '2026004', name: '刘洋', className: '一(2)班', mealPlan: 'lunch', subsidyEligible: true },
  { studentNo: '2026005', name: '陈静', className: '一(2)班', mealPlan: 'lunch', subsidyEligible: false },
];

export interface FeeSchool {
  b: TestBackend;
  /** China-time date the clock reads. */
  setToday(date: string): void;
  students: Record<string, Student>;
  balance(account: string, upTo?: string): number;
}

export async function feeSchool(): Promise<FeeSchool> {
  let now = new Date('2026-09-15T02:00:00Z');
  const b = await setupBackend({ now: () => now });
  await b.loginAs('admin');
  await b.call('schoolDays.set', { month: '2026-09', days: SEPT_DAYS });
  await b.call('schoolDays.set', { month: '2026-10', days: OCT_DAYS });
  await b.call('students.importCommit', { rows: ROSTER });
  const list = await b.call('students.list', { q: '', includeInactive: true, limit: 100 });
  const students = Object.fromEntries(list.map((s) => [s.name, s]));
  await b.loginAs('cashier');
  return {
    b,
    students,
    setToday: (date: string) => {
      now = new Date(`${date}T02:00:00Z`);
    },
    balance: (account, upTo) => accountBalance(b.ctx, account, upTo),
  };
}
