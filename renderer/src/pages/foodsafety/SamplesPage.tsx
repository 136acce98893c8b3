import { Alert, Button, Card, Form, Input, InputNumber, List, Modal, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { canCall } from '../../../../shared/access.generated.ts';
import type { SampleFinding, SampleRules, SampleView } from '../../../../shared/api/foodsafety.ts';
import { addDays, chinaDateTime, monthWords } from '../../../../shared/calendar.ts';
import { MEAL_LABELS, type Meal } from '../../../../shared/labels-foodsafety.ts';
import { ApiCallError, call } from '../../api.ts';
import { NOWRAP } from '../../components/columns.ts';
import { enterToNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { useQuery } from '../../router.ts';
import { useRoles, useSession } from '../../session.ts';
import { DateInput } from '../fees/common.tsx';
import { chinaClock, MealSelect, mealNow, TimeInput } from './common.tsx';
import { CorrectionReason } from './CorrectionReason.tsx';

interface DishRow {
  key: number;
  dish: string;
  weightG: number | null;
  takenTime: string;
}

const minute = (iso: string) => chinaDateTime(iso, 'minute');

function stateTag(s: SampleView) {
  if (s.status === 'cancelled') return <Tag>已作废</Tag>;
  if (s.discard?.early) return <Tag color="red">提前处理</Tag>;
  if (s.discard) return <Tag color="default">已处理</Tag>;
  return <Tag color="green">留样中</Tag>;
}

/** The light dishes a refusal names: `dishes.2.lightReason` → 2 (its place among the dishes sent). */
function lightDishes(e: unknown): number[] {
  if (!(e instanceof ApiCallError) || e.code !== 'RULE') return [];
  return e.issues.flatMap((i) => {
    const m = /^dishes\.(\d+)\.lightReason$/.exec(i.path);
    return m ? [Number(m[1])] : [];
  });
}

/**
 * 留样 (issue 17): the storekeeper records each meal's dishes at the fridge — dish, weight, time — from the keyboard
 * (Enter moves dish → weight → time → the next dish; Enter on an empty dish saves), sees the day's samples, discards
 * those past their keep-until, and corrects a wrong one with a reason. Times are China time.
 *
 * A light dish is refused first (top it up and weigh again). When it cannot be topped up, the refusal opens a reason
 * field for each light dish under the grid and a 仍然登记（记为问题） button (Enter moves reason → button): the samples are
 * recorded as weighed and each light one is a 留样不足 finding, listed under the day's samples. Changing a light dish's
 * weight (it was topped up after all) takes its reason field away.
 */
export function SamplesPage() {
  const query = useQuery();
  const roles = useRoles();
  const me = useSession((s) => s.session?.displayName ?? '');
  const canWrite = canCall('samples.record', roles);
  const canFindings = canCall('samples.findings', roles);
  const monthParam = query.get('month');
  const [date, setDate] = useState(query.get('date') ?? (monthParam && !chinaToday().startsWith(monthParam) ? `${monthParam}-01` : chinaToday()));
  const [meal, setMeal] = useState<Meal>(mealNow());
  const [fridge, setFridge] = useState('1号留样柜');
  const [taker, setTaker] = useState(me);
  const nextKey = useRef(1);
  const blank = (): DishRow => ({ key: nextKey.current++, dish: '', weightG: null, takenTime: chinaClock() });
  const [rows, setRows] = useState<DishRow[]>(() => [blank()]);
  const [samples, setSamples] = useState<SampleView[]>([]);
  const [due, setDue] = useState<SampleView[]>([]);
  const [rules, setRules] = useState<SampleRules | null>(null);
  const [findings, setFindings] = useState<SampleFinding[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [discarding, setDiscarding] = useState<SampleView[] | null>(null);
  const [amending, setAmending] = useState<SampleView | null>(null);
  /** After a refusal as light: the refusal in words and each light dish's reason, by row key. */
  const [light, setLight] = useState<{ message: string; reasons: Record<number, string>; refusal: number } | null>(null);
  const saveRef = useRef<HTMLButtonElement>(null);
  const lightRef = useRef<HTMLButtonElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  const load = useCallback(() => {
    call('samples.list', { from: date, to: date }).then((r) => {
      setSamples(r.samples);
      setRules(r.rules);
    }, showError);
    const today = chinaToday();
    call('samples.list', { from: addDays(today, -14), to: today }).then(
      (r) => setDue(r.samples.filter((s) => s.status === 'confirmed' && !s.discard && s.keepUntil <= new Date().toISOString())),
      showError,
    );
    if (canFindings) call('samples.findings', { month: date.slice(0, 7) }).then(setFindings, showError);
    setSelected([]);
  }, [date, canFindings]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!taker && me) setTaker(me);
  }, [me, taker]);

  const setRow = (key: number, patch: Partial<DishRow>) => {
    // A new weight: the dish was weighed again, so the refusal's reason for it no longer applies.
    if (patch.weightG !== undefined && light && key in light.reasons) {
      const { [key]: _, ...rest } = light.reasons;
      setLight(Object.keys(rest).length ? { ...light, reasons: rest } : null);
    }
    setRows((rs) => {
      const next = rs.map((r) => (r.key === key ? { ...r, ...patch } : r));
      // Always one empty row at the end to type the next dish into.
      if (next[next.length - 1].dish.trim() !== '') next.push(blank());
      return next;
    });
  };

  /** Enter on the empty last dish goes to 保存; on a light dish's reason to the next one, then 仍然登记; elsewhere Enter moves on. */
  const onKeys = (e: KeyboardEvent<HTMLDivElement>) => {
    const t = e.target as HTMLInputElement;
    if (e.key === 'Enter' && t.dataset.light === 'reason' && !e.nativeEvent.isComposing) {
      e.preventDefault();
      e.stopPropagation();
      const fields = [...(gridRef.current?.querySelectorAll<HTMLInputElement>('input[data-light]') ?? [])];
      const next = fields[fields.indexOf(t) + 1];
      if (next) next.focus();
      else lightRef.current?.focus();
      return;
    }
    if (e.key === 'Enter' && t.dataset.dish === 'last' && t.value.trim() === '') {
      e.preventDefault();
      e.stopPropagation();
      saveRef.current?.focus();
      return;
    }
    enterToNext(e);
  };

  /** Saves the meal's dishes; `anyway`: with the reasons typed for the light ones (仍然登记（记为问题）). */
  const save = async (anyway = false) => {
    const dishes = rows.filter((r) => r.dish.trim() !== '');
    if (dishes.length === 0) return toast('请先填写菜品');
    const reasons = anyway && light ? light.reasons : {};
    try {
      const done = await call('samples.record', {
        date,
        meal,
        fridge,
        taker,
        dishes: dishes.map((r) => ({ dish: r.dish, weightG: r.weightG ?? Number.NaN, takenTime: r.takenTime, ...(r.key in reasons ? { lightReason: reasons[r.key] } : {}) })),
      });
      const short = done.filter((d) => d.lightReason).length;
      toast(`已登记 ${date} ${MEAL_LABELS[meal]} 留样 ${done.length} 个菜品${short ? `，其中 ${short} 个留样不足，已列为留样问题` : ''}`);
      setLight(null);
      setRows([blank()]);
      load();
      setTimeout(() => gridRef.current?.querySelector<HTMLInputElement>('input[data-dish]')?.focus(), 0);
    } catch (e) {
      const at = lightDishes(e);
      if (at.length === 0) return showError(e);
      // Refused as light: keep the reasons typed so far, open a field for each light dish and go to the first empty one.
      const keys = at.map((i) => dishes[i]?.key).filter((k): k is number => k !== undefined);
      setLight({ message: (e as Error).message, reasons: Object.fromEntries(keys.map((k) => [k, reasons[k] ?? light?.reasons[k] ?? ''])), refusal: (light?.refusal ?? 0) + 1 });
    }
  };
  // Each refusal as light takes focus to the first empty reason field, once its field is on the page.
  const refusal = light?.refusal ?? 0;
  useEffect(() => {
    if (!refusal) return;
    const fields = [...(gridRef.current?.querySelectorAll<HTMLInputElement>('input[data-light]') ?? [])];
    (fields.find((f) => f.value.trim() === '') ?? fields[0])?.focus();
  }, [refusal]);

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>日期</span>
        <DateInput value={date} onChange={(d) => d && setDate(d)} data-testid="sample-date" />
        {rules && <Typography.Text type="secondary">每个菜品留样不少于 {rules.minGrams} 克，冷藏保存 {rules.keepHours} 小时以上</Typography.Text>}
      </Space>
      {canWrite && (
        <Card size="small" title="登记留样">
          <div ref={gridRef} onKeyDownCapture={onKeys}>
            <Space wrap style={{ marginBottom: 8 }}>
              <span>餐次</span>
              <MealSelect value={meal} onChange={setMeal} data-testid="sample-meal" />
              <span>留样冰箱</span>
              <Input value={fridge} onChange={(e) => setFridge(e.target.value)} maxLength={30} style={{ width: 140 }} data-testid="sample-fridge" />
              <span>留样人</span>
              <Input value={taker} onChange={(e) => setTaker(e.target.value)} maxLength={30} style={{ width: 120 }} data-testid="sample-taker" />
            </Space>
            <table className="sample-grid" data-testid="sample-grid">
              <thead>
                <tr>
                  <th style={{ textAlign: 'left' }}>菜品</th>
                  <th style={{ textAlign: 'left' }}>留样量（克）</th>
                  <th style={{ textAlign: 'left' }}>留样时间</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={r.key}>
                    <td>
                      <Input
                        value={r.dish}
                        data-dish={i === rows.length - 1 ? 'last' : 'row'}
                        data-testid={`dish-${i}`}
                        maxLength={50}
                        style={{ width: 200 }}
                        placeholder={i === rows.length - 1 && i > 0 ? '下一个菜品（空着按回车保存）' : '菜品名称'}
                        onChange={(e) => setRow(r.key, { dish: e.target.value })}
                      />
                    </td>
                    <td>
                      <InputNumber
                        value={r.weightG}
                        min={0}
                        precision={0}
                        style={{ width: 120 }}
                        data-testid={`weight-${i}`}
                        onChange={(v) => setRow(r.key, { weightG: typeof v === 'number' ? v : null })}
                      />
                      {rules && r.weightG !== null && r.weightG < rules.minGrams && (
                        <Typography.Text type="danger" style={{ marginLeft: 6 }}>
                          不足 {rules.minGrams} 克
                        </Typography.Text>
                      )}
                    </td>
                    <td>
                      <TimeInput value={r.takenTime} onChange={(v) => setRow(r.key, { takenTime: v })} data-testid={`time-${i}`} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {light && (
              <Alert
                type="warning"
                showIcon
                style={{ marginTop: 8 }}
                data-testid="light-refusal"
                title={light.message}
                description={
                  <Space direction="vertical">
                    {rows.map((r, i) =>
                      r.key in light.reasons ? (
                        <Space key={r.key} wrap>
                          <span>
                            {r.dish}（{r.weightG} 克）留样不足原因
                          </span>
                          <Input
                            value={light.reasons[r.key]}
                            maxLength={200}
                            style={{ width: 320 }}
                            placeholder="如：菜品已售完，无法补足"
                            data-light="reason"
                            data-testid={`light-reason-${i}`}
                            onChange={(e) => setLight({ ...light, reasons: { ...light.reasons, [r.key]: e.target.value } })}
                          />
                        </Space>
                      ) : null,
                    )}
                    <Button ref={lightRef} danger onClick={() => save(true)} data-testid="record-light">
                      仍然登记（记为问题）
                    </Button>
                  </Space>
                }
              />
            )}
            <Button ref={saveRef} type="primary" style={{ marginTop: 8 }} onClick={() => save()} data-testid="save-samples">
              保存留样
            </Button>
          </div>
        </Card>
      )}
      {canWrite && due.length > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="samples-due"
          title={`${due.length} 份留样已到保存期限，待处理`}
          description={due.map((s) => `${s.date} ${MEAL_LABELS[s.meal]} ${s.dish}（保存至 ${minute(s.keepUntil)}）`).join('；')}
          action={<Button onClick={() => setDiscarding(due)}>处理</Button>}
        />
      )}
      <Card
        size="small"
        title={`${date} 留样记录`}
        extra={
          canWrite && (
            <Button disabled={selected.length === 0} onClick={() => setDiscarding(samples.filter((s) => selected.includes(s.id)))}>
              处理所选留样
            </Button>
          )
        }
      >
        <Table<SampleView>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={samples}
          data-testid="samples-table"
          rowSelection={
            canWrite
              ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]), getCheckboxProps: (s) => ({ disabled: s.status !== 'confirmed' || !!s.discard }) }
              : undefined
          }
          columns={[
            { title: '餐次', dataIndex: 'meal', render: (m: Meal) => MEAL_LABELS[m] },
            {
              title: '菜品',
              dataIndex: 'dish',
              // A light sample (recorded with its reason) says so under the dish: it is a 留样问题.
              render: (d: string, s: SampleView) =>
                s.lightReason ? (
                  <Space direction="vertical" size={0}>
                    <span>{d}</span>
                    <span>
                      <Tag color="red">留样不足</Tag>
                      <Typography.Text type="secondary">{s.lightReason}</Typography.Text>
                    </span>
                  </Space>
                ) : (
                  d
                ),
            },
            {
              title: '留样量',
              dataIndex: 'weightG',
              align: 'right',
              render: (g: number, s: SampleView) => (s.lightReason ? <Typography.Text type="danger">{g} 克</Typography.Text> : `${g} 克`),
            },
            { title: '留样时间', dataIndex: 'takenAt', render: (t: string) => minute(t).slice(11), ...NOWRAP },
            { title: '留样人', dataIndex: 'taker' },
            { title: '冰箱', dataIndex: 'fridge' },
            { title: '保存至', dataIndex: 'keepUntil', render: minute, ...NOWRAP },
            { title: '状态', render: (_, s) => stateTag(s) },
            {
              title: '处理 / 作废',
              render: (_, s) =>
                s.discard
                  ? `${minute(s.discard.at)} ${s.discard.disposer}${s.discard.reason ? `（${s.discard.reason}）` : ''}`
                  : s.status === 'cancelled'
                    ? `${s.cancelledByName}：${s.cancelReason}`
                    : '',
            },
            { title: '登记人', dataIndex: 'createdByName' },
            ...(canWrite
              ? [{ title: '', key: 'act', render: (_: unknown, s: SampleView) => (s.status === 'confirmed' && !s.discard ? <Button size="small" onClick={() => setAmending(s)}>更正</Button> : null) }]
              : []),
          ]}
        />
      </Card>
      {canFindings && (
        <Card size="small" title={`${monthWords(date)}留样问题`}>
          {findings.length === 0 ? (
            <Typography.Text type="success">没有问题：每个上课日和出库餐次都有留样，没有留样不足或提前处理</Typography.Text>
          ) : (
            <List size="small" data-testid="sample-findings" dataSource={findings} renderItem={(f) => <List.Item>{f.text}</List.Item>} />
          )}
        </Card>
      )}
      {discarding && <DiscardDialog samples={discarding} me={me} onClose={(changed) => (setDiscarding(null), changed && load())} />}
      {amending && <AmendDialog sample={amending} minGrams={rules?.minGrams ?? 125} onClose={(changed) => (setAmending(null), changed && load())} />}
    </Space>
  );
}

