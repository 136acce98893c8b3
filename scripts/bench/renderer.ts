/**
 * The renderer in Chromium against the real core on a copy of a bench ledger (issue 8): time from navigation to a
 * usable delivery form, and keystroke-to-paint in the form's ingredient search (the ledger's 5,000 items).
 *   npx node scripts/bench/renderer.ts bench-results/ledger-quick.sqlite [out.json]
 * Keystroke-to-paint is taken in the page: keydown → the first change inside the select's dropdown → the next
 * animation frame. It includes the IPC stand-in (Playwright's exposeBinding, a round trip to this process).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { openBackend } from '../../electron/core/backend.ts';
import { buildRenderer, CHROMIUM_ARGS } from '../../test/e2e/harness.ts';
import { monthDays } from './build-ledger.ts';

const [, , source, outArg] = process.argv;
const meta = JSON.parse(fs.readFileSync(`${source}.json`, 'utf8')) as { months: string[] };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-bench-ui-'));
const file = path.join(work, 'l.sqlite');
fs.copyFileSync(source, file);
const lastDay = monthDays(meta.months.at(-1)!).at(-1)!;
const b = openBackend({ file, now: () => new Date(`${lastDay}T03:00:00Z`), lockHolder: 'bench' });
const u = b.db.prepare(`SELECT id, display_name AS n FROM users WHERE username = 'storekeeper'`).get() as { id: string; n: string };
b.ctx.setSession({ userId: u.id, username: 'storekeeper', displayName: u.n, roles: ['storekeeper'] });

const dir = await buildRenderer(path.join(work, 'renderer'));
const server = http.createServer((req, res) => {
  const p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const f = path.join(dir, p === '/' ? 'index.html' : p);
  if (!f.startsWith(dir + path.sep) || !fs.existsSync(f) || !fs.statSync(f).isFile()) return void res.writeHead(404).end();
  const type = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css' }[path.extname(f)] ?? 'application/octet-stream';
  res.writeHead(200, { 'content-type': type });
  fs.createReadStream(f).pipe(res);
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

const stat = (xs: number[]) => {
  const s = [...xs].sort((a, c) => a - c);
  return { n: s.length, medianMs: Math.round(s[Math.floor((s.length - 1) / 2)] * 10) / 10, p95Ms: Math.round(s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] * 10) / 10 };
};

const loads: number[] = [];
/** The backend calls made while the first load ran, with their time in the core. */
const loadCalls: string[] = [];
let loading = false;
const paints: number[] = [];
for (let run = 0; run < 5; run++) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.exposeBinding('__canteenInvoke', async (_s, name: string, input: unknown) => {
    const t = performance.now();
    const r = await b.invoke(name, input);
    if (loading) loadCalls.push(`${name} ${(performance.now() - t).toFixed(0)} ms`);
    return r;
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __canteenInvoke: (n: string, i: unknown) => Promise<unknown>; canteen: unknown };
    w.canteen = { invoke: (name: string, input: unknown) => w.__canteenInvoke(name, input) };
  });
  loading = run === 0;
  const t0 = performance.now();
  await page.goto(`${url}#/receiving`);
  await page.getByTestId('delivery-new').click();
  await page.getByTestId('line-0-item').waitFor();
  loads.push(performance.now() - t0);
  loading = false;

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
  paints.push(...(await page.evaluate(() => (window as unknown as { __kp: number[] }).__kp)));
  await context.close();
}
await browser.close();
server.close();
b.close();
fs.rmSync(work, { recursive: true, force: true });
const res = { loadCallsFirstRun: loadCalls, loadToDeliveryForm: stat(loads), keystrokeToPaint: { ...stat(paints), keystrokes: 5 * 4 * 6 } };
console.log(JSON.stringify(res));
if (outArg) {
  const j = JSON.parse(fs.readFileSync(outArg, 'utf8'));
  j.results.renderer = res;
  fs.writeFileSync(outArg, JSON.stringify(j, null, 2));
}
