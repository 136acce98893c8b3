import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { hashPassword } from '../../electron/core/domains/people/passwords.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { PASSWORD, setupBackend, tableDigest, tempLedger, type TestBackend } from '../helpers/backend.ts';

/**
 * Issue 20 item 7: failed logins back off per name and per installation, are recorded and audited, and new passwords
 * follow a minimum rule. The clock is the backend's (ctx.now), moved by the test: nothing sleeps.
 */
const T0 = Date.UTC(2026, 8, 15, 2, 0, 0);
let clock = T0;
let b: TestBackend;
beforeEach(async () => {
  clock = T0;
  b = await setupBackend({ now: () => new Date(clock) });
});
afterEach(() => b.cleanup());

const later = (ms: number) => {
  clock += ms;
};
const SEC = 1000;
const MIN = 60 * SEC;
const login = (username: string, password: string) => b.invoke('auth.login', { username, password });
const refusal = async (username: string, password: string) => {
  const r = await login(username, password);
  if (r.ok) throw new Error(`login of ${username} was expected to be refused`);
  return r.error.message;
};

describe('backoff per name', () => {
  it('locks a name after 5 failures in a row for 30 s, doubling to 15 minutes; a success starts again', async () => {
    for (let i = 0; i < 4; i++) expect(await refusal('cashier', 'wrong-pass-1')).toBe('用户名或密码错误');
    expect(await refusal('cashier', 'wrong-pass-1')).toBe('密码错误次数过多，请在 30 秒后再试');

    // While locked even the right password is refused, unchecked and unrecorded.
    const before = tableDigest(b);
    expect(await refusal('cashier', PASSWORD)).toBe('密码错误次数过多，请在 30 秒后再试');
    later(29 * SEC);
    expect(await refusal('cashier', PASSWORD)).toBe('密码错误次数过多，请在 1 秒后再试');
    expect(tableDigest(b)).toBe(before);

    // Each further failure doubles the lock: 1, 2, 4, 8 minutes, then 15 at most.
    later(1 * SEC);
    expect(await refusal('cashier', 'wrong-pass-1')).toBe('密码错误次数过多，请在 1 分钟后再试');
    later(1 * MIN);
    expect(await refusal('cashier', 'wrong-pass-1')).toBe('密码错误次数过多，请在 2 分钟后再试');
    later(1 * MIN);
    expect(await refusal('cashier', PASSWORD)).toBe('密码错误次数过多，请在 1 分钟后再试');
    later(1 * MIN);
    expect(await refusal('cashier', 'wrong-pass-1')).toBe('密码错误次数过多，请在 4 分钟后再试');
    later(4 * MIN);
    expect(await refusal('cashier', 'wrong-pass-1')).toBe('密码错误次数过多，请在 8 分钟后再试');
    later(8 * MIN);
    expect(await refusal('cashier', 'wrong-pass-1')).toBe('密码错误次数过多，请在 15 分钟后再试');
    later(15 * MIN);
    expect(await refusal('cashier', 'wrong-pass-1')).toBe('密码错误次数过多，请在 15 分钟后再试');

    // Other names are not held by the cashier's lock.
    await b.loginAs('accountant');

    later(15 * MIN);
    await b.loginAs('cashier');
    // The success ended the run: the next failure is the first again.
    expect(await refusal('cashier', 'wrong-pass-1')).toBe('用户名或密码错误');
  });

  it('locks a name that does not exist the same way (the answer does not tell which names exist)', async () => {
    for (let i = 0; i < 4; i++) expect(await refusal('nobody', 'wrong-pass-1')).toBe('用户名或密码错误');
    expect(await refusal('nobody', 'wrong-pass-1')).toBe('密码错误次数过多，请在 30 秒后再试');
    expect(await refusal('NoBody', 'other-pass-2')).toBe('密码错误次数过多，请在 30 秒后再试');
  });

  it('a name is the account whatever its case', async () => {
    for (let i = 0; i < 5; i++) await refusal(i % 2 ? 'CASHIER' : 'cashier', 'wrong-pass-1');
    expect(await refusal('Cashier', PASSWORD)).toBe('密码错误次数过多，请在 30 秒后再试');
  });

  it('an administrator resetting the password lifts the lock, audited', async () => {
    for (let i = 0; i < 5; i++) await refusal('cashier', 'wrong-pass-1');
    await b.loginAs('admin');
    const cashier = (await b.call('users.list', {})).find((u) => u.username === 'cashier')!;
    await b.call('users.resetPassword', { id: cashier.id, password: 'fresh-pass-7' });
    const { entries } = await b.call('audit.list', { entity: 'login', limit: 1 });
    expect(entries[0]).toMatchObject({ action: 'unlock', entity: 'login', entityId: cashier.id, after: { username: 'cashier' } });
    await b.call('auth.login', { username: 'cashier', password: 'fresh-pass-7' });
  });
});

