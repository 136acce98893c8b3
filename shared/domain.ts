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

/** Non-food expense kinds a profile may allow (most rules: food only). */
export const NON_FOOD_EXPENSES = ['fuel', 'utilities', 'wages'] as const;
export type NonFoodExpense = (typeof NON_FOOD_EXPENSES)[number];
export const NON_FOOD_LABELS: Record<NonFoodExpense, string> = { fuel: '燃料', utilities: '水电', wages: '人工' };

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
