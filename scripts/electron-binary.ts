/**
 * Where the Electron executable is, and what to tell a person when it is not there. `npm start` and
 * `npm run smoke:electron` share this. The electron npm package downloads its binary on first use; a school or
 * build machine without internet cannot, and Electron's own failure is a stack trace advising to delete
 * node_modules/electron, which fails the same way. We say instead what happened and the two ways out.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = path.join(root, 'node_modules', 'electron');

/** The Electron executable `npm install` (or a first start) downloaded, or why there is none. Never downloads. */
export function findElectron(env: NodeJS.ProcessEnv = process.env): { exe: string } | { missing: string } {
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) return { missing: 'node_modules/electron is not installed (run npm install)' };
  const pathTxt = path.join(pkgDir, 'path.txt');
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const rel = fs.existsSync(pathTxt) ? fs.readFileSync(pathTxt, 'utf8').trim() : null;
  if (override) {
    const exe = path.join(override, rel || defaultExecutable());
    return fs.existsSync(exe) ? { exe } : { missing: `ELECTRON_OVERRIDE_DIST_PATH is set but ${exe} does not exist` };
  }
  if (!rel) {
    return {
      missing:
        'node_modules/electron/path.txt is missing: the electron package is installed but its binary was never downloaded ' +
        '(its install script needs access to the Electron release downloads, which this machine does not have)',
    };
  }
  const exe = path.join(pkgDir, 'dist', rel);
  return fs.existsSync(exe) ? { exe } : { missing: `${exe} does not exist (the Electron download did not complete)` };
}

function defaultExecutable(): string {
  if (process.platform === 'win32') return 'electron.exe';
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  return 'electron';
}

export function electronVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The release zip's file name for this machine, as @electron/get names it. */
export function electronZipName(version = electronVersion(), platform = process.platform, arch = process.arch): string {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/**
 * The folder where @electron/get looks for that zip before downloading (its Cache.getCachePath): the cache root
 * (electron_config_cache, else the per-user cache of env-paths('electron')) and a sha256 of the download folder's URL,
 * which depends on ELECTRON_MIRROR. Copying the zip there makes the next `npm start` install it without a network.
 */
export function electronCacheFolder(version = electronVersion(), env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir();
  const cacheRoot =
    env.electron_config_cache ||
    (process.platform === 'win32'
      ? path.join(env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'electron', 'Cache')
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Caches', 'electron')
        : path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'electron'));
  // The default base is Electron's GitHub releases; the mirror and custom folder replace it as @electron/get does.
  const base = env.ELECTRON_MIRROR || env.npm_config_electron_mirror || 'https://github.com/electron/electron/releases/download/';
  const dir = (env.ELECTRON_CUSTOM_DIR || `v${version}`).replace('{{ version }}', version);
  const url = new URL(`${base}${dir}/${electronZipName(version)}`);
  url.hash = '';
  url.search = '';
  url.pathname = path.posix.dirname(url.pathname);
  return path.join(cacheRoot, crypto.createHash('sha256').update(url.toString()).digest('hex'));
}

/** What `npm start` prints when there is no Electron binary and it could not be downloaded. */
export function missingElectronMessage(why: string, env: NodeJS.ProcessEnv = process.env): string {
  const version = electronVersion();
  const zip = electronZipName(version);
  const cache = electronCacheFolder(version, env);
  return [
    `未找到 Electron ${version} 程序，也无法下载（本机可能没有联网）。`,
    `No Electron ${version} binary was found and it could not be downloaded (this machine may be offline).`,
    `  原因 / why: ${why}`,
    '',
    '解决办法 / what to do:',
    '  1. 联网后再运行 npm start；在国内可先设置镜像 / with internet, run npm start again; in China set a mirror first:',
    '       ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start',
    `  2. 离线 / offline: 在能上网的电脑上下载 ${zip}，复制到下面的文件夹，再运行 npm start：`,
    `     download ${zip} on a machine with internet, copy it into this folder, then run npm start:`,
    `       ${cache}`,
    '     或者解压后设置 / or unzip it and set ELECTRON_OVERRIDE_DIST_PATH=<解压后的文件夹 / the unzipped folder>',
    '',
    '不需要 Electron 的部分照常可用 / what works without Electron: npm test, npx canteen …',
  ].join('\n');
}
