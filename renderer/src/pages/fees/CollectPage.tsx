import { Alert, Button, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { MEAL_PLAN_LABELS, PAY_METHOD_LABELS, PAY_METHODS } from '../../../../shared/labels-fees.ts';
import type { FeeQuoteRow, PayMethod, Receipt } from '../../../../shared/api/fees.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { MoneyInput } from '../../components/NumberText.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate } from '../../router.ts';
import { batchPath, ClassSelect, currentMonth, DateInput, PeriodPicker, StudentSelect, useCanWrite, useClasses, useFeeSetup } from './common.tsx';
import { useSubmit } from '../../components/FormDialog.tsx';

/** 收费: for one student or a whole class, the period's school days × the plan's rate; one receipt per student. */
export function CollectPage() {
  const { profile, terms } = useFeeSetup();
  const byTerm = profile?.feePeriod === 'term';
  const canWrite = useCanWrite();
  const [classes] = useClasses();
  const [period, setPeriod] = useState<string>(currentMonth());
  const [date, setDate] = useState(chinaToday());
  const [method, setMethod] = useState<PayMethod>('cash');
  const [mode, setMode] = useState<'class' | 'student'>('class');
  const [className, setClassName] = useState<string | undefined>();
  const [studentId, setStudentId] = useState<string | null>(null);
  const [rows, setRows] = useState<FeeQuoteRow[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [amounts, setAmounts] = useState<Record<string, number | null>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [issued, setIssued] = useState<Receipt[]>([]);

  useEffect(() => {
    if (byTerm && terms.length && /^\d{4}-\d{2}$/.test(period)) setPeriod(terms[0].code);
  }, [byTerm, terms, period]);

  const load = () => {
    const input = mode === 'class' ? (className ? { period, className } : null) : studentId ? { period, studentIds: [studentId] } : null;
    if (!input) return setRows([]);
    call('fees.quote', input).then((r) => {
      setRows(r);
      setSelected(r.filter((x) => !x.paidReceipt && x.student.active).map((x) => x.student.id));
      setAmounts({});
      setReasons({});
    }, showError);
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(load, [period, mode, className, studentId]);

  const amountOf = (r: FeeQuoteRow) => amounts[r.student.id] ?? r.standardFen;
  const chosen = rows.filter((r) => selected.includes(r.student.id));
  const total = chosen.reduce((s, r) => s + (Number.isNaN(amountOf(r)) ? 0 : amountOf(r)), 0);
  const days = rows[0]?.days ?? 0;

  const [busy, collect] = useSubmit(async () => {
    const out = await call('fees.collect', {
        period,
        date,
        method,
        items: chosen.map((r) => ({
          studentId: r.student.id,
          ...(amountOf(r) !== r.standardFen ? { amountFen: amountOf(r), overrideReason: reasons[r.student.id] ?? '' } : {}),
        })),
      });
    setIssued(out);
    toast(`已开出 ${out.length} 张收据，共 ${formatFen(out.reduce((s, r) => s + r.amountFen, 0))} 元`);
    load();
  });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>收费期间</span>
        <PeriodPicker byTerm={byTerm} terms={terms} value={period} onChange={setPeriod} />
        <span>收款日期</span>
        <DateInput value={date} onChange={setDate} data-testid="collect-date" />
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} optionType="button">
          <Radio value="class">按班级</Radio>
          <Radio value="student">单个学生</Radio>
        </Radio.Group>
        {mode === 'class' ? (
          <ClassSelect classes={classes} value={className} onChange={setClassName} id="collect-class" />
        ) : (
          <StudentSelect value={studentId} onChange={(id) => setStudentId(id)} id="collect-student" />
        )}
      </Space>
      {rows.length > 0 && days === 0 && <Alert type="warning" showIcon message="该期间还没有设置上课日，请先到“学生与标准 → 上课日”设置" />}
      <Table
        size="small"
        rowKey={(r) => r.student.id}
        dataSource={rows}
        pagination={false}
        data-testid="collect-table"
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => setSelected(keys as string[]),
          getCheckboxProps: (r) => ({ disabled: !!r.paidReceipt || !r.student.active || !canWrite }),
        }}
        columns={[
          { title: '学号', render: (_, r) => r.student.studentNo },
          { title: '姓名', render: (_, r) => r.student.name },
          { title: '用餐方式', render: (_, r) => MEAL_PLAN_LABELS[r.student.mealPlan] },
          { title: '天数', dataIndex: 'days', align: 'right' },
          { title: '日标准', align: 'right', render: (_, r) => formatFen(r.dailyRateFen) },
          { title: '应收', align: 'right', render: (_, r) => formatFen(r.standardFen) },
          {
            title: '实收（元）',
            width: 160,
            render: (_, r) =>
              r.paidReceipt ? (
                <Tag color="green">已交 {r.paidReceipt}</Tag>
              ) : (
                <MoneyInput value={amountOf(r)} onChange={(v) => setAmounts({ ...amounts, [r.student.id]: v })} disabled={!selected.includes(r.student.id)} />
              ),
          },
          {
            title: '改动理由',
            render: (_, r) =>
              !r.paidReceipt && amountOf(r) !== r.standardFen ? (
                <Input value={reasons[r.student.id] ?? ''} placeholder="金额与标准不同，请填写理由" status={reasons[r.student.id] ? '' : 'error'} onChange={(e) => setReasons({ ...reasons, [r.student.id]: e.target.value })} />
              ) : null,
          },
        ]}
      />
      <Space wrap>
        <span>收款方式</span>
        <Radio.Group value={method} onChange={(e) => setMethod(e.target.value)} data-testid="collect-method">
          {PAY_METHODS.map((m) => (
            <Radio key={m} value={m}>
              {PAY_METHOD_LABELS[m]}
            </Radio>
          ))}
        </Radio.Group>
        <Typography.Text strong data-testid="collect-total">
          合计 {chosen.length} 人 ¥{formatFen(total)}
        </Typography.Text>
        {canWrite && (
          <Button type="primary" disabled={chosen.length === 0} loading={busy} onClick={collect}>
            收款并开收据
          </Button>
        )}
      </Space>
      {issued.length > 0 && (
        <Alert
          type="success"
          showIcon
          message={`本次开出收据 ${issued[0].number}${issued.length > 1 ? ` 至 ${issued.at(-1)?.number}` : ''}`}
          description={
            <Space wrap>
              {issued.length > 1 && (
                <Button
                  size="small"
                  type="primary"
                  data-testid="collect-batch-print"
                  onClick={() => {
                    const classes = new Set(issued.map((r) => r.className));
                    const date = issued[0].date;
                    navigate(batchPath({ className: classes.size === 1 ? issued[0].className : undefined, from: date, to: date, first: issued[0].number, last: issued.at(-1)!.number }));
                  }}
                >
                  批量打印本次收据（A4，每页 3 张）
                </Button>
              )}
              {issued.map((r) => (
                <Button key={r.id} size="small" onClick={() => navigate(`/fees/receipts/${r.id}`)}>
                  打印 {r.number} {r.studentName}
                </Button>
              ))}
            </Space>
          }
        />
      )}
    </Space>
  );
}
