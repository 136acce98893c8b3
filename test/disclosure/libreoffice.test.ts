import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSummaryPdf } from '../../electron/core/disclosure/pdf.ts';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/soffice.ts';
import { writeDisclosureWorkbook } from '../../electron/core/disclosure/workbook.ts';
import { DEFAULT_DISCLOSURE_LAYOUT } from '../../shared/disclosure.ts';
import { fixture } from './fixture.ts';
import { parseCsv } from '../helpers/csv.ts';

/**
 * LibreOffice (Debian libreoffice-calc-nogui) as an independent reader of the workbook, and poppler-utils
 * (pdfinfo, pdftotext, pdftoppm) to look at the PDFs. soffice takes seconds per run: three runs in all, two of
 * them side by side, each with its own profile folder.
 */

// UTF-8 CSV of every sheet into its own file (LibreOffice ≥ 7.2: the last token −1).
const CSV_ALL_SHEETS = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1';
const RESULTS = path.resolve('test-results/disclosure');

let dir: string;
let xlsx: string;
let csvFiles: string[];
let workbookPdf: string;

function sheetCsv(sheet: string): string[][] {
  const f = csvFiles.find((x) => x.endsWith(`-${sheet}.csv`));
  if (!f) throw new Error(`no CSV for ${sheet} among ${csvFiles.map((x) => path.basename(x)).join(', ')}`);
  return parseCsv(fs.readFileSync(f, 'utf8'));
}
const csvRow = (rows: string[][], label: string) => {
  const r = rows.find((x) => x[0] === label);
  if (!r) throw new Error(`no CSV row ${label}`);
  return r;
};
const pdfinfo = (file: string, ...args: string[]) => execFileSync('pdfinfo', [...args, file], { encoding: 'utf8' });

beforeAll(async () => {
  expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-disclosure-lo-'));
  xlsx = await writeDisclosureWorkbook(fixture(), DEFAULT_DISCLOSURE_LAYOUT, dir);
  const t0 = performance.now();
  const [csv, pdf] = await Promise.all([
    convertWithSoffice(xlsx, CSV_ALL_SHEETS, path.join(dir, 'csv')),
    convertWithSoffice(xlsx, 'pdf', path.join(dir, 'pdf')),
  ]);
  console.log(`LibreOffice: CSV of every sheet and PDF of the workbook in ${Math.round(performance.now() - t0)} ms`);
  csvFiles = csv;
  workbookPdf = pdf[0];
}, 400_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('LibreOffice reads the disclosure workbook', () => {
  it('exports every sheet to UTF-8 CSV, and the totals are the hand-worked ones', () => {
    expect(csvFiles.length).toBe(7);
    const s = sheetCsv('收支公示');
    expect(s[0][0]).toBe('阳光小学2026年3月学生食堂伙食费收支公示表');
    expect(csvRow(s, '二、本月收入').slice(1, 3)).toEqual(['132300', '387500']);
    expect(csvRow(s, '三、本月支出').slice(1, 3)).toEqual(['120302.35', '376002.35']);
    expect(csvRow(s, '四、本月结余').slice(1, 3)).toEqual(['11997.65', '11497.65']);
    expect(csvRow(s, '五、本月累计结余').slice(1, 3)).toEqual(['13497.65', '13497.65']);
    expect(csvRow(s, '六、结余率').slice(1, 3)).toEqual(['9.07%', '2.97%']);
    expect(csvRow(s, '七、就餐人日数').slice(1, 3)).toEqual(['6800', '19000']);
    expect(csvRow(s, '八、生均日伙食成本').slice(1, 3)).toEqual(['17.69', '19.79']);
    expect(csvRow(s, '九、食材支出占伙食费收入比例').slice(1, 3)).toEqual(['90.93%', '97.03%']);
    expect(s.at(-1)![0]).toBe('校验码：3f9a0c1be27d4e58　版本：2');

    expect(csvRow(sheetCsv('分类成本'), '合计').slice(1, 6)).toEqual(['10000', '116578.9', '120302.35', '-62.3', '6276.55']);
    const p = sheetCsv('食材采购明细');
    expect(p[3].slice(0, 4)).toEqual(['1', '2026-03-01', 'YS202603-0001', '大米']); // the China date, not the day before
    expect(p[12].slice(0, 2)).toEqual(['10', '2026-03-31']);
    expect(csvRow(p, '合计（10笔）')[8]).toBe('116578.9');
    expect(csvRow(sheetCsv('供应商及资质'), '合计').slice(4, 7)).toEqual(['20', '116578.9', '12']);
    expect(csvRow(sheetCsv('营养改善计划'), '合计')).toEqual(['合计', '300', '', '6600', '', '33000']);
    expect(csvRow(sheetCsv('退费明细'), '合计').slice(3, 5)).toEqual(['60', '1200']);
  });

  it('converts the workbook to an A4 PDF, the purchase lines on a landscape page', () => {
    expect(fs.statSync(workbookPdf).size).toBeGreaterThan(10_000);
    const info = pdfinfo(workbookPdf, '-f', '1', '-l', '99');
    const pages = Number(/Pages:\s+(\d+)/.exec(info)![1]);
    expect(pages).toBeGreaterThanOrEqual(7);
    const sizes = [...info.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts \(A4\)/g)].map((m) => (Number(m[1]) > Number(m[2]) ? 'L' : 'P'));
    expect(sizes.length).toBe(pages); // every page A4
    // Sheet order: 收支公示 (P), 分类成本 (P), 食材采购明细 (L), then portrait sheets.
    expect(sizes.slice(0, 3)).toEqual(['P', 'P', 'L']);
    expect(sizes.filter((x) => x === 'L').length).toBe(1);
  });
});

