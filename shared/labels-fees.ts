/**
 * Fees vocabulary (codes and the labels shown to people), used by the contract shared/api/fees.ts, which
 * re-exports it, and by the renderer at run time. No zod here: nothing the renderer loads may pull zod in.
 */

export const MEAL_PLANS = ['lunch', 'two', 'boarding'] as const;
export type MealPlan = (typeof MEAL_PLANS)[number];
export const MEAL_PLAN_LABELS: Record<MealPlan, string> = { lunch: '午餐', two: '两餐', boarding: '三餐寄宿' };

export const PAY_METHODS = ['cash', 'bank', 'wechat', 'alipay'] as const;
export type PayMethod = (typeof PAY_METHODS)[number];
export const PAY_METHOD_LABELS: Record<PayMethod, string> = { cash: '现金', bank: '银行转账', wechat: '微信', alipay: '支付宝' };

export const REFUND_REASONS = ['leave', 'illness', 'transfer', 'canteen'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
export const REFUND_REASON_LABELS: Record<RefundReason, string> = { leave: '请假', illness: '生病', transfer: '转学', canteen: '食堂原因' };

export const REFUND_PAY_METHODS = ['cash', 'bank'] as const;
export type RefundPayMethod = (typeof REFUND_PAY_METHODS)[number];

export type RosterField = 'studentNo' | 'name' | 'className' | 'mealPlan' | 'subsidyEligible';
export const ROSTER_FIELD_LABELS: Record<RosterField, string> = {
  studentNo: '学号',
  name: '姓名',
  className: '班级',
  mealPlan: '用餐方式',
  subsidyEligible: '是否受助',
};
