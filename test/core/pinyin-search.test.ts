import { afterEach, describe, expect, it } from 'vitest';
import { pinyinFilter, pinyinMatchPosition } from '../../shared/pinyin-match.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';
import { creditCode, draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

/**
 * Issue 15 "pinyin anywhere": initials and full pinyin match anywhere in the name (every supplier's name starts with a
 * place), ranked by the whole text matching, then recent use at this school, then where the match starts. The test
 * clock is 2026-09-15 (China); "recent" is the last 90 days, from 2026-06-17.
 */

let w: World | undefined;
let s: FeeSchool | undefined;
afterEach(() => {
  w?.b.cleanup();
  s?.b.cleanup();
  w = s = undefined;
});

const licensed = (world: World, name: string, body: string) =>
  world.b.call('suppliers.create', {
    name,
    creditCode: creditCode(body),
    address: '环城路 8 号',
    contactPerson: '陈经理',
    phone: '0571-88886666',
    licences: [
      { kind: 'business', number: `YY-${body.slice(-4)}`, expiresOn: null },
      { kind: 'food_business', number: `JY3301020${body.slice(-4)}`, expiresOn: '2028-12-31' },
    ],
  });

describe('suppliers and ingredients', () => {
  it('"ly" finds 杭州绿源农产品配送有限公司 (initials hzlyncpps…), and the supplier delivering lately comes before a name starting with ly', async () => {
    w = await setupWorld();
    await w.b.loginAs('accountant');
    const lvyuan = await licensed(w, '杭州绿源农产品配送有限公司', '91330102MA2XYW101');
    const linyi = await licensed(w, '临沂粮油贸易有限公司', '91371302MA2XYW102');
    await w.b.loginAs('storekeeper');
    // Before any delivery: 临沂 matches at the first character; 闽江粮油 (the fixture's, mjlyxx…) and 绿源 at the third,
    // the shorter name first.
    expect((await w.b.call('suppliers.search', { q: 'ly' })).map((x) => x.name)).toEqual(['临沂粮油贸易有限公司', '闽江粮油贸易有限公司', '杭州绿源农产品配送有限公司']);
    expect((await w.b.call('suppliers.search', { q: 'lvyuan' })).map((x) => x.id)).toEqual([lvyuan.id]);
    expect((await w.b.call('suppliers.search', { q: '绿源' })).map((x) => x.id)).toEqual([lvyuan.id]);
    // Two posted deliveries from 绿源 in the last 90 days; 临沂 delivered only before the window.
    await postNew(w, draft(w, [line(w.cabbage, { unitPriceFen: 250 })], { supplierId: lvyuan.id, date: '2026-09-01', noteNumber: 'LY-1' }));
    await postNew(w, draft(w, [line(w.cabbage, { unitPriceFen: 250 })], { supplierId: lvyuan.id, date: '2026-09-08', noteNumber: 'LY-2' }));
    for (const [date, no] of [['2026-05-01', 'LN-1'], ['2026-05-08', 'LN-2'], ['2026-05-15', 'LN-3']]) {
      await postNew(w, draft(w, [line(w.rice)], { supplierId: linyi.id, date, noteNumber: no }));
    }
    expect((await w.b.call('suppliers.search', { q: 'ly' })).map((x) => x.name)).toEqual(['杭州绿源农产品配送有限公司', '临沂粮油贸易有限公司', '闽江粮油贸易有限公司']);
    // A draft is not use: only posted deliveries count.
    await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { supplierId: linyi.id, noteNumber: 'LN-4' }) });
    await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { supplierId: linyi.id, noteNumber: 'LN-5' }) });
    await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice)], { supplierId: linyi.id, noteNumber: 'LN-6' }) });
    expect((await w.b.call('suppliers.search', { q: 'ly' }))[0].name).toBe('杭州绿源农产品配送有限公司');
  });

  it('"qc" lists 青菜 before 芹菜 when 青菜 was delivered more often in the last 90 days; the whole name typed still comes first', async () => {
    w = await setupWorld();
    const qingcai = await w.b.call('ingredients.create', { name: '青菜', category: 'vegetable', unit: 'kg' });
    const qincai = await w.b.call('ingredients.create', { name: '芹菜', category: 'vegetable', unit: 'kg' });
    await w.b.call('ingredients.create', { name: '小青菜', category: 'vegetable', unit: 'kg' });
    // Unused, both are exactly "qc": 芹菜 (qincai) sorts before 青菜 (qingcai) by pinyin — the complaint.
    expect((await w.b.call('ingredients.search', { q: 'qc' })).map((i) => i.name)).toEqual(['芹菜', '青菜', '小青菜']);
    // 青菜 weekly in the window (three lines), 芹菜 once in the window and four times before it.
    for (const [k, date] of ['2026-08-25', '2026-09-01', '2026-09-08'].entries()) {
      await postNew(w, draft(w, [line(qingcai.id)], { date, noteNumber: `QC-${k}` }));
    }
    await postNew(w, draft(w, [line(qincai.id)], { date: '2026-09-02', noteNumber: 'QN-0' }));
    for (const [k, date] of ['2026-04-01', '2026-04-08', '2026-04-15', '2026-04-22'].entries()) {
      await postNew(w, draft(w, [line(qincai.id)], { date, noteNumber: `QN-${k + 1}` }));
    }
    expect((await w.b.call('ingredients.search', { q: 'qc' })).map((i) => i.name)).toEqual(['青菜', '芹菜', '小青菜']);
    // "xqc" is 小青菜's own initials: exact before use. "qingcai" is 青菜's full pinyin and inside 小青菜's.
    expect((await w.b.call('ingredients.search', { q: 'xqc' })).map((i) => i.name)).toEqual(['小青菜']);
    expect((await w.b.call('ingredients.search', { q: 'qingcai' })).map((i) => i.name)).toEqual(['青菜', '小青菜']);
    expect((await w.b.call('ingredients.search', { q: '芹菜' })).map((i) => i.name)).toEqual(['芹菜']);
    // An empty box lists the most used first (the door form's dropdown as it opens).
    expect((await w.b.call('ingredients.search', { q: '' })).slice(0, 2).map((i) => i.name)).toEqual(['青菜', '芹菜']);
  });
});

