/**
 * The centre's people (issue 18): a centre admin enrols schools, imports packages and keeps the centre's users; a
 * centre reviewer reads the views and exports them. Zod-free, so the renderer may import it.
 */
export const CENTRE_ROLES = ['centre_admin', 'centre_reviewer'] as const;
export type CentreRole = (typeof CENTRE_ROLES)[number];

export const CENTRE_ROLE_LABELS: Record<CentreRole, string> = {
  centre_admin: '中心管理员',
  centre_reviewer: '中心审核员',
};

export type CentreAccess = readonly CentreRole[] | 'any' | 'public';
