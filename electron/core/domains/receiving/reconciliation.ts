import type { PaymentMethod, PaymentView, Reconciliation, ReconciliationMonthRow, ReconciliationRow, ReconciliationState, StatementView } from '../../../../shared/api/receiving.ts';
import { formatFen } from '../../../../shared/format.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { audit } from '../../ledger/audit.ts';
import { lastDayOfMonth } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { accountBalance, ensurePayableAccount, postEntry } from '../../ledger/journal.ts';
import { getSupplier } from '../masterdata/index.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';

/**
 * 对账 and payments (the accountant's side). A supplier's monthly statement is compared with the posted deliveries of
 * that month, per delivery where the statement is itemised (by the supplier's delivery-note number or our 验收单号)
 * and in total. Payments settle the payable: debit 应付账款—supplier, credit bank or cash.
 */
export const PAYMENT_SOURCE = 'supplier_payment';

interface StatementRow {
  supplier_id: string;
  month: string;
  total_fen: number;
  invoice_numbers: string;
  lines: string;
  note: string;
  updated_at: string;
  updated_by_name: string | null;
}

function readStatement(ctx: Ctx, supplierId: string, month: string): StatementView | null {
  const r = ctx.db
    .prepare(`SELECT s.*, u.display_name AS updated_by_name FROM supplier_statements s LEFT JOIN users u ON u.id = s.updated_by WHERE s.supplier_id = ? AND s.month = ?`)
    .get(supplierId, month) as StatementRow | undefined;
  if (!r) return null;
  return {
    supplierId: r.supplier_id,
    month: r.month,
    totalFen: r.total_fen,
    invoiceNumbers: JSON.parse(r.invoice_numbers),
    lines: JSON.parse(r.lines),
    note: r.note,
    updatedAt: r.updated_at,
    updatedByName: r.updated_by_name,
  };
}

export interface StatementInput {
  supplierId: string;
  month: string;
  totalFen: number;
  invoiceNumbers: string[];
  lines: { ref: string; amountFen: number }[];
  note: string;
}

