/**
 * What a durable commit costs on this disk by its size: plain better-sqlite3, WAL, synchronous=FULL (as the ledger),
 * one transaction of N pages of 3.8 KB rows, 30 times each; writes bench-results/<date>-durable-commit.json.
 * The floor under posting (docs/PERFORMANCE.md): a post commits about 100 WAL pages.
 *   npx node scripts/bench/durable-commit.ts
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-durable-'));
const db = new Database(path.join(dir, 'd.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE t (x BLOB)');
const ins = db.prepare('INSERT INTO t VALUES (?)');
const results: Record<string, { medianMs: number; p95Ms: number; n: number }> = {};
for (const pages of [1, 25, 50, 100, 200]) {
  const xs: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    db.transaction(() => {
      for (let k = 0; k < pages; k++) ins.run(Buffer.alloc(3800, i));
    })();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  results[`${pages} pages`] = { medianMs: Math.round(xs[15] * 100) / 100, p95Ms: Math.round(xs[28] * 100) / 100, n: xs.length };
  console.log(`${pages} pages: median ${xs[15].toFixed(2)} ms, p95 ${xs[28].toFixed(2)} ms`);
}
db.close();
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync('bench-results', { recursive: true });
const out = `bench-results/${new Date().toISOString().slice(0, 10)}-durable-commit.json`;
fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), loadAvg: os.loadavg(), tmpdir: os.tmpdir(), results }, null, 2));
console.log(`wrote ${out}`);
