import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/backend.ts';
import { compileCacheEnv } from '../helpers/child-env.ts';
import { septemberSchool } from './monthclose-fixture.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/canteen.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function canteen(args: string[], input = ''): Promise<Run> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...compileCacheEnv(), CANTEEN_PASSWORD: PASSWORD };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** The hand-worked September of monthclose-fixture.ts, closed and exported through the real bin (real clock: after September). */
describe('close-month and export-month on the command line; the lock holds for call and batch', { timeout: 240_000 }, () => {
  let file: string;
  let dir: string;
  beforeAll(async () => {
    const s = await septemberSchool();
    file = s.w.b.file;
    dir = s.w.b.dir;
    s.w.b.close(); // the CLI takes the writer lock
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the accountant submits, the reviewer approves; each refuses the other’s step', async () => {
    const notYet = await canteen(['--db', file, '--user', 'reviewer', 'close-month', '2026-09']);
    expect(notYet.code).toBe(1);
    expect(JSON.parse(notYet.stdout).message).toBe('2026-09 尚未提交月结；月结须先由会计提交，赵校长不是会计');
    const sub = await canteen(['--db', file, '--user', 'accountant', 'close-month', '2026-09']);
    expect(sub.stderr).toBe('');
    expect(sub.code).toBe(0);
    expect(JSON.parse(sub.stdout)).toMatchObject({ action: 'submitted', status: 'submitted', revision: 1 });
    const again = await canteen(['--db', file, '--user', 'accountant', 'close-month', '2026-09']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).code).toBe('FORBIDDEN');
    const ok = await canteen(['--db', file, '--user', 'reviewer', 'close-month', '2026-09']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ action: 'approved', status: 'closed', revision: 1 });
    const usage = await canteen(['--db', file, '--user', 'reviewer', 'close-month', '2026-9']);
    expect(usage.code).toBe(2);
  });

  it('call and batch are refused in the closed month, and October is open', async () => {
    const entry = (date: string) => ({ date, kind: 'donation', amountFen: 500, method: 'bank', memo: '补记' });
    const r = await canteen(['--db', file, '--user', 'accountant', 'call', 'fund.recordIncome', JSON.stringify(entry('2026-09-20'))]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ code: 'LOCKED', message: '2026年9月已月结锁定，不能再记账；如需更正请由审核人填写理由后反结账' });
    const lines = [
      { method: 'fund.recordIncome', input: entry('2026-09-21') },
      { method: 'storeroom.issue', input: { date: '2026-09-29', meal: 'lunch', lines: [] } },
      { method: 'fund.recordIncome', input: entry('2026-10-09') },
    ];
    const b = await canteen(['--db', file, '--user', 'accountant', 'batch'], lines.map((l) => JSON.stringify(l)).join('\n'));
    expect(b.code).toBe(1);
    const out = b.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(out[0]).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    expect(out[1].ok).toBe(false);
    expect(out[2]).toMatchObject({ ok: true, value: { account: 'income:other' } });
  });

  it('export-month writes the workbook to --out with the closed figures', async () => {
    const target = path.join(dir, 'exports', '九月公示.xlsx');
    const r = await canteen(['--db', file, '--user', 'parent', 'export-month', '2026-09', '--out', target]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v).toMatchObject({ xlsx: target, revision: 1 });
    expect(v.checksum).toMatch(/^[0-9a-f]{64}$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(target);
    const ws = wb.getWorksheet('收支公示')!;
    let income: unknown[] = [];
    ws.eachRow((row) => {
      if (row.getCell(1).value === '二、本月收入') income = [row.getCell(2).value, row.getCell(3).value];
    });
    expect(income).toEqual([746, 746]);
    const again = await canteen(['--db', file, '--user', 'parent', 'export-month', '2026-09', '--out', target]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`文件 ${target} 已存在；如确要覆盖，请加 --force`);
    const forced = await canteen(['--db', file, '--user', 'parent', 'export-month', '2026-09', '--out', target, '--force']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ xlsx: target, revision: 1, checksum: v.checksum });
    const open = await canteen(['--db', file, '--user', 'accountant', 'export-month', '2026-10', '--out', path.join(dir, 'x.xlsx')]);
    expect(open.code).toBe(1);
    expect(JSON.parse(open.stdout).message).toBe('2026年10月尚未月结，审核通过后才能导出公示');
  });
});
