import type { Migration } from './index.ts';

/**
 * A month's subsidised meals and their amount, counted from the day-and-class batches (about 1,300 a month at 1,500
 * pupils) rather than the meals themselves (33,000): the month summary and its checklist read them on every view
 * (issue 8). Covering, so the sums come from the index alone. A batch's students and amount are its meals' count and
 * sum (subsidy.record writes both in one transaction; verify compares both with the audit chain).
 */
export const subsidyBatchesDate: Migration = {
  name: '0010_subsidy_batches_date',
  sql: `CREATE INDEX subsidy_batches_date ON subsidy_batches(meal_date, students, amount_fen);`,
};
