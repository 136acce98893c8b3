import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.ts';
import { assertRoomFor } from './disk-space.ts';
import { appendAudit, firstBrokenAudit } from '../ledger/audit.ts';
import { backupsDir, createBackup, inspectBackup, preMigrationBackup, stageCopy, swapInStaged, type BackupFile, type BackupPreview } from './backup.ts';
import type { Ctx } from '../context.ts';
import { recheckHealth } from './health-check.ts';
import { LATEST_VERSION, openLedger, type Db } from '../db/open.ts';
import { migrationStep } from '../db/upgrade.ts';
import { finishCopyInWorker, jobFile } from '../jobs/run.ts';
import { verifyLedger } from './verify.ts';
import { noProgress, type ProgressReporter } from '../ledger/progress.ts';

/**
 * What must hold in a file before it may replace the ledger: the audit chain intact and, when it is of this program's
 * schema version, a clean `verify` (a backup edited behind the app's back is refused like a damaged one).
 */
export function backupContentProblem(db: Db): string | null {
  const broken = firstBrokenAudit(db);
  if (broken) return broken.reason;
  if ((db.pragma('user_version', { simple: true }) as number) !== LATEST_VERSION) return null;
  const r = verifyLedger(db);
  return r.ok ? null : r.first!.message;
}

/**
 * A restore puts two files on the ledger's disk before it changes anything: the copy of the backup and the backup of
 * the ledger as it is (a page-for-page copy, plus 8 MB for switching it out of WAL mode). Too little room is said up
 * front (issue 20), instead of as an unreadable backup file halfway through.
 */
function assertRoomToRestore(db: Db, from: string, dataDir: string): void {
  let backupBytes = 0;
  try {
    backupBytes = fs.statSync(from).size;
  } catch {
    return; // stageCopy names a missing file
  }
  const ledgerBytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  assertRoomFor(dataDir, backupBytes + ledgerBytes + 8 * 1024 * 1024, { what: '没有恢复（恢复要先复制备份文件，并自动备份当前账本）', kept: '当前数据未改动' });
}

/** Checks a file offered for restore (copied to local disk first) and tells what it holds; touches nothing. */
export function previewBackup(from: string, ledgerFile: string): BackupPreview {
  const staged = stageCopy(from, ledgerFile);
  try {
    return { ...inspectBackup(staged, backupContentProblem), file: from };
  } finally {
    fs.rmSync(staged, { force: true });
  }
}

export interface RestoreResult {
  preview: BackupPreview;
  /** The backup of the ledger as it was just before the restore. */
  preRestore: BackupFile;
}

/**
 * Restores the ledger held by `ctx` from a backup file:
 * 1. copy the file beside the ledger and inspect the copy (a bad file is refused here, nothing touched);
 * 2. when the backup is of an older version, back that copy up as it is ('premigrate', page by page: the copy is ours
 *    alone, so this needs no lock on the ledger);
 * 3. back the current ledger up ('prerestore');
 * 4. close, rename the copy over the ledger file (one step), reopen (migrating an older backup up the ladder, step by
 *    step with progress), record the restore in the audit chain, and log everyone out.
 * If reopening fails the pre-restore backup is put back, so the ledger is never left missing.
 *
 * Progress (issue 19) on one scale of ten that never goes back: the copy and its check to 2, then for a backup of this
 * version the pre-restore backup to 8; for an older one the pre-migration backup to 5, the pre-restore backup to 8 and
 * the ladder's statements from 8 to 10, in the upgrade's words (db/upgrade.ts). The ladder runs inside the
 * synchronous window below, so the app's window hears of its steps only at its end; the CLI's line shows each.
 */
