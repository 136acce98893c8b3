import type { ReactNode } from 'react';
import type { Role } from '../../shared/roles.ts';
import { page } from './lazyPage.tsx';
import { feeRoutes } from './pages/fees/routes.tsx';
import { foodsafetyRoutes } from './pages/foodsafety/routes.tsx';
import { callers } from './session.ts';

export interface AppRoute {
  /** Hash path; a route also serves the paths below it ("/masterdata/suppliers/<id>"): read them with usePath/restOf. */
  path: string;
  /** Menu and page title. */
  label: string;
  /** Side-menu group (one of GROUPS). A group with one visible route shows as a single item, else as a submenu. */
  group: string;
  /**
   * Who sees it in the menu and may open it: `callers(method)` of the method the page reads first (the contract's
   * access, never a role list of the renderer's own); 'any' for every logged-in user.
   */
  roles: readonly Role[] | 'any';
  element: ReactNode;
  /** Reachable by link but not listed in the menu. */
  hidden?: boolean;
  /**
   * Those who open this page many times a day (`callers` of the method they use it for): for them its scripts are
   * loaded in idle time once the window is up (Shell, lazyPage.tsx warmPages), so the first visit does not wait for
   * them. Only for a few daily pages: each costs its parse and run at every start.
   */
  warm?: readonly Role[] | 'any';
}

/** The side menu's top-level entries, in order: organised by task. */
export const GROUPS = ['首页', '验收入库', '库房', '伙食费', '食品安全', '月结与公示', '基础资料', '审计', '设置'] as const;

/**
 * Every page of the main window. Feature work appends its routes here (or replaces a placeholder) — one line each.
 */
export const routes: AppRoute[] = [
  { path: '/', label: '首页', group: '首页', roles: 'any', element: page(() => import('./pages/HomePage.tsx'), (m) => m.HomePage) },
  { path: '/receiving', label: '验收入库', group: '验收入库', roles: callers('receiving.list'), element: page(() => import('./pages/receiving/ReceivingPage.tsx'), (m) => m.ReceivingPage), warm: callers('receiving.saveDraft') },
  { path: '/storeroom', label: '库房', group: '库房', roles: callers('storeroom.lots'), element: page(() => import('./pages/storeroom/StoreroomPage.tsx'), (m) => m.StoreroomPage) },
  ...feeRoutes,
  ...foodsafetyRoutes,
  { path: '/closing', label: '月结与公示', group: '月结与公示', roles: callers('monthclose.list'), element: page(() => import('./pages/monthclose/MonthClosePage.tsx'), (m) => m.MonthClosePage) },
  { path: '/closing/opening', label: '期初建账', group: '月结与公示', roles: callers('opening.get'), element: page(() => import('./pages/monthclose/OpeningPage.tsx'), (m) => m.OpeningPage) },
  { path: '/masterdata/suppliers', label: '供应商', group: '基础资料', roles: callers('suppliers.search'), element: page(() => import('./pages/masterdata/SuppliersPage.tsx'), (m) => m.SuppliersPage) },
  { path: '/masterdata/ingredients', label: '食材', group: '基础资料', roles: callers('ingredients.search'), element: page(() => import('./pages/masterdata/IngredientsPage.tsx'), (m) => m.IngredientsPage) },
  { path: '/masterdata/users', label: '用户', group: '基础资料', roles: callers('users.list'), element: page(() => import('./pages/masterdata/UsersPage.tsx'), (m) => m.UsersPage) },
  { path: '/audit', label: '审计', group: '审计', roles: callers('audit.list'), element: page(() => import('./pages/AuditPage.tsx'), (m) => m.AuditPage) },
  { path: '/settings', label: '设置', group: '设置', roles: callers('school.update'), element: page(() => import('./pages/SettingsPage.tsx'), (m) => m.SettingsPage) },
  { path: '/maintenance/backup', label: '备份与校验', group: '设置', roles: callers('integrity.verify'), element: page(() => import('./pages/maintenance/BackupPage.tsx'), (m) => m.BackupPage) },
  { path: '/password', label: '修改密码', group: '设置', roles: 'any', element: page(() => import('./pages/ChangePasswordPage.tsx'), (m) => m.ChangePasswordPage), hidden: true },
  { path: '/about', label: '关于', group: '设置', roles: 'any', element: page(() => import('./pages/About.tsx'), (m) => m.AboutPage) },
];
