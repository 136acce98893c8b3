import { Table, Typography } from 'antd';
import { formatFen, formatMilli } from '../../../shared/format.ts';
import { FIELD_LABELS, VALUE_LABELS, chinaTime } from '../labels.ts';

/** Flattens nested values to dotted paths so before and after line up field by field: licences.0.number. */
export function flatten(value: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    const isPrimitiveArray = Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
    if (isPrimitiveArray && prefix) {
      out.set(prefix, value);
      return out;
    }
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    if (entries.length === 0 && prefix) out.set(prefix, value);
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value);
  } else if (value !== null && value !== undefined) {
    out.set('值', value);
  }
  return out;
}

/** A stored value as people read it: codes by their Chinese names, fen as 元, instants in China time. */
function show(v: unknown, path = ''): string {
  if (v === undefined) return '';
  if (v === null) return '—';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.length ? v.map((x) => show(x, path)).join('、') : '（无）';
  if (typeof v === 'object') return JSON.stringify(v);
  const key = path.split('.').filter((p) => !/^\d+$/.test(p)).pop() ?? '';
  if (typeof v === 'number' && /Fen$/.test(key)) return `${formatFen(v)} 元`;
  if (typeof v === 'number' && /Milli$/.test(key)) return formatMilli(v);
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v)) return chinaTime(v);
  if (typeof v === 'string' && VALUE_LABELS[key]?.[v]) return VALUE_LABELS[key][v];
  return String(v);
}

function label(path: string): string {
  return path
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? `第${Number(p) + 1}项` : (FIELD_LABELS[p] ?? p)))
    .join(' · ');
}

/** Before/after of one audit entry, field by field; changed fields are marked. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const b = flatten(before);
  const a = flatten(after);
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  if (keys.length === 0) return <Typography.Text type="secondary">此操作没有记录字段内容。</Typography.Text>;
  const rows = keys.map((k) => ({ key: k, field: label(k), before: show(b.get(k), k), after: show(a.get(k), k), changed: show(b.get(k), k) !== show(a.get(k), k) }));
  return (
    <Table
      size="small"
      pagination={false}
      dataSource={rows}
      data-testid="audit-diff"
      rowClassName={(r) => (r.changed && before != null && after != null ? 'audit-changed' : '')}
      columns={[
        { title: '字段', dataIndex: 'field', width: 220 },
        { title: '改前', dataIndex: 'before', render: (v: string, r) => <span style={r.changed && v ? { color: '#cf1322', textDecoration: before != null && after != null ? 'line-through' : undefined } : undefined}>{v}</span> },
        { title: '改后', dataIndex: 'after', render: (v: string, r) => <span style={r.changed ? { color: '#389e0d', fontWeight: 500 } : undefined}>{v}</span> },
      ]}
    />
  );
}
