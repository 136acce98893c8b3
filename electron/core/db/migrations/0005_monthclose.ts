import type { Migration } from './index.ts';

const month = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')`;
const closed = (expr: string) => `EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(${expr}, 1, 7))`;
const LOCKED = '该月份已月结锁定，不能再记账';

/**
 * 月结 (DOMAIN.md §3): the month's lifecycle as an append-only event log — submit (会计), close (审核人: the lock, its
 * figures, checksum and revision), reopen (审核人, with a written reason). closed_periods stays the lock the journal
 * and the stock ledger read; the close path inserts the row right after its 'close' event, and the triggers below let
 * the row out only right after a 'reopen' event of that month (and never change it), so the lock cannot be lifted
 * behind the event log's back. (Inserting a lock directly only makes the books stricter; tests of other ledgers do.)
 * Bank statement balances entered for the checklist are append-only too (the latest per month and account counts).
 * Dated records of other ledgers that do not pass through the journal get the lock in SQL here as well.
 */
export const monthclose: Migration = {
  name: 'monthclose',
  sql: `
CREATE TABLE month_close_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL,
  month TEXT NOT NULL CHECK (${month('month')}),
  kind TEXT NOT NULL CHECK (kind IN ('submit','close','reopen')),
  revision INTEGER NOT NULL CHECK (revision >= 1),
  reason TEXT NOT NULL DEFAULT '',
  figures TEXT CHECK (figures IS NULL OR json_valid(figures)),
  audit_head TEXT CHECK (audit_head IS NULL OR length(audit_head) = 64),
  checksum TEXT CHECK (checksum IS NULL OR length(checksum) = 64),
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id),
  CHECK (kind <> 'close' OR (figures IS NOT NULL AND audit_head IS NOT NULL AND checksum IS NOT NULL)),
  CHECK (kind <> 'reopen' OR length(trim(reason)) >= 5)
) STRICT;
CREATE INDEX month_close_events_month ON month_close_events(month, seq);
CREATE TRIGGER month_close_events_no_update BEFORE UPDATE ON month_close_events BEGIN SELECT RAISE(ABORT, '月结记录不能修改'); END;
CREATE TRIGGER month_close_events_no_delete BEFORE DELETE ON month_close_events BEGIN SELECT RAISE(ABORT, '月结记录不能删除'); END;
CREATE TRIGGER month_close_events_order BEFORE INSERT ON month_close_events
BEGIN
  SELECT RAISE(ABORT, '该月已月结，不能重复提交或审核')
  WHERE NEW.kind IN ('submit','close') AND EXISTS (SELECT 1 FROM closed_periods WHERE period = NEW.month);
  SELECT RAISE(ABORT, '该月尚未月结，不能反结账')
  WHERE NEW.kind = 'reopen' AND NOT EXISTS (SELECT 1 FROM closed_periods WHERE period = NEW.month);
  SELECT RAISE(ABORT, '月结须先由会计提交')
  WHERE NEW.kind = 'close' AND coalesce((SELECT kind FROM month_close_events WHERE month = NEW.month ORDER BY seq DESC LIMIT 1), '') <> 'submit';
END;

CREATE TRIGGER closed_periods_no_update BEFORE UPDATE ON closed_periods BEGIN SELECT RAISE(ABORT, '月结锁定记录不能修改'); END;
CREATE TRIGGER closed_periods_delete BEFORE DELETE ON closed_periods
BEGIN
  SELECT RAISE(ABORT, '已月结的月份只能由审核人填写理由后反结账')
  WHERE coalesce((SELECT kind FROM month_close_events WHERE month = OLD.period ORDER BY seq DESC LIMIT 1), '') <> 'reopen';
END;

CREATE TABLE bank_statement_balances (
  seq INTEGER PRIMARY KEY,
  month TEXT NOT NULL CHECK (${month('month')}),
  account TEXT NOT NULL CHECK (account IN ('bank','subsidy_bank')),
  balance_fen INTEGER NOT NULL CHECK (abs(balance_fen) <= 10000000000000),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users(id)
) STRICT;
CREATE INDEX bank_statement_balances_month ON bank_statement_balances(month, account, seq);
CREATE TRIGGER bank_statement_balances_no_update BEFORE UPDATE ON bank_statement_balances BEGIN SELECT RAISE(ABORT, '银行对账余额记录不能修改，请重新录入'); END;
CREATE TRIGGER bank_statement_balances_no_delete BEFORE DELETE ON bank_statement_balances BEGIN SELECT RAISE(ABORT, '银行对账余额记录不能删除'); END;
CREATE TRIGGER bank_statement_balances_lock BEFORE INSERT ON bank_statement_balances
WHEN EXISTS (SELECT 1 FROM closed_periods WHERE period = NEW.month)
BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;

-- The lock for dated records that move no money through the journal themselves.
CREATE TRIGGER school_days_lock_insert BEFORE INSERT ON school_days WHEN ${closed('NEW.day')} BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
CREATE TRIGGER school_days_lock_delete BEFORE DELETE ON school_days WHEN ${closed('OLD.day')} BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
CREATE TRIGGER subsidy_meals_lock BEFORE INSERT ON subsidy_meals WHEN ${closed('NEW.meal_date')} BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
CREATE TRIGGER cash_clearings_lock BEFORE INSERT ON cash_clearings WHEN ${closed('NEW.day')} BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
CREATE TRIGGER fee_receipts_lock BEFORE INSERT ON fee_receipts WHEN ${closed('NEW.receipt_date')} BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
CREATE TRIGGER deliveries_lock_post BEFORE UPDATE ON deliveries
WHEN NEW.status = 'posted' AND OLD.status = 'draft' AND ${closed('NEW.delivery_date')} BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
CREATE TRIGGER supplier_statements_lock_insert BEFORE INSERT ON supplier_statements
WHEN EXISTS (SELECT 1 FROM closed_periods WHERE period = NEW.month) BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
CREATE TRIGGER supplier_statements_lock_update BEFORE UPDATE ON supplier_statements
WHEN EXISTS (SELECT 1 FROM closed_periods WHERE period = OLD.month) BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
CREATE TRIGGER stock_counts_lock BEFORE UPDATE ON stock_counts
WHEN EXISTS (SELECT 1 FROM closed_periods WHERE period = OLD.month) BEGIN SELECT RAISE(ABORT, '${LOCKED}'); END;
`,
};
