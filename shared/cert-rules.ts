import { CERT_KINDS, type Category, type CertKind, type IngredientKind } from './domain.ts';

/**
 * 索证索票 by rule (issue 14 §1): which certificates a delivery line must carry comes from the regional profile's rules,
 * keyed by the ingredient's category, its kind (畜肉, 猪肉, 禽肉…) and whether it is imported, joined with whatever the
 * ingredient itself adds. An ingredient can add requirements, never remove what its category or kind requires, and
 * its kind is master data only the 管理员/会计 may change, so the person who receives cannot waive a certificate.
 *
 * Zod-free on purpose: the core (checks, master data, imports) and the renderer (the ingredient form shows the fixed
 * certificates) use the same few lines.
 */

export interface CertRules {
  /** Certificates every ingredient of a category needs (empty by default: 肉禽蛋 holds eggs too). */
  byCategory: Record<Category, CertKind[]>;
  /** Certificates by kind of item. */
  byKind: Record<IngredientKind, CertKind[]>;
  /** Certificates an imported item needs, whatever its kind. */
  imported: CertKind[];
}

/**
 * The national rules as shipped:
 * - 《中华人民共和国食品安全法》第五十三条: 食品经营者采购食品，应当查验供货者的许可证和食品出厂检验合格证或者其他合格
 *   证明 (and 第三十四条 forbids meat not quarantined as required).
 * - 《学校食品安全与营养健康管理规定》(2019) 第三十三条: 采购畜禽肉类的，查验动物产品检疫合格证明；采购猪肉的，还应当
 *   查验肉品品质检验合格证明 (生猪定点屠宰).
 * - Imported food (进口食品): the 入境货物检验检疫证明 issued by customs for the consignment.
 * Eggs, aquatic products and dairy have no certificate of their own in these rules (their supplier's licence and the
 * 送货单 are checked on every delivery); a region that asks more sets it in the profile.
 */
export const DEFAULT_CERT_RULES: CertRules = {
  byCategory: { grain: [], meat: [], aquatic: [], vegetable: [], dairy: [], soy: [], seasoning: [], other: [] },
  byKind: {
    livestock: ['animal_quarantine'],
    pork: ['animal_quarantine', 'meat_quality'],
    poultry: ['animal_quarantine'],
    eggs: [],
    aquatic: [],
    dairy: [],
    other: [],
  },
  imported: ['import_inspection'],
};

/** Certificates in the vocabulary's order, each once. */
function ordered(set: Set<CertKind>): CertKind[] {
  return CERT_KINDS.filter((c) => set.has(c));
}

/** What the rules require of an item of this category and kind (the part an ingredient cannot remove). */
export function ruleCerts(rules: CertRules, i: { category: Category; kind: IngredientKind; imported: boolean }): CertKind[] {
  return ordered(new Set([...(rules.byCategory[i.category] ?? []), ...(rules.byKind[i.kind] ?? []), ...(i.imported ? rules.imported : [])]));
}

/** A delivery line's requirement: the rules' certificates and the ingredient's own additions. */
export function effectiveCerts(rules: CertRules, i: { category: Category; kind: IngredientKind; imported: boolean; requiredCerts: readonly CertKind[] }): CertKind[] {
  return ordered(new Set([...ruleCerts(rules, i), ...i.requiredCerts]));
}

/**
 * The kind an item takes when nobody who may classify it has: the one its category and name imply, erring towards
 * more certificates. 肉禽蛋 is 畜肉 unless the name says 猪 (猪肉: one certificate more) or poultry without 蛋 (禽肉:
 * the same certificate); eggs are never guessed (鲜蛋 needs fewer), so a new 鸡蛋 asks for the quarantine certificate
 * until the 会计 or 管理员 sets it to 鲜蛋. Migration 0013 backfilled existing rows with the same rule (verify reads it
 * for rows written before).
 */
export function defaultKind(category: Category, name: string): IngredientKind {
  if (category === 'meat') {
    if (name.includes('猪')) return 'pork';
    if (/[鸡鸭鹅鸽禽]/.test(name) && !name.includes('蛋')) return 'poultry';
    return 'livestock';
  }
  if (category === 'aquatic') return 'aquatic';
  if (category === 'dairy') return 'dairy';
  return 'other';
}

/** Imported when its name or spec says 进口 or it already asks for the entry inspection certificate (adds only). */
export function defaultImported(name: string, spec: string, requiredCerts: readonly CertKind[]): boolean {
  return name.includes('进口') || spec.includes('进口') || requiredCerts.includes('import_inspection');
}
