import { ApiError } from '../../../shared/errors.ts';
import type { DocState, TableLifecycle } from '../../../shared/tables.ts';
import { currentUser, type Ctx } from '../context.ts';
import { assertPeriodOpen, reverseEntriesOf } from './journal.ts';
import { tableEntry } from './tables.ts';

/**
 * The one document lifecycle (issue 16): draft → posted → cancelled (voided), an amended copy pointing back at what it
 * corrects. Each document table declares its part once, in the table registry (shared/tables.ts `lifecycle`): its
 * status column and values, the columns a cancel stamps, what it booked in the journal and whether it moved stock.
 * Every domain checks a document's status with `assertStatus` (one message form: 验收单 YS2026-0012 已作废，不能过账)
 * and cancels it with `cancel`, which reverses the journal entries and the stock of the document and stamps the same
 * columns for every table (when, who, why; never updated_at, which is the last edit of a draft's content and is frozen
 * on a posted document by the SQL triggers).
 */

/** What each state is called in messages (a table cancelled by 冲销 says 已冲销). */
const STATE_WORDS: Record<DocState, string> = {
  draft: '还是草稿',
  submitted: '已提交待审核',
  open: '尚未过账',
  posted: '已过账',
  paid: '已退付',
  cancelled: '已作废',
  reversal: '是冲销单',
};

/** The actions a status check guards: the verb of the message and, where the action leads to a state, that state (a
 * document already in it is told 不能重复…). */
const ACTIONS = {
  save: { verb: '修改' },
  post: { verb: '过账', leadsTo: 'posted' },
  submit: { verb: '提交', leadsTo: 'submitted' },
  withdraw: { verb: '退回' },
  approve: { verb: '审核', leadsTo: 'posted' },
  cancel: { verb: null, leadsTo: 'cancelled' },
  pay: { verb: '退付', leadsTo: 'paid' },
  attach: { verb: '添加附件' },
  count: { verb: '重新盘点' },
  dispose: { verb: '处理' },
  rectify: { verb: '整改' },
} satisfies Record<string, { verb: string | null; leadsTo?: DocState }>;

export type LifecycleAction = keyof typeof ACTIONS;

/** A document as the lifecycle sees it: its table, its name in messages, its stored status and what that status is. */
export interface Doc {
  table: string;
  id: string;
  /** The label and, when it has one, its number (or month): 验收单 YS2026-0001, 期初建账. */
  name: string;
  status: string;
  state: DocState;
  /** The document's own date, when its table keeps one. */
  date: string | null;
}

/** The table's lifecycle declaration; a table without one has no document lifecycle (a programming error here). */
export function lifecycleOf(table: string): TableLifecycle & { label: string } {
  const e = tableEntry(table);
  if (!e?.lifecycle) throw new ApiError('INTERNAL', `${table} 没有单据生命周期的登记`);
  return { ...e.lifecycle, label: e.label };
}

function stateOf(table: string, lc: TableLifecycle, status: string): DocState {
  const state = lc.values[status];
  if (state === undefined) throw new ApiError('INTERNAL', `${table} 的状态 ${status} 未登记`);
  return state;
}

/** The document from a row of its table already read (`name` overrides the named column, e.g. a count's month in words). */
export function docOf(table: string, record: object, opts: { name?: string; status?: string } = {}): Doc {
  const lc = lifecycleOf(table);
  const row = record as Record<string, unknown>;
  const status = opts.status ?? String(row[lc.column]);
  const own = opts.name ?? (lc.name ? (row[lc.name] as string | null) : null);
  return {
    table,
    id: String(row.id),
    name: own ? `${lc.label} ${own}` : lc.label,
    status,
    state: stateOf(table, lc, status),
    date: lc.date ? ((row[lc.date] as string | null) ?? null) : null,
  };
}

/** Reads a document by id. A table cancelled by reversing rows derives its status: reversed, itself a reversal, or posted. */
export function loadDoc(ctx: Ctx, table: string, id: string, opts: { name?: string } = {}): Doc {
  const lc = lifecycleOf(table);
  // The table and column names come from the registry's constant declarations, never from input.
  const row =
    lc.cancel === 'reversing row'
      ? (ctx.db.prepare(`SELECT d.*, EXISTS (SELECT 1 FROM "${table}" r WHERE r."${lc.column}" = d.id) AS _reversed FROM "${table}" d WHERE d.id = ?`).get(id) as
          | Record<string, unknown>
          | undefined)
      : (ctx.db.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined);
  if (!row) throw new ApiError('NOT_FOUND', `找不到该${lc.label}`);
  const status = lc.cancel === 'reversing row' ? (row._reversed ? 'cancelled' : row[lc.column] !== null ? 'reversal' : 'posted') : undefined;
  return docOf(table, row, { ...opts, status });
}

