import { Alert, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { canCall } from '../../../../shared/access.generated.ts';
import type { ComplaintView, SurveySessionView, SurveyView, TermSurveyView } from '../../../../shared/api/menus.ts';
import { addDays, chinaDateTime } from '../../../../shared/calendar.ts';
import { formatBp } from '../../../../shared/format.ts';
import { COMPLAINT_CHANNELS, SURVEY_ANSWER_LABELS, SURVEY_ANSWERS, type SurveyAnswer } from '../../../../shared/labels-menus.ts';
import { call } from '../../api.ts';
import { OpenFileButtons } from '../../components/OpenFileButtons.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { useRoles, useSession } from '../../session.ts';

type Counts = Record<SurveyAnswer, number>;
/** Short figures (a term, 40 份, a rate) stay on one line. */
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

/**
 * 满意度、投诉与食品安全月报 (issue 17): the term's survey counted from the paper forms (the profile's questions, each
 * 满意 / 基本满意 / 不满意), the complaint log with who closed each one and how, and the month's 食品安全月报 workbook.
 */
export function SurveysPage() {
  const roles = useRoles();
  const canSurvey = canCall('surveys.record', roles);
  const canComplain = canCall('complaints.record', roles);
  const canClose = canCall('complaints.close', roles);
  const canReport = canCall('reports.foodSafetyMonthExport', roles);
  const canKiosk = canCall('surveys.kioskOpen', roles);
  const session = useSession((s) => s.session);
  const signedIn = useSession((s) => s.signedIn);
  const [terms, setTerms] = useState<TermSurveyView[]>([]);
  const [kioskTerm, setKioskTerm] = useState('');
  const [ending, setEnding] = useState<SurveySessionView | null>(null);
  const [password, setPassword] = useState('');
  const today = chinaToday();
  const [questions, setQuestions] = useState<string[]>([]);
  const [surveys, setSurveys] = useState<SurveyView[]>([]);
  const [complaints, setComplaints] = useState<ComplaintView[]>([]);
  const [closing, setClosing] = useState<ComplaintView | null>(null);
  const [action, setAction] = useState('');
  const [month, setMonth] = useState(today.slice(0, 7));
  const [exported, setExported] = useState<string | null>(null);
  const [survey] = Form.useForm<{ termName: string; date: string; forms: number; counts: Counts[] }>();
  const [complaint] = Form.useForm<{ date: string; channel: string; complainant: string; content: string }>();

  const load = useCallback(async () => {
    try {
      const [school, s, c, t] = await Promise.all([call('school.get', {}), call('surveys.list', {}), call('complaints.list', { from: addDays(today, -365), to: today }), call('surveys.terms', {})]);
      setQuestions(school.profile.surveyQuestions);
      setSurveys(s);
      setTerms(t);
      setKioskTerm((prev) => prev || (t[0]?.termName ?? ''));
      setComplaints(c);
    } catch (e) {
      showError(e);
    }
  }, [today]);
  useEffect(() => {
    void load();
  }, [load]);

  const recordSurvey = async (v: { termName: string; date: string; forms: number; counts: Counts[] }) => {
    try {
      const s = await call('surveys.record', {
        termName: v.termName,
        date: v.date,
        forms: v.forms,
        // An empty box counts 0.
        results: questions.map((question, i) => ({ question, counts: Object.fromEntries(SURVEY_ANSWERS.map((a) => [a, v.counts?.[i]?.[a] ?? 0])) as Counts })),
      });
      toast(`已登记 ${s.termName} 满意度调查，满意率 ${formatBp(s.satisfiedBp)}`);
      survey.resetFields();
      void load();
    } catch (e) {
      showError(e, survey);
    }
  };
  const openKiosk = async () => {
    try {
      const k = await call('surveys.kioskOpen', { termName: kioskTerm });
      // The window becomes the parents' page (Shell.tsx shows KioskPage while the login is in a kiosk session).
      if (session) signedIn({ ...session, kiosk: k.id });
    } catch (e) {
      showError(e);
    }
  };
  const endSession = async () => {
    if (!ending) return;
    try {
      await call('surveys.kioskClose', { id: ending.id, password });
      toast(`已结束 ${ending.date} 的现场填写`);
      setEnding(null);
      void load();
    } catch (e) {
      showError(e);
    } finally {
      setPassword('');
    }
  };
  const recordComplaint = async (v: { date: string; channel: string; complainant: string; content: string }) => {
    try {
      await call('complaints.record', { ...v, channel: v.channel as (typeof COMPLAINT_CHANNELS)[number], complainant: v.complainant ?? '' });
      toast('已登记投诉');
      complaint.resetFields();
      void load();
    } catch (e) {
      showError(e, complaint);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canReport && (
        <Card size="small" title="食品安全月报">
          <Space wrap>
            <Input value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 100 }} placeholder="YYYY-MM" data-testid="report-month" />
            <Button
              type="primary"
              data-testid="export-report"
              onClick={() =>
                call('reports.foodSafetyMonthExport', { month }).then((r) => {
                  setExported(r.xlsxPath);
                  toast(`已导出 ${r.xlsxPath}`);
                }, showError)
              }
            >
              导出月报（A4 工作簿）
            </Button>
            {exported && <OpenFileButtons file={exported} testId="report-file" />}
          </Space>
        </Card>
      )}
      <Card size="small" title="满意度（按学期：纸质问卷与家长现场填写分列并合计）">
        {canKiosk && (
          <Space wrap style={{ marginBottom: 8 }}>
            <span>学期</span>
            <Input value={kioskTerm} onChange={(e) => setKioskTerm(e.target.value)} style={{ width: 120 }} placeholder="如 2026秋" data-testid="kiosk-term" />
            <Button type="primary" onClick={() => void openKiosk()} data-testid="kiosk-open">
              现场填写（家长在本机填写问卷）
            </Button>
            <Typography.Text type="secondary">本机将只显示问卷（今天的问题），退出须输入您的密码。</Typography.Text>
          </Space>
        )}
        <Table<TermSurveyView>
          size="small"
          rowKey="termName"
          pagination={false}
          dataSource={terms}
          data-testid="survey-terms"
          columns={[
            { title: '学期', dataIndex: 'termName', onCell: nowrap },
            { title: '纸质问卷', render: (_, t) => `${t.paperForms} 份`, onCell: nowrap },
            { title: '现场填写', render: (_, t) => `${t.typedForms} 份`, onCell: nowrap },
            { title: '合计', render: (_, t) => `${t.paperForms + t.typedForms} 份`, onCell: nowrap },
            {
              title: '满意率（纸质 / 现场 / 合计）',
              onCell: nowrap,
              render: (_, t) => [t.paperBp, t.typedBp, t.satisfiedBp].map((bp) => (bp === null ? '—' : formatBp(bp))).join(' / '),
            },
            {
              title: '各题 满意/基本满意/不满意（纸质 + 现场 = 合计）',
              render: (_, t) =>
                t.results.map((r) => (
                  <div key={r.question}>
                    {r.question}：{SURVEY_ANSWERS.map((a) => r.paper[a]).join('/')} + {SURVEY_ANSWERS.map((a) => r.typed[a]).join('/')} = {SURVEY_ANSWERS.map((a) => r.combined[a]).join('/')}
                  </div>
                )),
            },
            {
              title: '现场填写场次',
              render: (_, t) =>
                t.sessions.map((x) => (
                  <div key={x.id}>
                    {x.date} {x.openedByName} 开启，{x.responses} 份
                    {x.closedAt ? (
                      `，${x.closedByName} 结束`
                    ) : canKiosk ? (
                      <Button size="small" style={{ marginLeft: 4 }} onClick={() => setEnding(x)}>
                        结束
                      </Button>
                    ) : (
                      <Tag color="orange">进行中</Tag>
                    )}
                  </div>
                )),
            },
            { title: '家长意见', render: (_, t) => t.remarks.map((r, i) => <div key={i}>{r.date} {r.text}</div>) },
          ]}
        />
      </Card>
      <Card size="small" title="满意度调查（按学期，纸质问卷汇总）">
        {canSurvey && (
          <Form form={survey} layout="vertical" onFinish={(v) => void recordSurvey(v)} onKeyDownCapture={enterToNext} initialValues={{ date: today }}>
            <Space wrap>
              <Form.Item name="termName" label="学期" rules={[{ required: true, message: '请填写学期' }]}>
                <Input style={{ width: 120 }} placeholder="如 2026秋" />
              </Form.Item>
              <Form.Item name="date" label="调查日期">
                <Input style={{ width: 120 }} />
              </Form.Item>
              <Form.Item name="forms" label="收回问卷（份）" rules={[{ required: true, message: '请填写份数' }]}>
                <InputNumber min={1} precision={0} />
              </Form.Item>
            </Space>
            <Table
              size="small"
              pagination={false}
              rowKey={(q) => q}
              dataSource={questions}
              columns={[
                { title: '问题', render: (_, q) => q },
                ...SURVEY_ANSWERS.map((a) => ({
                  title: SURVEY_ANSWER_LABELS[a],
                  render: (_: unknown, _q: string, i: number) => (
                    <Form.Item name={['counts', i, a]} style={{ margin: 0 }}>
                      <InputNumber min={0} precision={0} />
                    </Form.Item>
                  ),
                })),
              ]}
            />
            <Button type="primary" htmlType="submit" style={{ marginTop: 8 }}>
              登记调查结果
            </Button>
          </Form>
        )}
        <Table<SurveyView>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={surveys}
          style={{ marginTop: 8 }}
          columns={[
            { title: '学期', dataIndex: 'termName' },
            { title: '日期', dataIndex: 'date' },
            { title: '问卷', render: (_, s) => `${s.forms} 份` },
            { title: '满意率', render: (_, s) => formatBp(s.satisfiedBp) },
            { title: '各题（满意/基本满意/不满意）', render: (_, s) => s.results.map((r) => `${r.question} ${r.counts.satisfied}/${r.counts.fair}/${r.counts.dissatisfied}`).join('；') },
            { title: '登记人', dataIndex: 'createdByName' },
          ]}
        />
      </Card>
      <Card size="small" title="投诉记录">
        {canComplain && (
          <Form form={complaint} layout="inline" onFinish={(v) => void recordComplaint(v)} onKeyDownCapture={enterToNext} initialValues={{ date: today, channel: '电话' }}>
            <Form.Item name="date" label="日期">
              <Input style={{ width: 110 }} />
            </Form.Item>
            <Form.Item name="channel" label="渠道">
              <Select style={{ width: 90 }} options={COMPLAINT_CHANNELS.map((c) => ({ value: c, label: c }))} />
            </Form.Item>
            <Form.Item name="complainant" label="投诉人">
              <Input style={{ width: 120 }} placeholder="可不填" />
            </Form.Item>
            <Form.Item name="content" label="内容" rules={[{ required: true, message: '请填写投诉内容' }]}>
              <Input style={{ width: 280 }} maxLength={500} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              登记投诉
            </Button>
          </Form>
        )}
        <Table<ComplaintView>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={complaints}
          style={{ marginTop: 8 }}
          columns={[
            { title: '日期', dataIndex: 'date' },
            { title: '渠道', dataIndex: 'channel' },
            { title: '投诉人', dataIndex: 'complainant' },
            { title: '内容', dataIndex: 'content' },
            {
              title: '处理',
              render: (_, c) =>
                c.followup ? (
                  <span>
                    <Tag color="green">已处理</Tag>
                    {c.followup.action}（{c.followup.closedByName} {chinaDateTime(c.followup.closedAt, 'minute')}）
                  </span>
                ) : canClose ? (
                  <Button size="small" onClick={() => setClosing(c)}>
                    处理完毕
                  </Button>
                ) : (
                  <Tag color="orange">待处理</Tag>
                ),
            },
          ]}
        />
      </Card>
      <Modal open={ending !== null} title="结束现场填写" okText="结束" cancelText="取消" destroyOnHidden onCancel={() => (setEnding(null), setPassword(''))} onOk={() => void endSession()}>
        {ending && <Alert type="info" message={`${ending.date} ${ending.openedByName} 开启的“${ending.termName}”现场填写，已收 ${ending.responses} 份`} style={{ marginBottom: 8 }} />}
        <Typography.Text>请输入您的登录密码：</Typography.Text>
        <Input.Password value={password} onChange={(e) => setPassword(e.target.value)} onPressEnter={() => void endSession()} />
      </Modal>
      <Modal
        open={closing !== null}
        title="投诉处理完毕"
        okText="确定"
        onCancel={() => setClosing(null)}
        onOk={() =>
          closing &&
          call('complaints.close', { id: closing.id, action }).then(() => {
            setClosing(null);
            setAction('');
            toast('已记录处理结果');
            void load();
          }, showError)
        }
      >
        {closing && <Alert type="info" message={`${closing.date} ${closing.content}`} style={{ marginBottom: 8 }} />}
        <Typography.Text>处理结果：</Typography.Text>
        <Input.TextArea value={action} onChange={(e) => setAction(e.target.value)} maxLength={500} />
      </Modal>
    </Space>
  );
}
