import type { Role } from './roles.ts';

/** 期初建账 vocabulary (zod-free: the renderer imports it). */
export const OPENING_LINE_KINDS = ['stock', 'prepaid', 'arrears', 'payable'] as const;
export type OpeningLineKind = (typeof OPENING_LINE_KINDS)[number];
export const OPENING_LINE_LABELS: Record<OpeningLineKind, string> = { stock: '期初库存', prepaid: '学生预交', arrears: '学生欠费', payable: '应付供应商' };

export const OPENING_STATUSES = ['draft', 'submitted', 'posted'] as const;
export type OpeningStatus = (typeof OPENING_STATUSES)[number];
export const OPENING_STATUS_LABELS: Record<OpeningStatus, string> = { draft: '草稿', submitted: '待审核', posted: '已过账' };

/** The 会计 enters the opening; a 审核人 approves it; either may send a submitted opening back. */
export const OPENING_EDITORS: readonly Role[] = ['accountant'];
export const OPENING_APPROVERS: readonly Role[] = ['reviewer'];
export const OPENING_WITHDRAWERS: readonly Role[] = ['accountant', 'reviewer'];
export const OPENING_READERS: readonly Role[] = ['admin', 'accountant', 'reviewer'];
