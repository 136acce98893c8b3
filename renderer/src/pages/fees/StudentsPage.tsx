import { Alert, AutoComplete, Button, Checkbox, Form, Input, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { MEAL_PLAN_LABELS, MEAL_PLANS, ROSTER_FIELD_LABELS } from '../../../../shared/labels-fees.ts';
import type { ClassInfo, MealPlanRow, RosterField, RosterPreview, Student, StudentClassMove } from '../../../../shared/api/fees.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { enterToNext } from '../../components/enterToNext.ts';
import { chinaToday } from '../../labels.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { fenRules, MoneyInput } from '../../components/NumberText.tsx';
import { showError, toast } from '../../feedback.ts';
import { useRoles } from '../../session.ts';
import { ClassSelect, currentMonth, DateInput, FeeList, PeriodPicker, useClasses, useFeeSetup } from './common.tsx';
import { NOWRAP } from '../../components/columns.ts';
import { readAsBase64 } from '../../components/files.ts';
import { WorkProgress } from '../../components/WorkProgress.tsx';

/** 学生与标准: the roster (import from .xlsx), school days per month, terms, and the meal plans' daily rates. */

const FIELDS: RosterField[] = ['studentNo', 'name', 'className', 'mealPlan', 'subsidyEligible'];

function RosterImport({ onDone }: { onDone: () => void }) {
  const [data, setData] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<RosterPreview | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (b64: string, mapping?: RosterPreview['mapping']) => {
    setBusy(true);
    try {
      setPreview(await call('students.importPreview', { dataBase64: b64, mapping }));
    } catch (e) {
      setPreview(null);
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const commit = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      const r = await call('students.importCommit', { rows: preview.rows.map((x) => x.row!).filter(Boolean) });
      toast(`导入完成：新增 ${r.created} 人，更新 ${r.updated} 人，未变 ${r.unchanged} 人`);
      setPreview(null);
      setData(null);
      setFileName('');
      onDone();
    } catch (e) {
      showError(e);
    } finally {
      setBusy(false);
    }
  };
  const actionTag = { create: <Tag color="green">新增</Tag>, update: <Tag color="blue">更新</Tag>, same: <Tag>无变化</Tag> };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <input
          type="file"
          accept=".xlsx"
          data-testid="roster-file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            const b64 = await readAsBase64(f);
            setData(b64);
            setFileName(f.name);
            await run(b64);
          }}
        />
        {fileName && <span>{fileName}</span>}
      </Space>
      {/* Reading and checking the file, then writing the rows (issue 19). */}
      <WorkProgress op="import" running={busy} testId="roster-progress" />
      <Typography.Text type="secondary">花名册第一行（或标题下一行）为列名：学号、姓名、班级、用餐方式（午餐/两餐/三餐寄宿）、是否受助（是/否）。再次导入时按学号更新，不会重复。</Typography.Text>
      {preview && (
        <>
          <Space wrap>
            {FIELDS.map((f) => (
              <Space key={f}>
                {ROSTER_FIELD_LABELS[f]}→
                <Select
                  style={{ width: 140 }}
                  value={preview.mapping[f] ?? -1}
                  data-testid={`map-${f}`}
                  options={[{ value: -1, label: '（不导入）' }, ...preview.headers.map((h, i) => ({ value: i, label: h || `第 ${i + 1} 列` }))]}
                  onChange={(v: number) => data && run(data, { ...preview.mapping, [f]: v < 0 ? null : v })}
                />
              </Space>
            ))}
          </Space>
          {preview.errorCount > 0 ? (
            <Alert type="error" showIcon message={`有 ${preview.errorCount} 行有误，请在表格中修正后重新选择文件（导入要么全部成功，要么都不导入）`} />
          ) : (
            <Alert type="success" showIcon message={`共 ${preview.okCount} 行，全部可以导入`} />
          )}
          <Table
            size="small"
            rowKey="line"
            dataSource={preview.rows}
            pagination={{ pageSize: 50 }}
            data-testid="roster-preview"
            columns={[
              { title: '行', dataIndex: 'line', width: 60 },
              { title: '学号', render: (_, r) => r.row?.studentNo },
              { title: '姓名', render: (_, r) => r.row?.name },
              { title: '班级', render: (_, r) => r.row?.className },
              { title: '用餐方式', render: (_, r) => (r.row ? MEAL_PLAN_LABELS[r.row.mealPlan] : '') },
              { title: '受助', render: (_, r) => (r.row ? (r.row.subsidyEligible ? '是' : '否') : '') },
              { title: '检查', render: (_, r) => (r.errors.length ? <Typography.Text type="danger">{r.errors.join('；')}</Typography.Text> : r.action && actionTag[r.action]) },
            ]}
          />
          <Button type="primary" loading={busy} disabled={preview.errorCount > 0 || preview.okCount === 0} onClick={commit}>
            确认导入 {preview.okCount} 名学生
          </Button>
        </>
      )}
    </Space>
  );
}

