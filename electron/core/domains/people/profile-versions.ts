import type { ProfileVersionRow } from '../../../../shared/api/people.ts';
import { BANK_FEE, NON_FOOD_EXPENSES, NON_FOOD_LABELS, type NonFoodExpense } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { formatFen } from '../../../../shared/format.ts';
import type { RegionalProfile } from '../../../../shared/profile.ts';
import { chinaDate } from '../../ledger/clock.ts';
import type { Ctx } from '../../context.ts';
import { latestClosedMonth, lockRefusal } from '../../ledger/period-lock.ts';
import { parseProfile } from '../../ledger/profile.ts';

/**
 * Versions of the regional profile (issue 14 §5, migration 0018, docs/DOMAIN-RULES.md "Profile versions"). A change
 * takes effect from a month on: a month, and every document dated in it, is computed with the newest version whose
 * effective month is not after it. Versions are never taken back and never take effect in or before a closed month,
 * so a closed month keeps the version it closed with, whatever changes after.
 */

/** The first version's month: in force from the beginning of the books. */
export const BEGINNING = '0001-01';

export { profileVersionFor } from '../../ledger/profile.ts';

/** The month of today in China time. */
export const currentMonth = (ctx: Pick<Ctx, 'now'>) => chinaDate(ctx.now()).slice(0, 7);

/** The earliest month a new version may take effect from: after the latest closed month and after the opening's month. */
export function earliestEffectiveMonth(ctx: Pick<Ctx, 'db'>): string | null {
  const closed = latestClosedMonth(ctx);
  const o = ctx.db.prepare(`SELECT opening_date AS d FROM openings WHERE status = 'posted'`).get() as { d: string } | undefined;
  const after = [closed, o?.d.slice(0, 7)].filter((x): x is string => !!x).sort().pop();
  if (!after) return null;
  const [y, mo] = after.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}

export function listProfileVersions(ctx: Pick<Ctx, 'db'>): ProfileVersionRow[] {
  const rows = ctx.db
    .prepare(
      `SELECT v.seq, v.effective_from, v.profile, v.created_at, u.display_name AS by_name
       FROM profile_versions v LEFT JOIN users u ON u.id = v.created_by ORDER BY v.seq DESC`,
    )
    .all() as { seq: number; effective_from: string; profile: string; created_at: string; by_name: string | null }[];
  return rows.map((r) => ({
    seq: r.seq,
    effectiveFrom: r.effective_from === BEGINNING ? null : r.effective_from,
    profileName: parseProfile(r.profile).name,
    createdAt: r.created_at,
    createdByName: r.by_name,
  }));
}

/** Constant SQL text: the accounts of the non-food kinds. */
const NON_FOOD_ACCOUNTS_SQL = NON_FOOD_EXPENSES.map((k) => `'expense:${k}'`).join(', ');

const monthWords = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

/**
 * Refuses a version effective from `month` that no longer allows a non-food expense kind booked on or after its first
 * day (all of them in open months: a version never takes effect in a closed one), listing those entries: the spending
 * would otherwise drop out of the month's summary while the bank still shows it paid.
 */
export function assertKindsStillAllowed(ctx: Pick<Ctx, 'db'>, month: string, profile: RegionalProfile): void {
  // 手续费 is allowed under every profile.
  const forbidden = NON_FOOD_EXPENSES.filter((k) => k !== BANK_FEE && !(profile.allowedNonFood as readonly string[]).includes(k));
  if (!forbidden.length) return;
  const used = ctx.db
    .prepare(
      `SELECT e.entry_date AS date, substr(p.account, 9) AS kind, p.amount_fen AS amount, e.memo
       FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
       WHERE p.account IN (${NON_FOOD_ACCOUNTS_SQL}) AND e.status = 'posted' AND e.entry_date >= ?
         AND e.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses = e.id)
       ORDER BY e.entry_date, e.created_at`,
    )
    .all(`${month}-01`) as { date: string; kind: NonFoodExpense; amount: number; memo: string }[];
  const hits = used.filter((u) => forbidden.includes(u.kind));
  if (!hits.length) return;
  const list = hits.map((h) => `${h.date} ${NON_FOOD_LABELS[h.kind]} ${formatFen(h.amount)} 元`);
  const kinds = [...new Set(hits.map((h) => NON_FOOD_LABELS[h.kind]))].join('、');
  throw new ApiError(
    'RULE',
    `新的区域配置（${profile.name}）自${monthWords(month)}起不允许${kinds}支出，而${monthWords(month)}以后已登记了以下支出：${list.join('；')}。请先冲销这些支出，或把生效月份定在它们之后`,
    hits.map((h, i) => ({ path: 'profile.allowedNonFood', message: list[i] })),
  );
}

/** The month a version is asked to take effect from, checked against the lock (the default: this month). */
export function effectiveMonthOf(ctx: Pick<Ctx, 'db' | 'now'>, asked: string | undefined): string {
  const m = asked ?? currentMonth(ctx);
  const why = lockRefusal(ctx, m);
  if (why) throw new ApiError('LOCKED', `区域配置不能自${monthWords(m)}起生效：${why}`);
  return m;
}
