import type { DisclosureData, PriceRow, PurchaseLine, RefundRow, RejectedLine, SupplierRow } from '../../../../shared/disclosure.ts';
import type { Category } from '../../../../shared/domain.ts';
import { REFUND_REASON_LABELS, type RefundReason } from '../../../../shared/api/fees.ts';
import { residueReading, type ResidueMethod } from '../../../../shared/labels-receiving.ts';
import { addMonths, lastDayOfMonth } from '../../ledger/clock.ts';
import type { Ctx } from '../../context.ts';
import { avgPriceFen, divHalfUp } from '../../disclosure/derive.ts';
import { closeFigures, monthStart, newFiguresMemo, type FiguresMemo } from '../../ledger/month-figures.ts';
import { subsidyByClass } from '../fees/subsidy.ts';
import { profileFor } from '../people/index.ts';
import { categoryCost } from '../../ledger/stock-cost.ts';
import { ADJUST_REASON_LABELS } from '../../../../shared/api/storeroom.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { openingNote, postedOpeningDate } from '../opening/index.ts';

/**
 * DisclosureData (shared/disclosure.ts) for a month, assembled from the ledgers: the fund figures of closeFigures
 * (the same ones the checksum covers) and the detail sheets, as recorded at the close (month_disclosures) or, for a
 * month closed before those were recorded, read now. The accepted purchase lines are read in pages by key
 * (date, 验收单号, line) so a month of thousands of lines is never held at once and no SQLite statement stays open
 * between the writer's awaits.
 */

const PAGE = 500;

interface PurchaseDbRow {
  delivery_id: string;
  delivery_date: string;
  number: string;
  line_no: number;
  item: string;
  spec: string;
  unit: string;
  accepted_milli: number;
  unit_price_fen: number;
  amount_fen: number;
  supplier: string;
  note: string;
  printed_amount_fen: number | null;
}

export function* purchaseLines(ctx: Ctx, m: string): Generator<PurchaseLine> {
  const from = monthStart(m);
  const to = lastDayOfMonth(m);
  // Each delivery's inspectors once (a month has about a hundred deliveries and 2,000 lines), not per line.
  const inspectors = new Map(
    (
      ctx.db
        .prepare(
          `SELECT di.delivery_id AS id, group_concat(u.display_name, '、' ORDER BY di.position) AS names
           FROM deliveries d JOIN delivery_inspectors di ON di.delivery_id = d.id JOIN users u ON u.id = di.user_id
           WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? GROUP BY di.delivery_id`,
        )
        .all(from, to) as { id: string; names: string }[]
    ).map((r) => [r.id, r.names]),
  );
  const stmt = ctx.db.prepare(
    `SELECT d.id AS delivery_id, d.delivery_date, d.number, l.line_no, i.name AS item, i.spec, i.unit, l.accepted_milli, l.unit_price_fen, l.amount_fen,
       l.printed_amount_fen, s.name AS supplier, l.note
     FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id JOIN ingredients i ON i.id = l.ingredient_id JOIN suppliers s ON s.id = d.supplier_id
     WHERE d.status = 'posted' AND d.delivery_date BETWEEN @from AND @to AND l.accepted_milli > 0
       AND (d.delivery_date, d.number, l.line_no) > (@kd, @kn, @kl)
     ORDER BY d.delivery_date, d.number, l.line_no LIMIT ${PAGE}`,
  );
  let key = { kd: '', kn: '', kl: 0 };
  for (;;) {
    const rows = stmt.all({ from, to, ...key }) as PurchaseDbRow[];
    for (const r of rows) {
      yield {
        date: r.delivery_date,
        receiptNo: r.number,
        item: r.item,
        spec: r.spec,
        unit: r.unit,
        qtyMilli: r.accepted_milli,
        unitPriceFen: r.unit_price_fen,
        amountFen: r.amount_fen,
        supplier: r.supplier,
        inspectors: inspectors.get(r.delivery_id) ?? '',
        note: [r.printed_amount_fen !== null ? '按供应商单据金额' : '', r.note].filter(Boolean).join('；'),
      };
    }
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    key = { kd: last.delivery_date, kn: last.number, kl: last.line_no };
  }
}

