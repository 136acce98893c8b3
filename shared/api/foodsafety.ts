import { method, z } from './contract.ts';
import { documentDate, id, isoDate, month, note, optionalNote, optionalText, text } from './fields.ts';
import { EVERYONE } from '../roles.ts';
import {
  type CertState,
  CHECK_WRITERS,
  type CheckOutcome,
  STAFF_KEEPERS,
  SYMPTOMS,
  type Symptom,
  type CompanionKind,
  DATE_TIME,
  FOLLOWUP_CLOSERS,
  FOOD_SAFETY_FINDING_READERS,
  MEAL_ASPECTS,
  MEAL_COMPANIONS,
  MEALS,
  type MealAspect,
  type Rating,
  RATINGS,
  ROTA_KEEPERS,
  SAMPLE_WRITERS,
  TIME_OF_DAY,
  type Meal,
} from '../labels-foodsafety.ts';
// The vocabulary the renderer needs lives in a zod-free module (no zod in the renderer bundle); re-exported here.
export * from '../labels-foodsafety.ts';

/**
 * 食品安全 (issue 17, docs/DOMAIN-RULES.md "食品安全记录"): the canteen's daily records kept on the same ledger — roles,
 * audit chain, immutability and verify as the books. Each record is signed by who did it and when, and is never
 * changed once confirmed: a mistake is corrected by a reasoned amendment (the record cancelled with its reason, the
 * correct one recorded pointing back at it).
 *
 * 陪餐: a school leader, or a parent committee member under the parent role (the one record a parent writes), eats a
 * meal with the pupils and rates taste, quantity, hygiene and temperature; a problem raised is a follow-up (整改) until
 * someone records what was done.
 *
 * 留样: every dish of every meal served, at least the profile's weight (national 125 g) in the sample fridge, kept at
 * least the profile's hours (national 48), then discarded — who and when.
 */

export interface SampleView {
  id: string;
  date: string;
  meal: Meal;
  dish: string;
  weightG: number;
  /** UTC instants; the pages show them in China time. */
  takenAt: string;
  taker: string;
  fridge: string;
  keepUntil: string;
  /** Why a light sample (under the least weight of its day's profile) could not be topped up; '' for a sample that met it. */
  lightReason: string;
  status: 'confirmed' | 'cancelled';
  /** The sample this one corrects. */
  amends: string | null;
  createdByName: string;
  createdAt: string;
  cancelledByName: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  discard: { at: string; disposer: string; reason: string; early: boolean; recordedByName: string } | null;
}

export interface SampleFinding {
  kind: 'no_samples' | 'meal_without_sample' | 'early_discard' | 'planned_dish_without_sample' | 'light_sample';
  date: string;
  meal: Meal | null;
  /** In words, as the home and the checklist show it. */
  text: string;
}

export interface SampleRules {
  minGrams: number;
  keepHours: number;
}

export interface AccompaniedMealView {
  id: string;
  date: string;
  meal: Meal;
  companionKind: CompanionKind;
  companionName: string;
  ratings: Record<MealAspect, Rating>;
  remarks: Record<MealAspect, string>;
  /** '' when none was raised. */
  problem: string;
  status: 'confirmed' | 'cancelled';
  amends: string | null;
  createdAt: string;
  /** Whether the caller made it (and so may correct it). */
  mine: boolean;
  cancelledByName: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  /** The 整改 of a raised problem: null while open (or when no problem was raised). */
  followup: { action: string; closedAt: string; closedByName: string } | null;
}

/** The 陪餐 duty rota of a term: its versions (each from a date on) and the school leaders who may be on it. */
export interface MealRotaView {
  termCode: string;
  termName: string;
  startDate: string;
  endDate: string;
  versions: { fromDate: string; entries: { weekday: number; meal: Meal; userId: string; userName: string }[] }[];
  /** Active users holding the 审核人 (school leader) role. */
  leaders: { id: string; name: string }[];
  /** Every term, for the choice. */
  terms: { code: string; name: string }[];
}

export interface MealFinding {
  kind: 'no_companion' | 'open_followup' | 'rota_missed';
  date: string;
  meal: Meal | null;
  text: string;
  /** The 陪餐 record of an open follow-up. */
  mealId: string | null;
}

const meal = z.enum(MEALS, { error: '餐次应为早餐、午餐或晚餐' });
const timeOfDay = (label: string) => z.string({ error: `${label}必须是文字` }).regex(TIME_OF_DAY, { error: `${label}格式应为 时:分（如 11:30）` });
const dateTime = (label: string) => z.string({ error: `${label}必须是文字` }).regex(DATE_TIME, { error: `${label}格式应为 YYYY-MM-DD 时:分` });
const weightG = z
  .number({ error: '留样量必须是数字' })
  .int({ error: '留样量以克为单位，填整数' })
  .min(1, { error: '留样量必须大于 0 克' })
  .max(5000, { error: '留样量不能超过 5000 克' });

