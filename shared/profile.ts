import { z } from './api/contract.ts';
import { DEFAULT_DISCLOSURE_LAYOUT, disclosureLayoutSchema } from './disclosure.ts';
import { DEFAULT_CERT_RULES } from './cert-rules.ts';
import { NUTRIENTS } from './labels-menus.ts';
import { SYMPTOMS } from './labels-foodsafety.ts';
import { CATEGORIES, CATEGORY_LABELS, CERT_KINDS, CONFIGURABLE_NON_FOOD, COST_BASES, FULL_COST_ONLY, INGREDIENT_KINDS, NON_FOOD_LABELS } from './domain.ts';

const certList = z
  .array(z.enum(CERT_KINDS, { error: '证明类型无效' }))
  .max(CERT_KINDS.length)
  .refine((c) => new Set(c).size === c.length, { error: '证明类型重复' });

/** WS/T 554-2017's age groups (6–17); their targets are entered by the school from the standard (none shipped). */
export const DEFAULT_MENU_AGE_GROUPS: { code: string; label: string; targets: Partial<Record<(typeof NUTRIENTS)[number], number>> }[] = [
  { code: '6-8', label: '6~8岁', targets: {} },
  { code: '9-11', label: '9~11岁', targets: {} },
  { code: '12-14', label: '12~14岁', targets: {} },
  { code: '15-17', label: '15~17岁', targets: {} },
];
/** WS/T 554-2017's share of the day per meal, low and high, in basis points. */
export const DEFAULT_MEAL_SHARES_BP: Record<'breakfast' | 'lunch' | 'dinner', [number, number]> = { breakfast: [2500, 3000], lunch: [3500, 4000], dinner: [3000, 3500] };
export const DEFAULT_SURVEY_QUESTIONS = ['饭菜口味', '饭菜份量', '食品卫生', '菜品种类', '价格', '服务态度'];

/**
 * The regional profile (区域配置): everything DOMAIN.md marks *profile*. Stored as JSON on the school; code reads
 * these settings and never hard-codes the regional numbers. Rates in basis points (1 % = 100) keep them integers.
 */
