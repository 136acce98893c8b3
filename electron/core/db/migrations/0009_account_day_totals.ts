import type { Migration } from './index.ts';

const day = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;

/**
 * Per-account day totals beside 0006's month totals (issue 8): an account's balance at a date (cash on a clearing day,
 * the bank at a month's end, what a supplier is owed) is the months before from account_month_totals plus at most 31
 * day rows, instead of every posting of the account since the ledger began (the bank account gains 30,000 a year).
 * Kept by an AFTER INSERT trigger in the same transaction as the posting (postings are append-only); verify recomputes
 * the table from the postings.
 */
export const accountDayTotals: Migration = {
  name: '0009_account_day_totals',
  sql: `
CREATE TABLE account_day_totals (
  account TEXT NOT NULL,
  day TEXT NOT NULL CHECK (${day('day')}),
  amount_fen INTEGER NOT NULL,
  postings INTEGER NOT NULL CHECK (postings > 0),
  PRIMARY KEY (account, day)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER account_day_totals_add AFTER INSERT ON journal_postings
BEGIN
  INSERT INTO account_day_totals (account, day, amount_fen, postings)
  VALUES (NEW.account, (SELECT entry_date FROM journal_entries WHERE id = NEW.entry_id), NEW.amount_fen, 1)
  ON CONFLICT (account, day) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen, postings = postings + 1;
END;

INSERT INTO account_day_totals (account, day, amount_fen, postings)
SELECT p.account, e.entry_date, sum(p.amount_fen), count(*)
FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY p.account, e.entry_date;
`,
};
