import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ATTACHMENT_MAX_BYTES, type AttachmentKind, type AttachmentMime, type AttachmentView } from '../../../../shared/api/receiving.ts';
import type { CertKind } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { audit } from '../../ledger/audit.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';
import { chinaDate } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertStatus, docOf } from '../../ledger/lifecycle.ts';
import { attachmentFileIn, attachmentFileProblem } from '../../integrity/attachment-files.ts';

/**
 * Photos and scans of delivery notes and certificates (索证索票). Files are stored once per content in
 * <data>/attachments/<sha256>.<ext>; rows link them to a delivery (and a line or certificate kind). DOMAIN.md §1
 * keeps them until the shelf life ends plus 6 months (2 years where no shelf life is stated): deletion before that is
 * refused, and a deletion after it is recorded on the row, which stays.
 */

export const RETENTION_MONTHS_AFTER_EXPIRY = 6;
export const RETENTION_MONTHS_WITHOUT_SHELF_LIFE = 24;

/** Calendar months later, the day clamped to the month's end (08-31 + 6 months → 02-28/29). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

/** The last day a delivery's records and images must be kept: the latest over its lines. */
export function keepUntil(ctx: Ctx, deliveryId: string): string {
  const h = ctx.db.prepare('SELECT delivery_date FROM deliveries WHERE id = ?').get(deliveryId) as { delivery_date: string } | undefined;
  if (!h) throw new ApiError('NOT_FOUND', '找不到该验收单');
  const lines = ctx.db.prepare('SELECT expires_on FROM delivery_lines WHERE delivery_id = ?').all(deliveryId) as { expires_on: string | null }[];
  const dates = lines.map((l) => (l.expires_on ? addMonths(l.expires_on, RETENTION_MONTHS_AFTER_EXPIRY) : addMonths(h.delivery_date, RETENTION_MONTHS_WITHOUT_SHELF_LIFE)));
  if (dates.length === 0) dates.push(addMonths(h.delivery_date, RETENTION_MONTHS_WITHOUT_SHELF_LIFE));
  return dates.sort().at(-1) as string;
}

const MAGIC: Record<AttachmentMime, (b: Buffer) => boolean> = {
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/png': (b) => b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'application/pdf': (b) => b.length > 5 && b.subarray(0, 5).toString('latin1') === '%PDF-',
};

function attachmentsDir(ctx: Ctx): string {
  if (!ctx.dataDir) throw new ApiError('CONFLICT', '内存中的账本不能保存附件');
  return path.join(ctx.dataDir, 'attachments');
}

export function attachmentPath(ctx: Ctx, sha256: string, mime: AttachmentMime): string {
  return attachmentFileIn(attachmentsDir(ctx), sha256, mime);
}

interface AttachmentRow {
  id: string;
  delivery_id: string;
  line_no: number | null;
  cert_kind: CertKind | null;
  kind: AttachmentKind;
  file_name: string;
  mime: AttachmentMime;
  size: number;
  sha256: string;
  created_at: string;
  created_by: string | null;
  created_by_name: string | null;
  deleted_at: string | null;
}

function toView(r: AttachmentRow, keep: string): AttachmentView {
  return {
    id: r.id,
    deliveryId: r.delivery_id,
    lineNo: r.line_no,
    certKind: r.cert_kind,
    kind: r.kind,
    fileName: r.file_name,
    mime: r.mime,
    size: r.size,
    sha256: r.sha256,
    keepUntil: keep,
    createdAt: r.created_at,
    createdByName: r.created_by_name,
  };
}

const SELECT = `SELECT a.*, u.display_name AS created_by_name FROM attachments a LEFT JOIN users u ON u.id = a.created_by`;

export function attachmentsOf(ctx: Ctx, deliveryId: string): AttachmentView[] {
  const keep = keepUntil(ctx, deliveryId);
  return (ctx.db.prepare(`${SELECT} WHERE a.delivery_id = ? AND a.deleted_at IS NULL ORDER BY a.created_at, a.id`).all(deliveryId) as AttachmentRow[]).map((r) => toView(r, keep));
}

function liveRow(ctx: Ctx, id: string): AttachmentRow {
  const r = ctx.db.prepare(`${SELECT} WHERE a.id = ?`).get(id) as AttachmentRow | undefined;
  if (!r || r.deleted_at) throw new ApiError('NOT_FOUND', '找不到该附件');
  return r;
}

