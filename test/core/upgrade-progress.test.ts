import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { LATEST_VERSION, openLedger, schemaVersion } from '../../electron/core/db/open.ts';
import { splitStatements } from '../../electron/core/db/sql-split.ts';
import { pendingUpgrade, upgradeLedger, type UpgradeProgress } from '../../electron/core/db/upgrade.ts';
import { classSortKey } from '../../shared/class-order.ts';
import { tempLedger } from '../helpers/backend.ts';
import { writeSchema25Ledger } from '../helpers/old-ledger.ts';

/**
 * Issue 19, progress on long work: opening a ledger of an older version backs it up and brings it up the ladder; the
 * upgrade says what it does as it goes — the backup's pages, then step k of n with its name, each statement and the
 * rows of the table it reads — and the steps stay one transaction each. The old ledger is a real file built the way
 * the migration tests build one: the ladder up to version 25, then rows as that version held them (300 weeks of
 * menus, which step 0026 copies out and back).
 */
const dirs: { cleanup(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.cleanup();
});

const WEEKS = 300;

function schema25Ledger(): { file: string; dir: string } {
  const t = tempLedger('v25.sqlite');
  dirs.push(t);
  writeSchema25Ledger(t.file, WEEKS);
  return t;
}

describe('the ladder cut into statements', () => {
  it('builds the same schema as each step run whole, and every statement of every step is in one piece', () => {
    const whole = new Database(':memory:');
    const cut = new Database(':memory:');
    for (const d of [whole, cut]) d.function('class_order', { deterministic: true }, classSortKey);
    for (const m of MIGRATIONS) {
      whole.exec(m.sql);
      const parts = splitStatements(m.sql);
      // Nothing lost or moved: the pieces are the text, up to blanks and comments after its last statement.
      expect(m.sql.startsWith(parts.join(''))).toBe(true);
      expect(m.sql.slice(parts.join('').length).replace(/--[^\n]*|\s/g, '')).toBe('');
      for (const p of parts) cut.exec(p);
    }
    const q = 'SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name';
    expect(cut.prepare(q).all()).toEqual(whole.prepare(q).all());
    whole.close();
    cut.close();
  });

  it('keeps a trigger body whole, CASE … END inside it, semicolons in strings and comments', () => {
    const sql = `
-- a comment; with a semicolon
CREATE TABLE t (a TEXT CHECK (a <> ';'));
CREATE TRIGGER t_ins BEFORE INSERT ON t
BEGIN
  SELECT CASE WHEN NEW.a = 'x;y' THEN RAISE(ABORT, '不行；') END;
  SELECT 1; /* ; */
END;
INSERT INTO t (a) VALUES ('it''s; fine');`;
    expect(splitStatements(sql).map((s) => s.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual(['-- a comment;', 'CREATE TRIGGER t_ins', 'INSERT INTO t']);
    expect(splitStatements(sql)[1]).toContain("THEN RAISE(ABORT, '不行；') END;\n  SELECT 1; /* ; */\nEND;");
  });
});

describe('upgrading a schema-25 ledger reports its progress in order', () => {
  it('the backup of version 25 page by page, then step 1 … n statement by statement, the copy of menus with its rows', async () => {
    const t = schema25Ledger();
    expect(pendingUpgrade(t.file)).toEqual({ from: 25, to: LATEST_VERSION });
    const seen: UpgradeProgress[] = [];
    const at = new Date(Date.UTC(2026, 9, 12, 2, 0, 0));
    const r = await upgradeLedger(t.file, { now: () => at, onProgress: (p) => seen.push(p) });

    // The backup: its file named before the first page, pages never going back, then the copy's check.
    const backup = path.join(t.dir, 'backups', `canteen-20261012-100000-000-premigrate-v25-v${LATEST_VERSION}.sqlite`);
    expect(r).toEqual({ from: 25, to: LATEST_VERSION, backupFile: backup });
    const backupPhase = seen.filter((p) => p.phase === 'backup');
    expect(seen.slice(0, backupPhase.length)).toEqual(backupPhase);
    expect(backupPhase[0]).toMatchObject({ step: '升级前备份：复制账本数据', done: 0, total: 0, backupFile: backup, from: 25 });
    // One scale for the copy and its check: the pages copied count for the first half, the check (quick_check, then
    // table by table) for the second; never going back, ending at the whole.
    const scaled = backupPhase.filter((p) => p.total > 0);
    const whole = scaled[0].total;
    expect(scaled.every((p) => p.total === whole)).toBe(true);
    for (let i = 1; i < scaled.length; i++) expect(scaled[i].done).toBeGreaterThanOrEqual(scaled[i - 1].done);
    const copied = scaled.filter((p) => p.step === '升级前备份：复制账本数据');
    const check = scaled.filter((p) => p.step === '升级前备份：检查备份文件');
    expect(copied.length).toBeGreaterThan(0);
    expect(copied.every((p) => p.done <= whole / 2)).toBe(true);
    expect(scaled.indexOf(check[0])).toBe(copied.length);
    // The copy's page check, then each of the copy's tables (the ladder to 25 made dozens): many steps.
    expect(check.length).toBeGreaterThan(20);
    expect(check[0].done).toBe(whole / 2);
    expect(check.at(-1)!.done).toBeLessThan(whole);
    expect(check.at(-1)!.done).toBeGreaterThan(0.9 * whole);

    // The ladder: steps in the order of the ladder, statements counted up to all of them.
    const ladder = seen.filter((p) => p.phase === 'migrate');
    expect(ladder.length).toBeGreaterThan(0);
    const steps = LATEST_VERSION - 25;
    expect(ladder.every((p) => p.migration!.steps === steps)).toBe(true);
    for (let i = 1; i < ladder.length; i++) {
      expect(ladder[i].migration!.stepNo).toBeGreaterThanOrEqual(ladder[i - 1].migration!.stepNo);
      expect(ladder[i].done).toBeGreaterThanOrEqual(ladder[i - 1].done);
      expect(ladder[i].total).toBe(ladder[0].total);
    }
    expect(ladder[0]).toMatchObject({ done: 0, migration: { stepNo: 1, name: '0026_menu_amendments' } });
    expect(ladder[0].step.startsWith(`第 1/${steps} 步 0026_menu_amendments：`)).toBe(true);
    const names = [...new Set(ladder.map((p) => p.migration!.name))];
    expect(names.slice(0, 2)).toEqual(['0026_menu_amendments', '0027_signing_key']);
    expect(names).toEqual(MIGRATIONS.slice(25).map((m) => m.name));
    // Each step ends with its own '完成'; the last is the end of it all.
    expect(ladder.filter((p) => p.migration!.what === '完成').map((p) => p.migration!.stepNo)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(ladder.at(-1)).toMatchObject({ done: ladder[0].total, etaSeconds: 0, migration: { stepNo: steps, what: '完成' } });
    // The step that copies the table out and back says so, with its rows.
    const copy = ladder.find((p) => p.migration!.what === '写入数据表 menus（读取 menus_0026）');
    expect(copy).toMatchObject({ migration: { stepNo: 1, rows: WEEKS } });
    expect(copy!.step).toBe(`第 1/${steps} 步 0026_menu_amendments：写入数据表 menus（读取 menus_0026）（300 行）`);

    // The ledger is at the newest version with every menu; the backup holds version 25 as it was.
    const db = openLedger(t.file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT count(*) AS n FROM menus').get()).toEqual({ n: WEEKS });
    db.close();
    const old = new Database(backup, { readonly: true });
    expect(old.pragma('user_version', { simple: true })).toBe(25);
    expect(old.prepare('SELECT count(*) AS n FROM menus').get()).toEqual({ n: WEEKS });
    old.close();
    expect(pendingUpgrade(t.file)).toBeNull();
    expect(await upgradeLedger(t.file, { onProgress: () => expect.unreachable() })).toBeNull();
  });

  it('a step is one transaction: stopped inside step 2, the ledger is at version 26 whole, and the next open finishes', () => {
    const t = schema25Ledger();
    let stopped = false;
    expect(() =>
      openLedger(t.file, {
        onMigrate: (p) => {
          if (p.stepNo === 2 && p.what !== '完成' && p.done > 0 && !stopped) {
            stopped = true;
            throw new Error('stop');
          }
        },
      }),
    ).toThrow('stop');
    const raw = new Database(t.file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(26);
    // Step 2 (0027) made its table in its first statement; rolled back with the rest of the step.
    expect(raw.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE name = 'signing_keys'`).get()).toEqual({ n: 0 });
    raw.close();
    const db = openLedger(t.file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    db.close();
    expect(fs.existsSync(t.file)).toBe(true);
  });
});
