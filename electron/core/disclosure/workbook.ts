import fs from 'node:fs';
import { noProgress, type ProgressReporter } from '../ledger/progress.ts';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type {
  DisclosureData,
  DisclosureLayout,
  DisclosureSheet,
  PurchaseLine,
} from '../../../shared/disclosure.ts';
import { CATEGORY_LABELS, type Category } from '../../../shared/domain.ts';
import { ApiError } from '../../../shared/errors.ts';
import { lastDayOfMonth } from '../ledger/clock.ts';
import { diskFullMessage, freeBytes, isDiskFull } from '../integrity/disk-space.ts';
import {
  avgPriceFen,
  consumedFen,
  deriveFund,
  deviationBp,
  licenceStatus,
  overTolerance,
  subsidyAmountFen,
} from './derive.ts';
import { formatBp } from '../../../shared/format.ts';
import { RESIDUE_REJECT_REASON } from '../../../shared/labels-receiving.ts';
import { checkDisclosureData, ISO_DATE, resolveLayout, type ResolvedLayout } from './layout.ts';
import { groupsOf, summaryTableRows, type SummarySpec } from './summary-rows.ts';

const summarySpec = (d: DisclosureData): SummarySpec => ({
  usesStoreroom: d.usesStoreroom,
  allowedNonFood: d.allowedNonFood,
  costBasis: d.costBasis ?? 'food',
  categoryGroups: d.categoryGroups,
  surplusLimitBp: d.surplusLimitBp,
  surplusPeriod: d.surplusPeriod,
});

/**
 * The monthly disclosure workbook (LAYOUTS.md) written with exceljs's streaming WorkbookWriter: rows go to the
 * file as they are made, so a month of thousands of purchase lines costs little memory. In streaming mode a row's
 * merges and styles must be set before it is committed, and a cell style is assigned whole (exceljs would otherwise
 * mutate a shared style object).
 *
 * Conventions: money as numbers in 元 (fen / 100 is the exact decimal's nearest double, written as that decimal) with
 * `"¥"#,##0.00`; quantities with as many decimals as they have (≤ 3); percentages from basis points with `0.00%`;
 * dates as real date cells built with Date.UTC (exceljs writes Dates as UTC, so the serial is the China date
 * whatever the machine's zone) shown `yyyy-mm-dd`.
 */

type Worksheet = ExcelJS.Worksheet;
type Style = Partial<ExcelJS.Style>;

export const MONEY_FMT = '"¥"#,##0.00';
export const PERCENT_FMT = '0.00%';
export const DATE_FMT = 'yyyy-mm-dd';
export const COUNT_FMT = '#,##0';

const FONT: Partial<ExcelJS.Font> = { name: '宋体', size: 11, charset: 134 };
const THIN = { style: 'thin' } as const;
const BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

function style(extra: { numFmt?: string; bold?: boolean; size?: number; h?: ExcelJS.Alignment['horizontal']; border?: boolean; wrap?: boolean }): Style {
  return {
    font: { ...FONT, ...(extra.bold ? { bold: true } : {}), ...(extra.size ? { size: extra.size } : {}) },
    alignment: {
      vertical: 'middle',
      horizontal: extra.h ?? 'left',
      wrapText: extra.wrap ?? false,
      // A character's room from the border inside the table, so figures and labels do not touch the lines.
      ...(extra.border !== false && extra.h !== 'center' ? { indent: 1 } : {}),
    },
    ...(extra.border === false ? {} : { border: BORDER }),
    ...(extra.numFmt ? { numFmt: extra.numFmt } : {}),
  };
}

const S = {
  title: style({ bold: true, size: 16, h: 'center', border: false }),
  subtitle: style({ h: 'center', border: false }),
  header: style({ bold: true, h: 'center', wrap: true }),
  text: style({ wrap: true }),
  textBold: style({ bold: true, wrap: true }),
  center: style({ h: 'center' }),
  money: style({ numFmt: MONEY_FMT, h: 'right' }),
  moneyBold: style({ numFmt: MONEY_FMT, h: 'right', bold: true }),
  percent: style({ numFmt: PERCENT_FMT, h: 'right' }),
  percentBold: style({ numFmt: PERCENT_FMT, h: 'right', bold: true }),
  count: style({ numFmt: COUNT_FMT, h: 'right' }),
  countBold: style({ numFmt: COUNT_FMT, h: 'right', bold: true }),
  date: style({ numFmt: DATE_FMT, h: 'center' }),
  note: style({ border: false, wrap: true }),
  footer: style({ border: false }),
};

