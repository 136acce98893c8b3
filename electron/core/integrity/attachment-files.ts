import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ATTACHMENT_MIME, type AttachmentMime } from '../../../shared/api/receiving.ts';

/**
 * Attachment files as stored (issue 20): one file per content, named by its sha256, in the ledger's attachments
 * folder. The receiving domain serves them and verify hashes them against their rows; both read the rules here, below
 * the domains.
 */

/** Where a content is stored in an attachments folder: named by its sha256, so the name says what the bytes must be. */
export function attachmentFileIn(dir: string, sha256: string, mime: AttachmentMime): string {
  return path.join(dir, `${sha256}.${ATTACHMENT_MIME[mime]}`);
}

/** A file's sha256 read in 1 MiB pieces (verify hashes every attachment: memory stays bounded); null when unreadable. */
export function fileSha256(file: string): string | null {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const h = crypto.createHash('sha256');
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
    return h.digest('hex');
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The refusal for a file replaced, changed or deleted behind the app (issue 20), naming the delivery and the file. */
export function attachmentFileProblem(deliveryNumber: string, fileName: string, why: string): string {
  return `附件文件已被改动或缺失（验收单 ${deliveryNumber} 的“${fileName}”：${why}），请从备份恢复附件（数据文件夹中的 attachments 文件夹）`;
}
