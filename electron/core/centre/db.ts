import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { ApiError } from '../../../shared/errors.ts';
import { recordBaseline } from './audit.ts';
import { DERIVE_PURCHASE_SUMS, PURCHASE_SUMS } from './derived.ts';

/**
 * The town centre's database (中心, issue 18): one DuckDB file, embedded (@duckdb/node-api), nothing to install or
 * run. Only what DuckDB has built in is used — SQL, window and aggregate functions (median, quantile), no extension:
 * the instance is opened with autoinstall and autoload of known extensions off, so nothing is ever downloaded
 * (test/core/centre.test.ts proves the views run so). External access is off as well: the centre reads packages in
 * Node and hands DuckDB values, DuckDB never opens a file or URL it is given.
 *
 * Tables hold each imported package's rows keyed by (school_code, month, revision); `current_packages` is the newest
 * revision per school and month, which every view reads.
 */
export const CENTRE_SCHEMA_VERSION = 8;

const SCHEMA = `
CREATE TABLE centre_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
CREATE TABLE schools (
  code VARCHAR PRIMARY KEY,
  name VARCHAR NOT NULL,
  fingerprint VARCHAR NOT NULL CHECK (length(fingerprint) = 64),
  enrolled_at VARCHAR NOT NULL
);
CREATE TABLE packages (
  school_code VARCHAR NOT NULL,
  month VARCHAR NOT NULL,
  revision INTEGER NOT NULL CHECK (revision >= 1),
  schema_version INTEGER NOT NULL,
  school_name VARCHAR NOT NULL,
  closed_checksum VARCHAR NOT NULL,
  closed_at VARCHAR NOT NULL,
  created_at VARCHAR NOT NULL,
  imported_at VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  manifest_sha256 VARCHAR NOT NULL,
  data_sha256 VARCHAR NOT NULL,
  workbook_sha256 VARCHAR NOT NULL,
  supersedes_revision INTEGER,
  supersedes_checksum VARCHAR,
  reopen_reason VARCHAR,
  uses_storeroom BOOLEAN NOT NULL,
  surplus_limit_bp INTEGER NOT NULL,
  surplus_period VARCHAR NOT NULL,
  price_tolerance_bp INTEGER NOT NULL,
  period_from VARCHAR NOT NULL,
  period_to VARCHAR NOT NULL,
  period_income_fen BIGINT NOT NULL,
  period_surplus_fen BIGINT NOT NULL,
  period_rate_bp INTEGER,
  period_breach BOOLEAN NOT NULL,
  PRIMARY KEY (school_code, month, revision)
);
CREATE TABLE fund (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL,
  period VARCHAR NOT NULL CHECK (period IN ('month', 'ytd')),
  previous_balance_fen BIGINT NOT NULL, fees_collected_fen BIGINT NOT NULL, refunds_fen BIGINT NOT NULL, fee_net_fen BIGINT NOT NULL,
  subsidy_fen BIGINT NOT NULL, other_income_fen BIGINT NOT NULL, income_fen BIGINT NOT NULL, food_expense_fen BIGINT NOT NULL,
  expense_fen BIGINT NOT NULL, surplus_fen BIGINT NOT NULL, cumulative_surplus_fen BIGINT NOT NULL, surplus_rate_bp INTEGER,
  meal_days BIGINT NOT NULL, avg_cost_fen BIGINT, food_share_bp INTEGER,
  PRIMARY KEY (school_code, month, revision, period)
);
CREATE TABLE fund_lines (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL, period VARCHAR NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('category', 'non_food')), key VARCHAR NOT NULL, amount_fen BIGINT NOT NULL,
  PRIMARY KEY (school_code, month, revision, period, kind, key)
);
CREATE TABLE categories (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL, category VARCHAR NOT NULL,
  purchased_fen BIGINT NOT NULL, expense_fen BIGINT NOT NULL, opening_fen BIGINT, adjustments_fen BIGINT, closing_fen BIGINT,
  PRIMARY KEY (school_code, month, revision, category)
);
CREATE TABLE purchases (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL, line_no INTEGER NOT NULL,
  date VARCHAR NOT NULL, receipt_no VARCHAR NOT NULL, item VARCHAR NOT NULL, spec VARCHAR NOT NULL, unit VARCHAR NOT NULL,
  qty_milli BIGINT NOT NULL, unit_price_fen BIGINT NOT NULL, amount_fen BIGINT NOT NULL,
  supplier VARCHAR NOT NULL, supplier_credit_code VARCHAR NOT NULL, inspectors VARCHAR NOT NULL, note VARCHAR NOT NULL,
  PRIMARY KEY (school_code, month, revision, line_no)
);
CREATE TABLE rejected (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL, line_no INTEGER NOT NULL,
  item VARCHAR NOT NULL, unit VARCHAR NOT NULL, qty_milli BIGINT NOT NULL, reason VARCHAR NOT NULL, disposition VARCHAR NOT NULL
);
CREATE TABLE prices (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL,
  item VARCHAR NOT NULL, category VARCHAR NOT NULL, unit VARCHAR NOT NULL, qty_milli BIGINT NOT NULL, amount_fen BIGINT NOT NULL,
  reference_price_fen BIGINT, previous_avg_price_fen BIGINT
);
CREATE TABLE suppliers (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL,
  name VARCHAR NOT NULL, credit_code VARCHAR NOT NULL, licence_no VARCHAR NOT NULL, licence_valid_until VARCHAR,
  deliveries INTEGER NOT NULL, amount_fen BIGINT NOT NULL, certificates INTEGER NOT NULL
);
CREATE TABLE subsidy (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL,
  class_name VARCHAR NOT NULL, students INTEGER NOT NULL, days INTEGER NOT NULL, student_days INTEGER NOT NULL, rate_fen BIGINT NOT NULL, amount_fen BIGINT NOT NULL
);
CREATE TABLE refunds (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL, line_no INTEGER NOT NULL,
  class_name VARCHAR NOT NULL, days INTEGER NOT NULL, amount_fen BIGINT NOT NULL, reason VARCHAR NOT NULL, applied_on VARCHAR NOT NULL,
  approved_on VARCHAR, paid_on VARCHAR, status VARCHAR NOT NULL, earlier BOOLEAN NOT NULL
);
CREATE VIEW current_packages AS
  SELECT * FROM packages QUALIFY revision = max(revision) OVER (PARTITION BY school_code, month);
`;

/**
 * Version 2: the centre's people, for the app's login (centre admin, centre reviewer). A version-1 file (made by the
 * CLI before the app could open a centre) gains the table when opened.
 */
const USERS = `
CREATE TABLE centre_users (
  username VARCHAR PRIMARY KEY,
  display_name VARCHAR NOT NULL,
  role VARCHAR NOT NULL CHECK (role IN ('centre_admin', 'centre_reviewer')),
  password_hash VARCHAR NOT NULL CHECK (password_hash LIKE 'scrypt$%'),
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at VARCHAR NOT NULL
);
`;

/**
 * Version 3: the disclosure deadline of the school's profile (次月几日前公示, package schema version 2), for lateness in
 * 报送情况; null for packages of version 1. The view is made again so its columns include the new one.
 */
const DEADLINE = `
ALTER TABLE packages ADD COLUMN disclosure_deadline_day INTEGER;
DROP VIEW current_packages;
CREATE VIEW current_packages AS
  SELECT * FROM packages QUALIFY revision = max(revision) OVER (PARTITION BY school_code, month);
`;

/**
 * Version 4: the centre's item mapping (食材对应): a school's item (name + spec, in its unit) compared under another
 * name and spec, where schools write the same food differently (大米 / 东北大米 10kg). The views read purchases through
 * it; a mapping never changes an imported row.
 */
