/**
 * Receiving vocabulary (codes and the labels shown to people), used by the contract shared/api/receiving.ts, which
 * re-exports it, and by the renderer at run time. No zod here: nothing the renderer loads may pull zod in.
 */

export const DISPOSITIONS = ['returned', 'destroyed'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_LABELS: Record<Disposition, string> = { returned: '当场退回', destroyed: '销毁' };

export const DELIVERY_STATUSES = ['draft', 'posted', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = { draft: '草稿', posted: '已入账', cancelled: '已作废' };

export const ATTACHMENT_KINDS = ['delivery_note', 'certificate', 'photo'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];
export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, string> = { delivery_note: '送货单', certificate: '证明', photo: '照片' };
export const ATTACHMENT_MIME = { 'image/jpeg': 'jpg', 'image/png': 'png', 'application/pdf': 'pdf' } as const;
export type AttachmentMime = keyof typeof ATTACHMENT_MIME;
/** Phone photos of a delivery note are 2–5 MB; scans of a multi-page certificate stay under this. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

export const PAYMENT_METHODS = ['bank', 'cash'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = { bank: '银行转账', cash: '现金' };

/** Sensory check (感官检查) flags, in the order the form and the print show them. */
export const SENSORY_LABELS = { packagingOk: '包装完好', labelOk: '标识齐全', freshOk: '无变质异味' } as const;
