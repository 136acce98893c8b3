import { method, z, type InputOf, type MethodDef, type OutputOf } from '../api/contract.ts';
import { month, password, text, username } from '../api/fields.ts';
import type { OperationProgress } from '../api/maintenance.ts';
import type { CentreAccess, CentreRole } from './roles.ts';

/**
 * The town centre's API (中心, issue 18): the same pattern as the school's contract (shared/api/) — one declaration
 * per method with its input schema, who may call it and whether it writes — read by the centre's own dispatcher
 * (electron/core/centre/backend.ts). A second contract, not more methods in the school's: a centre database holds no
 * ledger, and no school method means anything on it. The renderer imports only types from here.
 */

export interface CentreSession {
  username: string;
  displayName: string;
  role: CentreRole;
  centreName: string;
}

export interface CentreUser {
  username: string;
  displayName: string;
  role: CentreRole;
  disabled: boolean;
  createdAt: string;
}

export interface CentreSchool {
  code: string;
  name: string;
  /** In groups of four, as printed on the enrolment sheet. */
  fingerprint: string;
  enrolledAt: string;
  packages: number;
  lastMonth: string | null;
}

export interface CentreImportOutcome {
  file: string;
  status: 'imported' | 'unchanged' | 'refused';
  schoolCode: string | null;
  month: string | null;
  revision: number | null;
  message: string;
}

export type CentreCell = string | number | boolean | null;
export interface CentreViewColumn {
  key: string;
  header: string;
  kind: 'text' | 'int' | 'fen' | 'bp' | 'milli' | 'bool';
  width?: number;
}
export interface CentreViewResult {
  title: string;
  columns: CentreViewColumn[];
  rows: Record<string, CentreCell>[];
  /** A paged view (食材价格): the month's rows and flagged rows, counted over all of them whatever page was read. */
  total?: number;
  flagged?: number;
}

export const CENTRE_VIEWS = ['submission', 'surplus', 'price', 'supplier', 'inspection', 'foodsafety'] as const;
export type CentreViewName = (typeof CENTRE_VIEWS)[number];

/** The centre's item mapping (食材对应): a school's item compared under another name and spec. */
export interface CentreItemMapping {
  item: string;
  spec: string;
  unit: string;
  toItem: string;
  toSpec: string;
  mappedAt: string;
  mappedBy: string;
}

/** What `centre.verify` found (electron/core/centre/audit.ts): the chain re-derived, the tables compared with it. */
export interface CentreVerifyResult {
  ok: boolean;
  summary: string;
  /** Each problem in Chinese, naming the table, the row and the column. */
  problems: string[];
  auditEntries: number;
  packages: number;
}

/** 食材对应 for one school (before the town-wide mapping, which stays the other schools' default). */
export interface CentreSchoolItemMapping extends CentreItemMapping {
  schoolCode: string;
  schoolName: string;
}

/** One school's average unit price of an item in one month (the chart's points). */
export interface PricePoint {
  schoolCode: string;
  schoolName: string;
  month: string;
  avgPriceFen: number;
}

const centreMethod =
  <O>() =>
  <I extends z.ZodType>(def: { input: I; access: CentreAccess; writes: boolean; summary: string }) =>
    method<O>()({ ...def, access: def.access as never }) as MethodDef<I, O> & { access: CentreAccess };

const none = z.object({}).strict().default({});
const folder = z.string({ error: '请填写文件夹' }).trim().min(1, '请选择或填写上报包所在的文件夹').max(1000, '路径太长');
const viewName = z.enum(CENTRE_VIEWS, { error: '没有这个报表' });
const roleField = z.enum(['centre_admin', 'centre_reviewer'], { error: '请选择角色：中心管理员或中心审核员' });

