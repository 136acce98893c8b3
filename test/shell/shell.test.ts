import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../electron/core/backend.ts';
import { fileLogger, startShell, type ElectronMain, type Shell } from '../../electron/shell/app-shell.ts';
import { CSP } from '../../electron/shell/csp.ts';
import { resolveDataLocation } from '../../electron/shell/data-location.ts';
import { INVOKE_CHANNEL, inputSize, registerInvokeHandler } from '../../electron/shell/ipc.ts';
import { OPEN_PATH_CHANNEL } from '../../electron/shell/open-path.ts';
import { PICK_PATH_CHANNEL, registerPickPathHandler } from '../../electron/shell/pick-path.ts';
import { APP_ENTRY_URL, createAppProtocolHandler, resolveAppPath } from '../../electron/shell/protocol.ts';
import { createMainWindow } from '../../electron/shell/security.ts';
import type { ApiResult } from '../../shared/errors.ts';
import { tableDigest } from '../helpers/backend.ts';
import { createFakeElectron, FakeWebContents, fakeEvent, ipcEvent, type FakeElectron } from './fake-electron.ts';

let tmp: string;
let fake: FakeElectron;
let shell: Shell;
let opened: { backend?: Backend; startBackup?: Promise<string | null> } | null = null;

const rendererDir = () => path.join(tmp, 'renderer');

function start(argv: string[] = [], env: Record<string, string> = {}) {
  shell = startShell(fake.electron as unknown as ElectronMain, {
    rendererDir: rendererDir(),
    preloadPath: path.join(tmp, 'preload.cjs'),
    argv,
    env,
  });
  return shell.ready.then((r) => {
    opened = r;
    return r;
  });
}

async function invoke(name: string, input: unknown, event = ipcEvent(fake.windows[0].webContents)): Promise<ApiResult<any>> {
  const handler = fake.ipcHandlers.get(INVOKE_CHANNEL)!;
  return (await handler(event, { name, input })) as ApiResult<any>;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-shell-'));
  fs.mkdirSync(rendererDir());
  fs.writeFileSync(path.join(rendererDir(), 'index.html'), '<!doctype html><title>阳光食堂账本</title>');
  fs.mkdirSync(path.join(rendererDir(), 'assets'));
  fs.writeFileSync(path.join(rendererDir(), 'assets', 'index-abc.js'), 'console.log(1)');
  // A file beside the renderer folder that no app:// URL may reach.
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'TOP-SECRET');
  fake = createFakeElectron({ userData: path.join(tmp, 'userData') });
});

