import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { DEFAULT_PROFILE } from '../../shared/profile.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * 留样 (issue 17 slice 1), through the API on a real ledger. October 2026 has six 上课日 (8, 9, 12, 13, 14, 15);
 * 9 October has no samples. Every figure, instant and message below is written out by hand from the rules in
 * docs/DOMAIN-RULES.md "留样": at least 125 g a dish (the profile may raise it, read for the sample's month), kept at
 * least 48 hours, discarded by someone at some time — before the keep-until only with a reason, which is a finding.
 * Times are China time (UTC+8): 11:20 on 2026-10-08 is stored as 2026-10-08T03:20:00.000Z.
 */
let clock = new Date(Date.UTC(2026, 9, 15, 4, 0, 0)); // 2026-10-15 12:00 China time
let b: TestBackend;

const lunch = (date: string, dishes: { dish: string; weightG: number; takenTime: string }[], extra: Record<string, unknown> = {}) => ({
  date,
  meal: 'lunch' as const,
  fridge: '1号留样柜',
  taker: '王师傅',
  dishes,
  ...extra,
});
const row = (id: string) => b.db.prepare('SELECT * FROM food_samples WHERE id = ?').get(id) as Record<string, unknown>;

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  await b.loginAs('accountant');
  await b.call('schoolDays.set', { month: '2026-10', days: ['2026-10-08', '2026-10-09', '2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16'] });
  await b.loginAs('storekeeper');
});
afterAll(() => b?.cleanup());

