/**
 * Matching typed text against a name and its pinyin keys anywhere in the name (issue 15): "ly" finds 杭州绿源…, whose
 * initials are "hzlync…", as "lvyuan" and "绿源" do. The core's SQL searches (electron/core/ledger/pinyin.ts pinyinSearchSql)
 * apply the same rule; this copy serves lists the renderer already holds (inspectors, users), so it needs no pinyin
 * dictionary: the keys come with the rows.
 */
export interface PinyinKeyed {
  name: string;
  pyInitials: string;
  pyFull: string;
}

/**
 * Where the text matches, as a character position in the name (1 = from the start), or null when it does not match.
 * A full-pinyin match is placed proportionally (its letter offset scaled to the name's length), so "yuan" in
 * "lvyuan" counts as the second character. An empty text matches everything at position 1.
 */
export function pinyinMatchPosition(q: string, item: PinyinKeyed): number | null {
  const t = q.trim().toLowerCase();
  if (!t) return 1;
  const found: number[] = [];
  const inName = item.name.toLowerCase().indexOf(t);
  if (inName >= 0) found.push(inName + 1);
  const inInitials = item.pyInitials.indexOf(t);
  if (inInitials >= 0) found.push(inInitials + 1);
  const inFull = item.pyFull.indexOf(t);
  if (inFull >= 0) found.push(1 + Math.floor((inFull * item.pyInitials.length) / Math.max(item.pyFull.length, 1)));
  return found.length ? Math.min(...found) : null;
}

/** The whole typed text is the name or one of its keys ("qc" for 青菜). */
export function pinyinExact(q: string, item: PinyinKeyed): boolean {
  const t = q.trim().toLowerCase();
  return t !== '' && (item.name.toLowerCase() === t || item.pyInitials === t || item.pyFull === t);
}

/**
 * The rows that match, best first: an exact match, then the most used recently (`recent`, e.g. deliveries inspected
 * in the last 90 days), then the earliest match, then the name. The order of rows with equal keys is kept.
 */
export function pinyinFilter<T extends PinyinKeyed>(q: string, rows: readonly T[], recent: (row: T) => number = () => 0): T[] {
  const scored: { row: T; exact: number; recent: number; pos: number; i: number }[] = [];
  rows.forEach((row, i) => {
    const pos = pinyinMatchPosition(q, row);
    if (pos !== null) scored.push({ row, exact: pinyinExact(q, row) ? 0 : 1, recent: recent(row), pos, i });
  });
  scored.sort((a, b) => a.exact - b.exact || b.recent - a.recent || a.pos - b.pos || a.i - b.i);
  return scored.map((s) => s.row);
}
