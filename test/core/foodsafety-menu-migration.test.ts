import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { LATEST_VERSION, openLedger, schemaVersion } from '../../electron/core/db/open.ts';
import { tempLedger } from '../helpers/backend.ts';

/**
 * Migration 0026 rebuilds menus (issue 17's 修订: no more one row per week) under foreign keys: a schema-25 ledger
 * holding two weeks' menus — one approved with two lines and two reviews (returned, then approved), one draft with a
 * line — comes up to the latest version with every menus row as it was (same columns, same values, same order), its
 * lines and reviews still pointing at it, no foreign-key problem, and the new rules in force.
 */
const t = tempLedger('v25.sqlite');
afterAll(() => t.cleanup());

describe('migration 0026 on a schema-25 ledger with menus', () => {
  it('keeps every menu row, line and review, and the new rules hold', () => {
    const raw = new Database(t.file);
    for (const m of MIGRATIONS.slice(0, 25)) raw.exec(m.sql);
    raw.pragma('user_version = 25');
    raw.exec(`
      INSERT INTO users (id, origin, username, display_name, password_hash, created_at, updated_at) VALUES
        ('k', 'o', 'keeper', '张保管', 'scrypt$x', 't', 't'), ('p', 'o', 'parent', '周家长', 'scrypt$x', 't', 't');
      INSERT INTO ingredients (id, origin, name, category, unit, py_initials, py_full, created_at, updated_at) VALUES ('rice', 'o', '大米', 'grain', 'kg', 'dm', 'dami', 't', 't');
      INSERT INTO menus (id, origin, week_start, status, note, created_at, created_by, updated_at, updated_by) VALUES
        ('m1', 'o', '2026-10-12', 'draft', '第一周', 't1', 'k', 't1', 'k'),
        ('m2', 'o', '2026-10-19', 'draft', '', 't2', 'k', 't2', 'k');
      INSERT INTO menu_items (menu_id, line_no, day, meal, dish, ingredient_id, age_group, qty_mg) VALUES
        ('m1', 1, '2026-10-12', 'lunch', '米饭', 'rice', '6-8', 100000), ('m1', 2, '2026-10-13', 'lunch', '米饭', 'rice', '6-8', 110000),
        ('m2', 1, '2026-10-19', 'lunch', '米饭', 'rice', '6-8', 120000);
      UPDATE menus SET status = 'submitted', submitted_at = 't3', submitted_by = 'k' WHERE id = 'm1';
      INSERT INTO menu_reviews (menu_id, seq, decision, remark, reviewed_at, reviewed_by) VALUES ('m1', 1, 'returned', '少了汤', 't4', 'p');
      UPDATE menus SET status = 'draft', submitted_at = NULL, submitted_by = NULL WHERE id = 'm1';
      UPDATE menus SET status = 'submitted', submitted_at = 't5', submitted_by = 'k' WHERE id = 'm1';
      INSERT INTO menu_reviews (menu_id, seq, decision, remark, reviewed_at, reviewed_by) VALUES ('m1', 2, 'approved', '', 't6', 'p');
      UPDATE menus SET status = 'approved', approved_at = 't6', approved_by = 'p' WHERE id = 'm1';
    `);
    const before = {
      menus: raw.prepare('SELECT * FROM menus ORDER BY rowid').raw(true).all(),
      items: raw.prepare('SELECT * FROM menu_items ORDER BY menu_id, line_no').all(),
      reviews: raw.prepare('SELECT * FROM menu_reviews ORDER BY menu_id, seq').all(),
    };
    raw.close();

    const db = openLedger(t.file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT * FROM menus ORDER BY rowid').raw(true).all()).toEqual(before.menus);
    expect(before.menus.map((r) => (r as unknown[]).slice(0, 4))).toEqual([
      ['m1', 'o', '2026-10-12', 'approved'],
      ['m2', 'o', '2026-10-19', 'draft'],
    ]);
    expect(db.prepare('SELECT * FROM menu_items ORDER BY menu_id, line_no').all()).toEqual(before.items);
    expect(db.prepare('SELECT * FROM menu_reviews ORDER BY menu_id, seq').all()).toEqual(before.reviews);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // The rules after it: the approved menu still frozen; a second open menu of a week refused; a line to nowhere too.
    expect(() => db.prepare(`UPDATE menus SET note = 'x' WHERE id = 'm1'`).run()).toThrow('已审定的带量食谱不能修改');
    expect(() =>
      db.prepare(`INSERT INTO menus (id, origin, week_start, status, note, created_at, created_by, updated_at, updated_by) VALUES ('m3', 'o', '2026-10-19', 'draft', '', 't', 'k', 't', 'k')`).run(),
    ).toThrow('UNIQUE constraint failed: menus.week_start');
    expect(() => db.prepare(`INSERT INTO menu_items (menu_id, line_no, day, meal, dish, ingredient_id, age_group, qty_mg) VALUES ('nope', 1, '2026-10-19', 'lunch', 'x', 'rice', '6-8', 1)`).run()).toThrow();
    db.close();
  });
});
