import { Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { canCall } from '../../../../shared/access.generated.ts';
import type { CompositionView } from '../../../../shared/api/menus.ts';
import { chinaDateTime } from '../../../../shared/calendar.ts';
import { NUTRIENT_LABELS, NUTRIENT_UNITS, NUTRIENTS, type Nutrient } from '../../../../shared/labels-menus.ts';
import { call } from '../../api.ts';
import { IngredientSelect } from '../../components/EntitySelect.tsx';
import { enterToNext } from '../../components/enterToNext.ts';
import { showError, toast } from '../../feedback.ts';
import { useRoles } from '../../session.ts';
import { readAsBase64 } from '../../components/files.ts';
import { formatMilli, parseQuantityToMilli } from '../../../../shared/format.ts';

/** A decimal typed by a person (up to three places) as thousandths; null when empty; NaN when not a number. */
export function toMilli(text: string): number | null {
  return text.trim() === '' ? null : (parseQuantityToMilli(text) ?? Number.NaN);
}
export const milliText = (v: number | null) => (v === null ? '' : formatMilli(v));

interface FormValues {
  ingredientId: string | null;
  ediblePct: string;
  unitGrams: string;
  source: string;
  values: Record<Nutrient, string>;
}
const EMPTY: FormValues = { ingredientId: null, ediblePct: '100', unitGrams: '', source: '', values: Object.fromEntries(NUTRIENTS.map((n) => [n, ''])) as Record<Nutrient, string> };

/**
 * 食物成分 (issue 17): each ingredient's nutrients per 100 g edible part, as the school enters them from a source it names
 * (the national food composition table is copyrighted and not shipped), its edible share and, for an item bought by 个 or
 * 盒, the grams one unit weighs — what the 带量食谱's nutrients and planned cost are computed from.
 */
export function CompositionsPage() {
  const roles = useRoles();
  const canWrite = canCall('compositions.save', roles);
  const [list, setList] = useState<CompositionView[]>([]);
  const [form] = Form.useForm<FormValues>();
  const load = useCallback(() => call('compositions.list', {}).then(setList, showError), []);
  useEffect(() => {
    void load();
  }, [load]);

  const edit = (c: CompositionView) =>
    form.setFieldsValue({
      ingredientId: c.ingredientId,
      ediblePct: (c.edibleBp / 100).toString(),
      unitGrams: c.unitGrams === null ? '' : String(c.unitGrams),
      source: c.source,
      values: Object.fromEntries(NUTRIENTS.map((n) => [n, milliText(c.values[n])])) as Record<Nutrient, string>,
    });

  const save = async (v: FormValues) => {
    if (!v.ingredientId) return showError(new Error('请选择食材'));
    const values = Object.fromEntries(NUTRIENTS.map((n) => [n, toMilli(v.values[n] ?? '')])) as Record<Nutrient, number | null>;
    const bad = NUTRIENTS.find((n) => Number.isNaN(values[n]));
    if (bad) return showError(new Error(`${NUTRIENT_LABELS[bad]}请填写数字（最多三位小数）`));
    const pct = toMilli(v.ediblePct);
    if (pct === null || Number.isNaN(pct) || pct % 10 !== 0) return showError(new Error('可食部请填写百分数（最多两位小数）'));
    const grams = v.unitGrams.trim() === '' ? null : /^\d+$/.test(v.unitGrams.trim()) ? Number(v.unitGrams.trim()) : Number.NaN;
    if (Number.isNaN(grams)) return showError(new Error('每单位克数请填写整数'));
    try {
      const saved = await call('compositions.save', { ingredientId: v.ingredientId, edibleBp: pct / 10, unitGrams: grams, values, source: v.source });
      toast(`已保存 ${saved.ingredientName} 的营养成分`);
      form.setFieldsValue(EMPTY);
      void load();
    } catch (e) {
      showError(e, form);
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {canWrite && (
        <Card size="small" title="登记或修改（每 100 克可食部）">
          <Form form={form} layout="inline" initialValues={EMPTY} onFinish={(v) => void save(v)} onKeyDownCapture={enterToNext} data-testid="composition-form">
            <Form.Item name="ingredientId" label="食材" style={{ marginBottom: 8 }}>
              <IngredientSelect style={{ width: 180 }} data-testid="comp-item" />
            </Form.Item>
            <Form.Item name="ediblePct" label="可食部 %" style={{ marginBottom: 8 }}>
              <Input style={{ width: 70 }} data-testid="comp-edible" />
            </Form.Item>
            <Form.Item name="unitGrams" label="每单位克数" tooltip="按 个、盒 等采购的食材，一个单位重多少克（按重量采购的不填）" style={{ marginBottom: 8 }}>
              <Input style={{ width: 80 }} data-testid="comp-unit-grams" />
            </Form.Item>
            {NUTRIENTS.map((n) => (
              <Form.Item key={n} name={['values', n]} label={`${NUTRIENT_LABELS[n]}（${NUTRIENT_UNITS[n]}）`} style={{ marginBottom: 8 }}>
                <Input style={{ width: 80 }} data-testid={`comp-${n}`} />
              </Form.Item>
            ))}
            <Form.Item name="source" label="数据来源" style={{ marginBottom: 8 }}>
              <Input style={{ width: 240 }} maxLength={100} placeholder="如：《中国食物成分表》第6版 第一册 第12页" data-testid="comp-source" />
            </Form.Item>
            <Form.Item style={{ marginBottom: 8 }}>
              <Button type="primary" htmlType="submit" data-testid="comp-save">
                保存
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      <Typography.Text type="secondary">营养成分由学校按注明的来源录入；本软件不附带食物成分表。</Typography.Text>
      {canWrite && (
        <Space>
          <Typography.Text>从 .xlsx 导入（表头：食材、可食部(%)、每单位克数、能量(kcal)、蛋白质(g)…维生素C(mg)、数据来源；有一行不对则全部不导入）：</Typography.Text>
          <input
            type="file"
            accept=".xlsx"
            data-testid="comp-import"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (!file) return;
              try {
                const r = await call('compositions.import', { fileBase64: await readAsBase64(file) });
                toast(`已导入 ${r.saved} 种食材的营养成分：${r.names.join('、')}`);
                void load();
              } catch (err) {
                showError(err);
              }
            }}
          />
        </Space>
      )}
      <Table<CompositionView>
        size="small"
        rowKey="ingredientId"
        dataSource={list}
        pagination={{ pageSize: 50 }}
        scroll={{ x: true }}
        onRow={(c) => ({ onDoubleClick: () => canWrite && edit(c) })}
        columns={[
          { title: '食材', dataIndex: 'ingredientName', fixed: 'left' },
          { title: '可食部', render: (_, c) => `${c.edibleBp / 100}%` },
          { title: '每单位', render: (_, c) => (c.unitGrams ? `${c.unitGrams} 克/${c.unit}` : c.unit) },
          ...NUTRIENTS.map((n) => ({ title: `${NUTRIENT_LABELS[n]}（${NUTRIENT_UNITS[n]}）`, render: (_: unknown, c: CompositionView) => milliText(c.values[n]) })),
          { title: '来源', dataIndex: 'source' },
          { title: '更新', render: (_, c) => `${c.updatedByName} ${chinaDateTime(c.updatedAt, 'minute')}` },
          ...(canWrite ? [{ title: '', render: (_: unknown, c: CompositionView) => <Button size="small" type="link" onClick={() => edit(c)}>修改</Button> }] : []),
        ]}
      />
    </Space>
  );
}
