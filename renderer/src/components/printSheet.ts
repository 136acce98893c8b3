/**
 * The printed A4 sheets (验收单, 盘点表): on screen a white page with a shadow, on paper the sheet alone with the app
 * around it hidden. `cellPadding` is the table cells' padding; `hide` the selectors of the page's own chrome to hide
 * when printing (besides the menu, the header and anything marked .no-print); `extra` the sheet's own rules.
 */
export function sheetCss({ cellPadding, hide, extra = '' }: { cellPadding: string; hide: string[]; extra?: string }): string {
  return `
.ys-sheet { background: #fff; color: #000; width: 190mm; margin: 0 auto; padding: 8mm; box-shadow: 0 0 4px #bbb;
  font-family: SimSun, "宋体", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 10.5pt; }
.ys-sheet h1 { text-align: center; font-size: 18pt; margin: 0 0 4mm; letter-spacing: 4px; }
.ys-sheet .ys-head { display: grid; grid-template-columns: 1fr 1fr; gap: 1mm 6mm; margin-bottom: 3mm; }
.ys-sheet table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.ys-sheet th, .ys-sheet td { border: 0.3mm solid #000; padding: ${cellPadding}; font-size: 9pt; word-break: break-all; }
.ys-sheet th { font-weight: normal; background: #f2f2f2; }
.ys-sheet td.num { text-align: right; }
.ys-sheet thead { display: table-header-group; }
.ys-sheet tr { page-break-inside: avoid; }
.ys-sheet .ys-sign { display: grid; grid-template-columns: repeat(4, 1fr); gap: 4mm; margin-top: 10mm; }
.ys-sheet .ys-sign div { border-bottom: 0.3mm solid #000; padding-top: 8mm; }
${extra}
@page { size: A4 portrait; margin: 10mm; }
@media print {
  html, body, #root, .ant-app, .ant-layout, .ant-layout-content { height: auto !important; overflow: visible !important; background: #fff !important; }
  ${['.ant-layout-sider', '.ant-layout-header', '.no-print', ...hide].join(', ')} { display: none !important; }
  .ant-layout-content { padding: 0 !important; margin: 0 !important; }
  .ys-sheet { box-shadow: none; width: auto; padding: 0; }
}
`;
}
