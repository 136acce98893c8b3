import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { tempLedger } from '../helpers/backend.ts';
import { restoreTriggers, tamperableCopy } from './tamper-kit.ts';

/**
 * No false alarms: a ledger with a bit of every domain (deliveries, fees, subsidy, stock, payments), written by the
 * app, verifies clean, every table that holds rows checked (the report would name one it cannot explain). A term saved
 * through the app is among them: its row is checked against its audit entry, so a change made behind the app is named.
 */
describe('verify on a demo ledger written through the app', () => {
  it('finds nothing wrong, covers every table holding rows (terms too), and names a term changed behind the app', async () => {
    const t = tempLedger();
    const b = openBackend({ file: t.file });
    try {
      await seedDemo(b);
      expect((await b.invoke('auth.login', { username: 'admin', password: 'demo-admin' })).ok).toBe(true);
      const saved = await b.invoke('terms.save', { code: '2026秋', name: '2026年秋季学期', startDate: '2026-09-01', endDate: '2027-01-20' });
      expect(saved.ok).toBe(true);
      const r = verifyLedger(b.db);
      expect(r.problems).toEqual([]);
      expect(r.journalEntries).toBeGreaterThan(10);
      expect(r.coveredTables.journal_postings).toBeGreaterThan(20);
      expect(r.uncoveredTables).toEqual([]);
      for (const t of ['deliveries', 'delivery_lines', 'delivery_inspectors', 'fee_receipts', 'fee_refunds', 'stock_lots', 'stock_movements', 'stock_issues', 'cash_deposits', 'doc_counters',
        'students', 'subsidy_batches', 'subsidy_meals', 'subsidy_receipts', 'supplier_statements', 'supplier_payments', 'cash_clearings', 'school_days', 'terms',
        'stock_counts', 'stock_count_lines', 'meal_plans']) {
        expect(r.coveredTables[t], t).toBeGreaterThan(0);
      }
      expect(r.coveredTables.terms).toBe(1);
      console.log(`verify on demo: ${r.auditEntries} audit entries, ${r.journalEntries} journal entries; covered ${Object.keys(r.coveredTables).length} tables`);

      // The term's end moved behind the app (a month of fees more would be due): named, with the column.
      b.db.pragma('wal_checkpoint(TRUNCATE)');
      const db = tamperableCopy(t.file, path.join(t.dir, 'term-changed.sqlite'));
      db.prepare(`UPDATE terms SET end_date = '2027-02-20' WHERE code = '2026秋'`).run();
      restoreTriggers(db);
      const bad = verifyLedger(db);
      db.close();
      expect(bad.problems.map((p) => [p.table, p.id, p.message])).toEqual([['terms', '2026秋', expect.stringMatching(/^学期 2026秋 与审计记录（第 \d+ 条）不符：被改动：end_date$/)]]);
      // And a term inserted behind the app is named too.
      const db2 = tamperableCopy(t.file, path.join(t.dir, 'term-added.sqlite'));
      db2.prepare(`INSERT INTO terms (code, name, start_date, end_date, updated_at, updated_by) SELECT '2027春', '2027年春季学期', '2027-02-20', '2027-07-10', updated_at, updated_by FROM terms`).run();
      restoreTriggers(db2);
      const added = verifyLedger(db2);
      db2.close();
      expect(added.problems.map((p) => [p.table, p.id])).toEqual([['terms', '2027春']]);
    } finally {
      b.close();
      t.cleanup();
    }
  }, 300_000);
});
