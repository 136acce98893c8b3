/** Every rejection carries a stable code for programs and a Chinese message for people. */
export const ERROR_CODES = [
  'VALIDATION', // input has the wrong shape or values
  'UNAUTHENTICATED', // nobody is logged in, or the password is wrong
  'FORBIDDEN', // the user's roles do not allow the method
  'NOT_FOUND',
  'CONFLICT', // duplicates, stale state, already posted
  'RULE', // a domain rule refuses it (named in the message)
  'LOCKED', // the period is closed or the database is held by another writer
  'UNKNOWN_METHOD',
  'DISK_FULL', // the ledger's (or a backup's) disk has too little free space: nothing was written
  'CANCELLED', // the person stopped a long read (verify, export) before it ended: nothing was written
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
  /** Per-field or per-row problems, e.g. {path: 'lines.2.quantity', message: '...'}. */
  issues?: { path: string; message: string }[];
}

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues?: { path: string; message: string }[];
  constructor(code: ErrorCode, message: string, issues?: { path: string; message: string }[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }
  toJSON(): ApiErrorShape {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message };
  }
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };
