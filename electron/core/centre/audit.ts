import crypto from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CentreVerifyResult } from '../../../shared/centre/api.ts';
import { rows, type Row } from './db.ts';
import { purchaseSumDifferences } from './derived.ts';

/**
 * The centre's audit chain (centre schema version 7): the school's idea (electron/core/ledger/audit.ts) on the centre's
 * DuckDB file. Every write appends one entry — who, when, what (the rows it wrote, as written), the previous entry's
 * hash and its own — in the write's transaction, so the record and the change land together or not at all. An
 * imported package's entry names the package's own hashes (manifest, data, workbook, the month's 校验码 — the package
 * row) and, per table of its rows, how many there are and a SHA-256 of them (digestRows: the rows' texts sorted).
 *
 * DuckDB has no triggers, so nothing stops a change made through DuckDB directly: `verifyCentre` finds it. It walks the
 * chain (each hash re-derived from its fields and the one before), replays it into what the tables should hold, and
 * compares them with what they hold, naming in Chinese each table, row and column that differs.
 */

export const CENTRE_GENESIS = '0'.repeat(64);

export type CentreAuditAction = 'baseline' | 'setup' | 'user.create' | 'school.enrol' | 'package.import' | 'item.map' | 'item.unmap' | 'item.mapSchool' | 'item.unmapSchool';

