import { Alert, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { ADJUST_REASON_LABELS } from '../../../../shared/labels-storeroom.ts';
import type { CategoryCost, CategoryCostLine } from '../../../../shared/api/storeroom.ts';
import { CATEGORY_LABELS } from '../../../../shared/domain.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { showError } from '../../feedback.ts';
import { useQuery } from '../../router.ts';
import { MonthBox, currentMonth } from './common.tsx';

type Row = Omit<CategoryCostLine, 'category'> & { key: string; label: string };

/** 分类成本 (LAYOUTS.md Sheet 2): 本月实际支出 = 上月底库存 + 本月购入 − 本月底库存, 盘点调整 shown apart. */
export function CostTab() {
  const query = useQuery();
  const [month, setMonth] = useState(query.get('month') ?? currentMonth());
  const [cost, setCost] = useState<CategoryCost | null>(null);
  useEffect(() => {
    call('storeroom.categoryCost', { month }).then(setCost, showError);
  }, [month]);
  const rows: Row[] = cost
    ? [...cost.rows.map(({ category, ...r }) => ({ ...r, key: category, label: CATEGORY_LABELS[category] })), { ...cost.total, key: 'total', label: '合计' }]
    : [];
  const money = (f: number) => formatFen(f);
  return (
    <>
      <div style={{ marginBottom: 12 }}>
        <span style={{ marginRight: 8 }}>月份</span>
        <MonthBox value={month} onChange={setMonth} data-testid="cost-month" />
      </div>
      {cost && !cost.countPosted && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title="本月尚未盘点过账：本月底库存为账面数，盘点后以实盘为准" />}
      <Table<Row>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        data-testid="cost-table"
        rowClassName={(r) => (r.key === 'total' ? 'cost-total' : '')}
        columns={[
          { title: '类别', dataIndex: 'label', render: (l: string, r) => (r.key === 'total' ? <b>{l}</b> : l) },
          { title: '上月底库存', dataIndex: 'openingFen', align: 'right', render: money },
          { title: '本月购入', dataIndex: 'purchasesFen', align: 'right', render: money },
          { title: '本月实际支出', dataIndex: 'consumedFen', align: 'right', render: (f: number) => <b>{money(f)}</b> },
          { title: '盘点调整', dataIndex: 'adjustmentsFen', align: 'right', render: money },
          { title: '本月底库存', dataIndex: 'closingFen', align: 'right', render: money },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        本月实际支出 = 上月底库存 + 本月购入 − 本月底库存（单位：元）。盘点调整（损耗、过期销毁、盘盈盘亏）已含在本月底库存中，单列说明如下。
      </Typography.Paragraph>
      {cost && cost.adjustments.length > 0 && (
        <Table
          rowKey={(a, i) => `${a.date}:${i}`}
          size="small"
          pagination={false}
          dataSource={cost.adjustments}
          data-testid="cost-adjustments"
          columns={[
            { title: '日期', dataIndex: 'date' },
            { title: '品名', dataIndex: 'ingredientName' },
            { title: '类别', dataIndex: 'category', render: (c: keyof typeof CATEGORY_LABELS) => CATEGORY_LABELS[c] },
            { title: '原因', dataIndex: 'reason', render: (r: keyof typeof ADJUST_REASON_LABELS) => ADJUST_REASON_LABELS[r] },
            { title: '数量', key: 'q', align: 'right', render: (_: unknown, a) => `${formatMilli(a.qtyMilli)} ${a.unit}` },
            { title: '金额', dataIndex: 'valueFen', align: 'right', render: money },
            { title: '说明', dataIndex: 'note' },
          ]}
        />
      )}
    </>
  );
}
