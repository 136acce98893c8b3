import { Button, Checkbox, Input, Radio, Tag, Typography } from 'antd';
import { memo, useState, type CSSProperties } from 'react';
import type { Ingredient } from '../../../../shared/api/masterdata.ts';
import type { Finding } from '../../../../shared/api/receiving.ts';
import { CERT_LABELS, STORAGE_CLASSES, STORAGE_LABELS } from '../../../../shared/domain.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { DISPOSITION_LABELS, DISPOSITIONS, RESIDUE_METHOD_LABELS, RESIDUE_METHODS, RESIDUE_RESULT_LABELS, RESIDUE_RESULTS } from '../../../../shared/labels-receiving.ts';
import { IngredientSelect } from '../../components/EntitySelect.tsx';
import { MoneyInput, QuantityInput } from '../../components/NumberText.tsx';
import { NO_CHECK, useDelivery, type DeliveryStore, type RowState } from './deliveryStore.ts';
import { isPackUnit, unitsOf } from '../../../../shared/units.ts';
import { acceptedOf, conversionText, lineCerts, priceInUnit, lineProblem, localAmountFen, residueRejection, residueResultOfLine, showsResidue, type LineValues } from './model.ts';

/** The grid's columns, shared by the header row and every line (the paper 验收单's order). */
export const GRID: CSSProperties = {
  display: 'grid',
  gridTemplateColumns: '34px minmax(200px, 2.2fr) 104px 64px 104px 104px 150px 112px 96px',
  gap: 6,
  alignItems: 'center',
};
const NUM: CSSProperties = { textAlign: 'right', whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' };
const SUB: CSSProperties = { display: 'flex', flexWrap: 'wrap', gap: '6px 12px', alignItems: 'center', padding: '4px 0 2px 40px' };
const LABEL: CSSProperties = { color: '#595959', marginRight: 4, whiteSpace: 'nowrap' };

function FindingLine({ f, note, onNote, testid }: { f: Finding; note: string; onNote: (v: string) => void; testid: string }) {
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 2 }} data-testid={testid}>
      <Tag color={f.level === 'error' ? 'red' : 'orange'}>{f.level === 'error' ? '不能过账' : '警示'}</Tag>
      <Typography.Text type={f.level === 'error' ? 'danger' : 'warning'}>{f.message}</Typography.Text>
      {f.level === 'warning' && (
        <span data-field={`note-${f.code}`}>
          <Input size="small" style={{ width: 260 }} placeholder="填写说明后方可过账" value={note} onChange={(e) => onNote(e.target.value)} aria-label={`说明：${f.message}`} data-testid={`${testid}-note`} data-note />
        </span>
      )}
    </div>
  );
}
export { FindingLine };

export interface RowProps {
  store: DeliveryStore;
  rowKey: string;
  index: number;
  onItemChosen: (key: string, item: Ingredient | null) => void;
  onRemove: (key: string) => void;
}

/**
 * One line of the door form: the paper 验收单's columns on one row (item, quantity, unit, price, rejected, accepted,
 * amount); under it, only when there is something to say or fill: the rejection's reason and disposition, the detail
 * (dates, storage, sensory, temperature, the supplier's amount, certificates — open when the item requires
 * certificates or the person asks), and the messages about this line. Memoised and fed by selectors of its own row,
 * so its render does not depend on how many lines the delivery has.
 */
