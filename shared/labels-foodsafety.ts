import type { Role } from './roles.ts';
export { MEALS, MEAL_LABELS, type Meal } from './labels-storeroom.ts';

/**
 * 食品安全 vocabulary (issue 17; zod-free: the renderer imports it). Who writes which record:
 * - 留样: the 食堂管理员 who seals the samples into the fridge and later discards them.
 * - 陪餐: a school leader (the 审核人/校长 role) or a 家委会 member recording it themselves under the parent role — the one
 *   write a parent may make (test/core/access-matrix.test.ts declares it).
 * - 整改: closed by whoever did it — the 食堂管理员, or a leader.
 */
export const SAMPLE_WRITERS: readonly Role[] = ['storekeeper'];
export const MEAL_COMPANIONS: readonly Role[] = ['reviewer', 'parent'];
export const FOLLOWUP_CLOSERS: readonly Role[] = ['admin', 'storekeeper', 'reviewer'];
/** Findings (missing samples, early discards, open follow-ups) are for the staff who act on them. */
export const FOOD_SAFETY_FINDING_READERS: readonly Role[] = ['admin', 'storekeeper', 'accountant', 'reviewer'];

/** 陪餐 ratings per aspect: 好, 一般, 差 (差 needs the problem described, which opens a follow-up). */
export const RATINGS = ['good', 'fair', 'poor'] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = { good: '好', fair: '一般', poor: '差' };

export const MEAL_ASPECTS = ['taste', 'quantity', 'hygiene', 'temperature'] as const;
export type MealAspect = (typeof MEAL_ASPECTS)[number];
export const MEAL_ASPECT_LABELS: Record<MealAspect, string> = { taste: '口味', quantity: '份量', hygiene: '卫生', temperature: '温度' };

/** Who ate with the pupils: a school leader (on the duty rota) or a parent committee member. */
export const COMPANION_KINDS = ['leader', 'parent'] as const;
export type CompanionKind = (typeof COMPANION_KINDS)[number];
export const COMPANION_LABELS: Record<CompanionKind, string> = { leader: '学校领导', parent: '家委会代表' };

/** A China time of day typed on a form: 'HH:MM'. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A China date and time typed on a form: 'YYYY-MM-DD HH:MM'. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2} ([01]\d|2[0-3]):[0-5]\d$/;

