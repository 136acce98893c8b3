import type { Db } from '../../db/open.ts';
import type { AuditRow } from '../../ledger/audit.ts';
import { tableEntry, tableLabel } from '../../ledger/tables.ts';
import { journalRowDigest, parseJson, type CheckContext, type EntityState, type Row } from './common.ts';
import { keyOf, REPLAY, SEEN } from './digest-store.ts';
import { installationOf } from './entities.ts';
import { RowComparer } from './row-comparer.ts';

/**
 * The journal: every entry posted, balanced, and explained by its audit entry with the same postings. Returns the
 * entries' count. Ten years hold half a million entries and a million postings: both are read as streams in entry
 * order (never whole), each entry with its postings reduced to a digest and compared with the one the chain walk kept
 * (chain.ts); only an entry that differs is compared column by column, from its audit entry, for the message.
 */
export function checkJournal(c: CheckContext, progress: (done: number, total: number) => void = () => {}): number {
  const { db, add, covered } = c;
  if (!c.tables.has('journal_entries')) return 0;
  const code = tableEntry('journal_entries')?.entity?.code ?? 'journal_entry';
  const exp = c.chain.journal;
  const label = tableLabel('journal_entries');
  const postingsLabel = tableLabel('journal_postings');
  const cmp = new RowComparer(add);
  const installation = installationOf(c);
  const total = exp.size;

  const postings = db.prepare('SELECT entry_id, account, amount_fen FROM journal_postings ORDER BY entry_id, id').raw(true).iterate() as IterableIterator<[string, unknown, unknown]>;
  let next = postings.next();
  let postingCount = 0;
  const orphans = new Set<string>();
  /** The postings of `id` (the stream is in entry order); those of entries before it that the table lacks are orphans. */
  const postingsOf = (id: string | null): string[] => {
    const out: string[] = [];
    while (!next.done) {
      const [entry, account, amount] = next.value;
      if (id !== null && String(entry) > id) break;
      postingCount++;
      if (id !== null && String(entry) === id) out.push(`${String(account)} ${String(amount)}`);
      else orphans.add(String(entry));
      next = postings.next();
    }
    return out;
  };

  let n = 0;
  for (const row of db.prepare('SELECT * FROM journal_entries ORDER BY id').iterate() as IterableIterator<Row>) {
    n++;
    if ((n & 4095) === 0) progress(Math.min(n, total), total);
    const id = String(row.id);
    const mine = postingsOf(id);
    if (row.status !== 'posted') add({ kind: 'journal', table: 'journal_entries', id, message: `记账凭证 ${id} 未过账（半写入的凭证）` });
    const slot = exp.find(keyOf(id));
    if (slot < 0) {
      add({ kind: 'tamper', table: 'journal_entries', id, message: `${label}表中的记录 ${id} 没有对应的审计记录（疑似被直接插入）` });
      if (mine.length) add({ kind: 'tamper', table: 'journal_postings', id, message: `${postingsLabel}表中有属于 ${id} 的行，审计记录中没有这条${label}（疑似被直接插入）` });
      continue;
    }
    exp.mark(slot, SEEN);
    if (!exp.has(slot, REPLAY) && row.origin === installation && exp.digestIs(slot, journalRowDigest(row, mine))) continue;
    // Differs (or was touched after posting): the state from its audit entries, compared as before for the message.
    const state = replayEntity(db, code, id);
    if (!state) continue;
    const one = new Map([[id, state]]);
    cmp.table('journal_entries', [row], one, (r, s) => compareEntry(cmp, r, s, installation));
    cmp.children('journal_postings', 'journal_entries', mine.map((p) => ({ entry_id: id, p })), (r) => r.entry_id, (r) => r.p, one, expectedPostings, false);
  }
  postingsOf(null);
  for (const parent of orphans) {
    const slot = exp.find(keyOf(parent));
    if (slot >= 0 && !exp.has(slot, SEEN)) continue;
    add({ kind: 'tamper', table: 'journal_postings', id: parent, message: `${postingsLabel}表中有属于 ${parent} 的行，审计记录中没有这条${label}（疑似被直接插入）` });
  }
  // Entries the chain posted that the table no longer has.
  for (const slot of exp.without(SEEN)) {
    // Its id from the entry that last wrote it (the store keeps keys, not names).
    const e = { seq: exp.seq(slot) };
    const written = db.prepare('SELECT entity_id FROM audit_log WHERE seq = ?').get(e.seq) as { entity_id: string | null } | undefined;
    const id = written?.entity_id != null && keyOf(written.entity_id).slice(0, 16) === exp.key(slot) ? written.entity_id : `（第 ${e.seq} 条审计记录所记）`;
    const state = replayEntity(db, code, id);
    add({ kind: 'tamper', table: 'journal_entries', id, seq: state?.createdSeq ?? e.seq, message: `审计记录（第 ${state?.createdSeq ?? e.seq} 条）建立的${label} ${id} 在账本中缺失（疑似被直接删除）` });
    if (state && expectedPostings(state).length && !orphans.has(id)) {
      add({ kind: 'tamper', table: 'journal_postings', id, seq: state.seq, message: `${label} ${id} 的${postingsLabel}与审计记录（第 ${state.seq} 条）不符（疑似被直接改动、删除或插入）` });
    }
  }
  covered.journal_entries = n;
  covered.journal_postings = postingCount;
  exp.release();

  const sums = db
    .prepare(`SELECT e.id, coalesce(sum(p.amount_fen), 0) AS s, count(p.id) AS n FROM journal_entries e LEFT JOIN journal_postings p ON p.entry_id = e.id GROUP BY e.id HAVING s <> 0 OR n < 2`)
    .all() as { id: string; s: number; n: number }[];
  for (const r of sums) add({ kind: 'journal', table: 'journal_entries', id: r.id, message: `记账凭证 ${r.id} 借贷不平衡（差 ${r.s} 分，${r.n} 条分录）` });
  return n;
}

function compareEntry(cmp: RowComparer, row: Row, s: EntityState, installation: string | null): void {
  const d = s.data;
  cmp.eq(row, 'entry_date', d.entryDate);
  cmp.eq(row, 'origin', installation);
  cmp.eq(row, 'memo', d.memo);
  cmp.eq(row, 'source_type', d.sourceType);
  cmp.eq(row, 'source_id', d.sourceId ?? null);
  cmp.eq(row, 'reverses', d.reverses ?? null);
  cmp.eq(row, 'created_at', d.createdAt);
  cmp.eq(row, 'created_by', s.createdBy);
}

const expectedPostings = (s: EntityState) => ((s.data.postings as Row[]) ?? []).map((p) => `${String(p.account)} ${String(p.amountFen)}`);

/** One record's state from its audit entries (through the entity index), as the chain walk would give it. */
function replayEntity(db: Db, entity: string, id: string): EntityState | null {
  let s: EntityState | null = null;
  for (const r of db.prepare('SELECT * FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY seq').iterate(entity, id) as IterableIterator<AuditRow & { seq: number }>) {
    const after = parseJson(r.after);
    if (!s) s = { seq: r.seq, createdSeq: r.seq, createdAt: r.at, createdBy: r.user_id, updatedAt: r.at, updatedBy: r.user_id, data: { ...(after ?? {}) } };
    else if (r.action !== 'login') {
      s.seq = r.seq;
      s.updatedAt = r.at;
      s.updatedBy = r.user_id;
      if (after) Object.assign(s.data, after);
    }
  }
  return s;
}
