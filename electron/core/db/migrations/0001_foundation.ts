import type { Migration } from './index.ts';

const who = `created_at TEXT NOT NULL, created_by TEXT, updated_at TEXT NOT NULL, updated_by TEXT`;
const date = (col: string) => `(${col} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;

/**
 * The school, people, master data, the audit chain, gapless document numbers and the double-entry journal.
 * Invariants are held here a second time, after the API's validation: CHECKs for shapes, triggers for what may
 * never change.
 */
export const foundation: Migration = {
  name: 'foundation',
  sql: `
CREATE TABLE installation (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  singleton INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1)
) STRICT;

CREATE TABLE school (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 60),
  profile TEXT NOT NULL CHECK (json_valid(profile) AND json_type(profile) = 'object'),
  singleton INTEGER NOT NULL DEFAULT 1 UNIQUE CHECK (singleton = 1),
  ${who}
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 2 AND 32),
  display_name TEXT NOT NULL CHECK (length(trim(display_name)) BETWEEN 1 AND 30),
  password_hash TEXT NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  ${who}
) STRICT;

CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users(id),
  role TEXT NOT NULL CHECK (role IN ('admin','storekeeper','cashier','accountant','reviewer','parent')),
  PRIMARY KEY (user_id, role)
) STRICT, WITHOUT ROWID;

CREATE TABLE suppliers (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) BETWEEN 1 AND 60),
  credit_code TEXT NOT NULL UNIQUE CHECK (length(credit_code) = 18),
  address TEXT NOT NULL,
  contact_person TEXT NOT NULL,
  phone TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('producer','distributor','farm','market','other')),
  py_initials TEXT NOT NULL,
  py_full TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  ${who}
) STRICT;

CREATE TABLE supplier_licences (
  supplier_id TEXT NOT NULL REFERENCES suppliers(id),
  kind TEXT NOT NULL CHECK (kind IN ('business','food_business','food_production')),
  number TEXT NOT NULL CHECK (length(trim(number)) BETWEEN 1 AND 50),
  expires_on TEXT CHECK (expires_on IS NULL OR ${date('expires_on')}),
  PRIMARY KEY (supplier_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE ingredients (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 40),
  category TEXT NOT NULL CHECK (category IN ('grain','meat','aquatic','vegetable','dairy','soy','seasoning','other')),
  unit TEXT NOT NULL CHECK (length(trim(unit)) BETWEEN 1 AND 8),
  spec TEXT NOT NULL DEFAULT '',
  ref_price_fen INTEGER CHECK (ref_price_fen IS NULL OR ref_price_fen >= 0),
  required_certs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(required_certs) AND json_type(required_certs) = 'array'),
  banned INTEGER NOT NULL DEFAULT 0 CHECK (banned IN (0, 1)),
  storable INTEGER NOT NULL DEFAULT 0 CHECK (storable IN (0, 1)),
  py_initials TEXT NOT NULL,
  py_full TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  ${who},
  UNIQUE (name, spec)
) STRICT;
CREATE INDEX ingredients_py_initials ON ingredients(py_initials);
CREATE INDEX suppliers_py_initials ON suppliers(py_initials);

-- Append-only and hash-chained: each hash covers the previous hash and the entry's own content.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id TEXT,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  before TEXT CHECK (before IS NULL OR json_valid(before)),
  after TEXT CHECK (after IS NULL OR json_valid(after)),
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '审计记录不能修改'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '审计记录不能删除'); END;

-- Gapless numbers people read (验收单号, 收据号), per series and year; separate from ids.
CREATE TABLE doc_counters (
  series TEXT NOT NULL,
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  last INTEGER NOT NULL CHECK (last >= 0),
  PRIMARY KEY (series, year)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER doc_counters_forward BEFORE UPDATE ON doc_counters
WHEN NEW.last <> OLD.last + 1 OR NEW.series <> OLD.series OR NEW.year <> OLD.year
BEGIN SELECT RAISE(ABORT, '单据编号只能逐一递增'); END;
CREATE TRIGGER doc_counters_no_delete BEFORE DELETE ON doc_counters BEGIN SELECT RAISE(ABORT, '单据编号计数不能删除'); END;

-- Months closed by 月结; the journal refuses entries dated in them.
CREATE TABLE closed_periods (
  period TEXT PRIMARY KEY CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  closed_at TEXT NOT NULL,
  closed_by TEXT NOT NULL
) STRICT;

CREATE TABLE accounts (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('asset','liability','equity','income','expense')),
  supplier_id TEXT REFERENCES suppliers(id)
) STRICT;
INSERT INTO accounts (code, name, kind) VALUES
  ('cash', '库存现金', 'asset'),
  ('bank', '银行存款（食堂专户）', 'asset'),
  ('ewallet', '微信/支付宝待结算', 'asset'),
  ('subsidy_bank', '营养改善计划补助专户', 'asset'),
  ('subsidy_receivable', '应收营养改善计划补助', 'asset'),
  ('refunds_payable', '应付退费', 'liability'),
  ('fund_opening', '期初结余', 'equity'),
  ('income:fees', '伙食费收入', 'income'),
  ('income:refunds', '伙食费退费', 'income'),
  ('income:subsidy', '营养改善计划补助收入', 'income'),
  ('income:other', '其他收入', 'income'),
  ('expense:grain', '食材支出—粮油', 'expense'),
  ('expense:meat', '食材支出—肉禽蛋', 'expense'),
  ('expense:aquatic', '食材支出—水产', 'expense'),
  ('expense:vegetable', '食材支出—蔬菜水果', 'expense'),
  ('expense:dairy', '食材支出—奶及奶制品', 'expense'),
  ('expense:soy', '食材支出—豆制品', 'expense'),
  ('expense:seasoning', '食材支出—调味品', 'expense'),
  ('expense:other', '食材支出—其他食材', 'expense'),
  ('expense:fuel', '燃料', 'expense'),
  ('expense:utilities', '水电', 'expense'),
  ('expense:wages', '人工', 'expense');

