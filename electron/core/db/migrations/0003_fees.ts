import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const who = `created_at TEXT NOT NULL, created_by TEXT NOT NULL`;

/**
 * Meal fees, refunds, the nutrition subsidy and daily cash clearing (DOMAIN.md §2, §3). Receipts, refunds, subsidised
 * meals, clearings and deposits are never deleted; the only changes allowed are the status transitions (void, pay)
 * written out in the triggers below. Money is kept apart: an entry that touches the subsidy accounts may not touch
 * cash or the fee accounts, and nothing touching cash posts into a cleared day
 * (or any day before it).
 */
export const fees: Migration = {
  name: 'fees',
  sql: `
INSERT INTO accounts (code, name, kind) VALUES ('cash_over_short', '现金长短款（待处理）', 'expense');

CREATE TABLE meal_plans (
  code TEXT PRIMARY KEY CHECK (code IN ('lunch','two','boarding')),
  name TEXT NOT NULL,
  daily_rate_fen INTEGER NOT NULL CHECK (daily_rate_fen BETWEEN 0 AND 100000),
  updated_at TEXT NOT NULL,
  updated_by TEXT
) STRICT;
INSERT INTO meal_plans (code, name, daily_rate_fen, updated_at) VALUES
  ('lunch', '午餐', 600, '2000-01-01T00:00:00.000Z'),
  ('two', '两餐', 1000, '2000-01-01T00:00:00.000Z'),
  ('boarding', '三餐寄宿', 1500, '2000-01-01T00:00:00.000Z');

CREATE TABLE students (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  student_no TEXT NOT NULL UNIQUE CHECK (length(student_no) BETWEEN 1 AND 20),
  name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 30),
  class_name TEXT NOT NULL CHECK (length(trim(class_name)) BETWEEN 1 AND 30),
  meal_plan TEXT NOT NULL REFERENCES meal_plans(code),
  subsidy_eligible INTEGER NOT NULL CHECK (subsidy_eligible IN (0, 1)),
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  py_initials TEXT NOT NULL,
  py_full TEXT NOT NULL,
  ${who},
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;
CREATE INDEX students_class ON students(class_name, student_no);
CREATE TRIGGER students_no_delete BEFORE DELETE ON students BEGIN SELECT RAISE(ABORT, '学生记录不能删除，请设为离校'); END;

CREATE TABLE school_days (
  day TEXT PRIMARY KEY CHECK (${date('day')}),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE terms (
  code TEXT PRIMARY KEY CHECK (code GLOB '[0-9][0-9][0-9][0-9][春秋]'),
  name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 30),
  start_date TEXT NOT NULL CHECK (${date('start_date')}),
  end_date TEXT NOT NULL CHECK (${date('end_date')}),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  CHECK (start_date <= end_date)
) STRICT;

CREATE TABLE fee_receipts (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  number TEXT NOT NULL UNIQUE,
  receipt_date TEXT NOT NULL CHECK (${date('receipt_date')}),
  student_id TEXT NOT NULL REFERENCES students(id),
  period_key TEXT NOT NULL,
  period_label TEXT NOT NULL,
  period_start TEXT NOT NULL CHECK (${date('period_start')}),
  period_end TEXT NOT NULL CHECK (${date('period_end')}),
  days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 366),
  daily_rate_fen INTEGER NOT NULL CHECK (daily_rate_fen BETWEEN 0 AND 100000),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0 AND amount_fen <= 100000000),
  override_reason TEXT NOT NULL DEFAULT '',
  method TEXT NOT NULL CHECK (method IN ('cash','bank','wechat','alipay')),
  status TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid','void')),
  void_reason TEXT,
  void_date TEXT CHECK (void_date IS NULL OR ${date('void_date')}),
  voided_at TEXT,
  voided_by TEXT,
  ${who},
  CHECK (amount_fen = days * daily_rate_fen OR length(trim(override_reason)) > 0),
  CHECK ((status = 'valid' AND void_reason IS NULL AND void_date IS NULL AND voided_at IS NULL AND voided_by IS NULL)
      OR (status = 'void' AND void_reason IS NOT NULL AND length(trim(void_reason)) > 0 AND void_date IS NOT NULL AND voided_at IS NOT NULL AND voided_by IS NOT NULL))
) STRICT;
CREATE UNIQUE INDEX fee_receipts_one_valid ON fee_receipts(student_id, period_key) WHERE status = 'valid';
CREATE INDEX fee_receipts_date ON fee_receipts(receipt_date);
CREATE TRIGGER fee_receipts_immutable BEFORE UPDATE ON fee_receipts
BEGIN
  SELECT RAISE(ABORT, '收据开出后不能修改，只能作废') WHERE OLD.status <> 'valid' OR NEW.status <> 'void'
    OR NEW.id IS NOT OLD.id OR NEW.origin IS NOT OLD.origin OR NEW.number IS NOT OLD.number OR NEW.receipt_date IS NOT OLD.receipt_date
    OR NEW.student_id IS NOT OLD.student_id OR NEW.period_key IS NOT OLD.period_key OR NEW.period_label IS NOT OLD.period_label
    OR NEW.period_start IS NOT OLD.period_start OR NEW.period_end IS NOT OLD.period_end OR NEW.days IS NOT OLD.days
    OR NEW.daily_rate_fen IS NOT OLD.daily_rate_fen OR NEW.amount_fen IS NOT OLD.amount_fen OR NEW.override_reason IS NOT OLD.override_reason
    OR NEW.method IS NOT OLD.method OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by;
END;
CREATE TRIGGER fee_receipts_no_delete BEFORE DELETE ON fee_receipts BEGIN SELECT RAISE(ABORT, '收据不能删除，只能作废'); END;

CREATE TABLE fee_refunds (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  number TEXT NOT NULL UNIQUE,
  student_id TEXT NOT NULL REFERENCES students(id),
  reason TEXT NOT NULL CHECK (reason IN ('leave','illness','transfer','canteen')),
  notice_date TEXT NOT NULL CHECK (${date('notice_date')}),
  first_day TEXT NOT NULL CHECK (${date('first_day')}),
  last_day TEXT NOT NULL CHECK (${date('last_day')}),
  days INTEGER NOT NULL CHECK (days BETWEEN 1 AND 366),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  applied_on TEXT NOT NULL CHECK (${date('applied_on')}),
  teacher_name TEXT NOT NULL CHECK (length(trim(teacher_name)) BETWEEN 1 AND 30),
  teacher_confirmed_on TEXT NOT NULL CHECK (${date('teacher_confirmed_on')}),
  note TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('approved','paid','void')),
  approved_on TEXT NOT NULL CHECK (${date('approved_on')}),
  paid_on TEXT CHECK (paid_on IS NULL OR ${date('paid_on')}),
  pay_method TEXT CHECK (pay_method IS NULL OR pay_method IN ('cash','bank')),
  paid_at TEXT,
  paid_by TEXT,
  void_reason TEXT,
  void_date TEXT,
  voided_at TEXT,
  voided_by TEXT,
  ${who},
  CHECK (first_day <= last_day AND notice_date <= last_day),
  CHECK ((status = 'paid') = (paid_on IS NOT NULL AND pay_method IS NOT NULL AND paid_at IS NOT NULL AND paid_by IS NOT NULL)),
  CHECK ((status = 'void') = (void_reason IS NOT NULL AND length(trim(void_reason)) > 0 AND void_date IS NOT NULL AND voided_at IS NOT NULL AND voided_by IS NOT NULL))
) STRICT;
CREATE INDEX fee_refunds_student ON fee_refunds(student_id, first_day);
CREATE TRIGGER fee_refunds_transitions BEFORE UPDATE ON fee_refunds
BEGIN
  SELECT RAISE(ABORT, '退费只能由已批准改为已退付或作废') WHERE OLD.status <> 'approved' OR NEW.status NOT IN ('paid','void')
    OR NEW.id IS NOT OLD.id OR NEW.number IS NOT OLD.number OR NEW.student_id IS NOT OLD.student_id OR NEW.reason IS NOT OLD.reason
    OR NEW.notice_date IS NOT OLD.notice_date OR NEW.first_day IS NOT OLD.first_day OR NEW.last_day IS NOT OLD.last_day
    OR NEW.days IS NOT OLD.days OR NEW.amount_fen IS NOT OLD.amount_fen OR NEW.applied_on IS NOT OLD.applied_on
    OR NEW.teacher_name IS NOT OLD.teacher_name OR NEW.teacher_confirmed_on IS NOT OLD.teacher_confirmed_on OR NEW.note IS NOT OLD.note
    OR NEW.approved_on IS NOT OLD.approved_on OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR NEW.origin IS NOT OLD.origin;
END;
CREATE TRIGGER fee_refunds_no_delete BEFORE DELETE ON fee_refunds BEGIN SELECT RAISE(ABORT, '退费记录不能删除，只能作废'); END;

CREATE TABLE subsidy_batches (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  class_name TEXT NOT NULL,
  meal_date TEXT NOT NULL CHECK (${date('meal_date')}),
  students INTEGER NOT NULL CHECK (students > 0),
  rate_fen INTEGER NOT NULL CHECK (rate_fen >= 0),
  amount_fen INTEGER NOT NULL CHECK (amount_fen = students * rate_fen),
  ${who}
) STRICT;
CREATE TABLE subsidy_meals (
  batch_id TEXT NOT NULL REFERENCES subsidy_batches(id),
  student_id TEXT NOT NULL REFERENCES students(id),
  meal_date TEXT NOT NULL CHECK (${date('meal_date')}),
  rate_fen INTEGER NOT NULL CHECK (rate_fen >= 0),
  PRIMARY KEY (student_id, meal_date)
) STRICT, WITHOUT ROWID;
CREATE INDEX subsidy_meals_date ON subsidy_meals(meal_date);
CREATE TRIGGER subsidy_meals_eligible BEFORE INSERT ON subsidy_meals
BEGIN
  SELECT RAISE(ABORT, '只有在读的受助学生才能登记营养改善计划就餐')
    WHERE NOT EXISTS (SELECT 1 FROM students WHERE id = NEW.student_id AND subsidy_eligible = 1 AND active = 1);
END;
CREATE TRIGGER subsidy_meals_no_update BEFORE UPDATE ON subsidy_meals BEGIN SELECT RAISE(ABORT, '受助就餐记录不能修改'); END;
CREATE TRIGGER subsidy_meals_no_delete BEFORE DELETE ON subsidy_meals BEGIN SELECT RAISE(ABORT, '受助就餐记录不能删除'); END;
CREATE TRIGGER subsidy_batches_no_update BEFORE UPDATE ON subsidy_batches BEGIN SELECT RAISE(ABORT, '受助就餐记录不能修改'); END;
CREATE TRIGGER subsidy_batches_no_delete BEFORE DELETE ON subsidy_batches BEGIN SELECT RAISE(ABORT, '受助就餐记录不能删除'); END;

CREATE TABLE subsidy_receipts (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  received_on TEXT NOT NULL CHECK (${date('received_on')}),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  note TEXT NOT NULL DEFAULT '',
  ${who}
) STRICT;
CREATE TRIGGER subsidy_receipts_no_update BEFORE UPDATE ON subsidy_receipts BEGIN SELECT RAISE(ABORT, '补助到账记录不能修改'); END;
CREATE TRIGGER subsidy_receipts_no_delete BEFORE DELETE ON subsidy_receipts BEGIN SELECT RAISE(ABORT, '补助到账记录不能删除'); END;

CREATE TABLE cash_clearings (
  day TEXT PRIMARY KEY CHECK (${date('day')}),
  origin TEXT NOT NULL,
  book_balance_fen INTEGER NOT NULL,
  counted_fen INTEGER NOT NULL CHECK (counted_fen >= 0),
  difference_fen INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  ${who},
  CHECK (difference_fen = counted_fen - book_balance_fen),
  CHECK (difference_fen = 0 OR length(trim(reason)) > 0)
) STRICT;
CREATE TRIGGER cash_clearings_no_update BEFORE UPDATE ON cash_clearings BEGIN SELECT RAISE(ABORT, '日清记录不能修改'); END;
CREATE TRIGGER cash_clearings_no_delete BEFORE DELETE ON cash_clearings BEGIN SELECT RAISE(ABORT, '日清记录不能删除'); END;

CREATE TABLE cash_deposits (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  number TEXT NOT NULL UNIQUE,
  deposit_date TEXT NOT NULL CHECK (${date('deposit_date')}),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  note TEXT NOT NULL DEFAULT '',
  ${who}
) STRICT;
CREATE TRIGGER cash_deposits_no_update BEFORE UPDATE ON cash_deposits BEGIN SELECT RAISE(ABORT, '送存记录不能修改'); END;
CREATE TRIGGER cash_deposits_no_delete BEFORE DELETE ON cash_deposits BEGIN SELECT RAISE(ABORT, '送存记录不能删除'); END;

-- Checked when an entry is marked posted (all its postings are in by then). A cleared day closes the cash book up to
-- and including that day.
CREATE TRIGGER journal_cleared_day BEFORE UPDATE ON journal_entries
WHEN NEW.status = 'posted' AND EXISTS (SELECT 1 FROM cash_clearings WHERE day >= NEW.entry_date)
  AND EXISTS (SELECT 1 FROM journal_postings WHERE entry_id = NEW.id AND account = 'cash')
BEGIN SELECT RAISE(ABORT, '该日现金已日清结账，不能再记入现金收付'); END;
CREATE TRIGGER journal_subsidy_apart BEFORE UPDATE ON journal_entries
WHEN NEW.status = 'posted'
  AND EXISTS (SELECT 1 FROM journal_postings WHERE entry_id = NEW.id AND account IN ('subsidy_bank','subsidy_receivable','income:subsidy'))
  AND EXISTS (SELECT 1 FROM journal_postings WHERE entry_id = NEW.id AND account IN ('cash','ewallet','income:fees','income:refunds','refunds_payable','cash_over_short'))
BEGIN SELECT RAISE(ABORT, '营养改善计划补助专款专用：不得与伙食费混记，不得以现金支付'); END;
`,
};
