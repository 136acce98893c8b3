import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupsDir, createBackup } from '../../electron/core/backup.ts';
import { chainHeadOf, verifyLedger, verifyLedgerFile, type VerifyOptions } from '../../electron/core/verify.ts';
import type { TestBackend } from '../helpers/backend.ts';
import { ledgerWithHistory } from './fixture.ts';

/**
 * Tampering behind the app's back, as someone with the sqlite3 shell would: triggers dropped, CHECK constraints
 * ignored, then one direct change, deletion or insertion. `verify` must catch every one.
 */
const KEYS: Record<string, string[]> = {
  school: ['id'],
  users: ['id'],
  user_roles: ['user_id', 'role'],
  suppliers: ['id'],
  supplier_licences: ['supplier_id', 'kind'],
  ingredients: ['id'],
  journal_entries: ['id'],
  journal_postings: ['id'],
  accounts: ['code'],
  installation: ['id'],
  audit_log: ['seq'],
};
/**
 * Columns verify does not cover (said in the report): a posting's integer id and the singleton/created_at
 * bookkeeping columns carry no meaning of their own.
 */
const NOT_COVERED: Record<string, string[]> = {
  journal_postings: ['id'],
  installation: ['created_at', 'singleton'],
  school: ['singleton'],
};

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

let b: TestBackend;
let baseline: string;
let anchor: VerifyOptions['anchor'];
let work: string;

beforeAll(async () => {
  b = await ledgerWithHistory();
  const f = await createBackup(b.db, backupsDir(b.dir), 'daily', new Date());
  baseline = f.file;
  const head = chainHeadOf(baseline)!;
  anchor = { seq: head.seq, hash: head.hash, source: f.name };
  work = fs.mkdtempSync(path.join(b.dir, 'tamper-'));
}, 120_000);
afterAll(() => b?.cleanup());

function freshCopy(i: number): Database.Database {
  const file = path.join(work, `t${i % 4}.sqlite`);
  fs.copyFileSync(baseline, file);
  const db = new Database(file);
  db.pragma('ignore_check_constraints = ON');
  db.pragma('synchronous = OFF'); // a scratch copy: no need to wait for the disk
  const triggers = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger'`).all() as { name: string }[];
  db.transaction(() => {
    for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
  })();
  return db;
}

function where(keys: string[]): string {
  return keys.map((k) => `"${k}" IS ?`).join(' AND ');
}

function variants(old: unknown, others: unknown[], rnd: () => number): unknown[] {
  const pick = others[Math.floor(rnd() * others.length)];
  if (typeof old === 'string') return [`${old}x`, old.slice(1), `改${old}`, pick, '', old.toUpperCase(), old.replace(/\d/, (d) => String((Number(d) + 1) % 10)), '2026-01-01', null];
  if (typeof old === 'number') return [old + 1, old - 1, -old, 0, old * 10 + 7, pick, null];
  return ['x', 0, 1, pick, '2020-01-01'];
}

