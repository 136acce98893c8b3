import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShell, type ElectronMain, type Shell } from '../../electron/shell/app-shell.ts';
import { INVOKE_CHANNEL } from '../../electron/shell/ipc.ts';
import { dialogOptions, PICK_PATH_CHANNEL } from '../../electron/shell/pick-path.ts';
import type { ApiResult } from '../../shared/errors.ts';
import { createFakeElectron, FakeWebContents, fakeEvent, ipcEvent, type FakeElectron } from './fake-electron.ts';

/**
 * The shell's native folder/file dialog for the backup page (window.canteen.pickPath), with the electron module
 * injected: the dialog is modal to the app's window, only our own page may open it, it offers only the two kinds the
 * page needs, and the chosen path then works with the API. And the file check the shell starts after the start
 * backup (core/integrity/health-check.ts), run in a worker thread from the driver path main.ts resolves.
 */
let tmp: string;
let fake: FakeElectron;
let opened: Awaited<Shell['ready']> = null;
const driver = createRequire(import.meta.url).resolve('better-sqlite3');

function start(opts: { sqliteDriver?: string } = {}) {
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>阳光食堂账本</title>');
  const shell = startShell(fake.electron as unknown as ElectronMain, { rendererDir, preloadPath: path.join(tmp, 'preload.cjs'), argv: [], env: {}, echoLog: false, ...opts });
  return shell.ready.then((r) => (opened = r));
}

