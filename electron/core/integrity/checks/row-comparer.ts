import { tableLabel } from '../../ledger/tables.ts';
import { canonical, type Add, type EntityState, type Row } from './common.ts';

/** A row's own timestamp is taken a moment before its audit entry's, in the same transaction. */
const CLOCK_WINDOW_MS = 60_000;

function withinWindow(rowTime: unknown, auditAt: string): boolean {
  if (typeof rowTime !== 'string') return false;
  const r = Date.parse(rowTime);
  const a = Date.parse(auditAt);
  if (Number.isNaN(r) || Number.isNaN(a)) return false;
  if (new Date(r).toISOString() !== rowTime) return false;
  return r <= a && a - r <= CLOCK_WINDOW_MS;
}

/** Compares rows with the states the chain gives them, reporting the differing columns of each row. */
export class RowComparer {
  private add: Add;
  private current: { table: string; id: string; differs: string[] } | null = null;
  constructor(add: Add) {
    this.add = add;
  }

  table(table: string, rows: Row[], expected: Map<string, EntityState>, check: (row: Row, s: EntityState & { updatedSeq: number }, id: string) => void): void {
    const label = tableLabel(table);
    const seen = new Set<string>();
    for (const row of rows) {
      const id = String(row.id);
      seen.add(id);
      const s = expected.get(id);
      if (!s) {
        this.add({ kind: 'tamper', table, id, message: `${label}表中的记录 ${id} 没有对应的审计记录（疑似被直接插入）` });
        continue;
      }
      this.current = { table, id, differs: [] };
      check(row, { ...s, updatedSeq: s.seq }, id);
      if (this.current.differs.length) {
        this.add({ kind: 'tamper', table, id, seq: s.seq, message: `${label} ${id} 与审计记录（第 ${s.seq} 条）不符：${this.current.differs.join('、')} 被改动` });
      }
      this.current = null;
    }
    for (const [id, s] of expected) {
      if (!seen.has(id)) this.add({ kind: 'tamper', table, id, seq: s.createdSeq, message: `审计记录（第 ${s.createdSeq} 条）建立的${label} ${id} 在账本中缺失（疑似被直接删除）` });
    }
  }

  /** Child rows (roles, licences, postings) grouped by parent and compared as a list with the parent's audited state. */
  children<R>(
    table: string,
    parentTable: string,
    rows: R[],
    parentOf: (r: R) => string,
    value: (r: R) => string,
    expected: Map<string, EntityState>,
    expectedValues: (s: EntityState) => string[],
    sort = true,
  ): void {
    const label = tableLabel(table);
    const groups = new Map<string, string[]>();
    for (const r of rows) {
      const p = parentOf(r);
      if (!groups.has(p)) groups.set(p, []);
      groups.get(p)!.push(value(r));
    }
    for (const [parent, s] of expected) {
      const actual = groups.get(parent) ?? [];
      groups.delete(parent);
      const a = sort ? [...actual].sort() : actual;
      if (canonical(a) !== canonical(expectedValues(s))) {
        this.add({ kind: 'tamper', table, id: parent, seq: s.seq, message: `${tableLabel(parentTable)} ${parent} 的${label}与审计记录（第 ${s.seq} 条）不符（疑似被直接改动、删除或插入）` });
      }
    }
    for (const parent of groups.keys()) {
      this.add({ kind: 'tamper', table, id: parent, message: `${label}表中有属于 ${parent} 的行，审计记录中没有这条${tableLabel(parentTable)}（疑似被直接插入）` });
    }
  }

  eq(row: Row, col: string, expected: unknown): void {
    const actual = row[col] === undefined ? null : row[col];
    const exp = expected === undefined ? null : expected;
    if (actual !== exp) this.diff(row, col);
  }

  /** A row's timestamp against its audit entry's time. */
  time(row: Row, col: string, auditAt: string): void {
    if (!withinWindow(row[col], auditAt)) this.diff(row, col);
  }

  diff(_row: Row, col: string): void {
    this.current?.differs.push(col);
  }
}