export async function restoreLedger(ctx: Ctx, from: string, report: ProgressReporter = noProgress): Promise<RestoreResult> {
  const file = ctx.db.name;
  if (!file || file === ':memory:') throw new ApiError('RULE', '内存中的账本不能从备份恢复');
  const dataDir = ctx.dataDir ?? path.dirname(path.resolve(file));
  assertRoomToRestore(ctx.db, from, dataDir);
  report('复制并检查备份文件', 0, 10);
  const staged = stageCopy(from, file);
  let preview: BackupPreview;
  try {
    preview = { ...inspectBackup(staged, backupContentProblem), file: from };
  } catch (e) {
    fs.rmSync(staged, { force: true });
    throw e;
  }
  const older = preview.schemaVersion < LATEST_VERSION;
  // The backups' checks in the jobs worker where there is one (a ledger on disk in a data folder), as backup.create's.
  const finish = jobFile(ctx) ? finishCopyInWorker : undefined;
  // The backup of the older version, before the current ledger's own (so that one stays the last thing before the
  // close): taken from the staged copy, which nothing else opens, in the upgrade's words.
  let preMigrate: BackupFile | null = null;
  if (older) {
    try {
      const src = new Database(staged, { fileMustExist: true });
      try {
        preMigrate = await createBackup(src, backupsDir(dataDir), 'premigrate', ctx.now(), `v${preview.schemaVersion}-v${LATEST_VERSION}`, (step, done, total) =>
          report(`升级前备份：${step}`, 2 + (total ? (3 * done) / total : 0), 10),
          finish,
        );
      } finally {
        src.close();
      }
    } catch (e) {
      fs.rmSync(staged, { force: true });
      throw e;
    }
  }
  const preRestoreFrom = older ? 5 : 2;
  let preRestore: BackupFile;
  try {
    preRestore = await createBackup(ctx.db, backupsDir(dataDir), 'prerestore', ctx.now(), '', (_s, done, total) =>
      report('先备份当前账本', preRestoreFrom + (total ? ((8 - preRestoreFrom) * done) / total : 0), 10),
      finish,
    );
  } catch (e) {
    fs.rmSync(staged, { force: true });
    // Nothing was restored: the pre-migration copy of the offered file is not kept.
    if (preMigrate) fs.rmSync(preMigrate.file, { force: true });
    throw e;
  }
  // From here on synchronous: no other call can run on the ledger between closing and reopening.
  const userId = ctx.session?.userId ?? null;
  report('换入备份中的数据并重新打开', 8, 10);
  ctx.db.close();
  let db: Db;
  try {
    swapInStaged(staged, file);
    db = openLedger(file, {
      // The backup above stands for the one opening would take; should the version read differently here after all,
      // opening still backs the old version up first.
      beforeMigrate: preMigrate ? () => {} : preMigrationBackup(dataDir, ctx.now),
      onMigrate: (p) => report(migrationStep(p), 8 + (p.total ? (2 * p.done) / p.total : 0), 10),
    });
  } catch (e) {
    fs.rmSync(staged, { force: true });
    const back = `${file}.putback-${process.pid}`;
    fs.copyFileSync(preRestore.file, back);
    swapInStaged(back, file);
    ctx.db = openLedger(file);
    throw new ApiError('INTERNAL', `恢复失败（${(e as Error).message}），已放回恢复前的数据`);
  }
  ctx.db = db;
  const inst = db.prepare('SELECT id FROM installation').get() as { id: string } | undefined;
  if (inst) ctx.installationId = inst.id;
  db.transaction(() => {
    appendAudit(db, {
      at: ctx.now().toISOString(),
      user_id: userId,
      action: 'restore',
      entity: 'ledger',
      entity_id: null,
      before: JSON.stringify({ preRestoreBackup: preRestore.name }),
      after: JSON.stringify({ from: path.basename(from), schoolName: preview.schoolName, schemaVersion: preview.schemaVersion, lastAuditAt: preview.lastAuditAt }),
    });
  }).immediate();
  // The people and passwords are now those of the backup: everyone logs in again.
  ctx.setSession(null);
  // The file check's result described the file just replaced.
  void recheckHealth(ctx);
  report('完成', 10, 10);
  return { preview, preRestore };
}