async function pick(message: unknown, event = ipcEvent(fake.windows[0].webContents)): Promise<ApiResult<string | null>> {
  return (await fake.ipcHandlers.get(PICK_PATH_CHANNEL)!(event, message)) as ApiResult<string | null>;
}
async function invoke(name: string, input: unknown): Promise<any> {
  return (await fake.ipcHandlers.get(INVOKE_CHANNEL)!(ipcEvent(fake.windows[0].webContents), { name, input })) as ApiResult<any>;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-pick-'));
  fake = createFakeElectron({ userData: path.join(tmp, 'userData') });
});
afterEach(async () => {
  await opened?.startBackup;
  await opened?.healthCheck;
  fake?.app.emit('window-all-closed');
  opened?.backend?.close();
  opened = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('native folder and file picker for backups', () => {
  it('a folder for a backup (a USB stick): dialog modal to the app window, the chosen folder takes the backup', async () => {
    await start();
    const stick = path.join(tmp, 'usb-stick');
    fs.mkdirSync(stick);
    fake.setOpenDialogAnswer(stick);
    expect(await pick({ kind: 'backupFolder' })).toEqual({ ok: true, value: stick });
    expect(fake.openDialogs).toHaveLength(1);
    const d = fake.openDialogs[0];
    expect(d.parent).toBe(fake.windows[0]);
    expect(d.options.properties).toContain('openDirectory');
    expect(d.options.properties).not.toContain('openFile');
    expect(d.options.title).toMatch(/U 盘/);

    // The path goes through the API like a typed one.
    expect((await invoke('setup.init', { schoolName: '阳光实验小学', adminUsername: 'admin', adminName: '王校长', password: 'secret-pass-1' })).ok).toBe(true);
    const made = await invoke('backup.create', { folder: stick });
    expect(made).toMatchObject({ ok: true, value: { reason: 'manual' } });
    expect(path.dirname(made.value.file)).toBe(stick);
    expect(fs.existsSync(made.value.file)).toBe(true);
  });

  it('a backup file to restore: opens in the backups folder, .sqlite first; the chosen file previews', async () => {
    const r = await start();
    const backupFile = (await r!.startBackup)!;
    fake.setOpenDialogAnswer(backupFile);
    expect(await pick({ kind: 'backupFile' })).toEqual({ ok: true, value: backupFile });
    const d = fake.openDialogs[0];
    expect(d.parent).toBe(fake.windows[0]);
    expect(d.options.properties).toContain('openFile');
    expect(d.options.properties).not.toContain('openDirectory');
    expect(d.options.defaultPath).toBe(r!.location.backupsDir);
    expect(d.options.filters[0].extensions).toEqual(['sqlite']);
    expect((await invoke('setup.init', { schoolName: '阳光实验小学', adminUsername: 'admin', adminName: '王校长', password: 'secret-pass-1' })).ok).toBe(true);
    expect(await invoke('backup.preview', { file: backupFile })).toMatchObject({ ok: true, value: { file: backupFile } });
  });

  it('cancelling answers null; a failing dialog answers an error result, never a throw', async () => {
    await start();
    fake.setOpenDialogAnswer(null);
    expect(await pick({ kind: 'backupFolder' })).toEqual({ ok: true, value: null });
    fake.setOpenDialogAnswer(new Error('no display'));
    const r = await pick({ kind: 'backupFile' });
    expect(r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(!r.ok && r.error.message).toMatch(/无法打开选择窗口/);
  });

  it('only our own page may open it: other web contents, subframes and foreign pages are refused and no dialog shows', async () => {
    await start();
    fake.setOpenDialogAnswer('/media/usb');
    const ours = fake.windows[0].webContents;
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'app://canteen/index.html';
    fake.app.emit('web-contents-created', fakeEvent(), stranger);
    for (const event of [ipcEvent(stranger), ipcEvent(ours, { url: 'app://canteen/index.html' }), ipcEvent(ours, null), { sender: ours, senderFrame: { url: 'https://evil.example/' } }]) {
      expect(await pick({ kind: 'backupFolder' }, event as never)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自不受信任页面的调用' } });
    }
    ours.mainFrame.url = 'https://evil.example/';
    expect(await pick({ kind: 'backupFolder' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(fake.openDialogs).toEqual([]);
    expect(fs.readFileSync(path.join(tmp, 'userData', 'logs', 'main.log'), 'utf8')).toContain('拒绝来自不受信任页面的选择文件请求');
  });

  it('offers only its two kinds: anything else is refused, and the page cannot pass dialog options of its own', async () => {
    await start();
    fake.setOpenDialogAnswer('/etc');
    for (const msg of [null, 'backupFolder', { kind: 'saveFile' }, { kind: '' }, {}, [], { kind: ['backupFolder'] }]) {
      const r = await pick(msg);
      expect(r, JSON.stringify(msg)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    expect(fake.openDialogs).toEqual([]);
    await pick({ kind: 'backupFolder', options: { properties: ['openFile', 'multiSelections'], defaultPath: '/etc' }, title: 'x' });
    expect(fake.openDialogs[0].options).toEqual(dialogOptions('backupFolder'));
  });

  it('no window (closed): refused without a dialog', async () => {
    const r = await start();
    (r!.window as unknown as { isDestroyed: () => boolean }).isDestroyed = () => true;
    expect(await pick({ kind: 'backupFolder' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(fake.openDialogs).toEqual([]);
  });
});

describe('the file check the shell starts', () => {
  it('runs after the start backup in a worker thread when main.ts gives the driver; its result is served over IPC', async () => {
    const r = await start({ sqliteDriver: driver });
    const h = await r!.healthCheck;
    expect(h).toMatchObject({ status: 'ok', problems: [] });
    expect((await invoke('setup.init', { schoolName: '阳光实验小学', adminUsername: 'admin', adminName: '王校长', password: 'secret-pass-1' })).ok).toBe(true);
    expect(await invoke('integrity.health', {})).toMatchObject({ ok: true, value: { status: 'ok' } });
    expect(fs.readFileSync(path.join(tmp, 'userData', 'logs', 'main.log'), 'utf8')).toContain('账本文件检查：正常');
  });

  it('without a driver path no check runs, and the backend says so', async () => {
    const r = await start();
    expect(await r!.healthCheck).toBeNull();
    expect((await invoke('setup.init', { schoolName: '阳光实验小学', adminUsername: 'admin', adminName: '王校长', password: 'secret-pass-1' })).ok).toBe(true);
    expect(await invoke('integrity.health', {})).toMatchObject({ ok: true, value: { status: 'unchecked' } });
  });
});
