import { Alert, Button, Card, Descriptions, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { PAYMENT_METHOD_LABELS, PAYMENT_METHODS } from '../../../../shared/labels-receiving.ts';
import type { PaymentMethod, Reconciliation as Rec, ReconciliationMonthRow, ReconciliationRow, ReconciliationState } from '../../../../shared/api/receiving.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { SupplierSelect } from '../../components/EntitySelect.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { MoneyInput, fenRules } from '../../components/NumberText.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate, useQuery } from '../../router.ts';
import { NOWRAP } from '../../components/columns.ts';

const diffText = (f: number | null) => (f === null ? '—' : f === 0 ? '0.00' : <Typography.Text type="danger">{f > 0 ? '+' : ''}{formatFen(f)}</Typography.Text>);

const STATE_TAGS: Record<ReconciliationState, { color: string; text: string }> = {
  none: { color: 'default', text: '未录入' },
  agreed: { color: 'green', text: '一致' },
  different: { color: 'red', text: '有差异' },
};
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The statement as our books would have it: one line per accepted delivery at our amount (the clerk edits the few that differ). */
function linesFromBooks(r: Rec): { ref: string; amountFen: number | null }[] {
  return r.rows.map((x) => ({ ref: x.noteNumber || x.number, amountFen: x.ourFen }));
}
const sumLines = (lines: StatementValues['lines'] | undefined) => (lines ?? []).reduce((a, l) => a + (l?.amountFen ?? 0), 0);

interface StatementValues {
  totalFen: number | null;
  invoices: string;
  lines: { ref: string; amountFen: number | null }[];
  note: string;
}

/**
 * 对账 (the accountant), in one pass over a month: the month's suppliers with posted deliveries listed with where each
 * stands (未录入 / 一致 / 有差异), the first one not agreed opened; its statement prefilled from our own accepted
 * deliveries, one line per delivery, so the clerk types only where the supplier's statement differs; the total is the
 * lines' sum. Saving moves to the next supplier not agreed. The checklist and the home link here with ?month=.
 */
export function Reconciliation({ canWrite }: { canWrite: boolean }) {
  const query = useQuery();
  const [supplierId, setSupplierId] = useState<string | null>(null);
  const [month, setMonth] = useState(() => (MONTH.test(query.get('month') ?? '') ? query.get('month')! : chinaToday().slice(0, 7)));
  const [worklist, setWorklist] = useState<ReconciliationMonthRow[] | null>(null);
  const [rec, setRec] = useState<Rec | null>(null);
  const [form] = Form.useForm<StatementValues>();
  const [payForm] = Form.useForm<{ date: string; amountFen: number | null; method: PaymentMethod; reference: string }>();
  const watchedLines = Form.useWatch('lines', form);

  /**
   * The month's worklist. 'next' (after a save) opens the first supplier not agreed; 'keep' (a month typed) keeps the
   * supplier chosen if the month has it, else opens the first not agreed.
   */
  const loadMonth = useCallback(
    async (mode: 'keep' | 'next') => {
      if (!MONTH.test(month)) return setWorklist(null);
      try {
        const rows = await call('receiving.reconciliationMonth', { month });
        setWorklist(rows);
        const next = rows.find((r) => r.state !== 'agreed')?.supplierId;
        setSupplierId((current) => (mode === 'keep' && current && rows.some((r) => r.supplierId === current) ? current : (next ?? current)));
      } catch (e) {
        showError(e);
      }
    },
    [month],
  );
  useEffect(() => {
    void loadMonth('keep');
  }, [loadMonth]);

  const load = useCallback(async () => {
    if (!supplierId || !MONTH.test(month)) return setRec(null);
    try {
      const r = await call('receiving.reconciliation', { supplierId, month });
      setRec(r);
      const lines = r.statement ? r.statement.lines : linesFromBooks(r);
      form.setFieldsValue({
        totalFen: r.statement?.totalFen ?? sumLines(lines),
        invoices: r.statement?.invoiceNumbers.join('，') ?? '',
        lines,
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
      const after = await call('receiving.reconciliation', { supplierId: supplierId!, month });
      toast(after.differenceFen === 0 && after.unmatched.length === 0 && after.rows.every((x) => !x.differenceFen) ? `${after.supplierName}：对账单已保存，与验收一致` : `${after.supplierName}：对账单已保存，仍有差异`);
      await loadMonth('next');
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
      void loadMonth('keep');
    } catch (e) {
      showError(e, payForm);
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input style={{ width: 110 }} value={month} onChange={(e) => setMonth(e.target.value)} placeholder="YYYY-MM" data-testid="rec-month" />
        <SupplierSelect value={supplierId} onChange={(v) => setSupplierId(v)} style={{ width: 260 }} data-testid="rec-supplier" />
      </Space>
      {worklist && (
        <Table<ReconciliationMonthRow>
          rowKey="supplierId"
          size="small"
          pagination={false}
          style={{ marginBottom: 12 }}
          dataSource={worklist}
          data-testid="rec-worklist"
          locale={{ emptyText: '本月没有已入账的验收单' }}
          rowClassName={(r) => (r.supplierId === supplierId ? 'ant-table-row-selected' : '')}
          onRow={(r) => ({ onClick: () => setSupplierId(r.supplierId), style: { cursor: 'pointer' } })}
          columns={[
            { title: '供应商', dataIndex: 'supplierName' },
            { title: '验收单', dataIndex: 'deliveries', align: 'right', render: (n: number) => `${n} 张` },
            { title: '验收合格金额', dataIndex: 'ourTotalFen', align: 'right', ...NOWRAP, render: (f: number) => formatFen(f) },
            { title: '对账单金额', dataIndex: 'statementTotalFen', align: 'right', ...NOWRAP, render: (f: number | null) => (f === null ? '—' : formatFen(f)) },
            { title: '状态', dataIndex: 'state', render: (st: ReconciliationState) => <Tag color={STATE_TAGS[st].color}>{STATE_TAGS[st].text}</Tag> },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={5}>
                <span data-testid="rec-progress">
                  {worklist.filter((r) => r.state === 'agreed').length}/{worklist.length} 家已核对一致
                </span>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      )}
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
                <Form
                  form={form}
                  layout="vertical"
                  onFinish={saveStatement}
                  onKeyDownCapture={enterToNext}
                  data-testid="statement-form"
                  // The statement's total is its lines' sum while it is itemised (the core refuses anything else).
                  onValuesChange={(changed: Partial<StatementValues>, all: StatementValues) => {
                    if (changed.lines && (all.lines ?? []).length > 0) form.setFieldValue('totalFen', sumLines(all.lines));
                  }}
                >
                  <Space>
                    <Form.Item name="totalFen" label="对账单总额" rules={fenRules('对账单总额')}>
                      <MoneyInput style={{ width: 150 }} data-testid="statement-total" disabled={(watchedLines ?? []).length > 0} />
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
                            <Form.Item name={[f.name, 'ref']} label={i === 0 ? '送货单号/验收单号' : undefined} style={{ marginBottom: 4 }}>
                              <Input style={{ width: 180 }} data-testid={`statement-ref-${i}`} />
                            </Form.Item>
                            <Form.Item name={[f.name, 'amountFen']} label={i === 0 ? '金额' : undefined} style={{ marginBottom: 4 }}>
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
