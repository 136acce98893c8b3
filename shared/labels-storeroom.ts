/**
 * Storeroom vocabulary (codes and the labels shown to people), used by the contract shared/api/storeroom.ts, which
 * re-exports it, and by the renderer at run time. No zod here: nothing the renderer loads may pull zod in.
 */

export const MEALS = ['breakfast', 'lunch', 'dinner'] as const;
export type Meal = (typeof MEALS)[number];
export const MEAL_LABELS: Record<Meal, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };

export const ADJUST_REASONS = ['loss', 'expired', 'count_gain', 'count_loss'] as const;
export type AdjustReason = (typeof ADJUST_REASONS)[number];
export const ADJUST_REASON_LABELS: Record<AdjustReason, string> = { loss: '损耗', expired: '过期销毁', count_gain: '盘盈', count_loss: '盘亏' };
/** Reasons that take stock away (a disposal outside the count, or a count shortfall). */
export const DECREASE_REASONS = ['loss', 'expired', 'count_loss'] as const;

export type MovementKind = 'in' | 'issue' | 'adjustment';
export const MOVEMENT_LABELS: Record<MovementKind, string> = { in: '入库', issue: '出库', adjustment: '调整' };

export type LotState = 'ok' | 'near' | 'expired';
export const LOT_STATE_LABELS: Record<LotState, string> = { ok: '正常', near: '临期', expired: '已过期' };
