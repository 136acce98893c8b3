import { method, z } from './contract.ts';
import { documentDate, documentMonth, id, isoDate, milli, month, optionalNote, search } from './fields.ts';
import type { Category, CertKind, StorageClass } from '../domain.ts';
import type { Role } from '../roles.ts';
import type { CategoryCostRow } from '../disclosure.ts';
import { MEALS, ADJUST_REASONS, type Meal, type AdjustReason, type MovementKind, type LotState } from '../labels-storeroom.ts';
// The vocabulary the renderer needs lives in a zod-free module (no zod in the renderer bundle); re-exported here.
export * from '../labels-storeroom.ts';

/**
 * The storeroom (库房: 出入库, 盘点, DOMAIN.md §1). Accepted delivery lines become lots; the 保管 issues them to the
 * kitchen by date and meal, earliest expiry first; the month-end count fixes the closing stock; the month's cost as
 * consumed per category = opening stock + purchases − closing stock. Quantities in thousandths, money in fen.
 * The journal is not touched here: purchases are booked as expense at delivery posting; this is a stock ledger beside it.
 */

// ---------------------------------------------------------------------------------------------------------------
// Outputs

export interface LotView {
  lotId: string;
  ingredientId: string;
  ingredientName: string;
  category: Category;
  unit: string;
  spec: string;
  deliveryId: string | null;
  deliveryNumber: string | null;
  lineNo: number | null;
  supplierName: string | null;
  receivedOn: string;
  expiryDate: string | null;
  storageClass: StorageClass;
  direct: boolean;
  inMilli: number;
  inValueFen: number;
  unitPriceFen: number;
  onHandMilli: number;
  onHandValueFen: number;
  state: LotState;
  /** Days until expiry from the reference date (negative when expired); null without an expiry date. */
  daysLeft: number | null;
}

export interface StockItem {
  ingredientId: string;
  name: string;
  category: Category;
  unit: string;
  spec: string;
  onHandMilli: number;
  onHandValueFen: number;
  /** The worst state among its lots (expired > near > ok). */
  state: LotState;
  earliestExpiry: string | null;
  lots: LotView[];
}

export interface IssueProposalLine {
  lotId: string;
  qtyMilli: number;
  expiryDate: string | null;
  receivedOn: string;
  onHandMilli: number;
  deliveryNumber: string | null;
  state: LotState;
}
export interface IssueProposal {
  ingredientId: string;
  name: string;
  unit: string;
  requestedMilli: number;
  /** On hand in lots that may be issued on the date (not expired). */
  availableMilli: number;
  proposedMilli: number;
  /** requested − proposed when stock is short. */
  shortMilli: number;
  lines: IssueProposalLine[];
  /** Lots of the item past their expiry on the date: never issued, dispose of them with 过期销毁. */
  expiredLots: IssueProposalLine[];
}

export interface IssueLineView {
  lotId: string;
  ingredientId: string;
  ingredientName: string;
  unit: string;
  category: Category;
  qtyMilli: number;
  valueFen: number;
  expiryDate: string | null;
  deliveryNumber: string | null;
}
export interface IssueView {
  id: string;
  number: string;
  date: string;
  meal: Meal | null;
  /** Set for the automatic 直进直出 issue of a delivery. */
  deliveryId: string | null;
  deliveryNumber: string | null;
  note: string;
  reverses: string | null;
  reversedBy: string | null;
  lines: IssueLineView[];
  totalFen: number;
  createdAt: string;
  createdByName: string | null;
}

export interface MovementView {
  id: string;
  kind: MovementKind;
  date: string;
  qtyMilli: number;
  valueFen: number;
  meal: Meal | null;
  issueNumber: string | null;
  reason: AdjustReason | null;
  note: string;
  reversal: boolean;
  createdAt: string;
  createdByName: string | null;
}

