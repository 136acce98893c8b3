import Database from 'better-sqlite3';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { LATEST_VERSION, openLedger, schemaVersion } from '../../electron/core/db/open.ts';
import type { Ctx } from '../../electron/core/context.ts';
import { uuidv7 } from '../../electron/core/ledger/ids.ts';
import { mealDays } from '../../electron/core/ledger/month-figures.ts';
import { groupRows, rowsWhere, snapshotRows } from '../../electron/core/ledger/row-snapshot.ts';
import { rowGroups } from '../../electron/core/ledger/tables.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
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

/** A fresh ledger file with only the first `version` migrations applied, as an older release left it. */
function ledgerAtVersion(version: number) {
  const { file } = temp();
  const raw = new Database(file);
  for (const m of MIGRATIONS.slice(0, version)) raw.exec(m.sql);
  raw.pragma(`user_version = ${version}`);
  return { file, raw };
}

describe('migration 0011 (fewer pages per post)', () => {
  it('carries the account totals over, keyed by date first, and drops the postings-by-account index', () => {
    const { file, raw } = ledgerAtVersion(10);
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

describe('migration 0012 (subsidised meals by class)', () => {
  it('sums the meals of a schema-11 ledger per month, batch class, rate and pupil, and keeps them after', () => {
    const { file, raw } = ledgerAtVersion(11);
    const student = raw.prepare(`INSERT INTO students (id, origin, student_no, name, class_name, meal_plan, subsidy_eligible, py_initials, py_full, created_at, created_by, updated_at, updated_by)
      VALUES (?, 'o', ?, ?, '一(2)班', 'lunch', 1, 'x', 'x', 't', 'u', 't', 'u')`);
    student.run('s1', '001', '甲');
    student.run('s2', '002', '乙');
    const batch = raw.prepare(`INSERT INTO subsidy_batches (id, origin, class_name, meal_date, students, rate_fen, amount_fen, created_at, created_by) VALUES (?, 'o', ?, ?, ?, ?, ?, 't', 'u')`);
    const meal = raw.prepare('INSERT INTO subsidy_meals (batch_id, student_id, meal_date, rate_fen) VALUES (?, ?, ?, ?)');
    // 甲 eats in 一(1)班 on 09-01 and 09-02 at 4.00, then in 一(2)班 on 09-03 at 5.00; 乙 in 一(2)班 on 09-03 and 10-08.
    batch.run('b1', '一(1)班', '2026-09-01', 1, 400, 400);
    batch.run('b2', '一(1)班', '2026-09-02', 1, 400, 400);
    batch.run('b3', '一(2)班', '2026-09-03', 2, 500, 1000);
    batch.run('b4', '一(2)班', '2026-10-08', 1, 500, 500);
    meal.run('b1', 's1', '2026-09-01', 400);
    meal.run('b2', 's1', '2026-09-02', 400);
    meal.run('b3', 's1', '2026-09-03', 500);
    meal.run('b3', 's2', '2026-09-03', 500);
    meal.run('b4', 's2', '2026-10-08', 500);
    raw.close();
    const db = openLedger(file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    // Day d is bit d − 1: the 1st and 2nd = 1 + 2 = 3; the 3rd = 4; the 8th = 128.
    expect(db.prepare('SELECT * FROM subsidy_class_months').all()).toEqual([
      { month: '2026-09', class_name: '一(1)班', rate_fen: 400, student_id: 's1', days: 3, meals: 2 },
      { month: '2026-09', class_name: '一(2)班', rate_fen: 500, student_id: 's1', days: 4, meals: 1 },
      { month: '2026-09', class_name: '一(2)班', rate_fen: 500, student_id: 's2', days: 4, meals: 1 },
      { month: '2026-10', class_name: '一(2)班', rate_fen: 500, student_id: 's2', days: 128, meals: 1 },
    ]);
    // And the trigger after it: 乙 on 10-09 in 一(2)班 (bit 8 = 256 more).
    db.prepare(`INSERT INTO subsidy_batches (id, origin, class_name, meal_date, students, rate_fen, amount_fen, created_at, created_by) VALUES ('b5', 'o', '一(2)班', '2026-10-09', 1, 500, 500, 't', 'u')`).run();
    db.prepare(`INSERT INTO subsidy_meals (batch_id, student_id, meal_date, rate_fen) VALUES ('b5', 's2', '2026-10-09', 500)`).run();
    expect(db.prepare(`SELECT days, meals FROM subsidy_class_months WHERE month = '2026-10' AND student_id = 's2'`).get()).toEqual({ days: 384, meals: 2 });
    db.close();
  });
});

describe('a month\'s meal days read the receipts that can overlap it (monthclose-figures.ts mealDays)', () => {
  it('counts a term-long receipt in a later month, and none of those before or after the month', () => {
    const { file } = temp();
    const db = openLedger(file);
    const student = db.prepare(`INSERT INTO students (id, origin, student_no, name, class_name, meal_plan, subsidy_eligible, py_initials, py_full, created_at, created_by, updated_at, updated_by)
      VALUES (?, 'o', ?, ?, '一(1)班', 'lunch', 0, 'x', 'x', 't', 'u', 't', 'u')`);
    for (const [id, no] of [['s1', '001'], ['s2', '002'], ['s3', '003']]) student.run(id, no, id);
    const day = db.prepare(`INSERT INTO school_days (day, created_at, created_by) VALUES (?, 't', 'u')`);
    for (const d of ['2026-10-30', '2026-11-02', '2026-11-03', '2026-11-04', '2026-12-01', '2027-05-10']) day.run(d);
    const receipt = db.prepare(`INSERT INTO fee_receipts (id, origin, number, receipt_date, student_id, period_key, period_label, period_start, period_end, days, daily_rate_fen, amount_fen, method, created_at, created_by)
      VALUES (?, 'o', ?, ?, ?, ?, 'x', ?, ?, 1, 600, 600, 'cash', 't', 'u')`);
    // s1 pays the autumn term (09-01 to 01-20: its end is 51 days after November's); s2 November; s3 December and May.
    receipt.run('r1', 'SJ2026-0001', '2026-09-01', 's1', '2026秋', '2026-09-01', '2027-01-20');
    receipt.run('r2', 'SJ2026-0002', '2026-11-01', 's2', '2026-11', '2026-11-01', '2026-11-30');
    receipt.run('r3', 'SJ2026-0003', '2026-11-20', 's3', '2026-12', '2026-12-01', '2026-12-31');
    receipt.run('r4', 'SJ2027-0001', '2027-04-20', 's3', '2027-05', '2027-05-01', '2027-05-31');
    const ctx = { db } as unknown as Ctx;
    // November's three school days for s1 and for s2: 6; s3 paid nothing that covers November.
    expect(mealDays(ctx, '2026-11')).toBe(6);
    // December: s1's 12-01 and s3's 12-01; May: s3's 05-10; October: s1's 10-30.
    expect([mealDays(ctx, '2026-12'), mealDays(ctx, '2027-05'), mealDays(ctx, '2026-10')]).toEqual([2, 1, 1]);
    db.close();
  });
});

describe('audit row snapshots read by an index', () => {
  // Each write snapshots its rows for verify (row-snapshot.ts groupRows); a snapshot read that scans its table makes
  // every write slower as the years add up (subsidy_meals by batch did, docs/PERFORMANCE.md).
  /** The query plan of a statement, its parameters bound to a placeholder value. */
  const planOf = (db: Database.Database, sql: string) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array((sql.match(/\?/g) ?? []).length).fill('x')) as { detail: string }[]).map((p) => p.detail);
  /** The index (or key) each table access of a plan goes through; 'SCAN <table>' where one reads the whole table. */
  const accesses = (plan: string[]) =>
    plan.filter((d) => /^(SEARCH|SCAN) /.test(d)).map((d) => (/^SCAN /.test(d) ? d : (/USING (?:COVERING )?(INDEX \w+|INTEGER PRIMARY KEY|PRIMARY KEY)/.exec(d)?.[1] ?? d)));

  it('every row-snapshot statement the app prepares while writing the demo searches by an index, never scans', async () => {
    const { file } = temp();
    const b = openBackend({ file });
    // The statements as the app prepares them (row-snapshot.ts marks its own SQL), recorded on the real connection.
    const seen = new Set<string>();
    const prepare = b.db.prepare.bind(b.db);
    (b.db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
      if (sql.includes('/* row snapshot */')) seen.add(sql.replace(/\s+/g, ' '));
      return prepare(sql);
    };
    try {
      await seedDemo(b);
      expect(seen.size).toBeGreaterThan(15);
      const plans = new Map([...seen].map((sql) => [sql, accesses(planOf(b.db, sql))]));
      expect([...plans].filter(([, a]) => a.some((x) => x.startsWith('SCAN')))).toEqual([]);
      // The reads that once scanned or were added for the snapshots, each through its own index (migrations 0004, 0008).
      expect(plans.get('SELECT * FROM "subsidy_meals" WHERE "batch_id" = ? /* row snapshot */')).toEqual(['INDEX subsidy_meals_batch']);
      expect(plans.get('SELECT * FROM "stock_issues" WHERE delivery_id = ? /* row snapshot */')).toEqual(['INDEX stock_issues_delivery']);
      expect(plans.get('SELECT * FROM "stock_movements" WHERE issue_id = ? /* row snapshot */')).toEqual(['INDEX stock_movements_issue']);
      expect(plans.get('SELECT * FROM "stock_movements" WHERE count_id = ? /* row snapshot */')).toEqual(['INDEX stock_movements_count']);
    } finally {
      b.close();
    }
  }, 300_000);

  it("the group read the registry gives every snapshotted table (groupRows' own statement) searches by an index", () => {
    const { file } = temp();
    const db = openLedger(file);
    try {
      // The statement groupRows builds for the table's group column, taken from groupRows itself.
      const statementOf = (table: string, col: string): string => {
        let sql = '';
        const stmt = { raw: () => stmt, columns: () => [], all: () => [] };
        groupRows({ db: { prepare: (s: string) => ((sql = s), stmt) } } as unknown as Ctx, table, col, 'x');
        return sql;
      };
      const groups = Object.entries(rowGroups());
      expect(groups.length).toBeGreaterThanOrEqual(30);
      const scans = groups.map(([t, col]) => [t, accesses(planOf(db, statementOf(t, col)))] as const).filter(([, a]) => a.length === 0 || a.some((x) => x.startsWith('SCAN')));
      expect(scans).toEqual([]);
      expect(accesses(planOf(db, statementOf('subsidy_meals', 'batch_id')))).toEqual(['INDEX subsidy_meals_batch']);
    } finally {
      db.close();
    }
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