describe('backoff per installation', () => {
  it('after 20 failures within 10 minutes every login waits a minute after the latest failure', async () => {
    // Four tries on each of five names: no name is locked, the installation is.
    for (const name of ['storekeeper', 'cashier', 'ghost', 'reviewer', 'parent']) {
      for (let i = 0; i < 4; i++) {
        expect(await refusal(name, 'wrong-pass-1')).toBe('用户名或密码错误');
        later(5 * SEC);
      }
    }
    // 20 failures in 100 s; the latest was 5 s ago.
    const before = tableDigest(b);
    expect(await refusal('accountant', PASSWORD)).toBe('登录失败次数过多，请在 55 秒后再试');
    later(54 * SEC);
    expect(await refusal('admin', PASSWORD)).toBe('登录失败次数过多，请在 1 秒后再试');
    expect(tableDigest(b)).toBe(before);
    later(1 * SEC);
    await b.loginAs('accountant');
    // Still 20 failures within 10 minutes: one more failure holds everybody another minute.
    expect(await refusal('ghost2', 'wrong-pass-1')).toBe('用户名或密码错误');
    expect(await refusal('admin', PASSWORD)).toBe('登录失败次数过多，请在 1 分钟后再试');
    // Ten quiet minutes later the window holds fewer than 20 failures.
    later(10 * MIN);
    await b.loginAs('admin');
  });
});

describe('failed logins are recorded', () => {
  it('each failure is an audit entry (no user; the account tried, if it exists) and a row verify checks', async () => {
    await refusal('cashier', 'wrong-pass-1');
    later(SEC);
    await refusal('ghost', 'wrong-pass-1');
    later(SEC);
    await b.loginAs('cashier');
    await b.loginAs('admin');
    const cashier = (await b.call('users.list', {})).find((u) => u.username === 'cashier')!;
    const { entries } = await b.call('audit.list', { entity: 'login', limit: 10 });
    expect(entries.map((e) => [e.action, e.userId, e.entityId, (e.after as { username: string }).username])).toEqual([
      ['fail', null, null, 'ghost'],
      ['fail', null, cashier.id, 'cashier'],
    ]);
    expect(entries[1].at).toBe('2026-09-15T02:00:00.000Z');
    // The cashier's success ended the run: its login entry carries the reset row.
    const rows = b.db.prepare('SELECT username, user_id, outcome FROM login_attempts ORDER BY seq').all();
    expect(rows).toEqual([
      { username: 'cashier', user_id: cashier.id, outcome: 'fail' },
      { username: 'ghost', user_id: null, outcome: 'fail' },
      { username: 'cashier', user_id: cashier.id, outcome: 'ok' },
    ]);

    const report = verifyLedger(b.db);
    expect(report.problems).toEqual([]);
    expect(report.coveredTables.login_attempts).toBe(3);

    // Deleting a failure behind the app's back (to lift a lock) shows in verify.
    b.db.exec('DROP TRIGGER login_attempts_no_delete');
    b.db.prepare(`DELETE FROM login_attempts WHERE username = 'ghost'`).run();
    const tampered = verifyLedger(b.db);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems.map((p) => p.message)).toContainEqual(expect.stringMatching(/^登录记录 2 与审计记录（第 \d+ 条）不符：缺失/));
  });

  it('SQL refuses changing or deleting a login record', () => {
    b.db.prepare(`INSERT INTO login_attempts (at, username, user_id, outcome, by_user) VALUES ('2026-09-15T02:00:00.000Z', 'x', NULL, 'fail', NULL)`).run();
    expect(() => b.db.prepare(`UPDATE login_attempts SET outcome = 'ok'`).run()).toThrow('登录记录不能修改');
    expect(() => b.db.prepare('DELETE FROM login_attempts').run()).toThrow('登录记录不能删除');
    expect(() => b.db.prepare(`INSERT INTO login_attempts (at, username, outcome) VALUES ('2026-09-15T02:00:00.000Z', 'x', 'maybe')`).run()).toThrow(/CHECK constraint failed/);
  });
});