/**
 * Refuses the action unless the document's status is one of `allowed` (stored values of its table), in one form:
 * 「验收单 YS2026-0012 已作废，不能过账」, 「收据 SJ2026-0003 已作废，不能重复作废」, then the hint for that status if given.
 */
export function assertStatus(doc: Doc, allowed: readonly string[], action: LifecycleAction, hints: Partial<Record<string, string>> = {}): void {
  const lc = lifecycleOf(doc.table);
  for (const s of allowed) stateOf(doc.table, lc, s);
  if (allowed.includes(doc.status)) return;
  throw new ApiError('CONFLICT', statusMessage(doc, action, hints[doc.status]));
}

export function statusMessage(doc: Doc, action: LifecycleAction, hint?: string): string {
  const lc = lifecycleOf(doc.table);
  const a: { verb: string | null; leadsTo?: DocState } = ACTIONS[action];
  const verb = a.verb ?? lc.cancelVerb ?? '作废';
  const word = doc.state === 'cancelled' ? `已${lc.cancelVerb ?? '作废'}` : STATE_WORDS[doc.state];
  const again = a.leadsTo === doc.state ? '重复' : '';
  // A name with a number is followed by a space (验收单 YS2026-0001 已过账); the label alone is not (期初建账已过账).
  const sep = doc.name === lc.label ? '' : ' ';
  return `${doc.name}${sep}${word}，不能${again}${verb}${hint ? `；${hint}` : ''}`;
}

export interface CancelOptions {
  /** The statuses this cancel starts from (a delivery's draft is discarded, its posted document cancelled: two paths). */
  from: readonly string[];
  /** A hint after the refusal, per status the document is in. */
  hints?: Partial<Record<string, string>>;
  /** The storeroom's reversal of the document's stock (the declaration says it moved stock): dated `date`. For a table
   * cancelled by reversing rows it writes that row. Passed in by the domain, so the ledger does not import the domains. */
  reverseStock?: (ctx: Ctx, id: string, date: string, reason: string) => void;
}

/**
 * Cancels a document: checks its status, reverses what it booked — its journal entries (by source) and its stock —
 * dated `date`, then stamps the cancel: the declared status value, when, who and why, and the booked date where the
 * table keeps one; or, for a table cancelled by reversing rows, checks that the reversal wrote its row. A draft, a
 * submitted or an open document booked nothing, so nothing is reversed. Returns the document as it now is.
 */
export function cancel(ctx: Ctx, table: string, id: string, reason: string, date: string, opts: CancelOptions): Doc {
  const lc = lifecycleOf(table);
  if (!lc.cancel) throw new ApiError('INTERNAL', `${lc.label}没有作废的登记`);
  const doc = loadDoc(ctx, table, id);
  assertStatus(doc, opts.from, 'cancel', opts.hints);
  const verb = lc.cancelVerb ?? '作废';
  if (doc.state === 'posted' || doc.state === 'paid') {
    assertPeriodOpen(ctx, date);
    // The memo every reversal carries: 作废验收单 YS2026-0001：理由.
    if (lc.journal) reverseEntriesOf(ctx, lc.journal, id, date, `${verb}${doc.name}：${reason}`);
    if (lc.stock) {
      if (!opts.reverseStock) throw new ApiError('INTERNAL', `${lc.label}作废须冲销库存`);
      opts.reverseStock(ctx, id, date, reason);
    }
  }
  if (lc.cancel === 'reversing row') {
    if (!ctx.db.prepare(`SELECT 1 FROM "${table}" WHERE "${lc.column}" = ?`).get(id)) throw new ApiError('INTERNAL', `${doc.name} 没有写入冲销单`);
  } else {
    const c = lc.cancel;
    const at = ctx.now().toISOString();
    const by = currentUser(ctx).userId;
    if (c.date) ctx.db.prepare(`UPDATE "${table}" SET "${lc.column}" = ?, "${c.at}" = ?, "${c.by}" = ?, "${c.reason}" = ?, "${c.date}" = ? WHERE id = ?`).run(c.value, at, by, reason, date, id);
    else ctx.db.prepare(`UPDATE "${table}" SET "${lc.column}" = ?, "${c.at}" = ?, "${c.by}" = ?, "${c.reason}" = ? WHERE id = ?`).run(c.value, at, by, reason, id);
  }
  return loadDoc(ctx, table, id);
}
