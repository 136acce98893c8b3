import { Button, Form, Input } from 'antd';
import { call } from '../api.ts';
import { enterToNext } from '../components/enterToNext.ts';
import { useSession } from '../session.ts';
import { CenteredCard } from './CenteredCard.tsx';
import { useSubmit } from '../components/FormDialog.tsx';

interface Values {
  schoolName: string;
  adminUsername: string;
  adminName: string;
  password: string;
  password2: string;
}

/** First run: the ledger is empty; create the school and its first administrator, who is then logged in. */
export function SetupPage() {
  const [form] = Form.useForm<Values>();
  const signedIn = useSession((s) => s.signedIn);
  const [busy, submit] = useSubmit(async (v: Values) => {
    signedIn(await call('setup.init', { schoolName: v.schoolName, adminUsername: v.adminUsername, adminName: v.adminName, password: v.password }));
  }, form);
  return (
    <CenteredCard title="首次使用：建立账本" subtitle="填写学校名称和系统管理员账号。之后可在“设置”中修改区域配置。">
      <Form form={form} layout="vertical" onFinish={submit} onKeyDownCapture={enterToNext} requiredMark={false}>
        <Form.Item name="schoolName" label="学校名称" rules={[{ required: true, whitespace: true, message: '请填写学校名称' }, { max: 60, message: '学校名称不能超过 60 个字' }]}>
          <Input autoFocus placeholder="如：阳光实验小学" />
        </Form.Item>
        <Form.Item name="adminUsername" label="管理员用户名" rules={[{ required: true, message: '请填写用户名' }, { pattern: /^[A-Za-z0-9_.-]{2,32}$/, message: '用户名为 2–32 位字母、数字、下划线、点或横线' }]}>
          <Input placeholder="如：admin" autoComplete="username" />
        </Form.Item>
        <Form.Item name="adminName" label="管理员姓名" rules={[{ required: true, whitespace: true, message: '请填写管理员姓名' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label="密码" rules={[{ required: true, message: '请设置密码' }, { min: 8, message: '密码至少 8 位' }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="password2"
          label="再次输入密码"
          dependencies={['password']}
          rules={[
            { required: true, message: '请再次输入密码' },
            ({ getFieldValue }) => ({
              validator: (_r, v) => (!v || getFieldValue('password') === v ? Promise.resolve() : Promise.reject(new Error('两次输入的密码不一致'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          建立账本并登录
        </Button>
      </Form>
    </CenteredCard>
  );
}
