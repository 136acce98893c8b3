import type { Ingredient, Supplier } from '../../shared/api/masterdata.ts';
import { ensurePayableAccount, postEntry, reverseEntriesOf } from '../../electron/core/ledger/journal.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';

/** A valid 统一社会信用代码 from 17 leading characters (GB 32100 check character computed here). */
export function creditCode(first17: string): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += chars.indexOf(first17[i]) * w[i];
  return first17 + chars[(31 - (sum % 31)) % 31];
}

/**
 * A ledger with a bit of everything the core writes today: users whose roles, names, status and passwords changed,
 * suppliers with licences (one renamed), ingredients (one edited), payable accounts and posted journal entries
 * including a reversal.
 */
export async function ledgerWithHistory(): Promise<TestBackend> {
  const b = await setupBackend();
  await b.loginAs('admin');
  const users = await b.call('users.list', {});
  const cashier = users.find((u) => u.username === 'cashier')!;
  const parent = users.find((u) => u.username === 'parent')!;
  await b.call('users.update', { id: cashier.id, displayName: '陈出纳（兼会计）', roles: ['cashier', 'accountant'] });
  await b.call('users.setDisabled', { id: parent.id, disabled: true });
  await b.call('users.resetPassword', { id: cashier.id, password: 'another-pass-1' });

  const suppliers: Supplier[] = [];
  const names = ['城南粮油', '绿源蔬菜', '鲜达肉业'];
  for (let i = 0; i < names.length; i++) {
    suppliers.push(
      await b.call('suppliers.create', {
        name: names[i],
        creditCode: creditCode(`9111000010000000${i}`),
        address: `城南路 ${i + 1} 号`,
        contactPerson: '王经理',
        phone: `1380000000${i}`,
        licences: [
          { kind: 'business', number: `B-${i}`, expiresOn: null },
          { kind: 'food_business', number: `JY1${i}`, expiresOn: '2027-06-30' },
        ],
      }),
    );
  }
  const { updatedAt: _u, ...s0 } = suppliers[0];
  await b.call('suppliers.update', { ...s0, name: '城南粮油商行', phone: '13900000000', licences: [{ kind: 'food_business', number: 'JY199', expiresOn: '2028-01-01' }] });
  const ings: Ingredient[] = [];
  for (const [name, category, unit] of [
    ['大米', 'grain', 'kg'],
    ['白菜', 'vegetable', 'kg'],
    ['猪肉', 'meat', 'kg'],
    ['鸡蛋', 'meat', 'kg'],
    ['酱油', 'seasoning', '瓶'],
  ] as const) {
    ings.push(await b.call('ingredients.create', { name, category, unit, refPriceFen: 500, requiredCerts: category === 'meat' ? ['animal_quarantine'] : [] }));
  }
  const { updatedAt: _r, ruleCerts: _rc, effectiveCerts: _ec, ...rice } = ings[0];
  await b.call('ingredients.update', { ...rice, spec: '25kg/袋', refPriceFen: 480, storable: true });

  await b.loginAs('accountant');
  b.db
    .transaction(() => {
      const pay0 = ensurePayableAccount(b.ctx, suppliers[0].id, '城南粮油商行');
      const pay1 = ensurePayableAccount(b.ctx, suppliers[1].id, '绿源蔬菜');
      postEntry(b.ctx, { date: '2026-09-01', memo: '期初结余', sourceType: 'opening', sourceId: null, postings: [{ account: 'bank', amountFen: 1_000_000 }, { account: 'fund_opening', amountFen: -1_000_000 }] });
      postEntry(b.ctx, { date: '2026-09-02', memo: '大米入库', sourceType: 'test', sourceId: null, postings: [{ account: 'expense:grain', amountFen: 12_000 }, { account: pay0, amountFen: -12_000 }] });
      postEntry(b.ctx, { date: '2026-09-03', memo: '蔬菜入库', sourceType: 'test', sourceId: 'doc-1', postings: [{ account: 'expense:vegetable', amountFen: 3_456 }, { account: 'expense:other', amountFen: 44 }, { account: pay1, amountFen: -3_500 }] });
      postEntry(b.ctx, { date: '2026-09-04', memo: '付款', sourceType: 'test', sourceId: null, postings: [{ account: pay0, amountFen: 12_000 }, { account: 'bank', amountFen: -12_000 }] });
    })
    .immediate();
  b.db
    .transaction(() => {
      reverseEntriesOf(b.ctx, 'test', 'doc-1', '2026-09-05', '冲销蔬菜入库');
    })
    .immediate();
  await b.loginAs('admin');
  return b;
}
