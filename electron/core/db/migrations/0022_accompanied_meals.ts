import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const rating = (col: string) => `${col} TEXT NOT NULL CHECK (${col} IN ('good','fair','poor'))`;
const remark = (col: string) => `${col} TEXT NOT NULL DEFAULT '' CHECK (length(${col}) <= 200)`;

/**
 * 陪餐 (issue 17 slice 2, docs/DOMAIN-RULES.md "陪餐"): who ate a meal with the pupils — a school leader, or a parent
 * committee member recording it themselves under the parent role — and how they found it: 好/一般/差 with a remark on
 * taste, quantity, hygiene and temperature, and the problem they raise (a 差 needs one). A raised problem is an open
 * follow-up (整改) until someone records what was done (meal_followups, written once). A record is confirmed when made
 * and never changes: the person who made it corrects it by cancelling it with a reason and recording it again
 * (amends). One confirmed record per person per meal. A record whose follow-up is closed is not cancelled any more.
 *
 * 晨检 and 健康证 (issue 17 slice 3, in this step too — the two numbers given to issue 17 were 0021 and 0022, and this step
 * was not yet released): the canteen staff roster (canteen_staff: name, post, health-certificate number and expiry,
 * active; kept up to date, every save audited with its row) and each working day's check per person (morning_checks:
 * the symptoms found, fit or unfit, and whether the person works that day). Nobody unfit is on duty (CHECK), nor anybody
 * whose certificate is missing or expired on that day (trigger). Checks are confirmed records like the others: one per
 * person per day, corrected by cancel + a new record.
 */