afterEach(async () => {
  await opened?.startBackup;
  fake?.app.emit('window-all-closed');
  opened?.backend?.close();
  opened = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('window options', () => {
  it('isolate the renderer: context isolation, sandbox, no node, web security, no webview, our preload', async () => {
    await start();
    expect(fake.windows).toHaveLength(1);
    const wp = fake.windows[0].options.webPreferences;
    expect(wp).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: path.join(tmp, 'preload.cjs'),
    });
    // The window shows the app protocol's entry, never a file:// URL.
    expect(fake.windows[0].loaded).toEqual([APP_ENTRY_URL]);
    expect(APP_ENTRY_URL).toBe('app://canteen/index.html');
  });

  it('devtools only when asked (development runs), and no middle-click windows', () => {
    const made: any[] = [];
    class Recorder {
      constructor(o: unknown) {
        made.push(o);
      }
    }
    createMainWindow(Recorder as never, { preload: '/p.cjs' });
    createMainWindow(Recorder as never, { preload: '/p.cjs', devTools: true });
    expect(made.map((o) => o.webPreferences.devTools)).toEqual([false, true]);
    expect(made[0].webPreferences.disableBlinkFeatures).toBe('Auxclick');
  });

  it('registers app:// as a privileged standard, secure scheme before the app is ready', async () => {
    await start();
    expect(fake.calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(fake.calls.indexOf('app.whenReady'));
    expect(fake.privileged).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect([...fake.protocolHandlers.keys()]).toEqual(['app']);
  });
});

describe('content security policy', () => {
  const directives = () => new Map(CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v] as [string, string[]]));

  it('allows only our own scripts: no eval, no inline script, nothing remote', () => {
    const d = directives();
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    for (const [name, sources] of d) {
      for (const s of sources) {
        expect(s, `${name} ${s}`).not.toMatch(/^(https?:|wss?:|ftp:|file:|\*|'unsafe-eval'|'wasm-unsafe-eval'|'unsafe-hashes'|'strict-dynamic')/);
        if (name === 'script-src' || name === 'default-src') expect(s).not.toBe("'unsafe-inline'");
      }
    }
  });

  it('is sent with every file the app protocol serves', async () => {
    await start();
    const handler = fake.protocolHandlers.get('app')!;
    for (const url of ['app://canteen/index.html', 'app://canteen/', 'app://canteen/assets/index-abc.js']) {
      const res = await handler(new Request(url));
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const html = await handler(new Request('app://canteen/'));
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('阳光食堂账本');
    const js = await handler(new Request('app://canteen/assets/index-abc.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // And every response the session sees gets it, replacing whatever policy the response brought.
    let out: { responseHeaders?: Record<string, string[]> } = {};
    fake.webRequest.onHeadersReceived!({ url: 'app://canteen/x', responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] } }, (r) => (out = r));
    expect(out.responseHeaders).toEqual({ 'Content-Security-Policy': [CSP], 'X-Other': ['1'] });
    for (const url of ['devtools://devtools/bundled/inspector.html', 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html']) {
      fake.webRequest.onHeadersReceived!({ url, responseHeaders: { a: ['1'] } }, (r) => (out = r));
      expect(out, url).toEqual({});
    }
    // Refusals carry it too.
    const missing = await handler(new Request('app://canteen/nope.js'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CSP);
  });
});

describe('app protocol', () => {
  it('refuses path traversal in every spelling, and never serves the file beside the renderer folder', async () => {
    const handler = createAppProtocolHandler(rendererDir());
    const attempts = [
      'app://canteen/..%2fsecret.txt',
      'app://canteen/..%2F..%2Fsecret.txt',
      'app://canteen/assets/..%2f..%2fsecret.txt',
      'app://canteen/..%5csecret.txt',
      'app://canteen/%2e%2e%2fsecret.txt',
      'app://canteen/assets/%2E%2E%5C%2E%2E%5Csecret.txt',
      `app://canteen/${encodeURIComponent(path.join(tmp, 'secret.txt'))}`,
      'app://canteen/C:%5Cwindows%5Cwin.ini',
      'app://canteen/index.html%00.js',
    ];
    for (const url of attempts) {
      const res = await handler(new Request(url));
      expect(res.status, url).toBe(403);
      expect(await res.text(), url).not.toContain('TOP-SECRET');
    }
    // Literal dot segments are folded by the URL parser and stay inside the root: not found, not the secret.
    const folded = await handler(new Request('app://canteen/assets/../../secret.txt'));
    expect(folded.status).toBe(404);
    expect(await folded.text()).not.toContain('TOP-SECRET');
  });

  it('refuses other hosts, other schemes, non-GET methods and symlinks that lead out of the folder', async () => {
    const handler = createAppProtocolHandler(rendererDir());
    expect((await handler(new Request('app://evil/index.html'))).status).toBe(403);
    expect(resolveAppPath(rendererDir(), 'file:///etc/passwd')).toMatchObject({ ok: false, status: 403 });
    expect((await handler(new Request('app://canteen/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir(), 'link.txt'));
    const viaLink = await handler(new Request('app://canteen/link.txt'));
    expect(viaLink.status).toBe(403);
    expect(await viaLink.text()).not.toContain('TOP-SECRET');
    expect((await handler(new Request('app://canteen/assets'))).status).toBe(404);
  });

  it('maps URLs to files under the root', () => {
    expect(resolveAppPath('/r', 'app://canteen/')).toEqual({ ok: true, file: path.join('/r', 'index.html') });
    expect(resolveAppPath('/r', 'app://canteen/assets/a%20b.js?x=1#h')).toEqual({ ok: true, file: path.join('/r', 'assets', 'a b.js') });
  });
});

describe('navigation and new windows', () => {
  it('denies window.open and navigation away from app://canteen, on every web contents', async () => {
    await start();
    const wc = fake.windows[0].webContents;
    expect(wc.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'app://canteen/index.html' })).toEqual({ action: 'deny' });
    for (const url of ['blob:https://evil.example/0f8fad5b-d9cb-469f-a165-70867728950e', 'blob:app://evil/0f8fad5b-d9cb-469f-a165-70867728950e', 'blob:app://canteen/../x', 'data:application/pdf;base64,AAAA', 'file:///C:/a.pdf']) {
      expect(wc.windowOpenHandler!({ url }), url).toEqual({ action: 'deny' });
    }
    // The one exception: a blob the app's page made itself (a PDF attachment to read), in a bare sandboxed window.
    const pdf = wc.windowOpenHandler!({ url: 'blob:app://canteen/0f8fad5b-d9cb-469f-a165-70867728950e' }) as any;
    expect(pdf.action).toBe('allow');
    expect(pdf.overrideBrowserWindowOptions.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false });
    expect(pdf.overrideBrowserWindowOptions.webPreferences.preload).toBeUndefined();
    for (const event of ['will-navigate', 'will-redirect']) {
      for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://evil/index.html', 'javascript:alert(1)']) {
        const e = fakeEvent();
        wc.emit(event, e, url);
        expect(e.defaultPrevented, `${event} ${url}`).toBe(true);
      }
      const inside = fakeEvent();
      wc.emit(event, inside, 'app://canteen/index.html#/audit');
      expect(inside.defaultPrevented).toBe(false);
    }
    const webview = fakeEvent();
    wc.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);

    // Any other web contents (a devtools window, a future dialog) is hardened the same way.
    const other = new FakeWebContents();
    fake.app.emit('web-contents-created', fakeEvent(), other);
    expect(other.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const e = fakeEvent();
    other.emit('will-navigate', e, 'https://example.com/');
    expect(e.defaultPrevented).toBe(true);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', async () => {
    await start();
    const { request, check, device } = fake.permissions;
    expect(request && check && device).toBeTruthy();
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'midi', 'openExternal', 'fullscreen', 'hid', 'serial']) {
      let granted: boolean | undefined;
      request!(fake.windows[0].webContents, p, (g) => (granted = g));
      expect(granted, p).toBe(false);
      expect(check!(fake.windows[0].webContents, p, 'app://canteen'), p).toBe(false);
    }
    expect(device!({ deviceType: 'usb', origin: 'app://canteen' })).toBe(false);
  });
});

