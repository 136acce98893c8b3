import { pinyin } from 'pinyin-pro';

/**
 * Search keys for typing at the kitchen door: "bc" (initials) and "baicai" (full) both find 白菜. Letters and digits
 * in the name are kept as they are, lower-cased.
 */
export function pinyinKeys(name: string): { initials: string; full: string } {
  const initials = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  const full = pinyin(name, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return { initials, full };
}

/** A LIKE pattern that matches the text literally (no user-supplied wildcards). */
export function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
export function likePrefix(q: string): string {
  return `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