/** Enters or replaces the statement of a supplier's month (a working paper, audited, not a posting). */
export function saveStatement(ctx: Ctx, s: StatementInput): StatementView {
  getSupplier(ctx, s.supplierId);
  const itemised = s.lines.reduce((a, l) => a + l.amountFen, 0);
  if (s.lines.length > 0 && itemised !== s.totalFen) {
    throw new ApiError('VALIDATION', `对账单逐单金额合计 ${formatFen(itemised)} 元与对账单总额 ${formatFen(s.totalFen)} 元不一致`);
  }
  const before = readStatement(ctx, s.supplierId, s.month);
  const at = ctx.now().toISOString();
  const by = currentUser(ctx).userId;
  ctx.db
    .prepare(
      `INSERT INTO supplier_statements (supplier_id, month, total_fen, invoice_numbers, lines, note, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (supplier_id, month) DO UPDATE SET total_fen = excluded.total_fen, invoice_numbers = excluded.invoice_numbers,
         lines = excluded.lines, note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    )
    .run(s.supplierId, s.month, s.totalFen, JSON.stringify(s.invoiceNumbers), JSON.stringify(s.lines), s.note, at, by, at, by);
  const after = readStatement(ctx, s.supplierId, s.month) as StatementView;
  audit(ctx, before ? 'update' : 'create', 'supplier_statement', s.supplierId, before, withRows(after, groupRows(ctx, 'supplier_statements', 'supplier_id', s.supplierId)));
  return after;
}

function payments(ctx: Ctx, supplierId: string, from: string, to: string): PaymentView[] {
  return ctx.db
    .prepare(
      `SELECT p.id, p.supplier_id AS supplierId, p.pay_date AS date, p.amount_fen AS amountFen, p.method, p.reference, p.note, u.display_name AS createdByName
       FROM supplier_payments p LEFT JOIN users u ON u.id = p.created_by WHERE p.supplier_id = ? AND p.pay_date BETWEEN ? AND ? ORDER BY p.pay_date, p.created_at`,
    )
    .all(supplierId, from, to) as PaymentView[];
}

export function reconcile(ctx: Ctx, supplierId: string, month: string): Reconciliation {
  const supplier = getSupplier(ctx, supplierId);
  const from = `${month}-01`;
  const to = lastDayOfMonth(month);
  const deliveries = ctx.db
    .prepare(
      `SELECT id, number, delivery_date, note_number, total_fen FROM deliveries
       WHERE supplier_id = ? AND status = 'posted' AND delivery_date BETWEEN ? AND ? ORDER BY delivery_date, number`,
    )
    .all(supplierId, from, to) as { id: string; number: string; delivery_date: string; note_number: string; total_fen: number }[];
  const statement = readStatement(ctx, supplierId, month);
  const used = new Set<number>();
  const rows: ReconciliationRow[] = deliveries.map((d) => {
    let statementFen: number | null = null;
    statement?.lines.forEach((l, i) => {
      const ref = l.ref.trim();
      if (used.has(i) || !(ref === d.number || (d.note_number !== '' && ref === d.note_number))) return;
      used.add(i);
      statementFen = (statementFen ?? 0) + l.amountFen;
    });
    return {
      deliveryId: d.id,
      number: d.number,
      date: d.delivery_date,
      noteNumber: d.note_number,
      ourFen: d.total_fen,
      statementFen,
      differenceFen: statementFen === null ? null : statementFen - d.total_fen,
    };
  });
  const ourTotalFen = deliveries.reduce((s, d) => s + d.total_fen, 0);
  const account = `payable:${supplierId}`;
  return {
    supplierId,
    supplierName: supplier.name,
    month,
    rows,
    unmatched: (statement?.lines ?? []).filter((_, i) => !used.has(i)),
    ourTotalFen,
    statement,
    differenceFen: statement ? statement.totalFen - ourTotalFen : null,
    payments: payments(ctx, supplierId, from, to),
    // Liabilities carry credit (negative) balances in the journal; people read what is owed as a positive figure.
    payableAtMonthEndFen: -accountBalance(ctx, account, to),
    payableNowFen: -accountBalance(ctx, account),
  };
}

/** Agreeing means the totals match, every itemised delivery matches, and no statement line is left unmatched. */
export function reconciliationState(r: Reconciliation): ReconciliationState {
  if (!r.statement) return 'none';
  const agrees = r.differenceFen === 0 && r.unmatched.length === 0 && r.rows.every((x) => x.differenceFen === null || x.differenceFen === 0);
  return agrees ? 'agreed' : 'different';
}

/** The suppliers with posted deliveries in the month: the ones whose statements the month's close needs. */
export function reconciliationMonth(ctx: Ctx, month: string): { row: ReconciliationMonthRow; rec: Reconciliation }[] {
  const ids = ctx.db
    .prepare(
      `SELECT d.supplier_id AS id FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id
       WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? GROUP BY d.supplier_id ORDER BY min(s.name)`,
    )
    .all(`${month}-01`, lastDayOfMonth(month)) as { id: string }[];
  return ids.map(({ id }) => {
    const rec = reconcile(ctx, id, month);
    const row = {
      supplierId: id,
      supplierName: rec.supplierName,
      deliveries: rec.rows.length,
      ourTotalFen: rec.ourTotalFen,
      statementTotalFen: rec.statement?.totalFen ?? null,
      state: reconciliationState(rec),
    };
    return { row, rec };
  });
}

export interface PaymentInput {
  supplierId: string;
  date: string;
  amountFen: number;
  method: PaymentMethod;
  reference: string;
  note: string;
}

export function pay(ctx: Ctx, p: PaymentInput): PaymentView {
  const supplier = getSupplier(ctx, p.supplierId);
  const payable = ensurePayableAccount(ctx, supplier.id, supplier.name);
  const owed = -accountBalance(ctx, payable);
  if (p.amountFen > owed) {
    throw new ApiError('RULE', `付款金额 ${formatFen(p.amountFen)} 元超过应付${supplier.name}的余额 ${formatFen(owed)} 元`);
  }
  const id = uuidv7(ctx.now().getTime());
  const entryId = postEntry(ctx, {
    date: p.date,
    memo: `支付货款 ${supplier.name}${p.reference ? ` ${p.reference}` : ''}`,
    sourceType: PAYMENT_SOURCE,
    sourceId: id,
    postings: [
      { account: payable, amountFen: p.amountFen },
      { account: p.method, amountFen: -p.amountFen },
    ],
  });
  ctx.db
    .prepare(
      `INSERT INTO supplier_payments (id, origin, supplier_id, pay_date, amount_fen, method, reference, note, journal_entry_id, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, ctx.installationId, p.supplierId, p.date, p.amountFen, p.method, p.reference, p.note, entryId, ctx.now().toISOString(), currentUser(ctx).userId);
  const view = payments(ctx, p.supplierId, p.date, p.date).find((x) => x.id === id) as PaymentView;
  audit(ctx, 'create', 'supplier_payment', id, null, withRows(view, groupRows(ctx, 'supplier_payments', 'id', id)));
  return view;
}

export function payables(ctx: Ctx): { supplierId: string; supplierName: string; balanceFen: number }[] {
  return (
    ctx.db
      .prepare(
        `SELECT s.id AS supplierId, s.name AS supplierName, -coalesce(sum(p.amount_fen), 0) AS balanceFen
         FROM accounts a JOIN suppliers s ON s.id = a.supplier_id LEFT JOIN account_month_totals p ON p.account = a.code
         WHERE a.code LIKE 'payable:%' GROUP BY s.id ORDER BY s.name`,
      )
      .all() as { supplierId: string; supplierName: string; balanceFen: number }[]
  ).filter((r) => r.balanceFen !== 0);
}
