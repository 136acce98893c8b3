import { Button, Checkbox, Input, Popconfirm, Space, Table, Tag, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { ImportKind } from '../../../../shared/api/imports.ts';
import { showError, toast } from '../../feedback.ts';
import { navigate, restOf, usePath } from '../../router.ts';
import { ImportDialog } from './ImportDialog.tsx';

/** A record of master data: kept, never deleted, switched off (停用) when no longer used. */
export interface MasterRecord {
  id: string;
  disabled: boolean;
}

/** What the list asks for: the search text, whether 已停用 records are in, and one page (1-based). */
export interface ListQuery {
  q: string;
  includeDisabled: boolean;
  page: number;
  pageSize: number;
}

/** One page of the list and how many records match in all. */
export interface ListPage<T> {
  rows: T[];
  total: number;
}

/** One page cut from a list the core returns whole (suppliers and users are few). */
export function pageOf<T>(all: T[], { page, pageSize }: ListQuery): ListPage<T> {
  return { rows: all.slice((page - 1) * pageSize, page * pageSize), total: all.length };
}

const PAGE_SIZE = 20;

export interface MasterDataPageProps<T extends MasterRecord> {
  /** The route; "<base>/<id>" (a link from the home page or a check) opens that record. */
  base: string;
  /** What one record is called: "食材" gives 新增食材, 确定停用该食材？. */
  noun: string;
  /** Prefix of the test ids: "<testId>-search", "<testId>-table", "<testId>-import". */
  testId: string;
  searchPlaceholder: string;
  searchWidth?: number;
  /** Filters beyond the search box; the page keeps their state and folds them into `query`. */
  filters?: ReactNode;
  /** Offer 含已停用 (else every record is listed). */
  disabledFilter?: boolean;
  /** Reads one page; keep it memoised: a new function (a filter changed) reloads from page 1. */
  query: (p: ListQuery) => Promise<ListPage<T>>;
  /** Reads one record, for a link to "<base>/<id>". */
  get?: (id: string) => Promise<T>;
  /** The record's own columns; 状态 and (for editors) 操作 are added. */
  columns: TableColumnsType<T>;
  canEdit: boolean;
  /** Offer 从Excel导入 to editors. */
  importKind?: ImportKind;
  /** Switches a record off or on again. */
  setDisabled: (r: T, disabled: boolean) => Promise<void>;
  /** The question before switching off; default 确定停用该<noun>？ */
  disableQuestion?: (r: T) => string;
  /** Whether this record may be switched here (not one's own account). */
  canToggle?: (r: T) => boolean;
  /** What the toast says once switched; default 已停用 / 已启用. */
  toggled?: (r: T, disabled: boolean) => string;
  /** More buttons in a row's 操作. */
  actions?: (r: T) => ReactNode;
  /** The dialog that shows (readOnly) or edits a record, or adds one (null); `close(true)` reloads the list. */
  form: (record: T | null, readOnly: boolean, close: (saved: boolean) => void) => ReactNode;
  /** Dialogs of the page's own (opened from `actions`). */
  children?: ReactNode;
}

/**
 * The list-plus-edit page every kind of master data shares (食材, 供应商, 用户): a search box and filters, a paged
 * table with the total, 新增, 编辑 in a dialog, 停用/启用 with a confirmation, 从Excel导入, and links to one record.
 * A page declares its columns, its query and its form; the rest is here.
 */
export function MasterDataPage<T extends MasterRecord>(p: MasterDataPageProps<T>) {
  const linkedId = restOf(p.base, usePath());
  const [q, setQ] = useState('');
  const [includeDisabled, setIncludeDisabled] = useState(false);
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ListPage<T>>({ rows: [], total: 0 });
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const { query, get, setDisabled } = p;

  // A new search or filter starts again from the first page.
  useEffect(() => setPage(1), [q, includeDisabled, query]);
  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await query({ q, includeDisabled, page, pageSize: PAGE_SIZE }));
    } catch (e) {
      showError(e);
    } finally {
      setLoading(false);
    }
  }, [query, q, includeDisabled, page]);
  useEffect(() => {
    const t = setTimeout(load, 150);
    return () => clearTimeout(t);
  }, [load]);
  useEffect(() => {
    if (linkedId && get) get(linkedId).then(setEditing, showError);
  }, [linkedId, get]);

  const toggle = async (r: T, disabled: boolean) => {
    try {
      await setDisabled(r, disabled);
      toast(p.toggled ? p.toggled(r, disabled) : disabled ? '已停用' : '已启用');
      void load();
    } catch (e) {
      showError(e);
    }
  };

  const ops: TableColumnsType<T> = p.canEdit
    ? [
        {
          title: '操作',
          key: 'ops',
          render: (_: unknown, r: T) => (
            <Space size={0}>
              <Button size="small" type="link" onClick={() => setEditing(r)}>
                编辑
              </Button>
              {p.actions?.(r)}
              {(p.canToggle?.(r) ?? true) && (
                <Popconfirm
                  title={r.disabled ? `启用该${p.noun}？` : (p.disableQuestion?.(r) ?? `确定停用该${p.noun}？`)}
                  onConfirm={() => toggle(r, !r.disabled)}
                  okText="确定"
                  cancelText="取消"
                >
                  <Button size="small" type="link" danger={!r.disabled}>
                    {r.disabled ? '启用' : '停用'}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          ),
        },
      ]
    : [];

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          autoFocus
          placeholder={p.searchPlaceholder}
          style={{ width: p.searchWidth ?? 260 }}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          data-testid={`${p.testId}-search`}
        />
        {p.filters}
        {p.disabledFilter !== false && (
          <Checkbox checked={includeDisabled} onChange={(e) => setIncludeDisabled(e.target.checked)}>
            含已停用
          </Checkbox>
        )}
        {p.canEdit && (
          <Button type="primary" onClick={() => setEditing('new')}>
            新增{p.noun}
          </Button>
        )}
        {p.canEdit && p.importKind && (
          <Button onClick={() => setImporting(true)} data-testid={`${p.testId}-import`}>
            从Excel导入
          </Button>
        )}
      </Space>
      <Table<T>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={data.rows}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: data.total, showSizeChanger: false, onChange: setPage, showTotal: (t) => `共 ${t} 条` }}
        data-testid={`${p.testId}-table`}
        columns={[...p.columns, { title: '状态', dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag>已停用</Tag> : <Tag color="green">在用</Tag>) }, ...ops]}
      />
      {editing &&
        p.form(editing === 'new' ? null : editing, !p.canEdit, (saved) => {
          setEditing(null);
          if (linkedId) navigate(p.base);
          if (saved) void load();
        })}
      {p.importKind && (
        <ImportDialog
          kind={p.importKind}
          open={importing}
          onClose={(imported) => {
            setImporting(false);
            if (imported) void load();
          }}
        />
      )}
      {p.children}
    </>
  );
}