describe('the summary PDF for the notice board', () => {
  it('is one A4 portrait page of readable Chinese; rendered to PNG under test-results/', async () => {
    const out = path.join(dir, 'notice');
    const t0 = performance.now();
    const pdf = await writeSummaryPdf(fixture(), DEFAULT_DISCLOSURE_LAYOUT, out);
    console.log(`summary PDF in ${Math.round(performance.now() - t0)} ms`);
    expect(path.basename(pdf)).toBe('阳光小学_2026年3月_伙食费收支公示表.pdf');
    expect(fs.readdirSync(out)).toEqual([path.basename(pdf)]);
    const info = pdfinfo(pdf);
    expect(info).toMatch(/Pages:\s+1\n/);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const s of ['阳光小学2026年3月学生食堂伙食费收支公示表', '四、本月结余', '¥11,997.65', '¥120,302.35', '9.07%', '¥17.69', '校验码：3f9a0c1be27d4e58', '（单位盖章）']) {
      expect(text).toContain(s);
    }
    fs.mkdirSync(RESULTS, { recursive: true });
    fs.copyFileSync(pdf, path.join(RESULTS, 'summary.pdf'));
    execFileSync('pdftoppm', ['-png', '-r', '100', '-singlefile', pdf, path.join(RESULTS, 'summary')]);
    expect(fs.statSync(path.join(RESULTS, 'summary.png')).size).toBeGreaterThan(20_000);
  }, 120_000);

  it('says in Chinese what to install when LibreOffice is missing', async () => {
    const saved = process.env.CANTEEN_SOFFICE;
    process.env.CANTEEN_SOFFICE = path.join(dir, 'no-such-soffice');
    try {
      await expect(writeSummaryPdf(fixture(), DEFAULT_DISCLOSURE_LAYOUT, path.join(dir, 'none'))).rejects.toMatchObject({
        code: 'RULE',
        message: expect.stringContaining('未找到 LibreOffice（soffice），无法生成 PDF'),
      });
      expect(fs.existsSync(path.join(dir, 'none'))).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.CANTEEN_SOFFICE;
      else process.env.CANTEEN_SOFFICE = saved;
    }
  });
});
