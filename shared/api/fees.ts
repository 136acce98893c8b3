import { method, z } from './contract.ts';
import { documentDate, documentMonth, fen, id, isoDate, MAX_DAILY_RATE_FEN, MAX_RECEIPT_FEN, month, note, optionalNote, optionalText, search, text } from './fields.ts';
import { FEE_READERS, FEE_SETUP, FEE_WRITERS } from '../roles.ts';
import { MEAL_PLANS, PAY_METHODS, REFUND_REASONS, REFUND_PAY_METHODS, type MealPlan, type PayMethod, type RefundReason, type RefundPayMethod, type RosterField } from '../labels-fees.ts';
// Vocabulary and role lists the renderer needs live in zod-free modules (no zod in the renderer bundle); re-exported.
export * from '../labels-fees.ts';
export { FEE_READERS, FEE_SETUP, FEE_WRITERS } from '../roles.ts';

/**
 * 伙食费 (meal fees), 退费 (refunds), 营养改善计划 (the nutrition subsidy) and 日清 (daily cash clearing).
 * Money in integer fen; dates YYYY-MM-DD in China time. A fee period is a month ('2026-09') or a term ('2026秋'),
 * whichever the profile's feePeriod says.
 */

export interface MealPlanRow {
  code: MealPlan;
  name: string;
  dailyRateFen: number;
  updatedAt: string;
}
export interface Student {
  id: string;
  studentNo: string;
  name: string;
  className: string;
  mealPlan: MealPlan;
  subsidyEligible: boolean;
  active: boolean;
  updatedAt: string;
}
/** One class move (调班): from the effective date on the pupil is in `toClass`; before it, in `fromClass`. */
export interface StudentClassMove {
  id: string;
  studentId: string;
  fromClass: string;
  toClass: string;
  date: string;
  note: string;
  createdAt: string;
  createdByName: string;
}
export interface ClassInfo {
  className: string;
  students: number;
  eligible: number;
}
export interface Term {
  code: string;
  name: string;
  startDate: string;
  endDate: string;
}
export interface FeePeriod {
  key: string;
  label: string;
  start: string;
  end: string;
  schoolDays: number;
}

export interface RosterRow {
  studentNo: string;
  name: string;
  className: string;
  mealPlan: MealPlan;
  subsidyEligible: boolean;
}
export interface RosterPreview {
  sheetName: string;
  headers: string[];
  /** Column index (0-based) per field, or null when no column is mapped. */
  mapping: Record<RosterField, number | null>;
  rows: { line: number; row: RosterRow | null; errors: string[]; action: 'create' | 'update' | 'same' | null }[];
  okCount: number;
  errorCount: number;
}

export interface Receipt {
  id: string;
  number: string;
  date: string;
  studentId: string;
  studentNo: string;
  studentName: string;
  className: string;
  periodKey: string;
  periodLabel: string;
  days: number;
  dailyRateFen: number;
  standardFen: number;
  amountFen: number;
  overrideReason: string;
  method: PayMethod;
  status: 'valid' | 'void';
  voidReason: string | null;
  voidDate: string | null;
  voidedByName: string | null;
  createdAt: string;
  createdByName: string;
}

export interface FeeQuoteRow {
  student: Student;
  days: number;
  dailyRateFen: number;
  standardFen: number;
  /** The valid receipt already issued for this period, if any. */
  paidReceipt: string | null;
}

export interface Refund {
  id: string;
  number: string;
  studentId: string;
  studentNo: string;
  studentName: string;
  className: string;
  reason: RefundReason;
  noticeDate: string;
  firstDay: string;
  lastDay: string;
  days: number;
  amountFen: number;
  appliedOn: string;
  teacherName: string;
  teacherConfirmedOn: string;
  /** The date the refund is booked on (its approval): any open day, not after today (issue 14 §3). */
  approvedOn: string;
  note: string;
  status: 'approved' | 'paid' | 'void';
  paidOn: string | null;
  payMethod: RefundPayMethod | null;
  voidReason: string | null;
  /** Working days (Mon–Fri) from the application to today while unpaid, or to the payout. */
  workingDaysOpen: number;
  overdue: boolean;
  createdAt: string;
  createdByName: string;
}
export interface RefundQuote {
  days: number;
  amountFen: number;
  firstDay: string | null;
  lastDay: string | null;
  dayList: { day: string; rateFen: number; receipt: string }[];
}