export const profileSchema = z
  .object({
    name: z.string().min(1).max(50),
    feePeriod: z.enum(['month', 'term']),
    refundFromNextDay: z.boolean(),
    refundDeadlineWorkingDays: z.number().int().min(1).max(120),
    subsidyRateFen: z.number().int().min(0).max(10_000),
    surplusLimitBp: z.number().int().min(0).max(10_000),
    surplusPeriod: z.enum(['month', 'term', 'year']),
    /**
     * Expense kinds besides ingredients the fund may pay (domain.ts): 燃料, 水电, 人工 under any profile that allows them,
     * 办公, 维修, 其他费用 only under full cost. 手续费 is always allowed and is not listed here.
     */
    allowedNonFood: z.array(z.enum(CONFIGURABLE_NON_FOOD, { error: '非食材支出类别无效' })).refine((k) => new Set(k).size === k.length, { error: '非食材支出类别重复' }),
    /**
     * 'food' (自营: the fund pays for food, 手续费 and whatever of 燃料/水电/人工 the region allows) or 'full' (承包经营,
     * 全成本核算: every operating cost, and the summary adds 营业利润 and 营业利润率). A profile stored before reads 'food'.
     */
    costBasis: z.enum(COST_BASES, { error: '核算方式应为 食材成本 或 全成本' }).default('food'),
    /**
     * The expense rows the region's notices publish, each summing some ingredient categories (e.g. 荤食 = 肉禽蛋 + 水产),
     * covering every category exactly once. Absent: one row per category (LAYOUTS.md as shipped), so a profile stored
     * before, and a closed month's figures, read as they did.
     */
    disclosureCategories: z
      .array(
        z
          .object({
            label: z.string().trim().min(1, '公示类别名称不能为空').max(20, '公示类别名称最多20个字'),
            categories: z.array(z.enum(CATEGORIES, { error: '食材类别无效' })).min(1, '每个公示类别至少对应一个食材类别'),
          })
          .strict(),
      )
      .min(1)
      .max(CATEGORIES.length)
      .optional(),
    /** 参考价 = market average × (1 − discount), per category. */
    referenceDiscountBp: z.record(z.enum(CATEGORIES), z.number().int().min(0).max(5_000)),
    /** A price above reference by more than this is flagged. */
    priceToleranceBp: z.number().int().min(0).max(10_000),
    bannedItems: z.array(z.string().min(1).max(30)).max(200),
    nearExpiryDays: z.number().int().min(0).max(365),
    licenceWarnDays: z.number().int().min(0).max(365),
    /** How many times in the last 30 days the same inspector pair may sign before a rotation warning. */
    inspectorPairRepeatLimit: z.number().int().min(1).max(100),
    cashClearingTwoPeople: z.boolean(),
    usesStoreroom: z.boolean(),
    disclosureDeadlineDay: z.number().int().min(1).max(28),
    signatures: z.array(z.string().min(1).max(30)).min(1).max(8),
    notes: z.array(z.string().max(200)).max(10),
    complaintPhone: z.string().max(30),
    /** Which disclosure sheets, under which names, with which row labels (LAYOUTS.md as shipped by default). */
    disclosureLayout: disclosureLayoutSchema,
    /** Automatic backups kept: the newest per day for this many days, the newest per month for this many months. */
    backupKeepDays: z.number().int().min(1).max(366).default(14),
    backupKeepMonths: z.number().int().min(0).max(120).default(12),
    /**
     * An entry typed more than this many days after its document date is listed as back-dated (补录) in the month-close
     * checklist for the 审核人 (issue 14 §3). A profile stored before it reads the default; its JSON is not rewritten.
     */
    backdateWarnDays: z.number().int().min(0).max(366).default(3),
    /**
     * 索证索票 rules (shared/cert-rules.ts): the certificates a delivery line needs by the ingredient's category, kind
     * and import, which no ingredient can remove. A profile stored before them reads the national defaults; the
     * stored JSON is not rewritten, so a closed month's checksum, export and verify see what they saw.
     */
    certRules: z
      .object({
        byCategory: z.record(z.enum(CATEGORIES), certList),
        byKind: z.record(z.enum(INGREDIENT_KINDS), certList),
        imported: certList,
      })
      .strict()
      .default(DEFAULT_CERT_RULES),
    /**
     * 留样 (issue 17): the least weight of each dish's sample in grams — the national 125 g (《餐饮服务食品安全操作规范》),
     * which a region may raise but never lower — and the least hours it is kept (48, may be raised). A profile stored
     * before them reads the national figures; its JSON is not rewritten.
     */
    sampleMinGrams: z.number().int().min(125, '留样量不能低于国家规定的 125 克').max(1000).default(125),
    sampleKeepHours: z.number().int().min(48, '留样时间不能少于国家规定的 48 小时').max(720).default(48),
    /**
     * 晨检 (issue 17): the symptoms the morning check asks about, from the app's list (规定 第二十七条's 发热、腹泻、咽部炎症、
     * 皮肤伤口或感染 and the like); by default all of them. A region may leave some out, never add free text; a stored
     * profile without it asks all.
     */
    morningCheckSymptoms: z
      .array(z.enum(SYMPTOMS, { error: '晨检症状无效' }))
      .min(1, '请至少保留一项晨检症状')
      .max(SYMPTOMS.length)
      .refine((s) => new Set(s).size === s.length, { error: '晨检症状重复' })
      .default([...SYMPTOMS]),
    /**
     * 带量食谱 (issue 17, docs/DOMAIN-RULES.md "带量食谱"): the age groups a menu gives quantities for (by default the four
     * of WS/T 554-2017) and each group's daily targets per nutrient (kcal, g, mg, μg RAE a day), which the school enters
     * from the standard's table 1 — none are shipped (a group without a target shows 未设目标); the share of the daily
     * energy and nutrients each meal should supply, low and high in basis points (WS/T 554-2017: 早餐 25 %–30 %, 午餐
     * 35 %–40 %, 晚餐 30 %–35 %); the food variety asked for (distinct ingredients a day, a week; none by default).
     */
    menuAgeGroups: z
      .array(
        z
          .object({
            code: z.string().regex(/^[0-9a-z_-]{1,20}$/, '年龄组代码只能用小写字母、数字、- 和 _（最多20个）'),
            label: z.string().trim().min(1).max(20),
            targets: z.partialRecord(z.enum(NUTRIENTS), z.number().min(0).max(100_000)).default({}),
          })
          .strict(),
      )
      .min(1)
      .max(8)
      .refine((g) => new Set(g.map((x) => x.code)).size === g.length, { error: '年龄组代码重复' })
      .default(DEFAULT_MENU_AGE_GROUPS),
    menuMealSharesBp: z
      .record(z.enum(['breakfast', 'lunch', 'dinner']), z.tuple([z.number().int().min(0).max(10_000), z.number().int().min(0).max(10_000)]))
      .default(DEFAULT_MEAL_SHARES_BP),
    menuVarietyPerDay: z.number().int().min(1).max(100).nullable().default(null),
    menuVarietyPerWeek: z.number().int().min(1).max(200).nullable().default(null),
    /** 满意度: the questions of the term's paper survey (each answered 满意 / 基本满意 / 不满意). */
    surveyQuestions: z.array(z.string().trim().min(1).max(40)).min(1).max(20).default(DEFAULT_SURVEY_QUESTIONS),
    /**
     * 农残快检 at delivery (issue 17, docs/DOMAIN-RULES.md "农残快检"): the categories whose accepted lines need a quick
     * test before the delivery posts, and the least number of tested lines on a day with such deliveries. Opt-in (none,
     * 0): no national rule makes every school test every delivery — the duty comes from provincial and local rules —
     * so a profile stored before, and the default, ask for none and post as they did.
     */
    residueTestCategories: z
      .array(z.enum(CATEGORIES, { error: '食材类别无效' }))
      .max(CATEGORIES.length)
      .refine((c) => new Set(c).size === c.length, { error: '快检类别重复' })
      .default([]),
    residueTestMinLinesPerDay: z.number().int().min(0).max(200).default(0),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.costBasis !== 'full') {
      const bad = p.allowedNonFood.filter((k) => FULL_COST_ONLY.includes(k));
      if (bad.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedNonFood'],
          message: `${bad.map((k) => NON_FOOD_LABELS[k]).join('、')}只有按全成本核算（承包经营）的区域配置才能列支：请把核算方式改为全成本，或取消这些支出类别`,
        });
      }
    }
    const groups = p.disclosureCategories;
    if (!groups) return;
    const seen = new Map<string, string>();
    const labels = new Set<string>();
    groups.forEach((g, i) => {
      if (labels.has(g.label)) ctx.addIssue({ code: 'custom', path: ['disclosureCategories', i, 'label'], message: `公示类别“${g.label}”重复` });
      labels.add(g.label);
      for (const c of g.categories) {
        const other = seen.get(c);
        if (other !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['disclosureCategories', i, 'categories'], message: `食材类别“${CATEGORY_LABELS[c]}”同时归入“${other}”和“${g.label}”，每个食材类别只能归入一个公示类别` });
        }
        seen.set(c, g.label);
      }
    });
    const missing = CATEGORIES.filter((c) => !seen.has(c));
    if (missing.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['disclosureCategories'],
        message: `食材类别${missing.map((c) => `“${CATEGORY_LABELS[c]}”`).join('、')}没有归入任何公示类别：不归入，这些食材的支出就不会出现在公示表上`,
      });
    }
  });
