import Database from 'better-sqlite3';
import path from 'node:path';
import { backupsDir, listBackups } from './backup.ts';
import { openLedgerToRead, type Db } from '../db/open.ts';
import { passwordDigest } from './verify-digest.ts';
import type { VerifyAnchor } from '../../../shared/anchors.ts';
import { tableLabel } from '../ledger/tables.ts';
import type { CheckContext, VerifyProblem } from './checks/common.ts';
import { checkSqlite } from './checks/sqlite.ts';
import { walkChain } from './checks/chain.ts';
import { checkEntities } from './checks/entities.ts';
import { checkJournal } from './checks/journal.ts';
import { checkAccounts, checkInstallation, checkMealPlans } from './checks/seeded.ts';
import { checkRowSnapshots } from './checks/snapshots.ts';
import { checkCounters } from './checks/counters.ts';
import { checkClosedMonths } from './checks/closed-months.ts';
import { checkSummaries } from './checks/summaries.ts';
import { checkSchema } from './checks/schema.ts';
import { checkAttachmentFiles } from './checks/attachments.ts';
import { noProgress, type ProgressReporter } from '../ledger/progress.ts';

/**
 * `verify`: is this ledger what the app wrote? SQLite's own checks (integrity, foreign keys), the audit hash chain,
 * the journal (every entry posted and balanced), and — the part that catches edits made with the sqlite3 shell behind
 * the app's back — the rows of the audited tables against the audit chain: every audit entry's `after` holds the
 * record as written, so replaying the chain gives what each row must be now. A row the chain does not explain (an
 * insertion), a row the chain says exists but is missing (a deletion), or a row that differs from the chain's latest
 * state (a change) is reported. The domain tables (deliveries, receipts, stock, …) are checked the same way against the
 * raw rows their audit entries carry under `after._rows` (see row-snapshot.ts and the table registry, ledger/tables.ts); document counters
 * against the numbers the documents carry. A per-row hash kept by triggers would not do: whoever edits the row can recompute it.
 * Rewriting the audit chain itself to match breaks the hash chain, unless the whole chain is recomputed from the
 * tampered entry on; outside anchors catch that: the newest backup's chain head (see `anchorFromBackups`) for
 * everything older than the backup, and the 校验码 of a published notice (`published`) for everything up to that
 * month's close — each close's checksum hashes its figures with the chain head at the close, and that head must be
 * the entry just before the close's own audit entry. Without an anchor verify proves only that the ledger agrees with
 * itself, and says so.
 */
export type { VerifyProblem };

export interface VerifyReport {
  ok: boolean;
  /** The first problems found, in check order (capped). */
  problems: VerifyProblem[];
  first: VerifyProblem | null;
  auditEntries: number;
  journalEntries: number;
  /** Tables whose every row was checked against the audit chain, with row counts. */
  coveredTables: Record<string, number>;
  /** Tables that hold data but whose rows verify cannot explain yet (named in the report, not silently passed). */
  uncoveredTables: string[];
  /** Attachment files hashed against the sha256 their rows record; null when no attachments folder was given. */
  attachmentFiles: number | null;
  /** The outside anchors used (a backup's chain head, published checksums); empty: none, and the summary says so. */
  anchors: VerifyAnchor[];
}

const MAX_PROBLEMS = 200;

export { passwordDigest };

export interface VerifyOptions {
  /** The chain head of a trusted copy (the newest backup): the current chain must contain it unchanged. */
  anchor?: { seq: number; hash: string; source: string } | null;
  /** How many problems to list (200: a report a person reads); a benchmark or an investigation may want them all. */
  maxProblems?: number;
  /** The ledger's attachments folder: every live attachment's file is hashed against its row (not checked without). */
  attachmentsDir?: string;
  /**
   * 校验码 from published notices (16 to 64 lower-case hex digits, see shared/anchors.ts): each must begin the
   * checksum of a close this ledger carries, whose chain head is in the chain; else verify fails naming it.
   */
  published?: readonly string[];
  /**
   * Progress on long work (issue 19): what it is checking and how far, in hundredths, as it goes. It may throw (a
   * cancel): verify writes nothing, so stopping anywhere is safe.
   */
  onProgress?: ProgressReporter;
}

/** Each check's share of a run in hundredths, from what they take on a ten-year ledger (docs/PERFORMANCE.md). */
const SHARES: [step: string, upTo: number][] = [
  ['检查数据库文件结构', 15],
  ['核对审计记录链', 45],
  ['核对基础资料', 46],
  ['核对记账凭证', 55],
  ['核对会计科目与用餐方式', 56],
  ['逐组核对各业务表', 78],
  ['核对单据编号', 79],
  ['重算已月结月份', 86],
  ['重算汇总表', 97],
  ['核对数据库结构', 98],
  ['核对附件文件', 100],
];

/**
 * Runs the checks of integrity/checks/ in order — SQLite's own, the audit chain, the tables the registry
 * (ledger/tables.ts) says are checked entity by entity, the journal, the seeded tables, the row snapshots, the
 * counters, closed months, summaries, the schema, the attachment files — and reports what they found. A table of the
 * ledger that no check covered and that holds rows is named in `uncoveredTables`.
 */
