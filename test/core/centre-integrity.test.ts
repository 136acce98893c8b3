import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.ts';
import { openCentreBackend, type CentreBackend } from '../../electron/core/centre/backend.ts';
import { rows } from '../../electron/core/centre/db.ts';

/**
 * The centre's integrity (issue 18): the CLI's centre commands go through the centre's dispatcher as a logged-in
 * centre user (a centre reviewer cannot enrol, import or verify from the command line either), and every centre write
 * is in a hash chain that `centre verify` re-derives and compares the tables with — a row or a chain entry changed
 * through DuckDB directly is named in Chinese. Expected messages and refusals are written out by hand.
 *
 * One school of monthclose-fixture.ts (甲校, code 9001) closes September and packages it; the centre imports it.
 */
const NOW = () => new Date(Date.UTC(2026, 9, 20, 2, 0, 0));
let dir: string;
let pkgDir: string;
let centreFile: string;
let pkgFile: string;
let fingerprint: string;
const made: { w: { b: { cleanup(): void } } }[] = [];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI's main() in this process, with CANTEEN_PASSWORD as given and no terminal. */
async function canteen(args: string[], password?: string): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d) => (out += d));
  stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const stdin = new PassThrough() as PassThrough & { isTTY?: boolean };
  stdin.isTTY = false;
  const code = await main(args, { stdin, stdout, stderr, env: password === undefined ? {} : { CANTEEN_PASSWORD: password } });
  return { code, stdout: out, stderr: err };
}

const json = (r: CliRun) => JSON.parse(r.stdout) as Record<string, unknown>;

