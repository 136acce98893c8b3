import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** What the CLI says when --db or --out names the wrong thing (issue 20 item 9: raw EISDIR, a blank ledger made silently). */
const BIN = path.resolve(import.meta.dirname, '../../bin/canteen.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-cli-files-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function canteen(...args: string[]): { code: number | null; out: { code?: string; message?: string } } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, CANTEEN_PASSWORD: 'Yangguang-2026' }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout ? JSON.parse(r.stdout) : {} };
}

describe('the CLI and the files it is given', () => {
  it('an empty --db file is not made into a blank ledger: refused in Chinese, left as it was', () => {
    const empty = path.join(dir, 'empty.sqlite');
    fs.writeFileSync(empty, '');
    const r = canteen('--db', empty, '--user', 'admin', 'call', 'school.get', '{}');
    expect(r.code).toBe(1);
    expect(r.out).toEqual({ code: 'NOT_FOUND', message: `账本文件 ${empty} 是空文件（0 字节），里面没有账目；请检查 --db 指定的文件是否正确，新建账本请用 canteen init` });
    expect(fs.statSync(empty).size).toBe(0);
    expect(fs.existsSync(`${empty}-wal`)).toBe(false);
    const v = canteen('--db', empty, 'verify');
    expect(v.code).toBe(1);
    expect(v.out.message).toBe(`账本文件 ${empty} 是空文件（0 字节），里面没有账目；请检查 --db 指定的文件是否正确，新建账本请用 canteen init`);
    // init may start a ledger in it.
    expect(canteen('--db', empty, 'init', '--school', '阳光实验小学', '--admin', 'admin').code).toBe(0);
  });

  it('a folder as --db, or as a backup --out, is named as a folder', () => {
    const r = canteen('--db', dir, '--user', 'admin', 'call', 'school.get', '{}');
    expect(r.code).toBe(1);
    expect(r.out.message).toBe(`${dir} 是一个文件夹，不是账本文件；请用 --db 给出账本文件的路径（例如 ${path.join(dir, 'ledger.sqlite')}），或用 --data-dir 指定数据文件夹`);
    const b = canteen('--db', path.join(dir, 'empty.sqlite'), 'backup', '--out', dir);
    expect(b.code).toBe(1);
    expect(b.out.message).toBe(`${dir} 是一个文件夹；请给出备份文件名，例如 ${path.join(dir, '食堂账本备份.sqlite')}`);
  });

  it('a ledger whose pages are damaged is called damaged in Chinese, with what a restore would cost (was "database disk image is malformed")', () => {
    const file = path.join(dir, 'damaged.sqlite');
    expect(canteen('--db', file, 'init', '--school', '阳光实验小学', '--admin', 'admin').code).toBe(0);
    // Every page after the first overwritten, as a failing disk might.
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(size - 4096, 0xff), 0, size - 4096, 4096);
    fs.closeSync(fd);
    for (const args of [['verify'], ['--user', 'admin', 'call', 'school.get', '{}']]) {
      const r = canteen('--db', file, ...args);
      expect(r.code).toBe(1);
      expect(r.out.message).toMatch(/^账本文件已损坏（数据库检查：账本文件的数据页面损坏）。/);
      expect(r.out.message).toContain('复制保存一份');
      expect(r.out.message).not.toContain('malformed');
    }
  });
});
