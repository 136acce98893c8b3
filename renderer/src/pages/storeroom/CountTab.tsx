import { Alert, Button, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ADJUST_REASON_LABELS } from '../../../../shared/labels-storeroom.ts';
import type { AdjustReason, CountLineView, CountView } from '../../../../shared/api/storeroom.ts';
import { monthWords, previousMonth } from '../../../../shared/calendar.ts';
import { CATEGORY_LABELS, STORAGE_LABELS } from '../../../../shared/domain.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { QuantityInput } from '../../components/NumberText.tsx';
import { focusNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { navigate, useQuery } from '../../router.ts';
import { useSession } from '../../session.ts';
import { BASE, MonthBox, currentMonth, useCanWrite } from './common.tsx';
import { sheetCss } from '../../components/printSheet.ts';

type Entry = { countedMilli: number | null; reason: AdjustReason | null; note: string };

/** The reason a shortfall may carry; a surplus is always 盘盈. */
const SHORT_REASONS: AdjustReason[] = ['loss', 'expired', 'count_loss'];

/** 月末盘点: start the sheet, type the counted quantities (Enter moves down), choose reasons, save, post. */
export function CountTab() {
  const canWrite = useCanWrite();
  const query = useQuery();
  const [month, setMonth] = useState(query.get('month') ?? previousMonth(currentMonth()));
  const [count, setCount] = useState<CountView | null | undefined>(undefined);
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  const [busy, setBusy] = useState(false);

  const show = (c: CountView | null) => {
    setCount(c);
    setEntries(Object.fromEntries((c?.lines ?? []).map((l) => [l.lotId, { countedMilli: l.countedMilli, reason: l.reason, note: l.note }])));
  };
  const load = useCallback(() => {
    setCount(undefined);
    call('storeroom.countGet', { month }).then(show, showError);
  }, [month]);
  useEffect(load, [load]);

  const run = async (fn: () => Promise<CountView>, done?: string) => {
    setBusy(true);
    try {
      show(await fn());
      if (done) toast(done);
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const changed = (count?.lines ?? []).filter((l) => {
    const e = entries[l.lotId];
    return e && (e.countedMilli !== l.countedMilli || e.reason !== l.reason || e.note !== l.note);
  });
  const save = () =>
    call('storeroom.countEnter', {
      month,
      lines: changed.map((l) => ({ lotId: l.lotId, countedMilli: entries[l.lotId].countedMilli, reason: entries[l.lotId].reason, note: entries[l.lotId].note })),
    });
  const open = count?.status === 'open';
  const editable = open && canWrite;
  const set = (lotId: string, patch: Partial<Entry>) => setEntries((es) => ({ ...es, [lotId]: { ...es[lotId], ...patch } }));

  const columns = [
    { title: '品名', dataIndex: 'ingredientName' },
    { title: '类别', dataIndex: 'category', render: (c: CountLineView['category']) => CATEGORY_LABELS[c] },
    { title: '批次（验收单）', key: 'lot', render: (_: unknown, l: CountLineView) => `${l.deliveryNumber ?? '—'}（${l.receivedOn}）` },
    { title: '保质期至', dataIndex: 'expiryDate', render: (e: string | null) => e ?? '—' },
    { title: '储存', dataIndex: 'storageClass', render: (s: CountLineView['storageClass']) => STORAGE_LABELS[s] },
    { title: '账面数量', key: 'book', align: 'right' as const, render: (_: unknown, l: CountLineView) => `${formatMilli(l.bookMilli)} ${l.unit}` },
    { title: '账面金额', dataIndex: 'bookValueFen', align: 'right' as const, render: (f: number) => formatFen(f) },
    {
      title: '实盘数量',
      key: 'counted',
      width: 150,
      render: (_: unknown, l: CountLineView) =>
        editable ? (
          <QuantityInput
            value={entries[l.lotId]?.countedMilli ?? null}
            onChange={(v) => set(l.lotId, { countedMilli: v != null && !Number.isNaN(v) ? v : null })}
            suffix={l.unit}
            data-testid={`counted-${l.lotId}`}
          />
        ) : l.countedMilli === null ? (
          '—'
        ) : (
          `${formatMilli(l.countedMilli)} ${l.unit}`
        ),
    },
    {
      title: '差异',
      key: 'diff',
      align: 'right' as const,
      render: (_: unknown, l: CountLineView) => {
        const c = entries[l.lotId]?.countedMilli;
        if (c == null) return '—';
        const d = c - l.bookMilli;
        return <Typography.Text type={d < 0 ? 'danger' : d > 0 ? 'success' : undefined}>{d === 0 ? '0' : `${d > 0 ? '+' : ''}${formatMilli(d)}`}</Typography.Text>;
      },
    },
    { title: '差异金额', dataIndex: 'diffValueFen', align: 'right' as const, render: (f: number | null) => (f === null ? '—' : formatFen(f)) },
    {
      title: '原因',
      key: 'reason',
      width: 130,
      render: (_: unknown, l: CountLineView) => {
        const e = entries[l.lotId];
        const d = e?.countedMilli == null ? 0 : e.countedMilli - l.bookMilli;
        if (d === 0) return null;
        if (d > 0) return <Tag color="green">{ADJUST_REASON_LABELS.count_gain}</Tag>;
        if (!editable) return l.reason ? <Tag color="red">{ADJUST_REASON_LABELS[l.reason]}</Tag> : null;
        return (
          <Select
            size="small"
            style={{ width: 110 }}
            placeholder="选择原因"
            value={e.reason && e.reason !== 'count_gain' ? e.reason : undefined}
            onChange={(v) => set(l.lotId, { reason: v })}
            options={SHORT_REASONS.map((r) => ({ value: r, label: ADJUST_REASON_LABELS[r] }))}
            data-testid={`reason-${l.lotId}`}
          />
        );
      },
    },
    {
      title: '说明',
      key: 'note',
      render: (_: unknown, l: CountLineView) =>
        editable ? <Input size="small" value={entries[l.lotId]?.note ?? ''} onChange={(ev) => set(l.lotId, { note: ev.target.value })} maxLength={200} /> : l.note,
    },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>盘点月份</span>
        <MonthBox value={month} onChange={setMonth} data-testid="count-month" />
        {count === null && canWrite && (
          <Button type="primary" loading={busy} onClick={() => run(() => call('storeroom.countStart', { month }), '已生成盘点表')} data-testid="count-start">
            开始盘点（生成盘点表）
          </Button>
        )}
        {count && (
          <>
            <Tag color={open ? 'blue' : 'green'}>{open ? '盘点中' : '已过账'}</Tag>
            <Button onClick={() => navigate(`${BASE}/count/print?month=${month}`)} data-testid="count-print">
              打印盘点表
            </Button>
          </>
        )}
        {editable && (
          <>
            <Button loading={busy} disabled={changed.length === 0} onClick={() => run(save, '已保存')} data-testid="count-save">
              保存录入
            </Button>
            <Button loading={busy} onClick={() => run(async () => {
                if (changed.length) await save();
                return call('storeroom.countStart', { month });
              }, '账面数已刷新')}>
              刷新账面数
            </Button>
            <Popconfirm
              title={`过账后${monthWords(month)}的库存以盘点为准，差异记为库存调整，不能再修改。确认过账？`}
              okText="过账"
              cancelText="取消"
              onConfirm={() => run(async () => {
                if (changed.length) await save();
                return call('storeroom.countPost', { month });
              }, '盘点已过账')}
            >
              <Button type="primary" danger loading={busy} data-testid="count-post">
                盘点过账
              </Button>
            </Popconfirm>
          </>
        )}
      </Space>
      {count === null && <Alert type="info" showIcon title={`${monthWords(month)}尚未盘点`} />}
      {count && (
        <>
          <Typography.Paragraph data-testid="count-summary">
            账面金额 ¥{formatFen(count.bookValueFen)}　盘点调整 ¥{formatFen(count.adjustmentsFen)}
            {'　'}
            {count.countedValueFen === null ? `还有 ${count.uncounted} 个批次未录入` : `盘点后库存 ¥${formatFen(count.countedValueFen)}`}
            {count.postedAt && `　过账：${count.postedByName ?? ''}`}
          </Typography.Paragraph>
          <div
            onKeyDownCapture={(e) => {
              // Enter in a counted box moves to the next row's counted box: the sheet is typed top to bottom.
              const t = e.target as HTMLElement;
              if (e.key !== 'Enter' || !t.closest('[data-testid^="counted-"]')) return;
              e.preventDefault();
              const boxes = [...e.currentTarget.querySelectorAll<HTMLInputElement>('input[data-testid^="counted-"], [data-testid^="counted-"] input')];
              const i = boxes.findIndex((b) => b === t || b.contains(t));
              if (i >= 0 && boxes[i + 1]) boxes[i + 1].focus();
              else focusNext(e.currentTarget, t);
            }}
          >
            <Table<CountLineView> rowKey="lotId" size="small" pagination={false} dataSource={count.lines} columns={columns} scroll={{ x: 'max-content' }} data-testid="count-table" />
          </div>
        </>
      )}
    </>
  );
}

/** The count sheet on A4: one row per lot with its book quantity and a blank for the counted one, signatures below. */
export function CountPrint() {
  const query = useQuery();
  const month = query.get('month') ?? previousMonth(currentMonth());
  const schoolName = useSession((s) => s.schoolName) ?? '';
  const [count, setCount] = useState<CountView | null | undefined>(undefined);
  useEffect(() => {
    call('storeroom.countGet', { month }).then(setCount, showError);
  }, [month]);
  if (count === undefined) return null;
  if (count === null) return <Alert type="info" showIcon title={`${monthWords(month)}尚未开始盘点`} />;
  return (
    <>
      <Space className="no-print" style={{ marginBottom: 12 }}>
        <Button onClick={() => navigate(`${BASE}/count?month=${month}`)}>返回</Button>
        <Button type="primary" onClick={() => window.print()}>
          打印（A4）
        </Button>
      </Space>
      <div className="ys-sheet" data-testid="count-sheet">
        <style>{COUNT_CSS}</style>
        <h1>{schoolName}食堂库存盘点表</h1>
        <div className="ys-head">
          <div>盘点月份：{monthWords(month)}</div>
          <div>盘点日期：{count.date}</div>
          <div>状态：{count.status === 'posted' ? '已过账' : '盘点中'}</div>
          <div>账面金额：¥{formatFen(count.bookValueFen)}</div>
        </div>
        <table>
          <thead>
            <tr>
              <th style={{ width: '5%' }}>序号</th>
              <th style={{ width: '10%' }}>品名</th>
              <th style={{ width: '7%' }}>规格</th>
              <th style={{ width: '5%' }}>单位</th>
              <th style={{ width: '16%' }}>批次（验收单/入库）</th>
              <th style={{ width: '12%' }}>保质期至</th>
              <th style={{ width: '6%' }}>储存</th>
              <th style={{ width: '10%' }}>账面数量</th>
              <th style={{ width: '10%' }}>实盘数量</th>
              <th style={{ width: '8%' }}>差异</th>
              <th style={{ width: '11%' }}>原因/说明</th>
            </tr>
          </thead>
          <tbody>
            {count.lines.map((l, i) => (
              <tr key={l.lotId}>
                <td className="num">{i + 1}</td>
                <td>{l.ingredientName}</td>
                <td>{l.spec}</td>
                <td>{l.unit}</td>
                <td>
                  {l.deliveryNumber ?? '—'} / {l.receivedOn}
                </td>
                <td>{l.expiryDate ?? '—'}</td>
                <td>{STORAGE_LABELS[l.storageClass]}</td>
                <td className="num">{formatMilli(l.bookMilli)}</td>
                <td className="num">{l.countedMilli === null ? '' : formatMilli(l.countedMilli)}</td>
                <td className="num">{l.diffMilli === null || l.diffMilli === 0 ? '' : formatMilli(l.diffMilli)}</td>
                <td>{[l.reason ? ADJUST_REASON_LABELS[l.reason] : '', l.note].filter(Boolean).join('：')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="ys-sign">
          <div>盘点人：</div>
          <div>监盘人：</div>
          <div>会计：</div>
          <div>负责人：</div>
        </div>
      </div>
    </>
  );
}

const COUNT_CSS = sheetCss({ cellPadding: '1.5mm 1mm', hide: ['.ant-tabs-nav', 'h4.ant-typography'] });
