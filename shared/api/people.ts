import { method, z } from './contract.ts';
import { documentMonth, id, password, search, text, username } from './fields.ts';
import { ROLES, type Role } from '../roles.ts';
import { profileSchema, type RegionalProfile } from '../profile.ts';

export interface SessionInfo {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  schoolName: string;
  /** The 现场填写 session this login is in: the window shows only the parents' survey page (issue 17). */
  kiosk?: string;
}
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  disabled: boolean;
  createdAt: string;
  createdBy: string | null;
}
/** One version of the regional profile (migration 0018): in force from its month on, until a newer one. */
export interface ProfileVersionRow {
  seq: number;
  /** 'YYYY-MM'; null: from the beginning of the books. */
  effectiveFrom: string | null;
  profileName: string;
  createdAt: string;
  createdByName: string | null;
}
export interface SchoolInfo {
  id: string;
  name: string;
  /** The version in force this month (China time). */
  profile: RegionalProfile;
  installationId: string;
  /** Newest first. */
  profileVersions: ProfileVersionRow[];
  /** The month a change takes effect from unless another is given: this month. */
  defaultEffectiveFrom: string;
  /** The earliest month a change may take effect from (after the latest closed month and the opening), or null. */
  earliestEffectiveFrom: string | null;
}

const roles = z
  .array(z.enum(ROLES, { error: '角色无效' }), { error: '请选择角色' })
  .min(1, { error: '至少选择一个角色' })
  .max(ROLES.length)
  .refine((r) => new Set(r).size === r.length, { error: '角色重复' });

export const peopleApi = {
  'setup.status': method<{ initialized: boolean; schoolName: string | null }>()({
    input: z.object({}).strict().default({}),
    access: 'public',
    writes: false,
    summary: '是否已完成首次设置',
  }),
  'setup.init': method<SessionInfo>()({
    input: z
      .object({ schoolName: text('学校名称', 60), adminUsername: username, adminName: text('管理员姓名', 30), password })
      .strict(),
    access: 'public',
    writes: true,
    summary: '首次设置：建立学校（默认区域配置）与第一个管理员，并登录',
  }),
  'auth.login': method<SessionInfo>()({
    input: z.object({ username: z.string().trim().max(64), password: z.string().max(256) }).strict(),
    access: 'public',
    writes: true,
    summary: '登录',
  }),
  'auth.logout': method<null>()({
    input: z.object({}).strict().default({}),
    access: 'any',
    writes: false,
    summary: '退出登录',
  }),
  'auth.me': method<SessionInfo | null>()({
    input: z.object({}).strict().default({}),
    access: 'public',
    writes: false,
    summary: '当前登录的用户',
  }),
  'auth.changePassword': method<null>()({
    input: z.object({ oldPassword: z.string().max(256), newPassword: password }).strict(),
    access: 'any',
    writes: true,
    summary: '修改自己的密码',
  }),
  'users.list': method<UserRow[]>()({
    input: z.object({ q: search }).strict().default({ q: '' }),
    access: ['admin'],
    writes: false,
    summary: '用户列表（可按姓名、用户名或拼音首字母查找）',
  }),
  'users.create': method<UserRow>()({
    input: z.object({ username, displayName: text('姓名', 30), roles, password }).strict(),
    access: ['admin'],
    writes: true,
    summary: '新增用户并分配角色',
  }),
  'users.update': method<UserRow>()({
    input: z.object({ id: id('用户'), displayName: text('姓名', 30), roles }).strict(),
    access: ['admin'],
    writes: true,
    summary: '修改用户姓名和角色',
  }),
  'users.setDisabled': method<UserRow>()({
    input: z.object({ id: id('用户'), disabled: z.boolean({ error: '请指明停用或启用' }) }).strict(),
    access: ['admin'],
    writes: true,
    summary: '停用或启用用户',
  }),
  'users.resetPassword': method<null>()({
    input: z.object({ id: id('用户'), password }).strict(),
    access: ['admin'],
    writes: true,
    summary: '重置用户密码',
  }),
  'school.get': method<SchoolInfo>()({
    input: z.object({}).strict().default({}),
    access: 'any',
    writes: false,
    summary: '学校信息与区域配置',
  }),
  'school.update': method<SchoolInfo>()({
    input: z
      .object({ name: text('学校名称', 60), profile: profileSchema, effectiveFrom: documentMonth('生效月份', '修改区域配置', { future: true }).optional() })
      .strict(),
    access: ['admin'],
    writes: true,
    summary: '修改学校名称与区域配置（区域配置自生效月份起施行，已月结的月份不受影响）',
  }),
};
