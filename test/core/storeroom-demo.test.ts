import { afterEach, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { firstBrokenAudit } from '../../electron/core/ledger/audit.ts';
import { seedDemo, type DemoStep } from '../../electron/core/demo/index.ts';
import { ingredientsStep } from '../../electron/core/demo/ingredients.ts';
import { schoolAndPeople } from '../../electron/core/demo/people.ts';
import { storeroomStep } from '../../electron/core/demo/storeroom.ts';
import { categoryCost } from '../../electron/core/domains/storeroom/index.ts';
import { creditCode } from './receiving-fixtures.ts';
import { tempLedger } from '../helpers/backend.ts';

let b: Backend;
let cleanup = () => {};
afterEach(() => {
  b?.close();
  cleanup();
});

/**
 * Stands in for the deliveries demo (not written yet): on 2026-09-01 rice 200 kg × 5.60 = 1,120.00 and soybean oil
 * 10 桶 × 75.00 = 750.00 into stock; on 09-14 rice 100 kg × 5.60 = 560.00. Grain purchases of September: 2,430.00.
 */
const deliveriesStand: DemoStep = {
  name: 'deliveries (test stand-in)',
  async run(d) {
    await d.loginAs('storekeeper');
    const s = await d.call('suppliers.create', {
      name: '测试粮油配送公司',
      creditCode: creditCode('91350102MA2XYW009'),
      address: '城东路 9 号',
      contactPerson: '王经理',
      phone: '0591-88886666',
      licences: [{ kind: 'food_business', number: 'JY13501029999', expiresOn: '2027-06-30' }],
    });
    const users = await d.call('receiving.people', {});
    const inspectorIds = users.filter((u) => u.roles.includes('storekeeper')).map((u) => u.id).slice(0, 2);
    const rice = d.ingredients.get('大米')!;
    const oil = d.ingredients.get('大豆油')!;
    const post = async (date: string, lines: { ingredientId: string; milli: number; price: number; expiry: string }[]) => {
      const saved = await d.call('receiving.saveDraft', {
        id: null,
        draft: {
          date,
          supplierId: s.id,
          noteNumber: `SH-${date}`,
          inspectorIds,
          lines: lines.map((l) => ({ ingredientId: l.ingredientId, receivedMilli: l.milli, acceptedMilli: l.milli, unitPriceFen: l.price, expiryDate: l.expiry, storageClass: 'ambient' as const })),
        },
      });
      await d.call('receiving.post', { id: saved.id });
    };
    await post('2026-09-01', [
      { ingredientId: rice.id, milli: 200_000, price: 560, expiry: '2027-06-01' },
      { ingredientId: oil.id, milli: 10_000, price: 7500, expiry: '2027-09-01' },
    ]);
    await post('2026-09-14', [{ ingredientId: rice.id, milli: 100_000, price: 560, expiry: '2027-07-01' }]);
  },
};

it('seeds a month of issues and a month-end count on the demo stock', async () => {
  const t = tempLedger();
  cleanup = t.cleanup;
  b = openBackend({ file: t.file, now: () => new Date(Date.UTC(2026, 9, 20, 2, 0, 0)) });
  const supplierless = [schoolAndPeople, ingredientsStep];
  await seedDemo(b, { steps: [...supplierless, deliveriesStand, storeroomStep] });
  const ctx = b.ctx;
  // September's 22 school days each issued lunch; October's school days before the 20th (after the 1–7 holiday) too.
  const issues = ctx.db.prepare(`SELECT issue_date, meal FROM stock_issues WHERE meal IS NOT NULL ORDER BY issue_date`).all() as { issue_date: string; meal: string }[];
  expect(issues.filter((i) => i.issue_date.startsWith('2026-09')).length).toBe(22);
  expect(issues.filter((i) => i.issue_date.startsWith('2026-10')).length).toBe(8);
  expect(new Set(issues.map((i) => i.meal))).toEqual(new Set(['lunch']));
  const count = ctx.db.prepare(`SELECT status FROM stock_counts WHERE month = '2026-09'`).get() as { status: string };
  expect(count.status).toBe('posted');
  const sep = categoryCost(ctx, '2026-09');
  const grain = sep.rows.find((r) => r.category === 'grain')!;
  expect(grain.openingFen).toBe(0);
  expect(grain.purchasesFen).toBe(243_000);
  expect(sep.adjustments.map((a) => a.reason)).toEqual(['loss']);
  expect(grain.adjustmentsFen).toBeLessThan(0);
  expect(grain.consumedFen).toBe(grain.issuedFen - grain.adjustmentsFen);
  expect(categoryCost(ctx, '2026-10').rows.find((r) => r.category === 'grain')!.openingFen).toBe(grain.closingFen);
  expect(firstBrokenAudit(b.db)).toBeNull();
});
