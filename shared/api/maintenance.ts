import { method, z } from './contract.ts';
import { PUBLISHED_CHECKSUM_DIGITS, type VerifyAnchor } from '../anchors.ts';

export type { VerifyAnchor };

/** One backup file as the 备份与恢复 page lists it. */
export interface BackupInfo {
  name: string;
  file: string;
  /** When it was taken (ISO, UTC). */
  at: string;
  reason: 'start' | 'premigrate' | 'daily' | 'manual' | 'prerestore';
  reasonLabel: string;
  /** e.g. 'v1-v2' for a pre-migration backup. */
  detail: string;
  sizeBytes: number;
}

/** What a backup holds, shown before it is restored. */
export interface BackupPreviewInfo {
  file: string;
  schoolName: string | null;
  schemaVersion: number;
  installationId: string | null;
  counts: { users: number; suppliers: number; deliveries: number | null; receipts: number | null };
  auditEntries: number;
  lastAuditAt: string | null;
  sizeBytes: number;
}

export interface VerifyResult {
  ok: boolean;
  /** One Chinese sentence: passed, or the first problem. */
  summary: string;
  problems: { kind: string; message: string; table?: string; id?: string; seq?: number }[];
  auditEntries: number;
  journalEntries: number;
  coveredTables: Record<string, number>;
  uncoveredTables: string[];
  /** The backup whose audit chain head anchored the check, if any. */
  anchor: string | null;
  /** Every outside anchor used (the backup, the published checksums given) and what each found; empty: none. */
  anchors: VerifyAnchor[];
  /** 'quick': from the newest intact month-close seal on (integrity/quick.ts says what it proves); else the full check. */
  mode?: 'full' | 'quick';
  /** The seal a quick check started from; null when a quick check found none and ran the full check instead. */
  sealed?: { month: string; revision: number; seq: number } | null;
}

/**
 * The file check run after start (PRAGMA quick_check in a worker thread, electron/core/integrity/health-check.ts): 'pending'
 * while it runs, 'damaged' with SQLite's findings, 'unchecked' when no check ran or it could not finish.
 */
export interface HealthInfo {
  status: 'pending' | 'ok' | 'damaged' | 'unchecked';
  startedAt: string | null;
  checkedAt: string | null;
  problems: string[];
  /** When damaged: what a restore from the newest backup would lose, in words (issue 20); absent otherwise. */
  restoreNote?: string;
  /** The sealed quick verify run after a clean file check (issue 19); absent until the file check passed. */
  quick?: QuickVerifyInfo;
}

/**
 * The daily sealed quick verify (electron/core/integrity/quick.ts), run in the jobs worker after the file check found
 * the file clean: 'pending' while it runs; 'ok' / 'failed' with the problems it named; 'unsealed' when no month close
 * has an intact seal yet (nothing to start from: only the full verify can check); 'unchecked' when it could not run.
 */
export interface QuickVerifyInfo {
  status: 'pending' | 'ok' | 'failed' | 'unsealed' | 'unchecked';
  startedAt: string;
  checkedAt: string | null;
  /** How long it took, in milliseconds (wall time, in the worker thread); null while running. */
  ms: number | null;
  /** One Chinese sentence: what it found. */
  summary: string;
  /** The problems it named (at most 20, and a count of the rest). */
  problems: string[];
  /** The seal it started from. */
  sealed: { month: string; revision: number; seq: number } | null;
}

/** Long work that reports its progress (electron/core/ledger/progress.ts). */
export type OperationKind = 'verify' | 'backup' | 'restore' | 'export' | 'import' | 'migrate';

/** One long operation of this ledger, running or ended in the last minute, as the progress bar shows it. */
export interface OperationProgress {
  id: string;
  op: OperationKind;
  /** What it is, in Chinese (校验账本, 备份, …). */
  label: string;
  /** What it is doing now, in Chinese. */
  step: string;
  done: number;
  total: number;
  /** Seconds left at the rate so far; null until there is a rate to go by. */
  etaSeconds: number | null;
  /** Whether the person may stop it (verify, export); a restore never. */
  cancellable: boolean;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  startedAt: string;
  updatedAt: string;
  /** Who started it (only they may cancel it). */
  userId: string | null;
}

