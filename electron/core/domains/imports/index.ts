import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import type { ParsedInputOf } from '../../../../shared/api/contract.ts';
import {
  IMPORT_FIELDS,
  IMPORT_KIND_LABELS,
  MAX_IMPORT_ROWS,
  type ImportField,
  type ImportKind,
  type ImportPreview,
  type ImportRow,
  type ImportRowError,
  type importsApi,
} from '../../../../shared/api/imports.ts';
import { masterdataApi } from '../../../../shared/api/masterdata.ts';
import { CATEGORIES, CATEGORY_LABELS, CERT_KINDS, CERT_LABELS, LICENCE_KINDS, LICENCE_LABELS, SUPPLIER_KINDS, SUPPLIER_KIND_LABELS, type Category, type CertKind, type LicenceKind, type SupplierKind } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { isRealDate } from '../../../../shared/api/fields.ts';
import { parseYuanToFen } from '../../../../shared/format.ts';
import { audit } from '../../ledger/audit.ts';
import { startOperation, withOperation, type ProgressReporter } from '../../ledger/progress.ts';
import type { Ctx } from '../../context.ts';
import { prepared, type Handlers } from '../../handlers.ts';
import { makeCreditCode } from '../../demo/credit-code.ts';
import { cellText, readSheet, type Cell, type RawSheet } from '../../xlsx/read.ts';
import { createIngredient, createSupplier } from '../masterdata/index.ts';

type SupplierDraft = ParsedInputOf<(typeof masterdataApi)['suppliers.create']>;
type IngredientDraft = ParsedInputOf<(typeof masterdataApi)['ingredients.create']>;

// ---------------------------------------------------------------------------------------------------------------
// Reading the file

/** A cell as read, reduced to what the converters need. */
// ---------------------------------------------------------------------------------------------------------------
// Headers and the column mapping

/** Compares header texts the way people write them: no spaces, one kind of bracket, no "*" required marks. */
export function normHeader(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s*＊:：]/g, '')
    .replace(/[（【[]/g, '(')
    .replace(/[）】\]]/g, ')')
    .toLowerCase();
}

/** Exact matches win; then a header that starts with a known name ("参考价(元/千克)"); a column serves one field. */
export function suggestMapping(fields: ImportField[], columns: { index: number; header: string }[]): Record<string, number | null> {
  const out: Record<string, number | null> = Object.fromEntries(fields.map((f) => [f.key, null]));
  const used = new Set<number>();
  for (const exact of [true, false]) {
    for (const f of fields) {
      if (out[f.key] !== null) continue;
      const names = [f.label, ...f.headers].map(normHeader);
      const col = columns.find((c) => {
        if (used.has(c.index)) return false;
        const h = normHeader(c.header);
        return exact ? names.includes(h) : names.some((n) => n.length >= 2 && h.startsWith(n));
      });
      if (col) {
        out[f.key] = col.index;
        used.add(col.index);
      }
    }
  }
  return out;
}

/**
 * The header is the row among the first ten that names the most known columns (a title row may sit above it); when
 * none names any, the first of the widest rows, since a title is narrower than the table under it.
 */
function findHeaderRow(sheet: RawSheet, fields: ImportField[]): number {
  const head = sheet.rows.slice(0, 10).map((r) => {
    const columns = r.cells.map((c, k) => ({ index: k + 1, header: cellText(c) })).filter((c) => c.header);
    return { width: columns.length, score: Object.values(suggestMapping(fields, columns)).filter((v) => v !== null).length };
  });
  const bestScore = Math.max(0, ...head.map((h) => h.score));
  if (bestScore > 0) return head.findIndex((h) => h.score === bestScore);
  const widest = Math.max(0, ...head.map((h) => h.width));
  return Math.max(0, head.findIndex((h) => h.width === widest));
}

// ---------------------------------------------------------------------------------------------------------------
// Cell converters: Chinese words to codes, with a message naming what may be written

type Conv<T> = { ok: true; value: T } | { ok: false; message: string };

function fromLabels<T extends string>(text: string, codes: readonly T[], labels: Record<T, string>, aliases: [RegExp, T][]): T | null {
  const n = normHeader(text);
  for (const c of codes) if (n === c || n === normHeader(labels[c])) return c;
  for (const [re, c] of aliases) if (re.test(n)) return c;
  return null;
}

