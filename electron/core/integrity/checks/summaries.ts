import { tableLabel } from '../../ledger/tables.ts';
import { countRows, type CheckContext } from './common.ts';

/**
 * Each summary table recomputed, by family: one statement per family, so the month totals are summed from the day
 * totals it has just recomputed (account_month_totals from account_day_totals' rows, subsidy_meal_months from the
 * class-level rows) instead of reading the million postings and the three million meals a second time (issue 19: four
 * of the step's nine seconds on ten years). Sums of sums are the same sums: every posting is in exactly one day and
 * account, every meal in exactly one month, class, rate and student (a meal whose batch is missing is kept apart,
 * `orphan`, in the meal months as before and out of the class months, as the inner join left it before).
 */
const FAMILIES: { with: string; tables: [table: string, key: string, want: string][] }[] = [
  {
    // In the tables' column order: the comparison is SELECT * against these (day first since migration 0011).
    with: `day_want AS MATERIALIZED (SELECT e.entry_date AS day, p.account, sum(p.amount_fen) AS amount_fen, count(*) AS postings
         FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY 1, 2),
       month_want AS MATERIALIZED (SELECT account, substr(day, 1, 7) AS month, sum(amount_fen) AS amount_fen, sum(postings) AS postings
         FROM day_want GROUP BY 1, 2)`,
    tables: [
      ['account_month_totals', `account || ' ' || month`, 'month_want'],
      ['account_day_totals', `account || ' ' || day`, 'day_want'],
    ],
  },
  {
    with: `stock_want AS MATERIALIZED (SELECT substr(m.move_date, 1, 7) AS month, c.category, m.kind, sum(m.value_fen) AS value_fen, count(*) AS movements
         FROM stock_movements m JOIN stock_lot_categories c ON c.lot_id = m.lot_id GROUP BY 1, 2, 3)`,
    tables: [['stock_month_totals', `month || ' ' || category || ' ' || kind`, 'stock_want']],
  },
  {
    with: `meal_groups AS MATERIALIZED (SELECT substr(m.meal_date, 1, 7) AS month, b.class_name, b.rate_fen, m.student_id, b.id IS NULL AS orphan,
           sum(1 << (CAST(substr(m.meal_date, 9, 2) AS INTEGER) - 1)) AS days, count(*) AS meals
         FROM subsidy_meals m LEFT JOIN subsidy_batches b ON b.id = m.batch_id GROUP BY 1, 2, 3, 4, 5),
       class_want AS MATERIALIZED (SELECT month, class_name, rate_fen, student_id, days, meals FROM meal_groups WHERE NOT orphan),
       meal_want AS MATERIALIZED (SELECT month, student_id, sum(days) AS days, sum(meals) AS meals FROM meal_groups GROUP BY 1, 2)`,
    tables: [
      ['subsidy_meal_months', `month || ' ' || student_id`, 'meal_want'],
      ['subsidy_class_months', `month || ' ' || class_name || ' ' || rate_fen || ' ' || student_id`, 'class_want'],
    ],
  },
];

/**
 * The summary tables (registry check 'summary', migrations 0006, 0009 and 0012) are kept by triggers and hold nothing
 * of their own: each is recomputed from its source rows and every key whose row differs, is missing or is extra is
 * named. A lot's frozen category must be its ingredient's category now or one the ingredient's audit trail shows it
 * had (a recategorised ingredient).
 */
export function checkSummaries({ db, tables, add, covered }: CheckContext): void {
  if (!tables.has('account_month_totals')) return;
  for (const f of FAMILIES) {
    // Every key whose row differs, is missing or is extra, table by table in the family's order.
    const diffs = f.tables
      .map(([table, key, want], i) => `SELECT ${i} AS i, k FROM (SELECT ${key} AS k FROM (SELECT * FROM (SELECT * FROM ${want} EXCEPT SELECT * FROM "${table}") UNION ALL SELECT * FROM (SELECT * FROM "${table}" EXCEPT SELECT * FROM ${want})) GROUP BY k)`)
      .join(' UNION ALL ');
    const found = db.prepare(`WITH ${f.with} ${diffs}`).all() as { i: number; k: string }[];
    for (const [i, [table]] of f.tables.entries()) {
      for (const { k } of found.filter((d) => d.i === i)) add({ kind: 'tamper', table, id: k, message: `${tableLabel(table)} ${k} 与按原始记录重算的结果不符（疑似被直接改动）` });
      covered[table] = countRows(db, table);
    }
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
