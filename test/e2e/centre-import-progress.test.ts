import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { openCentreBackend, type CentreBackend } from '../../electron/core/centre/backend.ts';
import { rows } from '../../electron/core/centre/db.ts';
import { watchProgress } from '../../electron/core/ledger/progress.ts';
import { packageFileName } from '../../electron/core/package/schema.ts';
import { fingerprintOf } from '../../electron/core/package/signing-key.ts';
import { seededRandom } from '../../electron/core/ledger/seeded-random.ts';
import { benchSchools, makePackageData, monthOf, sealPackage } from '../../scripts/bench/centre-packages.ts';
import { openApp, type App } from './harness.ts';

/**
 * Progress of the centre's folder import in the window (issue 19), in Chromium against the real centre backend on a
 * real DuckDB file: the centre admin imports a folder of six signed packages (two schools of the benchmark's generator,
 * three months each) through 导入上报包, and the progress line, recorded at every change (a MutationObserver in the
 * page), names the packages in order — which of six, the school, the month — never going back; then the summary. 取消
 * during a second folder stops it between packages: the packages already in stay, the message says how many.
 *
 * Each package is held 600 ms (a town's year on a slow PC takes minutes; here six packages take a fraction of a
 * second): a progress watcher waits when the package is named, as import-progress.test.ts holds its check step. The
 * event loop answers the window's poll between the holds (the import awaits between packages).
 */
let dir: string;
let centre: CentreBackend;
let app: App;
const schools = benchSchools(2);
let six: string;
let more: string;

const HOLD_MS = 600;

function folderOf(name: string, made: { s: (typeof schools)[number]; m: string }[]): string {
  const d = path.join(dir, name);
  fs.mkdirSync(d);
  const rnd = seededRandom(5);
  for (const { s, m } of made) fs.writeFileSync(path.join(d, packageFileName(s.code, m, 1)), JSON.stringify(sealPackage(s, makePackageData(s, m, rnd, 30), true).file));
  return d;
}

