import { pinyinExact, pinyinMatchPosition } from '../../../shared/pinyin-match.ts';

/** A select option that carries the pinyin keys of its label (receiving.people gives them with each person). */
export interface PinyinOption {
  value: string;
  label: string;
  pyInitials: string;
  pyFull: string;
  /** Recent use (e.g. deliveries inspected lately): more comes first. */
  recent?: number;
}

const keyed = (o: PinyinOption) => ({ name: o.label, pyInitials: o.pyInitials, pyFull: o.pyFull });

/**
 * antd Select's showSearch for a list the page already holds: initials or full pinyin anywhere in the name ("xf" finds
 * 欧阳晓峰), the same rule as the core's searches (shared/pinyin-match.ts); ranked by the whole text matching, then
 * recent use, then where the match starts.
 */
export const pinyinShowSearch = {
  filterOption: (input: string, option?: PinyinOption) => !!option && pinyinMatchPosition(input, keyed(option)) !== null,
  filterSort: (a: PinyinOption, b: PinyinOption, { searchValue }: { searchValue: string }) =>
    Number(pinyinExact(searchValue, keyed(b))) - Number(pinyinExact(searchValue, keyed(a))) ||
    (b.recent ?? 0) - (a.recent ?? 0) ||
    (pinyinMatchPosition(searchValue, keyed(a)) ?? 999) - (pinyinMatchPosition(searchValue, keyed(b)) ?? 999),
};