export interface AttachInput {
  deliveryId: string;
  lineNo: number | null;
  certKind: CertKind | null;
  kind: AttachmentKind;
  fileName: string;
  mime: AttachmentMime;
  dataBase64: string;
}

export function attach(ctx: Ctx, a: AttachInput): AttachmentView {
  const h = ctx.db.prepare('SELECT id, number, status FROM deliveries WHERE id = ?').get(a.deliveryId) as { id: string; number: string | null; status: string } | undefined;
  if (!h) throw new ApiError('NOT_FOUND', '找不到该验收单');
  assertStatus(docOf('deliveries', h), ['draft', 'posted'], 'attach');
  if (a.lineNo !== null && !ctx.db.prepare('SELECT 1 FROM delivery_lines WHERE delivery_id = ? AND line_no = ?').get(a.deliveryId, a.lineNo)) {
    throw new ApiError('NOT_FOUND', `验收单没有第 ${a.lineNo} 行`);
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(a.dataBase64) || a.dataBase64.length % 4 !== 0) throw new ApiError('VALIDATION', '文件内容不是有效的 base64 编码');
  const bytes = Buffer.from(a.dataBase64, 'base64');
  if (bytes.length === 0) throw new ApiError('VALIDATION', '文件是空的');
  if (bytes.length > ATTACHMENT_MAX_BYTES) throw new ApiError('VALIDATION', `文件不能超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`);
  if (!MAGIC[a.mime](bytes)) throw new ApiError('VALIDATION', '文件内容与类型不符（只能上传 JPG、PNG 图片或 PDF 文件）');
  const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
  const file = attachmentPath(ctx, sha256, a.mime);
  // Same content, same file: a certificate photographed once and attached to two deliveries is stored once.
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, file);
  }
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare(
      `INSERT INTO attachments (id, origin, delivery_id, line_no, cert_kind, kind, file_name, mime, size, sha256, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, ctx.installationId, a.deliveryId, a.lineNo, a.certKind, a.kind, a.fileName, a.mime, bytes.length, sha256, ctx.now().toISOString(), currentUser(ctx).userId);
  const view = toView(liveRow(ctx, id), keepUntil(ctx, a.deliveryId));
  audit(ctx, 'attach', 'delivery', a.deliveryId, null, withRows(view, groupRows(ctx, 'attachments', 'id', id)));
  return view;
}

/** The stored bytes, served only when they still hash to the sha256 the (audited) row recorded. */
export function attachmentData(ctx: Ctx, id: string): { mime: AttachmentMime; dataBase64: string; fileName: string } {
  const r = liveRow(ctx, id);
  const file = attachmentPath(ctx, r.sha256, r.mime);
  const problem = (why: string) => {
    const d = ctx.db.prepare('SELECT number FROM deliveries WHERE id = ?').get(r.delivery_id) as { number: string | null } | undefined;
    return attachmentFileProblem(d?.number ?? r.delivery_id, r.file_name, why);
  };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const missing = (e as { code?: string }).code === 'ENOENT';
    throw new ApiError(missing ? 'NOT_FOUND' : 'INTERNAL', problem(missing ? `文件 ${path.basename(file)} 不存在` : `文件 ${path.basename(file)} 无法读取`));
  }
  if (crypto.createHash('sha256').update(bytes).digest('hex') !== r.sha256) throw new ApiError('CONFLICT', problem('文件内容与登记的 sha256 不符'));
  return { mime: r.mime, dataBase64: bytes.toString('base64'), fileName: r.file_name };
}

export function deleteAttachment(ctx: Ctx, id: string, reason: string): void {
  const r = liveRow(ctx, id);
  const keep = keepUntil(ctx, r.delivery_id);
  const today = chinaDate(ctx.now());
  if (today <= keep) {
    throw new ApiError('RULE', `附件须保存至 ${keep}（保质期满后 6 个月，未标明保质期的 2 年），在此之前不能删除`);
  }
  ctx.db.prepare('UPDATE attachments SET deleted_at = ?, deleted_by = ?, delete_reason = ? WHERE id = ?').run(ctx.now().toISOString(), currentUser(ctx).userId, reason, id);
  audit(ctx, 'delete', 'attachment', id, toView(r, keep), withRows({ reason }, groupRows(ctx, 'attachments', 'id', id)));
  const stillUsed = ctx.db.prepare('SELECT 1 FROM attachments WHERE sha256 = ? AND deleted_at IS NULL').get(r.sha256);
  if (!stillUsed) fs.rmSync(attachmentPath(ctx, r.sha256, r.mime), { force: true });
}
