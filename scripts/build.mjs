/**
 * Builds what Electron runs, into dist/:
 *   dist/electron/main.cjs     the main process (electron/main.ts and the core it imports), one CommonJS bundle
 *   dist/electron/preload.cjs  the sandboxed preload: one CommonJS file requiring nothing but 'electron'
 *   dist/electron/xlsx-worker.cjs  the worker thread that reads an .xlsx people bring (electron/core/xlsx/read.ts reads
 *                              and evaluates it from beside main.cjs)
 *   dist/electron/job-worker.cjs  the worker thread of long reads, verify and the month's export (electron/core/jobs/run.ts
 *                              evaluates it from beside main.cjs; it loads better-sqlite3 from the path main resolved)
 *   dist/electron/icon.png     the window icon (the packaged app holds dist/ only)
 *   dist/renderer/             the React renderer, by Vite (vite.config.ts)
 * 'electron' and 'better-sqlite3' stay external: the first is provided by the runtime, the second loads its N-API
 * prebuild from node_modules (unpacked from the asar in the installers), the same binary the tests use. So does
 * '@duckdb/node-bindings' (the centre's DuckDB, issue 18): it requires the platform's duckdb.node (and its libduckdb
 * beside it) from @duckdb/node-bindings-<platform>, which no bundler can inline; @duckdb/node-api, plain JS, is inside
 * main.cjs and loaded only when a centre is opened.
 *
 * Usage: node scripts/build.mjs [--no-renderer] [--out DIR]   (--out: where the two bundles go, for tests)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFlag = process.argv.indexOf('--out');
const out = outFlag > 0 && process.argv[outFlag + 1] ? path.resolve(process.argv[outFlag + 1]) : path.join(root, 'dist', 'electron');
const skipRenderer = process.argv.includes('--no-renderer');

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 45 runs Node 22 in the main process.
  target: 'node22',
  external: ['electron', 'better-sqlite3', '@duckdb/node-bindings'],
  logLevel: 'warning',
  legalComments: 'none',
  sourcemap: false,
  absWorkingDir: root,
  // electron/core/xlsx/read.ts uses import.meta.url only when it runs from the sources; in the bundle it finds its worker
  // beside main.cjs.
  logOverride: { 'empty-import-meta': 'silent' },
};

await esbuild.build({ ...common, entryPoints: ['electron/main.ts'], outfile: path.join(out, 'main.cjs') });
await esbuild.build({ ...common, entryPoints: ['electron/core/xlsx/worker.ts'], outfile: path.join(out, 'xlsx-worker.cjs') });
// Evaluated from source (`eval: true`), the job worker cannot resolve 'better-sqlite3' from its own folder: the driver
// is required from the absolute path the main process resolved and handed over (jobs/run.ts, as the health check does).
const driverFromMain = {
  name: 'driver-from-main',
  setup(b) {
    b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: 'better-sqlite3', namespace: 'driver-from-main' }));
    b.onLoad({ filter: /.*/, namespace: 'driver-from-main' }, () => ({
      contents: "module.exports = require(require('node:worker_threads').workerData.driver);",
      loader: 'js',
    }));
  },
};
await esbuild.build({ ...common, entryPoints: ['electron/core/jobs/worker.ts'], outfile: path.join(out, 'job-worker.cjs'), external: ['electron'], plugins: [driverFromMain] });
await esbuild.build({
  ...common,
  entryPoints: ['electron/preload.ts'],
  outfile: path.join(out, 'preload.cjs'),
  // The sandboxed preload can require only 'electron': anything else must be inlined, so nothing else is external.
  external: ['electron'],
  target: 'chrome140',
});

const preload = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
const requires = [...preload.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
if (requires.some((r) => r !== 'electron')) {
  console.error(`preload.cjs requires ${requires.join(', ')}: a sandboxed preload may require only 'electron'`);
  process.exit(1);
}

const icon = path.join(root, 'build', 'icon.png');
if (fs.existsSync(icon)) fs.copyFileSync(icon, path.join(out, 'icon.png'));

if (!skipRenderer) {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}
console.log(`built ${path.relative(root, out)}${skipRenderer ? '' : ' and dist/renderer'}`);
