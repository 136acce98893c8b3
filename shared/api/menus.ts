import { method, z } from './contract.ts';
import { documentDate, id, isoDate, month, note, optionalNote, optionalText, text } from './fields.ts';
import { EVERYONE } from '../roles.ts';
import { MEALS, type Meal } from '../labels-storeroom.ts';
import {
  type Attainment,
  COMPLAINT_CHANNELS,
  COMPLAINT_CLOSERS,
  COMPLAINT_WRITERS,
  KIOSK_OPENERS,
  KIOSK_REMARK_MAX,
  MENU_REVIEWERS,
  MENU_WRITERS,
  type MenuStatus,
  type Nutrient,
  NUTRIENTS,
  REPORT_READERS,
  type ReviewDecision,
  SURVEY_ANSWERS,
  type SurveyAnswer,
  SURVEY_WRITERS,
} from '../labels-menus.ts';
export * from '../labels-menus.ts';

/**
 * 带量食谱, 满意度, 投诉 and the 食品安全月报 (issue 17; docs/DOMAIN-RULES.md "带量食谱"). The canteen enters each
 * ingredient's composition per 100 g edible part with its source (no table is shipped), drafts the week's menu — per day
 * and meal, dishes with their ingredients and the raw grams per pupil of each of the profile's age groups — and
 * submits it; a parent committee member approves it or returns it with remarks. The app computes, per day and age
 * group, the planned cost per pupil from the last accepted prices and the nutrients from the entered values, and sets
 * them beside the profile's targets (WS/T 554-2017's meal shares of the daily figures).
 */

/** Nutrient amounts in thousandths of their unit (kcal, g, mg, μg RAE); null where the source gives none. */
export type NutrientValues = Record<Nutrient, number | null>;

export interface CompositionView {
  ingredientId: string;
  ingredientName: string;
  unit: string;
  /** Edible share in basis points (10000 = all of it). */
  edibleBp: number;
  /** Grams one purchasing unit weighs, where the unit is not a weight (个, 盒); null otherwise. */
  unitGrams: number | null;
  /** Per 100 g edible part, thousandths of the unit. */
  values: NutrientValues;
  source: string;
  updatedAt: string;
  updatedByName: string;
}

export interface MenuLine {
  day: string;
  meal: Meal;
  dish: string;
  ingredientId: string;
  ageGroup: string;
  /** Raw grams per pupil, in thousandths of a gram. */
  qtyMg: number;
}

export interface MenuLineView extends MenuLine {
  ingredientName: string;
}

export interface MenuReviewView {
  decision: ReviewDecision;
  remark: string;
  reviewedAt: string;
  reviewedByName: string;
}

/** One nutrient of a day for one age group: the amount, the target range for the meals served that day, where it stands. */
export interface NutrientFigure {
  amount: number;
  /** Daily target × the served meals' low and high shares (thousandths of the unit); null without a target. */
  low: number | null;
  high: number | null;
  attainment: Attainment;
}

export interface DayAnalysis {
  day: string;
  ageGroup: string;
  ageGroupLabel: string;
  meals: Meal[];
  /** Planned cost per pupil in fen; null when some ingredient has no accepted price (or no weight for its unit). */
  costFen: number | null;
  /** The ingredients whose cost or nutrients could not be counted, in words. */
  missing: string[];
  nutrients: Record<Nutrient, NutrientFigure>;
  /** Distinct ingredients of the day (all its meals). */
  variety: number;
}

/** A reasoned amendment of an approved menu (migration 0026): the revision it opened, why, who, when. */
export interface MenuAmendmentView {
  /** The approved menu this revision amends. */
  amendsId: string;
  reason: string;
  createdAt: string;
  createdByName: string;
}

