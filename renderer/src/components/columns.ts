import type { TdHTMLAttributes } from 'react';

/**
 * Spread into a table column that holds a document number (CK2026-0120, SJ2026-0003) or a pupil's 学号: the cell keeps
 * it on one line, since a number broken at its hyphen ("CK2026-/0120") reads as two. Likewise dates and phone numbers
 * ("2026-11-/20", "0571-/88607721"), which test/e2e/screens.test.ts finds on every page.
 */
export const NOWRAP = {
  onCell: (): TdHTMLAttributes<HTMLTableCellElement> => ({ style: { whiteSpace: 'nowrap' } }),
};
