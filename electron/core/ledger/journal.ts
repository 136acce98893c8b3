import { audit } from './audit.ts';
import type { Ctx } from '../context.ts';
import { uuidv7 } from './ids.ts';
import { ApiError } from '../../../shared/errors.ts';
import { assertDocumentDate } from './period-lock.ts';

export interface Posting {
  account: string;
  /** Debit positive, credit negative; an entry's postings sum to zero. */
  amountFen: number;
}

export interface EntryInput {
  date: string;
  memo: string;
  sourceType: string;
  sourceId: string | null;
  postings: Posting[];
  reverses?: string;
}

/**
 * Posts one balanced entry. Zero postings are dropped (a line worth 0.00 moves no money). The entry's date must be
 * after the latest closed month and not after today (period-lock.ts); the SQL triggers check the balance again and
 * refuse entries on or before the latest closed month (migration 0014).
 */
export function postEntry(ctx: Ctx, e: EntryInput): string {
  const postings = e.postings.filter((p) => p.amountFen !== 0);
  const sum = postings.reduce((s, p) => s + p.amountFen, 0);
  if (sum !== 0) throw new ApiError('INTERNAL', `记账凭证借贷不平衡（差 ${sum} 分）`);
  if (postings.length === 0) return '';
  assertDocumentDate(ctx, e.date, '记账日期');
  const id = uuidv7(ctx.now().getTime());
  const db = ctx.db;
  const createdAt = ctx.now().toISOString();
  db.prepare(
    `INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, source_id, reverses, status, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
  ).run(id, ctx.installationId, e.date, e.memo, e.sourceType, e.sourceId, e.reverses ?? null, createdAt, ctx.session?.userId ?? null);
  const ins = db.prepare('INSERT INTO journal_postings (entry_id, account, amount_fen) VALUES (?, ?, ?)');
  for (const p of postings) ins.run(id, p.account, p.amountFen);
  db.prepare(`UPDATE journal_entries SET status = 'posted' WHERE id = ?`).run(id);
  // The entry with its postings goes into the audit chain, so `verify` can tell a journal row written behind the
  // app's back from one the app posted (electron/core/integrity/verify.ts).
  // documentDate: the date the document is booked on, the key every dated document's audit entry carries (issue 14
  // §3); the entry's `at` is when it was typed, so a back-dated entry shows as the two apart.
  audit(ctx, 'post', 'journal_entry', id, null, {
    documentDate: e.date,
    entryDate: e.date,
    memo: e.memo,
    sourceType: e.sourceType,
    sourceId: e.sourceId,
    reverses: e.reverses ?? null,
    createdAt,
    postings: postings.map((p) => ({ account: p.account, amountFen: p.amountFen })),
  });
  return id;
}

/** Posts the negation of every entry of a source document, dated `date` (the day of the cancellation). */
export function reverseEntriesOf(ctx: Ctx, sourceType: string, sourceId: string, date: string, memo: string): string[] {
  const entries = ctx.db
    .prepare(
      `SELECT e.id FROM journal_entries e WHERE e.source_type = ? AND e.source_id = ? AND e.reverses IS NULL
       AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses = e.id)`,
    )
    .all(sourceType, sourceId) as { id: string }[];
  return entries.map(({ id }) => {
    const postings = ctx.db.prepare('SELECT account, amount_fen FROM journal_postings WHERE entry_id = ?').all(id) as { account: string; amount_fen: number }[];
    return postEntry(ctx, {
      date,
      memo,
      sourceType,
      sourceId,
      reverses: id,
      postings: postings.map((p) => ({ account: p.account, amountFen: -p.amount_fen })),
    });
  });
}

// The period lock itself lives in period-lock.ts (one rule for the journal, the dispatcher and every handler).
export { assertPeriodOpen, isPeriodClosed } from './period-lock.ts';

export function accountBalance(ctx: Ctx, account: string, upToDate?: string): number {
  // From the totals kept by triggers (migrations 0006, 0009): whole months before the date's month, then its days.
  if (upToDate === undefined) {
    return (ctx.db.prepare('SELECT coalesce(sum(amount_fen), 0) AS s FROM account_month_totals WHERE account = ?').get(account) as { s: number }).s;
  }
  const row = ctx.db
    .prepare(
      `SELECT (SELECT coalesce(sum(amount_fen), 0) FROM account_month_totals WHERE account = @a AND month < substr(@d, 1, 7))
            + (SELECT coalesce(sum(amount_fen), 0) FROM account_day_totals WHERE account = @a AND day >= substr(@d, 1, 7) || '-01' AND day <= @d) AS s`,
    )
    .get({ a: account, d: upToDate }) as { s: number };
  return row.s;
}

/** Creates the supplier's payable account (应付账款—{name}) the first time money is owed to them. */
export function ensurePayableAccount(ctx: Ctx, supplierId: string, supplierName: string): string {
  const code = `payable:${supplierId}`;
  ctx.db.prepare(`INSERT OR IGNORE INTO accounts (code, name, kind, supplier_id) VALUES (?, ?, 'liability', ?)`).run(code, `应付账款—${supplierName}`, supplierId);
  return code;
}
