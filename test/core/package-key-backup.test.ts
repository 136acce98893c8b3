import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCentre, rows, type Centre } from '../../electron/core/centre/db.ts';
import { enrolSchool, importFolder } from '../../electron/core/centre/import.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';
import { septemberSchool, type SeptSchool } from './monthclose-fixture.ts';

/**
 * The package signing key is backed up with the ledger and comes back with a restore (issue 18: "the private key never
 * leaving the data folder (backed up with it, restorable)"). It lives in the ledger (signing_keys, migration 0027), so a
 * backup carries it: 甲校 closes and packages September, the centre enrols its fingerprint and imports the package;
 * the school takes a backup to a USB stick; its PC dies (the data folder is deleted, key and all); a new installation
 * restores the backup, and the package of the reopened and re-approved September (revision 2) verifies at the centre
 * against the fingerprint enrolled for the first — no new enrolment.
 */
const M = '2026-09';
const NOW = () => new Date(Date.UTC(2026, 9, 20, 2, 0, 0));

let s: SeptSchool;
let fresh: TestBackend;
let c: Centre;
let work: string;
let enrolled: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-key-backup-'));
  s = await septemberSchool({ schoolName: '甲校' });
  const b = s.w.b;
  await b.loginAs('accountant');
  await b.call('monthclose.submit', { month: M });
  await b.loginAs('reviewer');
  await b.call('monthclose.approve', { month: M });
  const r = await b.call('monthclose.package', { month: M, dir: path.join(work, 'r1'), schoolCode: '9001' });
  enrolled = r.fingerprint;
  c = await openCentre(path.join(work, 'centre', 'centre.duckdb'), { create: true });
  await enrolSchool(c, { code: '9001', name: '甲校', fingerprint: enrolled }, NOW());
}, 300_000);