const ITEM_MAP = `
CREATE TABLE item_map (
  item VARCHAR NOT NULL, spec VARCHAR NOT NULL, unit VARCHAR NOT NULL,
  to_item VARCHAR NOT NULL, to_spec VARCHAR NOT NULL,
  mapped_at VARCHAR NOT NULL, mapped_by VARCHAR NOT NULL,
  PRIMARY KEY (item, spec, unit),
  CHECK (to_item <> item OR to_spec <> spec)
);
`;

/**
 * Version 5: 留样 and 陪餐 (package schema version 2's foodSafety): the month's school days on the package, and each
 * finding by kind, date and meal; null school days for a version-1 package, which carries none.
 */
const FOOD_SAFETY = `
ALTER TABLE packages ADD COLUMN school_days INTEGER;
DROP VIEW current_packages;
CREATE VIEW current_packages AS
  SELECT * FROM packages QUALIFY revision = max(revision) OVER (PARTITION BY school_code, month);
CREATE TABLE food_safety_findings (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL, line_no INTEGER NOT NULL,
  kind VARCHAR NOT NULL, date VARCHAR NOT NULL, meal VARCHAR,
  PRIMARY KEY (school_code, month, revision, line_no)
);
`;

/**
 * Version 6: each package's deliveries (验收单, package schema version 2): whether a parent witnessed, the supplier's
 * credit code, lines received and lines rejected.
 */
const DELIVERIES = `
CREATE TABLE deliveries (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL,
  receipt_no VARCHAR NOT NULL, date VARCHAR NOT NULL, witnessed BOOLEAN NOT NULL,
  supplier_credit_code VARCHAR NOT NULL, lines INTEGER NOT NULL CHECK (lines >= 0), rejected_lines INTEGER NOT NULL CHECK (rejected_lines BETWEEN 0 AND lines),
  PRIMARY KEY (school_code, month, revision, receipt_no)
);
`;

/**
 * Version 7 (centre integrity): the centre's audit chain — every write (setup, a user, an enrolment, a package
 * imported, a mapping) appended with who, when, what, the previous entry's hash and its own (audit.ts; `centre verify`
 * re-derives it and compares the tables with it); failed logins kept in the file, so a restart or a fresh CLI process
 * does not reset the backoff; and the item mapping per school (item_map_school: school X's item compared under
 * another name, before the town-wide item_map). DuckDB has no triggers: the chain, not the engine, shows a change made
 * behind the app's back. A file upgraded to 7 gets one 'baseline' entry recording what it held (audit.ts).
 */
const INTEGRITY = `
CREATE TABLE centre_audit (
  seq BIGINT PRIMARY KEY CHECK (seq >= 1),
  written_at VARCHAR NOT NULL,
  username VARCHAR,
  action VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  detail VARCHAR NOT NULL,
  prev_hash VARCHAR NOT NULL CHECK (length(prev_hash) = 64),
  hash VARCHAR NOT NULL CHECK (length(hash) = 64)
);
CREATE TABLE login_failures (
  name VARCHAR PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures >= 1),
  last_at_ms BIGINT NOT NULL
);
CREATE TABLE item_map_school (
  school_code VARCHAR NOT NULL, item VARCHAR NOT NULL, spec VARCHAR NOT NULL, unit VARCHAR NOT NULL,
  to_item VARCHAR NOT NULL, to_spec VARCHAR NOT NULL,
  mapped_at VARCHAR NOT NULL, mapped_by VARCHAR NOT NULL,
  PRIMARY KEY (school_code, item, spec, unit)
);
`;

export interface Centre {
  file: string;
  instance: DuckDBInstance;
  conn: DuckDBConnection;
  close(): void;
}

/** Settings every centre connection runs with: nothing downloaded, nothing outside the database file read. */
export const OFFLINE_OPTIONS = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' } as const;

/**
 * Opens (or with `create`, makes) a centre database. A file that is not one, or one of a newer schema, is refused
 * in words.
 */