export interface CountLineView {
  lotId: string;
  ingredientId: string;
  ingredientName: string;
  category: Category;
  unit: string;
  spec: string;
  storageClass: StorageClass;
  receivedOn: string;
  expiryDate: string | null;
  deliveryNumber: string | null;
  bookMilli: number;
  bookValueFen: number;
  countedMilli: number | null;
  /** counted − book (null until counted). */
  diffMilli: number | null;
  /** The value the adjustment books (signed), as it will be or was posted. */
  diffValueFen: number | null;
  reason: AdjustReason | null;
  note: string;
}
export interface CountView {
  id: string;
  month: string;
  /** The month's last day: the count's date and the adjustments' date. */
  date: string;
  status: 'open' | 'posted';
  lines: CountLineView[];
  bookValueFen: number;
  /** Sum of the adjustments (signed). */
  adjustmentsFen: number;
  /** Value on hand after the count (book + adjustments) once every line is counted. */
  countedValueFen: number | null;
  uncounted: number;
  startedAt: string;
  startedByName: string | null;
  postedAt: string | null;
  postedByName: string | null;
}

/** One category of 分类成本; consumedFen = opening + purchases − closing (adjustments are inside closing). */
export interface CategoryCostLine extends CategoryCostRow {
  consumedFen: number;
  /** Issued to the kitchen in the month (direct issues included), for the explanation under the table. */
  issuedFen: number;
}
export interface CategoryCost {
  month: string;
  rows: CategoryCostLine[];
  total: Omit<CategoryCostLine, 'category'>;
  /** Whether the month's count is posted (the closing stock is then fixed by it). */
  countPosted: boolean;
  /** The adjustments of the month, for the explanation under the table. */
  adjustments: { date: string; ingredientName: string; category: Category; reason: AdjustReason; qtyMilli: number; unit: string; valueFen: number; note: string }[];
}

export interface LotTrace {
  lot: LotView;
  delivery: {
    id: string;
    number: string | null;
    date: string;
    status: string;
    supplierId: string;
    supplierName: string;
    supplierCreditCode: string;
    supplierContact: string;
    supplierPhone: string;
    supplierAddress: string;
    inspectors: string[];
    witnessName: string;
    productionDate: string | null;
    batchNo: string;
    certs: Partial<Record<CertKind, string>>;
    attachments: { id: string; kind: string; certKind: string | null; fileName: string }[];
  } | null;
  movements: MovementView[];
}

