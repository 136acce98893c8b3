import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const IN_CLOSED = '该月份已月结锁定，不能再记账';
const BEFORE_CLOSED = '该日期早于已月结锁定的月份，不能再记账';
/** The period lock of migrations 0014/0026 on an insert dated by `col`: not in a closed month, not before the latest one. */
const lockInsert = (table: string, col: string) => `
CREATE TRIGGER ${table}_lock_insert BEFORE INSERT ON ${table} WHEN substr(NEW.${col}, 1, 7) <= (SELECT max(period) FROM closed_periods)
BEGIN
  SELECT RAISE(ABORT, '${IN_CLOSED}') WHERE EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(NEW.${col}, 1, 7));
  SELECT RAISE(ABORT, '${BEFORE_CLOSED}') WHERE substr(NEW.${col}, 1, 7) < (SELECT max(period) FROM closed_periods);
END;`;

/**
 * 满意度 typed by the parents themselves on the shared PC (issue 17: "counts entered from paper forms or typed by parents";
 * docs/DOMAIN-RULES.md "满意度 and 投诉").
 *
 * survey_sessions: a 现场填写 session, opened by a staff member or the parent-committee member for a term's survey on a
 * day, with the questions of the profile in force that day as they were asked. It is closed once (by the person who
 * opened it, with their password, or later by another who may open one); at most one is open at a time.
 *
 * survey_responses: one row per form a parent submitted — anonymous (no person; the time and the session only), the
 * answers in the order of the session's questions, each 满意/基本满意/不满意, an optional remark. Written once, never
 * changed or removed; refused once the session is closed, on another day than the session's, with another number of
 * answers than the session has questions, or with an answer outside the three. Both tables are under the month lock.
 */
export const surveyKiosk: Migration = {
  name: '0029_survey_kiosk',
  sql: `
CREATE TABLE survey_sessions (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  term_name TEXT NOT NULL CHECK (length(trim(term_name)) BETWEEN 1 AND 30),
  session_date TEXT NOT NULL CHECK (${date('session_date')}),
  questions TEXT NOT NULL CHECK (json_valid(questions) AND json_type(questions) = 'array' AND json_array_length(questions) BETWEEN 1 AND 20),
  opened_at TEXT NOT NULL,
  opened_by TEXT NOT NULL REFERENCES users(id),
  closed_at TEXT,
  closed_by TEXT REFERENCES users(id),
  CHECK ((closed_at IS NULL) = (closed_by IS NULL))
) STRICT;
CREATE UNIQUE INDEX survey_sessions_one_open ON survey_sessions ((closed_at IS NULL)) WHERE closed_at IS NULL;
CREATE TRIGGER survey_sessions_no_delete BEFORE DELETE ON survey_sessions BEGIN SELECT RAISE(ABORT, '现场填写记录不能删除'); END;
CREATE TRIGGER survey_sessions_update BEFORE UPDATE ON survey_sessions
BEGIN
  SELECT RAISE(ABORT, '现场填写已结束，不能修改')
  WHERE OLD.closed_at IS NOT NULL OR NEW.closed_at IS NULL
     OR NEW.id IS NOT OLD.id OR NEW.origin IS NOT OLD.origin OR NEW.term_name IS NOT OLD.term_name OR NEW.session_date IS NOT OLD.session_date
     OR NEW.questions IS NOT OLD.questions OR NEW.opened_at IS NOT OLD.opened_at OR NEW.opened_by IS NOT OLD.opened_by;
END;
${lockInsert('survey_sessions', 'session_date')}

CREATE TABLE survey_responses (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES survey_sessions(id),
  response_date TEXT NOT NULL CHECK (${date('response_date')}),
  answers TEXT NOT NULL CHECK (json_valid(answers) AND json_type(answers) = 'array'),
  remark TEXT NOT NULL DEFAULT '' CHECK (length(remark) <= 200),
  submitted_at TEXT NOT NULL
) STRICT;
CREATE INDEX survey_responses_session ON survey_responses (session_id);
CREATE TRIGGER survey_responses_insert BEFORE INSERT ON survey_responses
BEGIN
  SELECT RAISE(ABORT, '现场填写已结束，不能再提交问卷')
  WHERE NOT EXISTS (SELECT 1 FROM survey_sessions WHERE id = NEW.session_id AND closed_at IS NULL);
  SELECT RAISE(ABORT, '问卷只能在现场填写开启的当天提交')
  WHERE NOT EXISTS (SELECT 1 FROM survey_sessions WHERE id = NEW.session_id AND session_date = NEW.response_date);
  SELECT RAISE(ABORT, '回答的题数与问卷的问题数不符')
  WHERE json_array_length(NEW.answers) <> (SELECT json_array_length(questions) FROM survey_sessions WHERE id = NEW.session_id);
  SELECT RAISE(ABORT, '回答应为 满意、基本满意 或 不满意')
  WHERE EXISTS (SELECT 1 FROM json_each(NEW.answers) WHERE type <> 'text' OR value NOT IN ('satisfied', 'fair', 'dissatisfied'));
END;
CREATE TRIGGER survey_responses_no_update BEFORE UPDATE ON survey_responses BEGIN SELECT RAISE(ABORT, '家长提交的问卷不能修改'); END;
CREATE TRIGGER survey_responses_no_delete BEFORE DELETE ON survey_responses BEGIN SELECT RAISE(ABORT, '家长提交的问卷不能删除'); END;
${lockInsert('survey_responses', 'response_date')}
`,
};
