import type { OpeningImportPreview, OpeningImportRow, OpeningLineInput, OpeningLineView, OpeningState, OpeningView } from '../../../../shared/api/opening.ts';
import type { OpeningLineKind, OpeningStatus } from '../../../../shared/labels-opening.ts';
import type { StorageClass } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { parseQuantityToMilli, parseYuanToFen } from '../../../../shared/format.ts';
import { audit } from '../../ledger/audit.ts';
import { chinaDate, lastDayOfMonth, monthWords, previousMonth } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { ensurePayableAccount, postEntry } from '../../ledger/journal.ts';
import { assertStatus, docOf } from '../../ledger/lifecycle.ts';
import { groupRows, rowsWhere, withRows } from '../../ledger/row-snapshot.ts';
import { postedOpeningDate } from '../../ledger/month-figures.ts';
import { guessMapping, readSheet } from '../fees/sheet.ts';
import { mapReporting, withOperation, type ProgressReporter } from '../../ledger/progress.ts';
import { userName } from '../fees/common.ts';
import { profileFor, profileOf } from '../people/index.ts';
import { assertNotCounted, insertMovement } from '../storeroom/ledger.ts';

/**
 * 期初建账 (issue 14 §2; the table's rules in migration 0017). What the posting books:
 * - one journal entry dated the opening date: 食堂专户 (bank), 营养改善计划专户 (subsidy_bank) and 库存现金 (cash)
 *   debited with their balances, each supplier's payable credited with what is owed, and 期初结余 (fund_opening)
 *   credited with the difference, so the fund's balance (monthclose-figures.ts fundBalanceBefore) starts from it;
 * - each stock line as a lot with its cost, by an 'in' movement on the opening date (no journal posting: the journal
 *   books food when it is bought, and on the consumed basis the fund counts the stock's value from the stock ledger);
 * - pupils' prepayments and arrears as the opening's own record (备查), not in the journal: fees are booked as income
 *   when collected (cash basis), so a prepayment is already inside the bank balance the school carried forward, and
 *   an arrear becomes income when it is paid — booking either again would count it twice.
 * The opening is dated the last day of a month, so the next month's 一、上月累计结余 is the opening (fund + stock on
 * the consumed basis); the year to date and the surplus period start after it (rangeFigures).
 */

type Keys = 'opening.get' | 'opening.save' | 'opening.submit' | 'opening.withdraw' | 'opening.approve' | 'opening.importPreview';

interface OpeningRow {
  id: string;
  opening_date: string;
  status: OpeningStatus;
  bank_fen: number;
  subsidy_bank_fen: number;
  cash_fen: number;
  note: string;
  created_by: string;
  updated_at: string;
  submitted_at: string | null;
  submitted_by: string | null;
  approved_at: string | null;
  approved_by: string | null;
  entry_id: string | null;
}

interface LineRow {
  line_no: number;
  kind: OpeningLineKind;
  ingredient_id: string | null;
  ingredient_name: string | null;
  unit: string | null;
  qty_milli: number | null;
  expiry_date: string | null;
  storage_class: StorageClass | null;
  lot_id: string | null;
  student_id: string | null;
  student_no: string | null;
  student_name: string | null;
  class_name: string | null;
  supplier_id: string | null;
  supplier_name: string | null;
  amount_fen: number;
  note: string;
  lot_exists: number;
}

const row = (ctx: Ctx): OpeningRow | undefined => ctx.db.prepare('SELECT * FROM openings WHERE singleton = 1').get() as OpeningRow | undefined;

/** The posted opening's date, or null (the month's figures read it: ledger/month-figures.ts). */
export { postedOpeningDate };

/** Why no opening may be posted any more (a month has been closed), or null. */
function closedNote(ctx: Ctx): string | null {
  const r = ctx.db.prepare(`SELECT min(month) AS m FROM month_close_events WHERE kind = 'close'`).get() as { m: string | null };
  const p = ctx.db.prepare('SELECT min(period) AS m FROM closed_periods').get() as { m: string | null };
  const m = r.m ?? p.m;
  return m ? `${monthWords(m)}已经月结过，期初建账须在第一次月结之前完成，现在不能再建账或修改期初` : null;
}