export interface MealTraceLine {
  issueId: string;
  issueNumber: string;
  meal: Meal | null;
  lotId: string;
  ingredientName: string;
  unit: string;
  qtyMilli: number;
  valueFen: number;
  expiryDate: string | null;
  receivedOn: string;
  deliveryId: string | null;
  deliveryNumber: string | null;
  supplierName: string | null;
}
export interface MealTrace {
  date: string;
  meal: Meal | null;
  lines: MealTraceLine[];
  totalFen: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Declarations

/** The 保管 writes; finance and the principal read; the parent representative may follow the trace. */
const WRITERS: readonly Role[] = ['storekeeper'];
const READERS: readonly Role[] = ['admin', 'storekeeper', 'accountant', 'reviewer'];
const TRACE_READERS: readonly Role[] = [...READERS, 'parent'];

const meal = z.enum(MEALS, { error: '餐次应为早餐、午餐或晚餐' });
const positiveMilli = (label: string) => milli(label).refine((n) => n > 0, { error: `${label}必须大于 0` });

export const storeroomApi = {
  'storeroom.stock': method<StockItem[]>()({
    input: z
      .object({
        /** Stock as of this date (end of day); default today. */
        asOf: isoDate('日期').optional(),
        q: search,
        includeEmpty: z.boolean().default(false),
      })
      .strict()
      .default({ q: '', includeEmpty: false }),
    access: READERS,
    writes: false,
    summary: '库存：按食材与批次的结存数量、金额与保质期提醒（拼音首字母可查）',
  }),
  'storeroom.lots': method<LotView[]>()({
    input: z
      .object({
        ingredientId: id('食材').optional(),
        from: isoDate('开始日期').optional(),
        to: isoDate('结束日期').optional(),
        q: search,
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict()
      .default({ q: '', limit: 200 }),
    access: TRACE_READERS,
    writes: false,
    summary: '批次列表（含已出完的批次），用于追溯',
  }),
  'storeroom.proposeIssue': method<IssueProposal>()({
    input: z.object({ ingredientId: id('食材'), qtyMilli: positiveMilli('出库数量'), date: isoDate('出库日期') }).strict(),
    access: READERS,
    writes: false,
    summary: '出库建议：按保质期先到先出（临期先出）分配批次，过期批次不出库',
  }),
  'storeroom.issue': method<IssueView>()({
    input: z
      .object({
        date: documentDate('出库日期'),
        meal,
        lines: z
          .array(
            z
              .object({
                ingredientId: id('食材'),
                /** A chosen lot; without it the lots are taken in expiry order. */
                lotId: id('批次').nullable().default(null),
                qtyMilli: positiveMilli('出库数量'),
              })
              .strict(),
            { error: '请填写出库明细' },
          )
          .min(1, { error: '请至少填写一行出库明细' })
          .max(100, { error: '一张出库单最多 100 行' }),
        note: optionalNote('备注', 200),
      })
      .strict(),
    access: WRITERS,
    writes: true,
    summary: '出库到厨房（按日期与餐次），不超过结存，不出过期批次',
  }),
  'storeroom.cancelIssue': method<IssueView>()({
    input: z.object({ id: id('出库单'), date: documentDate('冲销日期'), reason: optionalNote('冲销原因', 200).refine((s) => s.length > 0, { error: '请填写冲销原因' }) }).strict(),
    access: WRITERS,
    writes: true,
    summary: '冲销出库单（退回库房），原单保留',
  }),
  'storeroom.issues': method<IssueView[]>()({
    input: z
      .object({ from: isoDate('开始日期').optional(), to: isoDate('结束日期').optional(), meal: meal.optional(), limit: z.number().int().min(1).max(1000).default(200) })
      .strict()
      .default({ limit: 200 }),
    access: READERS,
    writes: false,
    summary: '出库单列表（含直进直出）',
  }),
  'storeroom.adjust': method<MovementView>()({
    input: z
      .object({
        lotId: id('批次'),
        date: documentDate('日期'),
        qtyMilli: positiveMilli('数量'),
        reason: z.enum(['loss', 'expired'], { error: '原因应为损耗或过期销毁' }),
        note: optionalNote('说明', 200),
      })
      .strict(),
    access: WRITERS,
    writes: true,
    summary: '报损或过期销毁（减少批次结存，记原因）',
  }),
  'storeroom.countStart': method<CountView>()({
    input: z.object({ month: documentMonth('盘点月份', '盘点') }).strict(),
    access: WRITERS,
    writes: true,
    summary: '开始月末盘点：按批次生成账面数量（未过账时再次调用则刷新账面数，保留已录入的实盘数）',
  }),
  'storeroom.countGet': method<CountView | null>()({
    input: z.object({ month: month('盘点月份') }).strict(),
    access: READERS,
    writes: false,
    summary: '盘点表（账面数、实盘数、差异与原因）',
  }),
  'storeroom.countEnter': method<CountView>()({
    input: z
      .object({
        month: documentMonth('盘点月份', '盘点'),
        lines: z
          .array(
            z
              .object({
                lotId: id('批次'),
                countedMilli: milli('实盘数量').nullable(),
                reason: z.enum(ADJUST_REASONS, { error: '差异原因应为损耗、过期销毁、盘盈或盘亏' }).nullable().default(null),
                note: optionalNote('说明', 200),
              })
              .strict(),
          )
          .min(1, { error: '请填写实盘数量' })
          .max(2000),
      })
      .strict(),
    access: WRITERS,
    writes: true,
    summary: '录入实盘数量与差异原因',
  }),
  'storeroom.countPost': method<CountView>()({
    input: z.object({ month: documentMonth('盘点月份', '盘点') }).strict(),
    access: WRITERS,
    writes: true,
    summary: '盘点过账：差异记为库存调整（月末日期），月末库存以盘点为准',
  }),
  'storeroom.categoryCost': method<CategoryCost>()({
    input: z.object({ month: month() }).strict(),
    access: READERS,
    writes: false,
    summary: '分类成本：上月底库存 + 本月购入 − 本月底库存 = 本月实际支出，盘点调整单列',
  }),
  'storeroom.lotTrace': method<LotTrace>()({
    input: z.object({ lotId: id('批次') }).strict(),
    access: TRACE_READERS,
    writes: false,
    summary: '批次追溯：来源验收单、供应商、验收人、证明，以及去向（每次出库）',
  }),
  'storeroom.mealTrace': method<MealTrace>()({
    input: z.object({ date: isoDate('日期'), meal: meal.nullable().default(null) }).strict(),
    access: TRACE_READERS,
    writes: false,
    summary: '餐次追溯：某日某餐用了哪些批次（含直进直出）及其来源',
  }),
};
