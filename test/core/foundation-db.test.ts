import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { LATEST_VERSION, openLedger, schemaVersion } from '../../electron/core/db/open.ts';
import type { Ctx } from '../../electron/core/context.ts';
import { uuidv7 } from '../../electron/core/ids.ts';
import { groupRows, rowsWhere, snapshotRows } from '../../electron/core/row-snapshot.ts';
import { tempLedger } from '../helpers/backend.ts';

const temps: (() => void)[] = [];
afterEach(() => temps.splice(0).forEach((c) => c()));
function temp() {
  const t = tempLedger();
  temps.push(t.cleanup);
  return t;
}

describe('opening the ledger', () => {
  it('creates a fresh ledger at the latest schema with WAL, FULL sync and foreign keys', () => {
    const { file } = temp();
    const db = openLedger(file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('reopens an up-to-date ledger without touching it', () => {
    const { file } = temp();
    openLedger(file).close();
    const before = fs.readFileSync(file);
    const db = openLedger(file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a ledger from a newer version and leaves it as it was', () => {
    const { file } = temp();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openLedger(file)).toThrow(/更新版本/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not SQLite', () => {
    const { file } = temp();
    fs.writeFileSync(file, '这不是数据库'.repeat(100));
    expect(() => openLedger(file)).toThrow(/不是账本数据库文件/);
    expect(fs.readFileSync(file, 'utf8')).toBe('这不是数据库'.repeat(100));
  });

  it('refuses a ledger cut short (fewer bytes than its header counts) without reading every page, and leaves it as it was', () => {
    const { file } = temp();
    const db = openLedger(file);
    db.exec('CREATE TABLE padding (x BLOB); INSERT INTO padding VALUES (zeroblob(200000))');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    // Header: page size at byte 16, page count at byte 28 (valid: the file was just checkpointed).
    const full = fs.readFileSync(file);
    const pages = full.readUInt32BE(28);
    expect(full.length).toBe(pages * full.readUInt16BE(16));
    const cut = full.subarray(0, full.length - 4096 * 3);
    fs.writeFileSync(file, cut);
    expect(() => openLedger(file)).toThrow(/账本文件已损坏（文件被截断/);
    expect(fs.readFileSync(file).equals(cut)).toBe(true);
  });

  it('hands out one compiled statement per SQL text, and a fresh one while that statement is still being iterated', () => {
    const { file } = temp();
    const db = openLedger(file);
    const sql = 'SELECT value FROM json_each(?)';
    const a = db.prepare(sql);
    expect(db.prepare(sql)).toBe(a);
    const seen: number[] = [];
    for (const row of a.iterate('[1,2]') as IterableIterator<{ value: number }>) {
      const inner = db.prepare(sql);
      expect(inner).not.toBe(a);
      seen.push(row.value, ...(inner.all('[10]') as { value: number }[]).map((r) => r.value));
    }
    expect(seen).toEqual([1, 10, 2, 10]);
    expect(db.prepare(sql)).toBe(a);
    db.close();
  });

  it('applies each migration step in its own transaction and stops at a failing one', () => {
    const { file } = temp();
    // A half-built schema: the first step's table already exists, so step 1 fails and nothing of it stays.
    const raw = new Database(file);
    raw.exec('CREATE TABLE installation (x INTEGER)');
    raw.close();
    expect(() => openLedger(file)).toThrow();
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'users'`).get()).toEqual({ n: 0 });
    check.close();
  });

  it('keeps one installation id across openings', () => {
    const { file } = temp();
    const a = openBackend({ file });
    const id = a.ctx.installationId;
    a.close();
    const b = openBackend({ file });
    expect(b.ctx.installationId).toBe(id);
    b.close();
  });
});

describe('STRICT tables and CHECK constraints hold without the API', () => {
  function db() {
    const { file } = temp();
    return openLedger(file);
  }
  const at = '2026-09-15T02:00:00.000Z';

  it('refuses wrong types in STRICT tables', () => {
    const d = db();
    expect(() =>
      d.prepare(`INSERT INTO ingredients (id, origin, name, category, unit, ref_price_fen, py_initials, py_full, created_at, updated_at)
                 VALUES ('i1', 'o', '白菜', 'vegetable', 'kg', '2.5', 'bc', 'baicai', ?, ?)`).run(at, at),
    ).toThrow(/cannot store (TEXT|REAL) value in INTEGER column/);
    d.close();
  });

  it('refuses an unknown category, a negative price, a bad role and a malformed date', () => {
    const d = db();
    const ins = (category: string, price: number) =>
      d.prepare(`INSERT INTO ingredients (id, origin, name, category, unit, ref_price_fen, py_initials, py_full, created_at, updated_at)
                 VALUES (?, 'o', ?, ?, 'kg', ?, 'x', 'x', ?, ?)`).run(uuidv7(), `品${Math.random()}`, category, price, at, at);
    expect(() => ins('candy', 100)).toThrow(/CHECK constraint failed/);
    expect(() => ins('vegetable', -1)).toThrow(/CHECK constraint failed/);
    d.prepare(`INSERT INTO users (id, origin, username, display_name, password_hash, created_at, updated_at) VALUES ('u1', 'o', 'zs', '张三', 'scrypt$x', ?, ?)`).run(at, at);
    expect(() => d.prepare(`INSERT INTO user_roles (user_id, role) VALUES ('u1', 'boss')`).run()).toThrow(/CHECK constraint failed/);
    expect(() => d.prepare(`INSERT INTO user_roles (user_id, role) VALUES ('nobody', 'admin')`).run()).toThrow(/FOREIGN KEY/);
    expect(() =>
      d.prepare(`INSERT INTO closed_periods (period, closed_at, closed_by) VALUES ('2026-9', ?, 'u1')`).run(at),
    ).toThrow(/CHECK constraint failed/);
    d.close();
  });
});

describe('the double-entry journal in SQL', () => {
  const at = '2026-09-15T02:00:00.000Z';
  function open() {
    const { file } = temp();
    const d = openLedger(file);
    const entry = (id: string, date: string) =>
      d.prepare(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES (?, 'o', ?, '测试', 'test', 'open', ?)`).run(id, date, at);
    const posting = (id: string, account: string, fen: number) =>
      d.prepare('INSERT INTO journal_postings (entry_id, account, amount_fen) VALUES (?, ?, ?)').run(id, account, fen);
    const post = (id: string) => d.prepare(`UPDATE journal_entries SET status = 'posted' WHERE id = ?`).run(id);
    return { d, entry, posting, post };
  }

  it('posts a balanced entry and refuses an unbalanced one', () => {
    const { d, entry, posting, post } = open();
    entry('e1', '2026-09-15');
    posting('e1', 'expense:vegetable', 12_345);
    posting('e1', 'cash', -12_345);
    post('e1');
    entry('e2', '2026-09-15');
    posting('e2', 'expense:vegetable', 100);
    posting('e2', 'cash', -99);
    expect(() => post('e2')).toThrow(/借贷不平衡/);
    entry('e3', '2026-09-15');
    posting('e3', 'cash', 0 + 1);
    expect(() => post('e3')).toThrow(/借贷不平衡/); // a single posting never balances
    d.close();
  });

  it('refuses to change, delete or add to a posted entry', () => {
    const { d, entry, posting, post } = open();
    entry('e1', '2026-09-15');
    posting('e1', 'bank', 500);
    posting('e1', 'income:fees', -500);
    post('e1');
    expect(() => d.prepare(`UPDATE journal_postings SET amount_fen = 600 WHERE entry_id = 'e1'`).run()).toThrow(/不能修改/);
    expect(() => d.prepare(`DELETE FROM journal_postings WHERE entry_id = 'e1'`).run()).toThrow(/不能删除/);
    expect(() => d.prepare(`UPDATE journal_entries SET memo = '改' WHERE id = 'e1'`).run()).toThrow(/不能修改/);
    expect(() => d.prepare(`DELETE FROM journal_entries WHERE id = 'e1'`).run()).toThrow(/不能删除/);
    expect(() => posting('e1', 'cash', 1)).toThrow(/不能再添加/);
    expect(() => d.prepare(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES ('e9', 'o', '2026-09-15', 'x', 't', 'posted', ?)`).run(at)).toThrow(/未过账/);
    const sum = d.prepare('SELECT sum(amount_fen) AS s, count(*) AS n FROM journal_postings').get();
    expect(sum).toEqual({ s: 0, n: 2 });
    d.close();
  });

  it('refuses entries dated in a closed month, and allows the next month', () => {
    const { d, entry } = open();
    d.prepare(`INSERT INTO closed_periods (period, closed_at, closed_by) VALUES ('2026-09', ?, 'u')`).run(at);
    expect(() => entry('e1', '2026-09-30')).toThrow(/已月结锁定/);
    entry('e2', '2026-10-01');
    d.close();
  });

  it('refuses a zero posting and a gap in document numbers', () => {
    const { d, entry, posting } = open();
    entry('e1', '2026-09-15');
    expect(() => posting('e1', 'cash', 0)).toThrow(/CHECK constraint failed/);
    d.prepare(`INSERT INTO doc_counters (series, year, last) VALUES ('YS', 2026, 1)`).run();
    expect(() => d.prepare(`UPDATE doc_counters SET last = 3 WHERE series = 'YS'`).run()).toThrow(/逐一递增/);
    expect(() => d.prepare(`DELETE FROM doc_counters`).run()).toThrow(/不能删除/);
    d.close();
  });

  it('keeps the audit log append-only', () => {
    const { d } = open();
    d.prepare(`INSERT INTO audit_log (seq, at, action, entity, prev_hash, hash) VALUES (1, ?, 'x', 'y', '0', 'h')`).run(at);
    expect(() => d.prepare(`UPDATE audit_log SET action = 'z'`).run()).toThrow(/不能修改/);
    expect(() => d.prepare(`DELETE FROM audit_log`).run()).toThrow(/不能删除/);
    d.close();
  });
});

describe('ids', () => {
  it('are UUIDv7, time-ordered and unique', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(Date.UTC(2026, 8, 15)));
    for (const id of ids.slice(0, 5)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    // The first 48 bits are the millisecond time: 2030-01-01T00:00Z = 1893456000000 ms = 0x01b8_dac5_b400.
    expect(uuidv7(1893456000000).slice(0, 13)).toBe('01b8dac5-b400');
  });
});

describe('migration 0011 (fewer pages per post)', () => {
  it('carries the account totals over, keyed by date first, and drops the postings-by-account index', () => {
    const { file } = temp();
    const raw = new Database(file);
    for (const m of MIGRATIONS.slice(0, 10)) raw.exec(m.sql);
    raw.pragma('user_version = 10');
    // Cash 100.00 on 09-01 and 50.00 on 09-02, and 20.00 on 10-01, each against fee income.
    const post = (id: string, date: string, fen: number) => {
      raw.prepare(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES (?, 'o', ?, 'm', 'test', 'open', 't')`).run(id, date);
      raw.prepare(`INSERT INTO journal_postings (entry_id, account, amount_fen) VALUES (?, 'cash', ?), (?, 'income:fees', ?)`).run(id, fen, id, -fen);
      raw.prepare(`UPDATE journal_entries SET status = 'posted' WHERE id = ?`).run(id);
    };
    post('e1', '2026-09-01', 10_000);
    post('e2', '2026-09-02', 5_000);
    post('e3', '2026-10-01', 2_000);
    raw.close();
    const db = openLedger(file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT * FROM account_day_totals').all()).toEqual([
      { day: '2026-09-01', account: 'cash', amount_fen: 10_000, postings: 1 },
      { day: '2026-09-01', account: 'income:fees', amount_fen: -10_000, postings: 1 },
      { day: '2026-09-02', account: 'cash', amount_fen: 5_000, postings: 1 },
      { day: '2026-09-02', account: 'income:fees', amount_fen: -5_000, postings: 1 },
      { day: '2026-10-01', account: 'cash', amount_fen: 2_000, postings: 1 },
      { day: '2026-10-01', account: 'income:fees', amount_fen: -2_000, postings: 1 },
    ]);
    // The columns in their old order; the rows in month order (the key).
    expect(db.prepare('SELECT * FROM account_month_totals').all()).toEqual([
      { account: 'cash', month: '2026-09', amount_fen: 15_000, postings: 2 },
      { account: 'income:fees', month: '2026-09', amount_fen: -15_000, postings: 2 },
      { account: 'cash', month: '2026-10', amount_fen: 2_000, postings: 1 },
      { account: 'income:fees', month: '2026-10', amount_fen: -2_000, postings: 1 },
    ]);
    const indexes = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index'`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).not.toContain('journal_postings_account');
    expect(indexes).not.toContain('account_month_totals_month');
    // The triggers keep both tables after the migration as before it: 09-02 gets 3.00 more.
    db.prepare(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES ('e4', 'o', '2026-09-02', 'm', 'test', 'open', 't')`).run();
    db.prepare(`INSERT INTO journal_postings (entry_id, account, amount_fen) VALUES ('e4', 'cash', 300), ('e4', 'income:fees', -300)`).run();
    expect(db.prepare(`SELECT amount_fen, postings FROM account_day_totals WHERE day = '2026-09-02' AND account = 'cash'`).get()).toEqual({ amount_fen: 5_300, postings: 2 });
    expect(db.prepare(`SELECT amount_fen, postings FROM account_month_totals WHERE month = '2026-09' AND account = 'cash'`).get()).toEqual({ amount_fen: 15_300, postings: 3 });
    db.close();
  });
});

describe('audit row snapshots read by an index', () => {
  // Each write snapshots its rows for verify (row-snapshot.ts groupRows); a snapshot read that scans its table makes
  // every write slower as the years add up (subsidy_meals by batch did, docs/PERFORMANCE.md).
  it('every groupRows(table, column) and rowsWhere(table, where) in the core searches, never scans', () => {
    const dir = path.resolve(import.meta.dirname, '../../electron/core');
    const calls = new Set<string>();
    for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/groupRows\(ctx, '(\w+)', '(\w+)'/g)) calls.add(`${m[1]}.${m[2]}`);
    }
    expect(calls.size).toBeGreaterThan(15);
    expect(calls).toContain('subsidy_meals.batch_id');
    // rowsWhere(ctx, table, where, …) with a constant WHERE, as the stock-in's and the issues' snapshots read them.
    const wheres = new Set<string>();
    for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/rowsWhere\(ctx, '(\w+)', '([^']+)'/g)) wheres.add(`${m[1]}|${m[2]}`);
    }
    expect(wheres).toContain('stock_issues|delivery_id = ?');
    const { file } = temp();
    const db = openLedger(file);
    const scans = [...calls].filter((c) => {
      const [t, col] = c.split('.');
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM "${t}" WHERE "${col}" = ?`).all('x') as { detail: string }[];
      return plan.some((p) => p.detail.startsWith('SCAN'));
    });
    for (const w of wheres) {
      const [t, where] = w.split('|');
      const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM "${t}" WHERE ${where}`).all(...Array(where.split('?').length - 1).fill('x')) as { detail: string }[];
      if (plan.some((p) => p.detail.startsWith('SCAN'))) scans.push(w);
    }
    db.close();
    expect(scans).toEqual([]);
  });

  it('are the columns once and each row as values; the older form with a row object each still reads', () => {
    const { file } = temp();
    const db = openLedger(file);
    const ctx = { db } as unknown as Ctx;
    const snap = rowsWhere(ctx, 'accounts', "code IN ('bank', 'cash') ORDER BY code");
    expect(snap).toEqual({ t: 'accounts', cols: ['code', 'name', 'kind', 'supplier_id'], vals: [['bank', '银行存款（食堂专户）', 'asset', null], ['cash', '库存现金', 'asset', null]] });
    const rows = [
      { code: 'bank', name: '银行存款（食堂专户）', kind: 'asset', supplier_id: null },
      { code: 'cash', name: '库存现金', kind: 'asset', supplier_id: null },
    ];
    // The same query as a plain statement still gives objects: raw mode stays on the snapshot's own statement.
    expect(db.prepare(`SELECT * FROM "accounts" WHERE code IN ('bank', 'cash') ORDER BY code`).all()).toEqual(rows);
    expect(groupRows(ctx, 'accounts', 'code', 'none')).toEqual({ t: 'accounts', g: 'none', cols: ['code', 'name', 'kind', 'supplier_id'], vals: [] });
    db.close();
    expect(snapshotRows(snap)).toEqual(rows);
    expect(snapshotRows({ t: 'accounts', rows } as never)).toEqual(rows);
    expect(snapshotRows({ t: 'accounts' } as never)).toBeNull();
  });
});