/** One random tampering; returns a description, or null when the chosen operation was impossible (then retried). */
function tamper(db: Database.Database, op: 'change' | 'delete' | 'insert', rnd: () => number): string | null {
  const tables = Object.keys(KEYS);
  const table = tables[Math.floor(rnd() * tables.length)];
  const keys = KEYS[table];
  const rows = db.prepare(`SELECT * FROM "${table}"`).all() as Row[];
  if (rows.length === 0) return null;
  const row = rows[Math.floor(rnd() * rows.length)];
  const keyVals = keys.map((k) => row[k]);
  try {
    if (op === 'delete') {
      const r = db.prepare(`DELETE FROM "${table}" WHERE ${where(keys)}`).run(...keyVals);
      return r.changes === 1 ? `delete ${table} ${JSON.stringify(keyVals)}` : null;
    }
    if (op === 'change') {
      const cols = Object.keys(row).filter((c) => !(NOT_COVERED[table] ?? []).includes(c));
      const col = cols[Math.floor(rnd() * cols.length)];
      const others = rows.map((r) => r[col]);
      const vs = variants(row[col], others, rnd);
      for (let tries = 0; tries < 6; tries++) {
        const v = vs[Math.floor(rnd() * vs.length)];
        if (v === row[col] || v === undefined) continue;
        try {
          const r = db.prepare(`UPDATE "${table}" SET "${col}" = ? WHERE ${where(keys)}`).run(v, ...keyVals);
          if (r.changes === 1) return `change ${table}.${col} of ${JSON.stringify(keyVals)}: ${JSON.stringify(row[col])} → ${JSON.stringify(v)}`;
        } catch {
          /* NOT NULL, UNIQUE or STRICT type: try another value */
        }
      }
      return null;
    }
    // insert: a copy of an existing row under new keys, with its text changed enough to pass UNIQUE constraints
    const copy: Row = { ...row };
    for (const k of keys) {
      if (typeof copy[k] === 'number') copy[k] = (db.prepare(`SELECT max("${k}") AS m FROM "${table}"`).get() as { m: number }).m + 1;
      else copy[k] = `${String(copy[k]).slice(0, -4)}${Math.floor(rnd() * 9000 + 1000)}`;
    }
    const cols = Object.keys(copy);
    const ins = db.prepare(`INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    try {
      ins.run(...cols.map((c) => copy[c]));
    } catch {
      for (const c of cols) if (!keys.includes(c) && typeof copy[c] === 'string' && !/^[\[{]/.test(copy[c] as string)) copy[c] = `${String(copy[c])}·`;
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

describe('verify catches tampering done with SQLite behind the app', () => {
  it('the untouched ledger and its backup verify clean (anchored on the backup)', () => {
    const r = verifyLedgerFile(b.file);
    expect(r.problems).toEqual([]);
    expect(r.anchor).toMatch(/daily/);
    expect(Object.keys(r.coveredTables).sort()).toEqual(
      ['accounts', 'doc_counters', 'ingredients', 'installation', 'journal_entries', 'journal_postings', 'meal_plans', 'school', 'supplier_licences', 'suppliers', 'user_roles', 'users',
        // migration 0006's month totals, recomputed from their source rows
        'account_month_totals', 'account_day_totals', 'stock_lot_categories', 'stock_month_totals', 'subsidy_meal_months'].sort(),
    );
    expect(r.journalEntries).toBe(5); // 4 posted + 1 reversal
    const db = new Database(baseline, { readonly: true });
    expect(verifyLedger(db, { anchor }).problems).toEqual([]);
    db.close();
  });

  it('a direct change of a supplier phone is named in the first problem', () => {
    const db = freshCopy(0);
    db.prepare(`UPDATE suppliers SET phone = '13999999999' WHERE name = '绿源蔬菜'`).run();
    const r = verifyLedger(db, { anchor });
    db.close();
    expect(r.ok).toBe(false);
    expect(r.first!.message).toContain('供应商');
    expect(r.first!.message).toContain('phone');
  });

  it('at least 500 random changes, deletions and insertions: every one caught', () => {
    const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
    const rnd = mulberry32(seed);
    const ops = ['change', 'delete', 'insert'] as const;
    const counts = { change: 0, delete: 0, insert: 0 };
    const missed: string[] = [];
    const perTable: Record<string, number> = {};
    for (let i = 0; counts.change + counts.delete + counts.insert < 540; i++) {
      const op = ops.reduce((a, o) => (counts[o] < counts[a] ? o : a), ops[i % 3]); // keep the three kinds even
      const db = freshCopy(i);
      const what = tamper(db, op, rnd);
      if (!what) {
        db.close();
        continue;
      }
      counts[op]++;
      const table = what.split(/[ .]/)[1];
      perTable[table] = (perTable[table] ?? 0) + 1;
      const r = verifyLedger(db, { anchor });
      db.close();
      if (r.ok) missed.push(what);
    }
    console.log(`tampering (seed ${seed}): ${JSON.stringify(counts)}; per table ${JSON.stringify(perTable)}; missed ${missed.length}`);
    expect(missed).toEqual([]);
    expect(counts.change + counts.delete + counts.insert).toBeGreaterThanOrEqual(500);
    expect(Math.min(counts.change, counts.delete, counts.insert)).toBeGreaterThanOrEqual(150);
  }, 400_000);

  it('the CLI verify exits non-zero naming the first broken entry; zero on a clean ledger', () => {
    const clean = path.join(work, 'cli-clean.sqlite');
    fs.copyFileSync(baseline, clean);
    const run = (file: string) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, ['bin/canteen.js', '--db', file, 'verify'], { encoding: 'utf8' }) };
      } catch (e) {
        const err = e as { status: number; stdout: string };
        return { code: err.status, out: err.stdout };
      }
    };
    const ok = run(clean);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('校验通过');
    const bad = path.join(work, 'cli-bad.sqlite');
    fs.copyFileSync(baseline, bad);
    const db = new Database(bad);
    db.exec('DROP TRIGGER journal_posting_no_update');
    db.prepare(`UPDATE journal_postings SET amount_fen = amount_fen + 100 WHERE id = (SELECT min(id) FROM journal_postings)`).run();
    db.close();
    const r = run(bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain('校验未通过');
    expect(r.out).toMatch(/借贷不平衡|记账分录/);
  }, 180_000);
});
