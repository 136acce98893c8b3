import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { REFUND_REASON_LABELS, REFUND_REASONS } from '../../../../shared/labels-fees.ts';
import type { Refund, RefundPayMethod, RefundQuote, RefundReason, SettlementRow } from '../../../../shared/api/fees.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { enterToNext } from '../../components/enterToNext.ts';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { ClassSelect, DateInput, FeeList, StudentSelect, pupilColumns, useCanWrite, useClasses, useFeeSetup } from './common.tsx';
import { NOWRAP } from '../../components/columns.ts';

interface RefundForm {
  studentId: string;
  reason: RefundReason;
  noticeDate: string;
  lastDay: string;
  appliedOn: string;
  teacherName: string;
  teacherConfirmedOn: string;
  approvedOn: string;
  note: string;
}

function NewRefund({ onDone }: { onDone: () => void }) {
  const { profile } = useFeeSetup();
  const [form] = Form.useForm<RefundForm>();
  const [quote, setQuote] = useState<RefundQuote | null>(null);
  const v = Form.useWatch([], form) as Partial<RefundForm> | undefined;
  useEffect(() => {
    if (!v?.studentId || !v.reason || !v.noticeDate || !v.lastDay || v.lastDay < v.noticeDate) return setQuote(null);
    call('refunds.quote', { studentId: v.studentId, reason: v.reason, noticeDate: v.noticeDate, lastDay: v.lastDay }).then(setQuote, (e) => {
      setQuote(null);
      showError(e);
    });
  }, [v?.studentId, v?.reason, v?.noticeDate, v?.lastDay]);
  const today = chinaToday();
  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 720 }}
      onKeyDownCapture={enterToNext}
      initialValues={{ reason: 'leave', noticeDate: today, appliedOn: today, teacherConfirmedOn: today, approvedOn: today, note: '' }}
      onFinish={async (values) => {
        try {
          const r = await call('refunds.create', values);
          toast(`退费 ${r.number} 已登记：${r.days} 天 ¥${formatFen(r.amountFen)}，待退付`);
          form.resetFields();
          onDone();
        } catch (e) {
          showError(e, form);
        }
      }}
    >
      <Space wrap align="start">
        <Form.Item name="studentId" label="学生" rules={[{ required: true, message: '请选择学生' }]}>
          <StudentSelect data-testid="refund-student" />
        </Form.Item>
        <Form.Item name="reason" label="原因" rules={[{ required: true }]}>
          <Select style={{ width: 140 }} options={REFUND_REASONS.map((r) => ({ value: r, label: REFUND_REASON_LABELS[r] }))} />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="noticeDate" label="通知日期（告知食堂之日）" rules={[{ required: true, message: '请选择通知日期' }]}>
          <DateInput id="noticeDate" />
        </Form.Item>
        <Form.Item name="lastDay" label="不就餐的最后一天" rules={[{ required: true, message: '请选择最后一天' }]}>
          <DateInput id="lastDay" />
        </Form.Item>
        <Form.Item name="appliedOn" label="申请日期" rules={[{ required: true, message: '请选择申请日期' }]}>
          <DateInput />
        </Form.Item>
      </Space>
      <Space wrap align="start">
        <Form.Item name="teacherName" label="班主任（确认人）" rules={[{ required: true, whitespace: true, message: '请填写班主任姓名' }]}>
          <Input maxLength={30} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="teacherConfirmedOn" label="班主任确认日期" rules={[{ required: true, message: '请选择确认日期' }]}>
          <DateInput />
        </Form.Item>
        <Form.Item name="approvedOn" label="批准日期（记账日期，可补录本月以前未结账的日子）" rules={[{ required: true, message: '请选择批准日期' }]}>
          <DateInput id="approvedOn" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input maxLength={200} style={{ width: 260 }} />
        </Form.Item>
      </Space>
      <Typography.Paragraph type="secondary">
        {profile?.refundFromNextDay ? '从通知次日起计算' : '从通知当日起计算'}，只计上课日和已交费的日子；食堂原因从受影响当天起全额退。
      </Typography.Paragraph>
      {quote && (
        <Alert
          data-testid="refund-quote"
          type={quote.days ? 'info' : 'warning'}
          showIcon
          message={quote.days ? `可退 ${quote.days} 天，共 ¥${formatFen(quote.amountFen)}（${quote.firstDay} 至 ${quote.lastDay}）` : '这段时间没有已交费的上课日，无可退金额'}
          description={quote.dayList.map((d) => `${d.day.slice(5)}：${formatFen(d.rateFen)}`).join('，')}
          style={{ marginBottom: 12 }}
        />
      )}
      <Button type="primary" htmlType="submit" disabled={!quote?.days}>
        登记退费（批准）
      </Button>
    </Form>
  );
}

