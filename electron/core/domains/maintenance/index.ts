import fs from 'node:fs';
import path from 'node:path';
import type { BackupInfo, maintenanceApi } from '../../../../shared/api/maintenance.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { previewBackup, restoreLedger } from '../../integrity/backup-restore.ts';
import { BACKUP_REASON_LABELS, backupsDir, createBackup, listBackups, pruneBackups, retentionOf, type BackupFile } from '../../integrity/backup.ts';
import type { Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { healthOf } from '../../integrity/health-check.ts';
import { restoreLossNote } from '../../db/damage.ts';
import { anchorFromBackups, describeReport, verifyLedger } from '../../integrity/verify.ts';
import { profileOf } from '../people/index.ts';
import { cancelOperation, operationsOf, withOperation, type ProgressReporter } from '../../ledger/progress.ts';
import { finishCopyInWorker, jobFile, runJob } from '../../jobs/run.ts';
import type { VerifyResult } from '../../../../shared/api/maintenance.ts';
import { quickVerify, type QuickResult } from '../../integrity/quick.ts';
import { monthWords } from '../../ledger/clock.ts';

function info(f: BackupFile): BackupInfo {
  return { ...f, reasonLabel: BACKUP_REASON_LABELS[f.reason] };
}

function dataDirOf(ctx: Ctx): string {
  if (!ctx.dataDir) throw new ApiError('RULE', '内存中的账本没有备份文件夹');
  return ctx.dataDir;
}

/** A folder the person chose for a manual backup: must exist, be a folder, and not be the system's root. */
function chosenFolder(folder: string): string {
  const dir = path.resolve(folder);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new ApiError('NOT_FOUND', `找不到文件夹：${folder}（U 盘是否已插好？）`);
  }
  if (!st.isDirectory()) throw new ApiError('VALIDATION', `${folder} 不是文件夹`);
  if (process.platform !== 'win32' && dir === path.parse(dir).root) throw new ApiError('VALIDATION', '不能备份到系统根目录，请选择一个文件夹');
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new ApiError('VALIDATION', `文件夹 ${folder} 不可写入（U 盘是否写保护？）`);
  }
  return dir;
}

/** integrity.verify's answer, computed on the connection in `ctx` (the backend's, or a worker's own: jobs/run.ts). */
export function verifyForApi(ctx: Ctx, input: { anchors?: string[]; quick?: boolean }, report: ProgressReporter): VerifyResult {
  if (input.quick && !input.anchors?.length) {
    const q = quickVerify(ctx.db, { report });
    if (q.sealed) return quickResult(q);
  }
  report('查找最新备份作为锚点', 0, 1);
  const anchor = ctx.dataDir ? anchorFromBackups(ctx.db, backupsDir(ctx.dataDir), listBackups) : null;
  const r = verifyLedger(ctx.db, { anchor, published: input.anchors ?? [], attachmentsDir: ctx.dataDir ? path.join(ctx.dataDir, 'attachments') : undefined, onProgress: report });
  return { ...r, summary: describeReport(r), anchor: anchor?.source ?? null, mode: 'full', sealed: input.quick ? null : undefined };
}

/** A quick check's answer, said with what it did not check. */
export function quickResult(q: QuickResult): VerifyResult {
  const ok = q.problems.length === 0;
  const from = `${monthWords(q.sealed!.month)}月结的封存（审计记录第 ${q.sealed!.seq} 条）`;
  const summary = ok
    ? `快速校验通过：自${from}以来的 ${q.auditEntries} 条审计记录首尾相接，其后写入的数据逐组与审计记录相符，各表与封存时衔接；封存之前的数据未逐行核对，请定期做完整校验。`
    : `快速校验未通过，发现 ${q.problems.length} 处问题。第一处：${q.problems[0].message}`;
  return { ok, summary, problems: q.problems, auditEntries: q.auditEntries, journalEntries: 0, coveredTables: q.coveredTables, uncoveredTables: [], anchor: null, anchors: [], mode: 'quick', sealed: q.sealed };
}

export const maintenanceHandlers: Handlers<keyof typeof maintenanceApi> = {
  'backup.list': (ctx) => listBackups(backupsDir(dataDirOf(ctx))).map(info),

  'backup.create': async (ctx, input) => {
    const own = backupsDir(dataDirOf(ctx));
    const dir = input.folder ? chosenFolder(input.folder) : own;
    // SQLite's online backup copies a run of pages at a time and lets other calls in between; the copy's check (one
    // big table's a statement of up to ~40 s on ten years) runs in the jobs worker. Not cancelled halfway (the partial
    // copy would be removed, but there is nothing to gain), so not cancellable.
    const f = await withOperation(ctx, 'backup', { cancellable: false }, (run) => createBackup(ctx.db, dir, 'manual', ctx.now(), '', run.report, jobFile(ctx) ? finishCopyInWorker : undefined));
    if (dir === own) pruneBackups(own, ctx.now(), retentionOf(profileOf(ctx)));
    return info(f);
  },

  'backup.preview': (ctx, input) => previewBackup(input.file, ctx.db.name),

  'backup.restore': async (ctx, input) => {
    // Never cancellable: once the copy is swapped in, stopping halfway would leave neither ledger.
    const r = await withOperation(ctx, 'restore', { cancellable: false }, (run) => restoreLedger(ctx, input.file, run.report));
    return { preview: r.preview, preRestoreBackup: r.preRestore.file };
  },

  'integrity.health': (ctx) => {
    const h = healthOf(ctx);
    // Damage: the remedy is a restore, and what it would lose is said with it (never a blind advice).
    return h.status === 'damaged' && ctx.dataDir ? { ...h, restoreNote: restoreLossNote(ctx.db.name) } : h;
  },

  // In a worker thread on its own read-only connection (jobs/run.ts): minutes on a big ledger, and the window keeps
  // answering meanwhile. Cancellable: it writes nothing.
  'integrity.verify': (ctx, input) =>
    withOperation(ctx, 'verify', { cancellable: true }, (run) => (jobFile(ctx) ? runJob<VerifyResult>(ctx, 'verify', input, run) : verifyForApi(ctx, input, run.report))),

  'maintenance.progress': (ctx) => operationsOf(ctx),

  'maintenance.cancel': (ctx, input) => cancelOperation(ctx, input.id),
};
