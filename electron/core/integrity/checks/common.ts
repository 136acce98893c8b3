import { createHash } from 'node:crypto';
import type { Db } from '../../db/open.ts';
import type { VerifyAnchor } from '../../../../shared/anchors.ts';

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
  /** Audit entity → entity id → its state. */
  states: Map<string, Map<string, EntityState>>;
  /** 'supplier:<id>' / 'ingredient:<id>' → every name the chain gave it. */
  historicalNames: Map<string, Set<string>>;
  /** table → group value → the entry that last wrote the group (only a digest is held: the rows of ten years took gigabytes). */
  snapshots: Map<string, Map<string, GroupDigest>>;
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

/** A group of rows (canonical JSON, any order) as a digest and a count: equal digests, equal rows. */
export function groupDigest(rows: string[]): Omit<GroupDigest, 'seq'> {
  const h = createHash('sha256');
  for (const r of [...rows].sort()) h.update(r).update('\0');
  return { digest: h.digest('base64'), n: rows.length };
}

/** A table's row count, for the report. */
export function countRows(db: Db, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
}
