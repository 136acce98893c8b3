import { Button, Input, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { DELIVERY_STATUS_LABELS, DELIVERY_STATUSES, type DeliveryListRow, type DeliveryStatus } from '../../../../shared/api/receiving.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { IngredientSelect, SupplierSelect } from '../../components/EntitySelect.tsx';
import { showError } from '../../feedback.ts';
import { navigate } from '../../router.ts';
import { StatusTag } from './DeliveryDetail.tsx';

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** Deliveries by date range, supplier, item and status, with the total of posted (accepted) amounts. */
export function DeliveryList({ canEdit }: { canEdit: boolean }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [ingredientId, setIngredientId] = useState<string | null>(null);
  const [status, setStatus] = useState<DeliveryStatus | undefined>(undefined);
  const [data, setData] = useState<{ rows: DeliveryListRow[]; total: number; totalFen: number }>({ rows: [], total: 0, totalFen: 0 });
  const [loading, setLoading] = useState(false);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(
        await call('receiving.list', {
          ...(isDate(from) ? { from } : {}),
          ...(isDate(to) ? { to } : {}),
          ...(supplierId ? { supplierId } : {}),
          ...(ingredientId ? { ingredientId } : {}),
          ...(status ? { status } : {}),
          limit: 1000,
        }),
      );
    } catch (e) {
      showError(e);
    } finally {
      setLoading(false);
    }
  }, [from, to, supplierId, ingredientId, status]);
  useEffect(() => {
    const t = setTimeout(load, 150);
    return () => clearTimeout(t);
  }, [load]);

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {canEdit && (
          <Button type="primary" onClick={() => navigate('/receiving/new')} data-testid="delivery-new">
            新建验收单
          </Button>
        )}
        <Input style={{ width: 120 }} placeholder="起 YYYY-MM-DD" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="list-from" />
        <Input style={{ width: 120 }} placeholder="止 YYYY-MM-DD" value={to} onChange={(e) => setTo(e.target.value)} data-testid="list-to" />
        <SupplierSelect value={supplierId} onChange={(v) => setSupplierId(v)} style={{ width: 220 }} />
        <IngredientSelect value={ingredientId} onChange={(v) => setIngredientId(v)} style={{ width: 180 }} />
        <Select allowClear placeholder="状态" style={{ width: 100 }} value={status} onChange={setStatus} options={DELIVERY_STATUSES.map((s) => ({ value: s, label: DELIVERY_STATUS_LABELS[s] }))} />
      </Space>
      <Table<DeliveryListRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data.rows}
        pagination={{ pageSize: 50, showSizeChanger: false }}
        data-testid="delivery-table"
        onRow={(r) => ({ onClick: () => navigate(`/receiving/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '验收单号', dataIndex: 'number', render: (n: string | null) => n ?? '（草稿）' },
          { title: '日期', dataIndex: 'date' },
          { title: '供应商', dataIndex: 'supplierName' },
          { title: '送货单号', dataIndex: 'noteNumber' },
          { title: '行数', dataIndex: 'lineCount', align: 'right' },
          { title: '拒收行', dataIndex: 'rejectedLines', align: 'right', render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : '') },
          { title: '验收人', dataIndex: 'inspectorNames', render: (n: string[]) => n.join('、') },
          { title: '合格金额', dataIndex: 'totalFen', align: 'right', render: (f: number, r) => (r.status === 'cancelled' ? <Typography.Text delete>{formatFen(f)}</Typography.Text> : formatFen(f)) },
          { title: '状态', dataIndex: 'status', render: (s: DeliveryStatus, r) => <>{<StatusTag status={s} />}{r.amends ? '更正单' : ''}</> },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={7}>
              共 {data.total} 张；已过账合计
            </Table.Summary.Cell>
            <Table.Summary.Cell index={7} align="right">
              <span data-testid="list-total">{formatFen(data.totalFen)}</span>
            </Table.Summary.Cell>
            <Table.Summary.Cell index={8} />
          </Table.Summary.Row>
        )}
      />
    </>
  );
}
