import { afterEach, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { firstBrokenAudit } from '../../electron/core/ledger/audit.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import { deliveriesStep, schoolDays } from '../../electron/core/demo/deliveries.ts';
import { ingredientsStep } from '../../electron/core/demo/ingredients.ts';
import { schoolAndPeople } from '../../electron/core/demo/people.ts';
import { suppliersStep } from '../../electron/core/demo/suppliers.ts';
import { tempLedger } from '../helpers/backend.ts';

let b: Backend;
let cleanup = () => {};
afterEach(() => {
  b?.close();
  cleanup();
});

it('seeds a realistic month of deliveries through the API', async () => {
  const t = tempLedger();
  cleanup = t.cleanup;
  // 2026-10-20 10:00 China time: last month is September (22 school days), this month runs 10-08 … 10-19.
  b = openBackend({ file: t.file, now: () => new Date(Date.UTC(2026, 9, 20, 2, 0, 0)) });
  await seedDemo(b, { steps: [schoolAndPeople, suppliersStep, ingredientsStep, deliveriesStep] });
  const db = b.db;
  expect(schoolDays('2026-09-01', '2026-09-30')).toHaveLength(22);
  const sepDays = db.prepare(`SELECT count(DISTINCT delivery_date) AS n FROM deliveries WHERE status = 'posted' AND delivery_date LIKE '2026-09-%'`).get() as { n: number };
  expect(sepDays.n).toBe(22);
  const octDays = db.prepare(`SELECT count(DISTINCT delivery_date) AS n FROM deliveries WHERE status = 'posted' AND delivery_date LIKE '2026-10-%'`).get() as { n: number };
  expect(octDays.n).toBe(8); // 10-08, 09, 12 … 16, 19
  // the seven licensed suppliers deliver; the cooperative without a food licence only has a blocked draft
  const suppliers = db.prepare(`SELECT count(DISTINCT supplier_id) AS n FROM deliveries WHERE status = 'posted'`).get() as { n: number };
  expect(suppliers.n).toBe(7);
  const drafts = db.prepare(`SELECT d.delivery_date, s.name FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id WHERE d.status = 'draft'`).all();
  expect(drafts).toEqual([{ delivery_date: '2026-10-19', name: '余杭兴农蔬菜专业合作社' }]);
  const rejected = db.prepare(`SELECT count(*) AS n FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id WHERE d.status = 'posted' AND l.rejected_milli > 0`).get() as { n: number };
  expect(rejected.n).toBeGreaterThan(3);
  const items = db.prepare(`SELECT count(DISTINCT ingredient_id) AS n FROM delivery_lines`).get() as { n: number };
  expect(items.n).toBeGreaterThan(35);
  // one correction: a cancelled delivery and its amended, posted copy
  const amended = db.prepare(`SELECT a.status, o.status AS original FROM deliveries a JOIN deliveries o ON o.id = a.amends`).all();
  expect(amended).toEqual([{ status: 'posted', original: 'cancelled' }]);
  // numbers are gapless over the year
  const numbers = (db.prepare(`SELECT number FROM deliveries WHERE number IS NOT NULL ORDER BY number`).all() as { number: string }[]).map((r) => Number(r.number.slice(7)));
  expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  // the statement of 绿源 differs by 3.50 on one delivery; 禾丰粮油 is paid what it was owed at September's end
  b.ctx.setSession({ userId: 'x', username: 'x', displayName: 'x', roles: ['accountant'] });
  const { reconcile } = await import('../../electron/core/domains/receiving/reconciliation.ts');
  const veg = db.prepare(`SELECT id FROM suppliers WHERE name = '杭州绿源农产品配送有限公司'`).get() as { id: string };
  const rec = reconcile(b.ctx, veg.id, '2026-09');
  expect(rec.differenceFen).toBe(350);
  expect(rec.rows.filter((r) => r.differenceFen !== 0).map((r) => r.differenceFen)).toEqual([350]);
  const grain = db.prepare(`SELECT id FROM suppliers WHERE name = '杭州禾丰粮油贸易有限公司'`).get() as { id: string };
  expect(reconcile(b.ctx, grain.id, '2026-09').payableAtMonthEndFen).toBeGreaterThan(0);
  const paid = db.prepare(`SELECT sum(amount_fen) AS s FROM supplier_payments`).get() as { s: number };
  const { accountBalance } = await import('../../electron/core/ledger/journal.ts');
  expect(paid.s).toBe(-accountBalance(b.ctx, `payable:${grain.id}`, '2026-09-30'));
  // the whole journal balances and the audit chain holds
  expect(db.prepare(`SELECT coalesce(sum(amount_fen), 0) AS s FROM journal_postings`).get()).toEqual({ s: 0 });
  expect(firstBrokenAudit(db)).toBeNull();
}, 300_000);
