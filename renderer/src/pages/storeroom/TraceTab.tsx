import { Alert, Button, Card, Descriptions, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ADJUST_REASON_LABELS, MEAL_LABELS, MEALS, MOVEMENT_LABELS } from '../../../../shared/labels-storeroom.ts';
import type { LotTrace, LotView, Meal, MealTrace, MovementView } from '../../../../shared/api/storeroom.ts';
import { CERT_LABELS, STORAGE_LABELS, type CertKind } from '../../../../shared/domain.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { showError } from '../../feedback.ts';
import { chinaTime, chinaToday } from '../../labels.ts';
import { navigate, useQuery } from '../../router.ts';
import { BASE, DateBox, StateTag } from './common.tsx';
import { NOWRAP } from '../../components/columns.ts';

/** A lot back to its delivery (supplier, inspectors, certificates) and forward to every issue. */
function LotTraceView({ lotId }: { lotId: string }) {
  const [t, setT] = useState<LotTrace | null>(null);
  useEffect(() => {
    call('storeroom.lotTrace', { lotId }).then(setT, showError);
  }, [lotId]);
  if (!t) return null;
  const { lot, delivery } = t;
  return (
    <div data-testid="lot-trace">
      <Button className="no-print" onClick={() => navigate(`${BASE}/trace`)} style={{ marginBottom: 12 }}>
        返回
      </Button>
      <Card size="small" title={`批次：${lot.ingredientName}（${lot.receivedOn} 入库${lot.direct ? '，直进直出' : ''}）`} style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="入库数量">
            {formatMilli(lot.inMilli)} {lot.unit}
          </Descriptions.Item>
          <Descriptions.Item label="单价">¥{formatFen(lot.unitPriceFen)}</Descriptions.Item>
          <Descriptions.Item label="金额">¥{formatFen(lot.inValueFen)}</Descriptions.Item>
          <Descriptions.Item label="保质期至">
            <Space size={4}>
              {lot.expiryDate ?? '—'}
              <StateTag state={lot.state} daysLeft={lot.daysLeft} />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="储存">{STORAGE_LABELS[lot.storageClass]}</Descriptions.Item>
          <Descriptions.Item label="结存">
            {formatMilli(lot.onHandMilli)} {lot.unit}（¥{formatFen(lot.onHandValueFen)}）
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {delivery && (
        <Card size="small" title="来源（验收单）" style={{ marginBottom: 12 }}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label="验收单号">
              <a onClick={() => navigate(`/receiving/${delivery.id}`)}>{delivery.number ?? '—'}</a>
              {delivery.status === 'cancelled' && <Tag color="red" style={{ marginLeft: 6 }}>已作废</Tag>}
            </Descriptions.Item>
            <Descriptions.Item label="验收日期">{delivery.date}</Descriptions.Item>
            <Descriptions.Item label="供应商">{delivery.supplierName}</Descriptions.Item>
            <Descriptions.Item label="统一社会信用代码">{delivery.supplierCreditCode}</Descriptions.Item>
            <Descriptions.Item label="联系人">
              {delivery.supplierContact} {delivery.supplierPhone}
            </Descriptions.Item>
            <Descriptions.Item label="地址">{delivery.supplierAddress}</Descriptions.Item>
            <Descriptions.Item label="验收人">{delivery.inspectors.join('、')}</Descriptions.Item>
            <Descriptions.Item label="家委会代表">{delivery.witnessName || '—'}</Descriptions.Item>
            <Descriptions.Item label="生产日期/批号">
              {delivery.productionDate ?? '—'} / {delivery.batchNo || '—'}
            </Descriptions.Item>
            <Descriptions.Item label="随货证明">
              {Object.entries(delivery.certs)
                .filter(([, v]) => v)
                .map(([k, v]) => `${CERT_LABELS[k as CertKind]}：${v}`)
                .join('；') || '—'}
              {delivery.attachments.length > 0 && `（附件 ${delivery.attachments.length} 份）`}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Table<MovementView>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={t.movements}
        title={() => '去向（库存流水）'}
        columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '类型', key: 'k', render: (_: unknown, m) => `${MOVEMENT_LABELS[m.kind]}${m.reversal ? '（冲销）' : ''}${m.reason ? `：${ADJUST_REASON_LABELS[m.reason]}` : ''}` },
          { title: '餐次', dataIndex: 'meal', render: (meal: Meal | null, m) => (meal ? MEAL_LABELS[meal] : m.kind === 'issue' ? '直进直出' : '') },
          { title: '出库单', dataIndex: 'issueNumber', ...NOWRAP },
          { title: '数量', dataIndex: 'qtyMilli', align: 'right', render: (q: number) => formatMilli(q) },
          { title: '金额', dataIndex: 'valueFen', align: 'right', render: (f: number) => formatFen(f) },
          { title: '说明', dataIndex: 'note' },
          { title: '经办', key: 'by', render: (_: unknown, m) => `${m.createdByName ?? ''} ${chinaTime(m.createdAt)}` },
        ]}
      />
    </div>
  );
}

