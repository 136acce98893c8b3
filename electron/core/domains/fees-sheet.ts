import ExcelJS from 'exceljs';
import { ApiError } from '../../../shared/errors.ts';
import { numberText } from './imports.ts';

/**
 * A small .xlsx reader any import can share: the first worksheet with content, the header row found among the first
 * rows by the labels it should contain, every cell as trimmed text (numbers, dates, formulas' results and rich text
 * all read the way a person sees them; numbers through imports.ts's numberText). Mapping fields to columns by header
 * synonyms lives here too.
 */
export interface SheetData {
  sheetName: string;
  headers: string[];
  /** line: the 1-based row number in the workbook, for error messages people can find. */
  rows: { line: number; cells: string[] }[];
}

export async function readSheet(data: Buffer | ArrayBuffer, headerHints: string[] = []): Promise<SheetData> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as ArrayBuffer);
  } catch {
    throw new ApiError('VALIDATION', '无法读取该文件：请选择 Excel 工作簿（.xlsx）；旧版 .xls 请先另存为 .xlsx');
  }
  const ws = wb.worksheets.find((w) => w.actualRowCount > 0);
  if (!ws) throw new ApiError('VALIDATION', '工作簿中没有内容');
  const all: { line: number; cells: string[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let c = 1; c <= ws.columnCount; c++) cells.push(cellText(row.getCell(c)));
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    if (cells.some((c) => c !== '')) all.push({ line, cells });
  });
  if (all.length === 0) throw new ApiError('VALIDATION', '工作簿中没有内容');
  // The header is the first of the top rows that holds most of the expected labels (titles often sit above it).
  let headerAt = 0;
  if (headerHints.length) {
    let best = -1;
    for (let i = 0; i < Math.min(all.length, 10); i++) {
      const hits = all[i].cells.filter((c) => headerHints.some((h) => norm(c).includes(norm(h)))).length;
      if (hits > best) {
        best = hits;
        headerAt = i;
      }
    }
  }
  return { sheetName: ws.name, headers: all[headerAt].cells, rows: all.slice(headerAt + 1) };
}

function cellText(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') return numberText(v);
  if (typeof v === 'object' && 'result' in v) {
    const r = (v as { result?: unknown }).result;
    return r instanceof Date ? r.toISOString().slice(0, 10) : String(r ?? '').trim();
  }
  return (cell.text ?? '').trim();
}

const norm = (s: string) => s.replace(/[\s（）()：:*＊]/g, '').toLowerCase();

/** For each field, the first column whose header matches one of its synonyms (exact first, then contained). */
export function guessMapping<F extends string>(headers: string[], synonyms: Record<F, string[]>): Record<F, number | null> {
  const out = {} as Record<F, number | null>;
  const used = new Set<number>();
  for (const field of Object.keys(synonyms) as F[]) {
    const syn = synonyms[field].map(norm);
    let at = headers.findIndex((h, i) => !used.has(i) && syn.includes(norm(h)));
    if (at < 0) at = headers.findIndex((h, i) => !used.has(i) && norm(h) !== '' && syn.some((s) => norm(h).includes(s)));
    out[field] = at < 0 ? null : at;
    if (at >= 0) used.add(at);
  }
  return out;
}

export function decodeBase64File(b64: string): Buffer {
  const clean = b64.replace(/^data:[^,]*,/, '');
  if (!/^[A-Za-z0-9+/=\s]*$/.test(clean)) throw new ApiError('VALIDATION', '文件内容无效');
  return Buffer.from(clean, 'base64');
}
