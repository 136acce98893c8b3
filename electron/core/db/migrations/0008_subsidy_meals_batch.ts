import type { Migration } from './index.ts';

/**
 * subsidy.record snapshots its batch's meals for the audit chain (WHERE batch_id = ?); without this index that read
 * scanned every subsidised meal ever recorded, so each day's recording grew slower with the years (issue 8: the
 * ten-year benchmark build, 13,200 batches a year over 316,500 meals a year).
 */
export const subsidyMealsBatch: Migration = {
  name: '0008_subsidy_meals_batch',
  sql: `CREATE INDEX subsidy_meals_batch ON subsidy_meals(batch_id);`,
};
