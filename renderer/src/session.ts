import { create } from 'zustand';
import type { SessionInfo } from '../../shared/api/people.ts';
import { METHOD_ACCESS, type AccessMethod } from '../../shared/access.generated.ts';
import type { Role } from '../../shared/roles.ts';
import { call } from './api.ts';

type Phase = 'loading' | 'setup' | 'login' | 'ready' | 'offline';

interface SessionState {
  phase: Phase;
  session: SessionInfo | null;
  schoolName: string | null;
  /** Why the app could not start (no backend), shown on the 'offline' screen. */
  problem: string | null;
  /** Asks the backend whether the ledger is set up and who is logged in. */
  load(): Promise<void>;
  signedIn(s: SessionInfo): void;
  logout(): Promise<void>;
  /** The backend said the session is gone (logged out elsewhere, user disabled). */
  lost(): void;
  setSchoolName(name: string): void;
}

export const useSession = create<SessionState>()((set, get) => ({
  phase: 'loading',
  session: null,
  schoolName: null,
  problem: null,
  async load() {
    try {
      const st = await call('setup.status', {});
      if (!st.initialized) return set({ phase: 'setup', session: null, schoolName: null });
      const me = await call('auth.me', {});
      set({ phase: me ? 'ready' : 'login', session: me, schoolName: me?.schoolName ?? st.schoolName });
    } catch (e) {
      set({ phase: 'offline', problem: (e as Error).message });
    }
  },
  signedIn(s) {
    set({ phase: 'ready', session: s, schoolName: s.schoolName });
  },
  async logout() {
    try {
      await call('auth.logout', {});
    } finally {
      set({ phase: 'login', session: null });
      window.location.hash = '#/';
    }
  },
  lost() {
    if (get().phase === 'ready') set({ phase: 'login', session: null });
  },
  setSchoolName(name) {
    const s = get().session;
    set({ schoolName: name, session: s ? { ...s, schoolName: name } : s });
  },
}));

/** Whether the logged-in user holds any of `roles` ('any': everyone logged in). */
export function allowed(roles: readonly Role[] | 'any', mine: readonly Role[] | undefined): boolean {
  if (!mine) return false;
  return roles === 'any' || roles.some((r) => mine.includes(r));
}

/**
 * Who may call `method`, as the contract says ('any' for every logged-in user): what a page that needs the method
 * declares instead of a role list of its own.
 */
export function callers(method: AccessMethod): readonly Role[] | 'any' {
  const a: readonly Role[] | 'any' | 'public' = METHOD_ACCESS[method];
  return a === 'public' ? 'any' : a;
}

export function useRoles(): Role[] {
  return useSession((s) => s.session?.roles ?? []);
}
