import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { seedDemo } from '../../electron/core/demo/index.ts';
import { verifyLedger } from '../../electron/core/verify.ts';
import { tempLedger } from '../helpers/backend.ts';

/**
 * Tampering with the domain tables (receiving, payables, fees, students and subsidy, storeroom, document counters) behind the app's back, on a demo ledger with posted
 * deliveries, receipts, refunds and stock written through the API: triggers dropped, CHECK constraints and foreign keys
 * off (as in the sqlite3 shell), then one direct change, deletion or insertion. `verify` must name the tampered table
 * in a problem every time — not merely fail for some other reason.
 */
const GROUPS: Record<string, Record<string, string[]>> = {
  receiving: { deliveries: ['id'], delivery_lines: ['delivery_id', 'line_no'], delivery_inspectors: ['delivery_id', 'user_id'] },
  fees: { fee_receipts: ['id'], fee_refunds: ['id'], cash_deposits: ['id'], cash_clearings: ['day'] },
  storeroom: { stock_lots: ['id'], stock_movements: ['seq', 'id'], stock_issues: ['id'] },
  students: { students: ['id'], subsidy_batches: ['id'], subsidy_meals: ['student_id', 'meal_date'], subsidy_receipts: ['id'], school_days: ['day'] },
  payables: { supplier_statements: ['supplier_id', 'month'], supplier_payments: ['id'] },
  numbering: { doc_counters: ['series', 'year'] },
  counts: { stock_counts: ['id'], stock_count_lines: ['count_id', 'lot_id'], attachments: ['id'], meal_plans: ['code'] },
};
const PER_GROUP = 120;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = Record<string, unknown>;

let t: ReturnType<typeof tempLedger>;
let baseline: string;
let work: string;

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
  work = fs.mkdtempSync(path.join(path.dirname(t.file), 'tamper-'));
}, 300_000);
afterAll(() => t?.cleanup());

function freshCopy(i: number): Database.Database {
  const file = path.join(work, `t${i % 4}.sqlite`);
  fs.copyFileSync(baseline, file);
  const db = new Database(file);
  db.pragma('foreign_keys = OFF');
  db.pragma('ignore_check_constraints = ON');
  db.pragma('synchronous = OFF');
  const triggers = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger'`).all() as { name: string }[];
  db.transaction(() => {
    for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
  })();
  return db;
}

const where = (keys: string[]) => keys.map((k) => `"${k}" IS ?`).join(' AND ');

function variants(old: unknown, others: unknown[], rnd: () => number): unknown[] {
  const pick = others[Math.floor(rnd() * others.length)];
  if (typeof old === 'string') return [`${old}x`, old.slice(1), `改${old}`, pick, '', old.replace(/\d/, (d) => String((Number(d) + 1) % 10)), '2026-01-01', null];
  if (typeof old === 'number') return [old + 1, old - 1, -old, 0, old * 10 + 7, pick, null];
  return ['x', 0, 1, pick, '2020-01-01'];
}

