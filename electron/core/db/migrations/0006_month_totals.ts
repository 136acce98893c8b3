import type { Migration } from './index.ts';

const month = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')`;
const CATEGORY = `category IN ('grain','meat','aquatic','vegetable','dairy','soy','seasoning','other')`;

/**
 * Month totals (issue 8, docs/PERFORMANCE.md finding 2): the month summary and the disclosure read a month's figures
 * from a handful of summary rows instead of summing every posting and stock movement since the ledger began.
 *
 * - account_month_totals: Σ amount and count of journal_postings per account and month of the entry's date.
 * - stock_lot_categories: each stock lot's ingredient category as it was when the lot came in. The storeroom's
 *   category costs are booked by this frozen category, not by the ingredient's current one: recategorising an
 *   ingredient later must not move value between categories in months already closed and published (better
 *   accounting, and a lot's in, issues and adjustments then always stay in one category, so consumed = opening +
 *   purchases − closing holds per category). Lots that existed before this step get their ingredient's category at
 *   migration time, the best that is known.
 * - stock_month_totals: Σ value and count of stock_movements per month of move_date, lot category and kind.
 * - subsidy_meal_months: per student and month, the days of its subsidised meals as bits (day d = bit d − 1) and
 *   their count; meal days (就餐人日数) OR them with the days the student's receipts pay for.
 *
 * journal_postings, stock_lots, stock_movements and subsidy_meals are append-only (their triggers refuse UPDATE and DELETE, and a
 * posting's entry date cannot change), so AFTER INSERT triggers keep the totals in the same transaction as the rows,
 * whichever path writes them; a rolled-back write takes its totals with it. The tables hold nothing of their own:
 * verify (electron/core/verify.ts, checkMonthTotals) recomputes them from the source rows and names any difference.
 */
export const monthTotals: Migration = {
  name: '0006_month_totals',
  sql: `
CREATE TABLE account_month_totals (
  account TEXT NOT NULL,
  month TEXT NOT NULL CHECK (${month('month')}),
  amount_fen INTEGER NOT NULL,
  postings INTEGER NOT NULL CHECK (postings > 0),
  PRIMARY KEY (account, month)
) STRICT, WITHOUT ROWID;
CREATE INDEX account_month_totals_month ON account_month_totals(month, account);

CREATE TRIGGER account_month_totals_add AFTER INSERT ON journal_postings
BEGIN
  INSERT INTO account_month_totals (account, month, amount_fen, postings)
  VALUES (NEW.account, (SELECT substr(entry_date, 1, 7) FROM journal_entries WHERE id = NEW.entry_id), NEW.amount_fen, 1)
  ON CONFLICT (account, month) DO UPDATE SET amount_fen = amount_fen + excluded.amount_fen, postings = postings + 1;
END;

INSERT INTO account_month_totals (account, month, amount_fen, postings)
SELECT p.account, substr(e.entry_date, 1, 7), sum(p.amount_fen), count(*)
FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY p.account, substr(e.entry_date, 1, 7);

CREATE TABLE stock_lot_categories (
  lot_id TEXT PRIMARY KEY REFERENCES stock_lots(id),
  category TEXT NOT NULL CHECK (${CATEGORY})
) STRICT, WITHOUT ROWID;
CREATE TRIGGER stock_lot_categories_no_update BEFORE UPDATE ON stock_lot_categories BEGIN SELECT RAISE(ABORT, '库存批次的类别不能修改'); END;
CREATE TRIGGER stock_lot_categories_no_delete BEFORE DELETE ON stock_lot_categories BEGIN SELECT RAISE(ABORT, '库存批次的类别不能删除'); END;

CREATE TRIGGER stock_lot_categories_add AFTER INSERT ON stock_lots
BEGIN
  INSERT INTO stock_lot_categories (lot_id, category) VALUES (NEW.id, (SELECT category FROM ingredients WHERE id = NEW.ingredient_id));
END;

INSERT INTO stock_lot_categories (lot_id, category)
SELECT l.id, i.category FROM stock_lots l JOIN ingredients i ON i.id = l.ingredient_id;

CREATE TABLE stock_month_totals (
  month TEXT NOT NULL CHECK (${month('month')}),
  category TEXT NOT NULL CHECK (${CATEGORY}),
  kind TEXT NOT NULL CHECK (kind IN ('in','issue','adjustment')),
  value_fen INTEGER NOT NULL,
  movements INTEGER NOT NULL CHECK (movements > 0),
  PRIMARY KEY (month, category, kind)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER stock_month_totals_add AFTER INSERT ON stock_movements
BEGIN
  INSERT INTO stock_month_totals (month, category, kind, value_fen, movements)
  VALUES (substr(NEW.move_date, 1, 7), (SELECT category FROM stock_lot_categories WHERE lot_id = NEW.lot_id), NEW.kind, NEW.value_fen, 1)
  ON CONFLICT (month, category, kind) DO UPDATE SET value_fen = value_fen + excluded.value_fen, movements = movements + 1;
END;

INSERT INTO stock_month_totals (month, category, kind, value_fen, movements)
SELECT substr(m.move_date, 1, 7), c.category, m.kind, sum(m.value_fen), count(*)
FROM stock_movements m JOIN stock_lot_categories c ON c.lot_id = m.lot_id GROUP BY substr(m.move_date, 1, 7), c.category, m.kind;

CREATE TABLE subsidy_meal_months (
  month TEXT NOT NULL CHECK (${month('month')}),
  student_id TEXT NOT NULL,
  days INTEGER NOT NULL CHECK (days > 0 AND days < 2147483648),
  meals INTEGER NOT NULL CHECK (meals BETWEEN 1 AND 31),
  PRIMARY KEY (month, student_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER subsidy_meal_months_add AFTER INSERT ON subsidy_meals
BEGIN
  INSERT INTO subsidy_meal_months (month, student_id, days, meals)
  VALUES (substr(NEW.meal_date, 1, 7), NEW.student_id, 1 << (CAST(substr(NEW.meal_date, 9, 2) AS INTEGER) - 1), 1)
  ON CONFLICT (month, student_id) DO UPDATE SET days = days | excluded.days, meals = meals + 1;
END;

-- (student, meal_date) is subsidy_meals' key: the sum of a month's distinct day bits is their OR.
INSERT INTO subsidy_meal_months (month, student_id, days, meals)
SELECT substr(meal_date, 1, 7), student_id, sum(1 << (CAST(substr(meal_date, 9, 2) AS INTEGER) - 1)), count(*)
FROM subsidy_meals GROUP BY substr(meal_date, 1, 7), student_id;

-- Meal days read the fee receipts that overlap a month (from the index alone); a month's subsidised meals are counted
-- and summed (rate included) from the index alone.
CREATE INDEX fee_receipts_period ON fee_receipts(period_end, period_start, receipt_date, status, void_date, student_id);
DROP INDEX subsidy_meals_date;
CREATE INDEX subsidy_meals_date_rate ON subsidy_meals(meal_date, rate_fen);
`,
};