export const centreApi = {
  'start.kind': centreMethod<'centre'>()({ input: none, access: 'public', writes: false, summary: '打开的是学校账本还是中心数据库' }),
  'centre.status': centreMethod<{ initialized: boolean; centreName: string | null; file: string }>()({
    input: none,
    access: 'public',
    writes: false,
    summary: '中心数据库是否已建立管理员',
  }),
  'centre.setup': centreMethod<CentreSession>()({
    input: z.object({ centreName: text('中心名称', 60), adminUsername: username, adminName: text('管理员姓名', 30), password }).strict(),
    access: 'public',
    writes: true,
    summary: '首次使用：中心名称与第一位中心管理员',
  }),
  'auth.login': centreMethod<CentreSession>()({
    input: z.object({ username: z.string().trim().max(64), password: z.string().max(256) }).strict(),
    access: 'public',
    writes: true,
    summary: '登录',
  }),
  'auth.logout': centreMethod<null>()({ input: none, access: 'public', writes: false, summary: '退出登录' }),
  'auth.me': centreMethod<CentreSession | null>()({ input: none, access: 'public', writes: false, summary: '当前登录的人' }),
  'users.list': centreMethod<CentreUser[]>()({ input: none, access: ['centre_admin'], writes: false, summary: '中心用户' }),
  'users.create': centreMethod<CentreUser>()({
    input: z.object({ username, displayName: text('姓名', 30), role: roleField, password }).strict(),
    access: ['centre_admin'],
    writes: true,
    summary: '新增中心用户（中心管理员或中心审核员）',
  }),
  'schools.list': centreMethod<CentreSchool[]>()({ input: none, access: 'any', writes: false, summary: '已登记的学校' }),
  'schools.enrol': centreMethod<{ code: string; name: string; fingerprint: string; replaced: boolean }>()({
    input: z
      .object({
        code: z.string({ error: '请填写学校代码' }).trim().max(40, '学校代码太长'),
        name: text('学校名称', 60),
        fingerprint: z.string({ error: '请填写公钥指纹' }).max(200, '公钥指纹太长'),
      })
      .strict(),
    access: ['centre_admin'],
    writes: true,
    summary: '登记学校：学校代码、名称与公钥指纹（登记表）',
  }),
  'packages.import': centreMethod<CentreImportOutcome[]>()({
    input: z.object({ dir: folder }).strict(),
    access: ['centre_admin'],
    writes: true,
    summary: '导入一个文件夹中的上报包：逐个检查，整包导入或整包拒收',
  }),
  // The school's maintenance.progress / maintenance.cancel for the centre's long work (the folder import), with
  // packages.import's roles. Answered beside the dispatcher's queue while the import runs (backend.ts).
  'packages.progress': centreMethod<OperationProgress[]>()({
    input: none,
    access: ['centre_admin'],
    writes: false,
    summary: '正在进行（或刚结束）的上报包导入的进度：导入到第几个、哪所学校哪个月、大约还要多久',
  }),
  'packages.cancel': centreMethod<OperationProgress>()({
    input: z.object({ id: z.string({ error: '请指明要取消的工作' }).trim().min(1, { error: '请指明要取消的工作' }).max(64, { error: '工作编号过长' }) }).strict(),
    access: ['centre_admin'],
    // Writes nothing: asks one's own running import to stop before its next package.
    writes: false,
    summary: '取消自己开始的上报包导入：当前这个包导入完后停止，已导入的保留',
  }),
  'views.months': centreMethod<string[]>()({ input: none, access: 'any', writes: false, summary: '已有上报包的月份（新的在前）' }),
  'views.show': centreMethod<CentreViewResult>()({
    input: z.object({ view: viewName, month: month(), limit: z.number().int().min(1).max(100_000).optional(), offset: z.number().int().min(0).optional() }).strict(),
    access: 'any',
    writes: false,
    summary: '报表：报送情况、结余率、食材价格、供应商、验收、食品安全',
  }),
  'views.items': centreMethod<{ item: string; spec: string; unit: string; schools: number }[]>()({
    input: z.object({ month: month() }).strict(),
    access: 'any',
    writes: false,
    summary: '某月各校采购的食材（名称、规格、单位）',
  }),
  'views.priceHistory': centreMethod<PricePoint[]>()({
    input: z.object({ item: text('食材', 60), spec: z.string().max(60).default(''), unit: text('单位', 20) }).strict(),
    access: 'any',
    writes: false,
    summary: '一种食材各校各月的平均单价（图表）',
  }),
  'items.mappings': centreMethod<CentreItemMapping[]>()({ input: none, access: 'any', writes: false, summary: '食材对应：各校的食材按哪个名称与规格比较' }),
  'items.map': centreMethod<CentreItemMapping>()({
    input: z
      .object({
        item: text('食材', 60),
        spec: z.string({ error: '规格必须是文字' }).trim().max(60, '规格最多 60 个字').default(''),
        unit: text('单位', 20),
        toItem: text('对应食材', 60),
        toSpec: z.string({ error: '规格必须是文字' }).trim().max(60, '规格最多 60 个字').default(''),
      })
      .strict(),
    access: ['centre_admin'],
    writes: true,
    summary: '纠正食材对应：某校的食材（名称、规格，同一单位）按另一名称与规格与各校比较',
  }),
  'items.unmap': centreMethod<null>()({
    input: z.object({ item: text('食材', 60), spec: z.string().trim().max(60).default(''), unit: text('单位', 20) }).strict(),
    access: ['centre_admin'],
    writes: true,
    summary: '取消食材对应：按它自己的名称与规格比较',
  }),
  'items.schoolMappings': centreMethod<CentreSchoolItemMapping[]>()({ input: none, access: 'any', writes: false, summary: '各校自己的食材对应（先于全镇的对应）' }),
  'items.mapSchool': centreMethod<CentreSchoolItemMapping>()({
    input: z
      .object({
        schoolCode: z.string({ error: '请选择学校' }).trim().min(1, '请选择学校').max(40, '学校代码太长'),
        item: text('食材', 60),
        spec: z.string({ error: '规格必须是文字' }).trim().max(60, '规格最多 60 个字').default(''),
        unit: text('单位', 20),
        toItem: text('对应食材', 60),
        toSpec: z.string({ error: '规格必须是文字' }).trim().max(60, '规格最多 60 个字').default(''),
      })
      .strict(),
    access: ['centre_admin'],
    writes: true,
    summary: '纠正某校的食材对应：该校的食材（名称、规格，同一单位）按另一名称与规格比较，先于全镇的对应',
  }),
  'items.unmapSchool': centreMethod<null>()({
    input: z.object({ schoolCode: z.string().trim().min(1, '请选择学校').max(40), item: text('食材', 60), spec: z.string().trim().max(60).default(''), unit: text('单位', 20) }).strict(),
    access: ['centre_admin'],
    writes: true,
    summary: '取消某校的食材对应：该校的食材按全镇的对应（或它自己的名称）比较',
  }),
  'centre.verify': centreMethod<CentreVerifyResult>()({
    input: none,
    access: ['centre_admin'],
    writes: false,
    summary: '校验中心数据库：审计记录首尾相接，学校、用户、食材对应与导入的上报包数据与审计记录（上报包的哈希与行数）一致',
  }),
  'views.export': centreMethod<{ file: string }>()({
    input: z.object({ view: viewName, month: month() }).strict(),
    access: 'any',
    writes: false,
    summary: '把报表导出为 .xlsx（A4 横向），存入中心数据文件夹的 exports/',
  }),
};

export type CentreMethodName = keyof typeof centreApi;
export type CentreInput<K extends CentreMethodName> = InputOf<(typeof centreApi)[K]>;
export type CentreOutput<K extends CentreMethodName> = OutputOf<(typeof centreApi)[K]>;
