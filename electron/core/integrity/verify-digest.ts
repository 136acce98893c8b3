import crypto from 'node:crypto';

/**
 * What the audit entry of a user's creation or password change records about the password: a digest of the stored
 * scrypt hash (not the hash itself), so a hash swapped in with the sqlite3 shell (to take over an account) shows in
 * `verify` (verify.ts). Kept apart from verify.ts so that domain code can use it without importing the checker.
 */
export function passwordDigest(passwordHash: string): string {
  return crypto.createHash('sha256').update(`canteen-password:${passwordHash}`).digest('hex').slice(0, 32);
}
