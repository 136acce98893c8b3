import type { DeliveryDraftInput, DeliveryLineInput } from '../../shared/api/receiving.ts';
import { CREDIT_CODE_CHARS } from '../../shared/api/fields.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';

/** A credit code with a valid check character built from a 17-character body (fixtures only; fields.ts tests the rule). */
export function creditCode(body17: string): string {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(body17[i]) * weights[i];
  return body17 + CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
}

export interface World {
  b: TestBackend;
  supplierId: string;
  supplier2Id: string;
  rice: string;
  pork: string;
  cabbage: string;
  milk: string;
  users: Record<string, string>;
  /** Moves the test clock (ISO instant). */
  setNow: (iso: string) => void;
}

/**
 * The school of test/helpers/backend.ts (clock 2026-09-15 10:00 China time) with two licensed suppliers and four
 * ingredients, logged in as the storekeeper.
 */
export async function setupWorld(opts: { schoolName?: string } = {}): Promise<World> {
  let now = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
  const b = await setupBackend({ now: () => now, schoolName: opts.schoolName });
  const users = Object.fromEntries((await b.call('users.list', {})).map((u) => [u.username, u.id]));
  const mk = (name: string, body: string, expiresOn: string | null) =>
    b.call('suppliers.create', {
      name,
      creditCode: creditCode(body),
      address: '城东路 1 号',
      contactPerson: '王经理',
      phone: '0591-88886666',
      licences: [
        { kind: 'business', number: `YY-${body.slice(-4)}`, expiresOn: null },
        { kind: 'food_business', number: `JY1350102${body.slice(-4)}`, expiresOn },
      ],
    });
  const s1 = await mk('城东农产品配送有限公司', '91350102MA2XYW001', '2027-06-30');
  const s2 = await mk('闽江粮油贸易有限公司', '91350102MA2XYW002', null);
  const ing = (name: string, category: 'grain' | 'meat' | 'vegetable' | 'dairy', unit: string, refPriceFen: number | null, requiredCerts: ('animal_quarantine' | 'meat_quality')[] = []) =>
    b.call('ingredients.create', { name, category, unit, refPriceFen, requiredCerts, storable: category === 'grain' });
  const rice = await ing('大米', 'grain', 'kg', 600);
  const pork = await ing('猪肉', 'meat', 'kg', 2800, ['animal_quarantine', 'meat_quality']);
  const cabbage = await ing('白菜', 'vegetable', 'kg', 250);
  const milk = await ing('牛奶', 'dairy', '盒', 300);
  await b.loginAs('storekeeper');
  return {
    b,
    supplierId: s1.id,
    supplier2Id: s2.id,
    rice: rice.id,
    pork: pork.id,
    cabbage: cabbage.id,
    milk: milk.id,
    users,
    setNow: (iso) => {
      now = new Date(iso);
    },
  };
}

export function line(ingredientId: string, over: Partial<DeliveryLineInput> = {}): DeliveryLineInput {
  const received = over.receivedMilli ?? 10_000;
  return {
    ingredientId,
    receivedMilli: received,
    acceptedMilli: received - (over.rejectedMilli ?? 0),
    unitPriceFen: 500,
    storageClass: 'ambient',
    ...over,
  };
}

export function draft(w: World, lines: DeliveryLineInput[], over: Partial<DeliveryDraftInput> = {}): DeliveryDraftInput {
  return {
    date: '2026-09-15',
    supplierId: w.supplierId,
    noteNumber: 'SH-0915-01',
    inspectorIds: [w.users.storekeeper, w.users.storekeeper2],
    lines,
    ...over,
  };
}

/** Saves a draft and posts it; returns the posted delivery. */
export async function postNew(w: World, d: DeliveryDraftInput) {
  const saved = await w.b.call('receiving.saveDraft', { id: null, draft: d });
  return w.b.call('receiving.post', { id: saved.id });
}