function toView(ctx: Ctx, r: OpeningRow): OpeningView {
  const lines = ctx.db
    .prepare(
      `SELECT l.*, i.name AS ingredient_name, i.unit, s.student_no, s.name AS student_name, s.class_name, p.name AS supplier_name,
         (l.lot_id IS NOT NULL AND EXISTS (SELECT 1 FROM stock_lots k WHERE k.id = l.lot_id)) AS lot_exists
       FROM opening_lines l LEFT JOIN ingredients i ON i.id = l.ingredient_id LEFT JOIN students s ON s.id = l.student_id
         LEFT JOIN suppliers p ON p.id = l.supplier_id
       WHERE l.opening_id = ? ORDER BY l.line_no`,
    )
    .all(r.id) as LineRow[];
  const views: OpeningLineView[] = lines.map((l) => ({
    lineNo: l.line_no,
    kind: l.kind,
    ingredientId: l.ingredient_id,
    ingredientName: l.ingredient_name,
    unit: l.unit,
    qtyMilli: l.qty_milli,
    expiryDate: l.expiry_date,
    storageClass: l.storage_class,
    lotId: l.lot_exists ? l.lot_id : null,
    studentId: l.student_id,
    studentNo: l.student_no,
    studentName: l.student_name,
    className: l.class_name,
    supplierId: l.supplier_id,
    supplierName: l.supplier_name,
    amountFen: l.amount_fen,
    note: l.note,
  }));
  const sum = (k: OpeningLineKind) => lines.filter((l) => l.kind === k).reduce((s, l) => s + l.amount_fen, 0);
  const fundFen = r.bank_fen + r.subsidy_bank_fen + r.cash_fen - sum('payable');
  return {
    id: r.id,
    date: r.opening_date,
    status: r.status,
    bankFen: r.bank_fen,
    subsidyBankFen: r.subsidy_bank_fen,
    cashFen: r.cash_fen,
    note: r.note,
    lines: views,
    totals: {
      stockFen: sum('stock'),
      prepaidFen: sum('prepaid'),
      arrearsFen: sum('arrears'),
      payableFen: sum('payable'),
      fundFen,
      previousBalanceFen: fundFen + (profileFor(ctx, r.opening_date).usesStoreroom ? sum('stock') : 0),
    },
    createdByName: userName(ctx, r.created_by),
    updatedAt: r.updated_at,
    submittedByName: r.submitted_by ? userName(ctx, r.submitted_by) : null,
    submittedAt: r.submitted_at,
    approvedByName: r.approved_by ? userName(ctx, r.approved_by) : null,
    approvedAt: r.approved_at,
    entryId: r.entry_id,
  };
}

/** The opening's rows for its audit entry (verify compares the tables with them). */
const snapshots = (ctx: Ctx, id: string) => [groupRows(ctx, 'openings', 'id', id), groupRows(ctx, 'opening_lines', 'opening_id', id)];

function assertNotClosed(ctx: Ctx): void {
  const why = closedNote(ctx);
  if (why) throw new ApiError('RULE', why);
}

/**
 * Nothing may be booked on or before the opening date already: the opening is where the books start. The journal
 * and the stock ledger hold every dated movement, so their date indexes answer.
 */
function assertBeforeEverything(ctx: Ctx, date: string, cashFen: number): void {
  const e = ctx.db.prepare(`SELECT min(entry_date) AS d FROM journal_entries WHERE entry_date <= ? AND source_type <> 'opening'`).get(date) as { d: string | null };
  const m = ctx.db.prepare('SELECT min(move_date) AS d FROM stock_movements WHERE move_date <= ?').get(date) as { d: string | null };
  const first = [e.d, m.d].filter((x): x is string => x !== null).sort()[0];
  if (first) throw new ApiError('RULE', `账本中 ${first} 已有业务记录，期初日期 ${date} 须早于所有业务：请把期初日期定在第一笔业务之前的月末`);
  if (cashFen > 0) {
    const c = ctx.db.prepare('SELECT min(day) AS d FROM cash_clearings').get() as { d: string | null };
    if (c.d) throw new ApiError('RULE', `${c.d} 已做现金日清，期初库存现金会改变已日清的账面余额；期初建账须在第一次日清之前完成`);
  }
}

