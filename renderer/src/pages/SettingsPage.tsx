import { Button, Card, Checkbox, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Spin, Switch, Table } from 'antd';
import { useEffect, useState } from 'react';
import type { SchoolInfo } from '../../../shared/api/people.ts';
import { CATEGORIES, CATEGORY_LABELS, NON_FOOD_EXPENSES, NON_FOOD_LABELS } from '../../../shared/domain.ts';
import type { RegionalProfile } from '../../../shared/profile.ts';
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

const days = (label: string, min: number, max: number) => [{ required: true, type: 'integer' as const, min, max, message: `${label}应为 ${min}–${max} 的整数` }];

/** 设置: the school's name and its regional profile (区域配置): every *profile* rule of DOMAIN.md. */
export function SettingsPage() {
  const [form] = Form.useForm<Values>();
  const [school, setSchool] = useState<SchoolInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const setSchoolName = useSession((s) => s.setSchoolName);

  useEffect(() => {
    call('school.get', {}).then(setSchool, showError);
  }, []);
  if (!school) return <Spin />;

  const submit = async (v: Values) => {
    setBusy(true);
    try {
      const notes = v.profile.notes
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
      const saved = await call('school.update', { name: v.name, profile: { ...school.profile, ...v.profile, notes }, effectiveFrom: v.effectiveFrom });
      setSchool(saved);
      form.setFieldsValue({ effectiveFrom: saved.defaultEffectiveFrom });
      setSchoolName(saved.name);
      toast('设置已保存');
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };

  const initial: Values = { name: school.name, profile: { ...school.profile, notes: school.profile.notes.join('\n') }, effectiveFrom: school.defaultEffectiveFrom };
  const earliest = school.earliestEffectiveFrom;
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
            <Form.Item name={['profile', 'allowedNonFood']} label="允许列支的非食材支出">
              <Checkbox.Group options={NON_FOOD_EXPENSES.map((k) => ({ value: k, label: NON_FOOD_LABELS[k] }))} />
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
        <Button onClick={() => form.resetFields()}>还原</Button>
      </Space>
    </Form>
  );
}
