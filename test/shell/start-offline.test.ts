import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronCacheFolder, findElectron } from '../../scripts/electron-binary.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-start-home-'));
const emptyDist = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-no-electron-'));
afterAll(() => {
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(emptyDist, { recursive: true, force: true });
});

/** A machine without the Electron binary and without a way to download it: an empty cache in a fresh home, and a
 * mirror on a closed local port (so a developer's machine with internet does not download Electron here). */
const offline = {
  ...process.env,
  HOME: home,
  XDG_CACHE_HOME: path.join(home, '.cache'),
  LOCALAPPDATA: path.join(home, 'AppData', 'Local'),
  ELECTRON_MIRROR: 'http://127.0.0.1:9/',
  ELECTRON_OVERRIDE_DIST_PATH: emptyDist,
};

describe('npm start without an Electron binary, offline', () => {
  it('prints what happened and the offline way, in Chinese and English, and exits 1 without a stack trace', () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'start.ts'), '--no-build'], { cwd: root, encoding: 'utf8', env: offline, timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('未找到 Electron 45.5.0 程序，也无法下载');
    expect(r.stderr).toContain('No Electron 45.5.0 binary was found');
    expect(r.stderr).toContain('ELECTRON_MIRROR=');
    expect(r.stderr).toContain(`electron-v45.5.0-${process.platform}-${process.arch}.zip`);
    expect(r.stderr).toContain(electronCacheFolder('45.5.0', offline));
    // Electron's own failure: a stack and the advice to delete node_modules/electron.
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('delete `node_modules/electron`');
  });

  // Where Electron is installed, its installer stops before looking at the cache: nothing to learn there.
  const installed = 'exe' in findElectron({ ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '' });
  it.skipIf(installed)('names the folder where @electron/get itself looks for the zip (a zip put there is found before any download)', () => {
    const env = { ...offline, ELECTRON_OVERRIDE_DIST_PATH: '', DEBUG: '@electron/get*' };
    const folder = electronCacheFolder('45.5.0', env);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `electron-v45.5.0-${process.platform}-${process.arch}.zip`), 'not a zip');
    const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
    // A cache hit, refused only because these bytes are not Electron's (the real zip passes the checksum).
    expect(r.stderr).toContain('Cache hit');
    expect(r.stderr).toContain('did not match expected checksum');
  });
});