export type RegionalProfile = z.infer<typeof profileSchema>;

export const DEFAULT_PROFILE: RegionalProfile = {
  name: '默认（全国通用）',
  feePeriod: 'month',
  refundFromNextDay: true,
  refundDeadlineWorkingDays: 15,
  subsidyRateFen: 500,
  surplusLimitBp: 200,
  surplusPeriod: 'term',
  allowedNonFood: [],
  costBasis: 'food',
  referenceDiscountBp: { grain: 0, meat: 0, aquatic: 0, vegetable: 0, dairy: 0, soy: 0, seasoning: 0, other: 0 },
  priceToleranceBp: 1_000,
  bannedItems: ['四季豆', '鲜黄花菜', '野生蘑菇', '发芽土豆', '亚硝酸盐', '冷荤', '生食', '裱花蛋糕'],
  nearExpiryDays: 3,
  licenceWarnDays: 30,
  inspectorPairRepeatLimit: 10,
  cashClearingTwoPeople: true,
  usesStoreroom: true,
  disclosureDeadlineDay: 15,
  signatures: ['编制人', '审核人', '膳食委员会（家委会）代表', '校长'],
  notes: ['依据《学校食品安全与营养健康管理规定》及本地校园餐专项整治要求公示。'],
  complaintPhone: '',
  disclosureLayout: DEFAULT_DISCLOSURE_LAYOUT,
  backupKeepDays: 14,
  backupKeepMonths: 12,
  backdateWarnDays: 3,
  certRules: DEFAULT_CERT_RULES,
  sampleMinGrams: 125,
  sampleKeepHours: 48,
  morningCheckSymptoms: [...SYMPTOMS],
  residueTestCategories: [],
  residueTestMinLinesPerDay: 0,
  menuAgeGroups: DEFAULT_MENU_AGE_GROUPS,
  menuMealSharesBp: DEFAULT_MEAL_SHARES_BP,
  menuVarietyPerDay: null,
  menuVarietyPerWeek: null,
  surveyQuestions: DEFAULT_SURVEY_QUESTIONS,
};
