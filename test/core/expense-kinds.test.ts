import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPreset, PROFILE_PRESETS } from '../../shared/profile-presets.ts';
import type { RegionalProfile } from '../../shared/profile.ts';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/soffice.ts';
import { recomputeClosedMonthChecksum } from '../../electron/core/domains/monthclose/index.ts';
import { parseCsv } from '../helpers/csv.ts';
import { tableDigest } from '../helpers/backend.ts';
import { septemberSchool, type SeptSchool } from './monthclose-fixture.ts';
import fs from 'node:fs';

/**
 * Issue 14 §4: the region's categories and expense kinds. Both schools are September 2026 of monthclose-fixture.ts
 * (income = 621.00 fees net + 25.00 subsidy + 100.00 donation into the bank = 746.00; food consumed 136.62: 粮油
 * 25.62, 肉禽蛋 56.00, 蔬菜水果 25.00, 奶 30.00; 61 meal days), plus what each test books on top, worked by hand.
 */

const M = '2026-09';
const RULE = '专款专用（《学校食品安全与营养健康管理规定》及膳食经费负面清单）';
const CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';

type Rows = unknown[][];
async function sheets(file: string): Promise<Record<string, Rows>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: Record<string, Rows> = {};
  for (const ws of wb.worksheets) {
    out[ws.name] = [];
    ws.eachRow({ includeEmpty: true }, (r) => out[ws.name].push((r.values as unknown[]).slice(1)));
  }
  return out;
}
/** Column A labels of the rows between 三、本月支出 and 四、本月结余, with both figures. */
const expenseBlock = (rows: Rows) => {
  const a = rows.findIndex((r) => r[0] === '三、本月支出');
  const b = rows.findIndex((r) => r[0] === '四、本月结余');
  return rows.slice(a + 1, b).map((r) => [r[0], r[1], r[2]]);
};
const row = (rows: Rows, label: string) => {
  const r = rows.find((x) => x[0] === label);
  if (!r) throw new Error(`no row ${label}`);
  return r;
};

async function close(s: SeptSchool): Promise<string> {
  const b = s.w.b;
  await b.loginAs('accountant');
  await b.call('monthclose.submit', { month: M });
  await b.loginAs('reviewer');
  return (await b.call('monthclose.approve', { month: M })).checksumHex!;
}

async function setProfile(s: SeptSchool, f: (p: RegionalProfile) => RegionalProfile, effectiveFrom: string) {
  const b = s.w.b;
  await b.loginAs('admin');
  const school = await b.call('school.get', {});
  return b.call('school.update', { name: school.name, profile: f(school.profile), effectiveFrom });
}

/** The published list of a kindergarten-style notice: 荤食 = 肉禽蛋 + 水产, 牛奶, 点心. */
const REGION_LIST = [
  { label: '粮油', categories: ['grain'] },
  { label: '荤食', categories: ['meat', 'aquatic'] },
  { label: '蔬菜水果', categories: ['vegetable'] },
  { label: '牛奶', categories: ['dairy'] },
  { label: '豆制品', categories: ['soy'] },
  { label: '调味品', categories: ['seasoning'] },
  { label: '点心', categories: ['other'] },
] as RegionalProfile['disclosureCategories'];

