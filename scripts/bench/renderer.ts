/**
 * The renderer in Chromium against the real core on a copy of a bench ledger (issue 8): time from navigation to a
 * usable delivery form, and keystroke-to-paint in the form's ingredient search (the ledger's 5,000 items).
 *
 *   cp bench-results/ledger-quick.sqlite* /tmp/me/        # never hand it the original (opening migrates the file)
 *   npx node scripts/bench/renderer.ts /tmp/me/ledger-quick.sqlite [results.json] [options]
 *     --runs N        page loads (each in a fresh browser context), 5 by default
 *     --nav-runs N    navigations inside the open app (each in a fresh context opened on the home page), --runs by
 *                     default; 0 leaves them out
 *     --settle MS     how long the open home is left alone before a navigation (2000)
 *     --dist DIR      use a renderer built earlier (e.g. from another commit) instead of building this tree's; give it
 *                     twice (--dist A --dist B) and the loads take turns, A B A B …: two builds timed in turn on the
 *                     same shared, loaded machine compare far better than two runs apart (the results file gets
 *                     the last build as `renderer`, all of them as `rendererCompared`)
 *     --no-keys       time the loads only
 *     --typing-runs N a 30-line delivery typed into the door form N times (2 by default; 0 leaves it out), each in a
 *                     fresh context after the loads: keystroke → paint of every digit typed into a line's quantity
 *                     and price, reported at line 1 and line 30 (`deliveryTyping`, issue 15: a line's render must not
 *                     depend on the number of lines)
 *     --lines N       lines typed per delivery (30)
 *     --shots DIR     one more load per build first, not counted: screenshots of the list and the form (DIR/<n>-list.png,
 *                     DIR/<n>-form.png), to see that a faster build still looks the same
 *     --trace DIR     one more load and one more navigation first, not counted: a Chromium performance trace
 *                     (DIR/load-trace.json, DIR/nav-trace.json) and a CDP CPU profile (DIR/load.cpuprofile,
 *                     DIR/nav.cpuprofile, open in DevTools) of each, summarised on stdout — main-thread time by trace
 *                     event and JS self time by script
 *
 * The script copies the ledger once more into a temp folder and opens that copy. The browser's clock is set to the
 * ledger's last school day (only `Date`: timers and performance.now stay real), so the receiving list's default
 * range (this month) holds a month of the ledger's deliveries, as a storekeeper on that day would see them.
 *
 * Two ways to the delivery form, each in fresh browser contexts:
 * - Cold start of the window (`loadToDeliveryForm`): page.goto(#/receiving) → 新建验收单 clicked (the list page is up:
 *   `toList`) → the first line's item search is on screen and editable. Every script is fetched, parsed and run, the
 *   session asked for: what a person waits for when the app is started straight onto 验收入库.
 * - Navigation inside the running app (`navToDeliveryForm`, what a person at the PC meets through the day): the app is
 *   opened on the home page as after the morning's start (the storekeeper's home shown, then the window left alone
 *   for --settle ms, 2000 by default: the person reads the home), then the way the UI offers — the side menu's 验收入库
 *   clicked → 新建验收单 clicked → the first line's item search on screen and editable. Then, not timed, a letter typed
 *   there must bring the dropdown up (the form really accepts typing). `navAgain`: back to 首页 through the menu and
 *   the same way once more in the same window (the page's scripts are loaded by then). `openHome` is the cold start to
 *   the home and its settle, with its renderer CPU: work moved off the navigation into idle time shows there.
 * Wall times are taken in this process around Playwright's clicks and waits (its actionability checks included). Keystroke-to-paint is taken in the page: keydown → the first change inside the
 * select's dropdown → the next animation frame. Both include the IPC stand-in (Playwright's exposeBinding, a round
 * trip to this process). Typing: keydown (its event timestamp) → the next animation frame → a message posted from it,
 * which runs after that frame is painted; the lines are chosen by name from the ledger's items, each digit pressed
 * 150 ms apart so one key's work never overlaps the next. `rendererCpuPerLoadMs` (and `rendererCpuPerNavMs`) is the CPU time the renderer processes spent during a
 * load (a navigation), SystemInfo.getProcessInfo before and after: on a machine shared with other work it is the
 * steadier figure.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { openBackend } from '../../electron/core/backend.ts';
import { buildRenderer, CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/harness.ts';
import { monthDays } from './build-ledger.ts';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    dist: { type: 'string', multiple: true },
    runs: { type: 'string', default: '5' },
    'nav-runs': { type: 'string' },
    settle: { type: 'string', default: '2000' },
    trace: { type: 'string' },
    shots: { type: 'string' },
    'no-keys': { type: 'boolean', default: false },
    'typing-runs': { type: 'string', default: '2' },
    lines: { type: 'string', default: '30' },
  },
});
const [source, outArg] = positionals;
if (!source) throw new Error('usage: renderer.ts <copy of a bench ledger> [results.json] [--runs N] [--nav-runs N] [--settle MS] [--dist DIR] [--no-keys] [--trace DIR]');
const runs = Number(opt.runs);
const navRuns = Number(opt['nav-runs'] ?? opt.runs);
const settleMs = Number(opt.settle);
const meta = JSON.parse(fs.readFileSync(`${source}.json`, 'utf8')) as { months: string[] };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-bench-ui-'));
const file = path.join(work, 'l.sqlite');
fs.copyFileSync(source, file);
const lastDay = monthDays(meta.months.at(-1)!).at(-1)!;
const b = openBackend({ file, now: () => new Date(`${lastDay}T03:00:00Z`), lockHolder: 'bench' });
const u = b.db.prepare(`SELECT id, display_name AS n FROM users WHERE username = 'storekeeper'`).get() as { id: string; n: string };
b.ctx.setSession({ userId: u.id, username: 'storekeeper', displayName: u.n, roles: ['storekeeper'] });

const dirs = opt.dist?.length ? opt.dist.map((d) => path.resolve(d)) : [await buildRenderer(path.join(work, 'renderer'))];
/** One static server per build, on a port of its own. */
const servers = new Map<string, http.Server>();
const urls = new Map<string, string>();
for (const dir of dirs) {
  const server = http.createServer((req, res) => {
    const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const f = path.join(dir, p === '/' ? 'index.html' : p);
    if (!f.startsWith(dir + path.sep) || !fs.existsSync(f) || !fs.statSync(f).isFile()) return void res.writeHead(404).end();
    const type = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' }[path.extname(f)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type });
    fs.createReadStream(f).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.set(dir, server);
  urls.set(dir, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
}
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, c) => a - c);
  return { n: s.length, medianMs: Math.round(s[Math.floor((s.length - 1) / 2)] * 10) / 10, p95Ms: Math.round(s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] * 10) / 10 };
};

