import type { Migration } from './index.ts';

/**
 * Posting speed (issue 8, docs/PERFORMANCE.md finding 3). Same rules, less work per row and fewer pages per commit:
 *
 * - stock_movements_insert: the one BEFORE INSERT trigger ran five separate sums over the lot's movements (on hand,
 *   value, on hand as of the date, and on hand and value again for the zero rule), each its own index search and row
 *   reads, plus two more lookups of the lot. It now reads the lot's movements once (one aggregate: quantity, value,
 *   quantity as of the movement's date) and the lot row once, and raises the same messages in the same order:
 *   closed month; date before the lot came in; quantity or value below zero (in total or as of the date); value left
 *   on a lot with no quantity; a stored lot moved in or before a month whose count is posted.
 * - stock_lots_item served one query only, the issue candidates, which always ask for stored lots (direct = 0). As a
 *   full index every 直进直出 lot (most lots: every non-storable line of every delivery) wrote a page at a random place
 *   of it; on the one-year ledger that was 36–46 of the ~145 pages a 30-line posting commits (each page is written to
 *   the WAL and synced). Partial on direct = 0 it serves the same query and costs direct lots nothing.
 */
export const postingSpeed: Migration = {
  name: '0007_posting_speed',
  sql: `
DROP TRIGGER stock_movements_insert;
CREATE TRIGGER stock_movements_insert BEFORE INSERT ON stock_movements
BEGIN
  SELECT RAISE(ABORT, '该月份已月结锁定，不能再记账') WHERE EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(NEW.move_date, 1, 7));
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

DROP INDEX stock_lots_item;
CREATE INDEX stock_lots_stored_item ON stock_lots(ingredient_id, expiry_date) WHERE direct = 0;
`,
};
