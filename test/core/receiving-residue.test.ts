import ExcelJS from 'exceljs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSheets } from '../../electron/core/disclosure/workbook.ts';
import { disclosureData } from '../../electron/core/domains/monthclose/disclosure.ts';
import { DEFAULT_DISCLOSURE_LAYOUT } from '../../shared/disclosure.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import type { DeliveryLineInput } from '../../shared/api/receiving.ts';
import { DEFAULT_PROFILE, type RegionalProfile } from '../../shared/profile.ts';
import { tableDigest } from '../helpers/backend.ts';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

/**
 * 农残快检 at delivery (issue 17; docs/DOMAIN-RULES.md "农残快检"). Written out by hand: GB/T 5009.199-2003's enzyme
 * method calls an inhibition rate ≥ 50 % 阳性 (不合格); a failed line is rejected in whole for 农残快检不合格; the
 * profile of the delivery's month names the categories that need a test (opt-in) and the least tested lines a day.
 */

let w: World;
beforeEach(async () => {
  w = await setupWorld(); // 2026-09-15 10:00 China time, logged in as the storekeeper
});
afterEach(() => w.b.cleanup());

async function setProfile(patch: Partial<RegionalProfile>, effectiveFrom = '2026-09'): Promise<void> {
  await w.b.loginAs('admin');
  const school = await w.b.call('school.get', {});
  await w.b.call('school.update', { name: school.name, profile: { ...DEFAULT_PROFILE, ...patch }, effectiveFrom });
  await w.b.loginAs('storekeeper');
}

const enzyme = (rate: number) => ({ method: 'enzyme_inhibition' as const, inhibitionTenths: rate, tester: '李检测', testedTime: '07:40' });
const cabbage = (over: Partial<DeliveryLineInput> = {}) => line(w.cabbage, { unitPriceFen: 250, ...over });

async function refusedPost(id: string, message: string): Promise<void> {
  const before = tableDigest(w.b);
  expect(await w.b.reject('receiving.post', { id })).toMatchObject({ code: 'RULE', message });
  expect(tableDigest(w.b)).toBe(before);
}

describe('a line that needs a test', () => {
  it('蔬菜水果 named by the profile: posting without a test is refused in Chinese and writes nothing; with one it posts', async () => {
    await setProfile({ residueTestCategories: ['vegetable'] });
    const d = draft(w, [line(w.rice), cabbage()]);
    const check = await w.b.call('receiving.check', { draft: d });
    expect(check.residueCategories).toEqual(['vegetable']);
    expect(check.findings.filter((f) => f.code.startsWith('residue'))).toEqual([
      { level: 'error', code: 'residue_test_missing', lineIndex: 1, message: '第 2 行（白菜）：蔬菜水果须做农残快检，请填写快检方法、结果、检测人和检测时间' },
    ]);
    const saved = await w.b.call('receiving.saveDraft', { id: null, draft: d });
    await refusedPost(saved.id, '不能过账：第 2 行（白菜）：蔬菜水果须做农残快检，请填写快检方法、结果、检测人和检测时间');
    // A test of 12.5 % passes (under 50 %) and the delivery posts, the test frozen with it.
    await w.b.call('receiving.saveDraft', { id: saved.id, draft: draft(w, [line(w.rice), cabbage({ residueTest: enzyme(125) })]) });
    const posted = await w.b.call('receiving.post', { id: saved.id });
    expect(posted.status).toBe('posted');
    expect(posted.lines[1].residueTest).toEqual({ method: 'enzyme_inhibition', inhibitionTenths: 125, result: 'pass', tester: '李检测', testedTime: '07:40' });
    expect(posted.lines[0].residueTest).toBeNull();
    // Frozen: the row of a posted delivery is not changed, nor deleted, in SQL.
    expect(() => w.b.db.prepare(`UPDATE delivery_residue_tests SET tester = '王' WHERE delivery_id = ?`).run(saved.id)).toThrow('已过账或已作废的验收单不能修改农残快检记录');
    expect(() => w.b.db.prepare('DELETE FROM delivery_residue_tests WHERE delivery_id = ?').run(saved.id)).toThrow('已过账或已作废的验收单不能修改农残快检记录');
  });

  it('the default profile asks for none (opt-in): a vegetable line posts without a test, as before', async () => {
    const posted = await postNew(w, draft(w, [cabbage()]));
    expect(posted.status).toBe('posted');
    expect((await w.b.call('receiving.check', { draft: draft(w, [cabbage()]) })).residueCategories).toEqual([]);
  });

  it('the rule is the profile of the delivery’s month: required from October, a September delivery posts without', async () => {
    await setProfile({ residueTestCategories: ['vegetable'] }, '2026-10');
    expect((await w.b.call('receiving.check', { draft: draft(w, [cabbage()]) })).findings.some((f) => f.code === 'residue_test_missing')).toBe(false);
    expect((await postNew(w, draft(w, [cabbage()]))).status).toBe('posted');
  });
});

