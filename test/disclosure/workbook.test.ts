// Dates are built with Date.UTC, so the machine's zone must not matter: run these in China time to prove it (and put
// the zone back after: the files after this one in the same worker share the process, vitest.config.ts).
const savedTz = process.env.TZ;
process.env.TZ = 'Asia/Shanghai';

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disclosureFileName, writeDisclosureWorkbook } from '../../electron/core/disclosure/workbook.ts';
import { DEFAULT_DISCLOSURE_LAYOUT, disclosureLayoutSchema, type DisclosureLayout, type PurchaseLine } from '../../shared/disclosure.ts';
import { fixture, PURCHASE_LINES } from './fixture.ts';

let dir: string;
let file: string;
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-disclosure-'));
  file = await writeDisclosureWorkbook(fixture(), DEFAULT_DISCLOSURE_LAYOUT, dir);
  wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

/** The row whose column A reads `label`. */
function rowOf(ws: ExcelJS.Worksheet, label: string): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((r) => {
    if (!found && r.getCell(1).value === label) found = r;
  });
  if (!found) throw new Error(`no row “${label}” in ${ws.name}`);
  return found;
}
const vals = (r: ExcelJS.Row, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => r.getCell(from + i).value);
const lastRow = (ws: ExcelJS.Worksheet) => ws.getRow(ws.rowCount);

