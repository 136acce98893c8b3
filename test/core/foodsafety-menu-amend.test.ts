import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * A reasoned amendment of an approved 带量食谱 (issue 17, migration 0026), through the API, by hand.
 *
 * Friday 2026-10-09: the storekeeper plans Monday 10-12's lunch — 米饭 (大米 100 g) and 炒白菜 (白菜 120 g) for 6~8岁 —
 * and 周家长 approves it (第 1 版). Saturday 10-10: 白菜 cannot be had, so the storekeeper amends it: 第 2 版, a draft with
 * the approved lines copied, 炒白菜 replaced by 炒油麦菜 (油麦菜 120 g). Monday 10-12 12:00: the kitchen cooked the revision
 * and sampled 米饭 and 炒油麦菜 — but until 第 2 版 is approved, 第 1 版 is the menu in force, so its 炒白菜 is a sample
 * missing. The revision is submitted, returned once (油麦菜偏少), raised to 150 g, submitted and approved: 第 1 版 is then
 * superseded and the finding is gone.
 */
let clock = new Date(Date.UTC(2026, 9, 9, 2, 0, 0));
let b: TestBackend;
let rice = '';
let cabbage = '';
let lettuce = '';
let v1 = '';
let v2 = '';

const line = (dish: string, ingredientId: string, grams: number) => ({ day: '2026-10-12', meal: 'lunch' as const, dish, ingredientId, ageGroup: '6-8', qtyMg: grams * 1000 });

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  rice = (await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg', refPriceFen: 600, requiredCerts: [], storable: true })).id;
  cabbage = (await b.call('ingredients.create', { name: '白菜', category: 'vegetable', unit: 'kg', refPriceFen: 250, requiredCerts: [], storable: false })).id;
  lettuce = (await b.call('ingredients.create', { name: '油麦菜', category: 'vegetable', unit: 'kg', refPriceFen: 400, requiredCerts: [], storable: false })).id;
  await b.loginAs('storekeeper');
  v1 = (await b.call('menus.save', { id: null, weekStart: '2026-10-12', lines: [line('米饭', rice, 100), line('炒白菜', cabbage, 120)] })).id;
  await b.call('menus.submit', { id: v1 });
  await b.loginAs('parent');
  await b.call('menus.review', { id: v1, decision: 'approved' });
}, 60_000);
afterAll(() => b?.cleanup());

