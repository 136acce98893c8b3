import { Tabs } from 'antd';
import { navigate, restOf, usePath } from '../../router.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { useRoles } from '../../session.ts';
import { BASE } from './common.tsx';
import { CostTab } from './CostTab.tsx';
import { CountPrint, CountTab } from './CountTab.tsx';
import { IssueTab } from './IssueTab.tsx';
import { StockTab } from './StockTab.tsx';
import { TraceTab } from './TraceTab.tsx';

/**
 * 库房: stock on hand (/storeroom), 出库 (/storeroom/issue), 盘点 (/storeroom/count, its A4 sheet at
 * /storeroom/count/print), 分类成本 (/storeroom/cost) and the trace (/storeroom/trace, a lot at /storeroom/trace/<id>).
 * The parent representative sees the trace only.
 */
export function StoreroomPage() {
  const roles = useRoles();
  // Stock, issues, the count and costs are the staff's; the parent representative reads the trace only.
  const staff = canCall('storeroom.stock', roles);
  const [first, second] = restOf(BASE, usePath()).split('/');
  const tab = staff ? (['issue', 'count', 'cost', 'trace'].includes(first) ? first : 'stock') : 'trace';
  if (tab === 'count' && second === 'print') return <CountPrint />;
  const items = [
    ...(staff
      ? [
          { key: 'stock', label: '库存', children: tab === 'stock' ? <StockTab /> : null },
          { key: 'issue', label: '出库', children: tab === 'issue' ? <IssueTab /> : null },
          { key: 'count', label: '盘点', children: tab === 'count' ? <CountTab /> : null },
          { key: 'cost', label: '分类成本', children: tab === 'cost' ? <CostTab /> : null },
        ]
      : []),
    { key: 'trace', label: '追溯', children: tab === 'trace' ? <TraceTab lotId={first === 'trace' && second ? second : null} /> : null },
  ];
  return <Tabs activeKey={tab} onChange={(k) => navigate(k === 'stock' ? BASE : `${BASE}/${k}`)} items={items} />;
}
