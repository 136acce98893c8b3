import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const MAX = 100000000000; // 10 亿元, as MAX_FEN in shared/api/fields.ts

/**
 * 期初建账 (issue 14 §2, DOMAIN.md §7): what a school already holds on the day it starts its books here — the money in
 * each fund (食堂专户, 营养改善计划专户, cash), the stock on hand as lots, pupils' prepayments and arrears, what it owes
 * suppliers. One opening per ledger (the singleton), entered as a draft by the 会计, submitted, and approved by a
 * 审核人 who did not submit it; the approval posts it (electron/core/domains/opening.ts) and it never changes again.
 *
 * The opening is dated the last day of a month (the month before the first month of business), so the first month's
 * 一、上月累计结余 is the opening and nothing else. After it is posted nothing is booked on or before that date
 * (journal entries and stock movements are refused here; the app says so first, period-lock.ts), so the opening's
 * month holds the opening alone. It cannot be posted once any month has been closed.
 *
 * A stock line carries the id its lot will have (lot_id, chosen when the line is saved), so a lot points back to its
 * line without either being changed at posting. Lines are written and removed only while the opening is a draft.
 *
 * The journal keeps the subsidy apart from fee money and cash (journal_subsidy_apart, migration 0003). The opening
 * entry states balances held on one day and moves no money between them, so it alone may hold both (source_type
 * 'opening', with the opening's row being submitted): the trigger is replaced with that one exception.
 */
