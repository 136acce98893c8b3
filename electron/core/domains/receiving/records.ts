import type { Ingredient } from '../../../../shared/api/masterdata.ts';
import type {
  AttachmentView,
  CheckResult,
  DeliveryDraft,
  DeliveryListRow,
  DeliveryStatus,
  DeliveryView,
  Disposition,
  Finding,
  PriceRow,
} from '../../../../shared/api/receiving.ts';
import type { CertKind, Category, StorageClass } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { addDays } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertStatus, docOf } from '../../ledger/lifecycle.ts';
import { certRulesOf, getIngredient, getSupplier, toIngredient } from '../masterdata/index.ts';
import { profileFor } from '../people/index.ts';
import { attachmentsOf } from './attachments.ts';
import { convertLines, type BaseLine } from './units.ts';
import { effectiveExpiry, lineAmounts, PAIR_WINDOW_DAYS, pairKey, runChecks, summarize, type CheckFacts } from './checks.ts';

/** Storage of deliveries: writing drafts, reading documents back, and the lists. Posting lives in receiving-posting. */

export interface HeaderRow {
  id: string;
  status: DeliveryStatus;
  number: string | null;
  delivery_date: string;
  arrival_time: string | null;
  supplier_id: string;
  note_number: string;
  witness_user_id: string | null;
  witness_name: string;
  warning_notes: string;
  warning_note: string;
  remark: string;
  total_fen: number;
  findings: string;
  amends: string | null;
  created_at: string;
  created_by: string | null;
  updated_at: string;
  posted_at: string | null;
  posted_by: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}
interface LineRow {
  line_no: number;
  ingredient_id: string;
  received_milli: number;
  accepted_milli: number;
  rejected_milli: number;
  reject_reason: string;
  disposition: Disposition | null;
  unit_price_fen: number;
  computed_amount_fen: number;
  printed_amount_fen: number | null;
  amount_fen: number;
  production_date: string | null;
  batch_no: string;
  shelf_life_days: number | null;
  expiry_date: string | null;
  expires_on: string | null;
  storage_class: StorageClass;
  packaging_ok: number;
  label_ok: number;
  fresh_ok: number;
  temperature_dc: number | null;
  certs: string;
  note: string;
  ingredient_name: string;
  category: Category;
  unit: string;
  spec: string;
  /** The unit the line was received in and its figures in it (delivery_line_units), null when in the base unit. */
  u_unit: string | null;
  u_size: number | null;
  u_received: number | null;
  u_rejected: number | null;
  u_price: number | null;
}

/** A stored line's quantities and price as typed: in the unit received (kitchen units) or else the base unit. */
function typedFigures(l: LineRow): Pick<DeliveryDraft['lines'][number], 'receivedUnit' | 'receivedMilli' | 'acceptedMilli' | 'rejectedMilli' | 'unitPriceFen'> {
  if (l.u_unit === null) return { receivedUnit: null, receivedMilli: l.received_milli, acceptedMilli: l.accepted_milli, rejectedMilli: l.rejected_milli, unitPriceFen: l.unit_price_fen };
  const received = l.u_received as number;
  const rejected = l.u_rejected as number;
  return { receivedUnit: l.u_unit, receivedMilli: received, acceptedMilli: received - rejected, rejectedMilli: rejected, unitPriceFen: l.u_price as number };
}

export function headerRow(ctx: Ctx, id: string): HeaderRow {
  const r = ctx.db.prepare('SELECT * FROM deliveries WHERE id = ?').get(id) as HeaderRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该验收单');
  return r;
}

function userName(ctx: Ctx, id: string | null): string | null {
  if (!id) return null;
  return (ctx.db.prepare('SELECT display_name FROM users WHERE id = ?').get(id) as { display_name: string } | undefined)?.display_name ?? null;
}

function lineRows(ctx: Ctx, deliveryId: string): LineRow[] {
  return ctx.db
    .prepare(
      `SELECT l.*, i.name AS ingredient_name, i.category, i.unit, i.spec, u.unit AS u_unit, u.unit_milli AS u_size, u.received_milli AS u_received,
         u.rejected_milli AS u_rejected, u.unit_price_fen AS u_price
       FROM delivery_lines l JOIN ingredients i ON i.id = l.ingredient_id
       LEFT JOIN delivery_line_units u ON u.delivery_id = l.delivery_id AND u.line_no = l.line_no
       WHERE l.delivery_id = ? ORDER BY l.line_no`,
    )
    .all(deliveryId) as LineRow[];
}

