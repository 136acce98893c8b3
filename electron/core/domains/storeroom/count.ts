import type { AdjustReason, CountLineView, CountView } from '../../../../shared/api/storeroom.ts';
import { ADJUST_REASON_LABELS } from '../../../../shared/api/storeroom.ts';
import type { Category, StorageClass } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { audit } from '../../ledger/audit.ts';
import { chinaDate, lastDayOfMonth, monthWords } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertPeriodOpen } from '../../ledger/journal.ts';
import { assertStatus, docOf } from '../../ledger/lifecycle.ts';
import { insertMovement, shareHalfUp, userName } from './ledger.ts';
import { groupRows, rowsWhere, withRows, type RowSnapshot } from '../../ledger/row-snapshot.ts';

/**
 * 月末盘点: a count takes the book quantity of every lot holding stock at the month's end, the counted quantities are
 * entered, and posting turns each difference into an adjustment dated the month's last day with its reason
 * (损耗, 过期销毁, 盘盈, 盘亏). The month's closing stock is then the value on hand after the count.
 */

interface CountRow {
  id: string;
  month: string;
  status: 'open' | 'posted';
  started_at: string;
  started_by: string | null;
  posted_at: string | null;
  posted_by: string | null;
}
interface CountLineRow {
  lot_id: string;
  book_milli: number;
  book_value_fen: number;
  counted_milli: number | null;
  reason: AdjustReason | null;
  note: string;
  ingredient_id: string;
  name: string;
  category: Category;
  unit: string;
  spec: string;
  storage_class: StorageClass;
  received_on: string;
  expiry_date: string | null;
  delivery_number: string | null;
  in_milli: number;
  in_value_fen: number;
}

/** The count's header and its lines as they are now, for the audit entry (verify compares both tables with it). */
function countRows(ctx: Ctx, id: string): RowSnapshot[] {
  return [groupRows(ctx, 'stock_counts', 'id', id), groupRows(ctx, 'stock_count_lines', 'count_id', id)];
}

/** The count as a document of the one lifecycle, named by its month: 盘点单 2026年8月. */
const countDoc = (c: CountRow) => docOf('stock_counts', c, { name: monthWords(c.month) });

function countRow(ctx: Ctx, month: string): CountRow | undefined {
  return ctx.db.prepare('SELECT * FROM stock_counts WHERE month = ?').get(month) as CountRow | undefined;
}

/** Book stock of every stored lot at the end of `date`, lots holding something only. */
function bookAt(ctx: Ctx, date: string): { lot_id: string; q: number; v: number }[] {
  return ctx.db
    .prepare(
      `SELECT m.lot_id, sum(m.qty_milli) AS q, sum(m.value_fen) AS v FROM stock_movements m JOIN stock_lots l ON l.id = m.lot_id
       WHERE l.direct = 0 AND m.move_date <= ? GROUP BY m.lot_id HAVING sum(m.qty_milli) > 0`,
    )
    .all(date) as { lot_id: string; q: number; v: number }[];
}

/** The value the difference books: a shortfall takes its share of the book value, a surplus the lot's unit cost. */
function diffValue(l: Pick<CountLineRow, 'book_milli' | 'book_value_fen' | 'counted_milli' | 'in_milli' | 'in_value_fen'>): number | null {
  if (l.counted_milli === null) return null;
  const d = l.counted_milli - l.book_milli;
  if (d === 0) return 0;
  if (d < 0) return -shareHalfUp(l.book_value_fen, -d, l.book_milli);
  return shareHalfUp(l.in_value_fen, d, l.in_milli);
}

function assertCountable(ctx: Ctx, month: string): void {
  if (month > chinaDate(ctx.now()).slice(0, 7)) throw new ApiError('RULE', `${monthWords(month)}还没到，不能盘点`);
  assertPeriodOpen(ctx, lastDayOfMonth(month));
  const later = ctx.db.prepare(`SELECT month FROM stock_counts WHERE status = 'posted' AND month > ? ORDER BY month LIMIT 1`).get(month) as { month: string } | undefined;
  if (later) throw new ApiError('LOCKED', `${monthWords(later.month)}已盘点过账，不能再盘点更早的${monthWords(month)}`);
}

