import type { peopleApi, SchoolInfo, SessionInfo, UserRow } from '../../../../shared/api/people.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { DEFAULT_PROFILE, profileSchema, type RegionalProfile } from '../../../../shared/profile.ts';
import type { Role } from '../../../../shared/roles.ts';
import { audit } from '../../ledger/audit.ts';
import { currentUser, type Ctx, type Session } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { RefusedAfterWrite } from '../../handlers.ts';
import { assertMayTryLogin, recordLoginFailure, resetLoginFailures } from './login-guard.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from './passwords.ts';
import { newestBySeq, withRows } from '../../ledger/row-snapshot.ts';
import { passwordDigest } from '../../integrity/verify-digest.ts';
import { pinyinKeys } from '../../ledger/pinyin.ts';
import { pinyinFilter } from '../../../../shared/pinyin-match.ts';
import { assertKindsStillAllowed, BEGINNING, currentMonth, earliestEffectiveMonth, effectiveMonthOf, listProfileVersions } from './profile-versions.ts';
import { profileFor } from '../../ledger/profile.ts';

export { profileFor };

const pinyinKeysOf = (name: string) => {
  const k = pinyinKeys(name);
  return { pyInitials: k.initials, pyFull: k.full };
};

interface UserDbRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  disabled: number;
  created_at: string;
  created_by: string | null;
}

export function schoolRow(ctx: Ctx): { id: string; name: string; profile: string } | undefined {
  return ctx.db.prepare('SELECT id, name, profile FROM school').get() as { id: string; name: string; profile: string } | undefined;
}

/**
 * The regional profile in force this month (China time). Anything that belongs to a month or a dated document reads
 * `profileFor(ctx, thatMonthOrDate)` instead: the version in force for it (profile-versions.ts), so a later change
 * never rewrites a closed month. Stored JSON is read through the schema so older rows gain new defaults.
 */
export function profileOf(ctx: Ctx): RegionalProfile {
  return profileFor(ctx, currentMonth(ctx));
}

function schoolInfo(ctx: Ctx, row: { id: string; name: string }): SchoolInfo {
  return {
    id: row.id,
    name: row.name,
    profile: profileOf(ctx),
    installationId: ctx.installationId,
    profileVersions: listProfileVersions(ctx),
    defaultEffectiveFrom: currentMonth(ctx),
    earliestEffectiveFrom: earliestEffectiveMonth(ctx),
  };
}

function rolesOf(ctx: Ctx, userId: string): Role[] {
  return (ctx.db.prepare('SELECT role FROM user_roles WHERE user_id = ? ORDER BY role').all(userId) as { role: Role }[]).map((r) => r.role);
}

