import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.ts';
import { buildLedger, PASSWORD } from '../../scripts/bench/build-ledger.ts';
import { tempLedger } from '../helpers/backend.ts';

/**
 * The CLI shows progress on stderr only when stderr is a terminal (issue 19): a script capturing stderr (or a log)
 * gets nothing extra, and stdout's JSON is the same either way. On a terminal the line is rewritten in place
 * ('\r' and erase-line) and cleared at the end.
 */
let t: ReturnType<typeof tempLedger>;
let months: string[];

beforeAll(async () => {
  t = tempLedger();
  months = (await buildLedger(t.file, { years: 1, students: 60, linesPerMonth: 60, mealStudents: 20, ingredients: 40, close: true })).months;
}, 240_000);
afterAll(() => t?.cleanup());

function io(tty: boolean) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: 200 } : {});
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  return { io: { stdin, stdout, stderr, env: { CANTEEN_PASSWORD: PASSWORD } }, out: () => out, err: () => err };
}

async function run(tty: boolean, args: string[]) {
  const x = io(tty);
  const code = await main(['--db', t.file, ...args], x.io);
  return { code, stdout: x.out(), stderr: x.err() };
}

describe('CLI progress on stderr', { timeout: 120_000 }, () => {
  it('stays silent when stderr is not a terminal: export, backup, verify', async () => {
    const xlsx = path.join(t.dir, 'plain.xlsx');
    const exp = await run(false, ['--user', 'accountant', 'export-month', months.at(-2)!, '--out', xlsx]);
    expect(exp).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(exp.stdout).xlsx).toBe(xlsx);
    const bak = await run(false, ['backup', '--out', path.join(t.dir, 'plain-backup.sqlite')]);
    expect(bak).toMatchObject({ code: 0, stderr: '' });
    const ver = await run(false, ['verify']);
    expect(ver.stderr).toBe('');
    expect(JSON.parse(ver.stdout).ok).toBe(true);
  });

  it('on a terminal, paints what it does in place and clears the line at the end; stdout unchanged', async () => {
    const xlsx = path.join(t.dir, 'tty.xlsx');
    const exp = await run(true, ['--user', 'accountant', 'export-month', months.at(-2)!, '--out', xlsx]);
    expect(exp.code).toBe(0);
    expect(JSON.parse(exp.stdout).xlsx).toBe(xlsx);
    expect(fs.existsSync(xlsx)).toBe(true);
    expect(exp.stderr).toContain('\r\x1b[K导出月结公示：核对月结校验码 0%');
    expect(exp.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(exp.stderr).not.toContain('\n');
    const bak = await run(true, ['backup', '--out', path.join(t.dir, 'tty-backup.sqlite')]);
    expect(bak.code).toBe(0);
    expect(bak.stderr).toMatch(/^\r\x1b\[K备份：复制账本数据 \d+%/);
    expect(bak.stderr.endsWith('\r\x1b[K')).toBe(true);
    const ver = await run(true, ['verify']);
    expect(ver.stderr).toContain('\r\x1b[K校验账本：');
    expect(JSON.parse(ver.stdout).ok).toBe(true);
  });
});
