import { Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/api/audit.ts';
import { call } from '../api.ts';
import { AuditDiff } from '../components/AuditDiff.tsx';
import { IngredientSelect, SupplierSelect } from '../components/EntitySelect.tsx';
import { showError } from '../feedback.ts';
import { AUDIT_ACTION_LABELS, AUDIT_ENTITY_LABELS, type AuditAction, type AuditEntity } from '../../../shared/labels-audit.ts';
import { chinaTime } from '../labels.ts';
import { tableLabel } from '../../../shared/tables.ts';

// Entries written by an older version may carry a code no longer in use: shown as they are. An entry about a record
// table's own rows (its handler audits under the table's name) shows the table's name from the registry.
const ACTIONS: Record<string, string> = AUDIT_ACTION_LABELS;
const ENTITIES: Record<string, string> = AUDIT_ENTITY_LABELS;

const PAGE = 20;

/** 审计: who changed what and when, newest first, with the values before and after. */
export function AuditPage() {
  const [entity, setEntity] = useState<AuditEntity | undefined>(undefined);
  const [action, setAction] = useState<AuditAction | undefined>(undefined);
  const [entityId, setEntityId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ entries: AuditEntry[]; total: number }>({ entries: [], total: 0 });
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    call('audit.list', { entity, action, entityId: entityId ?? undefined, offset: (page - 1) * PAGE, limit: PAGE })
      .then((d) => live && setData(d), showError)
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [entity, action, entityId, page]);

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder="全部对象"
          style={{ width: 140 }}
          value={entity}
          data-testid="audit-entity"
          onChange={(v: AuditEntity | undefined) => {
            setEntity(v ?? undefined);
            setEntityId(null);
            setPage(1);
          }}
          options={Object.entries(AUDIT_ENTITY_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <Select
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="全部操作"
          style={{ width: 160 }}
          value={action}
          data-testid="audit-action"
          onChange={(v: AuditAction | undefined) => {
            setAction(v ?? undefined);
            setPage(1);
          }}
          options={Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label: `${label}（${value}）` }))}
        />
        {entity === 'supplier' && <SupplierSelect includeDisabled value={entityId} onChange={(id) => (setEntityId(id), setPage(1))} data-testid="audit-supplier" />}
        {entity === 'ingredient' && <IngredientSelect includeDisabled value={entityId} onChange={(id) => (setEntityId(id), setPage(1))} data-testid="audit-ingredient" />}
      </Space>
      <Table<AuditEntry>
        rowKey="seq"
        size="middle"
        loading={loading}
        dataSource={data.entries}
        data-testid="audit-table"
        pagination={{ current: page, pageSize: PAGE, total: data.total, showSizeChanger: false, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
        expandable={{
          expandedRowRender: (e) => <AuditDiff before={e.before} after={e.after} />,
          rowExpandable: (e) => e.before != null || e.after != null,
          expandRowByClick: true,
        }}
        columns={[
          { title: '序号', dataIndex: 'seq', width: 80 },
          { title: '时间', dataIndex: 'at', width: 180, render: chinaTime },
          { title: '用户', dataIndex: 'userName', render: (n: string | null) => n ?? '（系统）' },
          { title: '操作', dataIndex: 'action', render: (a: string) => <Tag>{ACTIONS[a] ?? a}</Tag> },
          { title: '对象', dataIndex: 'entity', render: (e: string) => ENTITIES[e] ?? tableLabel(e) },
          {
            title: '内容',
            key: 'what',
            render: (_: unknown, e: AuditEntry) => {
              const v = (e.after ?? e.before) as Record<string, unknown> | null;
              const name = v && typeof v === 'object' ? (v.name ?? v.displayName ?? v.username) : null;
              return typeof name === 'string' ? name : '';
            },
          },
        ]}
      />
    </>
  );
}