describe('a failed test', () => {
  it('62.5 % is 阳性: the line must be rejected in whole for 农残快检不合格 before the delivery posts', async () => {
    const d = (c: DeliveryLineInput) => draft(w, [line(w.rice), c]);
    const saved = await w.b.call('receiving.saveDraft', { id: null, draft: d(cabbage({ residueTest: enzyme(625) })) });
    expect(saved.lines[1].residueTest).toMatchObject({ inhibitionTenths: 625, result: 'fail' });
    const msg = '不能过账：第 2 行（白菜）：农残快检不合格（酶抑制率法 抑制率 62.5%），应全部拒收，拒收原因填写“农残快检不合格”并选择退回或销毁';
    await refusedPost(saved.id, msg);
    // Part of it rejected is not enough.
    await w.b.call('receiving.saveDraft', { id: saved.id, draft: d(cabbage({ residueTest: enzyme(625), rejectedMilli: 4_000, acceptedMilli: 6_000, rejectReason: '农残快检不合格', disposition: 'destroyed' })) });
    await refusedPost(saved.id, msg);
    // All of it, but for another reason, is not either.
    await w.b.call('receiving.saveDraft', { id: saved.id, draft: d(cabbage({ residueTest: enzyme(625), rejectedMilli: 10_000, acceptedMilli: 0, rejectReason: '有烂叶', disposition: 'returned' })) });
    await refusedPost(saved.id, msg);
    await w.b.call('receiving.saveDraft', { id: saved.id, draft: d(cabbage({ residueTest: enzyme(625), rejectedMilli: 10_000, acceptedMilli: 0, rejectReason: '农残快检不合格', disposition: 'destroyed' })) });
    const posted = await w.b.call('receiving.post', { id: saved.id });
    expect(posted.lines[1]).toMatchObject({ acceptedMilli: 0, rejectedMilli: 10_000, rejectReason: '农残快检不合格', disposition: 'destroyed', amountFen: 0 });
    // Only the rice is booked: 10 kg × 5.00 = 50.00.
    expect(posted.totalFen).toBe(5_000);
  });

  it('the threshold: 49.9 % passes, 50.0 % fails; the 速测卡法 is read as 阴性/阳性', async () => {
    const c1 = await w.b.call('receiving.check', { draft: draft(w, [cabbage({ residueTest: enzyme(499) })]) });
    expect(c1.findings.some((f) => f.code === 'residue_failed')).toBe(false);
    const c2 = await w.b.call('receiving.check', { draft: draft(w, [cabbage({ residueTest: enzyme(500) })]) });
    expect(c2.findings.filter((f) => f.code === 'residue_failed').map((f) => f.message)).toEqual([
      '第 1 行（白菜）：农残快检不合格（酶抑制率法 抑制率 50%），应全部拒收，拒收原因填写“农残快检不合格”并选择退回或销毁',
    ]);
    const card = { method: 'test_card' as const, result: 'fail' as const, tester: '李检测', testedTime: '07:40' };
    const c3 = await w.b.call('receiving.check', { draft: draft(w, [cabbage({ residueTest: card })]) });
    expect(c3.findings.filter((f) => f.code === 'residue_failed').map((f) => f.message)).toEqual([
      '第 1 行（白菜）：农残快检不合格（速测卡法 阳性），应全部拒收，拒收原因填写“农残快检不合格”并选择退回或销毁',
    ]);
  });

  it('bad tests are refused in words and write nothing; SQL holds the threshold and the rule at posting again', async () => {
    const before = tableDigest(w.b);
    const bad = async (t: object, message: string) =>
      expect(await w.b.reject('receiving.saveDraft', { id: null, draft: draft(w, [cabbage({ residueTest: t as never })]) })).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining(message) });
    await bad({ method: 'enzyme_inhibition', tester: '李检测', testedTime: '07:40' }, '酶抑制率法请填写抑制率');
    await bad({ method: 'test_card', tester: '李检测', testedTime: '07:40' }, '速测卡法请选择阴性或阳性');
    await bad({ ...enzyme(1001) }, '抑制率不能超过 100%');
    await bad({ ...enzyme(300), testedTime: '7:40' }, '检测时间格式应为 HH:MM');
    await bad({ ...enzyme(300), tester: '' }, '检测人');
    expect(tableDigest(w.b)).toBe(before);

    const saved = await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [cabbage({ residueTest: enzyme(625) })]) });
    // 62.5 % written as 'pass' behind the app: refused by the CHECK.
    expect(() => w.b.db.prepare(`UPDATE delivery_residue_tests SET result = 'pass' WHERE delivery_id = ?`).run(saved.id)).toThrow(/CHECK constraint failed/);
    // Posting the accepted failed line behind the app: refused by the trigger.
    expect(() =>
      w.b.db.prepare(`UPDATE deliveries SET status = 'posted', number = 'YS2026-9999', posted_at = '2026-09-15T02:00:00.000Z' WHERE id = ?`).run(saved.id),
    ).toThrow('农残快检不合格的明细应全部拒收，拒收原因为农残快检不合格');
  });

  it('the test rides in the delivery’s audit snapshot; verify covers the table and names a changed row', async () => {
    const posted = await postNew(
      w,
      draft(w, [line(w.rice), cabbage({ residueTest: enzyme(625), rejectedMilli: 10_000, acceptedMilli: 0, rejectReason: '农残快检不合格', disposition: 'returned' })]),
    );
    const entry = w.b.db.prepare(`SELECT after FROM audit_log WHERE entity_id = ? AND action = 'create'`).get(posted.id) as { after: string };
    const snap = (JSON.parse(entry.after)._rows as { t: string; cols: string[]; vals: unknown[][] }[]).find((s) => s.t === 'delivery_residue_tests');
    expect(snap?.vals).toEqual([[posted.id, 2, 'enzyme_inhibition', 625, 'fail', '李检测', '07:40']]);
    expect(snap?.cols).toEqual(['delivery_id', 'line_no', 'method', 'inhibition_tenths', 'result', 'tester', 'tested_time']);
    const r = verifyLedger(w.b.db);
    expect(r.problems).toEqual([]);
    expect(r.coveredTables.delivery_residue_tests).toBe(1);
    w.b.db.exec('DROP TRIGGER delivery_residue_tests_frozen_update');
    w.b.db.prepare(`UPDATE delivery_residue_tests SET tester = '王某' WHERE delivery_id = ?`).run(posted.id);
    const t = verifyLedger(w.b.db);
    expect(t.ok).toBe(false);
    expect(t.problems.some((p) => p.table === 'delivery_residue_tests' && p.message.includes('农残快检'))).toBe(true);
  });

  it('the month’s disclosure lists the rejection with its reading and counts it under the block', async () => {
    await postNew(w, draft(w, [cabbage({ residueTest: enzyme(625), rejectedMilli: 10_000, acceptedMilli: 0, rejectReason: '农残快检不合格', disposition: 'destroyed' })]));
    await postNew(w, draft(w, [line(w.rice, { rejectedMilli: 1_000, acceptedMilli: 9_000, rejectReason: '受潮', disposition: 'returned' })], { noteNumber: 'SH-0915-02' }));
    const data = disclosureData(w.b.ctx, '2026-09', 1, '0123456789abcdef');
    expect(data.rejected).toEqual([
      { item: '白菜', unit: 'kg', qtyMilli: 10_000, reason: '农残快检不合格（酶抑制率法 抑制率 62.5%）', disposition: '销毁' },
      { item: '大米', unit: 'kg', qtyMilli: 1_000, reason: '受潮', disposition: '当场退回' },
    ]);
    const file = path.join(w.b.dir, 'sep.xlsx');
    await writeSheets(data, DEFAULT_DISCLOSURE_LAYOUT, file, ['purchases']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const texts: string[] = [];
    wb.worksheets[0].eachRow((r) => texts.push(String((r.values as unknown[])[1] ?? '')));
    const block = texts.indexOf('拒收记录');
    expect(texts.slice(block, block + 5)).toEqual(['拒收记录', '序号', '1', '2', '其中农残快检不合格 1 项']);
  });
});

