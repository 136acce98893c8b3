import path from 'node:path';
import { resolveLedgerPath } from '../core/paths.ts';

type Env = Record<string, string | undefined>;

export interface DataLocation {
  /** The ledger file (ledger.sqlite unless --db / CANTEEN_DB names another). */
  ledgerFile: string;
  /** The folder holding it; backups/ and logs/ live beside the ledger in it. */
  dataDir: string;
  backupsDir: string;
  logsDir: string;
  source: ReturnType<typeof resolveLedgerPath>['source'];
}

/** The value of `--name VALUE` or `--name=VALUE` in argv (the last one wins, as people expect of a repeated flag). */
export function flagValue(argv: readonly string[], name: string): string | null {
  let found: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}` && i + 1 < argv.length && !argv[i + 1].startsWith('--')) found = argv[++i];
    else if (a.startsWith(`--${name}=`)) found = a.slice(name.length + 3);
  }
  return found;
}

/**
 * Where the app keeps its data: the same precedence as the CLI (--db, CANTEEN_DB, --data-dir, CANTEEN_DATA_DIR), and
 * otherwise Electron's userData folder (on Windows %APPDATA%\阳光食堂账本, where Windows users expect app data).
 */
export function resolveDataLocation(opts: { argv: readonly string[]; env: Env; userData: string }): DataLocation {
  const loc = resolveLedgerPath({ db: flagValue(opts.argv, 'db'), dataDir: flagValue(opts.argv, 'data-dir'), env: opts.env });
  const dataDir = loc.source === 'default' ? path.resolve(opts.userData) : loc.dataDir;
  const ledgerFile = loc.source === 'default' ? path.join(dataDir, 'ledger.sqlite') : loc.file;
  return { ledgerFile, dataDir, backupsDir: path.join(dataDir, 'backups'), logsDir: path.join(dataDir, 'logs'), source: loc.source };
}
