import { method, z } from './contract.ts';
import { documentDate, documentMonth, fen, id, isoDate, milli, month, note, optionalNote, optionalText, text } from './fields.ts';
import { CERT_KINDS, STORAGE_CLASSES, type Category, type CertKind } from '../domain.ts';
import { EVERYONE, type Role } from '../roles.ts';
import { DISPOSITIONS, DELIVERY_STATUSES, ATTACHMENT_KINDS, ATTACHMENT_MIME, ATTACHMENT_MAX_BYTES, PAYMENT_METHODS, type DeliveryStatus, type AttachmentKind, type AttachmentMime, type PaymentMethod } from '../labels-receiving.ts';
import { RESIDUE_METHODS, RESIDUE_RESULTS, residueResultOf } from '../labels-receiving.ts';
// The vocabulary the renderer needs lives in a zod-free module (no zod in the renderer bundle); re-exported here.
export * from '../labels-receiving.ts';

/**
 * Receiving deliveries (验收入库, DOMAIN.md §1). A delivery is a document: draft → posted → cancelled; a correction
 * cancels the posted one and opens an amended draft that points to it. Quantities in thousandths, money in fen.
 */

// ---------------------------------------------------------------------------------------------------------------
// Input schemas

const certNumbers = z
  .partialRecord(z.enum(CERT_KINDS, { error: '证明类型无效' }), optionalText('证明编号', 60))
  .default({});

/**
 * 农残快检 of a line (issue 17): the method, the enzyme method's inhibition rate in tenths of a percent (62.5 % → 625)
 * and the 速测卡法's result; the enzyme method's result follows from its rate (≥ 50 % 阳性), so it is never typed.
 */
const residueTestSchema = z
  .object({
    method: z.enum(RESIDUE_METHODS, { error: '快检方法应为酶抑制率法或速测卡法' }),
    inhibitionTenths: z
      .number({ error: '抑制率必须是数字' })
      .int({ error: '抑制率精确到 0.1%' })
      .min(0, { error: '抑制率不能小于 0' })
      .max(1000, { error: '抑制率不能超过 100%' })
      .nullable()
      .default(null),
    result: z.enum(RESIDUE_RESULTS, { error: '快检结果应为阴性或阳性' }).nullable().default(null),
    tester: text('检测人', 30),
    testedTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '检测时间格式应为 HH:MM' }),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.method === 'enzyme_inhibition' && t.inhibitionTenths === null) ctx.addIssue({ code: 'custom', path: ['inhibitionTenths'], message: '酶抑制率法请填写抑制率' });
    if (t.method === 'test_card' && t.inhibitionTenths !== null) ctx.addIssue({ code: 'custom', path: ['inhibitionTenths'], message: '速测卡法不填抑制率，请选择阴性或阳性' });
    if (t.method === 'test_card' && t.result === null) ctx.addIssue({ code: 'custom', path: ['result'], message: '速测卡法请选择阴性或阳性' });
  })
  .transform((t) => ({ ...t, result: t.method === 'enzyme_inhibition' ? residueResultOf(t.inhibitionTenths as number) : (t.result as 'pass' | 'fail') }));

/**
 * A line's quantities and unit price are in the unit it was received in (`receivedUnit`, as the supplier billed it:
 * 斤, 箱…; null is the item's own unit); the core stores the base-unit quantities it converts to (shared/units.ts).
 */
