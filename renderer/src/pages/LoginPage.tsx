import { Button, Form, Input } from 'antd';
import { useState } from 'react';
import { call } from '../api.ts';
import { enterToNext } from '../components/enterToNext.ts';
import { showError } from '../feedback.ts';
import { useSession } from '../session.ts';
import { CenteredCard } from './CenteredCard.tsx';

export function LoginPage() {
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [busy, setBusy] = useState(false);
  const signedIn = useSession((s) => s.signedIn);
  const schoolName = useSession((s) => s.schoolName);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    try {
      signedIn(await call('auth.login', { username: v.username, password: v.password }));
      window.location.hash = '#/';
    } catch (e) {
      form.setFieldValue('password', '');
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <CenteredCard title={schoolName ? `${schoolName} · 登录` : '登录'}>
      <Form form={form} layout="vertical" onFinish={submit} onKeyDownCapture={enterToNext} requiredMark={false}>
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
          <Input autoFocus autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          登录
        </Button>
      </Form>
    </CenteredCard>
  );
}
