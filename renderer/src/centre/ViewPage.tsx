import { Alert, Button, Empty, Select, Space, Spin, Typography } from 'antd';
import { lazy, Suspense, useEffect, useState } from 'react';
import type { CentreCell, CentreViewColumn, CentreViewName, CentreViewResult } from '../../../shared/centre/api.ts';
import { formatBp, formatFen, formatMilli } from '../../../shared/format.ts';
import { centreCall } from './centreApi.ts';

const PriceChart = lazy(() => import('./PriceChart.tsx').then((m) => ({ default: m.PriceChart })));

/** A row the view flags, shown first by the backend's order and marked here: what the centre should look at. */
const FLAGGED: Record<CentreViewName, (r: Record<string, CentreCell>) => boolean> = {
  submission: (r) => !r.sent,
  surplus: (r) => Boolean(r.breach || r.over_limit_month),
  price: (r) => Boolean(r.over_median || r.over_reference),
  supplier: (r) => Boolean(r.licence_problem),
  inspection: (r) => Boolean(r.never_rotated),
  foodsafety: (r) => Number(r.days_without_samples ?? 0) + Number(r.days_without_companion ?? 0) + Number(r.open_followups ?? 0) > 0,
};

/**
 * The price view of a city month runs to 200,000 rows: the screen reads it a page at a time (export has all); the
 * backend counts the month's rows and flagged rows over all of them (total, flagged), so the count line is the month's.
 */
const PAGE = 500;

function cell(c: CentreViewColumn, v: CentreCell): string {
  if (v === null || v === undefined) return '—';
  switch (c.kind) {
    case 'fen':
      return formatFen(Number(v));
    case 'bp':
      return formatBp(Number(v));
    case 'milli':
      return formatMilli(Number(v));
    case 'bool':
      return v ? '是' : '否';
    default:
      return String(v);
  }
}

const PRINT_CSS = `
.centre-sheet { width: 100%; border-collapse: collapse; background: #fff; font-size: 12px; }
.centre-sheet th, .centre-sheet td { border: 1px solid #d9d9d9; padding: 3px 6px; }
.centre-sheet th { background: #fafafa; font-weight: 600; }
.centre-sheet td.num { text-align: right; font-variant-numeric: tabular-nums; }
.centre-sheet tr.flagged td { background: #fff1f0; }
.centre-sheet td.flag { color: #cf1322; font-weight: 600; }
.centre-print-title { display: none; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  html, body, #root, .ant-app, .ant-layout, .ant-layout-content { height: auto !important; overflow: visible !important; background: #fff !important; }
  .ant-layout-sider, .ant-layout-header, .no-print { display: none !important; }
  .ant-layout-content { padding: 0 !important; }
  .centre-print-title { display: block; font-size: 16pt; text-align: center; margin-bottom: 4mm; }
  .centre-sheet { font-size: 8pt; }
  .centre-sheet thead { display: table-header-group; }
  .centre-sheet tr { page-break-inside: avoid; }
}
`;

/**
 * One of the centre's views for a month: the table (flagged rows first and marked), 导出 Excel (the same view as an
 * A4 .xlsx in the centre's exports/ folder) and 打印 (A4 landscape, the table alone). 食材价格 adds the chart.
 */
export function ViewPage({ view, label, onError }: { view: CentreViewName; label: string; onError: (m: string) => void }) {
  const [months, setMonths] = useState<string[] | null>(null);
  const [month, setMonth] = useState<string | null>(null);
  const [data, setData] = useState<CentreViewResult | null>(null);
  const [limit, setLimit] = useState(PAGE);
  const [exported, setExported] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void centreCall('views.months', {}).then((m) => {
      setMonths(m);
      setMonth(m[0] ?? null);
    });
  }, []);
  useEffect(() => {
    if (!month) return;
    setData(null);
    setExported(null);
    centreCall('views.show', { view, month, ...(view === 'price' ? { limit } : {}) }).then(setData, (e: Error) => onError(e.message));
  }, [view, month, limit, onError]);
  const exportXlsx = async () => {
    if (!month) return;
    setBusy(true);
    try {
      setExported((await centreCall('views.export', { view, month })).file);
    } catch (e) {
      onError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  if (!months) return <Spin />;
  if (!months.length) return <Empty description="还没有导入任何上报包" />;
  const flagged = FLAGGED[view];
  return (
    <>
      <style>{PRINT_CSS}</style>
      <Space className="no-print" style={{ marginBottom: 12 }} wrap>
        <span>月份</span>
        <Select style={{ width: 120 }} value={month} onChange={setMonth} options={months.map((m) => ({ value: m, label: m }))} data-testid="view-month" />
        <Button onClick={() => void exportXlsx()} loading={busy} data-testid="view-export">
          导出 Excel
        </Button>
        <Button onClick={() => window.print()} data-testid="view-print">
          打印（A4 横向）
        </Button>
        {data && (
          <Typography.Text type="secondary" data-testid="view-count">
            {data.total ?? data.rows.length} 行，其中需关注 {data.flagged ?? data.rows.filter(flagged).length} 行
          </Typography.Text>
        )}
      </Space>
      {exported && <Alert className="no-print" style={{ marginBottom: 12 }} type="success" showIcon message={`已导出：${exported}`} data-testid="view-exported" />}
      {view === 'price' && month && (
        <div className="no-print" style={{ marginBottom: 16 }}>
          <Suspense fallback={<Spin />}>
            <PriceChart month={month} />
          </Suspense>
        </div>
      )}
      {!data ? (
        <Spin />
      ) : (
        <>
          <div className="centre-print-title">{data.title}</div>
          <table className="centre-sheet" data-testid={`view-${view}`} aria-label={label}>
            <thead>
              <tr>
                {data.columns.map((c) => (
                  <th key={c.key}>{c.header}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r, i) => (
                <tr key={i} className={flagged(r) ? 'flagged' : undefined}>
                  {data.columns.map((c) => (
                    <td key={c.key} className={c.kind === 'bool' && r[c.key] && c.key !== 'sent' ? 'flag' : c.kind === 'text' ? undefined : 'num'}>
                      {cell(c, r[c.key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {view === 'price' && (data.total !== undefined ? data.total > data.rows.length : data.rows.length >= limit) && (
            <Button className="no-print" style={{ marginTop: 8 }} onClick={() => setLimit(limit + PAGE)}>
              显示更多
            </Button>
          )}
        </>
      )}
    </>
  );
}
