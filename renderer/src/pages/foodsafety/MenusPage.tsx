import { Alert, Button, Card, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { canCall } from '../../../../shared/access.generated.ts';
import type { DayAnalysis, MenuLine, MenuSummary, MenuView } from '../../../../shared/api/menus.ts';
import { addDays, chinaDateTime } from '../../../../shared/calendar.ts';
import { formatFen, formatMilli, parseQuantityToMilli } from '../../../../shared/format.ts';
import { MEAL_LABELS, MEALS, type Meal } from '../../../../shared/labels-foodsafety.ts';
import { ATTAINMENT_LABELS, MENU_STATUS_LABELS, NUTRIENT_LABELS, NUTRIENT_UNITS, NUTRIENTS, REVIEW_LABELS, type Attainment } from '../../../../shared/labels-menus.ts';
import { call } from '../../api.ts';
import { IngredientSelect } from '../../components/EntitySelect.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { sheetCss } from '../../components/printSheet.ts';
import { showError, toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { useQuery } from '../../router.ts';
import { useRoles } from '../../session.ts';

const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const STATUS_COLORS = { draft: 'default', submitted: 'gold', approved: 'green', superseded: 'default' } as const;
const ATTAIN_COLORS: Record<Attainment, string> = { low: 'red', ok: 'green', high: 'orange', none: 'default' };

/** The Monday of the week a date falls in. */
function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, d === 0 ? -6 : 1 - d);
}

/** A typed amount in grams (up to three decimals) as thousandths of a gram; null when not a number. */
const gramsToMg = parseQuantityToMilli;
const mgToGrams = formatMilli;
/** A nutrient amount (thousandths of its unit) to one decimal (half-up, in integers), or to three below 1. */
const amountText = (v: number) => formatMilli(v >= 1000 ? Math.round(v / 100) * 100 : v);

interface Row {
  key: number;
  day: string;
  meal: Meal;
  dish: string;
  ingredientId: string | null;
  ageGroup: string;
  grams: string;
}

let nextKey = 1;
const emptyRow = (day: string, meal: Meal, ageGroup: string, dish = ''): Row => ({ key: nextKey++, day, meal, dish, ingredientId: null, ageGroup, grams: '' });

/**
 * 带量食谱 (issue 17): the canteen drafts the week — per day and meal, each dish's ingredients with the raw grams per
 * pupil of each age group — sees the planned cost and nutrients per pupil against the profile's targets, and submits it;
 * a parent committee member approves it or returns it with remarks (never the one who submitted it). An approved menu
 * prints as the A4 notice. An approved menu is amended with a reason: the next revision opens as a draft and goes
 * through 审定 again, the approved one staying in force until then; the week's revisions are listed to switch between.
 */
