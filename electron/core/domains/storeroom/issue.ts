import type { IssueProposal, IssueProposalLine, IssueView, Meal, MovementView } from '../../../../shared/api/storeroom.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { formatMilli } from '../../../../shared/format.ts';
import type { Category } from '../../../../shared/domain.ts';
import { audit } from '../../ledger/audit.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertPeriodOpen } from '../../ledger/journal.ts';
import { nextNumber } from '../../ledger/numbering.ts';
import { assertStatus, cancel, loadDoc } from '../../ledger/lifecycle.ts';
import { profileOf } from '../people/index.ts';
import { assertNotCounted, insertMovement, lotRow, lotState, outgoingValue, userName } from './ledger.ts';
import { rowsWhere, withRows } from '../../ledger/row-snapshot.ts';

/**
 * 出库: the 保管 issues stock to the kitchen by date and meal. Lots go earliest expiry first (临期先出); an expired lot
 * is never issued (it is disposed of with 过期销毁 instead); nothing leaves beyond what is on hand.
 */

interface Candidate {
  id: string;
  expiry_date: string | null;
  received_on: string;
  delivery_number: string | null;
  total_milli: number;
  asof_milli: number;
}

function ingredientInfo(ctx: Ctx, ingredientId: string): { name: string; unit: string; category: Category } {
  const r = ctx.db.prepare('SELECT name, unit, category FROM ingredients WHERE id = ?').get(ingredientId) as { name: string; unit: string; category: Category } | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该食材');
  return r;
}

/** Stored lots of an item that hold stock on `date`, in the order they should leave: expiry, then arrival. */
function candidates(ctx: Ctx, ingredientId: string, date: string): Candidate[] {
  return ctx.db
    .prepare(
      `SELECT l.id, l.expiry_date, l.received_on, d.number AS delivery_number,
         (SELECT coalesce(sum(qty_milli), 0) FROM stock_movements m WHERE m.lot_id = l.id) AS total_milli,
         (SELECT coalesce(sum(qty_milli), 0) FROM stock_movements m WHERE m.lot_id = l.id AND m.move_date <= ?) AS asof_milli
       FROM stock_lots l LEFT JOIN deliveries d ON d.id = l.delivery_id
       WHERE l.ingredient_id = ? AND l.direct = 0 AND l.received_on <= ?
       ORDER BY l.expiry_date IS NULL, l.expiry_date, l.received_on, l.rowid`,
    )
    .all(date, ingredientId, date) as Candidate[];
}

/** What may leave a lot on `date`: its stock then, and never more than it holds now (later issues included). */
const available = (c: Candidate) => Math.max(0, Math.min(c.total_milli, c.asof_milli));

export function proposeIssue(ctx: Ctx, ingredientId: string, requested: number, date: string): IssueProposal {
  const item = ingredientInfo(ctx, ingredientId);
  const near = profileOf(ctx).nearExpiryDays;
  const lines: IssueProposalLine[] = [];
  const expiredLots: IssueProposalLine[] = [];
  let left = requested;
  let availableMilli = 0;
  for (const c of candidates(ctx, ingredientId, date)) {
    const a = available(c);
    if (a <= 0) continue;
    const st = lotState(c.expiry_date, date, near).state;
    const base = { lotId: c.id, expiryDate: c.expiry_date, receivedOn: c.received_on, onHandMilli: a, deliveryNumber: c.delivery_number, state: st };
    if (st === 'expired') {
      expiredLots.push({ ...base, qtyMilli: 0 });
      continue;
    }
    availableMilli += a;
    if (left > 0) {
      const take = Math.min(a, left);
      lines.push({ ...base, qtyMilli: take });
      left -= take;
    }
  }
  return {
    ingredientId,
    name: item.name,
    unit: item.unit,
    requestedMilli: requested,
    availableMilli,
    proposedMilli: requested - left,
    shortMilli: left,
    lines,
    expiredLots,
  };
}

function assertWritable(ctx: Ctx, date: string): void {
  assertPeriodOpen(ctx, date);
  assertNotCounted(ctx, date);
}

