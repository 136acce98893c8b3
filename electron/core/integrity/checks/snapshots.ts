import type { Db } from '../../db/open.ts';
import { snapshotRows } from '../../ledger/row-snapshot.ts';
import { rowGroups, snapshottedFromBirth, tableLabel, withAddedColumns } from '../../ledger/tables.ts';
import { canonical, parseJson, rowsDigest, valuesText, type CheckContext, type Row } from './common.ts';
import { DigestStore, keyOf, SEEN } from './digest-store.ts';

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
    const exp = chain.snapshots.get(table) ?? new DigestStore(16);
    // The table in its own order (rowid: its pages one after another, never through an index, so rows an index does
    // not list are read too), one run of rows of the same group at a time: a group's rows are written together, so a
    // run is its whole group. A run that does not match its snapshot, or a group met in a second run, is read again
    // whole through its index below and judged then. A group met is marked in the store (SEEN); groups the chain
    // never wrote are named once (stray).
    let n = 0;
    let group: string | null = null;
    let groupValue: unknown = null;
    let rows: string[] = [];
    const stray = new Set<string>();
    const again = new Map<string, unknown>();
    const flush = () => {
      if (group === null) return;
      const g = group;
      const slot = exp.find(keyOf(g));
      if (slot < 0) {
        if (stray.has(g)) return;
        stray.add(g);
        if (unsnapshotted.has(`${table}#${g}`)) return;
        add({ kind: 'tamper', table, id: g, message: `${label}表中的记录 ${g} 没有对应的审计记录（疑似被直接插入）` });
        return;
      }
      if (exp.has(slot, SEEN)) {
        again.set(g, groupValue);
        return;
      }
      exp.mark(slot, SEEN);
      if (rows.length !== exp.count(slot) || !exp.digestIs(slot, rowsDigest(rows))) again.set(g, groupValue);
    };
    // Raw rows (value arrays), each reduced to comparable text at once: no row objects, nothing held but the run.
    // Its own SQL text (the comment): the connection caches one statement per text, and this one is put in raw mode.
    const read = db.prepare(`SELECT * FROM "${table}" /* verify, raw */`).raw(true);
    const cols = read.columns().map((x) => x.name);
    const at = cols.indexOf(col);
    const row = (g: unknown, text: string) => {
      n++;
      const name = String(g);
      if (name !== group) {
        flush();
        group = name;
        groupValue = g;
        rows = [];
      }
      rows.push(text);
    };
    let byJs = at < 0 || !sqliteWritesText(db, table);
    if (!byJs) {
      // SQLite writes each row's text (json_array of its columns in the table's order): the same text valuesText
      // gives in JS for integers, text and null, which are all a STRICT table of INTEGER and TEXT columns can hold
      // (a value of another type is a datatype mismatch the page check reports, checkSqlite). A text that differs
      // anyway (an integer beyond 2^53, which JS reads rounded) only sends its group to be judged again in JS below.
      // A BLOB makes json_array fail: then the table is read again in JS (groups met already are judged again too).
      const json = db.prepare(`SELECT "${col}", json_array(${cols.map((x) => `"${x}"`).join(', ')}) FROM "${table}" /* verify, json */`).raw(true);
      try {
        for (const [g, text] of json.iterate() as IterableIterator<[unknown, string]>) row(g, text);
      } catch {
        byJs = true;
        n = 0;
        group = null;
        rows = [];
      }
    }
    if (byJs) for (const vals of read.iterate() as IterableIterator<unknown[]>) row(vals[at], valuesText(vals));
    flush();
    covered[table] = n;
    const byGroup = db.prepare(`SELECT * FROM "${table}" WHERE "${col}" = ?`);
    const byGroupRaw = db.prepare(`SELECT * FROM "${table}" WHERE "${col}" = ? /* verify, raw */`).raw(true);
    for (const [g, value] of again) {
      const slot = exp.find(keyOf(g));
      const e = { seq: exp.seq(slot), n: exp.count(slot) };
      const texts = (byGroupRaw.all(value) as unknown[][]).map((v) => valuesText(v));
      if (texts.length === e.n && exp.digestIs(slot, rowsDigest(texts))) continue;
      const whole = (byGroup.all(value) as Row[]).map(canonical).sort();
      const expected = expectedGroupRows(db, e.seq, table, col, g);
      const what = e.n === 0 ? '本应不存在（疑似被直接插入）' : whole.length !== e.n ? '行数不符（疑似被直接删除或插入）' : `被改动：${differingColumns(whole, expected).join('、')}`;
      add({ kind: 'tamper', table, id: g, seq: e.seq, message: `${label} ${g} 与审计记录（第 ${e.seq} 条）不符：${what}` });
    }
    // Groups the chain holds that the table no longer has (a group written empty is meant to be gone), named from the
    // entry that wrote them (the store keeps keys, not names).
    for (const slot of exp.without(SEEN)) {
      if (exp.count(slot) === 0) continue;
      const seq = exp.seq(slot);
      const g = groupNameAt(db, seq, table, col, exp.key(slot)) ?? `（第 ${seq} 条审计记录所写的一组）`;
      add({ kind: 'tamper', table, id: g, seq, message: `${label} ${g} 与审计记录（第 ${seq} 条）不符：缺失（疑似被直接删除）` });
    }
    // Done with this table's expectations: their memory goes now, not at the end of verify.
    exp.release();
    chain.snapshots.delete(table);
  }
}

/** Whether `table` is STRICT with INTEGER and TEXT columns only (SQLite can then write its rows' comparable text). */
function sqliteWritesText(db: Db, table: string): boolean {
  const t = db.prepare(`SELECT strict FROM pragma_table_list WHERE schema = 'main' AND name = ?`).get(table) as { strict: number } | undefined;
  if (!t?.strict) return false;
  return (db.prepare('SELECT type FROM pragma_table_xinfo(?)').all(table) as { type: string }[]).every((c) => /^(INTEGER|TEXT)$/i.test(c.type));
}

/** The name of the group whose key is `key` among the snapshots of `table` that audit entry `seq` carries. */
function groupNameAt(db: Db, seq: number, table: string, col: string, key: string): string | null {
  const r = db.prepare('SELECT after FROM audit_log WHERE seq = ?').get(seq) as { after: string | null } | undefined;
  const after = parseJson(r?.after ?? null);
  for (const snap of (Array.isArray(after?._rows) ? after._rows : []) as { t?: unknown; g?: unknown; cols?: unknown; vals?: unknown; rows?: unknown }[]) {
    if (snap?.t !== table) continue;
    const names = snap.g !== undefined ? [String(snap.g)] : ((snapshotRows(snap) ?? []) as Row[]).map((x) => String(x[col]));
    for (const g of names) if (keyOf(g).slice(0, 16) === key) return g;
  }
  return null;
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
  const loose = (db.prepare('SELECT * FROM profile_versions WHERE created_by IS NULL ORDER BY seq').all() as Row[]).filter((r) => !snapped || snapped.find(keyOf(String(r.seq))) < 0);
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
  return rows.map((x) => canonical(withAddedColumns(table, x))).sort();
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
