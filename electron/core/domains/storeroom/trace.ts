import type { LotTrace, LotView, Meal, MealTrace, StockItem } from '../../../../shared/api/storeroom.ts';
import type { CertKind } from '../../../../shared/domain.ts';
import { chinaDate } from '../../ledger/clock.ts';
import type { Ctx } from '../../context.ts';
import { likeContains } from '../../ledger/pinyin.ts';
import { profileOf } from '../people/index.ts';
import { LOT_SELECT, lotView, toLotView, type LotJoinedRow } from './ledger.ts';
import { toMovementView, type MovementRow } from './issue.ts';

/**
 * Stock on hand and the trace both ways (来源可溯、去向可查): a lot back to its delivery, supplier, inspectors and
 * certificates, forward to every issue; a day's meal to the lots it used.
 */

const STATE_RANK = { ok: 0, near: 1, expired: 2 } as const;

/** Matches the item name, its pinyin initials ("dm" → 大米) or full pinyin, anywhere in the name (issue 15). */
const ITEM_MATCH = `(@q = '' OR i.name LIKE @contains ESCAPE '\\' OR i.py_initials LIKE @pyContains ESCAPE '\\' OR i.py_full LIKE @pyContains ESCAPE '\\')`;
const qParams = (q: string) => ({ q: q.toLowerCase(), contains: likeContains(q), pyContains: likeContains(q.toLowerCase()) });

export function stockOnHand(ctx: Ctx, f: { asOf?: string; q: string; includeEmpty: boolean }): StockItem[] {
  const today = chinaDate(ctx.now());
  const asOf = f.asOf ?? null;
  const ref = f.asOf ?? today;
  const near = profileOf(ctx).nearExpiryDays;
  const rows = ctx.db
    .prepare(`SELECT * FROM (${LOT_SELECT} WHERE l.direct = 0 AND (@asOf IS NULL OR l.received_on <= @asOf) AND ${ITEM_MATCH}) WHERE @all = 1 OR on_hand_milli > 0
              ORDER BY category, ingredient_name, expiry_date IS NULL, expiry_date, received_on`)
    .all({ asOf, all: f.includeEmpty ? 1 : 0, ...qParams(f.q) }) as LotJoinedRow[];
  const items = new Map<string, StockItem>();
  for (const r of rows) {
    const lot = toLotView(r, ref, near);
    let it = items.get(r.ingredient_id);
    if (!it) {
      it = { ingredientId: r.ingredient_id, name: r.ingredient_name, category: r.category, unit: r.unit, spec: r.spec, onHandMilli: 0, onHandValueFen: 0, state: 'ok', earliestExpiry: null, lots: [] };
      items.set(r.ingredient_id, it);
    }
    it.lots.push(lot);
    it.onHandMilli += lot.onHandMilli;
    it.onHandValueFen += lot.onHandValueFen;
    if (lot.onHandMilli > 0) {
      if (STATE_RANK[lot.state] > STATE_RANK[it.state]) it.state = lot.state;
      if (lot.expiryDate && (!it.earliestExpiry || lot.expiryDate < it.earliestExpiry)) it.earliestExpiry = lot.expiryDate;
    }
  }
  return [...items.values()];
}

export function listLots(ctx: Ctx, f: { ingredientId?: string; from?: string; to?: string; q: string; limit: number }): LotView[] {
  const near = profileOf(ctx).nearExpiryDays;
  const today = chinaDate(ctx.now());
  const rows = ctx.db
    .prepare(
      `${LOT_SELECT} WHERE (@ing IS NULL OR l.ingredient_id = @ing) AND (@from IS NULL OR l.received_on >= @from) AND (@to IS NULL OR l.received_on <= @to)
       AND ${ITEM_MATCH} ORDER BY l.received_on DESC, l.rowid DESC LIMIT @limit`,
    )
    .all({ asOf: null, ing: f.ingredientId ?? null, from: f.from ?? null, to: f.to ?? null, limit: f.limit, ...qParams(f.q) }) as LotJoinedRow[];
  return rows.map((r) => toLotView(r, today, near));
}

/** Lots still holding stock that expire within the profile's days (or already have): the home page lists them. */
export function nearExpiryLots(ctx: Ctx): LotView[] {
  return stockOnHand(ctx, { q: '', includeEmpty: false })
    .flatMap((i) => i.lots)
    .filter((l) => l.onHandMilli > 0 && l.state !== 'ok')
    .sort((a, b) => (a.expiryDate ?? '').localeCompare(b.expiryDate ?? ''));
}

