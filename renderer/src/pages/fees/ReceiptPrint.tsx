import { PAY_METHOD_LABELS } from '../../../../shared/labels-fees.ts';
import type { Receipt } from '../../../../shared/api/fees.ts';
import { fenToChineseCapital, formatFen } from '../../../../shared/format.ts';

/**
 * The 收据 of LAYOUTS.md: three parts on one A4 sheet (存根 / 交款人 / 记账), cut along the dashed lines. Each carries
 * the number, date, payer, item, days × rate, the amount in figures and capitals, method, cashier and the seal place.
 * A voided receipt prints 作废 across every part and keeps its number.
 */
export const RECEIPT_CSS = `
.sj-sheet { background: #fff; color: #000; width: 190mm; margin: 0 auto; padding: 4mm 8mm; box-shadow: 0 0 4px #bbb;
  font-family: SimSun, "宋体", "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 10.5pt; }
.sj-part { position: relative; height: 84mm; box-sizing: border-box; padding: 4mm 2mm; border-bottom: 0.3mm dashed #000; overflow: hidden; }
.sj-part:last-child { border-bottom: none; }
.sj-part h1 { text-align: center; font-size: 16pt; margin: 0 0 2mm; letter-spacing: 3px; }
.sj-part .sj-which { position: absolute; right: 2mm; top: 5mm; font-size: 10pt; }
.sj-part .sj-head { display: flex; justify-content: space-between; margin-bottom: 2mm; }
.sj-part table { width: 100%; border-collapse: collapse; table-layout: fixed; }
.sj-part th, .sj-part td { border: 0.3mm solid #000; padding: 1.5mm; font-size: 10pt; font-weight: normal; }
.sj-part th { width: 24mm; background: #f2f2f2; }
.sj-part .num { text-align: right; }
.sj-part .sj-foot { display: flex; justify-content: space-between; margin-top: 3mm; }
.sj-void { position: absolute; left: 0; right: 0; top: 28mm; text-align: center; font-size: 48pt; color: rgba(200, 0, 0, 0.55);
  transform: rotate(-18deg); letter-spacing: 24mm; pointer-events: none; font-weight: bold; }
@page { size: A4 portrait; margin: 10mm; }
@media print {
  html, body, #root, .ant-app, .ant-layout, .ant-layout-content { height: auto !important; overflow: visible !important; background: #fff !important; }
  .ant-layout-sider, .ant-layout-header, .no-print, h4.ant-typography, .ant-message, .ant-notification { display: none !important; }
  .ant-layout-content { padding: 0 !important; margin: 0 !important; }
  .sj-sheet { box-shadow: none; width: auto; padding: 0; }
  .sj-void { color: rgba(200, 0, 0, 0.8); }
}
`;

export const PARTS = ['第一联　存根', '第二联　交款人', '第三联　记账'] as const;
export type ReceiptPartName = (typeof PARTS)[number];

/**
 * Batch printing (a class's receipts): three receipts to an A4 sheet, one part each, in the three 84 mm slots the
 * 三联 layout cuts a sheet into — the page holds exactly what one receipt's three parts would. Every sheet but the last
 * breaks the page after it, so N receipts print on ⌈N / 3⌉ pages.
 */
export const BATCH_CSS = `
.sj-batch .sj-sheet { margin-bottom: 6mm; }
@media print {
  /* Chromium does not break pages between the items of a flex box (antd's layout and Space are flex): every box
     around the batch prints as a plain block, so each sheet's break holds. */
  :has(.sj-batch) { display: block !important; }
  .sj-batch .sj-sheet { margin: 0; width: 190mm !important; break-after: page; page-break-after: always; }
  .sj-batch .sj-sheet:last-child { break-after: auto; page-break-after: auto; }
}
`;

/** One part (联) of a receipt: an 84 mm slot of the A4 sheet. */
export function ReceiptPart({ r, schoolName, part }: { r: Receipt; schoolName: string; part: ReceiptPartName }) {
  return (
    <div className="sj-part" data-testid={`receipt-part-${r.number}`}>
      {r.status === 'void' && <div className="sj-void">作废</div>}
      <h1>{schoolName}伙食费收据</h1>
      <div className="sj-which">{part}</div>
      <div className="sj-head">
        <span>收据号：{r.number}</span>
        <span>日期：{r.date}</span>
      </div>
      <table>
        <tbody>
          <tr>
            <th>交款人</th>
            <td colSpan={3}>
              {r.studentName}　学号 {r.studentNo}　班级 {r.className}
            </td>
          </tr>
          <tr>
            <th>收费项目</th>
            <td>伙食费 {r.periodLabel}</td>
            <th>天数 × 日标准</th>
            <td>
              {r.days} 天 × {formatFen(r.dailyRateFen)} 元
            </td>
          </tr>
          <tr>
            <th>金额（小写）</th>
            <td className="num">¥{formatFen(r.amountFen)}</td>
            <th>收款方式</th>
            <td>{PAY_METHOD_LABELS[r.method]}</td>
          </tr>
          <tr>
            <th>金额（大写）</th>
            <td colSpan={3} data-testid="receipt-capital">
              {fenToChineseCapital(r.amountFen)}
            </td>
          </tr>
          {(r.overrideReason || r.status === 'void') && (
            <tr>
              <th>备注</th>
              <td colSpan={3}>
                {r.overrideReason && `标准 ${formatFen(r.standardFen)} 元，改收原因：${r.overrideReason}`}
                {r.status === 'void' && `　已于 ${r.voidDate} 作废：${r.voidReason}`}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="sj-foot">
        <span>收款人（出纳）：{r.createdByName}</span>
        <span>交款人签字：＿＿＿＿＿＿</span>
        <span>（单位盖章）</span>
      </div>
    </div>
  );
}

export function ReceiptPrint({ r, schoolName }: { r: Receipt; schoolName: string }) {
  return (
    <div className="sj-sheet" data-testid="receipt-print">
      <style>{RECEIPT_CSS}</style>
      {PARTS.map((part) => (
        <ReceiptPart key={part} r={r} schoolName={schoolName} part={part} />
      ))}
    </div>
  );
}

/** Receipts three to a sheet, each as the one part chosen (the 交款人 part to hand out, by default). */
export function ReceiptBatchPrint({ receipts, schoolName, part }: { receipts: Receipt[]; schoolName: string; part: ReceiptPartName }) {
  const sheets: Receipt[][] = [];
  for (let i = 0; i < receipts.length; i += 3) sheets.push(receipts.slice(i, i + 3));
  return (
    <div className="sj-batch" data-testid="receipt-batch">
      <style>{RECEIPT_CSS + BATCH_CSS}</style>
      {sheets.map((sheet, i) => (
        <div className="sj-sheet" key={i} data-testid="receipt-batch-sheet">
          {sheet.map((r) => (
            <ReceiptPart key={r.id} r={r} schoolName={schoolName} part={part} />
          ))}
        </div>
      ))}
    </div>
  );
}
