import { CATEGORY_LABELS, CERT_LABELS, INGREDIENT_KIND_LABELS, LICENCE_LABELS, SUPPLIER_KIND_LABELS } from '../../shared/domain.ts';
import { ROLE_LABELS } from '../../shared/roles.ts';

/** Chinese names of the audit entries' fields (the audit's actions and entities: shared/labels-audit.ts). */
export const FIELD_LABELS: Record<string, string> = {
  name: '名称',
  creditCode: '统一社会信用代码',
  address: '地址',
  contactPerson: '联系人',
  phone: '联系电话',
  kind: '类型',
  licences: '证照',
  number: '编号',
  expiresOn: '有效期至',
  disabled: '已停用',
  category: '类别',
  unit: '单位',
  spec: '规格',
  refPriceFen: '参考价',
  requiredCerts: '所需证明',
  imported: '进口',
  effectiveCerts: '验收须索证',
  banned: '禁止采购',
  storable: '可入库储存',
  username: '用户名',
  displayName: '姓名',
  roles: '角色',
  profile: '区域配置',
  updatedAt: '修改时间',
  id: '编号',
};

/** Stored codes by field name, so the audit diff shows 蔬菜水果 rather than "vegetable". */
export const VALUE_LABELS: Record<string, Record<string, string>> = {
  category: CATEGORY_LABELS,
  kind: { ...SUPPLIER_KIND_LABELS, ...LICENCE_LABELS, ...INGREDIENT_KIND_LABELS },
  requiredCerts: CERT_LABELS,
  roles: ROLE_LABELS,
};

/** "2026-09-15T02:00:00.000Z" → "2026-09-15 10:00:00", the school's clock (China time, no daylight saving). */
export function chinaTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const t = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}

/** Today's date in China time, YYYY-MM-DD. */
export function chinaToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
