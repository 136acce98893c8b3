import { page } from '../../lazyPage.tsx';
import type { AppRoute } from '../../routes.tsx';
import { callers } from '../../session.ts';

/** The 伙食费 menu: each page opens for who may call the method it reads (writing controls ask canCall too). */
export const feeRoutes: AppRoute[] = [
  { path: '/fees/collect', label: '收费', group: '伙食费', roles: callers('fees.quote'), element: page(() => import('./CollectPage.tsx'), (m) => m.CollectPage) },
  { path: '/fees/receipts', label: '收据', group: '伙食费', roles: callers('receipts.list'), element: page(() => import('./ReceiptsPage.tsx'), (m) => m.ReceiptsPage) },
  { path: '/fees/refunds', label: '退费', group: '伙食费', roles: callers('refunds.list'), element: page(() => import('./RefundsPage.tsx'), (m) => m.RefundsPage) },
  { path: '/fees/subsidy', label: '营养改善计划', group: '伙食费', roles: callers('subsidy.summary'), element: page(() => import('./SubsidyPage.tsx'), (m) => m.SubsidyPage) },
  { path: '/fees/clearing', label: '日清', group: '伙食费', roles: callers('clearing.status'), element: page(() => import('./ClearingPage.tsx'), (m) => m.ClearingPage) },
  { path: '/fees/arrears', label: '欠费与明细', group: '伙食费', roles: callers('fees.arrears'), element: page(() => import('./ArrearsPage.tsx'), (m) => m.ArrearsPage) },
  { path: '/fees/students', label: '学生与标准', group: '伙食费', roles: callers('students.list'), element: page(() => import('./StudentsPage.tsx'), (m) => m.StudentsPage) },
];
