import type { Migration } from './index.ts';

/** Reserved for the month-summary speed work (issue 8); filled in by its owner before release. */
export const monthTotals: Migration = {
  name: '0006_month_totals',
  sql: `SELECT 1;`,
};
