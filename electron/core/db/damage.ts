import Database from 'better-sqlite3';
import path from 'node:path';
import { BACKUP_REASON_LABELS, backupsDir, listBackups } from '../integrity/backup.ts';
import { ApiError } from '../../../shared/errors.ts';

/** A header that counts more bytes than the file has. */
export interface CutShort {
  expected: number;
  actual: number;
}

const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** A UTC timestamp as the school reads it: 2026-09-15 10:00:00 (China time). */
function chinaTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return new Date(t.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** The newest audit entry's time in a ledger file, read-only; null when the file cannot give it. */
function lastWriteAt(file: string): string | null {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT at FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { at: string } | undefined;
    return row?.at ?? null;
  } catch {
    return null;
  } finally {
    try {
      db?.close();
    } catch {
      /* nothing to keep */
    }
  }
}

/**
 * What a restore from the newest backup would lose, in words (issue 20: never advise a restore that throws away
 * acknowledged writes without saying which). The ledger's last write is read from its own audit log where the damage
 * allows, the backup's from the backup's.
 */
export function restoreLossNote(ledgerFile: string): string {
  const dir = backupsDir(path.dirname(path.resolve(ledgerFile)));
  const newest = listBackups(dir)[0];
  const ledgerLast = lastWriteAt(ledgerFile);
  const keep = '恢复之前，请先把整个数据文件夹（连同账本旁的 -wal 文件）复制保存一份，以便技术人员设法找回。';
  if (!newest) {
    return `备份文件夹 ${dir} 中没有备份${ledgerLast ? `；账本最后一次保存记录是在 ${chinaTime(ledgerLast)}` : ''}。请不要删除或覆盖账本文件，先把整个数据文件夹复制保存一份，再联系技术人员。`;
  }
  const backupLast = lastWriteAt(newest.file);
  const which = `最近的备份是 ${chinaTime(newest.at)} 的${BACKUP_REASON_LABELS[newest.reason]}（${newest.name}${backupLast ? `，其中最后一条记录保存于 ${chinaTime(backupLast)}` : ''}）`;
  if (ledgerLast && backupLast && ledgerLast <= backupLast) return `${which}，账本最后一次保存的记录也在其中：从它恢复不会丢失已保存的记录。${keep}`;
  const since = chinaTime(backupLast ?? newest.at);
  const loss = ledgerLast
    ? `账本最后一次保存记录是在 ${chinaTime(ledgerLast)}：从这个备份恢复，会丢失 ${since} 之后到 ${chinaTime(ledgerLast)} 之间保存的全部记录，需要照原始单据重新录入`
    : `账本中最后一次保存的时间读不出来：从这个备份恢复，会丢失 ${since} 之后保存的全部记录，需要照原始单据重新录入`;
  return `${which}；${loss}。${keep}`;
}

/** The refusal of a damaged ledger file: what is wrong, and what a restore would cost. */
export function damagedLedgerMessage(file: string, o: { cutShort?: CutShort; finding?: string }): string {
  const what = [
    o.cutShort ? `文件被截断：应有 ${o.cutShort.expected} 字节，实有 ${o.cutShort.actual} 字节` : null,
    o.finding ? `数据库检查：${o.finding.slice(0, 200)}` : null,
  ].filter(Boolean);
  return `账本文件已损坏（${what.join('；')}）。${restoreLossNote(file)}`;
}

/** SQLite's word for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB), however it was wrapped. */
export function isCorrupt(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) return true;
  return /database disk image is malformed|file is not a database/i.test(String((e as { message?: unknown })?.message ?? ''));
}

/** What a person is told when SQLite finds damage while reading or writing (issue 20 item 9: it said the raw words). */
export function corruptLedgerError(file: string | null): ApiError {
  const finding = '账本文件的数据页面损坏';
  if (!file) return new ApiError('INTERNAL', `账本文件已损坏（${finding}）。请先把整个数据文件夹复制保存一份，再从备份恢复（“备份与校验”页或 canteen restore）。`);
  return new ApiError('INTERNAL', damagedLedgerMessage(file, { finding }));
}
