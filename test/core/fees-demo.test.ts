import { afterEach, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { feesStep } from '../../electron/core/demo/fees.ts';
import { schoolAndPeople } from '../../electron/core/demo/people.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import { accountBalance } from '../../electron/core/ledger/journal.ts';
import { tempLedger } from '../helpers/backend.ts';

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

async function demo(now: Date): Promise<Backend> {
  const t = tempLedger();
  const b = openBackend({ file: t.file, now: () => now });
  cleanup = () => (b.close(), t.cleanup());
  await seedDemo(b, { steps: [schoolAndPeople, feesStep] });
  return b;
}

describe('demo: a month of fees', () => {
  it('seeds last month through the API: gapless receipts, cleared collection days, subsidy apart, refunds', async () => {
    // Wed 2026-11-18: last month is October 2026, school days 8–30 Oct (17), collection on 8, 9 and 12 Oct.
    const b = await demo(new Date('2026-11-18T02:00:00Z'));
    const db = b.db;
    expect(db.prepare('SELECT count(*) AS n FROM students').get()).toEqual({ n: 120 });
    const numbers = (db.prepare('SELECT number FROM fee_receipts ORDER BY number').all() as { number: string }[]).map((r) => r.number);
    expect(numbers).toEqual(numbers.map((_, i) => `SJ2026-${String(i + 1).padStart(4, '0')}`));
    // 6 classes × 18 payers, plus the re-issued receipt after today's void.
    expect(numbers.length).toBe(6 * 18 + 1);
    expect(db.prepare(`SELECT count(*) AS n FROM fee_receipts WHERE status = 'void'`).get()).toEqual({ n: 1 });
    const cleared = db.prepare('SELECT day, difference_fen FROM cash_clearings ORDER BY day').all();
    expect(cleared).toEqual([
      { day: '2026-10-08', difference_fen: 0 },
      { day: '2026-10-09', difference_fen: -50 },
      { day: '2026-10-12', difference_fen: 0 },
    ]);
    // Subsidised meals every school day of October, none for a non-eligible student.
    const subsidyDays = db.prepare('SELECT count(DISTINCT meal_date) AS n FROM subsidy_meals').get() as { n: number };
    expect(subsidyDays.n).toBe(17);
    expect(db.prepare('SELECT count(*) AS n FROM subsidy_meals m JOIN students s ON s.id = m.student_id WHERE s.subsidy_eligible = 0').get()).toEqual({ n: 0 });
    const ctx = b.ctx;
    expect(accountBalance(ctx, 'subsidy_bank')).toBeGreaterThan(0);
    expect(accountBalance(ctx, 'subsidy_bank') + accountBalance(ctx, 'subsidy_receivable')).toBe(-accountBalance(ctx, 'income:subsidy'));
    const refunds = db.prepare('SELECT status FROM fee_refunds ORDER BY number').all() as { status: string }[];
    expect(refunds.map((r) => r.status).sort()).toEqual(['approved', 'paid', 'paid']);
    expect(accountBalance(ctx, 'cash')).toBeGreaterThanOrEqual(0);
    await b.invoke('auth.login', { username: 'cashier', password: 'demo-cashier' });
    const home = await b.invoke('home.attention', {});
    expect(home.ok && (home.value as { kind: string }[]).some((h) => h.kind === 'refund_overdue')).toBe(true);
  });
});
