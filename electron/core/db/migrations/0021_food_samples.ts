import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
/** An instant as the core stores it (Date.toISOString(), UTC). */
const instant = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z' AND unixepoch(${col}) IS NOT NULL)`;

/**
 * 留样 (issue 17 slice 1, docs/DOMAIN-RULES.md "留样"): one row per dish of a meal served, sampled into a dedicated
 * fridge — the weight (whole grams, at least the national 125 g; the profile may ask more, checked by the handler), when
 * it was taken and by whom, which fridge, and until when it must be kept (at least 48 hours after it was taken). A
 * sample is confirmed when recorded and never changes again: a mistake is corrected by cancelling it with a reason and
 * recording the correct one, which points back at it (amends) — the one lifecycle (ledger/lifecycle.ts).
 *
 * The discard is its own row (food_sample_discards), written once: who threw the sample away and when. Before the
 * keep-until time it needs a reason (a broken fridge) and is then a finding; a cancelled sample cannot be discarded and
 * a discarded one cannot be cancelled.
 *
 * taken_at lies on the sample's date in China time (UTC+8); confirmed samples are unique by date, meal and dish.
 */
export const foodSamples: Migration = {
  name: '0021_food_samples',
  sql: `
CREATE TABLE food_samples (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  sample_date TEXT NOT NULL CHECK (${date('sample_date')}),
  meal TEXT NOT NULL CHECK (meal IN ('breakfast','lunch','dinner')),
  dish TEXT NOT NULL CHECK (length(trim(dish)) BETWEEN 1 AND 50),
  weight_g INTEGER NOT NULL CHECK (weight_g BETWEEN 125 AND 5000),
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
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL AND length(trim(coalesce(cancel_reason, ''))) > 0)),
  CHECK (status = 'cancelled' OR (cancelled_at IS NULL AND cancelled_by IS NULL AND cancel_reason IS NULL))
) STRICT;
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
     OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by;
  SELECT RAISE(ABORT, '留样已处理，不能作废')
  WHERE EXISTS (SELECT 1 FROM food_sample_discards WHERE sample_id = OLD.id);
END;

CREATE TABLE food_sample_discards (
  sample_id TEXT PRIMARY KEY REFERENCES food_samples(id),
  discarded_at TEXT NOT NULL CHECK (${instant('discarded_at')}),
  disposer TEXT NOT NULL CHECK (length(trim(disposer)) BETWEEN 1 AND 30),
  reason TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER food_sample_discards_insert BEFORE INSERT ON food_sample_discards
BEGIN
  SELECT RAISE(ABORT, '只能处理已确认的留样')
  WHERE NOT EXISTS (SELECT 1 FROM food_samples WHERE id = NEW.sample_id AND status = 'confirmed');
  SELECT RAISE(ABORT, '处理时间不能早于留样时间')
  WHERE unixepoch(NEW.discarded_at) < (SELECT unixepoch(taken_at) FROM food_samples WHERE id = NEW.sample_id);
  SELECT RAISE(ABORT, '未到留样保存期限就处理，须填写原因')
  WHERE length(trim(NEW.reason)) = 0 AND unixepoch(NEW.discarded_at) < (SELECT unixepoch(keep_until) FROM food_samples WHERE id = NEW.sample_id);
END;
CREATE TRIGGER food_sample_discards_no_update BEFORE UPDATE ON food_sample_discards BEGIN SELECT RAISE(ABORT, '留样处理记录不能修改'); END;
CREATE TRIGGER food_sample_discards_no_delete BEFORE DELETE ON food_sample_discards BEGIN SELECT RAISE(ABORT, '留样处理记录不能删除'); END;
`,
};
