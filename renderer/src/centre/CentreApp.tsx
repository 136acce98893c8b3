import { App as AntApp, Button, Card, Form, Input, Layout, Menu, Result, Space, Spin, Tag, Typography } from 'antd';
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { CentreSession, CentreViewName } from '../../../shared/centre/api.ts';
import { CENTRE_ROLE_LABELS, type CentreRole } from '../../../shared/centre/roles.ts';
import { ApiCallError } from '../api.ts';
import { centreCall, onCentreUnauthenticated } from './centreApi.ts';

const EnrolPage = lazy(() => import('./EnrolPage.tsx').then((m) => ({ default: m.EnrolPage })));
const ImportPage = lazy(() => import('./ImportPage.tsx').then((m) => ({ default: m.ImportPage })));
const ViewPage = lazy(() => import('./ViewPage.tsx').then((m) => ({ default: m.ViewPage })));
const UsersPage = lazy(() => import('./UsersPage.tsx').then((m) => ({ default: m.UsersPage })));
const ItemMapPage = lazy(() => import('./ItemMapPage.tsx').then((m) => ({ default: m.ItemMapPage })));
const VerifyPage = lazy(() => import('./VerifyPage.tsx').then((m) => ({ default: m.VerifyPage })));

/** The centre's screens and who sees them (the backend checks again: shared/centre/api.ts `access`). */
const PAGES: { key: string; label: string; roles: readonly CentreRole[]; view?: CentreViewName }[] = [
  { key: 'enrol', label: '学校登记', roles: ['centre_admin', 'centre_reviewer'] },
  { key: 'import', label: '导入上报包', roles: ['centre_admin'] },
  { key: 'submission', label: '报送情况', roles: ['centre_admin', 'centre_reviewer'], view: 'submission' },
  { key: 'surplus', label: '结余率', roles: ['centre_admin', 'centre_reviewer'], view: 'surplus' },
  { key: 'price', label: '食材价格', roles: ['centre_admin', 'centre_reviewer'], view: 'price' },
  { key: 'supplier', label: '供应商', roles: ['centre_admin', 'centre_reviewer'], view: 'supplier' },
  { key: 'inspection', label: '验收', roles: ['centre_admin', 'centre_reviewer'], view: 'inspection' },
  { key: 'foodsafety', label: '食品安全', roles: ['centre_admin', 'centre_reviewer'], view: 'foodsafety' },
  { key: 'itemmap', label: '食材对应', roles: ['centre_admin', 'centre_reviewer'] },
  { key: 'users', label: '中心用户', roles: ['centre_admin'] },
  { key: 'verify', label: '数据校验', roles: ['centre_admin'] },
];

type Phase = { kind: 'loading' } | { kind: 'setup' } | { kind: 'login'; centreName: string | null } | { kind: 'ready'; session: CentreSession } | { kind: 'offline'; problem: string };

const spin = <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;

export function CentreApp() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const load = useCallback(async () => {
    try {
      const st = await centreCall('centre.status', {});
      if (!st.initialized) return setPhase({ kind: 'setup' });
      const me = await centreCall('auth.me', {});
      setPhase(me ? { kind: 'ready', session: me } : { kind: 'login', centreName: st.centreName });
    } catch (e) {
      setPhase({ kind: 'offline', problem: (e as Error).message });
    }
  }, []);
  useEffect(() => {
    void load();
    return onCentreUnauthenticated(() => void load());
  }, [load]);
  useEffect(() => {
    document.title = '镇教育管理中心 · 阳光食堂账本';
  }, []);
  if (phase.kind === 'loading') return spin;
  if (phase.kind === 'offline') return <Result status="error" title="无法打开中心数据库" subTitle={phase.problem} />;
  if (phase.kind === 'setup') return <CentreSetup onDone={(s) => setPhase({ kind: 'ready', session: s })} />;
  if (phase.kind === 'login') return <CentreLogin centreName={phase.centreName} onDone={(s) => setPhase({ kind: 'ready', session: s })} />;
  return <CentreMain session={phase.session} onLogout={() => void centreCall('auth.logout', {}).finally(() => void load())} />;
}