export interface MenuView {
  id: string;
  weekStart: string;
  status: MenuStatus;
  /** 1 for the week's first menu; each reasoned amendment the next. */
  revision: number;
  /** Null for the week's first menu. */
  amendment: MenuAmendmentView | null;
  /** The revision that amends this one, when there is one (open or approved). */
  amendedById: string | null;
  /** Every revision of the week, oldest first (for the page's history). */
  revisions: { id: string; revision: number; status: MenuStatus }[];
  note: string;
  lines: MenuLineView[];
  createdByName: string;
  submittedAt: string | null;
  submittedByName: string | null;
  /** Whether the caller submitted it (and so may not approve it). */
  submittedByMe: boolean;
  approvedAt: string | null;
  approvedByName: string | null;
  reviews: MenuReviewView[];
  analysis: DayAnalysis[];
  /** Distinct ingredients of the week, and the profile's asks (null: not set). */
  weekVariety: number;
  varietyPerDay: number | null;
  varietyPerWeek: number | null;
  ageGroups: { code: string; label: string }[];
}

export interface MenuSummary {
  id: string;
  weekStart: string;
  status: MenuStatus;
  revision: number;
  dishes: number;
  submittedAt: string | null;
  approvedAt: string | null;
  approvedByName: string | null;
}

/** What the storeroom would issue for a meal of the approved menu: each ingredient's raw grams × the diners of each age group. */
export interface MenuIssuePlan {
  menuId: string;
  weekStart: string;
  revision: number;
  date: string;
  meal: Meal;
  diners: number;
  lines: {
    ingredientId: string;
    name: string;
    unit: string;
    /** Kept in the storeroom (issued from stock); otherwise 直进直出, used the day it arrives. */
    storable: boolean;
    /** Total raw thousandths of a gram. */
    totalMg: number;
    /** In the ingredient's unit (thousandths), half up; null when the unit has no known weight. */
    qtyMilli: number | null;
    dishes: string[];
  }[];
}

export interface SurveyView {
  id: string;
  termName: string;
  date: string;
  forms: number;
  results: { question: string; counts: Record<SurveyAnswer, number> }[];
  /** Share answering 满意 or 基本满意 over all answers, basis points. */
  satisfiedBp: number;
  status: 'confirmed' | 'cancelled';
  createdByName: string;
  cancelReason: string | null;
}

/** The 现场填写 page's session: what the kiosk shows a parent (never an earlier answer). */
export interface KioskView {
  id: string;
  termName: string;
  date: string;
  /** The profile's questions in force on that day, in order. */
  questions: string[];
  openedByName: string;
  openedAt: string;
}

/** A 现场填写 session on the survey page: when, who opened and closed it, how many forms parents submitted. */
export interface SurveySessionView extends KioskView {
  closedAt: string | null;
  closedByName: string | null;
  responses: number;
}

/**
 * A term's survey (keyed by its 学期 name): the paper forms counted (every confirmed surveys.record of the term) and the
 * forms parents typed at 现场填写 (every response of the term's sessions), per question from each source and combined.
 */
export interface TermSurveyView {
  termName: string;
  /** The latest date of a paper record or a session of the term. */
  lastDate: string;
  /** Paper: forms returned (summed over the term's records) and how many records. */
  paperForms: number;
  paperRecords: number;
  /** Typed: forms submitted at 现场填写 and its sessions (newest first). */
  typedForms: number;
  sessions: SurveySessionView[];
  /** Each question asked (the paper records' first, then any new one of a session), counts per source and together. */
  results: { question: string; paper: Record<SurveyAnswer, number>; typed: Record<SurveyAnswer, number>; combined: Record<SurveyAnswer, number> }[];
  /** (满意 + 基本满意) ÷ all answers, basis points rounded half up; null where that source has no answer. */
  paperBp: number | null;
  typedBp: number | null;
  satisfiedBp: number | null;
  /** The remarks parents typed, oldest first (anonymous). */
  remarks: { date: string; text: string }[];
}

export interface ComplaintView {
  id: string;
  date: string;
  channel: string;
  complainant: string;
  content: string;
  status: 'confirmed' | 'cancelled';
  createdByName: string;
  createdAt: string;
  cancelReason: string | null;
  followup: { action: string; closedAt: string; closedByName: string } | null;
}

