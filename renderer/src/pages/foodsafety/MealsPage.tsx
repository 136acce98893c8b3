import { Button, Card, Form, Input, List, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { canCall } from '../../../../shared/access.generated.ts';
import type { AccompaniedMealView, MealFinding } from '../../../../shared/api/foodsafety.ts';
import { chinaDateTime, lastDayOfMonth, monthWords } from '../../../../shared/calendar.ts';
import {
  COMPANION_LABELS,
  MEAL_ASPECT_LABELS,
  MEAL_ASPECTS,
  MEAL_LABELS,
  RATING_LABELS,
  RATINGS,
  type Meal,
  type MealAspect,
  type Rating,
} from '../../../../shared/labels-foodsafety.ts';
import { call } from '../../api.ts';
import { NOWRAP } from '../../components/columns.ts';
import { enterToNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { useQuery } from '../../router.ts';
import { useRoles } from '../../session.ts';
import { DateInput } from '../fees/common.tsx';
import { MealSelect, mealNow } from './common.tsx';
import { CorrectionReason } from './CorrectionReason.tsx';
import { RotaCard } from './RotaCard.tsx';

type Ratings = Record<MealAspect, Rating>;
type Remarks = Record<MealAspect, string>;
interface MealForm {
  meal: Meal;
  ratings: Ratings;
  remarks: Remarks;
  problem: string;
}
const ALL_GOOD: Ratings = { taste: 'good', quantity: 'good', hygiene: 'good', temperature: 'good' };
const NO_REMARKS: Remarks = { taste: '', quantity: '', hygiene: '', temperature: '' };
const RATING_COLORS: Record<Rating, string> = { good: 'green', fair: 'gold', poor: 'red' };

/** The four aspects, each 好/一般/差 (arrow keys choose, Enter moves on) with a remark. */
function AspectFields() {
  return (
    <>
      {MEAL_ASPECTS.map((a) => (
        <Space key={a} align="baseline" wrap>
          <Form.Item name={['ratings', a]} label={MEAL_ASPECT_LABELS[a]} style={{ marginBottom: 8 }}>
            <Radio.Group data-testid={`rating-${a}`} options={RATINGS.map((r) => ({ value: r, label: RATING_LABELS[r] }))} />
          </Form.Item>
          <Form.Item name={['remarks', a]} style={{ marginBottom: 8 }}>
            <Input placeholder={`${MEAL_ASPECT_LABELS[a]}说明（可不填）`} maxLength={200} style={{ width: 260 }} data-testid={`remark-${a}`} />
          </Form.Item>
        </Space>
      ))}
    </>
  );
}

/**
 * 陪餐 (issue 17): a school leader, or a parent committee member logged in as themselves, records the meal they ate with
 * the pupils — 好/一般/差 and a remark on taste, quantity, hygiene and temperature, and any problem (a 差 needs one); a
 * problem is a follow-up (整改) until the canteen writes what was done. The month's records and, for staff, its findings.
 */
export function MealsPage() {
  const query = useQuery();
  const roles = useRoles();
  const canRecord = canCall('meals.record', roles);
  const canClose = canCall('meals.closeFollowup', roles);
  const canFindings = canCall('meals.findings', roles);
  const monthParam = query.get('month');
  const [date, setDate] = useState(query.get('date') ?? (monthParam && !chinaToday().startsWith(monthParam) ? `${monthParam}-01` : chinaToday()));
  const [list, setList] = useState<AccompaniedMealView[]>([]);
  const [findings, setFindings] = useState<MealFinding[]>([]);
  const [closing, setClosing] = useState<AccompaniedMealView | null>(null);
  const [amending, setAmending] = useState<AccompaniedMealView | null>(null);
  const [form] = Form.useForm<MealForm>();
  const month = date.slice(0, 7);

  const load = useCallback(() => {
    call('meals.list', { from: `${month}-01`, to: lastDayOfMonth(month) }).then(setList, showError);
    if (canFindings) call('meals.findings', { month }).then(setFindings, showError);
  }, [month, canFindings]);
  useEffect(load, [load]);

  const record = async (v: MealForm) => {
    try {
      const m = await call('meals.record', { date, meal: v.meal, ratings: v.ratings, remarks: v.remarks, problem: v.problem ?? '' });
      toast(`已登记 ${m.date} ${MEAL_LABELS[m.meal]} 陪餐${m.problem ? '，提出的问题待整改' : ''}`);
      form.resetFields();
      load();
    } catch (e) {
      showError(e, form);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <span>日期</span>
        <DateInput value={date} onChange={(d) => d && setDate(d)} data-testid="meal-date" />
      </Space>
      {canRecord && (
        <Card size="small" title="登记本人陪餐">
          <Form<MealForm>
            form={form}
            layout="inline"
            style={{ flexDirection: 'column', alignItems: 'flex-start' }}
            initialValues={{ meal: mealNow(), ratings: ALL_GOOD, remarks: NO_REMARKS, problem: '' }}
            onKeyDownCapture={enterToNext}
            onFinish={record}
          >
            <Form.Item name="meal" label="餐次" style={{ marginBottom: 8 }}>
              <MealSelect data-testid="meal-meal" />
            </Form.Item>
            <AspectFields />
            <Form.Item name="problem" label="发现的问题" style={{ marginBottom: 8 }} extra="评价为“差”须写明问题；提出的问题由食堂整改并写明做了什么">
              <Input maxLength={500} style={{ width: 520 }} data-testid="meal-problem" />
            </Form.Item>
            <Button type="primary" htmlType="submit" data-testid="save-meal">
              提交陪餐记录
            </Button>
          </Form>
        </Card>
      )}
      <Card size="small" title={`${monthWords(month)}陪餐记录`}>
        <Table<AccompaniedMealView>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={list}
          data-testid="meals-table"
          columns={[
            { title: '日期', dataIndex: 'date', ...NOWRAP },
            { title: '餐次', dataIndex: 'meal', render: (m: Meal) => MEAL_LABELS[m] },
            { title: '陪餐人', render: (_, m) => <Space size={4}>{m.companionName}<Tag>{COMPANION_LABELS[m.companionKind]}</Tag></Space> },
            ...MEAL_ASPECTS.map((a) => ({
              title: MEAL_ASPECT_LABELS[a],
              key: a,
              render: (_: unknown, m: AccompaniedMealView) => (
                <span title={m.remarks[a]}>
                  <Tag color={RATING_COLORS[m.ratings[a]]}>{RATING_LABELS[m.ratings[a]]}</Tag>
                  {m.remarks[a]}
                </span>
              ),
            })),
            { title: '发现的问题', dataIndex: 'problem' },
            {
              title: '整改',
              render: (_, m) =>
                m.status === 'cancelled' ? (
                  <Typography.Text type="secondary">已作废：{m.cancelReason}</Typography.Text>
                ) : m.followup ? (
                  `${m.followup.action}（${m.followup.closedByName} ${chinaDateTime(m.followup.closedAt, 'minute')}）`
                ) : m.problem ? (
                  canClose ? (
                    <Button size="small" danger onClick={() => setClosing(m)}>
                      整改完成
                    </Button>
                  ) : (
                    <Tag color="red">待整改</Tag>
                  )
                ) : (
                  ''
                ),
            },
            {
              title: '',
              key: 'act',
              render: (_, m) => (m.mine && m.status === 'confirmed' && !m.followup && canRecord ? <Button size="small" onClick={() => setAmending(m)}>更正</Button> : null),
            },
          ]}
        />
      </Card>
      {canFindings && (
        <Card size="small" title={`${monthWords(month)}陪餐问题`}>
          {findings.length === 0 ? (
            <Typography.Text type="success">没有问题：每个上课日都有陪餐记录，提出的问题均已整改</Typography.Text>
          ) : (
            <List size="small" data-testid="meal-findings" dataSource={findings} renderItem={(f) => <List.Item>{f.text}</List.Item>} />
          )}
        </Card>
      )}
      <RotaCard />
      {closing && <CloseDialog meal={closing} onClose={(changed) => (setClosing(null), changed && load())} />}
      {amending && <AmendDialog meal={amending} onClose={(changed) => (setAmending(null), changed && load())} />}
    </Space>
  );
}

function CloseDialog({ meal, onClose }: { meal: AccompaniedMealView; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<{ action: string }>();
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await call('meals.closeFollowup', { id: meal.id, action: v.action });
      toast('整改已记录');
      onClose(true);
    } catch (e) {
      showError(e, form);
    }
  };
  return (
    <Modal open title="陪餐问题整改完成" okText="确认" cancelText="取消" onOk={ok} onCancel={() => onClose(false)}>
      <p>
        {meal.date} {MEAL_LABELS[meal.meal]} {meal.companionName}：{meal.problem}
      </p>
      <Form form={form} layout="vertical" onFinish={ok}>
        <Form.Item name="action" label="整改措施（做了什么）" rules={[{ required: true, whitespace: true, message: '请填写整改措施' }]}>
          <Input maxLength={500} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AmendDialog({ meal, onClose }: { meal: AccompaniedMealView; onClose: (changed: boolean) => void }) {
  const [form] = Form.useForm<{ ratings: Ratings; remarks: Remarks; problem: string; reason: string }>();
  const ok = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      await call('meals.amend', { id: meal.id, reason: v.reason, ratings: v.ratings, remarks: v.remarks, problem: v.problem ?? '' });
      toast('陪餐记录已更正');
      onClose(true);
    } catch (e) {
      showError(e, form);
    }
  };
  return (
    <Modal open width={720} title={`更正陪餐：${meal.date} ${MEAL_LABELS[meal.meal]}`} okText="作废原记录并重新登记" cancelText="取消" onOk={ok} onCancel={() => onClose(false)}>
      <Form form={form} layout="vertical" onKeyDownCapture={enterToNext} onFinish={ok} initialValues={{ ratings: meal.ratings, remarks: meal.remarks, problem: meal.problem, reason: '' }}>
        <AspectFields />
        <Form.Item name="problem" label="发现的问题">
          <Input maxLength={500} />
        </Form.Item>
        <CorrectionReason />
      </Form>
    </Modal>
  );
}