const CATEGORY_ALIASES: [RegExp, Category][] = [
  [/^(粮|米面|粮食|粮油类|主食)/, 'grain'],
  [/^(肉|禽|蛋|畜)/, 'meat'],
  [/^(水产|鱼|海产|海鲜)/, 'aquatic'],
  [/^(蔬|菜|果|水果|蔬果)/, 'vegetable'],
  [/^(奶|乳)/, 'dairy'],
  [/^(豆)/, 'soy'],
  [/^(调|佐料|作料)/, 'seasoning'],
  [/^(其他|其它)/, 'other'],
];
const SUPPLIER_KIND_ALIASES: [RegExp, SupplierKind][] = [
  [/生产|厂/, 'producer'],
  [/配送|经销|批发|贸易/, 'distributor'],
  [/合作社|基地|农场|种植|养殖/, 'farm'],
  [/市场|农贸|个体|摊/, 'market'],
  [/其他|其它/, 'other'],
];
const LICENCE_ALIASES: [RegExp, LicenceKind][] = [
  [/营业执照/, 'business'],
  [/经营/, 'food_business'],
  [/生产/, 'food_production'],
];
const CERT_ALIASES: [RegExp, CertKind][] = [
  [/动物检疫|检疫合格|^检疫/, 'animal_quarantine'],
  [/肉品|品质|肉检|瘦肉精/, 'meat_quality'],
  [/入境|进口|海关|检验检疫/, 'import_inspection'],
  [/检测|检验报告|报告/, 'test_report'],
];

function parseBool(c: Cell, label: string): Conv<boolean> {
  if (c.t === 'bool') return { ok: true, value: c.value };
  const s = cellText(c).toLowerCase();
  if (['', '否', '不', 'n', 'no', 'false', '0', '×', '✗', '-', '无'].includes(s)) return { ok: true, value: false };
  if (['是', 'y', 'yes', 'true', '1', '√', '✓', '✔', '禁用', '禁止', '可'].includes(s)) return { ok: true, value: true };
  return { ok: false, message: `${label}“${cellText(c)}”应填“是”或“否”` };
}

function parseCerts(c: Cell): Conv<CertKind[]> {
  const s = cellText(c);
  if (s === '' || /^(无|否|不需要|不需|—|-)$/.test(s)) return { ok: true, value: [] };
  const out: CertKind[] = [];
  for (const part of s.split(/[,，、;；/\n]+/).map((p) => p.trim()).filter(Boolean)) {
    const k = fromLabels(part, CERT_KINDS, CERT_LABELS, CERT_ALIASES);
    if (!k) return { ok: false, message: `需索证“${part}”无法识别，可填：${CERT_KINDS.map((k) => CERT_LABELS[k]).join('、')}` };
    if (!out.includes(k)) out.push(k);
  }
  return { ok: true, value: out };
}

function parseMoney(c: Cell, label: string): Conv<number | null> {
  const s = cellText(c).replace(/^[¥￥]/, '').replace(/元$/, '').replace(/\s+/g, '');
  if (s === '') return { ok: true, value: null };
  const fen = parseYuanToFen(s);
  if (fen === null) return { ok: false, message: `${label}“${cellText(c)}”应为金额（元），最多两位小数` };
  return { ok: true, value: fen };
}

/** Excel dates (exceljs Dates, or serial numbers in an unformatted cell) and typed dates: 2027-3-31, 2027/3/31, 2027年3月31日. */
function parseDate(c: Cell, label: string): Conv<string | null> {
  if (c.t === 'date') return { ok: true, value: c.iso };
  if (c.t === 'number' && Number.isInteger(c.value) && c.value > 36_000 && c.value < 73_100) {
    return { ok: true, value: new Date(Date.UTC(1899, 11, 30) + c.value * 86_400_000).toISOString().slice(0, 10) };
  }
  const s = cellText(c);
  if (/^(长期|长期有效|永久|永久有效|无期限)$/.test(s)) return { ok: true, value: null };
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const iso = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
    if (isRealDate(iso)) return { ok: true, value: iso };
  }
  return { ok: false, message: `${label}“${s}”不是有效日期（例如 2027-06-30；长期有效填“长期”）` };
}

// ---------------------------------------------------------------------------------------------------------------
// Building one row's input and checking it with the create method's own schema

interface Built {
  draft: Record<string, unknown>;
  errors: ImportRowError[];
}