function DiscardDialog({ samples, me, onClose }: { samples: SampleView[]; me: string; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<{ disposer: string; at: string; reason: string }>();
  const early = samples.some((s) => s.keepUntil > new Date().toISOString());
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await call('samples.discard', { ids: samples.map((s) => s.id), disposer: v.disposer, at: v.at || undefined, reason: v.reason ?? '' });
      toast(`已处理 ${samples.length} 份留样`);
      onClose(true);
    } catch (e) {
      showError(e, form);
    }
  };
  return (
    <Modal open title="留样处理" okText="确认处理" cancelText="取消" onOk={ok} onCancel={() => onClose(false)}>
      <p>{samples.map((s) => `${s.date} ${MEAL_LABELS[s.meal]} ${s.dish}`).join('、')}</p>
      {early && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title="有留样未到保存期限：提前处理须写明原因，并列为留样问题" />}
      <Form form={form} layout="vertical" initialValues={{ disposer: me, at: '', reason: '' }} onKeyDownCapture={enterToNext} onFinish={ok}>
        <Form.Item name="disposer" label="处理人" rules={[{ required: true, whitespace: true, message: '请填写处理人' }]}>
          <Input maxLength={30} autoFocus />
        </Form.Item>
        <Form.Item name="at" label="处理时间（空着为现在；格式 2026-10-10 12:00）">
          <Input maxLength={16} />
        </Form.Item>
        <Form.Item name="reason" label="提前处理原因">
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** `minGrams`: the least weight shown for the day; under it the correction asks why the sample could not be topped up. */
function AmendDialog({ sample, minGrams, onClose }: { sample: SampleView; minGrams: number; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<{ dish: string; weightG: number; lightReason: string; takenTime: string; taker: string; fridge: string; reason: string }>();
  const weight = Form.useWatch('weightG', form);
  const isLight = typeof weight === 'number' && weight < minGrams;
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await call('samples.amend', { id: sample.id, ...v, lightReason: isLight ? (v.lightReason ?? '') : '' });
      toast(`已更正 ${sample.dish} 的留样记录`);
      onClose(true);
    } catch (e) {
      showError(e, form);
    }
  };
  return (
    <Modal open title={`更正留样：${sample.date} ${MEAL_LABELS[sample.meal]} ${sample.dish}`} okText="作废原记录并登记更正" cancelText="取消" onOk={ok} onCancel={() => onClose(false)}>
      <p>原记录注明原因作废（保留可查），登记正确的记录并指向原记录。</p>
      <Form
        form={form}
        layout="vertical"
        onKeyDownCapture={enterToNext}
        onFinish={ok}
        initialValues={{ dish: sample.dish, weightG: sample.weightG, lightReason: sample.lightReason, takenTime: minute(sample.takenAt).slice(11), taker: sample.taker, fridge: sample.fridge, reason: '' }}
      >
        <Form.Item name="dish" label="菜品" rules={[{ required: true, whitespace: true, message: '请填写菜品' }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="weightG" label="留样量（克）" rules={[{ required: true, message: '请填写留样量' }]}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
        {isLight && (
          <Form.Item name="lightReason" label={`留样不足原因（不足 ${minGrams} 克，无法补足时填写，列为留样问题）`}>
            <Input maxLength={200} placeholder="如：菜品已售完，无法补足" />
          </Form.Item>
        )}
        <Form.Item name="takenTime" label="留样时间">
          <TimeInput />
        </Form.Item>
        <Form.Item name="taker" label="留样人" rules={[{ required: true, whitespace: true, message: '请填写留样人' }]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item name="fridge" label="留样冰箱" rules={[{ required: true, whitespace: true, message: '请填写留样冰箱' }]}>
          <Input maxLength={30} />
        </Form.Item>
        <CorrectionReason autoFocus />
      </Form>
    </Modal>
  );
}
