import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { defaultDataDir, resolveLedgerPath } from '../../electron/core/paths.ts';
import { api } from '../../shared/api/index.ts';
import type { MethodDef } from '../../shared/api/contract.ts';
import { ROLES } from '../../shared/roles.ts';
import { tempLedger } from '../helpers/backend.ts';
import { compileCacheEnv } from '../helpers/child-env.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/canteen.js');
const PW = 'cli-pass-123';
// Each test spawns the real bin several times; on a busy 2-core machine one start can take seconds.

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real bin in a child process on this Node (24), with a clean environment apart from what is given. */
function canteen(args: string[], opts: { env?: Record<string, string>; input?: string; cwd?: string } = {}): Promise<Run> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...compileCacheEnv(), ...opts.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** stdout as JSON; when it is not, fail with what the process said on stderr (a crash shows its stack). */
function out(r: Run): any {
  try {
    return JSON.parse(r.stdout);
  } catch {
    throw new Error(`exit ${r.code}, stdout not JSON: ${r.stdout.slice(0, 300)}\nstderr: ${r.stderr.slice(0, 1500)}`);
  }
}

let t: ReturnType<typeof tempLedger>;
beforeEach(() => {
  t = tempLedger();
});
afterEach(() => t.cleanup());

async function init(): Promise<void> {
  const r = await canteen(['--db', t.file, 'init', '--school', '城关小学', '--admin', 'boss', '--admin-name', '王校长'], { env: { CANTEEN_PASSWORD: PW } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}
async function call(user: string, method: string, input: unknown, password = PW): Promise<Run> {
  return canteen(['--db', t.file, '--user', user, 'call', method, JSON.stringify(input)], { env: { CANTEEN_PASSWORD: password } });
}

const CODE = '91330106MA2H123456'; // check character worked out by hand

describe('canteen init', { timeout: 240_000 }, () => {
  it('creates the school and its administrator, and refuses a second time', async () => {
    const r = await canteen(['--db', t.file, 'init', '--school', '城关小学', '--admin', 'boss', '--admin-name', '王校长'], { env: { CANTEEN_PASSWORD: PW } });
    expect(r.code).toBe(0);
    expect(out(r)).toEqual({ ledger: t.file, schoolName: '城关小学', admin: { username: 'boss', displayName: '王校长', roles: ['admin'] } });
    const me = await call('boss', 'auth.me', {});
    expect(out(me)).toMatchObject({ username: 'boss', schoolName: '城关小学' });
    const again = await canteen(['--db', t.file, 'init', '--school', '别的', '--admin', 'x1'], { env: { CANTEEN_PASSWORD: PW } });
    expect(again.code).toBe(1);
    expect(out(again)).toEqual({ code: 'CONFLICT', message: '已完成首次设置，不能重复设置' });
  });

  it('checks the password like the first-run form, and needs one when not on a terminal', async () => {
    const short = await canteen(['--db', t.file, 'init', '--school', '城关小学', '--admin', 'boss'], { env: { CANTEEN_PASSWORD: 'short' } });
    expect(short.code).toBe(1);
    expect(out(short)).toMatchObject({ code: 'VALIDATION', message: '密码至少 8 位' });
    const none = await canteen(['--db', t.file, 'init', '--school', '城关小学', '--admin', 'boss']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('请用环境变量 CANTEEN_PASSWORD 提供密码');
  });

  it('finds the ledger through CANTEEN_DB and --data-dir', async () => {
    const viaEnv = await canteen(['init', '--school', '城关小学', '--admin', 'boss'], { env: { CANTEEN_PASSWORD: PW, CANTEEN_DB: t.file } });
    expect(viaEnv.code).toBe(0);
    expect(fs.existsSync(t.file)).toBe(true);
    const dir = path.join(t.dir, 'data');
    const viaDir = await canteen(['--data-dir', dir, 'init', '--school', '城关小学', '--admin', 'boss'], { env: { CANTEEN_PASSWORD: PW } });
    expect(viaDir.code).toBe(0);
    expect(out(viaDir).ledger).toBe(path.join(dir, 'ledger.sqlite'));
  });
});

describe('canteen methods', { timeout: 240_000 }, () => {
  it('lists every API method with its roles, writes flag and input JSON Schema', async () => {
    const r = await canteen(['--db', t.file, 'methods']);
    expect(r.code).toBe(0);
    const list = out(r) as { name: string; summary: string; access: unknown; roles: string[]; writes: boolean; input: { type?: string } }[];
    const defs = api as Record<string, MethodDef>;
    expect(list.map((m) => m.name).sort()).toEqual(Object.keys(defs).sort());
    for (const m of list) {
      const def = defs[m.name];
      expect(m.summary).toBe(def.summary);
      expect(m.access).toEqual(def.access);
      expect(m.roles).toEqual(typeof def.access === 'string' ? [...ROLES] : [...def.access]);
      expect(m.writes).toBe(def.writes);
      expect(m.input.type, m.name).toBe('object');
    }
    const create = list.find((m) => m.name === 'suppliers.create')!;
    expect(create.roles).toEqual(['admin', 'storekeeper', 'accountant']);
    expect(create.input).toMatchObject({ required: ['name', 'creditCode', 'address', 'contactPerson', 'phone'], additionalProperties: false });
    // Listing the contract touches no ledger.
    expect(fs.existsSync(t.file)).toBe(false);
  });
});

describe('canteen call', { timeout: 240_000 }, () => {
  it('prints the value as JSON and exits 0; reads the input from stdin with "-"', async () => {
    await init();
    const r = await call('boss', 'users.create', { username: 'zhang', displayName: '张保管', roles: ['storekeeper'], password: PW });
    expect(r.code).toBe(0);
    expect(out(r)).toMatchObject({ username: 'zhang', displayName: '张保管', roles: ['storekeeper'], disabled: false });
    const s = { name: '城东农产品配送有限公司', creditCode: CODE, address: '城东路 1 号', contactPerson: '李四', phone: '0571-88886666' };
    const viaStdin = await canteen(['--db', t.file, '--user', 'zhang', 'call', 'suppliers.create', '-'], { env: { CANTEEN_PASSWORD: PW }, input: JSON.stringify(s) });
    expect(viaStdin.code).toBe(0);
    expect(out(viaStdin)).toMatchObject({ ...s, kind: 'distributor', licences: [] });
    const found = await call('zhang', 'suppliers.search', { q: 'cd' });
    expect(out(found).map((x: { name: string }) => x.name)).toEqual(['城东农产品配送有限公司']);
  });

  it('exits 1 with the error as JSON when the call is rejected', async () => {
    await init();
    const bad = await call('boss', 'suppliers.create', { name: '城东配送', creditCode: '91330106MA2H123457', address: 'a', contactPerson: 'b', phone: '0571-88886666' });
    expect(bad.code).toBe(1);
    expect(out(bad)).toEqual({ code: 'VALIDATION', message: '统一社会信用代码应为 18 位且校验位正确', issues: [{ path: 'creditCode', message: '统一社会信用代码应为 18 位且校验位正确' }] });
    const wrongPw = await call('boss', 'auth.me', {}, 'not-the-password');
    expect(wrongPw.code).toBe(1);
    expect(out(wrongPw)).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    const unknown = await call('boss', 'suppliers.explode', {});
    expect(unknown.code).toBe(1);
    expect(out(unknown).code).toBe('UNKNOWN_METHOD');
    // Without --user only public methods pass, as over IPC before login.
    const anon = await canteen(['--db', t.file, 'call', 'suppliers.search', '{}']);
    expect(anon.code).toBe(1);
    expect(out(anon)).toEqual({ code: 'UNAUTHENTICATED', message: '请先登录' });
    const pub = await canteen(['--db', t.file, 'call', 'setup.status']);
    expect(pub.code).toBe(0);
    expect(out(pub)).toEqual({ initialized: true, schoolName: '城关小学' });
  });

  it('refuses a ledger that does not exist instead of creating an empty one', async () => {
    const r = await call('boss', 'auth.me', {});
    expect(r.code).toBe(1);
    expect(out(r).code).toBe('NOT_FOUND');
    expect(fs.existsSync(t.file)).toBe(false);
  });

  it('applies exactly the dispatcher role checks: a parent is refused what the in-process dispatcher refuses', async () => {
    await init();
    await call('boss', 'users.create', { username: 'zhou', displayName: '周家长', roles: ['parent'], password: PW });
    const refused = await call('zhou', 'suppliers.create', { name: '城东配送', creditCode: CODE, address: 'a', contactPerson: 'b', phone: '0571-88886666' });
    expect(refused.code).toBe(1);
    expect(out(refused)).toEqual({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' });

    // Every method but the session ones, with an empty input, as the parent: the CLI's answer codes must be the
    // dispatcher's answer codes, method by method.
    const names = Object.keys(api).filter((n) => !n.startsWith('auth.') && !n.startsWith('setup.'));
    const lines = names.map((method) => JSON.stringify({ method, input: {} })).join('\n');
    const r = await canteen(['--db', t.file, '--user', 'zhou', 'batch'], { env: { CANTEEN_PASSWORD: PW }, input: lines });
    const cli = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { ok: boolean; error?: { code: string } });
    expect(cli).toHaveLength(names.length);

    const b = openBackend({ file: t.file });
    try {
      expect((await b.invoke('auth.login', { username: 'zhou', password: PW })).ok).toBe(true);
      const direct: string[] = [];
      for (const n of names) {
        const d = await b.invoke(n, {});
        direct.push(d.ok ? 'ok' : d.error.code);
      }
      expect(cli.map((c) => (c.ok ? 'ok' : c.error!.code))).toEqual(direct);
      expect(direct.filter((c) => c === 'FORBIDDEN').length).toBeGreaterThan(5);
    } finally {
      b.close();
    }
  });
});

describe('canteen usage errors', { timeout: 240_000 }, () => {
  it('exits 2 with a Chinese usage message on stderr', async () => {
    await init();
    const cases: [string[], string][] = [
      [['--db', t.file, 'frobnicate'], '没有名为“frobnicate”的命令'],
      [['--db', t.file], '缺少命令'],
      [['--db', t.file, '--user', 'boss', 'call'], '命令 call 需要功能名'],
      [['--db', t.file, '--user', 'boss', 'call', 'auth.me', '{not json'], '输入不是有效的 JSON'],
      [['--db', t.file, '--user', 'boss', 'call', 'auth.me', '{}', 'extra'], '多出了：extra'],
      [['--db', t.file, 'init', '--admin', 'boss'], '命令 init 需要参数 --school 学校名称'],
      [['--db', t.file, 'methods', '--colour', 'red'], '命令 methods 不认识参数 --colour'],
      [['--db'], '参数 --db 后面缺少取值'],
    ];
    for (const [args, message] of cases) {
      const r = await canteen(args, { env: { CANTEEN_PASSWORD: PW } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.startsWith('错误：')).toBe(true);
      expect(r.stderr.split('\n')[0]).toContain(message);
      expect(r.stderr).toContain('用法：canteen');
    }
  });

  it('prints the usage with --help and exits 0', async () => {
    const r = await canteen(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['init', 'methods', 'call', 'batch', 'demo']) expect(r.stdout).toContain(`${c}`);
  });
});

describe('canteen batch', { timeout: 240_000 }, () => {
  it('answers each line in one process with one login, mixing successes and rejections', async () => {
    await init();
    const lines = [
      JSON.stringify({ method: 'suppliers.create', input: { name: '城东农产品配送有限公司', creditCode: CODE, address: '城东路 1 号', contactPerson: '李四', phone: '0571-88886666' } }),
      '',
      JSON.stringify({ method: 'suppliers.search', input: { q: 'cdnc' } }),
      '{"method": "suppliers.create", "input": {"name": "坏"}',
      JSON.stringify({ method: 'suppliers.create', input: { name: '城东农产品配送有限公司', creditCode: CODE, address: '城东路 1 号', contactPerson: '李四', phone: '0571-88886666' } }),
      JSON.stringify(['not', 'an', 'object']),
      JSON.stringify({ method: 'school.get' }),
    ].join('\n');
    const r = await canteen(['--db', t.file, '--user', 'boss', 'batch'], { env: { CANTEEN_PASSWORD: PW }, input: lines });
    expect(r.code).toBe(1);
    const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out).toHaveLength(6);
    expect(out[0]).toMatchObject({ ok: true, value: { name: '城东农产品配送有限公司' } });
    expect(out[1]).toMatchObject({ ok: true, value: [{ name: '城东农产品配送有限公司' }] });
    expect(out[2]).toEqual({ ok: false, error: { code: 'VALIDATION', message: '第 4 行不是有效的 JSON' } });
    expect(out[3]).toEqual({ ok: false, error: { code: 'CONFLICT', message: '已有名为“城东农产品配送有限公司”的供应商' } });
    expect(out[4]).toEqual({ ok: false, error: { code: 'VALIDATION', message: '第 6 行应为 {"method": "功能名", "input": {...}}' } });
    expect(out[5]).toMatchObject({ ok: true, value: { name: '城关小学' } });

    // One login for the whole batch (init logs in through setup.init, not auth.login).
    const b = openBackend({ file: t.file });
    try {
      expect((b.db.prepare(`SELECT count(*) AS n FROM audit_log WHERE action = 'login'`).get() as { n: number }).n).toBe(1);
    } finally {
      b.close();
    }
  });

  it('exits 0 when every line succeeds', async () => {
    await init();
    const r = await canteen(['--db', t.file, '--user', 'boss', 'batch'], { env: { CANTEEN_PASSWORD: PW }, input: '{"method":"auth.me"}\n{"method":"users.list","input":{}}\n' });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).ok)).toEqual([true, true]);
  });
});

describe('canteen demo', { timeout: 400_000 }, () => {
  it('seeds a demo school and prints one account per role whose passwords log in', async () => {
    const r = await canteen(['--db', t.file, 'demo']);
    expect(r.code).toBe(0);
    const demo = out(r) as { ledger: string; schoolName: string; accounts: { username: string; password: string; roles: string[]; displayName: string }[] };
    expect(demo.schoolName).toBe('阳光实验小学');
    expect(new Set(demo.accounts.flatMap((a) => a.roles))).toEqual(new Set(ROLES));
    const sk = demo.accounts.find((a) => a.roles.includes('storekeeper'))!;
    const found = await call(sk.username, 'ingredients.search', { q: 'bc' }, sk.password);
    expect(found.code).toBe(0);
    expect(out(found)[0].name).toBe('白菜');
    const parent = demo.accounts.find((a) => a.roles.includes('parent'))!;
    const refused = await call(parent.username, 'suppliers.create', { name: '城东配送', creditCode: CODE, address: 'a', contactPerson: 'b', phone: '0571-88886666' }, parent.password);
    expect(refused.code).toBe(1);
    expect(out(refused).code).toBe('FORBIDDEN');

    const again = await canteen(['--db', t.file, 'demo']);
    expect(again.code).toBe(1);
    expect(out(again)).toEqual({ code: 'CONFLICT', message: '该账本已有学校，演示数据只能建在新账本上' });
  });
});

describe('ledger location', () => {
  it('defaults to the folder Electron names userData for 阳光食堂账本', () => {
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\li\\AppData\\Roaming' }, homedir: 'C:\\Users\\li' })).toBe('C:\\Users\\li\\AppData\\Roaming\\阳光食堂账本');
    expect(defaultDataDir({ platform: 'darwin', env: {}, homedir: '/Users/li' })).toBe('/Users/li/Library/Application Support/阳光食堂账本');
    expect(defaultDataDir({ platform: 'linux', env: {}, homedir: '/home/li' })).toBe('/home/li/.config/阳光食堂账本');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/srv/cfg' }, homedir: '/home/li' })).toBe('/srv/cfg/阳光食堂账本');
  });

  it('takes --db, then CANTEEN_DB, then --data-dir, then CANTEEN_DATA_DIR, then the default', () => {
    const env = { CANTEEN_DB: '/e/db.sqlite', CANTEEN_DATA_DIR: '/e/dir' };
    const linux = { platform: 'linux' as const, homedir: '/home/li' };
    expect(resolveLedgerPath({ db: '/f/a.sqlite', dataDir: '/f/dir', env, platform: linux })).toEqual({ file: '/f/a.sqlite', dataDir: '/f', source: 'db-flag' });
    expect(resolveLedgerPath({ dataDir: '/f/dir', env, platform: linux })).toEqual({ file: '/e/db.sqlite', dataDir: '/e', source: 'db-env' });
    expect(resolveLedgerPath({ dataDir: '/f/dir', env: { CANTEEN_DATA_DIR: '/e/dir' }, platform: linux })).toEqual({ file: '/f/dir/ledger.sqlite', dataDir: '/f/dir', source: 'data-dir-flag' });
    expect(resolveLedgerPath({ env: { CANTEEN_DATA_DIR: '/e/dir' }, platform: linux })).toEqual({ file: '/e/dir/ledger.sqlite', dataDir: '/e/dir', source: 'data-dir-env' });
    expect(resolveLedgerPath({ env: {}, platform: linux })).toEqual({ file: '/home/li/.config/阳光食堂账本/ledger.sqlite', dataDir: '/home/li/.config/阳光食堂账本', source: 'default' });
  });

  it('refuses a ledger in a cloud-sync folder before creating anything', { timeout: 120_000 }, async () => {
    const file = path.join(t.dir, 'OneDrive', 'ledger.sqlite');
    const r = await canteen(['--db', file, 'init', '--school', '城关小学', '--admin', 'boss'], { env: { CANTEEN_PASSWORD: PW } });
    expect(r.code).toBe(1);
    expect(out(r)).toMatchObject({ code: 'RULE', message: expect.stringContaining('账本文件不能放在OneDrive') });
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });
});