export interface SubsidyRosterRow {
  student: Student;
  recorded: boolean;
}
export interface SubsidyClassSummary {
  className: string;
  eligibleStudents: number;
  mealDays: number;
  studentDays: number;
  rateFen: number;
  amountFen: number;
}

export interface ClearingStatus {
  date: string;
  /** Book balance of 库存现金 at the end of the day (after any over/short posting if already cleared). */
  bookBalanceFen: number;
  openingFen: number;
  cashInFen: number;
  cashOutFen: number;
  cashReceipts: number;
  /** Users who took cash that day (created cash receipts). */
  cashTakers: string[];
  cleared: null | { countedFen: number; bookBalanceFen: number; differenceFen: number; reason: string; confirmedAt: string; confirmedByName: string };
  /** Why the current user may not confirm, or null. */
  blockedReason: string | null;
}
export interface Deposit {
  id: string;
  number: string;
  date: string;
  amountFen: number;
  note: string;
  createdAt: string;
  createdByName: string;
}
export interface ArrearsRow {
  student: Student;
  /** This period's school days and fee, 0 when the pupil has paid the period (listed for an opening arrear only). */
  days: number;
  dailyRateFen: number;
  dueFen: number;
  /** 期初欠费 the opening recorded for the pupil, in the period holding the first day of the books; else 0. */
  openingArrearsFen: number;
  /** dueFen + openingArrearsFen. */
  totalFen: number;
}
export interface StatementLine {
  date: string;
  kind: 'receipt' | 'void' | 'refund' | 'refund_void' | 'refund_paid' | 'subsidy';
  number: string;
  text: string;
  /** Money the family paid (+) or got back (−); subsidy lines carry the subsidy value and do not count. */
  amountFen: number;
}
export interface Statement {
  student: Student;
  lines: StatementLine[];
  paidFen: number;
  refundedFen: number;
  subsidyDays: number;
  subsidyFen: number;
}
export interface SettlementRow {
  student: Student;
  schoolDays: number;
  refundedDays: number;
  eatenDays: number;
  dueFen: number;
  paidFen: number;
  refundedFen: number;
  /**
   * The pupil's balance from the opening (期初: prepaid +, arrears −) when the range holds the first day of the books,
   * else 0: it is settled once, with the first settlement after the opening.
   */
  openingFen: number;
  /** opening + paid − refunded − due: positive is 多退 (to refund), negative is 少补 (still to pay). */
  balanceFen: number;
}

const reason = (label: string) => note(label, 200);
const periodKey = z
  .string({ error: '收费期间必须是文字' })
  .trim()
  .regex(/^(\d{4}-(0[1-9]|1[0-2])|\d{4}[春秋])$/, { error: '收费期间应为 YYYY-MM（按月）或 如“2026秋”（按学期）' });
const className = text('班级', 30);
const mealPlan = z.enum(MEAL_PLANS, { error: '用餐方式应为 午餐、两餐 或 三餐寄宿' });
const studentNo = z
  .string({ error: '学号必须是文字' })
  .trim()
  .regex(/^[0-9A-Za-z-]{1,20}$/, { error: '学号应为 1–20 位数字或字母' });
const rosterRow = z
  .object({ studentNo, name: text('姓名', 30), className, mealPlan, subsidyEligible: z.boolean({ error: '是否受助应为 是 或 否' }) })
  .strict();