describe('a month with a bank fee, published under the region’s own categories', { timeout: 300_000 }, () => {
  let s: SeptSchool;
  let checksum: string;
  let book: Record<string, Rows>;
  let xlsx: string;
  beforeAll(async () => {
    s = await septemberSchool({ skipBank: true });
    const b = s.w.b;
    // The region's list from September on (the clock is 2026-10-08; September is open).
    await setProfile(s, (p) => ({ ...p, disclosureCategories: REGION_LIST }), M);
    await b.loginAs('accountant');
    // 手续费 3.50 charged on the canteen account on 2026-09-30: allowed under the default (food-only) profile.
    await b.call('fund.recordExpense', { date: '2026-09-30', kind: 'bank_fee', amountFen: 350, method: 'bank', memo: '9月账户管理费' });
    // Bank: 100.00 donated − 3.50 = 96.50.
    await b.call('monthclose.setBankBalance', { month: M, account: 'bank', balanceFen: 9_650 });
    checksum = await close(s);
    await b.loginAs('accountant');
    const ex = await b.call('monthclose.export', { month: M, dir: path.join(b.dir, 'sep'), pdf: false });
    xlsx = ex.xlsxPath;
    book = await sheets(xlsx);
  });
  afterAll(() => s.w.b.cleanup());

  it('the summary shows the region’s rows, 手续费 as its own row, and figures worked by hand', () => {
    const t = book['收支公示'];
    // 粮油 25.62; 荤食 = 肉禽蛋 56.00 + 水产 0; 蔬菜水果 25.00; 牛奶 30.00; the rest 0; 手续费 3.50 (the year to date is
    // September alone: nothing was booked before it).
    expect(expenseBlock(t)).toEqual([
      ['粮油', 25.62, 25.62],
      ['荤食', 56, 56],
      ['蔬菜水果', 25, 25],
      ['牛奶', 30, 30],
      ['豆制品', 0, 0],
      ['调味品', 0, 0],
      ['点心', 0, 0],
      ['手续费', 3.5, 3.5],
    ]);
    expect(row(t, '手续费')[3]).toBe('食堂专户银行手续费');
    // 三 = 136.62 + 3.50 = 140.12; 四 = 746.00 − 140.12 = 605.88; 六 = 605.88 ÷ 746.00 = 0.812172 → 81.22 %;
    // 八 = food only, 136.62 ÷ 61 = 2.2397 → 2.24; 九 = 136.62 ÷ 746.00 = 0.183137 → 18.31 %.
    expect(row(t, '三、本月支出').slice(1, 3)).toEqual([140.12, 140.12]);
    expect(row(t, '四、本月结余').slice(1, 3)).toEqual([605.88, 605.88]);
    expect(row(t, '五、本月累计结余').slice(1, 3)).toEqual([605.88, 605.88]);
    expect(row(t, '六、结余率').slice(1, 3)).toEqual([0.8122, 0.8122]);
    expect(row(t, '八、生均日伙食成本').slice(1, 4)).toEqual([2.24, 2.24, '食材支出 ÷ 七（不含手续费）']);
    expect(row(t, '九、食材支出占伙食费收入比例').slice(1, 3)).toEqual([0.1831, 0.1831]);
    // No full-cost rows under a food-cost profile.
    expect(t.some((r) => r[0] === '十、营业利润')).toBe(false);
  });

  it('分类成本 and 食材价格 use the same list', () => {
    const c = book['分类成本'];
    // 粮油: opening 0, bought 42.00, consumed 25.62, count loss −0.42, closing 16.38; 荤食: 猪肉 56.00 straight to the kitchen.
    expect(row(c, '粮油').slice(1, 6)).toEqual([0, 42, 25.62, -0.42, 16.38]);
    expect(row(c, '荤食').slice(1, 6)).toEqual([0, 56, 56, 0, 0]);
    expect(c.some((r) => r[0] === '肉禽蛋' || r[0] === '水产')).toBe(false);
    expect(row(c, '合计').slice(1, 6)).toEqual([0, 153, 136.62, -0.42, 16.38]);
    const p = book['食材价格'];
    expect(row(p, '猪肉')[1]).toBe('荤食');
    expect(row(p, '牛奶')[1]).toBe('牛奶');
    expect(row(p, '大米')[1]).toBe('粮油');
  });

  it('the month-close page shows the same rows', async () => {
    const b = s.w.b;
    await b.loginAs('accountant');
    const v = (await b.call('monthclose.get', { month: M })).summary;
    const a = v.rows.findIndex((r) => r.key === 'expense');
    const z = v.rows.findIndex((r) => r.key === 'surplus');
    expect(v.rows.slice(a + 1, z).map((r) => [r.label, r.month])).toEqual([
      ['粮油', 2_562],
      ['荤食', 5_600],
      ['蔬菜水果', 2_500],
      ['牛奶', 3_000],
      ['豆制品', 0],
      ['调味品', 0],
      ['点心', 0],
      ['手续费', 350],
    ]);
    expect(v.current.nonFoodFen.bank_fee).toBe(350);
    expect(v.current.surplusFen).toBe(60_588);
  });

  it('LibreOffice reads the same figures', async () => {
    expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
    const files = await convertWithSoffice(xlsx, CSV_ALL_SHEETS, path.join(s.w.b.dir, 'csv'));
    const csv = (sheet: string) => parseCsv(fs.readFileSync(files.find((f) => f.endsWith(`-${sheet}.csv`))!, 'utf8'));
    const t = csv('收支公示');
    expect(expenseBlock(t)).toEqual([
      ['粮油', '25.62', '25.62'],
      ['荤食', '56', '56'],
      ['蔬菜水果', '25', '25'],
      ['牛奶', '30', '30'],
      ['豆制品', '0', '0'],
      ['调味品', '0', '0'],
      ['点心', '0', '0'],
      ['手续费', '3.5', '3.5'],
    ]);
    expect(row(t, '四、本月结余').slice(1, 3)).toEqual(['605.88', '605.88']);
    expect(row(t, '六、结余率').slice(1, 3)).toEqual(['81.22%', '81.22%']);
    expect(row(csv('分类成本'), '荤食').slice(1, 6)).toEqual(['0', '56', '56', '0', '0']);
  });

  it('a closed month keeps the list it was published with after the profile changes', async () => {
    const b = s.w.b;
    // From October the school publishes the shipped eight categories again.
    await setProfile(s, (p) => {
      const { disclosureCategories: _, ...rest } = p;
      return rest;
    }, '2026-10');
    await b.loginAs('accountant');
    const ex = await b.call('monthclose.export', { month: M, dir: path.join(b.dir, 'sep-after'), pdf: false });
    expect(ex.checksumHex).toBe(checksum);
    expect(await sheets(ex.xlsxPath)).toEqual(book);
    expect(recomputeClosedMonthChecksum(b.db, M)).toMatchObject({ ok: true });
    // The close recorded the list it published, under its checksum.
    const fig = JSON.parse((b.db.prepare(`SELECT figures FROM month_close_events WHERE month = ? AND kind = 'close'`).get(M) as { figures: string }).figures);
    expect(fig.categoryGroups.map((g: { label: string }) => g.label)).toEqual(['粮油', '荤食', '蔬菜水果', '牛奶', '豆制品', '调味品', '点心']);
    // October reads the eight categories.
    const oct = (await b.call('monthclose.get', { month: '2026-10' })).summary.rows;
    const a = oct.findIndex((r) => r.key === 'expense');
    expect(oct.slice(a + 1, a + 9).map((r) => r.label)).toEqual(['粮油', '肉禽蛋', '水产', '蔬菜水果', '奶及奶制品', '豆制品', '调味品', '其他食材']);
  });

  it('refused kinds and a cash 手续费 say why in Chinese and write nothing', async () => {
    const b = s.w.b;
    await b.loginAs('accountant');
    const before = tableDigest(b);
    const office = await b.reject('fund.recordExpense', { date: '2026-10-08', kind: 'office', amountFen: 500, method: 'bank', memo: '打印纸' });
    expect(office).toMatchObject({
      code: 'RULE',
      message: `不能登记“办公”支出：本校区域配置（默认（全国通用））按食材成本核算（自营），办公只有按全成本核算（承包经营）的区域配置才能列支（${RULE}）`,
    });
    const fuel = await b.reject('fund.recordExpense', { date: '2026-10-08', kind: 'fuel', amountFen: 500, method: 'bank', memo: '液化气' });
    expect(fuel).toMatchObject({ code: 'RULE', message: `不能登记“燃料”支出：本校区域配置（默认（全国通用））规定伙食费只能用于食材，燃料不得从伙食费中列支（${RULE}）` });
    const cash = await b.reject('fund.recordExpense', { date: '2026-10-08', kind: 'bank_fee', amountFen: 50, method: 'cash', memo: '手续费' });
    expect(cash).toMatchObject({ code: 'RULE', message: '手续费是食堂专户的银行手续费，只能从银行存款（食堂专户）列支，付款方式请选“银行”' });
    expect(tableDigest(b)).toBe(before);
  });

  it('a profile that allows 办公 without full cost, or leaves a category out of its list, is refused and writes nothing', async () => {
    const b = s.w.b;
    await b.loginAs('admin');
    const school = await b.call('school.get', {});
    const before = tableDigest(b);
    const e1 = await b.reject('school.update', { name: school.name, profile: { ...school.profile, allowedNonFood: ['office'] }, effectiveFrom: '2026-11' });
    expect(e1.code).toBe('VALIDATION');
    expect(e1.message).toContain('办公只有按全成本核算（承包经营）的区域配置才能列支');
    const e2 = await b.reject('school.update', {
      name: school.name,
      profile: { ...school.profile, disclosureCategories: REGION_LIST!.filter((g) => g.label !== '点心') },
      effectiveFrom: '2026-11',
    });
    expect(e2.code).toBe('VALIDATION');
    expect(e2.message).toContain('食材类别“其他食材”没有归入任何公示类别');
    expect(tableDigest(b)).toBe(before);
  });

  it('the preview shows a preset’s rows for a month and writes nothing', async () => {
    const b = s.w.b;
    await b.loginAs('admin');
    const school = await b.call('school.get', {});
    const before = tableDigest(b);
    const contracted = applyPreset(school.profile, PROFILE_PRESETS.find((p) => p.key === 'contracted')!);
    const pv = await b.call('monthclose.preview', { month: M, profile: contracted });
    expect(pv.closed).toBe(true);
    expect(pv.canteenKind).toBe('承包经营');
    const labels = pv.rows.map((r) => r.label);
    // The eight categories, every full-cost kind, 手续费 (booked), and the two result rows after 九.
    expect(labels.slice(labels.indexOf('其他食材') + 1, labels.indexOf('四、本月结余'))).toEqual(['燃料', '水电', '人工', '办公', '维修', '其他费用', '手续费']);
    expect(labels.slice(-2)).toEqual(['十、营业利润', '十一、营业利润率']);
    const profit = pv.rows.find((r) => r.key === 'operatingProfit')!;
    expect([profit.month, pv.rows.find((r) => r.key === 'operatingProfitRate')!.month]).toEqual([60_588, 8_122]);
    expect(tableDigest(b)).toBe(before);
  });
});

