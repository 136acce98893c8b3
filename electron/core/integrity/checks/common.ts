import { hash } from 'node:crypto';
import type { Db } from '../../db/open.ts';
import type { VerifyAnchor } from '../../../../shared/anchors.ts';
import { addedColumns } from '../../ledger/tables.ts';
import type { DigestStore } from './digest-store.ts';

/** One thing verify found wrong, in words a person reads (the kinds say which check found it). */
export interface VerifyProblem {
  kind: 'integrity' | 'foreign_key' | 'audit_chain' | 'journal' | 'tamper' | 'anchor' | 'schema' | 'attachment';
  message: string;
  table?: string;
  id?: string;
  seq?: number;
}

export type Add = (p: VerifyProblem) => void;
export type Row = Record<string, unknown>;

/** What the audit chain says an audited entity (a school, a user, a supplier, …) is now. */
export interface EntityState {
  seq: number;
  createdSeq: number;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
  data: Record<string, unknown>;
}

/** The entry that last wrote a snapshot group, with a digest of the rows it says the group holds and their count. */
export interface GroupDigest {
  seq: number;
  digest: string;
  n: number;
}

/** What one walk of the audit chain gives the checks after it (see chain.ts). */
export interface ChainState {
  auditEntries: number;
  /** Audit entity → entity id → its state (the journal's entries apart: `journal`). */
  states: Map<string, Map<string, EntityState>>;
  /** Journal entry id (keyOf) → the entry that posted it and a digest of what it says the row and its postings hold
   * (journalDigest); flag REPLAY: a later entry touched it, so journal.ts replays its entries instead. */
  journal: DigestStore;
  /** 'supplier:<id>' / 'ingredient:<id>' → every name the chain gave it. */
  historicalNames: Map<string, Set<string>>;
  /** table → group value (keyOf) → the entry that last wrote the group, the digest of its rows and their count (only a
   * digest is held, the rows of ten years took gigabytes; off the JS heap, DigestStore). */
  snapshots: Map<string, DigestStore>;
  /** meal plan code → the row as the latest 'update' entry left it. */
  mealPlans: Map<string, { seq: number; row: Row }>;
  /** month + '#' + revision → the close's audit entry: its seq and the chain head before it. */
  closeEntries: Map<string, { seq: number; prev: string }>;
  /** Every profile the chain says the school held (created with, changed to). */
  schoolProfiles: Set<string>;
}

/** What every check is given: the ledger, its tables, where problems go, the row counts it covered, the chain's word. */
export interface CheckContext {
  db: Db;
  tables: Set<string>;
  add: Add;
  covered: Record<string, number>;
  chain: ChainState;
  anchors: VerifyAnchor[];
}

/** Key order must not matter when comparing JSON held in a row with JSON held in the audit entry. */
export function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, val) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val as object).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val,
  );
}

export function parseJson(s: string | null): Record<string, unknown> | null {
  if (s === null) return null;
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A group of rows (each as comparable text: canonical JSON or rowText, any order) as a digest and a count: equal digests, equal rows. */
export function groupDigest(rows: string[]): Omit<GroupDigest, 'seq'> {
  return { digest: rowsDigest(rows), n: rows.length };
}

/**
 * The digest of a group of rows (comparable text, any order): SHA-256 as 32 latin1 characters, of which the first 16
 * (128 bits) are kept and compared (DigestStore).
 */
export function rowsDigest(rows: string[]): string {
  return digest16(rows.length === 1 ? rows[0] : [...rows].sort().join('\0'));
}

/**
 * SHA-256 of `text` as 32 latin1 characters ('binary'). A one-shot hash to a string: asking for a Buffer costs four times as
 * much per call (2 µs against 0.5), and verify makes some three million of these calls on ten years.
 */
export function digest16(text: string): string {
  return hash('sha256', text, 'binary');
}

const rowShapes = new Map<string, { order: number[]; head: string }>();

/**
 * A flat row — its column names and its values in that order, as a snapshot (cols, vals) or a raw table read gives
 * them — as comparable text: the names in sorted order, then each value. Two rows give the same text exactly when
 * canonical() of them as objects is the same (same columns, same values), at a fraction of its cost: a ten-year
 * ledger compares millions of rows. A value left out (undefined) is marked, as canonical() leaves its key out.
 */
export function rowText(cols: readonly string[], vals: readonly unknown[]): string {
  const key = cols.join('\u0001');
  let shape = rowShapes.get(key);
  if (!shape) {
    const order = cols.map((_, i) => i).sort((a, b) => (cols[a] < cols[b] ? -1 : cols[a] > cols[b] ? 1 : a - b));
    shape = { order, head: JSON.stringify(order.map((i) => cols[i])) };
    rowShapes.set(key, shape);
  }
  // Flat values (what SQLite gives): one native JSON.stringify of the values in name order. Anything else (a value
  // left out, an object) takes the slow way, value by value.
  const ordered = new Array<unknown>(shape.order.length);
  let flat = vals.length === cols.length;
  for (let k = 0; k < shape.order.length; k++) {
    const v = vals[shape.order[k]];
    if (v === undefined || (v !== null && typeof v === 'object')) flat = false;
    ordered[k] = v;
  }
  if (flat) return shape.head + JSON.stringify(ordered);
  let out = `${shape.head}\u0001`;
  for (const v of ordered) out += `${v === undefined ? '\u0000' : v !== null && typeof v === 'object' ? canonical(v) : JSON.stringify(v)}\u0001`;
  return out;
}

/** A table's row count, for the report. */
export function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
}