export function lotTrace(ctx: Ctx, lotId: string): LotTrace {
  const lot = lotView(ctx, lotId, chinaDate(ctx.now()));
  let delivery: LotTrace['delivery'] = null;
  if (lot.deliveryId) {
    const d = ctx.db
      .prepare(
        `SELECT d.id, d.number, d.delivery_date, d.status, d.witness_name, s.id AS supplier_id, s.name, s.credit_code, s.contact_person, s.phone, s.address,
           dl.production_date, dl.batch_no, dl.certs
         FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id LEFT JOIN delivery_lines dl ON dl.delivery_id = d.id AND dl.line_no = ?
         WHERE d.id = ?`,
      )
      .get(lot.lineNo, lot.deliveryId) as {
      id: string;
      number: string | null;
      delivery_date: string;
      status: string;
      witness_name: string;
      supplier_id: string;
      name: string;
      credit_code: string;
      contact_person: string;
      phone: string;
      address: string;
      production_date: string | null;
      batch_no: string | null;
      certs: string | null;
    };
    const inspectors = (
      ctx.db.prepare('SELECT u.display_name FROM delivery_inspectors di JOIN users u ON u.id = di.user_id WHERE di.delivery_id = ? ORDER BY di.position').all(d.id) as {
        display_name: string;
      }[]
    ).map((r) => r.display_name);
    const attachments = (
      ctx.db
        .prepare(
          `SELECT id, kind, cert_kind, file_name FROM attachments WHERE delivery_id = ? AND deleted_at IS NULL AND (line_no IS NULL OR line_no = ?) ORDER BY created_at`,
        )
        .all(d.id, lot.lineNo) as { id: string; kind: string; cert_kind: string | null; file_name: string }[]
    ).map((a) => ({ id: a.id, kind: a.kind, certKind: a.cert_kind, fileName: a.file_name }));
    delivery = {
      id: d.id,
      number: d.number,
      date: d.delivery_date,
      status: d.status,
      supplierId: d.supplier_id,
      supplierName: d.name,
      supplierCreditCode: d.credit_code,
      supplierContact: d.contact_person,
      supplierPhone: d.phone,
      supplierAddress: d.address,
      inspectors,
      witnessName: d.witness_name,
      productionDate: d.production_date,
      batchNo: d.batch_no ?? '',
      certs: (d.certs ? JSON.parse(d.certs) : {}) as Partial<Record<CertKind, string>>,
      attachments,
    };
  }
  const movements = (
    ctx.db
      .prepare(`SELECT m.*, s.number AS issue_number, s.meal FROM stock_movements m LEFT JOIN stock_issues s ON s.id = m.issue_id WHERE m.lot_id = ? ORDER BY m.move_date, m.seq`)
      .all(lotId) as MovementRow[]
  ).map((r) => toMovementView(ctx, r));
  return { lot, delivery, movements };
}

export function mealTrace(ctx: Ctx, date: string, meal: Meal | null): MealTrace {
  const rows = ctx.db
    .prepare(
      `SELECT s.id AS issue_id, s.number, s.meal, m.lot_id, i.name, i.unit, m.qty_milli, m.value_fen, l.expiry_date, l.received_on, l.delivery_id,
         d.number AS delivery_number, sp.name AS supplier_name
       FROM stock_movements m JOIN stock_issues s ON s.id = m.issue_id JOIN stock_lots l ON l.id = m.lot_id JOIN ingredients i ON i.id = l.ingredient_id
       LEFT JOIN deliveries d ON d.id = l.delivery_id LEFT JOIN suppliers sp ON sp.id = d.supplier_id
       WHERE m.kind = 'issue' AND m.move_date = @date AND (@meal IS NULL OR s.meal = @meal OR s.meal IS NULL)
       ORDER BY s.meal IS NULL, s.number, m.seq`,
    )
    .all({ date, meal }) as {
    issue_id: string;
    number: string;
    meal: Meal | null;
    lot_id: string;
    name: string;
    unit: string;
    qty_milli: number;
    value_fen: number;
    expiry_date: string | null;
    received_on: string;
    delivery_id: string | null;
    delivery_number: string | null;
    supplier_name: string | null;
  }[];
  const lines = rows.map((r) => ({
    issueId: r.issue_id,
    issueNumber: r.number,
    meal: r.meal,
    lotId: r.lot_id,
    ingredientName: r.name,
    unit: r.unit,
    qtyMilli: -r.qty_milli,
    valueFen: -r.value_fen,
    expiryDate: r.expiry_date,
    receivedOn: r.received_on,
    deliveryId: r.delivery_id,
    deliveryNumber: r.delivery_number,
    supplierName: r.supplier_name,
  }));
  return { date, meal, lines, totalFen: lines.reduce((s, l) => s + l.valueFen, 0) };
}
