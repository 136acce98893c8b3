import { describe, expect, it } from 'vitest';
import { effectiveExpiry, runChecks, summarize, pairKey, type CheckFacts } from '../../electron/core/domains/receiving/checks.ts';
import type { Ingredient, Supplier } from '../../shared/api/masterdata.ts';
import { deliveryDraftSchema, type DeliveryDraftInput, type DeliveryLineInput } from '../../shared/api/receiving.ts';
import { DEFAULT_PROFILE, type RegionalProfile } from '../../shared/profile.ts';

// Pure checks at their boundaries. Delivery date 2026-09-15; default profile: near expiry 3 days, tolerance 10 %,
// discount 0, pair limit 10 — overridden where a test needs other numbers.
const A = '01900000-0000-7000-8000-000000000001';
const B = '01900000-0000-7000-8000-000000000002';
const C = '01900000-0000-7000-8000-000000000003';
const SUP = '01900000-0000-7000-8000-0000000000aa';
const RICE = '01900000-0000-7000-8000-0000000000b1';
const PORK = '01900000-0000-7000-8000-0000000000b2';
const BEANS = '01900000-0000-7000-8000-0000000000b3';

const supplier = (over: Partial<Supplier> = {}): Supplier => ({
  id: SUP,
  name: '城东配送',
  creditCode: '',
  address: '',
  contactPerson: '',
  phone: '',
  kind: 'distributor',
  licences: [
    { kind: 'business', number: 'Y1', expiresOn: null },
    { kind: 'food_business', number: 'JY1', expiresOn: '2027-01-01' },
  ],
  disabled: false,
  updatedAt: '',
  ...over,
});
const ingredient = (id: string, over: Partial<Ingredient>): Ingredient => ({
  id,
  name: '大米',
  category: 'grain',
  unit: 'kg',
  spec: '',
  refPriceFen: null,
  kind: 'other',
  imported: false,
  requiredCerts: [],
  packSizes: {},
  ruleCerts: [],
  effectiveCerts: [],
  banned: false,
  storable: true,
  disabled: false,
  updatedAt: '',
  ...over,
});
const INGREDIENTS = new Map([
  [RICE, ingredient(RICE, { name: '大米', refPriceFen: 600 })],
  [PORK, ingredient(PORK, { name: '猪肉', category: 'meat', refPriceFen: 2000, requiredCerts: ['animal_quarantine', 'meat_quality'] })],
  [BEANS, ingredient(BEANS, { name: '四季豆', category: 'vegetable' })],
]);

const ln = (ingredientId: string, over: Partial<DeliveryLineInput> = {}): DeliveryLineInput => ({
  ingredientId,
  receivedMilli: 1000,
  acceptedMilli: 1000 - (over.rejectedMilli ?? 0),
  unitPriceFen: 500,
  storageClass: 'ambient',
  ...over,
});

function facts(lines: DeliveryLineInput[], over: { draft?: Partial<DeliveryDraftInput>; supplier?: Supplier | null; profile?: Partial<RegionalProfile>; pairCounts?: [string, string, number][]; activeUsers?: [string, string][] } = {}): CheckFacts {
  return {
    draft: deliveryDraftSchema.parse({ date: '2026-09-15', supplierId: SUP, noteNumber: 'SH1', inspectorIds: [A, B], lines, ...over.draft }),
    supplier: over.supplier === undefined ? supplier() : over.supplier,
    ingredients: INGREDIENTS,
    profile: { ...DEFAULT_PROFILE, ...over.profile },
    activeUsers: new Map(over.activeUsers ?? [[A, '张保管'], [B, '李验收'], [C, '王厨师']]),
    pairCounts: new Map((over.pairCounts ?? []).map(([a, b, n]) => [pairKey(a, b), n])),
  };
}
const codes = (f: CheckFacts) => runChecks(f).map((x) => `${x.level}:${x.code}${x.lineIndex === undefined ? '' : `@${x.lineIndex}`}`);

describe('a clean delivery', () => {
  it('has no findings and can be posted', () => {
    const f = facts([ln(RICE), ln(PORK, { unitPriceFen: 2000, certs: { animal_quarantine: 'DQ1', meat_quality: 'RP1' } })]);
    expect(codes(f)).toEqual([]);
    expect(summarize(f.draft, runChecks(f)).canPost).toBe(true);
  });
});

