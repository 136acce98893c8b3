import type { AdjustReason, CategoryCost, CategoryCostLine } from '../../../shared/api/storeroom.ts';
import { CATEGORIES, type Category } from '../../../shared/domain.ts';
import { lastDayOfMonth } from './clock.ts';
import type { Ctx } from '../context.ts';

/**
 * The month's cost as consumed, per category, from the stock ledger alone (the journal keeps booking purchases as
 * expense at delivery posting; this does not touch it):
 *   opening   = value on hand at the end of the previous month
 *   purchases = accepted amounts that came in during the month (stored and 直进直出 alike; a cancelled delivery's
 *               reversal counts on the date the journal reverses it)
 *   closing   = value on hand at the month's end (after the count, when posted)
 *   consumed  = opening + purchases − closing, which equals what was issued plus the adjustments' losses;
 *   adjustments (盘点调整: losses, expiry disposals, count differences) are inside closing and shown apart.
 * Month close and the disclosure's 分类成本 sheet read this.
 *
 * The sums come from stock_month_totals (migration 0006: kept by a trigger on stock_movements, per month, kind and
 * the lot's category frozen when the lot came in), so a month costs a few dozen summary rows, not every movement
 * since the ledger began; a recategorised ingredient does not move value between categories of past months.
 * `memo` (one per request) keeps a month's result for the other callers of the same request.
 */
export function categoryCost(ctx: Ctx, month: string, memo?: Map<string, CategoryCost>): CategoryCost {
  const hit = memo?.get(month);
  if (hit) return hit;
  const start = `${month}-01`;
  const end = lastDayOfMonth(month);
  const sums = ctx.db
    .prepare(
      `SELECT category,
         coalesce(sum(CASE WHEN month < @month THEN value_fen END), 0) AS opening,
         coalesce(sum(CASE WHEN month = @month AND kind = 'in' THEN value_fen END), 0) AS purchases,
         coalesce(sum(CASE WHEN month = @month AND kind = 'issue' THEN -value_fen END), 0) AS issued,
         coalesce(sum(CASE WHEN month = @month AND kind = 'adjustment' THEN value_fen END), 0) AS adjustments,
         coalesce(sum(value_fen), 0) AS closing
       FROM stock_month_totals WHERE month <= @month GROUP BY category`,
    )
    .all({ month }) as { category: Category; opening: number; purchases: number; issued: number; adjustments: number; closing: number }[];
  const byCat = new Map(sums.map((s) => [s.category, s]));
  const line = (category: Category, s: { opening: number; purchases: number; issued: number; adjustments: number; closing: number } | undefined): CategoryCostLine => {
    const opening = s?.opening ?? 0;
    const purchases = s?.purchases ?? 0;
    const closing = s?.closing ?? 0;
    return {
      category,
      openingFen: opening,
      purchasesFen: purchases,
      adjustmentsFen: s?.adjustments ?? 0,
      closingFen: closing,
      consumedFen: opening + purchases - closing,
      issuedFen: s?.issued ?? 0,
    };
  };
  const rows = CATEGORIES.map((c) => line(c, byCat.get(c)));
  const sum = (k: 'opening' | 'purchases' | 'issued' | 'adjustments' | 'closing') => sums.reduce((t, s) => t + s[k], 0);
  const { category: _all, ...total } = line('other', { opening: sum('opening'), purchases: sum('purchases'), issued: sum('issued'), adjustments: sum('adjustments'), closing: sum('closing') });
  const adjustments = (
    ctx.db
      .prepare(
        `SELECT m.move_date, i.name, c.category, i.unit, m.reason, m.qty_milli, m.value_fen, m.note
         FROM stock_movements m JOIN stock_lots l ON l.id = m.lot_id JOIN ingredients i ON i.id = l.ingredient_id
           JOIN stock_lot_categories c ON c.lot_id = m.lot_id
         WHERE m.kind = 'adjustment' AND m.move_date >= ? AND m.move_date <= ? ORDER BY m.move_date, m.seq`,
      )
      .all(start, end) as { move_date: string; name: string; category: Category; unit: string; reason: AdjustReason; qty_milli: number; value_fen: number; note: string }[]
  ).map((a) => ({ date: a.move_date, ingredientName: a.name, category: a.category, reason: a.reason, qtyMilli: a.qty_milli, unit: a.unit, valueFen: a.value_fen, note: a.note }));
  const countPosted = ctx.db.prepare(`SELECT 1 FROM stock_counts WHERE month = ? AND status = 'posted'`).get(month) !== undefined;
  const result = { month, rows, total, countPosted, adjustments };
  memo?.set(month, result);
  return result;
}