describe('amending an approved menu', { timeout: 60_000 }, () => {
  it('only an approved menu is amended, with a reason; a draft is refused, writing nothing', async () => {
    clock = new Date(Date.UTC(2026, 9, 10, 2, 0, 0));
    await b.loginAs('storekeeper');
    let before = tableDigest(b);
    expect(await b.reject('menus.amend', { id: v1, reason: '  ' })).toMatchObject({ code: 'VALIDATION', message: '请填写修订原因' });
    expect(tableDigest(b)).toBe(before);
    // The parent committee approves menus; it does not amend them.
    await b.loginAs('parent');
    before = tableDigest(b);
    expect(await b.reject('menus.amend', { id: v1, reason: '白菜断货' })).toMatchObject({ code: 'FORBIDDEN' });
    expect(tableDigest(b)).toBe(before);
  });

  it('opens 第 2 版 as a draft with the approved lines, the reason and who; 第 1 版 untouched and still in force', async () => {
    await b.loginAs('storekeeper');
    const r = await b.call('menus.amend', { id: v1, reason: '白菜断货，改为油麦菜' });
    v2 = r.id;
    expect(r).toMatchObject({
      weekStart: '2026-10-12',
      status: 'draft',
      revision: 2,
      amendment: { amendsId: v1, reason: '白菜断货，改为油麦菜', createdAt: '2026-10-10T02:00:00.000Z', createdByName: '张保管' },
      amendedById: null,
      approvedAt: null,
      reviews: [],
    });
    expect(r.lines.map((l) => [l.dish, l.ingredientName, l.qtyMg])).toEqual([['米饭', '大米', 100_000], ['炒白菜', '白菜', 120_000]]);
    expect(r.revisions).toEqual([{ id: v1, revision: 1, status: 'approved' }, { id: v2, revision: 2, status: 'draft' }]);
    const old = await b.call('menus.get', { id: v1 });
    expect([old.status, old.revision, old.amendment, old.amendedById, old.approvedByName]).toEqual(['approved', 1, null, v2, '周家长']);
    // The audit entry of the amendment names what it amends and why, with the new rows.
    const a = b.db.prepare(`SELECT action, entity, after FROM audit_log WHERE entity_id = ? ORDER BY seq`).all(v2) as { action: string; entity: string; after: string }[];
    expect(a.map((x) => [x.action, x.entity])).toEqual([['amend', 'menus']]);
    expect(JSON.parse(a[0].after)).toMatchObject({ weekStart: '2026-10-12', amends: v1, revision: 2, reason: '白菜断货，改为油麦菜' });
    // One open revision a week: a second amendment is refused, writing nothing.
    const before = tableDigest(b);
    expect(await b.reject('menus.amend', { id: v1, reason: '再改一次' })).toMatchObject({ code: 'CONFLICT', message: '带量食谱 2026-10-12 已有第 2 版修订本尚未审定：请在该版上修改' });
    expect(await b.reject('menus.amend', { id: v2, reason: '草稿不用修订' })).toMatchObject({ code: 'CONFLICT', message: '带量食谱 2026-10-12 还是草稿：直接修改即可，只有已审定的食谱需要修订' });
    // The approved 第 1 版 itself is still not edited in place.
    expect(await b.reject('menus.save', { id: v1, weekStart: '2026-10-12', lines: [line('米饭', rice, 100)] })).toMatchObject({ code: 'CONFLICT', message: '带量食谱 2026-10-12 已审定公布，不能修改' });
    expect(tableDigest(b)).toBe(before);
    await b.call('menus.save', { id: v2, weekStart: '2026-10-12', lines: [line('米饭', rice, 100), line('炒油麦菜', lettuce, 120)] });
    // The week's list: the newest revision first.
    expect((await b.call('menus.list', { from: '2026-10-12', to: '2026-10-18' })).map((m) => [m.revision, m.status, m.dishes])).toEqual([[2, 'draft', 2], [1, 'approved', 2]]);
  });

  it('until 第 2 版 is approved, 第 1 版 drives the expected 留样; its approval supersedes 第 1 版', async () => {
    clock = new Date(Date.UTC(2026, 9, 12, 4, 0, 0)); // Monday 12:00
    await b.loginAs('storekeeper');
    await b.call('samples.record', { date: '2026-10-12', meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '米饭', weightG: 150, takenTime: '11:20' }, { dish: '炒油麦菜', weightG: 150, takenTime: '11:21' }] });
    const missing = [{ kind: 'planned_dish_without_sample', date: '2026-10-12', meal: 'lunch', text: '2026-10-12 午餐 炒白菜 是审定食谱中的菜品，没有留样记录' }];
    expect(await b.call('samples.findings', { month: '2026-10' })).toEqual(missing);
    await b.call('menus.submit', { id: v2 });
    expect(await b.call('samples.findings', { month: '2026-10' })).toEqual(missing);
    await b.loginAs('parent');
    await b.call('menus.review', { id: v2, decision: 'returned', remark: '油麦菜偏少' });
    expect((await b.call('menus.get', { id: v1 })).status).toBe('approved');
    await b.loginAs('storekeeper');
    await b.call('menus.save', { id: v2, weekStart: '2026-10-12', lines: [line('米饭', rice, 100), line('炒油麦菜', lettuce, 150)] });
    await b.call('menus.submit', { id: v2 });
    clock = new Date(Date.UTC(2026, 9, 12, 6, 0, 0));
    await b.loginAs('parent');
    const approved = await b.call('menus.review', { id: v2, decision: 'approved' });
    expect([approved.status, approved.revision, approved.approvedByName, approved.approvedAt]).toEqual(['approved', 2, '周家长', '2026-10-12T06:00:00.000Z']);
    expect(approved.reviews.map((r) => [r.decision, r.remark])).toEqual([['returned', '油麦菜偏少'], ['approved', '']]);
    // 第 1 版 keeps its approval, superseded; the finding is gone (第 2 版's 米饭 and 炒油麦菜 were sampled).
    const old = await b.call('menus.get', { id: v1 });
    expect([old.status, old.approvedByName, old.approvedAt]).toEqual(['superseded', '周家长', '2026-10-09T02:00:00.000Z']);
    await b.loginAs('storekeeper');
    expect(await b.call('samples.findings', { month: '2026-10' })).toEqual([]);
    // The approval's audit entry says what it superseded, and carries 第 1 版's row (verify below is clean).
    const e = b.db.prepare(`SELECT after FROM audit_log WHERE entity_id = ? AND action = 'approve'`).get(v2) as { after: string };
    expect(JSON.parse(e.after)).toMatchObject({ decision: 'approved', supersedes: v1 });
    expect(verifyLedger(b.db).problems).toEqual([]);
  });

  it('a superseded menu is closed to every change, in the API and in SQL', async () => {
    await b.loginAs('parent');
    let before = tableDigest(b);
    const words = '带量食谱 2026-10-12 的这一版已被第 2 版取代，不能再修改、提交、审定或修订';
    expect(await b.reject('menus.review', { id: v1, decision: 'approved' })).toMatchObject({ code: 'CONFLICT', message: words });
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('storekeeper');
    before = tableDigest(b);
    expect(await b.reject('menus.amend', { id: v1, reason: '改回白菜' })).toMatchObject({ code: 'CONFLICT', message: words });
    expect(await b.reject('menus.save', { id: v1, weekStart: '2026-10-12', lines: [line('米饭', rice, 100)] })).toMatchObject({ code: 'CONFLICT', message: words });
    expect(await b.reject('menus.submit', { id: v1 })).toMatchObject({ code: 'CONFLICT', message: words });
    expect(tableDigest(b)).toBe(before);
    const d = b.db;
    expect(() => d.prepare(`UPDATE menus SET note = 'x' WHERE id = ?`).run(v1)).toThrow('已被修订取代的带量食谱不能修改');
    expect(() => d.prepare(`UPDATE menus SET status = 'approved' WHERE id = ?`).run(v1)).toThrow('已被修订取代的带量食谱不能修改');
    // An approved menu is superseded only while its revision is being approved, and two are never approved in a week.
    expect(() => d.prepare(`UPDATE menus SET status = 'superseded' WHERE id = ?`).run(v2)).toThrow('已审定的带量食谱只在其修订本审定时被取代');
    expect(() => d.prepare(`UPDATE menus SET note = 'x' WHERE id = ?`).run(v2)).toThrow('已审定的带量食谱不能修改');
    expect(() => d.prepare(`DELETE FROM menu_amendments WHERE menu_id = ?`).run(v2)).toThrow('食谱修订记录不能删除');
    expect(() => d.prepare(`UPDATE menu_amendments SET reason = 'x' WHERE menu_id = ?`).run(v2)).toThrow('食谱修订记录不能修改');
    expect(tableDigest(b)).toBe(before);
  });

  it('第 2 版 is amended in turn (第 3 版); the month’s report lists every revision of the week', async () => {
    await b.loginAs('storekeeper');
    const v3 = await b.call('menus.amend', { id: v2, reason: '米饭改为杂粮饭' });
    expect([v3.revision, v3.amendment?.amendsId, v3.revisions.map((r) => [r.revision, r.status])]).toEqual([3, v2, [[1, 'superseded'], [2, 'approved'], [3, 'draft']]]);
    // SQL: an amendment row for a menu that is not approved, or a second open revision of the week, is refused.
    const d = b.db;
    const amendRow = `INSERT INTO menu_amendments (menu_id, amends, revision, reason, created_at, created_by) SELECT ?, ?, 4, 'x', 'now', created_by FROM menus WHERE id = ?`;
    expect(() => d.prepare(amendRow).run(v3.id, v1, v3.id)).toThrow('只有已审定的带量食谱可以修订');
    expect(() =>
      d.prepare(`INSERT INTO menus (id, origin, week_start, status, note, created_at, created_by, updated_at, updated_by) SELECT 'x', origin, week_start, 'draft', '', 'now', created_by, 'now', created_by FROM menus WHERE id = ?`).run(v3.id),
    ).toThrow('UNIQUE constraint failed: menus.week_start');
    await b.loginAs('reviewer');
    const r = await b.call('reports.foodSafetyMonth', { month: '2026-10' });
    expect(r.menus.map((m) => [m.weekStart, m.status, m.approvedByName])).toEqual([
      ['2026-10-12', 'superseded', '周家长'],
      ['2026-10-12', 'approved', '周家长'],
      ['2026-10-12', 'draft', null],
    ]);
  });

  it('with October closed, no revision of a week reaching into it is saved, submitted, approved or amended', async () => {
    clock = new Date(Date.UTC(2026, 10, 5, 2, 0, 0));
    const admin = (b.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
    b.db.prepare('INSERT INTO closed_periods (period, closed_at, closed_by) VALUES (?, ?, ?)').run('2026-10', '2026-11-03T02:00:00Z', admin);
    await b.loginAs('storekeeper');
    const v3 = (await b.call('menus.list', { from: '2026-10-12', to: '2026-10-18' }))[0];
    const before = tableDigest(b);
    const locked = '带量食谱 2026-10-12 含 2026-10-12：2026年10月已月结锁定，不能再记账；如需更正请由审核人填写理由后反结账';
    expect(await b.reject('menus.save', { id: v3.id, weekStart: '2026-10-12', lines: [line('杂粮饭', rice, 100)] })).toMatchObject({ code: 'LOCKED', message: locked });
    expect(await b.reject('menus.submit', { id: v3.id })).toMatchObject({ code: 'LOCKED', message: locked });
    expect(await b.reject('menus.amend', { id: v2, reason: '十月的再改' })).toMatchObject({ code: 'LOCKED', message: locked });
    expect(tableDigest(b)).toBe(before);
  });
});
