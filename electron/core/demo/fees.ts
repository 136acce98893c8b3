import type { MealPlan, PayMethod, RosterRow, Student } from '../../../shared/api/fees.ts';
import { addDays, lastDayOfMonth } from '../ledger/clock.ts';
import type { DemoContext, DemoStep } from './types.ts';

/**
 * A month of meal fees before today, through the API in date order (a cleared day closes the days before it):
 * 120 students in six classes; the school days of last month and this month; fees collected class by class on the
 * first three school days (cash, bank, 微信, 支付宝; a few families not yet paid; one reduced amount with its reason);
 * each collection day's cash deposited and cleared by the accountant (one 0.50 元 shortage explained); subsidised
 * meals every school day; the subsidy funds arriving mid-month; today a duplicate receipt voided and re-issued, and
 * refunds for leave and illness — one paid in cash, one by bank, one still waiting past its deadline.
 */

const CLASSES = ['一(1)班', '一(2)班', '二(1)班', '二(2)班', '三(1)班', '三(2)班'];
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧';
const GIVEN = ['子涵', '浩然', '欣怡', '梓轩', '雨桐', '宇航', '诗琪', '俊杰', '思远', '佳怡', '一诺', '明轩', '可馨', '博文', '若曦', '晨阳', '语嫣', '天佑'];
const UNPAID = new Set([7, 19]);