export interface CentreAuditRow {
  seq: number;
  written_at: string;
  username: string | null;
  action: string;
  subject: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** The hash of one entry covers the previous hash and every field: a change, insertion or deletion shows. */
export function centreAuditHash(r: Omit<CentreAuditRow, 'hash'>): string {
  return crypto.hash('sha256', JSON.stringify([r.prev_hash, r.seq, r.written_at, r.username, r.action, r.subject, r.detail]), 'hex');
}

/** Appends one entry after the newest; call inside the write's transaction. */
export async function appendCentreAudit(conn: DuckDBConnection, e: { at: string; username: string | null; action: CentreAuditAction; subject: string; detail: unknown }): Promise<void> {
  const head = (await rows(conn, 'SELECT seq, hash FROM centre_audit ORDER BY seq DESC LIMIT 1'))[0];
  const row = { seq: head ? Number(head.seq) + 1 : 1, written_at: e.at, username: e.username, action: e.action, subject: e.subject, detail: JSON.stringify(e.detail), prev_hash: head ? String(head.hash) : CENTRE_GENESIS };
  await conn.run('INSERT INTO centre_audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [row.seq, row.written_at, row.username, row.action, row.subject, row.detail, row.prev_hash, centreAuditHash(row)]);
}

/** The tables that hold a package's rows, keyed by (school_code, month, revision), with their names in words. */
export const PACKAGE_TABLES = {
  fund: '资金收支',
  fund_lines: '收支分类明细',
  categories: '食材分类',
  purchases: '采购明细',
  rejected: '拒收记录',
  prices: '食材价格',
  suppliers: '供应商',
  subsidy: '伙食补助',
  refunds: '退费',
  deliveries: '验收单',
  food_safety_findings: '留样陪餐问题',
} as const;
export type PackageTable = keyof typeof PACKAGE_TABLES;
const TABLE_NAMES = Object.keys(PACKAGE_TABLES) as PackageTable[];

/** How a package's rows are summed up in its entry: per table, the count and a SHA-256 of the rows in order. */
export type TableDigests = Record<PackageTable, { n: number; sha256: string }>;

/**
 * One row's values (its key left out) as text for the digest: every number — an INTEGER read back, a BIGINT read back
 * as a bigint, or the JS number the import appended — as its digits, so the import's values and the values read back
 * give the same text.
 */
const rowText = (values: readonly unknown[]) => JSON.stringify(values.map((v) => (typeof v === 'bigint' || typeof v === 'number' ? String(v) : v === undefined ? null : v)));

/**
 * The digest of a package's rows of one table: how many, and a SHA-256 of their texts sorted (one per line) — the
 * order rows were written or are read in does not matter, so the import digests the rows it appends (no read back)
 * and verify the rows it reads, each sorted the same way.
 */
export function digestRows(list: readonly (readonly unknown[])[]): { n: number; sha256: string } {
  const texts = list.map(rowText).sort();
  const h = crypto.createHash('sha256');
  for (const t of texts) h.update(`${t}\n`);
  return { n: list.length, sha256: h.digest('hex') };
}

/** The digests of the lists the import appends, by table (purchases … food_safety_findings; an absent list is empty). */
export function digestLists(lists: readonly (readonly [string, readonly (readonly unknown[])[]])[]): TableDigests {
  const by = new Map(lists);
  return Object.fromEntries(TABLE_NAMES.map((t) => [t, digestRows(by.get(t) ?? [])])) as TableDigests;
}

/** The rows of a package (all tables) as the centre holds them now (a file upgraded to 7: its baseline). */
export async function packageDigests(conn: DuckDBConnection, key: [string, string, number]): Promise<TableDigests> {
  const out = {} as TableDigests;
  for (const t of TABLE_NAMES) {
    const reader = await conn.runAndReadAll(`SELECT * FROM ${t} WHERE school_code = ? AND month = ? AND revision = ?`, key);
    out[t] = digestRows(reader.getRows().map((r) => r.slice(3)));
  }
  return out;
}

/** A package's row as the packages table holds it (every column, by name). */
export async function heldPackageRow(conn: DuckDBConnection, key: [string, string, number]): Promise<Row> {
  return (await rows(conn, 'SELECT * FROM packages WHERE school_code = ? AND month = ? AND revision = ?', key))[0];
}

export const userRecord = async (conn: DuckDBConnection, username: string): Promise<Row> => (await rows(conn, 'SELECT * FROM centre_users WHERE username = ?', [username]))[0];
export const schoolRecord = async (conn: DuckDBConnection, code: string): Promise<Row> => (await rows(conn, 'SELECT * FROM schools WHERE code = ?', [code]))[0];
export const mappingRecord = async (conn: DuckDBConnection, k: { item: string; spec: string; unit: string }): Promise<Row> =>
  (await rows(conn, 'SELECT * FROM item_map WHERE item = ? AND spec = ? AND unit = ?', [k.item, k.spec, k.unit]))[0];
export const schoolMappingRecord = async (conn: DuckDBConnection, k: { schoolCode: string; item: string; spec: string; unit: string }): Promise<Row> =>
  (await rows(conn, 'SELECT * FROM item_map_school WHERE school_code = ? AND item = ? AND spec = ? AND unit = ?', [k.schoolCode, k.item, k.spec, k.unit]))[0];

const centreNameOf = async (conn: DuckDBConnection): Promise<string | null> => {
  const r = await rows(conn, `SELECT value FROM centre_meta WHERE key = 'centre_name'`);
  return r[0] ? String(r[0].value) : null;
};

/**
 * A file upgraded to version 7 held data no chain covers: its first entry records all of it as found (the centre's
 * name, users, schools, mappings, and each package's row and digests), and verify checks from there on. What was
 * changed before the upgrade cannot be told.
 */
export async function recordBaseline(conn: DuckDBConnection, at: string): Promise<void> {
  const packages = [];
  for (const p of await rows(conn, 'SELECT school_code, month, revision FROM packages ORDER BY ALL')) {
    const key: [string, string, number] = [String(p.school_code), String(p.month), Number(p.revision)];
    packages.push({ package: await heldPackageRow(conn, key), tables: await packageDigests(conn, key) });
  }
  await appendCentreAudit(conn, {
    at,
    username: null,
    action: 'baseline',
    subject: '升级到中心数据库版本 7 时已有的数据',
    detail: {
      centreName: await centreNameOf(conn),
      users: await rows(conn, 'SELECT * FROM centre_users ORDER BY username'),
      schools: await rows(conn, 'SELECT * FROM schools ORDER BY code'),
      items: await rows(conn, 'SELECT * FROM item_map ORDER BY ALL'),
      schoolItems: await rows(conn, 'SELECT * FROM item_map_school ORDER BY ALL'),
      packages,
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// verify


interface PackageState {
  row: Row;
  tables: TableDigests;
}

interface Expected {
  centreName: string | null;
  users: Map<string, Row>;
  schools: Map<string, Row>;
  items: Map<string, Row>;
  schoolItems: Map<string, Row>;
  packages: Map<string, PackageState>;
}

const COLUMN_WORDS: Record<string, string> = {
  username: '用户名', display_name: '姓名', role: '角色', password_hash: '密码', disabled: '停用', created_at: '建立时间',
  code: '学校代码', name: '学校名称', fingerprint: '公钥指纹', enrolled_at: '登记时间',
  item: '食材', spec: '规格', unit: '单位', to_item: '对应食材', to_spec: '对应规格', mapped_at: '对应时间', mapped_by: '操作人', school_code: '学校代码',
  month: '月份', revision: '版本', schema_version: '数据格式版本', school_name: '学校名称', closed_checksum: '结账校验码', closed_at: '结账时间',
  created_at_pkg: '生成时间', imported_at: '导入时间', file_name: '文件名', manifest_sha256: '清单哈希', data_sha256: '月度数据哈希', workbook_sha256: '公示表哈希',
  supersedes_revision: '取代的版本', supersedes_checksum: '取代版本的校验码', reopen_reason: '反结账理由',
  period_income_fen: '期间收入', period_surplus_fen: '期间结余', period_rate_bp: '期间结余率', period_breach: '期间超限', surplus_limit_bp: '结余率限额',
  price_tolerance_bp: '价格允许偏差', disclosure_deadline_day: '公示期限', school_days: '在校天数',
};
const words = (col: string) => COLUMN_WORDS[col] ?? col;
const monthWords = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;
const keyOf = (...parts: (string | number)[]) => parts.join('\u0000');
const itemKey = (r: Row) => keyOf(String(r.item), String(r.spec), String(r.unit));
const schoolItemKey = (r: Row) => keyOf(String(r.school_code), String(r.item), String(r.spec), String(r.unit));
const pkgKey = (code: string, month: string, revision: number) => keyOf(code, month, revision);

/** The columns whose values differ between what the chain says and what the table holds (both read by rows()). */
function differing(expected: Row, actual: Row): string[] {
  const cols = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  return [...cols].filter((c) => JSON.stringify(expected[c] ?? null) !== JSON.stringify(actual[c] ?? null));
}

function replay(x: Expected, e: CentreAuditRow): void {
  const d = JSON.parse(e.detail) as Record<string, unknown>;
  const put = (m: Map<string, Row>, k: (r: Row) => string, r: Row) => m.set(k(r), r);
  switch (e.action as CentreAuditAction) {
    case 'baseline': {
      x.centreName = (d.centreName as string | null) ?? null;
      for (const r of d.users as Row[]) put(x.users, (u) => String(u.username), r);
      for (const r of d.schools as Row[]) put(x.schools, (s) => String(s.code), r);
      for (const r of d.items as Row[]) put(x.items, itemKey, r);
      for (const r of d.schoolItems as Row[]) put(x.schoolItems, schoolItemKey, r);
      for (const p of d.packages as { package: Row; tables: TableDigests }[]) {
        x.packages.set(pkgKey(String(p.package.school_code), String(p.package.month), Number(p.package.revision)), { row: p.package, tables: p.tables });
      }
      return;
    }
    case 'setup':
      x.centreName = String(d.centreName);
      put(x.users, (u) => String(u.username), d.user as Row);
      return;
    case 'user.create':
      put(x.users, (u) => String(u.username), d.user as Row);
      return;
    case 'school.enrol':
      put(x.schools, (s) => String(s.code), d.school as Row);
      return;
    case 'package.import': {
      const row = d.package as Row;
      x.packages.set(pkgKey(String(row.school_code), String(row.month), Number(row.revision)), { row, tables: d.tables as TableDigests });
      return;
    }
    case 'item.map':
      put(x.items, itemKey, d.mapping as Row);
      return;
    case 'item.unmap':
      x.items.delete(itemKey(d.key as Row));
      return;
    case 'item.mapSchool':
      put(x.schoolItems, schoolItemKey, d.mapping as Row);
      return;
    case 'item.unmapSchool':
      x.schoolItems.delete(schoolItemKey(d.key as Row));
      return;
  }
}

/** Compares a keyed table with the chain's version of it, naming each row missing, added or changed. */
function compareRows(problems: string[], what: string, name: (r: Row) => string, expected: Map<string, Row>, actual: Row[], key: (r: Row) => string): void {
  const seen = new Set<string>();
  for (const r of actual) {
    const k = key(r);
    seen.add(k);
    const want = expected.get(k);
    if (!want) {
      problems.push(`${what}${name(r)}没有审计记录（未经本软件写入）`);
      continue;
    }
    const cols = differing(want, r);
    if (cols.length) problems.push(`${what}${name(r)}的${cols.map((c) => `“${words(c)}”`).join('、')}与审计记录不符（在软件之外被改动）`);
  }
  for (const [k, r] of expected) if (!seen.has(k)) problems.push(`${what}${name(r)}在审计记录中有，数据库中却没有（被删除）`);
}

/**
 * Re-derives the chain and compares every table the centre writes with it: users, schools, the item mappings, the
 * centre's name, each package's row (its recorded hashes included) and the count and digest of each of its tables.
 */
export async function verifyCentre(conn: DuckDBConnection): Promise<CentreVerifyResult> {
  const problems: string[] = [];
  const x: Expected = { centreName: null, users: new Map(), schools: new Map(), items: new Map(), schoolItems: new Map(), packages: new Map() };
  let prev = CENTRE_GENESIS;
  let expectSeq = 1;
  let entries = 0;
  let chainBroken = false;
  for (const r of (await rows(conn, 'SELECT * FROM centre_audit ORDER BY seq')) as unknown as CentreAuditRow[]) {
    entries++;
    const row = { ...r, seq: Number(r.seq) };
    if (!chainBroken) {
      if (row.seq !== expectSeq) {
        problems.push(`审计记录第 ${expectSeq} 条缺失（被删除）`);
        chainBroken = true;
      } else if (row.prev_hash !== prev) {
        problems.push(`审计记录第 ${row.seq} 条与上一条不衔接`);
        chainBroken = true;
      } else if (centreAuditHash(row) !== row.hash) {
        problems.push(`审计记录第 ${row.seq} 条内容被改动`);
        chainBroken = true;
      }
    }
    prev = row.hash;
    expectSeq = row.seq + 1;
    try {
      replay(x, row);
    } catch {
      problems.push(`审计记录第 ${row.seq} 条无法读取`);
    }
  }

  const name = await centreNameOf(conn);
  if ((name ?? null) !== x.centreName) problems.push(`中心名称“${name ?? ''}”与审计记录“${x.centreName ?? ''}”不符（在软件之外被改动）`);
  compareRows(problems, '中心用户', (r) => ` ${r.username} `, x.users, await rows(conn, 'SELECT * FROM centre_users'), (r) => String(r.username));
  const schoolNames = new Map<string, string>();
  for (const r of await rows(conn, 'SELECT code, name FROM schools')) schoolNames.set(String(r.code), String(r.name));
  for (const [k, r] of x.schools) if (!schoolNames.has(k)) schoolNames.set(k, String(r.name));
  const schoolWords = (code: string) => `${code}（${schoolNames.get(code) ?? '未登记'}）`;
  compareRows(problems, '学校 ', (r) => schoolWords(String(r.code)), x.schools, await rows(conn, 'SELECT * FROM schools'), (r) => String(r.code));
  const itemWords = (r: Row) => `“${r.item}${r.spec ? `（${r.spec}）` : ''}”（${r.unit}）`;
  compareRows(problems, '食材对应', itemWords, x.items, await rows(conn, 'SELECT * FROM item_map'), itemKey);
  compareRows(problems, '学校 ', (r) => `${schoolWords(String(r.school_code))}的食材对应${itemWords(r)}`, x.schoolItems, await rows(conn, 'SELECT * FROM item_map_school'), schoolItemKey);

  // Packages: the row (the package's own hashes among its columns), then each table's rows by package.
  const pkgWords = (code: string, month: string, revision: number) => `${schoolNames.get(code) ?? code}${monthWords(month)}第 ${revision} 版上报包`;
  const held = await rows(conn, 'SELECT * FROM packages');
  const heldKeys = new Set<string>();
  for (const r of held) {
    const k = pkgKey(String(r.school_code), String(r.month), Number(r.revision));
    heldKeys.add(k);
    const want = x.packages.get(k);
    const what = pkgWords(String(r.school_code), String(r.month), Number(r.revision));
    if (!want) {
      problems.push(`${what}没有导入记录（未经本软件导入）`);
      continue;
    }
    const cols = differing(want.row, r).map((c) => (c === 'created_at' ? 'created_at_pkg' : c));
    if (cols.length) problems.push(`${what}的${cols.map((c) => `“${words(c)}”`).join('、')}与导入时记录的不符（在软件之外被改动）`);
  }
  for (const [k, p] of x.packages) if (!heldKeys.has(k)) problems.push(`${pkgWords(String(p.row.school_code), String(p.row.month), Number(p.row.revision))}在导入记录中有，数据库中却没有（被删除）`);

  for (const t of TABLE_NAMES) {
    // The table read by package (its rows in any order within it: digestRows sorts them), one package's rows held at a time.
    const found = new Map<string, { n: number; sha256: string; code: string; month: string; revision: number }>();
    const result = await conn.stream(`SELECT * FROM ${t} ORDER BY school_code, month, revision`);
    let cur: { k: string; code: string; month: string; revision: number; rows: unknown[][] } | null = null;
    const flush = () => {
      if (cur) found.set(cur.k, { ...digestRows(cur.rows), code: cur.code, month: cur.month, revision: cur.revision });
    };
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const r of chunk.getRows()) {
        const code = String(r[0]);
        const month = String(r[1]);
        const revision = Number(r[2]);
        const k = pkgKey(code, month, revision);
        if (!cur || cur.k !== k) {
          flush();
          cur = { k, code, month, revision, rows: [] };
        }
        cur.rows.push(r.slice(3));
      }
    }
    flush();
    for (const [k, p] of x.packages) {
      const want = p.tables?.[t];
      if (!want) continue;
      const g = found.get(k) ?? { ...digestRows([]) };
      const n = g.n;
      const sha = g.sha256;
      found.delete(k);
      if (n !== want.n) problems.push(`${pkgWords(String(p.row.school_code), String(p.row.month), Number(p.row.revision))}的${PACKAGE_TABLES[t]}（${t}）导入时 ${want.n} 行，现在 ${n} 行（在软件之外被改动）`);
      else if (sha !== want.sha256) problems.push(`${pkgWords(String(p.row.school_code), String(p.row.month), Number(p.row.revision))}的${PACKAGE_TABLES[t]}（${t}）内容与导入时记录的不符（在软件之外被改动）`);
    }
    for (const g of found.values()) {
      problems.push(`${PACKAGE_TABLES[t]}（${t}）中有 ${g.n} 行属于${pkgWords(g.code, g.month, g.revision)}，它没有导入记录（未经本软件写入）`);
    }
  }

  // The purchase sums the views read (schema 8, derived.ts) against the lines: a sum changed behind the app's back
  // would move 食材价格 and 供应商 without any line changing.
  const SUM_WORDS = { purchase_items: '采购按食材汇总', purchase_item_suppliers: '采购按食材与供应商汇总' } as const;
  for (const d of await purchaseSumDifferences(conn)) {
    const r = d.row;
    const supplier = d.table === 'purchase_item_suppliers' ? `（供应商 ${r.supplier_credit_code || '无信用代码'}）` : '';
    const what = `${SUM_WORDS[d.table]}（${d.table}）中${pkgWords(String(r.school_code), String(r.month), Number(r.revision))}的${itemWords(r)}${supplier}`;
    problems.push(d.kind === 'missing' ? `${what}一行缺失或被改动（按采购明细重算应有）` : `${what}一行多出或被改动（采购明细重算没有这一行）`);
  }

  const ok = problems.length === 0;
  return {
    ok,
    summary: ok
      ? `中心数据库校验通过：审计记录 ${entries} 条首尾相接，${x.packages.size} 个上报包的数据与导入时记录的哈希和行数一致，学校、用户与食材对应与审计记录一致`
      : `中心数据库校验发现 ${problems.length} 处问题，第一处：${problems[0]}`,
    problems,
    auditEntries: entries,
    packages: x.packages.size,
  };
}