export const DeliveryLineRow = memo(function DeliveryLineRow({ store, rowKey, index, onItemChosen, onRemove }: RowProps) {
  const l = useDelivery(store, (s) => s.rows[rowKey]) as RowState;
  const ing = useDelivery(store, (s) => (l?.ingredientId ? s.ings[l.ingredientId] : undefined));
  const check = useDelivery(store, (s) => s.checks[rowKey] ?? NO_CHECK);
  const residueCategories = useDelivery(store, (s) => s.residueCategories);
  const [focusInside, setFocusInside] = useState(false);
  if (!l) return null;
  const set = (patch: Partial<RowState>) => store.getState().setLine(rowKey, patch);
  // A change to the quick test may reject the whole line (failed) or undo that (no longer failed).
  const setResidue = (patch: Partial<LineValues>) => set({ ...patch, ...residueRejection(l, { ...l, ...patch }) });
  const residue = showsResidue(l, ing?.category, residueCategories);
  const residueResult = residueResultOfLine(l);
  const t = `line-${index}`;
  const unit = ing?.unit ?? '';
  const units = ing ? unitsOf(ing) : [];
  const accepted = acceptedOf(l);
  const amount = localAmountFen(l);
  const certs = lineCerts(l, ing?.effectiveCerts ?? []);
  const rejecting = (l.rejectedMilli ?? 0) > 0 || !!l.rejectReason || !!l.disposition;
  const detail = !!l.ingredientId && (l.detail || certs.length > 0);
  // An incomplete row says what it lacks once the cursor has left it (while typing it would only nag).
  const problem = l.ingredientId && !focusInside ? lineProblem(l) : null;
  const findings = check.findings;
  return (
    <div
      data-testid={t}
      data-row-key={rowKey}
      data-row-index={index}
      style={{ borderBottom: '1px solid #f0f0f0', padding: '4px 0' }}
      onFocus={() => setFocusInside(true)}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setFocusInside(false);
      }}
    >
      <div style={GRID}>
        <span style={{ color: '#595959', textAlign: 'right' }}>{index + 1}</span>
        <span data-field="item">
          <IngredientSelect value={l.ingredientId} style={{ width: '100%', minWidth: 0 }} data-testid={`${t}-item`} onChange={(_v, item) => onItemChosen(rowKey, item)} />
        </span>
        <span data-field="received">
          <QuantityInput value={l.receivedMilli} onChange={(v) => set({ receivedMilli: v })} data-testid={`${t}-received`} />
        </span>
        {/* Kitchen units (issue 15): the item's own unit unless another is chosen (Tab, then ↑/↓); a native select, so the
            arrows choose without opening a list */}
        {ing && units.length > 1 ? (
          <select
            data-field="unit"
            data-testid={`${t}-unit`}
            aria-label="计量单位"
            value={l.receivedUnit ?? unit}
            onChange={(e) => {
              const next = e.target.value === unit ? null : e.target.value;
              set({ receivedUnit: next, unitPriceFen: priceInUnit(l.unitPriceFen, l.receivedUnit, next, ing) });
            }}
            style={{ width: '100%', height: 32, border: '1px solid #d9d9d9', borderRadius: 6, background: '#fff', padding: '0 2px' }}
          >
            {units.map((u) => (
              <option key={u} value={u}>
                {u}
                {isPackUnit(u) && ing.packSizes[u] ? `(${formatMilli(ing.packSizes[u] as number)}${unit})` : ''}
              </option>
            ))}
          </select>
        ) : (
          <span data-testid={`${t}-unit`} style={{ whiteSpace: 'nowrap' }}>
            {l.receivedUnit ?? unit}
          </span>
        )}
        <span data-field="price">
          <MoneyInput prefix={null} suffix={null} value={l.unitPriceFen} onChange={(v) => set({ unitPriceFen: v })} data-testid={`${t}-price`} />
        </span>
        <span data-field="rejected">
          <QuantityInput value={l.rejectedMilli} placeholder="全收" onChange={(v) => set({ rejectedMilli: v })} data-testid={`${t}-rejected`} />
        </span>
        <span style={NUM} data-testid={`${t}-accepted`}>
          {l.ingredientId && accepted != null ? (ing ? (conversionText(accepted, l, ing) ?? `${formatMilli(accepted)} ${l.receivedUnit ?? ''}`.trim()) : formatMilli(accepted)) : '—'}
        </span>
        <span style={NUM} data-testid={`${t}-amount`}>
          {l.ingredientId && amount != null ? `¥${formatFen(amount)}` : '—'}
        </span>
        <span style={{ whiteSpace: 'nowrap' }}>
          {l.ingredientId && (
            <Button size="small" type="link" tabIndex={-1} onClick={() => set({ detail: !l.detail })} data-testid={`${t}-detail-toggle`} title="F2">
              {l.detail ? '收起' : '详情'}
            </Button>
          )}
          {l.ingredientId && (
            <Button size="small" type="link" danger tabIndex={-1} onClick={() => onRemove(rowKey)} data-testid={`${t}-remove`}>
              删除
            </Button>
          )}
        </span>
      </div>
      {residue && (
        <div style={SUB} data-testid={`${t}-residue`}>
          <span style={{ ...LABEL, fontWeight: 600 }}>农残快检</span>
          <span>
            <Radio.Group
              size="small"
              optionType="button"
              value={l.residueMethod}
              onChange={(e) => setResidue({ residueMethod: e.target.value, residueRate: '', residueResult: null })}
              options={RESIDUE_METHODS.map((m) => ({ value: m, label: RESIDUE_METHOD_LABELS[m] }))}
              data-testid={`${t}-residue-method`}
            />
          </span>
          {l.residueMethod === 'test_card' ? (
            <span data-field="residue-result">
              <Radio.Group
                name={`residue-result-${rowKey}`}
                value={l.residueResult}
                onChange={(e) => setResidue({ residueResult: e.target.value })}
                options={RESIDUE_RESULTS.map((r) => ({ value: r, label: RESIDUE_RESULT_LABELS[r] }))}
                data-testid={`${t}-residue-result`}
              />
            </span>
          ) : (
            <span data-field="residue-rate">
              <span style={LABEL}>抑制率（%）</span>
              <Input style={{ width: 72 }} placeholder="≥50 不合格" value={l.residueRate} onChange={(e) => setResidue({ residueRate: e.target.value })} data-testid={`${t}-residue-rate`} />
            </span>
          )}
          {residueResult && (
            <Tag color={residueResult === 'fail' ? 'red' : 'green'} data-testid={`${t}-residue-verdict`}>
              {residueResult === 'fail' ? '不合格，整行拒收' : '合格'}
            </Tag>
          )}
          <span data-field="residue-tester">
            <span style={LABEL}>检测人</span>
            <Input style={{ width: 96 }} value={l.residueTester} onChange={(e) => setResidue({ residueTester: e.target.value })} data-testid={`${t}-residue-tester`} />
          </span>
          <span data-field="residue-time">
            <span style={LABEL}>检测时间</span>
            <Input style={{ width: 72 }} placeholder="HH:MM" value={l.residueTime} onChange={(e) => setResidue({ residueTime: e.target.value })} data-testid={`${t}-residue-time`} />
          </span>
        </div>
      )}
      {rejecting && (
        <div style={SUB}>
          <span data-field="reject-reason">
            <span style={LABEL}>拒收原因</span>
            <Input style={{ width: 200 }} value={l.rejectReason} onChange={(e) => set({ rejectReason: e.target.value })} data-testid={`${t}-reject-reason`} />
          </span>
          <span data-field="disposition">
            <span style={LABEL}>处理方式</span>
            {/* native radios of one name: the arrow keys choose, Enter takes the focused one and moves on */}
            <Radio.Group
              name={`disposition-${rowKey}`}
              value={l.disposition}
              onChange={(e) => set({ disposition: e.target.value })}
              options={DISPOSITIONS.map((d) => ({ value: d, label: DISPOSITION_LABELS[d] }))}
              data-testid={`${t}-disposition`}
            />
          </span>
        </div>
      )}
      {detail && (
        <div style={SUB} data-testid={`${t}-detail`}>
          <span data-field="production">
            <span style={LABEL}>生产日期</span>
            <Input style={{ width: 124 }} placeholder="YYYY-MM-DD" value={l.productionDate} onChange={(e) => set({ productionDate: e.target.value })} data-testid={`${t}-production`} />
          </span>
          <span data-field="batch">
            <span style={LABEL}>批号</span>
            <Input style={{ width: 96 }} value={l.batchNo} onChange={(e) => set({ batchNo: e.target.value })} data-testid={`${t}-batch`} />
          </span>
          <span data-field="shelf">
            <span style={LABEL}>保质期（天）</span>
            <Input style={{ width: 64 }} value={l.shelfLifeDays} onChange={(e) => set({ shelfLifeDays: e.target.value })} data-testid={`${t}-shelf`} />
          </span>
          <span data-field="expiry">
            <span style={LABEL}>保质期至{check.expiryDate && !l.expiryDate ? `（${check.expiryDate}）` : ''}</span>
            <Input style={{ width: 124 }} placeholder="YYYY-MM-DD" value={l.expiryDate} onChange={(e) => set({ expiryDate: e.target.value })} data-testid={`${t}-expiry`} />
          </span>
          <span data-field="temp">
            <span style={LABEL}>温度（℃）</span>
            <Input style={{ width: 64 }} value={l.temperature} onChange={(e) => set({ temperature: e.target.value })} data-testid={`${t}-temp`} />
          </span>
          <span data-field="printed">
            <span style={LABEL}>供应商金额</span>
            <MoneyInput prefix={null} suffix={null} style={{ width: 104 }} value={l.printedAmountFen} onChange={(v) => set({ printedAmountFen: v })} data-testid={`${t}-printed`} />
          </span>
          <span>
            <span style={LABEL}>储存</span>
            <Radio.Group size="small" optionType="button" value={l.storageClass} onChange={(e) => set({ storageClass: e.target.value })} options={STORAGE_CLASSES.map((s) => ({ value: s, label: STORAGE_LABELS[s] }))} />
          </span>
          <span>
            <Checkbox checked={l.packagingOk} onChange={(e) => set({ packagingOk: e.target.checked })}>
              包装完好
            </Checkbox>
            <Checkbox checked={l.labelOk} onChange={(e) => set({ labelOk: e.target.checked })}>
              标识齐全
            </Checkbox>
            <Checkbox checked={l.freshOk} onChange={(e) => set({ freshOk: e.target.checked })}>
              无变质异味
            </Checkbox>
          </span>
          {certs.map((k) => (
            <span key={k} data-field={`cert-${k}`}>
              <span style={LABEL}>{CERT_LABELS[k]}编号</span>
              <Input style={{ width: 170 }} value={l.certs[k] ?? ''} onChange={(e) => set({ certs: { ...l.certs, [k]: e.target.value } })} data-testid={`${t}-cert-${k}`} />
            </span>
          ))}
        </div>
      )}
      {(problem || findings.length > 0 || check.differenceFen !== 0) && (
        <div style={{ ...SUB, display: 'block' }}>
          {problem && (
            <div data-testid={`${t}-problem`}>
              <Tag color="red">不能过账</Tag>
              <Typography.Text type="danger">{problem}</Typography.Text>
            </div>
          )}
          {findings.map((f, j) => (
            <FindingLine key={`${f.code}${j}`} f={f} note={l.notes[f.code] ?? ''} onNote={(v) => store.getState().setNote(rowKey, f.code, v)} testid={`${t}-finding-${f.code}`} />
          ))}
          {check.differenceFen !== 0 && <Typography.Text type="secondary">供应商金额与数量×单价相差 {formatFen(check.differenceFen)} 元</Typography.Text>}
        </div>
      )}
    </div>
  );
});
