import path from 'node:path';
import * as electron from 'electron';
import { startShell } from './shell/app-shell.ts';

/**
 * The Electron main process. Bundled by scripts/build.mjs into dist/electron/main.cjs, beside preload.cjs; the
 * renderer is built into dist/renderer. Everything else lives in electron/shell (wiring, testable with a fake
 * electron module) and electron/core (the backend, plain Node).
 */
const here = __dirname;
startShell(electron, {
  rendererDir: path.join(here, '..', 'renderer'),
  preloadPath: path.join(here, 'preload.cjs'),
  // Copied beside the bundle by the build: the packaged app holds dist/ only.
  iconPath: path.join(here, 'icon.png'),
  argv: process.argv,
  env: process.env,
  devTools: !electron.app.isPackaged,
  // The file check's worker thread loads better-sqlite3 from this path (the bundle leaves it external).
  sqliteDriver: require.resolve('better-sqlite3'),
});
