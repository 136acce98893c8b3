/**
 * Prints the markdown table for docs/PERFORMANCE.md from a results file, against the issue's targets.
 *   node scripts/bench/table.ts bench-results/2026-11-28-quick.json
 */
import fs from 'node:fs';

const file = process.argv[2];
const j = JSON.parse(fs.readFileSync(file, 'utf8'));
const r = j.results;
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const row = (what: string, s: { medianMs: number; p95Ms: number; n: number } | undefined, target: string, met: boolean | null, extra = '') =>
  s ? `| ${what} | ${ms(s.medianMs)} | ${ms(s.p95Ms)} | ${s.n} | ${target} | ${met === null ? '—' : met ? 'met' : '**missed**'} | ${extra} |` : `| ${what} | — | — | — | ${target} | not measured | |`;
const lines = [
  '| operation | median ms | p95 ms | n | target | | notes |',
  '|---|---:|---:|---:|---|---|---|',
  row('open the ledger (openBackend + close)', r.open, 'median ≤ 200 ms', r.open?.medianMs <= 200),
  row('post a 30-line delivery (receiving.post, durable)', r.post30, 'median ≤ 10 ms', r.post30?.medianMs <= 10, 'the draft saved before, as the form does'),
  row('save the 30-line draft (receiving.saveDraft, durable)', r.post30_save, '—', null, r.post30_check ? `the form's live check before it: ${ms(r.post30_check.medianMs)} ms median (read-only)` : ''),
  row('save + post together', r.post30_total, '—', null, r.post30_raw ? `raw better-sqlite3, the same ${r.post30_raw.rowsPerPost} rows in one durable transaction: ${ms(r.post30_raw.medianMs)} ms median → ours/raw ${r.post30_raw.oursOverRaw}×` : ''),
  row("collect a class's fees (50 receipts, one call)", r.collectClass, '—', null),
  row('fund summary of a closed month + year to date (monthclose.get)', r.monthSummaryClosed, '≤ 20 ms', r.monthSummaryClosed?.medianMs <= 20),
  row('fund summary of the open month + year to date (monthclose.get)', r.monthSummaryOpen, '≤ 20 ms', r.monthSummaryOpen?.medianMs <= 20),
  row(`pinyin search keystroke, 1–3 letters over ${r.searchKeystroke?.items} items (core)`, r.searchKeystroke, '≤ 5 ms', r.searchKeystroke?.medianMs <= 5),
  row("first page (50) of a month's deliveries (receiving.list)", r.listMonthFirstPage, '—', null),
  row("export a closed month's disclosure workbook (no PDF), cold: a process of its own", r.exportMonth, '≤ 1.5 × raw, peak ≤ 250 MB', r.exportMonth ? r.exportMonth_raw.oursOverRaw <= 1.5 && r.exportMonth.peakRssMB <= 250 : null, r.exportMonth ? `peak RSS ${r.exportMonth.peakRssMB} MB; ${r.exportMonth.sheets} sheets, ${r.exportMonth.cells} cells; raw exceljs streaming writer ${ms(r.exportMonth_raw.medianMs)} ms, peak ${r.exportMonth_raw.peakRssMB} MB → ours/raw ${r.exportMonth_raw.oursOverRaw}×` : ''),
  row('export of a month closed before migration 0012 (its lists read from the ledger), cold', r.exportMonth_listsFromLedger?.cold, '—', null, r.exportMonth_listsFromLedger ? `warm ${ms(r.exportMonth_listsFromLedger.warm.medianMs)} ms; then closed again (reclose): approval ${r.reclose?.approveMs} ms, lists ${r.reclose?.listsBytes} bytes` : ''),
  row('raw exceljs streaming writer with the same styles and shared strings as ours (cold)', r.exportMonth_rawStyled?.cold, '—', null, r.exportMonth_rawStyled ? `peak ${r.exportMonth_rawStyled.peakRssMB} MB; ours/styled raw: cold ${r.exportMonth_rawStyled.oursOverRawCold}×, warm ${r.exportMonth_rawStyled.oursOverRawWarm}× (styled raw warm ${ms(r.exportMonth_rawStyled.warm.medianMs)} ms)` : ''),
  row(`export, warm: repeated in a process of its own after ${r.exportMonthWarm?.warmUp ?? 1} not counted, as the raw writer`, r.exportMonthWarm, '≤ 1.5 × raw', r.exportMonthWarm ? r.exportMonthWarm.oursOverRaw <= 1.5 : null, r.exportMonthWarm ? `raw exceljs streaming writer warm: ${ms(r.exportMonthWarm.raw.medianMs)} ms → ours/raw ${r.exportMonthWarm.oursOverRaw}×` : ''),
  row('verify the whole ledger (integrity.verify)', r.verify, '—', null),
  row(
    'Chromium: cold start of the window to a usable delivery form (page load of #/receiving → 新建验收单 → item search editable; renderer.ts)',
    r.renderer?.loadToDeliveryForm,
    '≤ 1 s',
    r.renderer ? r.renderer.loadToDeliveryForm.medianMs <= 1000 : null,
    r.renderer
      ? [
          r.renderer.rendererCpuPerLoadMs && `renderer CPU per load ${ms(r.renderer.rendererCpuPerLoadMs.medianMs)} ms median`,
          r.renderer.loadToDeliveryFormInPage && `in the page (the app's own: navigation start → paint, less the driver's ${ms(r.renderer.loadToDeliveryFormInPage.driverGap.medianMs)} ms before clicking 新建验收单) ${ms(r.renderer.loadToDeliveryFormInPage.medianMs)} ms median`,
          r.renderer.loadScriptsFirstRun && `${r.renderer.loadScriptsFirstRun.scripts} scripts, ${Math.round(r.renderer.loadScriptsFirstRun.bytes / 1024)} KB fetched`,
          `backend calls: ${r.renderer.loadCallsFirstRun.join(', ')}`,
        ]
          .filter(Boolean)
          .join('; ')
      : '',
  ),
  row(
    'Chromium: navigation inside the running app to a usable delivery form (home open → menu 验收入库 → 新建验收单 → item search editable; renderer.ts)',
    r.renderer?.navToDeliveryForm,
    '≤ 1 s',
    r.renderer?.navToDeliveryForm ? r.renderer.navToDeliveryForm.medianMs <= 1000 : null,
    r.renderer?.navToDeliveryForm
      ? [
          `renderer CPU per navigation ${ms(r.renderer.rendererCpuPerNavMs.medianMs)} ms median`,
          `in the page (click on 验收入库 → paint, less the driver's ${ms(r.renderer.navToDeliveryFormInPage.driverGap.medianMs)} ms before clicking 新建验收单) ${ms(r.renderer.navToDeliveryFormInPage.medianMs)} ms median, p95 ${ms(r.renderer.navToDeliveryFormInPage.p95Ms)}`,
          `the same again in that window ${ms(r.renderer.navAgain.medianMs)} ms (CPU ${ms(r.renderer.rendererCpuPerNavAgainMs.medianMs)} ms)`,
          `${r.renderer.navScriptsFirstRun.scripts} scripts fetched`,
          `backend calls: ${r.renderer.navCallsFirstRun.join(', ') || 'none'}`,
          `the home left ${r.renderer.settleMs / 1000} s first; its cold start ${ms(r.renderer.openHome.medianMs)} ms, CPU ${ms(r.renderer.rendererCpuOpenHomeMs.medianMs)} ms`,
        ].join('; ')
      : '',
  ),
  row(`Chromium: keystroke to paint typing a ${r.renderer?.deliveryTyping?.lines ?? 30}-line delivery, at line 1 (renderer.ts)`, r.renderer?.deliveryTyping?.line1, '—', null, r.renderer?.deliveryTyping ? `digits typed into a line's quantity and price; ${r.renderer.deliveryTyping.runs} deliveries; median by line ${Object.entries(r.renderer.deliveryTyping.medianByLine).map(([l, m]) => `${l}: ${m}`).join(', ')} ms` : ''),
  row(`Chromium: the same at line ${r.renderer?.deliveryTyping?.lines ?? 30}`, r.renderer?.deliveryTyping?.[`line${r.renderer?.deliveryTyping?.lines ?? 30}`], '≤ 50 ms and ≤ 1.5 × line 1', r.renderer?.deliveryTyping ? r.renderer.deliveryTyping[`line${r.renderer.deliveryTyping.lines}`].medianMs <= 50 && r.renderer.deliveryTyping.lastOverFirst <= 1.5 : null, r.renderer?.deliveryTyping ? `line ${r.renderer.deliveryTyping.lines} / line 1: ${r.renderer.deliveryTyping.lastOverFirst}× (medians of one run)` : ''),
  row('Chromium: keystroke to paint in the ingredient search (renderer.ts)', r.renderer?.keystrokeToPaint, '≤ 16 ms', r.renderer ? r.renderer.keystrokeToPaint.medianMs <= 16 : null, r.renderer ? 'keydown → first change in the dropdown → next animation frame; includes the IPC stand-in round trip' : ''),
];
console.log(lines.join('\n'));
