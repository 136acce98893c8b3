import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const NUTRIENTS = ['energy', 'protein', 'fat', 'carbohydrate', 'calcium', 'iron', 'zinc', 'vitamin_a', 'vitamin_b1', 'vitamin_b2', 'vitamin_c'];
/** Per 100 g edible part, in thousandths of the nutrient's unit (kcal, g, mg, μg RAE); NULL when the source gives none. */
const nutrientCols = NUTRIENTS.map((n) => `${n} INTEGER CHECK (${n} IS NULL OR ${n} BETWEEN 0 AND 100000000)`).join(',\n  ');
const stamps = `status TEXT NOT NULL CHECK (status IN ('confirmed','cancelled')),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  cancelled_at TEXT,
  cancelled_by TEXT REFERENCES users(id),
  cancel_reason TEXT,
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL AND length(trim(coalesce(cancel_reason, ''))) > 0)),
  CHECK (status = 'cancelled' OR (cancelled_at IS NULL AND cancelled_by IS NULL AND cancel_reason IS NULL))`;

/**
 * 带量食谱 (issue 17, docs/DOMAIN-RULES.md "带量食谱"), 满意度 and 投诉.
 *
 * food_compositions: what the school enters (or imports) per ingredient — the nutrients per 100 g edible part, the edible
 * share, the grams one purchasing unit weighs (for the planned cost of an ingredient bought by 个 or 盒), and the source
 * named. Kept up to date like the staff roster, every save audited with its row; never deleted.
 *
 * menus / menu_items / menu_reviews: a week's menu (one per week, keyed by its Monday): per day and meal, each dish's
 * ingredients and the raw quantity per pupil of each age group (thousandths of a gram). A draft is edited freely by
 * the canteen, submitted, then approved or returned (with remarks) by a parent committee member, never the person who
 * submitted it (held here too). Once submitted its lines never change; approved is final. Each decision is a row of
 * menu_reviews, written once.
 *
 * satisfaction_surveys: a term's survey counts, entered from the paper forms (per question, the count of each answer),
 * with the questions as they were asked. complaints / complaint_followups: the complaint log and who closed each one
 * with what was done (once). Surveys and complaints are confirmed records: corrected by cancel with a reason.
 */