describe('the storeroom', () => {
  it('finds stock and lots by initials from the middle of the name: "m" (dm) and "mi" (dami) → 大米', async () => {
    w = await setupWorld();
    await postNew(w, draft(w, [line(w.rice, { unitPriceFen: 600 })]));
    for (const q of ['m', 'mi', '米']) expect((await w.b.call('storeroom.stock', { q })).map((x) => x.name), q).toEqual(['大米']);
    expect((await w.b.call('storeroom.lots', { q: 'mi' })).map((x) => x.ingredientName)).toEqual(['大米']);
    expect(await w.b.call('storeroom.stock', { q: 'zr' })).toEqual([]);
  });
});

describe('pupils', () => {
  it('finds 王小明 by the initials or pinyin of the given name, in the middle; a name that is the whole text comes first', async () => {
    s = await feeSchool();
    await s.b.loginAs('accountant');
    expect((await s.b.call('students.list', { q: 'xm' })).map((x) => x.name)).toEqual(['王小明']);
    expect((await s.b.call('students.list', { q: 'xiaoming' })).map((x) => x.name)).toEqual(['王小明']);
    expect((await s.b.call('students.list', { q: 'xh' })).map((x) => x.name)).toEqual(['李小红']);
    // 徐敏 (xm) in 二(1)班: the whole initials match first, although 一(1)班 comes first in the roster.
    await s.b.call('students.create', { studentNo: '2026009', name: '徐敏', className: '二(1)班', mealPlan: 'lunch', subsidyEligible: false });
    expect((await s.b.call('students.list', { q: 'xm' })).map((x) => x.name)).toEqual(['徐敏', '王小明']);
    // The student number still matches from its start only.
    expect((await s.b.call('students.list', { q: '2026009' })).map((x) => x.name)).toEqual(['徐敏']);
    expect((await s.b.call('students.list', { q: '026009' })).map((x) => x.name)).toEqual([]);
  });
});

describe('inspectors and users', () => {
  it('receiving.people carries pinyin keys and recent inspections; the form filter finds an inspector by initials', async () => {
    w = await setupWorld();
    await w.b.loginAs('admin');
    await w.b.call('users.create', { username: 'ouyang', displayName: '欧阳晓峰', roles: ['storekeeper'], password: 'pass-1234-abcd' });
    await w.b.loginAs('storekeeper');
    const people = await w.b.call('receiving.people', {});
    const ouyang = people.find((p) => p.name === '欧阳晓峰')!;
    expect(ouyang).toMatchObject({ pyInitials: 'oyxf', pyFull: 'ouyangxiaofeng', recent: 0, roles: ['storekeeper'] });
    expect(pinyinFilter('xf', people).map((p) => p.name)).toEqual(['欧阳晓峰']);
    expect(pinyinFilter('xiaof', people).map((p) => p.name)).toEqual(['欧阳晓峰']);
    expect(pinyinMatchPosition('xf', ouyang)).toBe(3);
    // A full-pinyin match is placed by scaling: "feng" starts 10 letters into the 14 of ouyangxiaofeng, 1 + ⌊10·4/14⌋.
    expect(pinyinMatchPosition('feng', ouyang)).toBe(3);
    expect(pinyinMatchPosition('zz', ouyang)).toBeNull();
    // The two inspectors of a posted delivery in the window count one each.
    await postNew(w, draft(w, [line(w.rice)], { inspectorIds: [w.users.storekeeper2, ouyang.id] }));
    const after = await w.b.call('receiving.people', {});
    expect(after.find((p) => p.id === ouyang.id)?.recent).toBe(1);
    expect(after.find((p) => p.id === w!.users.storekeeper)?.recent).toBe(0);
  });

  it('users.list finds a user by pinyin initials anywhere in the name or by user name', async () => {
    w = await setupWorld();
    await w.b.loginAs('admin');
    await w.b.call('users.create', { username: 'ouyang', displayName: '欧阳晓峰', roles: ['storekeeper'], password: 'pass-1234-abcd' });
    expect((await w.b.call('users.list', { q: 'xf' })).map((u) => u.username)).toEqual(['ouyang']);
    expect((await w.b.call('users.list', { q: 'ouya' })).map((u) => u.username)).toEqual(['ouyang']);
    expect((await w.b.call('users.list', {})).length).toBeGreaterThan(5);
  });
});
