import { Alert, Button, Card, Input, List, Modal, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { MONTH_STATUS_LABELS } from '../../../../shared/labels-monthclose.ts';
import type { BankLine, ExportResult, FundColumn, MonthView } from '../../../../shared/api/monthclose.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { previousMonth } from '../../../../shared/calendar.ts';
import { NON_FOOD_LABELS, type Category } from '../../../../shared/domain.ts';
import type { SummaryTableRow } from '../../../../shared/disclosure.ts';
import { formatBp, formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { MoneyInput } from '../../components/NumberText.tsx';
import { showError, toast } from '../../feedback.ts';
import { chinaTime, chinaToday } from '../../labels.ts';
import { navigate, useQuery } from '../../router.ts';
import { useSession } from '../../session.ts';
import { WorkProgress } from '../../components/WorkProgress.tsx';
import { OpenFileButtons } from '../../components/OpenFileButtons.tsx';
import { PackageButton } from './PackageButton.tsx';

/**
 * 月结与公示: pick a month, see its checklist (each open item links to the page that fixes it), enter the bank
 * statement's closing balance, read the fund summary (month and year to date, expense as consumed and as purchased),
 * then the 会计 submits, the 审核人 approves (the month locks) or reopens with a written reason; export the
 * disclosure workbook and the summary PDF of a closed month. Parents see closed months' summaries and exports.
 */

const fen = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatFen(v));
const bp = (v: number | null) => (v === null ? '—' : formatBp(v));

type SummaryRow = { key: string; label: string; month: string; ytd: string; monthPurchased?: string; ytdPurchased?: string; strong?: boolean };

/**
 * The 收支公示 rows as the workbook prints them (summary.rows from the core: the profile's categories, its expense kinds
 * and 手续费, a full-cost profile's 营业利润 rows), with the purchased amounts beside the category rows.
 */
function summaryRows(view: MonthView['summary']): SummaryRow[] {
  const show = (r: SummaryTableRow, v: number | null) => (r.format === 'money' ? fen(v) : r.format === 'percent' ? bp(v) : v === null ? '—' : String(v));
  const sum = (c: FundColumn, cats: readonly Category[]) => cats.reduce((t, k) => t + c.purchasedByCategoryFen[k], 0);
  return view.rows.map((r) => ({
    key: r.key,
    // Category and non-food rows sit under 三、本月支出.
    label: r.categories || r.key in NON_FOOD_LABELS ? `　${r.label}` : r.label,
    month: show(r, r.month),
    ytd: show(r, r.ytd),
    strong: r.bold,
    ...(r.categories ? { monthPurchased: fen(sum(view.current, r.categories)), ytdPurchased: fen(sum(view.ytd, r.categories)) } : {}),
  }));
}

function BankBox(props: { month: string; lines: BankLine[]; canWrite: boolean; onSaved: () => void }) {
  const [values, setValues] = useState<Record<string, number | null>>({});
  return (
    <Table<BankLine>
      rowKey="account"
      size="small"
      pagination={false}
      dataSource={props.lines}
      data-testid="bank-table"
      columns={[
        { title: '账户', dataIndex: 'label' },
        { title: '月末账面余额', dataIndex: 'bookFen', align: 'right', render: fen },
        { title: '对账单余额', dataIndex: 'statementFen', align: 'right', render: fen },
        { title: '差额', dataIndex: 'differenceFen', align: 'right', render: (d: number | null) => (d === null ? '—' : <Typography.Text type={d === 0 ? 'success' : 'danger'}>{formatFen(d)}</Typography.Text>) },
        ...(props.canWrite
          ? [
              {
                title: '录入对账单余额',
                key: 'enter',
                render: (_: unknown, b: BankLine) => (
                  <Space>
                    <MoneyInput value={values[b.account] ?? null} onChange={(v) => setValues({ ...values, [b.account]: v })} style={{ width: 170 }} data-testid={`bank-${b.account}`} />
                    <Button
                      data-testid={`bank-save-${b.account}`}
                      onClick={() => {
                        const v = values[b.account];
                        if (v === null || v === undefined || Number.isNaN(v)) return showError(new Error('请填写对账单余额（元，两位小数）'));
                        call('monthclose.setBankBalance', { month: props.month, account: b.account, balanceFen: v, note: '' }).then(() => {
                          toast('已录入银行对账单余额');
                          props.onSaved();
                        }, showError);
                      }}
                    >
                      录入
                    </Button>
                  </Space>
                ),
              },
            ]
          : []),
      ]}
    />
  );
}

export function MonthClosePage() {
  const query = useQuery();
  const roles = useSession((s) => s.session?.roles ?? []);
  const [month, setMonth] = useState(query.get('month') ?? previousMonth(chinaToday().slice(0, 7)));
  const [view, setView] = useState<MonthView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [months, setMonths] = useState<{ month: string; status: string; revision: number }[]>([]);
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState('');
  const [exported, setExported] = useState<ExportResult | null>(null);
  const [busy, setBusy] = useState(false);
  // A checklist link to another month (“先月结更早的月份”) changes only the query: follow it.
  const queryMonth = query.get('month');
  useEffect(() => {
    if (queryMonth) setMonth(queryMonth);
  }, [queryMonth]);

  const load = useCallback(() => {
    setExported(null);
    call('monthclose.get', { month }).then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e: Error) => {
        setView(null);
        setError(e.message);
      },
    );
    call('monthclose.list', {}).then(setMonths, showError);
  }, [month]);
  useEffect(load, [load]);

  const st = view?.state;
  const isAccountant = canCall('monthclose.submit', roles);
  const isReviewer = canCall('monthclose.approve', roles);
  const act = (name: 'monthclose.submit' | 'monthclose.approve', done: string) =>
    call(name, { month }).then(() => {
      toast(done);
      load();
    }, showError);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space wrap>
        <span>月份</span>
        <Input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} style={{ width: 160 }} data-testid="close-month" />
        {st && (
          <Tag color={st.status === 'closed' ? 'green' : st.status === 'submitted' ? 'blue' : 'default'} data-testid="close-status">
            {MONTH_STATUS_LABELS[st.status]}
          </Tag>
        )}
        {st && <span data-testid="close-revision">版本：{st.revision}</span>}
        {st?.checksumHex && <Typography.Text code data-testid="close-checksum">校验码：{st.checksumHex.slice(0, 16)}</Typography.Text>}
        {months.length > 0 && (
          <span>
            {months.map((m) => (
              <Tag key={m.month} style={{ cursor: 'pointer' }} onClick={() => setMonth(m.month)}>
                {m.month} {MONTH_STATUS_LABELS[m.status as keyof typeof MONTH_STATUS_LABELS]}
              </Tag>
            ))}
          </span>
        )}
      </Space>
      {error && <Alert type="warning" showIcon title={error} data-testid="close-error" />}

      {view && st && (
        <>
          <Space wrap>
            {isAccountant && st.status === 'open' && (
              <Button type="primary" data-testid="close-submit" onClick={() => act('monthclose.submit', '已提交月结，等待审核人审核')}>
                提交月结
              </Button>
            )}
            {isReviewer && st.status === 'submitted' && (
              <Button type="primary" data-testid="close-approve" disabled={!!st.approveBlockedReason} title={st.approveBlockedReason ?? undefined} onClick={() => act('monthclose.approve', '月结已审核，该月已锁定')}>
                审核通过并锁定
              </Button>
            )}
            {st.approveBlockedReason && <Alert type="info" showIcon title={st.approveBlockedReason} data-testid="close-approve-blocked" />}
            {isReviewer && st.status === 'closed' && (
              <Button danger data-testid="close-reopen" onClick={() => setReopening(true)}>
                反结账
              </Button>
            )}
            {st.status === 'closed' && (
              <Button
                data-testid="close-export"
                loading={busy}
                onClick={() => {
                  setBusy(true);
                  call('monthclose.export', { month, pdf: true })
                    .then(
                      (r) => {
                        setExported(r);
                        toast(`已导出公示（版本 ${r.revision}）`);
                      },
                      (e) => ((e as { code?: string }).code === 'CANCELLED' ? toast('已取消导出') : showError(e)),
                    )
                    .finally(() => setBusy(false));
                }}
              >
                导出公示（Excel 与 PDF）
              </Button>
            )}
            {st.status === 'closed' && <PackageButton month={month} />}
          </Space>
          <WorkProgress op="export" running={busy} testId="export-progress" />
          {exported && (
            <Alert
              type="success"
              showIcon
              data-testid="close-exported"
              title={`已导出：版本 ${exported.revision}，校验码 ${exported.checksumHex.slice(0, 16)}`}
              description={
                <div>
                  <div>
                    工作簿：{exported.xlsxPath} <OpenFileButtons file={exported.xlsxPath} testId="close-exported-xlsx" />
                  </div>
                  <div>
                    {exported.pdfPath ? `收支公示表 PDF：${exported.pdfPath}` : `未生成 PDF：${exported.pdfError ?? ''}`}{' '}
                    {exported.pdfPath && <OpenFileButtons file={exported.pdfPath} testId="close-exported-pdf" />}
                  </div>
                </div>
              }
            />
          )}

          {view.checklist && (
            <Card size="small" title="月结检查清单">
              <List
                data-testid="checklist"
                dataSource={view.checklist}
                renderItem={(i) => (
                  <List.Item
                    data-testid={`check-${i.key}`}
                    actions={!i.ok || i.informational ? [<Button key="go" type="link" onClick={() => navigate(i.link)}>{i.linkLabel}</Button>] : []}
                  >
                    <List.Item.Meta
                      title={
                        <Space>
                          <Tag color={i.informational ? 'blue' : i.ok ? 'green' : 'red'}>{i.informational ? '提示' : i.ok ? '已完成' : '未完成'}</Tag>
                          {i.label}
                        </Space>
                      }
                      description={
                        <div>
                          <div>{i.detail}</div>
                          {i.missing.slice(0, 10).map((m) => (
                            <div key={m}>· {m}</div>
                          ))}
                          {i.missing.length > 10 && <div>……共 {i.missing.length} 项</div>}
                        </div>
                      }
                    />
                  </List.Item>
                )}
              />
            </Card>
          )}

          {view.bank && (
            <Card size="small" title="银行对账（月末余额）">
              <BankBox month={month} lines={view.bank} canWrite={isAccountant && st.status !== 'closed'} onSaved={load} />
            </Card>
          )}

          <Card size="small" title={`经费收支（${view.summary.expenseBasis === 'consumed' ? '支出按消耗计：上月底库存 + 本月购入 − 本月底库存' : '支出按验收入库金额计'}）`}>
            {view.summary.flags.map((f) => (
              <Alert key={f.code} type="error" showIcon title={f.message} style={{ marginBottom: 8 }} data-testid={`flag-${f.code}`} />
            ))}
            <Table<SummaryRow>
              rowKey="key"
              size="small"
              pagination={false}
              data-testid="fund-summary"
              dataSource={summaryRows(view.summary)}
              columns={[
                { title: '项目', dataIndex: 'label', render: (l: string, r) => (r.strong ? <b>{l}</b> : l) },
                { title: '本月', dataIndex: 'month', align: 'right' },
                { title: '本年累计', dataIndex: 'ytd', align: 'right' },
                { title: '本月（按购入）', dataIndex: 'monthPurchased', align: 'right' },
                { title: '本年累计（按购入）', dataIndex: 'ytdPurchased', align: 'right' },
              ]}
            />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="period-text">
              {view.summary.period.text}（学期：9月至次年1月、2月至8月）。{view.summary.mealDaysNote} 生均日伙食成本 = 食材支出 ÷ 就餐人日数。单位：元。
            </Typography.Paragraph>
          </Card>

          {st.events.length > 0 && (
            <Card size="small" title="月结记录">
              <List
                size="small"
                data-testid="close-events"
                dataSource={st.events}
                renderItem={(e) => (
                  <List.Item>
                    {chinaTime(e.at)}　{e.byName}　{e.kind === 'submit' ? '提交月结' : e.kind === 'close' ? `审核锁定（版本 ${e.revision}）` : `反结账（版本 ${e.revision}）：${e.reason}`}
                  </List.Item>
                )}
              />
            </Card>
          )}
        </>
      )}

      <Modal
        open={reopening}
        title={`反结账 ${month}`}
        okText="反结账"
        okButtonProps={{ danger: true, 'data-testid': 'reopen-ok' } as never}
        cancelText="取消"
        onCancel={() => setReopening(false)}
        onOk={() =>
          call('monthclose.reopen', { month, reason }).then(() => {
            toast('已反结账：该月重新开放，再次月结后导出为新版本');
            setReopening(false);
            setReason('');
            load();
          }, showError)
        }
      >
        <Typography.Paragraph>反结账后该月可以再记账；再次月结后导出的公示为新版本。请写明理由（至少 5 个字），理由会记入月结记录与审计日志。</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="reopen-reason" />
      </Modal>
    </Space>
  );
}
