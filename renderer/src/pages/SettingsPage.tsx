import { Alert, Button, Card, Checkbox, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Spin, Switch, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { SummaryPreview } from '../../../shared/api/monthclose.ts';
import type { SchoolInfo } from '../../../shared/api/people.ts';
import type { SummaryTableRow } from '../../../shared/disclosure.ts';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  CERT_KINDS,
  CERT_LABELS,
  CONFIGURABLE_NON_FOOD,
  COST_BASIS_LABELS,
  COST_BASES,
  FULL_COST_ONLY,
  INGREDIENT_KIND_LABELS,
  INGREDIENT_KINDS,
  NON_FOOD_LABELS,
} from '../../../shared/domain.ts';
import { formatBp, formatFen } from '../../../shared/format.ts';
import { applyPreset, PROFILE_PRESETS } from '../../../shared/profile-presets.ts';
import type { RegionalProfile } from '../../../shared/profile.ts';
import { NUTRIENT_LABELS, NUTRIENT_UNITS, NUTRIENTS } from '../../../shared/labels-menus.ts';
import { SYMPTOM_LABELS, SYMPTOMS } from '../../../shared/labels-foodsafety.ts';
import { call } from '../api.ts';
import { enterToNext } from '../components/enterToNext.ts';
import { chinaTime } from '../labels.ts';
import { MoneyInput, PercentInput, bpRules, fenRules } from '../components/NumberText.tsx';
import { showError, toast } from '../feedback.ts';
import { useSession } from '../session.ts';

interface Values {
  name: string;
  profile: Omit<RegionalProfile, 'notes'> & { notes: string };
  /** YYYY-MM: the month the profile as edited takes effect from (issue 14 §5). */
  effectiveFrom: string;
}

const monthWords = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

/** The profile as the form holds it: notes as one text, the category list possibly empty (= the shipped eight). */
const formProfile = (p: RegionalProfile): Values['profile'] => ({ ...p, notes: p.notes.join('\n'), disclosureCategories: p.disclosureCategories ?? [] });

const certOptions = CERT_KINDS.map((k) => ({ value: k, label: CERT_LABELS[k] }));

const cell = (r: SummaryTableRow, v: number | null): string => (v === null ? '—' : r.format === 'money' ? formatFen(v) : r.format === 'percent' ? formatBp(v) : String(v));

const days = (label: string, min: number, max: number) => [{ required: true, type: 'integer' as const, min, max, message: `${label}应为 ${min}–${max} 的整数` }];

