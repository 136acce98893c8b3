/** The disclosure workbook (公示): derived figures, the xlsx writer, the summary PDF. */
export * from './derive.ts';
export { checkDisclosureData, resolveLayout } from './layout.ts';
export { disclosureFileName, writeDisclosureWorkbook, MONEY_FMT, PERCENT_FMT, DATE_FMT } from './workbook.ts';
export { writeSummaryPdf } from './pdf.ts';
export { convertWithSoffice, findSoffice, SOFFICE_MISSING } from './soffice.ts';