const lineSchema = z
  .object({
    ingredientId: id('食材'),
    receivedUnit: z.string({ error: '计量单位无效' }).trim().min(1, { error: '计量单位无效' }).max(8, { error: '计量单位最多 8 个字' }).nullable().default(null),
    receivedMilli: milli('送货数量').refine((n) => n > 0, { error: '送货数量必须大于 0' }),
    acceptedMilli: milli('合格数量'),
    rejectedMilli: milli('拒收数量').default(0),
    rejectReason: optionalNote('拒收原因', 100),
    disposition: z.enum(DISPOSITIONS, { error: '处理方式应为当场退回或销毁' }).nullable().default(null),
    unitPriceFen: fen('单价'),
    /** The amount printed on the supplier's note for the accepted quantity; when given it is booked, and the
     * difference to quantity × price is shown. */
    printedAmountFen: fen('供应商金额').nullable().default(null),
    productionDate: isoDate('生产日期').nullable().default(null),
    batchNo: optionalText('批号', 40),
    shelfLifeDays: z.number({ error: '保质期必须是天数' }).int({ error: '保质期应为整数天' }).min(1, { error: '保质期至少 1 天' }).max(3650, { error: '保质期不能超过 3650 天' }).nullable().default(null),
    expiryDate: isoDate('保质期至').nullable().default(null),
    storageClass: z.enum(STORAGE_CLASSES, { error: '储存方式应为冷冻、冷藏或常温' }),
    packagingOk: z.boolean().default(true),
    labelOk: z.boolean().default(true),
    freshOk: z.boolean().default(true),
    /** Measured temperature in tenths of °C (−18.5 °C → −185). */
    temperatureDc: z.number({ error: '温度必须是数字' }).int({ error: '温度以 0.1℃ 为单位' }).min(-500, { error: '温度不能低于 -50℃' }).max(1000, { error: '温度不能高于 100℃' }).nullable().default(null),
    certs: certNumbers,
    note: optionalNote('备注', 200),
    residueTest: residueTestSchema.nullable().default(null),
  })
  .strict();

export const warningNoteSchema = z
  .object({
    code: z.string().min(1).max(40),
    lineIndex: z.number().int().min(0).max(999).nullable().default(null),
    note: note('警示说明', 200),
  })
  .strict();

const draftFields = {
  date: documentDate('验收日期'),
  arrivalTime: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '到货时间格式应为 HH:MM' })
    .nullable()
    .default(null),
  supplierId: id('供应商'),
  noteNumber: optionalText('送货单号', 40),
  inspectorIds: z.array(id('验收人'), { error: '请选择验收人' }).max(6, { error: '验收人最多 6 位' }).default([]),
  witnessUserId: id('家委会代表').nullable().default(null),
  witnessName: optionalText('家委会代表姓名', 30),
  lines: z.array(lineSchema, { error: '请填写验收明细' }).max(200, { error: '一张验收单最多 200 行' }),
  warningNotes: z.array(warningNoteSchema).max(400).default([]),
  /** One note covering every warning of the delivery (instead of one per warning). */
  warningNote: optionalNote('整单警示说明', 300),
  remark: optionalNote('备注', 300),
};

/** Holds received = accepted + rejected and the rejection's reason and disposition, with the row named. */
function lineRules(lines: z.infer<typeof lineSchema>[], ctx: z.RefinementCtx): void {
  lines.forEach((l, i) => {
    const n = i + 1;
    if (l.acceptedMilli + l.rejectedMilli !== l.receivedMilli) {
      ctx.addIssue({ code: 'custom', path: ['lines', i, 'acceptedMilli'], message: `第 ${n} 行：送货数量应等于合格数量加拒收数量` });
    }
    if (l.rejectedMilli > 0 && !l.rejectReason) ctx.addIssue({ code: 'custom', path: ['lines', i, 'rejectReason'], message: `第 ${n} 行：有拒收数量时请填写拒收原因` });
    if (l.rejectedMilli > 0 && !l.disposition) ctx.addIssue({ code: 'custom', path: ['lines', i, 'disposition'], message: `第 ${n} 行：有拒收数量时请选择处理方式（当场退回或销毁）` });
    if (l.rejectedMilli === 0 && (l.disposition || l.rejectReason)) {
      ctx.addIssue({ code: 'custom', path: ['lines', i, 'rejectedMilli'], message: `第 ${n} 行：没有拒收数量时不应填写拒收原因或处理方式` });
    }
    if (l.printedAmountFen !== null && l.acceptedMilli === 0 && l.printedAmountFen !== 0) {
      ctx.addIssue({ code: 'custom', path: ['lines', i, 'printedAmountFen'], message: `第 ${n} 行：全部拒收的行不能有供应商金额` });
    }
  });
}

export const deliveryDraftSchema = z.object(draftFields).strict().superRefine((d, ctx) => lineRules(d.lines, ctx));
export type DeliveryDraftInput = z.input<typeof deliveryDraftSchema>;
export type DeliveryDraft = z.output<typeof deliveryDraftSchema>;
export type DeliveryLineInput = z.input<typeof lineSchema>;
export type DeliveryLine = z.output<typeof lineSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Outputs

