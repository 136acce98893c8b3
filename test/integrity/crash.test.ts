import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstBrokenAudit } from '../../electron/core/ledger/audit.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { setupBackend } from '../helpers/backend.ts';

/**
 * Crash safety: a child posts documents in a loop and is SIGKILLed at a random moment, at least 200 times in all. After
 * each kill the ledger must pass integrity_check, hold every post the child saw return, hold no half-written document
 * (an entry left 'open', an entry without all its postings), balance, and keep an intact audit chain; every tenth kill
 * (and the last) the full `verify` runs too. Two ledgers are worked on side by side to keep the wall time down.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 200);
const LEDGERS = 2;

interface Ledger {
  dir: string;
  file: string;
  ackFile: string;
  acked: Set<string>;
  kills: number;
}
const ledgers: Ledger[] = [];

beforeAll(async () => {
  for (let i = 0; i < LEDGERS; i++) {
    const b = await setupBackend();
    ledgers.push({ dir: b.dir, file: b.file, ackFile: path.join(b.dir, 'acks.txt'), acked: new Set(), kills: 0 });
    b.close();
  }
}, 120_000);
afterAll(() => {
  for (const l of ledgers) fs.rmSync(l.dir, { recursive: true, force: true });
});

function readAcks(f: string): string[] {
  if (!fs.existsSync(f)) return [];
  const lines = fs.readFileSync(f, 'utf8').split('\n');
  lines.pop(); // the part after the last newline is a write cut short, or empty
  return lines;
}

/** Starts a poster on the ledger and SIGKILLs it after a random delay (from spawn, or from its first post). */
async function runAndKill(l: Ledger, round: number): Promise<void> {
  const child = spawn(process.execPath, ['test/integrity/children/poster.ts', l.file, l.ackFile, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  if (round % 2 === 0) {
    await new Promise<void>((r) => {
      child.stdout!.once('data', () => r());
      child.once('exit', () => r());
    });
  }
  await new Promise((r) => setTimeout(r, Math.floor(Math.random() * (round % 2 === 0 ? 150 : 400))));
  const running = child.exitCode === null && child.signalCode === null;
  child.kill('SIGKILL');
  await exited;
  if (!running) throw new Error(`the child exited before it was killed: ${stderr}`);
  l.kills++;
}

function check(l: Ledger, full: boolean): void {
  for (const line of readAcks(l.ackFile)) l.acked.add(line.split(' ')[1]);
  const db = new Database(l.file); // opening recovers the WAL, as the app's next start would
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const present = new Set((db.prepare(`SELECT id FROM journal_entries`).all() as { id: string }[]).map((x) => x.id));
    const lost = [...l.acked].filter((id) => !present.has(id));
    expect(lost, `acknowledged entries lost after kill ${l.kills}`).toEqual([]);
    expect(db.prepare(`SELECT count(*) AS n FROM journal_entries WHERE status <> 'posted'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT coalesce(sum(amount_fen), 0) AS s FROM journal_postings`).get()).toEqual({ s: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM journal_entries e WHERE (SELECT count(*) FROM journal_postings p WHERE p.entry_id = e.id) <> 3`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM journal_entries e WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'journal_entry' AND a.entity_id = e.id)`).get()).toEqual({ n: 0 });
    expect(firstBrokenAudit(db)).toBeNull();
    if (full) expect(verifyLedger(db).problems, `verify after kill ${l.kills}`).toEqual([]);
  } finally {
    db.close();
  }
}

describe('crash safety under SIGKILL', () => {
  it(`survives ${KILLS} kills at random moments with nothing acknowledged lost and nothing half-written`, async () => {
    let round = 0;
    const total = () => ledgers.reduce((s, l) => s + l.kills, 0);
    while (total() < KILLS) {
      round++;
      await Promise.all(ledgers.map((l, i) => runAndKill(l, round * LEDGERS + i)));
      const last = total() >= KILLS;
      for (const l of ledgers) check(l, last || round % 10 === 0);
    }
    const acked = ledgers.reduce((s, l) => s + l.acked.size, 0);
    const entries = ledgers.reduce((s, l) => {
      const db = new Database(l.file, { readonly: true });
      const n = (db.prepare('SELECT count(*) AS n FROM journal_entries').get() as { n: number }).n;
      db.close();
      return s + n;
    }, 0);
    console.log(`crash safety: ${total()} SIGKILLs over ${LEDGERS} ledgers; ${acked} acknowledged journal entries, all present; ${entries} entries in all, none half-written, chains intact`);
    expect(acked).toBeGreaterThan(KILLS / 4); // the kills did land while posting
  }, 900_000);
});
