import { addDays, lastDayOfMonth, previousMonth } from '../ledger/clock.ts';
import type { DemoStep } from './types.ts';

/**
 * 期初建账 (issue 14 §2): the demo school started its books here the month before last, carrying forward what its old
 * hand-kept books showed on the last day before: the canteen account, the subsidy account, the 500.00 change fund, the
 * rice and oil in the storeroom, and one supplier's unpaid bill. The accountant enters and submits it, the reviewer
 * approves it — before any of the demo's months, so their first month's 上月累计结余 is this opening.
 */
export const openingStep: DemoStep = {
  name: '期初建账',
  async run(d) {
    const date = lastDayOfMonth(previousMonth(previousMonth(d.today.slice(0, 7))));
    const rice = d.ingredients.get('大米');
    const oil = d.ingredients.get('大豆油');
    const supplier = [...d.suppliers.values()][0];
    await d.loginAs('accountant');
    await d.call('opening.save', {
      date,
      bankFen: 4_862_035,
      subsidyBankFen: 1_250_000,
      cashFen: 50_000,
      note: '原手工账结转',
      lines: [
        ...(rice ? [{ kind: 'stock' as const, ingredientId: rice.id, qtyMilli: 200_000, amountFen: 112_000, expiryDate: addDays(date, 300), storageClass: 'ambient' as const, note: '' }] : []),
        ...(oil ? [{ kind: 'stock' as const, ingredientId: oil.id, qtyMilli: 10_000, amountFen: 75_000, expiryDate: addDays(date, 400), storageClass: 'ambient' as const, note: '' }] : []),
        ...(supplier ? [{ kind: 'payable' as const, supplierId: supplier.id, amountFen: 386_050, note: '上月货款未付' }] : []),
      ],
    });
    await d.call('opening.submit', {});
    await d.loginAs('reviewer');
    await d.call('opening.approve', {});
  },
};
