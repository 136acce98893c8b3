import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
/** An instant as the core stores it (Date.toISOString(), UTC). */
const instant = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z' AND unixepoch(${col}) IS NOT NULL)`;

const IN_CLOSED = '该月份已月结锁定，不能再记账';
const BEFORE_CLOSED = '该日期早于已月结锁定的月份，不能再记账';
/** Migration 0026's period lock of a dated table, for the date expression. */
const lock = (expr: string) => `
  SELECT RAISE(ABORT, '${IN_CLOSED}') WHERE EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(${expr}, 1, 7));
  SELECT RAISE(ABORT, '${BEFORE_CLOSED}') WHERE substr(${expr}, 1, 7) < (SELECT max(period) FROM closed_periods);`;
const locked = (expr: string) => `substr(${expr}, 1, 7) <= (SELECT max(period) FROM closed_periods)`;

/** food_samples' columns as migration 0021 built them, in their order; light_reason comes after them. */
const COLUMNS = ['id', 'origin', 'sample_date', 'meal', 'dish', 'weight_g', 'taken_at', 'taker', 'fridge', 'keep_until', 'status', 'amends', 'created_at', 'created_by', 'cancelled_at', 'cancelled_by', 'cancel_reason'];

/**
 * A light 留样 is recorded with its reason (issue 17: "a light sample … is a finding"; docs/DOMAIN-RULES.md "留样").
 * Migration 0021 held every sample at 125 g or more, so a dish already sold out when the sample was found light could
 * not be recorded at all and showed as a dish without a sample — the book said something untrue. Now a sample under the
 * national 125 g is recorded with its true weight when a reason is given (light_reason: why it could not be topped up),
 * and is a finding; without a reason SQL refuses it again. (The profile's higher least weight is the API's rule, for the
 * profile of the sample's day: a sample between 125 g and it also carries its reason.)
 *
 * SQLite cannot change a CHECK in place, so food_samples is rebuilt as migration 0026 rebuilt menus: the same columns
 * in the same order and the same rows under the same rowids (the month-close seal counts them by rowid), light_reason added last ('' on every row found), foreign keys checked at the
 * commit (the discards and the amendments point at it). Its indexes and triggers are made again — the update trigger
 * now also keeps light_reason — and the period lock (migration 0026) only after the rows are back, so the rows of closed
 * months go back too. The table registry declares the added column and its value on the rows found
 * (shared/tables.ts `added`), so row snapshots written before this step still compare with the rows.
 */
export const lightSamples: Migration = {
  name: '0028_light_samples',
  sql: `
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE food_samples_0028 AS SELECT rowid AS rowid_0028, * FROM food_samples ORDER BY rowid;
DROP TABLE food_samples;
CREATE TABLE food_samples (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  sample_date TEXT NOT NULL CHECK (${date('sample_date')}),
  meal TEXT NOT NULL CHECK (meal IN ('breakfast','lunch','dinner')),
  dish TEXT NOT NULL CHECK (length(trim(dish)) BETWEEN 1 AND 50),
  weight_g INTEGER NOT NULL CHECK (weight_g BETWEEN 1 AND 5000),
  taken_at TEXT NOT NULL CHECK (${instant('taken_at')} AND date(taken_at, '+8 hours') = sample_date),
  taker TEXT NOT NULL CHECK (length(trim(taker)) BETWEEN 1 AND 30),
  fridge TEXT NOT NULL CHECK (length(trim(fridge)) BETWEEN 1 AND 30),
  keep_until TEXT NOT NULL CHECK (${instant('keep_until')} AND unixepoch(keep_until) - unixepoch(taken_at) >= 172800),
  status TEXT NOT NULL CHECK (status IN ('confirmed','cancelled')),
  amends TEXT REFERENCES food_samples(id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  cancelled_at TEXT,
  cancelled_by TEXT REFERENCES users(id),
  cancel_reason TEXT,
  light_reason TEXT NOT NULL DEFAULT '' CHECK (length(light_reason) <= 200),
  CHECK (weight_g >= 125 OR length(trim(light_reason)) > 0),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL AND length(trim(coalesce(cancel_reason, ''))) > 0)),
  CHECK (status = 'cancelled' OR (cancelled_at IS NULL AND cancelled_by IS NULL AND cancel_reason IS NULL))
) STRICT;
INSERT INTO food_samples (rowid, ${COLUMNS.join(', ')}) SELECT rowid_0028, ${COLUMNS.join(', ')} FROM temp.food_samples_0028 ORDER BY rowid_0028;
DROP TABLE temp.food_samples_0028;
CREATE INDEX food_samples_day ON food_samples (sample_date, meal);
CREATE UNIQUE INDEX food_samples_one_dish ON food_samples (sample_date, meal, dish) WHERE status = 'confirmed';

CREATE TRIGGER food_samples_no_delete BEFORE DELETE ON food_samples BEGIN SELECT RAISE(ABORT, '留样记录不能删除'); END;
CREATE TRIGGER food_samples_update BEFORE UPDATE ON food_samples
BEGIN
  SELECT RAISE(ABORT, '留样记录确认后不能修改，只能作废并重新登记')
  WHERE NOT (OLD.status = 'confirmed' AND NEW.status = 'cancelled')
     OR NEW.id IS NOT OLD.id OR NEW.origin IS NOT OLD.origin OR NEW.sample_date IS NOT OLD.sample_date OR NEW.meal IS NOT OLD.meal
     OR NEW.dish IS NOT OLD.dish OR NEW.weight_g IS NOT OLD.weight_g OR NEW.taken_at IS NOT OLD.taken_at OR NEW.taker IS NOT OLD.taker
     OR NEW.fridge IS NOT OLD.fridge OR NEW.keep_until IS NOT OLD.keep_until OR NEW.amends IS NOT OLD.amends
     OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR NEW.light_reason IS NOT OLD.light_reason;
  SELECT RAISE(ABORT, '留样已处理，不能作废')
  WHERE EXISTS (SELECT 1 FROM food_sample_discards WHERE sample_id = OLD.id);
END;
CREATE TRIGGER food_samples_lock_insert BEFORE INSERT ON food_samples WHEN ${locked('NEW.sample_date')} BEGIN${lock('NEW.sample_date')} END;
CREATE TRIGGER food_samples_lock_update BEFORE UPDATE ON food_samples WHEN ${locked('OLD.sample_date')} BEGIN${lock('OLD.sample_date')} END;
`,
};
