import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { COUNT_FMT, MONEY_FMT, PERCENT_FMT } from '../disclosure/workbook.ts';
import type { CentreView } from './views.ts';

/**
 * The centre's views as one .xlsx (exceljs), a sheet per view, printable on A4 (landscape, fitted to the page's
 * width, the header row repeated). Money in 元 with the disclosure's number formats, rates as percentages, flags as
 * 是/否 — the figures are the view's integers scaled, never re-computed.
 */
export async function writeViewsWorkbook(views: CentreView[], file: string): Promise<string> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const wb = new ExcelJS.Workbook();
  for (const v of views) {
    const name = v.title.replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
    const ws = wb.addWorksheet(name, {
      pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2', margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 } },
      headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
      views: [{ state: 'frozen', ySplit: 2, xSplit: 0 }],
    });
    ws.columns = v.columns.map((c) => ({ width: c.width ?? 12 }));
    const title = ws.addRow([v.title]);
    title.font = { bold: true, size: 14 };
    ws.mergeCells(1, 1, 1, v.columns.length);
    const head = ws.addRow(v.columns.map((c) => c.header));
    head.font = { bold: true };
    for (const r of v.rows) {
      const row = ws.addRow(
        v.columns.map((c) => {
          const x = r[c.key];
          if (x === null || x === undefined) return null;
          switch (c.kind) {
            case 'fen':
              return Number(x) / 100;
            case 'bp':
              return Number(x) / 10_000;
            case 'milli':
              return Number(x) / 1000;
            case 'bool':
              return x ? '是' : '否';
            default:
              return x;
          }
        }),
      );
      v.columns.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        if (c.kind === 'fen') cell.numFmt = MONEY_FMT;
        else if (c.kind === 'bp') cell.numFmt = PERCENT_FMT;
        else if (c.kind === 'int') cell.numFmt = COUNT_FMT;
        else if (c.kind === 'milli') cell.numFmt = '#,##0.###';
      });
    }
  }
  const tmp = `${file}.${process.pid}.partial`;
  await wb.xlsx.writeFile(tmp);
  fs.renameSync(tmp, file);
  return file;
}
