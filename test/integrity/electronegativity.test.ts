import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Does any source under electron/ open a window yet? Global checks (navigation, CSP) only mean something then. */
function opensWindow(dir: string): boolean {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') {
      if (opensWindow(p)) return true;
    } else if (/\.(ts|js|cjs|mjs)$/.test(e.name) && fs.readFileSync(p, 'utf8').includes('BrowserWindow(')) return true;
  }
  return false;
}

describe('electronegativity over electron/', () => {
  it.skipIf(!opensWindow('electron'))('reports no high-severity finding', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eneg-')), 'r.json');
    try {
      execFileSync(process.execPath, ['scripts/electronegativity.ts', 'electron', '--json', out], { stdio: 'pipe', timeout: 120_000 });
    } catch {
      // exit 1 means high findings; the JSON says which
    }
    const r = JSON.parse(fs.readFileSync(out, 'utf8')) as { checks: number; findings: { severity: string; id: string; file: string; line: number }[] };
    console.log(`electronegativity: ${r.checks} checks, ${r.findings.length} findings`);
    expect(r.checks).toBeGreaterThan(20);
    expect(r.findings.filter((f) => f.severity === 'HIGH').map((f) => `${f.id} ${f.file}:${f.line}`)).toEqual([]);
  }, 180_000);
});
