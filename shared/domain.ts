/** Vocabulary of DOMAIN.md and LAYOUTS.md: codes stored in the database, labels shown to people. */

export const CATEGORIES = ['grain', 'meat', 'aquatic', 'vegetable', 'dairy', 'soy', 'seasoning', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<Category, string> = {
  grain: '粮油',
  meat: '肉禽蛋',
  aquatic: '水产',
  vegetable: '蔬菜水果',
  dairy: '奶及奶制品',
  soy: '豆制品',
  seasoning: '调味品',
  other: '其他食材',
};

/**
 * Expense kinds besides ingredients (issue 14 §4), in the order the summary lists them. 燃料, 水电, 人工 a profile may
 * allow (most rules: food only; a kindergarten's province may allow 保育员 wages); 办公, 维修, 其他费用 only a full-cost
 * (承包经营) profile may allow; 手续费 (the canteen account's bank charges) is the account's own cost, allowed under
 * every profile and never chosen: it is not in a profile's allowedNonFood.
 */
export const NON_FOOD_EXPENSES = ['fuel', 'utilities', 'wages', 'office', 'repairs', 'misc', 'bank_fee'] as const;
export type NonFoodExpense = (typeof NON_FOOD_EXPENSES)[number];
export const NON_FOOD_LABELS: Record<NonFoodExpense, string> = {
  fuel: '燃料',
  utilities: '水电',
  wages: '人工',
  office: '办公',
  repairs: '维修',
  misc: '其他费用',
  bank_fee: '手续费',
};
/** The kinds a profile chooses to allow (手续费 is always allowed). */
export const CONFIGURABLE_NON_FOOD = ['fuel', 'utilities', 'wages', 'office', 'repairs', 'misc'] as const satisfies readonly NonFoodExpense[];
export type ConfigurableNonFood = (typeof CONFIGURABLE_NON_FOOD)[number];
/** Allowed only where the profile keeps full-cost books (costBasis 'full': 承包经营/全成本核算). */
export const FULL_COST_ONLY: readonly NonFoodExpense[] = ['office', 'repairs', 'misc'];
export const BANK_FEE = 'bank_fee' as const satisfies NonFoodExpense;

/** How the fund's cost is counted: food only (自营, the default), or full cost (承包经营: every operating cost). */
export const COST_BASES = ['food', 'full'] as const;
export type CostBasis = (typeof COST_BASES)[number];
export const COST_BASIS_LABELS: Record<CostBasis, string> = { food: '食材成本（自营）', full: '全成本（承包经营）' };

/**
 * A row of the disclosure's expense by category as a region publishes it (e.g. 荤食 = 肉禽蛋 + 水产): a label and the
 * ingredient categories it sums. A profile's list covers every category exactly once (profile.ts checks it).
 */
export interface CategoryGroup {
  label: string;
  categories: Category[];
}
/** The default list: one row per ingredient category, under its own label. */
export const DEFAULT_CATEGORY_GROUPS: CategoryGroup[] = CATEGORIES.map((c) => ({ label: CATEGORY_LABELS[c], categories: [c] }));

export const CERT_KINDS = ['animal_quarantine', 'meat_quality', 'import_inspection', 'test_report'] as const;
export type CertKind = (typeof CERT_KINDS)[number];
export const CERT_LABELS: Record<CertKind, string> = {
  animal_quarantine: '动物检疫合格证明',
  meat_quality: '肉品品质检验合格证明',
  import_inspection: '入境货物检验检疫证明',
  test_report: '检验检测报告',
};

/**
 * The kind of an ingredient as the certificate rules see it (shared/cert-rules.ts); whether it is imported is a flag of
 * its own (进口 goes with any kind). Master data only the 管理员/会计 may change.
 */
export const INGREDIENT_KINDS = ['livestock', 'pork', 'poultry', 'eggs', 'aquatic', 'dairy', 'other'] as const;
export type IngredientKind = (typeof INGREDIENT_KINDS)[number];
export const INGREDIENT_KIND_LABELS: Record<IngredientKind, string> = {
  livestock: '畜肉（牛羊肉等）',
  pork: '猪肉',
  poultry: '禽肉',
  eggs: '鲜蛋',
  aquatic: '水产品',
  dairy: '乳制品',
  other: '其他',
};

export const LICENCE_KINDS = ['business', 'food_business', 'food_production'] as const;
export type LicenceKind = (typeof LICENCE_KINDS)[number];
export const LICENCE_LABELS: Record<LicenceKind, string> = {
  business: '营业执照',
  food_business: '食品经营许可证',
  food_production: '食品生产许可证',
};

export const SUPPLIER_KINDS = ['producer', 'distributor', 'farm', 'market', 'other'] as const;
export type SupplierKind = (typeof SUPPLIER_KINDS)[number];
export const SUPPLIER_KIND_LABELS: Record<SupplierKind, string> = {
  producer: '生产企业',
  distributor: '配送/经销企业',
  farm: '农业合作社/基地',
  market: '农贸市场经营户',
  other: '其他',
};

export const STORAGE_CLASSES = ['frozen', 'chilled', 'ambient'] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];
export const STORAGE_LABELS: Record<StorageClass, string> = { frozen: '冷冻', chilled: '冷藏', ambient: '常温' };
