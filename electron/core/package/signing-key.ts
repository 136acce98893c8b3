import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/open.ts';
import { audit } from '../ledger/audit.ts';
import { rowsWhere, withRows } from '../ledger/row-snapshot.ts';
import { SCHOOL_CODE_RE } from './schema.ts';

/**
 * The installation's signing key (issue 18): an Ed25519 key pair made on first need, kept in the ledger's
 * signing_keys table (migration 0027) — the private key (PKCS#8 PEM), the school code it signs for, the public key and
 * its fingerprint. Being in the ledger, it is in every backup and comes back with a restore: a school whose PC died
 * restores its backup on another and its packages are still accepted by the centre, which trusts a package's public
 * key only when its SHA-256 is the fingerprint enrolled from the school's enrolment sheet.
 *
 * The key is written once, with its audit entry (the row snapshot verify compares; the entry's visible fields are the
 * school code and fingerprint only). Installations that made their key before 0027 kept it in <dataDir>/signing/
 * (package-signing-key.pem, identity.json): the first call that needs the key takes those files into the ledger, so the
 * fingerprint the centre enrolled stays valid.
 */
export interface SigningIdentity {
  schoolCode: string;
  /** SPKI DER, base64. */
  publicKey: string;
  /** SHA-256 of the SPKI DER, 64 lowercase hex. */
  fingerprint: string;
  createdAt: string;
}

/** Where keys made before migration 0027 were kept. */
const LEGACY_DIR = 'signing';
const LEGACY_PRIVATE_FILE = 'package-signing-key.pem';
const LEGACY_IDENTITY_FILE = 'identity.json';

export function fingerprintOf(spkiDer: Buffer): string {
  return crypto.createHash('sha256').update(spkiDer).digest('hex');
}

/** The fingerprint as printed for people: 16 groups of four, e.g. '3f2a 9c01 …'. */
export function formatFingerprint(hex: string): string {
  return hex.match(/.{1,4}/g)!.join(' ');
}