describe('留样 through the API', { timeout: 60_000 }, () => {
  let pork = '';
  let greens = '';
  let egg = '';

  it('records a meal’s dishes, each kept 48 hours after it was taken', async () => {
    const rec = await b.call('samples.record', lunch('2026-10-08', [
      { dish: '红烧肉', weightG: 150, takenTime: '11:20' },
      { dish: '炒青菜', weightG: 130, takenTime: '11:25' },
    ]));
    [pork, greens] = rec.map((s) => s.id);
    expect(rec.map((s) => [s.dish, s.weightG, s.takenAt, s.keepUntil, s.taker, s.fridge, s.status, s.createdByName])).toEqual([
      ['红烧肉', 150, '2026-10-08T03:20:00.000Z', '2026-10-10T03:20:00.000Z', '王师傅', '1号留样柜', 'confirmed', '张保管'],
      ['炒青菜', 130, '2026-10-08T03:25:00.000Z', '2026-10-10T03:25:00.000Z', '王师傅', '1号留样柜', 'confirmed', '张保管'],
    ]);
    // Exactly 125 g is enough.
    const [e] = await b.call('samples.record', lunch('2026-10-12', [{ dish: '番茄炒蛋', weightG: 125, takenTime: '11:30' }]));
    egg = e.id;
    expect(e.keepUntil).toBe('2026-10-14T03:30:00.000Z');
  });

  it('refuses a light sample, a short keep-until, a time ahead, a second sample of a dish and a parent, writing nothing', async () => {
    const before = tableDigest(b);
    expect(await b.reject('samples.record', lunch('2026-10-13', [{ dish: '土豆丝', weightG: 130, takenTime: '11:30' }, { dish: '米饭', weightG: 120, takenTime: '11:31' }]))).toMatchObject({
      code: 'RULE',
      message: '米饭 留样量 120 克，不足 125 克：每个菜品留样不少于 125 克，请补足后再登记；确实无法补足（如菜品已售完）请填写留样不足原因，登记后列为问题',
    });
    expect(await b.reject('samples.record', lunch('2026-10-13', [{ dish: '土豆丝', weightG: 130, takenTime: '11:30' }], { keepUntil: '2026-10-15 11:00' }))).toMatchObject({
      code: 'RULE',
      message: '土豆丝 保存至 2026-10-15 11:00，不足 48 小时：留样须保存至 2026-10-15 11:30 以后',
    });
    expect(await b.reject('samples.record', lunch('2026-10-15', [{ dish: '土豆丝', weightG: 130, takenTime: '12:30' }]))).toMatchObject({
      code: 'RULE',
      message: '土豆丝 的留样时间 2026-10-15 12:30 晚于现在，不能预先登记',
    });
    expect(await b.reject('samples.record', lunch('2026-10-08', [{ dish: '红烧肉', weightG: 150, takenTime: '11:40' }]))).toMatchObject({
      code: 'CONFLICT',
      message: '2026-10-08 午餐 已有 红烧肉 的留样记录：如有错误请更正该记录',
    });
    expect(tableDigest(b)).toBe(before);
    // A login is itself recorded: the parent's digest is taken after it.
    await b.loginAs('parent');
    const asParent = tableDigest(b);
    expect(await b.reject('samples.record', lunch('2026-10-13', [{ dish: '土豆丝', weightG: 130, takenTime: '11:30' }]))).toMatchObject({ code: 'FORBIDDEN' });
    expect(tableDigest(b)).toBe(asParent);
    await b.loginAs('storekeeper');
  });

  it('SQL holds a confirmed sample as it is, the national 125 g and the 48 hours again', () => {
    expect(() => b.db.prepare('UPDATE food_samples SET weight_g = 200 WHERE id = ?').run(pork)).toThrow('留样记录确认后不能修改，只能作废并重新登记');
    expect(() => b.db.prepare('DELETE FROM food_samples WHERE id = ?').run(pork)).toThrow('留样记录不能删除');
    const p = row(pork);
    const insert = (over: Record<string, unknown>) => {
      const r: Record<string, unknown> = { ...p, id: '01890000-0000-7000-8000-00000000000a', dish: '测试菜', ...over };
      const cols = Object.keys(r);
      b.db.prepare(`INSERT INTO food_samples (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => r[c]));
    };
    expect(() => insert({ weight_g: 124 })).toThrow(/CHECK constraint/);
    expect(() => insert({ keep_until: '2026-10-10T03:19:59.000Z' })).toThrow(/CHECK constraint/);
    expect(() => insert({ taken_at: '2026-10-07T15:59:00.000Z' })).toThrow(/CHECK constraint/);
  });

  it('discards samples past their keep-until; before it only with a reason, which is a finding', async () => {
    // 2026-10-10 12:00 is after 红烧肉's 11:20 and 炒青菜's 11:25 of 10 October.
    const done = await b.call('samples.discard', { ids: [pork, greens], at: '2026-10-10 12:00', disposer: '王师傅', reason: '' });
    expect(done.map((s) => s.discard)).toEqual([
      { at: '2026-10-10T04:00:00.000Z', disposer: '王师傅', reason: '', early: false, recordedByName: '张保管' },
      { at: '2026-10-10T04:00:00.000Z', disposer: '王师傅', reason: '', early: false, recordedByName: '张保管' },
    ]);
    const before = tableDigest(b);
    expect(await b.reject('samples.discard', { ids: [pork], at: '2026-10-11 12:00', disposer: '王师傅', reason: '' })).toMatchObject({
      code: 'CONFLICT',
      message: '留样 红烧肉（2026-10-08 午餐）已于 2026-10-10 12:00 处理，不能重复处理',
    });
    // 番茄炒蛋 of 12 October is kept until 14 October 11:30.
    expect(await b.reject('samples.discard', { ids: [egg], at: '2026-10-13 09:00', disposer: '王师傅', reason: '' })).toMatchObject({
      code: 'RULE',
      message: '番茄炒蛋（2026-10-12 午餐）须保存至 2026-10-14 11:30，不能提前处理；确需提前处理（如冰箱故障、被监管部门取走）请填写原因',
    });
    expect(await b.reject('samples.discard', { ids: [egg], at: '2026-10-15 12:30', disposer: '王师傅', reason: '' })).toMatchObject({
      code: 'RULE',
      message: '处理时间 2026-10-15 12:30 晚于现在，不能预先登记',
    });
    expect(tableDigest(b)).toBe(before);
    const [early] = await b.call('samples.discard', { ids: [egg], at: '2026-10-13 09:00', disposer: '王师傅', reason: '冰箱故障' });
    expect(early.discard).toMatchObject({ at: '2026-10-13T01:00:00.000Z', early: true, reason: '冰箱故障' });
    expect(() => b.db.prepare('DELETE FROM food_sample_discards WHERE sample_id = ?').run(egg)).toThrow('留样处理记录不能删除');
  });

  it('corrects a sample by a reasoned amendment: the old one cancelled, the new one pointing back', async () => {
    const [potato] = await b.call('samples.record', lunch('2026-10-13', [{ dish: '土豆丝', weightG: 130, takenTime: '11:30' }]));
    const fixed = await b.call('samples.amend', { id: potato.id, reason: '称重录错，实为 140 克', dish: '土豆丝', weightG: 140, takenTime: '11:30', taker: '王师傅', fridge: '1号留样柜' });
    expect(fixed).toMatchObject({ weightG: 140, amends: potato.id, status: 'confirmed', keepUntil: '2026-10-15T03:30:00.000Z' });
    expect(row(potato.id)).toMatchObject({ status: 'cancelled', cancel_reason: '称重录错，实为 140 克', weight_g: 130 });
    // Audited under the registry's table names (the 审计 page names them 留样, 留样处理 from the registry).
    const trail = (id: string) => b.db.prepare('SELECT action, entity, user_id IS NOT NULL AS who FROM audit_log WHERE entity_id = ? ORDER BY seq').all(id);
    expect(trail(potato.id)).toEqual([{ action: 'create', entity: 'food_samples', who: 1 }, { action: 'cancel', entity: 'food_samples', who: 1 }]);
    expect(trail(fixed.id)).toEqual([{ action: 'amend', entity: 'food_samples', who: 1 }]);
    expect(trail(egg)).toEqual([{ action: 'create', entity: 'food_samples', who: 1 }, { action: 'create', entity: 'food_sample_discards', who: 1 }]);
    const before = tableDigest(b);
    expect(await b.reject('samples.amend', { id: potato.id, reason: '再改', dish: '土豆丝', weightG: 150, takenTime: '11:30', taker: '王师傅', fridge: '1号留样柜' })).toMatchObject({
      code: 'CONFLICT',
      message: '留样 土豆丝 已作废，不能修改',
    });
    expect(await b.reject('samples.discard', { ids: [potato.id], disposer: '王师傅', reason: '' })).toMatchObject({ code: 'CONFLICT', message: '留样 土豆丝 已作废，不能处理' });
    expect(await b.reject('samples.amend', { id: pork, reason: '补录', dish: '红烧肉', weightG: 160, takenTime: '11:20', taker: '王师傅', fridge: '1号留样柜' })).toMatchObject({
      code: 'CONFLICT',
      message: '留样 红烧肉 已于 2026-10-10 12:00 处理，不能更正',
    });
    expect(await b.reject('samples.amend', { id: fixed.id, reason: '改轻', dish: '土豆丝', weightG: 100, takenTime: '11:30', taker: '王师傅', fridge: '1号留样柜' })).toMatchObject({
      code: 'RULE',
      message: '土豆丝 留样量 100 克，不足 125 克：每个菜品留样不少于 125 克，请补足后再登记；确实无法补足（如菜品已售完）请填写留样不足原因，登记后列为问题',
    });
    expect(tableDigest(b)).toBe(before);
    const listed = await b.call('samples.list', { from: '2026-10-13', to: '2026-10-13' });
    expect(listed.samples.map((s) => [s.dish, s.weightG, s.status, s.cancelReason])).toEqual([
      ['土豆丝', 130, 'cancelled', '称重录错，实为 140 克'],
      ['土豆丝', 140, 'confirmed', null],
    ]);
  });

  it('findings: the school days without samples up to today and the early discard, on the checklist and both homes', async () => {
    // 8, 12 and 13 October have samples; 9, 14 and 15 have none; 16 is after today.
    const expected = [
      '2026-10-09 上课日没有留样记录',
      '2026-10-12 午餐 番茄炒蛋 的留样于 2026-10-13 09:00 提前处理（应保存至 2026-10-14 11:30）：冰箱故障',
      '2026-10-14 上课日没有留样记录',
      '2026-10-15 上课日没有留样记录',
    ];
    expect((await b.call('samples.findings', { month: '2026-10' })).map((f) => f.text)).toEqual(expected);
    await b.loginAs('accountant');
    const item = (await b.call('monthclose.get', { month: '2026-10' })).checklist?.find((i) => i.key === 'food_samples');
    expect(item).toMatchObject({ ok: true, informational: true, missing: expected, detail: '本月有 4 项留样问题（缺留样、留样不足或提前处理），请审核人知悉', link: '/foodsafety/samples?month=2026-10' });
    await b.loginAs('storekeeper');
    const home = await b.call('home.summary', {});
    const entry = home.sections[0].entries.find((e) => e.kind === 'food_samples');
    // 土豆丝 of 13 October (140 g, taken 11:30) was to be kept until 15 October 11:30: at 12:00 it is due.
    expect(entry).toMatchObject({ label: '今日留样', value: '尚未留样', detail: '到期待处理 1 份；本月留样问题 4 项' });
    expect(entry?.lines.map((l) => l.text)).toEqual(['2026-10-13 午餐 土豆丝：已到保存期限（2026-10-15 11:30），待处理', ...expected]);
    // The reviewer closes September first; October's findings reach its 提醒 as they happen.
    await b.loginAs('reviewer');
    const flags = (await b.call('home.summary', {})).sections[0].entries.find((e) => e.kind === 'flags');
    expect(flags?.lines.map((l) => l.text)).toEqual(expect.arrayContaining(expected));
  });

  it('a due sample discarded leaves the to-do; today’s samples show by meal', async () => {
    await b.loginAs('storekeeper');
    const [potato] = (await b.call('samples.list', { from: '2026-10-13', to: '2026-10-13' })).samples.filter((s) => s.status === 'confirmed');
    await b.call('samples.discard', { ids: [potato.id], disposer: '王师傅', reason: '' });
    await b.call('samples.record', { ...lunch('2026-10-15', [{ dish: '清蒸鱼', weightG: 160, takenTime: '11:35' }, { dish: '米饭', weightG: 130, takenTime: '11:36' }]) });
    const entry = (await b.call('home.summary', {})).sections[0].entries.find((e) => e.kind === 'food_samples');
    expect(entry).toMatchObject({ value: '午餐 2 个菜品', detail: '到期待处理 0 份；本月留样问题 3 项' });
  });

  it('a raised least weight applies from its month on, never to a month before', async () => {
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
    // October's rule is 125 g.
    const [oct] = await b.call('samples.record', lunch('2026-10-30', [{ dish: '鱼香肉丝', weightG: 140, takenTime: '11:30' }]));
    expect(oct.weightG).toBe(140);
  });

  it('verify covers both tables and names a tampered sample', () => {
    const r = verifyLedger(b.db);
    expect(r.problems).toEqual([]);
    expect(r.coveredTables.food_samples).toBe(8);
    expect(r.coveredTables.food_sample_discards).toBe(4);
    b.db.exec('DROP TRIGGER food_samples_update');
    b.db.prepare('UPDATE food_samples SET weight_g = 500 WHERE id = ?').run(egg);
    const t = verifyLedger(b.db);
    expect(t.ok).toBe(false);
    expect(t.problems.some((p) => p.table === 'food_samples' && p.message.includes('留样'))).toBe(true);
  });
});
