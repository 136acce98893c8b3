import { canCall } from '../../../shared/access.generated.ts';
import { Button, Checkbox, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { Licence, Supplier } from '../../../shared/api/masterdata.ts';
import { LICENCE_KINDS, LICENCE_LABELS, SUPPLIER_KINDS, SUPPLIER_KIND_LABELS, type LicenceKind, type SupplierKind } from '../../../shared/domain.ts';
import { call } from '../api.ts';
import { enterToNext } from '../components/enterToNext.ts';
import { showError, toast } from '../feedback.ts';
import { chinaToday } from '../labels.ts';
import { navigate, restOf, usePath } from '../router.ts';
import { useRoles } from '../session.ts';
import { ImportDialog } from './masterdata/ImportDialog.tsx';

const BASE = '/masterdata/suppliers';

/** The form edits every field of the record but its identity and status. */
type FormValues = Omit<Supplier, 'id' | 'disabled' | 'updatedAt'>;

/** A licence's expiry: a date, or 长期 (null) as many business licences are. */
function ExpiryInput({ value, onChange, id }: { value?: string | null; onChange?: (v: string | null) => void; id?: string }) {
  const longTerm = value === null;
  return (
    <Space>
      <DatePicker
        id={id}
        value={value ? dayjs(value) : null}
        disabled={longTerm}
        format="YYYY-MM-DD"
        placeholder="有效期至"
        style={{ width: 150 }}
        onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined as unknown as null)}
      />
      <Checkbox style={{ whiteSpace: 'nowrap' }} checked={longTerm} onChange={(e) => onChange?.(e.target.checked ? null : (undefined as unknown as null))}>
        长期
      </Checkbox>
    </Space>
  );
}

function licenceTag(l: Licence, today: string) {
  const expired = l.expiresOn !== null && l.expiresOn < today;
  return (
    <Tag key={l.kind} color={expired ? 'red' : 'default'} title={l.number}>
      {LICENCE_LABELS[l.kind]}：{l.expiresOn ?? '长期'}
      {expired ? '（已过期）' : ''}
    </Tag>
  );
}

export function SuppliersPage() {
  const roles = useRoles();
  const canEdit = canCall('suppliers.update', roles);
  const path = usePath();
  const linkedId = restOf(BASE, path);
  const [q, setQ] = useState('');
  const [includeDisabled, setIncludeDisabled] = useState(false);
  const [rows, setRows] = useState<Supplier[]>([]);
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<Supplier | 'new' | null>(null);
  const [importing, setImporting] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRows(await call('suppliers.search', { q, includeDisabled, limit: 500 }));
    } catch (e) {
      showError(e);
    } finally {
      setLoading(false);
    }
  }, [q, includeDisabled]);
  useEffect(() => {
    const t = setTimeout(load, 150);
    return () => clearTimeout(t);
  }, [load]);

  // A link like /masterdata/suppliers/<id> (from the home page) opens that supplier.
  useEffect(() => {
    if (!linkedId) return;
    call('suppliers.get', { id: linkedId }).then((s) => setEditing(s), showError);
  }, [linkedId]);

  const setDisabled = async (s: Supplier, disabled: boolean) => {
    try {
      const { id, name, creditCode, address, contactPerson, phone, kind, licences } = s;
      await call('suppliers.update', { id, name, creditCode, address, contactPerson, phone, kind, licences, disabled });
      toast(disabled ? '已停用' : '已启用');
      void load();
    } catch (e) {
      showError(e);
    }
  };

  const today = chinaToday();
  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          allowClear
          autoFocus
          placeholder="名称、拼音首字母或信用代码"
          style={{ width: 280 }}
          value={q}
          onChange={(e) => setQ(e.target.value)}
          data-testid="supplier-search"
        />
        <Checkbox checked={includeDisabled} onChange={(e) => setIncludeDisabled(e.target.checked)}>
          含已停用
        </Checkbox>
        {canEdit && (
          <Button type="primary" onClick={() => setEditing('new')}>
            新增供应商
          </Button>
        )}
        {canEdit && (
          <Button onClick={() => setImporting(true)} data-testid="supplier-import">
            从Excel导入
          </Button>
        )}
      </Space>
      <Table<Supplier>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={rows}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        data-testid="supplier-table"
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kind', render: (k: SupplierKind) => SUPPLIER_KIND_LABELS[k] },
          { title: '统一社会信用代码', dataIndex: 'creditCode' },
          { title: '联系人', dataIndex: 'contactPerson' },
          { title: '电话', dataIndex: 'phone' },
          { title: '证照', dataIndex: 'licences', render: (ls: Licence[]) => (ls.length ? ls.map((l) => licenceTag(l, today)) : <Tag color="red">无证照</Tag>) },
          { title: '状态', dataIndex: 'disabled', render: (d: boolean) => (d ? <Tag>已停用</Tag> : <Tag color="green">在用</Tag>) },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  key: 'ops',
                  render: (_: unknown, s: Supplier) => (
                    <Space>
                      <Button size="small" type="link" onClick={() => setEditing(s)}>
                        编辑
                      </Button>
                      <Popconfirm title={s.disabled ? '启用该供应商？' : '停用后不能再选它送货，确定停用？'} onConfirm={() => setDisabled(s, !s.disabled)} okText="确定" cancelText="取消">
                        <Button size="small" type="link" danger={!s.disabled}>
                          {s.disabled ? '启用' : '停用'}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && (
        <SupplierForm
          supplier={editing === 'new' ? null : editing}
          readOnly={!canEdit}
          onClose={(saved) => {
            setEditing(null);
            if (linkedId) navigate(BASE);
            if (saved) void load();
          }}
        />
      )}
      <ImportDialog kind="suppliers" open={importing} onClose={(imported) => {
          setImporting(false);
          if (imported) void load();
        }} />
    </>
  );
}

