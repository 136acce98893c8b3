import { Alert, Button, Card, Form, Input, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CentreSchool } from '../../../shared/centre/api.ts';
import { centreCall } from './centreApi.ts';

/** 学校登记: the enrolled schools, and (centre admin) a school's code, name and key fingerprint from its enrolment sheet. */
export function EnrolPage({ canEnrol }: { canEnrol: boolean }) {
  const [schools, setSchools] = useState<CentreSchool[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ code: string; name: string; fingerprint: string }>();
  const load = useCallback(async () => setSchools(await centreCall('schools.list', {})), []);
  useEffect(() => {
    void load();
  }, [load]);
  const submit = async (v: { code: string; name: string; fingerprint: string }) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const r = await centreCall('schools.enrol', v);
      setDone(`${r.replaced ? '已更新登记' : '已登记'}：${r.code} ${r.name}，公钥指纹 ${r.fingerprint}`);
      form.resetFields();
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {canEnrol && (
        <Card title="登记学校（按学校交来的登记表填写）" style={{ marginBottom: 16 }}>
          <Form form={form} layout="inline" onFinish={(v) => void submit(v)}>
            <Form.Item label="学校代码" name="code" rules={[{ required: true, message: '请填写学校代码' }]}>
              <Input style={{ width: 150 }} data-testid="enrol-code" />
            </Form.Item>
            <Form.Item label="学校名称" name="name" rules={[{ required: true, message: '请填写学校名称' }]}>
              <Input style={{ width: 180 }} data-testid="enrol-name" />
            </Form.Item>
            <Form.Item label="公钥指纹" name="fingerprint" rules={[{ required: true, message: '请填写公钥指纹' }]}>
              <Input style={{ width: 420 }} placeholder="16 组、每组 4 位" data-testid="enrol-fingerprint" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="enrol-submit">
              登记
            </Button>
          </Form>
          {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} data-testid="enrol-error" />}
          {done && <Alert style={{ marginTop: 12 }} type="success" showIcon message={done} data-testid="enrol-done" />}
        </Card>
      )}
      <Table
        size="small"
        rowKey="code"
        pagination={false}
        dataSource={schools}
        data-testid="enrol-list"
        columns={[
          { title: '学校代码', dataIndex: 'code', width: 130 },
          { title: '学校', dataIndex: 'name' },
          { title: '公钥指纹', dataIndex: 'fingerprint', render: (f: string) => <code style={{ fontSize: 12 }}>{f}</code> },
          { title: '已收上报包', dataIndex: 'packages', width: 100, align: 'right' },
          { title: '最近月份', dataIndex: 'lastMonth', width: 100, render: (m: string | null) => m ?? '—' },
          { title: '登记时间', dataIndex: 'enrolledAt', width: 120, render: (t: string) => t.slice(0, 10) },
        ]}
      />
    </>
  );
}