export const opening: Migration = {
  name: '0017_opening',
  sql: `
CREATE TABLE openings (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  singleton INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1),
  opening_date TEXT NOT NULL CHECK (${date('opening_date')} AND opening_date = date(opening_date, 'start of month', '+1 month', '-1 day')),
  status TEXT NOT NULL CHECK (status IN ('draft','submitted','posted')),
  bank_fen INTEGER NOT NULL CHECK (bank_fen BETWEEN 0 AND ${MAX}),
  subsidy_bank_fen INTEGER NOT NULL CHECK (subsidy_bank_fen BETWEEN 0 AND ${MAX}),
  cash_fen INTEGER NOT NULL CHECK (cash_fen BETWEEN 0 AND ${MAX}),
  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES users(id),
  submitted_at TEXT,
  submitted_by TEXT REFERENCES users(id),
  approved_at TEXT,
  approved_by TEXT REFERENCES users(id),
  entry_id TEXT REFERENCES journal_entries(id),
  CHECK ((status = 'draft') = (submitted_at IS NULL AND submitted_by IS NULL)),
  CHECK ((status = 'posted') = (approved_at IS NOT NULL AND approved_by IS NOT NULL)),
  CHECK (status = 'posted' OR entry_id IS NULL),
  CHECK (approved_by IS NULL OR approved_by <> submitted_by)
) STRICT;

CREATE TRIGGER openings_update BEFORE UPDATE ON openings
BEGIN
  SELECT RAISE(ABORT, '期初建账已过账，不能修改') WHERE OLD.status = 'posted';
  SELECT RAISE(ABORT, '期初建账的状态只能由草稿提交、退回草稿或审核过账')
  WHERE NOT ((OLD.status = 'draft' AND NEW.status IN ('draft','submitted')) OR (OLD.status = 'submitted' AND NEW.status IN ('draft','posted')));
  SELECT RAISE(ABORT, '期初建账只能在草稿状态下修改')
  WHERE NEW.id IS NOT OLD.id OR NEW.origin IS NOT OLD.origin OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by
     OR (NOT (OLD.status = 'draft' AND NEW.status = 'draft')
         AND (NEW.opening_date IS NOT OLD.opening_date OR NEW.bank_fen IS NOT OLD.bank_fen OR NEW.subsidy_bank_fen IS NOT OLD.subsidy_bank_fen
              OR NEW.cash_fen IS NOT OLD.cash_fen OR NEW.note IS NOT OLD.note));
  SELECT RAISE(ABORT, '已有月份月结，不能再过账期初建账')
  WHERE NEW.status = 'posted' AND (EXISTS (SELECT 1 FROM closed_periods) OR EXISTS (SELECT 1 FROM month_close_events WHERE kind = 'close'));
END;
CREATE TRIGGER openings_no_delete BEFORE DELETE ON openings BEGIN SELECT RAISE(ABORT, '期初建账不能删除'); END;

CREATE TABLE opening_lines (
  opening_id TEXT NOT NULL REFERENCES openings(id),
  line_no INTEGER NOT NULL CHECK (line_no BETWEEN 1 AND 20000),
  kind TEXT NOT NULL CHECK (kind IN ('stock','prepaid','arrears','payable')),
  ingredient_id TEXT REFERENCES ingredients(id),
  qty_milli INTEGER CHECK (qty_milli IS NULL OR qty_milli BETWEEN 1 AND 1000000000000),
  expiry_date TEXT CHECK (expiry_date IS NULL OR ${date('expiry_date')}),
  storage_class TEXT CHECK (storage_class IS NULL OR storage_class IN ('frozen','chilled','ambient')),
  lot_id TEXT UNIQUE,
  student_id TEXT REFERENCES students(id),
  supplier_id TEXT REFERENCES suppliers(id),
  amount_fen INTEGER NOT NULL CHECK (amount_fen BETWEEN 0 AND ${MAX}),
  note TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 200),
  PRIMARY KEY (opening_id, line_no),
  CHECK ((kind = 'stock') = (ingredient_id IS NOT NULL AND qty_milli IS NOT NULL AND storage_class IS NOT NULL AND lot_id IS NOT NULL)),
  CHECK (kind = 'stock' OR (expiry_date IS NULL AND ingredient_id IS NULL AND qty_milli IS NULL AND storage_class IS NULL AND lot_id IS NULL)),
  CHECK ((kind IN ('prepaid','arrears')) = (student_id IS NOT NULL)),
  CHECK ((kind = 'payable') = (supplier_id IS NOT NULL)),
  CHECK (kind = 'stock' OR amount_fen > 0)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER opening_lines_insert BEFORE INSERT ON opening_lines
WHEN (SELECT status FROM openings WHERE id = NEW.opening_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '期初建账只能在草稿状态下修改'); END;
CREATE TRIGGER opening_lines_no_update BEFORE UPDATE ON opening_lines BEGIN SELECT RAISE(ABORT, '期初明细不能修改，请重新保存草稿'); END;
CREATE TRIGGER opening_lines_delete BEFORE DELETE ON opening_lines
WHEN (SELECT status FROM openings WHERE id = OLD.opening_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '期初建账只能在草稿状态下修改'); END;

-- After the opening is posted its date is the start of the books: nothing else is dated on or before it.
CREATE TRIGGER journal_entry_after_opening BEFORE INSERT ON journal_entries
WHEN NEW.source_type <> 'opening' AND NEW.entry_date <= (SELECT opening_date FROM openings WHERE status = 'posted')
BEGIN SELECT RAISE(ABORT, '该日期不晚于期初建账日，不能再记账'); END;
CREATE TRIGGER stock_movement_after_opening BEFORE INSERT ON stock_movements
WHEN NEW.move_date <= (SELECT opening_date FROM openings WHERE status = 'posted')
BEGIN SELECT RAISE(ABORT, '该日期不晚于期初建账日，不能再记账'); END;

DROP TRIGGER journal_subsidy_apart;
CREATE TRIGGER journal_subsidy_apart BEFORE UPDATE ON journal_entries
WHEN NEW.status = 'posted'
  AND EXISTS (SELECT 1 FROM journal_postings WHERE entry_id = NEW.id AND account IN ('subsidy_bank','subsidy_receivable','income:subsidy'))
  AND EXISTS (SELECT 1 FROM journal_postings WHERE entry_id = NEW.id AND account IN ('cash','ewallet','income:fees','income:refunds','refunds_payable','cash_over_short'))
  AND NOT (NEW.source_type = 'opening' AND EXISTS (SELECT 1 FROM openings WHERE id = NEW.source_id AND status = 'submitted')
           AND NOT EXISTS (SELECT 1 FROM journal_postings WHERE entry_id = NEW.id AND account LIKE 'income:%'))
BEGIN SELECT RAISE(ABORT, '营养改善计划补助专款专用：不得与伙食费混记，不得以现金支付'); END;
`,
};
