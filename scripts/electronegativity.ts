/**
 * Runs @doyensec/electronegativity over the Electron sources and fails on any HIGH-severity finding.
 *
 * Why the resolver shim: electronegativity's TypeScript parser (@typescript-eslint/typescript-estree 4) needs the
 * `typescript` JS API, but the project's own TypeScript 7 is native and has none. Electronegativity ships its own
 * TypeScript 4 in its nested node_modules; requests for 'typescript' from its parser are sent there.
 *
 * Usage: node scripts/electronegativity.ts [dir=electron] [--json out.json]
 */
import Module, { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const engineDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json'));
const nestedTs = path.join(engineDir, 'node_modules', 'typescript', 'lib', 'typescript.js');

type Resolve = (request: string, parent: unknown, ...rest: unknown[]) => string;
const M = Module as unknown as { _resolveFilename: Resolve };
const original = M._resolveFilename;
M._resolveFilename = function (request, parent, ...rest) {
  if (request === 'typescript' && fs.existsSync(nestedTs)) return nestedTs;
  return original.call(this, request, parent, ...rest);
};

// Offline: the engine fetches translations and Electron release notes with `got`; this machine (and a school's PC)
// has no network for that, so every such request fails at once instead of waiting for a timeout.
const gotPath = createRequire(path.join(engineDir, 'dist', 'runner.js')).resolve('got');
const offlineGot = Object.assign(() => Promise.reject(new Error('offline')), { get: () => Promise.reject(new Error('offline')) });
(require.cache as Record<string, unknown>)[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offlineGot, children: [], paths: [] };

export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  column: number;
  description: string;
}

export async function scanElectron(input: string): Promise<{ findings: Finding[]; checks: number; errors: { file: string; message: string; tolerable: boolean }[] }> {
  const run = require('@doyensec/electronegativity') as (o: object) => Promise<{
    globalChecks: number;
    atomicChecks: number;
    errors: { file: string; message: string; tolerable: boolean }[];
    issues: { id: string; severity: { name: string }; confidence: { name: string }; file: string; location: { line: number; column: number }; description: string }[];
  }>;
  // The sources hold no package.json of their own: tell the engine which Electron the project builds with.
  const electronVersion = (JSON.parse(fs.readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
  // The release-notes check (AVAILABLE_SECURITY_FIXES) needs the network; offline it prints "No connectivity?",
  // which reads like a failure. Say plainly what was not checked instead.
  const log = console.log;
  let offlineNote = false;
  console.log = (...a: unknown[]) => {
    if (a.some((x) => typeof x === 'string' && x.includes('No connectivity?'))) offlineNote = true;
    else log(...a);
  };
  let r: Awaited<ReturnType<typeof run>>;
  try {
    r = await run({ input: path.resolve(input), isRelative: true, parserPlugins: [], electronVersionOverride: electronVersion });
  } finally {
    console.log = log;
  }
  if (offlineNote) console.log(`(offline: not checked whether Electron ${electronVersion} has newer security releases — that check needs the network)`);
  return {
    checks: r.globalChecks + r.atomicChecks,
    errors: r.errors,
    findings: r.issues.map((i) => ({
      id: i.id,
      severity: i.severity.name,
      confidence: i.confidence.name,
      file: i.file,
      line: i.location.line,
      column: i.location.column,
      description: i.description,
    })),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const out = jsonAt >= 0 ? args[jsonAt + 1] : null;
  const input = args.find((a, i) => !a.startsWith('--') && i !== jsonAt + 1) ?? 'electron';
  const r = await scanElectron(input);
  if (out) fs.writeFileSync(out, JSON.stringify(r, null, 2));
  for (const f of r.findings) console.log(`${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.id}  ${f.file}:${f.line}:${f.column}`);
  for (const e of r.errors.filter((e) => !e.tolerable)) console.log(`无法解析 ${e.file}: ${e.message}`);
  const high = r.findings.filter((f) => f.severity === 'HIGH');
  console.log(`electronegativity：${r.checks} 项检查，${r.findings.length} 个发现，其中高危 ${high.length} 个`);
  process.exit(high.length > 0 ? 1 : 0);
}