function assertMonthEnd(date: string): void {
  if (date !== lastDayOfMonth(date.slice(0, 7))) {
    throw new ApiError('VALIDATION', `期初日期应为月末（开始记账月份的上月最后一天），如 ${lastDayOfMonth(previousMonth(date.slice(0, 7)))} 或 ${lastDayOfMonth(date.slice(0, 7))}`, [
      { path: 'date', message: '期初日期应为月末' },
    ]);
  }
}

/** Every line's ingredient, pupil or supplier must exist (named by line, so the form can point to it). */
function checkLines(ctx: Ctx, lines: OpeningLineInput[], usesStoreroom: boolean): void {
  lines.forEach((l, i) => {
    const at = `第 ${i + 1} 行`;
    const bad = (msg: string, field: string) => {
      throw new ApiError('VALIDATION', `期初明细${at}：${msg}`, [{ path: `lines.${i}.${field}`, message: msg }]);
    };
    if (l.kind === 'stock') {
      if (!usesStoreroom) bad('本校区域配置不使用库房（按验收入库金额计支出），期初不录库存', 'kind');
      if (!ctx.db.prepare('SELECT 1 FROM ingredients WHERE id = ?').get(l.ingredientId)) bad('找不到该食材', 'ingredientId');
    } else if (l.kind === 'payable') {
      if (!ctx.db.prepare('SELECT 1 FROM suppliers WHERE id = ?').get(l.supplierId)) bad('找不到该供应商', 'supplierId');
    } else if (!ctx.db.prepare('SELECT 1 FROM students WHERE id = ?').get(l.studentId)) bad('找不到该学生', 'studentId');
  });
}

/** Unit cost per unit from the lot's amount, half up to the fen (the lot keeps the amount as entered). */
const unitCost = (amountFen: number, qtyMilli: number): number => Number((BigInt(amountFen) * 2000n + BigInt(qtyMilli)) / (2n * BigInt(qtyMilli)));