/** Quantity styles by decimals (and unit suffix), made once each. */
const qtyStyles = new Map<string, Style>();
function qtyStyle(milli: number, unit: string | null): Style {
  const a = Math.abs(milli);
  const decimals = a % 1000 === 0 ? 0 : a % 100 === 0 ? 1 : a % 10 === 0 ? 2 : 3;
  const cleanUnit = unit ? unit.replace(/["\\]/g, '') : '';
  const key = `${decimals}|${cleanUnit}`;
  let s = qtyStyles.get(key);
  if (!s) {
    const fmt = `#,##0${decimals ? `.${'0'.repeat(decimals)}` : ''}${cleanUnit ? `"${cleanUnit}"` : ''}`;
    s = style({ numFmt: fmt, h: 'right' });
    qtyStyles.set(key, s);
  }
  return s;
}

const ROW_STYLE: Style = Object.freeze({});

/**
 * The long sheets hand the event loop a turn every YIELD_ROWS rows: the zip's deflate runs in libuv's thread pool
 * and only gets its next chunk when the loop turns, so without a turn it all waited for the last row (on two cores,
 * the writer sat idle ~3 ms an export longer; the app's other calls wait less too).
 */
const YIELD_ROWS = 100;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A cell's content: a value with its style. null values print as “—”. */
type Cell = { v: ExcelJS.CellValue; s: Style } | null;
const txt = (v: string, s: Style = S.text): Cell => ({ v, s });
const money = (fen: number | null, bold = false): Cell => (fen === null ? dash() : { v: fen / 100, s: bold ? S.moneyBold : S.money });
const pct = (bp: number | null, bold = false): Cell => (bp === null ? dash() : { v: bp / 10_000, s: bold ? S.percentBold : S.percent });
const count = (n: number, bold = false): Cell => ({ v: n, s: bold ? S.countBold : S.count });
const qty = (milli: number, unit: string | null = null): Cell => ({ v: milli / 1000, s: qtyStyle(milli, unit) });
const dash = (): Cell => ({ v: '—', s: S.center });
const blank = (): Cell => ({ v: null, s: S.text });
function date(iso: string | null): Cell {
  if (iso === null) return dash();
  if (!ISO_DATE.test(iso)) throw new ApiError('VALIDATION', `公示数据有误：日期“${iso}”须为 YYYY-MM-DD`);
  const [y, m, d] = iso.split('-').map(Number);
  return { v: new Date(Date.UTC(y, m - 1, d)), s: S.date };
}

const colLetter = (n: number): string => {
  let s = '';
  for (; n > 0; n = Math.trunc((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};

/** Writes one sheet row by row; the helper keeps the row number, merges and commits. */
class SheetOut {
  readonly ws: Worksheet;
  readonly widths: number[];
  readonly cols: number;
  row = 0;
  constructor(ws: Worksheet, widths: number[]) {
    this.ws = ws;
    this.widths = widths;
    this.cols = widths.length;
  }
  /**
   * Height for a table row: 20 pt, more when a wrapped text is longer than its column (a Chinese character is
   * about two width units). Excel and LibreOffice do not grow rows on their own when a file sets no height.
   */
  private heightFor(cells: Cell[]): number {
    let lines = 1;
    cells.forEach((c, i) => {
      if (!c || typeof c.v !== 'string' || !c.s.alignment?.wrapText) return;
      // Per character, without an array of them (thousands of cells): a surrogate pair's second half adds nothing.
      let units = 0;
      for (let k = 0; k < c.v.length; k++) {
        const u = c.v.charCodeAt(k);
        if (u < 0xdc00 || u > 0xdfff) units += u > 0xff ? 2 : 1;
      }
      lines = Math.max(lines, Math.ceil(units / Math.max(1, (this.widths[i] ?? 10) - (c.s.alignment?.indent ? 2 : 0))));
    });
    return lines === 1 ? 20 : 15 * lines + 5;
  }
  /** A row of cells from column 1; `merges` are [fromCol, toCol] pairs on this row. */
  put(cells: Cell[], opts: { height?: number; merges?: [number, number][] } = {}): void {
    this.row += 1;
    const r = this.ws.getRow(this.row);
    // exceljs looks a row's style up by object identity: a fresh {} per row costs a style rendered to XML per row.
    (r as unknown as { style: Style }).style = ROW_STYLE;
    cells.forEach((c, i) => {
      if (c === null) return;
      const cell = r.getCell(i + 1);
      cell.value = c.v;
      cell.style = c.s;
    });
    for (const [a, b] of opts.merges ?? []) {
      this.ws.mergeCells(`${colLetter(a)}${this.row}:${colLetter(b)}${this.row}`);
    }
    r.height = opts.height ?? this.heightFor(opts.merges?.length ? [] : cells);
    r.commit();
  }
  /** A line of text merged across the table. */
  line(text: string, s: Style, height?: number): void {
    const cells: Cell[] = [txt(text, s)];
    for (let i = 1; i < this.cols; i++) cells.push(txt('', s));
    this.put(cells, { merges: this.cols > 1 ? [[1, this.cols]] : [], height });
  }
  /** A note merged across the table, tall enough for its wrapped lines (Excel does not size merged rows). */
  note(text: string, widthChars: number): void {
    const perLine = Math.max(10, Math.floor(widthChars / 2) - 2);
    const lines = Math.max(1, Math.ceil([...text].length / perLine));
    this.line(text, S.note, 16 * lines + 4);
  }
}

interface SheetSpec {
  columns: { header: string; width: number }[];
}

function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, spec: SheetSpec, d: DisclosureData): SheetOut {
  const landscape = spec.columns.length > 9;
  const ws = wb.addWorksheet(name, {
    pageSetup: {
      paperSize: 9,
      orientation: landscape ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:3',
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 },
    },
    headerFooter: { oddFooter: `&C第 &P 页，共 &N 页　　校验码：${d.checksumHex.slice(0, 16).toLowerCase()}` },
    views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }],
  });
  ws.columns = spec.columns.map((c) => ({ width: c.width }));
  return new SheetOut(ws, spec.columns.map((c) => c.width));
}

const monthWords = (month: string): { y: number; m: number } => {
  const [y, m] = month.split('-').map(Number);
  return { y, m };
};

function headerRows(out: SheetOut, title: string, second: string, spec: SheetSpec): void {
  out.line(title, S.title, 30);
  out.line(second, S.subtitle, 20);
  out.put(spec.columns.map((c) => txt(c.header, S.header)));
}

function checksumLine(out: SheetOut, d: DisclosureData): void {
  out.line(`校验码：${d.checksumHex.slice(0, 16).toLowerCase()}　版本：${d.revision}`, S.footer);
}

const sumWidth = (spec: SheetSpec) => spec.columns.reduce((s, c) => s + c.width, 0);
const period = (d: DisclosureData) => `统计期间：${d.month}-01至${lastDayOfMonth(d.month)}`;

// ---------------------------------------------------------------------------------------------------------------
// Sheet 1 · 收支公示

function writeSummary(out: SheetOut, spec: SheetSpec, d: DisclosureData, L: ResolvedLayout): void {
  const { y, m } = monthWords(d.month);
  const mo = deriveFund(d.monthFigures, d.allowedNonFood);
  const yt = deriveFund(d.yearToDate, d.allowedNonFood);
  headerRows(out, `${d.schoolName}${y}年${m}月学生食堂伙食费收支公示表`, `食堂性质：${L.canteenKind}　　${period(d)}　　单位：元`, spec);
  // The rows as the month-close and settings pages show them (summary-rows.ts): the profile's category list, the
  // allowed non-food kinds and 手续费, and a full-cost profile's 营业利润 rows.
  for (const r of summaryTableRows(mo, yt, summarySpec(d), L.label)) {
    const cell = (v: number | null): Cell => (r.format === 'money' ? money(v, r.bold) : r.format === 'percent' ? pct(v, r.bold) : v === null ? dash() : count(v, r.bold));
    out.put([txt(r.label, r.bold ? S.textBold : S.text), cell(r.month), cell(r.ytd), txt(r.note)]);
  }

  const width = sumWidth(spec);
  d.notes.filter((n) => n.trim() !== '').forEach((n, i) => out.note(`${i === 0 ? '说明：' : '　　　'}${n}`, width));
  if (d.complaintPhone.trim() !== '') out.note(`监督投诉电话：${d.complaintPhone}`, width);
  out.line([...d.signatures.map((s) => `${s}：`), '（单位盖章）', '日期：'].join('　　　　'), S.footer, 36);
  checksumLine(out, d);
}

// ---------------------------------------------------------------------------------------------------------------
// Sheet 2 · 分类成本

function writeCategoryCost(out: SheetOut, spec: SheetSpec, d: DisclosureData, title: string): void {
  headerRows(out, title, `${period(d)}　　单位：元`, spec);
  const t = { opening: 0, purchases: 0, consumed: 0, adjustments: 0, closing: 0 };
  // One row per category the region publishes (the same rows as the summary's 三), each the sum of its categories.
  for (const g of groupsOf(d, (k) => CATEGORY_LABELS[k as Category])) {
    const rows = d.categoryCosts.filter((x) => g.categories.includes(x.category));
    if (!rows.length) continue;
    const r = { opening: 0, purchases: 0, consumed: 0, adjustments: 0, closing: 0 };
    for (const x of rows) {
      r.opening += x.openingFen;
      r.purchases += x.purchasesFen;
      r.consumed += consumedFen(x);
      r.adjustments += x.adjustmentsFen;
      r.closing += x.closingFen;
    }
    t.opening += r.opening;
    t.purchases += r.purchases;
    t.consumed += r.consumed;
    t.adjustments += r.adjustments;
    t.closing += r.closing;
    out.put([txt(g.label), money(r.opening), money(r.purchases), money(r.consumed), money(r.adjustments), money(r.closing)]);
  }
  out.put([txt('合计', S.textBold), money(t.opening, true), money(t.purchases, true), money(t.consumed, true), money(t.adjustments, true), money(t.closing, true)]);
  const width = sumWidth(spec);
  out.note('注：本月实际支出 = 上月底库存 + 本月购入 − 本月底库存。盘点调整（损耗、过期报废、盘点差异）已计入本月底库存，单列以便说明。', width);
  for (const n of d.adjustmentNotes) if (n.trim() !== '') out.note(`　　${n}`, width);
  checksumLine(out, d);
}

// ---------------------------------------------------------------------------------------------------------------
// Sheet 3 · 食材采购明细

function checkLine(l: PurchaseLine, n: number): void {
  const bad = (what: string) => {
    throw new ApiError('VALIDATION', `公示数据有误：食材采购明细第${n}行${what}`, [{ path: `purchases.${n - 1}`, message: what }]);
  };
  for (const k of ['qtyMilli', 'unitPriceFen', 'amountFen'] as const) {
    if (!Number.isSafeInteger(l[k]) || l[k] < 0) bad('数量、单价、金额须为非负整数');
  }
  if (!ISO_DATE.test(l.date)) bad('日期须为 YYYY-MM-DD');
}

async function writePurchases(out: SheetOut, spec: SheetSpec, d: DisclosureData, title: string): Promise<void> {
  headerRows(out, title, `${period(d)}　　单位：元　　（仅列验收合格数量，按日期、验收单号排序）`, spec);
  let n = 0;
  let total = 0;
  for await (const l of d.purchases) {
    n += 1;
    if (n % YIELD_ROWS === 0) await nextTurn();
    checkLine(l, n);
    total += l.amountFen;
    out.put([
      count(n),
      date(l.date),
      txt(l.receiptNo),
      txt(l.item),
      txt(l.spec),
      txt(l.unit, S.center),
      qty(l.qtyMilli),
      money(l.unitPriceFen),
      money(l.amountFen),
      txt(l.supplier),
      txt(l.inspectors),
      txt(l.note),
    ]);
  }
  if (n === 0) out.line('本月无验收入库记录', S.text);
  const totalCells: Cell[] = [txt(`合计（${n}笔）`, S.textBold)];
  for (let i = 2; i <= 12; i++) totalCells.push(i === 9 ? money(total, true) : blank());
  out.put(totalCells, { merges: [[1, 3]] });

  out.put([null]);
  out.line('拒收记录', S.textBold);
  // 品名 B–D, 拒收数量 E–G, 原因 H–I, 处理方式 J–L: merged so the block reads as five wide columns.
  const blockRow = (no: Cell, item: Cell, q: Cell, reason: Cell, disposition: Cell) =>
    out.put([no, item, null, null, q, null, null, reason, null, disposition, null, null], {
      merges: [[2, 4], [5, 7], [8, 9], [10, 12]],
    });
  blockRow(txt('序号', S.header), txt('品名', S.header), txt('拒收数量', S.header), txt('原因', S.header), txt('处理方式', S.header));
  d.rejected.forEach((r, i) => blockRow(count(i + 1), txt(r.item), qty(r.qtyMilli, r.unit), txt(r.reason), txt(r.disposition)));
  if (d.rejected.length === 0) out.line('本月无拒收', S.text);
  // 农残快检 (issue 17): the rejections for a failed quick test, counted under the block (only when there are any).
  const residue = d.rejected.filter((r) => r.reason.includes(RESIDUE_REJECT_REASON)).length;
  if (residue > 0) out.line(`其中农残快检不合格 ${residue} 项`, S.text);
  checksumLine(out, d);
}

// ---------------------------------------------------------------------------------------------------------------
// Sheet 4 · 食材价格

async function writePrices(out: SheetOut, spec: SheetSpec, d: DisclosureData, title: string): Promise<void> {
  headerRows(out, title, `${period(d)}　　单位：元`, spec);
  let n = 0;
  // 类别 as the region publishes it (the summary's rows), e.g. 荤食 for pork and fish alike.
  const groupOf = new Map<Category, string>();
  for (const g of groupsOf(d, (k) => CATEGORY_LABELS[k as Category])) for (const c of g.categories) groupOf.set(c, g.label);
  for (const r of d.prices) {
    if (++n % YIELD_ROWS === 0) await nextTurn();
    const over = overTolerance(r, d.priceToleranceBp);
    out.put([
      txt(r.item, over ? S.textBold : S.text),
      txt(groupOf.get(r.category) ?? CATEGORY_LABELS[r.category]),
      txt(r.unit, S.center),
      qty(r.qtyMilli),
      money(avgPriceFen(r.amountFen, r.qtyMilli)),
      money(r.referencePriceFen),
      pct(deviationBp(r), over),
      money(r.previousAvgPriceFen),
      txt(over ? '★偏高' : '', over ? S.textBold : S.text),
    ]);
  }
  if (d.prices.length === 0) out.line('本月无采购', S.text);
  out.note(
    `注：本月均价 = 本月金额 ÷ 本月数量；偏离 = (本月均价 − 参考价) ÷ 参考价；标★者高于参考价超过${formatBp(d.priceToleranceBp)}。`,
    sumWidth(spec),
  );
  checksumLine(out, d);
}

// ---------------------------------------------------------------------------------------------------------------
// Sheet 5 · 供应商及资质

function writeSuppliers(out: SheetOut, spec: SheetSpec, d: DisclosureData, title: string): void {
  headerRows(out, title, `${period(d)}　　单位：元`, spec);
  const monthEnd = lastDayOfMonth(d.month);
  const t = { deliveries: 0, amount: 0, certificates: 0 };
  for (const r of d.suppliers) {
    const status = licenceStatus(r, monthEnd);
    t.deliveries += r.deliveries;
    t.amount += r.amountFen;
    t.certificates += r.certificates;
    out.put([
      txt(r.name),
      txt(r.creditCode),
      txt(r.licenceNo === '' ? '—' : r.licenceNo),
      date(r.licenceValidUntil),
      count(r.deliveries),
      money(r.amountFen),
      count(r.certificates),
      txt(status === 'missing' ? '★许可证缺失' : status === 'expired' ? '★许可证已过期' : '', status === 'ok' ? S.text : S.textBold),
    ]);
  }
  out.put([txt('合计', S.textBold), blank(), blank(), blank(), count(t.deliveries, true), money(t.amount, true), count(t.certificates, true), blank()]);
  out.note(`注：许可证有效期以${monthEnd}为准；标★者许可证缺失或已过期。`, sumWidth(spec));
  checksumLine(out, d);
}

// ---------------------------------------------------------------------------------------------------------------
// Sheet 6 · 营养改善计划

function writeSubsidy(out: SheetOut, spec: SheetSpec, d: DisclosureData, title: string): void {
  headerRows(out, title, `${period(d)}　　单位：元`, spec);
  const t = { students: 0, studentDays: 0, amount: 0 };
  for (const r of d.subsidy) {
    const amount = subsidyAmountFen(r);
    t.students += r.students;
    t.studentDays += r.studentDays;
    t.amount += amount;
    out.put([txt(r.className), count(r.students), count(r.days), count(r.studentDays), money(r.rateFen), money(amount)]);
  }
  out.put([txt('合计', S.textBold), count(t.students, true), blank(), count(t.studentDays, true), blank(), money(t.amount, true)]);
  out.note('注：补助金额 = 受助人日数 × 补助标准。', sumWidth(spec));
  checksumLine(out, d);
}

// ---------------------------------------------------------------------------------------------------------------
// Sheet 7 · 退费明细

function writeRefunds(out: SheetOut, spec: SheetSpec, d: DisclosureData, title: string): void {
  headerRows(out, title, `${period(d)}　　单位：元`, spec);
  const t = { days: 0, amount: 0 };
  // A row recorded with a status (closes from issue 14 on) says 待退 and its approval date; a frozen older row keeps
  // the words it was published with.
  const put = (r: DisclosureData['refunds'][number]) =>
    out.put([
      txt(r.studentNo),
      txt(r.name),
      txt(r.className),
      count(r.days),
      money(r.amountFen),
      txt(r.status && r.approvedOn ? `${r.reason}；${r.approvedOn} 批准` : r.reason),
      date(r.appliedOn),
      r.paidOn === null ? txt(r.status ? '待退' : '未退付', S.center) : date(r.paidOn),
    ]);
  for (const r of d.refunds.filter((x) => !x.earlier)) {
    t.days += r.days;
    t.amount += r.amountFen;
    put(r);
  }
  out.put([txt('合计', S.textBold), blank(), blank(), count(t.days, true), money(t.amount, true), blank(), blank(), blank()]);
  const earlier = d.refunds.filter((x) => x.earlier);
  if (earlier.length) {
    out.note('以前月份批准、本月退付或仍待退的退费（不计入本月合计）：', sumWidth(spec));
    for (const r of earlier) put(r);
  }
  checksumLine(out, d);
}

// ---------------------------------------------------------------------------------------------------------------

/** Column headers and widths (in Excel character units; a Chinese character takes about two). */
export const SHEET_COLUMNS: Record<DisclosureSheet, SheetSpec> = {
  summary: {
    columns: [
      { header: '项目', width: 32 },
      { header: '本月', width: 18 },
      { header: '本年累计', width: 18 },
      { header: '说明', width: 36 },
    ],
  },
  categoryCost: {
    columns: [
      { header: '类别', width: 14 },
      { header: '上月底库存', width: 15 },
      { header: '本月购入', width: 15 },
      { header: '本月实际支出', width: 15 },
      { header: '盘点调整', width: 13 },
      { header: '本月底库存', width: 15 },
    ],
  },
  purchases: {
    columns: [
      { header: '序号', width: 6 },
      { header: '日期', width: 11 },
      { header: '验收单号', width: 16 },
      { header: '品名', width: 14 },
      { header: '规格', width: 10 },
      { header: '单位', width: 6 },
      { header: '数量', width: 10 },
      { header: '单价', width: 10 },
      { header: '金额', width: 13 },
      { header: '供应商', width: 22 },
      { header: '验收人', width: 14 },
      { header: '备注', width: 14 },
    ],
  },
  prices: {
    columns: [
      { header: '品名', width: 14 },
      { header: '类别', width: 12 },
      { header: '单位', width: 6 },
      { header: '本月数量', width: 11 },
      { header: '本月均价', width: 11 },
      { header: '参考价', width: 11 },
      { header: '偏离', width: 9 },
      { header: '上月均价', width: 11 },
      { header: '标记', width: 8 },
    ],
  },
  suppliers: {
    columns: [
      { header: '供应商', width: 20 },
      { header: '统一社会信用代码', width: 21 },
      { header: '许可证号', width: 18 },
      { header: '有效期至', width: 11 },
      { header: '本月供货次数', width: 10 },
      { header: '本月供货金额', width: 14 },
      { header: '随货证明（份）', width: 15 },
      { header: '标记', width: 15 },
    ],
  },
  subsidy: {
    columns: [
      { header: '班级', width: 16 },
      { header: '受助学生数', width: 12 },
      { header: '就餐天数', width: 10 },
      { header: '受助人日数', width: 12 },
      { header: '补助标准（元/生/天）', width: 13 },
      { header: '补助金额', width: 15 },
    ],
  },
  refunds: {
    columns: [
      { header: '学号', width: 12 },
      { header: '姓名', width: 9 },
      { header: '班级', width: 12 },
      { header: '退费天数', width: 8 },
      { header: '金额', width: 12 },
      { header: '原因', width: 18 },
      { header: '申请日期', width: 11 },
      { header: '退付日期', width: 11 },
    ],
  },
};

/** `{学校}_{YYYY}年{M}月_伙食费公示.xlsx`, with characters no file system accepts replaced. */
export function disclosureFileName(d: Pick<DisclosureData, 'schoolName' | 'month'>, suffix = '伙食费公示', ext = 'xlsx'): string {
  const { y, m } = monthWords(d.month);
  const school = d.schoolName.trim().replace(/[\\/:*?"<>|\x00-\x1f]/g, '_');
  return `${school}_${y}年${m}月_${suffix}.${ext}`;
}

/** Writes the chosen sheets into `file`, through a temporary name so a failure leaves no half-written workbook. */
export async function writeSheets(d: DisclosureData, layout: DisclosureLayout, file: string, only?: DisclosureSheet[], report: ProgressReporter = noProgress): Promise<void> {
  checkDisclosureData(d);
  const L = resolveLayout(layout, d.usesStoreroom);
  const sheets = only ? L.sheets.filter((s) => only.includes(s.key)) : L.sheets;
  const part = `${file}.part-${process.pid}`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: part, useStyles: true, useSharedStrings: true });
  wb.creator = '阳光食堂账本';
  // The file stream and the zip report a failure (a full disk) as 'error' events that nobody awaits: unheard, one
  // ends the process ("ArchiverError: archive already finalizing"). Heard here, the first one fails the export.
  let failed: unknown = null;
  const heard = (e: unknown) => {
    failed ??= e;
  };
  const streams = wb as unknown as { stream?: NodeJS.EventEmitter; zip?: NodeJS.EventEmitter };
  streams.stream?.on('error', heard);
  streams.zip?.on('error', heard);
  try {
    const { y, m } = monthWords(d.month);
    for (const [i, { key, name }] of sheets.entries()) {
      // Between sheets: a cancel stops here, and the part file is removed below (issue 19).
      report(`写出工作表“${name}”`, i, sheets.length);
      const spec = SHEET_COLUMNS[key];
      const out = addSheet(wb, name, spec, d);
      const title = `${d.schoolName}${y}年${m}月${name}`;
      if (key === 'summary') writeSummary(out, spec, d, L);
      else if (key === 'categoryCost') writeCategoryCost(out, spec, d, title);
      else if (key === 'purchases') await writePurchases(out, spec, d, title);
      else if (key === 'prices') await writePrices(out, spec, d, title);
      else if (key === 'suppliers') writeSuppliers(out, spec, d, title);
      else if (key === 'subsidy') writeSubsidy(out, spec, d, title);
      else writeRefunds(out, spec, d, title);
      out.ws.commit();
    }
    report('压缩并保存工作簿', sheets.length, sheets.length + 1);
    await Promise.race([wb.commit(), errorOf(streams.stream), errorOf(streams.zip)]);
    if (failed) throw failed;
    fs.renameSync(part, file);
  } catch (e) {
    // The writer may still hold the stream open; wait for it (not after a stream failed: it never finishes), then
    // remove what it left.
    if (!failed) await wb.commit().catch(() => undefined);
    fs.rmSync(part, { force: true });
    const cause = failed ?? e;
    if (isDiskFull(cause)) {
      const dir = path.dirname(file);
      throw new ApiError('DISK_FULL', diskFullMessage(freeBytes(dir), { where: `导出位置（${dir}）所在磁盘`, what: '公示表没有导出', kept: '账本没有改动' }));
    }
    throw cause;
  }
}

/** A promise that rejects with the emitter's first 'error' (and never settles otherwise). */
function errorOf(emitter: NodeJS.EventEmitter | undefined): Promise<never> {
  return new Promise((_, reject) => emitter?.once('error', reject));
}

/**
 * Writes the disclosure workbook. `outPath` is either an existing folder (the file gets its standard name
 * `{学校}_{YYYY}年{M}月_伙食费公示.xlsx` there) or the file to write. Returns the path written.
 */
export async function writeDisclosureWorkbook(data: DisclosureData, layout: DisclosureLayout, outPath: string, report: ProgressReporter = noProgress): Promise<string> {
  const file = isDir(outPath) ? path.join(outPath, disclosureFileName(data)) : outPath;
  await writeSheets(data, layout, file, undefined, report);
  return file;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

