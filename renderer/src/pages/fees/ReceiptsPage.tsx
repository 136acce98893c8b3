import { Alert, Button, Radio, Space, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { PAY_METHOD_LABELS } from '../../../../shared/labels-fees.ts';
import type { Receipt } from '../../../../shared/api/fees.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate, restOf, usePath, useQuery } from '../../router.ts';
import { batchPath, ClassSelect, DateInput, FeeList, pupilColumns, useCanWrite, useClasses, useFeeSetup } from './common.tsx';
import { PARTS, ReceiptBatchPrint, ReceiptPrint, type ReceiptPartName } from './ReceiptPrint.tsx';
import { NOWRAP } from '../../components/columns.ts';

const BASE = '/fees/receipts';

function PrintView({ id }: { id: string }) {
  const { schoolName } = useFeeSetup();
  const [r, setR] = useState<Receipt | null>(null);
  useEffect(() => {
    call('receipts.get', { id }).then(setR, showError);
  }, [id]);
  if (!r) return null;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space className="no-print">
        <Button onClick={() => navigate(BASE)}>返回收据列表</Button>
        <Button type="primary" onClick={() => window.print()}>
          打印（A4 三联）
        </Button>
      </Space>
      <ReceiptPrint r={r} schoolName={schoolName} />
    </Space>
  );
}

/** 'SJ2026-0012' → ['SJ2026-', 12]: numbers compare by their sequence, not as text (past 9999 the width grows). */
function numberParts(n: string): [string, number] {
  const m = /^(.*?)(\d+)$/.exec(n);
  return m ? [m[1], Number(m[2])] : [n, NaN];
}
function inRun(n: string, first: string, last: string): boolean {
  const [p, k] = numberParts(n);
  const [p1, k1] = numberParts(first);
  const [p2, k2] = numberParts(last);
  return p === p1 && p === p2 && k >= k1 && k <= k2;
}

/**
 * 批量打印: a class's valid receipts of a date range, three to an A4 sheet (one part each, as the 三联 layout cuts the
 * sheet), in 学号 order; the part printed is chosen (交款人 to hand out by default; 存根 and 记账 for the books).
 */
function BatchPrintView() {
  const q = useQuery();
  const className = q.get('class') ?? '';
  const from = q.get('from') ?? undefined;
  const to = q.get('to') ?? undefined;
  const first = q.get('first') ?? '';
  const last = q.get('last') ?? '';
  const run = Boolean(first && last);
  const { schoolName } = useFeeSetup();
  const [part, setPart] = useState<ReceiptPartName>(PARTS[1]);
  const [rows, setRows] = useState<Receipt[] | null>(null);
  useEffect(() => {
    if (!className && !run) return setRows([]);
    call('receipts.list', { className: className || undefined, from, to }).then(
      (list) =>
        setRows(
          list
            .filter((r) => r.status === 'valid' && (!run || inRun(r.number, first, last)))
            .sort((a, b) => (run ? numberParts(a.number)[1] - numberParts(b.number)[1] : a.studentNo.localeCompare(b.studentNo) || a.number.localeCompare(b.number))),
        ),
      showError,
    );
  }, [className, from, to, run, first, last]);
  if (!rows) return null;
  const pages = Math.ceil(rows.length / 3);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space className="no-print" wrap>
        <Button onClick={() => navigate(BASE)}>返回收据列表</Button>
        <Radio.Group value={part} onChange={(e) => setPart(e.target.value)} optionType="button" options={PARTS.map((p) => ({ value: p, label: p.replace('　', ' ') }))} />
        <Button type="primary" disabled={rows.length === 0} onClick={() => window.print()} data-testid="batch-print">
          打印（A4，每页 3 张）
        </Button>
        <span data-testid="batch-summary">
          {run ? `${className ? `${className} ` : ''}本次收款 ${first} 至 ${last}` : `${className} ${from ?? '…'} 至 ${to ?? '…'}`}：有效收据 {rows.length} 张 ¥{formatFen(rows.reduce((s, r) => s + r.amountFen, 0))}，共 {pages} 页
        </span>
      </Space>
      {rows.length === 0 ? <Alert className="no-print" type="info" showIcon title={run ? '本次收款没有有效收据' : '该班级在此期间没有有效收据'} /> : <ReceiptBatchPrint receipts={rows} schoolName={schoolName} part={part} />}
    </Space>
  );
}