function rejectedLines(ctx: Ctx, from: string, to: string): RejectedLine[] {
  return (
    ctx.db
      .prepare(
        `SELECT i.name AS item, i.unit, l.rejected_milli, l.reject_reason, l.disposition, t.method, t.inhibition_tenths, t.result FROM delivery_lines l
         JOIN deliveries d ON d.id = l.delivery_id JOIN ingredients i ON i.id = l.ingredient_id
         LEFT JOIN delivery_residue_tests t ON t.delivery_id = l.delivery_id AND t.line_no = l.line_no
         WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? AND l.rejected_milli > 0 ORDER BY d.delivery_date, d.number, l.line_no`,
      )
      .all(from, to) as {
      item: string;
      unit: string;
      rejected_milli: number;
      reject_reason: string;
      disposition: string;
      method: ResidueMethod | null;
      inhibition_tenths: number | null;
      result: 'pass' | 'fail' | null;
    }[]
  ).map((r) => ({
    item: r.item,
    unit: r.unit,
    qtyMilli: r.rejected_milli,
    // A failed 农残快检 (issue 17) says its method and reading after the reason, so the notice shows what was found.
    reason: r.result === 'fail' && r.method ? `${r.reject_reason}（${residueReading(r.method, r.inhibition_tenths)}）` : r.reject_reason,
    disposition: r.disposition === 'returned' ? '当场退回' : '销毁',
  }));
}

function prices(ctx: Ctx, m: string): PriceRow[] {
  const profile = profileFor(ctx, m);
  // The month's and the month before's totals per ingredient in one pass over their lines, grouped before the
  // ingredients are looked up for their names and order (ten years: two queries 7.4 ms → 4.6, issue 8).
  const rows = ctx.db
    .prepare(
      `SELECT i.id, i.name AS item, i.category, i.unit, i.ref_price_fen, t.qty, t.amount, t.prev_qty, t.prev_amount FROM (
         SELECT l.ingredient_id AS id,
           sum(l.accepted_milli) FILTER (WHERE d.delivery_date >= @from) AS qty, sum(l.amount_fen) FILTER (WHERE d.delivery_date >= @from) AS amount,
           sum(l.accepted_milli) FILTER (WHERE d.delivery_date < @from) AS prev_qty, sum(l.amount_fen) FILTER (WHERE d.delivery_date < @from) AS prev_amount
         FROM deliveries d JOIN delivery_lines l ON l.delivery_id = d.id
         WHERE d.status = 'posted' AND d.delivery_date BETWEEN @prevFrom AND @to AND l.accepted_milli > 0
         GROUP BY l.ingredient_id) t
       JOIN ingredients i ON i.id = t.id WHERE t.qty IS NOT NULL ORDER BY i.category, i.py_full, i.name`,
    )
    .all({ prevFrom: monthStart(addMonths(m, -1)), from: monthStart(m), to: lastDayOfMonth(m) }) as {
    id: string;
    item: string;
    category: Category;
    unit: string;
    ref_price_fen: number | null;
    qty: number;
    amount: number;
    prev_qty: number | null;
    prev_amount: number | null;
  }[];
  return rows.map((r) => ({
    item: r.item,
    category: r.category,
    unit: r.unit,
    qtyMilli: r.qty,
    amountFen: r.amount,
    // 参考价 = market average × (1 − the category's discount), half-up to the fen (DOMAIN.md §1).
    referencePriceFen: r.ref_price_fen === null ? null : Number(divHalfUp(BigInt(r.ref_price_fen) * BigInt(10_000 - (profile.referenceDiscountBp[r.category] ?? 0)), 10_000n)),
    previousAvgPriceFen: r.prev_qty === null ? null : avgPriceFen(r.prev_amount!, r.prev_qty),
  }));
}

