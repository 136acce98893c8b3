/**
 * What the bench tools share: logging a bench user in (run.ts, profile.ts, wal-pages.ts), and a 30-line
 * draft of the ledger's first 30 ingredients from its first supplier, checked by the two storekeepers (profile.ts and
 * wal-pages.ts; run.ts keeps its own, the benchmark's definition of a post).
 */
import type { Backend } from '../../electron/core/backend.ts';

/** Sets the session to `username` with its roles from the ledger, as a login would. */
export function loginAs(b: Backend, username: string): void {
  const u = b.db.prepare('SELECT id, display_name AS name FROM users WHERE username = ?').get(username) as { id: string; name: string };
  const roles = (b.db.prepare('SELECT role FROM user_roles WHERE user_id = ?').all(u.id) as { role: never }[]).map((r) => r.role);
  b.ctx.setSession({ userId: u.id, username, displayName: u.name, roles });
}

/** A 30-line draft dated `date`, with the note the form asks for when the checks warn; `i` numbers its note. */
export function thirtyLineDraft(b: Backend, date: string): (i: number) => Record<string, unknown> {
  const ings = b.db.prepare('SELECT id, ref_price_fen AS p FROM ingredients LIMIT 30').all() as { id: string; p: number }[];
  const supplierId = (b.db.prepare('SELECT id FROM suppliers LIMIT 1').get() as { id: string }).id;
  const inspectorIds = (b.db.prepare(`SELECT id FROM users WHERE username IN ('storekeeper','storekeeper2')`).all() as { id: string }[]).map((r) => r.id);
  return (i) => ({
    date,
    supplierId,
    inspectorIds,
    noteNumber: `B${i}`,
    warningNote: '已核实',
    lines: ings.map((x) => ({ ingredientId: x.id, receivedMilli: 1000, acceptedMilli: 1000, unitPriceFen: x.p, storageClass: 'ambient' })),
  });
}
