import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The renderer as it ships (vite.config.ts, production mode) must not carry zod nor the contract modules
 * shared/api/*.ts (their schemas are built with zod at load time): the renderer imports only types from them, and its
 * run-time vocabulary from zod-free modules (shared/labels-*.ts, shared/roles.ts, shared/domain.ts). DEVELOPERS.md,
 * Rules. Built with source maps (which change nothing in the code) so that the modules in each chunk can be named.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
let out: string;
let jsFiles: string[];
let sources: string[];

beforeAll(() => {
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-renderer-bundle-'));
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(root, 'vite.config.ts'), '--mode', 'production', '--sourcemap', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: root, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production', CANTEEN_RENDERER_OUT: out } },
  );
  const assets = path.join(out, 'assets');
  jsFiles = fs.readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => path.join(assets, f));
  sources = fs
    .readdirSync(assets)
    .filter((f) => f.endsWith('.js.map'))
    .flatMap((f) => (JSON.parse(fs.readFileSync(path.join(assets, f), 'utf8')).sources as string[]).map((s) => path.resolve(assets, s)))
    .map((s) => path.relative(root, s).split(path.sep).join('/'));
}, 120_000);

afterAll(() => {
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

describe('built renderer', () => {
  it('the first script is the one index.html loads, and the build has source maps naming its modules', () => {
    const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
    const entry = /<script type="module"[^>]*src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeTruthy();
    expect(jsFiles).toContain(path.join(out, entry!));
    // The maps list shared/ modules by path, so the checks below would see a contract module if one were bundled.
    expect(sources).toContain('renderer/src/main.tsx');
    expect(sources).toContain('shared/roles.ts');
    expect(sources).toContain('shared/labels-fees.ts');
  });

  it('holds no zod code in any chunk', () => {
    // zod 4 keeps every schema's internals under `_zod` and names its error class ZodError: minifiers keep both.
    for (const f of jsFiles) {
      const code = fs.readFileSync(f, 'utf8');
      expect(code.includes('._zod'), `${path.basename(f)} contains zod's '._zod'`).toBe(false);
      expect(code.includes('ZodError'), `${path.basename(f)} contains zod's 'ZodError'`).toBe(false);
    }
  });

  it('bundles no module of zod and no contract module shared/api/*.ts (only types come from there)', () => {
    expect(sources.filter((s) => s.includes('node_modules/zod/'))).toEqual([]);
    expect(sources.filter((s) => s.startsWith('shared/api/'))).toEqual([]);
    // The centre's contract (issue 18) likewise; its roles module is zod-free and may be bundled.
    expect(sources.filter((s) => s === 'shared/centre/api.ts')).toEqual([]);
    expect(sources).toContain('shared/centre/roles.ts');
  });
});
