import { Select, Space, Spin } from 'antd';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import ReactEChartsModule from 'echarts-for-react/lib/core.js';
import { useEffect, useMemo, useState } from 'react';
import type { PricePoint } from '../../../shared/centre/api.ts';
import { centreCall } from './centreApi.ts';
import { formatFen } from '../../../shared/format.ts';

// The package is CommonJS: TypeScript sees its exports object, the bundler hands over the default export (as antd's
// locale in main.tsx).
type EChartsCore = (typeof ReactEChartsModule)['default'];
const ReactEChartsCore: EChartsCore = (ReactEChartsModule as { default?: EChartsCore }).default ?? (ReactEChartsModule as unknown as EChartsCore);

// Only the parts drawn here (tree-shaken), SVG so the chart stays sharp when printed or zoomed.
echarts.use([LineChart, GridComponent, LegendComponent, TitleComponent, TooltipComponent, SVGRenderer]);

type Item = { item: string; spec: string; unit: string; schools: number };
const keyOf = (i: { item: string; spec: string; unit: string }) => `${i.item}\u0000${i.spec}\u0000${i.unit}`;

/** 食材价格's chart: one item's average unit price by school over the months the centre holds (a line per school). */
export function PriceChart({ month }: { month: string }) {
  const [items, setItems] = useState<Item[] | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [points, setPoints] = useState<PricePoint[] | null>(null);
  useEffect(() => {
    void centreCall('views.items', { month }).then((list) => {
      setItems(list);
      setChosen(list[0] ? keyOf(list[0]) : null);
    });
  }, [month]);
  useEffect(() => {
    const it = items?.find((i) => keyOf(i) === chosen);
    if (!it) return;
    setPoints(null);
    void centreCall('views.priceHistory', { item: it.item, spec: it.spec, unit: it.unit }).then(setPoints);
  }, [items, chosen]);
  const option = useMemo(() => {
    if (!points) return null;
    const months = [...new Set(points.map((p) => p.month))].sort();
    const schools = [...new Map(points.map((p) => [p.schoolCode, p.schoolName])).entries()];
    const it = items?.find((i) => keyOf(i) === chosen);
    return {
      // Drawn at once: nothing moves when the page is printed or captured.
      animation: false,
      title: { text: `${it?.item ?? ''}${it?.spec ? `（${it.spec}）` : ''} 各校平均单价（元/${it?.unit ?? ''}）`, left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => (typeof v === 'number' ? `¥${formatFen(Math.round(v * 100))}` : '—') },
      legend: { bottom: 0, type: 'scroll' as const },
      grid: { left: 60, right: 24, top: 40, bottom: 48 },
      xAxis: { type: 'category' as const, data: months },
      yAxis: { type: 'value' as const, scale: true, axisLabel: { formatter: (v: number) => `¥${formatFen(Math.round(v * 100))}` } },
      series: schools.map(([code, name]) => ({
        name,
        type: 'line' as const,
        connectNulls: false,
        symbolSize: 8,
        showAllSymbol: true,
        // fen → yuan for the axis only; the figures in the table stay integers.
        data: months.map((m) => {
          const p = points.find((x) => x.schoolCode === code && x.month === m);
          return p ? p.avgPriceFen / 100 : null;
        }),
      })),
    };
  }, [points, items, chosen]);
  if (!items) return <Spin />;
  return (
    <div data-testid="price-chart">
      <Space style={{ marginBottom: 8 }}>
        <span>图表食材</span>
        <Select
          showSearch
          style={{ width: 240 }}
          value={chosen}
          onChange={setChosen}
          data-testid="price-chart-item"
          options={items.map((i) => ({ value: keyOf(i), label: `${i.item}${i.spec ? ` ${i.spec}` : ''}（${i.unit}，${i.schools} 校）` }))}
        />
      </Space>
      {option ? <ReactEChartsCore echarts={echarts} option={option} notMerge style={{ height: 300 }} opts={{ renderer: 'svg' }} /> : <Spin />}
    </div>
  );
}
