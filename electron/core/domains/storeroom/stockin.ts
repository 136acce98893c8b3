import { ApiError } from '../../../../shared/errors.ts';
import { formatMilli } from '../../../../shared/format.ts';
import type { StorageClass } from '../../../../shared/domain.ts';
import type { RegionalProfile } from '../../../../shared/profile.ts';
import { audit } from '../../ledger/audit.ts';
import type { Ctx } from '../../context.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertPeriodOpen } from '../../ledger/journal.ts';
import { nextNumber } from '../../ledger/numbering.ts';
import { profileFor } from '../people/index.ts';
import { assertNotCounted, balance, insertMovement } from './ledger.ts';
import { reverseIssue } from './issue.ts';
import { rowsWhere, withRows } from '../../ledger/row-snapshot.ts';

/**
 * Stock-in at delivery posting. Accepted lines of storable items become lots; the rest (and everything when the
 * profile does not use the storeroom) go straight to that day's kitchen (直进直出): an in movement and an issue
 * movement in the same transaction, so purchases and consumption both see them.
 */

interface AcceptedLine {
  line_no: number;
  ingredient_id: string;
  name: string;
  unit: string;
  storable: number;
  accepted_milli: number;
  unit_price_fen: number;
  amount_fen: number;
  expires_on: string | null;
  storage_class: StorageClass;
}

function deliveryHeader(ctx: Ctx, deliveryId: string): { id: string; number: string | null; delivery_date: string; status: string } {
  const h = ctx.db.prepare('SELECT id, number, delivery_date, status FROM deliveries WHERE id = ?').get(deliveryId) as
    | { id: string; number: string | null; delivery_date: string; status: string }
    | undefined;
  if (!h) throw new ApiError('NOT_FOUND', '找不到该验收单');
  return h;
}

