/**
 * npm run smoke:electron — drives the real app (Electron, the built bundles, the real ledger) with playwright-core's
 * `_electron`, each run in fresh temporary data folders:
 *   1. first run: the setup form creates the school and the administrator; the renderer is checked to be isolated
 *      (no require/process, only window.canteen.invoke, eval refused by the CSP); the About page shows the folder;
 *   2. a second start on the same folder: the login form;
 *   3. on a demo ledger (seeded through the core, as `canteen demo` does): the storekeeper logs in and records and
 *      posts a delivery through the app's IPC; then a month export, once the app has one.
 * Screenshots go to test-results/smoke-electron/.
 *
 * Where no Electron binary is installed (these build machines cannot download it) it says so, and why, and exits 0
 * without running anything: that is a skip, not a pass.
 *
 * Usage: node scripts/smoke-electron.ts [--no-build] [--core-only]
 *   --core-only  runs step 3's calls against the core directly, without Electron (checks the script's own inputs
 *                against the current API; it is not a smoke test of the app and says so)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBackend } from '../electron/core/backend.ts';
import { closeLastMonth } from '../electron/core/demo/close.ts';
import { DEMO_STEPS, seedDemo, type DemoAccount } from '../electron/core/demo/index.ts';
import { chinaDate, previousMonth } from '../shared/calendar.ts';
import type { ExportResult } from '../shared/api/monthclose.ts';
import { api } from '../shared/api/index.ts';
import type { ApiResult } from '../shared/errors.ts';
import { findElectron } from './electron-binary.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shots = path.join(root, 'test-results', 'smoke-electron');
const argv = process.argv.slice(2);

type Invoke = (name: string, input: unknown) => Promise<ApiResult<unknown>>;

function step(msg: string): void {
  console.log(`• ${msg}`);
}

function check(cond: unknown, msg: string): void {
  if (!cond) throw new Error(`smoke check failed: ${msg}`);
}

async function value<T>(invoke: Invoke, name: string, input: unknown): Promise<T> {
  const r = await invoke(name, input);
  if (!r.ok) throw new Error(`${name} was refused: ${r.error.code} ${r.error.message}`);
  return r.value as T;
}

/** The demo school as `canteen demo` makes it (last month closed and published); returns the demo accounts. */
async function seedDemoLedger(dir: string) {
  const b = openBackend({ file: path.join(dir, 'ledger.sqlite'), lockHolder: 'smoke' });
  try {
    return await seedDemo(b, { steps: [...DEMO_STEPS, closeLastMonth({ approve: true })] });
  } finally {
    b.close();
  }
}

interface Person {
  id: string;
  name: string;
  roles: string[];
}
interface SupplierRow {
  id: string;
  name: string;
  disabled: boolean;
}
interface IngredientRow {
  id: string;
  name: string;
  category: string;
  refPriceFen: number | null;
  effectiveCerts: string[];
  banned: boolean;
  disabled: boolean;
}

/**
 * Records and posts one delivery: today, two storekeepers as inspectors, one line of an unbanned ingredient at its
 * reference price with every certificate it needs. Tries supplier/ingredient pairs until the rules allow posting.
 */
