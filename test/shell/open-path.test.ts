import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShell, type ElectronMain, type Shell } from '../../electron/shell/app-shell.ts';
import { INVOKE_CHANNEL } from '../../electron/shell/ipc.ts';
import { OPEN_PATH_CHANNEL, WrittenPaths } from '../../electron/shell/open-path.ts';
import { PICK_PATH_CHANNEL } from '../../electron/shell/pick-path.ts';
import type { ApiResult } from '../../shared/errors.ts';
import { createFakeElectron, FakeWebContents, fakeEvent, ipcEvent, type FakeElectron } from './fake-electron.ts';

/**
 * 打开文件 / 打开所在文件夹 after an export or a backup (window.canteen.openPath / showInFolder), with the electron module
 * injected: the main process hands a file to shell.openPath or shell.showItemInFolder only when this session wrote it
 * (a backup's or an export's result), or it lies in the data folder or a folder chosen in the native dialog; the path
 * the page sends is resolved by the file system first (.., symlinks). Anything else is refused and nothing opens.
 */
let tmp: string;
let fake: FakeElectron;
let opened: Awaited<Shell['ready']> = null;

function start() {
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>阳光食堂账本</title>');
  const shell = startShell(fake.electron as unknown as ElectronMain, { rendererDir, preloadPath: path.join(tmp, 'preload.cjs'), argv: [], env: {}, echoLog: false });
  return shell.ready.then((r) => (opened = r));
}
async function open(message: unknown, event = ipcEvent(fake.windows[0].webContents)): Promise<ApiResult<null>> {
  return (await fake.ipcHandlers.get(OPEN_PATH_CHANNEL)!(event, message)) as ApiResult<null>;
}
async function invoke(name: string, input: unknown): Promise<any> {
  return (await fake.ipcHandlers.get(INVOKE_CHANNEL)!(ipcEvent(fake.windows[0].webContents), { name, input })) as ApiResult<any>;
}
const real = (p: string) => fs.realpathSync.native(p);
const FORBIDDEN = { ok: false, error: { code: 'FORBIDDEN', message: '只能打开本程序导出或备份的文件' } };

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-open-'));
  fake = createFakeElectron({ userData: path.join(tmp, 'userData') });
});
afterEach(async () => {
  await opened?.startBackup;
  fake?.app.emit('window-all-closed');
  opened?.backend?.close();
  opened = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('opening an exported file or its folder through the shell', () => {
  it('a backup written to a typed folder opens, and shows in its folder; its neighbour in that folder does not', async () => {
    await start();
    expect((await invoke('setup.init', { schoolName: '阳光实验小学', adminUsername: 'admin', adminName: '王校长', password: 'secret-pass-1' })).ok).toBe(true);
    const stick = path.join(tmp, 'typed-folder');
    fs.mkdirSync(stick);
    const made = await invoke('backup.create', { folder: stick });
    expect(made.ok).toBe(true);
    expect(await open({ action: 'open', path: made.value.file })).toEqual({ ok: true, value: null });
    expect(await open({ action: 'folder', path: made.value.file })).toEqual({ ok: true, value: null });
    expect(fake.shellCalls).toEqual([
      { method: 'openPath', path: real(made.value.file) },
      { method: 'showItemInFolder', path: real(made.value.file) },
    ]);
    // The folder was typed, not chosen in the dialog: only the file the app wrote there may be opened.
    const neighbour = path.join(stick, 'other.pdf');
    fs.writeFileSync(neighbour, '%PDF-1.4');
    expect(await open({ action: 'open', path: neighbour })).toEqual(FORBIDDEN);
    expect(await open({ action: 'folder', path: neighbour })).toEqual(FORBIDDEN);
    expect(fake.shellCalls).toHaveLength(2);
  });

  it('a file outside the data folder, a path climbing out of it with .., and a symlink out of it are refused; nothing opens', async () => {
    const r = await start();
    const dataDir = r!.location.dataDir;
    const outside = path.join(tmp, 'secret.xlsx');
    fs.writeFileSync(outside, 'x');
    const link = path.join(dataDir, 'exports', 'link.xlsx');
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(outside, link);
    const climbing = `${dataDir}${path.sep}${path.relative(dataDir, outside)}`; // e.g. …/userData/data/../../secret.xlsx, sent as is
    expect(climbing).toContain(`${path.sep}..${path.sep}`);
    for (const p of [outside, climbing, link, '/etc/passwd', '/no/such/file.xlsx']) {
      expect(await open({ action: 'open', path: p }), p).toEqual(FORBIDDEN);
      expect(await open({ action: 'folder', path: p }), p).toEqual(FORBIDDEN);
    }
    expect(fake.shellCalls).toEqual([]);
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).toContain('拒绝打开不是本程序导出的文件');
  });

  it('inside the data folder: an export opens; a file of another kind only shows in its folder (it could run)', async () => {
    const r = await start();
    const exportsDir = path.join(r!.location.dataDir, 'exports');
    fs.mkdirSync(exportsDir, { recursive: true });
    const workbook = path.join(exportsDir, '2026年9月伙食费公示.xlsx');
    const program = path.join(exportsDir, 'invoice.exe');
    fs.writeFileSync(workbook, 'x');
    fs.writeFileSync(program, 'MZ');
    expect(await open({ action: 'open', path: workbook })).toEqual({ ok: true, value: null });
    expect(await open({ action: 'open', path: program })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(/只能打开导出的表格、PDF 或备份文件/) } });
    expect(await open({ action: 'open', path: exportsDir })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await open({ action: 'folder', path: program })).toEqual({ ok: true, value: null });
    expect(fake.shellCalls).toEqual([
      { method: 'openPath', path: real(workbook) },
      { method: 'showItemInFolder', path: real(program) },
    ]);
  });

  it('a folder chosen in the native dialog: files in it may be opened', async () => {
    await start();
    const stick = path.join(tmp, 'usb-stick');
    fs.mkdirSync(stick);
    const pdf = path.join(stick, '收支公示表.pdf');
    fs.writeFileSync(pdf, '%PDF-1.4');
    expect(await open({ action: 'open', path: pdf })).toEqual(FORBIDDEN);
    fake.setOpenDialogAnswer(stick);
    expect(await fake.ipcHandlers.get(PICK_PATH_CHANNEL)!(ipcEvent(fake.windows[0].webContents), { kind: 'backupFolder' })).toEqual({ ok: true, value: stick });
    expect(await open({ action: 'open', path: pdf })).toEqual({ ok: true, value: null });
    expect(fake.shellCalls).toEqual([{ method: 'openPath', path: real(pdf) }]);
  });

  it('a missing file, a malformed message, a relative path: refused with a reason; the system’s failure to open is said', async () => {
    const r = await start();
    const exportsDir = path.join(r!.location.dataDir, 'exports');
    fs.mkdirSync(exportsDir, { recursive: true });
    expect(await open({ action: 'open', path: path.join(exportsDir, 'gone.xlsx') })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    for (const msg of [null, 'open', { action: 'run', path: exportsDir }, { action: 'open' }, { action: 'open', path: 'exports/a.xlsx' }, { action: 'open', path: ['/a'] }, { action: 'open', path: `${exportsDir}\0.xlsx` }]) {
      expect(await open(msg), JSON.stringify(msg)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    const workbook = path.join(exportsDir, 'a.xlsx');
    fs.writeFileSync(workbook, 'x');
    fake.shellState.openPathAnswer = 'No application is associated with the specified file';
    expect(await open({ action: 'open', path: workbook })).toEqual({ ok: false, error: { code: 'INTERNAL', message: '无法打开文件：No application is associated with the specified file' } });
  });

  it('only our own page may ask: other web contents, subframes and foreign pages are refused and nothing opens', async () => {
    const r = await start();
    const file = path.join(r!.location.dataDir, 'a.pdf');
    fs.writeFileSync(file, '%PDF-1.4');
    const ours = fake.windows[0].webContents;
    const stranger = new FakeWebContents();
    stranger.mainFrame.url = 'app://canteen/index.html';
    fake.app.emit('web-contents-created', fakeEvent(), stranger);
    for (const event of [ipcEvent(stranger), ipcEvent(ours, { url: 'app://canteen/index.html' }), ipcEvent(ours, null), { sender: ours, senderFrame: { url: 'https://evil.example/' } }]) {
      expect(await open({ action: 'open', path: file }, event as never)).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '拒绝来自不受信任页面的调用' } });
    }
    expect(fake.shellCalls).toEqual([]);
  });
});

describe('the list of written files', () => {
  it('takes the paths only from the results of the methods that write them, never from other results or failures', () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-open-'));
    const xlsx = path.join(tmp, 'a.xlsx');
    const pdf = path.join(tmp, 'a.pdf');
    const other = path.join(tmp, 'b.sqlite');
    for (const f of [xlsx, pdf, other]) fs.writeFileSync(f, 'x');
    const w = new WrittenPaths([]);
    w.recordResult('backup.preview', { ok: true, value: { file: other } });
    w.recordResult('backup.create', { ok: false, error: { code: 'DISK_FULL', message: '' } });
    w.recordResult('monthclose.export', { ok: true, value: { xlsxPath: xlsx, pdfPath: null } });
    expect([xlsx, pdf, other].map((f) => w.allows(real(f)))).toEqual([true, false, false]);
    w.recordResult('monthclose.export', { ok: true, value: { xlsxPath: xlsx, pdfPath: pdf } });
    w.recordResult('monthclose.package', { ok: true, value: { file: other } });
    expect([xlsx, pdf, other].map((f) => w.allows(real(f)))).toEqual([true, true, true]);
  });
});