export function issueStock(
  ctx: Ctx,
  input: { date: string; meal: Meal; lines: { ingredientId: string; lotId: string | null; qtyMilli: number }[]; note: string },
): IssueView {
  const { date } = input;
  assertWritable(ctx, date);
  const user = currentUser(ctx);
  const id = uuidv7(ctx.now().getTime());
  const number = nextNumber(ctx, 'CK', Number(date.slice(0, 4)));
  ctx.db
    .prepare(`INSERT INTO stock_issues (id, origin, number, issue_date, meal, delivery_id, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)`)
    .run(id, ctx.installationId, number, date, input.meal, input.note, ctx.now().toISOString(), user.userId);
  input.lines.forEach((line, i) => {
    const item = ingredientInfo(ctx, line.ingredientId);
    const row = `第 ${i + 1} 行「${item.name}」`;
    let allocations: { lotId: string; qty: number }[];
    if (line.lotId) {
      const lot = lotRow(ctx, line.lotId);
      if (lot.ingredient_id !== line.ingredientId) throw new ApiError('VALIDATION', `${row}：所选批次不是该食材`);
      if (lot.direct) throw new ApiError('RULE', `${row}：该批次为直进直出，已在验收当日出库`);
      if (lot.received_on > date) throw new ApiError('RULE', `${row}：该批次 ${lot.received_on} 才入库，不能在 ${date} 出库`);
      if (lot.expiry_date && lot.expiry_date < date) {
        throw new ApiError('RULE', `${row}：该批次已过保质期（保质期至 ${lot.expiry_date}），不能出库；请以“过期销毁”报损处理`);
      }
      const c = candidates(ctx, line.ingredientId, date).find((x) => x.id === line.lotId);
      const a = c ? available(c) : 0;
      if (line.qtyMilli > a) throw new ApiError('RULE', `${row}：该批次结存 ${formatMilli(a)} ${item.unit}，不能出库 ${formatMilli(line.qtyMilli)} ${item.unit}`);
      allocations = [{ lotId: line.lotId, qty: line.qtyMilli }];
    } else {
      const p = proposeIssue(ctx, line.ingredientId, line.qtyMilli, date);
      if (p.shortMilli > 0) {
        const expired = p.expiredLots.reduce((s, l) => s + l.onHandMilli, 0);
        throw new ApiError(
          'RULE',
          `${row}：库存不足，需出库 ${formatMilli(line.qtyMilli)} ${item.unit}，可出库 ${formatMilli(p.availableMilli)} ${item.unit}` +
            (expired > 0 ? `（另有已过期 ${formatMilli(expired)} ${item.unit}，不能出库，请报损销毁）` : ''),
        );
      }
      allocations = p.lines.map((l) => ({ lotId: l.lotId, qty: l.qtyMilli }));
    }
    for (const a of allocations) {
      insertMovement(ctx, { lotId: a.lotId, kind: 'issue', date, qtyMilli: -a.qty, valueFen: -outgoingValue(ctx, a.lotId, a.qty), issueId: id });
    }
  });
  const view = getIssue(ctx, id);
  audit(ctx, 'issue', 'stock_issue', id, null, {
    number,
    date,
    meal: input.meal,
    lines: view.lines.map((l) => ({ lotId: l.lotId, item: l.ingredientName, qtyMilli: l.qtyMilli, valueFen: l.valueFen })),
    totalFen: view.totalFen,
    _rows: [rowsWhere(ctx, 'stock_issues', 'id = ?', id), rowsWhere(ctx, 'stock_movements', 'issue_id = ?', id)],
  });
  return view;
}

/**
 * 冲销: an issue is cancelled by a reversing issue of its own (the one lifecycle's cancel, its stamps the reversing
 * row's date, author, time and note); a direct issue goes with its delivery's cancel instead.
 */