type ResidueTest = NonNullable<DeliveryDraft['lines'][number]['residueTest']>;
interface ResidueRow {
  line_no: number;
  method: ResidueTest['method'];
  inhibition_tenths: number | null;
  result: ResidueTest['result'];
  tester: string;
  tested_time: string;
}

/** The delivery's 农残快检 by line number (issue 17; table delivery_residue_tests). */
function residueTests(ctx: Ctx, deliveryId: string): Map<number, ResidueTest> {
  const rows = ctx.db.prepare('SELECT * FROM delivery_residue_tests WHERE delivery_id = ? ORDER BY line_no').all(deliveryId) as ResidueRow[];
  return new Map(rows.map((r) => [r.line_no, { method: r.method, inhibitionTenths: r.inhibition_tenths, result: r.result, tester: r.tester, testedTime: r.tested_time }]));
}

function inspectorIds(ctx: Ctx, deliveryId: string): string[] {
  return (ctx.db.prepare('SELECT user_id FROM delivery_inspectors WHERE delivery_id = ? ORDER BY position').all(deliveryId) as { user_id: string }[]).map((r) => r.user_id);
}

/** A stored delivery read once (header, lines with their items, inspectors), so a call reads each row one time. */
export interface StoredDelivery {
  h: HeaderRow;
  lines: LineRow[];
  inspectorIds: string[];
  tests: Map<number, ResidueTest>;
}

export function loadStored(ctx: Ctx, id: string): StoredDelivery {
  const h = headerRow(ctx, id);
  return { h, lines: lineRows(ctx, id), inspectorIds: inspectorIds(ctx, id), tests: residueTests(ctx, id) };
}

/** The stored document as the draft input it came from: for the checks at posting and for the amended copy. */
export function readDraft(ctx: Ctx, id: string): DeliveryDraft {
  return storedDraft(loadStored(ctx, id));
}

export function storedDraft({ h, lines, inspectorIds, tests }: StoredDelivery): DeliveryDraft {
  return {
    date: h.delivery_date,
    arrivalTime: h.arrival_time,
    supplierId: h.supplier_id,
    noteNumber: h.note_number,
    inspectorIds: [...inspectorIds],
    witnessUserId: h.witness_user_id,
    witnessName: h.witness_name,
    // As typed: the expiry the storekeeper entered (the view falls back to the one worked out from the shelf life).
    lines: lines.map((l) => ({ ...readDraftLine(l), expiryDate: l.expiry_date, residueTest: tests.get(l.line_no) ?? null })),
    warningNotes: JSON.parse(h.warning_notes),
    warningNote: h.warning_note,
    remark: h.remark,
  };
}

/** Gathers what the pure checks need from the ledger: supplier, ingredients, active users, the pair history. */
export function loadFacts(ctx: Ctx, draft: DeliveryDraft, deliveryId: string | null): CheckFacts {
  let supplier = null;
  try {
    supplier = getSupplier(ctx, draft.supplierId);
  } catch {
    supplier = null;
  }
  // Missing ones are reported by the checks as ingredient_unknown.
  const ingredients = ingredientsById(ctx, draft.lines.map((l) => l.ingredientId));
  const activeUsers = new Map(
    (ctx.db.prepare('SELECT id, display_name FROM users WHERE disabled = 0').all() as { id: string; display_name: string }[]).map((u) => [u.id, u.display_name]),
  );
  const pairCounts = new Map<string, number>();
  const rows = ctx.db
    .prepare(
      `SELECT a.user_id AS ua, b.user_id AS ub, count(*) AS n FROM deliveries d
       JOIN delivery_inspectors a ON a.delivery_id = d.id JOIN delivery_inspectors b ON b.delivery_id = d.id AND a.user_id < b.user_id
       WHERE d.status = 'posted' AND d.id IS NOT ? AND d.delivery_date BETWEEN ? AND ? GROUP BY a.user_id, b.user_id`,
    )
    .all(deliveryId, addDays(draft.date, -(PAIR_WINDOW_DAYS - 1)), draft.date) as { ua: string; ub: string; n: number }[];
  for (const r of rows) pairCounts.set(pairKey(r.ua, r.ub), r.n);
  return { draft, supplier, ingredients, profile: profileFor(ctx, draft.date), activeUsers, pairCounts };
}

