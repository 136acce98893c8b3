import { Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../../shared/api/audit.ts';
import { call } from '../api.ts';
import { AuditDiff } from '../components/AuditDiff.tsx';
import { IngredientSelect, SupplierSelect } from '../components/EntitySelect.tsx';
import { showError } from '../feedback.ts';
import { ACTION_LABELS, ENTITY_LABELS, chinaTime } from '../labels.ts';

const PAGE = 20;

/** 审计: who changed what and when, newest first, with the values before and after. */
export function AuditPage() {
  const [entity, setEntity] = useState<string | undefined>(undefined);
  const [entityId, setEntityId] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<{ entries: AuditEntry[]; total: number }>({ entries: [], total: 0 });
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    setLoading(true);
    call('audit.list', { entity, entityId: entityId ?? undefined, offset: (page - 1) * PAGE, limit: PAGE })
      .then((d) => live && setData(d), showError)
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [entity, entityId, page]);

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder="全部对象"
          style={{ width: 140 }}
          value={entity}
          data-testid="audit-entity"
          onChange={(v: string | undefined) => {
            setEntity(v ?? undefined);
            setEntityId(null);
            setPage(1);
          }}
          options={Object.entries(ENTITY_LABELS).map(([value, label]) => ({ value, label }))}
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
          { title: '操作', dataIndex: 'action', render: (a: string) => <Tag>{ACTION_LABELS[a] ?? a}</Tag> },
          { title: '对象', dataIndex: 'entity', render: (e: string) => ENTITY_LABELS[e] ?? e },
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
