import { tableLabel } from '../../ledger/tables.ts';
import { countRows, type CheckContext } from './common.ts';

/**
 * The summary tables (registry check 'summary', migrations 0006, 0009 and 0012) are kept by triggers and hold nothing
 * of their own: each is recomputed from its source rows and every key whose row differs, is missing or is extra is
 * named. A lot's frozen category must be its ingredient's category now or one the ingredient's audit trail shows it
 * had (a recategorised ingredient).
 */
const RECOMPUTE: Record<string, { key: string; sql: string }> = {
  account_month_totals: {
    key: `account || ' ' || month`,
    sql: `SELECT p.account, substr(e.entry_date, 1, 7) AS month, sum(p.amount_fen) AS amount_fen, count(*) AS postings
       FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY 1, 2`,
  },
  account_day_totals: {
    key: `account || ' ' || day`,
    // In the table's column order (day first since migration 0011): the comparison is SELECT * against this.
    sql: `SELECT e.entry_date AS day, p.account, sum(p.amount_fen) AS amount_fen, count(*) AS postings
       FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY 1, 2`,
  },
  stock_month_totals: {
    key: `month || ' ' || category || ' ' || kind`,
    sql: `SELECT substr(m.move_date, 1, 7) AS month, c.category, m.kind, sum(m.value_fen) AS value_fen, count(*) AS movements
       FROM stock_movements m JOIN stock_lot_categories c ON c.lot_id = m.lot_id GROUP BY 1, 2, 3`,
  },
  subsidy_meal_months: {
    key: `month || ' ' || student_id`,
    sql: `SELECT substr(meal_date, 1, 7) AS month, student_id, sum(1 << (CAST(substr(meal_date, 9, 2) AS INTEGER) - 1)) AS days, count(*) AS meals
       FROM subsidy_meals GROUP BY 1, 2`,
  },
  subsidy_class_months: {
    key: `month || ' ' || class_name || ' ' || rate_fen || ' ' || student_id`,
    sql: `SELECT substr(m.meal_date, 1, 7) AS month, b.class_name, b.rate_fen, m.student_id, sum(1 << (CAST(substr(m.meal_date, 9, 2) AS INTEGER) - 1)) AS days, count(*) AS meals
       FROM subsidy_meals m JOIN subsidy_batches b ON b.id = m.batch_id GROUP BY 1, 2, 3, 4`,
  },
};

export function checkSummaries({ db, tables, add, covered }: CheckContext): void {
  if (!tables.has('account_month_totals')) return;
  for (const [table, { key, sql }] of Object.entries(RECOMPUTE)) {
    const diff = db
      .prepare(`WITH want AS MATERIALIZED (${sql}) SELECT ${key} AS k FROM (SELECT * FROM (SELECT * FROM want EXCEPT SELECT * FROM "${table}") UNION ALL SELECT * FROM (SELECT * FROM "${table}" EXCEPT SELECT * FROM want)) GROUP BY k`)
      .all() as { k: string }[];
    for (const { k } of diff) add({ kind: 'tamper', table, id: k, message: `${tableLabel(table)} ${k} 与按原始记录重算的结果不符（疑似被直接改动）` });
    covered[table] = countRows(db, table);
  }
  const lots = db
    .prepare(
      `SELECT l.id FROM stock_lots l LEFT JOIN stock_lot_categories c ON c.lot_id = l.id JOIN ingredients i ON i.id = l.ingredient_id
       WHERE c.category IS NULL OR (c.category <> i.category AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'ingredient' AND a.entity_id = i.id
         AND c.category IN (json_extract(a.before, '$.category'), json_extract(a.after, '$.category'))))
       UNION ALL SELECT c.lot_id FROM stock_lot_categories c WHERE NOT EXISTS (SELECT 1 FROM stock_lots l WHERE l.id = c.lot_id)`,
    )
    .all() as { id: string }[];
  for (const { id } of lots) add({ kind: 'tamper', table: 'stock_lot_categories', id, message: `库存批次 ${id} 的入库类别缺失或与食材的类别记录不符（疑似被直接改动）` });
  covered.stock_lot_categories = countRows(db, 'stock_lot_categories');
}
