import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { LATEST_VERSION, openLedger, schemaVersion } from '../../electron/core/db/open.ts';
import { snapshotTexts, valuesText } from '../../electron/core/integrity/checks/common.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { DEFAULT_PROFILE } from '../../shared/profile.ts';
import { setupBackend, tableDigest, tempLedger, type TestBackend } from '../helpers/backend.ts';

/**
 * A light 留样 (issue 17: "a missing dish, a light sample or a discard before keep-until is a finding"; migration 0028;
 * docs/DOMAIN-RULES.md "留样"). A sample under the least weight of its day's profile (national 125 g) is first refused
 * with the advice to top it up; when it cannot be (the dish is sold out) it is recorded as weighed with a reason and is
 * the finding 留样不足 — on the storekeeper's and the reviewer's homes, the month-close checklist and the 食品安全月报.
 * SQL holds "at least 125 g, or a reason". Every message and text below is written out by hand.
 *
 * Today is 2026-10-15 12:00 China time; October's only 上课日 here is the 14th, so its lunch is the only meal expected.
 */
let clock = new Date(Date.UTC(2026, 9, 15, 4, 0, 0));
let b: TestBackend;
const SOLD_OUT = '菜品已售完，无法补足';
const lunch = (date: string, dishes: { dish: string; weightG: number; takenTime: string; lightReason?: string }[]) => ({ date, meal: 'lunch' as const, fridge: '1号留样柜', taker: '王师傅', dishes });
const row = (id: string) => b.db.prepare('SELECT * FROM food_samples WHERE id = ?').get(id) as Record<string, unknown>;
let rice = '';
let potato = '';

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  await b.loginAs('accountant');
  await b.call('schoolDays.set', { month: '2026-10', days: ['2026-10-14'] });
  await b.loginAs('storekeeper');
});
afterAll(() => b?.cleanup());