/** The lines' ingredients in one query (a 30-line delivery used to fetch each of them three times). */
export function ingredientsById(ctx: Ctx, ids: string[]): Map<string, Ingredient> {
  const rows = ctx.db.prepare('SELECT * FROM ingredients WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify([...new Set(ids)])) as Parameters<typeof toIngredient>[0][];
  const rules = certRulesOf(ctx);
  return new Map(rows.map((r) => [r.id, toIngredient(r, rules)]));
}

export function checkDraft(ctx: Ctx, draft: DeliveryDraft, deliveryId: string | null): CheckResult {
  const facts = loadFacts(ctx, draft, deliveryId);
  return summarize(draft, runChecks(facts), facts.profile.residueTestCategories);
}

/** References must exist before anything is stored; the rules about them (licences, certificates…) are checks. */
function assertReferences(ctx: Ctx, d: DeliveryDraft): void {
  if (!ctx.db.prepare('SELECT 1 FROM suppliers WHERE id = ?').get(d.supplierId)) throw new ApiError('NOT_FOUND', '找不到该供应商');
  const known = new Set(
    (ctx.db.prepare('SELECT id FROM ingredients WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(d.lines.map((l) => l.ingredientId))) as { id: string }[]).map((r) => r.id),
  );
  const missing = d.lines.findIndex((l) => !known.has(l.ingredientId));
  if (missing >= 0) throw new ApiError('NOT_FOUND', `第 ${missing + 1} 行：找不到该食材`);
  const active = (uid: string) => ctx.db.prepare('SELECT 1 FROM users WHERE id = ? AND disabled = 0').get(uid) !== undefined;
  for (const u of d.inspectorIds) if (!active(u)) throw new ApiError('NOT_FOUND', '验收人不是在用的用户');
  if (new Set(d.inspectorIds).size !== d.inspectorIds.length) throw new ApiError('VALIDATION', '同一位验收人不能重复选择');
  if (d.witnessUserId && !active(d.witnessUserId)) throw new ApiError('NOT_FOUND', '家委会代表不是在用的用户');
  if (d.witnessUserId && !ctx.db.prepare(`SELECT 1 FROM user_roles WHERE user_id = ? AND role = 'parent'`).get(d.witnessUserId)) {
    throw new ApiError('VALIDATION', '在场见证的应为家委会代表（不在系统中的可直接填写姓名）');
  }
  if (d.witnessUserId && d.inspectorIds.includes(d.witnessUserId)) throw new ApiError('VALIDATION', '家委会代表不能同时作为验收人');
}

/** Inserts a new draft or replaces a draft's content (header, inspectors, lines). Returns its id. */
export function writeDraft(ctx: Ctx, id: string | null, d: DeliveryDraft, amends: string | null = null): string {
  assertReferences(ctx, d);
  // Kitchen units: each line in its item's base unit, or the save is refused (unknown unit, a package without a size).
  const ids = d.lines.map((l) => l.ingredientId);
  const base = convertLines(d.lines, ingredientsById(ctx, ids), ids);
  const at = ctx.now().toISOString();
  const by = currentUser(ctx).userId;
  const total = summarize(d, []).totalFen;
  const db = ctx.db;
  if (id === null) {
    id = uuidv7(ctx.now().getTime());
    db.prepare(
      `INSERT INTO deliveries (id, origin, status, delivery_date, arrival_time, supplier_id, note_number, witness_user_id, witness_name,
        warning_notes, warning_note, remark, total_fen, amends, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(id, ctx.installationId, d.date, d.arrivalTime, d.supplierId, d.noteNumber, d.witnessUserId, d.witnessName, JSON.stringify(d.warningNotes), d.warningNote, d.remark, total, amends, at, by, at, by);
  } else {
    const h = headerRow(ctx, id);
    assertStatus(docOf('deliveries', h), ['draft'], 'save', { posted: '如需更正请作废后生成更正单' });
    db.prepare(
      `UPDATE deliveries SET delivery_date = ?, arrival_time = ?, supplier_id = ?, note_number = ?, witness_user_id = ?, witness_name = ?,
        warning_notes = ?, warning_note = ?, remark = ?, total_fen = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
    ).run(d.date, d.arrivalTime, d.supplierId, d.noteNumber, d.witnessUserId, d.witnessName, JSON.stringify(d.warningNotes), d.warningNote, d.remark, total, at, by, id);
  }
  writeInspectors(ctx, id, d.inspectorIds);
  // A test points at its line: changed and gone tests are deleted before the lines change, new ones inserted after.
  const newTests = dropChangedTests(ctx, id, d.lines);
  const newUnits = dropChangedUnits(ctx, id, d.lines, base);
  writeLines(ctx, id, d.lines, base);
  insertTests(ctx, id, newTests);
  insertUnits(ctx, id, newUnits);
  return id;
}

/** Inspectors in order; left alone when unchanged (saving a note again must not rewrite them). */
function writeInspectors(ctx: Ctx, id: string, ids: string[]): void {
  const old = inspectorIds(ctx, id);
  if (old.length === ids.length && old.every((u, i) => u === ids[i])) return;
  if (old.length) ctx.db.prepare('DELETE FROM delivery_inspectors WHERE delivery_id = ?').run(id);
  const ins = ctx.db.prepare('INSERT INTO delivery_inspectors (delivery_id, user_id, position) VALUES (?, ?, ?)');
  ids.forEach((u, i) => ins.run(id, u, i + 1));
}

/**
 * The lines' quick tests, first half: a test unchanged is left alone, a changed or gone one deleted. Returns the tests
 * to insert once the lines are written.
 */
function dropChangedTests(ctx: Ctx, id: string, lines: DeliveryDraft['lines']): [number, ResidueTest][] {
  const old = residueTests(ctx, id);
  const same = (a: ResidueTest | undefined, b: ResidueTest | null | undefined) =>
    !!a && !!b && a.method === b.method && a.inhibitionTenths === b.inhibitionTenths && a.result === b.result && a.tester === b.tester && a.testedTime === b.testedTime;
  const del = ctx.db.prepare('DELETE FROM delivery_residue_tests WHERE delivery_id = ? AND line_no = ?');
  for (const [lineNo, t] of old) if (!same(t, lines[lineNo - 1]?.residueTest)) del.run(id, lineNo);
  return lines.flatMap((l, i): [number, ResidueTest][] => (l.residueTest && !same(old.get(i + 1), l.residueTest) ? [[i + 1, l.residueTest]] : []));
}

function insertTests(ctx: Ctx, id: string, tests: [number, ResidueTest][]): void {
  const ins = ctx.db.prepare('INSERT INTO delivery_residue_tests (delivery_id, line_no, method, inhibition_tenths, result, tester, tested_time) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const [lineNo, t] of tests) ins.run(id, lineNo, t.method, t.inhibitionTenths, t.result, t.tester, t.testedTime);
}

type UnitRow = [unit: string, size: number, received: number, rejected: number, price: number];

/**
 * The lines' received units (delivery_line_units), as the quick tests: an unchanged row is left alone, a changed or gone
 * one deleted before the lines change (a line never disagrees with its unit row), the new ones inserted after.
 */
function dropChangedUnits(ctx: Ctx, id: string, lines: DeliveryDraft['lines'], base: BaseLine[]): [number, UnitRow][] {
  const old = new Map(
    (ctx.db.prepare('SELECT line_no, unit, unit_milli, received_milli, rejected_milli, unit_price_fen FROM delivery_line_units WHERE delivery_id = ?').raw(true).all(id) as [number, ...UnitRow][]).map(
      ([n, ...r]) => [n, r as UnitRow],
    ),
  );
  const want = (i: number): UnitRow | null => {
    const l = lines[i];
    const size = base[i]?.sizeMilli ?? null;
    return l && size !== null ? [l.receivedUnit as string, size, l.receivedMilli, l.rejectedMilli, l.unitPriceFen] : null;
  };
  const same = (a: UnitRow | undefined, b: UnitRow | null) => !!a && !!b && a.every((v, k) => v === b[k]);
  const del = ctx.db.prepare('DELETE FROM delivery_line_units WHERE delivery_id = ? AND line_no = ?');
  for (const [lineNo, r] of old) if (!same(r, want(lineNo - 1))) del.run(id, lineNo);
  return lines.flatMap((_, i): [number, UnitRow][] => {
    const w = want(i);
    return w && !same(old.get(i + 1), w) ? [[i + 1, w]] : [];
  });
}

function insertUnits(ctx: Ctx, id: string, rows: [number, UnitRow][]): void {
  const ins = ctx.db.prepare('INSERT INTO delivery_line_units (delivery_id, line_no, unit, unit_milli, received_milli, rejected_milli, unit_price_fen) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const [lineNo, r] of rows) ins.run(id, lineNo, ...r);
}

/** The stored columns of a line after line_no, in table order. */
const LINE_COLUMNS = [
  'ingredient_id', 'received_milli', 'accepted_milli', 'rejected_milli', 'reject_reason', 'disposition', 'unit_price_fen', 'computed_amount_fen',
  'printed_amount_fen', 'amount_fen', 'production_date', 'batch_no', 'shelf_life_days', 'expiry_date', 'expires_on', 'storage_class', 'packaging_ok',
  'label_ok', 'fresh_ok', 'temperature_dc', 'certs', 'note',
] as const;

/** A line's stored values: quantities and price in the base unit (`b`), the amount from the figures as received. */
function lineValues(l: DeliveryDraft['lines'][number], b: BaseLine): unknown[] {
  const a = lineAmounts(l);
  const certs = Object.fromEntries(Object.entries(l.certs).filter(([, v]) => v && v.trim()));
  return [
    l.ingredientId, b.receivedMilli, b.acceptedMilli, b.rejectedMilli, l.rejectReason, l.disposition, b.unitPriceFen, a.computedAmountFen,
    l.printedAmountFen, a.amountFen, l.productionDate, l.batchNo, l.shelfLifeDays, l.expiryDate, effectiveExpiry(l), l.storageClass, l.packagingOk ? 1 : 0,
    l.labelOk ? 1 : 0, l.freshOk ? 1 : 0, l.temperatureDc, JSON.stringify(certs), l.note,
  ].map((v) => v ?? null);
}

/**
 * Makes the stored lines equal the draft's: a line whose values are unchanged is not written again, a changed one is
 * updated in place, extra old lines are deleted and extra new ones inserted. The table ends exactly as deleting and
 * re-inserting every line would leave it, at a fraction of the pages (each line also sits in the ingredient index).
 */
function writeLines(ctx: Ctx, id: string, lines: DeliveryDraft['lines'], base: BaseLine[]): void {
  const db = ctx.db;
  const old = db.prepare('SELECT * FROM delivery_lines WHERE delivery_id = ? ORDER BY line_no').all(id) as Record<string, unknown>[];
  const ins = db.prepare(
    `INSERT INTO delivery_lines (delivery_id, line_no, ingredient_id, received_milli, accepted_milli, rejected_milli, reject_reason, disposition,
      unit_price_fen, computed_amount_fen, printed_amount_fen, amount_fen, production_date, batch_no, shelf_life_days, expiry_date, expires_on,
      storage_class, packaging_ok, label_ok, fresh_ok, temperature_dc, certs, note)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upd = db.prepare(
    `UPDATE delivery_lines SET ingredient_id = ?, received_milli = ?, accepted_milli = ?, rejected_milli = ?, reject_reason = ?, disposition = ?,
      unit_price_fen = ?, computed_amount_fen = ?, printed_amount_fen = ?, amount_fen = ?, production_date = ?, batch_no = ?, shelf_life_days = ?,
      expiry_date = ?, expires_on = ?, storage_class = ?, packaging_ok = ?, label_ok = ?, fresh_ok = ?, temperature_dc = ?, certs = ?, note = ?
     WHERE delivery_id = ? AND line_no = ?`,
  );
  if (old.length > lines.length) db.prepare('DELETE FROM delivery_lines WHERE delivery_id = ? AND line_no > ?').run(id, lines.length);
  lines.forEach((l, i) => {
    const v = lineValues(l, base[i]);
    const o = old[i];
    if (!o) ins.run(id, i + 1, ...v);
    else if (LINE_COLUMNS.some((c, k) => o[c] !== v[k])) upd.run(...v, id, i + 1);
  });
}

/**
 * The document as the form shows it. A draft's findings come from running the checks, which callers that already ran
 * them (posting) or do not keep them (the audit's before-image) pass in or skip (`findings: null` leaves them out).
 */
export function getDelivery(ctx: Ctx, id: string, opts: { stored?: StoredDelivery; findings?: Finding[] | null } = {}): DeliveryView {
  const stored = opts.stored ?? loadStored(ctx, id);
  const h = stored.h;
  const s = getSupplier(ctx, h.supplier_id);
  const lines = stored.lines.map((l) => ({
    ...readDraftLine(l),
    residueTest: stored.tests.get(l.line_no) ?? null,
    lineNo: l.line_no,
    ingredientName: l.ingredient_name,
    category: l.category,
    unit: l.unit,
    spec: l.spec,
    computedAmountFen: l.computed_amount_fen,
    amountFen: l.amount_fen,
    differenceFen: l.amount_fen - l.computed_amount_fen,
    unitSizeMilli: l.u_size,
    baseReceivedMilli: l.received_milli,
    baseAcceptedMilli: l.accepted_milli,
    baseRejectedMilli: l.rejected_milli,
    baseUnitPriceFen: l.unit_price_fen,
  }));
  const findings: Finding[] | undefined =
    h.status !== 'draft' ? JSON.parse(h.findings) : opts.findings === null ? undefined : (opts.findings ?? checkDraft(ctx, storedDraft(stored), id).findings);
  const amendedBy = (ctx.db.prepare(`SELECT id FROM deliveries WHERE amends = ? ORDER BY created_at DESC LIMIT 1`).get(id) as { id: string } | undefined)?.id ?? null;
  const hasAttachments = ctx.db.prepare('SELECT 1 FROM attachments WHERE delivery_id = ? AND deleted_at IS NULL').get(id) !== undefined;
  const attachments: AttachmentView[] = hasAttachments ? attachmentsOf(ctx, id) : [];
  return {
    id: h.id,
    number: h.number,
    status: h.status,
    date: h.delivery_date,
    arrivalTime: h.arrival_time,
    supplierId: h.supplier_id,
    supplierName: s.name,
    supplierContact: s.contactPerson,
    supplierPhone: s.phone,
    supplierAddress: s.address,
    noteNumber: h.note_number,
    inspectors: stored.inspectorIds.map((u) => ({ userId: u, name: userName(ctx, u) ?? '' })),
    witnessUserId: h.witness_user_id,
    witnessName: h.witness_user_id ? (userName(ctx, h.witness_user_id) ?? h.witness_name) : h.witness_name,
    lines,
    warningNotes: JSON.parse(h.warning_notes),
    warningNote: h.warning_note,
    remark: h.remark,
    totalFen: h.total_fen,
    findings: findings as Finding[],
    amends: h.amends,
    amendsNumber: h.amends ? headerRow(ctx, h.amends).number : null,
    amendedBy,
    createdAt: h.created_at,
    createdByName: userName(ctx, h.created_by),
    updatedAt: h.updated_at,
    postedAt: h.posted_at,
    postedByName: userName(ctx, h.posted_by),
    cancelledAt: h.cancelled_at,
    cancelledByName: userName(ctx, h.cancelled_by),
    cancelReason: h.cancel_reason,
    attachments,
  };
}

function readDraftLine(l: LineRow): Omit<DeliveryDraft['lines'][number], 'residueTest'> {
  return {
    ingredientId: l.ingredient_id,
    ...typedFigures(l),
    rejectReason: l.reject_reason,
    disposition: l.disposition,
    printedAmountFen: l.printed_amount_fen,
    productionDate: l.production_date,
    batchNo: l.batch_no,
    shelfLifeDays: l.shelf_life_days,
    expiryDate: l.expiry_date ?? l.expires_on,
    storageClass: l.storage_class,
    packagingOk: l.packaging_ok === 1,
    labelOk: l.label_ok === 1,
    freshOk: l.fresh_ok === 1,
    temperatureDc: l.temperature_dc,
    certs: JSON.parse(l.certs) as Partial<Record<CertKind, string>>,
    note: l.note,
  };
}

export interface ListFilter {
  from?: string;
  to?: string;
  supplierId?: string;
  ingredientId?: string;
  status?: DeliveryStatus;
  offset: number;
  limit: number;
}

export function listDeliveries(ctx: Ctx, f: ListFilter): { rows: DeliveryListRow[]; total: number; totalFen: number } {
  const where = `(@from IS NULL OR d.delivery_date >= @from) AND (@to IS NULL OR d.delivery_date <= @to)
    AND (@supplierId IS NULL OR d.supplier_id = @supplierId) AND (@status IS NULL OR d.status = @status)
    AND (@ingredientId IS NULL OR EXISTS (SELECT 1 FROM delivery_lines l WHERE l.delivery_id = d.id AND l.ingredient_id = @ingredientId))`;
  const params = { from: f.from ?? null, to: f.to ?? null, supplierId: f.supplierId ?? null, status: f.status ?? null, ingredientId: f.ingredientId ?? null };
  // The total counts posted documents only: drafts are not yet owed and cancelled ones are reversed.
  const agg = ctx.db
    .prepare(`SELECT count(*) AS n, coalesce(sum(CASE WHEN d.status = 'posted' THEN d.total_fen END), 0) AS fen FROM deliveries d WHERE ${where}`)
    .get(params) as { n: number; fen: number };
  const rows = ctx.db
    .prepare(
      `SELECT d.id, d.number, d.status, d.delivery_date, d.supplier_id, s.name AS supplier_name, d.note_number, d.total_fen, d.amends,
         (SELECT count(*) FROM delivery_lines l WHERE l.delivery_id = d.id) AS line_count,
         (SELECT count(*) FROM delivery_lines l WHERE l.delivery_id = d.id AND l.rejected_milli > 0) AS rejected_lines,
         (SELECT json_group_array(u.display_name) FROM (SELECT u.display_name FROM delivery_inspectors i JOIN users u ON u.id = i.user_id
            WHERE i.delivery_id = d.id ORDER BY i.position) u) AS inspector_names
       FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id WHERE ${where}
       ORDER BY d.delivery_date DESC, d.number DESC, d.created_at DESC LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: f.limit, offset: f.offset }) as {
    id: string;
    number: string | null;
    status: DeliveryStatus;
    delivery_date: string;
    supplier_id: string;
    supplier_name: string;
    note_number: string;
    total_fen: number;
    amends: string | null;
    line_count: number;
    rejected_lines: number;
    inspector_names: string;
  }[];
  return {
    rows: rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      date: r.delivery_date,
      supplierId: r.supplier_id,
      supplierName: r.supplier_name,
      noteNumber: r.note_number,
      lineCount: r.line_count,
      rejectedLines: r.rejected_lines,
      totalFen: r.total_fen,
      inspectorNames: JSON.parse(r.inspector_names),
      amends: r.amends,
    })),
    total: agg.n,
    totalFen: agg.fen,
  };
}

export function priceHistory(ctx: Ctx, ingredientId: string, from: string | undefined, to: string | undefined, limit: number): PriceRow[] {
  getIngredient(ctx, ingredientId);
  return ctx.db
    .prepare(
      `SELECT d.delivery_date AS date, d.id AS deliveryId, d.number, s.name AS supplierName, l.accepted_milli AS acceptedMilli,
         l.unit_price_fen AS unitPriceFen, l.amount_fen AS amountFen
       FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id JOIN suppliers s ON s.id = d.supplier_id
       WHERE l.ingredient_id = ? AND d.status = 'posted' AND l.accepted_milli > 0 AND (? IS NULL OR d.delivery_date >= ?) AND (? IS NULL OR d.delivery_date <= ?)
       ORDER BY d.delivery_date DESC, d.number DESC, l.line_no LIMIT ?`,
    )
    .all(ingredientId, from ?? null, from ?? null, to ?? null, to ?? null, limit) as PriceRow[];
}

/** The last accepted price of an item (from the given supplier when there is one, else from anyone). */
export function lastPrice(ctx: Ctx, ingredientId: string, supplierId?: string): { unitPriceFen: number; date: string; supplierName: string } | null {
  const q = (bySupplier: boolean) =>
    ctx.db
      .prepare(
        `SELECT l.unit_price_fen AS unitPriceFen, d.delivery_date AS date, s.name AS supplierName
         FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id JOIN suppliers s ON s.id = d.supplier_id
         WHERE l.ingredient_id = ? AND d.status = 'posted' AND l.accepted_milli > 0 ${bySupplier ? 'AND d.supplier_id = ?' : ''}
         ORDER BY d.delivery_date DESC, d.posted_at DESC, l.line_no DESC LIMIT 1`,
      )
      .get(...(bySupplier ? [ingredientId, supplierId] : [ingredientId])) as { unitPriceFen: number; date: string; supplierName: string } | undefined;
  return (supplierId ? q(true) : undefined) ?? q(false) ?? null;
}
