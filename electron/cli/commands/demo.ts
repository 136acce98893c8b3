import { previousMonth } from '../../../shared/calendar.ts';
import { chinaDate } from '../../core/ledger/clock.ts';
import { closeLastMonth } from '../../core/demo/close.ts';
import { DEMO_STEPS, seedDemo } from '../../core/demo/index.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';

/**
 * A demo school in a new ledger: last month closed and published (or, with --closable, every checklist item done
 * and nothing submitted, for trying close-month), this month open up to yesterday. Prints the accounts and months.
 */
export const demoCommand: CliCommand = {
  name: 'demo',
  summary: '在新账本中建立演示学校（阳光实验小学）：上月已月结，本月进行中（--closable：上月清单已完成、待会计提交）；输出各角色的演示账户、密码和月份（JSON）',
  usage: '--db 账本文件 demo [--closable]',
  booleanFlags: ['closable'],
  async run(c) {
    const b = await c.open({ create: true });
    const closable = c.has('closable');
    const { schoolName, accounts } = await seedDemo(b, { steps: [...DEMO_STEPS, closeLastMonth({ approve: !closable })] });
    const thisMonth = chinaDate(b.ctx.now()).slice(0, 7);
    const lastMonth = previousMonth(thisMonth);
    await c.print({
      ledger: c.location().file,
      schoolName,
      months: closable ? { readyToClose: lastMonth, open: thisMonth } : { closed: lastMonth, open: thisMonth },
      accounts,
    });
    return EXIT_OK;
  },
};
