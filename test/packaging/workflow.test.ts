import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The hosted-CI workflow cannot run on these machines (no Electron download, no Windows). What can be checked here:
 * its YAML parses, its job graph is sound, every command it runs exists in this repository, and it does what issue 19
 * asks on both systems (tests, Electron downloaded, the smoke test through the window, installers as artefacts).
 */
const root = path.resolve(import.meta.dirname, '..', '..');
// js-yaml comes with electron-builder (which reads electron-builder.yml with it).
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  container?: string;
  needs?: string[];
  strategy?: { matrix: { include: { os: string; installers: string }[] } };
  steps: Step[];
}
const wf = yaml.load(fs.readFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'utf8')) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? s.run.split('\n').map((l) => l.trim()).filter(Boolean) : []));

describe('.github/workflows/ci.yml', () => {
  it('runs on pushes and pull requests with the three jobs, the Electron job after both test jobs', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['pull_request', 'push', 'workflow_dispatch']);
    expect(Object.keys(wf.jobs).sort()).toEqual(['electron', 'test-linux', 'test-windows']);
    expect(wf.jobs.electron.needs).toEqual(['test-linux', 'test-windows']);
    for (const [name, job] of Object.entries(wf.jobs)) for (const n of job.needs ?? []) expect(wf.jobs[n], `${name} needs ${n}`).toBeDefined();
    expect(wf.jobs.electron.strategy?.matrix.include.map((m) => m.os)).toEqual(['ubuntu-latest', 'windows-latest']);
  });

  it('uses only pinned, known actions', () => {
    const used = new Set(Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.uses ? [s.uses] : []))));
    expect([...used].sort()).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'actions/upload-artifact@v4']);
    for (const j of Object.values(wf.jobs)) {
      expect(j.steps[0].uses).toBe('actions/checkout@v4');
      for (const s of j.steps.filter((x) => x.uses === 'actions/setup-node@v4')) expect(s.with?.['node-version']).toBe(24);
    }
  });

  it('every command it runs exists: npm scripts in package.json, files in the repository', () => {
    const all = Object.values(wf.jobs).flatMap(runs);
    for (const line of all) {
      const script = /^(?:xvfb-run -a )?npm run ([\w:-]+)/.exec(line)?.[1];
      if (script) expect(scripts[script], line).toBeDefined();
      const file = /^(?:bash|node) ([\w./-]+)/.exec(line)?.[1];
      if (file) expect(fs.existsSync(path.join(root, file)), line).toBe(true);
    }
    expect(scripts.test).toBe('vitest run');
  });

  it('tests on Linux through .ci/run in Debian 12 with Node 24, and on Windows with npm ci and npm test', () => {
    expect(wf.jobs['test-linux'].container).toBe('node:24-bookworm');
    expect(runs(wf.jobs['test-linux'])).toEqual(['bash .ci/run']);
    expect(runs(wf.jobs['test-windows'])).toEqual(expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm test']));
    expect(wf.jobs['test-windows']['runs-on']).toBe('windows-latest');
  });

  it('downloads Electron, drives the real window (under Xvfb on Linux), builds NSIS and AppImage and keeps them', () => {
    const e = wf.jobs.electron;
    const lines = runs(e);
    const at = (l: string) => lines.indexOf(l);
    expect(at('node node_modules/electron/install.js')).toBeGreaterThan(at('npm ci --no-audit --no-fund'));
    expect(at('xvfb-run -a npm run smoke:electron')).toBeGreaterThan(at('node node_modules/electron/install.js'));
    expect(lines).toContain('npm run smoke:electron');
    expect(at('npm run dist -- ${{ matrix.installers }}')).toBeGreaterThan(at('xvfb-run -a npm run smoke:electron'));
    const installers = e.strategy?.matrix.include.map((m) => m.installers).join(' ');
    expect(installers).toContain('nsis');
    expect(installers).toContain('AppImage');
    const kept = e.steps.filter((s) => s.uses === 'actions/upload-artifact@v4').map((s) => String(s.with?.path));
    expect(kept.join('\n')).toContain('release/*.exe');
    expect(kept.join('\n')).toContain('release/*.AppImage');
  });
});
