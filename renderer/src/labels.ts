import { CATEGORY_LABELS, CERT_LABELS, INGREDIENT_KIND_LABELS, LICENCE_LABELS, SUPPLIER_KIND_LABELS } from '../../shared/domain.ts';
import { ROLE_LABELS } from '../../shared/roles.ts';

/**
 * Chinese names for the audit log's codes. Feature work adds its own entities, actions and field names here (one line
 * each); an unknown code is shown as it is.
 */
export const ENTITY_LABELS: Record<string, string> = {
  supplier: '供应商',
  ingredient: '食材',
  user: '用户',
  school: '学校',
  student: '学生', meal_plan: '收费标准', school_days: '上课日', term: '学期', roster: '花名册', fee_receipt: '伙食费收据', fee_refund: '退费', subsidy_meals: '营养餐就餐', subsidy_receipt: '补助到账', cash_day: '日清', cash_deposit: '现金送存',
  delivery: '验收单', attachment: '附件', supplier_statement: '供应商对账单', supplier_payment: '供应商付款',
  ledger: '账本',
  login: '登录',
};

export const ACTION_LABELS: Record<string, string> = {
  create: '新增',
  update: '修改',
  disable: '停用',
  enable: '启用',
  login: '登录',
  logout: '退出',
  change_password: '修改密码',
  reset_password: '重置密码',
  cancel: '作废',
  post: '过账',
  import: '导入',
  void: '作废', pay: '退付', clear: '日清',
  attach: '上传附件', discard: '作废草稿', amend: '生成更正单', delete: '删除',
  restore: '从备份恢复',
  fail: '登录失败', unlock: '解除登录锁定',
};

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
