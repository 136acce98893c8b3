import { method, z } from './contract.ts';
import { creditCode, fen, id, isoDate, optionalText, search, text } from './fields.ts';
import { CATEGORIES, CERT_KINDS, INGREDIENT_KINDS, LICENCE_KINDS, SUPPLIER_KINDS, type Category, type CertKind, type IngredientKind, type LicenceKind, type SupplierKind } from '../domain.ts';
import { EVERYONE, MASTERDATA_EDITORS } from '../roles.ts';
import { PACK_UNITS, type PackSizes } from '../units.ts';

export interface Licence {
  kind: LicenceKind;
  number: string;
  /** null: long-term (长期), as many business licences are. */
  expiresOn: string | null;
}
export interface Supplier {
  id: string;
  name: string;
  creditCode: string;
  address: string;
  contactPerson: string;
  phone: string;
  kind: SupplierKind;
  licences: Licence[];
  disabled: boolean;
  updatedAt: string;
}
export interface Ingredient {
  id: string;
  name: string;
  category: Category;
  unit: string;
  spec: string;
  refPriceFen: number | null;
  /** Which kind of item the certificate rules see (猪肉, 鲜蛋…); set by the 管理员/会计. */
  kind: IngredientKind;
  /** 进口: the profile's import rule applies. */
  imported: boolean;
  /** Certificates this ingredient adds to what its category and kind require. */
  requiredCerts: CertKind[];
  /** Package sizes in base thousandths (1 箱 = 24 盒: { 箱: 24000 }), for receiving in packages (shared/units.ts). */
  packSizes: PackSizes;
  /** What the profile's rules require of its category, kind and import (cannot be removed), under the rules now. */
  ruleCerts: CertKind[];
  /** What a delivery line of it needs: ruleCerts and requiredCerts together (posting checks this, computed again). */
  effectiveCerts: CertKind[];
  banned: boolean;
  storable: boolean;
  disabled: boolean;
  updatedAt: string;
}

/** One page of the catalogue and how many items match in all (the 食材 page: 5,000 items and more). */
export interface IngredientPage {
  rows: Ingredient[];
  total: number;
}

const licence = z
  .object({
    kind: z.enum(LICENCE_KINDS, { error: '证照类型无效' }),
    number: text('证照编号', 50),
    expiresOn: isoDate('证照有效期').nullable().default(null),
  })
  .strict();

const supplierFields = {
  name: text('供应商名称', 60),
  creditCode,
  address: text('地址', 120),
  contactPerson: text('联系人', 30),
  phone: z
    .string({ error: '联系电话必须是文字' })
    .trim()
    .regex(/^[0-9+\-() ]{5,20}$/, { error: '联系电话应为 5–20 位数字' }),
  kind: z.enum(SUPPLIER_KINDS, { error: '供应商类型无效' }).default('distributor'),
  licences: z
    .array(licence)
    .max(10)
    .refine((ls) => new Set(ls.map((l) => l.kind)).size === ls.length, { error: '同一类证照只能填一份' })
    .default([]),
};

const certList = z
  .array(z.enum(CERT_KINDS, { error: '证明类型无效' }))
  .max(CERT_KINDS.length)
  .refine((c) => new Set(c).size === c.length, { error: '证明类型重复' });
const ingredientKind = z.enum(INGREDIENT_KINDS, { error: '食材种类无效' });

const ingredientFields = {
  name: text('品名', 40),
  category: z.enum(CATEGORIES, { error: '食材类别无效' }),
  unit: text('单位', 8),
  spec: optionalText('规格', 40),
  refPriceFen: fen('参考价').nullable().default(null),
  requiredCerts: certList.default([]),
  /** Omitted: the kind its category and name imply (shared/cert-rules.ts defaultKind). */
  kind: ingredientKind.optional(),
  /** Omitted: imported when its name or spec says 进口. */
  imported: z.boolean().optional(),
  banned: z.boolean().default(false),
  storable: z.boolean().default(false),
  /** 1 箱 = 24 盒 → { 箱: 24000 } (thousandths of the base unit); omitted on an update: kept as it is. */
  packSizes: z
    .partialRecord(
      z.enum(PACK_UNITS, { error: `包装单位应为${PACK_UNITS.join('、')}之一` }),
      z.number({ error: '包装规格必须是数字' }).int({ error: '包装规格必须是千分之一单位的整数' }).min(1, { error: '包装规格必须大于 0' }).max(10_000_000, { error: '包装规格超出允许范围' }),
    )
    .optional(),
};

/** An update carries every field; kind, imported and requiredCerts left out stay as they are. */
const ingredientUpdateFields = {
  ...ingredientFields,
  requiredCerts: certList.optional(),
  disabled: z.boolean().default(false),
};


export const masterdataApi = {
  'suppliers.search': method<Supplier[]>()({
    input: z.object({ q: search, includeDisabled: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(50) }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '按名称、拼音首字母或信用代码查找供应商',
  }),
  'suppliers.get': method<Supplier>()({
    input: z.object({ id: id('供应商') }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '供应商详情',
  }),
  'suppliers.create': method<Supplier>()({
    input: z.object(supplierFields).strict(),
    access: MASTERDATA_EDITORS,
    writes: true,
    summary: '新增供应商及其证照',
  }),
  'suppliers.update': method<Supplier>()({
    input: z.object({ id: id('供应商'), ...supplierFields, disabled: z.boolean().default(false) }).strict(),
    access: MASTERDATA_EDITORS,
    writes: true,
    summary: '修改供应商（留痕）',
  }),
  'ingredients.search': method<Ingredient[]>()({
    input: z
      .object({
        q: search,
        category: z.enum(CATEGORIES).optional(),
        includeDisabled: z.boolean().default(false),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
    access: EVERYONE,
    writes: false,
    summary: '按品名或拼音首字母查找食材（"bc" 找到 白菜）',
  }),
  'ingredients.list': method<IngredientPage>()({
    input: z
      .object({
        q: search,
        category: z.enum(CATEGORIES, { error: '类别无效' }).optional(),
        includeDisabled: z.boolean().default(false),
        page: z.number({ error: '页码必须是数字' }).int({ error: '页码必须是整数' }).min(1, { error: '页码从 1 开始' }).max(1_000_000, { error: '页码太大' }).default(1),
        pageSize: z.number({ error: '每页条数必须是数字' }).int({ error: '每页条数必须是整数' }).min(1, { error: '每页至少 1 条' }).max(200, { error: '每页最多 200 条' }).default(20),
      })
      .strict(),
    access: EVERYONE,
    writes: false,
    summary: '食材目录分页：按品名或拼音查找、按类别筛选，返回一页和符合条件的总数',
  }),
  'ingredients.get': method<Ingredient>()({
    input: z.object({ id: id('食材') }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '食材详情',
  }),
  'ingredients.create': method<Ingredient>()({
    input: z.object(ingredientFields).strict(),
    access: MASTERDATA_EDITORS,
    writes: true,
    summary: '新增食材（食堂管理员新增的食材按类别和品名定种类，所需证明只能增加）',
  }),
  'ingredients.update': method<Ingredient>()({
    input: z.object({ id: id('食材'), ...ingredientUpdateFields }).strict(),
    access: MASTERDATA_EDITORS,
    writes: true,
    summary: '修改食材（留痕；类别、种类、进口与所需证明只有管理员或会计可改）',
  }),
};
