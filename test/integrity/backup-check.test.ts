import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackup, createBackupSync } from '../../electron/core/integrity/backup.ts';
import { tempLedger } from '../helpers/backend.ts';

/**
 * The backup's check of its copy in steps (issue 19: so a ten-year backup's half minute of checking shows progress
 * instead of sitting at 100 %): quick_check, then integrity_check table by table. Together they must still refuse what
 * integrity_check refused — here an index whose entry names a value no row has (one of its keys changed in the file,
 * the page's order kept): every page is sound, so quick_check passes, and only the per-table check finds the rows missing.
 */
const dirs: { cleanup(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.cleanup();
});

function ledgerWithAStaleIndexKey(): { file: string; dir: string } {
  const t = tempLedger();
  dirs.push(t);
  const db = new Database(t.file);
  db.exec(`CREATE TABLE t (a TEXT NOT NULL, b TEXT NOT NULL); CREATE INDEX t_a ON t (a); CREATE INDEX t_b ON t (b);`);
  const ins = db.prepare('INSERT INTO t (a, b) VALUES (?, ?)');
  for (let i = 0; i < 50; i++) ins.run(`a${i}`, `b${49 - i}`);
  const root = (db.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 't_a'`).get() as { rootpage: number }).rootpage;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma('journal_mode = DELETE');
  db.close();
  // In the index's page (one page: 50 short keys), the largest key 'a9' becomes 'a:' (still the largest, so the page's
  // order holds): the index names a value no row has.
  const bytes = fs.readFileSync(t.file);
  const page = bytes.subarray((root - 1) * pageSize, root * pageSize);
  const at = page.indexOf(Buffer.from('a9'));
  expect(at).toBeGreaterThan(0);
  page[at + 1] = ':'.charCodeAt(0);
  fs.writeFileSync(t.file, bytes);
  return t;
}

describe("the backup's check of its copy", () => {
  it('finds an index that does not match its table, which quick_check alone passes; nothing is kept', async () => {
    const t = ledgerWithAStaleIndexKey();
    const db = new Database(t.file);
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    expect(db.pragma('integrity_check', { simple: true })).not.toBe('ok');
    const dir = path.join(t.dir, 'backups');
    const steps: string[] = [];
    await expect(createBackup(db, dir, 'manual', new Date(Date.UTC(2026, 9, 12, 2)), '', (step, done, total) => steps.push(`${step} ${done}/${total}`))).rejects.toThrow(/^备份文件校验未通过（.*(missing from index|wrong # of entries in index).*），备份没有保存/);
    expect(() => createBackupSync(db, dir, 'manual', new Date(Date.UTC(2026, 9, 12, 3)))).toThrow(/^备份文件校验未通过（.*(missing from index|wrong # of entries in index).*），备份没有保存/);
    db.close();
    expect(fs.readdirSync(dir)).toEqual([]);
    // The copy's pages were the first half of the scale; the check's steps came after, on the same scale.
    const check = steps.filter((s) => s.startsWith('检查备份文件'));
    expect(check.length).toBeGreaterThanOrEqual(2);
    const [, done, total] = /(\d+)\/(\d+)$/.exec(check[0])!.map(Number) as number[];
    expect(done * 2).toBe(total);
  });

  it('a sound ledger backs up, its check reaching every table', async () => {
    const t = tempLedger();
    dirs.push(t);
    const db = new Database(t.file);
    db.exec(`CREATE TABLE x (v TEXT); CREATE TABLE y (v TEXT); CREATE INDEX y_v ON y (v); INSERT INTO x VALUES ('1'); INSERT INTO y VALUES ('2');`);
    const steps: [string, number, number][] = [];
    const b = await createBackup(db, path.join(t.dir, 'backups'), 'manual', new Date(Date.UTC(2026, 9, 12, 2)), '', (step, done, total) => steps.push([step, done, total]));
    db.close();
    expect(fs.existsSync(b.file)).toBe(true);
    // quick_check, then x, then y: three steps of the check after the copy, each table weighing its rows (x: 1 + 1,
    // y: 1 + 1; quick_check 0.4 of them, rounded up: 2; 6 in all).
    const check = steps.filter(([s]) => s === '检查备份文件');
    expect(check).toHaveLength(3);
    const whole = check[0][2];
    const half = whole / 2;
    expect(check.map(([, d]) => d)).toEqual([half, Math.round(half + (half * 2) / 6), Math.round(half + (half * 4) / 6)]);
  });
});
