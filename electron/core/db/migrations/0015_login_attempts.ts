import type { Migration } from './index.ts';

/**
 * login_attempts (issue 20): every failed login, every successful one and every unlock by an administrator, one row
 * each, never changed. The login's backoff reads it: a name's failures since its last success or unlock lock that
 * name for a growing delay, and many failures across the installation slow every login (electron/core/login-guard.ts).
 * `username` is the name as typed (the account's own spelling when it exists), so a name that does not exist is
 * locked just the same and the answer does not tell which names exist. Each row is snapshotted in its audit entry
 * (entity 'login'), so verify notices a failure deleted to lift a lock.
 */
export const loginAttempts: Migration = {
  name: '0015_login_attempts',
  sql: `
CREATE TABLE login_attempts (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T*Z'),
  username TEXT NOT NULL COLLATE NOCASE CHECK (length(username) <= 64),
  user_id TEXT REFERENCES users(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('fail', 'ok', 'unlock')),
  by_user TEXT REFERENCES users(id),
  CHECK (outcome <> 'ok' OR user_id IS NOT NULL),
  CHECK ((outcome = 'unlock') = (by_user IS NOT NULL))
) STRICT;

-- A name's latest attempts, newest first; the installation's latest failures.
CREATE INDEX login_attempts_name ON login_attempts(username, seq);
CREATE INDEX login_attempts_outcome ON login_attempts(outcome, seq);

CREATE TRIGGER login_attempts_no_update BEFORE UPDATE ON login_attempts BEGIN SELECT RAISE(ABORT, '登录记录不能修改'); END;
CREATE TRIGGER login_attempts_no_delete BEFORE DELETE ON login_attempts BEGIN SELECT RAISE(ABORT, '登录记录不能删除'); END;
`,
};
