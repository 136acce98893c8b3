import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
// The period lock's two refusals, as migration 0014 words them.
const lock = (expr: string) => `
  SELECT RAISE(ABORT, '该月份已月结锁定，不能再记账') WHERE EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(${expr}, 1, 7));
  SELECT RAISE(ABORT, '该日期早于已月结锁定的月份，不能再记账') WHERE substr(${expr}, 1, 7) < (SELECT max(period) FROM closed_periods);`;

/**
 * student_class_moves (issue 14 §6): a pupil moved between classes on a date. From that date on the pupil is in
 * `to_class` (students.class_name holds the current class); before it, in `from_class` — so a subsidised meal entered
 * late for a day before the move is recorded in the class the pupil ate in that day. One row per move, never changed;
 * a pupil's moves run forward in date (the app refuses a move dated on or before the pupil's latest one), and none is
 * dated on or before the latest closed month. Each row is snapshotted in its audit entry (entity 'student', action
 * 'move'), so verify notices a move added, changed or deleted behind the app's back.
 */
export const studentClassMoves: Migration = {
  name: '0016_student_class_moves',
  sql: `
CREATE TABLE student_class_moves (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  student_id TEXT NOT NULL REFERENCES students(id),
  from_class TEXT NOT NULL CHECK (length(from_class) BETWEEN 1 AND 30),
  to_class TEXT NOT NULL CHECK (length(to_class) BETWEEN 1 AND 30),
  effective_date TEXT NOT NULL CHECK (${date('effective_date')}),
  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  CHECK (from_class <> to_class),
  UNIQUE (student_id, effective_date)
) STRICT;

CREATE TRIGGER student_class_moves_order BEFORE INSERT ON student_class_moves
WHEN EXISTS (SELECT 1 FROM student_class_moves WHERE student_id = NEW.student_id AND effective_date >= NEW.effective_date)
BEGIN SELECT RAISE(ABORT, '调班日期必须晚于该学生上一次调班的日期'); END;
CREATE TRIGGER student_class_moves_lock BEFORE INSERT ON student_class_moves
WHEN substr(NEW.effective_date, 1, 7) <= (SELECT max(period) FROM closed_periods)
BEGIN${lock('NEW.effective_date')} END;
CREATE TRIGGER student_class_moves_no_update BEFORE UPDATE ON student_class_moves BEGIN SELECT RAISE(ABORT, '调班记录不能修改'); END;
CREATE TRIGGER student_class_moves_no_delete BEFORE DELETE ON student_class_moves BEGIN SELECT RAISE(ABORT, '调班记录不能删除'); END;
`,
};
