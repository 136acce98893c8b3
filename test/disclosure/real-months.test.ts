import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/soffice.ts';
import { parseCsv } from '../helpers/csv.ts';
import { canteen, run } from '../fixtures/real-months/cli.ts';
import { PW } from '../fixtures/real-months/common.ts';
import * as KG from '../fixtures/real-months/kindergarten.ts';
import * as TL from '../fixtures/real-months/tongling.ts';

/**
 * Issue 14, "Done when": two REAL published months (the notices are quoted, with their addresses and what is filled
 * in, at the top of test/fixtures/real-months/*.ts), each entered through `canteen` from an empty ledger with its
 * opening, closed, exported with `export-month`, and every published figure of the notice found in the workbook to
 * the fen — read by exceljs and by LibreOffice. Every expected figure below is copied from the notice by hand; where
 * the notice's own arithmetic is wrong, the test says so and expects the right figure.
 */

/** A fixture is some thirty `canteen` runs (about a minute and a half on an idle machine; more on a loaded one). */
const BUILD_MS = 540_000;
const CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

type Rows = unknown[][];
async function readBook(file: string): Promise<Record<string, Rows>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: Record<string, Rows> = {};
  for (const ws of wb.worksheets) {
    out[ws.name] = [];
    ws.eachRow({ includeEmpty: true }, (r) => out[ws.name].push((r.values as unknown[]).slice(1)));
  }
  return out;
}
async function readCsv(xlsx: string, outDir: string): Promise<Record<string, string[][]>> {
  const files = await convertWithSoffice(xlsx, CSV_ALL_SHEETS, outDir);
  const out: Record<string, string[][]> = {};
  for (const f of files) out[path.basename(f, '.csv').replace(/^.*?-/, '')] = parseCsv(fs.readFileSync(f, 'utf8'));
  return out;
}
/** [本月, 本年累计] of the row labelled `label` (column A). */
function fig<T>(rows: T[][], label: string): [T, T] {
  const r = rows.find((x) => x[0] === label);
  if (!r) throw new Error(`no row ${label} among ${rows.map((x) => x[0]).join(' / ')}`);
  return [r[1], r[2]];
}
/** Amount (column I) of the purchase line of item `name` in 食材采购明细. */
function purchase<T>(rows: T[][], name: string): T {
  const r = rows.filter((x) => x[3] === name);
  if (r.length !== 1) throw new Error(`${r.length} purchase lines of ${name}`);
  return r[0][8];
}
/** Fen from the workbook's yuan (a number, or LibreOffice's text), exactly. */
const fen = (v: unknown): number => {
  const s = String(v);
  if (!/^-?\d+(\.\d{1,2})?$/.test(s)) throw new Error(`not an amount in yuan: ${s}`);
  const [i, d = ''] = s.replace('-', '').split('.');
  return (s.startsWith('-') ? -1 : 1) * (Number(i) * 100 + Number(d.padEnd(2, '0')));
};

async function verifyClean(db: string) {
  const r = await canteen(['--db', db, 'verify'], PW);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
}