const sampleFields = {
  dish: text('菜品名称', 50),
  weightG,
  takenTime: timeOfDay('留样时间'),
  /**
   * Only for a light sample (under the profile's least weight): why it could not be topped up (菜品已售完). A light sample
   * without it is refused with the advice to top it up; with it, it is recorded as weighed and is a finding (留样不足).
   */
  lightReason: optionalNote('留样不足原因'),
};

export interface StaffView {
  id: string;
  name: string;
  post: string;
  certNo: string;
  certExpiry: string | null;
  active: boolean;
  /** The certificate on the day asked about (today for the roster). */
  certState: CertState;
}

export interface CheckView {
  id: string;
  date: string;
  staffId: string;
  staffName: string;
  symptoms: Symptom[];
  outcome: CheckOutcome;
  onDuty: boolean;
  note: string;
  status: 'confirmed' | 'cancelled';
  amends: string | null;
  createdByName: string;
  createdAt: string;
  cancelReason: string | null;
}

/** A day's 晨检: every active person with their certificate on that day and their check, if any. */
export interface CheckDay {
  date: string;
  rows: { staff: StaffView; check: CheckView | null }[];
  /** Checks cancelled that day (corrected), for the record. */
  cancelled: CheckView[];
  /** The symptoms asked about that day (the profile of its month). */
  symptoms: Symptom[];
}

export interface StaffFinding {
  kind: 'unchecked' | 'cert_expired' | 'cert_expiring' | 'cert_missing';
  date: string;
  staffId: string;
  text: string;
}

const checkFields = {
  symptoms: z.array(z.enum(SYMPTOMS, { error: '症状无效' })).max(SYMPTOMS.length).default([]),
  outcome: z.enum(['fit', 'unfit'], { error: '晨检结果应为 合格 或 不合格' }),
  onDuty: z.boolean({ error: '是否上岗必须是 是 或 否' }),
  note: optionalNote('说明', 200),
};

const ratingField = (label: string) => z.enum(RATINGS, { error: `${label}评价应为 好、一般 或 差` });
const mealFields = {
  ratings: z
    .object({ taste: ratingField('口味'), quantity: ratingField('份量'), hygiene: ratingField('卫生'), temperature: ratingField('温度') })
    .strict(),
  remarks: z
    .object(Object.fromEntries(MEAL_ASPECTS.map((a) => [a, optionalNote('评价说明', 200)])) as Record<MealAspect, ReturnType<typeof optionalNote>>)
    .strict()
    .default({ taste: '', quantity: '', hygiene: '', temperature: '' }),
  problem: optionalNote('发现的问题', 500),
};