function toUser(ctx: Ctx, r: UserDbRow): UserRow {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: rolesOf(ctx, r.id),
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

function userById(ctx: Ctx, id: string): UserDbRow {
  const r = ctx.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserDbRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该用户');
  return r;
}

function sessionInfo(ctx: Ctx, s: Session): SessionInfo {
  return { ...s, schoolName: schoolRow(ctx)?.name ?? '' };
}

function insertUser(ctx: Ctx, u: { username: string; displayName: string; roles: Role[]; password: string }): UserRow {
  if (ctx.db.prepare('SELECT 1 FROM users WHERE username = ?').get(u.username)) {
    throw new ApiError('CONFLICT', `用户名“${u.username}”已被使用`);
  }
  const id = uuidv7(ctx.now().getTime());
  const at = ctx.now().toISOString();
  const by = ctx.session?.userId ?? id;
  const hash = hashPassword(u.password);
  ctx.db
    .prepare(
      `INSERT INTO users (id, origin, username, display_name, password_hash, created_at, created_by, updated_at, updated_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, ctx.installationId, u.username, u.displayName, hash, at, by, at, by);
  const ins = ctx.db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
  for (const role of u.roles) ins.run(id, role);
  const row = toUser(ctx, userById(ctx, id));
  // passwordDigest: lets verify notice a password hash swapped behind the app's back (electron/core/integrity/verify.ts).
  audit(ctx, 'create', 'user', id, null, { username: row.username, displayName: row.displayName, roles: row.roles, passwordDigest: passwordDigest(hash) });
  return row;
}

function activeAdminCount(ctx: Ctx, exceptUserId: string): number {
  return (
    ctx.db
      .prepare(`SELECT count(*) AS n FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'admin' WHERE u.disabled = 0 AND u.id <> ?`)
      .get(exceptUserId) as { n: number }
  ).n;
}

export function createUser(ctx: Ctx, u: { username: string; displayName: string; roles: Role[]; password: string }): UserRow {
  return insertUser(ctx, u);
}

export const peopleHandlers: Handlers<keyof typeof peopleApi> = {
  'setup.status': (ctx) => {
    const row = schoolRow(ctx);
    return { initialized: row !== undefined, schoolName: row?.name ?? null };
  },

  'setup.init': (ctx, input) => {
    if (schoolRow(ctx)) throw new ApiError('CONFLICT', '已完成首次设置，不能重复设置');
    const id = uuidv7(ctx.now().getTime());
    const at = ctx.now().toISOString();
    ctx.db
      .prepare('INSERT INTO school (id, origin, name, profile, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, ctx.installationId, input.schoolName, JSON.stringify(DEFAULT_PROFILE), at, at);
    // The first version of the profile, in force from the beginning (no user exists yet to be its author).
    ctx.db.prepare('INSERT INTO profile_versions (effective_from, profile, created_at, created_by) VALUES (?, ?, ?, NULL)').run(BEGINNING, JSON.stringify(DEFAULT_PROFILE), at);
    audit(ctx, 'create', 'school', id, null, withRows({ name: input.schoolName, profile: DEFAULT_PROFILE }, newestBySeq(ctx, 'profile_versions')));
    const admin = insertUser(ctx, { username: input.adminUsername, displayName: input.adminName, roles: ['admin'], password: input.password });
    const session: Session = { userId: admin.id, username: admin.username, displayName: admin.displayName, roles: admin.roles };
    ctx.setSession(session);
    return sessionInfo(ctx, session);
  },

  'auth.login': (ctx, input) => {
    const r = ctx.db.prepare('SELECT * FROM users WHERE username = ?').get(input.username) as UserDbRow | undefined;
    // The account's own spelling when it exists (names match without case), else the name as typed.
    const name = r?.username ?? input.username;
    assertMayTryLogin(ctx, name);
    const ok = verifyPassword(input.password, r?.password_hash ?? DUMMY_HASH) && r !== undefined;
    // A failure is recorded and audited, and stays written although the call is refused (login-guard.ts).
    if (!ok || !r) throw new RefusedAfterWrite(new ApiError('UNAUTHENTICATED', recordLoginFailure(ctx, name, r?.id ?? null)));
    if (r.disabled) throw new ApiError('UNAUTHENTICATED', '该用户已停用，请联系系统管理员');
    const session: Session = { userId: r.id, username: r.username, displayName: r.display_name, roles: rolesOf(ctx, r.id) };
    ctx.setSession(session);
    const reset = resetLoginFailures(ctx, r.username, r.id, null);
    audit(ctx, 'login', 'user', r.id, null, reset ? withRows(null, reset) : null);
    return sessionInfo(ctx, session);
  },

  'auth.logout': (ctx) => {
    ctx.setSession(null);
    return null;
  },

  'auth.me': (ctx) => (ctx.session ? sessionInfo(ctx, ctx.session) : null),

  'auth.changePassword': (ctx, input) => {
    const me = currentUser(ctx);
    const r = userById(ctx, me.userId);
    if (!verifyPassword(input.oldPassword, r.password_hash)) throw new ApiError('UNAUTHENTICATED', '原密码不正确');
    const hash = hashPassword(input.newPassword);
    ctx.db.prepare('UPDATE users SET password_hash = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(hash, ctx.now().toISOString(), me.userId, me.userId);
    audit(ctx, 'change_password', 'user', me.userId, null, { passwordDigest: passwordDigest(hash) });
    return null;
  },

  'users.list': (ctx, { q }) => {
    const rows = ctx.db.prepare('SELECT * FROM users ORDER BY disabled, username').all() as UserDbRow[];
    // A school has a few dozen users: the pinyin keys are computed here rather than stored.
    const keyed = rows.map((r) => ({ r, name: r.display_name, ...pinyinKeysOf(r.display_name) }));
    const found = q ? pinyinFilter(q, keyed).map((k) => k.r) : [];
    const byUsername = q ? rows.filter((r) => r.username.toLowerCase().includes(q.toLowerCase()) && !found.includes(r)) : [];
    return (q ? [...found, ...byUsername] : rows).map((r) => toUser(ctx, r));
  },

  'users.create': (ctx, input) => insertUser(ctx, input),

  'users.update': (ctx, input) => {
    const before = toUser(ctx, userById(ctx, input.id));
    if (before.roles.includes('admin') && !input.roles.includes('admin') && activeAdminCount(ctx, input.id) === 0) {
      throw new ApiError('RULE', '至少要保留一位在用的系统管理员');
    }
    ctx.db.prepare('UPDATE users SET display_name = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(input.displayName, ctx.now().toISOString(), currentUser(ctx).userId, input.id);
    ctx.db.prepare('DELETE FROM user_roles WHERE user_id = ?').run(input.id);
    const ins = ctx.db.prepare('INSERT INTO user_roles (user_id, role) VALUES (?, ?)');
    for (const role of input.roles) ins.run(input.id, role);
    const after = toUser(ctx, userById(ctx, input.id));
    audit(ctx, 'update', 'user', input.id, { displayName: before.displayName, roles: before.roles }, { displayName: after.displayName, roles: after.roles });
    return after;
  },

  'users.setDisabled': (ctx, input) => {
    const me = currentUser(ctx);
    const before = toUser(ctx, userById(ctx, input.id));
    if (input.disabled && input.id === me.userId) throw new ApiError('RULE', '不能停用自己的账户');
    if (input.disabled && before.roles.includes('admin') && activeAdminCount(ctx, input.id) === 0) {
      throw new ApiError('RULE', '至少要保留一位在用的系统管理员');
    }
    ctx.db.prepare('UPDATE users SET disabled = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(input.disabled ? 1 : 0, ctx.now().toISOString(), me.userId, input.id);
    audit(ctx, input.disabled ? 'disable' : 'enable', 'user', input.id, { disabled: before.disabled }, { disabled: input.disabled });
    return toUser(ctx, userById(ctx, input.id));
  },

  'users.resetPassword': (ctx, input) => {
    const r = userById(ctx, input.id);
    const hash = hashPassword(input.password);
    const me = currentUser(ctx).userId;
    ctx.db.prepare('UPDATE users SET password_hash = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(hash, ctx.now().toISOString(), me, input.id);
    audit(ctx, 'reset_password', 'user', input.id, null, { passwordDigest: passwordDigest(hash) });
    // A new password from the administrator also lifts a lock from failed logins.
    const unlock = resetLoginFailures(ctx, r.username, r.id, me);
    if (unlock) audit(ctx, 'unlock', 'login', r.id, null, withRows({ username: r.username }, unlock));
    return null;
  },

  'school.get': (ctx): SchoolInfo => {
    const row = schoolRow(ctx);
    if (!row) throw new ApiError('CONFLICT', '尚未完成首次设置');
    return schoolInfo(ctx, row);
  },

  'school.update': (ctx, input) => {
    const row = schoolRow(ctx);
    if (!row) throw new ApiError('CONFLICT', '尚未完成首次设置');
    const before = { name: row.name, profile: JSON.parse(row.profile) as unknown };
    const me = currentUser(ctx).userId;
    const at = ctx.now().toISOString();
    // A profile change is a new version in force from its month on (this month unless the admin names another, never
    // a closed month): the months before keep the version they were computed, closed and published with.
    const month = effectiveMonthOf(ctx, input.effectiveFrom);
    const next = JSON.stringify(profileSchema.parse(input.profile));
    const later = ctx.db.prepare('SELECT 1 FROM profile_versions WHERE effective_from > ?').get(month) !== undefined;
    const changed = later || JSON.stringify(profileFor(ctx, month)) !== next;
    if (changed) {
      assertKindsStillAllowed(ctx, month, input.profile);
      ctx.db.prepare('INSERT INTO profile_versions (effective_from, profile, created_at, created_by) VALUES (?, ?, ?, ?)').run(month, JSON.stringify(input.profile), at, me);
    }
    ctx.db.prepare('UPDATE school SET name = ?, profile = ?, updated_at = ?, updated_by = ?').run(input.name, JSON.stringify(input.profile), at, me);
    const after = { name: input.name, profile: input.profile, effectiveFrom: changed ? month : null };
    audit(ctx, 'update', 'school', row.id, before, changed ? withRows(after, newestBySeq(ctx, 'profile_versions')) : after);
    return schoolInfo(ctx, { id: row.id, name: input.name });
  },
};