/** Backend calls made during a load, with their time in the core. */
let calls: string[] | null = null;
/** Scripts the page fetched during a load or a navigation (their file names). */
let scripts: string[] | null = null;

async function openPage(dir: string): Promise<{ context: BrowserContext; page: Page; url: string }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts?.push(path.basename(new URL(r.url()).pathname));
  });
  await page.exposeBinding('__canteenInvoke', async (_s, name: string, input: unknown) => {
    const t = performance.now();
    const r = await b.invoke(name, input);
    calls?.push(`${name} ${(performance.now() - t).toFixed(0)} ms`);
    return r;
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __canteenInvoke: (n: string, i: unknown) => Promise<unknown>; canteen: unknown };
    w.canteen = { invoke: (name: string, input: unknown) => w.__canteenInvoke(name, input) };
  });
  // The school's "today" is the ledger's last school day, 11:00 China time; the clock still runs.
  await page.addInitScript((today: number) => {
    const Real = Date;
    const offset = today - Real.now();
    class ShiftedDate extends Real {
      constructor(...a: unknown[]) {
        super(...((a.length ? a : [Real.now() + offset]) as [number]));
      }
      static now() {
        return Real.now() + offset;
      }
    }
    (window as unknown as { Date: DateConstructor }).Date = ShiftedDate as DateConstructor;
  }, Date.parse(`${lastDay}T03:00:00Z`));
  await page.addInitScript(installProbe);
  return { context, page, url: urls.get(dir)! };
}

interface Probe {
  /** Clicks seen by the page (capture phase): the event's time and the testid (or text) of what was clicked. */
  clicks: { t: number; on: string }[];
  /** When the list's 新建验收单 button and the usable first item search were first painted after the last reset. */
  seen: { list?: number; form?: number };
  reset(): void;
}