export function countStart(ctx: Ctx, month: string): CountView {
  const existing = countRow(ctx, month);
  if (existing) assertStatus(countDoc(existing), ['open'], 'count');
  assertCountable(ctx, month);
  const user = currentUser(ctx);
  const at = ctx.now().toISOString();
  const book = bookAt(ctx, lastDayOfMonth(month));
  let id: string;
  if (existing) {
    // Refresh: book quantities as they are now, counted entries kept; lots emptied since drop out unless counted.
    id = existing.id;
    const upd = ctx.db.prepare(
      `UPDATE stock_count_lines SET book_milli = @q, book_value_fen = @v,
         reason = CASE WHEN counted_milli IS NULL OR counted_milli = @q THEN NULL WHEN counted_milli > @q THEN 'count_gain'
                       WHEN reason = 'count_gain' THEN NULL ELSE reason END
       WHERE count_id = @id AND lot_id = @lot`,
    );
    const ins = ctx.db.prepare('INSERT OR IGNORE INTO stock_count_lines (count_id, lot_id, book_milli, book_value_fen) VALUES (?, ?, ?, ?)');
    const inBook = new Set(book.map((b) => b.lot_id));
    for (const b of book) {
      ins.run(id, b.lot_id, b.q, b.v);
      upd.run({ q: b.q, v: b.v, id, lot: b.lot_id });
    }
    const lines = ctx.db.prepare('SELECT lot_id, counted_milli FROM stock_count_lines WHERE count_id = ?').all(id) as { lot_id: string; counted_milli: number | null }[];
    for (const l of lines) {
      if (inBook.has(l.lot_id)) continue;
      if (!l.counted_milli) ctx.db.prepare('DELETE FROM stock_count_lines WHERE count_id = ? AND lot_id = ?').run(id, l.lot_id);
      else upd.run({ q: 0, v: 0, id, lot: l.lot_id });
    }
    ctx.db.prepare('UPDATE stock_counts SET updated_at = ?, updated_by = ? WHERE id = ?').run(at, user.userId, id);
    audit(ctx, 'count_refresh', 'stock_count', id, null, withRows({ month, lots: book.length }, ...countRows(ctx, id)));
  } else {
    id = uuidv7(ctx.now().getTime());
    ctx.db
      .prepare(`INSERT INTO stock_counts (id, origin, month, status, started_at, started_by, updated_at, updated_by) VALUES (?, ?, ?, 'open', ?, ?, ?, ?)`)
      .run(id, ctx.installationId, month, at, user.userId, at, user.userId);
    const ins = ctx.db.prepare('INSERT INTO stock_count_lines (count_id, lot_id, book_milli, book_value_fen) VALUES (?, ?, ?, ?)');
    for (const b of book) ins.run(id, b.lot_id, b.q, b.v);
    audit(ctx, 'count_start', 'stock_count', id, null, withRows({ month, lots: book.length, bookValueFen: book.reduce((s, b) => s + b.v, 0) }, ...countRows(ctx, id)));
  }
  return getCount(ctx, month)!;
}

export function countEnter(ctx: Ctx, month: string, entries: { lotId: string; countedMilli: number | null; reason: AdjustReason | null; note: string }[]): CountView {
  const c = countRow(ctx, month);
  if (!c) throw new ApiError('NOT_FOUND', `${monthWords(month)}尚未开始盘点`);
  assertStatus(countDoc(c), ['open'], 'save');
  assertPeriodOpen(ctx, lastDayOfMonth(month));
  const lines = new Map(readLines(ctx, c.id).map((l) => [l.lot_id, l]));
  const before: unknown[] = [];
  const upd = ctx.db.prepare('UPDATE stock_count_lines SET counted_milli = ?, reason = ?, note = ? WHERE count_id = ? AND lot_id = ?');
  entries.forEach((e, i) => {
    const l = lines.get(e.lotId);
    if (!l) throw new ApiError('VALIDATION', `第 ${i + 1} 行：该批次不在本月盘点表中`);
    const name = `第 ${i + 1} 行「${l.name}」`;
    let reason = e.reason;
    if (e.countedMilli === null || e.countedMilli === l.book_milli) reason = null;
    else if (e.countedMilli > l.book_milli) {
      if (reason && reason !== 'count_gain') throw new ApiError('VALIDATION', `${name}：实盘多于账面，原因应为盘盈`);
      reason = 'count_gain';
    } else {
      if (reason === 'count_gain') throw new ApiError('VALIDATION', `${name}：实盘少于账面，原因应为损耗、过期销毁或盘亏`);
      if (reason === 'expired' && (!l.expiry_date || l.expiry_date > lastDayOfMonth(month))) {
        throw new ApiError('VALIDATION', `${name}：该批次月末未过保质期，不能按“过期销毁”处理`);
      }
    }
    before.push({ lotId: l.lot_id, countedMilli: l.counted_milli, reason: l.reason });
    upd.run(e.countedMilli, reason, e.note, c.id, e.lotId);
  });
  ctx.db.prepare('UPDATE stock_counts SET updated_at = ?, updated_by = ? WHERE id = ?').run(ctx.now().toISOString(), currentUser(ctx).userId, c.id);
  // The entries as given, under `entries` (the entry used to be the bare array), with the rows they left.
  audit(ctx, 'count_enter', 'stock_count', c.id, before, withRows({ entries }, ...countRows(ctx, c.id)));
  return getCount(ctx, month)!;
}