function SupplierForm({ supplier, readOnly, onClose }: { supplier: Supplier | null; readOnly: boolean; onClose: (saved: boolean) => void }) {
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const initial: Partial<FormValues> = supplier
    ? { name: supplier.name, creditCode: supplier.creditCode, address: supplier.address, contactPerson: supplier.contactPerson, phone: supplier.phone, kind: supplier.kind, licences: supplier.licences }
    : { kind: 'distributor', licences: [{ kind: 'business', number: '', expiresOn: null }, { kind: 'food_business', number: '', expiresOn: undefined as unknown as null }] };
  const submit = async (v: FormValues) => {
    setBusy(true);
    try {
      const licences = (v.licences ?? []).map((l) => ({ kind: l.kind, number: l.number, expiresOn: l.expiresOn ?? null }));
      const input = { name: v.name, creditCode: v.creditCode, address: v.address, contactPerson: v.contactPerson, phone: v.phone, kind: v.kind, licences };
      if (supplier) await call('suppliers.update', { id: supplier.id, ...input, disabled: supplier.disabled });
      else await call('suppliers.create', input);
      toast(supplier ? '供应商已保存' : '供应商已新增');
      onClose(true);
    } catch (e) {
      showError(e, form);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={supplier ? `编辑供应商：${supplier.name}` : '新增供应商'}
      width={880}
      onCancel={() => onClose(false)}
      footer={null}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form form={form} layout="horizontal" labelCol={{ span: 5 }} initialValues={initial} onFinish={submit} onKeyDownCapture={enterToNext} disabled={readOnly} data-testid="supplier-form">
        <Form.Item name="name" label="供应商名称" rules={[{ required: true, whitespace: true, message: '请填写供应商名称' }]}>
          <Input autoFocus />
        </Form.Item>
        <Form.Item name="creditCode" label="统一社会信用代码" rules={[{ required: true, message: '请填写统一社会信用代码' }, { len: 18, message: '统一社会信用代码应为 18 位' }]}>
          <Input maxLength={18} style={{ textTransform: 'uppercase' }} />
        </Form.Item>
        <Form.Item name="kind" label="类型">
          <Select options={SUPPLIER_KINDS.map((k) => ({ value: k, label: SUPPLIER_KIND_LABELS[k] }))} />
        </Form.Item>
        <Form.Item name="address" label="地址" rules={[{ required: true, whitespace: true, message: '请填写地址' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="contactPerson" label="联系人" rules={[{ required: true, whitespace: true, message: '请填写联系人' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="phone" label="联系电话" rules={[{ required: true, message: '请填写联系电话' }, { pattern: /^[0-9+\-() ]{5,20}$/, message: '联系电话应为 5–20 位数字' }]}>
          <Input />
        </Form.Item>
        <Form.Item label="证照">
          <Form.List name="licences">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="start" style={{ display: 'flex' }} data-testid="licence-row">
                    <Form.Item name={[f.name, 'kind']} rules={[{ required: true, message: '请选择证照类型' }]}>
                      <Select style={{ width: 150 }} options={LICENCE_KINDS.map((k) => ({ value: k, label: LICENCE_LABELS[k] }))} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'number']} rules={[{ required: true, whitespace: true, message: '请填写证照编号' }]}>
                      <Input placeholder="证照编号" style={{ width: 200 }} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'expiresOn']}
                      rules={[{ validator: (_r, v) => (v === undefined ? Promise.reject(new Error('请选择有效期或勾选长期')) : Promise.resolve()) }]}
                    >
                      <ExpiryInput />
                    </Form.Item>
                    {!readOnly && (
                      <Button type="link" danger onClick={() => remove(f.name)} tabIndex={-1}>
                        删除
                      </Button>
                    )}
                  </Space>
                ))}
                {!readOnly && fields.length < LICENCE_KINDS.length && (
                  <Button
                    type="dashed"
                    onClick={() => {
                      const used = new Set((form.getFieldValue('licences') as Licence[] | undefined)?.map((l) => l?.kind));
                      add({ kind: LICENCE_KINDS.find((k: LicenceKind) => !used.has(k)), number: '', expiresOn: undefined });
                    }}
                  >
                    添加证照
                  </Button>
                )}
              </>
            )}
          </Form.List>
        </Form.Item>
        {!readOnly && (
          <Form.Item wrapperCol={{ offset: 5 }}>
            <Space>
              <Button type="primary" htmlType="submit" loading={busy}>
                保存
              </Button>
              <Button onClick={() => onClose(false)}>取消</Button>
            </Space>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