export const menus: Migration = {
  name: '0024_menus',
  sql: `
CREATE TABLE food_compositions (
  ingredient_id TEXT PRIMARY KEY REFERENCES ingredients(id),
  edible_bp INTEGER NOT NULL CHECK (edible_bp BETWEEN 1 AND 10000),
  unit_grams INTEGER CHECK (unit_grams IS NULL OR unit_grams BETWEEN 1 AND 100000000),
  ${nutrientCols},
  source TEXT NOT NULL CHECK (length(trim(source)) BETWEEN 1 AND 100),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER food_compositions_no_delete BEFORE DELETE ON food_compositions BEGIN SELECT RAISE(ABORT, '食物成分不能删除，只能修改'); END;

CREATE TABLE menus (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  week_start TEXT NOT NULL UNIQUE CHECK (${date('week_start')} AND strftime('%w', week_start) = '1'),
  status TEXT NOT NULL CHECK (status IN ('draft','submitted','approved')),
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
  CHECK ((status = 'approved') = (approved_at IS NOT NULL AND approved_by IS NOT NULL)),
  CHECK (approved_by IS NULL OR approved_by <> submitted_by)
) STRICT;
CREATE TRIGGER menus_no_delete BEFORE DELETE ON menus BEGIN SELECT RAISE(ABORT, '带量食谱不能删除'); END;
CREATE TRIGGER menus_update BEFORE UPDATE ON menus
BEGIN
  SELECT RAISE(ABORT, '已审定的带量食谱不能修改') WHERE OLD.status = 'approved';
  SELECT RAISE(ABORT, '带量食谱的周次不能修改') WHERE NEW.week_start IS NOT OLD.week_start OR NEW.id IS NOT OLD.id OR NEW.created_by IS NOT OLD.created_by;
END;

CREATE TABLE menu_items (
  menu_id TEXT NOT NULL REFERENCES menus(id),
  line_no INTEGER NOT NULL CHECK (line_no >= 1),
  day TEXT NOT NULL CHECK (${date('day')}),
  meal TEXT NOT NULL CHECK (meal IN ('breakfast','lunch','dinner')),
  dish TEXT NOT NULL CHECK (length(trim(dish)) BETWEEN 1 AND 50),
  ingredient_id TEXT NOT NULL REFERENCES ingredients(id),
  age_group TEXT NOT NULL CHECK (length(age_group) BETWEEN 1 AND 20),
  qty_mg INTEGER NOT NULL CHECK (qty_mg BETWEEN 1 AND 5000000),
  PRIMARY KEY (menu_id, line_no),
  UNIQUE (menu_id, day, meal, dish, ingredient_id, age_group)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER menu_items_insert BEFORE INSERT ON menu_items
BEGIN
  SELECT RAISE(ABORT, '只有草稿状态的带量食谱可以修改')
  WHERE NOT EXISTS (SELECT 1 FROM menus WHERE id = NEW.menu_id AND status = 'draft');
  SELECT RAISE(ABORT, '食谱日期不在该周内')
  WHERE NOT EXISTS (SELECT 1 FROM menus WHERE id = NEW.menu_id AND NEW.day BETWEEN week_start AND date(week_start, '+6 days'));
END;
CREATE TRIGGER menu_items_delete BEFORE DELETE ON menu_items
BEGIN
  SELECT RAISE(ABORT, '只有草稿状态的带量食谱可以修改')
  WHERE NOT EXISTS (SELECT 1 FROM menus WHERE id = OLD.menu_id AND status = 'draft');
END;
CREATE TRIGGER menu_items_no_update BEFORE UPDATE ON menu_items BEGIN SELECT RAISE(ABORT, '食谱明细不能修改，请重新保存草稿'); END;
CREATE INDEX menu_items_day ON menu_items (day, meal);

CREATE TABLE menu_reviews (
  menu_id TEXT NOT NULL REFERENCES menus(id),
  seq INTEGER NOT NULL CHECK (seq >= 1),
  decision TEXT NOT NULL CHECK (decision IN ('approved','returned')),
  remark TEXT NOT NULL DEFAULT '' CHECK (length(remark) <= 500),
  reviewed_at TEXT NOT NULL,
  reviewed_by TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (menu_id, seq),
  CHECK (decision = 'approved' OR length(trim(remark)) > 0)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER menu_reviews_insert BEFORE INSERT ON menu_reviews
BEGIN
  SELECT RAISE(ABORT, '只有已提交的带量食谱可以审定')
  WHERE NOT EXISTS (SELECT 1 FROM menus WHERE id = NEW.menu_id AND status = 'submitted');
  SELECT RAISE(ABORT, '提交人不能审定自己提交的带量食谱')
  WHERE EXISTS (SELECT 1 FROM menus WHERE id = NEW.menu_id AND submitted_by = NEW.reviewed_by);
END;
CREATE TRIGGER menu_reviews_no_update BEFORE UPDATE ON menu_reviews BEGIN SELECT RAISE(ABORT, '审定记录不能修改'); END;
CREATE TRIGGER menu_reviews_no_delete BEFORE DELETE ON menu_reviews BEGIN SELECT RAISE(ABORT, '审定记录不能删除'); END;

CREATE TABLE satisfaction_surveys (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  term_name TEXT NOT NULL CHECK (length(trim(term_name)) BETWEEN 1 AND 30),
  survey_date TEXT NOT NULL CHECK (${date('survey_date')}),
  forms INTEGER NOT NULL CHECK (forms BETWEEN 1 AND 100000),
  results TEXT NOT NULL CHECK (json_valid(results) AND json_type(results) = 'array'),
  amends TEXT REFERENCES satisfaction_surveys(id),
  ${stamps}
) STRICT;
CREATE INDEX satisfaction_surveys_date ON satisfaction_surveys (survey_date);
CREATE TRIGGER satisfaction_surveys_no_delete BEFORE DELETE ON satisfaction_surveys BEGIN SELECT RAISE(ABORT, '满意度调查不能删除'); END;
CREATE TRIGGER satisfaction_surveys_update BEFORE UPDATE ON satisfaction_surveys
BEGIN
  SELECT RAISE(ABORT, '满意度调查确认后不能修改，只能作废并重新登记')
  WHERE NOT (OLD.status = 'confirmed' AND NEW.status = 'cancelled')
     OR NEW.id IS NOT OLD.id OR NEW.term_name IS NOT OLD.term_name OR NEW.survey_date IS NOT OLD.survey_date OR NEW.forms IS NOT OLD.forms
     OR NEW.results IS NOT OLD.results OR NEW.amends IS NOT OLD.amends OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by;
END;

CREATE TABLE complaints (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  received_date TEXT NOT NULL CHECK (${date('received_date')}),
  channel TEXT NOT NULL CHECK (length(trim(channel)) BETWEEN 1 AND 20),
  complainant TEXT NOT NULL DEFAULT '' CHECK (length(complainant) <= 30),
  content TEXT NOT NULL CHECK (length(trim(content)) BETWEEN 1 AND 500),
  ${stamps}
) STRICT;
CREATE INDEX complaints_date ON complaints (received_date);
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints BEGIN SELECT RAISE(ABORT, '投诉记录不能删除'); END;
CREATE TRIGGER complaints_update BEFORE UPDATE ON complaints
BEGIN
  SELECT RAISE(ABORT, '投诉记录确认后不能修改，只能作废')
  WHERE NOT (OLD.status = 'confirmed' AND NEW.status = 'cancelled')
     OR NEW.id IS NOT OLD.id OR NEW.received_date IS NOT OLD.received_date OR NEW.channel IS NOT OLD.channel
     OR NEW.complainant IS NOT OLD.complainant OR NEW.content IS NOT OLD.content OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by;
  SELECT RAISE(ABORT, '投诉已处理完毕，不能作废') WHERE EXISTS (SELECT 1 FROM complaint_followups WHERE complaint_id = OLD.id);
END;

CREATE TABLE complaint_followups (
  complaint_id TEXT PRIMARY KEY REFERENCES complaints(id),
  action TEXT NOT NULL CHECK (length(trim(action)) BETWEEN 1 AND 500),
  closed_at TEXT NOT NULL,
  closed_by TEXT NOT NULL REFERENCES users(id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER complaint_followups_insert BEFORE INSERT ON complaint_followups
BEGIN
  SELECT RAISE(ABORT, '只有有效的投诉记录可以处理') WHERE NOT EXISTS (SELECT 1 FROM complaints WHERE id = NEW.complaint_id AND status = 'confirmed');
END;
CREATE TRIGGER complaint_followups_no_update BEFORE UPDATE ON complaint_followups BEGIN SELECT RAISE(ABORT, '投诉处理记录不能修改'); END;
CREATE TRIGGER complaint_followups_no_delete BEFORE DELETE ON complaint_followups BEGIN SELECT RAISE(ABORT, '投诉处理记录不能删除'); END;
`,
};