/**
 * In the page, before its scripts: the app's own latency, without the bench driver's. A click's time is its event's
 * timeStamp; a target's time is the paint after it appeared in the DOM (the mutation, then the next animation frame,
 * then a message posted from it, which runs once that frame is painted). Times are performance.now(): from the start of
 * the page's navigation.
 */
function installProbe() {
  const probe: Probe = {
    clicks: [],
    seen: {},
    reset() {
      probe.clicks = [];
      probe.seen = {};
    },
  };
  (window as unknown as { __probe: Probe }).__probe = probe;
  document.addEventListener(
    'click',
    (e) => {
      const el = e.target instanceof Element ? e.target : null;
      probe.clicks.push({ t: e.timeStamp, on: el?.closest<HTMLElement>('[data-testid]')?.dataset.testid ?? el?.closest('[role="menuitem"]')?.textContent ?? '' });
    },
    true,
  );
  const targets = {
    list: () => document.querySelector('[data-testid="delivery-new"]') !== null,
    form: () => {
      const i = document.querySelector<HTMLInputElement>('[data-testid="line-0-item"] input');
      return !!i && !i.disabled && !i.readOnly;
    },
  };
  const pending = new Set<string>();
  const check = () => {
    for (const [k, present] of Object.entries(targets) as [keyof Probe['seen'], () => boolean][]) {
      if (probe.seen[k] !== undefined || pending.has(k) || !present()) continue;
      pending.add(k);
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          pending.delete(k);
          probe.seen[k] ??= performance.now();
        };
        ch.port2.postMessage(0);
      });
    }
  };
  const start = () => new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled', 'readonly'] });
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
}

/**
 * The app's own time to the usable form, from the page's probe: to the list (from `from`: the click on 验收入库, or
 * the navigation's start for a cold load) plus from the click on 新建验收单 to the form — the driver's time between the
 * button's paint and its click left out (a person's reaction is not the app's).
 */
async function inPage(page: Page, from: 'navigation' | string): Promise<{ toList: number; toForm: number; driverGap: number }> {
  await page.waitForFunction(() => (window as unknown as { __probe: Probe }).__probe.seen.form !== undefined);
  const p = await page.evaluate(() => {
    const { clicks, seen } = (window as unknown as { __probe: Probe }).__probe;
    return { clicks, seen };
  });
  const t0 = from === 'navigation' ? 0 : p.clicks.find((c) => c.on === from)?.t;
  const tNew = p.clicks.find((c) => c.on === 'delivery-new')?.t;
  if (t0 === undefined || tNew === undefined || p.seen.list === undefined || p.seen.form === undefined) throw new Error(`the page's probe missed a step: ${JSON.stringify(p)}`);
  const toList = p.seen.list - t0;
  return { toList, toForm: toList + (p.seen.form - tNew), driverGap: tNew - p.seen.list };
}

/** The first line's item search is on screen and its search box takes input (not disabled, not read-only). */
async function formUsable(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const i = document.querySelector<HTMLInputElement>('[data-testid="line-0-item"] input');
      return !!i && !i.disabled && !i.readOnly && i.getClientRects().length > 0;
    },
    undefined,
    { polling: 'raf' },
  );
}

/** Cold start: navigation → list page up (新建验收单 clicked) → the delivery form's first item search usable. */
async function load(page: Page, url: string): Promise<{ toList: number; toForm: number }> {
  const t0 = performance.now();
  await page.goto(`${url}#/receiving`);
  await page.getByTestId('delivery-new').click();
  const toList = performance.now() - t0;
  await formUsable(page);
  return { toList, toForm: performance.now() - t0 };
}

/** The app started on the home page (the storekeeper's home shown), then left alone for `settleMs` and an idle moment. */
async function openHome(page: Page, url: string): Promise<number> {
  const t0 = performance.now();
  await page.goto(`${url}#/`);
  await page.getByTestId('home-section-storekeeper').waitFor();
  const shown = performance.now() - t0;
  await page.waitForTimeout(settleMs);
  await page.evaluate(() => new Promise((r) => requestIdleCallback(r, { timeout: 5000 })));
  return shown;
}

const menuItem = (page: Page, name: string) => page.getByTestId('side-menu').getByRole('menuitem', { name, exact: true });