function suppliers(ctx: Ctx, from: string, to: string): SupplierRow[] {
  const rows = ctx.db
    .prepare(
      `SELECT s.id, s.name, s.credit_code, count(*) AS deliveries, sum(d.total_fen) AS amount FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id
       WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? GROUP BY s.id ORDER BY s.py_full, s.name`,
    )
    .all(from, to) as { id: string; name: string; credit_code: string; deliveries: number; amount: number }[];
  return rows.map((s) => {
    const lic = ctx.db
      .prepare(`SELECT number, expires_on FROM supplier_licences WHERE supplier_id = ? AND kind IN ('food_business','food_production') ORDER BY kind LIMIT 1`)
      .get(s.id) as { number: string; expires_on: string | null } | undefined;
    // 随货证明: the certificates that came with the month's accepted lines, one per line and kind of certificate, whether
    // its number was entered or a scan of it attached to the line (a live one), or both (counted once). Scans were
    // claimed here and never counted: a certificate photographed but not typed read 0.
    const certs = ctx.db
      .prepare(
        `SELECT count(*) AS n FROM (
           SELECT l.delivery_id, l.line_no, j.key AS cert_kind
             FROM deliveries d JOIN delivery_lines l ON l.delivery_id = d.id, json_each(l.certs) j
            WHERE d.supplier_id = @id AND d.status = 'posted' AND d.delivery_date BETWEEN @from AND @to AND l.accepted_milli > 0
              AND trim(j.value) <> ''
           UNION
           SELECT a.delivery_id, a.line_no, a.cert_kind
             FROM deliveries d JOIN attachments a ON a.delivery_id = d.id
             JOIN delivery_lines l ON l.delivery_id = a.delivery_id AND l.line_no = a.line_no
            WHERE d.supplier_id = @id AND d.status = 'posted' AND d.delivery_date BETWEEN @from AND @to AND l.accepted_milli > 0
              AND a.kind = 'certificate' AND a.cert_kind IS NOT NULL AND a.deleted_at IS NULL)`,
      )
      .get({ id: s.id, from, to }) as { n: number };
    return {
      name: s.name,
      creditCode: s.credit_code,
      licenceNo: lic?.number ?? '',
      licenceValidUntil: lic?.expires_on ?? null,
      deliveries: s.deliveries,
      amountFen: s.amount,
      certificates: certs.n,
    };
  });
}

/**
 * 退费明细: the month's approvals (its 退费 total), each paid by the month's end or 待退; then the refunds approved in an
 * earlier month that were still owed when this month began and are paid in it or still owed at its end (issue 14: an
 * approved refund not yet paid is never left out of the notice). Only unpaid refunds and this month's payouts are read
 * for the earlier ones, not every approval before the month.
 */
function refundRows(ctx: Ctx, from: string, to: string): RefundRow[] {
  type Row = { student_no: string; name: string; class_name: string; days: number; amount_fen: number; reason: RefundReason; note: string; applied_on: string; approved_on: string; paid_on: string | null };
  const cols = `s.student_no, s.name, s.class_name, f.days, f.amount_fen, f.reason, f.note, f.applied_on, f.approved_on, f.paid_on FROM fee_refunds f JOIN students s ON s.id = f.student_id`;
  const month = ctx.db
    .prepare(`SELECT ${cols} WHERE f.approved_on BETWEEN ? AND ? AND (f.status <> 'void' OR f.void_date > ?) ORDER BY f.approved_on, f.number`)
    .all(from, to, to) as Row[];
  // Owed at the month's start: approved before it, and not paid or voided before it; still listed when paid in the
  // month (its payout date) or owed at its end (待退); a void within the month ends the debt, so it is left out.
  const earlier = ctx.db
    .prepare(
      `SELECT ${cols} WHERE f.approved_on < ?
         AND ((f.status = 'approved') OR (f.status = 'paid' AND f.paid_on >= ?) OR (f.status = 'void' AND f.void_date > ?))
       ORDER BY f.approved_on, f.number`,
    )
    .all(from, from, to) as Row[];
  const row = (r: Row, isEarlier: boolean): RefundRow => {
    // A payout after the month's end is not shown as paid in this month's disclosure.
    const paidOn = r.paid_on !== null && r.paid_on <= to ? r.paid_on : null;
    return {
      studentNo: r.student_no,
      name: r.name,
      className: r.class_name,
      days: r.days,
      amountFen: r.amount_fen,
      reason: REFUND_REASON_LABELS[r.reason] + (r.note ? `（${r.note}）` : ''),
      appliedOn: r.applied_on,
      paidOn,
      approvedOn: r.approved_on,
      status: paidOn === null ? 'pending' : 'paid',
      earlier: isEarlier,
    };
  };
  return [...month.map((r) => row(r, false)), ...earlier.map((r) => row(r, true))];
}

/** The detail lists of a month's disclosure: what a close freezes in month_disclosures (migration 0012). */
type Lists = Pick<DisclosureData, 'adjustmentNotes' | 'rejected' | 'prices' | 'suppliers' | 'subsidy' | 'refunds'>;
type DisclosureLists = Lists & { purchases: PurchaseLine[] };

