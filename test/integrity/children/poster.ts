// Child for the crash-safety test: posts money documents in a loop until it is SIGKILLed. After each post returns it
// appends the acknowledged id to the ack file (one write per line), so the parent knows what must have survived.
// It imports only the core it needs (not the whole registry): starting a process 200+ times must stay cheap.
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import type { Ctx, Session } from '../../../electron/core/context.ts';
import { openLedger } from '../../../electron/core/db/open.ts';
import { postEntry } from '../../../electron/core/ledger/journal.ts';
import { acquireWriterLock } from '../../../electron/core/integrity/writer-lock.ts';

const [file, ackFile, tag] = process.argv.slice(2);
acquireWriterLock(file, 'crash-test');
const db = openLedger(file);
const admin = db.prepare(`SELECT id, username, display_name FROM users WHERE username = 'admin'`).get() as { id: string; username: string; display_name: string };
let session: Session | null = { userId: admin.id, username: admin.username, displayName: admin.display_name, roles: ['admin'] };
const ctx: Ctx = {
  db,
  now: () => new Date(),
  installationId: (db.prepare('SELECT id FROM installation').get() as { id: string }).id,
  dataDir: path.dirname(path.resolve(file)),
  get session() {
    return session;
  },
  setSession(s) {
    session = s;
  },
};
const ack = fs.openSync(ackFile, 'a');
// Every poster is SIGKILLed, so none would write Node's compile cache at exit: write it now (test/helpers/child-env.ts).
module.flushCompileCache();
process.stdout.write('ready\n');

for (let i = 0; ; i++) {
  // A money document: a three-line balanced entry, posted in one IMMEDIATE transaction as the dispatcher runs a
  // writing handler (journal row, postings, 'posted' flip and audit entry land together or not at all).
  const amount = 1 + ((i * 7919) % 100_000);
  const id = db
    .transaction(() =>
      postEntry(ctx, {
        date: '2026-09-15',
        memo: `入库 ${tag}-${i}`,
        sourceType: 'crash-test',
        sourceId: `${tag}-${i}`,
        postings: [
          { account: 'expense:grain', amountFen: amount },
          { account: 'expense:vegetable', amountFen: 37 },
          { account: 'bank', amountFen: -(amount + 37) },
        ],
      }),
    )
    .immediate();
  fs.writeSync(ack, `je ${id}\n`);
}
