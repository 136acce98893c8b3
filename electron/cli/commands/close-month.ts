import type { MonthView } from '../../../shared/api/monthclose.ts';
import { chinaDate, previousMonth } from '../../../shared/calendar.ts';
import { UsageError } from '../args.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The month a command is about: YYYY-MM, or this-month / last-month by today's date in China (so a script or the
 * README's walkthrough works in any month).
 */
export function monthArg(words: string[], command: string, now = new Date()): string {
  const [word, ...extra] = words;
  const today = chinaDate(now).slice(0, 7);
  const month = word === 'this-month' ? today : word === 'last-month' ? previousMonth(today) : word;
  if (!month || !MONTH.test(month)) throw new UsageError(`命令 ${command} 需要月份 YYYY-MM（或 this-month、last-month），例如 canteen --db 账本 --user 用户 ${command} 2026-09`);
  if (extra.length) throw new UsageError(`命令 ${command} 只接受一个月份，多出了：${extra.join(' ')}`);
  return month;
}

/**
 * 月结 from the command line, keeping the two-person rule of the app: a 会计 submits the month (its checklist must be
 * clear), a 审核人 approves a submitted month (and the month locks). A user holding both roles does what is due —
 * submits an open month, or approves one somebody else submitted; approving one's own submission is refused by the
 * core as it is in the app. Prints the month's state (and, when refused, the error with the open checklist items).
 */
export const closeMonthCommand: CliCommand = {
  name: 'close-month',
  summary: '月结：会计提交该月（检查清单须全部通过），审核人审核已提交的月份并锁定；输出月结状态（JSON）',
  usage: '--db 账本文件 --user 用户名 close-month YYYY-MM|last-month',
  async run(c) {
    const month = monthArg(c.positionals, 'close-month');
    const b = await c.open({ create: false });
    const me = await c.login(b);
    const got = await b.invoke('monthclose.get', { month });
    if (!got.ok) return c.reject(got.error);
    const view = got.value as MonthView;
    const status = view.state.status;
    let method: 'monthclose.submit' | 'monthclose.approve';
    if (status === 'submitted' && me.roles.includes('reviewer')) method = 'monthclose.approve';
    else if (status === 'open' && me.roles.includes('accountant')) method = 'monthclose.submit';
    else if (status === 'closed') return c.reject({ code: 'CONFLICT', message: `${month} 已月结（版本 ${view.state.revision}）` });
    else if (status === 'submitted') return c.reject({ code: 'FORBIDDEN', message: `${month} 已提交，等待审核人审核；${me.displayName}不是审核人` });
    else return c.reject({ code: 'FORBIDDEN', message: `${month} 尚未提交月结；月结须先由会计提交，${me.displayName}不是会计` });
    const r = await b.invoke(method, { month });
    if (!r.ok) return c.reject(r.error);
    await c.print({ action: method === 'monthclose.submit' ? 'submitted' : 'approved', ...(r.value as object) });
    return EXIT_OK;
  },
};
