import type { AppRoute } from '../../routes.tsx';
import { FEE_READERS } from '../../../../shared/api/fees.ts';
import { ArrearsPage } from './ArrearsPage.tsx';
import { ClearingPage } from './ClearingPage.tsx';
import { CollectPage } from './CollectPage.tsx';
import { ReceiptsPage } from './ReceiptsPage.tsx';
import { RefundsPage } from './RefundsPage.tsx';
import { StudentsPage } from './StudentsPage.tsx';
import { SubsidyPage } from './SubsidyPage.tsx';

/** The 伙食费 menu: roles mirror the API (readers see every page; writing controls show for 出纳 and 会计 only). */
export const feeRoutes: AppRoute[] = [
  { path: '/fees/collect', label: '收费', group: '伙食费', roles: FEE_READERS, element: <CollectPage /> },
  { path: '/fees/receipts', label: '收据', group: '伙食费', roles: FEE_READERS, element: <ReceiptsPage /> },
  { path: '/fees/refunds', label: '退费', group: '伙食费', roles: FEE_READERS, element: <RefundsPage /> },
  { path: '/fees/subsidy', label: '营养改善计划', group: '伙食费', roles: FEE_READERS, element: <SubsidyPage /> },
  { path: '/fees/clearing', label: '日清', group: '伙食费', roles: FEE_READERS, element: <ClearingPage /> },
  { path: '/fees/arrears', label: '欠费与明细', group: '伙食费', roles: FEE_READERS, element: <ArrearsPage /> },
  { path: '/fees/students', label: '学生与标准', group: '伙食费', roles: FEE_READERS, element: <StudentsPage /> },
];