describe('a full-cost (承包经营) month with 营业利润 and 营业利润率', { timeout: 300_000 }, () => {
  let s: SeptSchool;
  let book: Record<string, Rows>;
  beforeAll(async () => {
    s = await septemberSchool({ skipBank: true });
    const b = s.w.b;
    await setProfile(s, (p) => applyPreset(p, PROFILE_PRESETS.find((x) => x.key === 'contracted')!), M);
    await b.loginAs('accountant');
    const spend: [string, string, number, string][] = [
      ['2026-09-20', 'fuel', 3_000, '液化气'],
      ['2026-09-25', 'utilities', 1_250, '9月水电'],
      ['2026-09-28', 'wages', 4_000, '帮厨工资'],
      ['2026-09-28', 'office', 500, '台账打印'],
      ['2026-09-29', 'repairs', 800, '更换水龙头'],
      ['2026-09-29', 'misc', 120, '洗洁精'],
      ['2026-09-30', 'bank_fee', 80, '转账手续费'],
    ];
    for (const [date, kind, amountFen, memo] of spend) await b.call('fund.recordExpense', { date, kind: kind as 'fuel', amountFen, method: 'bank', memo });
    // Bank: 100.00 − 97.50 = 2.50.
    await b.call('monthclose.setBankBalance', { month: M, account: 'bank', balanceFen: 250 });
    await close(s);
    await b.loginAs('accountant');
    book = await sheets((await b.call('monthclose.export', { month: M, dir: path.join(b.dir, 'sep'), pdf: false })).xlsxPath);
  });
  afterAll(() => s.w.b.cleanup());

  it('every cost row and the result rows, worked by hand', () => {
    const t = book['收支公示'];
    expect(String(t[1][0])).toMatch(/^食堂性质：承包经营/);
    expect(expenseBlock(t).slice(8)).toEqual([
      ['燃料', 30, 30],
      ['水电', 12.5, 12.5],
      ['人工', 40, 40],
      ['办公', 5, 5],
      ['维修', 8, 8],
      ['其他费用', 1.2, 1.2],
      ['手续费', 0.8, 0.8],
    ]);
    // 三 = food 136.62 + costs 97.50 = 234.12; 四 = 746.00 − 234.12 = 511.88.
    expect(row(t, '三、本月支出').slice(1, 3)).toEqual([234.12, 234.12]);
    expect(row(t, '四、本月结余').slice(1, 3)).toEqual([511.88, 511.88]);
    // 营业利润 = 二 − 三 = 511.88; 营业利润率 = 511.88 ÷ 746.00 = 0.686166 → 68.62 %.
    expect(row(t, '十、营业利润').slice(1, 3)).toEqual([511.88, 511.88]);
    expect(row(t, '十一、营业利润率').slice(1, 3)).toEqual([0.6862, 0.6862]);
    // 生均日伙食成本 stays food only: 136.62 ÷ 61 → 2.24.
    expect(row(t, '八、生均日伙食成本').slice(1, 3)).toEqual([2.24, 2.24]);
  });
});
