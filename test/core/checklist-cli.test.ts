import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../helpers/backend.ts';
import { septemberSchool } from './monthclose-fixture.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(root, 'bin/canteen.js');

function canteen(args: string[]): { code: number | null; out: unknown; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, CANTEEN_PASSWORD: PASSWORD }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

interface Left {
  item: string;
  missing: string[];
  how: string[];
}

/** September of monthclose-fixture.ts with everything done but the bank statement (book balance: the 100.00 donation). */
describe('canteen checklist: what is left of a month and the commands that do it', { timeout: 120_000 }, () => {
  let file: string;
  let dir: string;
  beforeAll(async () => {
    const s = await septemberSchool({ skipBank: true });
    file = s.w.b.file;
    dir = s.w.b.dir;
    s.w.b.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('names the one item left and prints the command with the book balance filled in; running it verbatim makes the month ready', () => {
    const before = canteen(['--db', file, '--user', 'accountant', 'checklist', '2026-09']);
    expect(before.code).toBe(0);
    const v = before.out as { status: string; ready: boolean; next: string; left: Left[] };
    expect(v.status).toBe('open');
    expect(v.ready).toBe(false);
    expect(v.left.map((l) => l.item)).toEqual(['银行存款余额已与对账单核对']);
    expect(v.left[0].missing).toEqual(['银行存款（食堂专户）：未录入银行对账单余额（账面 100.00 元）']);
    const command = v.left[0].how.find((h) => h.includes('monthclose.setBankBalance'));
    expect(command).toBe(
      `npx canteen --db ${file} --user <会计> call monthclose.setBankBalance '{"month":"2026-09","account":"bank","balanceFen":10000}'   # 银行存款（食堂专户）`,
    );
    // As a person would: paste it, put their user name in, run it in a shell.
    execFileSync('bash', ['-c', command!.replace('<会计>', 'accountant')], { cwd: root, env: { ...process.env, CANTEEN_PASSWORD: PASSWORD }, stdio: 'pipe' });

    const after = canteen(['--db', file, '--user', 'accountant', 'checklist', '2026-09']);
    const w = after.out as { ready: boolean; next: string; left: Left[] };
    expect(w.left).toEqual([]);
    expect(w.ready).toBe(true);
    expect(w.next).toBe(`清单已全部通过，会计提交月结：npx canteen --db ${file} --user <会计> close-month 2026-09，再由审核人审核：npx canteen --db ${file} --user <审核人> close-month 2026-09`);
  });

  it('a month number that is not YYYY-MM is a usage error', () => {
    const r = canteen(['--db', file, '--user', 'accountant', 'checklist', '2026-9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('命令 checklist 需要月份 YYYY-MM');
  });
});
