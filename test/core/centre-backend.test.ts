import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentreBackend, type CentreBackend } from '../../electron/core/centre/backend.ts';
import { openCentre, rows } from '../../electron/core/centre/db.ts';
import { centreApi } from '../../shared/centre/api.ts';

/**
 * The centre's dispatcher (issue 18): the school's pattern on a DuckDB file — who may call what (written out here by
 * hand), login, refusals in Chinese that write nothing, and a version-1 centre file (made by the CLI before the app
 * opened centres) gaining its users table.
 */
const NOW = () => new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
let dir: string;
let b: CentreBackend;

const ok = async (name: string, input: unknown) => {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value;
};
const err = async (name: string, input: unknown) => {
  const r = await b.invoke(name, input);
  if (r.ok) throw new Error(`${name} was accepted`);
  return { code: r.error.code, message: r.error.message };
};
const count = async (table: string) => Number((await rows(b.centre.conn, `SELECT count(*) AS n FROM ${table}`))[0].n);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-backend-'));
  b = await openCentreBackend({ file: path.join(dir, 'centre.duckdb'), create: true, now: NOW });
});
afterAll(() => {
  b?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the centre backend', () => {
  it('declares who may call each method (by hand)', () => {
    expect(Object.fromEntries(Object.entries(centreApi).map(([k, d]) => [k, d.access]))).toEqual({
      'start.kind': 'public',
      'centre.status': 'public',
      'centre.setup': 'public',
      'auth.login': 'public',
      'auth.logout': 'public',
      'auth.me': 'public',
      'users.list': ['centre_admin'],
      'users.create': ['centre_admin'],
      'schools.list': 'any',
      'schools.enrol': ['centre_admin'],
      'packages.import': ['centre_admin'],
      'packages.progress': ['centre_admin'],
      'packages.cancel': ['centre_admin'],
      'views.months': 'any',
      'views.show': 'any',
      'views.items': 'any',
      'views.priceHistory': 'any',
      'items.mappings': 'any',
      'items.map': ['centre_admin'],
      'items.unmap': ['centre_admin'],
      'items.schoolMappings': 'any',
      'items.mapSchool': ['centre_admin'],
      'items.unmapSchool': ['centre_admin'],
      'centre.verify': ['centre_admin'],
      'views.export': 'any',
    });
  });

  it('answers start.kind, and refuses an unknown method and a call before login', async () => {
    expect(await ok('start.kind', {})).toBe('centre');
    expect(await ok('centre.status', {})).toMatchObject({ initialized: false, centreName: null });
    expect(await err('monthclose.get', { month: '2026-10' })).toEqual({ code: 'UNKNOWN_METHOD', message: '中心数据库没有名为“monthclose.get”的功能' });
    expect(await err('views.months', {})).toEqual({ code: 'UNAUTHENTICATED', message: '请先登录' });
  });

  it('first run: the centre admin; a second setup is refused; login and the reviewer', async () => {
    expect(await ok('centre.setup', { centreName: '城关镇教育管理中心', adminUsername: 'wang', adminName: '王主任', password: 'Centre-2026' })).toEqual({
      username: 'wang', displayName: '王主任', role: 'centre_admin', centreName: '城关镇教育管理中心',
    });
    expect(await err('centre.setup', { centreName: '另一个', adminUsername: 'li', adminName: '李', password: 'Centre-2026' })).toEqual({ code: 'CONFLICT', message: '中心数据库已建立管理员，请登录' });
    expect(await count('centre_users')).toBe(1);
    await ok('users.create', { username: 'zhao', displayName: '赵审核', role: 'centre_reviewer', password: 'Review-2026' });
    expect(await err('users.create', { username: 'ZHAO', displayName: '赵二', role: 'centre_reviewer', password: 'Review-2026' })).toEqual({ code: 'CONFLICT', message: '用户名“ZHAO”已存在' });
    await ok('auth.logout', {});
    expect(await err('auth.login', { username: 'zhao', password: 'wrong-password' })).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码不正确' });
    expect(await err('auth.login', { username: 'nobody', password: 'Review-2026' })).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码不正确' });
    expect(await ok('auth.login', { username: 'zhao', password: 'Review-2026' })).toMatchObject({ role: 'centre_reviewer' });
  });

  it('the reviewer reads but neither enrols nor imports nor keeps users; nothing is written', async () => {
    expect(await ok('views.months', {})).toEqual([]);
    expect(await ok('schools.list', {})).toEqual([]);
    expect(await err('schools.enrol', { code: '2135000101', name: '城关第一小学', fingerprint: 'ab'.repeat(32) })).toEqual({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' });
    expect(await err('packages.import', { dir })).toEqual({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' });
    expect(await err('users.list', {})).toEqual({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' });
    expect(await count('schools')).toBe(0);
  });

  it('the admin enrols; bad input is refused in words and writes nothing', async () => {
    await ok('auth.login', { username: 'wang', password: 'Centre-2026' });
    expect(await err('schools.enrol', { code: '21-35', name: '城关第一小学', fingerprint: 'ab'.repeat(32) })).toEqual({ code: 'VALIDATION', message: '学校代码应为 4–20 位数字或大写字母（如教育部学校标识码）' });
    expect(await err('schools.enrol', { code: '2135000101', name: '城关第一小学', fingerprint: 'xyz' })).toEqual({ code: 'VALIDATION', message: '公钥指纹应为 64 位十六进制数字（登记表上 16 组、每组 4 位）' });
    expect(await err('views.show', { view: 'prices', month: '2026-10' })).toMatchObject({ code: 'VALIDATION', message: '没有这个报表' });
    expect(await err('packages.import', { dir: path.join(dir, 'no-such-folder') })).toEqual({ code: 'NOT_FOUND', message: `找不到文件夹 ${path.join(dir, 'no-such-folder')}` });
    expect(await count('schools')).toBe(0);
    expect(await ok('schools.enrol', { code: '2135000101', name: '城关第一小学', fingerprint: 'ab'.repeat(32) })).toEqual({
      code: '2135000101', name: '城关第一小学', fingerprint: Array(16).fill('abab').join(' '), replaced: false,
    });
    expect(await ok('schools.list', {})).toEqual([
      { code: '2135000101', name: '城关第一小学', fingerprint: Array(16).fill('abab').join(' '), enrolledAt: '2026-11-20T02:00:00.000Z', packages: 0, lastMonth: null },
    ]);
  });

  it('a disabled user loses access at once', async () => {
    await b.centre.conn.run(`UPDATE centre_users SET disabled = true WHERE username = 'wang'`);
    expect(await err('schools.list', {})).toEqual({ code: 'UNAUTHENTICATED', message: '请先登录' });
    await b.centre.conn.run(`UPDATE centre_users SET disabled = false WHERE username = 'wang'`);
  });
});

describe('a version-1 centre file', () => {
  it('gains the users table, the packages\' disclosure deadline (version 3), the item mapping (version 4) 留样/陪餐 (version 5) and deliveries (version 6), the audit chain (version 7) when opened, its schools kept', async () => {
    const file = path.join(dir, 'v1.duckdb');
    const c = await openCentre(file, { create: true });
    // As version 1 was: no users, no deadline column.
    await c.conn.run('DROP TABLE centre_users');
    await c.conn.run('DROP TABLE item_map');
    await c.conn.run('DROP TABLE food_safety_findings');
    await c.conn.run('DROP TABLE deliveries');
    await c.conn.run('DROP TABLE centre_audit');
    await c.conn.run('DROP TABLE login_failures');
    await c.conn.run('DROP TABLE item_map_school');
    await c.conn.run('DROP TABLE purchase_items');
    await c.conn.run('DROP TABLE purchase_item_suppliers');
    await c.conn.run('DROP VIEW current_packages');
    await c.conn.run('ALTER TABLE packages DROP COLUMN disclosure_deadline_day');
    await c.conn.run('ALTER TABLE packages DROP COLUMN school_days');
    await c.conn.run('CREATE VIEW current_packages AS SELECT * FROM packages QUALIFY revision = max(revision) OVER (PARTITION BY school_code, month)');
    await c.conn.run(`UPDATE centre_meta SET value = '1' WHERE key = 'schema_version'`);
    await c.conn.run(`INSERT INTO schools VALUES ('2135000101', '城关第一小学', ?, '2026-10-01T00:00:00.000Z')`, ['cd'.repeat(32)]);
    c.close();
    const again = await openCentreBackend({ file, now: NOW });
    try {
      expect((await rows(again.centre.conn, `SELECT value FROM centre_meta WHERE key = 'schema_version'`))[0].value).toBe('8');
      // Version 7: the audit chain starts with what the file held (its one school), the login failures and the
      // per-school item mapping are there, empty.
      expect(await rows(again.centre.conn, `SELECT seq, username, action, json_extract_string(detail, '$.schools[0].code') AS code FROM centre_audit`)).toEqual([{ seq: 1, username: null, action: 'baseline', code: '2135000101' }]);
      expect(await rows(again.centre.conn, 'SELECT count(*) AS n FROM login_failures')).toEqual([{ n: 0 }]);
      expect(await rows(again.centre.conn, 'SELECT count(*) AS n FROM item_map_school')).toEqual([{ n: 0 }]);
      expect((await rows(again.centre.conn, `SELECT column_name FROM duckdb_columns() WHERE table_name = 'current_packages' AND column_name = 'disclosure_deadline_day'`)).length).toBe(1);
      expect(await rows(again.centre.conn, 'SELECT count(*) AS n FROM item_map')).toEqual([{ n: 0 }]);
      expect(await rows(again.centre.conn, `SELECT count(*) AS n FROM food_safety_findings`)).toEqual([{ n: 0 }]);
      expect(await rows(again.centre.conn, `SELECT count(*) AS n FROM deliveries`)).toEqual([{ n: 0 }]);
      expect((await rows(again.centre.conn, `SELECT column_name FROM duckdb_columns() WHERE table_name = 'current_packages' AND column_name = 'school_days'`)).length).toBe(1);
      const r = await again.invoke('centre.status', {});
      expect(r).toMatchObject({ ok: true, value: { initialized: false } });
      expect((await rows(again.centre.conn, 'SELECT code FROM schools')).map((x) => x.code)).toEqual(['2135000101']);
    } finally {
      again.close();
    }
  });
});

describe('views.priceHistory: an item\'s price by school over months (the 食材价格 chart)', { timeout: 240_000 }, () => {
  /**
   * 甲校 and 乙校 of monthclose-fixture.ts close September (大米 10 kg at 4.20 and 4.50). 甲校's October is its
   * September package re-dated and re-signed with its own key, 大米 at 4.60 × 10 kg = 46.00 — so the chart reads
   * 甲校 4.20 → 4.60 and 乙校 4.50 (no October), months in order, the schools by code.
   */
  const made: { w: { b: { cleanup(): void } } }[] = [];
  let c2: CentreBackend;
  let folder: string;

  beforeAll(async () => {
    const { septemberSchool } = await import('./monthclose-fixture.ts');
    const { signWithInstallationKey } = await import('../../electron/core/package/signing-key.ts');
    const crypto = await import('node:crypto');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-history-'));
    c2 = await openCentreBackend({ file: path.join(folder, 'centre.duckdb'), create: true, now: NOW });
    const call = async (name: string, input: unknown) => {
      const r = await c2.invoke(name, input);
      if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
      return r.value;
    };
    await call('centre.setup', { centreName: '中心', adminUsername: 'wang', adminName: '王主任', password: 'Centre-2026' });
    for (const [code, name, rice] of [['9001', '甲校', 420], ['9002', '乙校', 450]] as const) {
      const s = await septemberSchool({ prices: { rice }, schoolName: name });
      made.push(s);
      await s.w.b.loginAs('accountant');
      await s.w.b.call('monthclose.submit', { month: '2026-09' });
      await s.w.b.loginAs('reviewer');
      await s.w.b.call('monthclose.approve', { month: '2026-09' });
      const r = await s.w.b.call('monthclose.package', { month: '2026-09', dir: folder, schoolCode: code });
      await call('schools.enrol', { code, name, fingerprint: r.fingerprint });
      if (code !== '9001') continue;
      const p = JSON.parse(fs.readFileSync(r.file, 'utf8'));
      const m = JSON.parse(p.manifest);
      const data = JSON.parse(Buffer.from(p.files['data.json'], 'base64').toString('utf8'));
      data.month = '2026-10';
      for (const l of data.purchases) {
        l.date = l.date.replace('2026-09', '2026-10');
        if (l.item === '大米') Object.assign(l, { unitPriceFen: 460, amountFen: 4600 });
      }
      // The month's 留样/陪餐 findings and deliveries are dated in it too (the centre refuses them outside the month).
      for (const f of [...data.foodSafety.findings, ...data.deliveries]) f.date = f.date.replace('2026-09', '2026-10');
      const bytes = Buffer.from(`${JSON.stringify(data)}\n`);
      p.files['data.json'] = bytes.toString('base64');
      m.month = '2026-10';
      m.files = m.files.map((f: { name: string }) => (f.name === 'data.json' ? { ...f, bytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') } : f));
      p.manifest = JSON.stringify(m);
      p.signature = signWithInstallationKey(s.w.b.db, Buffer.from(p.manifest)).toString('base64');
      fs.writeFileSync(path.join(folder, '9001_2026-10_r1.canteen-pkg.json'), JSON.stringify(p));
    }
    const out = (await call('packages.import', { dir: folder })) as { status: string }[];
    expect(out.map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
  });
  afterAll(() => {
    c2?.close();
    for (const s of made) s.w.b.cleanup();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('gives each school\'s average price per month, by hand', async () => {
    const r = await c2.invoke('views.priceHistory', { item: '大米', spec: '', unit: 'kg' });
    expect(r).toEqual({
      ok: true,
      value: [
        { schoolCode: '9001', schoolName: '甲校', month: '2026-09', avgPriceFen: 420 },
        { schoolCode: '9002', schoolName: '乙校', month: '2026-09', avgPriceFen: 450 },
        { schoolCode: '9001', schoolName: '甲校', month: '2026-10', avgPriceFen: 460 },
      ],
    });
    expect(await c2.invoke('views.months', {})).toEqual({ ok: true, value: ['2026-10', '2026-09'] });
    const items = await c2.invoke('views.items', { month: '2026-09' });
    expect(items.ok && (items.value as { item: string; schools: number }[]).find((i) => i.item === '大米')).toMatchObject({ item: '大米', unit: 'kg', schools: 2 });
  });
});

describe('centre logins back off as the school\'s do', () => {
  it('five wrong passwords lock the name for 30 s (the right one refused unchecked), then it works; other names are free', async () => {
    const f = path.join(dir, 'backoff.duckdb');
    let t = Date.UTC(2026, 10, 20, 2, 0, 0);
    const c = await openCentreBackend({ file: f, create: true, now: () => new Date(t) });
    try {
      expect(await c.invoke('centre.setup', { centreName: '中心', adminUsername: 'wang', adminName: '王主任', password: 'Centre-2026' })).toMatchObject({ ok: true });
      await c.invoke('users.create', { username: 'zhao', displayName: '赵审核', role: 'centre_reviewer', password: 'Review-2026' });
      for (let i = 0; i < 5; i++) {
        expect(await c.invoke('auth.login', { username: 'Wang', password: `wrong-${i}` })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '用户名或密码不正确' } });
        t += 1000;
      }
      // 5 failures, the last at +4 s: locked until +34 s.
      expect(await c.invoke('auth.login', { username: 'wang', password: 'Centre-2026' })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '密码错误次数过多，请在 29 秒后再试' } });
      expect(await c.invoke('auth.login', { username: 'zhao', password: 'Review-2026' })).toMatchObject({ ok: true });
      t += 29_000;
      expect(await c.invoke('auth.login', { username: 'wang', password: 'Centre-2026' })).toMatchObject({ ok: true, value: { username: 'wang' } });
    } finally {
      c.close();
    }
  });
});
