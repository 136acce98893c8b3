import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The bundles Electron would run, built by scripts/build.mjs and exercised without Electron: main.cjs under Node
 * with the fake electron module, preload.cjs in a context whose `require` knows only 'electron' (as the sandbox).
 */
const root = path.resolve(import.meta.dirname, '..', '..');
// Inside the repository so that the bundle's require('better-sqlite3') resolves as it does from dist/electron.
const out = path.join(root, 'node_modules', '.cache', `canteen-bundle-test-${process.pid}`);
let userData: string;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--no-renderer', '--out', out], { cwd: root, stdio: 'pipe' });
  userData = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-bundle-'));
}, 120_000);

afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(userData, { recursive: true, force: true });
});

describe('built bundles', () => {
  it('main.cjs wires the shell with the electron module it is given and serves IPC from the real core', () => {
    const stdout = execFileSync(process.execPath, [path.join(root, 'test', 'shell', 'load-bundle.ts'), path.join(out, 'main.cjs'), userData], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CANTEEN_DB: '', CANTEEN_DATA_DIR: '' },
    });
    const r = JSON.parse(stdout.split('\n').find((l) => l.startsWith('RESULT '))!.slice('RESULT '.length));
    expect(r.errorBoxes).toEqual([]);
    expect(r.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(r.calls.filter((c: string) => c.startsWith('ipcMain.handle'))).toEqual(['ipcMain.handle:canteen:invoke', 'ipcMain.handle:canteen:pick-path', 'ipcMain.handle:canteen:open-path']);
    expect(r.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(r.webPreferences.preload).toBe(path.join(out, 'preload.cjs'));
    expect(r.preloadExists).toBe(true);
    expect(r.icon).toBe(path.join(out, 'icon.png'));
    expect(r.loaded).toEqual(['app://canteen/index.html']);
    expect(r.init).toMatchObject({ ok: true, value: { username: 'admin', schoolName: '阳光实验小学' } });
    expect(fs.existsSync(path.join(userData, 'ledger.sqlite'))).toBe(true);
    expect(r.backups.filter((f: string) => f.includes('start'))).toHaveLength(1);
    expect(fs.readFileSync(path.join(userData, 'logs', 'main.log'), 'utf8')).toContain(path.join(userData, 'ledger.sqlite'));
    // The file check ran in its worker thread from the bundle (eval'd source, driver path from main.ts's require.resolve).
    expect(r.health).toMatchObject({ ok: true, value: { status: 'ok', problems: [] } });
    expect(fs.readFileSync(path.join(userData, 'logs', 'main.log'), 'utf8')).toContain('账本文件检查：正常');
    // Then the sealed quick verify ran in the bundle's job worker (job-worker.cjs): a new ledger has no month close to
    // start from, and says so.
    expect(r.health.value.quick).toMatchObject({ status: 'unsealed', problems: [], sealed: null, summary: '还没有完好的月结封存，快速校验无从开始；请在“备份与校验”中做完整校验。' });
    expect(fs.readFileSync(path.join(userData, 'logs', 'main.log'), 'utf8')).toContain('：还没有完好的月结封存，快速校验无从开始');
    // An .xlsx is read in the worker built beside main.cjs (xlsx-worker.cjs, evaluated from its source) ...
    expect(r.xlsx).toMatchObject({ ok: true, value: { sheetName: '名单', fileErrors: [], okCount: 1, errorCount: 0 } });
    expect(r.xlsx.value.rows).toHaveLength(1);
    // ... and a zip bomb whose directory lies about its sheet's size is refused there.
    expect(r.bomb).toEqual({ ok: false, error: { code: 'VALIDATION', message: '文件中有部件解压后的大小与文件目录记载的不符（可能是压缩炸弹或损坏的文件），已拒绝读取' } });
  });

  it('main.cjs upgrades an older ledger in its job worker (job-worker.cjs) while the window answers, then opens it', () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-bundle-old-'));
    try {
      const stdout = execFileSync(process.execPath, [path.join(root, 'test', 'shell', 'load-bundle.ts'), path.join(out, 'main.cjs'), data, 'old'], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CANTEEN_DB: '', CANTEEN_DATA_DIR: '' },
      });
      const r = JSON.parse(stdout.split('\n').find((l) => l.startsWith('RESULT '))!.slice('RESULT '.length));
      expect(r.errorBoxes).toEqual([]);
      // Asked while the worker worked: 'upgrading'; then the ledger (not set up) asks its first-run question.
      expect(r.kinds).toEqual(['upgrading', 'choose']);
      expect(r.upgrade).toMatchObject({ ok: true, value: { state: 'done', from: 25, label: '升级账本数据', step: '完成' } });
      expect(r.upgrade.value.backupFile).toMatch(/-premigrate-v25-v\d+\.sqlite$/);
      expect(r.init).toMatchObject({ ok: true, value: { username: 'admin' } });
      expect(fs.readFileSync(path.join(data, 'logs', 'main.log'), 'utf8')).toMatch(/升级账本数据完成（用时 \d+ 秒）/);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  it('main.cjs leaves only electron, better-sqlite3, the DuckDB binding and node built-ins to require', () => {
    const main = fs.readFileSync(path.join(out, 'main.cjs'), 'utf8');
    const required = new Set([...main.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    // '@duckdb/node-bindings' (issue 18): the centre's native DuckDB, shipped unpacked beside the archive.
    for (const r of required) expect(r === 'electron' || r === 'better-sqlite3' || r === '@duckdb/node-bindings' || isBuiltin(r), r).toBe(true);
    expect(required.has('better-sqlite3')).toBe(true);
    expect(required.has('@duckdb/node-bindings')).toBe(true);
  });

  it('xlsx-worker.cjs leaves only node built-ins to require (exceljs is inside it)', () => {
    const worker = fs.readFileSync(path.join(out, 'xlsx-worker.cjs'), 'utf8');
    const required = new Set([...worker.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));
    expect(required.size).toBeGreaterThan(0);
    for (const r of required) expect(isBuiltin(r), r).toBe(true);
  });

  it('preload.cjs runs with only electron to require and exposes nothing but canteen.invoke, pickPath, openPath and showInFolder, each on its channel', async () => {
    const code = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
    const exposed: Record<string, any> = {};
    const sent: unknown[][] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: { invoke: async (...args: unknown[]) => (sent.push(args), { ok: true, value: 'pong' }) },
    };
    const sandboxRequire = (name: string) => {
      if (name === 'electron') return electron;
      throw new Error(`module not found: ${name}`);
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
    expect(Object.keys(exposed)).toEqual(['canteen']);
    expect(Object.keys(exposed.canteen)).toEqual(['invoke', 'pickPath', 'openPath', 'showInFolder']);
    expect(await exposed.canteen.invoke('auth.me', { a: 1 })).toEqual({ ok: true, value: 'pong' });
    expect(await exposed.canteen.pickPath('backupFolder')).toEqual({ ok: true, value: 'pong' });
    expect(await exposed.canteen.openPath('/data/exports/a.xlsx')).toEqual({ ok: true, value: 'pong' });
    expect(await exposed.canteen.showInFolder('/data/exports/a.xlsx')).toEqual({ ok: true, value: 'pong' });
    expect(sent).toEqual([
      ['canteen:invoke', { name: 'auth.me', input: { a: 1 } }],
      ['canteen:pick-path', { kind: 'backupFolder' }],
      ['canteen:open-path', { action: 'open', path: '/data/exports/a.xlsx' }],
      ['canteen:open-path', { action: 'folder', path: '/data/exports/a.xlsx' }],
    ]);
  });
});
