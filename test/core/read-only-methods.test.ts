import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/core/backend.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

let b: TestBackend | undefined;
afterEach(() => b?.cleanup());

/** A method declared writes: false cannot write (issue 16: read handlers got a writable database). */
describe('reading methods run on a read-only connection', () => {
  it('a read that tries to write fails and writes nothing; the next write works', async () => {
    b = await setupBackend();
    await b.loginAs('admin');
    const before = tableDigest(b);
    // A read handler with a bug: it writes. Stand it in for school.get for one call.
    const { allHandlers } = await import('../../electron/core/registry.ts');
    const handlers = allHandlers as unknown as Record<string, unknown>;
    const real = handlers['school.get'];
    handlers['school.get'] = (ctx: { db: TestBackend['db'] }) => ctx.db.prepare(`UPDATE school SET name = '改名' WHERE 1`).run();
    try {
      const r = await dispatch(b.ctx, 'school.get', {});
      expect(r.ok).toBe(false);
    } finally {
      handlers['school.get'] = real;
    }
    expect(tableDigest(b)).toEqual(before);
    // The connection is writable again for the writing methods.
    await b.call('users.create', { username: 'zhao', displayName: '赵老师', roles: ['cashier'], password: 'cashier-2026' });
    expect((await b.call('school.get', {})).name).not.toBe('改名');
  });
});
