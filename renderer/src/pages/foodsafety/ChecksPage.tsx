import { Button, Card, Checkbox, DatePicker, Form, Input, List, Modal, Radio, Space, Switch, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { canCall } from '../../../../shared/access.generated.ts';
import type { CheckDay, CheckView, StaffFinding, StaffView } from '../../../../shared/api/foodsafety.ts';
import { monthWords } from '../../../../shared/calendar.ts';
import { CERT_STATE_LABELS, OUTCOME_LABELS, SYMPTOM_LABELS, type CertState, type CheckOutcome, type Symptom } from '../../../../shared/labels-foodsafety.ts';
import { call } from '../../api.ts';
import { NOWRAP } from '../../components/columns.ts';
import { enterToNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { useQuery } from '../../router.ts';
import { useRoles } from '../../session.ts';
import { DateInput } from '../fees/common.tsx';
import { CorrectionReason } from './CorrectionReason.tsx';

const CERT_COLORS: Record<CertState, string> = { ok: 'green', expiring: 'gold', expired: 'red', missing: 'red' };
const certTag = (s: StaffView) => <Tag color={CERT_COLORS[s.certState]}>{CERT_STATE_LABELS[s.certState]}</Tag>;
const canWork = (s: StaffView) => s.certState === 'ok' || s.certState === 'expiring';

interface Draft {
  symptoms: Symptom[];
  outcome: CheckOutcome;
  onDuty: boolean;
  note: string;
}

/**
 * 晨检 and 健康证 (issue 17): the canteen staff with their health certificates (warned 30 days ahead), and each working
 * day's check per person — symptoms, 合格/不合格, 上岗. Whoever is 不合格 or has no valid certificate that day cannot be put
 * on duty (the switch is off and the core refuses it). Keyboard: arrows choose, Space ticks, Enter moves on.
 */
export function ChecksPage() {
  const query = useQuery();
  const roles = useRoles();
  const canCheck = canCall('checks.record', roles);
  const canKeep = canCall('staff.save', roles);
  const monthParam = query.get('month');
  const [date, setDate] = useState(query.get('date') ?? (monthParam && !chinaToday().startsWith(monthParam) ? `${monthParam}-01` : chinaToday()));
  const [day, setDay] = useState<CheckDay | null>(null);
  const [staff, setStaff] = useState<StaffView[]>([]);
  const [findings, setFindings] = useState<StaffFinding[]>([]);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [editing, setEditing] = useState<StaffView | 'new' | null>(null);
  const [amending, setAmending] = useState<CheckView | null>(null);

  const load = useCallback(() => {
    call('checks.day', { date }).then((d) => {
      setDay(d);
      setDrafts(Object.fromEntries(d.rows.filter((r) => !r.check && r.staff.active).map((r) => [r.staff.id, { symptoms: [], outcome: 'fit', onDuty: canWork(r.staff), note: '' }])));
    }, showError);
    call('staff.list', { includeInactive: true }).then(setStaff, showError);
    call('staff.findings', { month: date.slice(0, 7) }).then(setFindings, showError);
  }, [date]);
  useEffect(load, [load]);

  const setDraft = (id: string, patch: Partial<Draft>) =>
    setDrafts((ds) => {
      const d = { ...ds[id], ...patch };
      if (d.outcome === 'unfit') d.onDuty = false;
      return { ...ds, [id]: d };
    });

  const save = async () => {
    const checks = Object.entries(drafts).map(([staffId, d]) => ({ staffId, ...d }));
    if (checks.length === 0) return;
    try {
      const done = await call('checks.record', { date, checks });
      toast(`已登记 ${date} 晨检 ${done.length} 人，上岗 ${done.filter((c) => c.onDuty).length} 人`);
      load();
    } catch (e) {
      showError(e);
    }
  };

  const pending = day?.rows.filter((r) => !r.check && r.staff.active) ?? [];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <span>日期</span>
        <DateInput value={date} onChange={(d) => d && setDate(d)} data-testid="check-date" />
      </Space>
      <Card size="small" title={`${date} 晨检`} onKeyDownCapture={enterToNext}>
        {day && (
          <Table
            size="small"
            rowKey={(r) => r.staff.id}
            pagination={false}
            dataSource={day.rows}
            data-testid="checks-table"
            columns={[
              { title: '姓名', render: (_, r) => r.staff.name },
              { title: '岗位', render: (_, r) => r.staff.post },
              { title: '健康证', render: (_, r) => <Space size={4}>{certTag(r.staff)}{r.staff.certExpiry ? `至 ${r.staff.certExpiry}` : ''}</Space>, ...NOWRAP },
              {
                title: '症状',
                render: (_, r) =>
                  r.check ? (
                    r.check.symptoms.map((s) => SYMPTOM_LABELS[s]).join('、') || '无'
                  ) : drafts[r.staff.id] && canCheck ? (
                    <Checkbox.Group
                      value={drafts[r.staff.id].symptoms}
                      onChange={(v) => setDraft(r.staff.id, { symptoms: v as Symptom[], outcome: v.length ? 'unfit' : drafts[r.staff.id].outcome })}
                      // The symptoms the profile of that day's month asks about.
                      options={day.symptoms.map((s) => ({ value: s, label: SYMPTOM_LABELS[s] }))}
                    />
                  ) : (
                    '—'
                  ),
              },
              {
                title: '结果',
                render: (_, r) =>
                  r.check ? (
                    <Tag color={r.check.outcome === 'fit' ? 'green' : 'red'}>{OUTCOME_LABELS[r.check.outcome]}</Tag>
                  ) : drafts[r.staff.id] && canCheck ? (
                    <Radio.Group
                      value={drafts[r.staff.id].outcome}
                      onChange={(e) => setDraft(r.staff.id, { outcome: e.target.value })}
                      options={(['fit', 'unfit'] as const).map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))}
                    />
                  ) : (
                    <Typography.Text type="warning">未晨检</Typography.Text>
                  ),
              },
              {
                title: '上岗',
                render: (_, r) =>
                  r.check ? (
                    r.check.onDuty ? '是' : '否'
                  ) : drafts[r.staff.id] && canCheck ? (
                    <Switch
                      checked={drafts[r.staff.id].onDuty}
                      disabled={drafts[r.staff.id].outcome === 'unfit' || !canWork(r.staff)}
                      onChange={(v) => setDraft(r.staff.id, { onDuty: v })}
                      checkedChildren="上岗"
                      unCheckedChildren="不上岗"
                    />
                  ) : (
                    '—'
                  ),
              },
              {
                title: '说明',
                render: (_, r) =>
                  r.check ? (
                    r.check.note
                  ) : drafts[r.staff.id] && canCheck ? (
                    <Input value={drafts[r.staff.id].note} maxLength={200} onChange={(e) => setDraft(r.staff.id, { note: e.target.value })} style={{ width: 180 }} />
                  ) : (
                    ''
                  ),
              },
              { title: '', key: 'act', render: (_, r) => (r.check && canCheck ? <Button size="small" onClick={() => setAmending(r.check)}>更正</Button> : null) },
            ]}
          />
        )}
        {canCheck && pending.length > 0 && (
          // A submit button, so Enter on the last row's 说明 moves on to it (enterToNext) and Enter there saves.
          <Button type="primary" htmlType="submit" style={{ marginTop: 8 }} onClick={save} data-testid="save-checks">
            保存晨检（{pending.length} 人）
          </Button>
        )}
        {day && day.cancelled.length > 0 && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            已作废：{day.cancelled.map((c) => `${c.staffName}（${c.cancelReason}）`).join('；')}
          </Typography.Paragraph>
        )}
      </Card>
      <Card size="small" title={`${monthWords(date)}晨检与健康证问题`}>
        {findings.length === 0 ? (
          <Typography.Text type="success">没有问题</Typography.Text>
        ) : (
          <List size="small" data-testid="check-findings" dataSource={findings} renderItem={(f) => <List.Item>{f.text}</List.Item>} />
        )}
      </Card>
      <Card size="small" title="食堂从业人员与健康证" extra={canKeep && <Button onClick={() => setEditing('new')}>新增人员</Button>}>
        <Table<StaffView>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={staff}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '岗位', dataIndex: 'post' },
            { title: '健康证编号', dataIndex: 'certNo', ...NOWRAP },
            { title: '有效期至', dataIndex: 'certExpiry', ...NOWRAP },
            { title: '状态', render: (_, s) => (s.active ? certTag(s) : <Tag>已停用</Tag>) },
            ...(canKeep ? [{ title: '', key: 'act', render: (_: unknown, s: StaffView) => <Button size="small" onClick={() => setEditing(s)}>修改</Button> }] : []),
          ]}
        />
      </Card>
      {editing && <StaffDialog staff={editing === 'new' ? null : editing} onClose={(changed) => (setEditing(null), changed && load())} />}
      {amending && day && <AmendDialog check={amending} symptoms={day.symptoms} onClose={(changed) => (setAmending(null), changed && load())} />}
    </Space>
  );
}

