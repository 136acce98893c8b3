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

/**
 * 农残快检 (issue 17) methods of GB/T 5009.199-2003《蔬菜中有机磷和氨基甲酸酯类农药残留量的快速检测》: 酶抑制率法
 * (分光光度法), read as an inhibition rate, and 速测卡法 (纸片法), read as 阴性/阳性.
 */
export const RESIDUE_METHODS = ['enzyme_inhibition', 'test_card'] as const;
export type ResidueMethod = (typeof RESIDUE_METHODS)[number];
export const RESIDUE_METHOD_LABELS: Record<ResidueMethod, string> = { enzyme_inhibition: '酶抑制率法', test_card: '速测卡法' };
export const RESIDUE_RESULTS = ['pass', 'fail'] as const;
export type ResidueResult = (typeof RESIDUE_RESULTS)[number];
export const RESIDUE_RESULT_LABELS: Record<ResidueResult, string> = { pass: '阴性（合格）', fail: '阳性（不合格）' };
/** The enzyme method's threshold (GB/T 5009.199-2003, 酶抑制率法 结果判定): an inhibition rate ≥ 50 % is 阳性, in tenths of a percent. */
export const RESIDUE_FAIL_TENTHS = 500;
/** The reason a line rejected for a failed quick test carries (the disclosure counts these). */
export const RESIDUE_REJECT_REASON = '农残快检不合格';
/** The enzyme method's result from its rate: ≥ 50 % inhibition is 阳性 (不合格). */
export function residueResultOf(inhibitionTenths: number): ResidueResult {
  return inhibitionTenths >= RESIDUE_FAIL_TENTHS ? 'fail' : 'pass';
}
/** 625 tenths of a percent → "62.5%". */
export function formatPct10(v: number): string {
  return `${Math.trunc(v / 10)}${v % 10 ? `.${v % 10}` : ''}%`;
}
/** A test's reading in words: "酶抑制率法 抑制率 62.5%", "速测卡法 阳性". */
export function residueReading(method: ResidueMethod, inhibitionTenths: number | null, result?: ResidueResult): string {
  if (method === 'enzyme_inhibition') return `${RESIDUE_METHOD_LABELS[method]} 抑制率 ${formatPct10(inhibitionTenths ?? 0)}`;
  return `${RESIDUE_METHOD_LABELS[method]} ${result === 'pass' ? '阴性' : '阳性'}`;
}
