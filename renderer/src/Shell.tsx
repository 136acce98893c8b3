import { App as AntApp, Button, Dropdown, Layout, Menu, Result, Space, Spin, Tag, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { ROLE_LABELS } from '../../shared/roles.ts';
import { onUnauthenticated } from './api.ts';
import { feedback } from './feedback.ts';
import { preloadPage, warmPages } from './lazyPage.tsx';
import { currentPath, matches, navigate, usePath } from './router.ts';
import { GROUPS, routes, type AppRoute } from './routes.tsx';
import { allowed, useSession } from './session.ts';

// Loaded when shown (most starts are already logged in), like the pages in routes.tsx.
const LoginPage = lazy(() => import('./pages/LoginPage.tsx').then((m) => ({ default: m.LoginPage })));
const SetupPage = lazy(() => import('./pages/SetupPage.tsx').then((m) => ({ default: m.SetupPage })));
// 现场填写 (issue 17): while the login is in a kiosk session the window is the parents' survey page and nothing else.
const KioskPage = lazy(() => import('./pages/foodsafety/KioskPage.tsx').then((m) => ({ default: m.KioskPage })));

/** Shown while a page's chunk loads (a few ms from the app's own files). */
const loadingPage = <Spin size="large" style={{ display: 'block', marginTop: '30vh' }} />;

/** Binds antd's context-aware message/notification/modal for code outside components (see feedback.ts). */
function FeedbackBinder() {
  const { message, notification, modal } = AntApp.useApp();
  feedback.message = message;
  feedback.notification = notification;
  feedback.modal = modal;
  return null;
}

export function Shell() {
  const phase = useSession((s) => s.phase);
  const problem = useSession((s) => s.problem);
  const load = useSession((s) => s.load);
  const lost = useSession((s) => s.lost);
  const kiosk = useSession((s) => s.session?.kiosk);
  useEffect(() => {
    void load();
    return onUnauthenticated(() => {
      feedback.message?.warning('登录已失效，请重新登录');
      lost();
    });
  }, [load, lost]);

  let body;
  if (phase === 'loading') body = loadingPage;
  else if (phase === 'offline') body = <Result status="error" title="无法打开账本" subTitle={problem} />;
  else if (phase === 'setup') body = <SetupPage />;
  else if (phase === 'login') body = <LoginPage />;
  else if (kiosk) body = <KioskPage />;
  else body = <MainWindow />;
  return (
    <>
      <FeedbackBinder />
      <Suspense fallback={loadingPage}>{body}</Suspense>
    </>
  );
}

/** The route serving `path`: the longest matching route path wins. */
function findRoute(path: string): AppRoute | undefined {
  return routes.filter((r) => matches(r.path, path)).sort((a, b) => b.path.length - a.path.length)[0];
}

// The page the window opens on starts loading now, alongside the session check (a failed load shows when rendered).
void preloadPage(findRoute(currentPath())?.element);

function MainWindow() {
  const session = useSession((s) => s.session)!;
  const schoolName = useSession((s) => s.schoolName);
  const logout = useSession((s) => s.logout);
  const path = usePath();
  const route = findRoute(path);
  const mine = session.roles;
  useEffect(() => {
    document.title = `${route?.label ?? '阳光食堂账本'} · ${schoolName ?? ''} · 阳光食堂账本`;
  }, [route, schoolName]);
  // The daily pages this person may open load in idle time once the page on screen has loaded (routes.tsx `warm`).
  useEffect(() => {
    const warm = routes.filter((r) => r.warm && allowed(r.warm, mine) && allowed(r.roles, mine)).map((r) => r.element);
    return warm.length ? warmPages(findRoute(currentPath())?.element, warm) : undefined;
  }, [mine]);

  const items: MenuProps['items'] = useMemo(() => {
    const groups = [...GROUPS, ...new Set(routes.map((r) => r.group).filter((g) => !(GROUPS as readonly string[]).includes(g)))];
    return groups.flatMap((g) => {
      const visible = routes.filter((r) => r.group === g && !r.hidden && allowed(r.roles, mine));
      if (visible.length === 0) return [];
      if (visible.length === 1) return [{ key: visible[0].path, label: visible[0].label }];
      return [{ key: `group:${g}`, label: g, children: visible.map((r) => ({ key: r.path, label: r.label })) }];
    });
  }, [mine]);
  const openKeys = useMemo(() => GROUPS.map((g) => `group:${g}`), []);

  let content;
  if (!route) content = <Result status="404" title="找不到此页面" extra={<Button onClick={() => navigate('/')}>回到首页</Button>} />;
  else if (!allowed(route.roles, mine)) content = <Result status="403" title="您的角色无权打开此页面" extra={<Button onClick={() => navigate('/')}>回到首页</Button>} />;
  else
    content = (
      <>
        <Typography.Title level={4} style={{ marginTop: 0 }}>
          {route.label}
        </Typography.Title>
        {/* keyed by route: a page still loading is not shown under the next one's title */}
        <Suspense key={route.path} fallback={<Spin style={{ display: 'block', marginTop: 48 }} />}>
          {route.element}
        </Suspense>
      </>
    );

  const userMenu: MenuProps = {
    items: [
      { key: 'password', label: '修改密码' },
      { key: 'logout', label: '退出登录' },
    ],
    onClick: ({ key }) => {
      if (key === 'password') navigate('/password');
      if (key === 'logout') void logout();
    },
  };

  return (
    <Layout style={{ height: '100%' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', padding: '0 20px', background: '#fff', borderBottom: '1px solid #f0f0f0' }}>
        <Space size="middle">
          <Typography.Text strong style={{ fontSize: 18, color: '#d4380d' }}>
            阳光食堂账本
          </Typography.Text>
          <Typography.Text type="secondary" data-testid="school-name">
            {schoolName}
          </Typography.Text>
        </Space>
        <Space>
          {mine.map((r) => (
            <Tag key={r}>{ROLE_LABELS[r]}</Tag>
          ))}
          <Dropdown menu={userMenu} trigger={['click']}>
            <Button type="text" data-testid="user-menu">
              {session.displayName}（{session.username}）▾
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={190} theme="light" style={{ borderRight: '1px solid #f0f0f0', overflow: 'auto' }}>
          <Menu
            mode="inline"
            data-testid="side-menu"
            items={items}
            selectedKeys={route ? [route.path] : []}
            defaultOpenKeys={openKeys}
            onClick={({ key }) => navigate(key)}
            style={{ borderRight: 0 }}
          />
        </Layout.Sider>
        <Layout.Content style={{ padding: 20, overflow: 'auto', background: '#fafafa' }}>{content}</Layout.Content>
      </Layout>
    </Layout>
  );
}
