import os from 'node:os';
import path from 'node:path';

/** Electron names the data folder after package.json's productName; the CLI must find the very same ledger. */
export const PRODUCT_NAME = '阳光食堂账本';
export const LEDGER_FILE = 'ledger.sqlite';

type Env = Record<string, string | undefined>;

export interface PlatformInfo {
  platform?: NodeJS.Platform;
  env?: Env;
  homedir?: string;
}

/**
 * The folder Electron's app.getPath('userData') returns for this app, computed without Electron:
 * Windows %APPDATA%\阳光食堂账本, macOS ~/Library/Application Support/阳光食堂账本,
 * Linux and others $XDG_CONFIG_HOME/阳光食堂账本 or ~/.config/阳光食堂账本.
 */
export function defaultDataDir(p: PlatformInfo = {}): string {
  const platform = p.platform ?? process.platform;
  const env = p.env ?? process.env;
  const home = p.homedir ?? os.homedir();
  if (platform === 'win32') {
    const appData = env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, PRODUCT_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  const config = env.XDG_CONFIG_HOME && path.posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
  return path.posix.join(config, PRODUCT_NAME);
}

export interface LedgerLocation {
  /** Absolute path of the ledger file. */
  file: string;
  /** The folder holding it (attachments and backups live beside it). */
  dataDir: string;
  /** Where the choice came from, for messages and the storage-location guard. */
  source: 'db-flag' | 'db-env' | 'data-dir-flag' | 'data-dir-env' | 'default';
}

/**
 * Which ledger to open. Precedence: --db, CANTEEN_DB, --data-dir, CANTEEN_DATA_DIR, then the app's data folder.
 * --db/CANTEEN_DB name the file itself; --data-dir/CANTEEN_DATA_DIR a folder holding ledger.sqlite.
 */
export function resolveLedgerPath(opts: { db?: string | null; dataDir?: string | null; env?: Env; platform?: PlatformInfo } = {}): LedgerLocation {
  const env = opts.env ?? process.env;
  const fromFile = (f: string, source: LedgerLocation['source']): LedgerLocation => {
    const file = path.resolve(f);
    return { file, dataDir: path.dirname(file), source };
  };
  const fromDir = (d: string, source: LedgerLocation['source']): LedgerLocation => {
    const dataDir = path.resolve(d);
    return { file: path.join(dataDir, LEDGER_FILE), dataDir, source };
  };
  if (opts.db) return fromFile(opts.db, 'db-flag');
  if (env.CANTEEN_DB) return fromFile(env.CANTEEN_DB, 'db-env');
  if (opts.dataDir) return fromDir(opts.dataDir, 'data-dir-flag');
  if (env.CANTEEN_DATA_DIR) return fromDir(env.CANTEEN_DATA_DIR, 'data-dir-env');
  const dataDir = defaultDataDir({ env, ...opts.platform });
  return { file: path.join(dataDir, LEDGER_FILE), dataDir, source: 'default' };
}
