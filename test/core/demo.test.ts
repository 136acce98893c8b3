import { afterEach, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { FOUNDATION_STEPS, seedDemo, type DemoStep } from '../../electron/core/demo/index.ts';
import { isCreditCode } from '../../shared/api/fields.ts';
import type { Ingredient, Supplier } from '../../shared/api/masterdata.ts';
import { CATEGORIES } from '../../shared/domain.ts';
import { ROLES } from '../../shared/roles.ts';
import { tableDigest, tempLedger } from '../helpers/backend.ts';

// 2026-09-15 10:00 China time: "today" for the demo's licence dates.
const NOW = () => new Date(Date.UTC(2026, 8, 15, 2, 0, 0));

let b: Backend;
let cleanup: () => void;
function fresh(): Backend {
  const t = tempLedger();
  b = openBackend({ file: t.file, now: NOW });
  cleanup = () => (b.close(), t.cleanup());
  return b;
}
afterEach(() => cleanup?.());

async function call(name: string, input: unknown): Promise<unknown> {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
}

describe('demo school', () => {
  // The whole demo, with every later issue's steps: slow on a busy machine.
  it('seeds 阳光实验小学 with one account per role that can log in', { timeout: 300_000 }, async () => {
    fresh();
    const { schoolName, accounts } = await seedDemo(b);
    expect(schoolName).toBe('阳光实验小学');
    expect(await call('setup.status', {})).toEqual({ initialized: true, schoolName: '阳光实验小学' });
    expect(new Set(accounts.flatMap((a) => a.roles))).toEqual(new Set(ROLES));
    expect(accounts.filter((a) => a.roles.includes('storekeeper'))).toHaveLength(2);
    expect(accounts).toHaveLength(7);
    for (const a of accounts) {
      const s = (await call('auth.login', { username: a.username, password: a.password })) as { roles: string[]; displayName: string };
      expect(s.roles).toEqual(a.roles);
      expect(s.displayName).toBe(a.displayName);
    }
    // The seed leaves nobody logged in.
    await call('auth.logout', {});
    expect(await call('auth.me', {})).toBeNull();

    // Last month, August 2026 (21 school days: 3–7, 10–14, 17–21, 24–28, 31), is sized for the 120 pupils; income
    // worked out as in monthclose-demo.test.ts: fees 78 × 21 × 6.00 + 20 × 21 × 10.00 + 10 × 21 × 15.00 − 3 × 6.00
    // = 9,828.00 + 4,200.00 + 3,150.00 − 18.00 = 17,160.00; subsidy 34 × 21 × 5.00 = 3,570.00; income 20,730.00.
    // Meal days: 108 × 21 = 2,268 plus the unpaid eligible pupils' subsidised meals, 2 classes × (18 + 18) = 72 → 2,340.
    // The food cost then lies within the default 2 % surplus limit: [20,730.00 × 98 %, 20,730.00] = [20,315.40, 20,730.00].
    await call('auth.login', { username: 'accountant', password: 'demo-accountant' });
    const { summary } = (await call('monthclose.get', { month: '2026-08' })) as { summary: { current: { incomeFen: number; expenseFen: number; surplusRateBp: number; mealDays: number } } };
    expect(summary.current).toMatchObject({ incomeFen: 2_073_000, mealDays: 2_340 });
    expect(summary.current.expenseFen).toBeGreaterThanOrEqual(2_031_540);
    expect(summary.current.expenseFen).toBeLessThanOrEqual(2_073_000);
    expect(summary.current.surplusRateBp).toBeGreaterThanOrEqual(0);
    expect(summary.current.surplusRateBp).toBeLessThanOrEqual(200);
    await call('auth.logout', {});
  });

  it('has 8 suppliers with valid credit codes, one licence expiring within 30 days and one expired', async () => {
    fresh();
    const { accounts } = await seedDemo(b, { steps: FOUNDATION_STEPS });
    const sk = accounts.find((a) => a.username === 'storekeeper')!;
    await call('auth.login', { username: sk.username, password: sk.password });
    const suppliers = (await call('suppliers.search', { q: '', limit: 100 })) as Supplier[];
    expect(suppliers).toHaveLength(8);
    for (const s of suppliers) expect(isCreditCode(s.creditCode), s.creditCode).toBe(true);
    expect(new Set(suppliers.map((s) => s.creditCode)).size).toBe(8);
    const dates = suppliers.flatMap((s) => s.licences.map((l) => l.expiresOn)).filter((d): d is string => d !== null);
    // Today is 2026-09-15: within 30 days means 2026-09-15..2026-10-15; expired means before 2026-09-15.
    expect(dates.filter((d) => d >= '2026-09-15' && d <= '2026-10-15')).toHaveLength(1);
    expect(dates.filter((d) => d < '2026-09-15')).toHaveLength(1);
    expect(suppliers.find((s) => s.licences.some((l) => l.expiresOn === '2026-10-03'))?.name).toBe('浙江鲜丰肉类食品有限公司');
    expect(suppliers.find((s) => s.licences.some((l) => l.expiresOn === '2026-09-03'))?.name).toBe('杭州西湖区三墩禽蛋经营部');
    // Written through the API as 张秀英, so the audit trail says who.
    const creators = b.db.prepare(`SELECT DISTINCT u.username FROM suppliers s JOIN users u ON u.id = s.created_by`).all() as { username: string }[];
    expect(creators).toEqual([{ username: 'storekeeper' }]);
    expect((b.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'create' AND entity = 'supplier'`).get() as { n: number }).n).toBe(8);
  });

  it('has about 60 ingredients in every category with certificates, storable and banned flags, found by pinyin', async () => {
    fresh();
    const { accounts } = await seedDemo(b, { steps: FOUNDATION_STEPS });
    const p = accounts.find((a) => a.username === 'parent')!;
    await call('auth.login', { username: p.username, password: p.password });
    const items = (await call('ingredients.search', { q: '', limit: 500 })) as Ingredient[];
    expect(items.length).toBeGreaterThanOrEqual(55);
    expect(items.length).toBeLessThanOrEqual(75);
    expect(new Set(items.map((i) => i.category))).toEqual(new Set(CATEGORIES));
    const by = (n: string) => items.find((i) => i.name === n)!;
    expect(by('猪前腿肉').requiredCerts).toEqual(['animal_quarantine', 'meat_quality']);
    for (const i of items.filter((x) => x.name.startsWith('猪'))) expect(i.requiredCerts).toEqual(['animal_quarantine', 'meat_quality']);
    expect(by('牛腩').requiredCerts).toEqual(['animal_quarantine']);
    expect(by('鸡腿').requiredCerts).toEqual(['animal_quarantine']);
    expect(by('四季豆').banned).toBe(true);
    expect(items.filter((i) => i.banned).map((i) => i.name).sort()).toEqual(['四季豆', '野生蘑菇', '鲜黄花菜'].sort());
    for (const n of ['大米', '面粉', '大豆油', '食用盐', '生抽', '鸡腿', '带鱼段']) expect(by(n).storable, n).toBe(true);
    for (const n of ['白菜', '猪前腿肉', '草鱼', '老豆腐']) expect(by(n).storable, n).toBe(false);
    for (const i of items.filter((x) => x.category === 'seasoning')) expect(i.storable, i.name).toBe(true);
    expect(by('大米')).toMatchObject({ unit: '千克', refPriceFen: 560 });
    for (const i of items.filter((x) => !x.banned)) expect(Number.isInteger(i.refPriceFen) && i.refPriceFen! > 0, i.name).toBe(true);

    const find = async (q: string) => ((await call('ingredients.search', { q })) as Ingredient[]).map((i) => i.name);
    expect((await find('bc'))[0]).toBe('白菜');
    expect((await find('zqtr'))[0]).toBe('猪前腿肉');
    expect((await find('sjd'))[0]).toBe('四季豆');
    expect((await find('xhs'))[0]).toBe('西红柿');
    // Full pinyin matches anywhere in the name (issue 15): doufu is 豆腐干's start and inside laodoufu; the order between
    // them is recent use, which the demo's deliveries decide.
    expect((await find('doufu')).sort()).toEqual(['豆腐干', '老豆腐'].sort());
    expect(await find('laodoufu')).toEqual(['老豆腐']);
  });

  it('refuses a ledger that already has a school, and a failing step leaves the ledger as it was', async () => {
    fresh();
    await call('setup.init', { schoolName: '别的学校', adminUsername: 'boss', adminName: '校长', password: 'long-enough-1' });
    await call('auth.logout', {});
    const digest = tableDigest(b);
    await expect(seedDemo(b)).rejects.toMatchObject({ code: 'CONFLICT', message: '该账本已有学校，演示数据只能建在新账本上' });
    expect(tableDigest(b)).toBe(digest);
    cleanup();

    fresh();
    const empty = tableDigest(b);
    const failing: DemoStep = {
      name: '坏步骤',
      async run(d) {
        await d.loginAs('storekeeper');
        await d.call('suppliers.create', { name: 'x', creditCode: 'bad', address: 'a', contactPerson: 'c', phone: '12345' });
      },
    };
    // The school, people and master data are written, then the last step fails: none of it may stay.
    await expect(seedDemo(b, { steps: [...FOUNDATION_STEPS, failing] })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(tableDigest(b)).toBe(empty);
    expect(await call('setup.status', {})).toEqual({ initialized: false, schoolName: null });
  });
});
