import type { Db } from '../../db/open.ts';
import { snapshotRows } from '../../ledger/row-snapshot.ts';
import { rowGroups, snapshottedFromBirth, tableLabel } from '../../ledger/tables.ts';
import { canonical, parseJson, rowsDigest, unpackGroup, valuesText, type CheckContext, type Row } from './common.ts';

/**
 * The tables checked against the row snapshots their audit entries carry (registry check 'snapshots'): every group of
 * rows as the chain last wrote it, nothing more, nothing less. A ledger whose chain carries no snapshot at all predates
 * them: left uncovered (but for tables born with their snapshots).
 */
export function checkRowSnapshots(c: CheckContext, progress: (done: number, total: number) => void = () => {}): void {
  const { db, tables, add, covered, chain } = c;
  const fromBirth = snapshottedFromBirth();
  const preSnapshotLedger = [...chain.snapshots.keys()].every((t) => fromBirth.has(t));
  const unsnapshotted = migrationBackfill(c);
  const all = Object.entries(rowGroups());
  for (const [ti, [table, col]] of all.entries()) {
    progress(ti, all.length);
    if (!tables.has(table) || (preSnapshotLedger && !fromBirth.has(table))) continue;
    const label = tableLabel(table);
    const exp = chain.snapshots.get(table) ?? new Map<string, string>();
    // The table in its own order (rowid: its pages one after another, never through an index, so rows an index does
    // not list are read too), one run of rows of the same group at a time: a group's rows are written together, so a
    // run is its whole group. A run that does not match its snapshot, or a group met in a second run, is read again
    // whole through its index below and judged then.
    let n = 0;
    let group: string | null = null;
    let groupValue: unknown = null;
    let rows: string[] = [];
    const seen = new Set<string>();
    const again = new Map<string, unknown>();
    const flush = () => {
      if (group === null) return;
      const g = group;
      if (seen.has(g)) {
        if (exp.has(g)) again.set(g, groupValue);
        return;
      }
      seen.add(g);
      const packed = exp.get(g);
      if (packed === undefined) {
        if (unsnapshotted.has(`${table}#${g}`)) return;
        add({ kind: 'tamper', table, id: g, message: `${label}表中的记录 ${g} 没有对应的审计记录（疑似被直接插入）` });
        return;
      }
      const e = unpackGroup(packed);
      if (rows.length !== e.n || rowsDigest(rows) !== e.digest) again.set(g, groupValue);
    };
    // Raw rows (value arrays), each reduced to comparable text at once: no row objects, nothing held but the run.
    // Its own SQL text (the comment): the connection caches one statement per text, and this one is put in raw mode.
    const read = db.prepare(`SELECT * FROM "${table}" /* verify, raw */`).raw(true);
    const cols = read.columns().map((x) => x.name);
    const at = cols.indexOf(col);
    for (const vals of read.iterate() as IterableIterator<unknown[]>) {
      n++;
      const g = String(vals[at]);
      if (g !== group) {
        flush();
        group = g;
        groupValue = vals[at];
        rows = [];
      }
      rows.push(valuesText(vals));
    }
    flush();
    covered[table] = n;
    const byGroup = db.prepare(`SELECT * FROM "${table}" WHERE "${col}" = ?`);
    const byGroupRaw = db.prepare(`SELECT * FROM "${table}" WHERE "${col}" = ? /* verify, raw */`).raw(true);
    for (const [g, value] of again) {
      const e = unpackGroup(exp.get(g)!);
      const texts = (byGroupRaw.all(value) as unknown[][]).map((v) => valuesText(v));
      if (texts.length === e.n && rowsDigest(texts) === e.digest) continue;
      const whole = (byGroup.all(value) as Row[]).map(canonical).sort();
      const expected = expectedGroupRows(db, e.seq, table, col, g);
      const what = e.n === 0 ? '本应不存在（疑似被直接插入）' : whole.length !== e.n ? '行数不符（疑似被直接删除或插入）' : `被改动：${differingColumns(whole, expected).join('、')}`;
      add({ kind: 'tamper', table, id: g, seq: e.seq, message: `${label} ${g} 与审计记录（第 ${e.seq} 条）不符：${what}` });
    }
    for (const g of seen) exp.delete(g);
    // Groups the chain holds that the table no longer has (a group written empty is meant to be gone).
    for (const [g, packed] of exp) {
      const e = unpackGroup(packed);
      if (e.n > 0) add({ kind: 'tamper', table, id: g, seq: e.seq, message: `${label} ${g} 与审计记录（第 ${e.seq} 条）不符：缺失（疑似被直接删除）` });
    }
  }
}

/**
 * Rows a migration wrote without an audit entry, each held to what the migration could have written: migration 0018's
 * first profile version (the first row, no author, in force from '0001-01', created when the school was, holding a
 * profile the chain gives the school). Returned as 'table#group'; anything else unexplained is reported as inserted.
 */
function migrationBackfill({ db, tables, chain }: CheckContext): Set<string> {
  const out = new Set<string>();
  if (!tables.has('profile_versions') || !tables.has('school')) return out;
  const snapped = chain.snapshots.get('profile_versions');
  const loose = (db.prepare('SELECT * FROM profile_versions WHERE created_by IS NULL ORDER BY seq').all() as Row[]).filter((r) => !snapped?.has(String(r.seq)));
  const first = (db.prepare('SELECT min(seq) AS s FROM profile_versions').get() as { s: number | null }).s;
  const school = db.prepare('SELECT created_at FROM school').get() as { created_at: string } | undefined;
  const r = loose[0];
  if (loose.length === 1 && r.seq === first && r.effective_from === '0001-01' && r.created_at === school?.created_at && chain.schoolProfiles.has(canonical(parseJson(r.profile as string)))) {
    out.add(`profile_versions#${String(r.seq)}`);
  }
  return out;
}

/** The rows of one group as the audit entry `seq` wrote them, sorted (the last snapshot of the table in the entry). */
function expectedGroupRows(db: Db, seq: number, table: string, col: string, g: string): string[] {
  const r = db.prepare('SELECT after FROM audit_log WHERE seq = ?').get(seq) as { after: string | null } | undefined;
  const after = parseJson(r?.after ?? null);
  let rows: Row[] = [];
  for (const snap of (Array.isArray(after?._rows) ? after._rows : []) as { t?: unknown; g?: unknown; cols?: unknown; vals?: unknown; rows?: unknown }[]) {
    if (snap?.t !== table) continue;
    const all = (snapshotRows(snap) ?? []) as Row[];
    if (snap.g !== undefined) {
      if (String(snap.g) === g) rows = all;
    } else {
      const mine = all.filter((x) => String(x[col]) === g);
      if (mine.length) rows = mine;
    }
  }
  return rows.map(canonical).sort();
}

/** The columns in which two equally long lists of canonical rows differ (for the message). */
function differingColumns(actual: string[], expected: string[]): string[] {
  const cols = new Set<string>();
  actual.forEach((a, i) => {
    const x = JSON.parse(a) as Row;
    const y = JSON.parse(expected[i]) as Row;
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) if (canonical(x[k]) !== canonical(y[k])) cols.add(k);
  });
  return [...cols];
}
