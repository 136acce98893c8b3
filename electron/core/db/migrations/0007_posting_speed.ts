import type { Migration } from './index.ts';

/** Reserved for the posting speed work (issue 8); filled in by its owner before release. */
export const postingSpeed: Migration = {
  name: '0007_posting_speed',
  sql: `SELECT 1;`,
};
