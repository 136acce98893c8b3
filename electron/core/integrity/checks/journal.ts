import { tableEntry } from '../../ledger/tables.ts';
import type { CheckContext, EntityState, Row } from './common.ts';
import { installationOf } from './entities.ts';
import { RowComparer } from './row-comparer.ts';

/** The journal: every entry posted, balanced, and explained by its audit entry with the same postings. Returns the entries' count. */
export function checkJournal(c: CheckContext): number {
  const { db, add, covered } = c;
  if (!c.tables.has('journal_entries')) return 0;
  const exp = c.chain.states.get(tableEntry('journal_entries')?.entity?.code ?? 'journal_entry') ?? new Map<string, EntityState>();
  const rows = db.prepare('SELECT * FROM journal_entries').all() as Row[];
  covered.journal_entries = rows.length;
  for (const row of rows) {
    if (row.status !== 'posted') add({ kind: 'journal', table: 'journal_entries', id: String(row.id), message: `记账凭证 ${String(row.id)} 未过账（半写入的凭证）` });
  }
  const sums = db
    .prepare(`SELECT e.id, coalesce(sum(p.amount_fen), 0) AS s, count(p.id) AS n FROM journal_entries e LEFT JOIN journal_postings p ON p.entry_id = e.id GROUP BY e.id HAVING s <> 0 OR n < 2`)
    .all() as { id: string; s: number; n: number }[];
  for (const r of sums) add({ kind: 'journal', table: 'journal_entries', id: r.id, message: `记账凭证 ${r.id} 借贷不平衡（差 ${r.s} 分，${r.n} 条分录）` });
  const cmp = new RowComparer(add);
  const installation = installationOf(c);
  cmp.table('journal_entries', rows, exp, (row, s) => {
    const d = s.data;
    cmp.eq(row, 'entry_date', d.entryDate);
    cmp.eq(row, 'origin', installation);
    cmp.eq(row, 'memo', d.memo);
    cmp.eq(row, 'source_type', d.sourceType);
    cmp.eq(row, 'source_id', d.sourceId ?? null);
    cmp.eq(row, 'reverses', d.reverses ?? null);
    cmp.eq(row, 'created_at', d.createdAt);
    cmp.eq(row, 'created_by', s.createdBy);
  });
  const postings = db.prepare('SELECT id, entry_id, account, amount_fen FROM journal_postings ORDER BY entry_id, id').all() as Row[];
  covered.journal_postings = postings.length;
  cmp.children(
    'journal_postings',
    'journal_entries',
    postings,
    (r) => String(r.entry_id),
    (r) => `${String(r.account)} ${String(r.amount_fen)}`,
    exp,
    (s) => ((s.data.postings as Row[]) ?? []).map((p) => `${String(p.account)} ${String(p.amountFen)}`),
    false,
  );
  return rows.length;
}
