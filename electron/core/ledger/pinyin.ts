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

/**
 * Matching anywhere in a row's name, pinyin initials or full pinyin ("ly" → 杭州绿源…, whose initials are
 * "hzlyncp…"), the rule shared/pinyin-match.ts applies to lists the renderer holds. Binds @q (as typed), @lower and
 * @contains (pinyinSearchParams). `exact` is 1 when the whole text is the name or a key; `position` is where the match
 * starts, in characters of the name (a full-pinyin match scaled from its letter offset), for ranking earlier matches
 * first. The keys are short, so a LIKE over a few thousand rows costs about a millisecond (PERFORMANCE.md).
 */
export function pinyinSearchSql(t: string): { where: string; exact: string; position: string } {
  const at = (col: string) => `nullif(instr(${col}, @lower), 0)`;
  return {
    where: `(@q = '' OR ${t}.name LIKE @contains ESCAPE '\\' OR ${t}.py_initials LIKE @contains ESCAPE '\\' OR ${t}.py_full LIKE @contains ESCAPE '\\')`,
    exact: `(@q <> '' AND (lower(${t}.name) = @lower OR ${t}.py_initials = @lower OR ${t}.py_full = @lower))`,
    position: `coalesce(min(coalesce(${at(`lower(${t}.name)`)}, 999), coalesce(${at(`${t}.py_initials`)}, 999),
      coalesce(1 + (${at(`${t}.py_full`)} - 1) * length(${t}.py_initials) / max(length(${t}.py_full), 1), 999)), 999)`,
  };
}

export function pinyinSearchParams(q: string): { q: string; lower: string; contains: string } {
  const lower = q.toLowerCase();
  return { q, lower, contains: likeContains(lower) };
}