function buildSupplier(get: (key: string) => Cell): Built {
  const errors: ImportRowError[] = [];
  const text = (k: string) => cellText(get(k));
  const draft: Record<string, unknown> = {
    name: text('name'),
    creditCode: text('creditCode'),
    address: text('address'),
    contactPerson: text('contactPerson'),
    phone: text('phone'),
  };
  if (text('kind')) {
    const k = fromLabels(text('kind'), SUPPLIER_KINDS, SUPPLIER_KIND_LABELS, SUPPLIER_KIND_ALIASES);
    if (k) draft.kind = k;
    else errors.push({ field: 'kind', message: `供应商类型“${text('kind')}”无法识别，可填：${SUPPLIER_KINDS.map((k) => SUPPLIER_KIND_LABELS[k]).join('、')}` });
  }
  const number = text('licenceNumber');
  if (!number) {
    if (text('licenceExpiresOn') || text('licenceKind')) errors.push({ field: 'licenceNumber', message: '填写了许可证类型或有效期，但缺少许可证号' });
    draft.licences = [];
  } else {
    let kind: LicenceKind = /^SC/i.test(number) ? 'food_production' : 'food_business';
    if (text('licenceKind')) {
      const k = fromLabels(text('licenceKind'), LICENCE_KINDS, LICENCE_LABELS, LICENCE_ALIASES);
      if (k) kind = k;
      else errors.push({ field: 'licenceKind', message: `许可证类型“${text('licenceKind')}”无法识别，可填：${LICENCE_KINDS.map((k) => LICENCE_LABELS[k]).join('、')}` });
    }
    let expiresOn: string | null = null;
    if (!text('licenceExpiresOn')) errors.push({ field: 'licenceExpiresOn', message: '请填写许可证有效期至（长期有效的填“长期”）' });
    else {
      const d = parseDate(get('licenceExpiresOn'), '有效期至');
      if (d.ok) expiresOn = d.value;
      else errors.push({ field: 'licenceExpiresOn', message: d.message });
    }
    draft.licences = [{ kind, number, expiresOn }];
  }
  return { draft, errors };
}

function buildIngredient(get: (key: string) => Cell): Built {
  const errors: ImportRowError[] = [];
  const text = (k: string) => cellText(get(k));
  const draft: Record<string, unknown> = { name: text('name'), unit: text('unit'), spec: text('spec') };
  if (!text('category')) errors.push({ field: 'category', message: '请填写类别' });
  else {
    const c = fromLabels(text('category'), CATEGORIES, CATEGORY_LABELS, CATEGORY_ALIASES);
    if (c) draft.category = c;
    else errors.push({ field: 'category', message: `类别“${text('category')}”无法识别，可填：${CATEGORIES.map((c) => CATEGORY_LABELS[c]).join('、')}` });
  }
  const price = parseMoney(get('refPrice'), '参考价');
  if (price.ok) draft.refPriceFen = price.value;
  else errors.push({ field: 'refPrice', message: price.message });
  const certs = parseCerts(get('requiredCerts'));
  if (certs.ok) draft.requiredCerts = certs.value;
  else errors.push({ field: 'requiredCerts', message: certs.message });
  for (const [key, label] of [['banned', '禁用'], ['storable', '可储存']] as const) {
    const b = parseBool(get(key), label);
    if (b.ok) draft[key] = b.value;
    else errors.push({ field: key, message: b.message });
  }
  return { draft, errors };
}

/** A schema issue's path, named by the sheet's field (licences.0.number → licenceNumber, refPriceFen → refPrice). */
function fieldOfPath(kind: ImportKind, path: PropertyKey[]): string | null {
  const [first, , inner] = path.map(String);
  if (kind === 'suppliers' && first === 'licences') return inner === 'expiresOn' ? 'licenceExpiresOn' : inner === 'kind' ? 'licenceKind' : 'licenceNumber';
  if (kind === 'ingredients' && first === 'refPriceFen') return 'refPrice';
  return first ?? null;
}

// ---------------------------------------------------------------------------------------------------------------
// The preview: used by import.preview, and again inside import.commit's transaction

function analyse(ctx: Ctx, kind: ImportKind, sheet: RawSheet, override: Record<string, number | null> | undefined): ImportPreview {
  const steps = analyseSteps(ctx, kind, sheet, override);
  for (;;) {
    const s = steps.next();
    if (s.done) return s.value;
  }
}

/** Rows checked between two progress reports (and two turns of the event loop, when checked before the transaction). */
const CHECK_CHUNK = 100;

/**
 * The check of every row, pausing after each CHECK_CHUNK rows with how far it is (issue 19): the commit runs it once
 * before the transaction, giving the event loop a turn at each pause so the window's progress poll is answered and a
 * cancel can stop it, and once more inside the transaction straight through (analyse), where the rows are written.
 */
