import { Button, Card, Select, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { canCall } from '../../../../shared/access.generated.ts';
import type { MealRotaView } from '../../../../shared/api/foodsafety.ts';
import { addDays } from '../../../../shared/calendar.ts';
import { MEAL_LABELS, MEALS, WEEKDAY_LABELS, type Meal } from '../../../../shared/labels-foodsafety.ts';
import { call } from '../../api.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { useRoles } from '../../session.ts';
import { DateInput } from '../fees/common.tsx';

interface Row {
  key: number;
  weekday: number;
  meal: Meal;
  userId: string | null;
}
let nextKey = 1;
const WEEKDAY_OPTIONS = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: WEEKDAY_LABELS[d] }));

/** The version of the rota in force on a day (the latest from on or before it), or the first one when none is yet. */
function versionOn(rota: MealRotaView, day: string) {
  const before = rota.versions.filter((v) => v.fromDate <= day);
  return before[before.length - 1] ?? null;
}

/**
 * 陪餐值班表 (issue 17): the term's rota of school leaders by weekday and meal — everyone reads the version in force; the
 * principal (审核人) and the admin save a version from a date on (a leader on duty without their 陪餐 is a finding).
 */
export function RotaCard() {
  const roles = useRoles();
  const canSave = canCall('mealRota.save', roles);
  const [rota, setRota] = useState<MealRotaView | null>(null);
  const [termCode, setTermCode] = useState<string | null>(null);
  const [fromDate, setFromDate] = useState(chinaToday());
  const [rows, setRows] = useState<Row[]>([]);
  const [editing, setEditing] = useState(false);

  const load = useCallback(() => {
    call('mealRota.get', { termCode }).then((r) => {
      setRota(r);
      if (r && !termCode) setTermCode(r.termCode);
    }, showError);
  }, [termCode]);
  useEffect(load, [load]);

  const today = chinaToday();
  const current = rota ? versionOn(rota, today) : null;

  const startEditing = () => {
    if (!rota) return;
    // A rota in force today changes from tomorrow at the earliest (the leaders cannot rewrite a duty already due).
    const earliest = current ? addDays(today, 1) : today;
    const from = earliest < rota.startDate ? rota.startDate : earliest;
    setFromDate(from);
    const base = versionOn(rota, from) ?? rota.versions[rota.versions.length - 1] ?? null;
    setRows(base ? base.entries.map((e) => ({ key: nextKey++, weekday: e.weekday, meal: e.meal, userId: e.userId })) : [{ key: nextKey++, weekday: 1, meal: 'lunch', userId: null }]);
    setEditing(true);
  };

  const save = async () => {
    if (!rota) return;
    if (rows.some((r) => !r.userId)) return showError(new Error('请为每一行选择值班领导'));
    try {
      const r = await call('mealRota.save', { termCode: rota.termCode, fromDate, entries: rows.map((x) => ({ weekday: x.weekday, meal: x.meal, userId: x.userId as string })) });
      setRota(r);
      setEditing(false);
      toast(`已保存${r.termName}自 ${fromDate} 起的陪餐值班表`);
    } catch (e) {
      showError(e);
    }
  };

  if (!rota) {
    return (
      <Card size="small" title="陪餐值班表">
        <Typography.Text type="secondary">还没有学期：请先在 收费 → 学期 中登记本学期</Typography.Text>
      </Card>
    );
  }
  const update = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <Card
      size="small"
      title={`陪餐值班表 · ${rota.termName}（${rota.startDate} 至 ${rota.endDate}）`}
      data-testid="rota-card"
      extra={
        <Space>
          {rota.terms.length > 1 && <Select value={rota.termCode} options={rota.terms.map((t) => ({ value: t.code, label: t.name }))} onChange={(v) => setTermCode(v)} style={{ width: 160 }} />}
          {canSave && !editing && (
            <Button size="small" onClick={startEditing} data-testid="rota-edit">
              安排值班
            </Button>
          )}
        </Space>
      }
    >
      {!editing &&
        (rota.versions.length === 0 ? (
          <Typography.Text type="secondary">本学期尚未安排陪餐值班</Typography.Text>
        ) : (
          <Space direction="vertical" data-testid="rota-versions">
            {rota.versions.map((v) => (
              <Typography.Text key={v.fromDate} strong={v === current}>
                自 {v.fromDate} 起{v === current ? '（现行）' : ''}：{v.entries.map((e) => `${WEEKDAY_LABELS[e.weekday]}${MEAL_LABELS[e.meal]} ${e.userName}`).join('；')}
              </Typography.Text>
            ))}
          </Space>
        ))}
      {editing && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space>
            <span>生效日期</span>
            <DateInput value={fromDate} onChange={(d) => d && setFromDate(d)} data-testid="rota-from" />
          </Space>
          <Table<Row>
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={rows}
            data-testid="rota-rows"
            columns={[
              { title: '星期', render: (_, r) => <Select value={r.weekday} options={WEEKDAY_OPTIONS} onChange={(v) => update(r.key, { weekday: v })} style={{ width: 90 }} /> },
              { title: '餐次', render: (_, r) => <Select value={r.meal} options={MEALS.map((m) => ({ value: m, label: MEAL_LABELS[m] }))} onChange={(v) => update(r.key, { meal: v })} style={{ width: 90 }} /> },
              {
                title: '值班领导',
                render: (_, r, i) => (
                  <Select value={r.userId} placeholder="选择学校领导" options={rota.leaders.map((l) => ({ value: l.id, label: l.name }))} onChange={(v) => update(r.key, { userId: v })} style={{ width: 160 }} data-testid={`rota-leader-${i}`} />
                ),
              },
              { title: '', render: (_, r) => <Button size="small" type="link" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>删除</Button> },
            ]}
          />
          <Space>
            <Button onClick={() => setRows([...rows, { key: nextKey++, weekday: 1, meal: 'lunch', userId: null }])} data-testid="rota-add">
              添加一行
            </Button>
            <Button type="primary" onClick={() => void save()} data-testid="rota-save">
              保存值班表
            </Button>
            <Button onClick={() => setEditing(false)}>取消</Button>
          </Space>
        </Space>
      )}
    </Card>
  );
}
