import { tableLabel } from '../../ledger/tables.ts';
import type { CheckContext } from './common.ts';

/** SQLite's own view of the file: its page structure and the foreign keys. */
export function checkSqlite({ db, add }: Pick<CheckContext, 'db' | 'add'>): void {
  for (const r of db.pragma('integrity_check') as { integrity_check: string }[]) {
    if (r.integrity_check !== 'ok') add({ kind: 'integrity', message: `数据库文件结构损坏：${r.integrity_check}` });
  }
  for (const r of db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[]) {
    add({ kind: 'foreign_key', table: r.table, message: `${tableLabel(r.table)}表第 ${r.rowid} 行引用的${tableLabel(r.parent)}不存在（疑似被直接删除）` });
  }
}
