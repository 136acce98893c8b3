import type { Migration } from './index.ts';

const IN_CLOSED = '该月份已月结锁定，不能再记账';
const BEFORE_CLOSED = '该日期早于已月结锁定的月份，不能再记账';
/** The refusals of migration 0014 for a date expression: inside a closed month, or before the latest closed month. */
const lock = (expr: string) => `
  SELECT RAISE(ABORT, '${IN_CLOSED}') WHERE EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(${expr}, 1, 7));
  SELECT RAISE(ABORT, '${BEFORE_CLOSED}') WHERE substr(${expr}, 1, 7) < (SELECT max(period) FROM closed_periods);`;
const locked = (expr: string) => `substr(${expr}, 1, 7) <= (SELECT max(period) FROM closed_periods)`;
/** A dated record table: no row inserted, and none cancelled, on or before the latest closed month. */
const dated = (table: string, col: string) => `
CREATE TRIGGER ${table}_lock_insert BEFORE INSERT ON ${table} WHEN ${locked(`NEW.${col}`)} BEGIN${lock(`NEW.${col}`)} END;
CREATE TRIGGER ${table}_lock_update BEFORE UPDATE ON ${table} WHEN ${locked(`OLD.${col}`)} BEGIN${lock(`OLD.${col}`)} END;`;

const MENU_COLUMNS = ['id', 'origin', 'week_start', 'status', 'note', 'created_at', 'created_by', 'updated_at', 'updated_by', 'submitted_at', 'submitted_by', 'approved_at', 'approved_by'];
const sameBut = (except: string) => MENU_COLUMNS.filter((c) => c !== except).map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ');

/**
 * Issue 17, what the food-safety records lacked.
 *
 * 1. A reasoned amendment of an approved 带量食谱 (docs/DOMAIN-RULES.md "带量食谱"): the canteen opens a new revision of the
 *    week (a draft, its lines copied, the reason recorded in menu_amendments), which goes through 审定 again; the
 *    approved one stays as it is and keeps driving the expected 留样 until the revision is approved, when it becomes
 *    'superseded' (its approval stamps kept). menus was one row per week (week_start UNIQUE), so the table is rebuilt
 *    with the same columns in the same order and the same rows — their audit snapshots stay true — and in place of the
 *    UNIQUE: one open (draft or submitted) and one approved menu per week, partial unique indexes. Rebuilding a parent
 *    table under foreign keys: the checks are deferred to the commit, and re-inserting every row gives each menu_items
 *    and menu_reviews row its parent back before then (a row lost would fail the commit).
 *
 * 2. The 陪餐 duty rota (meal_duty_rota): per term, from a date on (a version), which school leaders eat with the pupils
 *    at which meal of which weekday (1 Monday … 7 Sunday). A version is saved whole (its rows replaced) while its date
 *    is after the latest closed month; rows are never updated, and none of a locked version is inserted or deleted.
 *
 * 3. The period lock in SQL for the dated food-safety records (留样, its discard by the China date of the discard, 陪餐,
 *    晨检, 满意度, 投诉): no row inserted and none cancelled on or before the latest closed month, as migration 0014 holds
 *    the books' dated tables. The dispatcher and the lifecycle's cancel refuse them first, in words.
 */
