import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCentreBackend, type CentreBackend } from '../../electron/core/centre/backend.ts';
import type { PackageData, PackageFile } from '../../electron/core/package/schema.ts';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/soffice.ts';
import { parseCsv } from '../helpers/csv.ts';
import { septemberSchool, type SeptSchool } from '../core/monthclose-fixture.ts';
import { openApp, type App } from './harness.ts';

/**
 * The town centre in the app (issue 18), in Chromium against the real centre backend on a real DuckDB file. Three
 * schools of monthclose-fixture.ts close and package September at different prices (the table of
 * test/core/centre.test.ts's price section); a fourth school the centre never enrolled packages too, and a copy of
 * 乙校's package has its data changed after signing, and 甲校's package is in the folder twice (a copy named dup-9001).
 * 己校 (9004) is enrolled and sends nothing. The centre admin logs in, enrols 甲校 through 学校登记, imports the folder
 * through 导入上报包 — three land, the duplicate is "nothing to do" with its reason, the unknown school and the
 * tampered copy are refused with their reasons —, 报送情况 shows 己校 missing, first, and 食材价格 shows the medians
 * and flags worked out by hand:
 *            大米   白菜   猪肉    牛奶
 *   甲 9001   4.20   2.50   28.00   3.00
 *   乙 9002   4.50   2.60   30.00   3.05
 *   丙 9003   6.00   2.40   35.00   3.00
 * 大米 median 4.50 (min 4.20, max 6.00): 丙's 6.00 > 4.50 × 1.1 = 4.95 flagged, not above the reference 6.00 × 1.1.
 * 猪肉 median 30.00: 丙's 35.00 > 33.00 flagged, and above the reference 28.00 × 1.1 = 30.80. Nothing else flagged.
 * The exported workbook is read back by exceljs and by LibreOffice (headless, to CSV).
 */
const SCHOOLS = [
  { code: '9001', name: '甲校', prices: { rice: 420, cabbage: 250, pork: 2800, milk: 300 } },
  { code: '9002', name: '乙校', prices: { rice: 450, cabbage: 260, pork: 3000, milk: 305 } },
  { code: '9003', name: '丙校', prices: { rice: 600, cabbage: 240, pork: 3500, milk: 300 } },
  { code: '9009', name: '丁校', prices: { rice: 500, cabbage: 250, pork: 3000, milk: 300 } },
];
const M = '2026-09';

let dir: string;
let folder: string;
let centre: CentreBackend;
let app: App;
const made: SeptSchool[] = [];
const fingerprints: Record<string, string> = {};

async function centreCall(name: string, input: unknown): Promise<unknown> {
  const r = await centre.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-e2e-'));
  folder = path.join(dir, 'U盘');
  for (const s of SCHOOLS) {
    const school = await septemberSchool({ prices: s.prices, schoolName: s.name });
    made.push(school);
    const b = school.w.b;
    await b.loginAs('accountant');
    await b.call('monthclose.submit', { month: M });
    await b.loginAs('reviewer');
    await b.call('monthclose.approve', { month: M });
    const r = await b.call('monthclose.package', { month: M, dir: folder, schoolCode: s.code });
    fingerprints[s.code] = r.fingerprint;
  }
  // 乙校's package with one purchase price changed after signing.
  const p = JSON.parse(fs.readFileSync(path.join(folder, '9002_2026-09_r1.canteen-pkg.json'), 'utf8')) as PackageFile;
  const data = JSON.parse(Buffer.from(p.files['data.json'], 'base64').toString('utf8')) as PackageData;
  data.purchases[0].unitPriceFen -= 10;
  p.files['data.json'] = Buffer.from(`${JSON.stringify(data)}\n`).toString('base64');
  fs.writeFileSync(path.join(folder, 'tampered-9002.canteen-pkg.json'), JSON.stringify(p));
  // 甲校's package twice: the stick was copied onto itself.
  fs.copyFileSync(path.join(folder, '9001_2026-09_r1.canteen-pkg.json'), path.join(folder, 'dup-9001.canteen-pkg.json'));

  centre = await openCentreBackend({ file: path.join(dir, 'centre', 'centre.duckdb'), create: true, now: () => new Date(Date.UTC(2026, 9, 20, 2, 0, 0)) });
  await centreCall('centre.setup', { centreName: '城关镇教育管理中心', adminUsername: 'zhongxin', adminName: '王主任', password: 'Centre-2026' });
  await centreCall('schools.enrol', { code: '9002', name: '乙校', fingerprint: fingerprints['9002'] });
  await centreCall('schools.enrol', { code: '9003', name: '丙校', fingerprint: fingerprints['9003'] });
  // Enrolled, sends nothing for September.
  await centreCall('schools.enrol', { code: '9004', name: '己校', fingerprint: 'ab'.repeat(32) });
  await centreCall('auth.logout', {});
  app = await openApp({ backend: centre, name: 'centre' });
}, 300_000);

