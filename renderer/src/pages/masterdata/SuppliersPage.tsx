import { canCall } from '../../../../shared/access.generated.ts';
import { Button, Checkbox, DatePicker, Form, Input, Select, Space, Tag } from 'antd';
import dayjs from 'dayjs';
import type { Licence, Supplier } from '../../../../shared/api/masterdata.ts';
import { LICENCE_KINDS, LICENCE_LABELS, SUPPLIER_KINDS, SUPPLIER_KIND_LABELS, type LicenceKind, type SupplierKind } from '../../../../shared/domain.ts';
import { call } from '../../api.ts';
import { NOWRAP } from '../../components/columns.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { toast } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { useRoles } from '../../session.ts';
import { MasterDataPage, pageOf, type ListQuery } from './MasterDataPage.tsx';

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

// Suppliers are few (tens): the core returns them whole and the page cuts the pages.
const query = async (p: ListQuery) => pageOf(await call('suppliers.search', { q: p.q, includeDisabled: p.includeDisabled, limit: 500 }), p);
const getSupplier = (id: string) => call('suppliers.get', { id });

async function setDisabled(s: Supplier, disabled: boolean) {
  const { id, name, creditCode, address, contactPerson, phone, kind, licences } = s;
  await call('suppliers.update', { id, name, creditCode, address, contactPerson, phone, kind, licences, disabled });
}

/** 供应商: who delivers, with their licences (an expired one is red; a delivery checks them). */
export function SuppliersPage() {
  const canEdit = canCall('suppliers.update', useRoles());
  const today = chinaToday();
  return (
    <MasterDataPage<Supplier>
      base="/masterdata/suppliers"
      noun="供应商"
      testId="supplier"
      searchPlaceholder="名称、拼音首字母或信用代码"
      searchWidth={280}
      query={query}
      get={getSupplier}
      canEdit={canEdit}
      importKind="suppliers"
      setDisabled={setDisabled}
      disableQuestion={() => '停用后不能再选它送货，确定停用？'}
      columns={[
        { title: '名称', dataIndex: 'name' },
        { title: '类型', dataIndex: 'kind', render: (k: SupplierKind) => SUPPLIER_KIND_LABELS[k] },
        { title: '统一社会信用代码', dataIndex: 'creditCode' },
        { title: '联系人', dataIndex: 'contactPerson' },
        { title: '电话', dataIndex: 'phone', ...NOWRAP },
        { title: '证照', dataIndex: 'licences', render: (ls: Licence[]) => (ls.length ? ls.map((l) => licenceTag(l, today)) : <Tag color="red">无证照</Tag>) },
      ]}
      form={(supplier, readOnly, close) => <SupplierForm supplier={supplier} readOnly={readOnly} onClose={close} />}
    />
  );
}

function SupplierForm({ supplier, readOnly, onClose }: { supplier: Supplier | null; readOnly: boolean; onClose: (saved: boolean) => void }) {
  const [form] = Form.useForm<FormValues>();
  const initial: Partial<FormValues> = supplier
    ? { name: supplier.name, creditCode: supplier.creditCode, address: supplier.address, contactPerson: supplier.contactPerson, phone: supplier.phone, kind: supplier.kind, licences: supplier.licences }
    : { kind: 'distributor', licences: [{ kind: 'business', number: '', expiresOn: null }, { kind: 'food_business', number: '', expiresOn: undefined as unknown as null }] };
  const submit = async (v: FormValues) => {
    const licences = (v.licences ?? []).map((l) => ({ kind: l.kind, number: l.number, expiresOn: l.expiresOn ?? null }));
    const input = { name: v.name, creditCode: v.creditCode, address: v.address, contactPerson: v.contactPerson, phone: v.phone, kind: v.kind, licences };
    if (supplier) await call('suppliers.update', { id: supplier.id, ...input, disabled: supplier.disabled });
    else await call('suppliers.create', input);
    toast(supplier ? '供应商已保存' : '供应商已新增');
    onClose(true);
  };
  return (
    <FormDialog<FormValues>
      title={supplier ? `编辑供应商：${supplier.name}` : '新增供应商'}
      width={880}
      form={form}
      initialValues={initial}
      readOnly={readOnly}
      onSubmit={submit}
      onCancel={() => onClose(false)}
      data-testid="supplier-form"
    >
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
    </FormDialog>
  );
}