describe('a light 留样', { timeout: 60_000 }, () => {
  it('is refused first with the advice to top it up — every light dish named at its reason field — writing nothing', async () => {
    const before = tableDigest(b);
    const dishes = [
      { dish: '土豆丝', weightG: 130, takenTime: '11:30' },
      { dish: '米饭', weightG: 100, takenTime: '11:31' },
    ];
    expect(await b.reject('samples.record', lunch('2026-10-14', dishes))).toEqual({
      code: 'RULE',
      message: '米饭 留样量 100 克，不足 125 克：每个菜品留样不少于 125 克，请补足后再登记；确实无法补足（如菜品已售完）请填写留样不足原因，登记后列为问题',
      issues: [{ path: 'dishes.1.lightReason', message: '米饭 留样量 100 克，不足 125 克：请补足后再登记，无法补足请填写原因' }],
    });
    // A reason of blanks is no reason (cleaned like every reason text).
    expect(await b.reject('samples.record', lunch('2026-10-14', [dishes[0], { ...dishes[1], lightReason: ' \n ' }]))).toMatchObject({ code: 'RULE', issues: [{ path: 'dishes.1.lightReason' }] });
    // Two light dishes: both named.
    expect(await b.reject('samples.record', lunch('2026-10-14', [{ ...dishes[0], weightG: 90 }, dishes[1]]))).toEqual({
      code: 'RULE',
      message: '土豆丝 留样量 90 克，不足 125 克；米饭 留样量 100 克，不足 125 克：每个菜品留样不少于 125 克，请补足后再登记；确实无法补足（如菜品已售完）请填写留样不足原因，登记后列为问题',
      issues: [
        { path: 'dishes.0.lightReason', message: '土豆丝 留样量 90 克，不足 125 克：请补足后再登记，无法补足请填写原因' },
        { path: 'dishes.1.lightReason', message: '米饭 留样量 100 克，不足 125 克：请补足后再登记，无法补足请填写原因' },
      ],
    });
    // A reason on a dish that meets the weight would make it a finding it is not.
    expect(await b.reject('samples.record', lunch('2026-10-14', [{ ...dishes[0], lightReason: SOLD_OUT }, { ...dishes[1], weightG: 125 }]))).toEqual({
      code: 'RULE',
      message: '土豆丝 留样量 130 克，已达 125 克，不需要填写留样不足原因',
      issues: [{ path: 'dishes.0.lightReason', message: '土豆丝 留样量 130 克，已达 125 克，不需要填写留样不足原因' }],
    });
    expect(tableDigest(b)).toBe(before);
  });

  it('with a reason is recorded as weighed, and is a finding with its dish, weight and least weight', async () => {
    const rec = await b.call('samples.record', lunch('2026-10-14', [
      { dish: '土豆丝', weightG: 130, takenTime: '11:30' },
      { dish: '米饭', weightG: 100, takenTime: '11:31', lightReason: `  ${SOLD_OUT} ` },
    ]));
    [potato, rice] = rec.map((s) => s.id);
    expect(rec.map((s) => [s.dish, s.weightG, s.lightReason, s.status])).toEqual([
      ['土豆丝', 130, '', 'confirmed'],
      ['米饭', 100, SOLD_OUT, 'confirmed'],
    ]);
    expect([row(rice).weight_g, row(rice).light_reason, row(potato).light_reason]).toEqual([100, SOLD_OUT, '']);
    const text = '2026-10-14 午餐 米饭 留样不足：100 克（应不少于 125 克）：菜品已售完，无法补足';
    expect(await b.call('samples.findings', { month: '2026-10' })).toEqual([{ kind: 'light_sample', date: '2026-10-14', meal: 'lunch', text }]);
    // The storekeeper's home.
    const home = await b.call('home.summary', {});
    const entry = home.sections[0].entries.find((e) => e.kind === 'food_samples');
    expect(entry).toMatchObject({ label: '今日留样', value: '尚未留样', detail: '到期待处理 0 份；本月留样问题 1 项' });
    expect(entry?.lines.map((l) => l.text)).toEqual([text]);
    // The month-close checklist.
    await b.loginAs('accountant');
    const item = (await b.call('monthclose.get', { month: '2026-10' })).checklist?.find((i) => i.key === 'food_samples');
    expect(item).toMatchObject({ ok: true, informational: true, missing: [text], detail: '本月有 1 项留样问题（缺留样、留样不足或提前处理），请审核人知悉' });
    // The reviewer's home (September is the month to close: October's findings reach its 提醒 as they happen).
    await b.loginAs('reviewer');
    const flags = (await b.call('home.summary', {})).sections[0].entries.find((e) => e.kind === 'flags');
    expect(flags?.lines.map((l) => l.text)).toContain(text);
    // The 月报: 2 samples, 1 of them light; its findings (no 陪餐 on the 14th either).
    const r = await b.call('reports.foodSafetyMonth', { month: '2026-10' });
    expect(r.samples).toEqual({ count: 2, light: 1, earlyDiscards: 0 });
    expect(r.findings).toEqual([text, '2026-10-14 上课日没有陪餐记录']);
    await b.loginAs('storekeeper');
  });

  it('SQL refuses a sample under 125 g without a reason, and keeps the reason as recorded', () => {
    const p = row(potato);
    const insert = (over: Record<string, unknown>) => {
      const r: Record<string, unknown> = { ...p, id: '01890000-0000-7000-8000-00000000000b', dish: '测试菜', ...over };
      const cols = Object.keys(r);
      b.db.prepare(`INSERT INTO food_samples (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => r[c]));
    };
    expect(() => insert({ weight_g: 124 })).toThrow(/CHECK constraint/);
    expect(() => insert({ weight_g: 124, light_reason: '   ' })).toThrow(/CHECK constraint/);
    expect(() => insert({ weight_g: 0, light_reason: SOLD_OUT })).toThrow(/CHECK constraint/);
    expect(() => insert({ weight_g: 100, light_reason: '长'.repeat(201) })).toThrow(/CHECK constraint/);
    // With a reason SQL takes it (rolled back here: no audit entry would explain it).
    const tx = b.db.transaction(() => {
      insert({ weight_g: 100, light_reason: SOLD_OUT });
      throw new Error('rolled back');
    });
    expect(tx).toThrow('rolled back');
    expect(() => b.db.prepare(`UPDATE food_samples SET light_reason = '' WHERE id = ?`).run(rice)).toThrow('留样记录确认后不能修改，只能作废并重新登记');
    expect(() => b.db.prepare(`UPDATE food_samples SET light_reason = 'x' WHERE id = ?`).run(potato)).toThrow('留样记录确认后不能修改，只能作废并重新登记');
  });

  it('amendments: a light sample corrected to its true weight leaves the findings; a sample corrected to light needs its reason', async () => {
    const before = tableDigest(b);
    expect(await b.reject('samples.amend', { id: potato, reason: '称重录错', dish: '土豆丝', weightG: 110, takenTime: '11:30', taker: '王师傅', fridge: '1号留样柜' })).toEqual({
      code: 'RULE',
      message: '土豆丝 留样量 110 克，不足 125 克：每个菜品留样不少于 125 克，请补足后再登记；确实无法补足（如菜品已售完）请填写留样不足原因，登记后列为问题',
      issues: [{ path: 'lightReason', message: '土豆丝 留样量 110 克，不足 125 克：请补足后再登记，无法补足请填写原因' }],
    });
    expect(await b.reject('samples.amend', { id: rice, reason: '称重录错', dish: '米饭', weightG: 130, lightReason: SOLD_OUT, takenTime: '11:31', taker: '王师傅', fridge: '1号留样柜' })).toMatchObject({
      code: 'RULE',
      message: '米饭 留样量 130 克，已达 125 克，不需要填写留样不足原因',
    });
    expect(tableDigest(b)).toBe(before);
    const fixedRice = await b.call('samples.amend', { id: rice, reason: '称重录错，实为 130 克', dish: '米饭', weightG: 130, takenTime: '11:31', taker: '王师傅', fridge: '1号留样柜' });
    expect([fixedRice.weightG, fixedRice.lightReason, fixedRice.amends]).toEqual([130, '', rice]);
    expect(row(rice)).toMatchObject({ status: 'cancelled', weight_g: 100, light_reason: SOLD_OUT });
    expect(await b.call('samples.findings', { month: '2026-10' })).toEqual([]);
    const lightPotato = await b.call('samples.amend', { id: potato, reason: '称重录错，实为 110 克', dish: '土豆丝', weightG: 110, lightReason: '最后一份已打给学生', takenTime: '11:30', taker: '王师傅', fridge: '1号留样柜' });
    expect([lightPotato.weightG, lightPotato.lightReason, lightPotato.amends]).toEqual([110, '最后一份已打给学生', potato]);
    expect((await b.call('samples.findings', { month: '2026-10' })).map((f) => f.text)).toEqual(['2026-10-14 午餐 土豆丝 留样不足：110 克（应不少于 125 克）：最后一份已打给学生']);
    // The light sample is discarded in its time like any other.
    clock = new Date(Date.UTC(2026, 9, 16, 4, 0, 0)); // 2026-10-16 12:00, past 11:30 of the 16th
    const [gone] = await b.call('samples.discard', { ids: [lightPotato.id], disposer: '王师傅', reason: '' });
    expect(gone.discard).toMatchObject({ early: false });
  });

  it('under a raised least weight a sample above 125 g is light too: the profile of its day is the API’s rule', async () => {
    await b.loginAs('admin');
    clock = new Date(Date.UTC(2026, 10, 5, 4, 0, 0)); // 2026-11-05 12:00
    await b.call('school.update', { name: '阳光实验小学', profile: { ...DEFAULT_PROFILE, sampleMinGrams: 150 }, effectiveFrom: '2026-11' });
    await b.loginAs('storekeeper');
    const before = tableDigest(b);
    expect(await b.reject('samples.record', lunch('2026-11-04', [{ dish: '鱼香肉丝', weightG: 140, takenTime: '11:30' }]))).toMatchObject({
      code: 'RULE',
      message: '鱼香肉丝 留样量 140 克，不足 150 克：每个菜品留样不少于 150 克，请补足后再登记；确实无法补足（如菜品已售完）请填写留样不足原因，登记后列为问题',
    });
    expect(tableDigest(b)).toBe(before);
    await b.call('samples.record', lunch('2026-11-04', [{ dish: '鱼香肉丝', weightG: 140, takenTime: '11:30', lightReason: '菜品已售完' }]));
    expect((await b.call('samples.findings', { month: '2026-11' })).filter((f) => f.kind === 'light_sample').map((f) => f.text)).toEqual([
      '2026-11-04 午餐 鱼香肉丝 留样不足：140 克（应不少于 150 克）：菜品已售完',
    ]);
    // October's is 125 g still: its 110 g sample says so.
    expect((await b.call('samples.findings', { month: '2026-10' })).map((f) => f.text)).toEqual(['2026-10-14 午餐 土豆丝 留样不足：110 克（应不少于 125 克）：最后一份已打给学生']);
  });

  it('verify covers the reason: clean as written, a changed reason named', () => {
    const r = verifyLedger(b.db);
    expect(r.problems).toEqual([]);
    // By hand: 土豆丝 and 米饭, both amended (4 rows), and November's 鱼香肉丝.
    expect(r.coveredTables.food_samples).toBe(5);
    b.db.exec('DROP TRIGGER food_samples_update');
    const [fish] = b.db.prepare(`SELECT id FROM food_samples WHERE dish = '鱼香肉丝'`).pluck().all() as string[];
    b.db.prepare(`UPDATE food_samples SET light_reason = '冰箱故障' WHERE id = ?`).run(fish);
    const t = verifyLedger(b.db);
    expect(t.problems.filter((p) => p.table === 'food_samples').map((p) => p.message.replace(/第 \d+ 条/, '第 N 条'))).toEqual([`留样 ${fish} 与审计记录（第 N 条）不符：被改动：light_reason`]);
  });
});

describe('row snapshots written before migration 0028', () => {
  const cols = ['id', 'origin', 'sample_date', 'meal', 'dish', 'weight_g', 'taken_at', 'taker', 'fridge', 'keep_until', 'status', 'amends', 'created_at', 'created_by', 'cancelled_at', 'cancelled_by', 'cancel_reason'];
  const vals = ['s1', 'o', '2026-10-14', 'lunch', '米饭', 150, '2026-10-14T03:31:00.000Z', '王师傅', '1号柜', '2026-10-16T03:31:00.000Z', 'confirmed', null, 't', 'k', null, null, null];
  it('read light_reason as the \'\' the migration gave the rows they describe; a column missing that no step added still never matches', () => {
    const tableCols = [...cols, 'light_reason'];
    const old = snapshotTexts({ cols, vals: [vals] }, 'food_samples', tableCols, 'id');
    expect(old).toEqual({ texts: [valuesText([...vals, ''])], groups: ['s1'] });
    expect(old?.texts[0]).not.toBe(valuesText([...vals, SOLD_OUT]));
    // The same snapshot in the object form of before 2026-11-28.
    expect(snapshotTexts({ rows: [Object.fromEntries(cols.map((c, i) => [c, vals[i]]))] }, 'food_samples', tableCols, 'id')?.texts).toEqual([valuesText([...vals, ''])]);
    // Without the fridge (never added by a step): marked, equal to no row.
    const noFridge = snapshotTexts({ cols: cols.filter((c) => c !== 'fridge'), vals: [vals.filter((_, i) => cols[i] !== 'fridge')] }, 'food_samples', tableCols, 'id');
    expect(noFridge?.texts[0].startsWith('\u0003')).toBe(true);
  });
});

describe('migration 0028 on a schema-27 ledger with samples', () => {
  const t = tempLedger('v27.sqlite');
  afterAll(() => t.cleanup());
  it('keeps every sample (rowid, values, order), its discard and its amendment; the lock, the immutability and the new CHECK hold', () => {
    const raw = new Database(t.file);
    for (const m of MIGRATIONS.slice(0, 27)) raw.exec(m.sql);
    raw.pragma('user_version = 27');
    raw.exec(`
      INSERT INTO users (id, origin, username, display_name, password_hash, created_at, updated_at) VALUES ('k', 'o', 'keeper', '张保管', 'scrypt$x', 't', 't');
      INSERT INTO food_samples (id, origin, sample_date, meal, dish, weight_g, taken_at, taker, fridge, keep_until, status, created_at, created_by) VALUES
        ('a', 'o', '2026-09-29', 'lunch', '红烧肉', 150, '2026-09-29T03:20:00.000Z', '王师傅', '1号柜', '2026-10-01T03:20:00.000Z', 'confirmed', 't1', 'k'),
        ('b', 'o', '2026-10-08', 'lunch', '米饭', 125, '2026-10-08T03:20:00.000Z', '王师傅', '1号柜', '2026-10-10T03:20:00.000Z', 'confirmed', 't2', 'k');
      INSERT INTO food_sample_discards (sample_id, discarded_at, disposer, reason, created_at, created_by) VALUES ('a', '2026-10-01T04:00:00.000Z', '王师傅', '', 't3', 'k');
      UPDATE food_samples SET status = 'cancelled', cancelled_at = 't4', cancelled_by = 'k', cancel_reason = '称重录错' WHERE id = 'b';
      INSERT INTO food_samples (id, origin, sample_date, meal, dish, weight_g, taken_at, taker, fridge, keep_until, status, amends, created_at, created_by) VALUES
        ('c', 'o', '2026-10-08', 'lunch', '米饭', 135, '2026-10-08T03:20:00.000Z', '王师傅', '1号柜', '2026-10-10T03:20:00.000Z', 'confirmed', 'b', 't4', 'k');
      INSERT INTO closed_periods (period, closed_at, closed_by) VALUES ('2026-09', 't5', 'k');
    `);
    const before = raw.prepare('SELECT rowid, * FROM food_samples ORDER BY rowid').raw(true).all() as unknown[][];
    raw.close();

    const db = openLedger(t.file);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT rowid, * FROM food_samples ORDER BY rowid').raw(true).all()).toEqual(before.map((r) => [...r, '']));
    expect(before.map((r) => [r[0], r[1]])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
    expect(db.prepare('SELECT sample_id FROM food_sample_discards').pluck().all()).toEqual(['a']);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // The rules after it: September is closed; a sample is not changed, nor deleted, nor light without a reason.
    const add = (id: string, date: string, weight: number, reason: string) =>
      db
        .prepare(`INSERT INTO food_samples (id, origin, sample_date, meal, dish, weight_g, taken_at, taker, fridge, keep_until, status, created_at, created_by, light_reason)
                  VALUES (?, 'o', ?, 'dinner', '汤', ?, ?, '王师傅', '1号柜', ?, 'confirmed', 't', 'k', ?)`)
        .run(id, date, weight, `${date}T10:00:00.000Z`, `${date.slice(0, 8)}${String(Number(date.slice(8)) + 2).padStart(2, '0')}T10:00:00.000Z`, reason);
    expect(() => add('x', '2026-09-28', 150, '')).toThrow('该月份已月结锁定，不能再记账');
    expect(() => add('y', '2026-10-12', 100, '')).toThrow(/CHECK constraint/);
    expect(() => db.prepare(`UPDATE food_samples SET weight_g = 100 WHERE id = 'c'`).run()).toThrow('留样记录确认后不能修改，只能作废并重新登记');
    expect(() => db.prepare(`DELETE FROM food_samples WHERE id = 'c'`).run()).toThrow('留样记录不能删除');
    expect(() => db.prepare(`UPDATE food_samples SET status = 'cancelled', cancelled_at = 't', cancelled_by = 'k', cancel_reason = 'x' WHERE id = 'a'`).run()).toThrow('该月份已月结锁定，不能再记账');
    add('z', '2026-10-12', 100, SOLD_OUT);
    expect(db.prepare(`SELECT weight_g, light_reason FROM food_samples WHERE id = 'z'`).get()).toEqual({ weight_g: 100, light_reason: SOLD_OUT });
    db.close();
  });
});
