import { Alert, Button, Card, Form, Input, Select, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { CentreUser } from '../../../shared/centre/api.ts';
import { CENTRE_ROLE_LABELS, CENTRE_ROLES, type CentreRole } from '../../../shared/centre/roles.ts';
import { centreCall } from './centreApi.ts';

/** 中心用户 (centre admin): who may log in to the centre, as centre admin or centre reviewer. */
export function UsersPage() {
  const [users, setUsers] = useState<CentreUser[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ username: string; displayName: string; role: CentreRole; password: string }>();
  const load = useCallback(async () => setUsers(await centreCall('users.list', {})), []);
  useEffect(() => {
    void load();
  }, [load]);
  const submit = async (v: { username: string; displayName: string; role: CentreRole; password: string }) => {
    setError(null);
    try {
      await centreCall('users.create', v);
      form.resetFields();
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <>
      <Card title="新增中心用户" style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" initialValues={{ role: 'centre_reviewer' }} onFinish={(v) => void submit(v)}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请填写用户名' }]}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item label="姓名" name="displayName" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Form.Item label="角色" name="role">
            <Select style={{ width: 130 }} options={CENTRE_ROLES.map((r) => ({ value: r, label: CENTRE_ROLE_LABELS[r] }))} />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请设置密码' }]}>
            <Input.Password style={{ width: 150 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit">
            新增
          </Button>
        </Form>
        {error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={error} />}
      </Card>
      <Table
        size="small"
        rowKey="username"
        pagination={false}
        dataSource={users}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'role', render: (r: CentreRole) => <Tag>{CENTRE_ROLE_LABELS[r]}</Tag> },
          { title: '状态', dataIndex: 'disabled', render: (d: boolean) => (d ? '已停用' : '在用') },
          { title: '建立时间', dataIndex: 'createdAt', render: (t: string) => t.slice(0, 10) },
        ]}
      />
    </>
  );
}