const packageCount = async () => Number((await rows(centre.centre.conn, 'SELECT count(*) AS n FROM packages'))[0].n);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-progress-e2e-'));
  six = folderOf('六个上报包', schools.flatMap((s) => [0, 1, 2].map((i) => ({ s, m: monthOf(i) }))));
  more = folderOf('又一批', [3, 4, 5, 6, 7, 8].map((i) => ({ s: schools[0], m: monthOf(i) })));
  centre = await openCentreBackend({ file: path.join(dir, 'centre', 'centre.duckdb'), create: true, now: () => new Date(Date.UTC(2026, 9, 20, 2, 0, 0)) });
  const ok = async (name: string, input: unknown) => {
    const r = await centre.invoke(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  };
  await ok('centre.setup', { centreName: '城关镇教育管理中心', adminUsername: 'zhongxin', adminName: '王主任', password: 'Centre-2026' });
  for (const s of schools) await ok('schools.enrol', { code: s.code, name: s.name, fingerprint: fingerprintOf(s.pub) });
  await ok('auth.logout', {});
  app = await openApp({ backend: centre, name: 'centre-import-progress' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  centre?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts recording every text the element with this test id shows; the returned function stops and gives them. */
async function recordTexts(testId: string): Promise<() => Promise<string[]>> {
  await app.page.evaluate((sel) => {
    const w = window as unknown as { __seen: string[]; __obs: MutationObserver };
    w.__seen = [];
    const look = () => {
      const text = document.querySelector(sel)?.textContent ?? null;
      if (text && w.__seen.at(-1) !== text) w.__seen.push(text);
    };
    w.__obs = new MutationObserver(look);
    w.__obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    look();
  }, `[data-testid="${testId}"]`);
  return () =>
    app.page.evaluate(() => {
      const w = window as unknown as { __seen: string[]; __obs: MutationObserver };
      w.__obs.disconnect();
      return [...w.__seen];
    });
}

/** Holds each package where it is named (`k/n …` with k − 1 done) while `on()`, as a slow disk would. */
function holdEachPackage(on: () => boolean): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const unwatch = watchProgress(centre.ctx, (p) => {
    if (on() && p.op === 'import' && p.state === 'running' && p.step.startsWith(`${p.done + 1}/`)) Atomics.wait(pause, 0, 0, HOLD_MS);
  });
  onTestFinished(unwatch);
}

describe('the centre window shows the folder import advancing', { timeout: 120_000 }, () => {
  test('导入上报包 names each package in turn — which of six, the school, the month — then the summary', async () => {
    const page = app.page;
    await page.getByTestId('centre-login-username').fill('zhongxin');
    await page.getByTestId('centre-login-password').fill('Centre-2026');
    await page.getByTestId('centre-login-submit').click();
    await page.getByRole('menuitem', { name: '导入上报包' }).click();
    await page.getByTestId('import-dir').fill(six);
    let hold = true;
    holdEachPackage(() => hold);
    const stop = await recordTexts('centre-import-progress-step');
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('centre-import-progress-step').innerText(), { timeout: 30_000 }).toMatch(/^导入上报包：[3-6]\/6 /);
    await app.screenshot('importing');
    await expect.poll(() => page.getByTestId('import-summary').innerText(), { timeout: 60_000 }).toBe('共 6 个上报包：已导入 6 个，无需导入 0 个，已拒收 0 个');
    hold = false;
    const texts = await stop();
    // The packages in name order (school code, then month): each named with k − 1 of six done, then k done just
    // before the next is named (the percentages as the line shows them, rounded down).
    const expected: Record<number, [string, number, number]> = {
      1: ['第1小学 2017-01', 0, 16],
      2: ['第1小学 2017-02', 16, 33],
      3: ['第1小学 2017-03', 33, 50],
      4: ['第2小学 2017-01', 50, 66],
      5: ['第2小学 2017-02', 66, 83],
      6: ['第2小学 2017-03', 83, 100],
    };
    for (const x of texts) expect(x).toMatch(/^(正在开始……|导入上报包：准备中（0%）|导入上报包：共 6 个上报包（0%）|导入上报包：\d\/6 .*)$/);
    const at = texts
      .filter((x) => /^导入上报包：\d\/6 /.test(x))
      .map((x) => {
        const m = /^导入上报包：(\d)\/6 (第\d小学 2017-0\d)（(\d+)%(，约剩 \d+ 秒)?）$/.exec(x);
        expect(m, x).not.toBeNull();
        return { k: Number(m![1]), what: m![2], pct: Number(m![3]) };
      });
    for (const a of at) {
      expect(a.what).toBe(expected[a.k][0]);
      expect([expected[a.k][1], expected[a.k][2]]).toContain(a.pct);
    }
    // Never going back, and at least three of the six packages seen on the way.
    for (let i = 1; i < at.length; i++) expect(at[i].k * 1000 + at[i].pct).toBeGreaterThanOrEqual(at[i - 1].k * 1000 + at[i - 1].pct);
    expect(new Set(at.map((a) => a.k)).size).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId('centre-import-progress').count()).toBe(0);
    expect(await packageCount()).toBe(6);
  });

  test('取消 stops before the next package: those already in stay, the rest are not imported, said in Chinese', async () => {
    const page = app.page;
    await page.getByTestId('import-dir').fill(more);
    let hold = true;
    holdEachPackage(() => hold);
    await page.getByTestId('import-run').click();
    await page.getByTestId('centre-import-progress-cancel').click({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('import-error').innerText(), { timeout: 30_000 }).toMatch(/^导入上报包已取消/);
    hold = false;
    const said = await page.getByTestId('import-error').innerText();
    // Said as a warning (the person's own choice), not as an error.
    expect(await page.getByTestId('import-error').getAttribute('class')).toContain('ant-alert-warning');
    const m = /^导入上报包已取消：已导入 (\d) 个上报包，其余 (\d) 个未导入；已导入的上报包保留，再次导入该文件夹会接着导入其余的$/.exec(said);
    expect(m, said).not.toBeNull();
    const imported = Number(m![1]);
    expect(imported + Number(m![2])).toBe(6);
    expect(imported).toBeGreaterThanOrEqual(1);
    expect(imported).toBeLessThan(6);
    expect(await packageCount()).toBe(6 + imported);
    await expect.poll(() => page.getByTestId('centre-import-progress').count()).toBe(0);
    await app.screenshot('cancelled');
    // The same folder again takes in the rest.
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-summary').innerText(), { timeout: 60_000 }).toBe(`共 6 个上报包：已导入 ${6 - imported} 个，无需导入 ${imported} 个，已拒收 0 个`);
    expect(await packageCount()).toBe(12);
  });
});
