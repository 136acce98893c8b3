import { Card, Descriptions, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { MEAL_PLAN_LABELS } from '../../../../shared/labels-fees.ts';
import type { ArrearsRow, Statement } from '../../../../shared/api/fees.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { showError } from '../../feedback.ts';
import { ClassSelect, currentMonth, PeriodPicker, StudentSelect, useClasses, useFeeSetup } from './common.tsx';
import { NOWRAP } from '../../components/columns.ts';

const KIND_LABELS: Record<Statement['lines'][number]['kind'], string> = {
  receipt: '收费',
  void: '收据作废',
  refund: '退费',
  refund_void: '退费作废',
  refund_paid: '退付',
  subsidy: '营养餐补助',
};

/** 欠费名单 by class for a period, and one student's statement (个人明细). */
export function ArrearsPage() {
  const { profile, terms } = useFeeSetup();
  const byTerm = profile?.feePeriod === 'term';
  const [classes] = useClasses();
  const [period, setPeriod] = useState(currentMonth());
  const [className, setClassName] = useState<string | undefined>();
  const [rows, setRows] = useState<ArrearsRow[]>([]);
  const [studentId, setStudentId] = useState<string | null>(null);
  const [stmt, setStmt] = useState<Statement | null>(null);
  useEffect(() => {
    if (byTerm && terms.length && /^\d{4}-\d{2}$/.test(period)) setPeriod(terms[0].code);
  }, [byTerm, terms, period]);
  useEffect(() => {
    call('fees.arrears', { period, className }).then(setRows, showError);
  }, [period, className]);
  useEffect(() => {
    if (!studentId) return setStmt(null);
    call('fees.statement', { studentId }).then(setStmt, showError);
  }, [studentId]);
  const openingTotal = rows.reduce((s, r) => s + r.openingArrearsFen, 0);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        size="small"
        title={
          <Space wrap>
            欠费名单
            <PeriodPicker byTerm={byTerm} terms={terms} value={period} onChange={setPeriod} />
            <ClassSelect classes={classes} value={className} onChange={setClassName} allowClear />
            <span data-testid="arrears-total">
              {rows.length} 人，共 ¥{formatFen(rows.reduce((s, r) => s + r.totalFen, 0))}
            </span>
            {openingTotal > 0 && <span data-testid="arrears-opening">（含期初欠费 ¥{formatFen(openingTotal)}）</span>}
          </Space>
        }
      >
        <Table
          size="small"
          rowKey={(r) => r.student.id}
          dataSource={rows}
          pagination={{ pageSize: 50 }}
          data-testid="arrears-table"
          onRow={(r) => ({ onClick: () => setStudentId(r.student.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: '班级', render: (_, r) => r.student.className },
            { title: '学号', render: (_, r) => r.student.studentNo },
            { title: '姓名', render: (_, r) => r.student.name },
            { title: '用餐方式', render: (_, r) => MEAL_PLAN_LABELS[r.student.mealPlan] },
            { title: '天数', dataIndex: 'days', align: 'right' },
            { title: '日标准', align: 'right', render: (_, r) => formatFen(r.dailyRateFen) },
            { title: '应交', align: 'right', render: (_, r) => formatFen(r.dueFen) },
            // 期初欠费: what the pupil owed when the books were opened (期初建账), listed in the period holding the books' first day.
            { title: '期初欠费', align: 'right', render: (_, r) => (r.openingArrearsFen ? formatFen(r.openingArrearsFen) : '') },
            { title: '合计欠费', align: 'right', render: (_, r) => formatFen(r.totalFen) },
          ]}
        />
      </Card>
      <Card size="small" title={<Space>学生个人明细<StudentSelect value={studentId} onChange={(id) => setStudentId(id)} data-testid="statement-student" /></Space>}>
        {stmt && (
          <>
            <Descriptions size="small" column={4} bordered>
              <Descriptions.Item label="姓名">{stmt.student.name}</Descriptions.Item>
              <Descriptions.Item label="学号">{stmt.student.studentNo}</Descriptions.Item>
              <Descriptions.Item label="班级">{stmt.student.className}</Descriptions.Item>
              <Descriptions.Item label="用餐方式">
                {MEAL_PLAN_LABELS[stmt.student.mealPlan]}
                {stmt.student.subsidyEligible && <Tag color="green" style={{ marginLeft: 6 }}>受助</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label="已交（有效收据）">{formatFen(stmt.paidFen)}</Descriptions.Item>
              <Descriptions.Item label="已退">{formatFen(stmt.refundedFen)}</Descriptions.Item>
              <Descriptions.Item label="受助就餐">{stmt.subsidyDays} 天</Descriptions.Item>
              <Descriptions.Item label="补助金额">{formatFen(stmt.subsidyFen)}</Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              style={{ marginTop: 8 }}
              rowKey={(_, i) => String(i)}
              dataSource={stmt.lines}
              pagination={false}
              data-testid="statement-table"
              columns={[
                { title: '日期', dataIndex: 'date' },
                { title: '类别', render: (_, l) => KIND_LABELS[l.kind] },
                { title: '单号', dataIndex: 'number', ...NOWRAP },
                { title: '摘要', dataIndex: 'text' },
                { title: '金额', align: 'right', render: (_, l) => (l.kind === 'refund_paid' ? '' : formatFen(l.amountFen)) },
              ]}
            />
          </>
        )}
      </Card>
    </Space>
  );
}