/** Called by the delivery posting, inside its transaction, after the delivery row is numbered. */
export function stockInFromDelivery(ctx: Ctx, deliveryId: string, known: { profile?: RegionalProfile } = {}): { lots: number; direct: number } {
  const h = deliveryHeader(ctx, deliveryId);
  if (ctx.db.prepare('SELECT 1 FROM stock_lots WHERE delivery_id = ?').get(deliveryId)) {
    throw new ApiError('CONFLICT', `验收单 ${h.number ?? ''}已入库，不能重复入库`);
  }
  const date = h.delivery_date;
  assertPeriodOpen(ctx, date);
  const usesStoreroom = (known.profile ?? profileFor(ctx, date)).usesStoreroom;
  const lines = ctx.db
    .prepare(
      `SELECT l.line_no, l.ingredient_id, i.name, i.unit, i.storable, l.accepted_milli, l.unit_price_fen, l.amount_fen, l.expires_on, l.storage_class
       FROM delivery_lines l JOIN ingredients i ON i.id = l.ingredient_id WHERE l.delivery_id = ? AND l.accepted_milli > 0 ORDER BY l.line_no`,
    )
    .all(deliveryId) as AcceptedLine[];
  const isDirect = (l: AcceptedLine) => !usesStoreroom || l.storable === 0;
  if (lines.some((l) => !isDirect(l))) assertNotCounted(ctx, date);

  const at = ctx.now().toISOString();
  const by = ctx.session?.userId ?? null;
  const insLot = ctx.db.prepare(
    `INSERT INTO stock_lots (id, origin, ingredient_id, delivery_id, line_no, received_on, in_milli, in_value_fen, unit_price_fen, expiry_date, storage_class, direct, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let issueId: string | null = null;
  let direct = 0;
  for (const l of lines) {
    const lotId = uuidv7(ctx.now().getTime());
    insLot.run(lotId, ctx.installationId, l.ingredient_id, deliveryId, l.line_no, date, l.accepted_milli, l.amount_fen, l.unit_price_fen, l.expires_on, l.storage_class, isDirect(l) ? 1 : 0, at, by);
    insertMovement(ctx, { lotId, kind: 'in', date, qtyMilli: l.accepted_milli, valueFen: l.amount_fen, note: `验收入库 ${h.number ?? ''}` });
    if (isDirect(l)) {
      if (!issueId) {
        issueId = uuidv7(ctx.now().getTime());
        ctx.db
          .prepare(`INSERT INTO stock_issues (id, origin, number, issue_date, meal, delivery_id, note, created_at, created_by) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)`)
          .run(issueId, ctx.installationId, nextNumber(ctx, 'CK', Number(date.slice(0, 4))), date, deliveryId, `直进直出：验收单 ${h.number ?? ''}`, at, by);
      }
      insertMovement(ctx, { lotId, kind: 'issue', date, qtyMilli: -l.accepted_milli, valueFen: -l.amount_fen, issueId, note: '直进直出' });
      direct++;
    }
  }
  if (lines.length) audit(ctx, 'stock_in', 'storeroom', deliveryId, null, withRows({ number: h.number, lots: lines.length - direct, direct, issueId }, rowsWhere(ctx, 'stock_lots', 'delivery_id = ?', deliveryId), rowsWhere(ctx, 'stock_issues', 'delivery_id = ?', deliveryId), rowsWhere(ctx, 'stock_movements', 'lot_id IN (SELECT id FROM stock_lots WHERE delivery_id = ?)', deliveryId)));
  return { lots: lines.length - direct, direct };
}

/**
 * Called by the delivery cancellation, dated like its journal reversal. Stored lots must still be whole: stock that
 * was already issued or adjusted cannot be taken back by cancelling the delivery (the kitchen used it); the direct
 * issue of the delivery is reversed together with its stock-in.
 */
export function reverseStockOfDelivery(ctx: Ctx, deliveryId: string, date: string): { lots: number } {
  const h = deliveryHeader(ctx, deliveryId);
  const lots = ctx.db
    .prepare(
      `SELECT l.id, l.in_milli, l.in_value_fen, l.direct, i.name, i.unit FROM stock_lots l JOIN ingredients i ON i.id = l.ingredient_id
       WHERE l.delivery_id = ? ORDER BY l.line_no`,
    )
    .all(deliveryId) as { id: string; in_milli: number; in_value_fen: number; direct: number; name: string; unit: string }[];
  if (lots.length === 0) return { lots: 0 };
  assertPeriodOpen(ctx, date);
  const used = ctx.db.prepare(
    `SELECT count(*) AS n FROM stock_movements m WHERE m.lot_id = ? AND m.kind <> 'in'
     AND NOT (m.kind = 'issue' AND m.issue_id IN (SELECT id FROM stock_issues WHERE delivery_id = ? AND meal IS NULL AND reverses IS NULL))`,
  );
  for (const l of lots) {
    if ((used.get(l.id, deliveryId) as { n: number }).n > 0) {
      const gone = l.in_milli - balance(ctx, l.id).milli;
      throw new ApiError(
        'RULE',
        `验收单 ${h.number ?? ''}的「${l.name}」已出库或调整 ${formatMilli(gone)} ${l.unit}，不能作废；请先冲销相关出库单，或在本月盘点/下月入库中更正`,
      );
    }
  }
  if (lots.some((l) => !l.direct)) assertNotCounted(ctx, date);
  const directIssue = ctx.db.prepare(`SELECT id, number FROM stock_issues WHERE delivery_id = ? AND meal IS NULL AND reverses IS NULL`).get(deliveryId) as
    | { id: string; number: string }
    | undefined;
  const reversalIssueId = directIssue
    ? reverseIssue(ctx, directIssue.id, date, { note: `冲销 ${directIssue.number}：验收单 ${h.number ?? ''}作废`, moveNote: '验收单作废', deliveryId }).id
    : null;
  for (const l of lots) {
    const inMove = ctx.db.prepare(`SELECT id FROM stock_movements WHERE lot_id = ? AND kind = 'in' AND reverses IS NULL`).get(l.id) as { id: string };
    insertMovement(ctx, { lotId: l.id, kind: 'in', date, qtyMilli: -l.in_milli, valueFen: -l.in_value_fen, reverses: inMove.id, note: `验收单 ${h.number ?? ''}作废` });
  }
  audit(ctx, 'stock_reverse', 'storeroom', deliveryId, { lots: lots.length }, withRows({ date, reversalIssueId }, rowsWhere(ctx, 'stock_issues', 'delivery_id = ?', deliveryId), rowsWhere(ctx, 'stock_movements', 'lot_id IN (SELECT id FROM stock_lots WHERE delivery_id = ?)', deliveryId)));
  return { lots: lots.length };
}
