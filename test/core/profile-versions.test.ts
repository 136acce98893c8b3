import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../electron/core/ledger/audit.ts';
import { openLedger } from '../../electron/core/db/open.ts';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import { recomputeClosedMonthChecksum } from '../../electron/core/domains/monthclose/index.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { DEFAULT_PROFILE, type RegionalProfile } from '../../shared/profile.ts';
import { tableDigest, tempLedger } from '../helpers/backend.ts';
import { septemberSchool, type SeptSchool } from './monthclose-fixture.ts';

/**
 * Issue 14 §5: profiles never rewrite history. September (monthclose-fixture.ts: income 746.00, surplus 609.38, a
 * surplus rate of 81.7 %, far over the default 2 % limit for the term) is closed; then the admin changes the profile.
 * Before profile versions (migration 0018) the change reached September at once: its recomputed checksum no longer
 * matched, so its export was refused and verify named it as changed after the close.
 */

const M = '2026-09';

async function sheets(file: string): Promise<Record<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: Record<string, unknown[][]> = {};
  for (const ws of wb.worksheets) {
    out[ws.name] = [];
    ws.eachRow({ includeEmpty: true }, (r) => out[ws.name].push((r.values as unknown[]).slice(1)));
  }
  return out;
}

describe('a profile change after a close leaves the closed month as published', { timeout: 180_000 }, () => {
  let s: SeptSchool;
  let published: Record<string, unknown[][]>;
  let checksum: string;
  beforeAll(async () => {
    s = await septemberSchool();
    const b = s.w.b;
    await b.loginAs('accountant');
    await b.call('monthclose.submit', { month: M });
    await b.loginAs('reviewer');
    checksum = (await b.call('monthclose.approve', { month: M })).checksumHex!;
    const ex = await b.call('monthclose.export', { month: M, dir: path.join(b.dir, 'before'), pdf: false });
    expect(ex.checksumHex).toBe(checksum);
    published = await sheets(ex.xlsxPath);
    expect(verifyLedger(b.db).problems).toEqual([]);
  });
  afterAll(() => s.w.b.cleanup());

  /** The contracted school's new rules: fuel paid from the fund, no storeroom, a 100 % limit, renamed sheets. */
  const changed = (p: RegionalProfile): RegionalProfile => ({
    ...p,
    name: '承包试点',
    surplusLimitBp: 10_000,
    allowedNonFood: ['fuel'],
    usesStoreroom: false,
    disclosureLayout: { ...p.disclosureLayout, canteenKind: '承包经营', sheetNames: { summary: '收支汇总' } },
  });

  it('September exports the same sheets and checksum, and verifies clean, after the change', async () => {
    const b = s.w.b;
    await b.loginAs('admin');
    const school = await b.call('school.get', {});
    const after = await b.call('school.update', { name: school.name, profile: changed(school.profile) });
    // Effective from this month (the clock is 2026-10-08): October on.
    expect(after.profile.name).toBe('承包试点');
    expect(after.profileVersions.map((v) => [v.effectiveFrom, v.profileName, v.createdByName])).toEqual([
      ['2026-10', '承包试点', '系统管理员'],
      [null, '默认（全国通用）', null],
    ]);

    await b.loginAs('accountant');
    const ex = await b.call('monthclose.export', { month: M, dir: path.join(b.dir, 'after'), pdf: false });
    expect(ex.checksumHex).toBe(checksum);
    expect(await sheets(ex.xlsxPath)).toEqual(published);
    expect(recomputeClosedMonthChecksum(b.db, M)).toMatchObject({ ok: true, storedChecksum: checksum, recomputedChecksum: checksum });
    expect(verifyLedger(b.db).problems).toEqual([]);

    // September keeps its 2 % limit and its flag; October is read with the new 100 % limit: no flag.
    const sep = (await b.call('monthclose.get', { month: M })).summary;
    expect(sep.flags.map((f) => f.code)).toContain('surplus_over_limit');
    expect(sep.period.limitBp).toBe(200);
    const oct = (await b.call('monthclose.get', { month: '2026-10' })).summary;
    expect(oct.period.limitBp).toBe(10_000);
    expect(oct.flags.map((f) => f.code)).not.toContain('surplus_over_limit');
  });

  it('a version never takes effect in or before a closed month, in the app and in SQL', async () => {
    const b = s.w.b;
    await b.loginAs('admin');
    const school = await b.call('school.get', {});
    expect(school.earliestEffectiveFrom).toBe('2026-10');
    expect(school.defaultEffectiveFrom).toBe('2026-10');
    const before = tableDigest(b);
    const e = await b.reject('school.update', { name: school.name, profile: { ...school.profile, surplusLimitBp: 300 }, effectiveFrom: '2026-09' });
    expect(e).toMatchObject({ code: 'LOCKED', message: '2026年9月已月结锁定，不能再记账；如需更正请由审核人填写理由后反结账' });
    expect(tableDigest(b)).toBe(before);
    const admin = (b.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
    const ins = (m: string) => () => b.db.prepare(`INSERT INTO profile_versions (effective_from, profile, created_at, created_by) VALUES (?, '{}', 'now', ?)`).run(m, admin);
    expect(ins('2026-09')).toThrow('区域配置不能在已月结锁定的月份或更早生效');
    expect(ins('2026-08')).toThrow('区域配置不能在已月结锁定的月份或更早生效');
    expect(() => b.db.prepare(`UPDATE profile_versions SET profile = '{}'`).run()).toThrow('区域配置的版本不能修改，请新增一个版本');
    expect(() => b.db.prepare(`DELETE FROM profile_versions`).run()).toThrow('区域配置的版本不能删除');
  });

  it('a switch that forbids a kind already spent in an open month is refused with the entries', async () => {
    const b = s.w.b;
    // October allows fuel: 10.00 paid from the bank on 2026-10-05.
    await b.loginAs('accountant');
    await b.call('fund.recordExpense', { date: '2026-10-05', kind: 'fuel', amountFen: 1_000, method: 'bank', memo: '液化气' });
    await b.loginAs('admin');
    const school = await b.call('school.get', {});
    const before = tableDigest(b);
    const e = await b.reject('school.update', { name: school.name, profile: { ...school.profile, name: '默认（全国通用）', allowedNonFood: [] } });
    expect(e.code).toBe('RULE');
    expect(e.message).toBe(
      '新的区域配置（默认（全国通用））自2026年10月起不允许燃料支出，而2026年10月以后已登记了以下支出：2026-10-05 燃料 10.00 元。请先冲销这些支出，或把生效月份定在它们之后',
    );
    expect(tableDigest(b)).toBe(before);
    // From November on it may: nothing of fuel is booked after October.
    const ok = await b.call('school.update', { name: school.name, profile: { ...school.profile, name: '默认（全国通用）', allowedNonFood: [] }, effectiveFrom: '2026-11' });
    expect(ok.profileVersions.map((v) => v.effectiveFrom)).toEqual(['2026-11', '2026-10', null]);
    // This month still reads the version in force for it: October's fuel stays in its summary.
    expect(ok.profile.name).toBe('承包试点');
    await b.loginAs('accountant');
    const oct = (await b.call('monthclose.get', { month: '2026-10' })).summary;
    expect(oct.current.nonFoodFen.fuel).toBe(1_000);
    expect(oct.allowedNonFood).toEqual(['fuel']);
    expect((await b.call('monthclose.get', { month: '2026-11' })).summary.allowedNonFood).toEqual([]);
    expect(verifyLedger(b.db).problems).toEqual([]);
  });

  it('verify names a version added or changed behind the app', () => {
    const b = s.w.b;
    const file = path.join(b.dir, 'tampered.sqlite');
    b.db.prepare('VACUUM INTO ?').run(file);
    const db = new Database(file);
    try {
      const admin = (db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
      // A later month is open to the SQL trigger, but no audit entry explains the row.
      db.prepare(`INSERT INTO profile_versions (effective_from, profile, created_at, created_by) VALUES ('2026-12', ?, '2026-10-08T02:00:00.000Z', ?)`).run(JSON.stringify(DEFAULT_PROFILE), admin);
      const seq = (db.prepare('SELECT max(seq) AS s FROM profile_versions').get() as { s: number }).s;
      expect(verifyLedger(db).problems.map((p) => p.message)).toContain(`区域配置版本表中的记录 ${seq} 没有对应的审计记录（疑似被直接插入）`);
      // An existing version edited with its trigger out of the way: the schema and the row are both named.
      db.exec('DROP TRIGGER profile_versions_no_delete; DROP TRIGGER profile_versions_no_update');
      db.prepare(`DELETE FROM profile_versions WHERE seq = ?`).run(seq);
      db.prepare(`UPDATE profile_versions SET profile = json_set(profile, '$.surplusLimitBp', 5000) WHERE effective_from = '2026-10'`).run();
      const msgs = verifyLedger(db).problems.map((p) => p.message);
      expect(msgs.some((m) => /^区域配置版本 \d+ 与审计记录（第 \d+ 条）不符：被改动：profile$/.test(m))).toBe(true);
    } finally {
      db.close();
    }
  });
});

describe('migration 0018 backfills the profile a ledger already had, and verify accepts only that', () => {
  it('one version from the beginning with the school’s profile; a second author-less row is named', () => {
    const t = tempLedger();
    try {
      const raw = new Database(t.file);
      for (const m of MIGRATIONS.slice(0, 17)) raw.exec(m.sql);
      raw.pragma('user_version = 17');
      // A school set up and later given a 3 % limit, as an older release recorded it (no versions).
      const at = '2026-09-01T02:00:00.000Z';
      const p2 = { ...DEFAULT_PROFILE, surplusLimitBp: 300 };
      raw.prepare(`INSERT INTO school (id, origin, name, profile, created_at, updated_at) VALUES ('s1', 'o', '阳光小学', ?, ?, ?)`).run(JSON.stringify(p2), at, at);
      appendAudit(raw as never, { at, user_id: null, action: 'create', entity: 'school', entity_id: 's1', before: null, after: JSON.stringify({ name: '阳光小学', profile: DEFAULT_PROFILE }) });
      appendAudit(raw as never, { at, user_id: null, action: 'update', entity: 'school', entity_id: 's1', before: null, after: JSON.stringify({ name: '阳光小学', profile: p2 }) });
      raw.close();
      const db = openLedger(t.file);
      try {
        expect(db.prepare('SELECT seq, effective_from, created_at, created_by FROM profile_versions').all()).toEqual([{ seq: 1, effective_from: '0001-01', created_at: at, created_by: null }]);
        expect(JSON.parse((db.prepare('SELECT profile FROM profile_versions').get() as { profile: string }).profile).surplusLimitBp).toBe(300);
        const mine = (r: ReturnType<typeof verifyLedger>) => r.problems.filter((p) => p.table === 'profile_versions');
        const r = verifyLedger(db);
        expect(mine(r)).toEqual([]);
        expect(r.coveredTables.profile_versions).toBe(1);
        // Another row without an author and without an audit entry is not the migration's.
        db.prepare(`INSERT INTO profile_versions (effective_from, profile, created_at, created_by) VALUES ('0001-01', ?, ?, NULL)`).run(JSON.stringify(DEFAULT_PROFILE), at);
        expect(mine(verifyLedger(db)).map((p) => p.message)).toEqual(['区域配置版本表中的记录 1 没有对应的审计记录（疑似被直接插入）', '区域配置版本表中的记录 2 没有对应的审计记录（疑似被直接插入）']);
      } finally {
        db.close();
      }
    } finally {
      t.cleanup();
    }
  });
});