export function verifyLedger(db: Db, opts: VerifyOptions = {}): VerifyReport {
  const problems: VerifyProblem[] = [];
  const max = opts.maxProblems ?? MAX_PROBLEMS;
  const add = (p: VerifyProblem) => {
    if (problems.length < max) problems.push(p);
  };
  const tables = new Set((db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((r) => r.name));
  const covered: Record<string, number> = {};
  const anchors: VerifyAnchor[] = [];
  const report = opts.onProgress ?? noProgress;
  /** Step i begins: its share runs from the previous step's end; `part` reports how far within it. */
  const step = (i: number) => {
    const from = i === 0 ? 0 : SHARES[i - 1][1];
    const [name, to] = SHARES[i];
    report(name, from, 100);
    return (done: number, total: number) => report(name, from + Math.floor(((to - from) * Math.min(done, total)) / Math.max(1, total)), 100);
  };
  const start = { db, tables, add, covered, anchors };
  step(0);
  checkSqlite(start);
  const { backupAnchor, ...chain } = walkChain(db, opts.anchor, add, () => problems, step(1));
  if (backupAnchor) anchors.push(backupAnchor);
  const c: CheckContext = { ...start, chain };
  step(2);
  checkEntities(c);
  const journalEntries = checkJournal(c, step(3));
  step(4);
  checkAccounts(c);
  checkMealPlans(c);
  checkInstallation(c);
  checkRowSnapshots(c, step(5));
  step(6);
  checkCounters(c);
  step(7);
  checkClosedMonths(c, opts.published ?? []);
  step(8);
  checkSummaries(c);
  step(9);
  checkSchema(c);
  step(10);
  const attachmentFiles = opts.attachmentsDir !== undefined && tables.has('attachments') ? checkAttachmentFiles(c, opts.attachmentsDir) : null;
  report('核对完成', 100, 100);

  const uncoveredTables = [...tables]
    .filter((t) => !(t in covered) && t !== 'audit_log')
    .filter((t) => (db.prepare(`SELECT 1 FROM "${t}" LIMIT 1`).get() as unknown) !== undefined)
    .sort();
  return { ok: problems.length === 0, problems, first: problems[0] ?? null, auditEntries: chain.auditEntries, journalEntries, coveredTables: covered, uncoveredTables, attachmentFiles, anchors };
}

/** Reads the chain head of a trusted copy (a backup) to anchor verify against truncation or rewriting. */
export function chainHeadOf(file: string): { seq: number; hash: string; installationId: string | null } | null {
  let db: Db | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const head = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
    const inst = db.prepare('SELECT id FROM installation').get() as { id: string } | undefined;
    return head ? { ...head, installationId: inst?.id ?? null } : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

/** A one-line Chinese summary for the CLI and the UI. */
export function describeReport(r: VerifyReport): string {
  if (r.ok) {
    const tables = Object.entries(r.coveredTables)
      .map(([t, n]) => `${tableLabel(t)} ${n}`)
      .join('，');
    const files = r.attachmentFiles === null ? '' : `附件文件 ${r.attachmentFiles} 个与登记的 sha256 相符；`;
    return `校验通过：审计记录 ${r.auditEntries} 条首尾相接，记账凭证 ${r.journalEntries} 张全部过账且借贷平衡；数据库结构与本软件一致；${files}已与审计记录逐行核对：${tables}。${anchorsSentence(r.anchors)}`;
  }
  return `校验未通过，发现 ${r.problems.length >= MAX_PROBLEMS ? `${MAX_PROBLEMS} 处以上` : `${r.problems.length} 处`}问题。第一处：${r.first!.message}`;
}

/** What the outside anchors pinned, or plainly that there were none (a self-consistent rewrite would pass without). */
export function anchorsSentence(anchors: readonly VerifyAnchor[]): string {
  if (anchors.length === 0) return '未使用外部锚点：只能证明账本自身前后一致，不能证明没有被整体改写；请用公示表上的校验码运行 verify --anchor（或在“备份与校验”页填入校验码）。';
  const words = anchors.map((a) => (a.kind === 'backup' ? `备份 ${a.source}（${a.detail}）` : `公示校验码 ${a.source.slice(0, 16)}（${a.detail}）`));
  return `外部锚点：${words.join('；')}。`;
}

/**
 * The anchor for `verify`: the chain head of the newest backup of this installation taken after the last restore
 * (a restore replaces the chain with the backup's, so older backups no longer describe it).
 */
export function anchorFromBackups(db: Db, dir: string, list: (dir: string) => { file: string; name: string; at: string }[]): VerifyOptions['anchor'] {
  const inst = (db.prepare('SELECT id FROM installation').get() as { id: string } | undefined)?.id ?? null;
  const lastRestore = (db.prepare(`SELECT max(at) AS at FROM audit_log WHERE action = 'restore' AND entity = 'ledger'`).get() as { at: string | null }).at;
  for (const b of list(dir)) {
    if (lastRestore && b.at <= lastRestore) break;
    const head = chainHeadOf(b.file);
    if (!head || head.installationId !== inst) continue;
    return { seq: head.seq, hash: head.hash, source: b.name };
  }
  return null;
}

/**
 * Verifies a ledger file read-only (the app may keep running), anchored on its newest backup and on the published
 * checksums given. For the CLI and tests.
 */
export function verifyLedgerFile(file: string, published: readonly string[] = [], onProgress?: ProgressReporter): VerifyReport & { anchor: string | null; readOnlyNote: string | null } {
  // Also in a folder that cannot be written: read in place or from a temporary copy, and said so (open.ts).
  const opened = openLedgerToRead(file);
  const db = opened.db;
  try {
    const anchor = anchorFromBackups(db, backupsDir(path.dirname(path.resolve(file))), listBackups);
    return { ...verifyLedger(db, { anchor, published, attachmentsDir: path.join(path.dirname(path.resolve(file)), 'attachments'), onProgress }), anchor: anchor?.source ?? null, readOnlyNote: opened.readOnlyNote };
  } finally {
    opened.close();
  }
}