function* analyseSteps(ctx: Ctx, kind: ImportKind, sheet: RawSheet, override: Record<string, number | null> | undefined): Generator<{ done: number; total: number }, ImportPreview> {
  const fields = IMPORT_FIELDS[kind];
  const headerIdx = sheet.rows.length ? findHeaderRow(sheet, fields) : 0;
  const headerRow = sheet.rows[headerIdx];
  const columns = headerRow ? headerRow.cells.map((c, k) => ({ index: k + 1, header: cellText(c) })).filter((c) => c.header) : [];
  const suggestedMapping = suggestMapping(fields, columns);
  const mapping = { ...suggestedMapping };
  const fileErrors: string[] = [];
  const width = headerRow?.cells.length ?? 0;
  for (const [key, col] of Object.entries(override ?? {})) {
    const f = fields.find((x) => x.key === key);
    if (!f) throw new ApiError('VALIDATION', `${IMPORT_KIND_LABELS[kind]}导入没有“${key}”这一项，可用：${fields.map((x) => `${x.key}（${x.label}）`).join('、')}`);
    if (col !== null && col > Math.max(width, 1)) throw new ApiError('VALIDATION', `“${f.label}”对应的第 ${col} 列在表格中不存在`);
    mapping[key] = col;
  }
  const byColumn = new Map<number, string>();
  for (const f of fields) {
    const col = mapping[f.key];
    if (col === null) continue;
    const other = byColumn.get(col);
    if (other) throw new ApiError('VALIDATION', `第 ${col} 列同时对应了“${fields.find((x) => x.key === other)!.label}”和“${f.label}”`);
    byColumn.set(col, f.key);
  }
  const missing = fields.filter((f) => f.required && mapping[f.key] === null);
  if (!headerRow) fileErrors.push('表格是空的：没有找到表头和数据');
  else if (missing.length) fileErrors.push(`表格中找不到必填的列：${missing.map((f) => f.label).join('、')}（可在列对应中指定）`);
  const dataRows = sheet.rows.slice(headerIdx + 1);
  const dataCount = sheet.dataRowCount - headerIdx - 1;
  if (dataCount > MAX_IMPORT_ROWS) fileErrors.push(`表格有 ${dataCount} 行数据，超过一次 ${MAX_IMPORT_ROWS} 行的上限，请分批导入`);
  else if (headerRow && dataCount === 0) fileErrors.push('表格中只有表头，没有数据行');
  if (fileErrors.length) return { kind, sheetName: sheet.name, headerRow: headerRow?.row ?? 0, columns, fields, mapping, suggestedMapping, fileErrors, rows: [], okCount: 0, errorCount: 0 };

  const schema = kind === 'suppliers' ? masterdataApi['suppliers.create'].input : masterdataApi['ingredients.create'].input;
  const seen = new Map<string, number>();
  const db = lookups(ctx);
  const rows: ImportRow[] = [];
  let checked = 0;
  for (const { row, cells } of dataRows) {
    if (++checked % CHECK_CHUNK === 0) yield { done: checked, total: dataRows.length };
    const get = (key: string): Cell => {
      const col = mapping[key];
      return col ? (cells[col - 1] ?? { t: 'empty' }) : { t: 'empty' };
    };
    if (fields.every((f) => get(f.key).t === 'empty')) continue;
    const shown: Record<string, string> = {};
    for (const f of fields) if (mapping[f.key] !== null) shown[f.key] = cellText(get(f.key));
    const built = kind === 'suppliers' ? buildSupplier(get) : buildIngredient(get);
    const errors = [...built.errors];
    for (const f of fields) {
      const c = get(f.key);
      if (c.t === 'error') errors.push({ field: f.key, message: `${f.label}单元格是错误值 ${c.text}` });
    }
    const parsed = schema.safeParse(built.draft);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const field = fieldOfPath(kind, i.path);
        // A field the converter already explained is not reported twice.
        if (!errors.some((e) => e.field === field)) errors.push({ field, message: i.message });
      }
    }
    errors.push(...duplicates(db, kind, row, shown, seen));
    rows.push({ row, cells: shown, input: parsed.success && errors.length === 0 ? (parsed.data as ImportRow['input']) : null, errors });
  }
  const errorCount = rows.filter((r) => r.errors.length).length;
  return { kind, sheetName: sheet.name, headerRow: headerRow.row, columns, fields, mapping, suggestedMapping, fileErrors, rows, okCount: rows.length - errorCount, errorCount };
}

