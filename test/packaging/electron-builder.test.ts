import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What can be checked of the installers without an Electron binary or NSIS: electron-builder's own validation of
 * electron-builder.yml, and the app electron-builder really packs. For the second, electron-builder runs for real
 * (`dir` target, Linux and Windows x64) with `electronDist` pointing at a stand-in Electron folder, so its own file
 * matching, node_modules collection, asar packing and asarUnpack decide the list; only the steps that need the real
 * binary are off (fuses, and on Windows editing the .exe's resources for asar integrity).
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util');
const asar = require('@electron/asar');
const builder = require('electron-builder');

const configFile = path.join(root, 'electron-builder.yml');
const loadConfig = () => getConfig(root, configFile, null);
const validate = (config: unknown) => validateConfiguration(config, new DebugLogger(false));

describe('electron-builder.yml', () => {
  it("passes electron-builder's own configuration validation", async () => {
    await expect(validate(await loadConfig())).resolves.toBeUndefined();
  });

  it('fails that validation with an unknown key, at the top or inside nsis, or a wrong type', async () => {
    const top = await loadConfig();
    top.installerFlavour = 'fancy';
    await expect(validate(top)).rejects.toThrow(/Invalid configuration object/);
    const nsis = await loadConfig();
    nsis.nsis.oneClik = false;
    await expect(validate(nsis)).rejects.toThrow(/nsis/);
    const typed = await loadConfig();
    typed.asar = 'yes please';
    await expect(validate(typed)).rejects.toThrow(/asar/);
  });

  it('asks for a Chinese per-user NSIS installer with folder choice and a desktop shortcut, a portable exe, AppImage and deb', async () => {
    const c = await loadConfig();
    expect(c.productName).toBe('阳光食堂账本');
    expect(c.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
    expect(c.win.target).toEqual([
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ]);
    expect(c.win.requestedExecutionLevel).toBe('asInvoker');
    expect(c.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      allowElevation: false,
      allowToChangeInstallationDirectory: true,
      createDesktopShortcut: true,
      deleteAppDataOnUninstall: false,
      unicode: true,
      language: '2052',
      installerLanguages: ['zh_CN'],
    });
    expect(c.linux.target).toEqual([
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ]);
    expect(c.asar).toBe(true);
    expect(c.npmRebuild).toBe(false);
    expect(c.nodeGypRebuild).toBe(false);
    expect(c.buildDependenciesFromSource).toBe(false);
    expect(c.directories.output).toBe('release');
  });

  it('has its icons in build/: a 512×512 PNG and an .ico holding a 256 px image', () => {
    const png = fs.readFileSync(path.join(root, 'build', 'icon.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, big-endian, at bytes 16 and 20.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
    const ico = fs.readFileSync(path.join(root, 'build', 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(widths).toContain(256);
    expect(widths).toContain(16);
  });
});

/** A folder shaped like Electron's distribution for the platform, with a stand-in executable. */
function fakeElectronDist(dir: string, exe: string): string {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'locales'), { recursive: true });
  fs.writeFileSync(path.join(dir, exe), 'stand-in for the Electron executable');
  fs.writeFileSync(path.join(dir, 'version'), '45.5.0');
  fs.writeFileSync(path.join(dir, 'LICENSE'), '');
  fs.writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '');
  for (const l of ['zh-CN', 'en-US', 'fr', 'ja']) fs.writeFileSync(path.join(dir, 'locales', `${l}.pak`), '');
  return dir;
}

interface Packed {
  appOutDir: string;
  /** Paths inside app.asar, with a leading slash. */
  inAsar: string[];
  /** Paths under app.asar.unpacked, with a leading slash. */
  unpacked: string[];
}

function walk(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p, base) : [`/${path.relative(base, p).split(path.sep).join('/')}`];
  });
}

