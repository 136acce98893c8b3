import path from 'node:path';
import type { CentreInput, CentreMethodName, CentreOutput, CentreSession, CentreUser, CentreViewName } from '../../../shared/centre/api.ts';
import type { CentreRole } from '../../../shared/centre/roles.ts';
import { ApiError } from '../../../shared/errors.ts';
import { DUMMY_HASH, hashPassword, verifyPassword } from '../domains/people/passwords.ts';
import { userLockMs, waitText } from '../domains/people/login-guard.ts';
import { rows, type Centre } from './db.ts';
import { writeViewsWorkbook } from './export.ts';
import { enrolSchool, importFolder } from './import.ts';
import { foodSafetyView, inspectionView, itemMappings, mapItem, monthItems, priceHistory, priceView, submissionView, supplierView, surplusView, unmapItem, type CentreView } from './views.ts';
import { formatFingerprint } from '../package/signing-key.ts';
import { appendCentreAudit, mappingRecord, schoolMappingRecord, schoolRecord, userRecord, verifyCentre } from './audit.ts';
import { mapSchoolItem, schoolItemMappings, unmapSchoolItem } from './item-map-school.ts';
import { cancelOperation, operationsOf, withOperation } from '../ledger/progress.ts';

/** What a centre handler sees: the database, the clock, who is logged in and with which role (set by the dispatcher). */
export interface CentreCtx {
  centre: Centre;
  now: () => Date;
  dataDir: string;
  readonly session: { username: string } | null;
  setSession(s: { username: string } | null): void;
  role: CentreRole | null;
}

type CentreHandler<K extends CentreMethodName> = (ctx: CentreCtx, input: Exclude<CentreInput<K>, undefined>) => Promise<CentreOutput<K>>;

async function centreName(ctx: CentreCtx): Promise<string | null> {
  const r = await rows(ctx.centre.conn, `SELECT value FROM centre_meta WHERE key = 'centre_name'`);
  return r[0] ? String(r[0].value) : null;
}

async function sessionOf(ctx: CentreCtx, username: string): Promise<CentreSession> {
  const u = (await rows(ctx.centre.conn, 'SELECT username, display_name, role FROM centre_users WHERE username = ? AND NOT disabled', [username]))[0];
  if (!u) throw new ApiError('UNAUTHENTICATED', '请先登录');
  return { username: String(u.username), displayName: String(u.display_name), role: u.role as CentreRole, centreName: (await centreName(ctx)) ?? '' };
}

async function userCount(ctx: CentreCtx): Promise<number> {
  return Number((await rows(ctx.centre.conn, 'SELECT count(*) AS n FROM centre_users'))[0].n);
}

async function userRow(ctx: CentreCtx, username: string): Promise<CentreUser> {
  const u = (await rows(ctx.centre.conn, 'SELECT * FROM centre_users WHERE username = ?', [username]))[0];
  return { username: String(u.username), displayName: String(u.display_name), role: u.role as CentreRole, disabled: Boolean(u.disabled), createdAt: String(u.created_at) };
}

async function addUser(ctx: CentreCtx, u: { username: string; displayName: string; role: CentreRole; password: string }): Promise<void> {
  if ((await rows(ctx.centre.conn, 'SELECT 1 FROM centre_users WHERE lower(username) = lower(?)', [u.username])).length) {
    throw new ApiError('CONFLICT', `用户名“${u.username}”已存在`);
  }
  await ctx.centre.conn.run('INSERT INTO centre_users (username, display_name, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, false, ?)', [
    u.username, u.displayName, u.role, hashPassword(u.password), ctx.now().toISOString(),
  ]);
}

async function view(ctx: CentreCtx, name: CentreViewName, month: string, page: { limit?: number; offset?: number } = {}): Promise<CentreView> {
  const c = ctx.centre;
  switch (name) {
    case 'submission':
      return submissionView(c, month);
    case 'surplus':
      return surplusView(c, { month });
    case 'price':
      return priceView(c, month, page);
    case 'supplier':
      return supplierView(c, month);
    case 'inspection':
      return inspectionView(c, month);
    case 'foodsafety':
      return foodSafetyView(c, month);
  }
}

