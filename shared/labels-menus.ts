import type { Role } from './roles.ts';

/**
 * 带量食谱, 满意度 and 投诉 vocabulary (issue 17; zod-free: the renderer imports it). Who does what:
 * - The canteen (食堂管理员, or the admin) keeps the ingredients' composition values and drafts and submits the week's menu.
 * - A parent committee member (家委会代表) approves it or returns it with remarks (审定) — never the person who submitted it.
 * - Survey counts from the paper forms and complaints are entered by the staff who receive them; a complaint is closed
 *   by whoever dealt with it (the 食堂管理员, a leader, the admin).
 */
export const MENU_WRITERS: readonly Role[] = ['admin', 'storekeeper'];
export const MENU_REVIEWERS: readonly Role[] = ['parent'];
export const SURVEY_WRITERS: readonly Role[] = ['admin', 'storekeeper', 'reviewer'];
/**
 * Who may open 现场填写 (parents typing their own survey forms on the shared PC) and close it: the staff who record surveys
 * and the parent-committee member, who often runs the parents' meeting where the forms are filled in. The kiosk runs
 * under the opener's login; leaving it takes the opener's password.
 */
export const KIOSK_OPENERS: readonly Role[] = ['admin', 'storekeeper', 'reviewer', 'parent'];
/**
 * The only methods a login in 现场填写 may call (the dispatcher refuses every other, electron/core/backend.ts): the kiosk's
 * own, and what the window asks at start. So a parent at the kiosk reaches nothing of the ledger, even by a reload.
 */
export const KIOSK_MODE_METHODS: readonly string[] = ['surveys.kiosk', 'surveys.respond', 'surveys.kioskClose', 'auth.me', 'setup.status', 'app.info'];
/** The longest remark a parent may type on the kiosk form. */
export const KIOSK_REMARK_MAX = 200;
export const COMPLAINT_WRITERS: readonly Role[] = ['admin', 'storekeeper', 'reviewer'];
export const COMPLAINT_CLOSERS: readonly Role[] = ['admin', 'storekeeper', 'reviewer'];
/** The 食品安全月报 is for the staff who answer for it. */
export const REPORT_READERS: readonly Role[] = ['admin', 'storekeeper', 'accountant', 'reviewer'];

/** The nutrients a composition value gives per 100 g edible part (the order of the pages and the report). */
export const NUTRIENTS = ['energy', 'protein', 'fat', 'carbohydrate', 'calcium', 'iron', 'zinc', 'vitaminA', 'vitaminB1', 'vitaminB2', 'vitaminC'] as const;
export type Nutrient = (typeof NUTRIENTS)[number];
export const NUTRIENT_LABELS: Record<Nutrient, string> = {
  energy: '能量',
  protein: '蛋白质',
  fat: '脂肪',
  carbohydrate: '碳水化合物',
  calcium: '钙',
  iron: '铁',
  zinc: '锌',
  vitaminA: '维生素A',
  vitaminB1: '维生素B1',
  vitaminB2: '维生素B2',
  vitaminC: '维生素C',
};
export const NUTRIENT_UNITS: Record<Nutrient, string> = {
  energy: 'kcal',
  protein: 'g',
  fat: 'g',
  carbohydrate: 'g',
  calcium: 'mg',
  iron: 'mg',
  zinc: 'mg',
  vitaminA: 'μgRAE',
  vitaminB1: 'mg',
  vitaminB2: 'mg',
  vitaminC: 'mg',
};
/** Column names of food_compositions (migration 0024). */
export const NUTRIENT_COLUMNS: Record<Nutrient, string> = {
  energy: 'energy',
  protein: 'protein',
  fat: 'fat',
  carbohydrate: 'carbohydrate',
  calcium: 'calcium',
  iron: 'iron',
  zinc: 'zinc',
  vitaminA: 'vitamin_a',
  vitaminB1: 'vitamin_b1',
  vitaminB2: 'vitamin_b2',
  vitaminC: 'vitamin_c',
};

export type MenuStatus = 'draft' | 'submitted' | 'approved' | 'superseded';
export const MENU_STATUS_LABELS: Record<MenuStatus, string> = { draft: '草稿', submitted: '待审定', approved: '已审定', superseded: '已被修订本取代' };
export type ReviewDecision = 'approved' | 'returned';
export const REVIEW_LABELS: Record<ReviewDecision, string> = { approved: '审定通过', returned: '退回' };

/** How a day's figure stands against its target: under the low end, within, over the high end (energy only), no target. */
export type Attainment = 'low' | 'ok' | 'high' | 'none';
export const ATTAINMENT_LABELS: Record<Attainment, string> = { low: '不足', ok: '达标', high: '过量', none: '未设目标' };

/** The answers of a paper survey form, per question. */
export const SURVEY_ANSWERS = ['satisfied', 'fair', 'dissatisfied'] as const;
export type SurveyAnswer = (typeof SURVEY_ANSWERS)[number];
export const SURVEY_ANSWER_LABELS: Record<SurveyAnswer, string> = { satisfied: '满意', fair: '基本满意', dissatisfied: '不满意' };

export const COMPLAINT_CHANNELS = ['电话', '信箱', '当面', '家长群', '其他'] as const;
