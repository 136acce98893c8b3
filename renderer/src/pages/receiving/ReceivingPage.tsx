import { Button, Result, Space, Spin, Table, Tabs, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { DeliveryView, PriceRow } from '../../../../shared/api/receiving.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { IngredientSelect } from '../../components/EntitySelect.tsx';
import { showError } from '../../feedback.ts';
import { navigate, restOf, usePath } from '../../router.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { useRoles, useSession } from '../../session.ts';
import { Attachments } from './Attachments.tsx';
import { DeliveryDetail } from './DeliveryDetail.tsx';
import { DeliveryForm } from './DeliveryForm.tsx';
import { DeliveryList } from './DeliveryList.tsx';
import { DeliveryPrint } from './DeliveryPrint.tsx';
import { DiscardDraft } from './DiscardDraft.tsx';
import { Reconciliation } from './Reconciliation.tsx';
import { NOWRAP } from '../../components/columns.ts';

const BASE = '/receiving';

/** An item's accepted prices over time (what the parent committee and the accountant compare). */
function PriceHistory() {
  const [ingredientId, setIngredientId] = useState<string | null>(null);
  const [rows, setRows] = useState<PriceRow[]>([]);
  useEffect(() => {
    if (!ingredientId) return setRows([]);
    call('receiving.priceHistory', { ingredientId }).then(setRows, showError);
  }, [ingredientId]);
  const qty = rows.reduce((s, r) => s + r.acceptedMilli, 0);
  const amount = rows.reduce((s, r) => s + r.amountFen, 0);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <IngredientSelect value={ingredientId} onChange={(v) => setIngredientId(v)} style={{ width: 240 }} data-testid="price-item" />
        {rows.length > 0 && (
          <Typography.Text type="secondary">
            共 {rows.length} 次，数量 {formatMilli(qty)}，金额 ¥{formatFen(amount)}，最低 {formatFen(Math.min(...rows.map((r) => r.unitPriceFen)))}，最高 {formatFen(Math.max(...rows.map((r) => r.unitPriceFen)))}
          </Typography.Text>
        )}
      </Space>
      <Table<PriceRow>
        rowKey={(r) => `${r.deliveryId}:${r.unitPriceFen}:${r.acceptedMilli}`}
        size="small"
        dataSource={rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        onRow={(r) => ({ onClick: () => navigate(`${BASE}/${r.deliveryId}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '日期', dataIndex: 'date' },
          { title: '验收单号', dataIndex: 'number', ...NOWRAP },
          { title: '供应商', dataIndex: 'supplierName' },
          { title: '合格数量', dataIndex: 'acceptedMilli', align: 'right', render: (m: number) => formatMilli(m) },
          { title: '单价', dataIndex: 'unitPriceFen', align: 'right', render: (f: number) => formatFen(f) },
          { title: '金额', dataIndex: 'amountFen', align: 'right', render: (f: number) => formatFen(f) },
        ]}
      />
    </>
  );
}

/** One delivery by id: a draft opens in the form, a posted or cancelled one as the read-only document or its print. */
function DeliveryById({ id, print, canEdit }: { id: string; print: boolean; canEdit: boolean }) {
  const [d, setD] = useState<DeliveryView | null>(null);
  const [missing, setMissing] = useState(false);
  const schoolName = useSession((s) => s.schoolName) ?? '';
  const load = useCallback(() => {
    call('receiving.get', { id }).then(setD, (e) => {
      setMissing(true);
      showError(e);
    });
  }, [id]);
  useEffect(load, [load]);
  if (missing) return <Result status="404" title="找不到该验收单" />;
  if (!d) return <Spin />;
  if (print) {
    return (
      <>
        <Space className="no-print" style={{ marginBottom: 12 }}>
          <Button onClick={() => navigate(`${BASE}/${id}`)}>返回</Button>
          <Button type="primary" onClick={() => window.print()} data-testid="print-now">
            打印（A4）
          </Button>
        </Space>
        <DeliveryPrint d={d} schoolName={schoolName} />
      </>
    );
  }
  if (d.status === 'draft' && canEdit) {
    return (
      <>
        <Space className="no-print" style={{ marginBottom: 12 }}>
          <Button onClick={() => navigate(BASE)}>返回列表</Button>
          {/* a draft a rule blocks (a supplier's licence missing) would otherwise be a dead end: 月结 allows no draft */}
          <DiscardDraft id={d.id} label={`${d.date} ${d.supplierName}`} onDone={load} />
        </Space>
        <DeliveryForm key={d.id} existing={d} onPosted={load} />
        {/* photos taken at the door can be attached before posting */}
        <Attachments delivery={d} canEdit onChanged={load} />
      </>
    );
  }
  return <DeliveryDetail d={d} canEdit={canEdit} reload={load} />;
}


/**
 * 验收入库: the list, the kitchen-door form (/receiving/new), a delivery (/receiving/<id>, /receiving/<id>/print),
 * reconciliation (/receiving/reconcile) and price history (/receiving/prices).
 */
export function ReceivingPage() {
  const roles = useRoles();
  const canEdit = canCall('receiving.saveDraft', roles);
  const canReconcile = canCall('receiving.reconciliation', roles);
  const rest = restOf(BASE, usePath());
  const [first, second] = rest.split('/');
  const tab = first === 'reconcile' ? 'reconcile' : first === 'prices' ? 'prices' : 'list';

  let body;
  if (first === 'new') body = canEdit ? <DeliveryForm existing={null} /> : <Result status="403" title="您的角色不能录入验收单" />;
  else if (first && tab === 'list') body = <DeliveryById key={rest} id={first} print={second === 'print'} canEdit={canEdit} />;
  else
    body = (
      <Tabs
        activeKey={tab}
        onChange={(k) => navigate(k === 'list' ? BASE : `${BASE}/${k}`)}
        items={[
          { key: 'list', label: '验收单', children: tab === 'list' ? <DeliveryList canEdit={canEdit} /> : null },
          ...(canReconcile ? [{ key: 'reconcile', label: '供应商对账', children: tab === 'reconcile' ? <Reconciliation canWrite={canCall('receiving.statementSave', roles)} /> : null }] : []),
          { key: 'prices', label: '价格历史', children: tab === 'prices' ? <PriceHistory /> : null },
        ]}
      />
    );
  return body;
}
