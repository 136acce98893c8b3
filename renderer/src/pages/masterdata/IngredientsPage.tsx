import { canCall } from '../../../../shared/access.generated.ts';
import { INGREDIENT_CLASSIFIERS } from '../../../../shared/roles.ts';
import { AutoComplete, Checkbox, Form, Input, Select, Space, Switch, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { Ingredient } from '../../../../shared/api/masterdata.ts';
import { DEFAULT_CERT_RULES, defaultImported, defaultKind, ruleCerts, type CertRules } from '../../../../shared/cert-rules.ts';
import { CATEGORIES, CATEGORY_LABELS, CERT_KINDS, CERT_LABELS, INGREDIENT_KIND_LABELS, INGREDIENT_KINDS, type Category, type CertKind, type IngredientKind } from '../../../../shared/domain.ts';
import { formatFen } from '../../../../shared/format.ts';
import { call } from '../../api.ts';
import { FormDialog } from '../../components/FormDialog.tsx';
import { MoneyInput, QuantityInput, fenRules } from '../../components/NumberText.tsx';
import { PACK_UNITS } from '../../../../shared/units.ts';
import { showError, toast } from '../../feedback.ts';
import { allowed, useRoles } from '../../session.ts';
import { MasterDataPage, type ListQuery } from './MasterDataPage.tsx';

const UNITS = ['kg', '斤', '克', '升', '毫升', '个', '只', '盒', '袋', '箱', '瓶', '桶', '板', '把'];

/** The form edits every field of the record but its identity and status (and the certificates the rules derive). */
type FormValues = Omit<Ingredient, 'id' | 'disabled' | 'updatedAt' | 'ruleCerts' | 'effectiveCerts'>;

const getIngredient = (id: string) => call('ingredients.get', { id });

async function setDisabled(i: Ingredient, disabled: boolean) {
  const { id, name, category, unit, spec, refPriceFen, banned, storable } = i;
  // Kind, 进口 and the certificates left out stay as they are (a 食堂管理员 may not change them).
  await call('ingredients.update', { id, name, category, unit, spec, refPriceFen, banned, storable, disabled });
}

/** 食材: the catalogue, paged by the core with the total (a school keeps thousands of items). */
export function IngredientsPage() {
  const roles = useRoles();
  const canClassify = allowed(INGREDIENT_CLASSIFIERS, roles);
  const [category, setCategory] = useState<Category | undefined>(undefined);
  const query = useCallback((p: ListQuery) => call('ingredients.list', { ...p, category }), [category]);
  return (
    <MasterDataPage<Ingredient>
      base="/masterdata/ingredients"
      noun="食材"
      testId="ingredient"
      searchPlaceholder="品名或拼音首字母，如 bc"
      filters={
        <Select<Category>
          allowClear
          placeholder="全部类别"
          style={{ width: 150 }}
          value={category}
          onChange={(v) => setCategory(v ?? undefined)}
          options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
          data-testid="ingredient-category-filter"
        />
      }
      query={query}
      get={getIngredient}
      canEdit={canCall('ingredients.update', roles)}
      importKind="ingredients"
      setDisabled={setDisabled}
      columns={[
        { title: '品名', dataIndex: 'name', render: (n: string, i) => (i.banned ? <Space>{n}<Tag color="red">禁止采购</Tag></Space> : n) },
        { title: '类别', dataIndex: 'category', render: (c: Category) => CATEGORY_LABELS[c] },
        { title: '单位', dataIndex: 'unit' },
        { title: '规格', dataIndex: 'spec' },
        { title: '参考价（元）', dataIndex: 'refPriceFen', align: 'right', render: (f: number | null) => (f == null ? '—' : formatFen(f)) },
        { title: '种类', dataIndex: 'kind', render: (k: IngredientKind, i) => (i.imported ? `${INGREDIENT_KIND_LABELS[k]}（进口）` : INGREDIENT_KIND_LABELS[k]) },
        { title: '验收须索证', dataIndex: 'effectiveCerts', render: (cs: CertKind[]) => cs.map((c) => <Tag key={c}>{CERT_LABELS[c]}</Tag>) },
        { title: '入库储存', dataIndex: 'storable', render: (s: boolean) => (s ? '可储存' : '直进直出') },
      ]}
      form={(ingredient, readOnly, close) => <IngredientForm ingredient={ingredient} readOnly={readOnly} canClassify={canClassify} onClose={close} />}
    />
  );
}

/**
 * The certificates a line of this item needs: those its category, kind and 进口 require under the profile's rules are
 * ticked and fixed (the core adds them whatever is sent); the item's own additions can be ticked on top.
 */
function CertPicker({ value, onChange, fixed, disabled }: { value?: CertKind[]; onChange?: (v: CertKind[]) => void; fixed: CertKind[]; disabled: boolean }) {
  const own = value ?? [];
  return (
    <Checkbox.Group
      value={[...new Set([...fixed, ...own])]}
      disabled={disabled}
      onChange={(v) => onChange?.((v as CertKind[]).filter((c) => !fixed.includes(c)))}
      options={CERT_KINDS.map((c) => ({ value: c, label: fixed.includes(c) ? `${CERT_LABELS[c]}（按规定）` : CERT_LABELS[c], disabled: fixed.includes(c) }))}
      data-testid="ingredient-certs"
    />
  );
}

function IngredientForm({ ingredient, readOnly, canClassify, onClose }: { ingredient: Ingredient | null; readOnly: boolean; canClassify: boolean; onClose: (saved: boolean) => void }) {
  const [form] = Form.useForm<FormValues>();
  const [rules, setRules] = useState<CertRules>(DEFAULT_CERT_RULES);
  useEffect(() => {
    call('school.get', {}).then((s) => setRules(s.profile.certRules), showError);
  }, []);
  const initial: Partial<FormValues> = ingredient
    ? { ...ingredient }
    : { category: 'vegetable', unit: 'kg', spec: '', refPriceFen: null, requiredCerts: [], banned: false, storable: false };
  // A 食堂管理员's new item takes the kind its category and name imply (the core decides the same way); on an existing
  // item category, kind, 进口 and certificates are the 管理员's or 会计's to change.
  const locked = readOnly || !canClassify;
  const categoryLocked = readOnly || (!canClassify && ingredient !== null);
  const wName = Form.useWatch('name', form) ?? ingredient?.name ?? '';
  const wSpec = Form.useWatch('spec', form) ?? ingredient?.spec ?? '';
  const wCategory = Form.useWatch('category', form) ?? initial.category ?? 'vegetable';
  const wKind = Form.useWatch('kind', form);
  const wImported = Form.useWatch('imported', form);
  const wCerts = Form.useWatch('requiredCerts', form) ?? [];
  const wUnit = Form.useWatch('unit', form) ?? ingredient?.unit ?? '';
  const implied = !ingredient && !canClassify;
  const kind: IngredientKind = implied ? defaultKind(wCategory, wName) : (wKind ?? ingredient?.kind ?? defaultKind(wCategory, wName));
  const imported = implied ? defaultImported(wName, wSpec, wCerts) : (wImported ?? ingredient?.imported ?? defaultImported(wName, wSpec, wCerts));
  const fixed = ruleCerts(rules, { category: wCategory, kind, imported });
  const submit = async (v: FormValues) => {
    const input = {
      name: v.name,
      category: v.category,
      unit: v.unit,
      spec: v.spec ?? '',
      refPriceFen: v.refPriceFen ?? null,
      requiredCerts: v.requiredCerts ?? [],
      ...(canClassify ? { kind, imported } : {}),
      banned: !!v.banned,
      storable: !!v.storable,
      packSizes: Object.fromEntries(Object.entries(v.packSizes ?? {}).filter(([, n]) => typeof n === 'number' && n > 0)),
    };
    if (ingredient) await call('ingredients.update', { id: ingredient.id, ...input, disabled: ingredient.disabled });
    else await call('ingredients.create', input);
    toast(ingredient ? '食材已保存' : '食材已新增');
    onClose(true);
  };
  return (
    <FormDialog<FormValues>
      title={ingredient ? `编辑食材：${ingredient.name}` : '新增食材'}
      width={620}
      form={form}
      initialValues={initial}
      readOnly={readOnly}
      onSubmit={submit}
      onCancel={() => onClose(false)}
      data-testid="ingredient-form"
    >
      <Form.Item name="name" label="品名" rules={[{ required: true, whitespace: true, message: '请填写品名' }, { max: 40, message: '品名不能超过 40 个字' }]}>
        <Input autoFocus />
      </Form.Item>
      <Form.Item name="category" label="类别" rules={[{ required: true, message: '请选择类别' }]} extra={categoryLocked && !readOnly ? '类别、种类和所需证明由管理员或会计修改' : undefined}>
        <Select disabled={categoryLocked} options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} data-testid="ingredient-category" />
      </Form.Item>
      <Form.Item name="unit" label="单位" rules={[{ required: true, whitespace: true, message: '请填写单位' }, { max: 8, message: '单位不能超过 8 个字' }]}>
        <AutoComplete options={UNITS.map((u) => ({ value: u }))} style={{ width: 160 }} showSearch={{ filterOption: (input, o) => String(o?.value ?? '').includes(input) }} />
      </Form.Item>
      <Form.Item name="spec" label="规格">
        <Input placeholder="如：500g/袋" />
      </Form.Item>
      <Form.Item name="refPriceFen" label="参考价" rules={fenRules('参考价', false)} extra="每单位的参考价，元；不填则不比价">
        <MoneyInput style={{ width: 200 }} />
      </Form.Item>
      {/* After the fields typed for every item, so Enter runs 品名 → 类别 → 单位 → 规格 → 参考价 as before. */}
      <Form.Item label="种类" extra={implied ? '按类别和品名确定；如需更改请由管理员或会计修改' : '决定验收时须查验的证明（如猪肉须索取动物检疫合格证明和肉品品质检验合格证明）'}>
        <Space>
          <Select<IngredientKind>
            style={{ width: 180 }}
            disabled={locked}
            value={kind}
            onChange={(k) => form.setFieldValue('kind', k)}
            options={INGREDIENT_KINDS.map((k) => ({ value: k, label: INGREDIENT_KIND_LABELS[k] }))}
            data-testid="ingredient-kind"
          />
          <Checkbox disabled={locked} checked={imported} onChange={(e) => form.setFieldValue('imported', e.target.checked)} data-testid="ingredient-imported">
            进口
          </Checkbox>
        </Space>
      </Form.Item>
      <Form.Item name="kind" hidden>
        <Input />
      </Form.Item>
      <Form.Item name="imported" hidden valuePropName="checked">
        <Checkbox />
      </Form.Item>
      <Form.Item name="requiredCerts" label="所需证明" extra="标“按规定”的由类别、种类和进口决定，不能去掉；可另加本食材需要的证明">
        <CertPicker fixed={fixed} disabled={readOnly || (!canClassify && ingredient !== null)} />
      </Form.Item>
      <Form.Item name="banned" label="禁止采购" valuePropName="checked" extra="中小学食堂禁止采购的品种（如四季豆、野生蘑菇）">
        <Switch />
      </Form.Item>
      <Form.Item name="storable" label="入库储存" valuePropName="checked" extra="米面油、调料、冻品等入库按批次管理；不勾选则当日直进直出">
        <Switch />
      </Form.Item>
      {/* Kitchen units (issue 15): the size of the packages it arrives in, so a delivery may be typed in them */}
      <Form.Item label="包装规格" extra={`验收时可按包装录入，按此换算为${wUnit || '单位'}入库；不填则不能按该包装验收`}>
        <Space wrap>
          {PACK_UNITS.slice(0, 3).map((u) => (
            <Space.Compact key={u}>
              <span style={{ padding: '4px 6px', whiteSpace: 'nowrap' }}>1 {u} =</span>
              <Form.Item name={['packSizes', u]} noStyle>
                <QuantityInput style={{ width: 80 }} placeholder="—" disabled={readOnly} data-testid={`ingredient-pack-${u}`} />
              </Form.Item>
              <span style={{ padding: '4px 6px', whiteSpace: 'nowrap' }}>{wUnit}</span>
            </Space.Compact>
          ))}
        </Space>
      </Form.Item>
    </FormDialog>
  );
}
