import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import type { ApiErrorShape } from '../../shared/errors.ts';
import type { Role } from '../../shared/roles.ts';

export const PASSWORD = 'test-pass-123';

/** A fresh ledger file in its own temp folder; removed by `cleanup`. */
export function tempLedger(name = 'ledger.sqlite'): { file: string; dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-test-'));
  return { file: path.join(dir, name), dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export interface TestBackend extends Backend {
  file: string;
  dir: string;
  /** Calls a method and returns its value; fails the test with the error if it was rejected. */
  call<K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>>;
  /** Calls a method that must be rejected, and returns the error. */
  reject<K extends MethodName>(name: K, input: unknown): Promise<ApiErrorShape>;
  loginAs(username: string): Promise<void>;
  cleanup(): void;
}

/**
 * A backend on a real temp file with the school set up and one user per role (username = role name, plus
 * 'storekeeper2' as a second inspector), logged in as the admin. The clock is fixed unless `now` is given.
 * The set-up ledger is built once per worker and copied for each test: seven scrypt hashes per test cost more than
 * the tests themselves.
 */
export async function setupBackend(opts: { now?: () => Date; schoolName?: string } = {}): Promise<TestBackend> {
  const now = opts.now ?? (() => new Date(Date.UTC(2026, 8, 15, 2, 0, 0)));
  const schoolName = opts.schoolName ?? '阳光实验小学';
  const template = await templateLedger(schoolName, now);
  const t = tempLedger();
  fs.copyFileSync(template, t.file);
  const b = openBackend({ file: t.file, now });
  const admin = b.db.prepare(`SELECT id, display_name FROM users WHERE username = 'admin'`).get() as { id: string; display_name: string };
  b.ctx.setSession({ userId: admin.id, username: 'admin', displayName: admin.display_name, roles: ['admin'] });
  const { call, reject } = callers(b);
  const loginAs = async (username: string) => {
    await call('auth.login', { username, password: PASSWORD });
  };
  return Object.assign(b, { file: t.file, dir: t.dir, call, reject, loginAs, cleanup: () => (b.close(), t.cleanup()) });
}

function callers(b: Backend) {
  const call = async <K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> => {
    const r = await b.invoke(name, input);
    if (!r.ok) throw new Error(`${name} rejected: ${JSON.stringify(r.error)}`);
    return r.value as Output<K>;
  };
  const reject = async <K extends MethodName>(name: K, input: unknown): Promise<ApiErrorShape> => {
    const r = await b.invoke(name, input);
    if (r.ok) throw new Error(`${name} was expected to be rejected but returned ${JSON.stringify(r.value)}`);
    return r.error;
  };
  return { call, reject };
}

const templates = new Map<string, Promise<string>>();

/** The ledger right after first run and the people above, closed so that it is one self-contained file. */
function templateLedger(schoolName: string, now: () => Date): Promise<string> {
  const key = `${schoolName}@${now().toISOString()}`;
  let file = templates.get(key);
  if (!file) {
    file = (async () => {
      const t = tempLedger('template.sqlite');
      process.once('exit', t.cleanup);
      const b = openBackend({ file: t.file, now });
      const { call } = callers(b);
      await call('setup.init', { schoolName, adminUsername: 'admin', adminName: '系统管理员', password: PASSWORD });
      const people: [string, string, Role[]][] = [
        ['storekeeper', '张保管', ['storekeeper']],
        ['storekeeper2', '李验收', ['storekeeper']],
        ['cashier', '陈出纳', ['cashier']],
        ['accountant', '刘会计', ['accountant']],
        ['reviewer', '赵校长', ['reviewer']],
        ['parent', '周家长', ['parent']],
      ];
      for (const [username, displayName, roles] of people) await call('users.create', { username, displayName, roles, password: PASSWORD });
      b.db.pragma('wal_checkpoint(TRUNCATE)');
      b.close();
      return t.file;
    })();
    templates.set(key, file);
  }
  return file;
}

/** A digest of every table's rows, to prove that a rejected call wrote nothing. */
export function tableDigest(b: Backend): string {
  const tables = b.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[];
  // Rows sorted as JSON text: WITHOUT ROWID tables have no rowid to order by.
  return JSON.stringify(tables.map(({ name }) => [name, b.db.prepare(`SELECT * FROM "${name}"`).all().map((r) => JSON.stringify(r)).sort()]));
}
