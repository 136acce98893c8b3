import { Alert, Button, Card, Checkbox, Form, Input, Radio, Select, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Ingredient } from '../../../../shared/api/masterdata.ts';
import { DISPOSITION_LABELS, DISPOSITIONS } from '../../../../shared/labels-receiving.ts';
import type { CheckResult, DeliveryView, Finding, PersonOption } from '../../../../shared/api/receiving.ts';
import { CERT_LABELS, STORAGE_CLASSES, STORAGE_LABELS, type CertKind, type StorageClass } from '../../../../shared/domain.ts';
import { formatFen, formatMilli, lineAmountFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { IngredientSelect, SupplierSelect } from '../../components/EntitySelect.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { pinyinShowSearch, type PinyinOption } from '../../components/pinyinSearch.ts';
import { MoneyInput, QuantityInput } from '../../components/NumberText.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate } from '../../router.ts';
import { emptyLine, findingsByFormLine, fromDelivery, noteKey, toDraft, type FormValues, type LineValues } from './model.ts';

const DEFAULT_STORAGE: Record<string, StorageClass> = { meat: 'chilled', aquatic: 'chilled', dairy: 'chilled' };

/**
 * After a choice in a select, puts the cursor in the given field (and selects its text, so typing replaces a
 * prefilled value). Enter in an antd select re-renders its search box, which can leave focus on the page body; the
 * kitchen-door form must never lose the cursor between fields.
 */
function focusField(testid: string): void {
  setTimeout(() => {
    const el = document.querySelector<HTMLElement>(`[data-testid="${testid}"]`);
    const input = el instanceof HTMLInputElement ? el : el?.querySelector<HTMLInputElement>('input');
    if (!input || (document.activeElement && document.activeElement !== document.body && !document.activeElement.closest('.ant-select'))) return;
    input.focus();
    input.select();
  }, 30);
}

function FindingLine({ f, note, onNote, testid }: { f: Finding; note: string; onNote: (v: string) => void; testid: string }) {
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 4 }} data-testid={testid}>
      <Tag color={f.level === 'error' ? 'red' : 'orange'}>{f.level === 'error' ? '不能过账' : '警示'}</Tag>
      <Typography.Text type={f.level === 'error' ? 'danger' : 'warning'}>{f.message}</Typography.Text>
      {f.level === 'warning' && (
        <Input size="small" style={{ width: 260 }} placeholder="填写说明后方可过账" value={note} onChange={(e) => onNote(e.target.value)} aria-label={`说明：${f.message}`} data-testid={`${testid}-note`} />
      )}
    </div>
  );
}

/**
 * The kitchen-door form. Typed without the mouse: Enter moves on; an item is found by pinyin initials; choosing the
 * item of the last row opens a new empty row, so Enter flows from one line into the next. The rules run live (the
 * backend's receiving.check, debounced) and again when posting.
 */