afterAll(async () => {
  await app?.close();
  centre?.close();
  for (const s of made) s.w.b.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The view's table as header → text per row. */
async function table(testId: string): Promise<Record<string, string>[]> {
  return app.page.getByTestId(testId).evaluate((t) => {
    const heads = [...t.querySelectorAll('thead th')].map((h) => (h.textContent ?? '').trim());
    return [...t.querySelectorAll('tbody tr')].map((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td, i) => [heads[i], (td.textContent ?? '').trim()])));
  });
}

describe('镇教育管理中心 in the app', () => {
  test('the centre admin logs in and enrols a school from its enrolment sheet', async () => {
    const page = app.page;
    await page.getByTestId('centre-login-username').fill('zhongxin');
    await page.getByTestId('centre-login-password').fill('Centre-2026');
    await page.getByTestId('centre-login-submit').click();
    await page.getByRole('menuitem', { name: '学校登记' }).click();
    await page.getByTestId('enrol-code').fill('9001');
    await page.getByTestId('enrol-name').fill('甲校');
    // As typed from the sheet: sixteen groups of four.
    await page.getByTestId('enrol-fingerprint').fill(fingerprints['9001'].replace(/\s/g, '').match(/.{4}/g)!.join(' '));
    await page.getByTestId('enrol-submit').click();
    await expect.poll(() => page.getByTestId('enrol-done').innerText()).toContain('已登记：9001 甲校');
    await expect.poll(async () => (await page.getByTestId('enrol-list').locator('tbody tr').allInnerTexts()).map((r) => r.split('\t')[0].trim())).toEqual(['9001', '9002', '9003', '9004']);
    // A fingerprint of the wrong length is refused in words.
    await page.getByTestId('enrol-code').fill('9010');
    await page.getByTestId('enrol-name').fill('戊校');
    await page.getByTestId('enrol-fingerprint').fill('abcd 1234');
    await page.getByTestId('enrol-submit').click();
    await expect.poll(() => page.getByTestId('enrol-error').innerText()).toBe('公钥指纹应为 64 位十六进制数字（登记表上 16 组、每组 4 位）');
    await app.screenshot('enrol');
  });

  test('导入上报包: the three good packages land; the duplicate is nothing to do; the unknown school and the tampered copy are refused whole, with their reasons', async () => {
    const page = app.page;
    await page.getByRole('menuitem', { name: '导入上报包' }).click();
    await page.getByTestId('import-dir').fill(folder);
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toBe('共 6 个上报包：已导入 3 个，无需导入 1 个，已拒收 2 个');
    const rows = (await page.getByTestId('import-outcomes').locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim()));
    expect(rows.map((r) => [r[0], r[4], r[5]])).toEqual([
      ['9001_2026-09_r1.canteen-pkg.json', '已导入', '甲校2026年9月第 1 版已导入'],
      ['9002_2026-09_r1.canteen-pkg.json', '已导入', '乙校2026年9月第 1 版已导入'],
      ['9003_2026-09_r1.canteen-pkg.json', '已导入', '丙校2026年9月第 1 版已导入'],
      ['9009_2026-09_r1.canteen-pkg.json', '已拒收', '学校代码 9009（丁校）未在本中心登记，上报包未导入；请先登记该校的学校代码、名称与公钥指纹'],
      ['dup-9001.canteen-pkg.json', '无需导入', '甲校2026年9月第 1 版已导入，内容相同，无需重复导入'],
      ['tampered-9002.canteen-pkg.json', '已拒收', '文件 data.json 与清单记录的哈希不符（内容在签名后被改动）'],
    ]);
    await app.screenshot('import');
    // The same folder again: nothing lands twice.
    await page.getByTestId('import-run').click();
    await expect.poll(() => page.getByTestId('import-summary').innerText()).toBe('共 6 个上报包：已导入 0 个，无需导入 4 个，已拒收 2 个');
  });

  test('报送情况 (己校 missing, first) and 结余率 for September', async () => {
    const page = app.page;
    await page.getByRole('menuitem', { name: '报送情况' }).click();
    await expect.poll(async () => (await table('view-submission')).map((r) => [r['学校代码'], r['已报送'], r['当前版本']])).toEqual([
      ['9004', '否', '—'],
      ['9001', '是', '1'],
      ['9002', '是', '1'],
      ['9003', '是', '1'],
    ]);
    await page.getByRole('menuitem', { name: '结余率' }).click();
    // Income 746.00 each; expenses and rates as test/core/centre.test.ts works them out; all over the 2 % limit.
    await expect.poll(async () => (await table('view-surplus')).map((r) => [r['学校'], r['本月收入（元）'], r['本月结余（元）'], r['本月结余率'], r['限额'], r['超限']])).toEqual([
      ['甲校', '746.00', '609.38', '81.69%', '2.00%', '是'],
      ['乙校', '746.00', '602.05', '80.70%', '2.00%', '是'],
      ['丙校', '746.00', '585.40', '78.47%', '2.00%', '是'],
    ]);
    // 食品安全: none of the three fixture schools kept 留样 or 陪餐 records in September's 21 school days.
    await page.getByRole('menuitem', { name: '食品安全' }).click();
    await expect.poll(async () => (await table('view-foodsafety')).map((r) => [r['学校'], r['上课日'], r['留样完成率'], r['无留样天数'], r['陪餐完成率'], r['无陪餐天数']])).toEqual([
      ['甲校', '21', '0.00%', '21', '0.00%', '21'],
      ['乙校', '21', '0.00%', '21', '0.00%', '21'],
      ['丙校', '21', '0.00%', '21', '0.00%', '21'],
    ]);
  });

  test('食材价格: the hand-worked medians and flags, flagged rows first; the chart; the export read back by exceljs and LibreOffice', async () => {
    const page = app.page;
    await page.getByRole('menuitem', { name: '食材价格' }).click();
    const pick = (r: Record<string, string>) => [r['食材'], r['学校'], r['本校均价（元）'], r['全镇中位价（元）'], r['最低（元）'], r['最高（元）'], r['参考价（元）'], r['高于中位价超限'], r['高于参考价超限']];
    await expect.poll(async () => (await table('view-price')).length).toBe(12);
    const rows = await table('view-price');
    expect(rows.slice(0, 2).map(pick)).toEqual([
      ['大米', '丙校', '6.00', '4.50', '4.20', '6.00', '6.00', '是', '否'],
      ['猪肉', '丙校', '35.00', '30.00', '28.00', '35.00', '28.00', '是', '是'],
    ]);
    expect(rows.slice(2).filter((r) => r['高于中位价超限'] === '是' || r['高于参考价超限'] === '是')).toEqual([]);
    expect(rows.filter((r) => r['食材'] === '牛奶').map(pick)).toEqual([
      ['牛奶', '乙校', '3.05', '3.00', '3.00', '3.05', '3.00', '否', '否'],
      ['牛奶', '甲校', '3.00', '3.00', '3.00', '3.05', '3.00', '否', '否'],
      ['牛奶', '丙校', '3.00', '3.00', '3.00', '3.05', '3.00', '否', '否'],
    ]);
    expect(await page.getByTestId('view-price').locator('tbody tr.flagged').count()).toBe(2);
    expect(await page.getByTestId('view-count').innerText()).toBe('12 行，其中需关注 2 行');
    // The chart: an SVG line per school, named in the legend.
    const chart = page.getByTestId('price-chart').locator('.echarts-for-react svg');
    await chart.waitFor();
    await expect.poll(async () => (await chart.textContent()) ?? '').toContain('大米 各校平均单价（元/');
    const svgText = (await chart.textContent()) ?? '';
    for (const n of ['甲校', '乙校', '丙校']) expect(svgText).toContain(n);
    await app.screenshot('price');

    // 打印: on paper (print media) the table alone under its title, the menu and the buttons hidden.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.ant-layout-sider').isVisible()).toBe(false);
    expect(await page.getByTestId('view-export').isVisible()).toBe(false);
    expect(await page.locator('.centre-print-title').innerText()).toBe('食材价格（2026-09）');
    expect(await page.getByTestId('view-price').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    await page.getByTestId('view-export').click();
    const shown = await page.getByTestId('view-exported').innerText();
    const file = shown.replace(/^已导出：/, '').trim();
    expect(path.dirname(file)).toBe(path.join(dir, 'centre', 'exports'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['食材价格（2026-09）']);
    const ws = wb.worksheets[0];
    const header = ws.getRow(2).values as unknown[];
    const col = (h: string) => header.indexOf(h);
    const at = (n: number) => ['食材', '学校', '本校均价（元）', '全镇中位价（元）', '最低（元）', '最高（元）', '高于中位价超限', '高于参考价超限'].map((h) => ws.getRow(n).getCell(col(h)).value);
    expect(at(3)).toEqual(['大米', '丙校', 6, 4.5, 4.2, 6, '是', '否']);
    expect(at(4)).toEqual(['猪肉', '丙校', 35, 30, 28, 35, '是', '是']);
    expect(ws.rowCount).toBe(14);
    expect(ws.pageSetup.paperSize).toBe(9);
    expect(ws.pageSetup.orientation).toBe('landscape');
    // LibreOffice, an independent reader: the sheet as CSV (cell values, so yuan without formatting).
    expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
    const csvFiles = await convertWithSoffice(file, 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', path.join(dir, 'csv'));
    const csv = parseCsv(fs.readFileSync(csvFiles.find((f) => f.endsWith('.csv'))!, 'utf8'));
    expect(csv[0][0]).toBe('食材价格（2026-09）');
    const lo = (r: string[]) => ['食材', '学校', '本校均价（元）', '全镇中位价（元）', '最低（元）', '最高（元）', '高于中位价超限', '高于参考价超限'].map((h) => r[csv[1].indexOf(h)]);
    expect(lo(csv[2])).toEqual(['大米', '丙校', '6', '4.5', '4.2', '6', '是', '否']);
    expect(lo(csv[3])).toEqual(['猪肉', '丙校', '35', '30', '28', '35', '是', '是']);
    expect(csv.slice(4).filter((r) => lo(r)[6] === '是' || lo(r)[7] === '是')).toEqual([]);
    expect(csv.filter((r) => r[csv[1].indexOf('食材')] === '牛奶').map(lo)).toEqual([
      ['牛奶', '乙校', '3.05', '3', '3', '3.05', '否', '否'],
      ['牛奶', '甲校', '3', '3', '3', '3.05', '否', '否'],
      ['牛奶', '丙校', '3', '3', '3', '3.05', '否', '否'],
    ]);
    expect(csv.length).toBe(14);
    expect(app.errors).toEqual([]);
  });
  test('食材对应: the centre admin compares 白菜 as 大白菜; 食材价格 shows it so, with the same figures; removed, 白菜 again', async () => {
    const page = app.page;
    await page.getByRole('menuitem', { name: '食材对应' }).click();
    await expect.poll(() => page.getByTestId('map-list').innerText()).toContain('没有食材对应');
    await page.getByTestId('map-item').fill('白菜');
    await page.getByTestId('map-unit').fill('kg');
    await page.getByTestId('map-to-item').fill('大白菜');
    await page.getByTestId('map-submit').click();
    await expect.poll(() => page.getByTestId('map-done').innerText()).toBe('已对应：白菜，kg → 大白菜，kg');
    // Onto itself: refused in words.
    await page.getByTestId('map-item').fill('大白菜');
    await page.getByTestId('map-unit').fill('kg');
    await page.getByTestId('map-to-item').fill('大白菜');
    await page.getByTestId('map-submit').click();
    await expect.poll(() => page.getByTestId('map-error').innerText()).toBe('食材不能对应到它自己');
    await app.screenshot('itemmap');
    await page.getByRole('menuitem', { name: '食材价格' }).click();
    await expect.poll(async () => (await table('view-price')).length).toBe(12);
    // 白菜 of the three schools (2.50, 2.60, 2.40; median 2.50) now under 大白菜.
    const cabbage = async () => (await table('view-price')).filter((r) => r['食材'].includes('白菜')).map((r) => [r['食材'], r['学校'], r['本校均价（元）'], r['全镇中位价（元）']]);
    await expect.poll(cabbage).toEqual([
      ['大白菜', '乙校', '2.60', '2.50'],
      ['大白菜', '甲校', '2.50', '2.50'],
      ['大白菜', '丙校', '2.40', '2.50'],
    ]);
    await page.getByRole('menuitem', { name: '食材对应' }).click();
    await page.getByTestId('map-remove-白菜').click();
    await page.getByRole('button', { name: '取消对应' }).last().click();
    await expect.poll(() => page.getByTestId('map-done').innerText()).toBe('已取消对应：白菜，kg');
    await page.getByRole('menuitem', { name: '食材价格' }).click();
    await expect.poll(async () => (await cabbage()).map((r) => r[0])).toEqual(['白菜', '白菜', '白菜']);
    expect(app.errors).toEqual([]);
  });
});
