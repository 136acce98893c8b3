/**
 * Child-process harness for bundle.test.ts: loads the built dist/electron/main.cjs under plain Node with the fake
 * electron module answering require('electron'), lets it start, pushes setup.init through its IPC handler, and prints
 * what the bundle did as one JSON line. Usage: node test/shell/load-bundle.ts MAIN_CJS USER_DATA [old]
 * ('old': the data folder starts with a ledger at schema 25, which the bundle upgrades in its job worker first).
 */
import fs from 'node:fs';
import path from 'node:path';
import Module, { createRequire } from 'node:module';
import { hostileWorkbooks, xlsxOf } from '../integrity/zip-kit.ts';
import { createFakeElectron, ipcEvent } from './fake-electron.ts';
import { writeSchema25Ledger } from '../helpers/old-ledger.ts';

const [mainCjs, userData, variant] = process.argv.slice(2);
if (variant === 'old') {
  fs.mkdirSync(userData, { recursive: true });
  writeSchema25Ledger(path.join(userData, 'ledger.sqlite'));
}
const fake = createFakeElectron({ userData });
const M = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const original = M._load;
M._load = function (request: string, ...rest: unknown[]) {
  if (request === 'electron') return fake.electron;
  return original.call(this, request, ...rest);
};
createRequire(import.meta.url)(mainCjs);
for (let i = 0; i < 200 && fake.windows.length === 0 && fake.errorBoxes.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
const win = fake.windows[0];
const handler = fake.ipcHandlers.get('canteen:invoke');
// An older ledger (issue 19): the window is open while the bundle's job worker upgrades it; until then start.kind
// answers 'upgrading'. What it answered first, and start.upgrade at the end, are in the result.
const kinds: unknown[] = [];
for (let i = 0; i < 2000 && handler && win; i++) {
  const k = ((await handler(ipcEvent(win.webContents), { name: 'start.kind', input: {} })) as { value?: unknown }).value;
  if (kinds.at(-1) !== k) kinds.push(k);
  if (k !== 'upgrading') break;
  await new Promise((r) => setTimeout(r, 25));
}
const upgrade = handler && win ? await handler(ipcEvent(win.webContents), { name: 'start.upgrade', input: {} }) : null;
const init = handler && win
  ? await handler(ipcEvent(win.webContents), { name: 'setup.init', input: { schoolName: '阳光实验小学', adminUsername: 'admin', adminName: '王校长', password: 'secret-pass-1' } })
  : null;
const preload = win?.options.webPreferences.preload as string | undefined;
// The start backup runs in the background; wait for it before closing the ledger.
const backups = path.join(userData, 'backups');
for (let i = 0; i < 200 && !(fs.existsSync(backups) && fs.readdirSync(backups).some((f) => f.includes('start'))); i++) await new Promise((r) => setTimeout(r, 25));
// Then the file check, in the worker thread the bundle starts with the driver path main.ts resolved, and the quick
// verify after it (in the bundle's job-worker.cjs).
let health: unknown = null;
for (let i = 0; i < 400 && handler && win; i++) {
  health = await handler(ipcEvent(win.webContents), { name: 'integrity.health', input: {} });
  const v = (health as { value?: { status: string; quick?: { status: string } } }).value;
  if (v?.status !== 'pending' && v?.status !== 'unchecked' && v?.quick?.status !== 'pending') break;
  await new Promise((r) => setTimeout(r, 25));
}
// An .xlsx read in the bundle's worker thread (xlsx-worker.cjs beside main.cjs), and a bomb it refuses.
const importPreview = async (file: Buffer) =>
  handler && win ? handler(ipcEvent(win.webContents), { name: 'import.preview', input: { kind: 'ingredients', fileBase64: file.toString('base64') } }) : null;
const xlsx = await importPreview(xlsxOf([['品名', '类别', '单位'], ['白菜', '蔬菜水果', '千克']]));
const bomb = await importPreview(hostileWorkbooks().lyingBomb);
console.log(
  'RESULT ' +
  JSON.stringify({
    calls: fake.calls,
    privileged: fake.privileged,
    errorBoxes: fake.errorBoxes,
    webPreferences: win?.options.webPreferences ?? null,
    icon: win?.options.icon ?? null,
    loaded: win?.loaded ?? [],
    preloadExists: preload ? fs.existsSync(preload) : false,
    init,
    backups: fs.existsSync(backups) ? fs.readdirSync(backups) : [],
    health,
    pickChannel: fake.ipcHandlers.has('canteen:pick-path'),
    xlsx,
    bomb,
    kinds,
    upgrade,
  }),
);
fake.app.emit('window-all-closed');
