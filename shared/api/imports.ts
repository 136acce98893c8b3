import { method, z } from './contract.ts';
import type { Input } from './index.ts';
import { masterdataApi } from './masterdata.ts';
import { IMPORT_KINDS, MAX_IMPORT_BASE64, type ImportKind } from '../labels-imports.ts';
// The vocabulary the renderer needs lives in a zod-free module (no zod in the renderer bundle); re-exported here.
export * from '../labels-imports.ts';

export interface ImportField {
  key: string;
  /** The header written in the template, also what the preview shows. */
  label: string;
  required: boolean;
  /** Header texts recognised for this field (compared without spaces, brackets unified, '*' markers dropped). */
  headers: string[];
  /** Shown under the template's header: what to write. */
  hint: string;
}

export const IMPORT_FIELDS: Record<ImportKind, ImportField[]> = {
  suppliers: [
    { key: 'name', label: '供应商名称', required: true, headers: ['供应商名称', '名称', '供应商', '单位名称', '企业名称'], hint: '全称' },
    { key: 'creditCode', label: '统一社会信用代码', required: true, headers: ['统一社会信用代码', '社会信用代码', '信用代码'], hint: '18 位' },
    { key: 'address', label: '地址', required: true, headers: ['地址', '经营地址', '住所', '注册地址'], hint: '' },
    { key: 'contactPerson', label: '联系人', required: true, headers: ['联系人', '负责人'], hint: '' },
    { key: 'phone', label: '电话', required: true, headers: ['电话', '联系电话', '手机', '手机号', '联系方式'], hint: '' },
    { key: 'kind', label: '供应商类型', required: false, headers: ['供应商类型', '类型', '企业类型'], hint: '生产企业/配送/经销企业/农业合作社/基地/农贸市场经营户/其他，空白为配送/经销企业' },
    { key: 'licenceKind', label: '许可证类型', required: false, headers: ['许可证类型', '证照类型', '许可证种类'], hint: '食品经营许可证/食品生产许可证，空白时按编号判断（SC 开头为生产许可）' },
    { key: 'licenceNumber', label: '许可证号', required: false, headers: ['许可证号', '许可证编号', '食品经营许可证号', '食品生产许可证号', '证照编号'], hint: '' },
    { key: 'licenceExpiresOn', label: '有效期至', required: false, headers: ['有效期至', '许可证有效期至', '有效期', '许可证有效期', '到期日', '到期日期'], hint: '日期，或“长期”' },
  ],
  ingredients: [
    { key: 'name', label: '品名', required: true, headers: ['品名', '食材名称', '名称', '食材', '品种'], hint: '' },
    { key: 'category', label: '类别', required: true, headers: ['类别', '食材类别', '分类', '类型'], hint: '粮油/肉禽蛋/水产/蔬菜水果/奶及奶制品/豆制品/调味品/其他食材' },
    { key: 'unit', label: '单位', required: true, headers: ['单位', '计量单位'], hint: '千克、袋、瓶…' },
    { key: 'spec', label: '规格', required: false, headers: ['规格', '规格型号'], hint: '' },
    { key: 'refPrice', label: '参考价(元)', required: false, headers: ['参考价(元)', '参考价', '参考单价', '参考单价(元)', '单价(元)', '单价', '价格'], hint: '元，最多两位小数' },
    { key: 'requiredCerts', label: '需索证', required: false, headers: ['需索证', '索证', '索证要求', '需索取证明', '需要的证明'], hint: '动物检疫合格证明、肉品品质检验合格证明…，多项用顿号分隔' },
    { key: 'banned', label: '禁用', required: false, headers: ['禁用', '禁止', '禁止采购', '是否禁用', '禁用食材'], hint: '是/否' },
    { key: 'storable', label: '可储存', required: false, headers: ['可储存', '可存放', '入库储存', '可入库', '是否储存'], hint: '是/否（米面油、调味品、冻品等）' },
  ],
};

const kind = z.enum(IMPORT_KINDS, { error: '导入类型应为 suppliers（供应商）或 ingredients（食材）' });
const fileBase64 = z
  .string({ error: '请选择要导入的文件' })
  .min(1, { error: '请选择要导入的文件' })
  .max(MAX_IMPORT_BASE64, { error: '文件太大（不能超过约 3.7 MB），请分成几个文件导入' })
  .regex(/^[A-Za-z0-9+/\r\n]*={0,2}\s*$/, { error: '文件内容应为 base64 编码' });
/** Field key → column number (1 = column A) in the sheet, or null to leave the field empty. */
const mapping = z
  .record(z.string().max(40), z.number({ error: '列号必须是数字' }).int({ error: '列号必须是整数' }).min(1, { error: '列号从 1 开始' }).max(1000, { error: '列号超出范围' }).nullable())
  .optional();

const importInput = z.object({ kind, fileBase64, mapping }).strict();

export interface ImportRowError {
  /** The field the problem is in, or null for the whole row (duplicates). */
  field: string | null;
  message: string;
}
export interface ImportRow {
  /** The row number in the sheet, as Excel shows it. */
  row: number;
  /** The cell text of every mapped field, as read (for the preview table). */
  cells: Record<string, string>;
  /** The input the create method will receive; null while the row has errors. */
  input: Input<'suppliers.create'> | Input<'ingredients.create'> | null;
  errors: ImportRowError[];
}
export interface ImportPreview {
  kind: ImportKind;
  sheetName: string;
  headerRow: number;
  /** Every non-empty header of the sheet, by column number. */
  columns: { index: number; header: string }[];
  fields: ImportField[];
  /** The mapping in force: the suggestion with the caller's overrides. */
  mapping: Record<string, number | null>;
  suggestedMapping: Record<string, number | null>;
  /** Problems of the whole file (a required column missing, too many rows). */
  fileErrors: string[];
  rows: ImportRow[];
  okCount: number;
  errorCount: number;
}

// Import writes exactly what the create methods write, so it is open to exactly the same roles.
const EDITORS = masterdataApi['suppliers.create'].access;

export const importsApi = {
  'import.preview': method<ImportPreview>()({
    input: importInput,
    access: EDITORS,
    writes: false,
    summary: '预览 Excel(.xlsx) 导入：表头、建议的列对应、逐行解析结果与错误（不写入）',
  }),
  // The file is read (asynchronously) in the handler's prepare step; every row is checked and written inside the
  // dispatcher's one transaction, all or nothing.
  'import.commit': method<{ kind: ImportKind; created: number; ids: string[] }>()({
    input: importInput,
    access: EDITORS,
    writes: true,
    summary: '执行 Excel(.xlsx) 导入（写入）：任一行有错则整批拒绝、不写入；全部无误时在一个事务内逐行新增并留痕',
  }),
  'import.template': method<{ fileName: string; fileBase64: string }>()({
    input: z.object({ kind }).strict(),
    access: EDITORS,
    writes: false,
    summary: '下载导入模板(.xlsx)：规定的表头和一行示例',
  }),
};
