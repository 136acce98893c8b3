import { Alert, Button, Card, Descriptions, Form, Input, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ClearingStatus, Deposit } from '../../../../shared/api/fees.ts';
import { monthWords } from '../../../../shared/calendar.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { enterToNext } from '../../components/enterToNext.ts';
import { fenRules, MoneyInput } from '../../components/NumberText.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaTime, chinaToday } from '../../labels.ts';
import { useQuery } from '../../router.ts';
import { DateInput, useCanWrite } from './common.tsx';
import { NOWRAP } from '../../components/columns.ts';

type ClearingRow = { date: string; countedFen: number; bookBalanceFen: number; differenceFen: number; reason: string; confirmedByName: string };

/**
 * 日清: count the cash at the end of the day, set it against the book balance, explain any difference, close the day.
 * Deposits take cash to the canteen's bank account the same day (no 坐收坐支).
 */
export function ClearingPage() {
  const query = useQuery();
  const canWrite = useCanWrite();
  const [date, setDate] = useState(query.get('date') ?? chinaToday());
  const [st, setSt] = useState<ClearingStatus | null>(null);
  const [counted, setCounted] = useState<number | null>(null);
  const [reason, setReason] = useState('');
  const [list, setList] = useState<ClearingRow[]>([]);
  const [deposits, setDeposits] = useState<Deposit[]>([]);
  const [depForm] = Form.useForm<{ amountFen: number; note: string }>();

  const load = useCallback(() => {
    call('clearing.status', { date }).then(setSt, showError);
    call('clearing.list', { month: date.slice(0, 7) }).then(setList, showError);
    call('deposits.list', { month: date.slice(0, 7) }).then(setDeposits, showError);
  }, [date]);
  useEffect(() => {
    setCounted(null);
    setReason('');
    load();
  }, [load]);

  const diff = st && counted != null && !Number.isNaN(counted) ? counted - st.bookBalanceFen : null;
  const confirm = async () => {
    try {
      await call('clearing.confirm', { date, countedFen: counted ?? Number.NaN, reason });
      toast(`${date} 已日清`);
      load();
    } catch (e) {
      showError(e);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <span>日期</span>
        <DateInput value={date} onChange={setDate} data-testid="clearing-date" />
      </Space>
      {st && (
        <Card size="small" title={`${date} 库存现金`}>
          <Descriptions size="small" column={3} bordered>
            <Descriptions.Item label="昨日结存">{formatFen(st.openingFen)}</Descriptions.Item>
            <Descriptions.Item label="今日收入">{formatFen(st.cashInFen)}</Descriptions.Item>
            <Descriptions.Item label="今日付出（退付、冲销、送存）">{formatFen(st.cashOutFen)}</Descriptions.Item>
            <Descriptions.Item label="账面余额">
              <b data-testid="book-balance">{formatFen(st.bookBalanceFen)}</b>
            </Descriptions.Item>
            <Descriptions.Item label="现金收据">{st.cashReceipts} 张</Descriptions.Item>
            <Descriptions.Item label="收款人">{st.cashTakers.join('、') || '—'}</Descriptions.Item>
          </Descriptions>
          {st.cleared ? (
            <Alert
              style={{ marginTop: 12 }}
              type={st.cleared.differenceFen === 0 ? 'success' : 'warning'}
              showIcon
              data-testid="cleared"
              message={`已日清：实点 ¥${formatFen(st.cleared.countedFen)}，账面 ¥${formatFen(st.cleared.bookBalanceFen)}，差异 ¥${formatFen(st.cleared.differenceFen)}${st.cleared.reason ? `（${st.cleared.reason}）` : ''}`}
              description={`确认人 ${st.cleared.confirmedByName}，${chinaTime(st.cleared.confirmedAt)}`}
            />
          ) : (
            canWrite && (
              <Form layout="inline" style={{ marginTop: 12 }} onKeyDownCapture={enterToNext} onFinish={confirm}>
                {/* A rule that will refuse this user (two-person 日清) is said before the count is typed, not after. */}
                {st.blockedReason && <Alert style={{ width: '100%', marginBottom: 12 }} type="info" showIcon title={st.blockedReason} data-testid="blocked" />}
                <Form.Item label="实点现金">
                  <MoneyInput value={counted} onChange={setCounted} style={{ width: 180 }} disabled={!!st.blockedReason} data-testid="counted" />
                </Form.Item>
                {diff !== null && (
                  <Form.Item>
                    <Typography.Text type={diff === 0 ? 'success' : 'danger'} data-testid="difference">
                      {diff === 0 ? '账实相符' : `${diff > 0 ? '长款' : '短款'} ¥${formatFen(Math.abs(diff))}`}
                    </Typography.Text>
                  </Form.Item>
                )}
                {diff !== null && diff !== 0 && (
                  <Form.Item label="差异原因" required>
                    <Input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} style={{ width: 260 }} data-testid="difference-reason" />
                  </Form.Item>
                )}
                <Button type="primary" htmlType="submit" disabled={diff === null || (diff !== 0 && !reason.trim()) || !!st.blockedReason}>
                  确认日清
                </Button>
              </Form>
            )
          )}
          {!st.cleared && !canWrite && st.blockedReason && <Alert style={{ marginTop: 12 }} type="info" showIcon title={st.blockedReason} data-testid="blocked" />}
        </Card>
      )}
      {canWrite && st && !st.cleared && (
        <Card size="small" title="现金送存银行">
          <Form
            form={depForm}
            layout="inline"
            initialValues={{ note: '' }}
            onFinish={async (v) => {
              try {
                const d = await call('deposits.create', { date, amountFen: v.amountFen, note: v.note });
                toast(`送存 ${d.number} ¥${formatFen(d.amountFen)}`);
                depForm.resetFields();
                load();
              } catch (e) {
                showError(e, depForm);
              }
            }}
          >
            <Form.Item name="amountFen" label="金额" rules={fenRules('送存金额')}>
              <MoneyInput style={{ width: 160 }} />
            </Form.Item>
            <Form.Item name="note" label="摘要">
              <Input maxLength={200} />
            </Form.Item>
            <Button htmlType="submit">送存</Button>
          </Form>
        </Card>
      )}
      <Card size="small" title={`${monthWords(date)} 日清与送存`}>
        <Table
          size="small"
          rowKey="date"
          pagination={false}
          dataSource={list}
          columns={[
            { title: '日期', dataIndex: 'date' },
            { title: '账面余额', align: 'right', render: (_, r) => formatFen(r.bookBalanceFen) },
            { title: '实点现金', align: 'right', render: (_, r) => formatFen(r.countedFen) },
            { title: '差异', align: 'right', render: (_, r) => formatFen(r.differenceFen) },
            { title: '原因', dataIndex: 'reason' },
            { title: '确认人', dataIndex: 'confirmedByName' },
          ]}
        />
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={deposits}
          style={{ marginTop: 8 }}
          columns={[
            { title: '送存单号', dataIndex: 'number', ...NOWRAP },
            { title: '日期', dataIndex: 'date' },
            { title: '金额', align: 'right', render: (_, r) => formatFen(r.amountFen) },
            { title: '摘要', dataIndex: 'note' },
            { title: '经办', dataIndex: 'createdByName' },
          ]}
        />
      </Card>
    </Space>
  );
}
