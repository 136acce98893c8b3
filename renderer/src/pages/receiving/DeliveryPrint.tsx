import type { DeliveryView } from '../../../../shared/api/receiving.ts';
import { DISPOSITION_LABELS, residueReading } from '../../../../shared/labels-receiving.ts';
import { CERT_LABELS, STORAGE_LABELS } from '../../../../shared/domain.ts';
import { fenToChineseCapital, formatFen, formatMilli } from '../../../../shared/format.ts';
import { sheetCss } from '../../components/printSheet.ts';
import { chinaTime } from '../../labels.ts';
import { formatTenths } from './model.ts';

/**
 * The 验收单 of LAYOUTS.md on A4: header, the lines, rejections with reason and disposition, the accepted total in
 * figures and capitals, and the signature lines. On screen it shows as a sheet; printing hides the app around it.
 */
export const PRINT_CSS = sheetCss({
  cellPadding: '1mm',
  hide: ['.ant-message', '.ant-notification', '.ant-typography.ys-page-title', 'h4.ant-typography'],
  extra: '.ys-cancelled { color: #c00; font-size: 14pt; text-align: center; border: 0.6mm solid #c00; margin-bottom: 3mm; }',
});

export function DeliveryPrint({ d, schoolName }: { d: DeliveryView; schoolName: string }) {
  const rejected = d.lines.filter((l) => l.rejectedMilli > 0);
  const tested = d.lines.filter((l) => l.residueTest);
  const certs = (c: DeliveryView['lines'][number]['certs']) =>
    Object.entries(c)
      .filter(([, v]) => v)
      .map(([k, v]) => `${CERT_LABELS[k as keyof typeof CERT_LABELS].replace('合格证明', '').replace('证明', '')}:${v}`)
      .join('；');
  const sensory = (l: DeliveryView['lines'][number]) => (l.packagingOk && l.labelOk && l.freshOk ? '合格' : [l.packagingOk ? '' : '包装破损', l.labelOk ? '' : '标识不全', l.freshOk ? '' : '变质异味'].filter(Boolean).join('、'));
  return (
    <div className="ys-sheet" data-testid="delivery-print">
      <style>{PRINT_CSS}</style>
      {d.status === 'cancelled' && <div className="ys-cancelled">已作废：{d.cancelReason}</div>}
      {d.status === 'draft' && <div className="ys-cancelled">草稿（未过账）</div>}
      <h1>{schoolName}食材验收单</h1>
      <div className="ys-head">
        <div>验收单号：{d.number ?? '（未过账）'}</div>
        <div>
          验收日期：{d.date}
          {d.arrivalTime ? ` ${d.arrivalTime}` : ''}
        </div>
        <div>供应商：{d.supplierName}</div>
        <div>
          联系人：{d.supplierContact}　电话：{d.supplierPhone}
        </div>
        <div>地址：{d.supplierAddress}</div>
        <div>送货单号：{d.noteNumber || '—'}</div>
      </div>
      <table>
        <colgroup>
          <col style={{ width: '10%' }} />
          <col style={{ width: '6%' }} />
          <col style={{ width: '5%' }} />
          <col style={{ width: '7%' }} />
          <col style={{ width: '7%' }} />
          <col style={{ width: '7%' }} />
          <col style={{ width: '7%' }} />
          <col style={{ width: '9%' }} />
          <col style={{ width: '12%' }} />
          <col style={{ width: '11%' }} />
          <col style={{ width: '6%' }} />
          <col style={{ width: '13%' }} />
        </colgroup>
        <thead>
          <tr>
            <th>品名</th>
            <th>规格</th>
            <th>单位</th>
            <th>送货数量</th>
            <th>合格数量</th>
            <th>拒收数量</th>
            <th>单价</th>
            <th>金额</th>
            <th>生产日期/批号</th>
            <th>保质期至</th>
            <th>感官</th>
            <th>证明</th>
          </tr>
        </thead>
        <tbody>
          {d.lines.map((l) => (
            <tr key={l.lineNo}>
              <td>{l.ingredientName}</td>
              <td>{l.spec}</td>
              {/* Kitchen units (issue 15): quantities and price as the supplier billed them, the conversion under them */}
              <td data-testid={`print-unit-${l.lineNo}`}>
                {l.receivedUnit ?? l.unit}
                {l.unitSizeMilli !== null && <div>1{l.receivedUnit}={formatMilli(l.unitSizeMilli)}{l.unit}</div>}
              </td>
              <td className="num">{formatMilli(l.receivedMilli)}</td>
              <td className="num" data-testid={`print-accepted-${l.lineNo}`}>
                {formatMilli(l.acceptedMilli)}
                {l.unitSizeMilli !== null && <div>={formatMilli(l.baseAcceptedMilli)}{l.unit}</div>}
              </td>
              <td className="num">{l.rejectedMilli ? formatMilli(l.rejectedMilli) : ''}</td>
              <td className="num">{formatFen(l.unitPriceFen)}</td>
              <td className="num">{formatFen(l.amountFen)}</td>
              <td>{[l.productionDate, l.batchNo].filter(Boolean).join(' / ')}</td>
              <td>{l.expiryDate ?? ''}</td>
              <td>
                {sensory(l)}
                {l.temperatureDc !== null ? ` ${formatTenths(l.temperatureDc)}℃` : ''} {STORAGE_LABELS[l.storageClass]}
              </td>
              <td>{certs(l.certs)}</td>
            </tr>
          ))}
          <tr>
            <td colSpan={7}>合格金额合计（大写）：{fenToChineseCapital(d.totalFen)}</td>
            <td className="num" data-testid="print-total">
              {formatFen(d.totalFen)}
            </td>
            <td colSpan={4}></td>
          </tr>
        </tbody>
      </table>
      {rejected.length > 0 && (
        <>
          <p style={{ margin: '3mm 0 1mm' }}>拒收记录：</p>
          <table>
            <thead>
              <tr>
                <th>品名</th>
                <th>拒收数量</th>
                <th>原因</th>
                <th>处理方式</th>
              </tr>
            </thead>
            <tbody>
              {rejected.map((l) => (
                <tr key={l.lineNo}>
                  <td>{l.ingredientName}</td>
                  <td className="num">
                    {formatMilli(l.rejectedMilli)} {l.receivedUnit ?? l.unit}
                  </td>
                  <td>{l.rejectReason}</td>
                  <td>{l.disposition ? DISPOSITION_LABELS[l.disposition] : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {tested.length > 0 && (
        <>
          <p style={{ margin: '3mm 0 1mm' }}>农残快检记录（GB/T 5009.199-2003）：</p>
          <table data-testid="print-residue">
            <thead>
              <tr>
                <th>品名</th>
                <th>方法及读数</th>
                <th>结论</th>
                <th>检测人</th>
                <th>检测时间</th>
              </tr>
            </thead>
            <tbody>
              {tested.map((l) => (
                <tr key={l.lineNo}>
                  <td>{l.ingredientName}</td>
                  <td>{l.residueTest && residueReading(l.residueTest.method, l.residueTest.inhibitionTenths, l.residueTest.result)}</td>
                  <td>{l.residueTest?.result === 'fail' ? '不合格（拒收）' : '合格'}</td>
                  <td>{l.residueTest?.tester}</td>
                  <td>{l.residueTest?.testedTime}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {(d.warningNotes.length > 0 || d.warningNote) && (
        <p style={{ margin: '3mm 0 0' }}>
          警示说明：{[...d.warningNotes.map((w) => w.note), d.warningNote].filter(Boolean).join('；')}
        </p>
      )}
      <p style={{ margin: '3mm 0 0' }}>
        验收人：{d.inspectors.map((i) => i.name).join('、')}
        {d.witnessName ? `　家委会代表：${d.witnessName}` : ''}
        {d.postedAt ? `　过账：${d.postedByName ?? ''} ${chinaTime(d.postedAt)}` : ''}
      </p>
      <div className="ys-sign">
        <div>验收人（一）：</div>
        <div>验收人（二）：</div>
        <div>家委会代表（如在场）：</div>
        <div>送货人：</div>
      </div>
    </div>
  );
}