/**
 * A user one may pick as inspector or witness, with the pinyin keys the form filters by (shared/pinyin-match.ts) and
 * how many posted deliveries they inspected in the last 90 days (the most used first).
 */
export interface PersonOption {
  id: string;
  name: string;
  roles: Role[];
  pyInitials: string;
  pyFull: string;
  recent: number;
}

export interface Finding {
  level: 'error' | 'warning';
  code: string;
  /** 0-based line index; absent for findings about the whole delivery. */
  lineIndex?: number;
  message: string;
}
export interface CheckResult {
  findings: Finding[];
  /** Warnings that still lack a note (per warning or the delivery's note). */
  unnotedWarnings: number;
  canPost: boolean;
  /** Per line: effective expiry date (typed or production date + shelf life) and the amounts. */
  lines: { expiryDate: string | null; computedAmountFen: number; amountFen: number; differenceFen: number }[];
  totalFen: number;
  /** The categories whose lines need a 农残快检 under the profile of the delivery's month (the form opens their test). */
  residueCategories: Category[];
}

export interface DeliveryLineView extends DeliveryLine {
  lineNo: number;
  ingredientName: string;
  category: Category;
  unit: string;
  spec: string;
  computedAmountFen: number;
  amountFen: number;
  /** printed − computed, 0 when no printed amount. */
  differenceFen: number;
  /** Base thousandths in one received unit (500 for 斤 of an item in 千克), null when received in `unit` itself. */
  unitSizeMilli: number | null;
  /** The quantities in the item's own unit (`unit`) and the price per it, as stock and the disclosure see them. */
  baseReceivedMilli: number;
  baseAcceptedMilli: number;
  baseRejectedMilli: number;
  baseUnitPriceFen: number;
}
export interface Inspector {
  userId: string;
  name: string;
}
export interface AttachmentView {
  id: string;
  deliveryId: string;
  lineNo: number | null;
  certKind: CertKind | null;
  kind: AttachmentKind;
  fileName: string;
  mime: AttachmentMime;
  size: number;
  sha256: string;
  keepUntil: string;
  createdAt: string;
  createdByName: string | null;
}
export interface DeliveryView {
  id: string;
  number: string | null;
  status: DeliveryStatus;
  date: string;
  arrivalTime: string | null;
  supplierId: string;
  supplierName: string;
  supplierContact: string;
  supplierPhone: string;
  supplierAddress: string;
  noteNumber: string;
  inspectors: Inspector[];
  witnessUserId: string | null;
  witnessName: string;
  lines: DeliveryLineView[];
  warningNotes: { code: string; lineIndex: number | null; note: string }[];
  warningNote: string;
  remark: string;
  totalFen: number;
  /** Findings as acknowledged at posting (posted/cancelled) or as of now (draft). */
  findings: Finding[];
  amends: string | null;
  amendsNumber: string | null;
  amendedBy: string | null;
  createdAt: string;
  createdByName: string | null;
  updatedAt: string;
  postedAt: string | null;
  postedByName: string | null;
  cancelledAt: string | null;
  cancelledByName: string | null;
  cancelReason: string | null;
  attachments: AttachmentView[];
}
export interface DeliveryListRow {
  id: string;
  number: string | null;
  status: DeliveryStatus;
  date: string;
  supplierId: string;
  supplierName: string;
  noteNumber: string;
  lineCount: number;
  rejectedLines: number;
  totalFen: number;
  inspectorNames: string[];
  amends: string | null;
}
export interface PriceRow {
  date: string;
  deliveryId: string;
  number: string;
  supplierName: string;
  acceptedMilli: number;
  unitPriceFen: number;
  amountFen: number;
}
export interface ReconciliationRow {
  deliveryId: string;
  number: string;
  date: string;
  noteNumber: string;
  ourFen: number;
  /** The statement's amount for this delivery (matched by delivery-note or 验收单 number), null when not itemised. */
  statementFen: number | null;
  differenceFen: number | null;
}
export interface StatementView {
  supplierId: string;
  month: string;
  totalFen: number;
  invoiceNumbers: string[];
  lines: { ref: string; amountFen: number }[];
  note: string;
  updatedAt: string;
  updatedByName: string | null;
}
export interface PaymentView {
  id: string;
  supplierId: string;
  date: string;
  amountFen: number;
  method: PaymentMethod;
  reference: string;
  note: string;
  createdByName: string | null;
}
/** Where a supplier's month stands against its statement: none entered, agreeing in total and per delivery, or not. */
export type ReconciliationState = 'none' | 'agreed' | 'different';
/** One supplier of a month's reconciliation (the accountant's worklist for 供应商对账). */
export interface ReconciliationMonthRow {
  supplierId: string;
  supplierName: string;
  deliveries: number;
  ourTotalFen: number;
  statementTotalFen: number | null;
  state: ReconciliationState;
}
export interface Reconciliation {
  supplierId: string;
  supplierName: string;
  month: string;
  rows: ReconciliationRow[];
  /** Statement lines that match no posted delivery of the month. */
  unmatched: { ref: string; amountFen: number }[];
  ourTotalFen: number;
  statement: StatementView | null;
  /** statement total − our total (null without a statement). */
  differenceFen: number | null;
  payments: PaymentView[];
  /** Payable balance owed to the supplier at the month's end (credit positive). */
  payableAtMonthEndFen: number;
  payableNowFen: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Declarations

/** Who records and posts deliveries; the accountant may amend (cancel and re-post) a correction. */
const RECORDERS: readonly Role[] = ['storekeeper', 'accountant'];
const FINANCE: readonly Role[] = ['accountant'];
const FINANCE_READERS: readonly Role[] = ['admin', 'accountant', 'reviewer'];

const listInput = z
  .object({
    from: isoDate('开始日期').optional(),
    to: isoDate('结束日期').optional(),
    supplierId: id('供应商').optional(),
    ingredientId: id('食材').optional(),
    status: z.enum(DELIVERY_STATUSES, { error: '状态无效' }).optional(),
    offset: z.number().int().min(0).max(1e9).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const receivingApi = {
  'receiving.check': method<CheckResult>()({
    input: z.object({ draft: deliveryDraftSchema, deliveryId: id('验收单').nullable().default(null) }).strict(),
    access: RECORDERS,
    writes: false,
    summary: '按规则检查验收单（过期、临期、资质、索证、价格、禁购、双人验收），表单实时调用，过账时再查一次',
  }),
  'receiving.saveDraft': method<DeliveryView>()({
    input: z.object({ id: id('验收单').nullable().default(null), draft: deliveryDraftSchema }).strict(),
    access: RECORDERS,
    writes: true,
    summary: '保存验收单草稿（新建或整单替换明细）',
  }),
  'receiving.post': method<DeliveryView>()({
    input: z.object({ id: id('验收单') }).strict(),
    access: RECORDERS,
    writes: true,
    summary: '过账：编号、锁定、按类别记食材支出与应付账款（只计合格数量）',
  }),
  'receiving.discard': method<DeliveryView>()({
    input: z.object({ id: id('验收单'), reason: note('作废原因', 200) }).strict(),
    access: RECORDERS,
    writes: true,
    summary: '作废未过账的草稿（留记录）',
  }),
  'receiving.cancel': method<{ cancelled: DeliveryView; amended: DeliveryView | null }>()({
    input: z.object({ id: id('验收单'), reason: note('作废原因', 200), amend: z.boolean().default(true) }).strict(),
    access: RECORDERS,
    writes: true,
    summary: '作废已过账的验收单（冲销凭证），并生成指向原单的更正草稿',
  }),
  'receiving.get': method<DeliveryView>()({
    input: z.object({ id: id('验收单') }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '验收单详情（含检查结果与附件）',
  }),
  'receiving.list': method<{ rows: DeliveryListRow[]; total: number; totalFen: number }>()({
    input: listInput,
    access: EVERYONE,
    writes: false,
    summary: '按日期、供应商、食材、状态查询验收单，含合计',
  }),
  'receiving.priceHistory': method<PriceRow[]>()({
    input: z.object({ ingredientId: id('食材'), from: isoDate('开始日期').optional(), to: isoDate('结束日期').optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '食材价格历史（已入账的合格数量）',
  }),
  'receiving.lastPrice': method<{ unitPriceFen: number; date: string; supplierName: string } | null>()({
    input: z.object({ ingredientId: id('食材'), supplierId: id('供应商').optional() }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '食材最近一次合格入账的单价（表单预填）',
  }),
  'receiving.people': method<PersonOption[]>()({
    input: z.object({}).strict().default({}),
    access: RECORDERS,
    writes: false,
    summary: '可选的验收人与家委会代表（在用的用户）',
  }),
  'receiving.attach': method<AttachmentView>()({
    input: z
      .object({
        deliveryId: id('验收单'),
        lineNo: z.number().int().min(1).max(200).nullable().default(null),
        certKind: z.enum(CERT_KINDS, { error: '证明类型无效' }).nullable().default(null),
        kind: z.enum(ATTACHMENT_KINDS, { error: '附件类型无效' }),
        fileName: text('文件名', 120),
        mime: z.enum(Object.keys(ATTACHMENT_MIME) as [AttachmentMime, ...AttachmentMime[]], { error: '只能上传 JPG、PNG 图片或 PDF 文件' }),
        dataBase64: z.string({ error: '文件内容无效' }).min(1, { error: '文件是空的' }).max(Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 8, { error: `文件不能超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB` }),
      })
      .strict(),
    access: RECORDERS,
    writes: true,
    summary: '上传送货单、证明的照片或扫描件（按内容哈希保存，去重）',
  }),
  'receiving.attachmentData': method<{ mime: AttachmentMime; dataBase64: string; fileName: string }>()({
    input: z.object({ id: id('附件') }).strict(),
    access: EVERYONE,
    writes: false,
    summary: '读取附件内容（显示缩略图或原图）',
  }),
  'receiving.deleteAttachment': method<null>()({
    input: z.object({ id: id('附件'), reason: note('删除原因', 200) }).strict(),
    access: ['admin', 'storekeeper', 'accountant'],
    writes: true,
    summary: '删除附件：保存期（保质期满后 6 个月，无保质期 2 年）未满时拒绝',
  }),
  'receiving.statementSave': method<StatementView>()({
    input: z
      .object({
        supplierId: id('供应商'),
        month: documentMonth('对账月份', '录入供应商对账单'),
        totalFen: fen('对账单金额'),
        invoiceNumbers: z.array(text('发票号', 40)).max(100).default([]),
        lines: z.array(z.object({ ref: text('单号', 40), amountFen: fen('金额') }).strict()).max(500).default([]),
        note: optionalNote('备注', 300),
      })
      .strict(),
    access: FINANCE,
    writes: true,
    summary: '登记供应商月度对账单（总额、发票号、逐单金额）',
  }),
  'receiving.reconciliation': method<Reconciliation>()({
    input: z.object({ supplierId: id('供应商'), month: month('对账月份') }).strict(),
    access: FINANCE_READERS,
    writes: false,
    summary: '对账：本月已入账验收单与供应商对账单逐单比对，差额与付款',
  }),
  'receiving.reconciliationMonth': method<ReconciliationMonthRow[]>()({
    input: z.object({ month: month('对账月份') }).strict(),
    access: FINANCE_READERS,
    writes: false,
    summary: '对账：本月有入账验收单的每家供应商，对账单未录入、一致或有差异',
  }),
  'receiving.pay': method<PaymentView>()({
    input: z
      .object({
        supplierId: id('供应商'),
        date: documentDate('付款日期'),
        amountFen: fen('付款金额').refine((n) => n > 0, { error: '付款金额必须大于 0' }),
        method: z.enum(PAYMENT_METHODS, { error: '付款方式应为银行转账或现金' }),
        reference: optionalText('凭证号', 60),
        note: optionalNote('备注', 200),
      })
      .strict(),
    access: FINANCE,
    writes: true,
    summary: '向供应商付款（借应付账款，贷银行存款或库存现金）',
  }),
  'receiving.payables': method<{ supplierId: string; supplierName: string; balanceFen: number }[]>()({
    input: z.object({}).strict().default({}),
    access: FINANCE_READERS,
    writes: false,
    summary: '各供应商应付余额',
  }),
};

