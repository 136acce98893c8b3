import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportPreview } from '../../shared/api/imports.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

// Check characters computed by hand (GB 32100-2015 weights), independent of the code under test.
const CODE_A = '91330106MA2H123456';
const CODE_B = '91330110MA2KL0P7Q8';
const CODE_C = '92330106MA2CXYW01N';
const CODE_D = '91330100143224572T';

let b: TestBackend;
beforeEach(async () => {
  b = await setupBackend();
  await b.loginAs('storekeeper');
});
afterEach(() => b.cleanup());

/** Builds an .xlsx in memory, the way a school's own sheet would look, and returns it as base64. */
async function xlsx(rows: ExcelJS.CellValue[][], setup?: (ws: ExcelJS.Worksheet) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  setup?.(ws);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

const SUPPLIER_HEADER = ['供应商名称', '统一社会信用代码', '地址', '联系人', '电话', '许可证号', '有效期至'];

describe('import suppliers', () => {
  it('previews and imports a good file through the create path, with licences and one audit entry per row', async () => {
    const file = await xlsx([
      SUPPLIER_HEADER,
      ['杭州绿源农产品配送有限公司', CODE_A, '杭州市西湖区屏基山路 88 号', '吴国平', '0571-87352016', 'JY13301060031452', new Date(Date.UTC(2028, 5, 30))],
      ['浙江鲜丰肉类食品有限公司', CODE_B.toLowerCase(), '杭州市余杭区东塘路 17 号', '沈建华', 13805716624, 'SC10433011000527', '2027/3/5'],
      ['余杭兴农蔬菜专业合作社', CODE_C, '余杭区径山镇前溪村', '俞土根', '13606518892', '', ''],
    ]);
    const p = await b.call('import.preview', { kind: 'suppliers', fileBase64: file });
    expect(p.headerRow).toBe(1);
    expect(p.mapping).toEqual({ name: 1, creditCode: 2, address: 3, contactPerson: 4, phone: 5, kind: null, licenceKind: null, licenceNumber: 6, licenceExpiresOn: 7 });
    expect(p.fileErrors).toEqual([]);
    expect(p.rows.map((r) => [r.row, r.errors])).toEqual([[2, []], [3, []], [4, []]]);
    expect(p.okCount).toBe(3);
    expect(p.rows[1].input).toMatchObject({ creditCode: CODE_B, phone: '13805716624', licences: [{ kind: 'food_production', number: 'SC10433011000527', expiresOn: '2027-03-05' }] });

    const before = (b.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const r = await b.call('import.commit', { kind: 'suppliers', fileBase64: file });
    expect(r.created).toBe(3);
    const all = await b.call('suppliers.search', { q: '', limit: 50 });
    expect(all.map((s) => s.name).sort()).toEqual(['余杭兴农蔬菜专业合作社', '杭州绿源农产品配送有限公司', '浙江鲜丰肉类食品有限公司'].sort());
    const lv = all.find((s) => s.name === '杭州绿源农产品配送有限公司')!;
    expect(lv.kind).toBe('distributor');
    expect(lv.licences).toEqual([{ kind: 'food_business', number: 'JY13301060031452', expiresOn: '2028-06-30' }]);
    expect(all.find((s) => s.name === '余杭兴农蔬菜专业合作社')!.licences).toEqual([]);
    // Found by pinyin initials like a typed one: the import went through createSupplier.
    expect((await b.call('suppliers.search', { q: 'zjxf' })).map((s) => s.name)).toEqual(['浙江鲜丰肉类食品有限公司']);
    // 3 create entries + 1 import summary.
    const after = (b.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    expect(after - before).toBe(4);
    const creates = b.db.prepare(`SELECT action, entity, user_id FROM audit_log WHERE seq > ? ORDER BY seq`).all(before) as { action: string; entity: string; user_id: string }[];
    expect(creates.map((c) => c.action)).toEqual(['create', 'create', 'create', 'import']);
    const me = await b.call('auth.me', {});
    expect(new Set(creates.map((c) => c.user_id))).toEqual(new Set([me!.userId]));
  });

  it('rejects the whole file when one row is bad, naming the row, and writes nothing', async () => {
    const file = await xlsx([
      SUPPLIER_HEADER,
      ['杭州绿源农产品配送有限公司', CODE_A, '屏基山路 88 号', '吴国平', '0571-87352016', 'JY13301060031452', '2028-06-30'],
      ['浙江鲜丰肉类食品有限公司', '91330110MA2KL0P7Q9', '东塘路 17 号', '沈建华', '0571-86238845', '', ''],
      ['杭州禾丰粮油贸易有限公司', CODE_D, '振华路 203 号', '郑丽萍', '13805716624', '', ''],
    ]);
    const p = await b.call('import.preview', { kind: 'suppliers', fileBase64: file });
    expect(p.errorCount).toBe(1);
    expect(p.rows[1].row).toBe(3);
    expect(p.rows[1].input).toBeNull();
    expect(p.rows[1].errors).toEqual([{ field: 'creditCode', message: '统一社会信用代码应为 18 位且校验位正确' }]);

    const digest = tableDigest(b);
    const e = await b.reject('import.commit', { kind: 'suppliers', fileBase64: file });
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toContain('有 1 行有问题，未导入任何数据');
    expect(e.issues).toEqual([{ path: 'rows.3.creditCode', message: '第 3 行（统一社会信用代码）：统一社会信用代码应为 18 位且校验位正确' }]);
    expect(tableDigest(b)).toBe(digest);
  });

  it('reports duplicates within the file and against the ledger', async () => {
    await b.call('suppliers.create', { name: '杭州豆香坊豆制品有限公司', creditCode: CODE_D, address: '龙山路 31 号', contactPerson: '叶美娟', phone: '0571-87096653' });
    const file = await xlsx([
      SUPPLIER_HEADER,
      ['杭州绿源农产品配送有限公司', CODE_A, '屏基山路 88 号', '吴国平', '0571-87352016', '', ''],
      ['杭州豆香坊豆制品有限公司', CODE_B, '龙山路 31 号', '叶美娟', '0571-87096653', '', ''],
      ['杭州绿源农产品配送有限公司', CODE_C, '屏基山路 88 号', '吴国平', '0571-87352016', '', ''],
      ['另一家公司', CODE_D, '某路 1 号', '张三', '0571-80000000', '', ''],
      ['第三家公司', CODE_A, '某路 2 号', '李四', '0571-80000001', '', ''],
    ]);
    const p = await b.call('import.preview', { kind: 'suppliers', fileBase64: file });
    const errs = Object.fromEntries(p.rows.map((r) => [r.row, r.errors.map((e) => e.message)]));
    expect(errs[2]).toEqual([]);
    expect(errs[3]).toEqual(['已有名为“杭州豆香坊豆制品有限公司”的供应商']);
    expect(errs[4]).toEqual(['供应商名称“杭州绿源农产品配送有限公司”与第 2 行重复']);
    expect(errs[5]).toEqual(['统一社会信用代码 91330100143224572T 已属于供应商“杭州豆香坊豆制品有限公司”']);
    expect(errs[6]).toEqual([`统一社会信用代码 ${CODE_A} 与第 2 行重复`]);
    const digest = tableDigest(b);
    const e = await b.reject('import.commit', { kind: 'suppliers', fileBase64: file });
    expect(e.code).toBe('VALIDATION');
    expect(e.issues!.map((i) => i.path)).toEqual(['rows.3.name', 'rows.4', 'rows.5.creditCode', 'rows.6']);
    expect(tableDigest(b)).toBe(digest);
  });

  it('takes a mapping override for headers it cannot guess, and finds the header below a title row', async () => {
    const file = await xlsx([
      ['2026 年秋季供应商名录'],
      ['序号', '商户', '代码', '经营场所', '对接人', '座机', '备注'],
      [1, '杭州晨光乳品有限公司', CODE_A, '良渚街道好运街 9 号', '蒋文斌', '0571-88607721', '牛奶'],
    ]);
    const p = await b.call('import.preview', { kind: 'suppliers', fileBase64: file });
    expect(p.headerRow).toBe(2);
    expect(p.suggestedMapping.name).toBeNull();
    expect(p.fileErrors[0]).toContain('表格中找不到必填的列：供应商名称、统一社会信用代码、地址、联系人、电话');
    const digest = tableDigest(b);
    expect((await b.reject('import.commit', { kind: 'suppliers', fileBase64: file })).message).toContain('找不到必填的列');
    expect(tableDigest(b)).toBe(digest);

    const mapping = { name: 2, creditCode: 3, address: 4, contactPerson: 5, phone: 6 };
    const p2 = await b.call('import.preview', { kind: 'suppliers', fileBase64: file, mapping });
    expect(p2.fileErrors).toEqual([]);
    expect(p2.rows).toHaveLength(1);
    expect(p2.rows[0]).toMatchObject({ row: 3, errors: [], cells: { name: '杭州晨光乳品有限公司', phone: '0571-88607721' } });
    expect((await b.call('import.commit', { kind: 'suppliers', fileBase64: file, mapping })).created).toBe(1);
    expect((await b.call('suppliers.search', { q: '晨光' }))[0].address).toBe('良渚街道好运街 9 号');

    // A column mapped twice, or past the sheet's last column, is a clear refusal.
    expect((await b.reject('import.preview', { kind: 'suppliers', fileBase64: file, mapping: { ...mapping, address: 2 } })).message).toBe('第 2 列同时对应了“供应商名称”和“地址”');
    expect((await b.reject('import.preview', { kind: 'suppliers', fileBase64: file, mapping: { ...mapping, address: 30 } })).message).toBe('“地址”对应的第 30 列在表格中不存在');
    expect((await b.reject('import.preview', { kind: 'suppliers', fileBase64: file, mapping: { colour: 1 } })).code).toBe('VALIDATION');
  });

  it('asks for an expiry date when a licence number is given, and accepts 长期', async () => {
    const file = await xlsx([
      SUPPLIER_HEADER,
      ['甲公司', CODE_A, '甲路 1 号', '甲', '0571-80000001', 'JY13301060000001', ''],
      ['乙公司', CODE_B, '乙路 1 号', '乙', '0571-80000002', 'JY13301060000002', '长期'],
      ['丙公司', CODE_C, '丙路 1 号', '丙', '0571-80000003', 'JY13301060000003', '2027-02-30'],
      ['丁公司', CODE_D, '丁路 1 号', '丁', '0571-80000004', '', '2027-01-01'],
    ]);
    const p = await b.call('import.preview', { kind: 'suppliers', fileBase64: file });
    expect(p.rows.map((r) => r.errors.map((e) => e.message))).toEqual([
      ['请填写许可证有效期至（长期有效的填“长期”）'],
      [],
      ['有效期至“2027-02-30”不是有效日期（例如 2027-06-30；长期有效填“长期”）'],
      ['填写了许可证类型或有效期，但缺少许可证号'],
    ]);
    expect(p.rows[1].input).toMatchObject({ licences: [{ kind: 'food_business', number: 'JY13301060000002', expiresOn: null }] });
  });
});

describe('import ingredients', () => {
  const HEADER = ['品名', '类别', '单位', '规格', '参考价(元)', '需索证', '禁止'];

  it('reads prices to the fen exactly (numbers, text, formulas), Chinese categories, certificates and flags', async () => {
    const file = await xlsx([
      HEADER,
      ['猪前腿肉', '肉禽蛋', '千克', '', 28, '动物检疫合格证明、肉品品质检验合格证明', '否'],
      ['白菜', '蔬菜水果', '千克', '', 2.5, '', ''],
      ['大米', '粮油', '千克', '25kg/袋', '¥5.60', '', '否'],
      ['生抽', '调味品', '瓶', '500mL/瓶', 3.3, '无', ''],
      ['四季豆', '蔬菜水果', '千克', '', { formula: '1.1+2.2', result: 3.3000000000000003 }, '', '是'],
      ['牛腩', 'meat', '千克', '', '78.00元', '动物检疫', false],
      ['纯牛奶', '奶及奶制品', '盒', '200mL/盒', 0.29, '检验检测报告', ''],
    ]);
    const p = await b.call('import.preview', { kind: 'ingredients', fileBase64: file });
    expect(p.mapping).toEqual({ name: 1, category: 2, unit: 3, spec: 4, refPrice: 5, requiredCerts: 6, banned: 7, storable: null });
    expect(p.rows.flatMap((r) => r.errors)).toEqual([]);
    await b.call('import.commit', { kind: 'ingredients', fileBase64: file });
    const items = await b.call('ingredients.search', { q: '', limit: 100 });
    const by = (n: string) => items.find((i) => i.name === n)!;
    // 28 元 = 2800 分; 2.5 → 250; "¥5.60" → 560; 3.3 → 330 (3.3 × 100 is 329.99999999999994 in floating point);
    // the formula's 3.3000000000000003 → 330; "78.00元" → 7800; 0.29 → 29.
    expect(by('猪前腿肉')).toMatchObject({ category: 'meat', unit: '千克', refPriceFen: 2800, requiredCerts: ['animal_quarantine', 'meat_quality'], banned: false });
    expect(by('白菜')).toMatchObject({ category: 'vegetable', refPriceFen: 250, requiredCerts: [], banned: false });
    expect(by('大米')).toMatchObject({ category: 'grain', spec: '25kg/袋', refPriceFen: 560 });
    expect(by('生抽')).toMatchObject({ category: 'seasoning', refPriceFen: 330, requiredCerts: [] });
    expect(by('四季豆')).toMatchObject({ refPriceFen: 330, banned: true });
    expect(by('牛腩')).toMatchObject({ category: 'meat', refPriceFen: 7800, requiredCerts: ['animal_quarantine'], banned: false });
    expect(by('纯牛奶')).toMatchObject({ category: 'dairy', refPriceFen: 29, requiredCerts: ['test_report'] });
    expect((await b.call('ingredients.search', { q: 'bc' }))[0].name).toBe('白菜');
  });

  it('explains bad cells per row in Chinese and writes nothing', async () => {
    const file = await xlsx([
      HEADER,
      ['鸡蛋', '肉禽蛋', '千克', '', 11, '', ''],
      ['土豆', '根茎类', '千克', '', 3.2, '', ''],
      ['洋葱', '蔬菜水果', '千克', '', 2.555, '', ''],
      ['', '蔬菜水果', '千克', '', 3, '', ''],
      ['冬瓜', '蔬菜水果', '', '', -2, '', '也许'],
      ['青椒', '蔬菜水果', '千克', '', 6, '合格证', ''],
      ['鸡蛋', '肉禽蛋', '千克', '', 12, '', ''],
    ]);
    const p = await b.call('import.preview', { kind: 'ingredients', fileBase64: file });
    const errs = Object.fromEntries(p.rows.map((r) => [r.row, r.errors.map((e) => `${e.field}:${e.message}`)]));
    expect(errs[2]).toEqual([]);
    expect(errs[3]).toEqual(['category:类别“根茎类”无法识别，可填：粮油、肉禽蛋、水产、蔬菜水果、奶及奶制品、豆制品、调味品、其他食材']);
    expect(errs[4]).toEqual(['refPrice:参考价“2.555”应为金额（元），最多两位小数']);
    expect(errs[5]).toEqual(['name:请填写品名']);
    expect(errs[6]).toEqual(['refPrice:参考价“-2”应为金额（元），最多两位小数', 'banned:禁用“也许”应填“是”或“否”', 'unit:请填写单位']);
    expect(errs[7][0]).toContain('requiredCerts:需索证“合格证”无法识别');
    expect(errs[8]).toEqual(['null:食材“鸡蛋”（同品名同规格）与第 2 行重复']);
    const digest = tableDigest(b);
    const e = await b.reject('import.commit', { kind: 'ingredients', fileBase64: file });
    expect(e.message).toContain('有 6 行有问题');
    expect(e.issues!.find((i) => i.path === 'rows.5.name')!.message).toBe('第 5 行（品名）：请填写品名');
    expect(tableDigest(b)).toBe(digest);
  });

  it('refuses an existing name+spec from the ledger, but allows the same name with another spec', async () => {
    await b.call('ingredients.create', { name: '大米', category: 'grain', unit: '千克', spec: '25kg/袋' });
    const file = await xlsx([HEADER, ['大米', '粮油', '千克', '25kg/袋', 5.6, '', ''], ['大米', '粮油', '千克', '10kg/袋', 5.8, '', '']]);
    const p = await b.call('import.preview', { kind: 'ingredients', fileBase64: file });
    expect(p.rows.map((r) => r.errors.map((e) => e.message))).toEqual([['已有食材“大米（25kg/袋）”'], []]);
  });

  it('round-trips its own template: the example row imports cleanly', async () => {
    for (const kind of ['suppliers', 'ingredients'] as const) {
      const t = await b.call('import.template', { kind });
      expect(t.fileName).toMatch(/导入模板\.xlsx$/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(t.fileBase64, 'base64') as unknown as ExcelJS.Buffer);
      expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe(kind === 'suppliers' ? '*供应商名称' : '*品名');
      const p: ImportPreview = await b.call('import.preview', { kind, fileBase64: t.fileBase64 });
      expect(p.fileErrors).toEqual([]);
      expect(Object.values(p.mapping).every((c) => c !== null)).toBe(true);
      expect(p.rows).toHaveLength(1);
      expect(p.rows[0].errors).toEqual([]);
    }
  });
});

describe('import refusals', () => {
  it('refuses bytes that are not .xlsx with a Chinese message', async () => {
    const csv = Buffer.from('品名,类别\n白菜,蔬菜水果\n').toString('base64');
    expect(await b.reject('import.preview', { kind: 'ingredients', fileBase64: csv })).toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('文件不是 Excel 工作簿（.xlsx）') });
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]).toString('base64');
    expect((await b.reject('import.preview', { kind: 'ingredients', fileBase64: xls })).message).toContain('旧版 Excel（.xls）');
    // A zip that is not a workbook (e.g. a .docx or any archive).
    const zip = Buffer.from('UEsDBAoAAAAAAAAAIQAAAAAAAAAAAAAAAAAFAAAAYS50eHRQSwECFAAKAAAAAAAAACEAAAAAAAAAAAAAAAAABQAAAAAAAAAAAAAAAAAAAAAAYS50eHRQSwUGAAAAAAEAAQAzAAAAIwAAAAAA', 'base64');
    expect((await b.reject('import.preview', { kind: 'ingredients', fileBase64: zip.toString('base64') })).message).toContain('文件不是 Excel 工作簿');
    expect((await b.reject('import.preview', { kind: 'ingredients', fileBase64: '这不是base64' })).message).toBe('文件内容应为 base64 编码');
    expect((await b.reject('import.preview', { kind: 'ingredients', fileBase64: '' })).message).toBe('请选择要导入的文件');
    expect((await b.reject('import.preview', { kind: 'cats', fileBase64: csv })).message).toBe('导入类型应为 suppliers（供应商）或 ingredients（食材）');
  });

  it('refuses files over the size limit and sheets over 5,000 rows', async () => {
    expect((await b.reject('import.preview', { kind: 'ingredients', fileBase64: 'A'.repeat(5_000_004) })).message).toBe('文件太大（不能超过约 3.7 MB），请分成几个文件导入');
    const rows: ExcelJS.CellValue[][] = [['品名', '类别', '单位']];
    for (let i = 1; i <= 5001; i++) rows.push([`食材${i}`, '其他食材', '千克']);
    const file = await xlsx(rows);
    const p = await b.call('import.preview', { kind: 'ingredients', fileBase64: file });
    expect(p.fileErrors).toEqual(['表格有 5001 行数据，超过一次 5000 行的上限，请分批导入']);
    const digest = tableDigest(b);
    expect((await b.reject('import.commit', { kind: 'ingredients', fileBase64: file })).code).toBe('VALIDATION');
    expect(tableDigest(b)).toBe(digest);
  });

  it('is open to the roles that may create master data, and no others', async () => {
    const file = await xlsx([['品名', '类别', '单位'], ['白菜', '蔬菜水果', '千克']]);
    for (const who of ['parent', 'cashier', 'reviewer']) {
      await b.loginAs(who);
      expect((await b.reject('import.commit', { kind: 'ingredients', fileBase64: file })).code).toBe('FORBIDDEN');
    }
    await b.loginAs('accountant');
    expect((await b.call('import.commit', { kind: 'ingredients', fileBase64: file })).created).toBe(1);
  });
});
