import { describe, expect, it } from 'vitest';
import { docNumberTables, migratedTables, registeredTables, rowGroups, snapshottedFromBirth, tableShape, unregisteredTables } from '../../electron/core/ledger/tables.ts';

/**
 * The table registry (shared/tables.ts) against the schema the migrations build: every table has exactly one entry, and
 * what an entry says fits the table (its group column exists, its parent is registered, a numbered table has a number
 * column). A migration adding a table without an entry fails here, before verify could pass it by.
 */
describe('the table registry', () => {
  it('has an entry for every table of the migrated schema, and no entry without its table', () => {
    const schema = [...migratedTables().keys()].sort();
    const registry = registeredTables().map(([t]) => t).sort();
    expect(unregisteredTables()).toEqual([]);
    expect(schema.filter((t) => !registry.includes(t))).toEqual([]);
    expect(registry.filter((t) => !schema.includes(t))).toEqual([]);
    expect(schema.length).toBeGreaterThanOrEqual(49);
  });

  it('each entry fits its table', () => {
    for (const [t, e] of registeredTables()) {
      const shape = tableShape(t)!;
      expect(e.label, t).toMatch(/^[\u4e00-\u9fff]+$/);
      if (e.check === 'snapshots') expect(shape.columns, `${t}.${e.group}`).toContain(e.group);
      else expect(e.group, t).toBeUndefined();
      if (e.check === 'children') expect(registeredTables().find(([p]) => p === e.parent)?.[1].check, t).toBe('entity');
      if (e.check === 'entity') expect(e.entity, t).toBeDefined();
      if (e.numbered) expect(shape.columns, t).toContain('number');
      if (e.lifecycle) expect(shape.columns, t).toContain(e.lifecycle.column);
      expect(shape.key.length, `${t} has a primary key`).toBeGreaterThan(0);
    }
  });

  // Written out by hand: what verify's own lists held before they moved into the registry (new tables may add to them).
  it('gives verify the groups, the numbered tables and the tables snapshotted from birth it had', () => {
    expect(rowGroups()).toMatchObject({
      deliveries: 'id', delivery_lines: 'delivery_id', delivery_inspectors: 'delivery_id', fee_receipts: 'id', fee_refunds: 'id', stock_lots: 'id',
      stock_movements: 'id', stock_issues: 'id', cash_deposits: 'id', students: 'id', subsidy_batches: 'id', subsidy_meals: 'batch_id', subsidy_receipts: 'id',
      supplier_statements: 'supplier_id', supplier_payments: 'id', cash_clearings: 'day', school_days: 'day', terms: 'code', stock_counts: 'id',
      stock_count_lines: 'count_id', attachments: 'id', bank_statement_balances: 'seq', month_close_events: 'seq', closed_periods: 'period',
      month_disclosures: 'month', login_attempts: 'seq', student_class_moves: 'id', openings: 'id', opening_lines: 'opening_id', profile_versions: 'seq',
    });
    expect(docNumberTables().sort()).toEqual(['cash_deposits', 'deliveries', 'fee_receipts', 'fee_refunds', 'stock_issues']);
    expect([...snapshottedFromBirth()]).toEqual(expect.arrayContaining(['login_attempts', 'opening_lines', 'openings', 'profile_versions', 'student_class_moves']));
  });
});
