// Child for the one-writer test: opens the ledger for writing, says so, and holds it until killed.
import { openBackend } from '../../../electron/core/backend.ts';

const b = openBackend({ file: process.argv[2], lockHolder: 'app' });
process.stdout.write(`ready ${process.pid}\n`);
setInterval(() => b.db.prepare('SELECT 1').get(), 1000);