describe('expiry', () => {
  const at = (expiryDate: string) => codes(facts([ln(RICE, { expiryDate })]));
  it('is an error the day after expiry, a warning from the expiry day to nearExpiryDays ahead, nothing beyond', () => {
    expect(at('2026-09-14')).toEqual(['error:expired@0']);
    expect(at('2026-09-15')).toEqual(['warning:near_expiry@0']); // expiring today: still within shelf life
    expect(at('2026-09-18')).toEqual(['warning:near_expiry@0']); // exactly 3 days ahead
    expect(at('2026-09-19')).toEqual([]);
  });
  it('follows the profile: nearExpiryDays 0 warns only on the expiry day', () => {
    expect(codes(facts([ln(RICE, { expiryDate: '2026-09-15' })], { profile: { nearExpiryDays: 0 } }))).toEqual(['warning:near_expiry@0']);
    expect(codes(facts([ln(RICE, { expiryDate: '2026-09-16' })], { profile: { nearExpiryDays: 0 } }))).toEqual([]);
  });
  it('computes expiry as production date + shelf-life days', () => {
    expect(effectiveExpiry({ productionDate: '2026-09-10', shelfLifeDays: 5, expiryDate: null })).toBe('2026-09-15');
    expect(effectiveExpiry({ productionDate: '2026-08-31', shelfLifeDays: 1, expiryDate: null })).toBe('2026-09-01');
    expect(effectiveExpiry({ productionDate: '2026-09-10', shelfLifeDays: null, expiryDate: null })).toBeNull();
    expect(codes(facts([ln(RICE, { productionDate: '2026-09-10', shelfLifeDays: 4 })]))).toEqual(['error:expired@0']);
    expect(codes(facts([ln(RICE, { productionDate: '2026-09-10', shelfLifeDays: 8 })]))).toEqual(['warning:near_expiry@0']);
    expect(codes(facts([ln(RICE, { productionDate: '2026-09-10', shelfLifeDays: 9 })]))).toEqual([]);
  });
  it('does not flag goods that are wholly rejected (refusing them is the remedy)', () => {
    expect(codes(facts([ln(RICE, { expiryDate: '2026-09-01', rejectedMilli: 1000, rejectReason: '过期', disposition: 'returned' })]))).toEqual([]);
    // partly accepted still counts
    expect(codes(facts([ln(RICE, { expiryDate: '2026-09-01', rejectedMilli: 500, rejectReason: '过期', disposition: 'returned' })]))).toEqual(['error:expired@0']);
  });
  it('refuses a production date after the delivery date', () => {
    expect(codes(facts([ln(RICE, { productionDate: '2026-09-16' })]))).toEqual(['error:production_future@0']);
    expect(codes(facts([ln(RICE, { productionDate: '2026-09-15' })]))).toEqual([]);
  });
});

describe('supplier licence', () => {
  const lic = (expiresOn: string | null, kind: 'food_business' | 'food_production' = 'food_business') =>
    supplier({ licences: [{ kind: 'business', number: 'Y', expiresOn: null }, { kind, number: 'JY', expiresOn }] });
  it('holds on its expiry date and fails the day after', () => {
    expect(codes(facts([ln(RICE)], { supplier: lic('2026-09-15') }))).toEqual([]);
    expect(codes(facts([ln(RICE)], { supplier: lic('2026-09-14') }))).toEqual(['error:licence_expired']);
    expect(codes(facts([ln(RICE)], { supplier: lic(null, 'food_production') }))).toEqual([]);
  });
  it('is missing when only a business licence is registered', () => {
    expect(codes(facts([ln(RICE)], { supplier: supplier({ licences: [{ kind: 'business', number: 'Y', expiresOn: null }] }) }))).toEqual(['error:licence_missing']);
  });
  it('passes when one of two food licences is still valid', () => {
    const s = supplier({ licences: [{ kind: 'food_business', number: 'A', expiresOn: '2026-01-01' }, { kind: 'food_production', number: 'B', expiresOn: '2026-12-31' }] });
    expect(codes(facts([ln(RICE)], { supplier: s }))).toEqual([]);
  });
  it('flags a disabled or unknown supplier', () => {
    expect(codes(facts([ln(RICE)], { supplier: supplier({ disabled: true }) }))).toEqual(['error:supplier_disabled']);
    expect(codes(facts([ln(RICE)], { supplier: null }))).toEqual(['error:supplier_unknown']);
  });
  it('wants the delivery-note number', () => {
    expect(codes(facts([ln(RICE)], { draft: { noteNumber: '  ' } }))).toEqual(['error:note_number_missing']);
  });
});

