import type { AttentionItem } from '../../../../shared/api/audit.ts';
import type { storeroomApi } from '../../../../shared/api/storeroom.ts';
import { formatMilli } from '../../../../shared/format.ts';
import type { Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { countEnter, countPost, countStart, getCount } from './count.ts';
import { categoryCost } from '../../ledger/stock-cost.ts';
import { adjustLot, cancelIssue, issueStock, listIssues, proposeIssue } from './issue.ts';
import { listLots, lotTrace, mealTrace, nearExpiryLots, stockOnHand } from './trace.ts';

export { stockInFromDelivery, reverseStockOfDelivery } from './stockin.ts';
export { categoryCost } from '../../ledger/stock-cost.ts';

/** The home page's list of stored lots that are expired or expire within the profile's nearExpiryDays. */
export function storeroomAttention(ctx: Ctx): AttentionItem[] {
  return nearExpiryLots(ctx).map((l) => ({
    kind: 'near_expiry',
    severity: l.state === 'expired' ? 'error' : 'warning',
    title: `${l.ingredientName}：${l.state === 'expired' ? '库存已过期' : '库存临期'}（保质期至 ${l.expiryDate}）`,
    detail: `结存 ${formatMilli(l.onHandMilli)} ${l.unit}${l.deliveryNumber ? `，来自验收单 ${l.deliveryNumber}` : ''}${l.state === 'expired' ? '，请报损“过期销毁”' : '，请优先出库'}`,
    link: `/storeroom/trace/${l.lotId}`,
  }));
}

export const storeroomHandlers: Handlers<keyof typeof storeroomApi> = {
  'storeroom.stock': (ctx, i) => stockOnHand(ctx, i),
  'storeroom.lots': (ctx, i) => listLots(ctx, i),
  'storeroom.proposeIssue': (ctx, i) => proposeIssue(ctx, i.ingredientId, i.qtyMilli, i.date),
  'storeroom.issue': (ctx, i) => issueStock(ctx, i),
  'storeroom.cancelIssue': (ctx, i) => cancelIssue(ctx, i.id, i.date, i.reason),
  'storeroom.issues': (ctx, i) => listIssues(ctx, i),
  'storeroom.adjust': (ctx, i) => adjustLot(ctx, i),
  'storeroom.countStart': (ctx, i) => countStart(ctx, i.month),
  'storeroom.countGet': (ctx, i) => getCount(ctx, i.month),
  'storeroom.countEnter': (ctx, i) => countEnter(ctx, i.month, i.lines),
  'storeroom.countPost': (ctx, i) => countPost(ctx, i.month),
  'storeroom.categoryCost': (ctx, i) => categoryCost(ctx, i.month),
  'storeroom.lotTrace': (ctx, i) => lotTrace(ctx, i.lotId),
  'storeroom.mealTrace': (ctx, i) => mealTrace(ctx, i.date, i.meal),
};