export function countPost(ctx: Ctx, month: string): CountView {
  const c = countRow(ctx, month);
  if (!c) throw new ApiError('NOT_FOUND', `${monthWords(month)}尚未开始盘点`);
  assertStatus(countDoc(c), ['open'], 'post');
  assertCountable(ctx, month);
  const date = lastDayOfMonth(month);
  const lines = readLines(ctx, c.id);
  const uncounted = lines.filter((l) => l.counted_milli === null);
  if (uncounted.length) throw new ApiError('RULE', `还有 ${uncounted.length} 个批次未录入实盘数量（如「${uncounted[0].name}」），录完后才能过账`);
  const noReason = lines.filter((l) => l.counted_milli !== l.book_milli && !l.reason);
  if (noReason.length) throw new ApiError('RULE', `「${noReason[0].name}」实盘与账面不符，请选择差异原因（损耗、过期销毁、盘亏）`);
  // The book must still be what was counted against: a movement since the sheet was made needs a fresh look.
  const book = new Map(bookAt(ctx, date).map((b) => [b.lot_id, b]));
  const stale = lines.find((l) => (book.get(l.lot_id)?.q ?? 0) !== l.book_milli || (book.get(l.lot_id)?.v ?? 0) !== l.book_value_fen);
  const missing = [...book.keys()].find((lot) => !lines.some((l) => l.lot_id === lot));
  if (stale || missing) throw new ApiError('CONFLICT', '开始盘点后库存有变动，请先“刷新账面数”，核对后再过账');
  let adjustmentsFen = 0;
  for (const l of lines) {
    const d = l.counted_milli! - l.book_milli;
    if (d === 0) continue;
    const v = diffValue(l)!;
    adjustmentsFen += v;
    insertMovement(ctx, { lotId: l.lot_id, kind: 'adjustment', date, qtyMilli: d, valueFen: v, countId: c.id, reason: l.reason, note: l.note || `${monthWords(month)}盘点${ADJUST_REASON_LABELS[l.reason!]}` });
  }
  const at = ctx.now().toISOString();
  const by = currentUser(ctx).userId;
  ctx.db.prepare(`UPDATE stock_counts SET status = 'posted', posted_at = ?, posted_by = ?, updated_at = ?, updated_by = ? WHERE id = ?`).run(at, by, at, by, c.id);
  audit(ctx, 'count_post', 'stock_count', c.id, { status: 'open' }, withRows({ month, status: 'posted', adjustmentsFen }, rowsWhere(ctx, 'stock_movements', 'count_id = ?', c.id), ...countRows(ctx, c.id)));
  return getCount(ctx, month)!;
}

function readLines(ctx: Ctx, countId: string): CountLineRow[] {
  return ctx.db
    .prepare(
      `SELECT c.lot_id, c.book_milli, c.book_value_fen, c.counted_milli, c.reason, c.note, l.ingredient_id, i.name, i.category, i.unit, i.spec,
         l.storage_class, l.received_on, l.expiry_date, d.number AS delivery_number, l.in_milli, l.in_value_fen
       FROM stock_count_lines c JOIN stock_lots l ON l.id = c.lot_id JOIN ingredients i ON i.id = l.ingredient_id LEFT JOIN deliveries d ON d.id = l.delivery_id
       WHERE c.count_id = ? ORDER BY i.category, i.py_full, l.expiry_date IS NULL, l.expiry_date, l.received_on`,
    )
    .all(countId) as CountLineRow[];
}

export function getCount(ctx: Ctx, month: string): CountView | null {
  const c = countRow(ctx, month);
  if (!c) return null;
  const posted = c.status === 'posted';
  const postedValue = posted
    ? new Map((ctx.db.prepare('SELECT lot_id, value_fen FROM stock_movements WHERE count_id = ?').all(c.id) as { lot_id: string; value_fen: number }[]).map((m) => [m.lot_id, m.value_fen]))
    : null;
  const lines: CountLineView[] = readLines(ctx, c.id).map((l) => ({
    lotId: l.lot_id,
    ingredientId: l.ingredient_id,
    ingredientName: l.name,
    category: l.category,
    unit: l.unit,
    spec: l.spec,
    storageClass: l.storage_class,
    receivedOn: l.received_on,
    expiryDate: l.expiry_date,
    deliveryNumber: l.delivery_number,
    bookMilli: l.book_milli,
    bookValueFen: l.book_value_fen,
    countedMilli: l.counted_milli,
    diffMilli: l.counted_milli === null ? null : l.counted_milli - l.book_milli,
    diffValueFen: postedValue ? (postedValue.get(l.lot_id) ?? 0) : diffValue(l),
    reason: l.reason,
    note: l.note,
  }));
  const bookValueFen = lines.reduce((s, l) => s + l.bookValueFen, 0);
  const adjustmentsFen = lines.reduce((s, l) => s + (l.diffValueFen ?? 0), 0);
  const uncounted = lines.filter((l) => l.countedMilli === null).length;
  return {
    id: c.id,
    month: c.month,
    date: lastDayOfMonth(c.month),
    status: c.status,
    lines,
    bookValueFen,
    adjustmentsFen,
    countedValueFen: uncounted ? null : bookValueFen + adjustmentsFen,
    uncounted,
    startedAt: c.started_at,
    startedByName: userName(ctx, c.started_by),
    postedAt: c.posted_at,
    postedByName: userName(ctx, c.posted_by),
  };
}