/** Inside the open app: the side menu's 验收入库 → 新建验收单 → the first line's item search usable. */
async function navigateToForm(page: Page): Promise<{ toList: number; toForm: number }> {
  const t0 = performance.now();
  await menuItem(page, '验收入库').click();
  await page.getByTestId('delivery-new').click();
  const toList = performance.now() - t0;
  await formUsable(page);
  return { toList, toForm: performance.now() - t0 };
}

/** Not timed: a letter typed into the first line's item search brings up its dropdown with options. */
async function acceptsTyping(page: Page): Promise<void> {
  await page.getByTestId('line-0-item').click();
  await page.keyboard.press('b');
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Escape');
}

if (opt.shots) {
  fs.mkdirSync(opt.shots, { recursive: true });
  for (const [n, dir] of dirs.entries()) {
    const { context, page, url } = await openPage(dir);
    await page.goto(`${url}#/receiving`);
    await page.getByTestId('delivery-table').locator('tbody tr.ant-table-row').first().waitFor();
    await page.screenshot({ path: path.join(opt.shots, `${n}-list.png`), animations: 'disabled' });
    await page.getByTestId('delivery-new').click();
    await page.getByTestId('line-0-item').waitFor();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: path.join(opt.shots, `${n}-form.png`), animations: 'disabled' });
    await context.close();
  }
}
if (opt.trace) {
  await traceOne(browser, path.resolve(opt.trace), 'load', dirs[0]);
  if (navRuns > 0) await traceOne(browser, path.resolve(opt.trace), 'nav', dirs[0]);
}

const bcdp = await browser.newBrowserCDPSession();
/** CPU seconds so far of every renderer process (SystemInfo.getProcessInfo): a load's delta is the page's own work,
 * steadier than wall time on a shared machine where the page waits for a core. */
async function rendererCpu(): Promise<number> {
  const { processInfo } = (await bcdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; cpuTime: number }[] };
  return processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime, 0);
}

