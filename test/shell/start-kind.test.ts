import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShell, type ElectronMain, type Shell } from '../../electron/shell/app-shell.ts';
import { INVOKE_CHANNEL } from '../../electron/shell/ipc.ts';
import type { ApiResult } from '../../shared/errors.ts';
import { createFakeElectron, ipcEvent, type FakeElectron } from './fake-electron.ts';

/**
 * School ledger or town centre (issue 18), with the electron module injected: at the first run the page is asked
 * (start.kind 'choose'); choosing the centre closes the empty ledger and makes centre.duckdb in the data folder, which
 * the next start opens without opening a ledger; a ledger already set up is never swapped away; --centre names a
 * centre file.
 */
let tmp: string;
let fake: FakeElectron;
let opened: Awaited<Shell['ready']> = null;

function start(argv: string[] = []) {
  fake = createFakeElectron({ userData: path.join(tmp, 'userData') });
  const shell = startShell(fake.electron as unknown as ElectronMain, { rendererDir: path.join(tmp, 'renderer'), preloadPath: path.join(tmp, 'preload.cjs'), argv, env: {}, echoLog: false });
  return shell.ready.then((r) => (opened = r));
}
async function invoke(name: string, input: unknown): Promise<ApiResult<any>> {
  return (await fake.ipcHandlers.get(INVOKE_CHANNEL)!(ipcEvent(fake.windows[0].webContents), { name, input })) as ApiResult<any>;
}
async function stop() {
  await opened?.startBackup;
  fake?.app.emit('window-all-closed');
  opened = null;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-start-kind-'));
  fs.mkdirSync(path.join(tmp, 'renderer'));
  fs.writeFileSync(path.join(tmp, 'renderer', 'index.html'), '<!doctype html><title>阳光食堂账本</title>');
});
afterEach(async () => {
  await stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a school ledger or a town centre', () => {
  it('first run: the page is asked; choosing the centre makes centre.duckdb, which the next start opens', async () => {
    expect((await start())?.kind).toBe('school');
    expect(await invoke('start.kind', {})).toEqual({ ok: true, value: 'choose' });
    expect(await invoke('start.choose', { kind: 'town' })).toEqual({ ok: false, error: { code: 'VALIDATION', message: '请选择：学校食堂账本或镇教育管理中心' } });
    expect(await invoke('start.choose', { kind: 'centre' })).toEqual({ ok: true, value: 'centre' });
    expect(await invoke('start.kind', {})).toEqual({ ok: true, value: 'centre' });
    expect(await invoke('centre.status', {})).toMatchObject({ ok: true, value: { initialized: false, centreName: null, file: path.join(tmp, 'userData', 'centre.duckdb') } });
    expect(await invoke('start.choose', { kind: 'school' })).toEqual({ ok: false, error: { code: 'CONFLICT', message: '已经选定，不能再改' } });
    // The school's methods are gone with the ledger.
    expect(await invoke('setup.status', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await invoke('centre.setup', { centreName: '城关镇教育管理中心', adminUsername: 'wang', adminName: '王主任', password: 'Centre-2026' })).toMatchObject({ ok: true });
    await stop();

    const again = await start();
    expect(again?.kind).toBe('centre');
    expect(await invoke('start.kind', {})).toEqual({ ok: true, value: 'centre' });
    expect(await invoke('centre.status', {})).toMatchObject({ ok: true, value: { initialized: true, centreName: '城关镇教育管理中心' } });
  });

  it('choosing the school keeps the ledger; a ledger set up is never asked about', async () => {
    await start();
    expect(await invoke('start.choose', { kind: 'school' })).toEqual({ ok: true, value: 'school' });
    expect(await invoke('start.kind', {})).toEqual({ ok: true, value: 'school' });
    expect(await invoke('setup.init', { schoolName: '阳光实验小学', adminUsername: 'admin', adminName: '王校长', password: 'secret-pass-1' })).toMatchObject({ ok: true });
    await stop();
    await start();
    expect(opened?.kind).toBe('school');
    expect(await invoke('start.kind', {})).toEqual({ ok: true, value: 'school' });
    expect(await invoke('start.choose', { kind: 'centre' })).toEqual({ ok: false, error: { code: 'CONFLICT', message: '已经选定，不能再改' } });
    expect(fs.existsSync(path.join(tmp, 'userData', 'centre.duckdb'))).toBe(false);
  });

  it('--centre FILE opens (or makes) that centre', async () => {
    const file = path.join(tmp, 'town', 'centre.duckdb');
    expect((await start(['electron', '.', '--centre', file]))?.kind).toBe('centre');
    expect(await invoke('centre.status', {})).toMatchObject({ ok: true, value: { initialized: false, file } });
    expect(fs.existsSync(path.join(tmp, 'userData', 'ledger.sqlite'))).toBe(false);
  });
});