describe(`铜陵市第一中学江北分校 2025年11月 (承包, full cost, 手续费): ${TL.SOURCE}`, { timeout: 600_000 }, () => {
  let dir: string;
  let db: string;
  let book: Record<string, Rows>;
  let csv: Record<string, string[][]>;
  const verifies: [string, any][] = [];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-tongling-'));
    db = path.join(dir, 'tongling.sqlite');
    await TL.buildTongling(db, (label, out) => verifies.push([label, out]));
    const xlsx = path.join(dir, '公示.xlsx');
    await run(['--db', db, '--user', 'accountant', 'export-month', TL.MONTH, '--out', xlsx], PW);
    book = await readBook(xlsx);
    expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
    csv = await readCsv(xlsx, path.join(dir, 'csv'));
  }, BUILD_MS);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the notice adds up (its own arithmetic, worked by hand in fen)', () => {
    // 二、伙食费支出 = 菜品 + 米/油 + 调味品 + 其他物料 + 燃气费 (blank) + 水电费 + 工资 (blank)
    expect(12_208_152 + 2_166_600 + 488_700 + 1_124_000 + 0 + 301_200 + 0).toBe(16_288_652);
    expect(34_390_739 + 6_368_400 + 1_651_800 + 4_824_650 + 0 + 967_350 + 0).toBe(48_202_939);
    // 四、管理费用 = 办公费 + 工资 + 社保费 (blank) + 维修费 + 折旧 (blank) + 其他
    expect(963_050 + 5_211_900 + 0 + 43_000 + 0 + 0).toBe(6_217_950);
    expect(3_636_367 + 18_521_144 + 0 + 43_000 + 0 + 401_100).toBe(22_601_611);
    // 六、营业利润 = 一 − 二 − 三 (blank) − 四 − 五
    expect(21_825_958 - 16_288_652 - 6_217_950 - 25_586).toBe(-706_230);
    expect(70_108_127 - 48_202_939 - 22_601_611 - 49_116).toBe(-745_539);
    // 九、营业利润率 = 六 ÷ 一: −7062.30 ÷ 218259.58 = −3.2357 % → −3.24 %; −7455.39 ÷ 701081.27 = −1.0634 % → −1.06 %
    expect(Math.round((-706_230 * 10_000) / 21_825_958)).toBe(-324);
    expect(Math.round((-745_539 * 10_000) / 70_108_127)).toBe(-106);
  });

  it('`canteen verify` is clean after the profile change and after the close', async () => {
    expect(verifies.map(([l]) => l)).toEqual(['承包经营 profile from 2025-10']);
    expect(verifies[0][1]).toMatchObject({ ok: true });
    await verifyClean(db);
  });

  for (const reader of ['exceljs', 'LibreOffice'] as const) {
    it(`every figure of the notice is in the workbook, to the fen (${reader})`, () => {
      const t = reader === 'exceljs' ? book['收支公示'] : csv['收支公示'];
      const yuan = (label: string) => fig(t, label).map(fen);
      expect(t[1][0]).toContain('食堂性质：承包经营');
      // 一、伙食费收入
      expect(yuan('二、本月收入')).toEqual([21_825_958, 70_108_127]);
      expect(yuan('　　其中：收取')).toEqual([21_825_958, 70_108_127]);
      // 二、伙食费支出, row by row (燃气费 and 二 7.工资 are blank on the notice: 0 here)
      expect(yuan('菜品支出')).toEqual([12_208_152, 34_390_739]);
      expect(yuan('米/油支出')).toEqual([2_166_600, 6_368_400]);
      expect(yuan('调味品支出')).toEqual([488_700, 1_651_800]);
      expect(yuan('其他物料')).toEqual([1_124_000, 4_824_650]);
      expect(yuan('燃气费')).toEqual([0, 0]);
      expect(yuan('水电费')).toEqual([301_200, 967_350]);
      // 四、管理费用: 办公费, 工资 (the notice's 四 2.工资; one 工资 kind in the ledger), 维修费, 其他
      expect(yuan('办公费')).toEqual([963_050, 3_636_367]);
      expect(yuan('工资')).toEqual([5_211_900, 18_521_144]);
      expect(yuan('维修费')).toEqual([43_000, 43_000]);
      expect(yuan('其他')).toEqual([0, 401_100]);
      // 五、财务费用 = 2.手续费
      expect(yuan('手续费')).toEqual([25_586, 49_116]);
      // The notice's subtotals from the workbook's rows: 二 = food rows + 燃气费 + 水电费; 四 = 办公 + 工资 + 维修 + 其他.
      const sum = (labels: string[], col: 0 | 1) => labels.reduce((s, l) => s + yuan(l)[col], 0);
      const food = ['菜品支出', '米/油支出', '调味品支出', '其他物料', '燃气费', '水电费'];
      const admin = ['办公费', '工资', '维修费', '其他'];
      expect([sum(food, 0), sum(food, 1)]).toEqual([16_288_652, 48_202_939]);
      expect([sum(admin, 0), sum(admin, 1)]).toEqual([6_217_950, 22_601_611]);
      // 二 + 四 + 五 is the workbook's 三、本月支出.
      expect(yuan('三、本月支出')).toEqual([16_288_652 + 6_217_950 + 25_586, 48_202_939 + 22_601_611 + 49_116]);
      // 六、营业利润 = 七、利润总额 = 八、净利润 (no tax, no 营业外 on the notice); 九、营业利润率
      expect(yuan('十、营业利润')).toEqual([-706_230, -745_539]);
      expect(yuan('四、本月结余')).toEqual([-706_230, -745_539]);
      const rate = fig(t, '十一、营业利润率');
      if (reader === 'exceljs') expect(rate).toEqual([-0.0324, -0.0106]);
      else expect(rate).toEqual(['-3.24%', '-1.06%']);
      // Each food row is one purchase line of 食材采购明细 (the notice gives totals only; see the fixture).
      const p = reader === 'exceljs' ? book['食材采购明细'] : csv['食材采购明细'];
      expect(['菜品（汇总）', '米/油（汇总）', '调味品（汇总）', '其他物料（汇总）'].map((n) => fen(purchase(p, n)))).toEqual([12_208_152, 2_166_600, 488_700, 1_124_000]);
      // 供应商及资质: the one (invented) supplier, 4 deliveries, 159874.52, no certificate (none of its items needs one).
      const sup = (reader === 'exceljs' ? book['供应商及资质'] : csv['供应商及资质']).find((x) => x[0] === '江北食材配送（公示未列供应商）')!;
      expect([Number(sup[4]), fen(sup[5]), Number(sup[6])]).toEqual([4, 15_987_452, 0]);
    });
  }

  it('the filled-in parts show where the notice has no row, and nothing else changes a published figure', () => {
    const t = book['收支公示'];
    // 上月累计结余: the invented opening 50,000.00 less October's −393.09 loss (482821.69 − 483214.78); the notice has no such row.
    expect(fig(t, '一、上月累计结余').map(fen)).toEqual([5_000_000 - 39_309, 5_000_000]);
    expect(fig(t, '五、本月累计结余').map(fen)).toEqual([5_000_000 - 745_539, 5_000_000 - 745_539]);
  });

  it('a later profile change (back to the default, food-cost profile from 2025-12) leaves verify clean and the published month as it was', async () => {
    const school = JSON.parse((await canteen(['--db', db, '--user', 'admin', 'call', 'school.get', '{}'], PW)).stdout);
    const { disclosureCategories: _, ...rest } = school.profile;
    const food = { ...rest, costBasis: 'food', allowedNonFood: [], disclosureLayout: { ...rest.disclosureLayout, canteenKind: '自营', rowLabels: {} } };
    const r = await canteen(['--db', db, '--user', 'admin', 'call', 'school.update', JSON.stringify({ name: TL.SCHOOL, profile: food, effectiveFrom: '2025-12' })], PW);
    expect(r.code, r.stdout).toBe(0);
    await verifyClean(db);
    const again = path.join(dir, '公示-再次导出.xlsx');
    await run(['--db', db, '--user', 'accountant', 'export-month', TL.MONTH, '--out', again], PW);
    expect((await readBook(again))['收支公示']).toEqual(book['收支公示']);
  });
});