export const feesApi = {
  'mealPlans.list': method<MealPlanRow[]>()({
    input: z.object({}).strict().default({}),
    access: FEE_READERS,
    writes: false,
    summary: '用餐方式及日收费标准',
  }),
  'mealPlans.update': method<MealPlanRow>()({
    input: z.object({ code: mealPlan, dailyRateFen: fen('日收费标准', MAX_DAILY_RATE_FEN) }).strict(),
    access: ['admin', 'accountant'],
    writes: true,
    summary: '修改用餐方式的日收费标准（留痕）',
  }),

  'schoolDays.get': method<{ month: string; days: string[] }>()({
    input: z.object({ month: month() }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '某月的上课（就餐）日',
  }),
  'schoolDays.set': method<{ month: string; days: string[] }>()({
    input: z
      .object({ month: documentMonth('月份', '设置上课日', { future: true }), days: z.array(isoDate('上课日'), { error: '请选择上课日' }).max(31) })
      .strict()
      .refine((v) => v.days.every((d) => d.startsWith(v.month)), { error: '上课日必须在所选月份之内', path: ['days'] })
      .refine((v) => new Set(v.days).size === v.days.length, { error: '上课日重复', path: ['days'] }),
    access: FEE_SETUP,
    writes: true,
    summary: '设置某月的上课日（工作日减去放假日）',
  }),
  'terms.list': method<Term[]>()({
    input: z.object({}).strict().default({}),
    access: FEE_READERS,
    writes: false,
    summary: '学期列表（按学期收费时使用）',
  }),
  'terms.save': method<Term>()({
    input: z
      .object({
        code: z.string().trim().regex(/^\d{4}[春秋]$/, { error: '学期代码应如“2026秋”' }),
        name: text('学期名称', 30),
        startDate: isoDate('开学日期'),
        endDate: isoDate('结束日期'),
      })
      .strict()
      .refine((t) => t.startDate <= t.endDate, { error: '结束日期不能早于开学日期', path: ['endDate'] }),
    access: FEE_SETUP,
    writes: true,
    summary: '新增或修改学期',
  }),
  'fees.period': method<FeePeriod>()({
    input: z.object({ period: periodKey }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '收费期间的起止日期与上课天数',
  }),

  'students.list': method<Student[]>()({
    input: z
      .object({ q: search, className: z.string().trim().max(30).optional(), includeInactive: z.boolean().default(false), limit: z.number().int().min(1).max(5000).default(2000) })
      .strict(),
    access: FEE_READERS,
    writes: false,
    summary: '按学号、姓名或拼音首字母查找学生',
  }),
  'students.get': method<Student>()({
    input: z.object({ id: id('学生') }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '学生详情',
  }),
  'students.classes': method<ClassInfo[]>()({
    input: z.object({}).strict().default({}),
    access: FEE_READERS,
    writes: false,
    summary: '班级列表（在读学生数）',
  }),
  'students.update': method<Student>()({
    input: z.object({ id: id('学生'), name: text('姓名', 30), className, mealPlan, subsidyEligible: z.boolean(), active: z.boolean() }).strict(),
    access: FEE_SETUP,
    writes: true,
    summary: '修改学生信息（留痕）',
  }),
  'students.create': method<Student>()({
    input: z.object({ studentNo, name: text('姓名', 30), className, mealPlan, subsidyEligible: z.boolean({ error: '是否受助应为 是 或 否' }) }).strict(),
    access: FEE_SETUP,
    writes: true,
    summary: '新增一名学生（不经花名册导入；学号不能重复）',
  }),
  'students.move': method<Student>()({
    input: z
      .object({ id: id('学生'), toClass: text('新班级', 30), date: documentDate('调班日期'), note: optionalNote('备注', 200) })
      .strict(),
    access: FEE_SETUP,
    writes: true,
    summary: '调班：自调班日期起在新班级就餐；之前的受助就餐仍记在原班级',
  }),
  'students.moves': method<StudentClassMove[]>()({
    input: z.object({ id: id('学生') }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '学生的调班记录',
  }),
  'students.importPreview': method<RosterPreview>()({
    input: z
      .object({
        dataBase64: z.string({ error: '请选择花名册文件' }).min(1, { error: '请选择花名册文件' }).max(20_000_000, { error: '文件太大（超过 15 MB）' }),
        mapping: z
          .object({
            studentNo: z.number().int().min(0).max(200).nullable(),
            name: z.number().int().min(0).max(200).nullable(),
            className: z.number().int().min(0).max(200).nullable(),
            mealPlan: z.number().int().min(0).max(200).nullable(),
            subsidyEligible: z.number().int().min(0).max(200).nullable(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    access: FEE_SETUP,
    writes: false,
    summary: '花名册 .xlsx 预览：列对应与逐行检查',
  }),
  'students.importCommit': method<{ created: number; updated: number; unchanged: number }>()({
    input: z
      .object({ rows: z.array(rosterRow, { error: '没有可导入的学生' }).min(1, { error: '没有可导入的学生' }).max(10_000) })
      .strict()
      .refine((v) => new Set(v.rows.map((r) => r.studentNo)).size === v.rows.length, { error: '花名册中有重复的学号', path: ['rows'] }),
    access: FEE_SETUP,
    writes: true,
    summary: '导入花名册：全部成功或全部不导入；按学号更新已有学生',
  }),

  'fees.quote': method<FeeQuoteRow[]>()({
    input: z
      .object({ period: periodKey, className: z.string().trim().max(30).optional(), studentIds: z.array(id('学生')).max(5000).optional() })
      .strict()
      .refine((v) => v.className !== undefined || v.studentIds !== undefined, { error: '请选择班级或学生' }),
    access: FEE_READERS,
    writes: false,
    summary: '应收伙食费：上课天数 × 日收费标准',
  }),
  'fees.collect': method<Receipt[]>()({
    input: z
      .object({
        period: periodKey,
        date: documentDate('收款日期').optional(),
        method: z.enum(PAY_METHODS, { error: '收款方式应为 现金、银行转账、微信 或 支付宝' }),
        items: z
          .array(
            z
              .object({ studentId: id('学生'), amountFen: fen('金额', MAX_RECEIPT_FEN).optional(), overrideReason: optionalNote('改动金额的理由', 200) })
              .strict(),
            { error: '请选择学生' },
          )
          .min(1, { error: '请选择学生' })
          .max(5000),
      })
      .strict()
      .refine((v) => new Set(v.items.map((i) => i.studentId)).size === v.items.length, { error: '同一学生重复', path: ['items'] }),
    access: FEE_WRITERS,
    writes: true,
    summary: '收取伙食费：每个学生一张收据（连续编号）',
  }),
  'receipts.list': method<Receipt[]>()({
    input: z
      .object({
        from: isoDate('开始日期').optional(),
        to: isoDate('结束日期').optional(),
        period: periodKey.optional(),
        className: z.string().trim().max(30).optional(),
        studentId: id('学生').optional(),
        limit: z.number().int().min(1).max(10_000).default(2000),
      })
      .strict(),
    access: FEE_READERS,
    writes: false,
    summary: '收据列表',
  }),
  'receipts.get': method<Receipt>()({
    input: z.object({ id: id('收据') }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '收据详情（打印）',
  }),
  'receipts.void': method<Receipt>()({
    input: z
      .object({
        id: id('收据'),
        reason: reason('作废理由'),
        /** The day the void is booked (its reversal): today when left out; never before the receipt, never in a closed month. */
        voidDate: documentDate('作废日期').optional(),
      })
      .strict(),
    access: FEE_WRITERS,
    writes: true,
    summary: '作废收据：号码保留，在作废日期冲销记账'
  }),

  'refunds.quote': method<RefundQuote>()({
    input: z
      .object({ studentId: id('学生'), reason: z.enum(REFUND_REASONS, { error: '退费原因无效' }), noticeDate: isoDate('通知日期'), lastDay: isoDate('最后一天') })
      .strict(),
    access: FEE_READERS,
    writes: false,
    summary: '计算退费天数与金额',
  }),
  'refunds.create': method<Refund>()({
    input: z
      .object({
        studentId: id('学生'),
        reason: z.enum(REFUND_REASONS, { error: '退费原因应为 请假、生病、转学 或 食堂原因' }),
        noticeDate: isoDate('通知日期'),
        lastDay: isoDate('最后一天'),
        appliedOn: isoDate('申请日期'),
        teacherName: text('班主任姓名', 30),
        teacherConfirmedOn: isoDate('班主任确认日期'),
        /** The day it is approved and booked: today when left out; an earlier open day when a month is entered late. */
        approvedOn: documentDate('批准日期').optional(),
        note: optionalNote('备注', 200),
      })
      .strict()
      .refine((v) => v.noticeDate <= v.lastDay, { error: '最后一天不能早于通知日期', path: ['lastDay'] })
      .refine((v) => v.teacherConfirmedOn >= v.appliedOn, { error: '班主任确认日期不能早于申请日期', path: ['teacherConfirmedOn'] })
      .refine((v) => v.approvedOn === undefined || v.appliedOn <= v.approvedOn, { error: '申请日期不能晚于批准日期', path: ['appliedOn'] })
      .refine((v) => v.approvedOn === undefined || v.teacherConfirmedOn <= v.approvedOn, { error: '班主任确认日期不能晚于批准日期', path: ['teacherConfirmedOn'] }),
    access: FEE_WRITERS,
    writes: true,
    summary: '登记并批准退费（班主任确认）：计入应付退费',
  }),
  'refunds.pay': method<Refund>()({
    input: z.object({ id: id('退费'), paidOn: documentDate('退付日期'), method: z.enum(REFUND_PAY_METHODS, { error: '退付方式应为 现金 或 银行转账' }) }).strict(),
    access: FEE_WRITERS,
    writes: true,
    summary: '退付：支付已批准的退费',
  }),
  'refunds.void': method<Refund>()({
    input: z
      .object({
        id: id('退费'),
        reason: reason('作废理由'),
        /** The day the void is booked: today when left out; never before the approval, never in a closed month. */
        voidDate: documentDate('作废日期').optional(),
      })
      .strict(),
    access: FEE_WRITERS,
    writes: true,
    summary: '作废未退付的退费（在作废日期冲销记账）',
  }),
  'refunds.list': method<Refund[]>()({
    input: z
      .object({ status: z.enum(['approved', 'paid', 'void']).optional(), studentId: id('学生').optional(), overdueOnly: z.boolean().default(false), from: isoDate('开始日期').optional(), to: isoDate('结束日期').optional() })
      .strict(),
    access: FEE_READERS,
    writes: false,
    summary: '退费列表（逾期未退付的标出）',
  }),
  'fees.settlement': method<SettlementRow[]>()({
    input: z
      .object({ from: isoDate('开始日期'), to: isoDate('结束日期'), className: z.string().trim().max(30).optional() })
      .strict()
      .refine((v) => v.from <= v.to, { error: '结束日期不能早于开始日期', path: ['to'] }),
    access: FEE_READERS,
    writes: false,
    summary: '学期结算（多退少补）：已交 − 退费 − 实际就餐天数 × 标准',
  }),

  'subsidy.roster': method<SubsidyRosterRow[]>()({
    input: z.object({ className, date: isoDate('就餐日期') }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '某班某日的受助学生及是否已登记',
  }),
  'subsidy.record': method<{ recorded: number; amountFen: number }>()({
    input: z
      .object({ className, date: documentDate('就餐日期'), studentIds: z.array(id('学生')).min(1, { error: '请选择受助学生' }).max(2000) })
      .strict()
      .refine((v) => new Set(v.studentIds).size === v.studentIds.length, { error: '学生重复', path: ['studentIds'] }),
    access: FEE_WRITERS,
    writes: true,
    summary: '按班级和日期登记受助学生就餐（计入应收补助）',
  }),
  'subsidy.receive': method<{ id: string; amountFen: number }>()({
    input: z.object({ date: documentDate('到账日期'), amountFen: fen('到账金额').min(1, { error: '到账金额必须大于 0' }), note: optionalText('摘要', 200) }).strict(),
    access: FEE_WRITERS,
    writes: true,
    summary: '营养改善计划补助资金到账（补助专户）',
  }),
  'subsidy.summary': method<{ classes: SubsidyClassSummary[]; receivableFen: number; bankFen: number }>()({
    input: z.object({ month: month() }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '营养改善计划：按班级汇总受助人日数与金额',
  }),

  'clearing.status': method<ClearingStatus>()({
    input: z.object({ date: isoDate('日期') }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '日清：当天现金账面余额与收付',
  }),
  'clearing.confirm': method<ClearingStatus>()({
    input: z.object({ date: documentDate('日期'), countedFen: fen('实点现金'), reason: optionalNote('差异原因', 200) }).strict(),
    access: FEE_WRITERS,
    writes: true,
    summary: '日清：录入实点现金，差异需说明原因，当天结清后不能再记现金账',
  }),
  'clearing.list': method<{ date: string; countedFen: number; bookBalanceFen: number; differenceFen: number; reason: string; confirmedByName: string }[]>()({
    input: z.object({ month: month() }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '某月各日日清记录',
  }),
  'deposits.create': method<Deposit>()({
    input: z.object({ date: documentDate('存款日期'), amountFen: fen('存款金额').min(1, { error: '存款金额必须大于 0' }), note: optionalText('摘要', 200) }).strict(),
    access: FEE_WRITERS,
    writes: true,
    summary: '现金送存银行（食堂专户）',
  }),
  'deposits.list': method<Deposit[]>()({
    input: z.object({ month: month() }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '某月的现金送存记录',
  }),

  'fees.arrears': method<ArrearsRow[]>()({
    input: z.object({ period: periodKey, className: z.string().trim().max(30).optional() }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '欠费名单：本期未交伙食费的在读学生',
  }),
  'fees.statement': method<Statement>()({
    input: z.object({ studentId: id('学生') }).strict(),
    access: FEE_READERS,
    writes: false,
    summary: '学生个人明细：收据、作废、退费、受助就餐',
  }),
};