function weekdays(month: string): string[] {
  const out: string[] = [];
  for (let d = `${month}-01`; d <= lastDayOfMonth(month); d = addDays(d, 1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    // National Day week (1–7 Oct) is a holiday; other holidays vary by year and are left to the school to remove.
    if (wd !== 0 && wd !== 6 && !(month.endsWith('-10') && Number(d.slice(8)) <= 7)) out.push(d);
  }
  return out;
}

function roster(): RosterRow[] {
  const rows: RosterRow[] = [];
  CLASSES.forEach((className, c) => {
    for (let i = 1; i <= 20; i++) {
      const mealPlan: MealPlan = c >= 4 && i > 14 ? 'boarding' : i % 5 === 0 ? 'two' : 'lunch';
      rows.push({
        studentNo: `2026${String(c + 1).padStart(2, '0')}${String(i).padStart(2, '0')}`,
        name: SURNAMES[(i * 7 + c * 3) % SURNAMES.length] + GIVEN[(i * 5 + c) % GIVEN.length],
        className,
        mealPlan,
        subsidyEligible: (i + c) % 3 === 0,
      });
    }
  });
  return rows;
}

function methodFor(i: number): PayMethod {
  if (i % 10 === 0) return 'wechat';
  if (i % 10 === 5) return 'bank';
  if (i % 7 === 3) return 'alipay';
  return 'cash';
}

export const feesStep: DemoStep = {
  name: '伙食费、退费与营养改善计划',
  async run(d: DemoContext) {
    const thisMonth = d.today.slice(0, 7);
    const lastMonth = addDays(`${thisMonth}-01`, -1).slice(0, 7);
    const days = weekdays(lastMonth);
    await d.loginAs('admin');
    await d.call('schoolDays.set', { month: lastMonth, days });
    await d.call('schoolDays.set', { month: thisMonth, days: weekdays(thisMonth) });
    await d.call('students.importCommit', { rows: roster() });
    const students = await d.call('students.list', { q: '', limit: 500 });
    const byClass = new Map<string, Student[]>(CLASSES.map((c) => [c, students.filter((s) => s.className === c)]));
    const indexOf = (s: Student) => Number(s.studentNo.slice(-2));

    const collectionDays = days.slice(0, 3);
    let subsidyArrived = false;
    for (const day of days) {
      if (day >= d.today) break;
      await d.loginAs('cashier');
      const dayIndex = collectionDays.indexOf(day);
      if (dayIndex >= 0) {
        for (const className of CLASSES.slice(dayIndex * 2, dayIndex * 2 + 2)) {
          const payers = (byClass.get(className) ?? []).filter((s) => !UNPAID.has(indexOf(s)));
          for (const method of ['cash', 'bank', 'wechat', 'alipay'] as PayMethod[]) {
            const items = payers
              .filter((s) => methodFor(indexOf(s)) === method)
              .map((s) =>
                className === '一(1)班' && indexOf(s) === 2
                  ? { studentId: s.id, amountFen: (days.length - 3) * 600, overrideReason: `开学第 4 天入学，前 3 天未就餐` }
                  : { studentId: s.id },
              );
            if (items.length) await d.call('fees.collect', { period: lastMonth, date: day, method, items });
          }
        }
      }
      // Subsidised meals: every eligible student, save one absent each day in turn.
      for (const className of CLASSES) {
        const eligible = (await d.call('subsidy.roster', { className, date: day })).filter((r) => !r.recorded).map((r) => r.student.id);
        const absent = eligible.length > 1 ? eligible[days.indexOf(day) % eligible.length] : null;
        const ate = eligible.filter((id) => id !== absent);
        if (ate.length) await d.call('subsidy.record', { className, date: day, studentIds: ate });
      }
      if (!subsidyArrived && day >= `${lastMonth}-15`) {
        const summary = await d.call('subsidy.summary', { month: lastMonth });
        await d.call('subsidy.receive', { date: day, amountFen: summary.receivableFen, note: `县教育局拨付${Number(lastMonth.slice(5))}月上半月营养改善计划补助` });
        subsidyArrived = true;
      }
      if (dayIndex >= 0) {
        const st = await d.call('clearing.status', { date: day });
        // Keep 500.00 元 as the change fund; the rest goes to the bank the same day.
        const deposit = st.bookBalanceFen - 50_000;
        if (deposit > 0) await d.call('deposits.create', { date: day, amountFen: deposit, note: '当日现金收入送存食堂专户' });
        await d.loginAs('accountant');
        const shortDay = dayIndex === 1;
        await d.call('clearing.confirm', {
          date: day,
          countedFen: 50_000 - (shortDay ? 50 : 0),
          reason: shortDay ? '找零差错，短款 0.50 元，出纳已说明' : '',
        });
      }
    }

    // Today: a receipt taken twice is voided and the family's bank payment stands; refunds for leave and illness.
    await d.loginAs('cashier');
    const receipts = await d.call('receipts.list', { period: lastMonth, className: '二(1)班' });
    const dup = receipts.find((r) => r.method === 'cash' && r.status === 'valid');
    if (dup) {
      await d.call('receipts.void', { id: dup.id, reason: '家长已银行转账，现金收据重复开具，现金已退回' });
      await d.call('fees.collect', { period: lastMonth, method: 'bank', items: [{ studentId: dup.studentId }] });
    }
    const paidIn = (className: string, i: number) => (byClass.get(className) ?? []).find((s) => indexOf(s) === i) as Student;
    const refund = async (s: Student, reason: 'leave' | 'illness', from: number, to: number, appliedOn: string) => {
      if (to >= days.length || days[to] >= d.today) return null;
      const q = await d.call('refunds.quote', { studentId: s.id, reason, noticeDate: days[from], lastDay: days[to] });
      if (!q.days) return null;
      return d.call('refunds.create', {
        studentId: s.id,
        reason,
        noticeDate: days[from],
        lastDay: days[to],
        appliedOn,
        teacherName: `${s.className.slice(0, 1)}年级${s.className.includes('(1)') ? '黄' : '林'}老师`,
        teacherConfirmedOn: appliedOn,
        note: reason === 'illness' ? '水痘居家隔离' : '随父母外出探亲',
      });
    };
    const r1 = await refund(paidIn('一(2)班', 4), 'illness', 5, 9, days[10] ?? d.today);
    const r2 = await refund(paidIn('二(2)班', 11), 'leave', 12, 14, days[15] ?? d.today);
    await refund(paidIn('三(1)班', 3), 'leave', 3, 5, days[6] ?? d.today);
    if (r1) await d.call('refunds.pay', { id: r1.id, paidOn: d.today, method: 'bank' });
    if (r2) await d.call('refunds.pay', { id: r2.id, paidOn: d.today, method: 'cash' });
  },
};