export function DeliveryForm({ existing, onPosted }: { existing: DeliveryView | null; onPosted?: () => void }) {
  const [form] = Form.useForm<FormValues>();
  const [id, setId] = useState<string | null>(existing?.id ?? null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [ings, setIngs] = useState<Record<string, Ingredient>>({});
  const [people, setPeople] = useState<PersonOption[]>([]);
  const [check, setCheck] = useState<{ result: CheckResult | null; formIndex: number[]; problem: string | null }>({ result: null, formIndex: [], problem: null });
  const [busy, setBusy] = useState(false);
  const values = Form.useWatch([], form) as FormValues | undefined;
  const seq = useRef(0);

  const initial = useMemo<FormValues>(() => {
    if (existing) {
      const { values: v } = fromDelivery(existing);
      return { ...v, lines: [...v.lines, emptyLine()] };
    }
    return { date: chinaToday(), arrivalTime: '', supplierId: null, noteNumber: '', inspectorIds: [], witnessUserId: null, witnessName: '', remark: '', warningNote: '', lines: [emptyLine()] };
  }, [existing]);

  useEffect(() => {
    if (existing) setNotes(fromDelivery(existing).notes);
    call('receiving.people', {}).then(setPeople, showError);
    const ids = [...new Set(existing?.lines.map((l) => l.ingredientId) ?? [])];
    Promise.all(ids.map((i) => call('ingredients.get', { id: i }))).then((list) => setIngs((m) => ({ ...m, ...Object.fromEntries(list.map((x) => [x.id, x])) })), showError);
  }, [existing]);

  // Live checks: the same rules the backend applies at posting, asked again as the form changes.
  useEffect(() => {
    if (!values) return;
    const t = setTimeout(() => {
      const tr = toDraft(values, notes);
      if (!tr.draft) return setCheck({ result: null, formIndex: tr.formIndex, problem: tr.problem });
      const mine = ++seq.current;
      call('receiving.check', { draft: tr.draft, deliveryId: id }).then(
        (result) => mine === seq.current && setCheck({ result, formIndex: tr.formIndex, problem: null }),
        (e: { message?: string }) => mine === seq.current && setCheck({ result: null, formIndex: tr.formIndex, problem: e.message ?? String(e) }),
      );
    }, 350);
    return () => clearTimeout(t);
  }, [values, notes, id]);

  const byLine = useMemo(() => findingsByFormLine(check.result?.findings ?? [], check.formIndex), [check]);

  const onItemChosen = useCallback(
    async (index: number, item: Ingredient | null) => {
      if (!item) return;
      setIngs((m) => ({ ...m, [item.id]: item }));
      focusField(`line-${index}-received`);
      const lines = form.getFieldValue('lines') as LineValues[];
      const patch: Partial<LineValues> = { storageClass: DEFAULT_STORAGE[item.category] ?? 'ambient' };
      if (index === lines.length - 1) form.setFieldValue('lines', [...lines, emptyLine()]);
      form.setFieldValue(['lines', index], { ...form.getFieldValue(['lines', index]), ...patch });
      if (lines[index]?.unitPriceFen == null) {
        try {
          const last = await call('receiving.lastPrice', { ingredientId: item.id, ...(form.getFieldValue('supplierId') ? { supplierId: form.getFieldValue('supplierId') } : {}) });
          if (last && form.getFieldValue(['lines', index, 'unitPriceFen']) == null) form.setFieldValue(['lines', index, 'unitPriceFen'], last.unitPriceFen);
        } catch (e) {
          showError(e);
        }
      }
    },
    [form],
  );

  const save = async (): Promise<DeliveryView | null> => {
    const tr = toDraft(form.getFieldsValue(true) as FormValues, notes);
    if (!tr.draft) {
      showError(new Error(tr.problem ?? '请检查表单'));
      return null;
    }
    const saved = await call('receiving.saveDraft', { id, draft: tr.draft });
    setId(saved.id);
    return saved;
  };
  const onSave = async () => {
    setBusy(true);
    try {
      const s = await save();
      if (s) {
        toast('草稿已保存');
        if (!existing) navigate(`/receiving/${s.id}`);
      }
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };
  const onPost = async () => {
    setBusy(true);
    try {
      const s = await save();
      if (!s) return;
      const p = await call('receiving.post', { id: s.id });
      toast(`已过账，验收单号 ${p.number}`);
      // An existing draft is already at /receiving/<id>: the page reloads it (now posted) instead of navigating.
      if (existing && onPosted) onPosted();
      else navigate(`/receiving/${p.id}`);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  const setNote = (key: string, v: string) => setNotes((n) => ({ ...n, [key]: v }));
  const lines = values?.lines ?? initial.lines;
  const result = check.result;
  const personOption = (p: PersonOption): PinyinOption => ({ value: p.id, label: p.name, pyInitials: p.pyInitials, pyFull: p.pyFull, recent: p.recent });
  const inspectorOptions = people.map(personOption);
  const parentOptions = people.filter((p) => p.roles.includes('parent')).map(personOption);

  return (
    <Form<FormValues> form={form} layout="vertical" initialValues={initial} onKeyDownCapture={enterToNext} data-testid="delivery-form" size="middle">
      {existing?.amends && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`这是作废验收单 ${existing.amendsNumber} 的更正单，过账后取代原单`} />}
      <Card size="small" title="送货信息" style={{ marginBottom: 12 }}>
        <Space wrap align="start" size="middle">
          <Form.Item name="date" label="验收日期" rules={[{ required: true, message: '请填写验收日期' }]}>
            <Input style={{ width: 130 }} placeholder="YYYY-MM-DD" data-testid="delivery-date" />
          </Form.Item>
          <Form.Item name="arrivalTime" label="到货时间">
            <Input style={{ width: 90 }} placeholder="HH:MM" data-testid="delivery-time" />
          </Form.Item>
          <Form.Item name="supplierId" label="供应商" rules={[{ required: true, message: '请选择供应商' }]}>
            <SupplierSelect style={{ width: 260 }} autoFocus={!existing} data-testid="delivery-supplier" onChange={(v) => v && focusField('delivery-note-number')} />
          </Form.Item>
          <Form.Item name="noteNumber" label="送货单号">
            <Input style={{ width: 150 }} data-testid="delivery-note-number" />
          </Form.Item>
          {/* one select per inspector: Enter picks the name and moves on, as everywhere in the form */}
          {['验收人（一）', '验收人（二）', '验收人（三，可空）'].map((label, k) => (
            <Form.Item key={label} name={['inspectorIds', k]} label={label}>
              <Select
                allowClear
                style={{ width: 130 }}
                options={inspectorOptions}
                showSearch={pinyinShowSearch}
                placeholder="姓名或拼音"
                data-testid={`delivery-inspector-${k}`}
                onChange={(v) => v && focusField(k < 2 ? `delivery-inspector-${k + 1}` : 'delivery-witness')}
              />
            </Form.Item>
          ))}
          <Form.Item name="witnessUserId" label="家委会代表（在场时）">
            <Select allowClear style={{ width: 150 }} options={parentOptions} showSearch={pinyinShowSearch} placeholder="选择" data-testid="delivery-witness" />
          </Form.Item>
          {!values?.witnessUserId && (
            <Form.Item name="witnessName" label="或填写姓名">
              <Input style={{ width: 110 }} data-testid="delivery-witness-name" />
            </Form.Item>
          )}
        </Space>
      </Card>

      <Form.List name="lines">
        {(fields, { remove }) => (
          <>
            {fields.map((field, i) => {
              const l = lines[i] ?? emptyLine();
              const ing = l.ingredientId ? ings[l.ingredientId] : undefined;
              // Always a suffix: antd wraps an input with a suffix in another element, and switching between the two
              // when the unit arrives would remount the box under the cursor.
              const unit = ing?.unit ?? '\u00a0';
              const rejected = l.rejectedMilli ?? 0;
              const accepted = l.receivedMilli != null && !Number.isNaN(l.receivedMilli) ? l.receivedMilli - (Number.isNaN(rejected) ? 0 : rejected) : null;
              const computed = accepted != null && accepted >= 0 && l.unitPriceFen != null && !Number.isNaN(l.unitPriceFen) ? lineAmountFen(accepted, l.unitPriceFen) : null;
              const lineCheck = result?.lines[check.formIndex.indexOf(i)];
              const certKinds: CertKind[] = [...new Set([...(ing?.effectiveCerts ?? []), ...(Object.keys(l.certs ?? {}) as CertKind[]).filter((k) => l.certs[k])])];
              const t = `line-${i}`;
              return (
                <Card key={field.key} size="small" style={{ marginBottom: 8 }} data-testid={t} title={<span>第 {i + 1} 行{ing ? `：${ing.name}` : ''}</span>} extra={fields.length > 1 && l.ingredientId ? <Button size="small" type="link" danger tabIndex={-1} onClick={() => remove(field.name)}>删除此行</Button> : null}>
                  <Space wrap align="start" size="small">
                    <Form.Item name={[field.name, 'ingredientId']} label="品名">
                      <IngredientSelect style={{ width: 200 }} data-testid={`${t}-item`} onChange={(_v, item) => void onItemChosen(i, item)} />
                    </Form.Item>
                    {/* Fields are always rendered (even on the empty last row) so that Enter after choosing an item finds
                        the quantity box at once, before React has re-rendered with the choice. */}
                    <Form.Item name={[field.name, 'receivedMilli']} label="送货数量">
                      <QuantityInput style={{ width: 110 }} suffix={unit} data-testid={`${t}-received`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'unitPriceFen']} label="单价">
                      <MoneyInput style={{ width: 130 }} data-testid={`${t}-price`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'rejectedMilli']} label="拒收数量（全收则空）">
                      <QuantityInput style={{ width: 110 }} suffix={unit} data-testid={`${t}-rejected`} />
                    </Form.Item>
                    <Form.Item label="合格数量 / 金额">
                      <Typography.Text data-testid={`${t}-amount`}>
                        {accepted != null && accepted >= 0 ? `${formatMilli(accepted)} ${ing?.unit ?? ''}` : '—'} / {computed != null ? `¥${formatFen(lineCheck?.amountFen ?? computed)}` : '—'}
                      </Typography.Text>
                    </Form.Item>
                    <Form.Item name={[field.name, 'printedAmountFen']} label="供应商金额（如有）">
                      <MoneyInput style={{ width: 130 }} data-testid={`${t}-printed`} />
                    </Form.Item>
                    {rejected > 0 && (
                      <>
                        <Form.Item name={[field.name, 'rejectReason']} label="拒收原因">
                          <Input style={{ width: 160 }} data-testid={`${t}-reject-reason`} />
                        </Form.Item>
                        <Form.Item name={[field.name, 'disposition']} label="处理方式">
                          <Radio.Group optionType="button" options={DISPOSITIONS.map((d) => ({ value: d, label: DISPOSITION_LABELS[d] }))} data-testid={`${t}-disposition`} />
                        </Form.Item>
                      </>
                    )}
                  </Space>
                  <Space wrap align="start" size="small">
                    <Form.Item name={[field.name, 'productionDate']} label="生产日期">
                      <Input style={{ width: 120 }} placeholder="YYYY-MM-DD" data-testid={`${t}-production`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'batchNo']} label="批号">
                      <Input style={{ width: 100 }} data-testid={`${t}-batch`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'shelfLifeDays']} label="保质期（天）">
                      <Input style={{ width: 80 }} data-testid={`${t}-shelf`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'expiryDate']} label={`保质期至${lineCheck?.expiryDate && !l.expiryDate ? `（${lineCheck.expiryDate}）` : ''}`}>
                      <Input style={{ width: 120 }} placeholder="YYYY-MM-DD" data-testid={`${t}-expiry`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'storageClass']} label="储存">
                      <Radio.Group optionType="button" options={STORAGE_CLASSES.map((s) => ({ value: s, label: STORAGE_LABELS[s] }))} />
                    </Form.Item>
                    <Form.Item label="感官">
                      <Space size={2}>
                        <Form.Item name={[field.name, 'packagingOk']} valuePropName="checked" noStyle>
                          <Checkbox>包装完好</Checkbox>
                        </Form.Item>
                        <Form.Item name={[field.name, 'labelOk']} valuePropName="checked" noStyle>
                          <Checkbox>标识齐全</Checkbox>
                        </Form.Item>
                        <Form.Item name={[field.name, 'freshOk']} valuePropName="checked" noStyle>
                          <Checkbox>无变质异味</Checkbox>
                        </Form.Item>
                      </Space>
                    </Form.Item>
                    <Form.Item name={[field.name, 'temperature']} label="温度（℃）">
                      <Input style={{ width: 80 }} data-testid={`${t}-temp`} />
                    </Form.Item>
                    {certKinds.map((k) => (
                      <Form.Item key={k} name={[field.name, 'certs', k]} label={`${CERT_LABELS[k]}编号`}>
                        <Input style={{ width: 170 }} data-testid={`${t}-cert-${k}`} />
                      </Form.Item>
                    ))}
                  </Space>
                  {(byLine.lines.get(i) ?? []).map((f, j) => (
                    <FindingLine key={`${f.code}${j}`} f={f} note={notes[noteKey(f.code, i)] ?? ''} onNote={(v) => setNote(noteKey(f.code, i), v)} testid={`${t}-finding-${f.code}`} />
                  ))}
                  {lineCheck && lineCheck.differenceFen !== 0 && (
                    <Typography.Text type="secondary">供应商金额与数量×单价相差 {formatFen(lineCheck.differenceFen)} 元</Typography.Text>
                  )}
                </Card>
              );
            })}
          </>
        )}
      </Form.List>

      <Card size="small" title="检查结果" style={{ marginBottom: 12 }} data-testid="delivery-checks">
        {check.problem && <Alert type="info" showIcon title={check.problem} />}
        {!check.problem && result && result.findings.length === 0 && <Alert type="success" showIcon title="全部检查通过" />}
        {byLine.delivery.map((f, j) => (
          <FindingLine key={`${f.code}${j}`} f={f} note={notes[noteKey(f.code, null)] ?? ''} onNote={(v) => setNote(noteKey(f.code, null), v)} testid={`delivery-finding-${f.code}`} />
        ))}
        {result && result.findings.some((f) => f.lineIndex !== undefined) && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
            明细中有 {result.findings.filter((f) => f.lineIndex !== undefined && f.level === 'error').length} 个错误、
            {result.findings.filter((f) => f.lineIndex !== undefined && f.level === 'warning').length} 条警示（见各行）。
          </Typography.Paragraph>
        )}
        <Space wrap style={{ marginTop: 8 }} align="start">
          <Form.Item name="warningNote" label="整单警示说明（可代替逐条说明）" style={{ marginBottom: 0 }}>
            <Input style={{ width: 360 }} data-testid="delivery-warning-note" />
          </Form.Item>
          <Form.Item name="remark" label="备注" style={{ marginBottom: 0 }}>
            <Input style={{ width: 300 }} />
          </Form.Item>
        </Space>
      </Card>

      <Space>
        <Typography.Text strong data-testid="delivery-total">
          合格金额合计：¥{formatFen(result?.totalFen ?? 0)}
        </Typography.Text>
        {result && !result.canPost && <Tag color="red">{result.findings.some((f) => f.level === 'error') ? '有错误，不能过账' : `还有 ${result.unnotedWarnings} 条警示未说明`}</Tag>}
        <Button onClick={onSave} loading={busy} data-testid="delivery-save">
          保存草稿
        </Button>
        <Button type="primary" htmlType="submit" onClick={(e) => { e.preventDefault(); void onPost(); }} loading={busy} disabled={!result?.canPost} data-testid="delivery-post">
          过账
        </Button>
      </Space>
    </Form>
  );
}
