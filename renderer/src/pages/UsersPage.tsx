import { Button, Checkbox, Form, Input, Modal, Popconfirm, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { UserRow } from '../../../shared/api/people.ts';
import { ROLES, ROLE_LABELS, type Role } from '../../../shared/roles.ts';
import { call } from '../api.ts';
import { enterToNext } from '../components/enterToNext.ts';
import { showError, toast } from '../feedback.ts';
import { chinaTime } from '../labels.ts';
import { useSession } from '../session.ts';

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

type Dialog = { kind: 'create' } | { kind: 'edit'; user: UserRow } | { kind: 'password'; user: UserRow } | null;

/** 用户: the administrator creates accounts, assigns roles, disables leavers and resets forgotten passwords. */
export function UsersPage() {
  const me = useSession((s) => s.session);
  const [rows, setRows] = useState<UserRow[]>([]);
  const [loading, setLoading] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [q, setQ] = useState('');
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('users.list', { q }));
    } catch (e) {
      showError(e);
    } finally {
      setLoading(false);
    }
  }, [q]);
  useEffect(() => void load(), [load]);

  const setDisabled = async (u: UserRow, disabled: boolean) => {
    try {
      await call('users.setDisabled', { id: u.id, disabled });
      toast(disabled ? `已停用 ${u.displayName}` : `已启用 ${u.displayName}`);
      void load();
    } catch (e) {
      showError(e);
    }
  };
  const close = (saved: boolean) => {
    setDialog(null);
    if (saved) void load();
  };

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setDialog({ kind: 'create' })}>
          新增用户
        </Button>
        <Input.Search allowClear placeholder="姓名、用户名或拼音首字母" style={{ width: 240 }} onSearch={setQ} onChange={(e) => setQ(e.target.value)} data-testid="user-search" />
      </Space>
      <Table<UserRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={false}
        data-testid="user-table"
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'roles', render: (rs: Role[]) => rs.map((r) => <Tag key={r}>{ROLE_LABELS[r]}</Tag>) },
          { title: '状态', dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag>已停用</Tag> : <Tag color="green">在用</Tag>) },
          { title: '创建时间', dataIndex: 'createdAt', render: chinaTime },
          {
            title: '操作',
            key: 'ops',
            render: (_: unknown, u: UserRow) => (
              <Space size={0}>
                <Button size="small" type="link" onClick={() => setDialog({ kind: 'edit', user: u })}>
                  编辑
                </Button>
                <Button size="small" type="link" onClick={() => setDialog({ kind: 'password', user: u })}>
                  重置密码
                </Button>
                {u.id !== me?.userId && (
                  <Popconfirm title={u.disabled ? `启用 ${u.displayName}？` : `停用后 ${u.displayName} 将不能登录，确定停用？`} onConfirm={() => setDisabled(u, !u.disabled)} okText="确定" cancelText="取消">
                    <Button size="small" type="link" danger={!u.disabled}>
                      {u.disabled ? '启用' : '停用'}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
      {dialog?.kind === 'create' && <UserForm user={null} onClose={close} />}
      {dialog?.kind === 'edit' && <UserForm user={dialog.user} onClose={close} />}
      {dialog?.kind === 'password' && <ResetPassword user={dialog.user} onClose={close} />}
    </>
  );
}

interface UserValues {
  username: string;
  displayName: string;
  roles: Role[];
  password: string;
}

function UserForm({ user, onClose }: { user: UserRow | null; onClose: (saved: boolean) => void }) {
  const [form] = Form.useForm<UserValues>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: UserValues) => {
    setBusy(true);
    try {
      if (user) await call('users.update', { id: user.id, displayName: v.displayName, roles: v.roles });
      else await call('users.create', { username: v.username, displayName: v.displayName, roles: v.roles, password: v.password });
      toast(user ? '用户已保存' : '用户已新增');
      onClose(true);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={user ? `编辑用户：${user.username}` : '新增用户'} onCancel={() => onClose(false)} footer={null} destroyOnHidden mask={{ closable: false }}>
      <Form
        form={form}
        layout="vertical"
        initialValues={user ? { username: user.username, displayName: user.displayName, roles: user.roles } : { roles: [] }}
        onFinish={submit}
        onKeyDownCapture={enterToNext}
        data-testid="user-form"
      >
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请填写用户名' }, { pattern: /^[A-Za-z0-9_.-]{2,32}$/, message: '用户名为 2–32 位字母、数字、下划线、点或横线' }]}>
          <Input autoFocus={!user} disabled={!!user} autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}>
          <Input autoFocus={!!user} />
        </Form.Item>
        <Form.Item name="roles" label="角色" rules={[{ required: true, type: 'array', min: 1, message: '至少选择一个角色' }]}>
          <Checkbox.Group options={ROLE_OPTIONS} />
        </Form.Item>
        {!user && (
          <Form.Item name="password" label="初始密码" rules={[{ required: true, message: '请设置初始密码' }, { min: 8, message: '密码至少 8 位' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            保存
          </Button>
          <Button onClick={() => onClose(false)}>取消</Button>
        </Space>
      </Form>
    </Modal>
  );
}

function ResetPassword({ user, onClose }: { user: UserRow; onClose: (saved: boolean) => void }) {
  const [form] = Form.useForm<{ password: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { password: string }) => {
    setBusy(true);
    try {
      await call('users.resetPassword', { id: user.id, password: v.password });
      toast(`已重置 ${user.displayName} 的密码`);
      onClose(false);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title={`重置密码：${user.displayName}（${user.username}）`} onCancel={() => onClose(false)} footer={null} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} onKeyDownCapture={enterToNext}>
        <Form.Item name="password" label="新密码" rules={[{ required: true, message: '请输入新密码' }, { min: 8, message: '密码至少 8 位' }]}>
          <Input.Password autoFocus autoComplete="new-password" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            重置
          </Button>
          <Button onClick={() => onClose(false)}>取消</Button>
        </Space>
      </Form>
    </Modal>
  );
}
