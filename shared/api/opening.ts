import { method, z } from './contract.ts';
import { documentDate, fen, id, isoDate, MAX_MILLI, note, optionalNote, optionalText } from './fields.ts';
import { STORAGE_CLASSES, type StorageClass } from '../domain.ts';
import { OPENING_APPROVERS, OPENING_EDITORS, OPENING_READERS, OPENING_WITHDRAWERS, type OpeningLineKind, type OpeningStatus } from '../labels-opening.ts';
// The vocabulary the renderer needs lives in a zod-free module (no zod in the renderer bundle); re-exported here.
export * from '../labels-opening.ts';

/**
 * 期初建账 (issue 14 §2, DOMAIN.md §7): a school that starts its books here mid-year enters once what it already holds
 * — the balance of each fund (食堂专户, 营养改善计划专户, cash), the stock on hand as lots, pupils' prepayments and
 * arrears, what it owes suppliers — dated the last day of the month before its first month here. The 会计 saves and
 * submits it, a 审核人 who did not submit it approves, which posts it (one balanced journal entry against 期初结余, the
 * lots with their cost) and fixes it for good. Not possible once a month has been closed.
 */

export interface OpeningLineView {
  lineNo: number;
  kind: OpeningLineKind;
  ingredientId: string | null;
  ingredientName: string | null;
  unit: string | null;
  qtyMilli: number | null;
  expiryDate: string | null;
  storageClass: StorageClass | null;
  /** The stock lot this line becomes (exists once the opening is posted). */
  lotId: string | null;
  studentId: string | null;
  studentNo: string | null;
  studentName: string | null;
  className: string | null;
  supplierId: string | null;
  supplierName: string | null;
  amountFen: number;
  note: string;
}

export interface OpeningTotals {
  stockFen: number;
  prepaidFen: number;
  arrearsFen: number;
  payableFen: number;
  /** 期初结余 posted against 期初结余 (fund_opening): bank + subsidy bank + cash − payables. */
  fundFen: number;
  /** The first month's 一、上月累计结余: fundFen, plus the stock at cost where the profile uses the storeroom. */
  previousBalanceFen: number;
}

export interface OpeningView {
  id: string;
  date: string;
  status: OpeningStatus;
  bankFen: number;
  subsidyBankFen: number;
  cashFen: number;
  note: string;
  lines: OpeningLineView[];
  totals: OpeningTotals;
  createdByName: string;
  updatedAt: string;
  submittedByName: string | null;
  submittedAt: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  entryId: string | null;
}

export interface OpeningState {
  opening: OpeningView | null;
  /** The last day of last month: the usual opening date. */
  suggestedDate: string;
  usesStoreroom: boolean;
  /** Set when a month has been closed: no opening can be posted any more (why, in words). */
  closedNote: string | null;
}

export interface OpeningImportRow {
  /** The row number in the workbook. */
  line: number;
  /** What the row reads as (品名 数量 单位 / 学号 姓名), for the preview. */
  label: string;
  errors: string[];
  /** The line to add to the draft, when the row has no error. */
  input: OpeningLineInput | null;
}
export interface OpeningImportPreview {
  sheetName: string;
  headers: string[];
  rows: OpeningImportRow[];
  okCount: number;
  errorCount: number;
}

const lineNote = optionalText('备注', 200);

const stockLine = z
  .object({
    kind: z.literal('stock'),
    ingredientId: id('食材'),
    qtyMilli: z
      .number({ error: '数量必须是数字' })
      .int({ error: '数量必须是千分之一单位的整数' })
      .min(1, { error: '期初库存数量必须大于零' })
      .max(MAX_MILLI, { error: '数量超出允许范围' }),
    amountFen: fen('库存金额'),
    expiryDate: isoDate('保质期至').nullable().default(null),
    storageClass: z.enum(STORAGE_CLASSES, { error: '请选择储存方式' }),
    note: lineNote,
  })
  .strict();
const pupilLine = z
  .object({ kind: z.enum(['prepaid', 'arrears']), studentId: id('学生'), amountFen: fen('金额').min(1, { error: '金额必须大于零' }), note: lineNote })
  .strict();
const payableLine = z.object({ kind: z.literal('payable'), supplierId: id('供应商'), amountFen: fen('应付金额').min(1, { error: '应付金额必须大于零' }), note: lineNote }).strict();

export const openingLine = z.discriminatedUnion('kind', [stockLine, pupilLine, payableLine], { error: '期初明细的类别不对' });
export type OpeningLineInput = z.input<typeof openingLine>;

export const openingApi = {
  'opening.get': method<OpeningState>()({
    input: z.object({}).strict().default({}),
    access: OPENING_READERS,
    writes: false,
    summary: '期初建账：草稿、待审核或已过账的期初数',
  }),
  'opening.save': method<OpeningView>()({
    input: z
      .object({
        date: documentDate('期初日期'),
        bankFen: fen('食堂专户存款'),
        subsidyBankFen: fen('营养改善计划专户存款'),
        cashFen: fen('库存现金'),
        note: optionalNote('说明', 500),
        lines: z.array(openingLine).max(20_000, { error: '期初明细不能超过 20000 行' }).default([]),
      })
      .strict()
      .refine((v) => new Set(v.lines.filter((l) => l.kind === 'prepaid' || l.kind === 'arrears').map((l) => (l as { studentId: string }).studentId)).size ===
        v.lines.filter((l) => l.kind === 'prepaid' || l.kind === 'arrears').length, { error: '同一学生只能有一行预交或欠费', path: ['lines'] })
      .refine((v) => new Set(v.lines.filter((l) => l.kind === 'payable').map((l) => (l as { supplierId: string }).supplierId)).size === v.lines.filter((l) => l.kind === 'payable').length, {
        error: '同一供应商只能有一行应付款',
        path: ['lines'],
      }),
    access: OPENING_EDITORS,
    writes: true,
    summary: '保存期初建账草稿（整份替换）',
  }),
  'opening.submit': method<OpeningView>()({
    input: z.object({}).strict().default({}),
    access: OPENING_EDITORS,
    writes: true,
    summary: '提交期初建账，等待审核人审核',
  }),
  'opening.withdraw': method<OpeningView>()({
    input: z.object({ reason: note('退回理由') }).strict(),
    access: OPENING_WITHDRAWERS,
    writes: true,
    summary: '把已提交的期初建账退回草稿（写明理由）',
  }),
  'opening.approve': method<OpeningView>()({
    input: z.object({}).strict().default({}),
    access: OPENING_APPROVERS,
    writes: true,
    summary: '审核并过账期初建账（提交人不能审核自己的期初）',
  }),
  'opening.importPreview': method<OpeningImportPreview>()({
    input: z
      .object({
        kind: z.enum(['stock', 'pupils'], { error: '请选择导入期初库存还是学生预交/欠费' }),
        dataBase64: z.string({ error: '请选择文件' }).min(1, { error: '请选择文件' }).max(20_000_000, { error: '文件太大（超过 15 MB）' }),
      })
      .strict(),
    access: OPENING_EDITORS,
    writes: false,
    summary: '期初库存或学生预交/欠费 .xlsx 预览：逐行检查',
  }),
};