/** An absolute path chosen in the shell's file dialog (a folder for a backup, a file for a restore). */
const absolutePath = (label: string) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .min(1, { error: `请选择${label}` })
    .max(1000, { error: `${label}路径过长` })
    .refine((p) => !/[\u0000-\u001f]/.test(p), { error: `${label}路径含有不可见的控制字符` })
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), { error: `${label}必须是完整路径` });

/** A 校验码 from a published notice (shared/anchors.ts), as the notice prints it or longer. */
const publishedChecksum = z
  .string({ error: '校验码必须是文字' })
  .trim()
  .toLowerCase()
  .regex(new RegExp(`^[0-9a-f]{${PUBLISHED_CHECKSUM_DIGITS},64}$`), { error: `校验码应为公示表上“校验码：”后的 ${PUBLISHED_CHECKSUM_DIGITS} 位（或更长的）十六进制数字（0-9、a-f）` });

export const maintenanceApi = {
  'backup.list': method<BackupInfo[]>()({
    input: z.object({}).strict().default({}),
    access: ['admin', 'accountant'],
    writes: false,
    summary: '备份列表（启动时、每日、升级前、恢复前自动备份与手动备份），新的在前',
  }),
  'backup.create': method<BackupInfo>()({
    input: z.object({ folder: absolutePath('备份文件夹').optional() }).strict().default({}),
    access: ['admin', 'accountant'],
    writes: false,
    summary: '立即备份：存入备份文件夹，或存到选择的文件夹（如 U 盘）；单个文件即可恢复',
  }),
  'backup.preview': method<BackupPreviewInfo>()({
    input: z.object({ file: absolutePath('备份文件') }).strict(),
    access: ['admin'],
    writes: false,
    summary: '查看备份文件中的内容（学校、数据版本、用户/供应商/验收单/收据数量、最后操作时间）；坏文件会被指出',
  }),
  'backup.restore': method<{ preview: BackupPreviewInfo; preRestoreBackup: string }>()({
    input: z.object({ file: absolutePath('备份文件') }).strict(),
    access: ['admin'],
    // Not one SQL transaction: the whole file is replaced (after a pre-restore backup); everyone logs in again.
    writes: false,
    summary: '从备份恢复：先自动备份当前数据，再换成备份中的数据；恢复后需重新登录',
  }),
  'integrity.health': method<HealthInfo>()({
    input: z.object({}).strict().default({}),
    access: 'any',
    writes: false,
    summary: '账本文件检查（启动后在后台进行）的结果：损坏时应从备份恢复',
  }),
  'maintenance.progress': method<OperationProgress[]>()({
    input: z.object({}).strict().default({}),
    access: 'any',
    writes: false,
    summary: '正在进行（或刚结束）的耗时工作的进度：校验、备份、恢复、导出等，做到哪一步、完成多少、大约还要多久',
  }),
  'maintenance.cancel': method<OperationProgress>()({
    input: z.object({ id: z.string({ error: '请指明要取消的工作' }).trim().min(1, { error: '请指明要取消的工作' }).max(64, { error: '工作编号过长' }) }).strict(),
    access: 'any',
    // Writes nothing to the ledger: asks a running verify or export (one's own) to stop.
    writes: false,
    summary: '取消自己开始的校验或导出（恢复开始后不能取消）',
  }),
  'integrity.verify': method<VerifyResult>()({
    input: z
      .object({
        anchors: z.array(publishedChecksum).max(120, { error: '一次最多核对 120 个校验码' }).optional(),
        quick: z.boolean({ error: '快速校验应为是或否' }).optional(),
      })
      .strict()
      .default({}),
    access: ['admin', 'accountant', 'reviewer'],
    writes: false,
    summary: '校验账本：审计链、借贷平衡，并与审计记录逐行核对，发现绕过软件直接改动的数据；可给出公示表上的校验码，核对账本是否仍是公示时的账本；quick：只从最近的月结封存起核对（几秒钟），没有封存时做完整校验',
  }),
};