async function recordDelivery(invoke: Invoke, today: string): Promise<{ number: string; totalFen: number }> {
  if (!('receiving.saveDraft' in api)) {
    step('delivery: the app has no receiving yet — step skipped');
    return { number: '', totalFen: 0 };
  }
  const people = await value<Person[]>(invoke, 'receiving.people', {});
  const inspectors = people.filter((p) => p.roles.includes('storekeeper')).slice(0, 2);
  check(inspectors.length === 2, 'the demo school has two storekeepers to inspect a delivery');
  const suppliers = (await value<SupplierRow[]>(invoke, 'suppliers.search', { q: '' })).filter((s) => !s.disabled);
  const ingredients = (await value<IngredientRow[]>(invoke, 'ingredients.search', { q: '' })).filter((i) => !i.banned && !i.disabled && i.refPriceFen);
  check(suppliers.length > 0 && ingredients.length > 0, 'the demo has suppliers and ingredients');
  const findings: string[] = [];
  for (const s of suppliers.slice(0, 6)) {
    for (const ing of ingredients.slice(0, 8)) {
      const draft = {
        date: today,
        supplierId: s.id,
        noteNumber: 'SMOKE-001',
        inspectorIds: inspectors.map((p) => p.id),
        lines: [
          {
            ingredientId: ing.id,
            receivedMilli: 10_000,
            acceptedMilli: 10_000,
            unitPriceFen: ing.refPriceFen,
            storageClass: 'ambient',
            productionDate: today,
            shelfLifeDays: 180,
            certs: Object.fromEntries(ing.effectiveCerts.map((c) => [c, `SMOKE-${c}`])),
          },
        ],
        warningNote: '冒烟测试',
      };
      const checked = await value<{ canPost: boolean; findings: { level: string; code: string; message: string }[] }>(invoke, 'receiving.check', { draft });
      if (!checked.canPost) {
        findings.push(`${s.name}/${ing.name}: ${checked.findings.map((f) => f.message).join('；')}`);
        continue;
      }
      const saved = await value<{ id: string }>(invoke, 'receiving.saveDraft', { id: null, draft });
      const posted = await value<{ number: string; status: string; totalFen: number }>(invoke, 'receiving.post', { id: saved.id });
      check(posted.status === 'posted' && posted.number, 'the delivery is posted with a number');
      // 10 units at the reference price.
      check(posted.totalFen === (ing.refPriceFen ?? 0) * 10, `the delivery total is 10 × ${ing.refPriceFen} fen`);
      return posted;
    }
  }
  throw new Error(`no supplier/ingredient pair of the demo could be posted:\n${findings.slice(0, 5).join('\n')}`);
}

/** The month export, once the app has one (issue: 月结与公示). */
/** The parent representative exports the demo's published month (last month) into `dir`: workbook and PDF. */
async function monthExport(invoke: Invoke, accounts: DemoAccount[], dir: string): Promise<void> {
  const parent = accounts.find((a) => a.roles.includes('parent'))!;
  await value(invoke, 'auth.login', { username: parent.username, password: parent.password });
  const month = previousMonth(chinaToday().slice(0, 7));
  const r = await value<ExportResult>(invoke, 'monthclose.export', { month, dir, pdf: true });
  check(fs.existsSync(r.xlsxPath) && fs.statSync(r.xlsxPath).size > 0, `the workbook ${r.xlsxPath} was written`);
  step(`month ${month} exported by ${parent.displayName}: ${path.basename(r.xlsxPath)}, 校验码 ${r.checksumHex.slice(0, 16)}${r.pdfPath ? ', PDF beside it' : `, no PDF (${r.pdfError})`}`);
}

function chinaToday(): string {
  return chinaDate(new Date());
}

