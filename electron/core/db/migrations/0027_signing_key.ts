import type { Migration } from './index.ts';

/**
 * The installation's package signing key (上报签名密钥, issue 18) in the ledger itself: the Ed25519 key pair that signs
 * the month packages (上报包), the school code it signs for and the public key's fingerprint the centre enrolled. Kept
 * here, not in files beside the ledger, so every backup carries it and a restore brings it back: a school whose PC died
 * restores its backup and goes on sending packages the centre accepts, without being enrolled again.
 *
 * One key per installation (seq = 1), never changed or removed once made (a school that must change its key sets up a
 * new data folder and is enrolled again). Written only with its audit entry, whose row snapshot verify compares.
 */
export const signingKey: Migration = {
  name: '0027_signing_key',
  sql: `
CREATE TABLE signing_keys (
  seq INTEGER PRIMARY KEY CHECK (seq = 1),
  school_code TEXT NOT NULL CHECK (school_code GLOB '[0-9A-Z][0-9A-Z][0-9A-Z][0-9A-Z]*' AND length(school_code) <= 20 AND school_code NOT GLOB '*[^0-9A-Z]*'),
  public_key TEXT NOT NULL CHECK (length(public_key) BETWEEN 40 AND 200),
  fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64 AND fingerprint NOT GLOB '*[^0-9a-f]*'),
  private_key_pem TEXT NOT NULL CHECK (private_key_pem LIKE '-----BEGIN PRIVATE KEY-----%'),
  created_at TEXT NOT NULL,
  created_by TEXT REFERENCES users(id)
) STRICT;

CREATE TRIGGER signing_keys_no_update BEFORE UPDATE ON signing_keys BEGIN SELECT RAISE(ABORT, '上报签名密钥不能修改'); END;
CREATE TRIGGER signing_keys_no_delete BEFORE DELETE ON signing_keys BEGIN SELECT RAISE(ABORT, '上报签名密钥不能删除'); END;
`,
};
