import type { AttentionItem } from '../../../../shared/api/audit.ts';
import type { feesApi } from '../../../../shared/api/fees.ts';
import { formatFen } from '../../../../shared/format.ts';
import type { Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { clearingHandlers } from './clearing.ts';
import { lastClearedDay, today } from './common.ts';
import { receiptHandlers } from './receipts.ts';
import { listRefunds, refundHandlers } from './refunds.ts';
import { reportHandlers } from './reports.ts';
import { studentHandlers } from './students.ts';
import { subsidyHandlers } from './subsidy.ts';
import { profileOf } from '../people/index.ts';

/** 伙食费: the handler map of the fee modules, and what the home page should flag. */
export const feesHandlers: Handlers<keyof typeof feesApi> = {
  ...studentHandlers,
  ...receiptHandlers,
  ...refundHandlers,
  ...subsidyHandlers,
  ...clearingHandlers,
  ...reportHandlers,
};

/**
 * Refunds approved but unpaid past the profile's deadline (counted in Mon–Fri working days from the application), and
 * past days with cash movements that have not been cleared (日清).
 */
export function feesAttention(ctx: Ctx): AttentionItem[] {
  const items: AttentionItem[] = [];
  const deadline = profileOf(ctx).refundDeadlineWorkingDays;
  for (const r of listRefunds(ctx, `f.status = 'approved'`).filter((x) => x.overdue)) {
    items.push({
      kind: 'refund_overdue',
      severity: 'error',
      title: `退费 ${r.number} 逾期未退付：${r.className} ${r.studentName} ${formatFen(r.amountFen)} 元`,
      detail: `申请于 ${r.appliedOn}，已过 ${r.workingDaysOpen} 个工作日（规定 ${deadline} 个工作日内退付）`,
      link: `/fees/refunds`,
    });
  }
  const cleared = lastClearedDay(ctx) ?? '0000-00-00';
  const days = ctx.db
    .prepare(
      // The days with a cash posting, from the day totals (a row per account and day that has postings).
      `SELECT day AS d FROM account_day_totals WHERE account = 'cash' AND day > ? AND day < ? ORDER BY day`,
    )
    .all(cleared, today(ctx)) as { d: string }[];
  if (days.length) {
    items.push({
      kind: 'cash_uncleared',
      severity: 'warning',
      title: `有 ${days.length} 天的现金尚未日清`,
      detail: `最早 ${days[0].d}${days.length > 1 ? `，最近 ${days.at(-1)?.d}` : ''}；请清点现金并确认日清`,
      link: `/fees/clearing?date=${days[0].d}`,
    });
  }
  return items;
}