/** The 食品安全月报's figures (electron/core/domains/menus/report.ts). */
export interface FoodSafetyMonthReport {
  month: string;
  schoolName: string;
  /** The days the report covers: the month's first to its last day or today, whichever is earlier. */
  from: string;
  to: string;
  /** Per 上课日 up to the month's end (or today): meals sampled / with a 陪餐, as 'breakfast,lunch' lists. */
  days: { date: string; sampledMeals: Meal[]; accompaniedMeals: Meal[]; checked: number; staff: number }[];
  samples: { count: number; light: number; earlyDiscards: number };
  meals: { count: number; problems: number; followedUp: number };
  findings: string[];
  staff: { name: string; certExpiry: string | null; certState: string; checkedDays: number }[];
  /** lowFigures: the menu's nutrient figures (day × age group × nutrient) under their targets. */
  menus: { weekStart: string; status: MenuStatus; approvedAt: string | null; approvedByName: string | null; lowFigures: number }[];
  complaints: { date: string; content: string; closed: boolean; action: string; closedByName: string }[];
  /**
   * 满意度 of the month, per term: the paper forms of the records dated in the month and the forms parents typed at the
   * month's 现场填写 sessions, apart and together (a month's figures never change with a later month's forms).
   */
  surveys: { termName: string; paperForms: number; typedForms: number; paperBp: number | null; typedBp: number | null; satisfiedBp: number | null }[];
  /** 农残快检 at the door (posted deliveries of the month): lines tested, lines failed, and each failed line. */
  residueTests: { tested: number; failed: number; failures: { date: string; item: string; supplier: string; reading: string; handling: string }[] };
}

const meal = z.enum(MEALS, { error: '餐次应为早餐、午餐或晚餐' });
const nutrientValue = (label: string) =>
  z.number({ error: `${label}必须是数字` }).int({ error: `${label}以千分之一单位的整数填写` }).min(0, { error: `${label}不能为负数` }).max(100_000_000, { error: `${label}超出范围` }).nullable();

const lineSchema = z
  .object({
    day: isoDate('日期'),
    meal,
    dish: text('菜品名称', 50),
    ingredientId: id('食材'),
    ageGroup: z.string({ error: '年龄组必须是文字' }).min(1, { error: '请选择年龄组' }).max(20),
    qtyMg: z
      .number({ error: '每人用量必须是数字' })
      .int({ error: '每人用量以千分之一克的整数填写' })
      .min(1, { error: '每人用量必须大于 0' })
      .max(5_000_000, { error: '每人用量不能超过 5000 克' }),
  })
  .strict();

