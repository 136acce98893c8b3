import { ApiError } from '../../../shared/errors.ts';
import { DEFAULT_PROFILE, profileSchema, type RegionalProfile } from '../../../shared/profile.ts';
import type { Ctx } from '../context.ts';

/**
 * The regional profile in force for a month (issue 14 §5, migration 0018, docs/DOMAIN-RULES.md "Profile versions"): a
 * month, and every document dated in it, is computed with the newest version whose effective month is not after it.
 * Below the domains: every domain reads it, and so do the month's figures verify recomputes for a closed month
 * (month-figures.ts). The versions themselves are written by the people domain (domains/people/profile-versions.ts).
 */

/** A stored profile read through the schema, so older rows gain new defaults. */
export const parseProfile = (json: string): RegionalProfile => profileSchema.parse({ ...DEFAULT_PROFILE, ...JSON.parse(json) });

/** The version in force for a month ('2026-09') or for the month of a date ('2026-09-15'), or null before the setup. */
export function profileVersionFor(ctx: Pick<Ctx, 'db'>, monthOrDate: string): RegionalProfile | null {
  const m = monthOrDate.slice(0, 7);
  const v = ctx.db.prepare('SELECT profile FROM profile_versions WHERE effective_from <= ? ORDER BY seq DESC LIMIT 1').get(m) as { profile: string } | undefined;
  if (v) return parseProfile(v.profile);
  // No version yet (a school written before migration 0018 is backfilled by it, so only a ledger without a school).
  const s = ctx.db.prepare('SELECT profile FROM school').get() as { profile: string } | undefined;
  return s ? parseProfile(s.profile) : null;
}

/** The version of the regional profile in force for a month ('2026-09') or a date's month ('2026-09-15'). */
export function profileFor(ctx: Pick<Ctx, 'db'>, monthOrDate: string): RegionalProfile {
  const p = profileVersionFor(ctx, monthOrDate);
  if (!p) throw new ApiError('CONFLICT', '尚未完成首次设置');
  return p;
}
