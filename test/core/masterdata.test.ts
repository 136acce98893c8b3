import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { firstBrokenAudit } from '../../electron/core/ledger/audit.ts';
import { pinyinKeys } from '../../electron/core/ledger/pinyin.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

// Published codes of real companies, so the check character is tested against the outside world, not our code.
const TENCENT = '9144030071526726XG';
const HUAWEI = '914403001922038216';

// The test clock is 2026-09-15 10:00 China time; the profile warns of licences within 30 days (to 2026-10-15).
let b: TestBackend;
beforeEach(async () => {
  b = await setupBackend();
  await b.loginAs('storekeeper');
});
afterEach(() => b.cleanup());

const supplier = (over: Record<string, unknown> = {}) => ({
  name: '城东农产品配送有限公司',
  creditCode: TENCENT,
  address: '城东路 1 号',
  contactPerson: '李四',
  phone: '0591-8888 6666',
  licences: [
    { kind: 'business' as const, number: 'YY001', expiresOn: null },
    { kind: 'food_business' as const, number: 'JY13501020000001', expiresOn: '2027-06-30' },
  ],
  ...over,
});

describe('suppliers', () => {
  it('creates one with its licences, found by name, pinyin initials and credit code', async () => {
    const s = await b.call('suppliers.create', supplier());
    expect(s).toMatchObject({ name: '城东农产品配送有限公司', creditCode: TENCENT, kind: 'distributor', disabled: false });
    expect(s.licences).toEqual([
      { kind: 'business', number: 'YY001', expiresOn: null },
      { kind: 'food_business', number: 'JY13501020000001', expiresOn: '2027-06-30' },
    ]);
    for (const q of ['城东', 'cd', 'cdncp', 'chengdong', '914403']) {
      expect((await b.call('suppliers.search', { q })).map((x) => x.id), q).toEqual([s.id]);
    }
  });

  it('refuses a wrong credit-code check character, a duplicate name or code, and writes nothing', async () => {
    await b.call('suppliers.create', supplier());
    const before = tableDigest(b);
    const bad = await b.reject('suppliers.create', supplier({ name: '别家', creditCode: '9144030071526726XH' }));
    expect(bad).toMatchObject({ code: 'VALIDATION', message: '统一社会信用代码应为 18 位且校验位正确' });
    expect(await b.reject('suppliers.create', supplier({ creditCode: HUAWEI }))).toEqual({ code: 'CONFLICT', message: '已有名为“城东农产品配送有限公司”的供应商' });
    expect(await b.reject('suppliers.create', supplier({ name: '别家' }))).toEqual({
      code: 'CONFLICT',
      message: `统一社会信用代码 ${TENCENT} 已属于供应商“城东农产品配送有限公司”`,
    });
    const twoOfAKind = await b.reject('suppliers.create', supplier({ name: '别家', creditCode: HUAWEI, licences: [supplier().licences[1], supplier().licences[1]] }));
    expect(twoOfAKind.message).toBe('同一类证照只能填一份');
    const badDate = await b.reject('suppliers.create', supplier({ name: '别家', creditCode: HUAWEI, licences: [{ kind: 'food_business', number: 'x', expiresOn: '2026-02-30' }] }));
    expect(badDate.message).toBe('证照有效期不是有效日期');
    expect(tableDigest(b)).toBe(before);
  });

  it('is updated with an audit entry holding old and new values', async () => {
    const s = await b.call('suppliers.create', supplier());
    await b.call('suppliers.update', { id: s.id, ...supplier({ phone: '13900000000' }) });
    await b.loginAs('admin');
    const { entries } = await b.call('audit.list', { entity: 'supplier', entityId: s.id });
    expect(entries[0]).toMatchObject({ action: 'update', userName: '张保管', before: { phone: '0591-8888 6666' }, after: { phone: '13900000000' } });
    expect(entries[1]).toMatchObject({ action: 'create', before: null, after: { name: '城东农产品配送有限公司' } });
    expect(firstBrokenAudit(b.db)).toBeNull();
  });

  it('may not be created by a parent or a cashier', async () => {
    for (const who of ['parent', 'cashier']) {
      await b.loginAs(who);
      expect(await b.reject('suppliers.create', supplier())).toEqual({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' });
    }
    await b.loginAs('parent');
    expect(await b.call('suppliers.search', { q: '' })).toEqual([]);
  });
});

describe('ingredients and pinyin search', () => {
  it('computes pinyin keys', () => {
    expect(pinyinKeys('白菜')).toEqual({ initials: 'bc', full: 'baicai' });
    expect(pinyinKeys('五花肉（带皮）')).toEqual({ initials: 'whrdp', full: 'wuhuaroudaipi' });
    expect(pinyinKeys('A级鸡蛋')).toEqual({ initials: 'ajjd', full: 'ajijidan' });
  });

  it('finds 白菜 by "bc" first, before other matches (大白菜 last: its initials dbc hold bc later), and treats % literally', async () => {
    const mk = (name: string, category: 'vegetable' | 'meat' | 'grain', extra = {}) =>
      b.call('ingredients.create', { name, category, unit: 'kg', ...extra });
    const baicai = await mk('白菜', 'vegetable', { refPriceFen: 250 });
    await mk('大白菜', 'vegetable');
    await mk('白糙米', 'grain');
    await mk('菠菜', 'vegetable');
    await mk('猪肉', 'meat', { requiredCerts: ['animal_quarantine', 'meat_quality'] });
    const bc = await b.call('ingredients.search', { q: 'bc' });
    expect(bc.map((i) => i.name)).toEqual(['白菜', '菠菜', '白糙米', '大白菜']);
    expect(bc[0]).toEqual({ ...baicai });
    expect((await b.call('ingredients.search', { q: '白菜' })).map((i) => i.name)).toEqual(['白菜', '大白菜']);
    expect((await b.call('ingredients.search', { q: 'BC' })).map((i) => i.name)).toEqual(['白菜', '菠菜', '白糙米', '大白菜']);
    expect((await b.call('ingredients.search', { q: '%' })).map((i) => i.name)).toEqual([]);
    expect((await b.call('ingredients.search', { q: 'bc', category: 'grain' })).map((i) => i.name)).toEqual(['白糙米']);
    expect((await b.call('ingredients.search', { q: '' })).length).toBe(5);
  });

  it('refuses a duplicate name+spec, an unknown certificate and a fractional price; disabled items drop out of search', async () => {
    const pork = await b.call('ingredients.create', { name: '猪肉', category: 'meat', unit: 'kg', spec: '前腿', refPriceFen: 2_800 });
    await b.call('ingredients.create', { name: '猪肉', category: 'meat', unit: 'kg', spec: '五花' });
    const before = tableDigest(b);
    expect(await b.reject('ingredients.create', { name: '猪肉', category: 'meat', unit: 'kg', spec: '前腿' })).toEqual({ code: 'CONFLICT', message: '已有食材“猪肉（前腿）”' });
    expect((await b.reject('ingredients.create', { name: '牛肉', category: 'meat', unit: 'kg', requiredCerts: ['vip'] })).message).toBe('证明类型无效');
    expect((await b.reject('ingredients.create', { name: '牛肉', category: 'meat', unit: 'kg', refPriceFen: 12.5 })).message).toBe('参考价必须以分为单位的整数');
    expect(tableDigest(b)).toBe(before);
    await b.call('ingredients.update', { id: pork.id, name: '猪肉', category: 'meat', unit: 'kg', spec: '前腿', disabled: true });
    expect((await b.call('ingredients.search', { q: 'zr' })).map((i) => i.spec)).toEqual(['五花']);
    expect((await b.call('ingredients.search', { q: 'zr', includeDisabled: true })).length).toBe(2);
  });
});

describe('home page attention: licences', () => {
  it('lists licences expired, expiring within the profile’s 30 days, and missing; not later ones', async () => {
    const lic = (expiresOn: string) => [{ kind: 'food_business' as const, number: 'JY1', expiresOn }];
    await b.call('suppliers.create', supplier({ name: '甲', creditCode: TENCENT, licences: lic('2026-09-14') })); // expired yesterday
    await b.call('suppliers.create', supplier({ name: '乙', creditCode: HUAWEI, licences: lic('2026-10-15') })); // exactly 30 days ahead
    await b.call('suppliers.create', supplier({ name: '丙', creditCode: '91110000802100433B', licences: lic('2026-10-16') })); // 31 days: not yet
    await b.call('suppliers.create', supplier({ name: '丁', creditCode: '91330100799655058B', licences: [] })); // none
    const items = await b.call('home.attention', {});
    expect(items.map((i) => [i.severity, i.title])).toEqual([
      ['error', '甲：食品经营许可证已过期'],
      ['warning', '乙：食品经营许可证即将到期'],
      ['error', '丁：缺少食品经营/生产许可证'],
    ]);
    expect(items[0].link).toMatch(/^\/masterdata\/suppliers\/[0-9a-f-]{36}$/);
  });
});