function liveLists(ctx: Ctx, m: string): Lists & { purchases: Iterable<PurchaseLine> } {
  const from = monthStart(m);
  const to = lastDayOfMonth(m);
  const cost = profileFor(ctx, m).usesStoreroom ? categoryCost(ctx, m) : null;
  return {
    adjustmentNotes: (cost?.adjustments ?? []).map(
      (a) => `${a.date} ${a.ingredientName} ${ADJUST_REASON_LABELS[a.reason]} ${formatMilli(a.qtyMilli)} ${a.unit}，${formatFen(a.valueFen)} 元${a.note ? `：${a.note}` : ''}`,
    ),
    purchases: purchaseLines(ctx, m),
    rejected: rejectedLines(ctx, from, to),
    prices: prices(ctx, m),
    suppliers: suppliers(ctx, from, to),
    subsidy: subsidyByClass(ctx, m, true).map(({ className, students, days, studentDays, rateFen }) => ({ className, students, days, studentDays, rateFen })),
    refunds: refundRows(ctx, from, to),
  };
}

/** A list of like objects as their keys once and each one's values, not the keys again on every row. */
interface Columns {
  cols: string[];
  vals: unknown[][];
}
function toColumns(rows: readonly object[]): Columns {
  const cols = rows.length ? Object.keys(rows[0]) : [];
  return { cols, vals: rows.map((r) => cols.map((c) => (r as Record<string, unknown>)[c])) };
}
function fromColumns<T>({ cols, vals }: Columns): T[] {
  return vals.map((v) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < cols.length; i++) o[cols[i]] = v[i];
    return o as T;
  });
}

/** The month's lists as the close records them (JSON, every list as columns; notes as they are). */
export function disclosureListsJson(ctx: Ctx, m: string): string {
  const l = liveLists(ctx, m);
  return JSON.stringify({
    adjustmentNotes: l.adjustmentNotes,
    purchases: toColumns([...l.purchases]),
    rejected: toColumns(l.rejected),
    prices: toColumns(l.prices),
    suppliers: toColumns(l.suppliers),
    subsidy: toColumns(l.subsidy),
    refunds: toColumns(l.refunds),
  });
}

/** The lists recorded by the close of this revision; null for a month closed before migration 0012. */
function frozenLists(ctx: Ctx, m: string, revision: number): DisclosureLists | null {
  const row = ctx.db.prepare('SELECT lists FROM month_disclosures WHERE month = ? AND revision = ?').get(m, revision) as { lists: string } | undefined;
  if (!row) return null;
  const j = JSON.parse(row.lists) as Record<keyof DisclosureLists, unknown>;
  return {
    adjustmentNotes: j.adjustmentNotes as string[],
    purchases: fromColumns(j.purchases as Columns),
    rejected: fromColumns(j.rejected as Columns),
    prices: fromColumns(j.prices as Columns),
    suppliers: fromColumns(j.suppliers as Columns),
    subsidy: fromColumns(j.subsidy as Columns),
    refunds: fromColumns(j.refunds as Columns),
  };
}

/**
 * A closed month's disclosure: the fund figures of closeFigures (the ones the checksum covers) and the detail lists
 * its close recorded, or, for a month closed before they were recorded, the lists read from the ledger now.
 */
export function disclosureData(ctx: Ctx, m: string, revision: number, checksumHex: string, memo: FiguresMemo = newFiguresMemo()): DisclosureData {
  const profile = profileFor(ctx, m);
  const school = ctx.db.prepare('SELECT name FROM school').get() as { name: string };
  const f = closeFigures(ctx, m, memo);
  return {
    schoolName: school.name,
    month: m,
    revision,
    checksumHex,
    usesStoreroom: profile.usesStoreroom,
    allowedNonFood: f.allowedNonFood,
    // The lists the close recorded (figures.ts publishedLists), which the checksum covers.
    costBasis: f.costBasis ?? 'food',
    ...(f.categoryGroups ? { categoryGroups: f.categoryGroups } : {}),
    surplusLimitBp: profile.surplusLimitBp,
    surplusPeriod: profile.surplusPeriod,
    priceToleranceBp: profile.priceToleranceBp,
    // A ledger opened this year says where its year to date and surplus period begin (期初建账, domains/opening/index.ts).
    notes: [...profile.notes, ...[openingNote(postedOpeningDate(ctx), m)].filter((n): n is string => n !== null)],
    complaintPhone: profile.complaintPhone,
    signatures: profile.signatures,
    monthFigures: f.current,
    yearToDate: f.ytd,
    categoryCosts: f.categoryCosts,
    ...(frozenLists(ctx, m, revision) ?? liveLists(ctx, m)),
  };
}
