import crypto from 'node:crypto';
import type { FundColumn, FundFlag, FundSummaryView, SurplusPeriod } from '../../../shared/api/monthclose.ts';
import type { CategoryCostRow, FundInputs } from '../../../shared/disclosure.ts';
import { CATEGORIES, NON_FOOD_EXPENSES, type Category, type NonFoodExpense } from '../../../shared/domain.ts';
import { formatFen } from '../../../shared/format.ts';
import type { RegionalProfile } from '../../../shared/profile.ts';
import { addDays, lastDayOfMonth } from '../clock.ts';
import type { Ctx } from '../context.ts';
import { deriveFund, divHalfUp, surplusLimitText } from '../disclosure/derive.ts';
import { formatBp } from '../../../shared/format.ts';
import { profileOf } from './people.ts';
import { categoryCost } from './storeroom-cost.ts';

/**
 * The fund's figures for a month and the year to date, from the ledgers alone (the journal, the stock ledger, the
 * fee records). Booked integers only: every derived row (net, totals, surplus, rates, averages) comes from
 * deriveFund (disclosure/derive.ts), so the month-close screen, the workbook and the checksum agree.
 *
 * Definitions (DOMAIN.md §3–4, LAYOUTS.md):
 * - fees collected = credits to 伙食费收入 (income:fees) dated in the period (a void reverses on its void date);
 *   refunds = debits to 伙食费退费 (income:refunds) — a refund is booked when approved; subsidy = 营养改善计划补助收入
 *   (subsidised meals × rate); other income = income:other.
 * - purchased by category = expense:<category> (accepted delivery amounts); consumed = the storeroom's
 *   opening + purchases − closing per category (storeroom-cost.ts). The summary's expense is consumed where the
 *   profile uses the storeroom, else purchased. Non-food rows = expense:fuel/utilities/wages.
 * - the fund balance at a date = everything received − everything spent on the same basis since the ledger began
 *   (plus 期初结余), so 一 + 四 of one month is 一 of the next: on the consumed basis that is journal income − journal
 *   expense + the stock's value at the date. (现金长短款 is a pending item of the cash book, not a fund row.)
 * - student meal days (就餐人日数): per student and school day of the period, a day paid for by a receipt dated by the
 *   period's end (valid then) and not refunded by a refund approved by then; plus subsidised meals recorded for
 *   students on days not counted that way. Counting only records dated by the period's end keeps a closed month's
 *   figure fixed.
 */

const zeroCats = (): Record<Category, number> => Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;

