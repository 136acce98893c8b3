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
/** Who sets the 陪餐 duty rota of school leaders: the principal (审核人) and the admin. */
export const ROTA_KEEPERS: readonly Role[] = ['admin', 'reviewer'];
export const WEEKDAY_LABELS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'] as const;
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


/** 晨检: who keeps the staff roster (the 食堂管理员, or the admin) and who records the checks (the 食堂管理员). */
export const STAFF_KEEPERS: readonly Role[] = ['admin', 'storekeeper'];
export const CHECK_WRITERS: readonly Role[] = ['storekeeper'];

/** What the morning check looks for (《学校食品安全与营养健康管理规定》第二十七条; 操作规范 从业人员健康管理). */
export const SYMPTOMS = ['fever', 'cough', 'diarrhoea', 'vomiting', 'sore_throat', 'hand_wound', 'skin_disease', 'other'] as const;
export type Symptom = (typeof SYMPTOMS)[number];
export const SYMPTOM_LABELS: Record<Symptom, string> = {
  fever: '发热',
  cough: '咳嗽',
  diarrhoea: '腹泻',
  vomiting: '呕吐',
  sore_throat: '咽痛',
  hand_wound: '手部皮肤破损',
  skin_disease: '皮肤病',
  other: '其他',
};
export const OUTCOME_LABELS = { fit: '合格', unfit: '不合格' } as const;
export type CheckOutcome = keyof typeof OUTCOME_LABELS;

/** A health certificate expiring within this many days is warned of. */
export const HEALTH_CERT_WARN_DAYS = 30;
export type CertState = 'ok' | 'expiring' | 'expired' | 'missing';
export const CERT_STATE_LABELS: Record<CertState, string> = { ok: '有效', expiring: '即将到期', expired: '已过期', missing: '未登记' };
