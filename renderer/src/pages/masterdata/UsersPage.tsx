import { Button, Checkbox, Form, Input, Tag } from 'antd';
import { useState } from 'react';
import { canCall } from '../../../../shared/access.generated.ts';
import type { UserRow } from '../../../../shared/api/people.ts';
import { ROLES, ROLE_LABELS, type Role } from '../../../../shared/roles.ts';
import { call } from '../../api.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { toast } from '../../feedback.ts';
import { chinaTime } from '../../labels.ts';
import { useSession } from '../../session.ts';
import { MasterDataPage, pageOf, type ListQuery } from './MasterDataPage.tsx';

const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

const query = async (p: ListQuery) => pageOf(await call('users.list', { q: p.q }), p);
const setDisabled = async (u: UserRow, disabled: boolean) => void (await call('users.setDisabled', { id: u.id, disabled }));

/** 用户: the administrator creates accounts, assigns roles, disables leavers and resets forgotten passwords. */
export function UsersPage() {
  const me = useSession((s) => s.session);
  const [resetting, setResetting] = useState<UserRow | null>(null);
  return (
    <MasterDataPage<UserRow>
      base="/masterdata/users"
      noun="用户"
      testId="user"
      searchPlaceholder="姓名、用户名或拼音首字母"
      disabledFilter={false}
      query={query}
      canEdit={canCall('users.update', me?.roles ?? [])}
      setDisabled={setDisabled}
      canToggle={(u) => u.id !== me?.userId}
      disableQuestion={(u) => `停用后 ${u.displayName} 将不能登录，确定停用？`}
      toggled={(u, disabled) => (disabled ? `已停用 ${u.displayName}` : `已启用 ${u.displayName}`)}
      actions={(u) => (
        <Button size="small" type="link" onClick={() => setResetting(u)}>
          重置密码
        </Button>
      )}
      columns={[
        { title: '用户名', dataIndex: 'username' },
        { title: '姓名', dataIndex: 'displayName' },
        { title: '角色', dataIndex: 'roles', render: (rs: Role[]) => rs.map((r) => <Tag key={r}>{ROLE_LABELS[r]}</Tag>) },
        { title: '创建时间', dataIndex: 'createdAt', render: chinaTime },
      ]}
      form={(user, _readOnly, close) => <UserForm user={user} onClose={close} />}
    >
      {resetting && <ResetPassword user={resetting} onClose={() => setResetting(null)} />}
    </MasterDataPage>
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
  const submit = async (v: UserValues) => {
    if (user) await call('users.update', { id: user.id, displayName: v.displayName, roles: v.roles });
    else await call('users.create', { username: v.username, displayName: v.displayName, roles: v.roles, password: v.password });
    toast(user ? '用户已保存' : '用户已新增');
    onClose(true);
  };
  return (
    <FormDialog<UserValues>
      title={user ? `编辑用户：${user.username}` : '新增用户'}
      form={form}
      layout="vertical"
      initialValues={user ? { username: user.username, displayName: user.displayName, roles: user.roles } : { roles: [] }}
      onSubmit={submit}
      onCancel={() => onClose(false)}
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
    </FormDialog>
  );
}

function ResetPassword({ user, onClose }: { user: UserRow; onClose: () => void }) {
  const [form] = Form.useForm<{ password: string }>();
  const submit = async (v: { password: string }) => {
    await call('users.resetPassword', { id: user.id, password: v.password });
    toast(`已重置 ${user.displayName} 的密码`);
    onClose();
  };
  return (
    <FormDialog<{ password: string }>
      title={`重置密码：${user.displayName}（${user.username}）`}
      form={form}
      layout="vertical"
      keepOnMaskClick={false}
      submitLabel="重置"
      onSubmit={submit}
      onCancel={onClose}
    >
      <Form.Item name="password" label="新密码" rules={[{ required: true, message: '请输入新密码' }, { min: 8, message: '密码至少 8 位' }]}>
        <Input.Password autoFocus autoComplete="new-password" />
      </Form.Item>
    </FormDialog>
  );
}
