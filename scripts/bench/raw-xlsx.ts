/**
 * The raw limit for the export benchmark, in a process of its own that loads nothing but exceljs: writes the given
 * sheets' cells with the streaming WorkbookWriter and prints its time and peak RSS.
 *   node scripts/bench/raw-xlsx.ts cells.json out.xlsx [repeat] [styled]
 * Dates in cells.json are ISO strings; they are written back as Dates (the same date cells as ours).
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';

const [, , cellsFile, out, repeatArg, styledArg] = process.argv;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
// Values only: an array of sheets. Styled: { styles, sheets } where each sheet's `styles` index the one style table,
// so cells of the same look share one style object, as any program writing such a workbook would (exceljs looks a
// cell's style up by object identity; an object per cell would cost a style rendered to XML per cell).
const input = JSON.parse(fs.readFileSync(cellsFile, 'utf8'), (_k, v) => (typeof v === 'string' && ISO_DATE_TIME.test(v) ? new Date(v) : v)) as
  | { name: string; rows: unknown[][] }[]
  | { styles: Partial<ExcelJS.Style>[]; sheets: { name: string; rows: unknown[][]; styles: (number | null)[][] }[] };
const sheets = Array.isArray(input) ? input.map((s) => ({ ...s, styles: undefined })) : input.sheets;
const styleTable = Array.isArray(input) ? [] : input.styles;
// 'styled': the same cells with the same styles (number formats, borders, fonts, alignment) and shared strings, as our
// workbook has them; otherwise values only, exceljs's fastest path.
const styled = styledArg === 'styled';
const times: number[] = [];
for (let i = 0; i < Number(repeatArg ?? 1); i++) {
  const t = performance.now();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: i ? `${out}.${i}.xlsx` : out, useStyles: styled, useSharedStrings: styled });
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    s.rows.forEach((values, r) => {
      const row = ws.addRow(values);
      const st = styled ? s.styles?.[r] : undefined;
      if (st) st.forEach((x, c) => x !== null && (row.getCell(c + 1).style = styleTable[x]));
      row.commit();
    });
    ws.commit();
  }
  await wb.commit();
  times.push(performance.now() - t);
}
console.log(JSON.stringify({ ms: times[0], times, maxRssMB: peakRssMB() }));

/** This process's peak RSS (VmHWM). Not resourceUsage().maxRSS: Linux carries ru_maxrss over fork/exec, so a child
 * spawned by a big parent would report the parent's size. */
function peakRssMB(): number {
  const m = fs.readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s*(\d+) kB/);
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}
