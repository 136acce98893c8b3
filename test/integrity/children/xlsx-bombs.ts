// Child for zip-bomb.test.ts, run with a small heap (--max-old-space-size=256): passes every hostile workbook of
// zip-kit.ts through the real API as the people who may pick a file (the storekeeper's ingredient import, preview
// and commit; the cashier's roster preview), then a good file, and prints what each call answered and whether the
// ledger stayed as it was. Before issue 20 the lying bomb ended this process with "Reached heap limit" (exit 134).
import { setupBackend, tableDigest } from '../../helpers/backend.ts';
import { hostileWorkbooks, xlsxOf } from '../zip-kit.ts';

const b = await setupBackend();
const results: { file: string; method: string; ok: boolean; code?: string; message?: string; rows?: number; unchanged: boolean }[] = [];
const files = { ...hostileWorkbooks(), good: xlsxOf([['品名', '类别', '单位'], ['白菜', '蔬菜水果', '千克']]) };
for (const [file, bytes] of Object.entries(files)) {
  const data = bytes.toString('base64');
  const calls = [
    ['storekeeper', 'import.preview', { kind: 'ingredients', fileBase64: data }],
    ['storekeeper', 'import.commit', { kind: 'ingredients', fileBase64: data }],
    ['cashier', 'students.importPreview', { dataBase64: data }],
  ] as const;
  for (const [who, method, input] of calls) {
    if (file === 'good' && method === 'import.commit') continue;
    await b.loginAs(who);
    const before = tableDigest(b);
    // Progress on stderr: if the process dies, the test names the call that killed it.
    process.stderr.write(`calling ${method} with ${file}\n`);
    const r = await b.invoke(method, input);
    const rows = r.ok ? ((r.value as { rows?: unknown[] }).rows?.length ?? -1) : undefined;
    results.push({ file, method, ok: r.ok, ...(r.ok ? { rows } : { code: r.error.code, message: r.error.message }), unchanged: tableDigest(b) === before });
  }
}
b.cleanup();
process.stdout.write(`RESULT ${JSON.stringify(results)}\n`);
