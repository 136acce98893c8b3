import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.ts';
import { LATEST_VERSION } from '../../electron/core/db/open.ts';
import { tempLedger } from '../helpers/backend.ts';
import { writeSchema25Ledger } from '../helpers/old-ledger.ts';

/**
 * A command that opens a ledger of an older version upgrades it first (issue 19): on a terminal its stderr shows the
 * backup and each step of the ladder, painted in place and cleared at the end; a script capturing stderr gets nothing,
 * and stdout is the same either way.
 */
const dirs: { cleanup(): void }[] = [];
afterAll(() => {
  for (const d of dirs) d.cleanup();
});

async function run(tty: boolean) {
  const t = tempLedger('v25.sqlite');
  dirs.push(t);
  writeSchema25Ledger(t.file);
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: 200 } : {});
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const code = await main(['--db', t.file, 'call', 'setup.status'], { stdin, stdout, stderr, env: {} });
  const db = new Database(t.file, { readonly: true });
  const version = db.pragma('user_version', { simple: true });
  db.close();
  return { code, stdout: out, stderr: err, version };
}

describe('the CLI upgrading an old ledger', { timeout: 60_000 }, () => {
  it('says nothing on stderr when it is not a terminal', async () => {
    const r = await run(false);
    expect(r).toMatchObject({ code: 0, stderr: '', version: LATEST_VERSION });
    expect(JSON.parse(r.stdout)).toMatchObject({ initialized: false });
  });

  it('on a terminal, paints the backup and the steps in place, then clears the line', async () => {
    const r = await run(true);
    expect(r).toMatchObject({ code: 0, version: LATEST_VERSION });
    expect(JSON.parse(r.stdout)).toMatchObject({ initialized: false });
    const steps = LATEST_VERSION - 25;
    expect(r.stderr.startsWith('\r\x1b[K升级账本数据：升级前备份：复制账本数据')).toBe(true);
    // The copy is the first half of the backup's scale, its check the second.
    expect(r.stderr).toContain('\r\x1b[K升级账本数据：升级前备份：检查备份文件 50%');
    expect(r.stderr).toContain(`\r\x1b[K升级账本数据：第 1/${steps} 步 0026_menu_amendments：写入数据表 menus（读取 menus_0026）（300 行）`);
    expect(r.stderr).toContain(`\r\x1b[K升级账本数据：第 ${steps}/${steps} 步 `);
    // Steps in order: step 1 is painted before step 2.
    expect(r.stderr.indexOf(`第 1/${steps} 步`)).toBeLessThan(r.stderr.indexOf(`第 2/${steps} 步`));
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(r.stderr).not.toContain('\n');
  });
});
