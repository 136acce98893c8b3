import type { ReactNode } from 'react';
import { STAFF, type Role } from '../../shared/roles.ts';
import { AboutPage } from './pages/About.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { BackupPage } from './pages/maintenance/BackupPage.tsx';
import { ChangePasswordPage } from './pages/ChangePasswordPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { IngredientsPage } from './pages/IngredientsPage.tsx';
import { feeRoutes } from './pages/fees/routes.tsx';
import { MonthClosePage } from './pages/monthclose/MonthClosePage.tsx';
import { ReceivingPage } from './pages/receiving/ReceivingPage.tsx';
import { StoreroomPage } from './pages/storeroom/StoreroomPage.tsx';
import { SettingsPage } from './pages/SettingsPage.tsx';
import { SuppliersPage } from './pages/SuppliersPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';

export interface AppRoute {
  /** Hash path; a route also serves the paths below it ("/masterdata/suppliers/<id>"): read them with usePath/restOf. */
  path: string;
  /** Menu and page title. */
  label: string;
  /** Side-menu group (one of GROUPS). A group with one visible route shows as a single item, else as a submenu. */
  group: string;
  /** Who sees it in the menu and may open it; mirror the `access` of the API methods the page calls. */
  roles: readonly Role[] | 'any';
  element: ReactNode;
  /** Reachable by link but not listed in the menu. */
  hidden?: boolean;
}

/** The side menu's top-level entries, in order: organised by task. */
export const GROUPS = ['首页', '验收入库', '库房', '伙食费', '月结与公示', '基础资料', '审计', '设置'] as const;

/**
 * Every page of the main window. Feature work appends its routes here (or replaces a placeholder) — one line each.
 */
export const routes: AppRoute[] = [
  { path: '/', label: '首页', group: '首页', roles: 'any', element: <HomePage /> },
  { path: '/receiving', label: '验收入库', group: '验收入库', roles: ['admin', 'storekeeper', 'accountant', 'reviewer', 'parent'], element: <ReceivingPage /> },
  { path: '/storeroom', label: '库房', group: '库房', roles: ['admin', 'storekeeper', 'accountant', 'reviewer', 'parent'], element: <StoreroomPage /> },
  ...feeRoutes,
  { path: '/closing', label: '月结与公示', group: '月结与公示', roles: ['admin', 'accountant', 'reviewer', 'parent'], element: <MonthClosePage /> },
  { path: '/masterdata/suppliers', label: '供应商', group: '基础资料', roles: STAFF, element: <SuppliersPage /> },
  { path: '/masterdata/ingredients', label: '食材', group: '基础资料', roles: STAFF, element: <IngredientsPage /> },
  { path: '/masterdata/users', label: '用户', group: '基础资料', roles: ['admin'], element: <UsersPage /> },
  { path: '/audit', label: '审计', group: '审计', roles: ['admin', 'accountant', 'reviewer'], element: <AuditPage /> },
  { path: '/settings', label: '设置', group: '设置', roles: ['admin'], element: <SettingsPage /> },
  { path: '/maintenance/backup', label: '备份与校验', group: '设置', roles: ['admin', 'accountant', 'reviewer'], element: <BackupPage /> },
  { path: '/password', label: '修改密码', group: '设置', roles: 'any', element: <ChangePasswordPage />, hidden: true },
  { path: '/about', label: '关于', group: '设置', roles: 'any', element: <AboutPage /> },
];
