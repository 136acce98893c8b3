import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreBackend, type CentreBackend } from '../../electron/core/centre/backend.ts';

/**
 * 食材对应 per school (issue 18, centre integrity): school X's item compared under another name, before the town-wide
 * mapping, which stays the default of every other school. Three schools of monthclose-fixture.ts close September with
 * 大米 (kg, no spec) at 4.20 (甲校 9001), 4.50 (乙校 9002) and 6.00 (丙校 9003); the reference price 6.00, the
 * tolerance 10 %. Worked by hand (median of two: the mean, half-up):
 * - 丙校's 大米 → 东北大米 for 丙校 alone: 大米 is 甲 and 乙 (median 4.35, min 4.20, max 4.50, nothing flagged), 东北大米
 *   丙 alone (median 6.00).
 * - the town's 大米 → 粳米 as well: 甲 and 乙 under 粳米 (the town's default), 丙 still 东北大米 (its own first).
 * - 丙校's mapping removed: all three 粳米, median 4.50, min 4.20, max 6.00; 丙's 6.00 > 4.50 × 1.1 = 4.95 flagged
 *   over the median, not over its reference 6.00 × 1.1 = 6.60.
 */
const NOW = () => new Date(Date.UTC(2026, 9, 20, 2, 0, 0));
let dir: string;
let c: CentreBackend;
const made: { w: { b: { cleanup(): void } } }[] = [];

const ok = async (name: string, input: unknown) => {
  const r = await c.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value;
};
const err = async (name: string, input: unknown) => {
  const r = await c.invoke(name, input);
  if (r.ok) throw new Error(`${name} was accepted`);
  return { code: r.error.code, message: r.error.message };
};

/** The 食材价格 rows of the rice, whatever it is compared as: item, school, average, schools, median, min, max, flags. */
async function rice() {
  const v = (await ok('views.show', { view: 'price', month: '2026-09' })) as { rows: Record<string, unknown>[] };
  return v.rows
    .filter((r) => ['大米', '东北大米', '粳米'].includes(String(r.item)))
    .map((r) => [r.item, r.school_name, r.avg_price_fen, r.schools, r.median_fen, r.min_fen, r.max_fen, r.over_median, r.over_reference]);
}

/**
 * 供应商: the distributor all three schools share, its widest spread between schools' averages of one item (the other
 * items cost the same at all three): 大米 of all three (6.00 − 4.20) ÷ 4.20 = 42.86 %; of 甲 and 乙 alone
 * (4.50 − 4.20) ÷ 4.20 = 7.14 % (714.28 bp, half-up 714).
 */