/** One random tampering of `table`; a description, or null when the chosen operation was impossible (then retried). */
function tamper(db: Database.Database, table: string, keys: string[], op: 'change' | 'delete' | 'insert', rnd: () => number): string | null {
  const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Row[];
  if (rows.length === 0) return null;
  const row = rows[Math.floor(rnd() * rows.length)];
  const keyVals = keys.map((k) => row[k]);
  try {
    if (op === 'delete') {
      return db.prepare(`DELETE FROM "${table}" WHERE ${where(keys)}`).run(...keyVals).changes === 1 ? `delete ${table} ${JSON.stringify(keyVals)}` : null;
    }
    if (op === 'change') {
      const cols = Object.keys(row);
      const col = cols[Math.floor(rnd() * cols.length)];
      const vs = variants(row[col], rows.map((r) => r[col]), rnd);
      for (let tries = 0; tries < 6; tries++) {
        const v = vs[Math.floor(rnd() * vs.length)];
        if (v === row[col] || v === undefined) continue;
        try {
          if (db.prepare(`UPDATE "${table}" SET "${col}" = ? WHERE ${where(keys)}`).run(v, ...keyVals).changes === 1) {
            return `change ${table}.${col} of ${JSON.stringify(keyVals)}: ${JSON.stringify(row[col])} → ${JSON.stringify(v)}`;
          }
        } catch {
          /* NOT NULL, UNIQUE or STRICT type: try another value */
        }
      }
      return null;
    }
    // insert: a copy of an existing row under a new key (a child row stays under its parent: a forged extra line)
    const copy: Row = { ...row };
    const own = keys.length > 1 && table !== 'stock_movements' ? keys.slice(-1) : keys;
    for (const k of own) {
      if (typeof copy[k] === 'number') copy[k] = (db.prepare(`SELECT max("${k}") AS m FROM "${table}"`).get() as { m: number }).m + 1;
      else copy[k] = `${String(copy[k]).slice(0, -4)}${Math.floor(rnd() * 9000 + 1000)}`;
    }
    const cols = Object.keys(copy);
    const ins = db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    try {
      ins.run(...cols.map((c) => copy[c]));
    } catch {
      for (const c of cols) if (!keys.includes(c) && typeof copy[c] === 'string' && !/^[[{]/.test(copy[c] as string)) copy[c] = `${String(copy[c])}·`;
      try {
        ins.run(...cols.map((c) => copy[c]));
      } catch {
        return null;
      }
    }
    return `insert ${table} ${JSON.stringify(keys.map((k) => copy[k]))}`;
  } catch {
    return null;
  }
}

describe('verify catches tampering with the domain tables', () => {
  it('the untouched demo ledger verifies clean, with the domain tables covered', () => {
    const db = new Database(baseline, { readonly: true });
    const r = verifyLedger(db);
    db.close();
    expect(r.problems).toEqual([]);
    for (const tables of Object.values(GROUPS)) for (const table of Object.keys(tables)) expect(r.coveredTables[table]).toBeGreaterThan(0);
  });

  it('a direct change of a posted receipt amount is named', () => {
    const db = freshCopy(0);
    db.prepare(`UPDATE fee_receipts SET amount_fen = amount_fen - 100 WHERE rowid = (SELECT min(rowid) FROM fee_receipts)`).run();
    const r = verifyLedger(db);
    db.close();
    expect(r.ok).toBe(false);
    expect(r.problems.some((p) => p.table === 'fee_receipts' && p.message.includes('收据') && p.message.includes('amount_fen'))).toBe(true);
  });

  for (const [group, tables] of Object.entries(GROUPS)) {
    it(`${group}: at least ${PER_GROUP} random changes, deletions and insertions, every one caught and named`, () => {
      const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
      const rnd = mulberry32(seed);
      const ops = ['change', 'delete', 'insert'] as const;
      const counts = { change: 0, delete: 0, insert: 0 };
      const perTable: Record<string, number> = {};
      const missed: string[] = [];
      const names = Object.keys(tables);
      for (let i = 0; counts.change + counts.delete + counts.insert < PER_GROUP && i < PER_GROUP * 20; i++) {
        const op = ops.reduce((a, o) => (counts[o] < counts[a] ? o : a), ops[i % 3]);
        const table = names[i % names.length];
        const db = freshCopy(i);
        const what = tamper(db, table, tables[table], op, rnd);
        if (!what) {
          db.close();
          continue;
        }
        counts[op]++;
        perTable[table] = (perTable[table] ?? 0) + 1;
        const r = verifyLedger(db);
        db.close();
        if (!r.problems.some((p) => p.table === table)) missed.push(`${what} → ${r.ok ? 'passed' : r.first!.message}`);
      }
      console.log(`tampering ${group} (seed ${seed}): ${JSON.stringify(counts)}; per table ${JSON.stringify(perTable)}; missed ${missed.length}`);
      expect(missed).toEqual([]);
      expect(counts.change + counts.delete + counts.insert).toBeGreaterThanOrEqual(PER_GROUP);
      expect(Math.min(counts.change, counts.delete, counts.insert)).toBeGreaterThanOrEqual(PER_GROUP / 3 - 1);
      for (const table of names) expect(perTable[table]).toBeGreaterThan(0);
    }, 600_000);
  }
});
