import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';

/**
 * A ledger file at schema version 25, built the way the migration tests build an old ledger (the ladder up to 25, then
 * rows as that version held them): a storekeeper and `weeks` draft menus, one a week from 2020-01-06 — the table that
 * step 0026 copies out and back. Opening it runs the ladder from 26 on (issue 19: progress of the upgrade).
 */
export function writeSchema25Ledger(file: string, weeks = 300): void {
  const raw = new Database(file);
  try {
    raw.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.slice(0, 25)) raw.exec(m.sql);
    raw.pragma('user_version = 25');
    raw.exec(`INSERT INTO users (id, origin, username, display_name, password_hash, created_at, updated_at) VALUES ('k', 'o', 'keeper', '张保管', 'scrypt$x', 't', 't')`);
    const menu = raw.prepare(`INSERT INTO menus (id, origin, week_start, status, note, created_at, created_by, updated_at, updated_by) VALUES (?, 'o', ?, 'draft', '', 't', 'k', 't', 'k')`);
    raw.transaction(() => {
      for (let i = 0; i < weeks; i++) menu.run(`m${i}`, new Date(Date.UTC(2020, 0, 6 + 7 * i)).toISOString().slice(0, 10));
    })();
  } finally {
    raw.close();
  }
}
