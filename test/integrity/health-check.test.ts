import Database from 'better-sqlite3';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { healthOf, quickCheckInWorker, startHealthCheck } from '../../electron/core/integrity/health-check.ts';
import { PASSWORD, setupBackend, tempLedger } from '../helpers/backend.ts';

/**
 * Page-level damage is found after start, off the main thread: quick_check on its own read-only connection in a
 * worker thread, its result kept with the backend, shown as a home-page attention item and by integrity.health. A
 * ledger is damaged the way lock-and-bad-files.test.ts damages a backup (bytes overwritten inside b-tree pages), but
 * only in pages of a bulky table, so that it still opens — as a ledger with a bad sector somewhere in its data would.
 */
const driver = createRequire(import.meta.url).resolve('better-sqlite3');
const PAGE = 4096;

let t: ReturnType<typeof tempLedger>;
let good: string;
let damaged: string;

beforeAll(async () => {
  const b = await setupBackend();
  const src = b.file;
  t = tempLedger();
  good = path.join(t.dir, 'good.sqlite');
  damaged = path.join(t.dir, 'damaged.sqlite');
  // A bulky table written last, so that its pages fill the end of the file (about 2 MB of the file's last part).
  b.db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, pad TEXT NOT NULL)');
  const ins = b.db.prepare('INSERT INTO filler (pad) VALUES (?)');
  b.db.transaction(() => {
    for (let i = 0; i < 2000; i++) ins.run(`第${i}行`.padEnd(1000, '填'));
  })();
  b.close();
  fs.copyFileSync(src, good);
  b.cleanup();
  const page = new Database(good).pragma('page_size', { simple: true }) as number;
  expect(page).toBe(PAGE);
  const buf = Buffer.from(fs.readFileSync(good));
  // Every third page of the last half: the filler's leaf pages, never page 1 (the header) or the schema.
  for (let i = Math.floor(buf.length / 2 / PAGE) * PAGE; i < buf.length - PAGE; i += PAGE * 3) buf.fill(0xa5, i + 8, i + 200);
  fs.writeFileSync(damaged, buf);
}, 120_000);
afterAll(() => t?.cleanup());

function open(file: string): Backend {
  const b = openBackend({ file });
  const admin = b.db.prepare(`SELECT id, display_name FROM users WHERE username = 'admin'`).get() as { id: string; display_name: string };
  b.ctx.setSession({ userId: admin.id, username: 'admin', displayName: admin.display_name, roles: ['admin'] });
  return b;
}