/** Duplicates within the file (against the first row that had the key) and against the ledger, worded like the form's. */
interface Lookups {
  supplierByName: { get(name: string): unknown };
  supplierByCode: { get(code: string): unknown };
  ingredientByNameSpec: { get(name: string, spec: string): unknown };
}

/** Statements prepared once per file, not once per row (a 5,000-row sheet). */
function lookups(ctx: Ctx): Lookups {
  return {
    supplierByName: ctx.db.prepare('SELECT 1 FROM suppliers WHERE name = ?'),
    supplierByCode: ctx.db.prepare('SELECT name FROM suppliers WHERE credit_code = ?'),
    ingredientByNameSpec: ctx.db.prepare('SELECT 1 FROM ingredients WHERE name = ? AND spec = ?'),
  };
}

function duplicates(db: Lookups, kind: ImportKind, row: number, shown: Record<string, string>, seen: Map<string, number>): ImportRowError[] {
  const out: ImportRowError[] = [];
  const within = (key: string, what: string) => {
    const first = seen.get(key);
    if (first !== undefined) out.push({ field: null, message: `${what}与第 ${first} 行重复` });
    else seen.set(key, row);
  };
  if (kind === 'suppliers') {
    const name = (shown.name ?? '').trim();
    const code = (shown.creditCode ?? '').trim().toUpperCase();
    if (name) {
      within(`n:${name}`, `供应商名称“${name}”`);
      if (db.supplierByName.get(name)) out.push({ field: 'name', message: `已有名为“${name}”的供应商` });
    }
    if (code) {
      within(`c:${code}`, `统一社会信用代码 ${code} `);
      const owner = db.supplierByCode.get(code) as { name: string } | undefined;
      if (owner) out.push({ field: 'creditCode', message: `统一社会信用代码 ${code} 已属于供应商“${owner.name}”` });
    }
  } else {
    const name = (shown.name ?? '').trim();
    const spec = (shown.spec ?? '').trim();
    if (name) {
      const label = `${name}${spec ? `（${spec}）` : ''}`;
      within(`${name}\u0000${spec}`, `食材“${label}”（同品名同规格）`);
      if (db.ingredientByNameSpec.get(name, spec)) out.push({ field: 'name', message: `已有食材“${label}”` });
    }
  }
  return out;
}

function fieldLabel(kind: ImportKind, key: string | null): string {
  return key ? (IMPORT_FIELDS[kind].find((f) => f.key === key)?.label ?? key) : '';
}

// ---------------------------------------------------------------------------------------------------------------
// The template

async function template(kind: ImportKind): Promise<{ fileName: string; fileBase64: string }> {
  const fields = IMPORT_FIELDS[kind];
  const wb = new ExcelJS.Workbook();
  wb.creator = '阳光食堂账本';
  const ws = wb.addWorksheet(IMPORT_KIND_LABELS[kind]);
  ws.columns = fields.map((f) => ({ header: f.required ? `*${f.label}` : f.label, key: f.key, width: Math.max(12, f.label.length * 2 + 6) }));
  ws.getRow(1).font = { bold: true };
  fields.forEach((f, i) => {
    if (f.hint) ws.getCell(1, i + 1).note = f.hint;
  });
  if (kind === 'suppliers') {
    const code = makeCreditCode('1', '330106', '32415768');
    ws.addRow({ name: '杭州绿源农产品配送有限公司', creditCode: code, address: '杭州市西湖区留下街道屏基山路 88 号', contactPerson: '吴国平', phone: '0571-87352016', kind: '配送/经销企业', licenceKind: '食品经营许可证', licenceNumber: 'JY13301060031452', licenceExpiresOn: new Date(Date.UTC(2028, 5, 30)) });
    ws.getColumn('licenceExpiresOn').numFmt = 'yyyy-mm-dd';
    ws.getColumn('creditCode').numFmt = '@';
    ws.getColumn('phone').numFmt = '@';
  } else {
    ws.addRow({ name: '猪前腿肉', category: '肉禽蛋', unit: '千克', spec: '', refPrice: '28.00', requiredCerts: '动物检疫合格证明、肉品品质检验合格证明', banned: '否', storable: '否' });
    ws.getColumn('refPrice').numFmt = '0.00';
  }
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '列', width: 18 }, { header: '必填', width: 8 }, { header: '填写说明', width: 80 }];
  help.getRow(1).font = { bold: true };
  for (const f of fields) help.addRow([f.label, f.required ? '是' : '', f.hint]);
  help.addRow([]);
  help.addRow(['导入时只读取第一个工作表；表头可以在前十行内，列的顺序不限。']);
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return { fileName: `${IMPORT_KIND_LABELS[kind]}导入模板.xlsx`, fileBase64: buf.toString('base64') };
}

