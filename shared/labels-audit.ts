/**
 * The audit trail's vocabulary, once (issue 16): what was done and to what, with the Chinese the 审计 page shows and
 * filters by. `audit()` takes only these codes, so a new action or entity without its label does not compile.
 * Zod-free: the renderer imports it.
 */

export const AUDIT_ACTION_LABELS = {
  create: '新增',
  update: '修改',
  delete: '删除',
  import: '导入',
  disable: '停用',
  enable: '启用',
  login: '登录',
  fail: '登录失败',
  unlock: '解除登录锁定',
  change_password: '修改密码',
  reset_password: '重置密码',
  restore: '从备份恢复',
  post: '过账',
  cancel: '作废',
  void: '作废',
  discard: '作废草稿',
  amend: '生成更正单',
  attach: '上传附件',
  pay: '退付',
  clear: '日清',
  move: '调班',
  issue: '出库',
  stock_in: '入库',
  stock_reverse: '冲销入库',
  adjust: '库存调整',
  count_start: '开始盘点',
  count_refresh: '刷新账面数',
  count_enter: '录入实盘数',
  count_post: '盘点过账',
  bank_statement: '录入银行对账余额',
  submit: '提交',
  approve: '审核通过',
  withdraw: '撤回',
  send_back: '退回',
  close: '月结锁定',
  reopen: '反结账',
} as const satisfies Record<string, string>;
export type AuditAction = keyof typeof AUDIT_ACTION_LABELS;

export const AUDIT_ENTITY_LABELS = {
  school: '学校',
  user: '用户',
  login: '登录',
  ledger: '账本',
  supplier: '供应商',
  ingredient: '食材',
  delivery: '验收单',
  attachment: '附件',
  supplier_statement: '供应商对账单',
  supplier_payment: '供应商付款',
  journal_entry: '记账凭证',
  student: '学生',
  roster: '花名册',
  meal_plan: '收费标准',
  school_days: '上课日',
  term: '学期',
  fee_receipt: '伙食费收据',
  fee_refund: '退费',
  subsidy_meals: '营养餐就餐',
  subsidy_receipt: '补助到账',
  cash_day: '日清',
  cash_deposit: '现金送存',
  fund_income: '其他收入',
  fund_expense: '经费支出',
  storeroom: '库房入库',
  stock_lot: '库存批次',
  stock_issue: '出库单',
  stock_count: '盘点',
  month_close: '月结',
  opening: '期初建账',
} as const satisfies Record<string, string>;
export type AuditEntity = keyof typeof AUDIT_ENTITY_LABELS;

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_LABELS) as AuditAction[];
export const AUDIT_ENTITIES = Object.keys(AUDIT_ENTITY_LABELS) as AuditEntity[];
