import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type MethodName } from '../../shared/api/index.ts';
import type { MethodDef } from '../../shared/api/contract.ts';
import { ROLES, type Role } from '../../shared/roles.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';

/**
 * Every API method against every role: the set of roles that get past authorization (anything but FORBIDDEN) must be
 * exactly the contract's `access`. The input is {} — authorization runs before validation, so an allowed role gets a
 * validation error or a result, a refused one FORBIDDEN.
 */
let b: TestBackend;
const users = new Map<Role, { id: string; username: string; displayName: string }>();

beforeAll(async () => {
  b = await setupBackend();
  await b.loginAs('admin');
  for (const u of await b.call('users.list', {})) {
    const role = u.roles[0];
    if (u.roles.length === 1 && !users.has(role)) users.set(role, { id: u.id, username: u.username, displayName: u.displayName });
  }
}, 120_000);
afterAll(() => b?.cleanup());

function expectedRoles(def: MethodDef): Role[] {
  if (def.access === 'public' || def.access === 'any') return [...ROLES];
  return ROLES.filter((r) => (def.access as readonly Role[]).includes(r));
}

describe('roles: the allowed set of every method equals its contract', () => {
  it('has one test user per role', () => {
    expect([...users.keys()].sort()).toEqual([...ROLES].sort());
  });

  const names = Object.keys(api) as MethodName[];
  it(`walks ${names.length} methods × ${ROLES.length} roles`, async () => {
    const mismatches: string[] = [];
    for (const name of names) {
      const def = api[name] as MethodDef;
      const allowed: Role[] = [];
      for (const role of ROLES) {
        const u = users.get(role)!;
        b.ctx.setSession({ userId: u.id, username: u.username, displayName: u.displayName, roles: [role] });
        const r = await b.invoke(name, {});
        if (r.ok || r.error.code !== 'FORBIDDEN') allowed.push(role);
        else expect(r.error.message).toMatch(/[\u4e00-\u9fff]/);
        if (!r.ok) expect(r.error.code).not.toBe('UNAUTHENTICATED');
      }
      const expected = expectedRoles(def);
      if (allowed.join(',') !== expected.join(',')) mismatches.push(`${name}: allowed ${allowed.join(',')} but contract says ${expected.join(',')}`);
    }
    expect(mismatches).toEqual([]);
  }, 120_000);

  it('nobody logged in: only public methods get past authorization', async () => {
    for (const name of Object.keys(api) as MethodName[]) {
      const def = api[name] as MethodDef;
      b.ctx.setSession(null);
      const r = await b.invoke(name, {});
      if (def.access === 'public') expect(r.ok || r.error.code !== 'UNAUTHENTICATED', name).toBe(true);
      else expect(!r.ok && r.error.code === 'UNAUTHENTICATED', name).toBe(true);
    }
  }, 60_000);
});