function errorText(e: unknown): string {
  return e instanceof ApiCallError || e instanceof Error ? e.message : String(e);
}

function CentreSetup({ onDone }: { onDone: (s: CentreSession) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { centreName: string; adminUsername: string; adminName: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await centreCall('centre.setup', v));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: '8vh' }}>
      <Card title="建立中心数据库：中心名称与第一位中心管理员" style={{ width: 520 }}>
        <Form layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item label="中心名称" name="centreName" rules={[{ required: true, message: '请填写中心名称' }]}>
            <Input placeholder="如：某某镇教育管理中心" data-testid="centre-setup-name" />
          </Form.Item>
          <Form.Item label="管理员用户名" name="adminUsername" rules={[{ required: true, message: '请填写用户名' }]}>
            <Input data-testid="centre-setup-username" />
          </Form.Item>
          <Form.Item label="管理员姓名" name="adminName" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input data-testid="centre-setup-admin" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请设置密码' }]}>
            <Input.Password data-testid="centre-setup-password" />
          </Form.Item>
          {error && <Typography.Paragraph type="danger">{error}</Typography.Paragraph>}
          <Button type="primary" htmlType="submit" loading={busy} block>
            建立
          </Button>
        </Form>
      </Card>
    </div>
  );
}

function CentreLogin({ centreName, onDone }: { centreName: string | null; onDone: (s: CentreSession) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      onDone(await centreCall('auth.login', v));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ display: 'flex', justifyContent: 'center', paddingTop: '14vh' }}>
      <Card title={`${centreName ?? '镇教育管理中心'} · 登录`} style={{ width: 400 }}>
        <Form layout="vertical" onFinish={(v) => void submit(v)}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, message: '请填写用户名' }]}>
            <Input autoFocus data-testid="centre-login-username" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请填写密码' }]}>
            <Input.Password data-testid="centre-login-password" />
          </Form.Item>
          {error && (
            <Typography.Paragraph type="danger" data-testid="centre-login-error">
              {error}
            </Typography.Paragraph>
          )}
          <Button type="primary" htmlType="submit" loading={busy} block data-testid="centre-login-submit">
            登录
          </Button>
        </Form>
      </Card>
    </div>
  );
}

function CentreMain({ session, onLogout }: { session: CentreSession; onLogout: () => void }) {
  const { message } = AntApp.useApp();
  const pages = PAGES.filter((p) => p.roles.includes(session.role));
  const [key, setKey] = useState(pages.find((p) => p.key === 'submission')?.key ?? pages[0].key);
  const page = pages.find((p) => p.key === key) ?? pages[0];
  let body;
  if (page.key === 'enrol') body = <EnrolPage canEnrol={session.role === 'centre_admin'} />;
  else if (page.key === 'import') body = <ImportPage username={session.username} />;
  else if (page.key === 'users') body = <UsersPage />;
  else if (page.key === 'verify') body = <VerifyPage />;
  else if (page.key === 'itemmap') body = <ItemMapPage canEdit={session.role === 'centre_admin'} />;
  else body = <ViewPage key={page.view} view={page.view!} label={page.label} onError={(m) => void message.error(m)} />;
  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Sider width={180} theme="light" className="no-print">
        <div style={{ padding: '16px 12px', fontWeight: 600 }}>{session.centreName || '镇教育管理中心'}</div>
        <Menu mode="inline" selectedKeys={[page.key]} items={pages.map((p) => ({ key: p.key, label: p.label }))} onClick={(e) => setKey(e.key)} />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="no-print" style={{ background: '#fff', display: 'flex', justifyContent: 'space-between', alignItems: 'center', padding: '0 16px' }}>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {page.label}
          </Typography.Title>
          <Space>
            <span>{session.displayName}</span>
            <Tag>{CENTRE_ROLE_LABELS[session.role]}</Tag>
            <Button onClick={onLogout}>退出</Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 16, overflow: 'auto' }}>
          <Suspense fallback={spin}>{body}</Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
