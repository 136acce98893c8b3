import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The documents a newcomer reads name files and folders; each must exist (issue 16: ARCHITECTURE.md placed files
 * where they were not). A path is a word in backticks or the diagram that starts with one of the repository's top
 * folders; `*` and `<…>` stand for any name, `NNNN_name` for a numbered migration, `…` for the rest of a path.
 */
const root = path.resolve(import.meta.dirname, '..', '..');
const TOP = ['electron', 'renderer', 'shared', 'scripts', 'test', 'docs', 'bin', 'build', '.ci', '.github'];
const DOCS = ['README.md', 'DEVELOPERS.md', 'docs/ARCHITECTURE.md', 'docs/PERFORMANCE.md'];

function pathsIn(text: string): string[] {
  const found = new Set<string>();
  const re = new RegExp(`(?<![\\w./-])((?:${TOP.map((t) => t.replace('.', '\\.')).join('|')})/[\\w./*<>…-]*)`, 'g');
  for (const m of text.matchAll(re)) found.add(m[1].replace(/[.…]+$/, '').replace(/\/$/, ''));
  return [...found];
}

function exists(p: string): boolean {
  // Patterns: each segment with * or <…> matches any entry of that folder.
  const segs = p.split('/').filter(Boolean);
  let dirs = [root];
  for (const seg of segs) {
    const next: string[] = [];
    for (const d of dirs) {
      if (/[*<]|NNNN/.test(seg)) {
        if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) continue;
        const re = new RegExp(`^${seg.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/<[^>]*>/g, '.+').replace('NNNN', '\\d{4}').replace('_name', '_.+')}$`);
        for (const e of fs.readdirSync(d)) if (re.test(e)) next.push(path.join(d, e));
      } else if (fs.existsSync(path.join(d, seg))) next.push(path.join(d, seg));
    }
    dirs = next;
  }
  return dirs.length > 0;
}

describe('paths named in the documents exist', () => {
  for (const doc of DOCS) {
    it(doc, () => {
      const text = fs.readFileSync(path.join(root, doc), 'utf8');
      const missing = pathsIn(text).filter((p) => !exists(p));
      expect(missing).toEqual([]);
    });
  }
});