// ---------------------------------------------------------------------------------------------------------------

export const importsHandlers: Handlers<keyof typeof importsApi> = {
  // The preview reports as the commit's first two steps do (reading, rows checked); it writes nothing, so 取消 is safe.
  'import.preview': (ctx, input) =>
    withOperation(ctx, 'import', { cancellable: true, label: `导入${IMPORT_KIND_LABELS[input.kind]}` }, async (run) => {
      run.report('读取文件', 0, 0);
      const steps = analyseSteps(ctx, input.kind, await readSheet(input.fileBase64, MAX_IMPORT_ROWS), input.mapping);
      for (;;) {
        const s = steps.next();
        if (s.done) return s.value;
        run.report('检查数据', s.value.done, s.value.total);
        await new Promise((r) => setImmediate(r));
      }
    }),

  // The file is read before the dispatcher's transaction; rows are checked again and written inside it, so no other
  // writer slips a duplicate in between.
  // Progress (issue 19): reading the file, checking its rows (before the transaction, with turns of the event loop, so
  // the window sees it and 取消 stops it: nothing is written yet), then writing row by row inside the transaction —
  // a cancel asked by then stops at the next row and the transaction rolls back whole (nothing written).
  'import.commit': prepared({
    prepare: async (ctx, input) => {
      const op = startOperation(ctx, 'import', { cancellable: true, label: `导入${IMPORT_KIND_LABELS[input.kind]}` });
      try {
        op.report('读取文件', 0, 0);
        const sheet = await readSheet(input.fileBase64, MAX_IMPORT_ROWS);
        const steps = analyseSteps(ctx, input.kind, sheet, input.mapping);
        for (let s = steps.next(); !s.done; s = steps.next()) {
          op.report('检查数据', s.value.done, s.value.total);
          await new Promise((r) => setImmediate(r));
        }
        op.report('写入数据', 0, 0);
        return { sheet, op };
      } catch (e) {
        throw op.endWith(e);
      }
    },
    run: (ctx, input, { sheet, op }) => {
      try {
        const out = commitRows(ctx, input, sheet, op.report);
        op.end('done');
        return out;
      } catch (e) {
        throw op.endWith(e);
      }
    },
  }),

  'import.template': (_ctx, input) => template(input.kind),
};

function commitRows(ctx: Ctx, input: ParsedInputOf<(typeof importsApi)['import.commit']>, sheet: RawSheet, report: ProgressReporter): { kind: ImportKind; created: number; ids: string[] } {
  const p = analyse(ctx, input.kind, sheet, input.mapping);
  if (p.fileErrors.length) throw new ApiError('VALIDATION', `未导入任何数据：${p.fileErrors.join('；')}`);
  const bad = p.rows.filter((r) => r.errors.length);
  if (bad.length) {
    const issues = bad.flatMap((r) =>
      r.errors.map((e) => ({ path: `rows.${r.row}${e.field ? `.${e.field}` : ''}`, message: `第 ${r.row} 行${e.field ? `（${fieldLabel(input.kind, e.field)}）` : ''}：${e.message}` })),
    );
    throw new ApiError('VALIDATION', `有 ${bad.length} 行有问题，未导入任何数据。${issues[0].message}${issues.length > 1 ? ' 等' : ''}`, issues);
  }
  const ids: string[] = [];
  for (const r of p.rows) {
    if (ids.length % CHECK_CHUNK === 0) report('写入数据', ids.length, p.rows.length);
    const created = input.kind === 'suppliers' ? createSupplier(ctx, r.input as SupplierDraft) : createIngredient(ctx, r.input as IngredientDraft);
    ids.push(created.id);
  }
  report('写入数据', ids.length, p.rows.length);
  const sha256 = crypto.createHash('sha256').update(Buffer.from(input.fileBase64.replace(/\s+/g, ''), 'base64')).digest('hex');
  audit(ctx, 'import', input.kind === 'suppliers' ? 'supplier' : 'ingredient', null, null, { rows: ids.length, sheet: p.sheetName, fileSha256: sha256 });
  return { kind: input.kind, created: ids.length, ids };
}