const variants = dirs.map((d) => ({
  dir: d,
  loads: [] as number[],
  lists: [] as number[],
  cpu: [] as number[],
  paints: [] as number[],
  calls: [] as string[],
  scripts: [] as string[],
  navScripts: [] as string[],
  app: [] as number[],
  appList: [] as number[],
  gaps: [] as number[],
  homes: [] as number[],
  homeCpu: [] as number[],
  navs: [] as number[],
  navLists: [] as number[],
  navCpu: [] as number[],
  navCalls: [] as string[],
  navApp: [] as number[],
  navAppList: [] as number[],
  navGaps: [] as number[],
  again: [] as number[],
  againApp: [] as number[],
  againCpu: [] as number[],
}));
// with several builds the loads take turns (A B A B …), so each sees the same background load on the machine
for (let run = 0; run < runs; run++) {
  for (const v of variants) {
    const { context, page } = await openPage(v.dir);
    calls = run === 0 ? v.calls : null;
    scripts = run === 0 ? v.scripts : null;
    const c0 = await rendererCpu();
    const { toList, toForm } = await load(page, urls.get(v.dir)!);
    v.cpu.push((await rendererCpu()) - c0);
    calls = scripts = null;
    v.loads.push(toForm);
    v.lists.push(toList);
    const own = await inPage(page, 'navigation');
    v.app.push(own.toForm);
    v.appList.push(own.toList);
    v.gaps.push(own.driverGap);
    if (!opt['no-keys']) v.paints.push(...(await keystrokes(page)));
    await context.close();
  }
}
// Navigation inside the open app, builds taking turns as above; each run in a fresh context opened on the home.
for (let run = 0; run < navRuns; run++) {
  for (const v of variants) {
    const { context, page, url } = await openPage(v.dir);
    let c0 = await rendererCpu();
    v.homes.push(await openHome(page, url));
    v.homeCpu.push((await rendererCpu()) - c0);
    calls = run === 0 ? v.navCalls : null;
    scripts = run === 0 ? v.navScripts : null;
    await page.evaluate(() => (window as unknown as { __probe: Probe }).__probe.reset());
    c0 = await rendererCpu();
    const { toList, toForm } = await navigateToForm(page);
    v.navCpu.push((await rendererCpu()) - c0);
    calls = scripts = null;
    v.navs.push(toForm);
    v.navLists.push(toList);
    const own = await inPage(page, 'side-menu');
    v.navApp.push(own.toForm);
    v.navAppList.push(own.toList);
    v.navGaps.push(own.driverGap);
    await acceptsTyping(page);
    // once more in the same window: back home through the menu, settled, and the same way again
    await menuItem(page, '首页').click();
    await page.getByTestId('home-section-storekeeper').waitFor();
    await page.waitForTimeout(settleMs);
    await page.evaluate(() => (window as unknown as { __probe: Probe }).__probe.reset());
    c0 = await rendererCpu();
    v.again.push((await navigateToForm(page)).toForm);
    v.againCpu.push((await rendererCpu()) - c0);
    v.againApp.push((await inPage(page, 'side-menu')).toForm);
    await acceptsTyping(page);
    await context.close();
  }
}
// The door form typed: a delivery of `lines` lines per run, in a fresh context each.
const typingRuns = Number(opt['typing-runs']);
const nLines = Number(opt.lines);
const typing = new Map<string, { line: number; ms: number }[]>();
if (typingRuns > 0) {
  // Items whose name no other item's name starts with, so the typed name's first option is that item.
  const names = (b.db.prepare(`SELECT name FROM ingredients WHERE disabled = 0 ORDER BY rowid`).all() as { name: string }[]).map((r) => r.name);
  const unique = names.filter((n) => !names.some((m) => m !== n && m.startsWith(n)));
  const picked = Array.from({ length: nLines }, (_, i) => unique[(i * 37) % unique.length]);
  for (let run = 0; run < typingRuns; run++) {
    for (const v of variants) {
      const { context, page, url } = await openPage(v.dir);
      typing.set(v.dir, [...(typing.get(v.dir) ?? []), ...(await typeDelivery(page, url, picked))]);
      await context.close();
    }
  }
}
await browser.close();
for (const s of servers.values()) s.close();
b.close();
const typingStat = (dir: string) => {
  const xs = typing.get(dir);
  if (!xs?.length) return undefined;
  const at = (line: number) => stat(xs.filter((x) => x.line === line).map((x) => x.ms));
  const first = at(1);
  const last = at(nLines);
  return {
    lines: nLines,
    runs: typingRuns,
    line1: first,
    [`line${nLines}`]: last,
    lastOverFirst: Math.round((last.medianMs / first.medianMs) * 100) / 100,
    medianByLine: Object.fromEntries([1, 5, 10, 15, 20, 25, 30].filter((l) => l <= nLines).map((l) => [l, at(l).medianMs])),
  };
};
const results = variants.map((v) => ({
  renderer: opt.dist ? `prebuilt ${v.dir}` : 'this tree',
  assets: assetSummary(v.dir),
  loadCallsFirstRun: v.calls,
  loadScriptsFirstRun: fetched(v.dir, v.scripts),
  loadToList: stat(v.lists),
  loadToDeliveryForm: stat(v.loads),
  rendererCpuPerLoadMs: stat(v.cpu.map((s) => s * 1000)),
  loadToDeliveryFormInPage: { ...stat(v.app), toList: stat(v.appList), driverGap: stat(v.gaps) },
  ...(v.navs.length
    ? {
        settleMs,
        openHome: stat(v.homes),
        rendererCpuOpenHomeMs: stat(v.homeCpu.map((s) => s * 1000)),
        navCallsFirstRun: v.navCalls,
        navScriptsFirstRun: fetched(v.dir, v.navScripts),
        navToList: stat(v.navLists),
        navToDeliveryForm: stat(v.navs),
        rendererCpuPerNavMs: stat(v.navCpu.map((s) => s * 1000)),
        navToDeliveryFormInPage: { ...stat(v.navApp), toList: stat(v.navAppList), driverGap: stat(v.navGaps) },
        navAgain: stat(v.again),
        navAgainInPage: stat(v.againApp),
        rendererCpuPerNavAgainMs: stat(v.againCpu.map((s) => s * 1000)),
      }
    : {}),
  ...(v.paints.length ? { keystrokeToPaint: { ...stat(v.paints), keystrokes: v.paints.length } } : {}),
  ...(typing.has(v.dir) ? { deliveryTyping: typingStat(v.dir) } : {}),
}));
// After the summary: this tree's build lives in the work folder.
fs.rmSync(work, { recursive: true, force: true });
for (const r of results) console.log(JSON.stringify(r));
if (outArg) {
  const j = JSON.parse(fs.readFileSync(outArg, 'utf8'));
  // table.ts reads `renderer`: the last build given (this tree's when none is); a comparison keeps every build too
  j.results.renderer = results.at(-1);
  if (results.length > 1) j.results.rendererCompared = results;
  fs.writeFileSync(outArg, JSON.stringify(j, null, 2));
}

