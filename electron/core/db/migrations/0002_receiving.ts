import type { Migration } from './index.ts';

const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const bool = (col: string) => `${col} INTEGER NOT NULL DEFAULT 1 CHECK (${col} IN (0, 1))`;

/** Every header column but the three the posted → cancelled step fills in (and status itself). */
const FROZEN_HEADER = [
  'id', 'origin', 'number', 'delivery_date', 'arrival_time', 'supplier_id', 'note_number', 'witness_user_id', 'witness_name',
  'warning_notes', 'warning_note', 'remark', 'total_fen', 'findings', 'amends', 'created_at', 'created_by', 'updated_at',
  'updated_by', 'posted_at', 'posted_by',
];

/**
 * Receiving (DOMAIN.md §1): deliveries as documents (draft → posted → cancelled, amended copies point back), their
 * lines and inspectors, attachments stored by content hash, supplier statements and payments. The API validates
 * all of this first; the CHECKs and triggers hold it again for anything that writes SQL directly.
 */
export const receiving: Migration = {
  name: 'receiving',
  sql: `
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft','posted','cancelled')),
  number TEXT UNIQUE CHECK (number IS NULL OR number GLOB 'YS[0-9][0-9][0-9][0-9]-[0-9]*'),
  delivery_date TEXT NOT NULL CHECK (${date('delivery_date')}),
  arrival_time TEXT CHECK (arrival_time IS NULL OR arrival_time GLOB '[0-2][0-9]:[0-5][0-9]'),
  supplier_id TEXT NOT NULL REFERENCES suppliers(id),
  note_number TEXT NOT NULL DEFAULT '',
  witness_user_id TEXT REFERENCES users(id),
  witness_name TEXT NOT NULL DEFAULT '',
  warning_notes TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(warning_notes) AND json_type(warning_notes) = 'array'),
  warning_note TEXT NOT NULL DEFAULT '',
  remark TEXT NOT NULL DEFAULT '',
  total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
  findings TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(findings) AND json_type(findings) = 'array'),
  amends TEXT REFERENCES deliveries(id),
  created_at TEXT NOT NULL,
  created_by TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  posted_at TEXT,
  posted_by TEXT,
  cancelled_at TEXT,
  cancelled_by TEXT,
  cancel_reason TEXT,
  CHECK (status <> 'draft' OR number IS NULL),
  CHECK (status <> 'posted' OR (number IS NOT NULL AND posted_at IS NOT NULL)),
  CHECK (status <> 'cancelled' OR (cancelled_at IS NOT NULL AND length(trim(cancel_reason)) > 0)),
  CHECK (substr(number, 3, 4) IS NULL OR substr(number, 3, 4) = substr(delivery_date, 1, 4))
) STRICT;
CREATE INDEX deliveries_date ON deliveries(delivery_date);
CREATE INDEX deliveries_supplier ON deliveries(supplier_id, delivery_date);
CREATE INDEX deliveries_amends ON deliveries(amends);

CREATE TABLE delivery_lines (
  delivery_id TEXT NOT NULL REFERENCES deliveries(id),
  line_no INTEGER NOT NULL CHECK (line_no BETWEEN 1 AND 200),
  ingredient_id TEXT NOT NULL REFERENCES ingredients(id),
  received_milli INTEGER NOT NULL CHECK (received_milli > 0),
  accepted_milli INTEGER NOT NULL CHECK (accepted_milli >= 0),
  rejected_milli INTEGER NOT NULL CHECK (rejected_milli >= 0),
  reject_reason TEXT NOT NULL DEFAULT '',
  disposition TEXT CHECK (disposition IS NULL OR disposition IN ('returned','destroyed')),
  unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
  computed_amount_fen INTEGER NOT NULL CHECK (computed_amount_fen >= 0),
  printed_amount_fen INTEGER CHECK (printed_amount_fen IS NULL OR printed_amount_fen >= 0),
  amount_fen INTEGER NOT NULL CHECK (amount_fen = coalesce(printed_amount_fen, computed_amount_fen)),
  production_date TEXT CHECK (production_date IS NULL OR ${date('production_date')}),
  batch_no TEXT NOT NULL DEFAULT '',
  shelf_life_days INTEGER CHECK (shelf_life_days IS NULL OR shelf_life_days BETWEEN 1 AND 3650),
  expiry_date TEXT CHECK (expiry_date IS NULL OR ${date('expiry_date')}),
  expires_on TEXT CHECK (expires_on IS NULL OR ${date('expires_on')}),
  storage_class TEXT NOT NULL CHECK (storage_class IN ('frozen','chilled','ambient')),
  ${bool('packaging_ok')},
  ${bool('label_ok')},
  ${bool('fresh_ok')},
  temperature_dc INTEGER CHECK (temperature_dc IS NULL OR temperature_dc BETWEEN -500 AND 1000),
  certs TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(certs) AND json_type(certs) = 'object'),
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (delivery_id, line_no),
  CHECK (received_milli = accepted_milli + rejected_milli),
  CHECK (rejected_milli = 0 OR (length(trim(reject_reason)) > 0 AND disposition IS NOT NULL)),
  CHECK (rejected_milli > 0 OR (disposition IS NULL AND reject_reason = ''))
) STRICT;
CREATE INDEX delivery_lines_ingredient ON delivery_lines(ingredient_id);

CREATE TABLE delivery_inspectors (
  delivery_id TEXT NOT NULL REFERENCES deliveries(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 6),
  PRIMARY KEY (delivery_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX delivery_inspectors_user ON delivery_inspectors(user_id);

-- A posted delivery is frozen: the only change is posted → cancelled, which fills in who, when and why.
CREATE TRIGGER deliveries_frozen BEFORE UPDATE ON deliveries WHEN OLD.status <> 'draft'
BEGIN
  SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改，只能作废后更正')
  WHERE NOT (OLD.status = 'posted' AND NEW.status = 'cancelled'
    AND ${FROZEN_HEADER.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ')});
END;
CREATE TRIGGER deliveries_no_delete BEFORE DELETE ON deliveries BEGIN SELECT RAISE(ABORT, '验收单不能删除，只能作废'); END;
CREATE TRIGGER delivery_lines_frozen_insert BEFORE INSERT ON delivery_lines
WHEN (SELECT status FROM deliveries WHERE id = NEW.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改明细'); END;
CREATE TRIGGER delivery_lines_frozen_update BEFORE UPDATE ON delivery_lines
WHEN (SELECT status FROM deliveries WHERE id = OLD.delivery_id) IS NOT 'draft' OR (SELECT status FROM deliveries WHERE id = NEW.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改明细'); END;
CREATE TRIGGER delivery_lines_frozen_delete BEFORE DELETE ON delivery_lines
WHEN (SELECT status FROM deliveries WHERE id = OLD.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能删除明细'); END;
CREATE TRIGGER delivery_inspectors_frozen_insert BEFORE INSERT ON delivery_inspectors
WHEN (SELECT status FROM deliveries WHERE id = NEW.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改验收人'); END;
CREATE TRIGGER delivery_inspectors_frozen_update BEFORE UPDATE ON delivery_inspectors
WHEN (SELECT status FROM deliveries WHERE id = OLD.delivery_id) IS NOT 'draft' OR (SELECT status FROM deliveries WHERE id = NEW.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改验收人'); END;
CREATE TRIGGER delivery_inspectors_frozen_delete BEFORE DELETE ON delivery_inspectors
WHEN (SELECT status FROM deliveries WHERE id = OLD.delivery_id) IS NOT 'draft'
BEGIN SELECT RAISE(ABORT, '已过账或已作废的验收单不能修改验收人'); END;

-- Photos and scans live in <data>/attachments/<sha256>.<ext>; rows are never deleted, a deletion after the
-- retention date is recorded on the row (and the file goes when no live row uses it).
CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  delivery_id TEXT NOT NULL REFERENCES deliveries(id),
  line_no INTEGER CHECK (line_no IS NULL OR line_no BETWEEN 1 AND 200),
  cert_kind TEXT CHECK (cert_kind IS NULL OR cert_kind IN ('animal_quarantine','meat_quality','import_inspection','test_report')),
  kind TEXT NOT NULL CHECK (kind IN ('delivery_note','certificate','photo')),
  file_name TEXT NOT NULL CHECK (length(trim(file_name)) BETWEEN 1 AND 120),
  mime TEXT NOT NULL CHECK (mime IN ('image/jpeg','image/png','application/pdf')),
  size INTEGER NOT NULL CHECK (size > 0),
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  created_at TEXT NOT NULL,
  created_by TEXT,
  deleted_at TEXT,
  deleted_by TEXT,
  delete_reason TEXT
) STRICT;
CREATE INDEX attachments_delivery ON attachments(delivery_id);
CREATE INDEX attachments_sha ON attachments(sha256);
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments BEGIN SELECT RAISE(ABORT, '附件记录不能删除'); END;
CREATE TRIGGER attachments_update BEFORE UPDATE ON attachments
BEGIN
  SELECT RAISE(ABORT, '附件记录只能登记一次删除')
  WHERE OLD.deleted_at IS NOT NULL OR NEW.deleted_at IS NULL OR length(trim(coalesce(NEW.delete_reason, ''))) = 0
    OR NEW.id IS NOT OLD.id OR NEW.delivery_id IS NOT OLD.delivery_id OR NEW.line_no IS NOT OLD.line_no
    OR NEW.cert_kind IS NOT OLD.cert_kind OR NEW.kind IS NOT OLD.kind OR NEW.file_name IS NOT OLD.file_name
    OR NEW.mime IS NOT OLD.mime OR NEW.size IS NOT OLD.size OR NEW.sha256 IS NOT OLD.sha256
    OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR NEW.origin IS NOT OLD.origin;
END;

-- 对账: one statement per supplier and month, itemised by delivery-note (or 验收单) number when the supplier does.
CREATE TABLE supplier_statements (
  supplier_id TEXT NOT NULL REFERENCES suppliers(id),
  month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
  invoice_numbers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(invoice_numbers) AND json_type(invoice_numbers) = 'array'),
  lines TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(lines) AND json_type(lines) = 'array'),
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  PRIMARY KEY (supplier_id, month)
) STRICT, WITHOUT ROWID;

CREATE TABLE supplier_payments (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  supplier_id TEXT NOT NULL REFERENCES suppliers(id),
  pay_date TEXT NOT NULL CHECK (${date('pay_date')}),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  method TEXT NOT NULL CHECK (method IN ('bank','cash')),
  reference TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  journal_entry_id TEXT NOT NULL REFERENCES journal_entries(id),
  created_at TEXT NOT NULL,
  created_by TEXT
) STRICT;
CREATE INDEX supplier_payments_supplier ON supplier_payments(supplier_id, pay_date);
CREATE TRIGGER supplier_payments_no_update BEFORE UPDATE ON supplier_payments BEGIN SELECT RAISE(ABORT, '付款记录不能修改'); END;
CREATE TRIGGER supplier_payments_no_delete BEFORE DELETE ON supplier_payments BEGIN SELECT RAISE(ABORT, '付款记录不能删除'); END;
`,
};
