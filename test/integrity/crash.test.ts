import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../electron/core/verify.ts';
import { setupBackend } from '../helpers/backend.ts';

/**
 * Crash safety: a child posts documents in a loop and is SIGKILLed at a random moment, at least 200 times. After
 * each kill the ledger must pass integrity_check, hold every post the child saw return, hold no half-written
 * document (an entry left 'open', a row without its audit entry), balance, and verify against its audit chain.
 */
const KILLS = Number(process.env.CRASH_KILLS ?? 200);

let dir: string;
let file: string;
beforeAll(async () => {
  const b = await setupBackend();
  file = b.file;
  dir = b.dir;
  b.close();
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function readAcks(f: string): string[] {
  if (!fs.existsSync(f)) return [];
  const text = fs.readFileSync(f, 'utf8');
  const lines = text.split('\n');
  lines.pop(); // the part after the last newline is a write cut short, or empty
  return lines;
}

async function runAndKill(round: number, ackFile: string, delayMs: number): Promise<{ killedWhileRunning: boolean; stderr: string }> {
  const child = spawn(process.execPath, ['test/integrity/children/poster.ts', file, ackFile, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  // Half the kills land while it opens (counting from spawn), half while it posts (counting from "ready").
  if (round % 2 === 0) {
    await new Promise<void>((r) => {
      child.stdout!.once('data', () => r());
      child.once('exit', () => r());
    });
  }
  await new Promise((r) => setTimeout(r, delayMs));
  const running = child.exitCode === null && child.signalCode === null;
  child.kill('SIGKILL');
  await exited;
  return { killedWhileRunning: running, stderr };
}

describe('crash safety under SIGKILL', () => {
  it(`survives ${KILLS} kills at random moments with nothing acknowledged lost and nothing half-written`, async () => {
    const ackFile = path.join(dir, 'acks.txt');
    let kills = 0;
    let rounds = 0;
    const acked = { je: new Set<string>() };
    while (kills < KILLS) {
      rounds++;
      if (rounds > KILLS * 2) throw new Error('the child keeps dying by itself');
      const delay = rounds % 2 === 0 ? Math.floor(Math.random() * 150) : Math.floor(Math.random() * 400);
      const r = await runAndKill(rounds, ackFile, delay);
      if (!r.killedWhileRunning) throw new Error(`the child exited before it was killed: ${r.stderr}`);
      kills++;
      for (const line of readAcks(ackFile)) {
        const [kind, id] = line.split(' ');
        if (kind === 'je') acked.je.add(id);
      }
      const db = new Database(file); // opening recovers the WAL, as the app's next start would
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const jes = new Set((db.prepare(`SELECT id FROM journal_entries`).all() as { id: string }[]).map((x) => x.id));
        for (const id of acked.je) expect(jes.has(id), `acknowledged entry ${id} lost after kill ${kills}`).toBe(true);
        expect(db.prepare(`SELECT count(*) AS n FROM journal_entries WHERE status <> 'posted'`).get()).toEqual({ n: 0 });
        expect(db.prepare(`SELECT coalesce(sum(amount_fen), 0) AS s FROM journal_postings`).get()).toEqual({ s: 0 });
        // Every entry has exactly its three postings (no half-written document).
        expect(db.prepare(`SELECT count(*) AS n FROM (SELECT entry_id FROM journal_postings GROUP BY entry_id HAVING count(*) <> 3)`).get()).toEqual({ n: 0 });
        const v = verifyLedger(db);
        expect(v.problems, `verify after kill ${kills}`).toEqual([]);
      } finally {
        db.close();
      }
    }
    const db = new Database(file, { readonly: true });
    const totals = db.prepare(`SELECT (SELECT count(*) FROM journal_entries) AS entries, (SELECT count(*) FROM audit_log) AS audit`).get() as { entries: number; audit: number };
    db.close();
    console.log(`crash safety: ${kills} SIGKILLs; acknowledged ${acked.je.size} journal entries, all present; ledger holds ${totals.entries} entries and ${totals.audit} audit entries, chain intact`);
    expect(acked.je.size).toBeGreaterThan(KILLS / 4); // the kills did land while posting
  }, 400_000);
});
