/**
 * Month close vocabulary (codes and the labels shown to people), used by the contract shared/api/monthclose.ts, which
 * re-exports it, and by the renderer at run time. No zod here: nothing the renderer loads may pull zod in.
 */

export type MonthStatus = 'open' | 'submitted' | 'closed';
export const MONTH_STATUS_LABELS: Record<MonthStatus, string> = { open: '未月结', submitted: '已提交待审核', closed: '已月结' };
