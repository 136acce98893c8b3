import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;

/**
 * The storeroom (DOMAIN.md §1 储存, 出库, 盘点): lots that accepted delivery lines became, an append-only ledger of
 * signed movements per lot (in, issue, adjustment; a reversal repeats the kind with the signs turned and points to
 * what it reverses), issue documents by date and meal, and the month-end count. On hand = the sum of a lot's
 * movements; the triggers refuse a movement that drives a lot below zero (in quantity or value, in total or as of
 * its date), a movement into a closed month, and any change to what was written.
 */
export const storeroom: Migration = {
  name: 'storeroom',
  sql: `
CREATE TABLE stock_lots (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  ingredient_id TEXT NOT NULL REFERENCES ingredients(id),
  delivery_id TEXT REFERENCES deliveries(id),
  line_no INTEGER CHECK (line_no IS NULL OR line_no BETWEEN 1 AND 200),
  received_on TEXT NOT NULL CHECK (${date('received_on')}),
  in_milli INTEGER NOT NULL CHECK (in_milli > 0),
  in_value_fen INTEGER NOT NULL CHECK (in_value_fen >= 0),
  unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
  expiry_date TEXT CHECK (expiry_date IS NULL OR ${date('expiry_date')}),
  storage_class TEXT NOT NULL CHECK (storage_class IN ('frozen','chilled','ambient')),
  -- 直进直出: issued to that day's kitchen in the same posting; never waits in the storeroom.
  direct INTEGER NOT NULL CHECK (direct IN (0, 1)),
  created_at TEXT NOT NULL,
  created_by TEXT,
  UNIQUE (delivery_id, line_no)
) STRICT;
CREATE INDEX stock_lots_item ON stock_lots(ingredient_id, expiry_date);
CREATE TRIGGER stock_lots_no_update BEFORE UPDATE ON stock_lots BEGIN SELECT RAISE(ABORT, '库存批次不能修改'); END;
CREATE TRIGGER stock_lots_no_delete BEFORE DELETE ON stock_lots BEGIN SELECT RAISE(ABORT, '库存批次不能删除'); END;

-- 出库单: one per issue to the kitchen (date and meal); direct issues of a delivery have meal NULL.
CREATE TABLE stock_issues (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  number TEXT NOT NULL UNIQUE CHECK (number GLOB 'CK[0-9][0-9][0-9][0-9]-[0-9]*'),
  issue_date TEXT NOT NULL CHECK (${date('issue_date')}),
  meal TEXT CHECK (meal IS NULL OR meal IN ('breakfast','lunch','dinner')),
  delivery_id TEXT REFERENCES deliveries(id),
  note TEXT NOT NULL DEFAULT '',
  reverses TEXT UNIQUE REFERENCES stock_issues(id),
  created_at TEXT NOT NULL,
  created_by TEXT,
  CHECK (meal IS NOT NULL OR delivery_id IS NOT NULL OR reverses IS NOT NULL)
) STRICT;
CREATE INDEX stock_issues_date ON stock_issues(issue_date, meal);
CREATE TRIGGER stock_issues_no_update BEFORE UPDATE ON stock_issues BEGIN SELECT RAISE(ABORT, '出库单不能修改，只能冲销'); END;
CREATE TRIGGER stock_issues_no_delete BEFORE DELETE ON stock_issues BEGIN SELECT RAISE(ABORT, '出库单不能删除，只能冲销'); END;

-- 盘点: one per month; open while counted quantities are entered, posted once (the differences become adjustments).
CREATE TABLE stock_counts (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  month TEXT NOT NULL UNIQUE CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  status TEXT NOT NULL CHECK (status IN ('open','posted')),
  started_at TEXT NOT NULL,
  started_by TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  posted_at TEXT,
  posted_by TEXT,
  CHECK (status <> 'posted' OR posted_at IS NOT NULL)
) STRICT;
CREATE TRIGGER stock_counts_update BEFORE UPDATE ON stock_counts
BEGIN
  SELECT RAISE(ABORT, '已过账的盘点不能修改') WHERE OLD.status <> 'open' OR NEW.id IS NOT OLD.id OR NEW.month IS NOT OLD.month
    OR NEW.started_at IS NOT OLD.started_at OR NEW.started_by IS NOT OLD.started_by OR NEW.origin IS NOT OLD.origin;
END;
CREATE TRIGGER stock_counts_no_delete BEFORE DELETE ON stock_counts BEGIN SELECT RAISE(ABORT, '盘点记录不能删除'); END;

CREATE TABLE stock_count_lines (
  count_id TEXT NOT NULL REFERENCES stock_counts(id),
  lot_id TEXT NOT NULL REFERENCES stock_lots(id),
  book_milli INTEGER NOT NULL CHECK (book_milli >= 0),
  book_value_fen INTEGER NOT NULL CHECK (book_value_fen >= 0),
  counted_milli INTEGER CHECK (counted_milli IS NULL OR counted_milli >= 0),
  reason TEXT CHECK (reason IS NULL OR reason IN ('loss','expired','count_gain','count_loss')),
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (count_id, lot_id),
  CHECK (reason IS NULL OR counted_milli IS NOT NULL),
  CHECK (reason IS NULL OR (counted_milli <> book_milli AND (reason = 'count_gain') = (counted_milli > book_milli)))
) STRICT, WITHOUT ROWID;
CREATE TRIGGER stock_count_lines_insert BEFORE INSERT ON stock_count_lines
WHEN (SELECT status FROM stock_counts WHERE id = NEW.count_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, '已过账的盘点不能修改'); END;
CREATE TRIGGER stock_count_lines_update BEFORE UPDATE ON stock_count_lines
WHEN (SELECT status FROM stock_counts WHERE id = OLD.count_id) IS NOT 'open' OR NEW.count_id IS NOT OLD.count_id OR NEW.lot_id IS NOT OLD.lot_id
BEGIN SELECT RAISE(ABORT, '已过账的盘点不能修改'); END;
CREATE TRIGGER stock_count_lines_delete BEFORE DELETE ON stock_count_lines
WHEN (SELECT status FROM stock_counts WHERE id = OLD.count_id) IS NOT 'open'
BEGIN SELECT RAISE(ABORT, '已过账的盘点不能修改'); END;

-- Signed: in +, issue −, adjustment ±; a reversal keeps the kind, turns the signs and names what it reverses.
CREATE TABLE stock_movements (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL,
  lot_id TEXT NOT NULL REFERENCES stock_lots(id),
  kind TEXT NOT NULL CHECK (kind IN ('in','issue','adjustment')),
  move_date TEXT NOT NULL CHECK (${date('move_date')}),
  qty_milli INTEGER NOT NULL CHECK (qty_milli <> 0),
  value_fen INTEGER NOT NULL,
  issue_id TEXT REFERENCES stock_issues(id),
  count_id TEXT REFERENCES stock_counts(id),
  reason TEXT CHECK (reason IS NULL OR reason IN ('loss','expired','count_gain','count_loss')),
  note TEXT NOT NULL DEFAULT '',
  reverses TEXT UNIQUE REFERENCES stock_movements(id),
  created_at TEXT NOT NULL,
  created_by TEXT,
  CHECK (kind <> 'in' OR (reverses IS NULL AND qty_milli > 0 AND value_fen >= 0) OR (reverses IS NOT NULL AND qty_milli < 0 AND value_fen <= 0)),
  CHECK (kind <> 'issue' OR (issue_id IS NOT NULL AND ((reverses IS NULL AND qty_milli < 0 AND value_fen <= 0) OR (reverses IS NOT NULL AND qty_milli > 0 AND value_fen >= 0)))),
  CHECK ((kind = 'adjustment') = (reason IS NOT NULL)),
  CHECK (reason IS NULL OR (reason = 'count_gain') = (qty_milli > 0)),
  CHECK (sign(value_fen) = 0 OR sign(value_fen) = sign(qty_milli))
) STRICT;
CREATE INDEX stock_movements_lot ON stock_movements(lot_id, move_date);
CREATE INDEX stock_movements_date ON stock_movements(move_date, kind);
CREATE INDEX stock_movements_issue ON stock_movements(issue_id);

CREATE TRIGGER stock_movements_insert BEFORE INSERT ON stock_movements
BEGIN
  SELECT RAISE(ABORT, '该月份已月结锁定，不能再记账') WHERE EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(NEW.move_date, 1, 7));
  SELECT RAISE(ABORT, '库存变动日期不能早于批次入库日期') WHERE NEW.move_date < (SELECT received_on FROM stock_lots WHERE id = NEW.lot_id);
  SELECT RAISE(ABORT, '库存数量或金额不能为负数')
  WHERE (SELECT coalesce(sum(qty_milli), 0) FROM stock_movements WHERE lot_id = NEW.lot_id) + NEW.qty_milli < 0
     OR (SELECT coalesce(sum(value_fen), 0) FROM stock_movements WHERE lot_id = NEW.lot_id) + NEW.value_fen < 0
     OR (SELECT coalesce(sum(qty_milli), 0) FROM stock_movements WHERE lot_id = NEW.lot_id AND move_date <= NEW.move_date) + NEW.qty_milli < 0;
  SELECT RAISE(ABORT, '批次数量为零时金额也必须为零')
  WHERE (SELECT coalesce(sum(qty_milli), 0) FROM stock_movements WHERE lot_id = NEW.lot_id) + NEW.qty_milli = 0
    AND (SELECT coalesce(sum(value_fen), 0) FROM stock_movements WHERE lot_id = NEW.lot_id) + NEW.value_fen <> 0;
  SELECT RAISE(ABORT, '该月库房已盘点过账，不能再有库存变动')
  WHERE NEW.count_id IS NULL AND (SELECT direct FROM stock_lots WHERE id = NEW.lot_id) = 0
    AND EXISTS (SELECT 1 FROM stock_counts WHERE status = 'posted' AND month >= substr(NEW.move_date, 1, 7));
END;
CREATE TRIGGER stock_movements_no_update BEFORE UPDATE ON stock_movements BEGIN SELECT RAISE(ABORT, '库存流水不能修改，只能冲销'); END;
CREATE TRIGGER stock_movements_no_delete BEFORE DELETE ON stock_movements BEGIN SELECT RAISE(ABORT, '库存流水不能删除，只能冲销'); END;
`,
};
