import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * 晨检 and 健康证 (issue 17 slice 3) through the API. The roster is entered on Tuesday 2026-10-13: 王师傅 (health
 * certificate JK-001 valid to 2027-03-01), 李阿姨 (JK-002 to 2026-11-10, within 30 days of the 15th), 赵师傅 (JK-003,
 * expired 2026-10-10) and 孙师傅 (none). 上课日 14 and 15 October; the checks are entered at 07:30 on the 15th. Nobody
 * unfit and nobody without a valid certificate on that day goes on duty. Expectations by hand.
 */
let clock = new Date(Date.UTC(2026, 9, 13, 0, 0, 0)); // 2026-10-13 08:00 China time
let b: TestBackend;
const ids: Record<string, string> = {};

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  await b.loginAs('accountant');
  await b.call('schoolDays.set', { month: '2026-10', days: ['2026-10-14', '2026-10-15', '2026-10-16'] });
  await b.loginAs('storekeeper');
});
afterAll(() => b?.cleanup());

describe('晨检 and 健康证 through the API', { timeout: 60_000 }, () => {
  it('keeps the roster with each certificate', async () => {
    const before = tableDigest(b);
    expect(await b.reject('staff.save', { name: '王师傅', post: '厨师', certNo: 'JK-001' })).toMatchObject({ code: 'VALIDATION', message: '健康证编号与有效期须一起填写' });
    expect(tableDigest(b)).toBe(before);
    for (const [name, post, certNo, certExpiry] of [
      ['王师傅', '厨师', 'JK-001', '2027-03-01'],
      ['李阿姨', '帮厨', 'JK-002', '2026-11-10'],
      ['赵师傅', '面点', 'JK-003', '2026-10-10'],
      ['孙师傅', '保洁', '', null],
    ] as const) {
      ids[name] = (await b.call('staff.save', { name, post, certNo, certExpiry })).id;
    }
    expect(await b.reject('staff.save', { name: '王师傅', post: '', certNo: '', certExpiry: null })).toMatchObject({ code: 'CONFLICT', message: '已有在岗的从业人员 王师傅：同名的请加以区分（如 王芳（面点））' });
    // On the 13th: 李阿姨's 2026-11-10 is within 30 days (to 2026-11-12).
    expect((await b.call('staff.list', {})).map((s) => [s.name, s.certState])).toEqual([
      ['王师傅', 'ok'],
      ['李阿姨', 'expiring'],
      ['赵师傅', 'expired'],
      ['孙师傅', 'missing'],
    ]);
  });

  it('refuses on duty whoever is unfit or without a valid certificate that day, and a check that contradicts itself, writing nothing', async () => {
    clock = new Date(Date.UTC(2026, 9, 14, 23, 30, 0)); // 2026-10-15 07:30
    await b.loginAs('storekeeper');
    const before = tableDigest(b);
    const fit = (name: string, onDuty = true) => ({ staffId: ids[name], outcome: 'fit' as const, onDuty });
    const cases: [unknown, string][] = [
      [[fit('王师傅'), fit('赵师傅')], '赵师傅 的健康证（JK-003）已于 2026-10-10 过期，不能上岗：请换证后更新健康证'],
      [[fit('孙师傅')], '孙师傅 没有登记健康证，不能上岗'],
      [[{ staffId: ids['李阿姨'], outcome: 'unfit', symptoms: ['fever'], onDuty: true }], '李阿姨 晨检不合格，不能上岗'],
      [[{ staffId: ids['李阿姨'], outcome: 'fit', symptoms: ['cough', 'hand_wound'], onDuty: false }], '李阿姨 有咳嗽、手部皮肤破损，晨检结果不能为合格'],
      [[{ staffId: ids['李阿姨'], outcome: 'unfit', onDuty: false }], '李阿姨 晨检不合格：请勾选症状或写明原因'],
    ];
    for (const [checks, message] of cases) expect(await b.reject('checks.record', { date: '2026-10-15', checks })).toMatchObject({ code: 'RULE', message });
    expect(tableDigest(b)).toBe(before);
  });

  it('records the day: 王师傅 on duty, 李阿姨 sent home with a fever, 赵师傅 checked but off duty; SQL holds the duty rules again', async () => {
    const done = await b.call('checks.record', {
      date: '2026-10-15',
      checks: [
        { staffId: ids['王师傅'], outcome: 'fit', onDuty: true },
        { staffId: ids['李阿姨'], outcome: 'unfit', symptoms: ['fever'], onDuty: false, note: '体温 37.8℃，回家休息' },
        { staffId: ids['赵师傅'], outcome: 'fit', onDuty: false, note: '健康证过期，待换证' },
      ],
    });
    expect(done.map((c) => [c.staffName, c.outcome, c.onDuty, c.symptoms, c.createdByName])).toEqual([
      ['王师傅', 'fit', true, [], '张保管'],
      ['李阿姨', 'unfit', false, ['fever'], '张保管'],
      ['赵师傅', 'fit', false, [], '张保管'],
    ]);
    expect(await b.reject('checks.record', { date: '2026-10-15', checks: [{ staffId: ids['王师傅'], outcome: 'fit', onDuty: true }] })).toMatchObject({
      code: 'CONFLICT',
      message: '2026-10-15 王师傅 已晨检：如有错误请更正该记录',
    });
    const raw = (staff: string, outcome: string, onDuty: number) => () =>
      b.db
        .prepare(`INSERT INTO morning_checks (id, origin, check_date, staff_id, outcome, on_duty, status, created_at, created_by) SELECT ?, origin, '2026-10-16', ?, ?, ?, 'confirmed', created_at, created_by FROM morning_checks LIMIT 1`)
        .run(`01890000-0000-7000-8000-00000000000${onDuty}`, ids[staff], outcome, onDuty);
    expect(raw('赵师傅', 'fit', 1)).toThrow('健康证缺失或已过期，不能上岗');
    expect(raw('王师傅', 'unfit', 1)).toThrow(/CHECK constraint/);
    expect(() => b.db.prepare('UPDATE morning_checks SET on_duty = 1 WHERE staff_id = ?').run(ids['赵师傅'])).toThrow('晨检记录确认后不能修改，只能作废并重新登记');
  });

  it('findings: who was not checked on each 上课日 since joining the roster, and the certificates to renew, on the home and the checklist', async () => {
    const unchecked = ['2026-10-14 王师傅 未晨检', '2026-10-14 李阿姨 未晨检', '2026-10-14 赵师傅 未晨检', '2026-10-14 孙师傅 未晨检', '2026-10-15 孙师傅 未晨检'];
    const certs = ['李阿姨 的健康证将于 2026-11-10 到期（30 天内）：请提前换证', '赵师傅 的健康证已于 2026-10-10 过期：不能上岗，请尽快换证', '孙师傅 没有登记健康证：不能上岗'];
    expect((await b.call('staff.findings', { month: '2026-10' })).map((f) => f.text)).toEqual([...unchecked, ...certs]);
    const entry = (await b.call('home.summary', {})).sections[0].entries.find((e) => e.kind === 'morning_checks');
    expect(entry).toMatchObject({ label: '今日晨检', value: '已检 3 / 4 人' });
    expect(entry?.detail.startsWith('上岗 1 人；')).toBe(true);
    expect(entry?.lines.map((l) => l.text)).toEqual(['孙师傅 今日未晨检', ...certs]);
    await b.loginAs('accountant');
    const item = (await b.call('monthclose.get', { month: '2026-10' })).checklist?.find((i) => i.key === 'morning_checks');
    expect(item).toMatchObject({ ok: true, informational: true, missing: unchecked, detail: '本月有 5 人次未晨检，请审核人知悉' });
  });

  it('a renewed certificate, then the check corrected by a reasoned amendment puts 赵师傅 on duty', async () => {
    await b.loginAs('storekeeper');
    await b.call('staff.save', { id: ids['赵师傅'], name: '赵师傅', post: '面点', certNo: 'JK-103', certExpiry: '2027-10-14' });
    const day = await b.call('checks.day', { date: '2026-10-15' });
    const zhao = day.rows.find((r) => r.staff.name === '赵师傅')!;
    expect(zhao.staff).toMatchObject({ certNo: 'JK-103', certState: 'ok' });
    const fixed = await b.call('checks.amend', { id: zhao.check!.id, reason: '已换新健康证，上岗', outcome: 'fit', onDuty: true });
    expect(fixed).toMatchObject({ staffName: '赵师傅', onDuty: true, amends: zhao.check!.id });
    const after = await b.call('checks.day', { date: '2026-10-15' });
    expect(after.cancelled.map((c) => [c.staffName, c.cancelReason])).toEqual([['赵师傅', '已换新健康证，上岗']]);
    expect(after.rows.map((r) => [r.staff.name, r.check?.onDuty ?? null])).toEqual([
      ['王师傅', true],
      ['李阿姨', false],
      ['赵师傅', true],
      ['孙师傅', null],
    ]);
    expect(await b.reject('checks.amend', { id: zhao.check!.id, reason: '再改', outcome: 'fit', onDuty: false })).toMatchObject({ code: 'CONFLICT', message: '晨检 2026-10-15 赵师傅 已作废，不能修改' });
  });

  it('verify covers both tables and names a tampered one', () => {
    const r = verifyLedger(b.db);
    expect(r.problems).toEqual([]);
    expect(r.coveredTables.canteen_staff).toBe(4);
    expect(r.coveredTables.morning_checks).toBe(4);
    b.db.exec('DROP TRIGGER morning_checks_update');
    b.db.prepare("UPDATE morning_checks SET note = '' WHERE staff_id = ? AND outcome = ?").run(ids['李阿姨'], 'unfit');
    expect(verifyLedger(b.db).problems.some((p) => p.table === 'morning_checks')).toBe(true);
  });
});
