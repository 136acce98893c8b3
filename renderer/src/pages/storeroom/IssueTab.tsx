import { Alert, Button, Form, Input, InputNumber, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { MEAL_LABELS, MEALS } from '../../../../shared/labels-storeroom.ts';
import type { IssueProposal, IssueView, Meal, StockItem } from '../../../../shared/api/storeroom.ts';
import { chinaHour, lastDayOfMonth } from '../../../../shared/calendar.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { EntitySelect } from '../../components/EntitySelect.tsx';
import { QuantityInput } from '../../components/NumberText.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { navigate } from '../../router.ts';
import { BASE, DateBox, StateTag, useCanWrite } from './common.tsx';
import { NOWRAP } from '../../components/columns.ts';
import { useSubmit } from '../../components/FormDialog.tsx';

type StockOption = StockItem & { id: string };
const searchStock = (q: string) => call('storeroom.stock', { q, includeEmpty: false }).then((items) => items.map((i) => ({ ...i, id: i.ingredientId })));
const getStock = (id: string) =>
  call('storeroom.stock', { includeEmpty: true }).then((items) => {
    const it = items.find((i) => i.ingredientId === id);
    if (!it) throw new Error('该食材没有库存');
    return { ...it, id: it.ingredientId };
  });

/** 早餐 before 9:00, 午餐 before 14:00, else 晚餐: the meal the storekeeper is most likely issuing for. */
function mealNow(): Meal {
  const h = chinaHour(new Date());
  return h < 9 ? 'breakfast' : h < 14 ? 'lunch' : 'dinner';
}

interface PendingLine {
  ingredientId: string;
  name: string;
  unit: string;
  qtyMilli: number;
  proposal: IssueProposal;
}

function ProposalTable({ p }: { p: IssueProposal }) {
  return (
    <div data-testid="issue-proposal">
      <Table
        rowKey="lotId"
        size="small"
        pagination={false}
        dataSource={p.lines}
        columns={[
          { title: '建议批次（临期先出）', dataIndex: 'deliveryNumber', render: (n: string | null, l) => `${n ?? '—'}（${l.receivedOn} 入库）`, ...NOWRAP },
          { title: '保质期至', dataIndex: 'expiryDate', render: (e: string | null, l) => <Space size={4}>{e ?? '—'}<StateTag state={l.state} /></Space> },
          { title: '批次结存', dataIndex: 'onHandMilli', align: 'right', render: (m: number) => `${formatMilli(m)} ${p.unit}` },
          { title: '本次出库', dataIndex: 'qtyMilli', align: 'right', render: (m: number) => `${formatMilli(m)} ${p.unit}` },
        ]}
      />
      {p.shortMilli > 0 && <Alert type="error" showIcon style={{ marginTop: 6 }} title={`库存不足：可出库 ${formatMilli(p.availableMilli)} ${p.unit}，还差 ${formatMilli(p.shortMilli)} ${p.unit}`} />}
      {p.expiredLots.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 6 }}
          title={`另有 ${p.expiredLots.length} 个已过期批次（共 ${formatMilli(p.expiredLots.reduce((s, l) => s + l.onHandMilli, 0))} ${p.unit}）不能出库，请在“库存”中报损“过期销毁”`}
        />
      )}
    </div>
  );
}

/**
 * The proposal for one more line of an item: what the pending lines of the same item already take is allocated
 * first (the server allocates in the same order at confirmation), so the line shows the lots it will really get.
 */
async function proposeFor(itemId: string, qty: number, date: string, lines: PendingLine[]): Promise<IssueProposal> {
  const pending = lines.filter((l) => l.ingredientId === itemId).reduce((s, l) => s + l.qtyMilli, 0);
  const p = await call('storeroom.proposeIssue', { ingredientId: itemId, qtyMilli: qty + pending, date });
  let skip = pending;
  const mine = p.lines
    .map((l) => {
      const s = Math.min(skip, l.qtyMilli);
      skip -= s;
      return { ...l, qtyMilli: l.qtyMilli - s };
    })
    .filter((l) => l.qtyMilli > 0);
  return { ...p, requestedMilli: qty, availableMilli: Math.max(0, p.availableMilli - pending), proposedMilli: Math.max(0, p.proposedMilli - pending), lines: mine };
}