afterAll(() => {
  c?.close();
  fresh?.cleanup();
  s?.w.b.cleanup();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the signing key goes with the ledger\'s backups', () => {
  it('back up, lose the data folder, restore on a new installation: the next package is accepted against the enrolled key', async () => {
    const b = s.w.b;
    expect((await importFolder(c, path.join(work, 'r1'), NOW())).map((o) => [o.status, o.message])).toEqual([['imported', '甲校2026年9月第 1 版已导入']]);
    // The backup to the USB stick, then the PC dies: its data folder is gone, ledger, backups and all.
    await b.loginAs('admin');
    const usb = fs.mkdtempSync(path.join(work, 'usb-'));
    const backup = await b.call('backup.create', { folder: usb });
    const oldDir = b.dir;
    b.cleanup();
    expect(fs.existsSync(oldDir)).toBe(false);

    // A new installation (its own data folder, no key) restores the backup.
    fresh = await setupBackend({ now: NOW });
    expect((await fresh.reject('monthclose.signingKey', {})).message).toBe('本机还没有上报签名密钥：请先提供学校代码（canteen key --code 学校代码）生成密钥，并把公钥指纹交给中心登记');
    await fresh.call('backup.restore', { file: backup.file });
    await fresh.loginAs('admin');
    // The key came back with the ledger: the same school code and fingerprint, nothing made anew.
    const key = await fresh.call('monthclose.signingKey', {});
    expect(key).toMatchObject({ schoolCode: '9001', schoolName: '甲校', fingerprint: enrolled, created: false });
    expect((await fresh.call('integrity.verify', {})).problems).toEqual([]);

    // September reopened and approved again on the new PC: revision 2, signed by the restored key, lands at the centre.
    await fresh.loginAs('reviewer');
    await fresh.call('monthclose.reopen', { month: M, reason: '换电脑后核对银行对账单' });
    await fresh.loginAs('accountant');
    await fresh.call('monthclose.submit', { month: M });
    await fresh.loginAs('reviewer');
    await fresh.call('monthclose.approve', { month: M });
    const r2 = await fresh.call('monthclose.package', { month: M, dir: path.join(work, 'r2') });
    expect(r2).toMatchObject({ schoolCode: '9001', revision: 2, supersedesRevision: 1, fingerprint: enrolled });
    expect((await importFolder(c, path.join(work, 'r2'), NOW())).map((o) => [o.status, o.message])).toEqual([
      ['imported', '甲校2026年9月第 2 版已导入，取代第 1 版（反结账理由：换电脑后核对银行对账单）'],
    ]);
    expect(await rows(c.conn, `SELECT revision FROM packages WHERE school_code = '9001' ORDER BY revision`)).toEqual([{ revision: 1 }, { revision: 2 }]);
  });

  it('the key is never changed or removed (SQL refuses), and a key for another school code is refused in words, writing nothing', async () => {
    expect(() => fresh.db.prepare(`UPDATE signing_keys SET school_code = '9002'`).run()).toThrow('上报签名密钥不能修改');
    expect(() => fresh.db.prepare('DELETE FROM signing_keys').run()).toThrow('上报签名密钥不能删除');
    await fresh.loginAs('admin');
    const before = tableDigest(fresh);
    const e = await fresh.reject('monthclose.signingKey', { schoolCode: '9002' });
    expect([e.code, e.message]).toEqual(['CONFLICT', '本机的签名密钥是为学校代码 9001 生成的，不能用于学校代码 9002']);
    expect(tableDigest(fresh)).toBe(before);
  });
});

describe('the private key is never shown', () => {
  it('audit.list shows its snapshot with the private key as （已隐藏） to every role that reads the audit; verify still compares the real one', async () => {
    const pem = (fresh.db.prepare('SELECT private_key_pem FROM signing_keys').get() as { private_key_pem: string }).private_key_pem;
    expect(pem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    // The chain itself holds it (verify compares the row with its snapshot)…
    const raw = fresh.db.prepare(`SELECT after FROM audit_log WHERE entity = 'signing_keys'`).all() as { after: string }[];
    expect(raw.some((a) => a.after.includes('PRIVATE KEY'))).toBe(true);
    // …but no person reads it back: admin, accountant and reviewer may list the audit.
    for (const role of ['admin', 'accountant', 'reviewer'] as const) {
      await fresh.loginAs(role);
      const all = await fresh.call('audit.list', { limit: 500, offset: 0 });
      expect(all.total).toBeLessThan(500);
      const entries = all.entries.filter((e) => e.entity === 'signing_keys');
      expect(entries.length).toBeGreaterThan(0);
      expect(JSON.stringify(entries).includes('PRIVATE KEY')).toBe(false);
      const snap = (entries[0].after as { _rows: { t: string; cols: string[]; vals: unknown[][] }[] })._rows.find((r) => r.t === 'signing_keys')!;
      const row = Object.fromEntries(snap.cols.map((c, i) => [c, snap.vals[0][i]]));
      expect([row.school_code, row.private_key_pem]).toEqual(['9001', '（已隐藏）']);
      expect(JSON.stringify(all.entries).includes('PRIVATE KEY')).toBe(false);
    }
    expect((await fresh.call('integrity.verify', {})).problems).toEqual([]);
  });
});

describe('a key kept in files before migration 0027', () => {
  it('is taken into the ledger on first use, with the same fingerprint, audited and verified', async () => {
    const b = await setupBackend({ now: NOW });
    try {
      // As the first build wrote it: <dataDir>/signing/package-signing-key.pem and identity.json.
      const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
      const der = publicKey.export({ format: 'der', type: 'spki' });
      const fp = crypto.createHash('sha256').update(der).digest('hex');
      const dir = path.join(b.dir, 'signing');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'package-signing-key.pem'), privateKey.export({ format: 'pem', type: 'pkcs8' }));
      fs.writeFileSync(path.join(dir, 'identity.json'), JSON.stringify({ schoolCode: '9005', publicKey: der.toString('base64'), fingerprint: fp, createdAt: '2026-09-01T02:00:00.000Z' }));
      const key = await b.call('monthclose.signingKey', {});
      expect(key).toMatchObject({ schoolCode: '9005', fingerprint: fp.match(/.{4}/g)!.join(' '), createdAt: '2026-09-01T02:00:00.000Z', created: false });
      expect(b.db.prepare('SELECT school_code, fingerprint FROM signing_keys').all()).toEqual([{ school_code: '9005', fingerprint: fp }]);
      const a = b.db.prepare(`SELECT action, entity, after FROM audit_log WHERE entity = 'signing_keys'`).all() as { action: string; entity: string; after: string }[];
      expect(a.map((x) => [x.action, JSON.parse(x.after).schoolCode, JSON.parse(x.after).fingerprint, JSON.parse(x.after).from])).toEqual([['create', '9005', fp, 'files']]);
      expect((await b.call('integrity.verify', {})).problems).toEqual([]);
      // The private key in the ledger is the files' one: a signature made with it checks against the files' public key.
      const pem = (b.db.prepare('SELECT private_key_pem FROM signing_keys').get() as { private_key_pem: string }).private_key_pem;
      expect(crypto.verify(null, Buffer.from('x'), publicKey, crypto.sign(null, Buffer.from('x'), crypto.createPrivateKey(pem)))).toBe(true);
    } finally {
      b.cleanup();
    }
  });
});