export const menuAmendments: Migration = {
  name: '0026_menu_amendments',
  sql: `
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE menus_0026 AS SELECT * FROM menus ORDER BY rowid;
DROP TABLE menus;
CREATE TABLE menus (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  week_start TEXT NOT NULL CHECK ((week_start GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]') AND strftime('%w', week_start) = '1'),
  status TEXT NOT NULL CHECK (status IN ('draft','submitted','approved','superseded')),
  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  submitted_at TEXT,
  submitted_by TEXT REFERENCES users(id),
  approved_at TEXT,
  approved_by TEXT REFERENCES users(id),
  CHECK ((status = 'draft') = (submitted_at IS NULL AND submitted_by IS NULL)),
  CHECK ((status IN ('approved','superseded')) = (approved_at IS NOT NULL AND approved_by IS NOT NULL)),
  CHECK (approved_by IS NULL OR approved_by <> submitted_by)
) STRICT;
INSERT INTO menus (${MENU_COLUMNS.join(', ')}) SELECT ${MENU_COLUMNS.join(', ')} FROM temp.menus_0026 ORDER BY rowid;
DROP TABLE temp.menus_0026;
CREATE INDEX menus_week ON menus (week_start);
CREATE UNIQUE INDEX menus_week_open ON menus (week_start) WHERE status IN ('draft','submitted');
CREATE UNIQUE INDEX menus_week_approved ON menus (week_start) WHERE status = 'approved';

CREATE TABLE menu_amendments (
  menu_id TEXT PRIMARY KEY REFERENCES menus(id),
  amends TEXT NOT NULL UNIQUE REFERENCES menus(id),
  revision INTEGER NOT NULL CHECK (revision BETWEEN 2 AND 1000),
  reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  CHECK (menu_id <> amends)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER menu_amendments_insert BEFORE INSERT ON menu_amendments
BEGIN
  SELECT RAISE(ABORT, '只有已审定的带量食谱可以修订') WHERE NOT EXISTS (SELECT 1 FROM menus WHERE id = NEW.amends AND status = 'approved');
  SELECT RAISE(ABORT, '修订本须是同一周的带量食谱草稿')
  WHERE NOT EXISTS (SELECT 1 FROM menus n JOIN menus o ON o.id = NEW.amends WHERE n.id = NEW.menu_id AND n.status = 'draft' AND n.week_start = o.week_start);
END;
CREATE TRIGGER menu_amendments_no_update BEFORE UPDATE ON menu_amendments BEGIN SELECT RAISE(ABORT, '食谱修订记录不能修改'); END;
CREATE TRIGGER menu_amendments_no_delete BEFORE DELETE ON menu_amendments BEGIN SELECT RAISE(ABORT, '食谱修订记录不能删除'); END;

CREATE TRIGGER menus_no_delete BEFORE DELETE ON menus BEGIN SELECT RAISE(ABORT, '带量食谱不能删除'); END;
CREATE TRIGGER menus_update BEFORE UPDATE ON menus
BEGIN
  SELECT RAISE(ABORT, '带量食谱的周次不能修改') WHERE NEW.week_start IS NOT OLD.week_start OR NEW.id IS NOT OLD.id OR NEW.created_by IS NOT OLD.created_by;
  SELECT RAISE(ABORT, '已被修订取代的带量食谱不能修改') WHERE OLD.status = 'superseded';
  SELECT RAISE(ABORT, '已审定的带量食谱不能修改') WHERE OLD.status = 'approved' AND NOT (NEW.status = 'superseded' AND ${sameBut('status')});
  SELECT RAISE(ABORT, '已审定的带量食谱只在其修订本审定时被取代')
  WHERE OLD.status = 'approved' AND NOT EXISTS (SELECT 1 FROM menu_amendments a JOIN menus n ON n.id = a.menu_id WHERE a.amends = OLD.id AND n.status = 'submitted');
  SELECT RAISE(ABORT, '原带量食谱已被取代，修订本不能退回')
  WHERE OLD.status = 'submitted' AND NEW.status = 'draft'
    AND EXISTS (SELECT 1 FROM menu_amendments a JOIN menus p ON p.id = a.amends WHERE a.menu_id = OLD.id AND p.status = 'superseded');
END;
CREATE TABLE meal_duty_rota (
  term_code TEXT NOT NULL REFERENCES terms(code),
  from_date TEXT NOT NULL CHECK (from_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  meal TEXT NOT NULL CHECK (meal IN ('breakfast','lunch','dinner')),
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (term_code, from_date, weekday, meal, user_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER meal_duty_rota_no_update BEFORE UPDATE ON meal_duty_rota BEGIN SELECT RAISE(ABORT, '陪餐值班表不能修改，请重新保存该生效日期的值班表'); END;
CREATE TRIGGER meal_duty_rota_lock_insert BEFORE INSERT ON meal_duty_rota WHEN ${locked('NEW.from_date')} BEGIN${lock('NEW.from_date')} END;
CREATE TRIGGER meal_duty_rota_lock_delete BEFORE DELETE ON meal_duty_rota WHEN ${locked('OLD.from_date')} BEGIN${lock('OLD.from_date')} END;
${dated('food_samples', 'sample_date')}
CREATE TRIGGER food_sample_discards_lock BEFORE INSERT ON food_sample_discards WHEN ${locked(`date(NEW.discarded_at, '+8 hours')`)}
BEGIN${lock(`date(NEW.discarded_at, '+8 hours')`)} END;
${dated('accompanied_meals', 'meal_date')}
${dated('morning_checks', 'check_date')}
${dated('satisfaction_surveys', 'survey_date')}
${dated('complaints', 'received_date')}
`,
};