async function value<T>(b: Backend, name: string): Promise<T> {
  const r = await b.invoke(name, {});
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

describe('the file check after start', () => {
  it('a healthy ledger: pending while the worker runs, then ok; nothing on the home page', async () => {
    const file = path.join(t.dir, 'healthy-copy.sqlite');
    fs.copyFileSync(good, file);
    const b = open(file);
    try {
      expect(healthOf(b.ctx).status).toBe('unchecked');
      const done = startHealthCheck(b.ctx, { file, driver });
      // The call returns at once: the check runs in the worker, the backend answers meanwhile.
      expect(healthOf(b.ctx).status).toBe('pending');
      expect((await value<{ status: string }>(b, 'integrity.health')).status).toBe('pending');
      const s = await done;
      expect(s).toMatchObject({ status: 'ok', problems: [] });
      expect(s.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await value(b, 'integrity.health')).toMatchObject({ status: 'ok', problems: [] });
      const items = await value<{ kind: string }[]>(b, 'home.attention');
      expect(items.filter((i) => i.kind === 'ledger_damaged')).toEqual([]);
    } finally {
      b.close();
    }
  });

  it('a ledger with damaged pages still opens, and the check names the damage on the home page and in integrity.health', async () => {
    const file = path.join(t.dir, 'damaged-copy.sqlite');
    fs.copyFileSync(damaged, file);
    const b = open(file); // opening does not run quick_check (5a29cb9): the damage is not seen yet
    try {
      const s = await startHealthCheck(b.ctx, { file, driver });
      expect(s.status).toBe('damaged');
      expect(s.problems.length).toBeGreaterThan(0);
      // One finding a line, SQLite's '*** in database main ***' header dropped, at most 20 and a count of the rest.
      expect(s.problems.length).toBeLessThanOrEqual(21);
      for (const p of s.problems) expect(p).not.toMatch(/\n|\*\*\*/);
      expect(s.problems[0]).toMatch(/page \d+/);
      const h = await value<{ status: string; problems: string[]; restoreNote?: string }>(b, 'integrity.health');
      expect(h.status).toBe('damaged');
      expect(h.problems).toEqual(s.problems);
      expect(h.restoreNote).toBe(`备份文件夹 ${path.join(t.dir, 'backups')} 中没有备份；账本最后一次保存记录是在 2026-09-15 10:00:00。请不要删除或覆盖账本文件，先把整个数据文件夹复制保存一份，再联系技术人员。`);
      const items = await value<{ kind: string; severity: string; title: string; detail: string; link: string }[]>(b, 'home.attention');
      const item = items.find((i) => i.kind === 'ledger_damaged');
      expect(item).toMatchObject({ severity: 'error', link: '/maintenance/backup' });
      expect(item!.title).toContain('从备份恢复');
      expect(item!.detail).toContain('备份与校验');
      // What a restore would lose is said (issue 20): here there is no backup to restore, and the last write is named.
      expect(item!.detail).toContain(`备份文件夹 ${path.join(t.dir, 'backups')} 中没有备份；账本最后一次保存记录是在 2026-09-15 10:00:00。请不要删除或覆盖账本文件`);
      // First on the list: nothing else matters until the file is restored.
      expect(items[0].kind).toBe('ledger_damaged');
      // Every role sees it: the cashier too must stop entering.
      const cashier = b.db.prepare(`SELECT id, display_name FROM users WHERE username = 'cashier'`).get() as { id: string; display_name: string };
      b.ctx.setSession({ userId: cashier.id, username: 'cashier', displayName: cashier.display_name, roles: ['cashier'] });
      expect((await value<{ kind: string }[]>(b, 'home.attention')).some((i) => i.kind === 'ledger_damaged')).toBe(true);
      expect((await value<{ status: string }>(b, 'integrity.health')).status).toBe('damaged');
    } finally {
      b.close();
    }
  });

  it('the worker reads through its own read-only connection: the backend keeps writing while it runs', async () => {
    const file = path.join(t.dir, 'busy-copy.sqlite');
    fs.copyFileSync(good, file);
    const b = open(file);
    try {
      const done = startHealthCheck(b.ctx, { file, driver });
      const r = await b.invoke('auth.login', { username: 'admin', password: PASSWORD });
      expect(r.ok).toBe(true);
      expect((await done).status).toBe('ok');
    } finally {
      b.close();
    }
  });

  it('a backup of the damaged ledger is refused with its first finding, not hundreds of lines', async () => {
    const file = path.join(t.dir, 'damaged-backup.sqlite');
    fs.copyFileSync(damaged, file);
    const b = open(file);
    try {
      const r = await b.invoke('backup.create', {});
      expect(r.ok).toBe(false);
      const msg = !r.ok ? r.error.message : '';
      expect(msg).toMatch(/^备份文件校验未通过（.*page \d+.*），备份没有保存/);
      expect(msg).not.toContain('\n');
      expect(msg.length).toBeLessThan(200);
    } finally {
      b.close();
    }
  });

  it('a check that cannot run (no SQLite driver at that path) is reported as unchecked, not as damage', async () => {
    const s = await quickCheckInWorker(good, path.join(t.dir, 'no-such-driver.js')).done;
    expect(s.status).toBe('unchecked');
    expect(s.problems[0]).toMatch(/检查未能完成/);
  });
});
