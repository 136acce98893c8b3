import type { Db } from './db/open.ts';
import type { Role } from '../../shared/roles.ts';
import { ApiError } from '../../shared/errors.ts';

export interface Session {
  userId: string;
  username: string;
  displayName: string;
  roles: Role[];
  /** A 现场填写 session this login is in (issue 17): only the kiosk's methods are let through until it is closed. */
  kiosk?: string;
}

/** What every handler gets: the database, the clock, this installation and the logged-in user. */
export interface Ctx {
  db: Db;
  now: () => Date;
  installationId: string;
  /** The data folder, where attachments and backups live beside the ledger (null for an in-memory ledger). */
  dataDir: string | null;
  session: Session | null;
  setSession: (s: Session | null) => void;
}

export function currentUser(ctx: Ctx): Session {
  if (!ctx.session) throw new ApiError('UNAUTHENTICATED', '请先登录');
  return ctx.session;
}

export function hasRole(ctx: Ctx, role: Role): boolean {
  return ctx.session?.roles.includes(role) ?? false;
}
