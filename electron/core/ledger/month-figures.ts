import crypto from 'node:crypto';
import type { FundColumn, FundFlag, FundSummaryView, SurplusPeriod } from '../../../shared/api/monthclose.ts';
import type { CategoryCost } from '../../../shared/api/storeroom.ts';
import type { CategoryCostRow, FundInputs } from '../../../shared/disclosure.ts';
import { CATEGORIES, NON_FOOD_EXPENSES, type Category, type CategoryGroup, type CostBasis, type NonFoodExpense } from '../../../shared/domain.ts';
import { formatFen } from '../../../shared/format.ts';
import type { RegionalProfile } from '../../../shared/profile.ts';
import { addMonths, lastDayOfMonth, monthsBetween, monthWords } from './clock.ts';
import type { Ctx } from '../context.ts';
import { deriveFund, divHalfUp, surplusLimitText, surplusLimitValue } from '../disclosure/derive.ts';
import { resolveLayout } from '../disclosure/layout.ts';
import { summaryTableRows } from '../disclosure/summary-rows.ts';
import { formatBp } from '../../../shared/format.ts';
import { profileFor } from './profile.ts';
import { categoryCost } from './stock-cost.ts';

/** The posted opening's date (期初建账), or null: the figures start after its month. */
export function postedOpeningDate(ctx: Pick<Ctx, 'db'>): string | null {
  const r = ctx.db.prepare(`SELECT opening_date AS d FROM openings WHERE status = 'posted'`).get() as { d: string } | undefined;
  return r?.d ?? null;
}

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
 * - the fund balance at a month's start = everything received − everything spent on the same basis since the ledger
 *   began (plus 期初结余), so 一 + 四 of one month is 一 of the next: on the consumed basis that is journal income −
 *   journal expense + the stock's value at the date. (现金长短款 is a pending item of the cash book, not a fund row.)
 * - student meal days (就餐人日数) of a month: per student and school day of the month, a day paid for by a receipt
 *   dated by the month's end (valid then) and not refunded by a refund approved by then; plus subsidised meals recorded
 *   for students on days not counted that way. Counting only records dated by the month's end keeps a closed month's
 *   figure fixed.
 * - a period of several months (本年累计, the surplus period) is the balance before its first month plus the sum of
 *   its months' figures, each month as published: a closed month's figures as frozen at its (latest) close
 *   (month_close_events.figures, read only when they still hash to the recorded checksum), an open month's as
 *   computed now. A closed month is locked and its disclosure published (DOMAIN.md §3 月结, §4), so the year to date
 *   restates no closed month: it is the sum of the published 本月 columns. The one figure where this differs from
 *   recomputing the whole year at once is 就餐人日数 (and, in principle, a refund or void dated later): a receipt
 *   paid after a month closed for days of that month (a late payment) counts in no month's meal days, as the closed
 *   month's own figure never counted it either — before issue 8 the year to date counted it, so the year's column
 *   could exceed the sum of its published months.
 *
 * Speed (docs/PERFORMANCE.md finding 2): sums come from the month totals of migration 0006 (account_month_totals,
 * stock_month_totals, kept by SQL triggers), meal days from one month's rows, closed months from their frozen
 * figures, and one request computes each month once (FiguresMemo).
 */

/** The non-food kinds a profile allows, in NON_FOOD_EXPENSES order (手续费 is never listed: it is always allowed). */
export const allowedKinds = (profile: RegionalProfile): NonFoodExpense[] => NON_FOOD_EXPENSES.filter((k) => (profile.allowedNonFood as readonly string[]).includes(k));

/**
 * What a close records of the profile's lists beside its figures (issue 14 §4): the category rows it published and a
 * full-cost basis, each only where the profile sets them — a month under the shipped list and basis records exactly
 * what it recorded before, so the checksums of months closed earlier still hold.
 */
export function publishedLists(profile: RegionalProfile): Pick<CloseFigures, 'categoryGroups' | 'costBasis'> {
  return {
    ...(profile.disclosureCategories?.length ? { categoryGroups: profile.disclosureCategories.map((g) => ({ label: g.label, categories: [...g.categories] })) } : {}),
    ...(profile.costBasis === 'full' ? { costBasis: 'full' as const } : {}),
  };
}

const zeroCats = (): Record<Category, number> => Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;

export const monthStart = (m: string): string => `${m}-01`;

/** −x without a −0 (credit balances read as positive figures). */
const neg = (x: number): number => (x === 0 ? 0 : -x);

const FUND_ACCOUNTS_SQL = [...CATEGORIES, ...NON_FOOD_EXPENSES].map((k) => `'expense:${k}'`).join(',');