-- Double-entry journal. An entry is inserted 'open', gets its postings, then is marked 'posted' in the same
-- transaction; the trigger on that step refuses an entry that does not balance. Posted rows are never changed:
-- a correction is a new entry that reverses the old one.
CREATE TABLE journal_entries (
  id TEXT PRIMARY KEY,
  origin TEXT NOT NULL,
  entry_date TEXT NOT NULL CHECK (${date('entry_date')}),
  memo TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source_id TEXT,
  reverses TEXT UNIQUE REFERENCES journal_entries(id),
  status TEXT NOT NULL CHECK (status IN ('open','posted')),
  created_at TEXT NOT NULL,
  created_by TEXT
) STRICT;
CREATE INDEX journal_entries_date ON journal_entries(entry_date);
CREATE INDEX journal_entries_source ON journal_entries(source_type, source_id);

CREATE TABLE journal_postings (
  id INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL REFERENCES journal_entries(id),
  account TEXT NOT NULL REFERENCES accounts(code),
  amount_fen INTEGER NOT NULL CHECK (amount_fen <> 0 AND abs(amount_fen) <= 10000000000000)
) STRICT;
CREATE INDEX journal_postings_entry ON journal_postings(entry_id);
CREATE INDEX journal_postings_account ON journal_postings(account);

CREATE TRIGGER journal_entry_insert BEFORE INSERT ON journal_entries
BEGIN
  SELECT RAISE(ABORT, '记账凭证必须先以未过账状态写入') WHERE NEW.status <> 'open';
  SELECT RAISE(ABORT, '该月份已月结锁定，不能再记账') WHERE EXISTS (SELECT 1 FROM closed_periods WHERE period = substr(NEW.entry_date, 1, 7));
END;
CREATE TRIGGER journal_entry_post BEFORE UPDATE ON journal_entries
BEGIN
  SELECT RAISE(ABORT, '已过账的记账凭证不能修改') WHERE OLD.status <> 'open' OR NEW.status <> 'posted'
    OR NEW.id IS NOT OLD.id OR NEW.entry_date IS NOT OLD.entry_date OR NEW.memo IS NOT OLD.memo
    OR NEW.source_type IS NOT OLD.source_type OR NEW.source_id IS NOT OLD.source_id OR NEW.reverses IS NOT OLD.reverses
    OR NEW.created_at IS NOT OLD.created_at OR NEW.created_by IS NOT OLD.created_by OR NEW.origin IS NOT OLD.origin;
  SELECT RAISE(ABORT, '记账凭证借贷不平衡') WHERE (SELECT coalesce(sum(amount_fen), 0) FROM journal_postings WHERE entry_id = NEW.id) <> 0
    OR (SELECT count(*) FROM journal_postings WHERE entry_id = NEW.id) < 2;
END;
CREATE TRIGGER journal_entry_no_delete BEFORE DELETE ON journal_entries BEGIN SELECT RAISE(ABORT, '记账凭证不能删除，只能冲销'); END;
CREATE TRIGGER journal_posting_insert BEFORE INSERT ON journal_postings
BEGIN
  SELECT RAISE(ABORT, '已过账的记账凭证不能再添加分录') WHERE (SELECT status FROM journal_entries WHERE id = NEW.entry_id) IS NOT 'open';
END;
CREATE TRIGGER journal_posting_no_update BEFORE UPDATE ON journal_postings BEGIN SELECT RAISE(ABORT, '记账分录不能修改，只能冲销'); END;
CREATE TRIGGER journal_posting_no_delete BEFORE DELETE ON journal_postings BEGIN SELECT RAISE(ABORT, '记账分录不能删除，只能冲销'); END;
`,
};