/** A day's meal (or the whole day) to the lots it used, and back to their deliveries. */
function MealTraceView() {
  const query = useQuery();
  const [date, setDate] = useState(query.get('date') ?? chinaToday());
  const [meal, setMeal] = useState<Meal | 'all'>((query.get('meal') as Meal | null) ?? 'all');
  const [t, setT] = useState<MealTrace | null>(null);
  useEffect(() => {
    call('storeroom.mealTrace', { date, meal: meal === 'all' ? null : meal }).then(setT, showError);
  }, [date, meal]);
  return (
    <Card size="small" title="餐次追溯：这一餐用了哪些批次" style={{ marginBottom: 12 }}>
      <Space wrap style={{ marginBottom: 8 }}>
        <DateBox value={date} onChange={setDate} data-testid="trace-date" />
        <Radio.Group value={meal} onChange={(e) => setMeal(e.target.value)} optionType="button" options={[{ value: 'all', label: '全天' }, ...MEALS.map((m) => ({ value: m, label: MEAL_LABELS[m] }))]} data-testid="trace-meal" />
        {t && <Typography.Text type="secondary">合计 ¥{formatFen(t.totalFen)}（含当日直进直出）</Typography.Text>}
      </Space>
      <Table
        rowKey={(l, i) => `${l.lotId}:${i}`}
        size="small"
        pagination={false}
        dataSource={t?.lines ?? []}
        data-testid="meal-trace"
        locale={{ emptyText: '这一餐没有出库记录' }}
        columns={[
          { title: '出库单', dataIndex: 'issueNumber', ...NOWRAP },
          { title: '餐次', dataIndex: 'meal', render: (m: Meal | null) => (m ? MEAL_LABELS[m] : '直进直出') },
          { title: '品名', dataIndex: 'ingredientName' },
          { title: '数量', key: 'q', align: 'right', render: (_: unknown, l) => `${formatMilli(l.qtyMilli)} ${l.unit}` },
          { title: '金额', dataIndex: 'valueFen', align: 'right', render: (f: number) => formatFen(f) },
          { title: '保质期至', dataIndex: 'expiryDate', render: (e: string | null) => e ?? '—' },
          { title: '来源验收单', dataIndex: 'deliveryNumber', render: (n: string | null, l) => <a onClick={() => navigate(`${BASE}/trace/${l.lotId}`)}>{n ?? '—'}</a>, ...NOWRAP },
          { title: '供应商', dataIndex: 'supplierName' },
        ]}
      />
    </Card>
  );
}

function LotFinder() {
  const [q, setQ] = useState('');
  const [lots, setLots] = useState<LotView[]>([]);
  useEffect(() => {
    call('storeroom.lots', { q, limit: 200 }).then(setLots, showError);
  }, [q]);
  return (
    <Card size="small" title="批次追溯：从批次查来源与去向">
      <Input.Search allowClear placeholder="品名或拼音首字母" style={{ width: 240, marginBottom: 8 }} onSearch={setQ} onChange={(e) => !e.target.value && setQ('')} />
      <Table<LotView>
        rowKey="lotId"
        size="small"
        dataSource={lots}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        onRow={(l) => ({ onClick: () => navigate(`${BASE}/trace/${l.lotId}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '入库日期', dataIndex: 'receivedOn' },
          { title: '品名', dataIndex: 'ingredientName' },
          { title: '验收单', dataIndex: 'deliveryNumber', ...NOWRAP },
          { title: '供应商', dataIndex: 'supplierName' },
          { title: '入库数量', key: 'in', align: 'right', render: (_: unknown, l) => `${formatMilli(l.inMilli)} ${l.unit}` },
          { title: '结存', key: 'oh', align: 'right', render: (_: unknown, l) => (l.direct ? '直进直出' : `${formatMilli(l.onHandMilli)} ${l.unit}`) },
          { title: '保质期至', dataIndex: 'expiryDate', render: (e: string | null) => e ?? '—' },
        ]}
      />
    </Card>
  );
}

export function TraceTab({ lotId }: { lotId: string | null }) {
  if (lotId) return <LotTraceView lotId={lotId} />;
  return (
    <>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title="来源可溯、去向可查：从批次查到验收单、供应商、验收人与证明，从某日某餐查到所用批次。" />
      <MealTraceView />
      <LotFinder />
    </>
  );
}
