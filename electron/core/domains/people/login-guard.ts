import { ApiError } from '../../../../shared/errors.ts';
import { appendAudit } from '../../ledger/audit.ts';
import type { Ctx } from '../../context.ts';
import { rowsWhere, withRows } from '../../ledger/row-snapshot.ts';

/**
 * Backoff on failed logins (issue 20: 200 guesses in 15 s went through). Two limits, both read from login_attempts
 * (migration 0015) with the clock of ctx.now():
 * - per name: after USER_FREE_FAILURES failures in a row (since its last success or unlock), the name is locked for
 *   30 s, and each further failure doubles it, at most 15 minutes. A name that does not exist is locked the same way,
 *   so the answers do not tell which names exist.
 * - per installation: when INSTALLATION_FAILURES failures (any names) fall within 10 minutes, every login waits a
 *   minute after the latest failure: guessing across many names slows to one try a minute.
 * A refused try is not checked and not recorded: it costs no scrypt and writes nothing, and it cannot extend a lock.
 */
export const USER_FREE_FAILURES = 5;
const USER_FIRST_LOCK_MS = 30_000;
const USER_MAX_LOCK_MS = 15 * 60_000;
export const INSTALLATION_FAILURES = 20;
const INSTALLATION_WINDOW_MS = 10 * 60_000;
const INSTALLATION_WAIT_MS = 60_000;

/** How long a name stays locked after `failures` failures in a row (0: not locked). */
export function userLockMs(failures: number): number {
  if (failures < USER_FREE_FAILURES) return 0;
  return Math.min(USER_FIRST_LOCK_MS * 2 ** Math.min(failures - USER_FREE_FAILURES, 10), USER_MAX_LOCK_MS);
}

/** "30 秒", "1 分钟", "15 分钟": whole seconds under a minute, else minutes rounded up. */
export function waitText(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 60 ? `${s} 秒` : `${Math.ceil(s / 60)} 分钟`;
}

/** The name's failures since its last success or unlock, and when the latest was. */
function failuresInRow(ctx: Ctx, username: string): { n: number; lastAt: number } {
  // One more than the longest lock needs: beyond it the delay stays at its cap.
  const rows = ctx.db.prepare('SELECT outcome, at FROM login_attempts WHERE username = ? ORDER BY seq DESC LIMIT 16').all(username) as { outcome: string; at: string }[];
  let n = 0;
  while (n < rows.length && rows[n].outcome === 'fail') n++;
  return { n, lastAt: n > 0 ? Date.parse(rows[0].at) : 0 };
}

/** What is left of a wait of `span` ms that began at `from`; a clock set back never makes it longer than `span`. */
function remaining(now: number, from: number, span: number): number {
  return Math.min(from + span - now, span);
}

/** Refuses the try (without checking the password) while the name or the installation must wait. */
export function assertMayTryLogin(ctx: Ctx, username: string): void {
  const now = ctx.now().getTime();
  const mine = failuresInRow(ctx, username);
  const userWait = mine.n > 0 ? remaining(now, mine.lastAt, userLockMs(mine.n)) : 0;
  const fails = ctx.db.prepare(`SELECT at FROM login_attempts WHERE outcome = 'fail' ORDER BY seq DESC LIMIT ?`).all(INSTALLATION_FAILURES) as { at: string }[];
  let allWait = 0;
  if (fails.length === INSTALLATION_FAILURES && now - Date.parse(fails[INSTALLATION_FAILURES - 1].at) < INSTALLATION_WINDOW_MS) {
    allWait = remaining(now, Date.parse(fails[0].at), INSTALLATION_WAIT_MS);
  }
  if (userWait <= 0 && allWait <= 0) return;
  if (userWait >= allWait) throw new ApiError('UNAUTHENTICATED', `密码错误次数过多，请在 ${waitText(userWait)}后再试`);
  throw new ApiError('UNAUTHENTICATED', `登录失败次数过多，请在 ${waitText(allWait)}后再试`);
}

function insertAttempt(ctx: Ctx, username: string, userId: string | null, outcome: 'fail' | 'ok' | 'unlock', byUser: string | null) {
  const seq = Number(
    ctx.db
      .prepare('INSERT INTO login_attempts (at, username, user_id, outcome, by_user) VALUES (?, ?, ?, ?, ?)')
      .run(ctx.now().toISOString(), username, userId, outcome, byUser).lastInsertRowid,
  );
  return rowsWhere(ctx, 'login_attempts', 'seq = ?', seq);
}

/**
 * Records a failed login and returns the message for it. The audit entry has no user (nobody logged in) and names the
 * account tried, when it exists; the caller must let the write stand although the call is refused.
 */
export function recordLoginFailure(ctx: Ctx, username: string, userId: string | null): string {
  const snap = insertAttempt(ctx, username, userId, 'fail', null);
  const { n } = failuresInRow(ctx, username);
  const lockMs = userLockMs(n);
  appendAudit(ctx.db, {
    at: ctx.now().toISOString(),
    user_id: null,
    action: 'fail',
    entity: 'login',
    entity_id: userId,
    before: null,
    after: JSON.stringify(withRows({ username, failuresInRow: n, lockedSeconds: lockMs / 1000 }, snap)),
  });
  return lockMs > 0 ? `密码错误次数过多，请在 ${waitText(lockMs)}后再试` : '用户名或密码错误';
}

/**
 * A success (or an administrator's unlock) ends the name's run of failures. Written only when the name's latest try
 * failed: the rows for the audit entry, or none.
 */
export function resetLoginFailures(ctx: Ctx, username: string, userId: string, byUser: string | null): ReturnType<typeof rowsWhere> | null {
  const last = ctx.db.prepare('SELECT outcome FROM login_attempts WHERE username = ? ORDER BY seq DESC LIMIT 1').get(username) as { outcome: string } | undefined;
  if (last?.outcome !== 'fail') return null;
  return insertAttempt(ctx, username, userId, byUser ? 'unlock' : 'ok', byUser);
}
