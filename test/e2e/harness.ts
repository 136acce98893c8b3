/**
 * The Chromium end-to-end harness: the real renderer bundle in real Chromium, talking to the real core on a real
 * SQLite file. Only the Electron transport is replaced — `window.canteen.invoke` is a Playwright binding that calls
 * the Backend's `invoke` in the test process, exactly what the preload's IPC does in the app.
 *
 * Usage (a test file under test/e2e/):
 *
 *   import { openApp } from './harness.ts';
 *   import { setupBackend } from '../helpers/backend.ts';
 *
 *   const b = await setupBackend();           // school set up, one user per role
 *   await b.loginAs('storekeeper');           // optional: the app then starts logged in (the session is the backend's)
 *   const app = await openApp({ backend: b, name: 'receiving' });
 *   await app.page.getByRole('menuitem', { name: '验收入库' }).click();
 *   await app.screenshot('list');            // → test-results/receiving-list.png
 *   expect(app.errors).toEqual([]);         // uncaught page errors and console.error, collected
 *   await app.close();                        // closes the browser and the server (not the backend)
 *
 * The renderer is built once per test run by `setup` below (vitest globalSetup, see vitest.config.ts) into a temp
 * dir handed to the tests with provide/inject; a test run without it (e.g. another config) builds on first use.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Backend } from '../../electron/core/backend.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Folder holding the built renderer (index.html + assets), set by the e2e globalSetup. */
    rendererDir: string;
    /** The demo school with October closed and approved (closedDemoLedger below), seeded once by the e2e globalSetup. */
    closedDemoFile: string;
  }
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');

/** Debian's chromium here and in .ci/run; hosted CI on Windows points this at the runner's Chrome. */
export const CHROMIUM_PATH = process.env.CANTEEN_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Sets the page's clock to the school's: `Date` (and Date.now) read `utcMs` from the next load on, then run on in real
 * time. Timers stay real, unlike Playwright's page.clock (whose fixed time stops Date.now, and whose install fakes the
 * timers the door form's Enter flow and the select's search delay run on). Takes effect after a reload.
 */
export async function setSchoolClock(page: Page, utcMs: number): Promise<void> {
  await page.addInitScript((at: number) => {
    const Real = Date;
    const offset = at - Real.now();
    class SchoolDate extends Real {
      constructor(...a: unknown[]) {
        super(...((a.length ? a : [Real.now() + offset]) as [number]));
      }
      static now() {
        return Real.now() + offset;
      }
    }
    (window as unknown as { Date: DateConstructor }).Date = SchoolDate as DateConstructor;
  }, utcMs);
}

/** The data-testid of the focused element or its nearest marked ancestor (else the start of its HTML). */
export const focusedTestId = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') ?? document.activeElement?.outerHTML.slice(0, 200));

/** The apps open now, by name: test/e2e/on-failure.ts shows what each one had on screen when a test failed. */
export const OPEN = new Map<App, string>();