describe('required certificates', () => {
  const pork = (certs: Record<string, string>) => codes(facts([ln(PORK, { unitPriceFen: 2000, certs })]));
  it('pork needs the quarantine and the meat-quality certificate', () => {
    expect(pork({})).toEqual(['error:cert_missing@0', 'error:cert_missing@0']);
    expect(pork({ animal_quarantine: 'DQ1' })).toEqual(['error:cert_missing@0']);
    expect(pork({ animal_quarantine: 'DQ1', meat_quality: '   ' })).toEqual(['error:cert_missing@0']);
    expect(pork({ animal_quarantine: 'DQ1', meat_quality: 'RP1' })).toEqual([]);
    expect(runChecks(facts([ln(PORK, { unitPriceFen: 2000, certs: { animal_quarantine: 'DQ1' } })]))[0].message).toBe('第 1 行（猪肉）：缺少肉品品质检验合格证明编号');
  });
});

describe('price against the reference', () => {
  const price = (unitPriceFen: number, profile: Partial<RegionalProfile>) => codes(facts([ln(PORK, { unitPriceFen, certs: { animal_quarantine: 'D', meat_quality: 'R' } })], { profile }));
  it('limit = reference × (1 − discount) × (1 + tolerance): 20.00 × 0.95 × 1.10 = 20.90', () => {
    const p = { referenceDiscountBp: { ...DEFAULT_PROFILE.referenceDiscountBp, meat: 500 }, priceToleranceBp: 1000 };
    expect(price(2090, p)).toEqual([]);
    expect(price(2091, p)).toEqual(['warning:price_high@0']);
  });
  it('with no discount and no tolerance the reference itself is the limit', () => {
    const p = { priceToleranceBp: 0 };
    expect(price(2000, p)).toEqual([]);
    expect(price(2001, p)).toEqual(['warning:price_high@0']);
  });
  it('compares exactly when the limit falls between fen (19.99 × 0.95 × 1.10 = 20.88955)', () => {
    const local = new Map(INGREDIENTS);
    local.set(RICE, ingredient(RICE, { refPriceFen: 1999, category: 'grain' }));
    const p = { referenceDiscountBp: { ...DEFAULT_PROFILE.referenceDiscountBp, grain: 500 }, priceToleranceBp: 1000 };
    const f = (unitPriceFen: number) => codes({ ...facts([ln(RICE, { unitPriceFen })], { profile: p }), ingredients: local });
    expect(f(2088)).toEqual([]);
    expect(f(2089)).toEqual(['warning:price_high@0']);
  });
  it('names the limit in the message', () => {
    const f = facts([ln(RICE, { unitPriceFen: 661 })]);
    expect(runChecks(f)[0].message).toBe('第 1 行（大米）：单价 6.61 元高于参考价上限 6.60 元（参考价 6.00 元/kg）');
  });
});

describe('banned items', () => {
  it('refuses a banned ingredient, a name on the profile list, and a name containing one', () => {
    expect(codes(facts([ln(BEANS)]))).toEqual(['error:banned@0']);
    const local = new Map(INGREDIENTS);
    local.set(RICE, ingredient(RICE, { name: '大米', banned: true }));
    expect(codes({ ...facts([ln(RICE)]), ingredients: local })).toEqual(['error:banned@0']);
    local.set(RICE, ingredient(RICE, { name: '鲜黄花菜（散装）' }));
    expect(codes({ ...facts([ln(RICE)]), ingredients: local })).toEqual(['error:banned@0']);
  });
  it('follows the profile list', () => {
    expect(codes(facts([ln(BEANS)], { profile: { bannedItems: ['亚硝酸盐'] } }))).toEqual([]);
    expect(codes(facts([ln(RICE)], { profile: { bannedItems: ['大米'] } }))).toEqual(['error:banned@0']);
  });
  it('does not flag a banned item that is wholly rejected', () => {
    expect(codes(facts([ln(BEANS, { rejectedMilli: 1000, rejectReason: '禁购', disposition: 'returned' })]))).toEqual([]);
  });
});

