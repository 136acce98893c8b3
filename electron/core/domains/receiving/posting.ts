import type { DeliveryView } from '../../../../shared/api/receiving.ts';
import { CATEGORY_LABELS, type Category } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { audit } from '../../ledger/audit.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { ensurePayableAccount, postEntry } from '../../ledger/journal.ts';
import { assertStatus, cancel, docOf } from '../../ledger/lifecycle.ts';
import { assertDocumentDate } from '../../ledger/period-lock.ts';
import { nextNumber } from '../../ledger/numbering.ts';
import { getSupplier } from '../masterdata/index.ts';
import { getDelivery, headerRow, loadFacts, loadStored, readDraft, storedDraft, writeDraft } from './records.ts';
import { runChecks, summarize } from './checks.ts';
import { reverseStockOfDelivery, stockInFromDelivery } from '../storeroom/stockin.ts';
import { deliveryRows, groupRows, withRows } from '../../ledger/row-snapshot.ts';

/**
 * The document lifecycle of a delivery: a draft is posted (numbered, frozen, booked), a posted delivery is cancelled
 * (its entries reversed) and, for a correction, copied into an amended draft that points back to it.
 *
 * Booking: ingredient expense by category against the supplier's payable, accepted amounts only. Stock accounts are
 * deliberately not used yet: the storeroom (issue: 储存与出库) will move storable goods into stock; until then every
 * accepted delivery is expensed by its category, which is what the disclosure shows when the profile has no storeroom.
 */
export const DELIVERY_SOURCE = 'delivery';

export function postDelivery(ctx: Ctx, id: string): DeliveryView {
  const stored = loadStored(ctx, id);
  const h = stored.h;
  assertStatus(docOf('deliveries', h), ['draft'], 'post');
  const draft = storedDraft(stored);
  // The same rules the form ran, again in the main process, whatever the form did.
  const facts = loadFacts(ctx, draft, id);
  const result = summarize(draft, runChecks(facts), facts.profile.residueTestCategories);
  const errors = result.findings.filter((f) => f.level === 'error');
  if (errors.length) {
    throw new ApiError(
      'RULE',
      errors.length === 1 ? `不能过账：${errors[0].message}` : `不能过账，有 ${errors.length} 个问题：${errors[0].message}等`,
      errors.map((f) => ({ path: f.lineIndex === undefined ? f.code : `lines.${f.lineIndex}.${f.code}`, message: f.message })),
    );
  }
  if (result.unnotedWarnings > 0) throw new ApiError('RULE', `有 ${result.unnotedWarnings} 条警示尚未填写说明，填写后才能过账`);
  // The draft was dated when saved; the lock or the day may have moved since (a draft saved before a close).
  assertDocumentDate(ctx, draft.date, '验收日期');

  const number = nextNumber(ctx, 'YS', Number(draft.date.slice(0, 4)));
  const supplier = facts.supplier ?? getSupplier(ctx, draft.supplierId);
  const byCategory = new Map<Category, number>();
  for (const l of stored.lines) byCategory.set(l.category, (byCategory.get(l.category) ?? 0) + l.amount_fen);
  if (result.totalFen > 0) {
    const payable = ensurePayableAccount(ctx, supplier.id, supplier.name);
    postEntry(ctx, {
      date: draft.date,
      memo: `验收入库 ${number} ${supplier.name}`,
      sourceType: DELIVERY_SOURCE,
      sourceId: id,
      postings: [
        ...[...byCategory].map(([cat, fen]) => ({ account: `expense:${cat}`, amountFen: fen })),
        { account: payable, amountFen: -result.totalFen },
      ],
    });
  }
  const at = ctx.now().toISOString();
  const by = currentUser(ctx).userId;
  ctx.db
    .prepare(`UPDATE deliveries SET status = 'posted', number = ?, findings = ?, total_fen = ?, posted_at = ?, posted_by = ?, updated_at = ?, updated_by = ? WHERE id = ?`)
    .run(number, JSON.stringify(result.findings), result.totalFen, at, by, at, by, id);
  // Accepted storable lines become lots, the rest go straight to the day's kitchen (直进直出); the journal is unchanged.
  stockInFromDelivery(ctx, id, { profile: facts.profile });
  const posted = getDelivery(ctx, id, { stored: { ...stored, h: headerRow(ctx, id) } });
  audit(ctx, 'post', 'delivery', id, { status: 'draft' }, {
    number,
    totalFen: result.totalFen,
    byCategory: Object.fromEntries([...byCategory].map(([c, f]) => [CATEGORY_LABELS[c], f])),
    findings: result.findings,
    _rows: [groupRows(ctx, 'deliveries', 'id', id)],
  });
  return posted;
}

/** A draft nobody will post is cancelled with a reason (kept, never deleted; it has no number and no entries). */
export function discardDraft(ctx: Ctx, id: string, reason: string): DeliveryView {
  // The one lifecycle's cancel: when, who and why; updated_at stays the last save of the draft's content.
  cancel(ctx, 'deliveries', id, reason, headerRow(ctx, id).delivery_date, { from: ['draft'], hints: { posted: '请用“作废并更正”' } });
  audit(ctx, 'discard', 'delivery', id, { status: 'draft' }, withRows({ status: 'cancelled', reason }, groupRows(ctx, 'deliveries', 'id', id)));
  return getDelivery(ctx, id);
}

/**
 * Cancels a posted delivery: reverses its entries on the delivery's own date (so the month's books show the
 * correction; a closed month must be reopened first) and, when `amend`, opens an amended draft copy.
 */
export function cancelDelivery(ctx: Ctx, id: string, reason: string, amend: boolean): { cancelled: DeliveryView; amended: DeliveryView | null } {
  const h = headerRow(ctx, id);
  // Reversed on the delivery's own date (its entries by source, its lots and direct issue), then stamped.
  cancel(ctx, 'deliveries', id, reason, h.delivery_date, {
    from: ['posted'],
    hints: { draft: '草稿直接修改或作废草稿即可' },
    reverseStock: (c, deliveryId, date) => reverseStockOfDelivery(c, deliveryId, date),
  });
  audit(ctx, 'cancel', 'delivery', id, { status: 'posted', number: h.number }, withRows({ status: 'cancelled', reason }, groupRows(ctx, 'deliveries', 'id', id)));
  let amended: DeliveryView | null = null;
  if (amend) {
    // The copy keeps everything, warning notes included; it is checked afresh when it is posted. People disabled since
    // the original was signed are left off (the check then asks for other inspectors) rather than blocking the cancel.
    const copy = readDraft(ctx, id);
    const active = (u: string) => ctx.db.prepare('SELECT 1 FROM users WHERE id = ? AND disabled = 0').get(u) !== undefined;
    const witnessGone = copy.witnessUserId !== null && !active(copy.witnessUserId);
    const newId = writeDraft(
      ctx,
      null,
      {
        ...copy,
        inspectorIds: copy.inspectorIds.filter(active),
        witnessUserId: witnessGone ? null : copy.witnessUserId,
        witnessName: witnessGone ? (getDelivery(ctx, id).witnessName ?? '') : copy.witnessName,
      },
      id,
    );
    amended = getDelivery(ctx, newId);
    audit(ctx, 'amend', 'delivery', newId, null, withRows({ amends: id, amendsNumber: h.number }, ...deliveryRows(ctx, newId)));
  }
  return { cancelled: getDelivery(ctx, id), amended };
}
