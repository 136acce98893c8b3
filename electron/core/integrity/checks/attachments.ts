import path from 'node:path';
import type { AttachmentMime } from '../../../../shared/api/receiving.ts';
import { attachmentFileIn, attachmentFileProblem, fileSha256 } from '../attachment-files.ts';
import type { CheckContext } from './common.ts';

/**
 * Every live attachment's file hashed against the sha256 its row records (the row is checked against the audit chain
 * like any other): a scan replaced, edited or deleted on disk is named by delivery and file name. One content shared
 * by several rows is read once. Returns how many files were hashed.
 */
export function checkAttachmentFiles({ db, add }: CheckContext, dir: string): number {
  const rows = db
    .prepare(
      `SELECT a.id, a.sha256, a.mime, a.file_name, coalesce(d.number, a.delivery_id) AS delivery FROM attachments a LEFT JOIN deliveries d ON d.id = a.delivery_id
       WHERE a.deleted_at IS NULL ORDER BY a.sha256, a.mime, a.id`,
    )
    .all() as { id: string; sha256: string; mime: AttachmentMime; file_name: string; delivery: string }[];
  const seen = new Map<string, string | null>();
  for (const r of rows) {
    const file = attachmentFileIn(dir, r.sha256, r.mime);
    if (!seen.has(file)) seen.set(file, fileSha256(file));
    const got = seen.get(file);
    if (got === r.sha256) continue;
    const why = got === null ? `文件 ${path.basename(file)} 缺失或无法读取` : '文件内容与登记的 sha256 不符';
    add({ kind: 'attachment', table: 'attachments', id: r.id, message: attachmentFileProblem(r.delivery, r.file_name, why) });
  }
  return seen.size;
}
