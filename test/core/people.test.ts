import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { DEFAULT_PROFILE } from '../../shared/profile.ts';
import { PASSWORD, setupBackend, tableDigest, tempLedger, type TestBackend } from '../helpers/backend.ts';

let b: TestBackend;
beforeEach(async () => {
  b = await setupBackend();
});
afterEach(() => b.cleanup());

describe('first run', () => {
  it('creates the school with the default profile and logs the admin in, once only', async () => {
    const t = tempLedger();
    const fresh = openBackend({ file: t.file });
    expect(await fresh.invoke('setup.status', {})).toEqual({ ok: true, value: { initialized: false, schoolName: null } });
    const r = await fresh.invoke('setup.init', { schoolName: '城关中学', adminUsername: 'wang', adminName: '王老师', password: 'abcd-efgh' });
    expect(r).toMatchObject({ ok: true, value: { username: 'wang', roles: ['admin'], schoolName: '城关中学' } });
    const school = await fresh.invoke('school.get', {});
    expect(school).toMatchObject({ ok: true, value: { name: '城关中学', profile: DEFAULT_PROFILE } });
    const again = await fresh.invoke('setup.init', { schoolName: '别的学校', adminUsername: 'li', adminName: '李', password: 'abcd-efgh' });
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: '已完成首次设置，不能重复设置' } });
    fresh.close();
    t.cleanup();
  });

  it('rejects a short password with a Chinese message and writes nothing', async () => {
    const t = tempLedger();
    const fresh = openBackend({ file: t.file });
    const before = tableDigest(fresh);
    const r = await fresh.invoke('setup.init', { schoolName: '城关中学', adminUsername: 'wang', adminName: '王老师', password: '123' });
    expect(r).toEqual({ ok: false, error: { code: 'VALIDATION', message: '密码至少 8 位', issues: [{ path: 'password', message: '密码至少 8 位' }] } });
    expect(tableDigest(fresh)).toBe(before);
    fresh.close();
    t.cleanup();
  });
});

