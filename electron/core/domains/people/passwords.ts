import crypto from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;

/** scrypt (node:crypto) with a random salt; the parameters travel in the stored string so they can be raised later. */
export function hashPassword(password: string): string {
  const salt = crypto.randomBytes(16);
  const hash = crypto.scryptSync(password.normalize('NFC'), salt, 32, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  const actual = crypto.scryptSync(password.normalize('NFC'), salt, expected.length, { N: n, r, p });
  return crypto.timingSafeEqual(actual, expected);
}

/** Spent on unknown usernames so that a wrong name and a wrong password take the same time. */
export const DUMMY_HASH = hashPassword('not-a-real-password');