function PayDialog({ r, onClose }: { r: Refund; onClose: (changed: boolean) => void }) {
  const [paidOn, setPaidOn] = useState(chinaToday());
  const [method, setMethod] = useState<RefundPayMethod>('cash');
  return (
    <Modal
      open
      title={`退付 ${r.number}`}
      okText="确认退付"
      cancelText="取消"
      onCancel={() => onClose(false)}
      onOk={async () => {
        try {
          await call('refunds.pay', { id: r.id, paidOn, method });
          toast(`退费 ${r.number} 已退付 ¥${formatFen(r.amountFen)}`);
          onClose(true);
        } catch (e) {
          showError(e);
        }
      }}
    >
      <p>
        {r.className} {r.studentName}：{r.days} 天 ¥{formatFen(r.amountFen)}
      </p>
      <Space>
        <DateInput value={paidOn} onChange={setPaidOn} />
        <Radio.Group value={method} onChange={(e) => setMethod(e.target.value)}>
          <Radio value="cash">现金</Radio>
          <Radio value="bank">银行转账</Radio>
        </Radio.Group>
      </Space>
    </Modal>
  );
}

function RefundList({ reloadKey }: { reloadKey: number }) {
  const canWrite = useCanWrite();
  const { profile } = useFeeSetup();
  const [status, setStatus] = useState<'approved' | 'paid' | 'void' | undefined>();
  const [rows, setRows] = useState<Refund[]>([]);
  const [paying, setPaying] = useState<Refund | null>(null);
  const [voiding, setVoiding] = useState<Refund | null>(null);
  const load = useCallback(() => {
    call('refunds.list', { status }).then(setRows, showError);
  }, [status]);
  useEffect(load, [load, reloadKey]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <Radio.Group value={status ?? 'all'} onChange={(e) => setStatus(e.target.value === 'all' ? undefined : e.target.value)} optionType="button">
          <Radio value="all">全部</Radio>
          <Radio value="approved">待退付</Radio>
          <Radio value="paid">已退付</Radio>
          <Radio value="void">已作废</Radio>
        </Radio.Group>
        <Typography.Text type="secondary">批准后 {profile?.refundDeadlineWorkingDays ?? 15} 个工作日（周一至周五）内应退付，逾期标红。</Typography.Text>
      </Space>
      <FeeList<Refund>
        rows={rows}
        data-testid="refunds-table"
        columns={[
          { title: '退费号', dataIndex: 'number', ...NOWRAP },
          ...pupilColumns<Refund>(),
          { title: '原因', render: (_, r) => REFUND_REASON_LABELS[r.reason] },
          { title: '退费日', render: (_, r) => `${r.firstDay} 至 ${r.lastDay}` },
          { title: '天数', dataIndex: 'days', align: 'right' },
          { title: '金额', align: 'right', render: (_, r) => formatFen(r.amountFen) },
          { title: '申请日期', dataIndex: 'appliedOn', ...NOWRAP },
          { title: '批准日期', dataIndex: 'approvedOn', ...NOWRAP },
          { title: '班主任确认', render: (_, r) => `${r.teacherName} ${r.teacherConfirmedOn}` },
          {
            title: '状态',
            render: (_, r) =>
              r.status === 'paid' ? (
                <Tag color="green">已退付 {r.paidOn}</Tag>
              ) : r.status === 'void' ? (
                <Tag>作废</Tag>
              ) : r.overdue ? (
                <Tag color="red">逾期未退付（{r.workingDaysOpen} 个工作日）</Tag>
              ) : (
                <Tag color="orange">待退付</Tag>
              ),
          },
          {
            title: '操作',
            render: (_, r) =>
              canWrite && r.status === 'approved' ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => setPaying(r)}>
                    退付
                  </Button>
                  <Button size="small" danger onClick={() => setVoiding(r)}>
                    作废
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {paying && <PayDialog r={paying} onClose={(c) => (setPaying(null), c && load())} />}
      {voiding && (
        <ReasonDialog
          title={`作废退费 ${voiding.number}`}
          dateLabel="作废日期"
          onConfirm={async (reason, voidDate) => {
            await call('refunds.void', { id: voiding.id, reason, voidDate });
            toast(`退费 ${voiding.number} 已作废`);
          }}
          onClose={(c) => (setVoiding(null), c && load())}
        >
          {voiding.className} {voiding.studentName}：{voiding.days} 天 ¥{formatFen(voiding.amountFen)}
        </ReasonDialog>
      )}
    </Space>
  );
}

function Settlement() {
  const [classes] = useClasses();
  const [from, setFrom] = useState<string>(`${chinaToday().slice(0, 4)}-09-01`);
  const [to, setTo] = useState<string>(chinaToday());
  const [className, setClassName] = useState<string | undefined>();
  const [rows, setRows] = useState<SettlementRow[]>([]);
  useEffect(() => {
    if (from && to && from <= to) call('fees.settlement', { from, to, className }).then(setRows, showError);
  }, [from, to, className]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>学期起止</span>
        <DateInput value={from} onChange={setFrom} />
        <span>至</span>
        <DateInput value={to} onChange={setTo} />
        <ClassSelect classes={classes} value={className} onChange={setClassName} allowClear />
      </Space>
      <Typography.Text type="secondary">结余 = 期初（预交为正、欠费为负）+ 已交 − 已退 − 实际就餐天数 × 日标准；正数应退还（多退），负数应补交（少补）。</Typography.Text>
      <Table
        size="small"
        rowKey={(r) => r.student.id}
        dataSource={rows}
        data-testid="settlement-table"
        pagination={{ pageSize: 50 }}
        columns={[
          { title: '班级', render: (_, r) => r.student.className },
          { title: '学号', render: (_, r) => r.student.studentNo },
          { title: '姓名', render: (_, r) => r.student.name },
          { title: '上课日', dataIndex: 'schoolDays', align: 'right' },
          { title: '已退天数', dataIndex: 'refundedDays', align: 'right' },
          { title: '就餐天数', dataIndex: 'eatenDays', align: 'right' },
          { title: '应收', align: 'right', render: (_, r) => formatFen(r.dueFen) },
          { title: '已交', align: 'right', render: (_, r) => formatFen(r.paidFen) },
          { title: '已退', align: 'right', render: (_, r) => formatFen(r.refundedFen) },
          // The opening's balance (期初建账: prepaid +, arrears −), only in the range holding the books' first day.
          {
            title: '期初',
            align: 'right',
            render: (_, r) => (r.openingFen < 0 ? `期初欠费 ${formatFen(-r.openingFen)}` : r.openingFen > 0 ? `期初预交 ${formatFen(r.openingFen)}` : ''),
          },
          {
            title: '多退少补',
            align: 'right',
            render: (_, r) =>
              r.balanceFen > 0 ? <Tag color="blue">应退 {formatFen(r.balanceFen)}</Tag> : r.balanceFen < 0 ? <Tag color="red">应补 {formatFen(-r.balanceFen)}</Tag> : '已结清',
          },
        ]}
      />
    </Space>
  );
}

/** 退费: register with the teacher's confirmation, pay out, watch the deadline; the term-end settlement. */
export function RefundsPage() {
  const canWrite = useCanWrite();
  const [reloadKey, setReloadKey] = useState(0);
  const [tab, setTab] = useState('list');
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      items={[
        { key: 'list', label: '退费记录', children: <RefundList reloadKey={reloadKey} /> },
        ...(canWrite ? [{ key: 'new', label: '登记退费', children: <NewRefund onDone={() => (setReloadKey((k) => k + 1), setTab('list'))} /> }] : []),
        { key: 'settle', label: '学期结算（多退少补）', children: <Settlement /> },
      ]}
    />
  );
}