describe('login and sessions', () => {
  it('gives the same answer for a wrong password and an unknown user', async () => {
    expect(await b.reject('auth.login', { username: 'admin', password: 'wrong-password' })).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
    expect(await b.reject('auth.login', { username: 'nobody', password: 'wrong-password' })).toEqual({ code: 'UNAUTHENTICATED', message: '用户名或密码错误' });
  });

  it('logs out, and refuses every role-bound method without a login', async () => {
    await b.call('auth.logout', {});
    expect(await b.call('auth.me', {})).toBeNull();
    expect(await b.reject('users.list', {})).toEqual({ code: 'UNAUTHENTICATED', message: '请先登录' });
    expect(await b.reject('school.get', {})).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('takes effect at once when an admin disables or demotes a user', async () => {
    const users = await b.call('users.list', {});
    const cashier = users.find((u) => u.username === 'cashier')!;
    const accountant = users.find((u) => u.username === 'accountant')!;
    // The accountant logs in on this backend; the admin's changes land in the same database.
    await b.loginAs('accountant');
    expect(await b.call('suppliers.search', { q: '' })).toEqual([]);
    await b.loginAs('admin');
    await b.call('users.update', { id: accountant.id, displayName: '刘会计', roles: ['parent'] });
    await b.loginAs('accountant');
    expect(await b.reject('suppliers.create', {})).toMatchObject({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' });
    await b.loginAs('admin');
    await b.call('users.setDisabled', { id: cashier.id, disabled: true });
    expect(await b.reject('auth.login', { username: 'cashier', password: PASSWORD })).toEqual({ code: 'UNAUTHENTICATED', message: '该用户已停用，请联系系统管理员' });
    await b.call('users.setDisabled', { id: cashier.id, disabled: false });
    await b.loginAs('cashier');
  });

  it('changes and resets passwords', async () => {
    await b.loginAs('cashier');
    expect(await b.reject('auth.changePassword', { oldPassword: 'nope', newPassword: 'new-password-1' })).toMatchObject({ message: '原密码不正确' });
    await b.call('auth.changePassword', { oldPassword: PASSWORD, newPassword: 'new-password-1' });
    await b.reject('auth.login', { username: 'cashier', password: PASSWORD });
    await b.call('auth.login', { username: 'cashier', password: 'new-password-1' });
    await b.loginAs('admin');
    const cashier = (await b.call('users.list', {})).find((u) => u.username === 'cashier')!;
    await b.call('users.resetPassword', { id: cashier.id, password: 'reset-pass-2' });
    await b.call('auth.login', { username: 'cashier', password: 'reset-pass-2' });
  });
});

describe('users', () => {
  it('refuses a duplicate username, ignoring case', async () => {
    expect(await b.reject('users.create', { username: 'Cashier', displayName: '另一个', roles: ['cashier'], password: PASSWORD })).toEqual({
      code: 'CONFLICT',
      message: '用户名“Cashier”已被使用',
    });
  });

  it('keeps at least one active admin and never lets admins disable themselves', async () => {
    const admin = (await b.call('users.list', {})).find((u) => u.username === 'admin')!;
    expect(await b.reject('users.setDisabled', { id: admin.id, disabled: true })).toMatchObject({ code: 'RULE', message: '不能停用自己的账户' });
    expect(await b.reject('users.update', { id: admin.id, displayName: '管理员', roles: ['accountant'] })).toMatchObject({ code: 'RULE', message: '至少要保留一位在用的系统管理员' });
    const second = await b.call('users.create', { username: 'admin2', displayName: '副管理员', roles: ['admin', 'accountant'], password: PASSWORD });
    await b.call('users.update', { id: admin.id, displayName: '管理员', roles: ['accountant'] });
    await b.loginAs('admin2');
    expect(await b.reject('users.update', { id: second.id, displayName: '副管理员', roles: ['accountant'] })).toMatchObject({ code: 'RULE' });
  });

  it('rejects bad roles and empty names with messages and writes nothing', async () => {
    const before = tableDigest(b);
    const e = await b.reject('users.create', { username: 'x', displayName: '', roles: ['boss'], password: PASSWORD });
    expect(e.code).toBe('VALIDATION');
    expect(e.issues).toEqual([
      { path: 'username', message: '用户名为 2–32 位字母、数字、下划线、点或横线' },
      { path: 'displayName', message: '请填写姓名' },
      { path: 'roles.0', message: '角色无效' },
    ]);
    expect(tableDigest(b)).toBe(before);
  });

  it('records user changes in the audit trail with old and new values', async () => {
    const cashier = (await b.call('users.list', {})).find((u) => u.username === 'cashier')!;
    await b.call('users.update', { id: cashier.id, displayName: '陈出纳', roles: ['cashier', 'accountant'] });
    const { entries } = await b.call('audit.list', { entity: 'user', entityId: cashier.id });
    expect(entries[0]).toMatchObject({
      action: 'update',
      userName: '系统管理员',
      before: { displayName: '陈出纳', roles: ['cashier'] },
      after: { displayName: '陈出纳', roles: ['accountant', 'cashier'] },
    });
    expect(entries.map((e) => e.action)).toEqual(['update', 'create']);
  });
});

describe('school profile', () => {
  it('is changed by the admin only, validated, and audited', async () => {
    const profile = { ...DEFAULT_PROFILE, subsidyRateFen: 600, surplusLimitBp: 500, surplusPeriod: 'year' as const };
    await b.call('school.update', { name: '阳光实验小学', profile });
    expect((await b.call('school.get', {})).profile.subsidyRateFen).toBe(600);
    const before = tableDigest(b);
    expect((await b.reject('school.update', { name: '阳光实验小学', profile: { ...profile, subsidyRateFen: -5 } })).code).toBe('VALIDATION');
    expect((await b.reject('school.update', { name: '阳光实验小学', profile: { ...profile, surprise: 1 } })).code).toBe('VALIDATION');
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('accountant');
    expect((await b.reject('school.update', { name: '别名', profile })).code).toBe('FORBIDDEN');
    expect((await b.call('school.get', {})).name).toBe('阳光实验小学');
  });
});

describe('the dispatcher with input from in-process callers', () => {
  it('answers prototype-less objects and functions with a validation message, not an internal error', async () => {
    const evil = Object.create(null);
    evil.constructor = { name: Object.create(null) };
    const before = tableDigest(b);
    expect(await b.reject('suppliers.update', { id: '01a220f7-f2d9-7000-845c-302c85f2bb12', licences: evil, disabled: evil })).toMatchObject({ code: 'VALIDATION' });
    expect(await b.reject('users.create', { username: () => 'x' })).toEqual({ code: 'VALIDATION', message: '输入不是有效的数据（只能包含文字、数字、是/否、列表和对象）' });
    expect(tableDigest(b)).toBe(before);
  });
});