/** What a person typed from the sheet: spaces, dashes and case do not matter. */
export function normalizeFingerprint(typed: string): string | null {
  const hex = typed.replace(/[\s:-]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

interface KeyRow {
  school_code: string;
  public_key: string;
  fingerprint: string;
  private_key_pem: string;
  created_at: string;
}

function keyRow(db: Db): KeyRow | undefined {
  return db.prepare('SELECT school_code, public_key, fingerprint, private_key_pem, created_at FROM signing_keys WHERE seq = 1').get() as KeyRow | undefined;
}

/** The installation's identity as the ledger holds it, or null before the key is made. Reads only. */
export function readIdentity(db: Db): SigningIdentity | null {
  const r = keyRow(db);
  return r ? { schoolCode: r.school_code, publicKey: r.public_key, fingerprint: r.fingerprint, createdAt: r.created_at } : null;
}

/** A key kept in <dataDir>/signing/ before migration 0027, checked to be one pair; null when there is none. */
function legacyKey(dataDir: string | null): KeyRow | null {
  if (!dataDir) return null;
  const dir = path.join(dataDir, LEGACY_DIR);
  const idFile = path.join(dir, LEGACY_IDENTITY_FILE);
  const keyFile = path.join(dir, LEGACY_PRIVATE_FILE);
  if (!fs.existsSync(idFile) || !fs.existsSync(keyFile)) return null;
  const id = JSON.parse(fs.readFileSync(idFile, 'utf8')) as SigningIdentity;
  const pem = fs.readFileSync(keyFile, 'utf8');
  const der = crypto.createPublicKey(crypto.createPrivateKey(pem)).export({ format: 'der', type: 'spki' });
  if (der.toString('base64') !== id.publicKey || fingerprintOf(der) !== id.fingerprint) {
    throw new ApiError('INTERNAL', `签名密钥文件（${dir}）中的私钥与公钥不匹配，请联系中心重新登记本校公钥`);
  }
  return { school_code: id.schoolCode, public_key: id.publicKey, fingerprint: id.fingerprint, private_key_pem: pem, created_at: id.createdAt };
}

/**
 * The identity `ensureIdentity` would give, without writing: the ledger's key, else one kept in files before 0027,
 * else null (then a key is made for the school code given). For a writing method's `prepare`.
 */
export function existingIdentity(db: Db, dataDir: string | null): SigningIdentity | null {
  const r = keyRow(db) ?? legacyKey(dataDir);
  return r ? { schoolCode: r.school_code, publicKey: r.public_key, fingerprint: r.fingerprint, createdAt: r.created_at } : null;
}

/** The message when a school code is needed to make the key (a page asks for the code and calls again). */
export const CODE_NEEDED = '本机还没有上报签名密钥：请先提供学校代码（canteen key --code 学校代码）生成密钥，并把公钥指纹交给中心登记';

export function needCode(): ApiError {
  return new ApiError('RULE', CODE_NEEDED, [{ path: 'schoolCode', message: '请填写学校代码' }]);
}

/**
 * The installation's identity, made now if there is none (then `schoolCode` is required). A code different from the
 * one the key was made for is refused: the key signs for one school. Writes (inside a writing method's transaction):
 * the key row and its audit entry, when the key is made or taken in from files kept before migration 0027.
 */
export function ensureIdentity(ctx: Ctx, schoolCode: string | undefined): { identity: SigningIdentity; created: boolean } {
  const existing = readIdentity(ctx.db);
  if (existing) {
    if (schoolCode !== undefined && schoolCode !== existing.schoolCode) {
      throw new ApiError('CONFLICT', `本机的签名密钥是为学校代码 ${existing.schoolCode} 生成的，不能用于学校代码 ${schoolCode}`);
    }
    return { identity: existing, created: false };
  }
  let row = legacyKey(ctx.dataDir);
  const adopted = row !== null;
  if (row && schoolCode !== undefined && schoolCode !== row.school_code) {
    throw new ApiError('CONFLICT', `本机的签名密钥是为学校代码 ${row.school_code} 生成的，不能用于学校代码 ${schoolCode}`);
  }
  if (!row) {
    if (schoolCode === undefined) throw needCode();
    if (!SCHOOL_CODE_RE.test(schoolCode)) throw new ApiError('VALIDATION', '学校代码应为 4–20 位数字或大写字母（如教育部学校标识码）');
    const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
    const der = publicKey.export({ format: 'der', type: 'spki' });
    row = {
      school_code: schoolCode,
      public_key: der.toString('base64'),
      fingerprint: fingerprintOf(der),
      private_key_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      created_at: ctx.now().toISOString(),
    };
  }
  ctx.db
    .prepare('INSERT INTO signing_keys (seq, school_code, public_key, fingerprint, private_key_pem, created_at, created_by) VALUES (1, ?, ?, ?, ?, ?, ?)')
    .run(row.school_code, row.public_key, row.fingerprint, row.private_key_pem, row.created_at, ctx.session?.userId ?? null);
  audit(ctx, 'create', 'signing_keys', '1', null, withRows({ schoolCode: row.school_code, fingerprint: row.fingerprint, ...(adopted ? { from: 'files' } : {}) }, rowsWhere(ctx, 'signing_keys', 'seq = ?', 1)));
  return { identity: readIdentity(ctx.db)!, created: !adopted };
}

/** Signs bytes with the installation's private key (the ledger's). */
export function signWithInstallationKey(db: Db, data: Buffer): Buffer {
  const r = keyRow(db);
  if (!r) throw new ApiError('RULE', CODE_NEEDED);
  return crypto.sign(null, data, crypto.createPrivateKey(r.private_key_pem));
}

/** Checks an Ed25519 signature against a public key given as SPKI DER base64. */
export function verifySignature(publicKeyB64: string, data: Buffer, signatureB64: string): boolean {
  try {
    const key = crypto.createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return crypto.verify(null, data, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