export const foodsafetyApi = {
  'meals.list': method<AccompaniedMealView[]>()({
    input: z.object({ from: isoDate('开始日期'), to: isoDate('结束日期') }).strict().refine((v) => v.from <= v.to, { error: '开始日期不能晚于结束日期', path: ['to'] }),
    access: EVERYONE,
    writes: false,
    summary: '陪餐记录与整改情况，按日期与餐次',
  }),
  'meals.record': method<AccompaniedMealView>()({
    input: z.object({ date: documentDate('陪餐日期'), meal, ...mealFields }).strict(),
    access: MEAL_COMPANIONS,
    writes: true,
    summary: '登记本人陪餐：口味、份量、卫生、温度的评价与发现的问题（提出问题即待整改）',
  }),
  'meals.amend': method<AccompaniedMealView>()({
    input: z.object({ id: id('陪餐记录'), reason: note('更正原因'), ...mealFields }).strict(),
    access: MEAL_COMPANIONS,
    writes: true,
    summary: '更正本人的陪餐记录：原记录注明原因作废，重新登记',
  }),
  'meals.closeFollowup': method<AccompaniedMealView>()({
    input: z.object({ id: id('陪餐记录'), action: note('整改措施', 500) }).strict(),
    access: FOLLOWUP_CLOSERS,
    writes: true,
    summary: '陪餐问题整改完成：写明做了什么',
  }),
  'meals.findings': method<MealFinding[]>()({
    input: z.object({ month: month() }).strict(),
    access: FOOD_SAFETY_FINDING_READERS,
    writes: false,
    summary: '陪餐问题：上课日无陪餐记录、整改未完成',
  }),
  'mealRota.get': method<MealRotaView | null>()({
    input: z.object({ termCode: text('学期', 10).nullable().default(null) }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '学期的陪餐值班表（不指定学期则为今天所在学期；没有学期时为空）',
  }),
  'mealRota.save': method<MealRotaView>()({
    input: z
      .object({
        termCode: text('学期', 10),
        /** The day this version takes effect (within the term; planned ahead, never on or before a closed month). */
        fromDate: isoDate('生效日期'),
        entries: z
          .array(
            z
              .object({
                weekday: z.number({ error: '星期必须是数字' }).int().min(1, { error: '星期应为周一至周日' }).max(7, { error: '星期应为周一至周日' }),
                meal,
                userId: id('值班领导'),
              })
              .strict(),
            { error: '请填写值班安排' },
          )
          .min(1, { error: '请至少安排一位值班领导' })
          .max(100, { error: '值班安排最多 100 条' }),
      })
      .strict(),
    access: ROTA_KEEPERS,
    writes: true,
    summary: '保存学期的陪餐值班表：自生效日期起，每周几哪一餐由哪位学校领导陪餐（值班领导未陪餐列为问题）',
  }),
  'staff.list': method<StaffView[]>()({
    input: z.object({ includeInactive: z.boolean().default(false) }).strict(),
    access: FOOD_SAFETY_FINDING_READERS,
    writes: false,
    summary: '食堂从业人员与健康证（编号、有效期、状态）',
  }),
  'staff.save': method<StaffView>()({
    input: z
      .object({
        id: id('从业人员').nullable().default(null),
        name: text('姓名', 30),
        post: optionalText('岗位', 30),
        certNo: optionalText('健康证编号', 40),
        certExpiry: isoDate('健康证有效期').nullable().default(null),
        active: z.boolean().default(true),
      })
      .strict()
      .refine((v) => (v.certNo === '') === (v.certExpiry === null), { error: '健康证编号与有效期须一起填写', path: ['certExpiry'] }),
    access: STAFF_KEEPERS,
    writes: true,
    summary: '登记或修改食堂从业人员及其健康证',
  }),
  'checks.day': method<CheckDay>()({
    input: z.object({ date: isoDate('日期') }).strict(),
    access: FOOD_SAFETY_FINDING_READERS,
    writes: false,
    summary: '某日晨检：每位在岗人员的健康证状态与晨检结果',
  }),
  'checks.record': method<CheckView[]>()({
    input: z
      .object({
        date: documentDate('晨检日期'),
        checks: z.array(z.object({ staffId: id('从业人员'), ...checkFields }).strict()).min(1, { error: '请至少登记一人' }).max(200),
      })
      .strict(),
    access: CHECK_WRITERS,
    writes: true,
    summary: '登记晨检：症状、结果、是否上岗（不合格或健康证过期者不能上岗）',
  }),
  'checks.amend': method<CheckView>()({
    input: z.object({ id: id('晨检记录'), reason: note('更正原因'), ...checkFields }).strict(),
    access: CHECK_WRITERS,
    writes: true,
    summary: '更正晨检记录：原记录注明原因作废，重新登记',
  }),
  'staff.findings': method<StaffFinding[]>()({
    input: z.object({ month: month() }).strict(),
    access: FOOD_SAFETY_FINDING_READERS,
    writes: false,
    summary: '晨检与健康证问题：上课日未晨检、健康证过期或 30 天内到期',
  }),
  'samples.list': method<{ samples: SampleView[]; rules: SampleRules }>()({
    input: z.object({ from: isoDate('开始日期'), to: isoDate('结束日期') }).strict().refine((v) => v.from <= v.to, { error: '开始日期不能晚于结束日期', path: ['to'] }),
    access: EVERYONE,
    writes: false,
    summary: '留样记录（含作废、更正与处理），按日期与餐次',
  }),
  'samples.record': method<SampleView[]>()({
    input: z
      .object({
        date: documentDate('留样日期'),
        meal,
        fridge: text('留样冰箱', 30),
        taker: text('留样人', 30),
        /** Kept until (China time); by default each dish's time taken plus the profile's hours. */
        keepUntil: dateTime('保存至').optional(),
        dishes: z.array(z.object(sampleFields).strict(), { error: '请填写菜品' }).min(1, { error: '请至少填写一个菜品' }).max(40, { error: '一餐最多 40 个菜品' }),
      })
      .strict(),
    access: SAMPLE_WRITERS,
    writes: true,
    summary: '登记一餐的留样：每个菜品的留样量、时间、留样人、冰箱与保存期限（确认后不能修改；不足规定量须补足，无法补足时写明原因登记并列为问题）',
  }),
  'samples.amend': method<SampleView>()({
    input: z
      .object({ id: id('留样'), reason: note('更正原因'), ...sampleFields, fridge: text('留样冰箱', 30), taker: text('留样人', 30), keepUntil: dateTime('保存至').optional() })
      .strict(),
    access: SAMPLE_WRITERS,
    writes: true,
    summary: '更正留样：原记录注明原因作废，登记正确的记录并指向原记录',
  }),
  'samples.discard': method<SampleView[]>()({
    input: z
      .object({
        ids: z.array(id('留样'), { error: '请选择要处理的留样' }).min(1, { error: '请选择要处理的留样' }).max(200),
        /** When (China time); now when left out. */
        at: dateTime('处理时间').optional(),
        disposer: text('处理人', 30),
        reason: optionalNote('提前处理原因'),
      })
      .strict(),
    access: SAMPLE_WRITERS,
    writes: true,
    summary: '留样到期处理：谁、何时（未到保存期限须写明原因，列为问题）',
  }),
  'samples.findings': method<SampleFinding[]>()({
    input: z.object({ month: month() }).strict(),
    access: FOOD_SAFETY_FINDING_READERS,
    writes: false,
    summary: '留样问题：上课日无留样、出库餐次无留样、审定食谱菜品无留样、留样不足、提前处理',
  }),
};
