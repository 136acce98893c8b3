import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Every command block of the README, run verbatim and in order, as a newcomer would paste them into one shell in the
 * repository (issue 19: the walkthrough used a user and a month the demo did not have). The folder is a scratch copy
 * of the repository's face — package.json, bin/ and node_modules/ linked — so `npx canteen` resolves as it does in
 * the repository and the files the commands write land in the scratch folder. Any non-zero exit fails the test.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-readme-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function blocks(md: string): string[] {
  return [...md.matchAll(/```(?:sh|bash)\n([\s\S]*?)```/g)].map((m) => m[1]);
}

describe('the README, verbatim', () => {
  const found = blocks(fs.readFileSync(path.join(root, 'README.md'), 'utf8'));
  it('has the command blocks of the CLI walkthrough', () => {
    expect(found.length).toBeGreaterThanOrEqual(4);
  });

  it('runs every command block in one shell, in order, each command exiting 0', { timeout: 600_000 }, () => {
    for (const f of ['package.json', 'bin', 'node_modules']) fs.symlinkSync(path.join(root, f), path.join(dir, f));
    // Each command echoed before it runs (set -x), so a failure names its line; -e stops at the first non-zero exit.
    const script = `set -euo pipefail\n${found.map((b, i) => `echo "=== block ${i + 1}" >&2\nset -x\n${b}set +x\n`).join('')}`;
    const { CANTEEN_PASSWORD: _p, CANTEEN_DB: _d, CANTEEN_DATA_DIR: _dd, CANTEEN_USER: _u, ...env } = process.env;
    const r = spawnSync('bash', ['-c', script], { cwd: dir, env: { ...env, TZ: 'Asia/Shanghai' }, encoding: 'utf8', timeout: 590_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail = r.stderr.split('\n').filter((l) => !/EBADENGINE|^npm warn|^npm notice/.test(l)).slice(-25).join('\n');
    expect(r.status, tail).toBe(0);
    // What the commands say they did is there.
    expect(fs.existsSync(path.join(dir, 'school.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(dir, '公示.xlsx'))).toBe(true);
    expect(fs.existsSync(path.join(dir, '食堂账本备份.sqlite'))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'methods.json'), 'utf8'))).toBeTruthy();
    expect(r.stdout).toContain('"action": "approved"');
  });
});
