import crypto from 'node:crypto';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/open.ts';
import type { AuditAction, AuditEntity } from '../../../shared/labels-audit.ts';
import type { TableName } from '../../../shared/tables.ts';

/**
 * What an entry is about: an entity of the audit vocabulary (shared/labels-audit.ts), or a record table of the registry
 * (shared/tables.ts) whose handler audits its rows under the table's own name — its label is the table's.
 */
export type AuditSubject = AuditEntity | TableName;

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditRow {
  seq: number;
  at: string;
  user_id: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
  prev_hash: string;
  hash: string;
}

/** The hash of one entry covers the previous hash and every field, so any change, insertion or deletion shows. */
export function auditHash(r: Omit<AuditRow, 'hash'>): string {
  const canonical = JSON.stringify([r.prev_hash, r.seq, r.at, r.user_id, r.action, r.entity, r.entity_id, r.before, r.after]);
  // One-shot (the same digest as createHash().update().digest()): verify hashes every entry, 906,117 on ten years.
  return crypto.hash('sha256', canonical, 'hex');
}

/**
 * Records who did what and when, with old and new values. Called inside the writing transaction, so the record and
 * the change land together or not at all.
 */
export function audit(ctx: Ctx, action: AuditAction, entity: AuditSubject, entityId: string | null, before: unknown, after: unknown): void {
  appendAudit(ctx.db, {
    at: ctx.now().toISOString(),
    user_id: ctx.session?.userId ?? null,
    action,
    entity,
    entity_id: entityId,
    before: before === undefined || before === null ? null : JSON.stringify(before),
    after: after === undefined || after === null ? null : JSON.stringify(after),
  });
}

export function appendAudit(db: Db, e: Pick<AuditRow, 'at' | 'user_id' | 'entity_id' | 'before' | 'after'> & { action: AuditAction; entity: AuditSubject }): void {
  const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const row = { ...e, seq: (head?.seq ?? 0) + 1, prev_hash: head?.hash ?? GENESIS_HASH };
  db.prepare(
    `INSERT INTO audit_log (seq, at, user_id, action, entity, entity_id, before, after, prev_hash, hash)
     VALUES (@seq, @at, @user_id, @action, @entity, @entity_id, @before, @after, @prev_hash, @hash)`,
  ).run({ ...row, hash: auditHash(row) });
}

export function auditHead(db: Db): string {
  const head = db.prepare('SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { hash: string } | undefined;
  return head?.hash ?? GENESIS_HASH;
}

/** Walks the chain from the start; returns the first entry that does not match, or null when all hold. */
export function firstBrokenAudit(db: Db): { seq: number; reason: string } | null {
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>) {
    if (r.seq !== expectSeq) return { seq: expectSeq, reason: `审计记录第 ${expectSeq} 条缺失` };
    if (r.prev_hash !== prev) return { seq: r.seq, reason: `审计记录第 ${r.seq} 条与上一条不衔接` };
    if (auditHash(r) !== r.hash) return { seq: r.seq, reason: `审计记录第 ${r.seq} 条内容被改动` };
    prev = r.hash;
    expectSeq++;
  }
  return null;
}
