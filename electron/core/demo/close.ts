import { lastDayOfMonth, previousMonth } from '../ledger/clock.ts';
import type { DemoStep } from './types.ts';

/**
 * Last month closed, as a school would close it, so the demo holds a published month beside the open one (issue 19:
 * the README's export-month works on the demo as it is). The accountant goes through the month's checklist: every
 * supplier's statement (绿源's 3.50 overcharge comes back corrected, as the supplier would send it after the call),
 * the two bank statements at the book balance, a draft left in the month discarded; the storekeeper has counted
 * already (storeroom step). Then the accountant submits and the reviewer approves — or, for `canteen demo
 * --closable`, the month is left ready for them to do it (every checklist item done, nothing submitted).
 */
export function closeLastMonth(opts: { approve: boolean }): DemoStep {
  return {
  name: opts.approve ? '上月月结' : '上月月结准备（待提交）',
  async run(d) {
    const month = previousMonth(d.today.slice(0, 7));
    await d.loginAs('accountant');
    const from = `${month}-01`;
    const to = lastDayOfMonth(month);
    const suppliers = new Set<string>();
    for (let offset = 0; ; offset += 1000) {
      const page = await d.call('receiving.list', { status: 'posted', from, to, offset, limit: 1000 });
      for (const r of page.rows) suppliers.add(r.supplierId);
      if (offset + 1000 >= page.total) break;
    }
    for (const supplierId of suppliers) {
      const r = await d.call('receiving.reconciliation', { supplierId, month });
      const agrees = r.statement && r.differenceFen === 0 && r.unmatched.length === 0 && r.rows.every((x) => x.differenceFen === null || x.differenceFen === 0);
      if (agrees) continue;
      const corrected = r.statement !== null;
      await d.call('receiving.statementSave', {
        supplierId,
        month,
        totalFen: r.ourTotalFen,
        invoiceNumbers: [],
        lines: r.rows.map((x) => ({ ref: x.noteNumber, amountFen: x.ourFen })),
        note: corrected ? '供应商核对后重开的对账单（原单多计 3.50 元）' : '',
      });
    }
    const drafts = await d.call('receiving.list', { status: 'draft', from, to, limit: 1000 });
    if (drafts.rows.length) await d.loginAs('storekeeper');
    for (const r of drafts.rows) await d.call('receiving.discard', { id: r.id, reason: '供应商无食品经营许可证，已退回，不再入账' });
    await d.loginAs('accountant');
    const view = await d.call('monthclose.get', { month });
    for (const b of view.bank ?? []) if (b.statementFen === null || b.differenceFen !== 0) await d.call('monthclose.setBankBalance', { month, account: b.account, balanceFen: b.bookFen });
    if (!opts.approve) return;
    await d.call('monthclose.submit', { month });
    await d.loginAs('reviewer');
    await d.call('monthclose.approve', { month });
  },
  };
}
