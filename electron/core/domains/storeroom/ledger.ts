import type { AdjustReason, LotState, LotView, MovementKind } from '../../../../shared/api/storeroom.ts';
import type { Category, StorageClass } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { daysBetween, monthWords } from '../../ledger/clock.ts';
import type { Ctx } from '../../context.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { profileOf } from '../people/index.ts';

/**
 * The stock ledger's primitives: a lot's balance is the sum of its signed movements; values of outgoing movements
 * are a half-up share of what remains, so a lot issued to the end sums exactly to the value it came in with.
 */

/** round-half-up(total × part ÷ whole) for non-negative integers, exact (BigInt: fen × thousandths overflow doubles). */
export function shareHalfUp(total: number, part: number, whole: number): number {
  if (whole <= 0) throw new Error('shareHalfUp: whole must be positive');
  if (part === whole) return total;
  const t = BigInt(total);
  const p = BigInt(part);
  const w = BigInt(whole);
  return Number((2n * t * p + w) / (2n * w));
}

export interface LotRow {
  id: string;
  ingredient_id: string;
  delivery_id: string | null;
  line_no: number | null;
  received_on: string;
  in_milli: number;
  in_value_fen: number;
  unit_price_fen: number;
  expiry_date: string | null;
  storage_class: StorageClass;
  direct: number;
}

export function lotRow(ctx: Ctx, lotId: string): LotRow {
  const r = ctx.db.prepare('SELECT * FROM stock_lots WHERE id = ?').get(lotId) as LotRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该库存批次');
  return r;
}

/** Quantity and value on hand: every movement, or those dated on or before `asOf`. */
export function balance(ctx: Ctx, lotId: string, asOf?: string): { milli: number; fen: number } {
  const r = ctx.db
    .prepare(`SELECT coalesce(sum(qty_milli), 0) AS q, coalesce(sum(value_fen), 0) AS v FROM stock_movements WHERE lot_id = ? AND (? IS NULL OR move_date <= ?)`)
    .get(lotId, asOf ?? null, asOf ?? null) as { q: number; v: number };
  return { milli: r.q, fen: r.v };
}

/** The value of taking `qty` out of a lot now: its share of the remaining value; the last of the lot takes the rest. */
export function outgoingValue(ctx: Ctx, lotId: string, qty: number): number {
  const b = balance(ctx, lotId);
  if (qty > b.milli) throw new ApiError('RULE', '库存不足，不能出库超过结存');
  return shareHalfUp(b.fen, qty, b.milli);
}

export interface MovementInput {
  lotId: string;
  kind: MovementKind;
  date: string;
  qtyMilli: number;
  valueFen: number;
  issueId?: string | null;
  countId?: string | null;
  reason?: AdjustReason | null;
  note?: string;
  reverses?: string | null;
}

/** Appends one movement; the caller has checked the period and the balance, the triggers check them again. */
export function insertMovement(ctx: Ctx, m: MovementInput): string {
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare(
      `INSERT INTO stock_movements (id, origin, lot_id, kind, move_date, qty_milli, value_fen, issue_id, count_id, reason, note, reverses, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id, ctx.installationId, m.lotId, m.kind, m.date, m.qtyMilli, m.valueFen, m.issueId ?? null, m.countId ?? null, m.reason ?? null,
      m.note ?? '', m.reverses ?? null, ctx.now().toISOString(), ctx.session?.userId ?? null,
    );
  return id;
}

/** The month of a posted count fixes its closing stock: nothing but direct in-and-out may be dated in or before it. */
export function assertNotCounted(ctx: Ctx, date: string): void {
  const r = ctx.db.prepare(`SELECT max(month) AS m FROM stock_counts WHERE status = 'posted'`).get() as { m: string | null };
  if (r.m && r.m >= date.slice(0, 7)) {
    throw new ApiError('LOCKED', `${monthWords(r.m)}库房已盘点过账，${date} 不能再有库存变动`);
  }
}

export function lotState(expiry: string | null, refDate: string, nearDays: number): { state: LotState; daysLeft: number | null } {
  if (!expiry) return { state: 'ok', daysLeft: null };
  const daysLeft = daysBetween(refDate, expiry);
  return { state: daysLeft < 0 ? 'expired' : daysLeft <= nearDays ? 'near' : 'ok', daysLeft };
}

/** Lots joined with their item and delivery, with balances (as of `asOf` when given). */
export const LOT_SELECT = `
  SELECT l.*, i.name AS ingredient_name, i.category, i.unit, i.spec, d.number AS delivery_number, s.name AS supplier_name,
    coalesce((SELECT sum(m.qty_milli) FROM stock_movements m WHERE m.lot_id = l.id AND (@asOf IS NULL OR m.move_date <= @asOf)), 0) AS on_hand_milli,
    coalesce((SELECT sum(m.value_fen) FROM stock_movements m WHERE m.lot_id = l.id AND (@asOf IS NULL OR m.move_date <= @asOf)), 0) AS on_hand_fen
  FROM stock_lots l JOIN ingredients i ON i.id = l.ingredient_id
  LEFT JOIN deliveries d ON d.id = l.delivery_id LEFT JOIN suppliers s ON s.id = d.supplier_id`;

export interface LotJoinedRow extends LotRow {
  ingredient_name: string;
  category: Category;
  unit: string;
  spec: string;
  delivery_number: string | null;
  supplier_name: string | null;
  on_hand_milli: number;
  on_hand_fen: number;
}

export function toLotView(r: LotJoinedRow, refDate: string, nearDays: number): LotView {
  const s = lotState(r.expiry_date, refDate, nearDays);
  return {
    lotId: r.id,
    ingredientId: r.ingredient_id,
    ingredientName: r.ingredient_name,
    category: r.category,
    unit: r.unit,
    spec: r.spec,
    deliveryId: r.delivery_id,
    deliveryNumber: r.delivery_number,
    lineNo: r.line_no,
    supplierName: r.supplier_name,
    receivedOn: r.received_on,
    expiryDate: r.expiry_date,
    storageClass: r.storage_class,
    direct: r.direct === 1,
    inMilli: r.in_milli,
    inValueFen: r.in_value_fen,
    unitPriceFen: r.unit_price_fen,
    onHandMilli: r.on_hand_milli,
    onHandValueFen: r.on_hand_fen,
    state: r.on_hand_milli > 0 ? s.state : 'ok',
    daysLeft: s.daysLeft,
  };
}

export function lotView(ctx: Ctx, lotId: string, refDate: string): LotView {
  const r = ctx.db.prepare(`${LOT_SELECT} WHERE l.id = @id`).get({ asOf: null, id: lotId }) as LotJoinedRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该库存批次');
  return toLotView(r, refDate, profileOf(ctx).nearExpiryDays);
}

export function userName(ctx: Ctx, userId: string | null): string | null {
  if (!userId) return null;
  const r = ctx.db.prepare('SELECT display_name FROM users WHERE id = ?').get(userId) as { display_name: string } | undefined;
  return r?.display_name ?? null;
}
