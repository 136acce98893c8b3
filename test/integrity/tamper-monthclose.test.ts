import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger, type VerifyReport } from '../../electron/core/integrity/verify.ts';
import { quickVerify } from '../../electron/core/integrity/quick.ts';
import { septemberSchool, type SeptSchool } from '../core/monthclose-fixture.ts';
import { tamperableCopies, tamperRounds, tamperTargets } from './tamper-kit.ts';

/**
 * Month close's own records against the audit chain: the bank statement balances entered for the month, the
 * submit/close/reopen events (with the figures and checksum each close froze), the lock row in closed_periods and the
 * disclosure lists each close recorded (month_disclosures). The
 * hand-worked September of monthclose-fixture.ts is closed, reopened with a reason, given a second bank balance and
 * closed again; then one direct change, deletion or insertion at a time, and verify must name the table.
 */
// The registry's month close tables (tamper-kit.ts suiteOf), keyed by their primary keys.
const TABLES: Record<string, string[]> = tamperTargets('monthclose').monthclose;
const ROUNDS = 150;

let s: SeptSchool;
let baseline: string;
let work: string;

beforeAll(async () => {
  s = await septemberSchool();
  const b = s.w.b;
  // The package signing key (migration 0027), made before the closes so it is inside the seal quick verify compares.
  await b.loginAs('admin');
  await b.call('monthclose.signingKey', { schoolCode: '2135000101' });
  const close = async () => {
    await b.loginAs('accountant');
    await b.call('monthclose.submit', { month: '2026-09' });
    await b.loginAs('reviewer');
    await b.call('monthclose.approve', { month: '2026-09' });
  };
  await close();
  await b.call('monthclose.reopen', { month: '2026-09', reason: '银行对账单金额需更正' });
  await b.loginAs('accountant');
  await b.call('monthclose.setBankBalance', { month: '2026-09', account: 'bank', balanceFen: 10_000, note: '按银行盖章对账单重录' });
  await close();
  work = fs.mkdtempSync(path.join(path.dirname(b.file), 'tamper-mc-'));
  baseline = path.join(work, 'baseline.sqlite');
  await b.db.backup(baseline);
  fresh = tamperableCopies(baseline);
}, 300_000);
afterAll(() => s?.w.b.cleanup());

/** A fresh tamperable copy of the baseline, in memory (tamper-kit.ts). */
let fresh: () => Database.Database;

describe('verify catches tampering with month close records', () => {
  it('the closed, reopened and re-closed month verifies clean, with the four tables covered row by row', () => {
    const db = new Database(baseline, { readonly: true });
    const r = verifyLedger(db);
    const n = (t: string) => (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
    expect(r.problems).toEqual([]);
    // Two bank balances; submit, close, reopen, submit, close; one lock row; the lists of each close.
    expect([n('bank_statement_balances'), n('month_close_events'), n('closed_periods'), n('month_disclosures')]).toEqual([2, 5, 1, 2]);
    expect(r.coveredTables).toMatchObject({ bank_statement_balances: 2, month_close_events: 5, closed_periods: 1, month_disclosures: 2 });
    expect(r.uncoveredTables).toEqual([]);
    db.close();
  });

  it('a lock row deleted (the month quietly reopened) and one inserted (a month locked without a close) are named', () => {
    let db = fresh();
    db.prepare(`DELETE FROM closed_periods WHERE period = '2026-09'`).run();
    let r = verifyLedger(db);
    db.close();
    expect(r.problems.some((p) => p.table === 'closed_periods' && p.id === '2026-09' && p.message.includes('缺失'))).toBe(true);
    db = fresh();
    db.prepare(`INSERT INTO closed_periods (period, closed_at, closed_by) SELECT '2026-10', closed_at, closed_by FROM closed_periods`).run();
    r = verifyLedger(db);
    db.close();
    expect(r.problems.some((p) => p.table === 'closed_periods' && p.id === '2026-10')).toBe(true);
  });

  it('the lists a close recorded, changed behind the app, are named with their column', () => {
    const db = fresh();
    db.prepare(`UPDATE month_disclosures SET lists = json_set(lists, '$.adjustmentNotes', json_array('改过的说明')) WHERE revision = 1`).run();
    const r = verifyLedger(db);
    db.close();
    expect(r.problems.some((p) => p.table === 'month_disclosures' && p.message.includes('lists'))).toBe(true);
  });

  it('a bank balance changed behind the app is named with its column', () => {
    const db = fresh();
    db.prepare(`UPDATE bank_statement_balances SET balance_fen = 99_999 WHERE seq = (SELECT max(seq) FROM bank_statement_balances)`).run();
    const r = verifyLedger(db);
    db.close();
    expect(r.problems.some((p) => p.table === 'bank_statement_balances' && p.message.includes('balance_fen'))).toBe(true);
  });

  it(`at least ${ROUNDS} random changes, deletions and insertions, every one caught and named`, () => {
    expect(TABLES).toMatchObject({ bank_statement_balances: ['seq'], month_close_events: ['seq'], closed_periods: ['period'], month_disclosures: ['month', 'revision'], signing_keys: ['seq'] });
    const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
    const { counts, perTable, missed } = tamperRounds({ tables: TABLES, rounds: ROUNDS, seed, fresh, verify: (db) => verifyLedger(db) });
    console.log(`tampering month close (seed ${seed}): ${JSON.stringify(counts)}; per table ${JSON.stringify(perTable)}; missed ${missed.length}`);
    expect(missed).toEqual([]);
    expect(counts.change + counts.delete + counts.insert).toBeGreaterThanOrEqual(ROUNDS);
    expect(Math.min(counts.change, counts.delete, counts.insert)).toBeGreaterThanOrEqual(ROUNDS / 3 - 1);
    for (const table of Object.keys(TABLES)) expect(perTable[table]).toBeGreaterThan(0);
  }, 600_000);

  /**
   * The same kind of tampering against verify --quick (issue 19). The re-close is the newest seal and nothing was written
   * after it, so every row here is from before the seal: quick catches what the seal no longer matches — every
   * deletion and insertion (a table's row count or highest rowid differs from the seal's) — and leaves a change made
   * in place to the full verify (the test above catches all of them). Stated in docs/PERFORMANCE.md.
   */
  it(`${ROUNDS} more against quick verify: every deletion and insertion caught by the seal; changes in place left to the full verify`, () => {
    const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
    const quick = (db: Database.Database): VerifyReport => {
      const q = quickVerify(db);
      expect(q.sealed).not.toBeNull();
      return { ok: q.problems.length === 0, problems: q.problems, first: q.problems[0] ?? null, auditEntries: q.auditEntries, journalEntries: 0, coveredTables: q.coveredTables, uncoveredTables: [], attachmentFiles: null, anchors: [] };
    };
    const { counts, missed } = tamperRounds({ tables: TABLES, rounds: ROUNDS, seed, fresh, verify: quick });
    const missedChanges = missed.filter((m) => m.startsWith('change '));
    console.log(`quick verify, month close (seed ${seed}): ${JSON.stringify(counts)}; changes in place not proved by quick: ${missedChanges.length} of ${counts.change}`);
    expect(missed.filter((m) => !m.startsWith('change '))).toEqual([]);
    expect(counts.delete + counts.insert).toBeGreaterThanOrEqual((2 * ROUNDS) / 3 - 2);
  }, 600_000);
});
