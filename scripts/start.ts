/**
 * npm start — builds the bundles, then runs the app in Electron. Where the Electron binary is not there yet it asks
 * the electron package to download it once (as `electron .` would); when that fails (no internet) it prints what
 * happened and the offline way, and exits 1 without Electron's stack trace.
 *
 * Usage: node scripts/start.ts [--no-build] [-- app arguments…]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectron, missingElectronMessage } from './electron-binary.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash < 0 ? argv : argv.slice(0, dash);
const appArgs = dash < 0 ? [] : argv.slice(dash + 1);

if (!own.includes('--no-build')) {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

let found = findElectron();
if ('missing' in found) {
  // The package's own installer: it uses the download cache and ELECTRON_MIRROR. Its output is kept back: offline
  // it is a stack trace that advises deleting node_modules/electron, which would not help.
  const install = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], { cwd: root, encoding: 'utf8' });
  found = findElectron();
  if ('missing' in found) {
    const said = `${install.stderr ?? ''}\n${install.stdout ?? ''}`.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('at '));
    console.error(missingElectronMessage(said ? `${found.missing}; download: ${said}` : found.missing));
    process.exit(1);
  }
}

const app = spawnSync(found.exe, [root, ...appArgs], { cwd: root, stdio: 'inherit' });
process.exit(app.status ?? 1);