/** Scripts fetched: how many, their bytes, and each by name (largest first). */
function fetched(dir: string, names: string[]) {
  const sized = [...new Set(names)].map((f) => ({ f, size: fs.existsSync(path.join(dir, 'assets', f)) ? fs.statSync(path.join(dir, 'assets', f)).size : 0 }));
  sized.sort((a, c) => c.size - a.size);
  return { scripts: sized.length, bytes: sized.reduce((s, x) => s + x.size, 0), names: sized.map((x) => `${x.f} ${x.size}`) };
}

/** The build's scripts: how many, their bytes, and the largest five. */
function assetSummary(dir: string) {
  const js = fs.readdirSync(path.join(dir, 'assets')).filter((f) => f.endsWith('.js')).map((f) => ({ f, size: fs.statSync(path.join(dir, 'assets', f)).size }));
  js.sort((a, c) => c.size - a.size);
  return { scripts: js.length, bytes: js.reduce((s, x) => s + x.size, 0), largest: js.slice(0, 5).map((x) => `${x.f} ${x.size}`) };
}

/** Keystroke-to-paint in the first line's ingredient search: 4 words of 3 pinyin initials typed and erased. */
async function keystrokes(page: Page): Promise<number[]> {
  await page.getByTestId('line-0-item').click();
  await page.evaluate(() => {
    const w = window as unknown as { __kp: number[]; __t0: number | null };
    w.__kp = [];
    w.__t0 = null;
    document.addEventListener('keydown', () => (w.__t0 = performance.now()), true);
    new MutationObserver((ms) => {
      if (w.__t0 === null) return;
      if (!ms.some((m) => (m.target as Element).closest?.('.ant-select-dropdown') ?? m.target.parentElement?.closest('.ant-select-dropdown'))) return;
      const t = w.__t0;
      w.__t0 = null;
      requestAnimationFrame(() => w.__kp.push(performance.now() - t));
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  for (const word of ['bcz', 'nrg', 'jdf', 'xgt']) {
    for (const ch of word) {
      await page.keyboard.press(ch);
      await page.waitForTimeout(400);
    }
    for (let i = 0; i < word.length; i++) {
      await page.keyboard.press('Backspace');
      await page.waitForTimeout(400);
    }
  }
  return page.evaluate(() => (window as unknown as { __kp: number[] }).__kp);
}

/**
 * Types a delivery of `items.length` lines into a new door form: the supplier and note number first (not timed), then
 * per line the item by name (Enter), and the quantity and price digit by digit, each digit timed from keydown to the
 * paint after it. Returns every timed key with its line (1-based).
 */
async function typeDelivery(page: Page, url: string, items: string[]): Promise<{ line: number; ms: number }[]> {
  await page.goto(`${url}#/receiving/new`);
  await page.getByTestId('line-0-item').waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { __typed: { line: number; ms: number }[] };
    w.__typed = [];
    document.addEventListener(
      'keydown',
      (e) => {
        if (!/^[0-9.]$/.test(e.key)) return;
        const field = (e.target as HTMLElement).closest<HTMLElement>('[data-field]')?.dataset.field;
        const row = (e.target as HTMLElement).closest<HTMLElement>('[data-row-index]');
        if (!row || (field !== 'received' && field !== 'price')) return;
        const line = Number(row.dataset.rowIndex) + 1;
        const t0 = e.timeStamp;
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => w.__typed.push({ line, ms: performance.now() - t0 });
          ch.port2.postMessage(0);
        });
      },
      true,
    );
  });
  // the first supplier offered; choosing it moves the cursor to the note number
  await page.getByTestId('delivery-supplier').click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active').first().waitFor();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.closest('[data-testid]')?.getAttribute('data-testid') === 'delivery-note-number');
  await page.keyboard.type('BENCH-1');
  const focusedField = () => page.evaluate(() => document.activeElement?.closest<HTMLElement>('[data-field]')?.dataset.field ?? '');
  const keys = async (text: string) => {
    for (const ch of text) {
      await page.keyboard.press(ch);
      await page.waitForTimeout(150);
    }
  };
  for (const [i, name] of items.entries()) {
    await page.getByTestId(`line-${i}-item`).click();
    await page.keyboard.type(name);
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: new RegExp(`^${name}`) }).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.closest<HTMLElement>('[data-field]')?.dataset.field === 'received');
    await keys(String(10 + (i % 40)) + '.5');
    await page.keyboard.press('Enter');
    if ((await focusedField()) !== 'price') throw new Error(`line ${i + 1}: Enter after the quantity left the cursor in ${await focusedField()}`);
    await keys(`${3 + (i % 7)}.2${i % 10}`);
    await page.keyboard.press('Enter');
    await page.getByTestId(`line-${i + 1}-item`).waitFor();
  }
  return page.evaluate(() => (window as unknown as { __typed: { line: number; ms: number }[] }).__typed);
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string } };
}
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * One cold load ('load') or one navigation inside the open app ('nav', the home opened and settled first, outside the
 * trace) under a performance trace and a CPU profile; prints where the renderer's main thread spent the time.
 */
