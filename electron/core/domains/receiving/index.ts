import type { AttentionItem } from '../../../../shared/api/audit.ts';
import type { receivingApi } from '../../../../shared/api/receiving.ts';
import type { Role } from '../../../../shared/roles.ts';
import { audit } from '../../ledger/audit.ts';
import { chinaDate } from '../../ledger/clock.ts';
import { pinyinKeys } from '../../ledger/pinyin.ts';
import { recentSince } from '../../ledger/recent-use.ts';
import type { Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { attach, attachmentData, deleteAttachment } from './attachments.ts';
import { cancelDelivery, discardDraft, postDelivery } from './posting.ts';
import { pay, payables, reconcile, reconciliationMonth, saveStatement } from './reconciliation.ts';
import { checkDraft, getDelivery, lastPrice, listDeliveries, priceHistory, writeDraft } from './records.ts';
import { deliveryRows, withRows } from '../../ledger/row-snapshot.ts';

/** The receiving domain's API: thin handlers over checks, records, posting, attachments and reconciliation. */
export const receivingHandlers: Handlers<keyof typeof receivingApi> = {
  'receiving.check': (ctx, { draft, deliveryId }) => checkDraft(ctx, draft, deliveryId),
  'receiving.saveDraft': (ctx, { id, draft }) => {
    // The before-image leaves the findings out (the audit never kept them), so they are not computed for it.
    const before = id ? getDelivery(ctx, id, { findings: null }) : null;
    const savedId = writeDraft(ctx, id, draft);
    const after = getDelivery(ctx, savedId);
    audit(ctx, before ? 'update' : 'create', 'delivery', savedId, before && { ...before, findings: undefined }, withRows({ ...after, findings: undefined }, ...deliveryRows(ctx, savedId)));
    return after;
  },
  'receiving.post': (ctx, { id }) => postDelivery(ctx, id),
  'receiving.discard': (ctx, { id, reason }) => discardDraft(ctx, id, reason),
  'receiving.cancel': (ctx, { id, reason, amend }) => cancelDelivery(ctx, id, reason, amend),
  'receiving.get': (ctx, { id }) => getDelivery(ctx, id),
  'receiving.list': (ctx, f) => listDeliveries(ctx, f),
  'receiving.priceHistory': (ctx, { ingredientId, from, to, limit }) => priceHistory(ctx, ingredientId, from, to, limit),
  'receiving.lastPrice': (ctx, { ingredientId, supplierId }) => lastPrice(ctx, ingredientId, supplierId),
  'receiving.people': (ctx) => {
    const users = ctx.db
      .prepare(
        `WITH recent AS (SELECT di.user_id AS id, count(*) AS n FROM deliveries d CROSS JOIN delivery_inspectors di ON di.delivery_id = d.id
                         WHERE d.delivery_date >= ? AND d.status = 'posted' GROUP BY di.user_id)
         SELECT u.id, u.display_name, coalesce(r.n, 0) AS recent FROM users u LEFT JOIN recent r ON r.id = u.id
         WHERE u.disabled = 0 ORDER BY recent DESC, u.display_name`,
      )
      .all(recentSince(ctx)) as { id: string; display_name: string; recent: number }[];
    const roles = ctx.db.prepare('SELECT role FROM user_roles WHERE user_id = ? ORDER BY role');
    return users.map((u) => {
      const py = pinyinKeys(u.display_name);
      return { id: u.id, name: u.display_name, roles: (roles.all(u.id) as { role: Role }[]).map((r) => r.role), pyInitials: py.initials, pyFull: py.full, recent: u.recent };
    });
  },
  'receiving.attach': (ctx, input) => attach(ctx, input),
  'receiving.attachmentData': (ctx, { id }) => attachmentData(ctx, id),
  'receiving.deleteAttachment': (ctx, { id, reason }) => {
    deleteAttachment(ctx, id, reason);
    return null;
  },
  'receiving.statementSave': (ctx, input) => saveStatement(ctx, input),
  'receiving.reconciliation': (ctx, { supplierId, month }) => reconcile(ctx, supplierId, month),
  'receiving.reconciliationMonth': (ctx, { month }) => reconciliationMonth(ctx, month).map((x) => x.row),
  'receiving.pay': (ctx, input) => pay(ctx, input),
  'receiving.payables': (ctx) => payables(ctx),
};

/** Home page: drafts from before today that nobody posted (月结 needs none left). */
export function draftAttention(ctx: Ctx): AttentionItem[] {
  const today = chinaDate(ctx.now());
  const rows = ctx.db
    .prepare(
      `SELECT d.id, d.delivery_date, s.name FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id
       WHERE d.status = 'draft' AND d.delivery_date < ? ORDER BY d.delivery_date, s.name`,
    )
    .all(today) as { id: string; delivery_date: string; name: string }[];
  return rows.map((r) => ({
    kind: 'delivery_draft',
    severity: 'warning',
    title: `${r.delivery_date} ${r.name} 的验收单尚未过账`,
    detail: '请核对后过账，或填写原因作废草稿',
    link: `/receiving/${r.id}`,
  }));
}
