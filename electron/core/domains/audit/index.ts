import type { AttentionItem, AuditEntry, auditApi } from '../../../../shared/api/audit.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { LICENCE_LABELS, type LicenceKind } from '../../../../shared/domain.ts';
import type { Role } from '../../../../shared/roles.ts';
import { addDays, chinaDate } from '../../ledger/clock.ts';
import { withoutSecrets } from '../../ledger/row-snapshot.ts';
import type { Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { profileOf } from '../people/index.ts';
import { draftAttention } from '../receiving/index.ts';
import { feesAttention } from '../fees/index.ts';
import { storeroomAttention } from '../storeroom/index.ts';
import { healthAttention, quickVerifyAttention } from '../../integrity/health-check.ts';
import { homeSections } from './home.ts';

/**
 * What needs attention today. Each domain adds its provider here, with whom each kind of item it gives is for
 * (issue 15: a parent was shown a cashier's overdue refund, and 去处理 led to a page the parent may not open). An item
 * goes to the people who do the work — told by the contract (`canCall` of the method that does it); the flags the
 * 审核人/校长 oversees are on the reviewer's home (REVIEWER_FLAGS). Every link is to a page those roles may open
 * (test/core/home.test.ts, test/e2e/home.test.ts).
 */
export type AttentionProvider = (ctx: Ctx) => AttentionItem[];
type Audience = (roles: readonly Role[]) => boolean;
export const attentionProviders: { provide: AttentionProvider; audience: Record<string, Audience> }[] = [
  // Damage concerns everyone: stop typing. Who cannot open 备份与校验 is sent to 关于, which says the same (seeLinkOf).
  { provide: healthAttention, audience: { ledger_damaged: () => true } },
  // The daily quick verify's finding goes to the same people, sent to the same page (or 关于).
  { provide: quickVerifyAttention, audience: { quick_verify_failed: () => true } },
  { provide: licenceAttention, audience: { licence: (r) => canCall('suppliers.update', r) } },
  { provide: draftAttention, audience: { delivery_draft: (r) => canCall('receiving.post', r) } },
  {
    provide: feesAttention,
    audience: { refund_overdue: (r) => canCall('refunds.pay', r), cash_uncleared: (r) => canCall('clearing.confirm', r) },
  },
  { provide: storeroomAttention, audience: { near_expiry: (r) => canCall('storeroom.adjust', r) } },
];

/**
 * What the 审核人/校长 oversees rather than does: shown under 提醒 on the reviewer's home (their pages are open to the
 * reviewer: 供应商, 退费), not as the reviewer's to-dos.
 */
const REVIEWER_FLAGS: ReadonlySet<string> = new Set(['licence', 'refund_overdue']);

/** The link of an item for these roles: the damage notice's 备份与校验 is not every role's page; 关于 says it too. */
function seeLinkOf(item: AttentionItem, roles: readonly Role[]): AttentionItem {
  return (item.kind === 'ledger_damaged' || item.kind === 'quick_verify_failed') && !canCall('integrity.verify', roles) ? { ...item, link: '/about' } : item;
}

/** Every provider's items with whom each is for (an item of a kind its provider did not declare goes to nobody). */
function allAttention(ctx: Ctx): { item: AttentionItem; for: Audience }[] {
  return attentionProviders.flatMap(({ provide, audience }) => provide(ctx).map((item) => ({ item, for: audience[item.kind] ?? (() => false) })));
}

/** The items meant for someone holding `roles`. */
export function attentionFor(ctx: Ctx, roles: readonly Role[], all = allAttention(ctx)): AttentionItem[] {
  return all.filter((a) => a.for(roles)).map((a) => seeLinkOf(a.item, roles));
}

function licenceAttention(ctx: Ctx): AttentionItem[] {
  const today = chinaDate(ctx.now());
  const horizon = addDays(today, profileOf(ctx).licenceWarnDays);
  const rows = ctx.db
    .prepare(
      `SELECT s.id, s.name, l.kind, l.number, l.expires_on FROM supplier_licences l JOIN suppliers s ON s.id = l.supplier_id
       WHERE s.disabled = 0 AND l.expires_on IS NOT NULL AND l.expires_on <= ? ORDER BY l.expires_on, s.name`,
    )
    .all(horizon) as { id: string; name: string; kind: LicenceKind; number: string; expires_on: string }[];
  const items: AttentionItem[] = rows.map((r) => ({
    kind: 'licence',
    severity: r.expires_on < today ? 'error' : 'warning',
    title: `${r.name}：${LICENCE_LABELS[r.kind]}${r.expires_on < today ? '已过期' : '即将到期'}`,
    detail: `证号 ${r.number}，有效期至 ${r.expires_on}`,
    link: `/masterdata/suppliers/${r.id}`,
  }));
  const missing = ctx.db
    .prepare(
      `SELECT s.id, s.name FROM suppliers s WHERE s.disabled = 0 AND NOT EXISTS
       (SELECT 1 FROM supplier_licences l WHERE l.supplier_id = s.id AND l.kind IN ('food_business','food_production'))
       ORDER BY s.name`,
    )
    .all() as { id: string; name: string }[];
  for (const s of missing) {
    items.push({
      kind: 'licence',
      severity: 'error',
      title: `${s.name}：缺少食品经营/生产许可证`,
      detail: '未登记许可证的供应商送货时将被拦截',
      link: `/masterdata/suppliers/${s.id}`,
    });
  }
  return items;
}

export const auditHandlers: Handlers<keyof typeof auditApi> = {
  'audit.list': (ctx, input) => {
    const where = `(? IS NULL OR a.entity = ?) AND (? IS NULL OR a.entity_id = ?) AND (? IS NULL OR a.action = ?)`;
    const params = [input.entity ?? null, input.entity ?? null, input.entityId ?? null, input.entityId ?? null, input.action ?? null, input.action ?? null];
    const total = (ctx.db.prepare(`SELECT count(*) AS n FROM audit_log a WHERE ${where}`).get(...params) as { n: number }).n;
    const rows = ctx.db
      .prepare(
        `SELECT a.seq, a.at, a.user_id, u.display_name AS user_name, a.action, a.entity, a.entity_id, a.before, a.after
         FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE ${where} ORDER BY a.seq DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, input.limit, input.offset) as {
      seq: number;
      at: string;
      user_id: string | null;
      user_name: string | null;
      action: string;
      entity: string;
      entity_id: string | null;
      before: string | null;
      after: string | null;
    }[];
    const entries: AuditEntry[] = rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      userId: r.user_id,
      userName: r.user_name,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: r.before === null ? null : withoutSecrets(JSON.parse(r.before)),
      after: r.after === null ? null : withoutSecrets(JSON.parse(r.after)),
    }));
    return { entries, total };
  },
  'home.attention': (ctx) => attentionFor(ctx, ctx.session?.roles ?? []),
  'home.summary': (ctx) => {
    const roles = ctx.session?.roles ?? [];
    const all = allAttention(ctx);
    const attention = attentionFor(ctx, roles, all);
    const flags = roles.includes('reviewer') ? all.filter((a) => REVIEWER_FLAGS.has(a.item.kind)).map((a) => a.item) : [];
    return { attention, sections: homeSections(ctx, roles, flags) };
  },
};
