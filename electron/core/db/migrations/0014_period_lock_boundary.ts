import type { Migration } from './index.ts';

const IN_CLOSED = '该月份已月结锁定，不能再记账';
const BEFORE_CLOSED = '该日期早于已月结锁定的月份，不能再记账';

/** Two refusals for a date or month expression: inside a closed month, or before the latest closed month. */
const lock = (expr: string) => `
  SELECT RAISE(ABORT, '${IN_CLOSED}') WHERE EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(${expr}, 1, 7));
  SELECT RAISE(ABORT, '${BEFORE_CLOSED}') WHERE substr(${expr}, 1, 7) < (SELECT max(period) FROM closed_periods);`;

/** A WHEN clause: on or before the latest closed month (max on the primary key is one index step). */
const locked = (expr: string) => `substr(${expr}, 1, 7) <= (SELECT max(period) FROM closed_periods)`;

/**
 * The period lock as one boundary (issue 20): the app's own API moved a closed, published month by booking dates
 * before it (a month left open before a closed one, e.g. an empty summer month, or any date of an earlier year), which
 * the locks of migrations 0001, 0005 and 0007 let through because they asked only whether the date's own month was
 * closed. Months close in order and only the latest closed month can be reopened (monthclose.ts), so the lock is
 * "on or before the latest closed month". The same triggers are recreated with that boundary, and the dated record
 * tables that relied on their journal entry alone get it too, so an INSERT behind the app's back is refused there as
 * well. "Not after today" needs the app's clock and is held by the dispatcher and the journal (period-lock.ts).
 */
export const periodLockBoundary: Migration = {
  name: '0014_period_lock_boundary',
  sql: `
DROP TRIGGER journal_entry_insert;
CREATE TRIGGER journal_entry_insert BEFORE INSERT ON journal_entries
BEGIN
  SELECT RAISE(ABORT, '记账凭证必须先以未过账状态写入') WHERE NEW.status <> 'open';${lock('NEW.entry_date')}
END;

DROP TRIGGER stock_movements_insert;
CREATE TRIGGER stock_movements_insert BEFORE INSERT ON stock_movements
BEGIN${lock('NEW.move_date')}
  SELECT CASE
    WHEN NEW.move_date < l.received_on THEN RAISE(ABORT, '库存变动日期不能早于批次入库日期')
    WHEN b.q + NEW.qty_milli < 0 OR b.v + NEW.value_fen < 0 OR b.qd + NEW.qty_milli < 0 THEN RAISE(ABORT, '库存数量或金额不能为负数')
    WHEN b.q + NEW.qty_milli = 0 AND b.v + NEW.value_fen <> 0 THEN RAISE(ABORT, '批次数量为零时金额也必须为零')
    WHEN NEW.count_id IS NULL AND l.direct = 0 AND EXISTS (SELECT 1 FROM stock_counts WHERE status = 'posted' AND month >= substr(NEW.move_date, 1, 7))
      THEN RAISE(ABORT, '该月库房已盘点过账，不能再有库存变动')
  END
  FROM (SELECT coalesce(sum(qty_milli), 0) AS q, coalesce(sum(value_fen), 0) AS v,
          coalesce(sum(CASE WHEN move_date <= NEW.move_date THEN qty_milli END), 0) AS qd
        FROM stock_movements WHERE lot_id = NEW.lot_id) AS b
  LEFT JOIN stock_lots l ON l.id = NEW.lot_id;
END;

DROP TRIGGER bank_statement_balances_lock;
CREATE TRIGGER bank_statement_balances_lock BEFORE INSERT ON bank_statement_balances WHEN ${locked('NEW.month')} BEGIN${lock('NEW.month')} END;
DROP TRIGGER school_days_lock_insert;
CREATE TRIGGER school_days_lock_insert BEFORE INSERT ON school_days WHEN ${locked('NEW.day')} BEGIN${lock('NEW.day')} END;
DROP TRIGGER school_days_lock_delete;
CREATE TRIGGER school_days_lock_delete BEFORE DELETE ON school_days WHEN ${locked('OLD.day')} BEGIN${lock('OLD.day')} END;
DROP TRIGGER subsidy_meals_lock;
CREATE TRIGGER subsidy_meals_lock BEFORE INSERT ON subsidy_meals WHEN ${locked('NEW.meal_date')} BEGIN${lock('NEW.meal_date')} END;
DROP TRIGGER cash_clearings_lock;
CREATE TRIGGER cash_clearings_lock BEFORE INSERT ON cash_clearings WHEN ${locked('NEW.day')} BEGIN${lock('NEW.day')} END;
DROP TRIGGER fee_receipts_lock;
CREATE TRIGGER fee_receipts_lock BEFORE INSERT ON fee_receipts WHEN ${locked('NEW.receipt_date')} BEGIN${lock('NEW.receipt_date')} END;
DROP TRIGGER deliveries_lock_post;
CREATE TRIGGER deliveries_lock_post BEFORE UPDATE ON deliveries
WHEN NEW.status = 'posted' AND OLD.status = 'draft' AND ${locked('NEW.delivery_date')} BEGIN${lock('NEW.delivery_date')} END;
DROP TRIGGER supplier_statements_lock_insert;
CREATE TRIGGER supplier_statements_lock_insert BEFORE INSERT ON supplier_statements WHEN ${locked('NEW.month')} BEGIN${lock('NEW.month')} END;
DROP TRIGGER supplier_statements_lock_update;
CREATE TRIGGER supplier_statements_lock_update BEFORE UPDATE ON supplier_statements WHEN ${locked('OLD.month')} BEGIN${lock('OLD.month')} END;
DROP TRIGGER stock_counts_lock;
CREATE TRIGGER stock_counts_lock BEFORE UPDATE ON stock_counts WHEN ${locked('OLD.month')} BEGIN${lock('OLD.month')} END;

-- Dated records that were held only through their journal entry or stock movement in the same transaction.
CREATE TRIGGER fee_refunds_lock_insert BEFORE INSERT ON fee_refunds WHEN ${locked('NEW.approved_on')} BEGIN${lock('NEW.approved_on')} END;
CREATE TRIGGER fee_refunds_lock_pay BEFORE UPDATE ON fee_refunds
WHEN NEW.status = 'paid' AND OLD.status <> 'paid' AND ${locked('NEW.paid_on')} BEGIN${lock('NEW.paid_on')} END;
CREATE TRIGGER subsidy_batches_lock BEFORE INSERT ON subsidy_batches WHEN ${locked('NEW.meal_date')} BEGIN${lock('NEW.meal_date')} END;
CREATE TRIGGER subsidy_receipts_lock BEFORE INSERT ON subsidy_receipts WHEN ${locked('NEW.received_on')} BEGIN${lock('NEW.received_on')} END;
CREATE TRIGGER cash_deposits_lock BEFORE INSERT ON cash_deposits WHEN ${locked('NEW.deposit_date')} BEGIN${lock('NEW.deposit_date')} END;
CREATE TRIGGER supplier_payments_lock BEFORE INSERT ON supplier_payments WHEN ${locked('NEW.pay_date')} BEGIN${lock('NEW.pay_date')} END;
CREATE TRIGGER stock_issues_lock BEFORE INSERT ON stock_issues WHEN ${locked('NEW.issue_date')} BEGIN${lock('NEW.issue_date')} END;
`,
};