/**
 * A row's values, in its table's column order, as comparable text: one native JSON.stringify when they are flat (what
 * SQLite gives); otherwise (a value left out, an object) value by value, marked so it never equals a flat row. Equal
 * text, equal values — so with the same columns in the same order, equal canonical() rows.
 */
export function valuesText(vals: readonly unknown[]): string {
  let flat = true;
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (v === undefined || (v !== null && typeof v === 'object')) {
      flat = false;
      break;
    }
  }
  if (flat) return JSON.stringify(vals);
  let out = '\u0002';
  for (const v of vals) out += `${v === undefined ? '\u0000' : v !== null && typeof v === 'object' ? canonical(v) : JSON.stringify(v)}\u0001`;
  return out;
}

/** A snapshot's columns against its table's: where each table column is in the snapshot (-1: a column added since, at `fill`). */
interface Plan {
  at: number[];
  fill: unknown[];
  same: boolean;
}
const plans = new Map<string, Plan | null>();

/**
 * How a snapshot's columns map onto its table's (read once per table before the walk): the positions of the table's
 * columns in the snapshot, or null when the two do not hold the same columns (then no row of it equals a table row).
 * A column the registry says a later migration added (`added`) may be missing from a snapshot written before it: it
 * is read as holding the value the migration gave the rows.
 */
function planFor(table: string, tableCols: readonly string[], cols: readonly string[]): Plan | null {
  const key = `${table}\u0001${tableCols.join('\u0001')}\u0002${cols.join('\u0001')}`;
  let plan = plans.get(key);
  if (plan === undefined) {
    const added = addedColumns(table) ?? {};
    const at = tableCols.map((c) => cols.indexOf(c));
    const missing = tableCols.filter((c, i) => at[i] < 0);
    const ok = at.filter((i) => i >= 0).length === cols.length && missing.every((c) => Object.hasOwn(added, c)) && new Set(cols).size === cols.length;
    plan = ok ? { at, fill: tableCols.map((c) => (Object.hasOwn(added, c) ? added[c] : undefined)), same: at.every((p, i) => p === i) } : null;
    plans.set(key, plan);
  }
  return plan;
}

/**
 * A snapshot's rows as comparable text (valuesText in the table's column order) with each row's value of the group
 * column `col` (as text), from either form: `cols` and `vals`, or `rows` (objects, written before 2026-11-28). Rows
 * whose columns are not the table's get a text no table row has (rowText, marked). Null when it is neither form.
 */
export function snapshotTexts(snap: { cols?: unknown; vals?: unknown; rows?: unknown }, table: string, tableCols: readonly string[], col: string): { texts: string[]; groups: string[] } | null {
  /** One row against a plan (planFor of its columns; null: not the table's columns). */
  const planned = (cols: readonly string[], v: readonly unknown[], plan: Plan | null): string => {
    if (!plan || v.length !== cols.length) return `\u0003${rowText(cols, v)}`;
    return valuesText(plan.same ? v : plan.at.map((i, k) => (i >= 0 ? v[i] : plan.fill[k])));
  };
  if (Array.isArray(snap.rows)) {
    const rows = (snap.rows as Row[]).map((r) => (r && typeof r === 'object' ? r : {}));
    const texts = rows.map((r) => {
      const cols = Object.keys(r);
      return planned(cols, Object.values(r), planFor(table, tableCols, cols));
    });
    return { texts, groups: rows.map((r) => String(r[col])) };
  }
  if (!Array.isArray(snap.cols) || !Array.isArray(snap.vals)) return null;
  const cols = snap.cols as string[];
  const at = cols.indexOf(col);
  // The snapshot's columns are the same for all its rows: planned once (a join per row was seconds on ten years).
  const plan = planFor(table, tableCols, cols);
  const vals = (snap.vals as unknown[]).map((v) => (Array.isArray(v) ? v : null));
  return {
    texts: vals.map((v) => (v ? planned(cols, v, plan) : '\u0003')),
    groups: vals.map((v) => String(v && at >= 0 ? v[at] : undefined)),
  };
}

/**
 * What a journal entry's row and postings must hold, as one digest: the columns journal.ts compares (as the posting
 * entry's `after` gives them, and who posted it) and its postings in order. Equal digests, equal values.
 */
export function journalDigest(d: Record<string, unknown>, createdBy: string | null): string {
  const fields = [d.entryDate, d.memo, d.sourceType, d.sourceId, d.reverses, d.createdAt, createdBy].map((v) => (v === undefined ? null : v));
  const postings = (Array.isArray(d.postings) ? (d.postings as Row[]) : []).map((p) => `${String(p?.account)} ${String(p?.amountFen)}`);
  return digest16(`${JSON.stringify(fields)}\u0002${JSON.stringify(postings)}`);
}

/** The same digest of a journal row as the table holds it, with its postings ('account amount', in id order). */
export function journalRowDigest(row: Row, postings: string[]): string {
  const fields = [row.entry_date, row.memo, row.source_type, row.source_id, row.reverses, row.created_at, row.created_by].map((v) => (v === undefined ? null : v));
  return digest16(`${JSON.stringify(fields)}\u0002${JSON.stringify(postings)}`);
}
