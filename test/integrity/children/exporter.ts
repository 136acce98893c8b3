// Child for the litter test (issue 20 item 8): exports a closed month with its notice-board PDF through the real
// dispatcher, so LibreOffice runs as this process's converter; the parent SIGKILLs it mid-conversion and checks that
// no soffice process outlives it and that the next start removes its temp folder.
import path from 'node:path';
import { openBackend } from '../../../electron/core/backend.ts';

const [file, month, outDir] = process.argv.slice(2);
const b = openBackend({ file, lockHolder: 'litter-test' });
const admin = b.db.prepare(`SELECT id, username, display_name FROM users WHERE username = 'admin'`).get() as { id: string; username: string; display_name: string };
b.ctx.setSession({ userId: admin.id, username: admin.username, displayName: admin.display_name, roles: ['admin'] });
process.stdout.write(`ready ${path.resolve(file)}\n`);
const r = await b.invoke('monthclose.export', { month, dir: outDir, pdf: true });
process.stdout.write(`${JSON.stringify(r)}\n`);
b.close();
