import { Alert, Button, Card, Descriptions, Form, Input, Radio, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS } from '../../../../shared/labels-receiving.ts';
import type { PaymentMethod, Reconciliation as Rec, ReconciliationRow } from '../../../../shared/api/receiving.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { SupplierSelect } from '../../components/EntitySelect.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { MoneyInput, fenRules } from '../../components/NumberText.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate } from '../../router.ts';
import { NOWRAP } from '../../components/columns.ts';

const diffText = (f: number | null) => (f === null ? '—' : f === 0 ? '0.00' : <Typography.Text type="danger">{f > 0 ? '+' : ''}{formatFen(f)}</Typography.Text>);

interface StatementValues {
  totalFen: number | null;
  invoices: string;
  lines: { ref: string; amountFen: number | null }[];
  note: string;
}

/** 对账 (the accountant): a supplier's month against its statement, per delivery and in total, and payments. */
export function Reconciliation({ canWrite }: { canWrite: boolean }) {
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [month, setMonth] = useState(chinaToday().slice(0, 7));
  const [rec, setRec] = useState<Rec | null>(null);
  const [form] = Form.useForm<StatementValues>();
  const [payForm] = Form.useForm<{ date: string; amountFen: number | null; method: PaymentMethod; reference: string }>();

  const load = useCallback(async () => {
    if (!supplierId || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return setRec(null);
    try {
      const r = await call('receiving.reconciliation', { supplierId, month });
      setRec(r);
      form.setFieldsValue({
        totalFen: r.statement?.totalFen ?? null,
        invoices: r.statement?.invoiceNumbers.join('，') ?? '',
        lines: r.statement?.lines ?? [],
        note: r.statement?.note ?? '',
      });
    } catch (e) {
      showError(e);
    }
  }, [supplierId, month, form]);
  useEffect(() => {
    void load();
  }, [load]);

  const saveStatement = async (v: StatementValues) => {
    try {
      await call('receiving.statementSave', {
        supplierId: supplierId!,
        month,
        totalFen: v.totalFen ?? 0,
        invoiceNumbers: (v.invoices ?? '').split(/[,，、\s]+/).map((s) => s.trim()).filter(Boolean),
        lines: (v.lines ?? []).filter((l) => l?.ref?.trim()).map((l) => ({ ref: l.ref.trim(), amountFen: l.amountFen ?? 0 })),
        note: v.note ?? '',
      });
      toast('对账单已保存');
      void load();
    } catch (e) {
      showError(e, form);
    }
  };
  const pay = async (v: { date: string; amountFen: number | null; method: PaymentMethod; reference: string }) => {
    try {
      await call('receiving.pay', { supplierId: supplierId!, date: v.date, amountFen: v.amountFen ?? 0, method: v.method, reference: v.reference ?? '' });
      toast('付款已记账');
      payForm.resetFields();
      void load();
    } catch (e) {
      showError(e, payForm);
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <SupplierSelect value={supplierId} onChange={(v) => setSupplierId(v)} style={{ width: 260 }} data-testid="rec-supplier" />
        <Input style={{ width: 110 }} value={month} onChange={(e) => setMonth(e.target.value)} placeholder="YYYY-MM" data-testid="rec-month" />
      </Space>
      {!rec && <Alert type="info" showIcon title="选择供应商和月份，查看本月已入账的验收单与对账单的差异" />}
      {rec && (
        <>
          <Table<ReconciliationRow>
            rowKey="deliveryId"
            size="small"
            pagination={false}
            dataSource={rec.rows}
            data-testid="rec-table"
            onRow={(r) => ({ onClick: () => navigate(`/receiving/${r.deliveryId}`), style: { cursor: 'pointer' } })}
            columns={[
              { title: '日期', dataIndex: 'date' },
              { title: '验收单号', dataIndex: 'number', ...NOWRAP },
              { title: '送货单号', dataIndex: 'noteNumber', ...NOWRAP },
              { title: '验收合格金额', dataIndex: 'ourFen', align: 'right', render: (f: number) => formatFen(f) },
              { title: '对账单金额', dataIndex: 'statementFen', align: 'right', render: (f: number | null) => (f === null ? '—' : formatFen(f)) },
              { title: '差额', dataIndex: 'differenceFen', align: 'right', render: diffText },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={3}>
                  合计
                </Table.Summary.Cell>
                <Table.Summary.Cell index={3} align="right">
                  {formatFen(rec.ourTotalFen)}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={4} align="right">
                  {rec.statement ? formatFen(rec.statement.totalFen) : '—'}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={5} align="right">
                  <span data-testid="rec-difference">{diffText(rec.differenceFen)}</span>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
          {rec.unmatched.length > 0 && (
            <Alert style={{ marginTop: 8 }} type="warning" showIcon title={`对账单上有 ${rec.unmatched.length} 笔找不到对应的验收单：${rec.unmatched.map((u) => `${u.ref}（${formatFen(u.amountFen)}）`).join('、')}`} />
          )}
          <Descriptions size="small" style={{ marginTop: 12 }} column={3} bordered>
            <Descriptions.Item label="月末应付余额">¥{formatFen(rec.payableAtMonthEndFen)}</Descriptions.Item>
            <Descriptions.Item label="当前应付余额">
              <span data-testid="rec-payable">¥{formatFen(rec.payableNowFen)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="本月付款">{rec.payments.map((p) => `${p.date} ${PAYMENT_METHOD_LABELS[p.method]} ${formatFen(p.amountFen)}`).join('；') || '—'}</Descriptions.Item>
          </Descriptions>
          {canWrite && (
            <Space align="start" style={{ marginTop: 12 }} wrap>
              <Card size="small" title="供应商对账单" style={{ width: 560 }}>
                <Form form={form} layout="vertical" onFinish={saveStatement} onKeyDownCapture={enterToNext} data-testid="statement-form">
                  <Space>
                    <Form.Item name="totalFen" label="对账单总额" rules={fenRules('对账单总额')}>
                      <MoneyInput style={{ width: 150 }} data-testid="statement-total" />
                    </Form.Item>
                    <Form.Item name="invoices" label="发票号（多个用逗号分隔）">
                      <Input style={{ width: 240 }} data-testid="statement-invoices" />
                    </Form.Item>
                  </Space>
                  <Form.List name="lines">
                    {(fields, { add, remove }) => (
                      <>
                        {fields.map((f, i) => (
                          <Space key={f.key} align="baseline">
                            <Form.Item name={[f.name, 'ref']} label={i === 0 ? '送货单号/验收单号' : undefined}>
                              <Input style={{ width: 180 }} data-testid={`statement-ref-${i}`} />
                            </Form.Item>
                            <Form.Item name={[f.name, 'amountFen']} label={i === 0 ? '金额' : undefined}>
                              <MoneyInput style={{ width: 150 }} data-testid={`statement-amount-${i}`} />
                            </Form.Item>
                            <Button type="link" danger tabIndex={-1} onClick={() => remove(f.name)}>
                              删除
                            </Button>
                          </Space>
                        ))}
                        <Button onClick={() => add({ ref: '', amountFen: null })} style={{ marginBottom: 8 }} data-testid="statement-add-line">
                          添加逐单金额
                        </Button>
                      </>
                    )}
                  </Form.List>
                  <Form.Item name="note" label="备注">
                    <Input />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" data-testid="statement-save">
                    保存对账单
                  </Button>
                </Form>
              </Card>
              <Card size="small" title="付款" style={{ width: 420 }}>
                <Form form={payForm} layout="vertical" onFinish={pay} initialValues={{ date: chinaToday(), method: 'bank' }} onKeyDownCapture={enterToNext}>
                  <Form.Item name="date" label="付款日期" rules={[{ required: true, message: '请填写付款日期' }]}>
                    <Input placeholder="YYYY-MM-DD" data-testid="pay-date" />
                  </Form.Item>
                  <Form.Item name="amountFen" label="金额" rules={fenRules('付款金额')}>
                    <MoneyInput data-testid="pay-amount" />
                  </Form.Item>
                  <Form.Item name="method" label="方式">
                    <Radio.Group options={PAYMENT_METHODS.map((m) => ({ value: m, label: PAYMENT_METHOD_LABELS[m] }))} />
                  </Form.Item>
                  <Form.Item name="reference" label="凭证号">
                    <Input />
                  </Form.Item>
                  <Button type="primary" htmlType="submit" data-testid="pay-submit">
                    记录付款
                  </Button>
                </Form>
              </Card>
            </Space>
          )}
        </>
      )}
    </>
  );
}
