import type { Db } from '../db/open.ts';
import { auditHash, type AuditRow } from '../ledger/audit.ts';
import { snapshotRows } from '../ledger/row-snapshot.ts';
import { rowGroups, tableLabel, withAddedColumns } from '../ledger/tables.ts';
import { schemaDifferences } from '../db/schema.ts';
import { monthWords } from '../ledger/clock.ts';
import { noProgress, type ProgressReporter } from '../ledger/progress.ts';
import { hasRowid, sealOf, tableBounds, type Seal } from './seal.ts';
import { canonical, groupDigest, parseJson, type VerifyProblem } from './checks/common.ts';

/**
 * `verify --quick` (issue 19): seconds instead of minutes on years of data, for every day. It starts from the newest
 * month close whose seal is intact (integrity/seal.ts: the close's audit entry hashes to its stored hash and links to
 * the entry before it) and proves, from there to now:
 * - the chain: every later entry numbered without a gap, linked to the one before, hashing to its stored hash;
 * - every row group an entry since the seal wrote (a delivery, a receipt, a day's meals …): the table holds exactly the
 *   rows of its latest snapshot, nothing more, nothing less (as the full verify does);
 * - the row-snapshot tables against the seal: one nobody wrote since holds the same number of rows up to the same
 *   rowid, and in one written since every row added (rowid above the seal's) belongs to a group an entry since wrote;
 * - the schema against the migrations'.
 * It does not prove what only the full verify does: that rows present at the seal were not changed in place (nor
 * deleted from a table written since), the hashes of the chain before the seal, the master data's and the journal's
 * rows against their entries, the summary tables, the closed months' checksums and the attachment files. Without an
 * intact seal it proves nothing by itself: `sealed` is null and the caller runs the full verify.
 */
export interface QuickResult {
  /** The seal it started from: the close's month, revision and audit entry; null: none intact (run the full verify). */
  sealed: { month: string; revision: number; seq: number } | null;
  problems: VerifyProblem[];
  auditEntries: number;
  /** Rows compared in full (those of groups written since the seal), per table. */
  coveredTables: Record<string, number>;
}

interface CloseEntry extends AuditRow {
  hash: string;
}

/** The newest close entry carrying a seal whose entry is intact; sealed closes found broken on the way are reported. */
function newestIntactSeal(db: Db, add: (p: VerifyProblem) => void): { entry: CloseEntry; seal: Seal; month: string; revision: number } | null {
  const prevHash = db.prepare('SELECT hash FROM audit_log WHERE seq = ?');
  for (const e of db.prepare(`SELECT * FROM audit_log WHERE entity = 'month_close' AND action = 'close' ORDER BY seq DESC`).iterate() as IterableIterator<CloseEntry>) {
    const after = parseJson(e.after);
    const seal = sealOf(after);
    if (!seal) continue;
    const before = prevHash.get(e.seq - 1) as { hash: string } | undefined;
    const what = `${e.entity_id ? monthWords(e.entity_id) : ''}月结（审计记录第 ${e.seq} 条）的封存记录`;
    if (auditHash(e) !== e.hash) add({ kind: 'audit_chain', seq: e.seq, message: `${what}内容被改动` });
    else if (!before || before.hash !== e.prev_hash) add({ kind: 'audit_chain', seq: e.seq, message: `${what}与上一条审计记录不衔接（之前的审计记录被改写或删除）` });
    else return { entry: e, seal, month: String(e.entity_id), revision: typeof after?.revision === 'number' ? after.revision : 0 };
  }
  return null;
}

