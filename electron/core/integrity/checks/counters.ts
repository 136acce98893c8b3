import { docNumberTables } from '../../ledger/tables.ts';
import type { CheckContext, Row } from './common.ts';

/**
 * Document counters: numbers are gapless per series and year and kept by every committed document (voids included),
 * so each counter must equal the highest number the documents of the numbered tables (registry `numbered`) carry,
 * and every number up to it be used.
 */
export function checkCounters({ db, tables, add, covered }: CheckContext): void {
  if (!tables.has('doc_counters')) return;
  const used = new Map<string, Set<number>>();
  for (const t of docNumberTables()) {
    if (!tables.has(t)) continue;
    for (const { number } of db.prepare(`SELECT number FROM "${t}" WHERE number IS NOT NULL`).iterate() as IterableIterator<{ number: unknown }>) {
      const m = typeof number === 'string' ? /^([A-Z]{2})(\d{4})-(\d+)$/.exec(number) : null;
      if (!m) continue;
      const key = `${m[1]}${m[2]}`;
      if (!used.has(key)) used.set(key, new Set());
      used.get(key)!.add(Number(m[3]));
    }
  }
  const rows = db.prepare('SELECT series, year, last FROM doc_counters').all() as Row[];
  covered.doc_counters = rows.length;
  for (const row of rows) {
    const key = `${String(row.series)}${String(row.year)}`;
    const nums = used.get(key);
    used.delete(key);
    const max = nums ? Math.max(...nums) : 0;
    if (row.last !== max) add({ kind: 'tamper', table: 'doc_counters', id: key, message: `单据编号 ${key} 的计数为 ${String(row.last)}，已开出的单据最大号为 ${max}（疑似被直接改动或插入）` });
    else if (nums && nums.size !== max) add({ kind: 'tamper', table: 'doc_counters', id: key, message: `单据编号 ${key} 有缺号：计数 ${max}，现存单据 ${nums.size} 张（疑似单据被直接删除）` });
  }
  for (const key of used.keys()) add({ kind: 'tamper', table: 'doc_counters', id: key, message: `单据编号 ${key} 已开出单据，却没有编号计数（疑似被直接删除）` });
}