/** Editing one student: a change of class or meal plan, subsidy eligibility, or leaving school (离校: no more fees). */
function EditStudent({ s, onClose }: { s: Student; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<Pick<Student, 'name' | 'className' | 'mealPlan' | 'subsidyEligible' | 'active'>>();
  return (
    <Modal
      open
      title={`修改学生 ${s.studentNo}`}
      okText="保存"
      cancelText="取消"
      onCancel={() => onClose(false)}
      onOk={async () => {
        const v = await form.validateFields().catch(() => null);
        if (!v) return;
        try {
          await call('students.update', { id: s.id, ...v });
          toast(`已保存 ${v.name}`);
          onClose(true);
        } catch (e) {
          showError(e, form);
        }
      }}
    >
      <Form form={form} layout="vertical" initialValues={s}>
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="className" label="班级" rules={[{ required: true, whitespace: true, message: '请填写班级' }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="mealPlan" label="用餐方式">
          <Select options={MEAL_PLANS.map((p) => ({ value: p, label: MEAL_PLAN_LABELS[p] }))} />
        </Form.Item>
        <Form.Item name="subsidyEligible" label="营养改善计划受助" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item name="active" label="在读（关闭即离校）" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A class name typed or picked from the classes there are (a new class is just a new name). */
function ClassInput({ classes, ...props }: { classes: ClassInfo[]; value?: string; onChange?: (v: string) => void; id?: string }) {
  return (
    <AutoComplete
      {...props}
      style={{ width: 200 }}
      placeholder="如 一(1)班"
      options={classes.map((c) => ({ value: c.className }))}
      filterOption={(input, o) => String(o?.value ?? '').includes(input)}
    />
  );
}

/** 新增学生: one pupil without a roster import (学号 must be new; Enter moves on, Enter on 保存 saves). */
function AddStudent({ classes, onClose }: { classes: ClassInfo[]; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<Pick<Student, 'studentNo' | 'name' | 'className' | 'mealPlan' | 'subsidyEligible'>>();
  return (
    <Modal open title="新增学生" footer={null} onCancel={() => onClose(false)} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onKeyDownCapture={enterToNext}
        initialValues={{ mealPlan: 'lunch', subsidyEligible: false }}
        onFinish={async (v) => {
          try {
            const r = await call('students.create', v);
            toast(`已新增 ${r.className} ${r.name}（${r.studentNo}）`);
            onClose(true);
          } catch (e) {
            showError(e, form);
          }
        }}
      >
        <Form.Item name="studentNo" label="学号" rules={[{ required: true, whitespace: true, message: '请填写学号' }]}>
          <Input id="newStudentNo" maxLength={20} autoFocus />
        </Form.Item>
        <Form.Item name="name" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
          <Input id="newStudentName" maxLength={30} />
        </Form.Item>
        <Form.Item name="className" label="班级" rules={[{ required: true, whitespace: true, message: '请填写班级' }]}>
          <ClassInput id="newStudentClass" classes={classes} />
        </Form.Item>
        <Form.Item name="mealPlan" label="用餐方式">
          <Select id="newStudentPlan" options={MEAL_PLANS.map((p) => ({ value: p, label: MEAL_PLAN_LABELS[p] }))} />
        </Form.Item>
        <Form.Item name="subsidyEligible" label="营养改善计划受助" valuePropName="checked">
          <Switch />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          保存
        </Button>
      </Form>
    </Modal>
  );
}

/**
 * 调班 on a date: from that day the pupil is in the new class; meals before it (a subsidy entered late) stay in the old
 * one. The pupil's earlier moves are listed.
 */
function MoveStudent({ s, classes, onClose }: { s: Student; classes: ClassInfo[]; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<{ toClass: string; date: string; note: string }>();
  const [moves, setMoves] = useState<StudentClassMove[]>([]);
  useEffect(() => {
    call('students.moves', { id: s.id }).then(setMoves, showError);
  }, [s.id]);
  return (
    <Modal open title={`调班：${s.name}（${s.studentNo}），现在 ${s.className}`} footer={null} onCancel={() => onClose(false)} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        onKeyDownCapture={enterToNext}
        initialValues={{ date: chinaToday(), note: '' }}
        onFinish={async (v) => {
          try {
            const r = await call('students.move', { id: s.id, ...v });
            toast(`${r.name} 自 ${v.date} 起在 ${r.className}`);
            onClose(true);
          } catch (e) {
            showError(e, form);
          }
        }}
      >
        <Form.Item name="toClass" label="调入班级" rules={[{ required: true, whitespace: true, message: '请填写新班级' }]}>
          <ClassInput id="moveToClass" classes={classes.filter((c) => c.className !== s.className)} />
        </Form.Item>
        <Form.Item name="date" label="调班日期（当天起在新班级就餐）" rules={[{ required: true, message: '请选择调班日期' }]}>
          <DateInput id="moveDate" />
        </Form.Item>
        <Form.Item name="note" label="备注">
          <Input id="moveNote" maxLength={200} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          确认调班
        </Button>
      </Form>
      {moves.length > 0 && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 12 }} data-testid="class-moves">
          调班记录：{moves.map((m) => `${m.date} ${m.fromClass} → ${m.toClass}`).join('；')}
        </Typography.Paragraph>
      )}
    </Modal>
  );
}

function Roster({ reloadKey }: { reloadKey: number }) {
  const [classes, reloadClasses] = useClasses();
  const roles = useRoles();
  const canEdit = canCall('students.update', roles);
  const canAdd = canCall('students.create', roles);
  const canMove = canCall('students.move', roles);
  const [adding, setAdding] = useState(false);
  const [moving, setMoving] = useState<Student | null>(null);
  const [className, setClassName] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const [rows, setRows] = useState<Student[]>([]);
  const [editing, setEditing] = useState<Student | null>(null);
  const [bump, setBump] = useState(0);
  useEffect(() => {
    call('students.list', { q, className, includeInactive: true }).then(setRows, showError);
  }, [q, className, reloadKey, bump]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <ClassSelect classes={classes} value={className} onChange={setClassName} allowClear />
        <Input.Search placeholder="学号、姓名或拼音首字母" allowClear onSearch={setQ} style={{ width: 260 }} />
        <span>共 {rows.length} 人</span>
        {canAdd && <Button onClick={() => setAdding(true)}>新增学生</Button>}
      </Space>
      <FeeList<Student>
        rows={rows}
        columns={[
          { title: '学号', dataIndex: 'studentNo', ...NOWRAP },
          { title: '姓名', dataIndex: 'name' },
          { title: '班级', dataIndex: 'className' },
          { title: '用餐方式', render: (_, s) => MEAL_PLAN_LABELS[s.mealPlan] },
          { title: '营养改善计划', render: (_, s) => (s.subsidyEligible ? <Tag color="green">受助</Tag> : '') },
          { title: '状态', render: (_, s) => (s.active ? '在读' : <Tag>离校</Tag>) },
          ...(canEdit || canMove
            ? [
                {
                  title: '操作',
                  render: (_: unknown, s: Student) => (
                    <Space>
                      {canEdit && <Button size="small" onClick={() => setEditing(s)}>修改</Button>}
                      {canMove && s.active && <Button size="small" onClick={() => setMoving(s)}>调班</Button>}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && <EditStudent s={editing} onClose={(c) => (setEditing(null), c && setBump((n) => n + 1))} />}
      {adding && <AddStudent classes={classes} onClose={(c) => (setAdding(false), c && (setBump((n) => n + 1), reloadClasses()))} />}
      {moving && <MoveStudent s={moving} classes={classes} onClose={(c) => (setMoving(null), c && (setBump((n) => n + 1), reloadClasses()))} />}
    </Space>
  );
}

function SchoolDays() {
  const { profile, terms } = useFeeSetup();
  const roles = useRoles();
  const canEdit = canCall('schoolDays.set', roles);
  const [month, setMonth] = useState(currentMonth());
  const [days, setDays] = useState<string[]>([]);
  const [termForm] = Form.useForm();
  useEffect(() => {
    call('schoolDays.get', { month }).then((r) => setDays(r.days), showError);
  }, [month]);
  const all: string[] = [];
  const first = dayjs(`${month}-01`);
  for (let d = first; d.month() === first.month(); d = d.add(1, 'day')) all.push(d.format('YYYY-MM-DD'));
  const weekdays = all.filter((d) => ![0, 6].includes(dayjs(d).day()));
  const save = async () => {
    try {
      const r = await call('schoolDays.set', { month, days });
      setDays(r.days);
      toast(`已保存 ${r.days.length} 个上课日`);
    } catch (e) {
      showError(e);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <PeriodPicker byTerm={false} terms={[]} value={month} onChange={setMonth} />
        {canEdit && <Button onClick={() => setDays(weekdays)}>按工作日生成（周一至周五）</Button>}
        <span data-testid="school-day-count">已选 {days.length} 天</span>
      </Space>
      <Typography.Text type="secondary">生成后取消放假日（节假日、调休）再保存；伙食费 = 上课日数 × 日收费标准。</Typography.Text>
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(7, 110px)', gap: 6 }}>
        {['日', '一', '二', '三', '四', '五', '六'].map((w) => (
          <b key={w}>周{w}</b>
        ))}
        {Array.from({ length: first.day() }, (_, i) => (
          <span key={`pad${i}`} />
        ))}
        {all.map((d) => (
          <Checkbox
            key={d}
            disabled={!canEdit}
            checked={days.includes(d)}
            onChange={(e) => setDays(e.target.checked ? [...days, d].sort() : days.filter((x) => x !== d))}
          >
            {Number(d.slice(8))}日
          </Checkbox>
        ))}
      </div>
      {canEdit && (
        <Button type="primary" onClick={save}>
          保存上课日
        </Button>
      )}
      {profile?.feePeriod === 'term' && (
        <>
          <Typography.Title level={5}>学期（按学期收费）</Typography.Title>
          <Table size="small" rowKey="code" pagination={false} dataSource={terms} columns={[{ title: '代码', dataIndex: 'code' }, { title: '名称', dataIndex: 'name' }, { title: '开学', dataIndex: 'startDate' }, { title: '结束', dataIndex: 'endDate' }]} />
          {canEdit && (
            <Form
              form={termForm}
              layout="inline"
              onFinish={async (v) => {
                try {
                  await call('terms.save', v);
                  toast('学期已保存');
                } catch (e) {
                  showError(e, termForm);
                }
              }}
            >
              <Form.Item name="code" label="代码" rules={[{ required: true, message: '如 2026秋' }]}>
                <Input placeholder="2026秋" style={{ width: 90 }} />
              </Form.Item>
              <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写名称' }]}>
                <Input placeholder="2026年秋季学期" />
              </Form.Item>
              <Form.Item name="startDate" label="开学" rules={[{ required: true, message: '请选择' }]}>
                <DateInput />
              </Form.Item>
              <Form.Item name="endDate" label="结束" rules={[{ required: true, message: '请选择' }]}>
                <DateInput />
              </Form.Item>
              <Button htmlType="submit">保存学期</Button>
            </Form>
          )}
        </>
      )}
    </Space>
  );
}

function MealPlans() {
  const roles = useRoles();
  const canEdit = canCall('mealPlans.update', roles);
  const [plans, setPlans] = useState<MealPlanRow[]>([]);
  const load = useCallback(() => call('mealPlans.list', {}).then(setPlans, showError), []);
  useEffect(() => {
    load();
  }, [load]);
  return (
    <Table
      size="small"
      rowKey="code"
      pagination={false}
      dataSource={plans}
      style={{ maxWidth: 640 }}
      columns={[
        { title: '用餐方式', dataIndex: 'name' },
        { title: '日收费标准（元/天）', render: (_, p) => formatFen(p.dailyRateFen) },
        {
          title: '修改',
          render: (_, p) =>
            canEdit ? (
              <Form
                layout="inline"
                initialValues={{ dailyRateFen: p.dailyRateFen }}
                onFinish={async (v: { dailyRateFen: number }) => {
                  try {
                    await call('mealPlans.update', { code: p.code, dailyRateFen: v.dailyRateFen });
                    toast(`${p.name}标准已改为 ${formatFen(v.dailyRateFen)} 元/天`);
                    load();
                  } catch (e) {
                    showError(e);
                  }
                }}
              >
                <Form.Item name="dailyRateFen" rules={fenRules('日收费标准')}>
                  <MoneyInput style={{ width: 140 }} />
                </Form.Item>
                <Button htmlType="submit">保存</Button>
              </Form>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

export function StudentsPage() {
  const [reloadKey, setReloadKey] = useState(0);
  const [tab, setTab] = useState('roster');
  const canImport = canCall('students.importCommit', useRoles());
  return (
    <Tabs
      activeKey={tab}
      onChange={setTab}
      items={[
        { key: 'roster', label: '学生名册', children: <Roster reloadKey={reloadKey} /> },
        ...(canImport
          ? [{ key: 'import', label: '导入花名册', children: <RosterImport onDone={() => (setReloadKey((k) => k + 1), setTab('roster'))} /> }]
          : []),
        { key: 'days', label: '上课日', children: <SchoolDays /> },
        { key: 'plans', label: '收费标准', children: <MealPlans /> },
      ]}
    />
  );
}
