import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { tempLedger } from '../helpers/backend.ts';
import { holdingRows, tamperableCopies, tamperRounds, tamperTargets } from './tamper-kit.ts';

/**
 * Tampering with the domain tables (receiving, payables, fees, students and subsidy, storeroom, document counters) behind the app's back, on a demo ledger with posted
 * deliveries, receipts, refunds and stock written through the API: triggers dropped, CHECK constraints and foreign keys
 * off (as in the sqlite3 shell), then one direct change, deletion or insertion. `verify` must name the tampered table
 * in a problem every time — not merely fail for some other reason.
 */
const GROUPS = tamperTargets('domains');
/** Rounds per table of a group (at least MIN_PER_GROUP per group). */
const PER_TABLE = 30;
const MIN_PER_GROUP = 120;
/** The tables the suite tampered with when its groups were written by hand: they must all still be in it. */
const BEFORE = ['deliveries', 'delivery_lines', 'delivery_inspectors', 'fee_receipts', 'fee_refunds', 'cash_deposits', 'cash_clearings', 'stock_lots', 'stock_movements', 'stock_issues',
  'students', 'subsidy_batches', 'subsidy_meals', 'subsidy_receipts', 'school_days', 'supplier_statements', 'supplier_payments', 'doc_counters', 'stock_counts', 'stock_count_lines',
  'attachments', 'meal_plans', 'openings', 'opening_lines'];

let t: ReturnType<typeof tempLedger>;
let baseline: string;
/** A fresh tamperable copy of the baseline, in memory (tamper-kit.ts). */
let freshCopy: () => Database.Database;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('not really a picture')]);

/** As a demo user holding `role`, without a password round (the demo's people are there already). */
function actAs(b: ReturnType<typeof openBackend>, role: 'storekeeper' | 'accountant'): void {
  const u = b.db.prepare(`SELECT u.id, u.username, u.display_name FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = ? ORDER BY u.username LIMIT 1`).get(role) as { id: string; username: string; display_name: string };
  b.ctx.setSession({ userId: u.id, username: u.username, displayName: u.display_name, roles: [role] });
}
const ok = (r: { ok: boolean; error?: unknown }) => expect(r.ok ? true : r.error).toBe(true);

beforeAll(async () => {
  t = tempLedger();
  const b = openBackend({ file: t.file });
  try {
    await seedDemo(b);
    // The demo has no attachment and keeps the migration's meal-plan rates: add both, so those tables have audited rows.
    actAs(b, 'storekeeper');
    const delivery = (b.db.prepare(`SELECT id FROM deliveries WHERE status = 'posted' ORDER BY id LIMIT 1`).get() as { id: string }).id;
    for (const [i, kind] of (['delivery_note', 'photo'] as const).entries()) {
      const r = await b.invoke('receiving.attach', { deliveryId: delivery, kind, fileName: `单据${i}.png`, mime: 'image/png', dataBase64: Buffer.concat([PNG, Buffer.from([i])]).toString('base64') });
      ok(r);
    }
    actAs(b, 'accountant');
    ok(await b.invoke('mealPlans.update', { code: 'lunch', dailyRateFen: 650 }));
  } finally {
    b.close();
  }
  // Years later, past the retention date, one attachment is deleted (its row is kept, marked deleted).
  const later = openBackend({ file: t.file, now: () => new Date(Date.UTC(2040, 0, 10, 2)) });
  try {
    actAs(later, 'storekeeper');
    const a = later.db.prepare('SELECT id FROM attachments ORDER BY id LIMIT 1').get() as { id: string };
    ok(await later.invoke('receiving.deleteAttachment', { id: a.id, reason: '超过保存期限' }));
  } finally {
    later.close();
  }
  baseline = path.join(path.dirname(t.file), 'baseline.sqlite');
  const db = new Database(t.file);
  await db.backup(baseline);
  db.close();
  freshCopy = tamperableCopies(baseline);
}, 300_000);
afterAll(() => t?.cleanup());

describe('verify catches tampering with the domain tables', () => {
  it('the untouched demo ledger verifies clean, with the domain tables covered', () => {
    const db = new Database(baseline, { readonly: true });
    const r = verifyLedger(db);
    db.close();
    expect(r.problems).toEqual([]);
    const held = Object.values(GROUPS).flatMap((g) => Object.keys(holdingRows(baseline, g).tables));
    expect(held).toEqual(expect.arrayContaining(BEFORE));
    for (const table of held) expect(r.coveredTables[table]).toBeGreaterThan(0);
  });

  it('a direct change of a posted receipt amount is named', () => {
    const db = freshCopy();
    db.prepare(`UPDATE fee_receipts SET amount_fen = amount_fen - 100 WHERE rowid = (SELECT min(rowid) FROM fee_receipts)`).run();
    const r = verifyLedger(db);
    db.close();
    expect(r.ok).toBe(false);
    expect(r.problems.some((p) => p.table === 'fee_receipts' && p.message.includes('收据') && p.message.includes('amount_fen'))).toBe(true);
  });

  for (const [group, all] of Object.entries(GROUPS)) {
    it(`${group}: at least ${PER_TABLE} random changes, deletions and insertions per table, every one caught and named`, () => {
      const { tables, empty } = holdingRows(baseline, all);
      // A table the demo writes no row of cannot be tampered with here (test/integrity/new-table.test.ts shows a new
      // table's cases on a ledger holding its rows); said, not passed silently.
      if (Object.keys(tables).length === 0) {
        console.log(`tampering ${group}: no rows in the demo for ${empty.join(', ')}`);
        return;
      }
      const rounds = Math.max(MIN_PER_GROUP, PER_TABLE * Object.keys(tables).length);
      const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
      const { counts, perTable, missed } = tamperRounds({ tables, rounds, seed, fresh: freshCopy, verify: (db) => verifyLedger(db) });
      const names = Object.keys(tables);
      console.log(`tampering ${group} (seed ${seed}): ${JSON.stringify(counts)}; per table ${JSON.stringify(perTable)}; missed ${missed.length}; no rows in the demo: ${empty.join(', ') || 'none'}`);
      expect(missed).toEqual([]);
      expect(counts.change + counts.delete + counts.insert).toBeGreaterThanOrEqual(rounds);
      expect(Math.min(counts.change, counts.delete, counts.insert)).toBeGreaterThanOrEqual(rounds / 3 - 1);
      for (const table of names) expect(perTable[table]).toBeGreaterThan(0);
    }, 900_000);
  }
});