function StaffDialog({ staff, onClose }: { staff: StaffView | null; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<{ name: string; post: string; certNo: string; certExpiry: dayjs.Dayjs | null; active: boolean }>();
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await call('staff.save', { id: staff?.id ?? null, name: v.name, post: v.post ?? '', certNo: v.certNo ?? '', certExpiry: v.certExpiry ? v.certExpiry.format('YYYY-MM-DD') : null, active: v.active });
      toast(`已保存 ${v.name}`);
      onClose(true);
    } catch (e) {
      showError(e, form);
    }
  };
  return (
    <Modal open title={staff ? `修改 ${staff.name}` : '新增食堂从业人员'} okText="保存" cancelText="取消" onOk={ok} onCancel={() => onClose(false)}>
      <Form
        form={form}
        layout="vertical"
        onKeyDownCapture={enterToNext}
        onFinish={ok}
        initialValues={{ name: staff?.name ?? '', post: staff?.post ?? '', certNo: staff?.certNo ?? '', certExpiry: staff?.certExpiry ? dayjs(staff.certExpiry) : null, active: staff?.active ?? true }}
      >
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
          <Input maxLength={30} autoFocus />
        </Form.Item>
        <Form.Item name="post" label="岗位">
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="certNo" label="健康证编号">
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="certExpiry" label="健康证有效期至">
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item name="active" label="在岗" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AmendDialog({ check, symptoms, onClose }: { check: CheckView; symptoms: Symptom[]; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<{ symptoms: Symptom[]; outcome: CheckOutcome; onDuty: boolean; note: string; reason: string }>();
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await call('checks.amend', { id: check.id, reason: v.reason, symptoms: v.symptoms ?? [], outcome: v.outcome, onDuty: v.onDuty, note: v.note ?? '' });
      toast(`已更正 ${check.staffName} 的晨检`);
      onClose(true);
    } catch (e) {
      showError(e, form);
    }
  };
  return (
    <Modal open title={`更正晨检：${check.date} ${check.staffName}`} okText="作废原记录并重新登记" cancelText="取消" onOk={ok} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" onKeyDownCapture={enterToNext} onFinish={ok} initialValues={{ symptoms: check.symptoms, outcome: check.outcome, onDuty: check.onDuty, note: check.note, reason: '' }}>
        <Form.Item name="symptoms" label="症状">
          <Checkbox.Group options={symptoms.map((s) => ({ value: s, label: SYMPTOM_LABELS[s] }))} />
        </Form.Item>
        <Form.Item name="outcome" label="结果">
          <Radio.Group options={(['fit', 'unfit'] as const).map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))} />
        </Form.Item>
        <Form.Item name="onDuty" label="上岗" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input maxLength={200} />
        </Form.Item>
        <CorrectionReason />
      </Form>
    </Modal>
  );
}