/** The fund balance before the month's first day, on the profile's expense basis (see the module comment). */
export function fundBalanceBefore(ctx: Ctx, m: string, usesStoreroom: boolean): number {
  const r = ctx.db
    .prepare(
      `SELECT coalesce(sum(amount_fen), 0) AS s FROM account_month_totals
       WHERE month < ? AND (account LIKE 'income:%' OR account = 'fund_opening' OR account IN (${FUND_ACCOUNTS_SQL}))`,
    )
    .get(m) as { s: number };
  // Income and equity carry credit (negative) balances, expenses debit: the fund is minus their sum.
  if (!usesStoreroom) return neg(r.s);
  const stock = ctx.db.prepare('SELECT coalesce(sum(value_fen), 0) AS v FROM stock_month_totals WHERE month < ?').get(m) as { v: number };
  return neg(r.s) + stock.v;
}

/**
 * 就餐人日数 of one month (module comment): one bit per day of the month per student — the school days its receipts
 * pay for, less refunded days, OR the days of its subsidised meals — then the bits counted. Reads the month's
 * receipts and refunds once and the meals already folded per student (subsidy_meal_months).
 */
export function mealDays(ctx: Ctx, m: string): number {
  const from = monthStart(m);
  const to = lastDayOfMonth(m);
  const days = (ctx.db.prepare('SELECT day FROM school_days WHERE day BETWEEN ? AND ? ORDER BY day').all(from, to) as { day: string }[]).map((d) => ({
    day: d.day,
    bit: 1 << (Number(d.day.slice(8, 10)) - 1),
  }));
  // Receipts of a class share their period: each distinct period's days are worked out once.
  const spans = new Map<string, number>();
  const schoolDaysBetween = (a: string, b: string): number => {
    const k = `${a}|${b}`;
    let x = spans.get(k);
    if (x === undefined) {
      x = 0;
      for (const d of days) if (d.day >= a && d.day <= b) x |= d.bit;
      spans.set(k, x);
    }
    return x;
  };
  const paid = new Map<string, number>();
  const receipts = ctx.db
    .prepare(
      // period_end bounded by the longest period of any receipt (an index seek, migration 0012): the receipts
      // ending after the month are only those that can still overlap it, not every one of the years since.
      `SELECT student_id, period_start, period_end FROM fee_receipts
       WHERE period_end >= @from
         AND period_end <= date(@to, '+' || (SELECT CAST(ceil(max(julianday(period_end) - julianday(period_start))) AS INTEGER) FROM fee_receipts) || ' days')
         AND period_start <= @to AND receipt_date <= @to AND (status = 'valid' OR void_date > @to)`,
    )
    .raw()
    .all({ from, to }) as [string, string, string][];
  for (const [s, a, b] of receipts) {
    const x = schoolDaysBetween(a, b);
    if (x !== 0) paid.set(s, (paid.get(s) ?? 0) | x);
  }
  const refunds = ctx.db
    .prepare(
      `SELECT student_id, first_day, last_day FROM fee_refunds
       WHERE last_day >= @from AND first_day <= @to AND approved_on <= @to AND (status <> 'void' OR void_date > @to)`,
    )
    .raw()
    .all({ from, to }) as [string, string, string][];
  for (const [s, a, b] of refunds) {
    const x = paid.get(s);
    if (x !== undefined) paid.set(s, x & ~schoolDaysBetween(a, b));
  }
  // The month's subsidised meal days per student, as bits (subsidy_meal_months, migration 0006).
  const meals = ctx.db.prepare('SELECT student_id AS s, days AS x FROM subsidy_meal_months WHERE month = ?').all(m) as { s: string; x: number }[];
  let n = 0;
  for (const r of meals) {
    n += popcount(r.x | (paid.get(r.s) ?? 0));
    paid.delete(r.s);
  }
  for (const x of paid.values()) n += popcount(x);
  return n;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

export const MEAL_DAYS_NOTE =
  '就餐人日数：本期各上课日中，截至期末已交伙食费（收据有效）且未退费的学生人日，加上登记了营养改善计划就餐但不在其中的学生人日。';

/** One month's booked flows (no balance): what a period sums. */
interface MonthFlows {
  feesCollectedFen: number;
  refundsFen: number;
  subsidyFen: number;
  otherIncomeFen: number;
  purchased: Record<Category, number>;
  consumed: Record<Category, number> | null;
  nonFoodFen: Partial<Record<NonFoodExpense, number>>;
  mealDays: number;
}

/** Per request: each month's flows and category costs are computed once however many columns need them. */
export interface FiguresMemo {
  cost: Map<string, CategoryCost>;
  flows: Map<string, MonthFlows>;
  fresh: Map<string, MonthFlows>;
  frozen: Map<string, CloseFigures | null>;
  close: Map<string, CloseFigures>;
}
export const newFiguresMemo = (): FiguresMemo => ({ cost: new Map(), flows: new Map(), fresh: new Map(), frozen: new Map(), close: new Map() });


/** A month's flows computed from the ledgers now (month totals, category costs, meal days). */
function freshFlows(ctx: Ctx, m: string, profile: RegionalProfile, memo: FiguresMemo): MonthFlows {
  const hit = memo.fresh.get(m);
  if (hit) return hit;
  const acc = new Map(
    (ctx.db.prepare('SELECT account, amount_fen FROM account_month_totals WHERE month = ?').all(m) as { account: string; amount_fen: number }[]).map((r) => [r.account, r.amount_fen]),
  );
  const a = (k: string): number => acc.get(k) ?? 0;
  const purchased = zeroCats();
  for (const c of CATEGORIES) purchased[c] = a(`expense:${c}`);
  let consumed: Record<Category, number> | null = null;
  if (profile.usesStoreroom) {
    consumed = zeroCats();
    for (const r of categoryCost(ctx, m, memo.cost).rows) consumed[r.category] = r.consumedFen;
  }
  const nonFoodFen: Partial<Record<NonFoodExpense, number>> = {};
  for (const k of NON_FOOD_EXPENSES) nonFoodFen[k] = a(`expense:${k}`);
  const f: MonthFlows = {
    feesCollectedFen: neg(a('income:fees')),
    refundsFen: a('income:refunds'),
    subsidyFen: neg(a('income:subsidy')),
    otherIncomeFen: neg(a('income:other')),
    purchased,
    consumed,
    nonFoodFen,
    mealDays: mealDays(ctx, m),
  };
  memo.fresh.set(m, f);
  return f;
}

/**
 * The figures recorded by the month's latest close, if it is closed now and they still hash, with the recorded audit
 * head, to the recorded checksum (a changed figures text is read as no figures; verify names it).
 */
export function frozenFigures(ctx: Ctx, m: string, memo?: FiguresMemo): CloseFigures | null {
  if (memo?.frozen.has(m)) return memo.frozen.get(m)!;
  const row = ctx.db
    .prepare(
      `SELECT e.figures, e.audit_head, e.checksum FROM month_close_events e
       WHERE e.month = ? AND e.kind = 'close' AND EXISTS (SELECT 1 FROM closed_periods WHERE period = e.month) ORDER BY e.seq DESC LIMIT 1`,
    )
    .get(m) as { figures: string; audit_head: string; checksum: string } | undefined;
  let f: CloseFigures | null = null;
  if (row) {
    try {
      const parsed = JSON.parse(row.figures) as CloseFigures;
      if (figuresChecksum(parsed, row.audit_head) === row.checksum) f = parsed;
    } catch {
      f = null;
    }
  }
  memo?.frozen.set(m, f);
  return f;
}

/** A month's flows as published: frozen at its close when closed (and on the same expense basis), else fresh. */
function monthFlows(ctx: Ctx, m: string, profile: RegionalProfile, memo: FiguresMemo): MonthFlows {
  const hit = memo.flows.get(m);
  if (hit) return hit;
  const z = frozenFigures(ctx, m, memo);
  const f: MonthFlows =
    z && z.usesStoreroom === profile.usesStoreroom
      ? {
          feesCollectedFen: z.current.feesCollectedFen,
          refundsFen: z.current.refundsFen,
          subsidyFen: z.current.subsidyFen,
          otherIncomeFen: z.current.otherIncomeFen,
          purchased: z.currentPurchased,
          consumed: z.usesStoreroom ? z.current.expenseByCategoryFen : null,
          nonFoodFen: z.current.nonFoodFen,
          mealDays: z.current.mealDays,
        }
      : freshFlows(ctx, m, profile, memo);
  memo.flows.set(m, f);
  return f;
}

export interface RangeFigures {
  inputs: FundInputs;
  purchased: Record<Category, number>;
  consumed: Record<Category, number> | null;
}

/**
 * The figures of the months from … to (inclusive), with the fund balance before `from`: each month as published
 * (module comment), except `freshMonth`, computed from the ledgers (a close and verify compute the month itself).
 */
export function rangeFigures(ctx: Ctx, fromArg: string, to: string, profile: RegionalProfile, memo: FiguresMemo = newFiguresMemo(), freshMonth: string | null = null): RangeFigures {
  const from = startAfterOpening(ctx, fromArg, to);
  const purchased = zeroCats();
  const consumed = profile.usesStoreroom ? zeroCats() : null;
  const nonFood: Record<string, number> = {};
  const sums = { feesCollectedFen: 0, refundsFen: 0, subsidyFen: 0, otherIncomeFen: 0, mealDays: 0 };
  for (const m of monthsBetween(from, to)) {
    const f = m === freshMonth ? freshFlows(ctx, m, profile, memo) : monthFlows(ctx, m, profile, memo);
    sums.feesCollectedFen += f.feesCollectedFen;
    sums.refundsFen += f.refundsFen;
    sums.subsidyFen += f.subsidyFen;
    sums.otherIncomeFen += f.otherIncomeFen;
    sums.mealDays += f.mealDays;
    for (const c of CATEGORIES) {
      purchased[c] += f.purchased[c] ?? 0;
      if (consumed) consumed[c] += f.consumed?.[c] ?? 0;
    }
    for (const k of NON_FOOD_EXPENSES) nonFood[k] = (nonFood[k] ?? 0) + (f.nonFoodFen[k] ?? 0);
  }
  const nonFoodFen: Partial<Record<NonFoodExpense, number>> = {};
  for (const k of NON_FOOD_EXPENSES) if (nonFood[k] !== 0 || allowedKinds(profile).includes(k)) nonFoodFen[k] = nonFood[k];
  return {
    purchased,
    consumed,
    inputs: {
      previousBalanceFen: fundBalanceBefore(ctx, from, profile.usesStoreroom),
      feesCollectedFen: sums.feesCollectedFen,
      refundsFen: sums.refundsFen,
      subsidyFen: sums.subsidyFen,
      otherIncomeFen: sums.otherIncomeFen,
      expenseByCategoryFen: { ...(consumed ?? purchased) },
      nonFoodFen,
      mealDays: sums.mealDays,
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
 * Where a period (the year to date, the surplus period) begins when the books were opened inside it (期初建账,
 * domains/opening/index.ts): the month after the opening's. The opening is a month's last day and nothing else is booked on
 * or before it, so the months skipped hold nothing but the opening itself, which is the balance before the period —
 * 一、上月累计结余 — and never the period's income or surplus. Without an opening, or one outside the period: `from`.
 */
export function startAfterOpening(ctx: Ctx, from: string, to: string): string {
  const d = postedOpeningDate(ctx);
  if (d === null) return from;
  const m = d.slice(0, 7);
  return m >= from && m < to ? addMonths(m, 1) : from;
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

/**
 * The month-close screen's figures: a closed month shows both columns as frozen at its close (what its disclosure
 * printed); an open month computes its own and sums the year to date (module comment).
 */
export function fundSummary(ctx: Ctx, m: string, memo: FiguresMemo = newFiguresMemo()): FundSummaryView {
  const profile = profileFor(ctx, m);
  const allowed = allowedKinds(profile);
  const z = frozenFigures(ctx, m, memo);
  const frozen = z && z.usesStoreroom === profile.usesStoreroom ? z : null;
  const stored = (inputs: FundInputs, purchased: Record<Category, number>): RangeFigures => ({ inputs, purchased, consumed: frozen?.usesStoreroom ? inputs.expenseByCategoryFen : null });
  const cur = column(frozen ? stored(frozen.current, frozen.currentPurchased) : rangeFigures(ctx, m, m, profile, memo), allowed);
  const ytd = column(frozen ? stored(frozen.ytd, frozen.ytdPurchased) : rangeFigures(ctx, `${m.slice(0, 4)}-01`, m, profile, memo), allowed);
  const p = surplusPeriodOf(m, profile.surplusPeriod);
  const inPeriod = column(rangeFigures(ctx, p.from, m, profile, memo), allowed);
  const breach = overSurplusLimit(inPeriod.surplusFen, inPeriod.incomeFen, profile.surplusLimitBp);
  const rateBp = inPeriod.incomeFen === 0 ? null : Number(divHalfUp(BigInt(inPeriod.surplusFen) * 10_000n, BigInt(inPeriod.incomeFen)));
  const months = monthsBetween(startAfterOpening(ctx, p.from, m), m);
  const span = months.length === 1 ? `${Number(m.slice(5))}月` : `${monthWords(months[0])}至${monthWords(m)}`;
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
  if (breach) flags.push({ code: 'surplus_over_limit', message: `结余超限：${span}结余 ${formatFen(inPeriod.surplusFen)} 元，结余率 ${rateBp === null ? '—' : formatBp(rateBp)}，超过限额${surplusLimitValue(profile.surplusLimitBp, profile.surplusPeriod)}` });
  if (cur.cumulativeSurplusFen < 0) flags.push({ code: 'negative_balance', message: `经费累计结余为负数：${formatFen(cur.cumulativeSurplusFen)} 元` });
  // A closed month shows the lists its close recorded; they are the version's own, as no version takes effect in a
  // closed month.
  const lists: { categoryGroups?: CategoryGroup[]; costBasis: CostBasis } = frozen ? { categoryGroups: frozen.categoryGroups, costBasis: frozen.costBasis ?? 'food' } : { categoryGroups: profile.disclosureCategories, costBasis: profile.costBasis };
  const rows = summaryTableRows(cur, ytd, { usesStoreroom: profile.usesStoreroom, allowedNonFood: allowed, costBasis: lists.costBasis, categoryGroups: lists.categoryGroups, surplusLimitBp: profile.surplusLimitBp, surplusPeriod: profile.surplusPeriod }, resolveLayout(profile.disclosureLayout, profile.usesStoreroom).label);
  return {
    month: m,
    usesStoreroom: profile.usesStoreroom,
    expenseBasis: profile.usesStoreroom ? 'consumed' : 'purchased',
    allowedNonFood: allowed,
    costBasis: lists.costBasis,
    rows,
    current: cur,
    ytd,
    period,
    flags,
    mealDaysNote: MEAL_DAYS_NOTE,
  };
}

/** 分类成本 rows of the month (CATEGORIES order). */
export function categoryCostRows(ctx: Ctx, m: string, memo?: FiguresMemo): CategoryCostRow[] {
  return categoryCost(ctx, m, memo?.cost).rows.map((r) => ({ category: r.category, openingFen: r.openingFen, purchasesFen: r.purchasesFen, adjustmentsFen: r.adjustmentsFen, closingFen: r.closingFen }));
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
  /** The category rows published, where the profile declares its own (absent: one per category). */
  categoryGroups?: CategoryGroup[];
  /** 'full' where the profile keeps full-cost books (营业利润 rows); absent: food cost. */
  costBasis?: 'full';
  purchases: { lines: number; qtyMilli: number; amountFen: number };
  rejected: { lines: number; qtyMilli: number };
  subsidy: { studentDays: number; amountFen: number };
  refunds: { count: number; amountFen: number };
}

/**
 * The figures a close fixes: the fund inputs of both columns, the category costs and the detail sheets' totals. The
 * month itself is always computed from the ledgers (approve freezes it; verify recomputes a closed month to compare
 * with the recorded checksum); the earlier months of the year to date are taken as published (module comment).
 */
export function closeFigures(ctx: Ctx, m: string, memo: FiguresMemo = newFiguresMemo()): CloseFigures {
  const hit = memo.close.get(m);
  if (hit) return hit;
  const profile = profileFor(ctx, m);
  const cur = rangeFigures(ctx, m, m, profile, memo, m);
  const ytd = rangeFigures(ctx, `${m.slice(0, 4)}-01`, m, profile, memo, m);
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
  const sb = ctx.db.prepare('SELECT coalesce(sum(students), 0) AS n, coalesce(sum(amount_fen), 0) AS a FROM subsidy_batches WHERE meal_date BETWEEN ? AND ?').get(from, to) as { n: number; a: number };
  const rf = ctx.db
    .prepare(`SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS a FROM fee_refunds WHERE approved_on BETWEEN ? AND ? AND (status <> 'void' OR void_date > ?)`)
    .get(from, to, to) as { n: number; a: number };
  const figures: CloseFigures = {
    month: m,
    usesStoreroom: profile.usesStoreroom,
    allowedNonFood: allowedKinds(profile),
    ...publishedLists(profile),
    current: cur.inputs,
    currentPurchased: cur.purchased,
    ytd: ytd.inputs,
    ytdPurchased: ytd.purchased,
    categoryCosts: categoryCostRows(ctx, m, memo),
    purchases: { lines: p.n, qtyMilli: p.q, amountFen: p.a },
    rejected: { lines: rj.n, qtyMilli: rj.q },
    subsidy: { studentDays: sb.n, amountFen: sb.a },
    refunds: { count: rf.n, amountFen: rf.a },
  };
  memo.close.set(m, figures);
  return figures;
}

/** SHA-256 (hex) of the figures' canonical JSON, a newline, and the audit chain's head at closing. */
export function figuresChecksum(figures: CloseFigures, auditHeadHex: string): string {
  return crypto.createHash('sha256').update(`${canonicalJson(figures)}\n${auditHeadHex}`).digest('hex');
}