/** Builds the renderer with Vite's JS API into `outDir` (a fresh temp dir by default); returns the dir. */
export async function buildRenderer(outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-renderer-'))): Promise<string> {
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would give React's and antd's development builds: test what ships instead.
  const saved = { out: process.env.CANTEEN_RENDERER_OUT, env: process.env.NODE_ENV };
  process.env.CANTEEN_RENDERER_OUT = outDir;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: path.join(ROOT, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    for (const [key, value] of [['CANTEEN_RENDERER_OUT', saved.out], ['NODE_ENV', saved.env]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  if (!fs.existsSync(path.join(outDir, 'index.html'))) throw new Error(`renderer build produced no index.html in ${outDir}`);
  return outDir;
}

let builtDir: string | null = null;

/**
 * The clock of the closed demo: Friday 2026-11-20 10:00 China time, so the demo's last month (October) is closed and
 * approved. home, screens and package open their backends at this time on a copy of one file.
 */
export const CLOSED_DEMO_NOW = Date.UTC(2026, 10, 20, 2, 0, 0);

/**
 * Seeds the demo school with its last month closed and approved (the demo's own steps, through the API) into a new file
 * in `dir`, checkpointed and closed so the one file is the whole ledger; returns its path. Seeding takes about 3 s of
 * CPU: the e2e globalSetup does it once per run and each file that needs it copies the file (closedDemoLedger).
 */
export async function seedClosedDemo(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-closed-demo-'))): Promise<string> {
  // Imported here: the globalSetup runs in vitest's main process, which should not load the core for core-only runs.
  const { openBackend } = await import('../../electron/core/backend.ts');
  const { DEMO_STEPS, seedDemo } = await import('../../electron/core/demo/index.ts');
  const { closeLastMonth } = await import('../../electron/core/demo/close.ts');
  const file = path.join(dir, 'closed-demo.sqlite');
  const b = openBackend({ file, now: () => new Date(CLOSED_DEMO_NOW) });
  try {
    await seedDemo(b, { steps: [...DEMO_STEPS, closeLastMonth({ approve: true })] });
    b.db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    b.close();
  }
  return file;
}

let lazyDemo: Promise<string> | null = null;

/**
 * A copy of the closed demo in its own temp folder (a ledger of the test's own; `cleanup` removes it). Open it with
 * `now` at CLOSED_DEMO_NOW, the time it was seeded at. Without the globalSetup (another config) the demo is seeded here
 * on first use.
 */
export async function closedDemoLedger(now: Date): Promise<{ file: string; dir: string; cleanup: () => void }> {
  if (now.getTime() !== CLOSED_DEMO_NOW) throw new Error(`the closed demo was seeded at ${new Date(CLOSED_DEMO_NOW).toISOString()}, not ${now.toISOString()}`);
  const { inject } = await import('vitest');
  let source: string | undefined;
  try {
    source = inject('closedDemoFile');
  } catch {
    source = undefined;
  }
  if (!source) {
    lazyDemo ??= seedClosedDemo().then((file) => {
      process.once('exit', () => fs.rmSync(path.dirname(file), { recursive: true, force: true }));
      return file;
    });
    source = await lazyDemo;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-test-'));
  const file = path.join(dir, 'ledger.sqlite');
  fs.copyFileSync(source, file);
  return { file, dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Whether this vitest run may include e2e files: yes for a full run, no when every file filter on the command line
 * points elsewhere (`npx vitest run test/core/x.test.ts` should not pay for a renderer build, nor fail with it).
 */
function runMayIncludeE2e(argv = process.argv): boolean {
  const i = argv.findIndex((a) => /^(run|watch|dev|related)$/.test(a));
  const filters = (i >= 0 ? argv.slice(i + 1) : argv.slice(2)).filter((a) => !a.startsWith('-') && !/^(run|watch|dev)$/.test(a));
  return filters.length === 0 || filters.some((f) => f.includes('e2e') || !/\//.test(f));
}

/**
 * vitest globalSetup: build the renderer and seed the closed demo once per run, hand both to every test file, remove
 * them afterwards. A failure does not stop the run (core tests need neither); e2e tests then build or seed on first use
 * and report the error.
 */
export async function setup(project: { provide: (key: 'rendererDir' | 'closedDemoFile', value: string) => void }): Promise<(() => void) | undefined> {
  if (!runMayIncludeE2e()) return undefined;
  const folders: string[] = [];
  // The closed demo is seeded while Vite builds (its bundler works on its own threads).
  const demo = seedClosedDemo().then(
    (file) => (folders.push(path.dirname(file)), project.provide('closedDemoFile', file)),
    (e: Error) => console.warn(`[e2e harness] closed demo not seeded, the tests that use it will retry and report it: ${e.message}`),
  );
  try {
    builtDir = await buildRenderer();
    folders.push(builtDir);
    project.provide('rendererDir', builtDir);
  } catch (e) {
    console.warn(`[e2e harness] renderer build failed, e2e tests will retry and report it: ${(e as Error).message}`);
  }
  await demo;
  return () => {
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true });
  };
}

let lazyBuild: Promise<string> | null = null;
async function rendererDir(): Promise<string> {
  // Imported here, not at the top: this file is also loaded as the globalSetup, outside any test worker.
  const { inject } = await import('vitest');
  let provided: string | undefined;
  try {
    provided = inject('rendererDir');
  } catch {
    provided = undefined;
  }
  if (provided) return provided;
  lazyBuild ??= buildRenderer().then((dir) => {
    process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  });
  return lazyBuild;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** A static file server for the built renderer on 127.0.0.1 (a free port). */
function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.join(dir, urlPath === '/' ? 'index.html' : urlPath);
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

/**
 * Waits until the page is quiet: no spinner, no backend call awaiting its answer, no short timer pending (a list loads
 * 150 ms after its filters last changed; counted when the app was opened with `quiet: true`) and (with `animations`) no
 * finite animation or transition running, on `frames` animation frames in a row — what a fixed pause after a click
 * stood for. Checked inside the page on each frame, so it costs one round trip, not one per poll. What the page does on
 * an answer's arrival (a render, an effect that calls again or sets a timer) starts within those frames.
 */
let quietId = 0;
export async function quietPage(page: Page, opts: { animations?: boolean; frames?: number } = {}): Promise<void> {
  quietId += 1;
  await page.waitForFunction(
    ({ id, frames, animations }) => {
      const w = window as unknown as { __canteenPending?: number; __canteenTimers?: Set<unknown>; __quiet?: { id: number; n: number } };
      const busy =
        (w.__canteenPending ?? 0) > 0 ||
        (w.__canteenTimers?.size ?? 0) > 0 ||
        document.querySelector('.ant-spin-spinning') !== null ||
        (animations && document.getAnimations().some((a) => a.playState === 'running' && a.effect?.getComputedTiming().iterations !== Infinity));
      const n = busy || w.__quiet?.id !== id ? 0 : w.__quiet.n + 1;
      w.__quiet = { id, n };
      return n >= frames;
    },
    { id: quietId, frames: opts.frames ?? 3, animations: opts.animations ?? true },
    { polling: 'raf', timeout: 15_000 },
  );
}

/**
 * antd's motion off (openApp's `motion: false`): its durations are CSS variables, set to 0 s here, so a menu item's or
 * tab's colour, a fade or a slide is at its end state at once; the click wave (a fixed 0.4 s and 2 s) is not drawn.
 */
const NO_MOTION_CSS =
  '*, *::before, *::after { --ant-motion-duration-fast: 0s !important; --ant-motion-duration-mid: 0s !important; --ant-motion-duration-slow: 0s !important; }\n' +
  '.ant-wave { display: none !important; }';

export interface App {
  page: Page;
  browser: Browser;
  /** Uncaught page errors and console.error messages, in order; a clean run leaves it empty. */
  errors: string[];
  /** Saves a full-window PNG to test-results/<name>-<shot>.png and returns its path. */
  screenshot(shot: string): Promise<string>;
  /** What the app is telling the user right now: the visible toasts, notifications and dialogs, for a failure message. */
  shownFeedback(): Promise<string[]>;
  /** The backend calls of this page not answered yet, by name (for a failure message). */
  callsInFlight(): string[];
  /** Closes the browser and the server; the backend stays open (the test owns it). */
  close(): Promise<void>;
}

/**
 * Opens the app in Chromium against `backend` (anything with `invoke`, e.g. openBackend / setupBackend).
 * `name` prefixes the screenshots. Viewport 1366×768, locale zh-CN, timezone Asia/Shanghai. The page is loaded and
 * past its first backend round trip (the login, first-run or main window is showing) when this resolves.
 */
export async function openApp(opts: {
  backend: Pick<Backend, 'invoke'>;
  name: string;
  path?: string;
  /** Count the page's short timers (≤ 1 s, one-shot) for quietPage. */
  quiet?: boolean;
  /** false: antd's motion off, for checks that read what is painted (screens.test's contrast audit). */
  motion?: boolean;
}): Promise<App> {
  const dir = await rendererDir();
  const server = await serve(dir);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    // Fail an action well inside the test timeout, with Playwright's own message about what it waited for.
    page.setDefaultTimeout(10_000);
    page.setDefaultNavigationTimeout(30_000);
    // E2E_CPU_THROTTLE=N slows the page's CPU N times (Chromium's DevTools throttling): a loaded CI machine, on demand.
    const throttle = Number(process.env.E2E_CPU_THROTTLE ?? 0);
    if (throttle > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: throttle });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
    });
    // The preload's contract: invoke(name, input) → Promise<ApiResult>. Values cross as JSON, as over IPC.
    // The calls the backend has not answered yet, by name (on-failure.ts prints them beside the page's own count: a call
    // the page still awaits that the backend answered was lost on the way back, one still here hangs in the backend).
    const inFlight = new Map<number, string>();
    let callNo = 0;
    await page.exposeBinding('__canteenInvoke', async (_source, name: string, input: unknown) => {
      const no = ++callNo;
      inFlight.set(no, name);
      try {
        return await opts.backend.invoke(name, input);
      } finally {
        inFlight.delete(no);
      }
    });
    // The calls still awaiting their answer are counted for quietPage below.
    await page.addInitScript(() => {
      const w = window as unknown as { __canteenInvoke: (n: string, i: unknown) => Promise<unknown>; canteen: unknown; __canteenPending: number };
      w.__canteenPending = 0;
      w.canteen = {
        invoke: (name: string, input: unknown) => {
          w.__canteenPending += 1;
          return w.__canteenInvoke(name, input).finally(() => (w.__canteenPending -= 1));
        },
      };
    });
    if (opts.quiet) {
      await page.addInitScript(() => {
        const w = window as unknown as { __canteenTimers: Set<number> };
        const pending = new Set<number>();
        w.__canteenTimers = pending;
        const realSet = window.setTimeout.bind(window);
        const realClear = window.clearTimeout.bind(window);
        const realClearInterval = window.clearInterval.bind(window);
        (window as { setTimeout: unknown }).setTimeout = (fn: unknown, ms?: number, ...args: unknown[]) => {
          if (typeof fn !== 'function' || Number(ms) > 1000) return realSet(fn as TimerHandler, ms, ...args);
          const id: number = realSet(() => {
            pending.delete(id);
            (fn as (...a: unknown[]) => void)(...args);
          }, ms);
          pending.add(id);
          return id;
        };
        (window as { clearTimeout: unknown }).clearTimeout = (id?: number) => {
          if (id !== undefined) pending.delete(id);
          realClear(id);
        };
        (window as { clearInterval: unknown }).clearInterval = (id?: number) => {
          if (id !== undefined) pending.delete(id);
          realClearInterval(id);
        };
      });
    }
    if (opts.motion === false) {
      await page.addInitScript((css: string) => {
        document.addEventListener('DOMContentLoaded', () => {
          const style = document.createElement('style');
          style.textContent = css;
          document.head.append(style);
        });
      }, NO_MOTION_CSS);
    }
    await page.goto(server.url + (opts.path ? `#${opts.path}` : ''));
    try {
      await page.locator('#root > *').first().waitFor({ timeout: 30_000 });
      await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 30_000 });
    } catch (e) {
      // A blank page is usually a script error: say which.
      throw new Error(`the app did not render: ${(e as Error).message}\n${errors.join('\n')}`);
    }
    const b = browser;
    const app: App = {
      page,
      browser: b,
      errors,
      async screenshot(shot) {
        fs.mkdirSync(RESULTS_DIR, { recursive: true });
        const file = path.join(RESULTS_DIR, `${opts.name}-${shot}.png`);
        await page.screenshot({ path: file, animations: 'disabled' });
        return file;
      },
      async shownFeedback() {
        return page
          .locator('.ant-message-notice, .ant-notification-notice, .ant-modal-content, .ant-popover:not(.ant-popover-hidden)')
          .evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => (e.textContent ?? '').trim()));
      },
      callsInFlight: () => [...inFlight.values()],
      async close() {
        OPEN.delete(app);
        await b.close().catch(() => undefined);
        await server.close();
      },
    };
    OPEN.set(app, opts.name);
    return app;
  } catch (e) {
    await browser?.close().catch(() => undefined);
    await server.close();
    throw e;
  }
}