export async function openCentre(file: string, opts: { create?: boolean } = {}): Promise<Centre> {
  const abs = path.resolve(file);
  const exists = fs.existsSync(abs);
  if (!exists && !opts.create) throw new ApiError('NOT_FOUND', `找不到中心数据库 ${abs}，请先用 canteen centre init --db 文件 建立`);
  if (exists && opts.create) throw new ApiError('CONFLICT', `中心数据库 ${abs} 已存在，不能再次建立`);
  if (exists && fs.statSync(abs).isDirectory()) throw new ApiError('VALIDATION', `${abs} 是一个文件夹，不是中心数据库文件`);
  if (!exists) fs.mkdirSync(path.dirname(abs), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(abs, { ...OFFLINE_OPTIONS });
  } catch (e) {
    throw new ApiError('VALIDATION', `无法打开中心数据库 ${abs}：${(e as Error).message}`);
  }
  const conn = await instance.connect();
  const centre: Centre = {
    file: abs,
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
  try {
    // After the database is attached, nothing else may be: no file, URL or extension reachable from SQL.
    await conn.run(`SET enable_external_access = false`);
    if (!exists) {
      await conn.run('BEGIN TRANSACTION');
      await conn.run(SCHEMA);
      await conn.run(USERS);
      await conn.run(DEADLINE);
      await conn.run(ITEM_MAP);
      await conn.run(FOOD_SAFETY);
      await conn.run(DELIVERIES);
      await conn.run(INTEGRITY);
      await conn.run(PURCHASE_SUMS);
      await conn.run(`INSERT INTO centre_meta VALUES ('schema_version', ?)`, [String(CENTRE_SCHEMA_VERSION)]);
      await conn.run('COMMIT');
    } else {
      const v = await rows(conn, `SELECT value FROM centre_meta WHERE key = 'schema_version'`).catch(() => null);
      if (!v || v.length !== 1) throw new ApiError('VALIDATION', `${abs} 不是中心数据库`);
      if (Number(v[0].value) > CENTRE_SCHEMA_VERSION) throw new ApiError('VALIDATION', `中心数据库 ${abs} 的版本较新（${v[0].value}），请升级本软件`);
      const from = Number(v[0].value);
      if (from < CENTRE_SCHEMA_VERSION) {
        await conn.run('BEGIN TRANSACTION');
        if (from < 2) await conn.run(USERS);
        if (from < 3) await conn.run(DEADLINE);
        if (from < 4) await conn.run(ITEM_MAP);
        if (from < 5) await conn.run(FOOD_SAFETY);
        if (from < 6) await conn.run(DELIVERIES);
        if (from < 7) {
          await conn.run(INTEGRITY);
          await recordBaseline(conn, new Date().toISOString());
        }
        // Version 8 (centre scale): the purchase sums by item and by item and supplier (derived.ts), derived from the lines held.
        if (from < 8) {
          await conn.run(PURCHASE_SUMS);
          await conn.run(DERIVE_PURCHASE_SUMS);
        }
        await conn.run(`UPDATE centre_meta SET value = ? WHERE key = 'schema_version'`, [String(CENTRE_SCHEMA_VERSION)]);
        await conn.run('COMMIT');
      }
    }
  } catch (e) {
    centre.close();
    throw e;
  }
  return centre;
}

export type Row = Record<string, string | number | boolean | null>;

/** Runs a query and returns plain rows: BIGINT/HUGEINT as numbers (our sums stay far inside 2^53), lists as text. */
export async function rows(conn: DuckDBConnection, sql: string, values: DuckDBValue[] = []): Promise<Row[]> {
  const reader = await conn.runAndReadAll(sql, values);
  // Row arrays and the column names once, not an object per row to walk with Object.entries: a city month's whole
  // price list (180,000 rows × 17 columns) converts in about a third less CPU (docs/PERFORMANCE.md, the centre).
  const names = reader.columnNames();
  return reader.getRows().map((r) => {
    const o: Row = {};
    for (let j = 0; j < names.length; j++) {
      const v = r[j];
      o[names[j]] = typeof v === 'bigint' ? Number(v) : v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
    }
    return o;
  });
}
