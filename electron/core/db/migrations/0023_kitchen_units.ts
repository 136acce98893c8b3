import type { Migration } from './index.ts';

/**
 * Kitchen units (issue 15; shared/units.ts says the conversions and the rounding). An ingredient may declare the size
 * of its packages in its base unit (pack_sizes: {"箱": 24000} is 1 箱 = 24 of its unit, in thousandths), kept as
 * master data and audited with the ingredient (verify reads '{}' for entries written before, as this step sets).
 *
 * A delivery line received in another unit than its item's base unit keeps what the supplier billed in
 * delivery_line_units: the unit, the base thousandths in one of it (as they were that day), the quantity received and
 * rejected in it and the price per it. delivery_lines keeps its meaning for every reader (stock, disclosure, reports):
 * quantities in the base unit, derived exactly (received_milli × 1000 = quantity × size), the price per base unit
 * rounded half-up to the fen, and the amount = (received − rejected) × price per received unit rounded half-up once.
 * A separate table rather than new columns on delivery_lines: the row snapshots the chain already holds of every
 * delivery line stay exactly the rows verify reads (a line with no unit row is in its base unit, as all lines were).
 */
export const kitchenUnits: Migration = {
  name: '0023_kitchen_units',
  sql: `
ALTER TABLE ingredients ADD COLUMN pack_sizes TEXT NOT NULL DEFAULT '{}'
  CHECK (json_valid(pack_sizes) AND json_type(pack_sizes) = 'object');

CREATE TABLE delivery_line_units (
  delivery_id TEXT NOT NULL,
  line_no INTEGER NOT NULL CHECK (line_no BETWEEN 1 AND 200),
  unit TEXT NOT NULL CHECK (length(unit) BETWEEN 1 AND 8),
  unit_milli INTEGER NOT NULL CHECK (unit_milli > 0),
  received_milli INTEGER NOT NULL CHECK (received_milli > 0),
  rejected_milli INTEGER NOT NULL CHECK (rejected_milli >= 0 AND rejected_milli <= received_milli),
  unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
  PRIMARY KEY (delivery_id, line_no),
  FOREIGN KEY (delivery_id, line_no) REFERENCES delivery_lines (delivery_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER delivery_line_units_frozen_insert BEFORE INSERT ON delivery_line_units
WHEN (SELECT status FROM deliveries WHERE id = NEW.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改明细'); END;
CREATE TRIGGER delivery_line_units_frozen_update BEFORE UPDATE ON delivery_line_units
WHEN (SELECT status FROM deliveries WHERE id = OLD.delivery_id) IS NOT 'draft' OR (SELECT status FROM deliveries WHERE id = NEW.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改明细'); END;
CREATE TRIGGER delivery_line_units_frozen_delete BEFORE DELETE ON delivery_line_units
WHEN (SELECT status FROM deliveries WHERE id = OLD.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改明细'); END;

-- The line in base units is what the unit row says, exactly: quantities by the size, the amount from the unit price.
CREATE TRIGGER delivery_line_units_agree_insert BEFORE INSERT ON delivery_line_units
WHEN NOT EXISTS (
  SELECT 1 FROM delivery_lines l WHERE l.delivery_id = NEW.delivery_id AND l.line_no = NEW.line_no
    AND l.received_milli * 1000 = NEW.received_milli * NEW.unit_milli AND l.rejected_milli * 1000 = NEW.rejected_milli * NEW.unit_milli
    AND l.computed_amount_fen = ((NEW.received_milli - NEW.rejected_milli) * NEW.unit_price_fen + 500) / 1000)
BEGIN SELECT RAISE(ABORT, '明细的计量单位换算与数量、金额不一致'); END;
CREATE TRIGGER delivery_line_units_agree_update BEFORE UPDATE ON delivery_line_units
WHEN NOT EXISTS (
  SELECT 1 FROM delivery_lines l WHERE l.delivery_id = NEW.delivery_id AND l.line_no = NEW.line_no
    AND l.received_milli * 1000 = NEW.received_milli * NEW.unit_milli AND l.rejected_milli * 1000 = NEW.rejected_milli * NEW.unit_milli
    AND l.computed_amount_fen = ((NEW.received_milli - NEW.rejected_milli) * NEW.unit_price_fen + 500) / 1000)
BEGIN SELECT RAISE(ABORT, '明细的计量单位换算与数量、金额不一致'); END;
CREATE TRIGGER delivery_lines_units_agree BEFORE UPDATE ON delivery_lines
WHEN EXISTS (
  SELECT 1 FROM delivery_line_units u WHERE u.delivery_id = NEW.delivery_id AND u.line_no = NEW.line_no
    AND NOT (NEW.received_milli * 1000 = u.received_milli * u.unit_milli AND NEW.rejected_milli * 1000 = u.rejected_milli * u.unit_milli
      AND NEW.computed_amount_fen = ((u.received_milli - u.rejected_milli) * u.unit_price_fen + 500) / 1000))
BEGIN SELECT RAISE(ABORT, '明细的计量单位换算与数量、金额不一致'); END;
`,
};
