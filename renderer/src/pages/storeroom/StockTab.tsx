import { Button, Form, Input, Modal, Radio, Space, Switch, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { LotView, StockItem } from '../../../../shared/api/storeroom.ts';
import { CATEGORY_LABELS, STORAGE_LABELS } from '../../../../shared/domain.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { QuantityInput, milliRules } from '../../components/NumberText.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate } from '../../router.ts';
import { BASE, DateBox, StateTag, useCanWrite } from './common.tsx';
import { useSubmit } from '../../components/FormDialog.tsx';

/** 报损 / 过期销毁 of one lot: the only way stock leaves other than an issue to the kitchen. */
function DisposeModal({ lot, onClose }: { lot: LotView; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm();
  const expired = lot.state === 'expired';
  const [busy, save] = useSubmit(async (v: { date: string; qtyMilli: number; reason: 'loss' | 'expired'; note?: string }) => {
    await call('storeroom.adjust', { lotId: lot.lotId, date: v.date, qtyMilli: v.qtyMilli, reason: v.reason, note: v.note ?? '' });
    toast('已登记');
    onClose(true);
  }, form);
  // An incomplete form shows its messages under the fields; nothing more to say.
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (v) await save(v);
  };
  return (
    <Modal open title={`报损：${lot.ingredientName}（${lot.deliveryNumber ?? lot.receivedOn}）`} okText="确认报损" onOk={submit} confirmLoading={busy} onCancel={() => onClose(false)} destroyOnHidden>
      <Form form={form} layout="vertical" onKeyDownCapture={enterToNext} initialValues={{ date: chinaToday(), reason: expired ? 'expired' : 'loss', qtyMilli: lot.onHandMilli }} onFinish={submit}>
        <Typography.Paragraph type="secondary">
          结存 {formatMilli(lot.onHandMilli)} {lot.unit}，保质期至 {lot.expiryDate ?? '—'}
        </Typography.Paragraph>
        <Form.Item name="reason" label="原因">
          <Radio.Group options={[{ value: 'loss', label: '损耗' }, { value: 'expired', label: '过期销毁' }]} />
        </Form.Item>
        <Form.Item name="date" label="日期" rules={[{ required: true, message: '请填写日期' }]}>
          <Input type="date" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="qtyMilli" label={`数量（${lot.unit}）`} rules={milliRules('数量')}>
          <QuantityInput suffix={lot.unit} data-testid="dispose-qty" />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input maxLength={200} placeholder="如：霉变，已在监督下销毁" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 库存: by item, each expandable into its lots with expiry warnings; the storekeeper disposes of lots from here. */
export function StockTab() {
  const canWrite = useCanWrite();
  const [q, setQ] = useState('');
  const [asOf, setAsOf] = useState(chinaToday());
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const [items, setItems] = useState<StockItem[] | null>(null);
  const [dispose, setDispose] = useState<LotView | null>(null);
  const load = useCallback(() => {
    call('storeroom.stock', { q, asOf, includeEmpty }).then(setItems, showError);
  }, [q, asOf, includeEmpty]);
  useEffect(load, [load]);
  const total = (items ?? []).reduce((s, i) => s + i.onHandValueFen, 0);
  const warn = (items ?? []).flatMap((i) => i.lots).filter((l) => l.onHandMilli > 0 && l.state !== 'ok').length;

  const lotColumns = [
    { title: '批次（验收单）', key: 'd', render: (_: unknown, l: LotView) => <a onClick={() => navigate(`${BASE}/trace/${l.lotId}`)}>{l.deliveryNumber ?? '—'}</a> },
    { title: '供应商', dataIndex: 'supplierName' },
    { title: '入库日期', dataIndex: 'receivedOn' },
    { title: '保质期至', key: 'e', render: (_: unknown, l: LotView) => <Space size={4}>{l.expiryDate ?? '—'}<StateTag state={l.state} daysLeft={l.daysLeft} /></Space> },
    { title: '储存', dataIndex: 'storageClass', render: (s: LotView['storageClass']) => STORAGE_LABELS[s] },
    { title: '入库数量', dataIndex: 'inMilli', align: 'right' as const, render: (m: number) => formatMilli(m) },
    { title: '单价', dataIndex: 'unitPriceFen', align: 'right' as const, render: (f: number) => formatFen(f) },
    { title: '结存数量', dataIndex: 'onHandMilli', align: 'right' as const, render: (m: number) => formatMilli(m) },
    { title: '结存金额', dataIndex: 'onHandValueFen', align: 'right' as const, render: (f: number) => formatFen(f) },
    ...(canWrite
      ? [{ title: '', key: 'x', render: (_: unknown, l: LotView) => (l.onHandMilli > 0 ? <Button size="small" danger={l.state === 'expired'} onClick={() => setDispose(l)} data-testid={`dispose-${l.lotId}`}>报损</Button> : null) }]
      : []),
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder="品名或拼音首字母" style={{ width: 220 }} onSearch={setQ} onChange={(e) => !e.target.value && setQ('')} data-testid="stock-search" />
        <span>截至</span>
        <DateBox value={asOf} onChange={setAsOf} data-testid="stock-asof" />
        <Switch checked={includeEmpty} onChange={setIncludeEmpty} checkedChildren="含已出完" unCheckedChildren="仅有结存" />
        <Typography.Text data-testid="stock-total">
          结存金额合计 ¥{formatFen(total)}
          {warn > 0 && <Typography.Text type="danger">　{warn} 个批次临期或过期</Typography.Text>}
        </Typography.Text>
      </Space>
      {items && (
      <Table<StockItem>
        rowKey="ingredientId"
        size="small"
        dataSource={items}
        pagination={false}
        expandable={{ expandedRowRender: (i) => <Table<LotView> rowKey="lotId" size="small" pagination={false} dataSource={i.lots} columns={lotColumns} />, defaultExpandAllRows: true }}
        columns={[
          { title: '品名', dataIndex: 'name' },
          { title: '类别', dataIndex: 'category', render: (c: StockItem['category']) => CATEGORY_LABELS[c] },
          { title: '规格', dataIndex: 'spec' },
          { title: '单位', dataIndex: 'unit' },
          { title: '结存数量', dataIndex: 'onHandMilli', align: 'right', render: (m: number) => formatMilli(m) },
          { title: '结存金额', dataIndex: 'onHandValueFen', align: 'right', render: (f: number) => formatFen(f) },
          { title: '最早到期', key: 'e', render: (_: unknown, i) => <Space size={4}>{i.earliestExpiry ?? '—'}<StateTag state={i.state} /></Space> },
        ]}
      />
      )}
      {dispose && (
        <DisposeModal
          lot={dispose}
          onClose={(changed) => {
            setDispose(null);
            if (changed) load();
          }}
        />
      )}
    </>
  );
}