export function cancelIssue(ctx: Ctx, issueId: string, date: string, reason: string): IssueView {
  const doc = loadDoc(ctx, 'stock_issues', issueId);
  assertStatus(doc, ['posted'], 'cancel');
  const orig = ctx.db.prepare('SELECT number, issue_date, delivery_id FROM stock_issues WHERE id = ?').get(issueId) as { number: string; issue_date: string; delivery_id: string | null };
  if (orig.delivery_id) throw new ApiError('RULE', `${orig.number} 是直进直出的出库，随验收单作废一并冲销`);
  if (date < orig.issue_date) throw new ApiError('VALIDATION', `冲销日期不能早于出库日期 ${orig.issue_date}`);
  assertWritable(ctx, date);
  let reversal: { id: string; number: string } | null = null;
  cancel(ctx, 'stock_issues', issueId, reason, date, { from: ['posted'], reverseStock: (c, id, d, r) => (reversal = reverseIssue(c, id, d, { note: `冲销 ${orig.number}：${r}`, moveNote: r })) });
  const { id, number } = reversal!;
  audit(ctx, 'cancel', 'stock_issue', issueId, { number: orig.number }, withRows({ reversal: number, date, reason }, rowsWhere(ctx, 'stock_issues', 'id = ?', id), rowsWhere(ctx, 'stock_movements', 'issue_id = ?', id)));
  return getIssue(ctx, id);
}

/**
 * The stock reversal of an issue: a reversing issue dated `date` (its header note `note`, the delivery's id for a
 * direct issue) whose movements negate the original's, lot by lot, each noted `moveNote`.
 */