describe('the day minimum', () => {
  it('a delivery day with fewer tested lines than the profile asks is a finding on the storekeeper’s home and the checklist', async () => {
    // No category named: no line is refused, and every line counts towards the day's 2.
    await setProfile({ residueTestMinLinesPerDay: 2 });
    await postNew(w, draft(w, [cabbage({ residueTest: enzyme(125) }), line(w.rice)], { date: '2026-09-14', noteNumber: 'SH-0914' }));
    await postNew(w, draft(w, [cabbage({ residueTest: enzyme(80) })]));
    // A draft counts for nothing.
    await w.b.call('receiving.saveDraft', { id: null, draft: draft(w, [line(w.rice), cabbage()], { date: '2026-09-13' }) });
    const text = '2026-09-14 农残快检 1 行，少于应检 2 行（每日至少 2 行；当日食材 2 行）';
    const home = await w.b.call('home.summary', {});
    const entry = home.sections.flatMap((s) => s.entries).find((e) => e.kind === 'residue_tests');
    expect(entry).toMatchObject({ label: '农残快检', value: '今日已检 1 行', lines: [{ text, link: '/receiving', tone: 'warning' }] });
    await w.b.loginAs('accountant');
    const items = (await w.b.call('monthclose.get', { month: '2026-09' })).checklist ?? [];
    expect(items.find((i) => i.key === 'residue_tests')).toMatchObject({ informational: true, ok: true, missing: [text], detail: '本月有 1 天农残快检少于每日 2 行，请审核人知悉' });
  });

  it('with the default profile neither the home nor the checklist shows the item', async () => {
    await postNew(w, draft(w, [cabbage()]));
    const home = await w.b.call('home.summary', {});
    expect(home.sections.flatMap((s) => s.entries).some((e) => e.kind === 'residue_tests')).toBe(false);
    await w.b.loginAs('accountant');
    expect(((await w.b.call('monthclose.get', { month: '2026-09' })).checklist ?? []).some((i) => i.key === 'residue_tests')).toBe(false);
  });
});