describe('the disclosure workbook read back with exceljs', () => {
  it('has the standard name and the LAYOUTS.md sheets in order', () => {
    expect(path.basename(file)).toBe('阳光小学_2026年3月_伙食费公示.xlsx');
    expect(disclosureFileName({ schoolName: 'A/B:C', month: '2026-11' })).toBe('A_B_C_2026年11月_伙食费公示.xlsx');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['收支公示', '分类成本', '食材采购明细', '食材价格', '供应商及资质', '营养改善计划', '退费明细']);
    expect(fs.readdirSync(dir)).toEqual(['阳光小学_2026年3月_伙食费公示.xlsx']); // no temp file left behind
  });

  it('summary: merged title, second line, header, every figure of the hand-worked month', () => {
    const ws = wb.getWorksheet('收支公示')!;
    expect(ws.getCell('A1').value).toBe('阳光小学2026年3月学生食堂伙食费收支公示表');
    expect(ws.getCell('D1').isMerged).toBe(true);
    expect(ws.getCell('D1').master.address).toBe('A1');
    expect(ws.getCell('A2').value).toBe('食堂性质：自营　　统计期间：2026-03-01至2026-03-31　　单位：元');
    expect(ws.getCell('D2').master.address).toBe('A2');
    expect(vals(ws.getRow(3), 1, 4)).toEqual(['项目', '本月', '本年累计', '说明']);
    const expected: [string, number, number][] = [
      ['一、上月累计结余', 1500, 2000],
      ['二、本月收入', 132300, 387500],
      ['1. 学生伙食费（净额）', 98800, 297000],
      ['　　其中：收取', 100000, 300000],
      ['　　　　　退费', 1200, 3000],
      ['2. 营养改善计划补助', 33000, 90000],
      ['3. 其他收入', 500, 500],
      ['三、本月支出', 120302.35, 376002.35],
      ['粮油', 20000, 60000],
      ['肉禽蛋', 45678.9, 140000],
      ['水产', 8000, 25000],
      ['蔬菜水果', 30123.45, 90002.35],
      ['奶及奶制品', 9000, 30000],
      ['豆制品', 4000, 15000],
      ['调味品', 2500, 10000],
      ['其他食材', 1000, 6000],
      ['四、本月结余', 11997.65, 11497.65],
      ['五、本月累计结余', 13497.65, 13497.65],
    ];
    // Rows in LAYOUTS.md order, starting under the header.
    expected.forEach(([label, month, ytd], i) => {
      const r = ws.getRow(4 + i);
      expect(vals(r, 1, 3)).toEqual([label, month, ytd]);
      expect(r.getCell(2).numFmt).toBe('"¥"#,##0.00');
      expect(r.getCell(3).numFmt).toBe('"¥"#,##0.00');
    });
    expect(ws.getRow(4 + 16).getCell(1).value).toBe('四、本月结余');
    const rate = rowOf(ws, '六、结余率');
    expect(rate.number).toBe(4 + 18); // after 五
    expect(vals(rate, 2, 4)).toEqual([0.0907, 0.0297, '四 ÷ 二；限额：不超过2.00%（按学期）']);
    expect(rate.getCell(2).numFmt).toBe('0.00%');
    expect(vals(rowOf(ws, '七、就餐人日数'), 2, 3)).toEqual([6800, 19000]);
    expect(rowOf(ws, '八、生均日伙食成本').number).toBe(4 + 20);
    expect(vals(rowOf(ws, '九、食材支出占伙食费收入比例'), 2, 3)).toEqual([0.9093, 0.9703]);
    // No non-food rows in the default profile.
    for (const absent of ['燃料', '水电', '人工']) expect(() => rowOf(ws, absent)).toThrow();
  });

  it('summary: notes, complaint phone, signature block, checksum line last', () => {
    const ws = wb.getWorksheet('收支公示')!;
    const r = rowOf(ws, '九、食材支出占伙食费收入比例').number;
    expect(ws.getCell(`A${r + 1}`).value).toBe('说明：依据《学校食品安全与营养健康管理规定》及本地校园餐专项整治要求公示。');
    expect(ws.getCell(`A${r + 2}`).value).toBe('　　　公示期为七日，如有疑问请向学校膳食委员会反映。');
    expect(ws.getCell(`A${r + 3}`).value).toBe('监督投诉电话：0571-12345678');
    expect(ws.getCell(`A${r + 4}`).value).toBe('编制人：　　　　审核人：　　　　膳食委员会（家委会）代表：　　　　校长：　　　　（单位盖章）　　　　日期：');
    expect(ws.getCell(`D${r + 4}`).master.address).toBe(`A${r + 4}`);
    expect(lastRow(ws).number).toBe(r + 5);
    expect(lastRow(ws).getCell(1).value).toBe('校验码：3f9a0c1be27d4e58　版本：2');
  });

  it('print setup: A4, portrait up to 9 columns else landscape, fit to width, header rows repeated, 宋体 11', () => {
    for (const ws of wb.worksheets) {
      const p = ws.pageSetup;
      expect(p.paperSize).toBe(9);
      expect(p.orientation).toBe(ws.name === '食材采购明细' ? 'landscape' : 'portrait');
      expect(p.fitToPage).toBe(true);
      expect(p.fitToWidth).toBe(1);
      expect(p.fitToHeight).toBe(0);
      expect(p.printTitlesRow).toBe('1:3');
      expect(ws.properties.outlineProperties).toBeUndefined();
      expect(ws.getCell('A3').font.name).toBe('宋体');
      expect(ws.getCell('A3').font.size).toBe(11);
      expect(ws.getCell('A3').border.top?.style).toBe('thin');
      expect(ws.getColumn(1).width).toBeGreaterThanOrEqual(6);
      expect(lastRow(ws).getCell(1).value).toBe('校验码：3f9a0c1be27d4e58　版本：2');
    }
    expect(wb.getWorksheet('食材采购明细')!.columnCount).toBe(12);
  });

  it('分类成本: per category and the total row', () => {
    const ws = wb.getWorksheet('分类成本')!;
    expect(vals(ws.getRow(3), 1, 6)).toEqual(['类别', '上月底库存', '本月购入', '本月实际支出', '盘点调整', '本月底库存']);
    expect(vals(rowOf(ws, '粮油'), 2, 6)).toEqual([5000, 18000, 20000, -50, 3000]);
    expect(vals(rowOf(ws, '蔬菜水果'), 2, 6)).toEqual([500, 30000, 30123.45, -12.3, 376.55]);
    expect(vals(rowOf(ws, '合计'), 2, 6)).toEqual([10000, 116578.9, 120302.35, -62.3, 6276.55]);
    expect(rowOf(ws, '合计').getCell(4).numFmt).toBe('"¥"#,##0.00');
  });

  it('食材采购明细: lines in order with dates right in UTC+8, quantities with their decimals, total, rejections', () => {
    const ws = wb.getWorksheet('食材采购明细')!;
    expect(vals(ws.getRow(3), 1, 12)).toEqual(['序号', '日期', '验收单号', '品名', '规格', '单位', '数量', '单价', '金额', '供应商', '验收人', '备注']);
    const first = ws.getRow(4);
    expect(vals(first, 1, 12)).toEqual([1, new Date('2026-03-01T00:00:00Z'), 'YS202603-0001', '大米', '25kg/袋', 'kg', 3000, 6, 18000, '城南粮油有限公司', '张三、李四', '']);
    expect(first.getCell(2).numFmt).toBe('yyyy-mm-dd');
    expect(first.getCell(7).numFmt).toBe('#,##0');
    expect(first.getCell(9).numFmt).toBe('"¥"#,##0.00');
    const greens = ws.getRow(8);
    expect(vals(greens, 4, 9)).toEqual(['青菜', '', 'kg', 2345.678, 3.5, 8209.87]);
    expect(greens.getCell(7).numFmt).toBe('#,##0.000');
    expect(ws.getRow(5).getCell(7).numFmt).toBe('#,##0.0'); // 1,200.5
    expect(ws.getRow(6).getCell(7).numFmt).toBe('#,##0.00'); // 862.05
    const last = ws.getRow(13);
    expect(vals(last, 1, 4)).toEqual([10, new Date('2026-03-31T00:00:00Z'), 'YS202603-0006', '淀粉']);
    const total = ws.getRow(14);
    expect(total.getCell(1).value).toBe('合计（10笔）');
    expect(total.getCell(9).value).toBe(116578.9);
    expect(ws.getCell('C14').master.address).toBe('A14');
    const block = rowOf(ws, '拒收记录').number;
    expect(vals(ws.getRow(block + 1), 1, 10).filter((v) => v !== null && v !== '序号')).toContain('处理方式');
    const rej = ws.getRow(block + 2);
    expect([rej.getCell(1).value, rej.getCell(2).value, rej.getCell(5).value, rej.getCell(8).value, rej.getCell(10).value]).toEqual([1, '青菜', 12.5, '腐烂变质', '退回供应商']);
    expect(rej.getCell(5).numFmt).toBe('#,##0.0"kg"');
    expect(ws.getCell(`D${block + 2}`).master.address).toBe(`B${block + 2}`);
  });

  it('食材价格, 供应商及资质, 营养改善计划, 退费明细', () => {
    const prices = wb.getWorksheet('食材价格')!;
    expect(vals(rowOf(prices, '大米'), 2, 9)).toEqual(['粮油', 'kg', 3000, 6, 6.2, -0.0323, 6.1, '']);
    expect(vals(rowOf(prices, '猪肉'), 4, 9)).toEqual([1200.5, 28.6, 26, 0.1, 27.5, '']);
    expect(vals(rowOf(prices, '青菜'), 4, 9)).toEqual([2345.678, 3.5, 3, 0.1667, '—', '★偏高']);
    expect(vals(rowOf(prices, '牛奶'), 4, 9)).toEqual([4500, 2, '—', '—', 2, '']);
    expect(rowOf(prices, '青菜').getCell(7).numFmt).toBe('0.00%');

    const sup = wb.getWorksheet('供应商及资质')!;
    expect(vals(rowOf(sup, '城南粮油有限公司'), 2, 8)).toEqual(['91330100MA2H000001', 'JY13301000000001', new Date('2026-03-31T00:00:00Z'), 4, 18000, 4, '']);
    expect(rowOf(sup, '鲜肉配送中心').getCell(8).value).toBe('★许可证已过期');
    expect(vals(rowOf(sup, '绿源农场'), 3, 8)).toEqual(['—', '—', 10, 53900, 2, '★许可证缺失']);
    expect(vals(rowOf(sup, '合计'), 5, 7)).toEqual([20, 116578.9, 12]);

    const sub = wb.getWorksheet('营养改善计划')!;
    expect(vals(rowOf(sub, '一(1)班'), 2, 6)).toEqual([120, 22, 2640, 5, 13200]);
    expect(vals(rowOf(sub, '三(1)班'), 2, 6)).toEqual([70, 22, 1540, 5, 7700]);
    expect(vals(rowOf(sub, '合计'), 2, 6)).toEqual([300, null, 6600, null, 33000]);

    const ref = wb.getWorksheet('退费明细')!;
    expect(vals(rowOf(ref, '2025010101'), 2, 8)).toEqual(['张小明', '一(1)班', 5, 100, '病假', new Date('2026-03-02T00:00:00Z'), new Date('2026-03-10T00:00:00Z')]);
    expect(vals(rowOf(ref, '合计'), 4, 5)).toEqual([60, 1200]);
  });
});