async function traceOne(br: Browser, out: string, what: 'load' | 'nav', dir: string) {
  fs.mkdirSync(out, { recursive: true });
  const { context, page, url } = await openPage(dir);
  if (what === 'nav') await openHome(page, url);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  const traceFile = path.join(out, `${what}-trace.json`);
  await br.startTracing(page, {
    path: traceFile,
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'blink.user_timing', 'loading', 'toplevel'],
  });
  await cdp.send('Profiler.start');
  const t = what === 'load' ? await load(page, url) : await navigateToForm(page);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await br.stopTracing();
  await context.close();
  fs.writeFileSync(path.join(out, `${what}.cpuprofile`), JSON.stringify(profile));

  const events = (JSON.parse(fs.readFileSync(traceFile, 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const busy = (pid: number, tid: number) => events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X').reduce((s, e) => s + (e.dur ?? 0), 0);
  const main = mains.sort((a, c) => busy(c.pid, c.tid) - busy(a.pid, a.tid))[0];
  const xs = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, c) => a.ts - c.ts || (c.dur ?? 0) - (a.dur ?? 0));
  // self time per event name: an event's duration less its children's (events nest on one thread)
  const self = new Map<string, number>();
  const stack: { end: number; name: string }[] = [];
  for (const e of xs) {
    while (stack.length && stack.at(-1)!.end <= e.ts) stack.pop();
    const parent = stack.at(-1);
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - e.dur!);
    self.set(e.name, (self.get(e.name) ?? 0) + e.dur!);
    stack.push({ end: e.ts + e.dur!, name: e.name });
  }
  // thread CPU time (tdur) of the top-level tasks: what the main thread itself burned, however long it waited for a core
  let cpu = 0;
  let until = -1;
  for (const e of xs) {
    if (e.ts >= until) {
      cpu += e.tdur ?? 0;
      until = e.ts + e.dur!;
    }
  }
  const span = xs.length ? (Math.max(...xs.map((e) => e.ts + e.dur!)) - xs[0].ts) / 1000 : 0;
  const top = [...self].sort((a, c) => c[1] - a[1]).slice(0, 18).map(([n, us]) => `${n} ${(us / 1000).toFixed(0)} ms`);
  // JS self time by script (CPU profile)
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byScript = new Map<string, number>();
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const us = byNode.get(n.id) ?? 0;
    const script = n.callFrame.url ? path.basename(n.callFrame.url) : `(${n.callFrame.functionName || 'native'})`;
    byScript.set(script, (byScript.get(script) ?? 0) + us);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${script}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const ms = (m: Map<string, number>, k: number) => [...m].sort((a, c) => c[1] - a[1]).slice(0, k).map(([n, us]) => `${n} ${(us / 1000).toFixed(0)} ms`);
  console.log(JSON.stringify({ traced: what, ms: { toList: Math.round(t.toList), toForm: Math.round(t.toForm) }, mainThreadSpanMs: Math.round(span), mainThreadCpuMs: Math.round(cpu / 1000), mainThreadSelf: top, jsSelfByScript: ms(byScript, 10), jsSelfByFunction: ms(byFn, 25) }, null, 1));
}
