import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { backupDbTo, backupFileName, backupsDir, freeName } from '../integrity/backup.ts';
import { estimateSeconds } from '../ledger/progress.ts';
import { LATEST_VERSION, openLedger, type MigrationPoint } from './open.ts';

/**
 * Opening a ledger of an older version brings it up the migration ladder (db/open.ts), after a backup of the old
 * version (issue 7). On a school PC with ten years of data that is minutes — the backup is nearly all of it (a 4 GB
 * file copied page by page; the steps since schema 18 take well under a second) — so it runs here with progress
 * (issue 19): the backup page by page (SQLite's backup API), then the ladder statement by statement. The app runs this
 * in the jobs worker with a progress screen in the window (electron/shell/upgrade-at-start.ts), the CLI on its own
 * thread with a line on a terminal's stderr. Never cancellable: each step is one transaction, so a stop between steps
 * would be safe for the file, but leaves a ledger at a version no released program opens as its own — the ladder runs
 * to the end. The caller holds the writer lock.
 */
export interface UpgradeProgress {
  phase: 'backup' | 'migrate';
  /** In words, for the progress line: '升级前备份：复制账本数据' or '第 2/4 步 0027_signing_key：建立数据表 signing_keys'. */
  step: string;
  /** Of this phase: pages copied of pages, or statements run of the pending steps' statements. */
  done: number;
  total: number;
  /** Seconds left in this phase, from its rate so far (null until there is one). */
  etaSeconds: number | null;
  /** The ladder's place, in the migrate phase. */
  migration?: Pick<MigrationPoint, 'stepNo' | 'steps' | 'name' | 'what' | 'rows'>;
  /** The backup of the old version (known from the start of the backup phase). */
  backupFile: string | null;
  from: number;
  to: number;
}

export interface UpgradeResult {
  from: number;
  to: number;
  backupFile: string | null;
}

/**
 * The versions an open would migrate between, or null when nothing is pending: no file (yet), an empty one, a new
 * ledger (version 0 is built, not migrated, and needs no backup), one already at the newest version, or one from a
 * newer program, or a file SQLite cannot read — those openLedger refuses in its own words.
 */
export function pendingUpgrade(file: string): { from: number; to: number } | null {
  if (file === ':memory:' || !fs.existsSync(file) || fs.statSync(file).size === 0) return null;
  let probe: Database.Database | null = null;
  try {
    probe = new Database(file, { readonly: true, fileMustExist: true });
    const from = probe.pragma('user_version', { simple: true }) as number;
    return from > 0 && from < LATEST_VERSION ? { from, to: LATEST_VERSION } : null;
  } catch {
    return null;
  } finally {
    probe?.close();
  }
}

/** The wording of a ladder point on the progress line. */
export function migrationStep(p: Pick<MigrationPoint, 'stepNo' | 'steps' | 'name' | 'what' | 'rows'>): string {
  const rows = p.rows !== null && p.rows > 0 ? `（${p.rows.toLocaleString('en-US')} 行）` : '';
  return `第 ${p.stepNo}/${p.steps} 步 ${p.name}：${p.what}${rows}`;
}

/**
 * Brings the ledger file up to the newest version with progress; returns what it did (null when nothing was pending).
 * `backups`: the folder for the backup of the old version (the data folder's backups/).
 */
export async function upgradeLedger(file: string, opts: { backups?: string; now?: () => Date; onProgress?: (p: UpgradeProgress) => void }): Promise<UpgradeResult | null> {
  const pending = pendingUpgrade(file);
  if (!pending) return null;
  const { from, to } = pending;
  const now = opts.now ?? (() => new Date());
  const tell = opts.onProgress ?? (() => {});
  const dir = opts.backups ?? backupsDir(path.dirname(path.resolve(file)));
  // The backup of the old version first, with its pages (the same name preMigrationBackup gives it).
  fs.mkdirSync(dir, { recursive: true });
  const backupFile = freeName(dir, backupFileName('premigrate', now(), `v${from}-v${to}`));
  let started = Date.now();
  const src = new Database(file, { fileMustExist: true });
  try {
    src.pragma('busy_timeout = 5000');
    tell({ phase: 'backup', step: '升级前备份：复制账本数据', done: 0, total: 0, etaSeconds: null, backupFile, from, to });
    // The copy's pages, then its check table by table, on one scale (backup.ts).
    await backupDbTo(src, backupFile, (step, done, total) =>
      tell({ phase: 'backup', step: `升级前备份：${step}`, done, total, etaSeconds: estimateSeconds(Date.now() - started, done, total), backupFile, from, to }),
    );
  } finally {
    src.close();
  }
  // Then the ladder, statement by statement; the backup above stands for the one openLedger would take.
  started = Date.now();
  const db = openLedger(file, {
    beforeMigrate: () => {},
    onMigrate: (p) => {
      const migration = { stepNo: p.stepNo, steps: p.steps, name: p.name, what: p.what, rows: p.rows };
      tell({ phase: 'migrate', step: migrationStep(migration), done: p.done, total: p.total, etaSeconds: estimateSeconds(Date.now() - started, p.done, p.total), migration, backupFile, from, to });
    },
  });
  db.close();
  return { from, to, backupFile };
}
