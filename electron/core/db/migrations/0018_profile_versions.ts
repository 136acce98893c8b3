import type { Migration } from './index.ts';

/**
 * profile_versions (issue 14 §5): the regional profile as versions, each in force from a month on. A month is computed
 * with the version in force for it — the newest version (highest seq) whose effective_from is not after the month —
 * so a change made after a close never reaches the closed month's figures, checksum, export or verify. A version is
 * never changed or removed, and none takes effect in or before the latest closed month (a reopened month takes a new
 * version, and its re-close uses what is then in force).
 *
 * The ledger's profile so far becomes the first version, in force from the beginning ('0001-01'); it has no author
 * (created_by NULL, as does the first version the first-run setup writes, before any user exists). school.profile
 * keeps the latest version written, as the audit chain has always recorded it. Each version the app writes is
 * snapshotted in its audit entry; verify checks the one written here against the profiles the chain gives the school.
 */
export const profileVersions: Migration = {
  name: '0018_profile_versions',
  sql: `
CREATE TABLE profile_versions (
  seq INTEGER PRIMARY KEY,
  effective_from TEXT NOT NULL CHECK (effective_from GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
  profile TEXT NOT NULL CHECK (json_valid(profile) AND json_type(profile) = 'object'),
  created_at TEXT NOT NULL,
  created_by TEXT REFERENCES users(id)
) STRICT;
CREATE INDEX profile_versions_effective ON profile_versions (effective_from, seq);

INSERT INTO profile_versions (effective_from, profile, created_at, created_by) SELECT '0001-01', profile, created_at, NULL FROM school;

CREATE TRIGGER profile_versions_no_update BEFORE UPDATE ON profile_versions BEGIN SELECT RAISE(ABORT, '区域配置的版本不能修改，请新增一个版本'); END;
CREATE TRIGGER profile_versions_no_delete BEFORE DELETE ON profile_versions BEGIN SELECT RAISE(ABORT, '区域配置的版本不能删除'); END;
CREATE TRIGGER profile_versions_lock BEFORE INSERT ON profile_versions
WHEN NEW.effective_from <= (SELECT max(period) FROM closed_periods)
BEGIN SELECT RAISE(ABORT, '区域配置不能在已月结锁定的月份或更早生效'); END;
`,
};