let tmp: string;
const packed: Record<'linux' | 'win', Packed> = {} as never;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-pack-'));
  // The bundles and the renderer, exactly as `npm run dist` builds them first.
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'pipe' });
  for (const [name, platform, exe] of [
    ['linux', builder.Platform.LINUX, 'electron'],
    ['win', builder.Platform.WINDOWS, 'electron.exe'],
  ] as const) {
    const output = path.join(tmp, `out-${name}`);
    await builder.build({
      projectDir: root,
      targets: platform.createTarget('dir', builder.Arch.x64),
      publish: 'never',
      config: {
        directories: { output },
        electronDist: fakeElectronDist(path.join(tmp, `electron-${name}`), exe),
        // These two write into the real Electron executable, which the stand-in is not.
        electronFuses: null,
        ...(name === 'win' ? { disableAsarIntegrity: true, win: { signAndEditExecutable: false } } : {}),
      },
    });
    const appOutDir = path.join(output, `${name}-unpacked`);
    const archive = path.join(appOutDir, 'resources', 'app.asar');
    const inAsar = (asar.listPackage(archive, { isPack: false }) as string[]).map((p) => p.split(path.sep).join('/'));
    packed[name] = { appOutDir, inAsar, unpacked: walk(path.join(appOutDir, 'resources', 'app.asar.unpacked')) };
  }
}, 600_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(['linux', 'win'] as const)('the app electron-builder packs for %s x64', (name) => {
  const files = () => {
    const p = packed[name];
    const archive = path.join(p.appOutDir, 'resources', 'app.asar');
    // asar lists directories too; keep the entries that are files (in the archive or unpacked beside it).
    return p.inAsar.filter((f) => {
      const s = asar.statFile(archive, f.slice(1)) as { files?: unknown };
      return !s.files;
    });
  };

  it('holds the main bundle, the preload, the renderer and package.json pointing at the bundle', () => {
    const list = files();
    expect(list).toContain('/dist/electron/main.cjs');
    expect(list).toContain('/dist/electron/preload.cjs');
    expect(list).toContain('/dist/electron/icon.png');
    expect(list).toContain('/dist/renderer/index.html');
    expect(list.some((f) => /^\/dist\/renderer\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
    expect(list).toContain('/package.json');
    const archive = path.join(packed[name].appOutDir, 'resources', 'app.asar');
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString('utf8'));
    expect(pkg.main).toBe('dist/electron/main.cjs');
    expect(pkg.productName).toBe('阳光食堂账本');
    // The bundle in the archive is the one just built.
    expect(asar.extractFile(archive, path.join('dist', 'electron', 'main.cjs')).equals(fs.readFileSync(path.join(root, 'dist', 'electron', 'main.cjs')))).toBe(true);
  });

  it('unpacks the win32-x64 and linux-x64 better-sqlite3 prebuilds beside the archive, with the JS that loads them inside', () => {
    const { unpacked } = packed[name];
    expect(unpacked).toContain('/node_modules/better-sqlite3/prebuilds/win32-x64.node');
    expect(unpacked).toContain('/node_modules/better-sqlite3/prebuilds/linux-x64.node');
    // Byte for byte the prebuild the tests load.
    for (const t of ['win32-x64', 'linux-x64']) {
      const shipped = fs.readFileSync(path.join(packed[name].appOutDir, 'resources', 'app.asar.unpacked', 'node_modules', 'better-sqlite3', 'prebuilds', `${t}.node`));
      expect(shipped.equals(fs.readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'prebuilds', `${t}.node`))), t).toBe(true);
    }
    const list = files();
    expect(list).toContain('/node_modules/better-sqlite3/lib/index.js');
    expect(list).toContain('/node_modules/better-sqlite3/package.json');
    // Not compiled here, not shipped: no C sources, no build folder.
    expect(list.filter((f) => f.startsWith('/node_modules/better-sqlite3/') && /\/(deps|src|build)\//.test(f))).toEqual([]);
    expect(unpacked.filter((f) => /prebuilds\/(darwin|linuxmusl)-/.test(f))).toEqual([]);
  });

  it.runIf(name === 'linux')("unpacks the centre's DuckDB binding (duckdb.node and libduckdb) beside the archive, its loader inside", () => {
    const { unpacked } = packed[name];
    expect(unpacked).toContain('/node_modules/@duckdb/node-bindings-linux-x64/duckdb.node');
    expect(unpacked).toContain('/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so');
    expect(files()).toContain('/node_modules/@duckdb/node-bindings/duckdb.js');
    expect(files().some((f) => f.startsWith('/node_modules/@duckdb/node-api/'))).toBe(false);
  });

  it('leaves out tests, TypeScript sources, source maps and the development tools', () => {
    const list = [...files(), ...packed[name].unpacked];
    expect(list.filter((f) => /\.(ts|tsx|mts|cts|map)$/.test(f))).toEqual([]);
    expect(list.filter((f) => /\/(test|tests|__tests__|spec|specs)\//.test(f) || /\.(test|spec)\.[cm]?js$/.test(f))).toEqual([]);
    // Nothing from the source tree outside dist/ and package.json.
    const topLevel = new Set(list.map((f) => f.split('/')[1]));
    expect([...topLevel].sort()).toEqual(['dist', 'node_modules', 'package.json']);
    const dist = new Set(list.filter((f) => f.startsWith('/dist/')).map((f) => f.split('/')[2]));
    expect([...dist].sort()).toEqual(['electron', 'renderer']);
    // Every dependency but better-sqlite3 and the centre's DuckDB binding (issue 18: @duckdb/node-bindings, the
    // platform's package and detect-libc) is inside main.cjs, so they are the only packages shipped.
    expect([...new Set(list.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/')[2]))].sort()).toEqual(['@duckdb', 'better-sqlite3', 'detect-libc']);
    expect([...new Set(list.filter((f) => f.startsWith('/node_modules/@duckdb/')).map((f) => f.split('/')[3]))].every((p) => p === 'node-bindings' || /^node-bindings-(linux|win32)-x64$/.test(p))).toBe(true);
    // devDependencies stay out: Electron itself, the builders, the test tools, React (bundled into the renderer).
    for (const dev of ['electron', 'electron-builder', 'vitest', 'vite', 'esbuild', 'typescript', 'playwright-core', 'react', 'antd', 'node']) {
      expect(list.some((f) => f.startsWith(`/node_modules/${dev}/`)), dev).toBe(false);
    }
  });

  it('keeps only the Chinese and English Chromium locales', () => {
    expect(fs.readdirSync(path.join(packed[name].appOutDir, 'locales')).sort()).toEqual(['en-US.pak', 'zh-CN.pak']);
  });
});
