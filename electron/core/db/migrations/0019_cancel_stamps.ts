import type { Migration } from './index.ts';

/** A delivery's content and its edit and post stamps: what migration 0002 freezes once a delivery is posted. */
const CONTENT = [
  'id', 'origin', 'number', 'delivery_date', 'arrival_time', 'supplier_id', 'note_number', 'witness_user_id', 'witness_name',
  'warning_notes', 'warning_note', 'remark', 'total_fen', 'findings', 'amends', 'created_at', 'created_by', 'updated_at',
  'updated_by', 'posted_at', 'posted_by',
];
const same = CONTENT.map((c) => `NEW.${c} IS OLD.${c}`).join(' AND ');

/**
 * The one document lifecycle (issue 16, electron/core/ledger/lifecycle.ts): a cancel records when, who and why in the
 * cancel columns its table declares and changes nothing else — updated_at stays the last edit of a draft's content.
 * Receipts and refunds hold their four void columns by CHECK (migration 0003) and a posted delivery its content by
 * deliveries_frozen; what was not held is a discarded draft (its content and updated_at could change with the cancel)
 * and who cancelled a delivery (cancelled_by could be left empty). Triggers only: no table or row changes, so the row
 * snapshots verify compares with stay true. Rows cancelled before this step keep what they hold (a draft discarded
 * earlier has updated_at stamped at the discard; the cancelled rows are frozen and their snapshots are in the chain).
 *
 * For a posted delivery the trigger speaks only when deliveries_frozen would not (its content unchanged), so a change
 * of content is still refused in that trigger's words.
 */
export const cancelStamps: Migration = {
  name: '0019_cancel_stamps',
  sql: `
CREATE TRIGGER deliveries_cancel_stamps BEFORE UPDATE ON deliveries
WHEN NEW.status = 'cancelled' AND OLD.status IN ('draft','posted')
BEGIN
  SELECT RAISE(ABORT, '作废验收单须记录作废人')
  WHERE NEW.cancelled_by IS NULL AND (OLD.status = 'draft' OR (${same}));
  SELECT RAISE(ABORT, '作废草稿只记录作废时间、作废人和原因，不能同时修改内容')
  WHERE OLD.status = 'draft' AND NOT (${same});
END;
`,
};