async function coreOnly(): Promise<void> {
  console.log('core-only: running the smoke\'s API steps against the core without Electron. This is NOT an Electron smoke test.');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-smoke-core-'));
  try {
    const { accounts } = await seedDemoLedger(dir);
    const b = openBackend({ file: path.join(dir, 'ledger.sqlite') });
    try {
      const sk = accounts.find((a) => a.roles.includes('storekeeper'))!;
      await value(b.invoke, 'auth.login', { username: sk.username, password: sk.password });
      const d = await recordDelivery(b.invoke, chinaToday());
      step(`delivery ${d.number} posted, ${d.totalFen} fen`);
      await monthExport(b.invoke, accounts, path.join(dir, 'exports'));
    } finally {
      b.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('core-only: done.');
}

async function electronSmoke(exe: string): Promise<void> {
  const { _electron } = await import('playwright-core');
  if (!argv.includes('--no-build')) {
    step('building (npm run build)');
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  }
  fs.mkdirSync(shots, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-smoke-'));
  const env = { ...process.env, CANTEEN_DB: '', CANTEEN_DATA_DIR: '', ELECTRON_ENABLE_LOGGING: '1' } as Record<string, string>;
  const launch = (dataDir: string) => _electron.launch({ executablePath: exe, args: [root, '--data-dir', dataDir], cwd: root, env, timeout: 60_000 });
  try {
    // 1. First run.
    const dirA = path.join(tmp, 'first-run');
    let app = await launch(dirA);
    let page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    check(page.url().startsWith('app://canteen/'), `the window shows app://canteen/, not ${page.url()}`);
    const isolation = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown> & { canteen?: Record<string, unknown> };
      let evalResult = 'allowed';
      try {
        (0, eval)('1 + 1');
      } catch {
        evalResult = 'refused';
      }
      return { require: typeof w.require, process: typeof w.process, canteen: Object.keys(w.canteen ?? {}), evalResult };
    });
    check(isolation.require === 'undefined' && isolation.process === 'undefined', `no Node in the renderer (${JSON.stringify(isolation)})`);
    check(JSON.stringify(isolation.canteen) === '["invoke"]', 'window.canteen exposes only invoke');
    check(isolation.evalResult === 'refused', 'the CSP refuses eval');
    step('renderer isolated: no require/process, only canteen.invoke, eval refused');
    await page.getByLabel('学校名称').fill('冒烟测试小学');
    await page.getByLabel('管理员用户名').fill('admin');
    await page.getByLabel('管理员姓名').fill('王校长');
    await page.getByLabel('密码', { exact: true }).fill('smoke-pass-1');
    await page.getByLabel('再次输入密码').fill('smoke-pass-1');
    await page.locator('button[type=submit]').click();
    await page.getByTestId('school-name').waitFor({ timeout: 30_000 });
    check((await page.getByTestId('school-name').textContent())?.includes('冒烟测试小学'), 'the main window names the school');
    await page.screenshot({ path: path.join(shots, '1-first-run.png') });
    step('first run: school and administrator created, main window shown');
    await page.evaluate(() => (location.hash = '#/about'));
    await page.getByTestId('about').waitFor();
    check((await page.getByTestId('about').textContent())?.includes(dirA), 'the About page shows the data folder');
    await page.screenshot({ path: path.join(shots, '1-about.png') });
    check(fs.existsSync(path.join(dirA, 'ledger.sqlite')) && fs.existsSync(path.join(dirA, 'backups')) && fs.existsSync(path.join(dirA, 'logs')), 'ledger, backups/ and logs/ are in the data folder');
    await app.close();

    // 2. Second start: log in.
    app = await launch(dirA);
    page = await app.firstWindow();
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('smoke-pass-1');
    await page.locator('button[type=submit]').click();
    await page.getByTestId('school-name').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, '2-login.png') });
    step('second start: logged in');
    await app.close();

    // 3. Demo ledger: the storekeeper records a delivery; the month export.
    const dirB = path.join(tmp, 'demo');
    fs.mkdirSync(dirB, { recursive: true });
    const { accounts } = await seedDemoLedger(dirB);
    const sk = accounts.find((a) => a.roles.includes('storekeeper'))!;
    app = await launch(dirB);
    page = await app.firstWindow();
    await page.getByLabel('用户名').fill(sk.username);
    await page.getByLabel('密码').fill(sk.password);
    await page.locator('button[type=submit]').click();
    await page.getByTestId('school-name').waitFor({ timeout: 30_000 });
    step(`demo ledger: logged in as ${sk.displayName}`);
    // Through the preload and the IPC handler, as the renderer calls the backend.
    const invoke: Invoke = (name, input) =>
      page.evaluate(([n, i]) => (window as unknown as { canteen: { invoke: Invoke } }).canteen.invoke(n as string, i), [name, input] as const);
    const d = await recordDelivery(invoke, chinaToday());
    if (d.number) {
      await page.evaluate(() => (location.hash = '#/receiving'));
      await page.getByText(d.number).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(shots, '3-delivery.png') });
      step(`delivery ${d.number} posted and listed`);
    }
    await monthExport(invoke, accounts, path.join(dirB, 'exports'));
    await page.evaluate(() => (location.hash = '#/closing'));
    await page.getByTestId('close-status').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(shots, '4-closing.png') });
    await app.close();
    console.log('smoke:electron passed');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (argv.includes('--core-only')) {
  await coreOnly();
} else {
  const found = findElectron();
  if ('missing' in found) {
    console.log(`smoke:electron SKIPPED — no Electron binary: ${found.missing}.`);
    console.log('已跳过：本机没有 Electron 程序文件，无法启动应用。这不是“通过”；请在能下载 Electron 的电脑上运行 npm install 后再运行 npm run smoke:electron。');
    process.exit(0);
  }
  await electronSmoke(found.exe);
}
