import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

describe('npm run smoke:electron without an Electron binary', () => {
  it('says it is skipped and why, exits 0, and does not claim to pass', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-no-electron-'));
    try {
      const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'smoke-electron.ts'), '--no-build'], {
        cwd: root,
        encoding: 'utf8',
        // An Electron folder that holds no executable: the same situation as a machine that could not download it.
        env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty },
        timeout: 60_000,
      });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('smoke:electron SKIPPED — no Electron binary');
      expect(r.stdout).toContain(empty);
      expect(r.stdout).toContain('这不是“通过”');
      expect(r.stdout).not.toContain('passed');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('npm run smoke:electron -- --core-only', () => {
  it("runs the smoke's own API steps against the core: a delivery posted, last month's notice exported", () => {
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'smoke-electron.ts'), '--core-only'], { cwd: root, encoding: 'utf8', timeout: 180_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/delivery YS\d{4}-\d{4} posted/);
    expect(r.stdout).toMatch(/month \d{4}-\d{2} exported by .*_伙食费公示\.xlsx, 校验码 [0-9a-f]{16}/);
    expect(r.stdout).toContain('This is NOT an Electron smoke test');
  }, 200_000);
});
