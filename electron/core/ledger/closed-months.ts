import type { Ctx } from '../context.ts';
import type { Db } from '../db/open.ts';
import { closeFigures, figuresChecksum, newFiguresMemo, type CloseFigures, type FiguresMemo } from './month-figures.ts';

/**
 * The closed-month checksum, below the domains so verify (integrity/checks/closed-months.ts) and the month close both
 * read it: a closed month's figures recomputed from the ledger as it is now, with the audit head recorded at its close,
 * must give the checksum recorded (and printed on its disclosure); the figures recorded with the close must give it
 * too. A difference means a figure of the closed month (or of a month before it) changed after the close, or the
 * recorded figures were changed.
 */
export interface ClosedMonthCheck {
  month: string;
  revision: number;
  storedChecksum: string;
  recomputedChecksum: string;
  ok: boolean;
}

/** The month's latest close, checked as above; null when the month is not closed (or its close holds no checksum). */
export function recomputeClosedMonthChecksum(db: Db, month: string, memo: FiguresMemo = newFiguresMemo()): ClosedMonthCheck | null {
  const ctx: Ctx = { db, now: () => new Date(), installationId: '', dataDir: null, session: null, setSession: () => {} };
  if (db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(month) === undefined) return null;
  const close = db.prepare(`SELECT revision, figures, audit_head, checksum FROM month_close_events WHERE month = ? AND kind = 'close' ORDER BY seq DESC LIMIT 1`).get(month) as
    | { revision: number; figures: string | null; audit_head: string | null; checksum: string | null }
    | undefined;
  if (!close || !close.checksum || !close.audit_head) return null;
  const recomputed = figuresChecksum(closeFigures(ctx, month, memo), close.audit_head);
  // The recorded figures themselves must still hash to the checksum too: later months' year to date and the month's
  // own summary read them as frozen (month-figures.ts).
  let storedOk = false;
  try {
    storedOk = close.figures !== null && figuresChecksum(JSON.parse(close.figures) as CloseFigures, close.audit_head) === close.checksum;
  } catch {
    storedOk = false;
  }
  return { month, revision: close.revision, storedChecksum: close.checksum, recomputedChecksum: recomputed, ok: recomputed === close.checksum && storedOk };
}

/** Every closed month, checked as above. */
export function verifyClosedMonths(db: Db): ClosedMonthCheck[] {
  const months = (db.prepare('SELECT period FROM closed_periods ORDER BY period').all() as { period: string }[]).map((r) => r.period);
  return months.map((m) => recomputeClosedMonthChecksum(db, m)).filter((c): c is ClosedMonthCheck => c !== null);
}