async function spread() {
  const v = (await ok('views.show', { view: 'supplier', month: '2026-09' })) as { rows: Record<string, unknown>[] };
  return v.rows.filter((r) => r.schools === 3).map((r) => [r.spread_item, r.spread_bp]);
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-map-school-'));
  const folder = path.join(dir, '上报包');
  c = await openCentreBackend({ file: path.join(dir, 'centre.duckdb'), create: true, now: NOW });
  await ok('centre.setup', { centreName: '中心', adminUsername: 'wang', adminName: '王主任', password: 'Centre-2026' });
  await ok('users.create', { username: 'zhao', displayName: '赵审核', role: 'centre_reviewer', password: 'Review-2026' });
  const { septemberSchool } = await import('./monthclose-fixture.ts');
  for (const [code, name, price] of [['9001', '甲校', 420], ['9002', '乙校', 450], ['9003', '丙校', 600]] as const) {
    const s = await septemberSchool({ prices: { rice: price }, schoolName: name });
    made.push(s);
    await s.w.b.loginAs('accountant');
    await s.w.b.call('monthclose.submit', { month: '2026-09' });
    await s.w.b.loginAs('reviewer');
    await s.w.b.call('monthclose.approve', { month: '2026-09' });
    const r = await s.w.b.call('monthclose.package', { month: '2026-09', dir: folder, schoolCode: code });
    await ok('schools.enrol', { code, name, fingerprint: r.fingerprint });
  }
  expect(((await ok('packages.import', { dir: folder })) as { status: string }[]).map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
}, 300_000);
afterAll(() => {
  c?.close();
  for (const s of made) s.w.b.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('食材对应 per school, the town\'s mapping the default', { timeout: 120_000 }, () => {
  it('before: the three schools\' 大米 together, 丙校 flagged', async () => {
    expect(await rice()).toEqual([
      ['大米', '丙校', 600, 3, 450, 420, 600, true, false],
      ['大米', '乙校', 450, 3, 450, 420, 600, false, false],
      ['大米', '甲校', 420, 3, 450, 420, 600, false, false],
    ]);
    expect(await spread()).toEqual([['大米', 4286]]);
  });

  it('refusals in words: a school not enrolled, onto itself with no town mapping, a reviewer; nothing written', async () => {
    expect(await err('items.mapSchool', { schoolCode: '9999', item: '大米', unit: 'kg', toItem: '东北大米' })).toEqual({ code: 'NOT_FOUND', message: '学校代码 9999 未在本中心登记' });
    expect(await err('items.mapSchool', { schoolCode: '9003', item: '大米', unit: 'kg', toItem: '大米' })).toEqual({ code: 'VALIDATION', message: '“大米”（kg）全镇没有对应，本校不必对应到它自己' });
    expect(await err('items.unmapSchool', { schoolCode: '9003', item: '大米', unit: 'kg' })).toEqual({ code: 'NOT_FOUND', message: '丙校的“大米”（kg）没有本校的对应关系' });
    await ok('auth.login', { username: 'zhao', password: 'Review-2026' });
    expect(await err('items.mapSchool', { schoolCode: '9003', item: '大米', unit: 'kg', toItem: '东北大米' })).toEqual({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' });
    expect(await ok('items.schoolMappings', {})).toEqual([]);
    await ok('auth.login', { username: 'wang', password: 'Centre-2026' });
  });

  it('丙校\'s 大米 is its 东北大米: the others\' 大米 compared without it', async () => {
    expect(await ok('items.mapSchool', { schoolCode: '9003', item: '大米', unit: 'kg', toItem: '东北大米' })).toEqual({
      schoolCode: '9003', schoolName: '丙校', item: '大米', spec: '', unit: 'kg', toItem: '东北大米', toSpec: '', mappedAt: '2026-10-20T02:00:00.000Z', mappedBy: 'wang',
    });
    expect(await rice()).toEqual([
      ['东北大米', '丙校', 600, 1, 600, 600, 600, false, false],
      ['大米', '乙校', 450, 2, 435, 420, 450, false, false],
      ['大米', '甲校', 420, 2, 435, 420, 450, false, false],
    ]);
    expect(await spread()).toEqual([['大米', 714]]);
    // Its target may not be mapped town-wide in turn (one step, as the town's own mappings).
    expect(await err('items.map', { item: '东北大米', unit: 'kg', toItem: '大米' })).toEqual({ code: 'CONFLICT', message: '丙校的“大米”（kg）已对应到“东北大米”（kg），它不能再对应到别的食材' });
  });

  it('the town maps 大米 to 粳米: the default for 甲 and 乙, 丙校 keeps its own', async () => {
    await ok('items.map', { item: '大米', unit: 'kg', toItem: '粳米' });
    expect(await rice()).toEqual([
      ['东北大米', '丙校', 600, 1, 600, 600, 600, false, false],
      ['粳米', '乙校', 450, 2, 435, 420, 450, false, false],
      ['粳米', '甲校', 420, 2, 435, 420, 450, false, false],
    ]);
    expect(await spread()).toEqual([['粳米', 714]]);
  });

  it('both mappings are in the audit chain (verify clean); one changed through DuckDB is named', async () => {
    expect(await ok('centre.verify', {})).toMatchObject({ ok: true, auditEntries: 10 });
    await c.centre.conn.run(`UPDATE item_map_school SET to_item = '大米' WHERE school_code = '9003'`);
    expect(((await ok('centre.verify', {})) as { problems: string[] }).problems).toEqual(['学校 9003（丙校）的食材对应“大米”（kg）的“对应食材”与审计记录不符（在软件之外被改动）']);
    await c.centre.conn.run(`UPDATE item_map_school SET to_item = '东北大米' WHERE school_code = '9003'`);
  });

  it('丙校\'s mapping removed: the town\'s 粳米 for all three, 丙校 flagged again', async () => {
    expect(await ok('items.unmapSchool', { schoolCode: '9003', item: '大米', unit: 'kg' })).toBe(null);
    expect(await rice()).toEqual([
      ['粳米', '丙校', 600, 3, 450, 420, 600, true, false],
      ['粳米', '乙校', 450, 3, 450, 420, 600, false, false],
      ['粳米', '甲校', 420, 3, 450, 420, 600, false, false],
    ]);
    expect(await spread()).toEqual([['粳米', 4286]]);
    expect(await ok('centre.verify', {})).toMatchObject({ ok: true, auditEntries: 11 });
  });
});