describe('layouts and refusals', () => {
  it('a profile renames rows and sheets, chooses sheets, and allows a non-food row', async () => {
    const d = fixture();
    d.allowedNonFood = ['fuel'];
    d.monthFigures.nonFoodFen = { fuel: 100_000 }; // 1,000.00
    d.yearToDate.nonFoodFen = { fuel: 100_000 };
    d.monthFigures.previousBalanceFen = 150_000;
    d.usesStoreroom = false; // no 分类成本 sheet even though the layout lists it
    const layout: DisclosureLayout = {
      sheets: ['summary', 'categoryCost', 'refunds', 'prices'],
      sheetNames: { summary: '伙食费收支', refunds: '退费' },
      rowLabels: { surplus: '四、本月盈余', fuel: '燃料（天然气）' },
      canteenKind: '自营（委托管理）',
    };
    const out = path.join(dir, 'custom.xlsx');
    expect(await writeDisclosureWorkbook(d, layout, out)).toBe(out);
    const w = new ExcelJS.Workbook();
    await w.xlsx.readFile(out);
    expect(w.worksheets.map((s) => s.name)).toEqual(['伙食费收支', '退费', '食材价格']);
    const ws = w.getWorksheet('伙食费收支')!;
    expect(String(ws.getCell('A2').value)).toMatch(/^食堂性质：自营（委托管理）/);
    expect(ws.getCell('D1').master.address).toBe('A1');
    // 三 = 120,302.35 + 1,000.00; 四 = 132,300.00 − 121,302.35 = 10,997.65; ytd 四 = 387,500.00 − 377,002.35 = 10,497.65
    expect(vals(rowOf(ws, '燃料（天然气）'), 2, 3)).toEqual([1000, 1000]);
    expect(rowOf(ws, '燃料（天然气）').number).toBe(rowOf(ws, '其他食材').number + 1);
    expect(vals(rowOf(ws, '三、本月支出'), 2, 4)).toEqual([121302.35, 377002.35, '按验收入库金额计']);
    expect(vals(rowOf(ws, '四、本月盈余'), 2, 3)).toEqual([10997.65, 10497.65]);
    // food only (DOMAIN.md §4), the 燃料 row left out: 120,302.35 ÷ 6,800 = 17.6915; 376,002.35 ÷ 19,000 = 19.7896
    expect(vals(rowOf(ws, '八、生均日伙食成本'), 2, 3)).toEqual([17.69, 19.79]);
    expect(vals(rowOf(ws, '九、食材支出占伙食费收入比例'), 2, 3)).toEqual([0.9093, 0.9703]);
  });

  it('a stored layout is checked by its schema with Chinese messages', () => {
    expect(disclosureLayoutSchema.parse(DEFAULT_DISCLOSURE_LAYOUT)).toEqual(DEFAULT_DISCLOSURE_LAYOUT);
    const r = disclosureLayoutSchema.safeParse({ ...DEFAULT_DISCLOSURE_LAYOUT, sheets: [], rowLabels: { surplus: ' ' } });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => `${i.path.join('.')}：${i.message}`)).toEqual(['sheets：至少选择一张公示表', 'rowLabels.surplus：行名称不能为空']);
  });

  it('refuses bad sheet names and inconsistent data in Chinese, leaving no file', async () => {
    const before = fs.readdirSync(dir).sort();
    const bad = (sheetNames: DisclosureLayout['sheetNames']) => ({ ...DEFAULT_DISCLOSURE_LAYOUT, sheetNames });
    await expect(writeDisclosureWorkbook(fixture(), bad({ prices: '价格/均价' }), path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('工作表名称“价格/均价”无效') });
    await expect(writeDisclosureWorkbook(fixture(), bad({ prices: '食'.repeat(32) }), path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(writeDisclosureWorkbook(fixture(), bad({ prices: '收支公示' }), path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ message: expect.stringContaining('重复') });
    await expect(writeDisclosureWorkbook(fixture(), { ...DEFAULT_DISCLOSURE_LAYOUT, sheets: ['prices'] }, path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ message: expect.stringContaining('必须包含收支公示表') });

    const d1 = fixture();
    d1.yearToDate.previousBalanceFen += 1; // the two columns no longer end at the same balance
    await expect(writeDisclosureWorkbook(d1, DEFAULT_DISCLOSURE_LAYOUT, path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ message: expect.stringContaining('累计结余不一致') });
    const d2 = fixture();
    d2.categoryCosts[0].closingFen -= 1;
    await expect(writeDisclosureWorkbook(d2, DEFAULT_DISCLOSURE_LAYOUT, path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ message: expect.stringContaining('粮油的本月实际支出与收支公示表不一致') });
    const d3 = fixture();
    d3.monthFigures.nonFoodFen = { wages: 100 };
    await expect(writeDisclosureWorkbook(d3, DEFAULT_DISCLOSURE_LAYOUT, path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ message: expect.stringContaining('不允许列支人工') });
    const d4 = fixture();
    d4.monthFigures.refundsFen = 12.5;
    await expect(writeDisclosureWorkbook(d4, DEFAULT_DISCLOSURE_LAYOUT, path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ message: expect.stringContaining('须为非负整数') });
    const d5 = fixture();
    d5.subsidy[0].studentDays -= 1;
    await expect(writeDisclosureWorkbook(d5, DEFAULT_DISCLOSURE_LAYOUT, path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ message: expect.stringContaining('营养改善计划补助明细合计') });
    // A bad purchase line is found while streaming: the half-written file is removed.
    const d6 = fixture();
    d6.purchases = PURCHASE_LINES.map((l, i) => (i === 4 ? { ...l, date: '2026/03/16' } : l));
    await expect(writeDisclosureWorkbook(d6, DEFAULT_DISCLOSURE_LAYOUT, path.join(dir, 'x.xlsx'))).rejects.toMatchObject({ message: expect.stringContaining('食材采购明细第5行日期须为 YYYY-MM-DD') });
    expect(fs.readdirSync(dir).sort()).toEqual(before);
  });

  it('streams a large month from an async cursor (5,000 lines)', async () => {
    const d = fixture();
    const n = 5_000;
    async function* cursor(): AsyncGenerator<PurchaseLine> {
      for (let i = 0; i < n; i++) {
        // amount 1.23 × (i mod 100 + 1): total = 50 × 1.23 × (1 + … + 100) = 50 × 1.23 × 5,050 = 310,575.00
        yield { ...PURCHASE_LINES[0], receiptNo: `YS-${i}`, qtyMilli: 1000 * ((i % 100) + 1), unitPriceFen: 123, amountFen: 123 * ((i % 100) + 1) };
      }
    }
    d.purchases = cursor();
    const out = path.join(dir, 'large.xlsx');
    const t0 = performance.now();
    await writeDisclosureWorkbook(d, { ...DEFAULT_DISCLOSURE_LAYOUT, sheets: ['summary', 'purchases'] }, out);
    const ms = performance.now() - t0;
    const w = new ExcelJS.Workbook();
    await w.xlsx.readFile(out);
    const ws = w.getWorksheet('食材采购明细')!;
    const total = ws.getRow(3 + n + 1);
    expect(total.getCell(1).value).toBe('合计（5000笔）');
    expect(total.getCell(9).value).toBe(310575);
    expect(ws.getRow(3 + n).getCell(3).value).toBe(`YS-${n - 1}`);
    console.log(`5,000 purchase lines written in ${Math.round(ms)} ms (${fs.statSync(out).size} bytes)`);
  });
});
