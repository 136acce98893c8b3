import type { DisclosureLayout } from './disclosure.ts';
import type { CategoryGroup, ConfigurableNonFood, CostBasis } from './domain.ts';
import type { RegionalProfile } from './profile.ts';

/**
 * Starting points the 管理员 picks on the settings page instead of building a profile's JSON by hand (issue 14 §4).
 * A preset sets what tells these kinds of canteen apart — how cost is counted, which expense kinds the fund may pay,
 * the expense rows the notice publishes, the 食堂性质 and the subsidy — and leaves the school's own settings (limits
 * the region sets, certificate rules, signatures, notes, telephone, backups) as they are; the admin then adjusts the
 * figures to the province's rules and saves, and the change takes effect from the month chosen (profile versions).
 *
 * Zod-free (types only), so the renderer can import it.
 */
export interface ProfilePreset {
  key: 'default' | 'kindergarten' | 'contracted';
  title: string;
  description: string;
  patch: {
    name: string;
    costBasis: CostBasis;
    allowedNonFood: ConfigurableNonFood[];
    /** undefined: one row per ingredient category (LAYOUTS.md as shipped). */
    disclosureCategories: CategoryGroup[] | undefined;
    subsidyRateFen: number;
    layout: Pick<DisclosureLayout, 'canteenKind' | 'rowLabels'>;
  };
}

export const PROFILE_PRESETS: readonly ProfilePreset[] = [
  {
    key: 'default',
    title: '默认（食材成本，自营）',
    description: '学校自营食堂：伙食费只用于食材（另计食堂专户的银行手续费），按八类食材公示；营养改善计划补助按国家基础标准 5 元/生/天。',
    patch: {
      name: '默认（食材成本，自营）',
      costBasis: 'food',
      allowedNonFood: [],
      disclosureCategories: undefined,
      subsidyRateFen: 500,
      layout: { canteenKind: '自营', rowLabels: {} },
    },
  },
  {
    key: 'kindergarten',
    title: '幼儿园（含保育员工资，按省规定）',
    description:
      '幼儿园伙食费：按省里的规定可列支保育员（炊事员）工资，列为“人工（保育员工资）”；公示按幼儿园常见的类别（荤食含肉禽蛋和水产，点心）；幼儿园不在农村义务教育营养改善计划之内，补助为 0。',
    patch: {
      name: '幼儿园（含保育员工资，按省规定）',
      costBasis: 'food',
      allowedNonFood: ['wages'],
      disclosureCategories: [
        { label: '粮油', categories: ['grain'] },
        { label: '荤食', categories: ['meat', 'aquatic'] },
        { label: '蔬菜水果', categories: ['vegetable'] },
        { label: '豆制品', categories: ['soy'] },
        { label: '牛奶', categories: ['dairy'] },
        { label: '调味品', categories: ['seasoning'] },
        { label: '点心及其他', categories: ['other'] },
      ],
      subsidyRateFen: 0,
      layout: { canteenKind: '自营', rowLabels: { wages: '人工（保育员工资）' } },
    },
  },
  {
    key: 'contracted',
    title: '承包经营（全成本）',
    description: '承包（托管）经营的食堂按全成本核算：可列支燃料、水电、人工、办公、维修及其他费用，公示表增加营业利润和营业利润率两行。',
    patch: {
      name: '承包经营（全成本）',
      costBasis: 'full',
      allowedNonFood: ['fuel', 'utilities', 'wages', 'office', 'repairs', 'misc'],
      disclosureCategories: undefined,
      subsidyRateFen: 500,
      layout: { canteenKind: '承包经营', rowLabels: {} },
    },
  },
];

/** The profile with a preset applied over it (see above for what a preset leaves alone). */
export function applyPreset(p: RegionalProfile, preset: ProfilePreset): RegionalProfile {
  const { layout, disclosureCategories, ...rest } = preset.patch;
  const next: RegionalProfile = { ...p, ...rest, disclosureLayout: { ...p.disclosureLayout, ...layout } };
  if (disclosureCategories) next.disclosureCategories = disclosureCategories.map((g) => ({ label: g.label, categories: [...g.categories] }));
  else delete next.disclosureCategories;
  return next;
}
