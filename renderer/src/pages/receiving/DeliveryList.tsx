import { Button, Input, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { DELIVERY_STATUS_LABELS, DELIVERY_STATUSES } from '../../../../shared/labels-receiving.ts';
import type { DeliveryListRow, DeliveryStatus } from '../../../../shared/api/receiving.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { IngredientSelect, SupplierSelect } from '../../components/EntitySelect.tsx';
import { showError } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate } from '../../router.ts';
import { StatusTag } from './DeliveryDetail.tsx';
import { DiscardDraft } from './DiscardDraft.tsx';
import { NOWRAP } from '../../components/columns.ts';

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
/** Rows per page, asked of the core one page at a time (a year is ~1,000 deliveries; a month ~90). */
export const PAGE_SIZE = 50;

/** The first and last day of the month `shift` months from the one holding `day` (YYYY-MM-DD). */
export function monthRange(day: string, shift = 0): { from: string; to: string } {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + shift;
  const first = new Date(Date.UTC(y, m, 1));
  const last = new Date(Date.UTC(y, m + 1, 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

/**
 * Deliveries by date range, supplier, item and status, with the total of posted (accepted) amounts. It opens on this
 * month (China time) and asks for one page of 50 at a time; the range stays in plain date fields (typed, or moved a
 * month with 上月/下月), and emptying both shows the whole history.
 */
export function DeliveryList({ canEdit }: { canEdit: boolean }) {
  const [initial] = useState(() => monthRange(chinaToday()));
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [page, setPage] = useState(1);
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
          offset: (page - 1) * PAGE_SIZE,
          limit: PAGE_SIZE,
        }),
      );
    } catch (e) {
      showError(e);
    } finally {
      setLoading(false);
    }
  }, [from, to, supplierId, ingredientId, status, page]);
  useEffect(() => {
    const t = setTimeout(load, 150);
    return () => clearTimeout(t);
  }, [load]);
  // a new filter starts again on its first page
  useEffect(() => setPage(1), [from, to, supplierId, ingredientId, status]);
  /** Moves the range to the month before/after the one it starts in (this month when the range is empty). */
  const shiftMonth = (shift: number) => {
    const r = monthRange(isDate(from) ? from : isDate(to) ? to : chinaToday(), shift);
    setFrom(r.from);
    setTo(r.to);
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {canEdit && (
          <Button type="primary" onClick={() => navigate('/receiving/new')} data-testid="delivery-new">
            新建验收单
          </Button>
        )}
        <Space.Compact>
          <Button onClick={() => shiftMonth(-1)} data-testid="list-prev-month">
            上月
          </Button>
          <Input style={{ width: 120 }} placeholder="起 YYYY-MM-DD" aria-label="起始日期" value={from} onChange={(e) => setFrom(e.target.value.trim())} data-testid="list-from" />
          <Input style={{ width: 120 }} placeholder="止 YYYY-MM-DD" aria-label="截止日期" value={to} onChange={(e) => setTo(e.target.value.trim())} data-testid="list-to" />
          <Button onClick={() => shiftMonth(1)} data-testid="list-next-month">
            下月
          </Button>
        </Space.Compact>
        <SupplierSelect value={supplierId} onChange={(v) => setSupplierId(v)} style={{ width: 220 }} />
        <IngredientSelect value={ingredientId} onChange={(v) => setIngredientId(v)} style={{ width: 180 }} />
        <Select allowClear placeholder="状态" style={{ width: 100 }} value={status} onChange={setStatus} options={DELIVERY_STATUSES.map((s) => ({ value: s, label: DELIVERY_STATUS_LABELS[s] }))} />
      </Space>
      <Table<DeliveryListRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data.rows}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: setPage }}
        data-testid="delivery-table"
        onRow={(r) => ({ onClick: () => navigate(`/receiving/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: '验收单号', dataIndex: 'number', render: (n: string | null) => n ?? '（草稿）', ...NOWRAP },
          { title: '日期', dataIndex: 'date' },
          { title: '供应商', dataIndex: 'supplierName' },
          { title: '送货单号', dataIndex: 'noteNumber', ...NOWRAP },
          { title: '行数', dataIndex: 'lineCount', align: 'right' },
          { title: '拒收行', dataIndex: 'rejectedLines', align: 'right', render: (n: number) => (n ? <Typography.Text type="danger">{n}</Typography.Text> : '') },
          { title: '验收人', dataIndex: 'inspectorNames', render: (n: string[]) => n.join('、') },
          { title: '合格金额', dataIndex: 'totalFen', align: 'right', render: (f: number, r) => (r.status === 'cancelled' ? <Typography.Text delete>{formatFen(f)}</Typography.Text> : formatFen(f)) },
          { title: '状态', dataIndex: 'status', render: (s: DeliveryStatus, r) => <>{<StatusTag status={s} />}{r.amends ? '更正单' : ''}</> },
          ...(canEdit
            ? [{ title: '操作', key: 'ops', render: (_: unknown, r: DeliveryListRow) => (r.status === 'draft' ? <DiscardDraft id={r.id} size="small" label={`${r.date} ${r.supplierName}`} onDone={load} /> : null) }]
            : []),
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
            {canEdit && <Table.Summary.Cell index={9} />}
          </Table.Summary.Row>
        )}
      />
    </>
  );
}