export const centreHandlers: { [K in CentreMethodName]: CentreHandler<K> } = {
  'start.kind': async () => 'centre',
  'centre.status': async (ctx) => ({ initialized: (await userCount(ctx)) > 0, centreName: await centreName(ctx), file: ctx.centre.file }),
  'centre.setup': async (ctx, input) => {
    if ((await userCount(ctx)) > 0) throw new ApiError('CONFLICT', '中心数据库已建立管理员，请登录');
    await ctx.centre.conn.run(`INSERT OR REPLACE INTO centre_meta VALUES ('centre_name', ?)`, [input.centreName]);
    await addUser(ctx, { username: input.adminUsername, displayName: input.adminName, role: 'centre_admin', password: input.password });
    await appendCentreAudit(ctx.centre.conn, { at: ctx.now().toISOString(), username: input.adminUsername, action: 'setup', subject: input.adminUsername, detail: { centreName: input.centreName, user: await userRecord(ctx.centre.conn, input.adminUsername) } });
    ctx.setSession({ username: input.adminUsername });
    return sessionOf(ctx, input.adminUsername);
  },
  /**
   * The school's backoff (login-guard.ts: five failures free, then 30 s doubling to 15 minutes) on failed logins per
   * name (lower case) since its last success, kept in the centre's file (login_failures, centre schema 7): a restart
   * of the app, or a new CLI process per try, does not reset it. Not in one transaction (the dispatcher leaves this
   * method its own): a failure is written even though the call fails.
   */
  'auth.login': async (ctx, input) => {
    const conn = ctx.centre.conn;
    const key = input.username.toLowerCase();
    const now = ctx.now().getTime();
    const seen = (await rows(conn, 'SELECT failures, last_at_ms FROM login_failures WHERE name = ?', [key]))[0];
    const n = seen ? Number(seen.failures) : 0;
    // A locked name is refused unchecked: no scrypt, and the try does not extend the lock.
    const wait = seen ? Number(seen.last_at_ms) + userLockMs(n) - now : 0;
    if (wait > 0) throw new ApiError('UNAUTHENTICATED', `密码错误次数过多，请在 ${waitText(wait)}后再试`);
    const u = (await rows(conn, 'SELECT username, password_hash, disabled FROM centre_users WHERE lower(username) = lower(?)', [input.username]))[0];
    // The same scrypt for an unknown name as for a wrong password: the time does not tell which.
    const ok = verifyPassword(input.password, u ? String(u.password_hash) : DUMMY_HASH) && Boolean(u);
    if (!ok || !u) {
      await conn.run('INSERT OR REPLACE INTO login_failures VALUES (?, ?, ?)', [key, n + 1, now]);
      throw new ApiError('UNAUTHENTICATED', '用户名或密码不正确');
    }
    if (seen) await conn.run('DELETE FROM login_failures WHERE name = ?', [key]);
    if (u.disabled) throw new ApiError('UNAUTHENTICATED', '该用户已停用，请联系中心管理员');
    ctx.setSession({ username: String(u.username) });
    return sessionOf(ctx, String(u.username));
  },
  'auth.logout': async (ctx) => {
    ctx.setSession(null);
    return null;
  },
  'auth.me': async (ctx) => (ctx.session && ctx.role ? sessionOf(ctx, ctx.session.username) : null),
  'users.list': async (ctx) => {
    const r = await rows(ctx.centre.conn, 'SELECT username FROM centre_users ORDER BY created_at, username');
    return Promise.all(r.map((x) => userRow(ctx, String(x.username))));
  },
  'users.create': async (ctx, input) => {
    await addUser(ctx, input);
    await appendCentreAudit(ctx.centre.conn, { at: ctx.now().toISOString(), username: ctx.session!.username, action: 'user.create', subject: input.username, detail: { user: await userRecord(ctx.centre.conn, input.username) } });
    return userRow(ctx, input.username);
  },
  'schools.list': async (ctx) => {
    const r = await rows(
      ctx.centre.conn,
      `SELECT s.code, s.name, s.fingerprint, s.enrolled_at, count(p.month) AS packages, max(p.month) AS last_month
       FROM schools s LEFT JOIN packages p ON p.school_code = s.code GROUP BY ALL ORDER BY s.code`,
    );
    return r.map((x) => ({
      code: String(x.code), name: String(x.name), fingerprint: formatFingerprint(String(x.fingerprint)), enrolledAt: String(x.enrolled_at),
      packages: Number(x.packages), lastMonth: x.last_month === null ? null : String(x.last_month),
    }));
  },
  'schools.enrol': async (ctx, input) => {
    const r = await enrolSchool(ctx.centre, input, ctx.now());
    await appendCentreAudit(ctx.centre.conn, { at: ctx.now().toISOString(), username: ctx.session!.username, action: 'school.enrol', subject: r.code, detail: { school: await schoolRecord(ctx.centre.conn, r.code), replaced: r.replaced } });
    return r;
  },
  // One recorded operation per folder (ledger/progress.ts, as the school's long work): the window polls
  // packages.progress, the CLI paints it on a terminal; cancellable between packages (import.ts).
  'packages.import': async (ctx, input) => {
    const dir = path.resolve(input.dir);
    const by = ctx.session!.username;
    return withOperation(ctx, 'import', { cancellable: true, label: '导入上报包' }, async (run) => (await importFolder(ctx.centre, dir, ctx.now(), by, run.report)).map((o) => ({ ...o })));
  },
  'packages.progress': async (ctx) => operationsOf(ctx),
  'packages.cancel': async (ctx, input) => cancelOperation(ctx, input.id),
  'views.months': async (ctx) => (await rows(ctx.centre.conn, 'SELECT DISTINCT month FROM packages ORDER BY month DESC')).map((r) => String(r.month)),
  'views.show': async (ctx, input) => view(ctx, input.view, input.month, { limit: input.limit, offset: input.offset }),
  'views.items': async (ctx, input) => monthItems(ctx.centre, input.month),
  'views.priceHistory': async (ctx, input) => priceHistory(ctx.centre, { item: input.item, spec: input.spec ?? '', unit: input.unit }),
  'items.mappings': async (ctx) => itemMappings(ctx.centre),
  'items.map': async (ctx, input) => {
    const m = await mapItem(ctx.centre, { ...input, spec: input.spec ?? '', toSpec: input.toSpec ?? '' }, ctx.session!.username, ctx.now());
    await appendCentreAudit(ctx.centre.conn, { at: ctx.now().toISOString(), username: ctx.session!.username, action: 'item.map', subject: `${m.item} ${m.spec} ${m.unit}`, detail: { mapping: await mappingRecord(ctx.centre.conn, m) } });
    return m;
  },
  'items.unmap': async (ctx, input) => {
    const key = { item: input.item, spec: input.spec ?? '', unit: input.unit };
    await unmapItem(ctx.centre, key);
    await appendCentreAudit(ctx.centre.conn, { at: ctx.now().toISOString(), username: ctx.session!.username, action: 'item.unmap', subject: `${key.item} ${key.spec} ${key.unit}`, detail: { key } });
    return null;
  },
  'items.schoolMappings': async (ctx) => schoolItemMappings(ctx.centre),
  'items.mapSchool': async (ctx, input) => {
    const m = await mapSchoolItem(ctx.centre, { ...input, spec: input.spec ?? '', toSpec: input.toSpec ?? '' }, ctx.session!.username, ctx.now());
    await appendCentreAudit(ctx.centre.conn, { at: ctx.now().toISOString(), username: ctx.session!.username, action: 'item.mapSchool', subject: `${m.schoolCode} ${m.item} ${m.spec} ${m.unit}`, detail: { mapping: await schoolMappingRecord(ctx.centre.conn, m) } });
    return m;
  },
  'items.unmapSchool': async (ctx, input) => {
    const key = { schoolCode: input.schoolCode, item: input.item, spec: input.spec ?? '', unit: input.unit };
    await unmapSchoolItem(ctx.centre, key);
    await appendCentreAudit(ctx.centre.conn, { at: ctx.now().toISOString(), username: ctx.session!.username, action: 'item.unmapSchool', subject: `${key.schoolCode} ${key.item} ${key.spec} ${key.unit}`, detail: { key: { school_code: key.schoolCode, item: key.item, spec: key.spec, unit: key.unit } } });
    return null;
  },
  'centre.verify': async (ctx) => verifyCentre(ctx.centre.conn),
  'views.export': async (ctx, input) => {
    const v = await view(ctx, input.view, input.month);
    const stamp = ctx.now().toISOString().replace(/[-:]/g, '').slice(0, 15);
    const safe = v.title.replace(/[\\/:*?"<>|\s]/g, '_');
    const file = path.join(ctx.dataDir, 'exports', `${safe}_${stamp}.xlsx`);
    return { file: await writeViewsWorkbook([v], file) };
  },
};
