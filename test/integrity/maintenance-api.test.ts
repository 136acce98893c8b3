import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDigest, type TestBackend } from '../helpers/backend.ts';
import { ledgerWithHistory } from './fixture.ts';

let b: TestBackend;
beforeAll(async () => {
  b = await ledgerWithHistory();
}, 120_000);
afterAll(() => b?.cleanup());

describe('maintenance API: backups, restore, verify', () => {
  it('backup.create into the backups folder and into a chosen folder; backup.list shows them', async () => {
    const own = await b.call('backup.create', {});
    expect(own.reason).toBe('manual');
    expect(own.reasonLabel).toBe('手动备份');
    expect(path.dirname(own.file)).toBe(path.join(b.dir, 'backups'));
    const usb = fs.mkdtempSync(path.join(b.dir, 'usb-'));
    const there = await b.call('backup.create', { folder: usb });
    expect(path.dirname(there.file)).toBe(usb);
    expect((await b.call('backup.list', {})).map((f) => f.name)).toEqual([own.name]);
    const missing = await b.reject('backup.create', { folder: path.join(b.dir, 'no-such-usb') });
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/找不到文件夹/);
    expect((await b.reject('backup.create', { folder: 'relative/dir' })).message).toMatch(/完整路径/);
  });

  it('integrity.verify passes on the app-written ledger', async () => {
    const r = await b.call('integrity.verify', {});
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.summary).toMatch(/^校验通过/);
  });

  it('backup.preview then backup.restore brings the backup back and logs everyone out', async () => {
    const f = await b.call('backup.create', {});
    await b.call('ingredients.create', { name: '土豆', category: 'vegetable', unit: 'kg' });
    const p = await b.call('backup.preview', { file: f.file });
    expect(p.schoolName).toBe('阳光实验小学');
    expect(p.counts.suppliers).toBe(3);
    expect(p.counts.users).toBe(7);
    expect(p.counts.deliveries).toBe(0);
    expect(p.counts.receipts).toBe(0);
    const r = await b.call('backup.restore', { file: f.file });
    expect(path.basename(r.preRestoreBackup)).toMatch(/prerestore/);
    expect((await b.reject('ingredients.search', { q: '' })).code).toBe('UNAUTHENTICATED');
    await b.loginAs('admin');
    expect((await b.call('ingredients.search', { q: '土豆' })).length).toBe(0);
    expect((await b.call('integrity.verify', {})).problems).toEqual([]);
  });

  it('a non-admin cannot restore; a bad file is refused and nothing changes', async () => {
    const bad = path.join(b.dir, 'bad.sqlite');
    fs.writeFileSync(bad, 'hello');
    const before = tableDigest(b);
    const e = await b.reject('backup.restore', { file: bad });
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toMatch(/不是 SQLite/);
    expect(tableDigest(b)).toBe(before);
    await b.loginAs('accountant');
    expect((await b.reject('backup.restore', { file: bad })).code).toBe('FORBIDDEN');
    await b.loginAs('admin');
  });
});
