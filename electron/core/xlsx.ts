import ExcelJS from 'exceljs';
import { ApiError } from '../../shared/errors.ts';

/**
 * Reading .xlsx files people bring (supplier and ingredient lists, the student roster): checked as a real .xlsx of
 * sane size before exceljs sees it, the first visible sheet with content read as typed cells, every cell also
 * available as the text a person sees. One reader for every import.
 */

export type Cell =
  | { t: 'empty' }
  | { t: 'text'; text: string }
  | { t: 'number'; value: number; text: string }
  | { t: 'date'; iso: string }
  | { t: 'bool'; value: boolean }
  | { t: 'error'; text: string };

export interface RawSheet {
  name: string;
  /** Rows as read, by sheet row number; empty rows left out. */
  rows: { row: number; cells: Cell[] }[];
  dataRowCount: number;
}

const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;
const MAX_COLUMNS = 100;

/**
 * A number cell as the text a person typed: Excel keeps 15 significant digits, so rounding there undoes binary
 * noise (a computed 0.30000000000000004 reads "0.3", 2.5 reads "2.5") and money parsing never sees a float.
 */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const p = n.toPrecision(15);
  if (p.includes('e')) return String(n);
  return p.includes('.') ? p.replace(/0+$/, '').replace(/\.$/, '') : p;
}

export function cellOf(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return { t: 'empty' };
  if (typeof v === 'string') return v.trim() === '' ? { t: 'empty' } : { t: 'text', text: v };
  if (typeof v === 'number') return { t: 'number', value: v, text: numberText(v) };
  if (typeof v === 'boolean') return { t: 'bool', value: v };
  // exceljs gives date cells as JS Dates at UTC midnight of the day shown.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { t: 'error', text: '无效日期' } : { t: 'date', iso: v.toISOString().slice(0, 10) };
  if ('error' in v) return { t: 'error', text: String(v.error) };
  if ('richText' in v) return cellOf(v.richText.map((r) => r.text).join(''));
  if ('formula' in v || 'sharedFormula' in v) return cellOf((v as ExcelJS.CellFormulaValue).result ?? null);
  if ('text' in v) return cellOf(typeof v.text === 'string' ? v.text : (v.text as unknown as ExcelJS.CellValue));
  return { t: 'text', text: String(v) };
}

export function cellText(c: Cell): string {
  switch (c.t) {
    case 'empty':
      return '';
    case 'text':
      return c.text.trim();
    case 'number':
      return c.text;
    case 'date':
      return c.iso;
    case 'bool':
      return c.value ? '是' : '否';
    case 'error':
      return c.text;
  }
}

/**
 * Refuses anything that is not an .xlsx before exceljs sees it: the zip signature, the workbook part, and the
 * unpacked size declared in the zip directory (a small file must not unpack into gigabytes).
 */
export function checkXlsxBytes(buf: Buffer): void {
  if (buf.length === 0) throw new ApiError('VALIDATION', '文件是空的');
  if (buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
    throw new ApiError('VALIDATION', '这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入');
  }
  const notXlsx = new ApiError('VALIDATION', '文件不是 Excel 工作簿（.xlsx），请选择 .xlsx 文件；CSV、WPS(.et) 等请先另存为 .xlsx');
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) throw notXlsx;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx;
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  let total = 0;
  let hasWorkbook = false;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) throw notXlsx;
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === 'xl/workbook.xml') hasWorkbook = true;
    total += size === 0xffffffff ? Infinity : size;
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  if (!hasWorkbook) throw notXlsx;
  if (total > MAX_UNZIPPED_BYTES) throw new ApiError('VALIDATION', '工作簿解压后过大，请只保留要导入的工作表并分批导入');
}

/** Reads the sheet, keeping at most `maxRows` (+ a few, so a message can say how many there were). */
export async function readSheet(fileBase64: string, maxRows: number): Promise<RawSheet> {
  const buf = Buffer.from(fileBase64.replace(/^data:[^,]*,/, '').replace(/\s+/g, ''), 'base64');
  checkXlsxBytes(buf);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new ApiError('VALIDATION', `无法读取该 .xlsx 文件（文件可能已损坏）：${(e as Error).message.slice(0, 120)}`);
  }
  const ws = wb.worksheets.find((w) => w.state === 'visible' && w.actualRowCount > 0) ?? wb.worksheets[0];
  if (!ws) throw new ApiError('VALIDATION', '工作簿中没有工作表');
  const rows: RawSheet['rows'] = [];
  let dataRowCount = 0;
  const width = Math.min(ws.columnCount, MAX_COLUMNS);
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellOf(r.getCell(c).value));
    if (cells.every((c) => c.t === 'empty')) return;
    dataRowCount++;
    // Keep a few past the limit so the message can say how many there were without holding a huge sheet twice.
    if (rows.length <= maxRows + 10) rows.push({ row: rowNumber, cells });
  });
  return { name: ws.name, rows, dataRowCount };
}

