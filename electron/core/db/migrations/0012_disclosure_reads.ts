import type { Migration } from './index.ts';

const month = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')`;

/**
 * What a month's disclosure reads, read without the month's detail rows or the years after it (issue 8).
 *
 * subsidy_class_months: the subsidised meals of a month by class and rate, per pupil: the class is the batch's (the class the pupil ate in
 * that day), the days a bit each as in subsidy_meal_months. The disclosure's 营养改善计划 sheet and the subsidy page
 * count a month's pupils, days and meals per class from these rows (about 1,500 a month at 1,500 pupils) instead of
 * grouping the month's 33,000 meals with two distinct counts (ten years: 41 ms cold, 11 ms warm, issue 8). Kept by
 * the same insert as the meals (subsidy_meals is append-only, and a closed month takes no meals); verify recomputes
 * it from the meals and their batches.
 *
 * fee_receipts_span: the longest period any receipt pays for, found from an index. The receipts overlapping a month
 * (its meal days) were read by period_end ≥ the month's first day, which for a month nine years back is every receipt
 * since (2017-06: 33 ms, 131 cold); bounded by that span they are the month's and a few more (2–3 ms).
 *
 * month_disclosures: the detail lists of a closed month's disclosure (purchases, rejections, prices, suppliers,
 * subsidy by class, refunds, stock adjustments) as they stood when the 审核人 approved the close, one row per close
 * (revision). What was published stays what the export gives: renaming an ingredient or renewing a licence later no
 * longer changes last term's notice, and the export reads one row instead of the month's lines. Written only in the
 * close's transaction, right after its close event; never changed (its audit entry snapshots it for verify).
 */
export const disclosureReads: Migration = {
  name: '0012_disclosure_reads',
  sql: `
CREATE TABLE subsidy_class_months (
  month TEXT NOT NULL CHECK (${month('month')}),
  class_name TEXT NOT NULL,
  rate_fen INTEGER NOT NULL CHECK (rate_fen >= 0),
  student_id TEXT NOT NULL,
  days INTEGER NOT NULL CHECK (days > 0 AND days < 2147483648),
  meals INTEGER NOT NULL CHECK (meals BETWEEN 1 AND 31),
  PRIMARY KEY (month, class_name, rate_fen, student_id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER subsidy_class_months_add AFTER INSERT ON subsidy_meals
BEGIN
  INSERT INTO subsidy_class_months (month, class_name, rate_fen, student_id, days, meals)
  SELECT substr(NEW.meal_date, 1, 7), b.class_name, b.rate_fen, NEW.student_id, 1 << (CAST(substr(NEW.meal_date, 9, 2) AS INTEGER) - 1), 1
  FROM subsidy_batches b WHERE b.id = NEW.batch_id
  ON CONFLICT (month, class_name, rate_fen, student_id) DO UPDATE SET days = days | excluded.days, meals = meals + 1;
END;

-- (student, meal_date) is subsidy_meals' key: the sum of a group's distinct day bits is their OR.
INSERT INTO subsidy_class_months (month, class_name, rate_fen, student_id, days, meals)
SELECT substr(m.meal_date, 1, 7), b.class_name, b.rate_fen, m.student_id, sum(1 << (CAST(substr(m.meal_date, 9, 2) AS INTEGER) - 1)), count(*)
FROM subsidy_meals m JOIN subsidy_batches b ON b.id = m.batch_id GROUP BY 1, 2, 3, 4;

CREATE INDEX fee_receipts_span ON fee_receipts(julianday(period_end) - julianday(period_start));

CREATE TABLE month_disclosures (
  month TEXT NOT NULL CHECK (${month('month')}),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  lists TEXT NOT NULL CHECK (json_valid(lists) AND json_type(lists) = 'object'),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (month, revision)
) STRICT;
CREATE TRIGGER month_disclosures_with_close BEFORE INSERT ON month_disclosures
BEGIN
  SELECT RAISE(ABORT, '公示明细只能在月结审核通过时记录')
  WHERE NOT EXISTS (SELECT 1 FROM month_close_events WHERE month = NEW.month AND kind = 'close' AND revision = NEW.revision)
     OR NOT EXISTS (SELECT 1 FROM closed_periods WHERE period = NEW.month);
END;
CREATE TRIGGER month_disclosures_no_update BEFORE UPDATE ON month_disclosures BEGIN SELECT RAISE(ABORT, '月结时记录的公示明细不能修改'); END;
CREATE TRIGGER month_disclosures_no_delete BEFORE DELETE ON month_disclosures BEGIN SELECT RAISE(ABORT, '月结时记录的公示明细不能删除'); END;
`,
};
