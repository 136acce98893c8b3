/**
 * Which tables and indexes a save and a post of a 30-line delivery write, in WAL pages (a durable commit costs by its
 * size, see durable-commit.ts): runs them on a copy of a bench ledger, reads the page numbers of the WAL's frames
 * after each, and names each page's b-tree from `dbstat`.
 *   node scripts/bench/wal-pages.ts LEDGER [RESULTS.json]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openBackend } from '../../electron/core/backend.ts';
import { loginAs, thirtyLineDraft } from './bench-session.ts';
import { monthDays } from './build-ledger.ts';

const [, , source, out] = process.argv;
const meta = JSON.parse(fs.readFileSync(`${source}.json`, 'utf8')) as { months: string[] };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-walpages-'));
const file = path.join(work, 'l.sqlite');
fs.copyFileSync(source, file);
const lastDay = monthDays(meta.months.at(-1)!).at(-1)!;
const b = openBackend({ file, now: () => new Date(`${lastDay}T03:00:00Z`), lockHolder: 'bench' });
const pageSize = b.db.pragma('page_size', { simple: true }) as number;

/** The page numbers in the WAL's frames since the last checkpoint (frame header: page number, big-endian, first). */
function walPages(): number[] {
  const buf = fs.readFileSync(`${file}-wal`);
  const pages: number[] = [];
  for (let off = 32; off + 24 + pageSize <= buf.length; off += 24 + pageSize) pages.push(buf.readUInt32BE(off));
  return pages;
}
loginAs(b, 'storekeeper');
const draftOf = thirtyLineDraft(b, lastDay);

const frames: Record<string, number[][]> = { saveDraft: [], post: [] };
for (let i = 0; i < 5; i++) {
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  const v = await b.invoke('receiving.saveDraft', { id: null, draft: draftOf(i) });
  if (!v.ok) throw new Error(JSON.stringify(v.error));
  frames.saveDraft.push(walPages());
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  const p = await b.invoke('receiving.post', { id: (v.value as { id: string }).id });
  if (!p.ok) throw new Error(JSON.stringify(p.error));
  frames.post.push(walPages());
}
// dbstat reads every page: once, for the pages the runs wrote.
const wanted = new Set(Object.values(frames).flat(2));
const owner = new Map<number, string>();
for (const r of b.db.prepare('SELECT name, pageno FROM dbstat').iterate() as Iterable<{ name: string; pageno: number }>) {
  if (wanted.has(r.pageno)) owner.set(r.pageno, r.name);
}
b.close();
fs.rmSync(work, { recursive: true, force: true });

const result: Record<string, unknown> = { ledger: source, pageSize, at: new Date().toISOString() };
for (const [op, runs] of Object.entries(frames)) {
  const byName = new Map<string, number>();
  for (const run of runs) for (const pg of new Set(run)) byName.set(owner.get(pg) ?? '(freelist/header)', (byName.get(owner.get(pg) ?? '(freelist/header)') ?? 0) + 1);
  const perRun = Object.fromEntries([...byName].sort((x, y) => y[1] - x[1]).map(([k, n]) => [k, n / runs.length]));
  result[op] = { frames: runs.map((r) => r.length), distinctPages: runs.map((r) => new Set(r).size), byBtreePerRun: perRun };
  console.log(`${op}: frames ${runs.map((r) => r.length).join(' ')}, distinct pages ${runs.map((r) => new Set(r).size).join(' ')}`);
  for (const [k, n] of Object.entries(perRun)) console.log(`  ${String(n).padStart(5)}  ${k}`);
}
if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2));