export const monthStart = (m: string): string => `${m}-01`;
export function addMonths(m: string, n: number): string {
  const [y, mo] = m.split('-').map(Number);
  const t = y * 12 + (mo - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** Σ of an account's postings dated from … to (inclusive; either may be null for open-ended). */
function sumAccount(ctx: Ctx, account: string, from: string | null, to: string): number {
  return (
    ctx.db
      .prepare(
        `SELECT coalesce(sum(p.amount_fen), 0) AS s FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
         WHERE p.account = ? AND (? IS NULL OR e.entry_date >= ?) AND e.entry_date <= ?`,
      )
      .get(account, from, from, to) as { s: number }
  ).s;
}

/** −x without a −0 (credit balances read as positive figures). */
const neg = (x: number): number => (x === 0 ? 0 : -x);

/** The stock's value (all lots) at the end of a day. */
export function stockValueAt(ctx: Ctx, date: string): number {
  return (ctx.db.prepare('SELECT coalesce(sum(value_fen), 0) AS v FROM stock_movements WHERE move_date <= ?').get(date) as { v: number }).v;
}

/** The fund balance at the end of `date` on the profile's expense basis (see the module comment). */
export function fundBalanceAt(ctx: Ctx, date: string, usesStoreroom: boolean): number {
  const r = ctx.db
    .prepare(
      `SELECT coalesce(sum(p.amount_fen), 0) AS s FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
       WHERE e.entry_date <= ? AND (p.account LIKE 'income:%' OR p.account = 'fund_opening' OR p.account IN (${[...CATEGORIES, ...NON_FOOD_EXPENSES].map((k) => `'expense:${k}'`).join(',')}))`,
    )
    .get(date) as { s: number };
  // Income and equity carry credit (negative) balances, expenses debit: the fund is minus their sum.
  return neg(r.s) + (usesStoreroom ? stockValueAt(ctx, date) : 0);
}

export function mealDays(ctx: Ctx, from: string, to: string): number {
  return (
    ctx.db
      .prepare(
        `SELECT count(*) AS n FROM (
           SELECT r.student_id AS s, d.day AS day FROM school_days d
             JOIN fee_receipts r ON d.day BETWEEN r.period_start AND r.period_end
           WHERE d.day BETWEEN @from AND @to AND r.receipt_date <= @to AND (r.status = 'valid' OR r.void_date > @to)
             AND NOT EXISTS (SELECT 1 FROM fee_refunds f WHERE f.student_id = r.student_id AND f.approved_on <= @to
                             AND (f.status <> 'void' OR f.void_date > @to) AND d.day BETWEEN f.first_day AND f.last_day)
           UNION
           SELECT student_id, meal_date FROM subsidy_meals WHERE meal_date BETWEEN @from AND @to
         )`,
      )
      .get({ from, to }) as { n: number }
  ).n;
}

export const MEAL_DAYS_NOTE =
  '就餐人日数：本期各上课日中，截至期末已交伙食费（收据有效）且未退费的学生人日，加上登记了营养改善计划就餐但不在其中的学生人日。';

export interface RangeFigures {
  inputs: FundInputs;
  purchased: Record<Category, number>;
  consumed: Record<Category, number> | null;
}

/** The booked figures of the months from … to (inclusive), with the fund balance before `from`. */
export function rangeFigures(ctx: Ctx, from: string, to: string, profile: RegionalProfile): RangeFigures {
  const d0 = monthStart(from);
  const d1 = lastDayOfMonth(to);
  const purchased = zeroCats();
  for (const c of CATEGORIES) purchased[c] = sumAccount(ctx, `expense:${c}`, d0, d1);
  let consumed: Record<Category, number> | null = null;
  if (profile.usesStoreroom) {
    consumed = zeroCats();
    for (const m of monthsBetween(from, to)) for (const r of categoryCost(ctx, m).rows) consumed[r.category] += r.consumedFen;
  }
  const nonFoodFen: Partial<Record<NonFoodExpense, number>> = {};
  for (const k of NON_FOOD_EXPENSES) {
    const v = sumAccount(ctx, `expense:${k}`, d0, d1);
    if (v !== 0 || profile.allowedNonFood.includes(k)) nonFoodFen[k] = v;
  }
  return {
    purchased,
    consumed,
    inputs: {
      previousBalanceFen: fundBalanceAt(ctx, addDays(d0, -1), profile.usesStoreroom),
      feesCollectedFen: neg(sumAccount(ctx, 'income:fees', d0, d1)),
      refundsFen: sumAccount(ctx, 'income:refunds', d0, d1),
      subsidyFen: neg(sumAccount(ctx, 'income:subsidy', d0, d1)),
      otherIncomeFen: neg(sumAccount(ctx, 'income:other', d0, d1)),
      expenseByCategoryFen: { ...(consumed ?? purchased) },
      nonFoodFen,
      mealDays: mealDays(ctx, d0, d1),
    },
  };
}

function column(r: RangeFigures, allowed: readonly NonFoodExpense[]): FundColumn {
  const s = deriveFund(r.inputs, allowed);
  return {
    previousBalanceFen: s.previousBalanceFen,
    feesCollectedFen: s.feesCollectedFen,
    refundsFen: s.refundsFen,
    feeNetFen: s.feeNetFen,
    subsidyFen: s.subsidyFen,
    otherIncomeFen: s.otherIncomeFen,
    incomeFen: s.incomeFen,
    purchasedByCategoryFen: r.purchased,
    consumedByCategoryFen: r.consumed,
    expenseByCategoryFen: s.expenseByCategoryFen,
    nonFoodFen: s.nonFoodFen,
    foodExpenseFen: s.foodExpenseFen,
    expenseFen: s.expenseFen,
    surplusFen: s.surplusFen,
    cumulativeSurplusFen: s.cumulativeSurplusFen,
    surplusRateBp: s.surplusRateBp,
    mealDays: s.mealDays,
    avgCostFen: s.avgCostFen,
    foodShareBp: s.foodShareBp,
  };
}

/**
 * The profile's surplus period containing the month: 'term' = 秋季学期 September–January or 春季学期 February–August;
 * 'year' = January–December; 'month' = the month. The rate is taken over the period's first month … this month.
 */
export function surplusPeriodOf(m: string, kind: 'month' | 'term' | 'year'): { from: string; to: string } {
  const y = Number(m.slice(0, 4));
  const mo = Number(m.slice(5, 7));
  if (kind === 'month') return { from: m, to: m };
  if (kind === 'year') return { from: `${y}-01`, to: `${y}-12` };
  if (mo >= 9) return { from: `${y}-09`, to: `${y + 1}-01` };
  if (mo === 1) return { from: `${y - 1}-09`, to: `${y}-01` };
  return { from: `${y}-02`, to: `${y}-08` };
}

/** Surplus over the limit, compared exactly (no rounding): surplus × 10000 > limit × income. */
export function overSurplusLimit(surplusFen: number, incomeFen: number, limitBp: number): boolean {
  if (incomeFen <= 0) return surplusFen > 0;
  return BigInt(surplusFen) * 10_000n > BigInt(limitBp) * BigInt(incomeFen);
}

export function fundSummary(ctx: Ctx, m: string): FundSummaryView {
  const profile = profileOf(ctx);
  const allowed = NON_FOOD_EXPENSES.filter((k) => profile.allowedNonFood.includes(k));
  const cur = column(rangeFigures(ctx, m, m, profile), allowed);
  const ytd = column(rangeFigures(ctx, `${m.slice(0, 4)}-01`, m, profile), allowed);
  const p = surplusPeriodOf(m, profile.surplusPeriod);
  const inPeriod = column(rangeFigures(ctx, p.from, m, profile), allowed);
  const breach = overSurplusLimit(inPeriod.surplusFen, inPeriod.incomeFen, profile.surplusLimitBp);
  const rateBp = inPeriod.incomeFen === 0 ? null : Number(divHalfUp(BigInt(inPeriod.surplusFen) * 10_000n, BigInt(inPeriod.incomeFen)));
  const months = monthsBetween(p.from, m);
  const span = months.length === 1 ? `${Number(m.slice(5))}月` : `${p.from.slice(0, 4)}年${Number(p.from.slice(5))}月至${m.slice(0, 4)}年${Number(m.slice(5))}月`;
  const period: SurplusPeriod = {
    kind: profile.surplusPeriod,
    from: p.from,
    to: p.to,
    months,
    incomeFen: inPeriod.incomeFen,
    surplusFen: inPeriod.surplusFen,
    rateBp,
    limitBp: profile.surplusLimitBp,
    breach,
    text: `结余率按${span}计算：${rateBp === null ? '—' : formatBp(rateBp)}，限额${surplusLimitText(profile.surplusLimitBp, profile.surplusPeriod)}`,
  };
  const flags: FundFlag[] = [];
  if (breach) flags.push({ code: 'surplus_over_limit', message: `结余超限：${span}结余 ${formatFen(inPeriod.surplusFen)} 元，结余率 ${rateBp === null ? '—' : formatBp(rateBp)}，超过${surplusLimitText(profile.surplusLimitBp, profile.surplusPeriod)}` });
  if (cur.cumulativeSurplusFen < 0) flags.push({ code: 'negative_balance', message: `经费累计结余为负数：${formatFen(cur.cumulativeSurplusFen)} 元` });
  return {
    month: m,
    usesStoreroom: profile.usesStoreroom,
    expenseBasis: profile.usesStoreroom ? 'consumed' : 'purchased',
    allowedNonFood: allowed,
    current: cur,
    ytd,
    period,
    flags,
    mealDaysNote: MEAL_DAYS_NOTE,
  };
}

/** 分类成本 rows of the month (CATEGORIES order). */
export function categoryCostRows(ctx: Ctx, m: string): CategoryCostRow[] {
  return categoryCost(ctx, m).rows.map((r) => ({ category: r.category, openingFen: r.openingFen, purchasesFen: r.purchasesFen, adjustmentsFen: r.adjustmentsFen, closingFen: r.closingFen }));
}

// ---------------------------------------------------------------------------------------------------------------
// The closed month's figures in canonical form, and the checksum.

/** JSON with object keys sorted at every level: the same figures always give the same text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export interface CloseFigures {
  month: string;
  usesStoreroom: boolean;
  allowedNonFood: NonFoodExpense[];
  current: FundInputs;
  currentPurchased: Record<Category, number>;
  ytd: FundInputs;
  ytdPurchased: Record<Category, number>;
  categoryCosts: CategoryCostRow[];
  purchases: { lines: number; qtyMilli: number; amountFen: number };
  rejected: { lines: number; qtyMilli: number };
  subsidy: { studentDays: number; amountFen: number };
  refunds: { count: number; amountFen: number };
}

/** The figures a close fixes: the fund inputs of both columns, the category costs and the detail sheets' totals. */
export function closeFigures(ctx: Ctx, m: string): CloseFigures {
  const profile = profileOf(ctx);
  const cur = rangeFigures(ctx, m, m, profile);
  const ytd = rangeFigures(ctx, `${m.slice(0, 4)}-01`, m, profile);
  const from = monthStart(m);
  const to = lastDayOfMonth(m);
  const p = ctx.db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(l.accepted_milli), 0) AS q, coalesce(sum(l.amount_fen), 0) AS a
       FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id
       WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? AND l.accepted_milli > 0`,
    )
    .get(from, to) as { n: number; q: number; a: number };
  const rj = ctx.db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(l.rejected_milli), 0) AS q FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id
       WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? AND l.rejected_milli > 0`,
    )
    .get(from, to) as { n: number; q: number };
  const sb = ctx.db.prepare('SELECT count(*) AS n, coalesce(sum(rate_fen), 0) AS a FROM subsidy_meals WHERE meal_date BETWEEN ? AND ?').get(from, to) as { n: number; a: number };
  const rf = ctx.db
    .prepare(`SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS a FROM fee_refunds WHERE approved_on BETWEEN ? AND ? AND (status <> 'void' OR void_date > ?)`)
    .get(from, to, to) as { n: number; a: number };
  return {
    month: m,
    usesStoreroom: profile.usesStoreroom,
    allowedNonFood: NON_FOOD_EXPENSES.filter((k) => profile.allowedNonFood.includes(k)),
    current: cur.inputs,
    currentPurchased: cur.purchased,
    ytd: ytd.inputs,
    ytdPurchased: ytd.purchased,
    categoryCosts: categoryCostRows(ctx, m),
    purchases: { lines: p.n, qtyMilli: p.q, amountFen: p.a },
    rejected: { lines: rj.n, qtyMilli: rj.q },
    subsidy: { studentDays: sb.n, amountFen: sb.a },
    refunds: { count: rf.n, amountFen: rf.a },
  };
}

/** SHA-256 (hex) of the figures' canonical JSON, a newline, and the audit chain's head at closing. */
export function figuresChecksum(figures: CloseFigures, auditHeadHex: string): string {
  return crypto.createHash('sha256').update(`${canonicalJson(figures)}\n${auditHeadHex}`).digest('hex');
}