/** The 出库 form: date and meal, then item (pinyin) → quantity → Enter adds the line with its FEFO proposal. */
function IssueForm({ date, setDate, onIssued }: { date: string; setDate: (d: string) => void; onIssued: () => void }) {
  const [form] = Form.useForm();
  const [meal, setMeal] = useState<Meal>(mealNow());
  const [lines, setLines] = useState<PendingLine[]>([]);
  const [proposal, setProposal] = useState<IssueProposal | null>(null);
  const [note, setNote] = useState('');
  const itemId = Form.useWatch('ingredientId', form) as string | null | undefined;
  const qty = Form.useWatch('qtyMilli', form) as number | null | undefined;
  const entryRef = useRef<HTMLDivElement>(null);
  // 按带量食谱 (issue 17): the approved menu's raw grams × the diners of each age group, as lines with their proposals.
  const [groups, setGroups] = useState<{ code: string; label: string }[] | null>(null);
  const [diners, setDiners] = useState<Record<string, number | null>>({});
  const [planNotes, setPlanNotes] = useState<string[]>([]);
  const openPlan = async () => {
    try {
      const school = await call('school.get', {});
      setGroups(school.profile.menuAgeGroups.map((g) => ({ code: g.code, label: g.label })));
    } catch (e) {
      showError(e);
    }
  };
  const applyPlan = async () => {
    try {
      const given = Object.fromEntries(Object.entries(diners).filter(([, n]) => n).map(([k, n]) => [k, n as number]));
      const plan = await call('menus.issuePlan', { date, meal, diners: given });
      let current = lines;
      const notes: string[] = [];
      for (const l of plan.lines) {
        if (!l.storable) {
          notes.push(`${l.name}：直进直出，不从库房出库`);
          continue;
        }
        if (l.qtyMilli === null) {
          notes.push(`${l.name}：单位“${l.unit}”未登记每单位克数，无法换算，请手工填写`);
          continue;
        }
        if (l.qtyMilli === 0) continue;
        const p = await proposeFor(l.ingredientId, l.qtyMilli, date, current);
        if (p.shortMilli > 0) {
          notes.push(`${l.name}：需 ${formatMilli(l.qtyMilli)} ${l.unit}，可出库 ${formatMilli(p.availableMilli)} ${l.unit}，库存不足未加入`);
          continue;
        }
        current = [...current, { ingredientId: l.ingredientId, name: l.name, unit: l.unit, qtyMilli: l.qtyMilli, proposal: p }];
      }
      setLines(current);
      setPlanNotes(notes);
      setGroups(null);
      toast(`已按带量食谱（${plan.weekStart} 第 ${plan.revision} 版，就餐 ${plan.diners} 人）加入 ${current.length - lines.length} 行`);
    } catch (e) {
      showError(e);
    }
  };

  useEffect(() => {
    if (!itemId || !qty || Number.isNaN(qty) || qty <= 0) return setProposal(null);
    let live = true;
    const t = setTimeout(() => {
      proposeFor(itemId, qty, date, lines).then((p) => live && setProposal(p), showError);
    }, 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [itemId, qty, date, lines]);

  const add = async () => {
    const v = await form.validateFields();
    let p: IssueProposal;
    try {
      p = await proposeFor(v.ingredientId, v.qtyMilli, date, lines);
    } catch (e) {
      return showError(e);
    }
    setProposal(p);
    if (p.shortMilli > 0) {
      form.setFields([{ name: 'qtyMilli', errors: [`库存不足，最多可出库 ${formatMilli(p.availableMilli)} ${p.unit}`] }]);
      return;
    }
    setLines((ls) => [...ls, { ingredientId: v.ingredientId, name: p.name, unit: p.unit, qtyMilli: v.qtyMilli, proposal: p }]);
    form.resetFields();
    setProposal(null);
    setTimeout(() => entryRef.current?.querySelector<HTMLInputElement>('[data-testid="issue-item"] input')?.focus(), 0);
  };

  const [busy, issue] = useSubmit(async () => {
    const r = await call('storeroom.issue', { date, meal, note, lines: lines.map((l) => ({ ingredientId: l.ingredientId, lotId: null, qtyMilli: l.qtyMilli })) });
    toast(`已出库 ${r.number}：${MEAL_LABELS[meal]} ${r.lines.length} 个批次，金额 ¥${formatFen(r.totalFen)}`);
    setLines([]);
    setNote('');
    onIssued();
  });
  const confirm = async () => {
    if (lines.length > 0) await issue(undefined);
  };

  return (
    <div
      onKeyDownCapture={(e) => {
        if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
        // Ctrl+Enter anywhere, or Enter on the empty item box once lines are in: the issue is complete.
        const t = e.target as HTMLInputElement;
        const emptyItem = t.tagName === 'INPUT' && !!t.closest('[data-testid="issue-item"]') && t.value === '' && !form.getFieldValue('ingredientId');
        if (e.ctrlKey || (emptyItem && lines.length > 0 && !e.shiftKey)) {
          e.preventDefault();
          e.stopPropagation();
          confirm();
        }
      }}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <span>出库日期</span>
        <DateBox value={date} onChange={setDate} data-testid="issue-date" />
        <span>餐次</span>
        <Radio.Group value={meal} onChange={(e) => setMeal(e.target.value)} optionType="button" buttonStyle="solid" options={MEALS.map((m) => ({ value: m, label: MEAL_LABELS[m] }))} data-testid="issue-meal" />
        <Button onClick={() => void openPlan()} data-testid="issue-from-menu">
          按带量食谱
        </Button>
      </Space>
      {groups && (
        <Modal open title={`按带量食谱出库：${date} ${MEAL_LABELS[meal]}`} okText="生成出库明细" cancelText="取消" onOk={() => void applyPlan()} onCancel={() => setGroups(null)}>
          <Typography.Paragraph>填写各年龄组的就餐人数：每人用量（生重）× 人数，按食材的计量单位换算。</Typography.Paragraph>
          <Space direction="vertical">
            {groups.map((g) => (
              <Space key={g.code}>
                <span style={{ display: 'inline-block', width: 64 }}>{g.label}</span>
                <InputNumber min={0} max={100000} precision={0} value={diners[g.code] ?? null} onChange={(n) => setDiners((d) => ({ ...d, [g.code]: n }))} data-testid={`diners-${g.code}`} addonAfter="人" />
              </Space>
            ))}
          </Space>
        </Modal>
      )}
      {planNotes.length > 0 && <Alert type="info" showIcon closable onClose={() => setPlanNotes([])} style={{ marginBottom: 8 }} title={planNotes.join('；')} data-testid="issue-plan-notes" />}
      <div ref={entryRef}>
        <Form form={form} layout="inline" onKeyDownCapture={enterToNext} onFinish={add} style={{ marginBottom: 8 }}>
          <Form.Item name="ingredientId" rules={[{ required: true, message: '请选择食材' }]}>
            <EntitySelect<StockOption>
              id="issue-item"
              data-testid="issue-item"
              autoFocus
              placeholder="食材：拼音首字母或品名"
              search={searchStock}
              get={getStock}
              selectedLabel={(i) => i.name}
              label={(i) => (
                <span>
                  {i.name} <Typography.Text type="secondary">结存 {formatMilli(i.onHandMilli)} {i.unit}</Typography.Text> <StateTag state={i.state} />
                </span>
              )}
              style={{ width: 260 }}
            />
          </Form.Item>
          <Form.Item name="qtyMilli" rules={[{ required: true, message: '请填写出库数量' }]}>
            {/* The suffix is always there: antd re-mounts the input (losing focus) when a suffix appears later. */}
            <QuantityInput placeholder="数量" suffix={<span>{proposal?.unit ?? ''}</span>} data-testid="issue-qty" style={{ width: 140 }} />
          </Form.Item>
          <Form.Item>
            <Button htmlType="submit" data-testid="issue-add">
              加入（Enter）
            </Button>
          </Form.Item>
        </Form>
      </div>
      {proposal && <ProposalTable p={proposal} />}
      <Table<PendingLine>
        style={{ marginTop: 12 }}
        rowKey={(l, i) => `${l.ingredientId}:${i}`}
        size="small"
        pagination={false}
        dataSource={lines}
        locale={{ emptyText: '尚未加入出库明细' }}
        data-testid="issue-lines"
        columns={[
          { title: '品名', dataIndex: 'name' },
          { title: '数量', key: 'q', align: 'right', render: (_: unknown, l) => `${formatMilli(l.qtyMilli)} ${l.unit}` },
          { title: '批次（临期先出）', key: 'p', render: (_: unknown, l) => l.proposal.lines.map((p) => `${p.deliveryNumber ?? '—'}×${formatMilli(p.qtyMilli)}`).join('，') },
          { title: '', key: 'x', render: (_: unknown, _l, i) => <Button size="small" type="link" onClick={() => setLines((ls) => ls.filter((_x, j) => j !== i))}>移除</Button> },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Input placeholder="备注（可不填）" value={note} onChange={(e) => setNote(e.target.value)} style={{ width: 280 }} maxLength={200} />
        <Button type="primary" disabled={lines.length === 0} loading={busy} onClick={confirm} data-testid="issue-confirm">
          确认出库（Enter）
        </Button>
      </Space>
    </div>
  );
}

function CancelIssue({ issue, onDone }: { issue: IssueView; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [date, setDate] = useState(chinaToday());
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)}>
        冲销
      </Button>
      <Modal
        open={open}
        title={`冲销出库单 ${issue.number}（退回库房）`}
        okText="确认冲销"
        onCancel={() => setOpen(false)}
        onOk={async () => {
          try {
            await call('storeroom.cancelIssue', { id: issue.id, date, reason });
            toast('已冲销');
            setOpen(false);
            onDone();
          } catch (e) {
            showError(e);
          }
        }}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <DateBox value={date} onChange={setDate} />
          <Input placeholder="冲销原因" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} />
        </Space>
      </Modal>
    </>
  );
}

/** The 出库单 of a period, direct issues of deliveries (直进直出) included. */
export function IssueList({ reloadKey, month }: { reloadKey: number; month: string }) {
  const canWrite = useCanWrite();
  const [from, setFrom] = useState(`${month}-01`);
  const [to, setTo] = useState(lastDayOfMonth(month));
  // The list follows the month the form issues into.
  useEffect(() => {
    setFrom(`${month}-01`);
    setTo(lastDayOfMonth(month));
  }, [month]);
  const [rows, setRows] = useState<IssueView[]>([]);
  const load = useCallback(() => {
    call('storeroom.issues', { from, to, limit: 500 }).then(setRows, showError);
  }, [from, to]);
  useEffect(load, [load, reloadKey]);
  return (
    <>
      <Space style={{ margin: '16px 0 8px' }}>
        <Typography.Text strong>出库记录</Typography.Text>
        <DateBox value={from} onChange={setFrom} data-testid="issues-from" />
        <span>至</span>
        <DateBox value={to} onChange={setTo} data-testid="issues-to" />
        <Typography.Text type="secondary">合计 ¥{formatFen(rows.reduce((s, r) => s + r.totalFen, 0))}</Typography.Text>
      </Space>
      <Table<IssueView>
        rowKey="id"
        size="small"
        dataSource={rows}
        pagination={{ pageSize: 30, showSizeChanger: false }}
        data-testid="issue-list"
        columns={[
          { title: '出库单号', dataIndex: 'number', ...NOWRAP },
          { title: '日期', dataIndex: 'date' },
          {
            title: '餐次',
            key: 'm',
            render: (_: unknown, r) => (
              <Space size={4}>
                {r.meal ? MEAL_LABELS[r.meal] : <Tag>直进直出</Tag>}
                {r.reverses && <Tag color="purple">冲销单</Tag>}
                {r.reversedBy && <Tag color="red">已冲销</Tag>}
              </Space>
            ),
          },
          { title: '明细', key: 'l', render: (_: unknown, r) => r.lines.map((l) => `${l.ingredientName} ${formatMilli(l.qtyMilli)}${l.unit}`).join('，') },
          { title: '金额', dataIndex: 'totalFen', align: 'right', render: (f: number) => formatFen(f) },
          { title: '经办', dataIndex: 'createdByName' },
          {
            title: '',
            key: 'x',
            render: (_: unknown, r) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => navigate(`${BASE}/trace?date=${r.date}${r.meal ? `&meal=${r.meal}` : ''}`)}>
                  追溯
                </Button>
                {canWrite && r.meal && !r.reverses && !r.reversedBy && <CancelIssue issue={r} onDone={load} />}
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}

export function IssueTab() {
  const canWrite = useCanWrite();
  const [reloadKey, setReloadKey] = useState(0);
  const [date, setDate] = useState(chinaToday());
  return (
    <>
      {canWrite && <IssueForm date={date} setDate={setDate} onIssued={() => setReloadKey((k) => k + 1)} />}
      <IssueList reloadKey={reloadKey} month={date.slice(0, 7)} />
    </>
  );
}
