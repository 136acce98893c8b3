import { tableLabel } from '../../ledger/tables.ts';
import type { CheckContext } from './common.ts';

/**
 * SQLite's own view of the file: its page structure (with NOT NULL and CHECK constraints) and the foreign keys.
 * quick_check, not integrity_check (issue 19): on ten years the latter took 30 s of CPU to also prove every index
 * lists exactly its table's rows — which no SQL statement can make false, only a damaged or hand-edited file, and
 * verify's own row checks read every table in its own order (snapshots.ts), never through an index, so a row an index
 * leaves out is still compared. quick_check is linear: 3.5 s there.
 */
export function checkSqlite({ db, add }: Pick<CheckContext, 'db' | 'add'>): void {
  for (const r of db.pragma('quick_check') as { quick_check: string }[]) {
    if (r.quick_check !== 'ok') add({ kind: 'integrity', message: `数据库文件结构损坏：${r.quick_check}` });
  }
  for (const r of db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]) {
    add({ kind: 'foreign_key', table: r.table, message: `${tableLabel(r.table)}表第 ${r.rowid} 行引用的${tableLabel(r.parent)}不存在（疑似被直接删除）` });
  }
}
