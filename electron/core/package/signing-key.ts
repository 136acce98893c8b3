import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.ts';
import { SCHOOL_CODE_RE } from './schema.ts';

/**
 * The installation's signing key (issue 18): an Ed25519 key pair made on first need, kept in <dataDir>/signing/ —
 * the private key (PKCS#8 PEM, readable by its owner only) and identity.json (the school code it signs for, the
 * public key and its fingerprint). The private key never leaves the data folder; packages carry the public key, and
 * the centre trusts it only when its SHA-256 is the fingerprint enrolled from the school's enrolment sheet.
 *
 * Note: the ledger's backups (integrity/backup.ts) are copies of ledger.sqlite alone, so they do not carry these
 * files. A school that loses its data folder makes a new key and is enrolled again (the centre replaces the
 * fingerprint); docs/PACKAGE.md says so.
 */
export interface SigningIdentity {
  schoolCode: string;
  /** SPKI DER, base64. */
  publicKey: string;
  /** SHA-256 of the SPKI DER, 64 lowercase hex. */
  fingerprint: string;
  createdAt: string;
}

const DIR = 'signing';
const PRIVATE_FILE = 'package-signing-key.pem';
const IDENTITY_FILE = 'identity.json';

export function signingDir(dataDir: string): string {
  return path.join(dataDir, DIR);
}

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

export function readIdentity(dataDir: string): SigningIdentity | null {
  const file = path.join(signingDir(dataDir), IDENTITY_FILE);
  if (!fs.existsSync(file)) return null;
  const id = JSON.parse(fs.readFileSync(file, 'utf8')) as SigningIdentity;
  if (!fs.existsSync(path.join(signingDir(dataDir), PRIVATE_FILE))) {
    throw new ApiError('INTERNAL', `签名密钥文件缺失（${path.join(signingDir(dataDir), PRIVATE_FILE)}），请联系中心重新登记本校公钥`);
  }
  return id;
}

/**
 * The installation's identity, made now if there is none (then `schoolCode` is required). A code different from the
 * one the key was made for is refused: the key signs for one school.
 */
export function ensureIdentity(dataDir: string, schoolCode: string | undefined, now: Date): { identity: SigningIdentity; created: boolean } {
  const existing = readIdentity(dataDir);
  if (existing) {
    if (schoolCode !== undefined && schoolCode !== existing.schoolCode) {
      throw new ApiError('CONFLICT', `本机的签名密钥是为学校代码 ${existing.schoolCode} 生成的，不能用于学校代码 ${schoolCode}`);
    }
    return { identity: existing, created: false };
  }
  // The issue on schoolCode tells a page to ask for the code and call again.
  if (schoolCode === undefined) {
    throw new ApiError('RULE', '本机还没有上报签名密钥：请先提供学校代码（canteen key --code 学校代码）生成密钥，并把公钥指纹交给中心登记', [{ path: 'schoolCode', message: '请填写学校代码' }]);
  }
  if (!SCHOOL_CODE_RE.test(schoolCode)) throw new ApiError('VALIDATION', '学校代码应为 4–20 位数字或大写字母（如教育部学校标识码）');
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const der = publicKey.export({ format: 'der', type: 'spki' });
  const identity: SigningIdentity = { schoolCode, publicKey: der.toString('base64'), fingerprint: fingerprintOf(der), createdAt: now.toISOString() };
  const dir = signingDir(dataDir);
  fs.mkdirSync(dir, { recursive: true });
  // The private key first, created exclusively: two processes making a key at once cannot end with mismatched files.
  fs.writeFileSync(path.join(dir, PRIVATE_FILE), privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  fs.writeFileSync(path.join(dir, IDENTITY_FILE), `${JSON.stringify(identity, null, 2)}\n`);
  return { identity, created: true };
}

/** Signs bytes with the installation's private key. */
export function signWithInstallationKey(dataDir: string, data: Buffer): Buffer {
  const pem = fs.readFileSync(path.join(signingDir(dataDir), PRIVATE_FILE), 'utf8');
  return crypto.sign(null, data, crypto.createPrivateKey(pem));
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