export const menusApi = {
  'compositions.list': method<CompositionView[]>()({
    input: z.object({}).strict().default({}),
    access: EVERYONE,
    writes: false,
    summary: '食材的营养成分（每 100 克可食部）及其来源',
  }),
  'compositions.save': method<CompositionView>()({
    input: z
      .object({
        ingredientId: id('食材'),
        edibleBp: z.number({ error: '可食部必须是数字' }).int().min(1, { error: '可食部必须大于 0' }).max(10_000, { error: '可食部不能超过 100%' }).default(10_000),
        unitGrams: z.number({ error: '每单位克数必须是数字' }).int({ error: '每单位克数填整数' }).min(1).max(100_000_000).nullable().default(null),
        values: z.object(Object.fromEntries(NUTRIENTS.map((n) => [n, nutrientValue('营养素含量')])) as Record<Nutrient, ReturnType<typeof nutrientValue>>).strict(),
        source: text('数据来源', 100),
      })
      .strict(),
    access: MENU_WRITERS,
    writes: true,
    summary: '登记或修改一种食材的营养成分（每 100 克可食部），注明数据来源',
  }),
  'compositions.import': method<{ saved: number; names: string[] }>()({
    input: z
      .object({
        fileBase64: z
          .string({ error: '请选择要导入的文件' })
          .min(1, { error: '请选择要导入的文件' })
          .max(5_000_000, { error: '文件太大（不能超过约 3.7 MB）' })
          .regex(/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/, { error: '文件内容应为 base64 编码' }),
      })
      .strict(),
    access: MENU_WRITERS,
    writes: true,
    summary: '从 .xlsx 导入食材营养成分（表头：食材、可食部%、每单位克数、各营养素、数据来源；有一行不对则全部不导入）',
  }),
  'menus.list': method<MenuSummary[]>()({
    input: z.object({ from: isoDate('开始日期'), to: isoDate('结束日期') }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '各周带量食谱及其审定状态',
  }),
  'menus.get': method<MenuView>()({
    input: z.object({ id: id('带量食谱') }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '一周带量食谱：菜品、每人用量、计划成本、营养素与目标对照、审定记录',
  }),
  'menus.save': method<MenuView>()({
    input: z
      .object({
        id: id('带量食谱').nullable().default(null),
        weekStart: isoDate('周一日期'),
        note: optionalText('说明', 200),
        lines: z.array(lineSchema, { error: '请填写食谱' }).min(1, { error: '请至少填写一道菜' }).max(2000, { error: '一周最多 2000 行' }),
      })
      .strict(),
    access: MENU_WRITERS,
    writes: true,
    summary: '保存一周带量食谱草稿（整周替换）',
  }),
  'menus.submit': method<MenuView>()({
    input: z.object({ id: id('带量食谱') }).strict(),
    access: MENU_WRITERS,
    writes: true,
    summary: '提交带量食谱，由家委会代表审定',
  }),
  'menus.review': method<MenuView>()({
    input: z
      .object({ id: id('带量食谱'), decision: z.enum(['approved', 'returned'], { error: '审定结果应为 通过 或 退回' }), remark: optionalNote('审定意见', 500) })
      .strict()
      .refine((v) => v.decision === 'approved' || v.remark !== '', { error: '退回时请写明审定意见', path: ['remark'] }),
    access: MENU_REVIEWERS,
    writes: true,
    summary: '家委会审定带量食谱：通过（公布）或写明意见退回',
  }),
  'menus.amend': method<MenuView>()({
    input: z.object({ id: id('带量食谱'), reason: note('修订原因', 500) }).strict(),
    access: MENU_WRITERS,
    writes: true,
    summary: '修订已审定的带量食谱：写明原因，生成新的一版草稿，重新提交审定（审定前原食谱继续有效）',
  }),
  'menus.issuePlan': method<MenuIssuePlan>()({
    input: z
      .object({
        date: isoDate('出库日期'),
        meal,
        diners: z
          .record(
            z.string().min(1).max(20),
            z.number({ error: '就餐人数必须是数字' }).int({ error: '就餐人数填整数' }).min(0, { error: '就餐人数不能为负数' }).max(100_000, { error: '就餐人数超出范围' }),
          )
          .refine((d) => Object.keys(d).length <= 8, { error: '年龄组最多 8 个' }),
      })
      .strict(),
    access: MENU_WRITERS,
    writes: false,
    summary: '按已审定带量食谱的每人用量 × 各年龄组就餐人数，算出一餐应出库的食材数量（出库建议）',
  }),
  'surveys.list': method<SurveyView[]>()({
    input: z.object({}).strict().default({}),
    access: EVERYONE,
    writes: false,
    summary: '满意度调查结果（按学期）',
  }),
  'surveys.record': method<SurveyView>()({
    input: z
      .object({
        termName: text('学期', 30),
        date: documentDate('调查日期'),
        forms: z.number({ error: '收回问卷份数必须是数字' }).int().min(1, { error: '收回问卷份数至少 1 份' }).max(100_000),
        results: z
          .array(
            z
              .object({
                question: text('问题', 40),
                counts: z.object(Object.fromEntries(SURVEY_ANSWERS.map((a) => [a, z.number({ error: '人数必须是数字' }).int({ error: '人数填整数' }).min(0, { error: '人数不能为负数' }).max(100_000)])) as Record<SurveyAnswer, z.ZodNumber>).strict(),
              })
              .strict(),
          )
          .min(1)
          .max(20),
      })
      .strict(),
    access: SURVEY_WRITERS,
    writes: true,
    summary: '登记满意度调查（按纸质问卷汇总的人数）',
  }),
  'surveys.terms': method<TermSurveyView[]>()({
    input: z.object({}).strict().default({}),
    access: EVERYONE,
    writes: false,
    summary: '各学期满意度汇总：纸质问卷与家长现场填写分列并合计',
  }),
  'surveys.kioskOpen': method<KioskView>()({
    input: z.object({ termName: text('学期', 30) }).strict(),
    access: KIOSK_OPENERS,
    writes: true,
    summary: '开始现场填写：本机变为家长填写满意度问卷的页面（今天的问题），退出须输入开启人的密码',
  }),
  'surveys.kiosk': method<KioskView | null>()({
    input: z.object({}).strict().default({}),
    access: KIOSK_OPENERS,
    writes: false,
    summary: '本机正在进行的现场填写（只有问题，不含已提交的回答）',
  }),
  'surveys.respond': method<null>()({
    input: z
      .object({
        sessionId: id('现场填写'),
        answers: z
          .array(z.enum(SURVEY_ANSWERS, { error: '回答应为 满意、基本满意 或 不满意' }).nullable(), { error: '请回答问卷' })
          .min(1, { error: '请回答问卷' })
          .max(20, { error: '问卷最多 20 个问题' }),
        remark: optionalNote('意见和建议', KIOSK_REMARK_MAX),
      })
      .strict(),
    access: KIOSK_OPENERS,
    writes: true,
    summary: '家长提交一份满意度问卷（不记名，每题 满意/基本满意/不满意，可写意见）',
  }),
  'surveys.kioskClose': method<SurveySessionView>()({
    input: z.object({ id: id('现场填写'), password: z.string({ error: '请输入密码' }).min(1, { error: '请输入密码' }).max(256) }).strict(),
    access: KIOSK_OPENERS,
    writes: true,
    summary: '结束现场填写（输入开启人的密码；结束后不再接受提交）',
  }),
  'complaints.list': method<ComplaintView[]>()({
    input: z.object({ from: isoDate('开始日期'), to: isoDate('结束日期') }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '投诉记录与处理情况',
  }),
  'complaints.record': method<ComplaintView>()({
    input: z
      .object({
        date: documentDate('投诉日期'),
        channel: z.enum(COMPLAINT_CHANNELS, { error: '投诉渠道无效' }),
        complainant: optionalText('投诉人', 30),
        content: note('投诉内容', 500),
      })
      .strict(),
    access: COMPLAINT_WRITERS,
    writes: true,
    summary: '登记投诉',
  }),
  'complaints.close': method<ComplaintView>()({
    input: z.object({ id: id('投诉'), action: note('处理结果', 500) }).strict(),
    access: COMPLAINT_CLOSERS,
    writes: true,
    summary: '投诉处理完毕：写明如何处理（记下处理人）',
  }),
  'reports.foodSafetyMonth': method<FoodSafetyMonthReport>()({
    input: z.object({ month: month() }).strict(),
    access: REPORT_READERS,
    writes: false,
    summary: '食品安全月报：留样与陪餐完成情况、问题与整改、晨检与健康证、食谱审定、投诉、满意度（纸质与现场填写分列）',
  }),
  'reports.foodSafetyMonthExport': method<{ xlsxPath: string }>()({
    input: z.object({ month: month(), dir: z.string().trim().min(1).max(500).optional() }).strict(),
    access: REPORT_READERS,
    writes: false,
    summary: '导出食品安全月报（A4 工作簿 .xlsx）',
  }),
};