/** A short look at the centre file with the dispatcher closed again (one DuckDB instance on a file at a time). */
async function withCentre<T>(f: (b: CentreBackend) => Promise<T>): Promise<T> {
  const b = await openCentreBackend({ file: centreFile, now: NOW });
  try {
    return await f(b);
  } finally {
    b.close();
  }
}
const count = (b: CentreBackend, table: string) => rows(b.centre.conn, `SELECT count(*) AS n FROM ${table}`).then((r) => Number(r[0].n));

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-integrity-'));
  pkgDir = path.join(dir, '上报包');
  centreFile = path.join(dir, 'centre.duckdb');
  const { septemberSchool } = await import('./monthclose-fixture.ts');
  const s = await septemberSchool({ schoolName: '甲校' });
  made.push(s);
  await s.w.b.loginAs('accountant');
  await s.w.b.call('monthclose.submit', { month: '2026-09' });
  await s.w.b.loginAs('reviewer');
  await s.w.b.call('monthclose.approve', { month: '2026-09' });
  const r = await s.w.b.call('monthclose.package', { month: '2026-09', dir: pkgDir, schoolCode: '9001' });
  pkgFile = r.file;
  fingerprint = r.fingerprint;
}, 240_000);
afterAll(() => {
  for (const s of made) s.w.b.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the CLI\'s centre commands go through the dispatcher as a logged-in centre user', { timeout: 120_000 }, () => {
  it('init --admin is the first-run setup: the centre admin, in the audit chain', async () => {
    // A password the setup refuses leaves no file behind, so init can be run again.
    const weak = await canteen(['--db', centreFile, 'centre', 'init', '--centre', '城关镇教育管理中心', '--admin', 'wang'], '12345678');
    expect(weak.code).toBe(1);
    expect(json(weak)).toMatchObject({ code: 'VALIDATION', message: '密码须包含字母、数字、符号中的至少两种' });
    expect(fs.existsSync(centreFile)).toBe(false);
    const r = await canteen(['--db', centreFile, 'centre', 'init', '--centre', '城关镇教育管理中心', '--admin', 'wang', '--admin-name', '王主任'], 'Centre-2026');
    expect(r.code, r.stderr).toBe(0);
    expect(json(r)).toEqual({ centre: centreFile, created: true, centreName: '城关镇教育管理中心', admin: { username: 'wang', displayName: '王主任', role: 'centre_admin' } });
    // The reviewer is made in the app (users.create), as the admin.
    await withCentre(async (b) => {
      expect(await b.invoke('auth.login', { username: 'wang', password: 'Centre-2026' })).toMatchObject({ ok: true });
      expect(await b.invoke('users.create', { username: 'zhao', displayName: '赵审核', role: 'centre_reviewer', password: 'Review-2026' })).toMatchObject({ ok: true });
      expect(await rows(b.centre.conn, 'SELECT seq, username, action, subject FROM centre_audit ORDER BY seq')).toEqual([
        { seq: 1, username: 'wang', action: 'setup', subject: 'wang' },
        { seq: 2, username: 'wang', action: 'user.create', subject: 'zhao' },
      ]);
    });
  });

  it('a centre reviewer may neither enrol, nor import, nor verify: refused as in the app, nothing written', async () => {
    const forbidden = { code: 'FORBIDDEN', message: '您的角色无权进行此操作' };
    const enrol = await canteen(['--db', centreFile, '--user', 'zhao', 'centre', 'enrol', '--code', '9001', '--name', '甲校', '--fingerprint', fingerprint], 'Review-2026');
    expect(enrol.code).toBe(1);
    expect(json(enrol)).toEqual(forbidden);
    const imp = await canteen(['--db', centreFile, '--user', 'zhao', 'centre', 'import', pkgDir], 'Review-2026');
    expect(imp.code).toBe(1);
    expect(json(imp)).toEqual(forbidden);
    const ver = await canteen(['--db', centreFile, '--user', 'zhao', 'centre', 'verify'], 'Review-2026');
    expect(ver.code).toBe(1);
    expect(json(ver)).toEqual(forbidden);
    await withCentre(async (b) => {
      expect(await count(b, 'schools')).toBe(0);
      expect(await count(b, 'packages')).toBe(0);
      expect(await count(b, 'centre_audit')).toBe(2);
    });
  });

  it('no user, a wrong password, bad input: refused in words', async () => {
    const none = await canteen(['--db', centreFile, 'centre', 'import', pkgDir], 'Centre-2026');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('错误：命令 centre import 需要参数 --user 用户名（或环境变量 CANTEEN_USER）');
    const wrong = await canteen(['--db', centreFile, '--user', 'wang', 'centre', 'import', pkgDir], 'wrong-password');
    expect(wrong.code).toBe(1);
    expect(json(wrong)).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码不正确' });
    const noPassword = await canteen(['--db', centreFile, '--user', 'wang', 'centre', 'verify']);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toContain('请用环境变量 CANTEEN_PASSWORD 提供密码');
    const bad = await canteen(['--db', centreFile, '--user', 'wang', 'centre', 'enrol', '--code', '90-01', '--name', '甲校', '--fingerprint', fingerprint], 'Centre-2026');
    expect(bad.code).toBe(1);
    expect(json(bad)).toEqual({ code: 'VALIDATION', message: '学校代码应为 4–20 位数字或大写字母（如教育部学校标识码）' });
    await withCentre(async (b) => expect(await count(b, 'schools')).toBe(0));
  });

  it('the centre admin enrols and imports; the reviewer exports; verify passes', async () => {
    const enrol = await canteen(['--db', centreFile, '--user', 'wang', 'centre', 'enrol', '--code', '9001', '--name', '甲校', '--fingerprint', fingerprint], 'Centre-2026');
    expect(enrol.code, enrol.stdout).toBe(0);
    expect(json(enrol)).toMatchObject({ code: '9001', name: '甲校', replaced: false });
    const imp = await canteen(['--db', centreFile, '--user', 'wang', 'centre', 'import', pkgDir], 'Centre-2026');
    expect(imp.code, imp.stdout).toBe(0);
    expect(json(imp)).toEqual({ imported: 1, unchanged: 0, refused: 0, packages: [{ file: path.basename(pkgFile), status: 'imported', message: '甲校2026年9月第 1 版已导入' }] });
    const xlsx = path.join(dir, '中心比较.xlsx');
    const exp = await canteen(['--db', centreFile, '--user', 'zhao', 'centre', 'export', '2026-09', '--out', xlsx], 'Review-2026');
    expect(exp.code, exp.stdout).toBe(0);
    expect(fs.existsSync(xlsx)).toBe(true);
    const ver = await canteen(['--db', centreFile, '--user', 'wang', 'centre', 'verify'], 'Centre-2026');
    expect(ver.code, ver.stdout).toBe(0);
    // setup, the reviewer, the enrolment, the import: four entries.
    expect(json(ver)).toEqual({
      ok: true,
      summary: '中心数据库校验通过：审计记录 4 条首尾相接，1 个上报包的数据与导入时记录的哈希和行数一致，学校、用户与食材对应与审计记录一致',
      problems: [],
      auditEntries: 4,
      packages: 1,
    });
  });
});

describe('a centre file of schema 6, holding a package, upgraded: its chain starts with a baseline of what it held', { timeout: 120_000 }, () => {
  it('verify is clean after the upgrade, and names a row changed after it', async () => {
    const old = path.join(dir, 'centre-v6.duckdb');
    fs.copyFileSync(centreFile, old);
    const { openCentre } = await import('../../electron/core/centre/db.ts');
    const c6 = await openCentre(old);
    // As a version-6 file was: none of 7's tables (nor 8's derived sums), no chain.
    for (const t of ['centre_audit', 'login_failures', 'item_map_school', 'purchase_items', 'purchase_item_suppliers']) await c6.conn.run(`DROP TABLE ${t}`);
    await c6.conn.run(`UPDATE centre_meta SET value = '6' WHERE key = 'schema_version'`);
    c6.close();
    const b = await openCentreBackend({ file: old, now: NOW });
    try {
      expect(await rows(b.centre.conn, 'SELECT seq, username, action FROM centre_audit')).toEqual([{ seq: 1, username: null, action: 'baseline' }]);
      expect(await b.invoke('auth.login', { username: 'wang', password: 'Centre-2026' })).toMatchObject({ ok: true });
      expect(await b.invoke('centre.verify', {})).toMatchObject({ ok: true, value: { ok: true, auditEntries: 1, packages: 1 } });
      await b.centre.conn.run(`UPDATE refunds SET amount_fen = amount_fen + 1`);
      await b.centre.conn.run(`UPDATE centre_users SET display_name = '王二' WHERE username = 'wang'`);
      expect(await b.invoke('centre.verify', {})).toMatchObject({
        ok: true,
        value: { ok: false, problems: ['中心用户 wang 的“姓名”与审计记录不符（在软件之外被改动）', '甲校2026年9月第 1 版上报包的退费（refunds）内容与导入时记录的不符（在软件之外被改动）'] },
      });
    } finally {
      b.close();
    }
  });
});

describe('centre verify re-derives the chain and names what was changed behind the app\'s back', { timeout: 120_000 }, () => {
  let b: CentreBackend;
  const verify = async () => {
    const r = await b.invoke('centre.verify', {});
    if (!r.ok) throw new Error(r.error.message);
    return r.value as { ok: boolean; problems: string[]; summary: string };
  };
  const sql = (s: string) => b.centre.conn.run(s);

  beforeAll(async () => {
    b = await openCentreBackend({ file: centreFile, now: NOW });
    expect(await b.invoke('auth.login', { username: 'wang', password: 'Centre-2026' })).toMatchObject({ ok: true });
    expect(await b.invoke('items.map', { item: '大米', spec: '', unit: 'kg', toItem: '东北大米', toSpec: '' })).toMatchObject({ ok: true });
  });
  afterAll(() => b?.close());

  it('the import\'s entry names the package\'s own hashes and each table\'s rows; the chain holds', async () => {
    const p = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { manifest: string; files: Record<string, string> };
    const sha = (x: Buffer) => crypto.createHash('sha256').update(x).digest('hex');
    const entry = (await rows(b.centre.conn, `SELECT username, detail FROM centre_audit WHERE action = 'package.import'`))[0];
    const detail = JSON.parse(String(entry.detail));
    expect(entry.username).toBe('wang');
    expect(detail.package).toMatchObject({
      school_code: '9001', month: '2026-09', revision: 1,
      manifest_sha256: sha(Buffer.from(p.manifest, 'utf8')),
      data_sha256: sha(Buffer.from(p.files['data.json'], 'base64')),
    });
    // The fund has the month's and the year-to-date's row.
    expect(detail.tables.fund.n).toBe(2);
    expect((await verify()).ok).toBe(true);
  });

  it('a purchase line\'s price changed', async () => {
    await sql(`UPDATE purchases SET unit_price_fen = unit_price_fen + 1 WHERE item = '大米'`);
    expect((await verify()).problems).toEqual(['甲校2026年9月第 1 版上报包的采购明细（purchases）内容与导入时记录的不符（在软件之外被改动）']);
    await sql(`UPDATE purchases SET unit_price_fen = unit_price_fen - 1 WHERE item = '大米'`);
    expect((await verify()).ok).toBe(true);
  });

  it('a purchase sum the views read (purchase_items) changed: named against the lines', async () => {
    await sql(`UPDATE purchase_items SET amount_fen = amount_fen + 100 WHERE item = '大米'`);
    expect((await verify()).problems).toEqual([
      '采购按食材汇总（purchase_items）中甲校2026年9月第 1 版上报包的“大米”（kg）一行缺失或被改动（按采购明细重算应有）',
      '采购按食材汇总（purchase_items）中甲校2026年9月第 1 版上报包的“大米”（kg）一行多出或被改动（采购明细重算没有这一行）',
    ]);
    await sql(`UPDATE purchase_items SET amount_fen = amount_fen - 100 WHERE item = '大米'`);
    expect((await verify()).ok).toBe(true);
  });

  it('a row deleted: the count', async () => {
    await sql(`CREATE TEMP TABLE kept AS SELECT * FROM fund WHERE period = 'ytd'`);
    await sql(`DELETE FROM fund WHERE period = 'ytd'`);
    const v = await verify();
    expect(v.problems).toEqual(['甲校2026年9月第 1 版上报包的资金收支（fund）导入时 2 行，现在 1 行（在软件之外被改动）']);
    expect(v.summary).toBe('中心数据库校验发现 1 处问题，第一处：甲校2026年9月第 1 版上报包的资金收支（fund）导入时 2 行，现在 1 行（在软件之外被改动）');
    await sql(`INSERT INTO fund SELECT * FROM kept`);
    await sql(`DROP TABLE kept`);
    expect((await verify()).ok).toBe(true);
  });

  it('the package\'s recorded hash, a school\'s fingerprint, a user\'s role, a mapping added', async () => {
    await sql(`UPDATE packages SET data_sha256 = repeat('0', 64)`);
    await sql(`UPDATE schools SET fingerprint = repeat('ab', 32)`);
    await sql(`UPDATE centre_users SET role = 'centre_admin' WHERE username = 'zhao'`);
    await sql(`INSERT INTO item_map VALUES ('白菜', '', 'kg', '大白菜', '', '2026-10-20T02:00:00.000Z', 'wang')`);
    expect((await verify()).problems).toEqual([
      '中心用户 zhao 的“角色”与审计记录不符（在软件之外被改动）',
      '学校 9001（甲校）的“公钥指纹”与审计记录不符（在软件之外被改动）',
      '食材对应“白菜”（kg）没有审计记录（未经本软件写入）',
      '甲校2026年9月第 1 版上报包的“月度数据哈希”与导入时记录的不符（在软件之外被改动）',
    ]);
  });

  it('a chain entry changed to cover it, then re-hashed, then deleted', async () => {
    // Put the rows back but for the role, and write the role into the reviewer's entry: its hash no longer holds.
    await sql(`DELETE FROM item_map WHERE item = '白菜'`);
    await sql(`UPDATE schools SET fingerprint = (SELECT json_extract_string(detail, '$.school.fingerprint') FROM centre_audit WHERE action = 'school.enrol')`);
    await sql(`UPDATE packages SET data_sha256 = (SELECT json_extract_string(detail, '$.package.data_sha256') FROM centre_audit WHERE action = 'package.import')`);
    await sql(`UPDATE centre_audit SET detail = replace(detail, '"role":"centre_reviewer"', '"role":"centre_admin"') WHERE seq = 2`);
    expect((await verify()).problems).toEqual(['审计记录第 2 条内容被改动']);
    // Its hash made again as the app would: the next entry no longer follows it.
    const e = (await rows(b.centre.conn, 'SELECT * FROM centre_audit WHERE seq = 2'))[0];
    const { centreAuditHash } = await import('../../electron/core/centre/audit.ts');
    const h = centreAuditHash({ seq: 2, written_at: String(e.written_at), username: String(e.username), action: String(e.action), subject: String(e.subject), detail: String(e.detail), prev_hash: String(e.prev_hash) });
    await b.centre.conn.run('UPDATE centre_audit SET hash = ? WHERE seq = 2', [h]);
    expect((await verify()).problems).toEqual(['审计记录第 3 条与上一条不衔接']);
    // An entry deleted from the middle.
    await sql(`DELETE FROM centre_audit WHERE seq = 3`);
    expect((await verify()).problems).toEqual(['审计记录第 3 条缺失（被删除）', '学校 9001（甲校）没有审计记录（未经本软件写入）']);
  });

  it('the newest entry deleted: the chain is whole, but what it recorded is not covered', async () => {
    await sql(`DELETE FROM centre_audit WHERE seq = 5`);
    expect((await verify()).problems).toContain('食材对应“大米”（kg）没有审计记录（未经本软件写入）');
  });

  it('the CLI\'s verify says so and exits 1', async () => {
    b.close();
    const r = await canteen(['--db', centreFile, '--user', 'wang', 'centre', 'verify'], 'Centre-2026');
    expect(r.code).toBe(1);
    expect(json(r)).toMatchObject({ ok: false, problems: expect.arrayContaining(['审计记录第 3 条缺失（被删除）', '食材对应“大米”（kg）没有审计记录（未经本软件写入）']) });
  });
});

describe('failed centre logins are kept in the file: a reopen, or a new CLI process, does not reset the backoff', { timeout: 120_000 }, () => {
  it('five wrong passwords, the file closed and opened again: the name is still locked, until its 30 s are over', async () => {
    const f = path.join(dir, 'backoff.duckdb');
    let t = Date.UTC(2026, 10, 20, 2, 0, 0);
    const open = () => openCentreBackend({ file: f, create: !fs.existsSync(f), now: () => new Date(t) });
    let c = await open();
    expect(await c.invoke('centre.setup', { centreName: '中心', adminUsername: 'wang', adminName: '王主任', password: 'Centre-2026' })).toMatchObject({ ok: true });
    await c.invoke('auth.logout', {});
    for (let i = 0; i < 5; i++) {
      expect(await c.invoke('auth.login', { username: 'WANG', password: `wrong-${i}` })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '用户名或密码不正确' } });
      t += 1000;
    }
    c.close();
    // The fifth failure at +4 s: locked until +34 s. Reopened at +5 s.
    c = await open();
    try {
      expect(await rows(c.centre.conn, 'SELECT name, failures, last_at_ms FROM login_failures')).toEqual([{ name: 'wang', failures: 5, last_at_ms: Date.UTC(2026, 10, 20, 2, 0, 4) }]);
      expect(await c.invoke('auth.login', { username: 'wang', password: 'Centre-2026' })).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '密码错误次数过多，请在 29 秒后再试' } });
      t += 29_000;
      expect(await c.invoke('auth.login', { username: 'wang', password: 'Centre-2026' })).toMatchObject({ ok: true, value: { username: 'wang' } });
      // A success ends the run of failures.
      expect(await rows(c.centre.conn, 'SELECT count(*) AS n FROM login_failures')).toEqual([{ n: 0 }]);
    } finally {
      c.close();
    }
  });

  it('the CLI: five wrong passwords in five runs (each opening the file anew) lock the sixth, the right password too', async () => {
    const f = path.join(dir, 'backoff-cli.duckdb');
    expect((await canteen(['--db', f, 'centre', 'init', '--centre', '中心', '--admin', 'wang'], 'Centre-2026')).code).toBe(0);
    for (let i = 0; i < 5; i++) {
      const r = await canteen(['--db', f, '--user', 'wang', 'centre', 'verify'], `wrong-${i}`);
      expect(json(r)).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码不正确' });
    }
    const r = await canteen(['--db', f, '--user', 'wang', 'centre', 'verify'], 'Centre-2026');
    expect(r.code).toBe(1);
    expect(String(json(r).message)).toMatch(/^密码错误次数过多，请在 (30|29|28) 秒后再试$/);
  });
});