describe('the minimum password rule', () => {
  const weak: [string, string][] = [
    ['        ', '密码不能全是空格'],
    ['  abc-12  ', '密码至少 8 位'],
    ['aaaaaaaa', '密码不能全是同一个字符'],
    ['abcdefgh', '密码须包含字母、数字、符号中的至少两种'],
    ['12345678', '密码须包含字母、数字、符号中的至少两种'],
    ['食堂食堂食堂食堂', '密码须包含字母、数字、符号中的至少两种'],
  ];

  it('refuses weak passwords on create, reset, change and first run, writing nothing', async () => {
    const cashier = (await b.call('users.list', {})).find((u) => u.username === 'cashier')!;
    const before = tableDigest(b);
    for (const [password, message] of weak) {
      expect(await b.reject('users.create', { username: 'newbie', displayName: '新人', roles: ['parent'], password })).toEqual({
        code: 'VALIDATION',
        message,
        issues: [{ path: 'password', message }],
      });
      expect(await b.reject('users.resetPassword', { id: cashier.id, password })).toMatchObject({ code: 'VALIDATION', message });
    }
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('cashier');
    const loggedIn = tableDigest(b);
    for (const [password, message] of weak) {
      expect(await b.reject('auth.changePassword', { oldPassword: PASSWORD, newPassword: password })).toMatchObject({ code: 'VALIDATION', message });
    }
    expect(tableDigest(b)).toBe(loggedIn);

    const t = tempLedger();
    const fresh = openBackend({ file: t.file });
    const empty = tableDigest(fresh);
    for (const [password, message] of weak) {
      expect(await fresh.invoke('setup.init', { schoolName: '城关中学', adminUsername: 'wang', adminName: '王老师', password })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message } });
    }
    expect(tableDigest(fresh)).toBe(empty);
    fresh.close();
    t.cleanup();
  });

  it('accepts passwords of two kinds of characters, and a password set before the rule still logs in', async () => {
    await b.call('users.create', { username: 'newbie', displayName: '新人', roles: ['parent'], password: 'abcd1234' });
    await b.call('users.create', { username: 'newbie2', displayName: '新人二', roles: ['parent'], password: '食堂-食堂-食堂' });
    // A password of eight letters, stored before the rule (written as the old code wrote it).
    b.db.prepare(`UPDATE users SET password_hash = ? WHERE username = 'parent'`).run(hashPassword('abcdefgh'));
    await b.call('auth.login', { username: 'parent', password: 'abcdefgh' });
  });
});

it('the lock lives in the ledger and survives a restart', async () => {
  for (let i = 0; i < 5; i++) await refusal('cashier', 'wrong-pass-1');
  b.close();
  const again = openBackend({ file: b.file, now: () => new Date(clock + 10 * SEC) });
  const r = await again.invoke('auth.login', { username: 'cashier', password: PASSWORD });
  expect(r).toEqual({ ok: false, error: { code: 'UNAUTHENTICATED', message: '密码错误次数过多，请在 20 秒后再试' } });
  again.close();
  // b.cleanup closes b again (harmless) and removes the folder.
  const db = new Database(b.file, { readonly: true });
  expect((db.prepare(`SELECT count(*) AS n FROM login_attempts WHERE outcome = 'fail'`).get() as { n: number }).n).toBe(5);
  db.close();
});
