import { ApiError } from '../../../../shared/errors.ts';
import { cellText, readSheet as readXlsx } from '../../xlsx/read.ts';

const MAX_ROSTER_ROWS = 10_000;

/**
 * The student roster read as text rows under its header (the workbook itself is read and checked by ../xlsx.ts),
 * and fields mapped to columns by header synonyms.
 */
export interface SheetData {
  sheetName: string;
  headers: string[];
  /** line: the 1-based row number in the workbook, for error messages people can find. */
  rows: { line: number; cells: string[] }[];
}

/** The roster's sheet: rows as text, under the header row found among the first rows by the labels it should hold. */
export async function readSheet(fileBase64: string, headerHints: string[] = []): Promise<SheetData> {
  const raw = await readXlsx(fileBase64, MAX_ROSTER_ROWS);
  const all = raw.rows.map((r) => {
    const cells = r.cells.map(cellText);
    while (cells.length && cells[cells.length - 1] === '') cells.pop();
    return { line: r.row, cells };
  });
  if (all.length === 0) throw new ApiError('VALIDATION', '工作簿中没有内容');
  if (raw.dataRowCount > MAX_ROSTER_ROWS) throw new ApiError('VALIDATION', `表格有 ${raw.dataRowCount} 行数据，超过一次 ${MAX_ROSTER_ROWS} 行的上限，请分批导入`);
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
  return { sheetName: raw.name, headers: all[headerAt].cells, rows: all.slice(headerAt + 1) };
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
