import type { Migration } from './index.ts';

const day = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const month = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')`;

/**
 * Fewer pages per posting (issue 8). A durable commit costs by the pages it writes (scripts/bench/durable-commit.ts),
 * and scripts/bench/wal-pages.ts names the b-tree of each page a 30-line delivery post writes: 108 on the one-year
 * ledger. Every index entry that no query reads is a page at a random place of that index:
 *
 * - journal_postings_account (8–9 pages a post: a delivery's nine postings go to as many accounts, each at its own
 *   place in the index). Its readers now read the account totals (payables, whether an account was ever used) or
 *   read the account day totals (the cash days not yet cleared), which is also the better plan on ten years.
 * - account_day_totals keyed (day, account) instead of (account, day), and account_month_totals (month, account)
 *   instead of (account, month) with a second index on (month, account): a day's or a month's rows of every account
 *   lie together, so a post writes a page or two to each instead of one per account (8 each on ten years). Their
 *   readers ask for one account over at most 31 days, or sum a few thousand month rows (2,600 in ten years); the
 *   rows are copied over as they are (verify recomputes both from the postings).
 * - stock_movements_date (move_date, kind): only the month's adjustments were ever looked up by date; a partial index
 *   on them serves that query and costs the in and issue movements (60 a post) nothing.
 * - stock_movements_issue: partial on issue_id IS NOT NULL; every in movement wrote a NULL entry (7 pages a post).
 * - stock_issues_delivery: the stock-in's audit snapshot reads the delivery's issue, and read every issue ever to find
 *   it (1 ms a post on ten years, 8,600 issues); the count post's snapshot read every movement to find the count's
 *   (test/core/foundation-db.test.ts now checks the rowsWhere reads as well as the groupRows ones).
 *
 * And one invariant held in SQL: a subsidised meal has the date and rate of the batch that recorded it (the
 * disclosure's class rows count the meals by their batch).
 */
export const postingPages: Migration = {
  name: '0011_posting_pages',
  sql: `
DROP INDEX journal_postings_account;

DROP TRIGGER account_day_totals_add;
CREATE TABLE account_day_totals_0011 (
  day TEXT NOT NULL CHECK (${day('day')}),
  account TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  postings INTEGER NOT NULL CHECK (postings > 0),
  PRIMARY KEY (day, account)
) STRICT, WITHOUT ROWID;
INSERT INTO account_day_totals_0011 (day, account, amount_fen, postings) SELECT day, account, amount_fen, postings FROM account_day_totals;
DROP TABLE account_day_totals;
ALTER TABLE account_day_totals_0011 RENAME TO account_day_totals;
CREATE TRIGGER account_day_totals_add AFTER INSERT ON journal_postings
BEGIN
  INSERT INTO account_day_totals (day, account, amount_fen, postings)
  VALUES ((SELECT entry_date FROM journal_entries WHERE id = NEW.entry_id), NEW.account, NEW.amount_fen, 1)
  ON CONFLICT (day, account) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen, postings = postings + 1;
END;

DROP TRIGGER account_month_totals_add;
DROP INDEX account_month_totals_month;
CREATE TABLE account_month_totals_0011 (
  account TEXT NOT NULL,
  month TEXT NOT NULL CHECK (${month('month')}),
  amount_fen INTEGER NOT NULL,
  postings INTEGER NOT NULL CHECK (postings > 0),
  PRIMARY KEY (month, account)
) STRICT, WITHOUT ROWID;
INSERT INTO account_month_totals_0011 (account, month, amount_fen, postings) SELECT account, month, amount_fen, postings FROM account_month_totals;
DROP TABLE account_month_totals;
ALTER TABLE account_month_totals_0011 RENAME TO account_month_totals;
CREATE TRIGGER account_month_totals_add AFTER INSERT ON journal_postings
BEGIN
  INSERT INTO account_month_totals (account, month, amount_fen, postings)
  VALUES (NEW.account, (SELECT substr(entry_date, 1, 7) FROM journal_entries WHERE id = NEW.entry_id), NEW.amount_fen, 1)
  ON CONFLICT (month, account) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen, postings = postings + 1;
END;

DROP INDEX stock_movements_date;
CREATE INDEX stock_movements_adjustments ON stock_movements(move_date) WHERE kind = 'adjustment';
DROP INDEX stock_movements_issue;
CREATE INDEX stock_movements_issue ON stock_movements(issue_id) WHERE issue_id IS NOT NULL;

CREATE INDEX stock_issues_delivery ON stock_issues(delivery_id) WHERE delivery_id IS NOT NULL;
CREATE INDEX stock_movements_count ON stock_movements(count_id) WHERE count_id IS NOT NULL;

CREATE TRIGGER subsidy_meals_batch_match BEFORE INSERT ON subsidy_meals
BEGIN
  SELECT RAISE(ABORT, '受助就餐记录的日期或标准与其登记批次不符')
  WHERE NOT EXISTS (SELECT 1 FROM subsidy_batches WHERE id = NEW.batch_id AND meal_date = NEW.meal_date AND rate_fen = NEW.rate_fen);
END;
`,
};