/** 设置: the school's name and its regional profile (区域配置): every *profile* rule of DOMAIN.md. */
export function SettingsPage() {
  const [form] = Form.useForm<Values>();
  const [school, setSchool] = useState<SchoolInfo | null>(null);
  const [busy, setBusy] = useState(false);
  /** The profile the form edits on top of: the saved one, or a preset applied to the form's values. */
  const [base, setBase] = useState<RegionalProfile | null>(null);
  const [preview, setPreview] = useState<SummaryPreview | null>(null);
  const [previewMonth, setPreviewMonth] = useState('');
  const setSchoolName = useSession((s) => s.setSchoolName);

  useEffect(() => {
    call('school.get', {}).then((s) => {
      setSchool(s);
      setBase(s.profile);
      setPreviewMonth(s.defaultEffectiveFrom);
    }, showError);
  }, []);
  if (!school || !base) return <Spin />;

  /** The whole profile from the form's fields over `base` (nested objects merged, not replaced). */
  const profileOf = (p: Values['profile'], over: RegionalProfile = base): RegionalProfile => {
    const notes = (p.notes ?? '')
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    const merged: RegionalProfile = {
      ...over,
      ...p,
      notes,
      disclosureLayout: { ...over.disclosureLayout, ...p.disclosureLayout },
      certRules: { ...over.certRules, ...p.certRules, byCategory: { ...over.certRules.byCategory, ...p.certRules?.byCategory }, byKind: { ...over.certRules.byKind, ...p.certRules?.byKind } },
    };
    // 办公、维修、其他费用 only under full cost: a switch back to food cost drops them rather than being refused.
    if (merged.costBasis !== 'full') merged.allowedNonFood = merged.allowedNonFood.filter((k) => !FULL_COST_ONLY.includes(k));
    // 带量食谱 targets: an empty box is no target (not 0).
    merged.menuAgeGroups = (p.menuAgeGroups ?? over.menuAgeGroups).map((g, i) => ({
      code: g?.code ?? over.menuAgeGroups[i]?.code,
      label: g?.label ?? over.menuAgeGroups[i]?.label,
      targets: Object.fromEntries(Object.entries(g?.targets ?? {}).filter(([, v]) => typeof v === 'number')),
    }));
    const groups = (p.disclosureCategories ?? []).filter((g) => g && (g.label || g.categories?.length));
    if (groups.length) merged.disclosureCategories = groups;
    else delete merged.disclosureCategories;
    return merged;
  };

  const runPreview = async (profile: RegionalProfile, month = previewMonth) => {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) return showError(new Error('预览月份格式应为 YYYY-MM，如 2026-10'));
    try {
      setPreview(await call('monthclose.preview', { month, profile }));
    } catch (e) {
      setPreview(null);
      showError(e, form);
    }
  };

  const pickPreset = (key: string) => {
    const preset = PROFILE_PRESETS.find((x) => x.key === key);
    if (!preset) return;
    const next = applyPreset(profileOf(form.getFieldsValue().profile), preset);
    setBase(next);
    form.setFieldsValue({ profile: formProfile(next) });
    void runPreview(next);
  };

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const saved = await call('school.update', { name: v.name, profile: profileOf(v.profile), effectiveFrom: v.effectiveFrom });
      setSchool(saved);
      setBase(saved.profile);
      form.setFieldsValue({ effectiveFrom: saved.defaultEffectiveFrom });
      setSchoolName(saved.name);
      toast('设置已保存');
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  const initial: Values = { name: school.name, profile: formProfile(school.profile), effectiveFrom: school.defaultEffectiveFrom };
  const earliest = school.earliestEffectiveFrom;
  /** The version in force this month (versions come newest first; one may start in a later month). */
  const inForce = school.profileVersions.find((v) => v.effectiveFrom === null || v.effectiveFrom <= school.defaultEffectiveFrom);
  return (
    <Form form={form} layout="vertical" initialValues={initial} onFinish={submit} onKeyDownCapture={enterToNext} data-testid="settings-form" style={{ maxWidth: 980 }}>
      <Card title="学校" size="small" style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label="学校名称" rules={[{ required: true, whitespace: true, message: '请填写学校名称' }, { max: 60, message: '学校名称不能超过 60 个字' }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['profile', 'name']} label="区域配置名称" rules={[{ required: true, whitespace: true, message: '请填写区域配置名称' }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title="区域预设" size="small" style={{ marginBottom: 12 }}>
        <Select
          style={{ width: 360 }}
          placeholder="从预设开始：选择后可再逐项调整"
          data-testid="settings-preset"
          onChange={pickPreset}
          options={PROFILE_PRESETS.map((x) => ({ value: x.key, label: x.title }))}
        />
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          预设只改核算方式、可列支的支出类别、公示类别、食堂性质和补助标准；结余限额、索证规则、签字栏等仍按本页填写。保存后自生效月份起施行。
        </Typography.Paragraph>
      </Card>
      <Card title="伙食费与补助" size="small" style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name={['profile', 'feePeriod']} label="收费周期">
              <Radio.Group options={[{ value: 'month', label: '按月' }, { value: 'term', label: '按学期' }]} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'refundFromNextDay']} label="退费从申请次日起算" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'refundDeadlineWorkingDays']} label="退费办结时限（工作日）" rules={days('退费时限', 1, 120)}>
              <InputNumber min={1} max={120} precision={0} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'subsidyRateFen']} label="营养改善计划补助（元/生/天）" rules={fenRules('补助标准')}>
              <MoneyInput style={{ width: 180 }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'cashClearingTwoPeople']} label="日清需两人在场" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title="结余与支出" size="small" style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name={['profile', 'surplusLimitBp']} label="结余率上限" rules={bpRules('结余率上限')}>
              <PercentInput style={{ width: 160 }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'surplusPeriod']} label="结余率考核周期">
              <Radio.Group options={[{ value: 'month', label: '月' }, { value: 'term', label: '学期' }, { value: 'year', label: '年' }]} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'costBasis']} label="核算方式">
              <Radio.Group options={COST_BASES.map((k) => ({ value: k, label: COST_BASIS_LABELS[k] }))} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item noStyle dependencies={[['profile', 'costBasis']]}>
              {() => {
                const full = form.getFieldValue(['profile', 'costBasis']) === 'full';
                return (
                  <Form.Item name={['profile', 'allowedNonFood']} label="允许列支的非食材支出" extra="手续费（食堂专户的银行手续费）任何配置下都可列支；办公、维修、其他费用只有全成本核算才能列支。">
                    <Checkbox.Group options={CONFIGURABLE_NON_FOOD.map((k) => ({ value: k, label: NON_FOOD_LABELS[k], disabled: !full && FULL_COST_ONLY.includes(k) }))} />
                  </Form.Item>
                );
              }}
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'usesStoreroom']} label="使用库房（按盘点计成本）" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title="验收与价格" size="small" style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name={['profile', 'priceToleranceBp']} label="超参考价提示幅度" rules={bpRules('超参考价提示幅度')}>
              <PercentInput style={{ width: 160 }} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'nearExpiryDays']} label="临期提示（天）" rules={days('临期天数', 0, 365)}>
              <InputNumber min={0} max={365} precision={0} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'licenceWarnDays']} label="证照到期提前提示（天）" rules={days('证照提示天数', 0, 365)}>
              <InputNumber min={0} max={365} precision={0} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'inspectorPairRepeatLimit']} label="同一验收组合 30 天内上限（次）" rules={days('验收组合上限', 1, 100)}>
              <InputNumber min={1} max={100} precision={0} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name={['profile', 'bannedItems']} label="禁止采购品种">
              <Select mode="tags" tokenSeparators={[',', '，', '、']} placeholder="输入品名后回车" />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={8}>
          {CATEGORIES.map((c) => (
            <Col span={6} key={c}>
              <Form.Item name={['profile', 'referenceDiscountBp', c]} label={`参考价下浮：${CATEGORY_LABELS[c]}`} rules={bpRules('参考价下浮率', 5_000)}>
                <PercentInput />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Card>
      <Card title="食品安全：留样" size="small" style={{ marginBottom: 12 }} data-testid="settings-samples">
        <Typography.Paragraph type="secondary" data-testid="settings-samples-version">
          现行区域配置{inForce ? `（${inForce.profileName}）自${inForce.effectiveFrom ? monthWords(inForce.effectiveFrom) : '建账起'}执行` : ''}
          ：每个菜品留样不少于 {school.profile.sampleMinGrams} 克、保存不少于 {school.profile.sampleKeepHours} 小时。改动自下方“生效月份”起执行，之前的月份不变；只能在国家规定（125 克、48 小时）之上提高。
        </Typography.Paragraph>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name={['profile', 'sampleMinGrams']} label="每个菜品留样量（克）" rules={[{ required: true, type: 'integer', min: 125, max: 1000, message: '留样量应为 125–1000 克的整数，不能低于国家规定的 125 克' }]}>
              <InputNumber min={1} max={1000} precision={0} data-testid="settings-sample-grams" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'sampleKeepHours']} label="留样保存时间（小时）" rules={[{ required: true, type: 'integer', min: 48, max: 720, message: '留样时间应为 48–720 小时的整数，不能少于国家规定的 48 小时' }]}>
              <InputNumber min={1} max={720} precision={0} data-testid="settings-sample-hours" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name={['profile', 'morningCheckSymptoms']}
          label="晨检检查项目（症状）"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少保留一项晨检症状' }]}
        >
          <Select mode="multiple" options={SYMPTOMS.map((s) => ({ value: s, label: SYMPTOM_LABELS[s] }))} data-testid="settings-check-symptoms" />
        </Form.Item>
      </Card>
      <Card title="食品安全：农残快检" size="small" style={{ marginBottom: 12 }} data-testid="settings-residue">
        <Typography.Paragraph type="secondary">
          验收时须做农残快检（GB/T 5009.199-2003，酶抑制率 ≥ 50% 为不合格，整行拒收）的食材类别，及每个送货日至少检测的行数（当日该类别不足此数的全部检测）。不选类别、填 0 则不要求。改动自下方“生效月份”起执行。
        </Typography.Paragraph>
        <Row gutter={16}>
          <Col span={16}>
            <Form.Item name={['profile', 'residueTestCategories']} label="须快检的食材类别">
              <Select mode="multiple" allowClear options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} data-testid="settings-residue-categories" />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'residueTestMinLinesPerDay']} label="每日至少检测（行）" rules={days('每日快检行数', 0, 200)}>
              <InputNumber min={0} max={200} precision={0} data-testid="settings-residue-min" />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title="食品安全：带量食谱与满意度" size="small" style={{ marginBottom: 12 }} data-testid="settings-menus">
        <Typography.Paragraph type="secondary">
          各年龄组每人每天的能量和营养素目标，请按 WS/T 554-2017《学生餐营养指南》表1 填写（本软件不预置，空着即不比较）；带量食谱按当天供应的餐次占全天的比例（早餐 25%–30%、午餐 35%–40%、晚餐 30%–35%）对照。改动自下方“生效月份”起执行。
        </Typography.Paragraph>
        <Table
          size="small"
          pagination={false}
          rowKey="code"
          dataSource={base.menuAgeGroups}
          scroll={{ x: true }}
          columns={[
            {
              title: '年龄组',
              render: (_: unknown, g: { code: string; label: string }, i: number) => (
                <>
                  {g.label}
                  <Form.Item name={['profile', 'menuAgeGroups', i, 'code']} hidden>
                    <Input />
                  </Form.Item>
                  <Form.Item name={['profile', 'menuAgeGroups', i, 'label']} hidden>
                    <Input />
                  </Form.Item>
                </>
              ),
            },
            ...NUTRIENTS.map((n) => ({
              title: `${NUTRIENT_LABELS[n]}（${NUTRIENT_UNITS[n]}）`,
              render: (_: unknown, _g: unknown, i: number) => (
                <Form.Item name={['profile', 'menuAgeGroups', i, 'targets', n]} style={{ margin: 0 }}>
                  <InputNumber min={0} max={100000} style={{ width: 80 }} data-testid={`settings-target-${i}-${n}`} />
                </Form.Item>
              ),
            })),
          ]}
        />
        <Row gutter={16} style={{ marginTop: 8 }}>
          <Col span={6}>
            <Form.Item name={['profile', 'menuVarietyPerDay']} label="每天食物种类至少">
              <InputNumber min={1} max={100} precision={0} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={['profile', 'menuVarietyPerWeek']} label="每周食物种类至少">
              <InputNumber min={1} max={200} precision={0} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name={['profile', 'surveyQuestions']} label="满意度调查问题">
              <Select mode="tags" tokenSeparators={[',', '，', '、']} />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title="公示" size="small" style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item name={['profile', 'disclosureDeadlineDay']} label="次月几日前公示" rules={days('公示期限', 1, 28)}>
              <InputNumber min={1} max={28} precision={0} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'backdateWarnDays']} label="补录提示：录入晚于单据日期（天）" rules={days('补录提示天数', 0, 366)}>
              <InputNumber min={0} max={366} precision={0} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name={['profile', 'complaintPhone']} label="监督电话">
              <Input />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name={['profile', 'signatures']} label="签字栏" rules={[{ required: true, type: 'array', min: 1, message: '至少保留一个签字栏' }]}>
              <Select mode="tags" tokenSeparators={[',', '，', '、']} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name={['profile', 'notes']} label="公示说明（每行一条）">
              <Input.TextArea rows={3} />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title="公示类别" size="small" style={{ marginBottom: 12 }} data-testid="settings-categories">
        <Typography.Paragraph type="secondary">
          收支公示表“三、本月支出”下按哪些类别列示。每个食材类别须归入且只归入一个公示类别；不填则按默认八类（粮油、肉禽蛋、水产……）。
        </Typography.Paragraph>
        <Form.List name={['profile', 'disclosureCategories']}>
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Row gutter={8} key={f.key} align="top">
                  <Col span={6}>
                    <Form.Item name={[f.name, 'label']} rules={[{ required: true, whitespace: true, message: '请填写公示类别名称' }]}>
                      <Input placeholder="公示类别，如 荤食" />
                    </Form.Item>
                  </Col>
                  <Col span={14}>
                    <Form.Item name={[f.name, 'categories']} rules={[{ required: true, type: 'array', min: 1, message: '至少选择一个食材类别' }]}>
                      <Select mode="multiple" placeholder="包含的食材类别" options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} />
                    </Form.Item>
                  </Col>
                  <Col span={4}>
                    <Button onClick={() => remove(f.name)}>删除</Button>
                  </Col>
                </Row>
              ))}
              <Space>
                <Button onClick={() => add({ label: '', categories: [] })}>添加公示类别</Button>
                {fields.length === 0 && (
                  <Button onClick={() => CATEGORIES.forEach((c) => add({ label: CATEGORY_LABELS[c], categories: [c] }))}>从默认八类开始编辑</Button>
                )}
              </Space>
            </>
          )}
        </Form.List>
        <Row gutter={16} style={{ marginTop: 12 }}>
          <Col span={8}>
            <Form.Item name={['profile', 'disclosureLayout', 'canteenKind']} label="食堂性质" rules={[{ required: true, whitespace: true, message: '请填写食堂性质' }]}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
      </Card>
      <Card title="索证规则" size="small" style={{ marginBottom: 12 }}>
        <Typography.Paragraph type="secondary">按食材种类和类别必须查验的证明；食材自身只能增加要求，不能减少。</Typography.Paragraph>
        <Row gutter={8}>
          {INGREDIENT_KINDS.map((k) => (
            <Col span={8} key={k}>
              <Form.Item name={['profile', 'certRules', 'byKind', k]} label={`种类：${INGREDIENT_KIND_LABELS[k]}`}>
                <Select mode="multiple" allowClear options={certOptions} />
              </Form.Item>
            </Col>
          ))}
          <Col span={8}>
            <Form.Item name={['profile', 'certRules', 'imported']} label="进口食品">
              <Select mode="multiple" allowClear options={certOptions} />
            </Form.Item>
          </Col>
          {CATEGORIES.map((c) => (
            <Col span={6} key={c}>
              <Form.Item name={['profile', 'certRules', 'byCategory', c]} label={`类别：${CATEGORY_LABELS[c]}`}>
                <Select mode="multiple" allowClear options={certOptions} />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Card>
      <Card title="公示表预览" size="small" style={{ marginBottom: 12 }} data-testid="settings-preview">
        <Space style={{ marginBottom: 8 }}>
          <span>预览月份</span>
          <Input value={previewMonth} onChange={(e) => setPreviewMonth(e.target.value.trim())} placeholder="YYYY-MM" style={{ width: 120 }} data-testid="preview-month" />
          <Button onClick={() => void runPreview(profileOf(form.getFieldsValue().profile))}>预览收支公示表</Button>
        </Space>
        {preview && (
          <>
            <Typography.Paragraph style={{ margin: '4px 0' }}>
              {monthWords(preview.month)}　食堂性质：{preview.canteenKind}　工作表：{preview.sheets.join('、')}
            </Typography.Paragraph>
            {preview.closed && <Alert type="info" showIcon style={{ marginBottom: 8 }} message={`${monthWords(preview.month)}已月结：已公示的表格保持月结时的配置，这里只预览按正在编辑的配置会怎样列示`} />}
            <Table
              size="small"
              rowKey="key"
              pagination={false}
              data-testid="preview-table"
              dataSource={preview.rows}
              columns={[
                { title: '项目', dataIndex: 'label', render: (l: string, r: SummaryTableRow) => (r.bold ? <b>{l}</b> : l) },
                { title: '本月', align: 'right', render: (_: unknown, r: SummaryTableRow) => cell(r, r.month) },
                { title: '本年累计', align: 'right', render: (_: unknown, r: SummaryTableRow) => cell(r, r.ytd) },
                { title: '说明', dataIndex: 'note' },
              ]}
            />
          </>
        )}
      </Card>
      <Card title="生效月份与历史版本" size="small" style={{ marginBottom: 12 }} data-testid="profile-versions">
        <Row gutter={16}>
          <Col span={8}>
            <Form.Item
              name="effectiveFrom"
              label="区域配置生效月份"
              extra={earliest ? `最早 ${monthWords(earliest)}：已月结的月份保持月结时的配置` : '自该月起按新配置计算，之前的月份不变'}
              rules={[
                { required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: '生效月份格式应为 YYYY-MM，如 2026-10' },
                { validator: (_, v: string) => (earliest && v && v < earliest ? Promise.reject(new Error(`${monthWords(earliest)}以前的月份已月结或早于期初，请选 ${earliest} 或以后`)) : Promise.resolve()) },
              ]}
            >
              <Input placeholder="YYYY-MM" style={{ width: 160 }} />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Table
              size="small"
              rowKey="seq"
              pagination={false}
              dataSource={school.profileVersions}
              columns={[
                { title: '生效月份', dataIndex: 'effectiveFrom', render: (m: string | null) => (m ? monthWords(m) : '建账起') },
                { title: '区域配置', dataIndex: 'profileName' },
                { title: '修改人', dataIndex: 'createdByName', render: (n: string | null) => n ?? '首次设置' },
                { title: '修改时间', dataIndex: 'createdAt', render: (t: string) => chinaTime(t) },
              ]}
            />
          </Col>
        </Row>
      </Card>
      <Space>
        <Button type="primary" htmlType="submit" loading={busy}>
          保存设置
        </Button>
        <Button
          onClick={() => {
            setBase(school.profile);
            form.resetFields();
          }}
        >
          还原
        </Button>
      </Space>
    </Form>
  );
}
