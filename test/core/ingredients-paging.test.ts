import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';

/**
 * 食材 a page at a time with the total (issue 15: the page stopped at 500 of 5,067 items and said nothing of the rest).
 * The catalogue: 21 vegetables 青菜01…青菜21, the last two of them 停用, and 5 grains 大米01…大米05 — 26 items, 24 in use.
 * Every total below is counted from that list by hand.
 */
let b: TestBackend;
const ids = new Map<string, string>();
const two = (n: number) => String(n).padStart(2, '0');

beforeAll(async () => {
  b = await setupBackend();
  await b.loginAs('admin');
  for (let n = 1; n <= 21; n++) ids.set(`青菜${two(n)}`, (await b.call('ingredients.create', { name: `青菜${two(n)}`, category: 'vegetable', unit: '千克', requiredCerts: [] })).id);
  for (let n = 1; n <= 5; n++) ids.set(`大米${two(n)}`, (await b.call('ingredients.create', { name: `大米${two(n)}`, category: 'grain', unit: '千克', requiredCerts: [], storable: true })).id);
  for (const name of ['青菜20', '青菜21']) {
    await b.call('ingredients.update', { id: ids.get(name)!, name, category: 'vegetable', unit: '千克', spec: '', disabled: true });
  }
}, 60_000);
afterAll(() => b?.cleanup());

describe('ingredients.list: one page and the total', () => {
  it('pages through the 24 items in use, 20 then 4, each once, and an empty third page still says 24', async () => {
    const p1 = await b.call('ingredients.list', {});
    const p2 = await b.call('ingredients.list', { page: 2 });
    const p3 = await b.call('ingredients.list', { page: 3 });
    expect([p1.total, p1.rows.length, p2.total, p2.rows.length, p3.total, p3.rows.length]).toEqual([24, 20, 24, 4, 24, 0]);
    const seen = [...p1.rows, ...p2.rows].map((i) => i.name).sort();
    const inUse = [...ids.keys()].filter((n) => n !== '青菜20' && n !== '青菜21').sort();
    expect(seen).toEqual(inUse);
  });

  it('counts 已停用 items when asked: 26, the last page of 7 a page holding 5', async () => {
    const all = await b.call('ingredients.list', { includeDisabled: true, pageSize: 7, page: 4 });
    expect(all.total).toBe(26);
    expect(all.rows).toHaveLength(5); // 26 = 7 + 7 + 7 + 5
  });

  it('filters by category and by pinyin, the total counting only what matches', async () => {
    const veg = await b.call('ingredients.list', { category: 'vegetable', pageSize: 10, page: 2 });
    expect([veg.total, veg.rows.length]).toEqual([19, 9]);
    expect(veg.rows.every((i) => i.category === 'vegetable')).toBe(true);
    const rice = await b.call('ingredients.list', { q: 'dm' });
    expect(rice.total).toBe(5);
    expect(rice.rows.map((i) => i.name).sort()).toEqual(['大米01', '大米02', '大米03', '大米04', '大米05']);
    const one = await b.call('ingredients.list', { q: '青菜07' });
    expect([one.total, one.rows.map((i) => i.name)]).toEqual([1, ['青菜07']]);
    const none = await b.call('ingredients.list', { q: '龙虾' });
    expect(none).toEqual({ rows: [], total: 0 });
  });

  it('refuses a page before the first and pages over 200 in Chinese', async () => {
    expect(await b.reject('ingredients.list', { page: 0 })).toMatchObject({ code: 'VALIDATION', message: '页码从 1 开始' });
    expect(await b.reject('ingredients.list', { pageSize: 201 })).toMatchObject({ code: 'VALIDATION', message: '每页最多 200 条' });
    expect(await b.reject('ingredients.list', { page: 1.5 })).toMatchObject({ code: 'VALIDATION', message: '页码必须是整数' });
  });
});
