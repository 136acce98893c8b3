import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../electron/core/db/open.ts';
import { startShell, type ElectronMain, type Shell } from '../../electron/shell/app-shell.ts';
import { INVOKE_CHANNEL } from '../../electron/shell/ipc.ts';
import type { UpgradeView } from '../../electron/shell/upgrade-at-start.ts';
import type { ApiResult } from '../../shared/errors.ts';
import { writeSchema25Ledger } from '../helpers/old-ledger.ts';
import { createFakeElectron, ipcEvent, type FakeElectron } from './fake-electron.ts';

/**
 * A ledger of an older version at the app's start (issue 19), with the electron module injected: the window opens at
 * once and, while the backup and the ladder run in the jobs worker, its channel answers — start.kind 'upgrading',
 * start.upgrade the phase, step and how far, any other call refused in words — so the main process is never held by
 * the upgrade. Then the backend opens on the upgraded ledger and the same window goes on to the app.
 */
let tmp: string;
let fake: FakeElectron;
let opened: Awaited<Shell['ready']> = null;

async function invoke(name: string, input: unknown): Promise<ApiResult<any>> {
  return (await fake.ipcHandlers.get(INVOKE_CHANNEL)!(ipcEvent(fake.windows[0].webContents), { name, input })) as ApiResult<any>;
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-upgrade-start-'));
  fs.mkdirSync(path.join(tmp, 'renderer'));
  fs.writeFileSync(path.join(tmp, 'renderer', 'index.html'), '<!doctype html><title>阳光食堂账本</title>');
});
afterEach(async () => {
  await opened?.startBackup;
  fake?.app.emit('window-all-closed');
  opened = null;
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('an older ledger at start', { timeout: 60_000 }, () => {
  it('is upgraded in the worker while the open window shows its progress, then the app goes on', async () => {
    const data = path.join(tmp, 'userData');
    fs.mkdirSync(data);
    writeSchema25Ledger(path.join(data, 'ledger.sqlite'));
    fake = createFakeElectron({ userData: data });
    const shell = startShell(fake.electron as unknown as ElectronMain, { rendererDir: path.join(tmp, 'renderer'), preloadPath: path.join(tmp, 'preload.cjs'), argv: [], env: {}, echoLog: false });
    let ready = false;
    void shell.ready.then(() => (ready = true));

    // The window is there before the upgrade ends, and its channel answers while the worker works.
    while (fake.windows.length === 0) await new Promise((r) => setTimeout(r, 1));
    const views: UpgradeView[] = [];
    const kinds: unknown[] = [];
    let refused: ApiResult<unknown> | null = null;
    while (!ready) {
      const v = await invoke('start.upgrade', {});
      if (!ready) {
        views.push((v as { value: UpgradeView }).value);
        kinds.push(((await invoke('start.kind', {})) as { value: unknown }).value);
        refused ??= await invoke('setup.status', {});
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    opened = await shell.ready;
    expect(opened?.kind).toBe('school');
    expect(fake.windows).toHaveLength(1);

    expect(views.length).toBeGreaterThan(0);
    expect(views[0]).toMatchObject({ state: 'running', label: '升级账本数据', from: 25, to: LATEST_VERSION, cancellable: false });
    expect(views[0].note).toBe('升级不能中途取消：每一步在一个事务中完成，停在两步之间的账本不能被任何版本的软件正常打开。升级前已自动备份原账本。');
    expect(new Set(kinds)).toEqual(new Set(['upgrading']));
    expect(refused).toEqual({ ok: false, error: { code: 'LOCKED', message: '正在升级账本数据，完成后才能使用' } });
    // What the screen saw never went back: the backup before the ladder, the ladder's statements counted up.
    const phases = views.map((v) => v.phase).filter((p) => p !== null);
    expect(phases).toEqual([...phases].sort((a, b) => (a === b ? 0 : a === 'backup' ? -1 : 1)));
    const ladder = views.filter((v) => v.phase === 'migrate').map((v) => v.done);
    expect(ladder).toEqual([...ladder].sort((a, b) => a - b));

    // Over: the same window's page hears 'done' with the backup, then the app (a ledger not set up: the first-run question).
    const backups = fs.readdirSync(path.join(data, 'backups'));
    const premigrate = backups.find((f) => f.includes(`-premigrate-v25-v${LATEST_VERSION}`));
    expect(premigrate).toBeDefined();
    expect(await invoke('start.upgrade', {})).toMatchObject({ ok: true, value: { state: 'done', etaSeconds: 0, step: '完成', backupFile: path.join(data, 'backups', premigrate!) } });
    expect(await invoke('start.kind', {})).toEqual({ ok: true, value: 'choose' });
    expect(await invoke('setup.status', {})).toMatchObject({ ok: true, value: { initialized: false } });
    expect(opened?.backend?.db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const old = new Database(path.join(data, 'backups', premigrate!), { readonly: true });
    expect(old.pragma('user_version', { simple: true })).toBe(25);
    old.close();
    const log = fs.readFileSync(path.join(data, 'logs', 'main.log'), 'utf8');
    expect(log).toContain(`升级账本数据：版本 25 → ${LATEST_VERSION}（升级前先备份）`);
    expect(log).toMatch(/升级账本数据完成（用时 \d+ 秒），升级前备份：.*premigrate/);
  });

  it('a ledger at the newest version opens as before: no upgrade screen', async () => {
    fake = createFakeElectron({ userData: path.join(tmp, 'userData') });
    opened = await startShell(fake.electron as unknown as ElectronMain, { rendererDir: path.join(tmp, 'renderer'), preloadPath: path.join(tmp, 'preload.cjs'), argv: [], env: {}, echoLog: false }).ready;
    expect(await invoke('start.upgrade', {})).toEqual({ ok: true, value: null });
    expect(await invoke('start.kind', {})).toEqual({ ok: true, value: 'choose' });
  });
});
