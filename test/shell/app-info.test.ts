import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../electron/core/db/migrations/index.ts';
import pkg from '../../package.json' with { type: 'json' };
import { setupBackend, type TestBackend } from '../helpers/backend.ts';

let b: TestBackend;
beforeAll(async () => {
  b = await setupBackend();
});
afterAll(() => b.cleanup());

describe('app.info', () => {
  it('tells every logged-in role the version and where the data lives', async () => {
    for (const user of ['admin', 'parent', 'storekeeper']) {
      await b.loginAs(user);
      const info = await b.call('app.info', {});
      expect(info.productName).toBe('阳光食堂账本');
      expect(info.version).toBe(pkg.version);
      expect(info.dataDir).toBe(b.dir);
      expect(info.ledgerFile).toBe(path.join(b.dir, 'ledger.sqlite'));
      expect(info.backupsDir).toBe(path.join(b.dir, 'backups'));
      expect(info.logsDir).toBe(path.join(b.dir, 'logs'));
      // A fresh ledger has every migration applied.
      expect(info.schemaVersion).toBe(MIGRATIONS.length);
      expect(info.latestSchemaVersion).toBe(MIGRATIONS.length);
      expect(info.installationId).toBe(b.ctx.installationId);
      expect(info.installationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(info.runtime.node).toBe(process.versions.node);
    }
  });

  it('is refused before login and refuses unknown input keys', async () => {
    await b.call('auth.logout', {});
    expect(await b.reject('app.info', {})).toMatchObject({ code: 'UNAUTHENTICATED', message: '请先登录' });
    await b.loginAs('admin');
    expect((await b.reject('app.info', { secret: 1 })).code).toBe('VALIDATION');
  });
});