describe('inspectors', () => {
  it('needs two distinct active users', () => {
    expect(codes(facts([ln(RICE)], { draft: { inspectorIds: [] } }))).toEqual(['error:inspectors_too_few']);
    expect(codes(facts([ln(RICE)], { draft: { inspectorIds: [A] } }))).toEqual(['error:inspectors_too_few']);
    expect(codes(facts([ln(RICE)], { draft: { inspectorIds: [A, A] } }))).toEqual(['error:inspectors_too_few']);
    expect(codes(facts([ln(RICE)], { draft: { inspectorIds: [A, B] } }))).toEqual([]);
    expect(codes(facts([ln(RICE)], { draft: { inspectorIds: [A, B] }, activeUsers: [[A, '张']] }))).toEqual(['error:inspector_unknown', 'error:inspectors_too_few']);
  });
  it('warns when the same pair signed the limit number of times already in the window (this one would exceed it)', () => {
    const p = { inspectorPairRepeatLimit: 3 };
    expect(codes(facts([ln(RICE)], { profile: p, pairCounts: [[A, B, 2]] }))).toEqual([]);
    expect(codes(facts([ln(RICE)], { profile: p, pairCounts: [[B, A, 3]] }))).toEqual(['warning:inspector_pair_repeat']);
    // three inspectors: every pair is looked at
    expect(codes(facts([ln(RICE)], { profile: p, draft: { inspectorIds: [A, B, C] }, pairCounts: [[A, C, 3]] }))).toEqual(['warning:inspector_pair_repeat']);
  });
});

describe('sensory check', () => {
  it('warns when failed goods are still accepted', () => {
    expect(codes(facts([ln(RICE, { packagingOk: false })]))).toEqual(['warning:sensory_failed@0']);
    expect(codes(facts([ln(RICE, { freshOk: false, rejectedMilli: 1000, rejectReason: '变质', disposition: 'destroyed' })]))).toEqual([]);
  });
});

describe('notes and posting permission', () => {
  const warned = (notes: Partial<DeliveryDraftInput>) => {
    const f = facts([ln(RICE, { expiryDate: '2026-09-16' }), ln(RICE, { unitPriceFen: 700 })], { draft: notes });
    return summarize(f.draft, runChecks(f));
  };
  it('every warning needs a note, per warning or for the whole delivery', () => {
    expect(warned({})).toMatchObject({ unnotedWarnings: 2, canPost: false });
    expect(warned({ warningNotes: [{ code: 'near_expiry', lineIndex: 0, note: '当天用完' }] })).toMatchObject({ unnotedWarnings: 1, canPost: false });
    // a note for the wrong line does not count
    expect(warned({ warningNotes: [{ code: 'near_expiry', lineIndex: 1, note: '当天用完' }] })).toMatchObject({ unnotedWarnings: 2 });
    expect(warned({ warningNotes: [{ code: 'near_expiry', lineIndex: 0, note: '当天用完' }, { code: 'price_high', lineIndex: 1, note: '节前涨价' }] })).toMatchObject({ unnotedWarnings: 0, canPost: true });
    expect(warned({ warningNote: '已与校长沟通' })).toMatchObject({ unnotedWarnings: 0, canPost: true });
  });
  it('errors block whatever the notes say', () => {
    const f = facts([ln(RICE, { expiryDate: '2026-09-14' })], { draft: { warningNote: '说明' } });
    expect(summarize(f.draft, runChecks(f)).canPost).toBe(false);
  });
  it('computes amounts half-up and keeps a printed amount with its difference', () => {
    // 1.235 kg × 3.10 = 3.8285 → 3.83; 2 kg × 5.00 = 10.00 but the supplier printed 10.20
    const f = facts([ln(RICE, { receivedMilli: 1235, acceptedMilli: 1235, unitPriceFen: 310 }), ln(RICE, { receivedMilli: 2000, acceptedMilli: 2000, unitPriceFen: 500, printedAmountFen: 1020 })]);
    const s = summarize(f.draft, runChecks(f));
    expect(s.lines.map((l) => [l.computedAmountFen, l.amountFen, l.differenceFen])).toEqual([[383, 383, 0], [1000, 1020, 20]]);
    expect(s.totalFen).toBe(1403);
  });
});

describe('received = accepted + rejected in the schema', () => {
  const parse = (l: DeliveryLineInput) => deliveryDraftSchema.safeParse({ date: '2026-09-15', supplierId: SUP, lines: [l] });
  it('refuses a line that does not add up, and a rejection without reason or disposition', () => {
    const bad = parse(ln(RICE, { receivedMilli: 1000, acceptedMilli: 800, rejectedMilli: 100, rejectReason: '烂', disposition: 'returned' }));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toBe('第 1 行：送货数量应等于合格数量加拒收数量');
    expect(parse(ln(RICE, { rejectedMilli: 200 })).error?.issues.map((i) => i.message)).toEqual(['第 1 行：有拒收数量时请填写拒收原因', '第 1 行：有拒收数量时请选择处理方式（当场退回或销毁）']);
    expect(parse(ln(RICE, { rejectedMilli: 200, rejectReason: '烂叶', disposition: 'destroyed' })).success).toBe(true);
    expect(parse(ln(RICE, { disposition: 'returned' })).success).toBe(false);
  });
});
