import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { quickVerify } from '../../electron/core/integrity/quick.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { buildLedger } from '../../scripts/bench/build-ledger.ts';
import { loginAs } from '../../scripts/bench/bench-session.ts';
import { tempLedger } from '../helpers/backend.ts';
import { restoreTriggers, tamperableCopy } from './tamper-kit.ts';

/**
 * The sealed quick verify (issue 19): each close seals what every table holds (integrity/seal.ts); `verify --quick`
 * proves the chain from the newest intact seal on, every row group written since in full, and the snapshot tables
 * against the seal. Tampering after the seal is caught; tampering before it is caught where the seal no longer
 * matches (rows deleted from or added to a table nobody wrote since); a row present at the seal changed in place is
 * left to the full verify — both are shown here. The ledger: the benchmark's generator, a school year with every
 * month but the last closed.
 */
let t: ReturnType<typeof tempLedger>;
let months: string[];
let n = 0;

beforeAll(async () => {
  t = tempLedger();
  months = (await buildLedger(t.file, { years: 1, students: 60, linesPerMonth: 60, mealStudents: 20, ingredients: 40, close: true })).months;
}, 240_000);
afterAll(() => t?.cleanup());

/** A copy of the ledger tampered with by `edit` (triggers dropped while editing, as with the sqlite3 shell). */
function tampered(edit: (db: Database.Database) => void): Database.Database {
  const db = tamperableCopy(t.file, path.join(t.dir, `copy-${++n}.sqlite`));
  edit(db);
  // Put back as a careful tamperer would: the edit must be found in the rows, not through the missing triggers.
  restoreTriggers(db);
  return db;
}

const closeSeq = (db: Database.Database, month: string) =>
  (db.prepare(`SELECT max(seq) AS s FROM audit_log WHERE entity = 'month_close' AND action = 'close' AND entity_id = ?`).get(month) as { s: number }).s;

describe('verify --quick from the newest month-close seal', { timeout: 120_000 }, () => {
  it('a clean ledger: sealed at the newest close, nothing found; the full verify agrees', () => {
    const db = new Database(t.file, { readonly: true });
    const q = quickVerify(db);
    expect(q.sealed).toEqual({ month: months.at(-2), revision: 1, seq: closeSeq(db, months.at(-2)!) });
    expect(q.problems).toEqual([]);
    // The open month was written after the seal: its groups were compared in full.
    expect(q.auditEntries).toBeGreaterThan(0);
    expect(q.coveredTables.fee_receipts).toBeGreaterThan(0);
    expect(verifyLedger(db).problems).toEqual([]);
    db.close();
  });

  it('after the seal: a receipt of the open month changed, and a row inserted — both caught by quick and full', () => {
    const open = months.at(-1)!;
    const db = tampered((d) => {
      const r = d.prepare(`SELECT id FROM fee_receipts WHERE receipt_date LIKE ? ORDER BY id LIMIT 1`).get(`${open}-%`) as { id: string };
      d.prepare('UPDATE fee_receipts SET amount_fen = amount_fen + 100 WHERE id = ?').run(r.id);
      const m = d.prepare('SELECT * FROM stock_movements ORDER BY rowid DESC LIMIT 1').get() as Record<string, unknown>;
      const cols = Object.keys(m);
      d.prepare(`INSERT INTO stock_movements (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => (c === 'id' ? `${String(m.id).slice(0, -4)}abcd` : c === 'seq' ? Number(m.seq) + 1000 : m[c])));
    });
    const q = quickVerify(db);
    expect(q.problems.some((p) => p.table === 'fee_receipts' && p.kind === 'tamper')).toBe(true);
    expect(q.problems.some((p) => p.table === 'stock_movements' && p.kind === 'tamper')).toBe(true);
    const full = verifyLedger(db);
    expect(full.problems.some((p) => p.table === 'fee_receipts')).toBe(true);
    expect(full.problems.some((p) => p.table === 'stock_movements')).toBe(true);
    db.close();
  });

  it('before the seal, in a table nobody wrote since (the bank balances): a deleted row breaks the seal', () => {
    const db = tampered((d) => d.prepare('DELETE FROM bank_statement_balances WHERE seq = (SELECT min(seq) FROM bank_statement_balances)').run());
    const q = quickVerify(db);
    expect(q.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^银行对账余额表自 .+月结封存以来没有经软件写入，行数却由 \d+ 变为 \d+（疑似被直接删除或插入）$/)]);
    expect(verifyLedger(db).problems.some((p) => p.table === 'bank_statement_balances')).toBe(true);
    db.close();
  });

  it('before the seal, a row changed in place (an old receipt): not proved by quick — the full verify catches it', () => {
    const db = tampered((d) => {
      const r = d.prepare(`SELECT id FROM fee_receipts WHERE receipt_date LIKE ? ORDER BY id LIMIT 1`).get(`${months[0]}-%`) as { id: string };
      d.prepare('UPDATE fee_receipts SET amount_fen = amount_fen + 100 WHERE id = ?').run(r.id);
    });
    expect(quickVerify(db).problems).toEqual([]);
    expect(verifyLedger(db).problems.some((p) => p.table === 'fee_receipts')).toBe(true);
    db.close();
  });

  it('the newest seal itself rewritten: named, and quick starts from the one before it', () => {
    const last = months.at(-2)!;
    const db = tampered((d) => {
      const seq = closeSeq(d, last);
      const after = JSON.parse((d.prepare('SELECT after FROM audit_log WHERE seq = ?').get(seq) as { after: string }).after);
      after.seal.tables.fee_receipts[0] += 1;
      d.prepare('UPDATE audit_log SET after = ? WHERE seq = ?').run(JSON.stringify(after), seq);
    });
    const q = quickVerify(db);
    expect(q.problems[0]).toMatchObject({ kind: 'audit_chain', seq: closeSeq(db, last) });
    expect(q.problems[0].message).toMatch(/月结（审计记录第 \d+ 条）的封存记录内容被改动$/);
    expect(q.sealed?.month).toBe(months.at(-3));
    db.close();
  });

  it('through the API: quick on a sealed ledger says what it left out; on an unsealed one it runs the full check', async () => {
    const b = openBackend({ file: t.file, now: () => new Date(`${months.at(-1)}-28T03:00:00.000Z`) });
    try {
      loginAs(b, 'accountant');
      const r = await b.invoke('integrity.verify', { quick: true });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      expect(r.value).toMatchObject({ ok: true, mode: 'quick', sealed: { month: months.at(-2), revision: 1 } });
      expect((r.value as { summary: string }).summary).toMatch(/^快速校验通过：自.+月结的封存（审计记录第 \d+ 条）以来的 \d+ 条审计记录首尾相接.*封存之前的数据未逐行核对，请定期做完整校验。$/);
    } finally {
      b.close();
    }
    const fresh = tempLedger();
    try {
      const u = openBackend({ file: fresh.file });
      u.close();
      const db = new Database(fresh.file, { readonly: true });
      expect(quickVerify(db).sealed).toBeNull();
      db.close();
    } finally {
      fresh.cleanup();
    }
    expect(fs.existsSync(t.file)).toBe(true);
  });
});
