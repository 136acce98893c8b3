import { Button, Card, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { SubsidyClassSummary, SubsidyRosterRow } from '../../../../shared/api/fees.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { fenRules, MoneyInput } from '../../components/NumberText.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { ClassSelect, currentMonth, DateInput, PeriodPicker, useCanWrite, useClasses, useFeeSetup } from './common.tsx';

/**
 * 营养改善计划: tick the eligible students of a class who ate on a day; valued at the profile's rate into 应收补助,
 * kept apart from fees. The month's summary by class (公示 sheet 6) and the arrival of the funds in the subsidy account.
 */
export function SubsidyPage() {
  const canWrite = useCanWrite();
  const { profile } = useFeeSetup();
  const [classes] = useClasses();
  const [className, setClassName] = useState<string | undefined>();
  const [date, setDate] = useState(chinaToday());
  const [rows, setRows] = useState<SubsidyRosterRow[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [month, setMonth] = useState(currentMonth());
  const [summary, setSummary] = useState<{ classes: SubsidyClassSummary[]; receivableFen: number; bankFen: number } | null>(null);
  const [recvForm] = Form.useForm<{ date: string; amountFen: number; note: string }>();

  const loadRoster = useCallback(() => {
    if (!className || !date) return setRows([]);
    call('subsidy.roster', { className, date }).then((r) => {
      setRows(r);
      setSelected(r.filter((x) => !x.recorded).map((x) => x.student.id));
    }, showError);
  }, [className, date]);
  const loadSummary = useCallback(() => {
    call('subsidy.summary', { month }).then(setSummary, showError);
  }, [month]);
  useEffect(loadRoster, [loadRoster]);
  useEffect(loadSummary, [loadSummary]);

  const record = async () => {
    try {
      const r = await call('subsidy.record', { className: className!, date, studentIds: selected });
      toast(`已登记 ${r.recorded} 人，补助 ¥${formatFen(r.amountFen)}`);
      loadRoster();
      loadSummary();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card size="small" title="按班级登记受助学生就餐">
        <Space wrap>
          <ClassSelect classes={classes} value={className} onChange={setClassName} data-testid="subsidy-class" />
          <DateInput value={date} onChange={setDate} />
          <span>补助标准 ¥{formatFen(profile?.subsidyRateFen ?? 0)}/生/天</span>
        </Space>
        <Table
          size="small"
          rowKey={(r) => r.student.id}
          dataSource={rows}
          pagination={false}
          style={{ marginTop: 8 }}
          data-testid="subsidy-table"
          locale={{ emptyText: className ? '该班没有在读的受助学生' : '请选择班级' }}
          rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]), getCheckboxProps: (r) => ({ disabled: r.recorded || !canWrite }) }}
          columns={[
            { title: '学号', render: (_, r) => r.student.studentNo },
            { title: '姓名', render: (_, r) => r.student.name },
            { title: '状态', render: (_, r) => (r.recorded ? <Tag color="green">已登记</Tag> : '') },
          ]}
        />
        {canWrite && (
          <Button type="primary" style={{ marginTop: 8 }} disabled={!selected.length} onClick={record}>
            登记 {selected.length} 人就餐（¥{formatFen(selected.length * (profile?.subsidyRateFen ?? 0))}）
          </Button>
        )}
      </Card>
      <Card
        size="small"
        title={
          <Space>
            营养改善计划汇总
            <PeriodPicker byTerm={false} terms={[]} value={month} onChange={setMonth} />
          </Space>
        }
      >
        <Table
          size="small"
          rowKey="className"
          pagination={false}
          dataSource={summary?.classes ?? []}
          columns={[
            { title: '班级', dataIndex: 'className' },
            { title: '受助学生数', dataIndex: 'eligibleStudents', align: 'right' },
            { title: '就餐天数', dataIndex: 'mealDays', align: 'right' },
            { title: '受助人日数', dataIndex: 'studentDays', align: 'right' },
            { title: '补助标准（元/生/天）', align: 'right', render: (_, r) => formatFen(r.rateFen) },
            { title: '补助金额', align: 'right', render: (_, r) => formatFen(r.amountFen) },
          ]}
          summary={(data) => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0}>合计</Table.Summary.Cell>
              <Table.Summary.Cell index={1} />
              <Table.Summary.Cell index={2} />
              <Table.Summary.Cell index={3} align="right">
                {data.reduce((s, r) => s + r.studentDays, 0)}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={4} />
              <Table.Summary.Cell index={5} align="right">
                {formatFen(data.reduce((s, r) => s + r.amountFen, 0))}
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
        <Typography.Paragraph style={{ marginTop: 8 }}>
          月末应收补助余额 ¥{formatFen(summary?.receivableFen ?? 0)}；补助专户余额 ¥{formatFen(summary?.bankFen ?? 0)}。补助专款专用，不与伙食费混用，不发放现金。
        </Typography.Paragraph>
      </Card>
      {canWrite && (
        <Card size="small" title="补助资金到账（补助专户）">
          <Form
            form={recvForm}
            layout="inline"
            initialValues={{ date: chinaToday(), note: '' }}
            onFinish={async (v) => {
              try {
                await call('subsidy.receive', v);
                toast(`补助到账 ¥${formatFen(v.amountFen)} 已入补助专户`);
                recvForm.resetFields();
                loadSummary();
              } catch (e) {
                showError(e, recvForm);
              }
            }}
          >
            <Form.Item name="date" label="到账日期" rules={[{ required: true, message: '请选择日期' }]}>
              <DateInput />
            </Form.Item>
            <Form.Item name="amountFen" label="金额" rules={fenRules('到账金额')}>
              <MoneyInput style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="note" label="摘要">
              <Input maxLength={200} />
            </Form.Item>
            <Button htmlType="submit">登记到账</Button>
          </Form>
        </Card>
      )}
    </Space>
  );
}