describe('IPC', () => {
  it('registers one handler on each of its three channels (the backend, the native file dialog, opening an exported file), once; a second registration is refused', async () => {
    await start();
    expect(fake.ipcMain.handleCalls).toBe(3);
    expect([...fake.ipcHandlers.keys()]).toEqual([INVOKE_CHANNEL, PICK_PATH_CHANNEL, OPEN_PATH_CHANNEL]);
    const backend = { invoke: async () => ({ ok: true as const, value: null }) };
    expect(() => registerInvokeHandler(fake.ipcMain as never, { backend, isOurContents: () => true })).toThrow(/second handler/);
    expect(() => registerPickPathHandler(fake.ipcMain as never, { dialog: fake.electron.dialog as never, window: () => null, isOurContents: () => true })).toThrow(/second handler/);
  });

  it('refuses untrusted senders without calling the backend', async () => {
    const fakeShell = createFakeElectron({ userData: tmp });
    const seen: string[] = [];
    const ours = new FakeWebContents();
    ours.mainFrame.url = 'app://canteen/index.html';
    registerInvokeHandler(fakeShell.ipcMain as never, {
      backend: { invoke: async (name) => (seen.push(name), { ok: true, value: 'done' }) },
      isOurContents: (id) => id === ours.id,
    });
    const h = fakeShell.ipcHandlers.get(INVOKE_CHANNEL)!;
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'app://canteen/index.html';
    const subframe = { url: 'app://canteen/index.html' };
    const untrusted = [
      ipcEvent(stranger), // another web contents, even on our origin
      { sender: ours, senderFrame: { url: 'https://evil.example/' } }, // a frame that is not the main frame
      ipcEvent(ours, subframe), // a subframe of our window
      ipcEvent(ours, null), // frame already gone
    ];
    for (const event of untrusted) {
      const r = (await h(event, { name: 'auth.me', input: {} })) as ApiResult<unknown>;
      expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自不受信任页面的调用' } });
    }
    for (const url of ['https://evil.example/', 'file:///C:/x/index.html', 'app://evil/index.html', 'devtools://devtools/']) {
      ours.mainFrame.url = url;
      const r = (await h(ipcEvent(ours), { name: 'auth.me', input: {} })) as ApiResult<unknown>;
      expect(r.ok, url).toBe(false);
      expect(!r.ok && r.error.code).toBe('FORBIDDEN');
    }
    expect(seen).toEqual([]);
    ours.mainFrame.url = 'app://canteen/index.html#/home';
    expect(await h(ipcEvent(ours), { name: 'auth.me', input: {} })).toEqual({ ok: true, value: 'done' });
    expect(seen).toEqual(['auth.me']);
  });

  it('answers malformed messages, oversized input and backend crashes with an ApiResult, never a throw', async () => {
    const f = createFakeElectron({ userData: tmp });
    const ours = new FakeWebContents();
    ours.mainFrame.url = 'app://canteen/index.html';
    let calls = 0;
    registerInvokeHandler(f.ipcMain as never, {
      backend: {
        invoke: async (name) => {
          calls++;
          if (name === 'boom') throw new Error('爆了');
          return { ok: true, value: name };
        },
      },
      isOurContents: (id) => id === ours.id,
      maxInputBytes: 1000,
    });
    const h = f.ipcHandlers.get(INVOKE_CHANNEL)!;
    for (const msg of [null, 'auth.me', ['auth.me', {}], { input: {} }, { name: 42 }, { name: '' }, { name: 'x'.repeat(101) }]) {
      const r = (await h(ipcEvent(ours), msg)) as ApiResult<unknown>;
      expect(r.ok, JSON.stringify(msg)).toBe(false);
      expect(!r.ok && r.error.code).toBe('VALIDATION');
    }
    const big = (await h(ipcEvent(ours), { name: 'x', input: { text: 'a'.repeat(600) } })) as ApiResult<unknown>;
    expect(big).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(!big.ok && big.error.message).toContain('太大');
    const bytes = (await h(ipcEvent(ours), { name: 'x', input: { file: new Uint8Array(1001) } })) as ApiResult<unknown>;
    expect(bytes).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    let deep: unknown = 1;
    for (let i = 0; i < 200; i++) deep = [deep];
    expect(await h(ipcEvent(ours), { name: 'x', input: deep })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(calls).toBe(0);
    expect(await h(ipcEvent(ours), { name: 'boom', input: {} })).toEqual({ ok: false, error: { code: 'INTERNAL', message: '内部错误：爆了' } });
    expect(await h(ipcEvent(ours), { name: 'ok', input: { text: 'a'.repeat(400) } })).toEqual({ ok: true, value: 'ok' });
  });

  it('measures input size: strings at two bytes a character, bytes as they are', () => {
    expect(inputSize('abcd', 100)).toBe(8);
    expect(inputSize(new Uint8Array(50), 100)).toBe(50);
    // {a: 'xy'}: key 'a' (2) + 'xy' (4)
    expect(inputSize({ a: 'xy' }, 100)).toBe(6);
    // 100 characters are 200 bytes: over a 100-byte limit.
    expect(inputSize('x'.repeat(100), 100)).toBe(200);
    expect(inputSize([[[[1]]]], 100)).toBe(8);
  });

  it('carries init and login through to a real backend on a temp ledger', async () => {
    const r = await start();
    expect(r).not.toBeNull();
    const ledger = path.join(tmp, 'userData', 'ledger.sqlite');
    expect(r!.location.ledgerFile).toBe(ledger);
    expect(fs.existsSync(ledger)).toBe(true);
    expect(fs.statSync(path.join(tmp, 'userData', 'backups')).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(tmp, 'userData', 'logs')).isDirectory()).toBe(true);
    // A backup at start, in backups/.
    const started = await r!.startBackup;
    expect(started && path.dirname(started)).toBe(path.join(tmp, 'userData', 'backups'));
    expect(fs.readdirSync(path.join(tmp, 'userData', 'backups')).filter((f) => f.includes('start'))).toHaveLength(1);

    expect(await invoke('setup.status', {})).toEqual({ ok: true, value: { initialized: false, schoolName: null } });
    const init = await invoke('setup.init', { schoolName: '阳光实验小学', adminUsername: 'admin', adminName: '王校长', password: 'secret-pass-1' });
    expect(init).toMatchObject({ ok: true, value: { username: 'admin', displayName: '王校长', roles: ['admin'], schoolName: '阳光实验小学' } });
    expect(await invoke('auth.logout', {})).toEqual({ ok: true, value: null });
    expect(await invoke('auth.me', {})).toEqual({ ok: true, value: null });
    const wrong = await invoke('auth.login', { username: 'admin', password: 'nope-nope-1' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await invoke('auth.login', { username: 'admin', password: 'secret-pass-1' })).toMatchObject({ ok: true, value: { username: 'admin' } });
    expect(await invoke('auth.me', {})).toMatchObject({ ok: true, value: { username: 'admin', roles: ['admin'] } });
    // Validation errors come back as values with Chinese messages.
    const bad = await invoke('users.create', { username: 'x', displayName: '', roles: [], password: '1' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error.code).toBe('VALIDATION');
    expect(!bad.ok && /[\u4e00-\u9fff]/.test(bad.error.message)).toBe(true);

    // A page from elsewhere inside our window's contents writes nothing.
    const before = tableDigest(r!.backend!);
    const evil = await invoke('users.create', { username: 'intruder', displayName: '入侵者', roles: ['admin'], password: 'secret-pass-2' }, ipcEvent(fake.windows[0].webContents, { url: 'https://evil.example/' }));
    expect(evil).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(tableDigest(r!.backend!)).toBe(before);
    expect(fs.readFileSync(path.join(tmp, 'userData', 'logs', 'main.log'), 'utf8')).toContain('拒绝来自不受信任页面的调用');
  });
});

describe('data folder', () => {
  it('is userData unless --db / --data-dir or CANTEEN_DB / CANTEEN_DATA_DIR say otherwise', () => {
    const u = path.resolve('/home/lan/.config/阳光食堂账本');
    const at = (dir: string) => ({ dataDir: dir, ledgerFile: path.join(dir, 'ledger.sqlite'), backupsDir: path.join(dir, 'backups'), logsDir: path.join(dir, 'logs') });
    expect(resolveDataLocation({ argv: ['electron', '.'], env: {}, userData: u })).toEqual({ ...at(u), source: 'default' });
    const d = path.resolve('/srv/账本');
    expect(resolveDataLocation({ argv: ['x', '--data-dir', d], env: {}, userData: u })).toEqual({ ...at(d), source: 'data-dir-flag' });
    expect(resolveDataLocation({ argv: ['x', `--data-dir=${d}`], env: {}, userData: u })).toEqual({ ...at(d), source: 'data-dir-flag' });
    expect(resolveDataLocation({ argv: ['x'], env: { CANTEEN_DATA_DIR: d }, userData: u })).toEqual({ ...at(d), source: 'data-dir-env' });
    const f = path.resolve('/srv/其他/2026.sqlite');
    expect(resolveDataLocation({ argv: ['x', '--db', f], env: { CANTEEN_DATA_DIR: d }, userData: u })).toEqual({
      ledgerFile: f,
      dataDir: path.dirname(f),
      backupsDir: path.join(path.dirname(f), 'backups'),
      logsDir: path.join(path.dirname(f), 'logs'),
      source: 'db-flag',
    });
    expect(resolveDataLocation({ argv: ['x', '--data-dir', d], env: { CANTEEN_DB: f }, userData: u }).source).toBe('db-env');
  });

  it('opens the ledger named by --data-dir', async () => {
    const dir = path.join(tmp, '另一个账本');
    const r = await start(['electron', '.', '--data-dir', dir]);
    expect(r!.location.ledgerFile).toBe(path.join(dir, 'ledger.sqlite'));
    expect(fs.existsSync(path.join(dir, 'ledger.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'userData', 'ledger.sqlite'))).toBe(false);
  });

  it('refuses a cloud-synced folder with a dialog that says why, and creates nothing there', async () => {
    const dir = path.join(tmp, 'Dropbox', '食堂');
    const r = await start(['electron', '.', '--data-dir', dir]);
    expect(r).toBeNull();
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0].title).toBe('账本位置不安全');
    expect(fake.errorBoxes[0].content).toContain('Dropbox');
    expect(fake.errorBoxes[0].content).toContain('SQLite');
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.windows).toHaveLength(0);
    expect(fake.ipcHandlers.size).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'Dropbox'))).toBe(false);
  });

  it('reports a ledger it cannot open instead of showing a window', async () => {
    const dir = path.join(tmp, 'broken');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'ledger.sqlite'), 'this is not a database, just text');
    const r = await start(['--data-dir', dir]);
    expect(r).toBeNull();
    expect(fake.errorBoxes[0].title).toBe('无法打开账本');
    expect(fake.errorBoxes[0].content).toContain('不是 SQLite 格式');
    expect(fake.windows).toHaveLength(0);
  });

  it('a second instance quits at once and leaves the ledger to the first', async () => {
    fake = createFakeElectron({ userData: path.join(tmp, 'userData'), singleInstance: false });
    const r = await start();
    expect(r).toBeNull();
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.calls).not.toContain('app.whenReady');
    expect(fs.existsSync(path.join(tmp, 'userData'))).toBe(false);
  });
});

describe('log', () => {
  it('appends timestamped lines, and moves a log past 5 MB aside at start', () => {
    const file = path.join(tmp, 'main.log');
    fileLogger(file)('第一行');
    fileLogger(file)('第二行');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z 第一行$/);
    fs.writeFileSync(file, 'x'.repeat(5 * 1024 * 1024 + 1));
    fileLogger(file)('新的开始');
    expect(fs.statSync(`${file}.1`).size).toBe(5 * 1024 * 1024 + 1);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/新的开始\n$/);
  });
});