describe(`幼儿园 2024年10月儿童伙食收支明细表 (幼儿园 preset, 手续费): ${KG.SOURCE}`, { timeout: 600_000 }, () => {
  let dir: string;
  let db: string;
  let book: Record<string, Rows>;
  let csv: Record<string, string[][]>;
  const verifies: [string, any][] = [];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-kindergarten-'));
    db = path.join(dir, 'kindergarten.sqlite');
    await KG.buildKindergarten(db, (label, out) => verifies.push([label, out]));
    const xlsx = path.join(dir, '公示.xlsx');
    await run(['--db', db, '--user', 'accountant', 'export-month', KG.MONTH, '--out', xlsx], PW);
    book = await readBook(xlsx);
    expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
    csv = await readCsv(xlsx, path.join(dir, 'csv'));
  }, BUILD_MS);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the notice adds up, except its 盈 %, which is wrong', () => {
    // 合计 = 161 × 10.50 × 19 + 2 × 3.40 × 19 = 32119.50 + 129.20 = 32248.70
    expect(161 * 1_050 * 19 + 2 * 340 * 19).toBe(3_224_870);
    // 小计 = the sixteen expense rows (电费, 水费 0)
    const rows = [104_400, 57_600, 71_460, 932_724, 430_585, 31_046, 42_345, 21_330, 217_728, 364_800, 399_222, 0, 0, 185_850, 290_000, 360];
    expect(rows.reduce((a, b) => a + b, 0)).toBe(3_149_450);
    // 本月结余 = 合计 − 小计; 本月累计结余 = 上月累计结余 + 本月结余
    expect(3_224_870 - 3_149_450).toBe(75_420);
    expect(13_189 + 75_420).toBe(88_609);
    // 盈 % printed 2.30 %: 754.20 ÷ 32248.70 = 2.3387 % → 2.34 % on the notice's own base. The notice is wrong (by
    // 0.04 points); the ledger divides by the net income (收取 − 退费), 754.20 ÷ 30390.20 = 2.4817 % → 2.48 %.
    expect(Math.round((75_420 * 10_000) / 3_224_870)).toBe(234);
    expect(Math.round((75_420 * 10_000) / 3_039_020)).toBe(248);
    // 教工伙食明细账 (not entered: a separate account): 5280 − 5134.68 = 145.32; 573.65 + 145.32 = 718.97
    expect(528_000 - 513_468).toBe(14_532);
    expect(57_365 + 14_532).toBe(71_897);
  });

  it('`canteen verify` is clean after the profile change and after the close', async () => {
    expect(verifies.map(([l]) => l)).toEqual(['幼儿园 profile from 2024-10']);
    expect(verifies[0][1]).toMatchObject({ ok: true });
    await verifyClean(db);
  });

  for (const reader of ['exceljs', 'LibreOffice'] as const) {
    it(`every figure of the notice is in the workbook, to the fen (${reader})`, () => {
      const t = reader === 'exceljs' ? book['收支公示'] : csv['收支公示'];
      const month = (label: string) => fen(fig(t, label)[0]);
      expect(t[1][0]).toContain('食堂性质：自营');
      // 本月结存
      expect(month('一、上月累计结余')).toBe(13_189);
      expect(month('四、本月结余')).toBe(75_420);
      expect(month('五、本月累计结余')).toBe(88_609);
      // 合计 (fees collected) and 幼儿退款
      expect(month('　　其中：收取')).toBe(3_224_870);
      expect(month('幼儿退款')).toBe(185_850);
      expect(month('二、本月收入')).toBe(3_224_870 - 185_850);
      // The food rows, grouped as finely as the ledger's categories go, and each row of the notice in 食材采购明细
      expect(month('粮食、油、糯米面')).toBe(104_400 + 57_600 + 42_345);
      expect(month('调味品')).toBe(71_460);
      expect(month('荤食')).toBe(932_724);
      expect(month('蔬菜、水果')).toBe(430_585 + 399_222);
      expect(month('豆制品、干豆类')).toBe(31_046 + 21_330);
      expect(month('点心')).toBe(217_728);
      expect(month('牛奶')).toBe(364_800);
      const p = reader === 'exceljs' ? book['食材采购明细'] : csv['食材采购明细'];
      const notice: [string, number][] = [
        ['粮食', 104_400],
        ['油', 57_600],
        ['调味品', 71_460],
        ['荤食', 932_724],
        ['蔬菜', 430_585],
        ['豆制品', 31_046],
        ['糯米面', 42_345],
        ['干豆类', 21_330],
        ['点心', 217_728],
        ['牛奶', 364_800],
        ['水果', 399_222],
      ];
      expect(notice.map(([n]) => [n, fen(purchase(p, n))])).toEqual(notice);
      // 电费 0, 水费 0, 人员经费 2900, 手续费 3.6
      expect(month('电费、水费')).toBe(0);
      expect(month('人员经费')).toBe(290_000);
      expect(month('手续费')).toBe(360);
      // The notice's 小计 counts 幼儿退款 as spending: 三、本月支出 + 幼儿退款.
      expect(month('三、本月支出') + month('幼儿退款')).toBe(3_149_450);
      // 盈 %: the right figure (see above), not the printed 2.30 %.
      const rate = fig(t, '六、结余率')[0];
      expect(rate).toBe(reader === 'exceljs' ? 0.0248 : '2.48%');
      // 退费明细: 177 days, 1858.50 in all.
      const r = reader === 'exceljs' ? book['退费明细'] : csv['退费明细'];
      const total = r.find((x) => x[0] === '合计')!;
      expect([Number(total[3]), fen(total[4])]).toEqual([177, 185_850]);
      // 供应商及资质: one delivery, 26732.40 (the eleven food rows), 1 随货证明 (荤食's 动物检疫合格证明).
      const sup = (reader === 'exceljs' ? book['供应商及资质'] : csv['供应商及资质']).find((x) => x[0] === '幼儿园食材配送（公示未列供应商）')!;
      expect([Number(sup[4]), fen(sup[5]), Number(sup[6])]).toEqual([1, 2_673_240, 1]);
    });
  }

  it('人日数: the notice counts 163 children × 19 days; the ledger takes the refunded days off', () => {
    // 161 × 19 + 2 × 19 = 3097 person-days on the notice; 3097 − 177 refunded days = 2920 eaten and paid for.
    expect(161 * 19 + 2 * 19).toBe(3_097);
    expect(fig(book['收支公示'], '七、就餐人日数')).toEqual([2_920, 2_920]);
  });
});