export function reverseIssue(ctx: Ctx, issueId: string, date: string, o: { note: string; moveNote: string; deliveryId?: string }): { id: string; number: string } {
  const orig = ctx.db.prepare('SELECT meal FROM stock_issues WHERE id = ?').get(issueId) as { meal: Meal | null };
  const id = uuidv7(ctx.now().getTime());
  const number = nextNumber(ctx, 'CK', Number(date.slice(0, 4)));
  ctx.db
    .prepare(`INSERT INTO stock_issues (id, origin, number, issue_date, meal, delivery_id, note, reverses, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(id, ctx.installationId, number, date, orig.meal, o.deliveryId ?? null, o.note, issueId, ctx.now().toISOString(), ctx.session?.userId ?? null);
  const moves = ctx.db.prepare('SELECT id, lot_id, qty_milli, value_fen FROM stock_movements WHERE issue_id = ? ORDER BY seq').all(issueId) as {
    id: string;
    lot_id: string;
    qty_milli: number;
    value_fen: number;
  }[];
  for (const m of moves) insertMovement(ctx, { lotId: m.lot_id, kind: 'issue', date, qtyMilli: -m.qty_milli, valueFen: -m.value_fen, issueId: id, reverses: m.id, note: o.moveNote });
  return { id, number };
}

export function adjustLot(ctx: Ctx, input: { lotId: string; date: string; qtyMilli: number; reason: 'loss' | 'expired'; note: string }): MovementView {
  const lot = lotRow(ctx, input.lotId);
  const item = ingredientInfo(ctx, lot.ingredient_id);
  if (lot.direct) throw new ApiError('RULE', `「${item.name}」该批次为直进直出，没有库存可报损`);
  if (input.date < lot.received_on) throw new ApiError('VALIDATION', `日期不能早于批次入库日期 ${lot.received_on}`);
  if (input.reason === 'expired' && (!lot.expiry_date || lot.expiry_date >= input.date)) {
    throw new ApiError('RULE', `「${item.name}」该批次在 ${input.date} 未过保质期，不能按“过期销毁”处理`);
  }
  assertWritable(ctx, input.date);
  const c = candidates(ctx, lot.ingredient_id, input.date).find((x) => x.id === lot.id);
  const a = c ? available(c) : 0;
  if (input.qtyMilli > a) throw new ApiError('RULE', `「${item.name}」该批次结存 ${formatMilli(a)} ${item.unit}，不能报损 ${formatMilli(input.qtyMilli)} ${item.unit}`);
  const value = outgoingValue(ctx, lot.id, input.qtyMilli);
  const id = insertMovement(ctx, { lotId: lot.id, kind: 'adjustment', date: input.date, qtyMilli: -input.qtyMilli, valueFen: -value, reason: input.reason, note: input.note });
  audit(ctx, 'adjust', 'stock_lot', lot.id, { onHandMilli: a }, withRows({ date: input.date, reason: input.reason, qtyMilli: -input.qtyMilli, valueFen: -value, note: input.note }, rowsWhere(ctx, 'stock_movements', 'id = ?', id)));
  return movementView(ctx, id);
}

export function movementView(ctx: Ctx, movementId: string): MovementView {
  const r = ctx.db
    .prepare(
      `SELECT m.*, s.number AS issue_number, s.meal FROM stock_movements m LEFT JOIN stock_issues s ON s.id = m.issue_id WHERE m.id = ?`,
    )
    .get(movementId) as MovementRow;
  return toMovementView(ctx, r);
}

export interface MovementRow {
  id: string;
  kind: MovementView['kind'];
  move_date: string;
  qty_milli: number;
  value_fen: number;
  meal: Meal | null;
  issue_number: string | null;
  reason: MovementView['reason'];
  note: string;
  reverses: string | null;
  created_at: string;
  created_by: string | null;
}
export function toMovementView(ctx: Ctx, r: MovementRow): MovementView {
  return {
    id: r.id,
    kind: r.kind,
    date: r.move_date,
    qtyMilli: r.qty_milli,
    valueFen: r.value_fen,
    meal: r.meal,
    issueNumber: r.issue_number,
    reason: r.reason,
    note: r.note,
    reversal: r.reverses !== null,
    createdAt: r.created_at,
    createdByName: userName(ctx, r.created_by),
  };
}

export function getIssue(ctx: Ctx, issueId: string): IssueView {
  const h = ctx.db
    .prepare(
      `SELECT s.*, d.number AS delivery_number, (SELECT r.id FROM stock_issues r WHERE r.reverses = s.id) AS reversed_by
       FROM stock_issues s LEFT JOIN deliveries d ON d.id = s.delivery_id WHERE s.id = ?`,
    )
    .get(issueId) as
    | { id: string; number: string; issue_date: string; meal: Meal | null; delivery_id: string | null; delivery_number: string | null; note: string; reverses: string | null; reversed_by: string | null; created_at: string; created_by: string | null }
    | undefined;
  if (!h) throw new ApiError('NOT_FOUND', '找不到该出库单');
  const lines = (
    ctx.db
      .prepare(
        `SELECT m.lot_id, l.ingredient_id, i.name, i.unit, i.category, m.qty_milli, m.value_fen, l.expiry_date, d.number AS delivery_number
         FROM stock_movements m JOIN stock_lots l ON l.id = m.lot_id JOIN ingredients i ON i.id = l.ingredient_id
         LEFT JOIN deliveries d ON d.id = l.delivery_id WHERE m.issue_id = ? ORDER BY m.seq`,
      )
      .all(issueId) as { lot_id: string; ingredient_id: string; name: string; unit: string; category: Category; qty_milli: number; value_fen: number; expiry_date: string | null; delivery_number: string | null }[]
  ).map((m) => ({
    lotId: m.lot_id,
    ingredientId: m.ingredient_id,
    ingredientName: m.name,
    unit: m.unit,
    category: m.category,
    // Shown as the quantity that left (positive); a reversal shows negative.
    qtyMilli: -m.qty_milli,
    valueFen: -m.value_fen,
    expiryDate: m.expiry_date,
    deliveryNumber: m.delivery_number,
  }));
  return {
    id: h.id,
    number: h.number,
    date: h.issue_date,
    meal: h.meal,
    deliveryId: h.delivery_id,
    deliveryNumber: h.delivery_number,
    note: h.note,
    reverses: h.reverses,
    reversedBy: h.reversed_by,
    lines,
    totalFen: lines.reduce((s, l) => s + l.valueFen, 0),
    createdAt: h.created_at,
    createdByName: userName(ctx, h.created_by),
  };
}

export function listIssues(ctx: Ctx, f: { from?: string; to?: string; meal?: Meal; limit: number }): IssueView[] {
  const ids = ctx.db
    .prepare(
      `SELECT id FROM stock_issues WHERE (@from IS NULL OR issue_date >= @from) AND (@to IS NULL OR issue_date <= @to) AND (@meal IS NULL OR meal = @meal)
       ORDER BY issue_date DESC, number DESC LIMIT @limit`,
    )
    .all({ from: f.from ?? null, to: f.to ?? null, meal: f.meal ?? null, limit: f.limit }) as { id: string }[];
  return ids.map((r) => getIssue(ctx, r.id));
}

