import { Alert, Button, Card, Form, Input, Popconfirm, Select, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CentreItemMapping, CentreSchool, CentreSchoolItemMapping } from '../../../shared/centre/api.ts';
import { centreCall } from './centreApi.ts';

interface MapForm {
  /** Empty: the town-wide mapping; a school's code: that school's own, before the town's. */
  schoolCode?: string;
  item: string;
  spec?: string;
  unit: string;
  toItem: string;
  toSpec?: string;
}

/**
 * 食材对应: which school item (name + spec, in its unit) the centre compares under another name and spec, where schools
 * write the same food differently (大米 / 东北大米). The centre admin adds and removes them; every view reads through them.
 * A mapping for one school (学校 chosen) comes before the town's, which stays every other school's default.
 */

/** The columns both lists share: what a school wrote, what it is compared as, who set it and when. */
const MAPPING_COLUMNS = [
  { title: '学校写的食材', dataIndex: 'item' },
  { title: '规格', dataIndex: 'spec', render: (s: string) => s || '—' },
  { title: '单位', dataIndex: 'unit', width: 70 },
  { title: '按此比较', dataIndex: 'toItem' },
  { title: '规格', key: 'toSpec', dataIndex: 'toSpec', render: (s: string) => s || '—' },
  { title: '设定人', dataIndex: 'mappedBy', width: 100 },
  { title: '设定时间', dataIndex: 'mappedAt', width: 110, render: (t: string) => t.slice(0, 10) },
];

export function ItemMapPage({ canEdit }: { canEdit: boolean }) {
  const [list, setList] = useState<CentreItemMapping[]>([]);
  const [schoolList, setSchoolList] = useState<CentreSchoolItemMapping[]>([]);
  const [schools, setSchools] = useState<CentreSchool[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<MapForm>();
  const load = useCallback(async () => {
    setList(await centreCall('items.mappings', {}));
    setSchoolList(await centreCall('items.schoolMappings', {}));
  }, []);
  useEffect(() => {
    void load();
    void centreCall('schools.list', {}).then(setSchools);
  }, [load]);
  const named = (item: string, spec: string, unit: string) => `${item}${spec ? `（${spec}）` : ''}，${unit}`;
  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await what());
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (v: MapForm) =>
    void run(async () => {
      const m = { item: v.item, spec: v.spec ?? '', unit: v.unit, toItem: v.toItem, toSpec: v.toSpec ?? '' };
      if (v.schoolCode) {
        const r = await centreCall('items.mapSchool', { ...m, schoolCode: v.schoolCode });
        form.resetFields();
        return `已对应（仅${r.schoolName}）：${named(r.item, r.spec, r.unit)} → ${named(r.toItem, r.toSpec, r.unit)}`;
      }
      const r = await centreCall('items.map', m);
      form.resetFields();
      return `已对应：${named(r.item, r.spec, r.unit)} → ${named(r.toItem, r.toSpec, r.unit)}`;
    });
  const removeSchool = (m: CentreSchoolItemMapping) =>
    void run(async () => {
      await centreCall('items.unmapSchool', { schoolCode: m.schoolCode, item: m.item, spec: m.spec, unit: m.unit });
      return `已取消${m.schoolName}的对应：${named(m.item, m.spec, m.unit)}`;
    });
  const remove = (m: CentreItemMapping) =>
    void run(async () => {
      await centreCall('items.unmap', { item: m.item, spec: m.spec, unit: m.unit });
      return `已取消对应：${named(m.item, m.spec, m.unit)}`;
    });
  return (
    <>
      {canEdit && (
        <Card title="纠正食材对应（某校写法不同的同一种食材，按另一名称与规格比较；单位须相同）" style={{ marginBottom: 16 }}>
          <Form form={form} layout="inline" onFinish={submit}>
            <Form.Item label="学校" name="schoolCode">
              <Select
                style={{ width: 150 }}
                allowClear
                placeholder="全镇"
                data-testid="map-school"
                options={schools.map((s) => ({ value: s.code, label: `${s.name}（${s.code}）` }))}
              />
            </Form.Item>
            <Form.Item label="食材" name="item" rules={[{ required: true, message: '请填写学校写的食材名称' }]}>
              <Input style={{ width: 130 }} data-testid="map-item" />
            </Form.Item>
            <Form.Item label="规格" name="spec">
              <Input style={{ width: 90 }} data-testid="map-spec" />
            </Form.Item>
            <Form.Item label="单位" name="unit" rules={[{ required: true, message: '请填写单位' }]}>
              <Input style={{ width: 70 }} data-testid="map-unit" />
            </Form.Item>
            <Form.Item label="按此比较" name="toItem" rules={[{ required: true, message: '请填写对应的食材名称' }]}>
              <Input style={{ width: 130 }} data-testid="map-to-item" />
            </Form.Item>
            <Form.Item label="规格" name="toSpec">
              <Input style={{ width: 90 }} data-testid="map-to-spec" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="map-submit">
              对应
            </Button>
          </Form>
        </Card>
      )}
      {error && <Alert style={{ marginBottom: 12 }} type="error" showIcon message={error} data-testid="map-error" />}
      {done && <Alert style={{ marginBottom: 12 }} type="success" showIcon message={done} data-testid="map-done" />}
      <Table
        size="small"
        rowKey={(m) => `${m.item}\u0000${m.spec}\u0000${m.unit}`}
        pagination={false}
        dataSource={list}
        data-testid="map-list"
        locale={{ emptyText: '没有食材对应：各校的食材按各自的名称与规格比较' }}
        columns={[
          ...MAPPING_COLUMNS,
          ...(canEdit
            ? [{
                title: '',
                key: 'remove',
                width: 90,
                render: (_: unknown, m: CentreItemMapping) => (
                  <Popconfirm title="取消这条对应？" okText="取消对应" cancelText="不" onConfirm={() => remove(m)}>
                    <Button size="small" data-testid={`map-remove-${m.item}`}>
                      取消对应
                    </Button>
                  </Popconfirm>
                ),
              }]
            : []),
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        各校自己的对应（先于全镇的对应）
      </Typography.Title>
      <Table
        size="small"
        rowKey={(m) => `${m.schoolCode}\u0000${m.item}\u0000${m.spec}\u0000${m.unit}`}
        pagination={false}
        dataSource={schoolList}
        data-testid="map-school-list"
        locale={{ emptyText: '没有哪所学校有自己的对应：各校都按全镇的对应比较' }}
        columns={[
          { title: '学校', dataIndex: 'schoolName' },
          ...MAPPING_COLUMNS,
          ...(canEdit
            ? [{
                title: '',
                key: 'remove',
                width: 90,
                render: (_: unknown, m: CentreSchoolItemMapping) => (
                  <Popconfirm title="取消这条本校的对应？" okText="取消对应" cancelText="不" onConfirm={() => removeSchool(m)}>
                    <Button size="small" data-testid={`map-school-remove-${m.schoolCode}-${m.item}`}>
                      取消对应
                    </Button>
                  </Popconfirm>
                ),
              }]
            : []),
        ]}
      />
    </>
  );
}