export function quickVerify(db: Db, opts: { maxProblems?: number; report?: ProgressReporter } = {}): QuickResult {
  const report = opts.report ?? noProgress;
  const problems: VerifyProblem[] = [];
  const max = opts.maxProblems ?? 200;
  const add = (p: VerifyProblem) => {
    if (problems.length < max) problems.push(p);
  };
  const covered: Record<string, number> = {};
  report('查找最新的月结封存', 0, 4);
  const start = newestIntactSeal(db, add);
  if (!start) return { sealed: null, problems, auditEntries: 0, coveredTables: covered };
  const { entry, seal } = start;
  const tables = new Set((db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name));

  // 1. The chain from the seal on; the row groups written since, with the digest of their latest snapshot.
  report('核对封存之后的审计记录', 1, 4);
  const groups = rowGroups();
  const written = new Map<string, Map<string, { seq: number; digest: string; n: number }>>();
  let prev = entry.hash;
  let expect = entry.seq + 1;
  let broken = false;
  let entries = 0;
  for (const r of db.prepare('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq').iterate(entry.seq) as IterableIterator<AuditRow & { hash: string }>) {
    entries++;
    if (!broken) {
      let reason: string | null = null;
      if (r.seq !== expect) reason = `审计记录第 ${expect} 条缺失（疑似被直接删除）`;
      else if (r.prev_hash !== prev) reason = `审计记录第 ${r.seq} 条与上一条不衔接`;
      else if (auditHash(r) !== r.hash) reason = `审计记录第 ${r.seq} 条内容被改动`;
      if (reason) {
        broken = true;
        add({ kind: 'audit_chain', seq: r.seq !== expect ? expect : r.seq, message: reason });
      }
    }
    prev = r.hash;
    expect = r.seq + 1;
    const after = parseJson(r.after);
    if (!after || !Array.isArray(after._rows)) continue;
    for (const snap of after._rows as { t?: unknown; g?: unknown; rows?: unknown; cols?: unknown; vals?: unknown }[]) {
      const col = typeof snap?.t === 'string' ? groups[snap.t] : undefined;
      const rows = col ? (snapshotRows(snap) as Record<string, unknown>[] | null) : null;
      if (!col || !rows) continue;
      let m = written.get(snap.t as string);
      if (!m) written.set(snap.t as string, (m = new Map()));
      // A snapshot written before a column was added holds it at the value the migration gave (registry `added`).
      const t = snap.t as string;
      if (snap.g !== undefined) m.set(String(snap.g), { seq: r.seq, ...groupDigest(rows.map((x) => canonical(withAddedColumns(t, x)))) });
      else for (const row of rows) m.set(String(row[col]), { seq: r.seq, ...groupDigest([canonical(withAddedColumns(t, row))]) });
    }
  }

  // 2. Each group written since the seal against its rows (read through the index on its group column).
  report('逐组核对封存之后写入的数据', 2, 4);
  for (const [table, m] of written) {
    if (!tables.has(table)) continue;
    const col = groups[table];
    const label = tableLabel(table);
    const read = db.prepare(`SELECT * FROM "${table}" WHERE "${col}" = ?`);
    let n = 0;
    for (const [g, e] of m) {
      // The group column's value as the table holds it: text as written; integers (a seq) as numbers.
      let rows = read.all(g) as Record<string, unknown>[];
      if (rows.length === 0 && /^-?\d+$/.test(g)) rows = read.all(Number(g)) as Record<string, unknown>[];
      n += rows.length;
      if (groupDigest(rows.map(canonical)).digest === e.digest) continue;
      const what = e.n === 0 ? '本应不存在（疑似被直接插入）' : rows.length === 0 ? '缺失（疑似被直接删除）' : rows.length !== e.n ? '行数不符（疑似被直接删除或插入）' : '被改动';
      add({ kind: 'tamper', table, id: g, seq: e.seq, message: `${label} ${g} 与审计记录（第 ${e.seq} 条）不符：${what}` });
    }
    covered[table] = n;
  }

  // 3. The tables against the seal.
  report('与月结封存核对各表行数', 3, 4);
  for (const [table, [n, maxRowid]] of Object.entries(seal.tables)) {
    // Only the tables whose every write carries its rows (row snapshots): the journal, the master data and the
    // summaries change through entries of another kind, which only the full verify replays.
    if (!groups[table]) continue;
    const label = tableLabel(table);
    if (!tables.has(table)) {
      add({ kind: 'tamper', table, message: `${label}表在月结封存时存在，现在却没有了（疑似被直接删除）` });
      continue;
    }
    const m = written.get(table);
    if (!m) {
      const [now, nowMax] = tableBounds(db, table);
      if (now !== n || nowMax !== maxRowid) add({ kind: 'tamper', table, message: `${label}表自 ${monthWords(start.month)}月结封存以来没有经软件写入，行数却由 ${n} 变为 ${now}（疑似被直接删除或插入）` });
      continue;
    }
    // A WITHOUT ROWID table has no order of insertion to go by: its added rows are left to the full verify.
    if (!hasRowid(db, table)) continue;
    const col = groups[table];
    for (const row of db.prepare(`SELECT "${col}" AS g FROM "${table}" WHERE rowid > ?`).iterate(maxRowid) as IterableIterator<{ g: unknown }>) {
      if (!m.has(String(row.g))) {
        add({ kind: 'tamper', table, id: String(row.g), message: `${label}表中的记录 ${String(row.g)} 在月结封存之后加入，却没有对应的审计记录（疑似被直接插入）` });
      }
    }
  }

  // 4. The schema: a dropped or planted trigger changes the rules every later write obeys.
  report('核对数据库结构', 4, 4);
  for (const d of schemaDifferences(db)) add({ kind: 'schema', id: d.name, message: `数据库结构与本软件不一致：${d.message}` });
  return { sealed: { month: start.month, revision: start.revision, seq: entry.seq }, problems, auditEntries: entries, coveredTables: covered };
}