export const accompaniedMeals: Migration = {
  name: '0022_accompanied_meals',
  sql: `
CREATE TABLE accompanied_meals (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  meal_date TEXT NOT NULL CHECK (${date('meal_date')}),
  meal TEXT NOT NULL CHECK (meal IN ('breakfast','lunch','dinner')),
  companion_kind TEXT NOT NULL CHECK (companion_kind IN ('leader','parent')),
  companion_name TEXT NOT NULL CHECK (length(trim(companion_name)) BETWEEN 1 AND 30),
  ${rating('taste')},
  ${rating('quantity')},
  ${rating('hygiene')},
  ${rating('temperature')},
  ${remark('taste_remark')},
  ${remark('quantity_remark')},
  ${remark('hygiene_remark')},
  ${remark('temperature_remark')},
  problem TEXT NOT NULL DEFAULT '' CHECK (length(problem) <= 500),
  status TEXT NOT NULL CHECK (status IN ('confirmed','cancelled')),
  amends TEXT REFERENCES accompanied_meals(id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  cancelled_at TEXT,
  cancelled_by TEXT REFERENCES users(id),
  cancel_reason TEXT,
  CHECK (length(trim(problem)) > 0 OR 'poor' NOT IN (taste, quantity, hygiene, temperature)),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL AND length(trim(coalesce(cancel_reason, ''))) > 0)),
  CHECK (status = 'cancelled' OR (cancelled_at IS NULL AND cancelled_by IS NULL AND cancel_reason IS NULL))
) STRICT;
CREATE INDEX accompanied_meals_day ON accompanied_meals (meal_date, meal);
CREATE UNIQUE INDEX accompanied_meals_one_each ON accompanied_meals (meal_date, meal, created_by) WHERE status = 'confirmed';

CREATE TRIGGER accompanied_meals_no_delete BEFORE DELETE ON accompanied_meals BEGIN SELECT RAISE(ABORT, '陪餐记录不能删除'); END;
CREATE TRIGGER accompanied_meals_update BEFORE UPDATE ON accompanied_meals
BEGIN
  SELECT RAISE(ABORT, '陪餐记录确认后不能修改，只能作废并重新登记')
  WHERE NOT (OLD.status = 'confirmed' AND NEW.status = 'cancelled')
     OR NEW.id IS NOT OLD.id OR NEW.origin IS NOT OLD.origin OR NEW.meal_date IS NOT OLD.meal_date OR NEW.meal IS NOT OLD.meal
     OR NEW.companion_kind IS NOT OLD.companion_kind OR NEW.companion_name IS NOT OLD.companion_name
     OR NEW.taste IS NOT OLD.taste OR NEW.quantity IS NOT OLD.quantity OR NEW.hygiene IS NOT OLD.hygiene OR NEW.temperature IS NOT OLD.temperature
     OR NEW.taste_remark IS NOT OLD.taste_remark OR NEW.quantity_remark IS NOT OLD.quantity_remark
     OR NEW.hygiene_remark IS NOT OLD.hygiene_remark OR NEW.temperature_remark IS NOT OLD.temperature_remark
     OR NEW.problem IS NOT OLD.problem OR NEW.amends IS NOT OLD.amends OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by;
  SELECT RAISE(ABORT, '陪餐发现的问题已整改，不能作废')
  WHERE EXISTS (SELECT 1 FROM meal_followups WHERE meal_id = OLD.id);
END;

CREATE TABLE meal_followups (
  meal_id TEXT PRIMARY KEY REFERENCES accompanied_meals(id),
  action TEXT NOT NULL CHECK (length(trim(action)) BETWEEN 1 AND 500),
  closed_at TEXT NOT NULL,
  closed_by TEXT NOT NULL REFERENCES users(id)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER meal_followups_insert BEFORE INSERT ON meal_followups
BEGIN
  SELECT RAISE(ABORT, '只有提出问题的有效陪餐记录才需要整改')
  WHERE NOT EXISTS (SELECT 1 FROM accompanied_meals WHERE id = NEW.meal_id AND status = 'confirmed' AND length(trim(problem)) > 0);
END;
CREATE TABLE canteen_staff (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 30),
  post TEXT NOT NULL DEFAULT '' CHECK (length(post) <= 30),
  cert_no TEXT NOT NULL DEFAULT '' CHECK (length(cert_no) <= 40),
  cert_expiry TEXT CHECK (cert_expiry IS NULL OR ${date('cert_expiry')}),
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  CHECK ((cert_no = '') = (cert_expiry IS NULL))
) STRICT;
CREATE TRIGGER canteen_staff_no_delete BEFORE DELETE ON canteen_staff BEGIN SELECT RAISE(ABORT, '食堂从业人员不能删除，只能停用'); END;

CREATE TABLE morning_checks (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  check_date TEXT NOT NULL CHECK (${date('check_date')}),
  staff_id TEXT NOT NULL REFERENCES canteen_staff(id),
  symptoms TEXT NOT NULL DEFAULT '' CHECK (length(symptoms) <= 200),
  outcome TEXT NOT NULL CHECK (outcome IN ('fit','unfit')),
  on_duty INTEGER NOT NULL CHECK (on_duty IN (0, 1)),
  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  status TEXT NOT NULL CHECK (status IN ('confirmed','cancelled')),
  amends TEXT REFERENCES morning_checks(id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  cancelled_at TEXT,
  cancelled_by TEXT REFERENCES users(id),
  cancel_reason TEXT,
  CHECK (outcome = 'fit' OR on_duty = 0),
  CHECK (outcome = 'unfit' OR symptoms = ''),
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL AND length(trim(coalesce(cancel_reason, ''))) > 0)),
  CHECK (status = 'cancelled' OR (cancelled_at IS NULL AND cancelled_by IS NULL AND cancel_reason IS NULL))
) STRICT;
CREATE INDEX morning_checks_day ON morning_checks (check_date, staff_id);
CREATE UNIQUE INDEX morning_checks_one_each ON morning_checks (check_date, staff_id) WHERE status = 'confirmed';
CREATE TRIGGER morning_checks_duty BEFORE INSERT ON morning_checks WHEN NEW.on_duty = 1
BEGIN
  SELECT RAISE(ABORT, '健康证缺失或已过期，不能上岗')
  WHERE NOT EXISTS (SELECT 1 FROM canteen_staff WHERE id = NEW.staff_id AND cert_expiry IS NOT NULL AND cert_expiry >= NEW.check_date);
END;
CREATE TRIGGER morning_checks_no_delete BEFORE DELETE ON morning_checks BEGIN SELECT RAISE(ABORT, '晨检记录不能删除'); END;
CREATE TRIGGER morning_checks_update BEFORE UPDATE ON morning_checks
BEGIN
  SELECT RAISE(ABORT, '晨检记录确认后不能修改，只能作废并重新登记')
  WHERE NOT (OLD.status = 'confirmed' AND NEW.status = 'cancelled')
     OR NEW.id IS NOT OLD.id OR NEW.origin IS NOT OLD.origin OR NEW.check_date IS NOT OLD.check_date OR NEW.staff_id IS NOT OLD.staff_id
     OR NEW.symptoms IS NOT OLD.symptoms OR NEW.outcome IS NOT OLD.outcome OR NEW.on_duty IS NOT OLD.on_duty OR NEW.note IS NOT OLD.note
     OR NEW.amends IS NOT OLD.amends OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by;
END;

CREATE TRIGGER meal_followups_no_update BEFORE UPDATE ON meal_followups BEGIN SELECT RAISE(ABORT, '整改记录不能修改'); END;
CREATE TRIGGER meal_followups_no_delete BEFORE DELETE ON meal_followups BEGIN SELECT RAISE(ABORT, '整改记录不能删除'); END;
`,
};
