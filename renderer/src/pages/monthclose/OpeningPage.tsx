import { Alert, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { OpeningImportPreview, OpeningLineInput, OpeningState, OpeningView } from '../../../../shared/api/opening.ts';
import { OPENING_LINE_LABELS, OPENING_STATUS_LABELS, type OpeningLineKind } from '../../../../shared/labels-opening.ts';
import { STORAGE_LABELS, type StorageClass } from '../../../../shared/domain.ts';
import { formatFen, formatMilli, parseQuantityToMilli, parseYuanToFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { IngredientSelect, SupplierSelect } from '../../components/EntitySelect.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { useRoles } from '../../session.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { StudentSelect } from '../fees/common.tsx';
import { WorkProgress } from '../../components/WorkProgress.tsx';

/** One line of the draft as typed or imported, with the words shown for it. */
interface Line {
  input: OpeningLineInput;
  label: string;
}

const yuan = (fen: number) => formatFen(fen);

function fromView(v: OpeningView): Line[] {
  return v.lines.map((l) => {
    if (l.kind === 'stock') {
      return {
        input: { kind: 'stock', ingredientId: l.ingredientId!, qtyMilli: l.qtyMilli!, amountFen: l.amountFen, expiryDate: l.expiryDate, storageClass: l.storageClass!, note: l.note },
        label: `${l.ingredientName} ${formatMilli(l.qtyMilli!)} ${l.unit}`,
      };
    }
    if (l.kind === 'payable') return { input: { kind: 'payable', supplierId: l.supplierId!, amountFen: l.amountFen, note: l.note }, label: l.supplierName ?? '' };
    return { input: { kind: l.kind, studentId: l.studentId!, amountFen: l.amountFen, note: l.note }, label: `${l.studentName}（${l.studentNo}）${l.className ?? ''}` };
  });
}

async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/**
 * 期初建账 (issue 14 §2): the 会计 types or imports what the school holds on the opening date — fund balances, stock
 * lots, pupils' prepayments and arrears, payables — saves and submits; a 审核人 (not the submitter) approves, which
 * posts it. Once posted, or once a month has closed, it is read only.
 */
export function OpeningPage() {
  const roles = useRoles();
  const canSave = canCall('opening.save', roles);
  const [state, setState] = useState<OpeningState | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [form] = Form.useForm<{ date: string; bank: string; subsidy: string; cash: string; note: string }>();
  const [adding, setAdding] = useState<{ kind: OpeningLineKind; entityId: string | null; entityLabel: string; qty: string; amount: string; expiry: string; storage: StorageClass }>({
    kind: 'stock',
    entityId: null,
    entityLabel: '',
    qty: '',
    amount: '',
    expiry: '',
    storage: 'ambient',
  });
  const [preview, setPreview] = useState<{ kind: 'stock' | 'pupils'; p: OpeningImportPreview } | null>(null);
  // An opening file being read and checked (issue 19): its progress, with 取消, under the buttons.
  const [reading, setReading] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const s = await call('opening.get', {});
      setState(s);
      const o = s.opening;
      form.setFieldsValue({
        date: o?.date ?? s.suggestedDate,
        bank: o ? yuan(o.bankFen) : '',
        subsidy: o ? yuan(o.subsidyBankFen) : '',
        cash: o ? yuan(o.cashFen) : '',
        note: o?.note ?? '',
      });
      setLines(o ? fromView(o) : []);
    } catch (e) {
      showError(e);
    }
  }, [form]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!state) return null;
  const o = state.opening;
  const editable = canSave && (!o || o.status === 'draft') && !state.closedNote;

  const act = async (f: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await f();
      toast(done);
      await load();
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  const save = async () => {
    const v = form.getFieldsValue();
    const money = (s: string, label: string) => {
      const f = parseYuanToFen(s === '' ? '0' : s);
      if (f === null) throw new Error(`${label}应为以元为单位的数字（最多两位小数）`);
      return f;
    };
    try {
      const input = { date: v.date, bankFen: money(v.bank, '食堂专户存款'), subsidyBankFen: money(v.subsidy, '营养改善计划专户存款'), cashFen: money(v.cash, '库存现金'), note: v.note ?? '', lines: lines.map((l) => l.input) };
      await act(() => call('opening.save', input), '期初草稿已保存');
    } catch (e) {
      showError(e);
    }
  };

  const addLine = () => {
    const a = adding;
    const amountFen = parseYuanToFen(a.amount);
    if (!a.entityId) return showError(new Error(a.kind === 'stock' ? '请选择食材' : a.kind === 'payable' ? '请选择供应商' : '请选择学生'));
    if (amountFen === null) return showError(new Error('金额应为以元为单位的数字（最多两位小数）'));
    if (a.kind === 'stock') {
      const qtyMilli = parseQuantityToMilli(a.qty);
      if (!qtyMilli) return showError(new Error('数量应为大于零的数字（最多三位小数）'));
      setLines([...lines, { input: { kind: 'stock', ingredientId: a.entityId, qtyMilli, amountFen, expiryDate: a.expiry || null, storageClass: a.storage, note: '' }, label: `${a.entityLabel} ${a.qty}` }]);
    } else if (a.kind === 'payable') setLines([...lines, { input: { kind: 'payable', supplierId: a.entityId, amountFen, note: '' }, label: a.entityLabel }]);
    else setLines([...lines, { input: { kind: a.kind, studentId: a.entityId, amountFen, note: '' }, label: a.entityLabel }]);
    setAdding({ ...a, entityId: null, entityLabel: '', qty: '', amount: '', expiry: '' });
  };

  const importFile = async (kind: 'stock' | 'pupils', file: File) => {
    setReading(true);
    try {
      const p = await call('opening.importPreview', { kind, dataBase64: await fileToBase64(file) });
      setPreview({ kind, p });
    } catch (e) {
      showError(e);
    } finally {
      setReading(false);
    }
    return false;
  };

  const t = o?.totals;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Typography.Title level={4} style={{ margin: 0 }}>
        期初建账 {o && <Tag data-testid="opening-status">{OPENING_STATUS_LABELS[o.status]}</Tag>}
      </Typography.Title>
      <Alert
        type="info"
        showIcon
        message="学期中途开始使用本软件时，录入建账日（开始记账月份的上月最后一天）已有的各账户余额、库存、学生预交与欠费、应付供应商款。会计填写并提交，审核人审核后过账，此后不能修改；第一次月结后不能再建账。"
        description="期初结余 = 食堂专户 + 营养改善计划专户 + 库存现金 − 应付供应商款（按消耗计支出时再加期初库存），作为建账次月的“上月累计结余”。学生预交和欠费为备查记录：伙食费按收到时记收入，不计入期初结余。"
      />
      {state.closedNote && !o?.status.startsWith('posted') && <Alert type="warning" showIcon message={state.closedNote} />}
      <Card size="small">
        <Form form={form} layout="inline" onKeyDownCapture={enterToNext} disabled={!editable}>
          <Form.Item name="date" label="期初日期">
            <Input style={{ width: 130 }} data-testid="opening-date" />
          </Form.Item>
          <Form.Item name="bank" label="食堂专户存款">
            <Input style={{ width: 130 }} suffix="元" data-testid="opening-bank" />
          </Form.Item>
          <Form.Item name="subsidy" label="营养改善计划专户">
            <Input style={{ width: 130 }} suffix="元" data-testid="opening-subsidy" />
          </Form.Item>
          <Form.Item name="cash" label="库存现金">
            <Input style={{ width: 110 }} suffix="元" data-testid="opening-cash" />
          </Form.Item>
          <Form.Item name="note" label="说明">
            <Input style={{ width: 220 }} />
          </Form.Item>
        </Form>
      </Card>
      <Card size="small" title="期初明细">
        {editable && (
          <Space wrap style={{ marginBottom: 8 }} onKeyDownCapture={enterToNext}>
            <Select
              value={adding.kind}
              style={{ width: 120 }}
              onChange={(kind) => setAdding({ ...adding, kind, entityId: null, entityLabel: '' })}
              options={(Object.keys(OPENING_LINE_LABELS) as OpeningLineKind[]).filter((k) => k !== 'stock' || state.usesStoreroom).map((k) => ({ value: k, label: OPENING_LINE_LABELS[k] }))}
              data-testid="opening-kind"
            />
            {adding.kind === 'stock' && (
              <IngredientSelect value={adding.entityId} onChange={(id, i) => setAdding({ ...adding, entityId: id, entityLabel: i ? `${i.name}` : '' })} style={{ width: 200 }} data-testid="opening-ingredient" />
            )}
            {adding.kind === 'payable' && <SupplierSelect value={adding.entityId} onChange={(id, s) => setAdding({ ...adding, entityId: id, entityLabel: s?.name ?? '' })} style={{ width: 220 }} />}
            {(adding.kind === 'prepaid' || adding.kind === 'arrears') && (
              <StudentSelect value={adding.entityId} onChange={(id, s) => setAdding({ ...adding, entityId: id, entityLabel: s ? `${s.name}（${s.studentNo}）` : '' })} />
            )}
            {adding.kind === 'stock' && <Input placeholder="数量" style={{ width: 90 }} value={adding.qty} onChange={(e) => setAdding({ ...adding, qty: e.target.value })} data-testid="opening-qty" />}
            <Input placeholder="金额（元）" style={{ width: 110 }} value={adding.amount} onChange={(e) => setAdding({ ...adding, amount: e.target.value })} data-testid="opening-amount" />
            {adding.kind === 'stock' && (
              <>
                <Input placeholder="保质期至 YYYY-MM-DD" style={{ width: 170 }} value={adding.expiry} onChange={(e) => setAdding({ ...adding, expiry: e.target.value })} />
                <Select value={adding.storage} style={{ width: 90 }} onChange={(storage) => setAdding({ ...adding, storage })} options={(Object.keys(STORAGE_LABELS) as StorageClass[]).map((k) => ({ value: k, label: STORAGE_LABELS[k] }))} />
              </>
            )}
            <Button onClick={addLine} data-testid="opening-add">
              加入
            </Button>
            {state.usesStoreroom && (
              <span data-testid="opening-stock-file">
                <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => importFile('stock', f)}>
                  <Button>从Excel导入期初库存</Button>
                </Upload>
              </span>
            )}
            <span data-testid="opening-pupils-file">
              <Upload accept=".xlsx" showUploadList={false} beforeUpload={(f) => importFile('pupils', f)}>
                <Button>从Excel导入学生预交/欠费</Button>
              </Upload>
            </span>
          </Space>
        )}
        <WorkProgress op="import" running={reading} testId="opening-import-progress" />
        <Table<Line & { key: number }>
          size="small"
          pagination={false}
          data-testid="opening-lines"
          dataSource={lines.map((l, i) => ({ ...l, key: i }))}
          columns={[
            { title: '类别', render: (_, l) => OPENING_LINE_LABELS[l.input.kind] },
            { title: '项目', dataIndex: 'label' },
            { title: '金额（元）', align: 'right', render: (_, l) => yuan(l.input.amountFen) },
            { title: '保质期至', render: (_, l) => (l.input.kind === 'stock' ? (l.input.expiryDate ?? '') : '') },
            ...(editable ? [{ title: '', render: (_: unknown, l: Line & { key: number }) => <Button size="small" type="link" onClick={() => setLines(lines.filter((_x, i) => i !== l.key))}>删除</Button> }] : []),
          ]}
        />
      </Card>
      {o && t && (
        <Descriptions size="small" bordered column={3} data-testid="opening-totals">
          <Descriptions.Item label="期初库存">{yuan(t.stockFen)}</Descriptions.Item>
          <Descriptions.Item label="应付供应商">{yuan(t.payableFen)}</Descriptions.Item>
          <Descriptions.Item label="学生预交 / 欠费（备查）">
            {yuan(t.prepaidFen)} / {yuan(t.arrearsFen)}
          </Descriptions.Item>
          <Descriptions.Item label="期初结余（记入期初结余科目）">{yuan(t.fundFen)}</Descriptions.Item>
          <Descriptions.Item label="建账次月的上月累计结余">
            <b data-testid="opening-previous-balance">{yuan(t.previousBalanceFen)}</b>
          </Descriptions.Item>
          <Descriptions.Item label="经办">
            {o.createdByName}
            {o.submittedByName && ` · 提交：${o.submittedByName}`}
            {o.approvedByName && ` · 审核：${o.approvedByName}`}
          </Descriptions.Item>
        </Descriptions>
      )}
      <Space>
        {editable && (
          <Button type="primary" loading={busy} onClick={() => void save()} data-testid="opening-save">
            保存草稿
          </Button>
        )}
        {canCall('opening.submit', roles) && o?.status === 'draft' && !state.closedNote && (
          <Button loading={busy} onClick={() => void act(() => call('opening.submit', {}), '已提交，等待审核人审核')} data-testid="opening-submit">
            提交审核
          </Button>
        )}
        {canCall('opening.withdraw', roles) && o?.status === 'submitted' && (
          <Button
            loading={busy}
            onClick={() => {
              const reason = window.prompt('退回理由');
              if (reason) void act(() => call('opening.withdraw', { reason }), '已退回草稿');
            }}
          >
            退回修改
          </Button>
        )}
        {canCall('opening.approve', roles) && o?.status === 'submitted' && !state.closedNote && (
          <Button type="primary" loading={busy} onClick={() => void act(() => call('opening.approve', {}), '期初建账已审核过账')} data-testid="opening-approve">
            审核过账
          </Button>
        )}
      </Space>
      <Modal
        open={preview !== null}
        width={760}
        title={preview?.kind === 'stock' ? '导入期初库存：预览' : '导入学生预交/欠费：预览'}
        onCancel={() => setPreview(null)}
        okText={`加入 ${preview?.p.okCount ?? 0} 行无误的数据`}
        okButtonProps={{ disabled: !preview || preview.p.okCount === 0, 'data-testid': 'opening-import-ok' } as never}
        onOk={() => {
          if (!preview) return;
          setLines([...lines, ...preview.p.rows.filter((r) => r.input).map((r) => ({ input: r.input!, label: r.label }))]);
          setPreview(null);
        }}
      >
        {preview && (
          <>
            <Typography.Paragraph>
              工作表「{preview.p.sheetName}」：{preview.p.okCount} 行无误，{preview.p.errorCount} 行有错误（有错误的行不会加入）。
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey="line"
              pagination={false}
              scroll={{ y: 360 }}
              data-testid="opening-import-rows"
              dataSource={preview.p.rows}
              columns={[
                { title: '行', dataIndex: 'line', width: 50 },
                { title: '内容', dataIndex: 'label' },
                { title: '检查', render: (_, r) => (r.errors.length ? <Typography.Text type="danger">{r.errors.join('；')}</Typography.Text> : <Tag color="green">无误</Tag>) },
              ]}
            />
          </>
        )}
      </Modal>
    </Space>
  );
}