/** 收据: the list by date or class, voiding with a reason, the three-part print view and a class's batch print. */
export function ReceiptsPage() {
  const path = usePath();
  const printId = restOf(BASE, path);
  const canWrite = useCanWrite();
  const [classes] = useClasses();
  const [from, setFrom] = useState<string | undefined>(chinaToday().slice(0, 8) + '01');
  const [to, setTo] = useState<string | undefined>(chinaToday());
  const [className, setClassName] = useState<string | undefined>();
  const [rows, setRows] = useState<Receipt[]>([]);
  const [voiding, setVoiding] = useState<Receipt | null>(null);
  const load = useCallback(() => {
    call('receipts.list', { from, to, className }).then(setRows, showError);
  }, [from, to, className]);
  useEffect(() => {
    if (!printId) load();
  }, [load, printId]);
  if (printId === 'batch') return <BatchPrintView />;
  if (printId) return <PrintView id={printId} />;
  const valid = rows.filter((r) => r.status === 'valid');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>收款日期</span>
        <DateInput value={from} onChange={setFrom} allowClear />
        <span>至</span>
        <DateInput value={to} onChange={setTo} allowClear />
        <ClassSelect classes={classes} value={className} onChange={setClassName} allowClear data-testid="receipts-class" />
        <Button disabled={!className} title={className ? undefined : '先选择班级'} onClick={() => className && navigate(batchPath({ className, from, to }))} data-testid="receipts-batch">
          批量打印本班收据
        </Button>
        <span>
          有效 {valid.length} 张 ¥{formatFen(valid.reduce((s, r) => s + r.amountFen, 0))}，作废 {rows.length - valid.length} 张
        </span>
      </Space>
      <FeeList<Receipt>
        rows={rows}
        data-testid="receipts-table"
        columns={[
          { title: '收据号', dataIndex: 'number', ...NOWRAP },
          { title: '日期', dataIndex: 'date' },
          ...pupilColumns<Receipt>(),
          { title: '期间', dataIndex: 'periodLabel' },
          { title: '金额', align: 'right', render: (_, r) => formatFen(r.amountFen) },
          { title: '方式', render: (_, r) => PAY_METHOD_LABELS[r.method] },
          { title: '收款人', dataIndex: 'createdByName' },
          { title: '状态', render: (_, r) => (r.status === 'void' ? <Tag color="red" title={r.voidReason ?? ''}>作废 {r.voidDate}</Tag> : <Tag color="green">有效</Tag>) },
          {
            title: '操作',
            render: (_, r) => (
              <Space>
                <Button size="small" onClick={() => navigate(`${BASE}/${r.id}`)}>
                  打印
                </Button>
                {canWrite && r.status === 'valid' && (
                  <Button size="small" danger onClick={() => setVoiding(r)}>
                    作废
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      {voiding && (
        <ReasonDialog
          title={`作废收据 ${voiding.number}`}
          dateLabel="作废日期"
          onConfirm={async (reason, voidDate) => {
            await call('receipts.void', { id: voiding.id, reason, voidDate });
            toast(`收据 ${voiding.number} 已作废，记账已冲销`);
          }}
          onClose={(changed) => {
            setVoiding(null);
            if (changed) load();
          }}
        >
          {voiding.className} {voiding.studentName} {voiding.periodLabel} ¥{formatFen(voiding.amountFen)}。作废后号码保留、标记作废，收款记账冲销。
        </ReasonDialog>
      )}
    </Space>
  );
}