export function MenusPage() {
  const query = useQuery();
  const roles = useRoles();
  const canWrite = canCall('menus.save', roles);
  const canReview = canCall('menus.review', roles);
  const [week, setWeek] = useState(mondayOf(query.get('week') ?? chinaToday()));
  const [list, setList] = useState<MenuSummary[]>([]);
  const [menu, setMenu] = useState<MenuView | null>(null);
  const [groups, setGroups] = useState<{ code: string; label: string }[]>([]);
  const [rows, setRows] = useState<Row[]>([]);
  const [remark, setRemark] = useState('');
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState(false);
  /** The reason typed in the 修订 dialog; null while it is closed. */
  const [amendReason, setAmendReason] = useState<string | null>(null);
  const days = useMemo(() => Array.from({ length: 7 }, (_, i) => addDays(week, i)), [week]);

  const load = useCallback(async () => {
    try {
      const [school, menus] = await Promise.all([call('school.get', {}), call('menus.list', { from: week, to: addDays(week, 6) })]);
      const g = school.profile.menuAgeGroups.map((x) => ({ code: x.code, label: x.label }));
      setGroups(g);
      setList(menus);
      // The week's newest revision (listed first).
      const mine = menus.find((m) => m.weekStart === week);
      const v = mine ? await call('menus.get', { id: mine.id }) : null;
      show(v, g[0]?.code ?? '');
    } catch (e) {
      showError(e);
    }
  }, [week]);
  const show = (v: MenuView | null, firstGroup: string) => {
    setMenu(v);
    setRows(
      v
        ? v.lines.map((l) => ({ key: nextKey++, day: l.day, meal: l.meal, dish: l.dish, ingredientId: l.ingredientId, ageGroup: l.ageGroup, grams: mgToGrams(l.qtyMg) }))
        : [emptyRow(week, 'lunch', firstGroup)],
    );
  };
  const openRevision = async (id: string) => {
    try {
      show(await call('menus.get', { id }), groups[0]?.code ?? '');
    } catch (e) {
      showError(e);
    }
  };
  const amend = async () => {
    if (!menu || amendReason === null) return;
    try {
      const v = await call('menus.amend', { id: menu.id, reason: amendReason });
      setAmendReason(null);
      show(v, groups[0]?.code ?? '');
      toast(`已生成第 ${v.revision} 版修订草稿：修改后提交审定，审定前第 ${v.revision - 1} 版继续有效`);
      void load();
    } catch (e) {
      showError(e);
    }
  };
  useEffect(() => {
    void load();
  }, [load]);

  const editable = canWrite && (!menu || menu.status === 'draft');
  const update = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const save = async (): Promise<MenuView | null> => {
    const lines: MenuLine[] = [];
    for (const [i, r] of rows.entries()) {
      if (!r.dish && !r.ingredientId && !r.grams) continue;
      const qtyMg = gramsToMg(r.grams);
      if (!r.dish || !r.ingredientId || qtyMg === null || qtyMg === 0) {
        showError(new Error(`第 ${i + 1} 行：请填写菜品、食材和每人用量（克）`));
        return null;
      }
      lines.push({ day: r.day, meal: r.meal, dish: r.dish, ingredientId: r.ingredientId, ageGroup: r.ageGroup, qtyMg });
    }
    setBusy(true);
    try {
      const v = await call('menus.save', { id: menu?.id ?? null, weekStart: week, note: menu?.note ?? '', lines });
      setMenu(v);
      toast(`已保存 ${week} 这一周的带量食谱草稿`);
      return v;
    } catch (e) {
      showError(e);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    const v = await save();
    if (!v) return;
    try {
      setMenu(await call('menus.submit', { id: v.id }));
      toast('已提交，等待家委会审定');
      void load();
    } catch (e) {
      showError(e);
    }
  };

  const review = async (decision: 'approved' | 'returned') => {
    if (!menu) return;
    try {
      const v = await call('menus.review', { id: menu.id, decision, remark });
      setMenu(v);
      setRemark('');
      toast(decision === 'approved' ? '已审定通过，可打印公示' : '已退回，食堂修改后重新提交');
      void load();
    } catch (e) {
      showError(e);
    }
  };

  if (printing && menu) return <MenuNotice menu={menu} onClose={() => setPrinting(false)} />;

  const dayOptions = days.map((d, i) => ({ value: d, label: `${WEEKDAYS[i]} ${d.slice(5)}` }));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button onClick={() => setWeek(addDays(week, -7))}>上一周</Button>
        <span data-testid="menu-week">
          {week} 至 {addDays(week, 6)}
        </span>
        <Button onClick={() => setWeek(addDays(week, 7))}>下一周</Button>
        {menu ? (
          <Tag color={STATUS_COLORS[menu.status]} data-testid="menu-status">
            {MENU_STATUS_LABELS[menu.status]}
          </Tag>
        ) : (
          <Tag data-testid="menu-status">未编制</Tag>
        )}
        {menu?.status === 'approved' && (
          <Button type="primary" onClick={() => setPrinting(true)} data-testid="print-menu">
            打印公示
          </Button>
        )}
        {menu?.status === 'approved' && canWrite && !menu.amendedById && (
          <Button onClick={() => setAmendReason('')} data-testid="amend-menu">
            修订
          </Button>
        )}
        {menu && menu.revisions.length > 1 && (
          <Space size={4} data-testid="menu-revisions">
            {menu.revisions.map((r) => (
              <Button key={r.id} size="small" type={r.id === menu.id ? 'primary' : 'default'} onClick={() => void openRevision(r.id)}>
                第 {r.revision} 版 {MENU_STATUS_LABELS[r.status]}
              </Button>
            ))}
          </Space>
        )}
      </Space>
      {menu?.amendment && (
        <Alert
          type="info"
          data-testid="menu-amendment"
          message={`第 ${menu.revision} 版：${menu.amendment.createdByName} ${chinaDateTime(menu.amendment.createdAt, 'minute')} 修订，原因：${menu.amendment.reason}${
            menu.status === 'draft' || menu.status === 'submitted' ? `；审定通过前，第 ${menu.revision - 1} 版继续有效` : ''
          }`}
        />
      )}
      {amendReason !== null && (
        <Modal open title="修订已审定的带量食谱" okText="生成修订草稿" cancelText="取消" onOk={() => void amend()} onCancel={() => setAmendReason(null)}>
          <Typography.Paragraph>修订后须重新提交家委会审定；审定通过前，现在这一版继续有效（留样、公示以它为准）。</Typography.Paragraph>
          <Input.TextArea value={amendReason} onChange={(e) => setAmendReason(e.target.value)} maxLength={500} placeholder="修订原因（必填）" data-testid="amend-reason" autoFocus />
        </Modal>
      )}
      {list.length > 0 && (
        <Typography.Text type="secondary">
          {list
            .map((m) => `${m.weekStart}${list.some((x) => x.weekStart === m.weekStart && x.revision > 1) ? ` 第 ${m.revision} 版` : ''} ${MENU_STATUS_LABELS[m.status]}`)
            .join('；')}
        </Typography.Text>
      )}
      {menu?.reviews.map((r, i) => (
        <Alert
          key={i}
          type={r.decision === 'approved' ? 'success' : 'warning'}
          message={`${REVIEW_LABELS[r.decision]}：${r.reviewedByName} ${chinaDateTime(r.reviewedAt, 'minute')}${r.remark ? `，意见：${r.remark}` : ''}`}
        />
      ))}
      <Card size="small" title="菜品与每人用量（生重，克）">
        <div onKeyDownCapture={enterToNext}>
          <Table<Row>
            size="small"
            pagination={false}
            rowKey="key"
            dataSource={rows}
            data-testid="menu-lines"
            columns={[
              {
                title: '日期',
                width: 130,
                render: (_, r, i) =>
                  editable ? <Select value={r.day} options={dayOptions} onChange={(v) => update(r.key, { day: v })} style={{ width: 120 }} data-testid={`line-day-${i}`} /> : dayOptions.find((d) => d.value === r.day)?.label,
              },
              {
                title: '餐次',
                width: 90,
                render: (_, r, i) =>
                  editable ? (
                    <Select value={r.meal} options={MEALS.map((m) => ({ value: m, label: MEAL_LABELS[m] }))} onChange={(v) => update(r.key, { meal: v })} style={{ width: 80 }} data-testid={`line-meal-${i}`} />
                  ) : (
                    MEAL_LABELS[r.meal]
                  ),
              },
              {
                title: '菜品',
                render: (_, r, i) => (editable ? <Input value={r.dish} maxLength={50} onChange={(e) => update(r.key, { dish: e.target.value })} data-testid={`line-dish-${i}`} /> : r.dish),
              },
              {
                title: '食材',
                render: (_, r, i) =>
                  editable ? (
                    <IngredientSelect value={r.ingredientId} style={{ width: '100%' }} onChange={(v) => update(r.key, { ingredientId: v })} data-testid={`line-item-${i}`} />
                  ) : (
                    menu?.lines[i]?.ingredientName
                  ),
              },
              {
                title: '年龄组',
                width: 110,
                render: (_, r, i) =>
                  editable ? (
                    <Select value={r.ageGroup} options={groups.map((g) => ({ value: g.code, label: g.label }))} onChange={(v) => update(r.key, { ageGroup: v })} style={{ width: 100 }} data-testid={`line-group-${i}`} />
                  ) : (
                    groups.find((g) => g.code === r.ageGroup)?.label ?? r.ageGroup
                  ),
              },
              {
                title: '每人用量（克）',
                width: 120,
                render: (_, r, i) => (editable ? <Input value={r.grams} onChange={(e) => update(r.key, { grams: e.target.value })} data-testid={`line-grams-${i}`} /> : r.grams),
              },
              ...(editable
                ? [
                    {
                      title: '',
                      width: 60,
                      render: (_: unknown, r: Row) => (
                        <Button size="small" type="link" tabIndex={-1} onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                          删除
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          {editable && (
            <Space style={{ marginTop: 8 }}>
              <Button
                onClick={() => {
                  const last = rows[rows.length - 1];
                  setRows([...rows, emptyRow(last?.day ?? week, last?.meal ?? 'lunch', last?.ageGroup ?? groups[0]?.code ?? '', '')]);
                }}
                data-testid="add-line"
              >
                添加一行
              </Button>
              <Button onClick={() => void save()} loading={busy} data-testid="save-menu">
                保存草稿
              </Button>
              <Button type="primary" onClick={() => void submit()} loading={busy} data-testid="submit-menu">
                提交审定
              </Button>
            </Space>
          )}
        </div>
      </Card>
      {menu && <Analysis menu={menu} />}
      {menu?.status === 'submitted' && canReview && (
        <Card size="small" title="家委会审定">
          {menu.submittedByMe ? (
            <Alert type="info" message="这份食谱是您提交的：须由另一位家委会代表审定" />
          ) : (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Input.TextArea value={remark} onChange={(e) => setRemark(e.target.value)} maxLength={500} placeholder="审定意见（退回时必填）" data-testid="review-remark" />
              <Space>
                <Button type="primary" onClick={() => void review('approved')} data-testid="approve-menu">
                  审定通过
                </Button>
                <Button danger onClick={() => void review('returned')} data-testid="return-menu">
                  退回修改
                </Button>
              </Space>
            </Space>
          )}
        </Card>
      )}
    </Space>
  );
}

/** Per day and age group: planned cost per pupil, each nutrient against its target, variety. */
function Analysis({ menu }: { menu: MenuView }) {
  return (
    <Card size="small" title={`计划成本与营养素（每人每天）· 本周食物 ${menu.weekVariety} 种${menu.varietyPerWeek ? `（要求 ${menu.varietyPerWeek} 种以上）` : ''}`}>
      <Table<DayAnalysis>
        size="small"
        pagination={false}
        rowKey={(a) => `${a.day}|${a.ageGroup}`}
        dataSource={menu.analysis}
        scroll={{ x: true }}
        data-testid="menu-analysis"
        columns={[
          { title: '日期', dataIndex: 'day', width: 100 },
          { title: '年龄组', dataIndex: 'ageGroupLabel', width: 80 },
          { title: '餐次', render: (_, a) => a.meals.map((m) => MEAL_LABELS[m]).join('、') },
          { title: '计划成本', render: (_, a) => (a.costFen === null ? <Tag color="red">无法计算</Tag> : `¥${formatFen(a.costFen)}`) },
          {
            title: '食物种类',
            render: (_, a) => (
              <span>
                {a.variety}
                {menu.varietyPerDay !== null && a.variety < menu.varietyPerDay && <Tag color="red">少于 {menu.varietyPerDay}</Tag>}
              </span>
            ),
          },
          ...NUTRIENTS.map((n) => ({
            title: `${NUTRIENT_LABELS[n]}（${NUTRIENT_UNITS[n]}）`,
            render: (_: unknown, a: DayAnalysis) => {
              const f = a.nutrients[n];
              return (
                <span title={f.low !== null ? `目标 ${amountText(f.low)}～${amountText(f.high ?? 0)}` : '未设目标'}>
                  {amountText(f.amount)}
                  {f.attainment !== 'none' && <Tag color={ATTAIN_COLORS[f.attainment]}>{ATTAINMENT_LABELS[f.attainment]}</Tag>}
                </span>
              );
            },
          })),
          { title: '未计入', render: (_, a) => a.missing.join('；') },
        ]}
      />
    </Card>
  );
}

/** The A4 notice of an approved menu: each day and meal, its dishes with their ingredients and grams per age group. */
function MenuNotice({ menu, onClose }: { menu: MenuView; onClose: () => void }) {
  const dishes = new Map<string, { day: string; meal: Meal; dish: string; items: Map<string, Map<string, number>> }>();
  for (const l of menu.lines) {
    const k = `${l.day}|${MEALS.indexOf(l.meal)}|${l.dish}`; // dishes in the order they were typed, by day and meal
    const d = dishes.get(k) ?? { day: l.day, meal: l.meal, dish: l.dish, items: new Map() };
    const per = d.items.get(l.ingredientName) ?? new Map<string, number>();
    per.set(l.ageGroup, l.qtyMg);
    d.items.set(l.ingredientName, per);
    dishes.set(k, d);
  }
  const used = menu.ageGroups.filter((g) => menu.lines.some((l) => l.ageGroup === g.code));
  return (
    <div>
      <style>{sheetCss({ cellPadding: '1mm 1.5mm', hide: [] })}</style>
      <Space className="no-print" style={{ marginBottom: 12 }}>
        <Button onClick={onClose}>返回</Button>
        <Button type="primary" onClick={() => window.print()}>
          打印
        </Button>
      </Space>
      <div className="ys-sheet" data-testid="menu-notice">
        <h1>带量食谱公示</h1>
        <div className="ys-head">
          <div>
            周次：{menu.weekStart} 至 {addDays(menu.weekStart, 6)}
          </div>
          <div>
            审定：{menu.approvedByName}（家委会） {menu.approvedAt ? chinaDateTime(menu.approvedAt, 'minute') : ''}
          </div>
        </div>
        <table>
          <thead>
            <tr>
              <th style={{ width: '16%' }}>日期</th>
              <th style={{ width: '8%' }}>餐次</th>
              <th style={{ width: '18%' }}>菜品</th>
              <th>食材</th>
              {used.map((g) => (
                <th key={g.code} style={{ width: '11%' }}>
                  {g.label}（克/人）
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[...dishes.entries()]
              .sort(([a], [b]) => {
                const [da, ma] = a.split('|');
                const [db, mb] = b.split('|');
                return da !== db ? (da < db ? -1 : 1) : Number(ma) - Number(mb);
              })
              .flatMap(([k, d]) =>
                [...d.items.entries()].map(([name, per], i) => (
                  <tr key={`${k}|${name}`}>
                    <td>{i === 0 ? `${d.day} ${WEEKDAYS[(new Date(`${d.day}T00:00:00Z`).getUTCDay() + 6) % 7]}` : ''}</td>
                    <td>{i === 0 ? MEAL_LABELS[d.meal] : ''}</td>
                    <td>{i === 0 ? d.dish : ''}</td>
                    <td>{name}</td>
                    {used.map((g) => (
                      <td key={g.code} className="num">
                        {per.has(g.code) ? mgToGrams(per.get(g.code) as number) : ''}
                      </td>
                    ))}
                  </tr>
                )),
              )}
          </tbody>
        </table>
        <div className="ys-sign">
          <div>编制人：</div>
          <div>家委会代表：</div>
          <div>校长：</div>
          <div>（盖章）</div>
        </div>
      </div>
    </div>
  );
}