function approve(ctx: Ctx): OpeningView {
  const user = currentUser(ctx);
  const r = row(ctx);
  if (!r) throw new ApiError('NOT_FOUND', '还没有期初建账');
  assertStatus(docOf('openings', r), ['submitted'], 'approve');
  // Segregation of duties: whoever submitted the opening does not approve it, whatever roles they hold.
  if (r.submitted_by === user.userId) throw new ApiError('RULE', '不相容岗位分离：提交期初建账的人不能审核自己提交的期初，请由另一位审核人审核');
  assertNotClosed(ctx);
  assertBeforeEverything(ctx, r.opening_date, r.cash_fen);
  const date = r.opening_date;
  const lines = ctx.db.prepare('SELECT * FROM opening_lines WHERE opening_id = ? ORDER BY line_no').all(r.id) as LineRow[];
  const stock = lines.filter((l) => l.kind === 'stock');
  if (stock.length) {
    if (!profileFor(ctx, date).usesStoreroom) throw new ApiError('RULE', '本校区域配置不使用库房，期初不能录库存：请退回草稿删去库存行');
    assertNotCounted(ctx, date);
  }
  const at = ctx.now().toISOString();
  const insLot = ctx.db.prepare(
    `INSERT INTO stock_lots (id, origin, ingredient_id, delivery_id, line_no, received_on, in_milli, in_value_fen, unit_price_fen, expiry_date, storage_class, direct, created_at, created_by)
     VALUES (?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  for (const l of stock) {
    insLot.run(l.lot_id, ctx.installationId, l.ingredient_id, date, l.qty_milli, l.amount_fen, unitCost(l.amount_fen, l.qty_milli!), l.expiry_date, l.storage_class, at, user.userId);
    insertMovement(ctx, { lotId: l.lot_id!, kind: 'in', date, qtyMilli: l.qty_milli!, valueFen: l.amount_fen, note: `期初库存（期初明细第 ${l.line_no} 行）` });
  }
  const postings: { account: string; amountFen: number }[] = [
    { account: 'bank', amountFen: r.bank_fen },
    { account: 'subsidy_bank', amountFen: r.subsidy_bank_fen },
    { account: 'cash', amountFen: r.cash_fen },
  ];
  for (const l of lines.filter((x) => x.kind === 'payable')) {
    const s = ctx.db.prepare('SELECT name FROM suppliers WHERE id = ?').get(l.supplier_id) as { name: string };
    postings.push({ account: ensurePayableAccount(ctx, l.supplier_id!, s.name), amountFen: -l.amount_fen });
  }
  const fund = postings.reduce((s, p) => s + p.amountFen, 0);
  postings.push({ account: 'fund_opening', amountFen: -fund });
  const entryId = postEntry(ctx, { date, memo: `期初建账（${date}）`, sourceType: 'opening', sourceId: r.id, postings });
  ctx.db
    .prepare(`UPDATE openings SET status = 'posted', approved_at = ?, approved_by = ?, entry_id = ? WHERE id = ?`)
    .run(at, user.userId, entryId === '' ? null : entryId, r.id);
  const v = toView(ctx, row(ctx)!);
  audit(
    ctx,
    'approve',
    'opening',
    r.id,
    { status: 'submitted' },
    withRows(
      { status: 'posted', date, entryId: v.entryId, totals: v.totals },
      ...snapshots(ctx, r.id),
      rowsWhere(ctx, 'stock_lots', 'id IN (SELECT lot_id FROM opening_lines WHERE opening_id = ? AND lot_id IS NOT NULL)', r.id),
      rowsWhere(ctx, 'stock_movements', 'lot_id IN (SELECT lot_id FROM opening_lines WHERE opening_id = ? AND lot_id IS NOT NULL)', r.id),
    ),
  );
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// .xlsx import: rows checked one by one and shown; the accountant adds the good ones to the draft and saves it.

const STOCK_SYNONYMS = {
  name: ['品名', '食材', '食材名称', '名称', '物品名称'],
  spec: ['规格'],
  qty: ['数量', '库存数量', '结存数量', '期初数量'],
  amount: ['金额', '库存金额', '结存金额', '期初金额', '成本'],
  unitPrice: ['单价', '成本单价'],
  expiry: ['保质期至', '到期日', '有效期至', '保质期'],
  storage: ['储存方式', '储存', '存放方式', '储存条件'],
  note: ['备注'],
};
const PUPIL_SYNONYMS = {
  studentNo: ['学号', '学籍号', '编号', '学生编号'],
  name: ['姓名', '学生姓名'],
  prepaid: ['预交', '预交金额', '预收', '预交伙食费'],
  arrears: ['欠费', '欠费金额', '欠交', '欠交伙食费'],
  note: ['备注'],
};

const STORAGE_WORDS: Record<string, StorageClass> = { 冷冻: 'frozen', 冷藏: 'chilled', 常温: 'ambient', 干货: 'ambient', frozen: 'frozen', chilled: 'chilled', ambient: 'ambient' };

function readDate(s: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s.trim());
  if (!m) return null;
  const d = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  const t = new Date(`${d}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== d ? null : d;
}

/**
 * Reads an opening file into lines for the draft (nothing is written: the draft is saved by opening.save). Reported
 * as an import (issue 19): reading the file, then its rows checked a hundred at a time; 取消 stops it at any report.
 */
function importPreview(ctx: Ctx, kind: 'stock' | 'pupils', dataBase64: string): Promise<OpeningImportPreview> {
  return withOperation(ctx, 'import', { cancellable: true, label: kind === 'stock' ? '导入期初库存' : '导入学生期初余额' }, (run) => readOpeningFile(ctx, kind, dataBase64, run.report));
}

async function readOpeningFile(ctx: Ctx, kind: 'stock' | 'pupils', dataBase64: string, report: ProgressReporter): Promise<OpeningImportPreview> {
  const synonyms = kind === 'stock' ? STOCK_SYNONYMS : PUPIL_SYNONYMS;
  report('读取文件', 0, 0);
  const sheet = await readSheet(dataBase64, Object.values(synonyms).flat());
  const map = guessMapping(sheet.headers, synonyms as Record<string, string[]>);
  const required = kind === 'stock' ? ['name', 'qty'] : ['studentNo'];
  const missing = required.filter((f) => map[f] === null);
  if (kind === 'stock' && map.amount === null && map.unitPrice === null) missing.push('amount');
  if (kind === 'pupils' && map.prepaid === null && map.arrears === null) missing.push('prepaid');
  const LABELS: Record<string, string> = { name: '品名', qty: '数量', amount: '金额（或单价）', studentNo: '学号', prepaid: '预交或欠费' };
  const seen = new Map<string, number>();
  const rows: OpeningImportRow[] = await mapReporting(
    sheet.rows,
    ({ line, cells }) => {
      const get = (f: string) => (map[f] === null || map[f] === undefined ? '' : (cells[map[f]!] ?? '').trim());
      if (missing.length) return { line, label: cells.join(' '), errors: [`未找到列：${missing.map((f) => LABELS[f]).join('、')}`], input: null };
      return kind === 'stock' ? stockRow(ctx, line, get, seen) : pupilRow(ctx, line, get, seen);
    },
    report,
  );
  report('检查数据', rows.length, rows.length);
  const errorCount = rows.filter((r) => r.errors.length).length;
  return { sheetName: sheet.sheetName, headers: sheet.headers, rows, okCount: rows.length - errorCount, errorCount };
}

function stockRow(ctx: Ctx, line: number, get: (f: string) => string, _seen: Map<string, number>): OpeningImportRow {
  const errors: string[] = [];
  const name = get('name');
  const spec = get('spec');
  const label = `${name}${spec ? `（${spec}）` : ''} ${get('qty')}`;
  let ingredientId: string | null = null;
  if (!name) errors.push('品名为空');
  else {
    const found = (spec
      ? ctx.db.prepare('SELECT id, unit FROM ingredients WHERE name = ? AND spec = ? AND disabled = 0').all(name, spec)
      : ctx.db.prepare('SELECT id, unit FROM ingredients WHERE name = ? AND disabled = 0').all(name)) as { id: string; unit: string }[];
    if (found.length === 0) errors.push(`找不到食材「${name}${spec ? `（${spec}）` : ''}」，请先在食材中新增`);
    else if (found.length > 1) errors.push(`食材「${name}」有 ${found.length} 种规格，请填写规格`);
    else ingredientId = found[0].id;
  }
  const qtyMilli = parseQuantityToMilli(get('qty'));
  if (qtyMilli === null || qtyMilli <= 0) errors.push(`数量「${get('qty')}」应为大于零的数字（最多三位小数）`);
  let amountFen: number | null = null;
  if (get('amount') !== '') {
    amountFen = parseYuanToFen(get('amount'));
    if (amountFen === null) errors.push(`金额「${get('amount')}」应为以元为单位的数字（最多两位小数）`);
  } else if (get('unitPrice') !== '') {
    const price = parseYuanToFen(get('unitPrice'));
    if (price === null) errors.push(`单价「${get('unitPrice')}」应为以元为单位的数字（最多两位小数）`);
    else if (qtyMilli !== null) amountFen = Number((BigInt(qtyMilli) * BigInt(price) + 500n) / 1000n);
  } else errors.push('金额和单价都为空');
  let expiryDate: string | null = null;
  if (get('expiry') !== '') {
    expiryDate = readDate(get('expiry'));
    if (!expiryDate) errors.push(`保质期至「${get('expiry')}」不是有效日期（如 2027-03-31）`);
  }
  let storageClass: StorageClass = 'ambient';
  if (get('storage') !== '') {
    const s = STORAGE_WORDS[get('storage').replace(/\s/g, '')];
    if (!s) errors.push(`储存方式「${get('storage')}」应为 冷冻、冷藏 或 常温`);
    else storageClass = s;
  }
  const note = get('note').slice(0, 200);
  const ok = errors.length === 0 && ingredientId !== null && qtyMilli !== null && amountFen !== null;
  return { line, label, errors, input: ok ? { kind: 'stock', ingredientId: ingredientId!, qtyMilli: qtyMilli!, amountFen: amountFen!, expiryDate, storageClass, note } : null };
}

function pupilRow(ctx: Ctx, line: number, get: (f: string) => string, seen: Map<string, number>): OpeningImportRow {
  const errors: string[] = [];
  const no = get('studentNo');
  const name = get('name');
  const label = `${no} ${name}`.trim();
  let studentId: string | null = null;
  if (!no) errors.push('学号为空');
  else {
    const s = ctx.db.prepare('SELECT id, name FROM students WHERE student_no = ?').get(no) as { id: string; name: string } | undefined;
    if (!s) errors.push(`找不到学号 ${no} 的学生，请先导入花名册`);
    else if (name && s.name !== name) errors.push(`学号 ${no} 是「${s.name}」，与表中姓名「${name}」不符`);
    else studentId = s.id;
    const first = seen.get(no);
    if (first !== undefined) errors.push(`学号 ${no} 与第 ${first} 行重复`);
    else seen.set(no, line);
  }
  const amount = (f: string): number | null | 'bad' => {
    const t = get(f);
    if (t === '' || t === '0' || t === '0.00') return null;
    const v = parseYuanToFen(t);
    return v === null ? 'bad' : v === 0 ? null : v;
  };
  const prepaid = amount('prepaid');
  const arrears = amount('arrears');
  if (prepaid === 'bad') errors.push(`预交「${get('prepaid')}」应为以元为单位的数字（最多两位小数）`);
  if (arrears === 'bad') errors.push(`欠费「${get('arrears')}」应为以元为单位的数字（最多两位小数）`);
  if (prepaid !== 'bad' && arrears !== 'bad') {
    if (prepaid !== null && arrears !== null) errors.push('同一学生不能既有预交又有欠费，请填差额');
    if (prepaid === null && arrears === null) errors.push('预交和欠费都为空');
  }
  const note = get('note').slice(0, 200);
  if (errors.length || studentId === null) return { line, label, errors, input: null };
  const k = prepaid !== null ? 'prepaid' : 'arrears';
  return { line, label, errors, input: { kind: k, studentId, amountFen: (prepaid ?? arrears) as number, note } };
}

export const openingHandlers: Handlers<Keys> = {
  'opening.get': (ctx): OpeningState => {
    const r = row(ctx);
    return {
      opening: r ? toView(ctx, r) : null,
      suggestedDate: lastDayOfMonth(previousMonth(chinaDate(ctx.now()).slice(0, 7))),
      usesStoreroom: profileOf(ctx).usesStoreroom,
      closedNote: r?.status === 'posted' ? null : closedNote(ctx),
    };
  },
  'opening.save': (ctx, input) => {
    const user = currentUser(ctx);
    assertNotClosed(ctx);
    assertMonthEnd(input.date);
    const existing = row(ctx);
    if (existing) assertStatus(docOf('openings', existing), ['draft'], 'save', { submitted: '如需修改请先退回草稿' });
    checkLines(ctx, input.lines, profileFor(ctx, input.date).usesStoreroom);
    assertBeforeEverything(ctx, input.date, input.cashFen);
    const at = ctx.now().toISOString();
    const id = existing?.id ?? uuidv7(ctx.now().getTime());
    if (existing) {
      ctx.db.prepare('DELETE FROM opening_lines WHERE opening_id = ?').run(id);
      ctx.db
        .prepare(`UPDATE openings SET opening_date = ?, bank_fen = ?, subsidy_bank_fen = ?, cash_fen = ?, note = ?, updated_at = ?, updated_by = ? WHERE id = ?`)
        .run(input.date, input.bankFen, input.subsidyBankFen, input.cashFen, input.note, at, user.userId, id);
    } else {
      ctx.db
        .prepare(
          `INSERT INTO openings (id, origin, opening_date, status, bank_fen, subsidy_bank_fen, cash_fen, note, created_at, created_by, updated_at, updated_by)
           VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, ctx.installationId, input.date, input.bankFen, input.subsidyBankFen, input.cashFen, input.note, at, user.userId, at, user.userId);
    }
    const ins = ctx.db.prepare(
      `INSERT INTO opening_lines (opening_id, line_no, kind, ingredient_id, qty_milli, expiry_date, storage_class, lot_id, student_id, supplier_id, amount_fen, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    input.lines.forEach((l, i) => {
      if (l.kind === 'stock') ins.run(id, i + 1, 'stock', l.ingredientId, l.qtyMilli, l.expiryDate, l.storageClass, uuidv7(ctx.now().getTime()), null, null, l.amountFen, l.note);
      else if (l.kind === 'payable') ins.run(id, i + 1, 'payable', null, null, null, null, null, null, l.supplierId, l.amountFen, l.note);
      else ins.run(id, i + 1, l.kind, null, null, null, null, null, l.studentId, null, l.amountFen, l.note);
    });
    const v = toView(ctx, row(ctx)!);
    audit(ctx, existing ? 'update' : 'create', 'opening', id, existing ? { status: 'draft' } : null, withRows({ status: 'draft', date: v.date, totals: v.totals }, ...snapshots(ctx, id)));
    return v;
  },
  'opening.submit': (ctx) => {
    const user = currentUser(ctx);
    const r = row(ctx);
    if (!r) throw new ApiError('NOT_FOUND', '还没有期初建账草稿');
    assertStatus(docOf('openings', r), ['draft'], 'submit');
    assertNotClosed(ctx);
    const lines = (ctx.db.prepare('SELECT count(*) AS n FROM opening_lines WHERE opening_id = ?').get(r.id) as { n: number }).n;
    if (lines === 0 && r.bank_fen + r.subsidy_bank_fen + r.cash_fen === 0) throw new ApiError('RULE', '期初建账没有任何数额：请填写各账户余额或期初明细');
    ctx.db.prepare(`UPDATE openings SET status = 'submitted', submitted_at = ?, submitted_by = ? WHERE id = ?`).run(ctx.now().toISOString(), user.userId, r.id);
    audit(ctx, 'submit', 'opening', r.id, { status: 'draft' }, withRows({ status: 'submitted' }, ...snapshots(ctx, r.id)));
    return toView(ctx, row(ctx)!);
  },
  'opening.withdraw': (ctx, { reason }) => {
    const r = row(ctx);
    if (!r) throw new ApiError('NOT_FOUND', '还没有期初建账');
    assertStatus(docOf('openings', r), ['submitted'], 'withdraw');
    ctx.db.prepare(`UPDATE openings SET status = 'draft', submitted_at = NULL, submitted_by = NULL WHERE id = ?`).run(r.id);
    audit(ctx, 'withdraw', 'opening', r.id, { status: 'submitted' }, withRows({ status: 'draft', reason }, ...snapshots(ctx, r.id)));
    return toView(ctx, row(ctx)!);
  },
  'opening.approve': (ctx) => approve(ctx),
  'opening.importPreview': (ctx, { kind, dataBase64 }) => importPreview(ctx, kind, dataBase64),
};

/** 说明 for the disclosure: where the year to date and the surplus period begin when the books opened this year. */
export function openingNote(openingDate: string | null, month: string): string | null {
  if (!openingDate || openingDate.slice(0, 4) !== month.slice(0, 4) && openingDate.slice(0, 7) !== `${Number(month.slice(0, 4)) - 1}-12`) return null;
  if (openingDate.slice(0, 7) >= month) return null;
  return `本账自 ${openingDate} 期初建账：期初结余计入上月累计结余，不计入收入和结余；本年累计和结余率考核期从建账次月起计算。`;
}
