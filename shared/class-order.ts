/**
 * Class names in the order a school lists them: by stage (幼儿园, 小学, 初中, 高中), then grade, then class number —
 * 一(2)班 before 一(10)班 before 二(1)班, 初一 after 六年级, 2班 before 10班. Text order put 一(10)班 before 一(2)班
 * and 三 before 二. Names this cannot read sort after the ones it can, in text order.
 */

const DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 → 1, 十二 → 12, 二十 → 20, 12 → 12; null if the text is not a number. */
function numberOf(s: string): number | null {
  if (/^\d+$/.test(s)) return Number(s);
  if (!/^[〇零一二两三四五六七八九十]+$/.test(s)) return null;
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? DIGITS[s] : Number([...s].map((c) => DIGITS[c]).join(''));
  const tens = ten === 0 ? 1 : DIGITS[s[ten - 1]];
  const ones = ten === s.length - 1 ? 0 : DIGITS[s[ten + 1]];
  return tens * 10 + ones;
}

const KINDERGARTEN: Record<string, number> = { 托: 0, 小: 1, 中: 2, 大: 3 };
const NUM = '(\\d+|[〇零一二两三四五六七八九十]+)';
// 小班 / 中(2)班 / 大三班: stage 0 (幼儿园).
const KG = new RegExp(`^(托|小|中|大)(?:班)?[（(]?${NUM}?[)）]?班?$`);
// 初一(3)班, 高二3班, 七年级(2)班, 一年级1班, 一(1)班, 1(2)班, 3班, 10班.
const SCHOOL = new RegExp(`^(初|高)?${NUM}(?:年级)?(?:[（(]${NUM}[)）]|${NUM})?班?$`);
const CLASS_ONLY = new RegExp(`^${NUM}班$`);

/** [stage, grade, class] for a name this can read, else null. */
export function classRank(name: string): [number, number, number] | null {
  const n = name.trim().replace(/\s+/g, '');
  const kg = KG.exec(n);
  if (kg) return [0, KINDERGARTEN[kg[1]], kg[2] ? (numberOf(kg[2]) ?? 0) : 0];
  const only = CLASS_ONLY.exec(n);
  if (only) return [1, 0, numberOf(only[1]) ?? 0];
  const m = SCHOOL.exec(n);
  if (!m) return null;
  let grade = numberOf(m[2]);
  if (grade === null) return null;
  const cls = m[3] ?? m[4];
  // 初一 = grade 7, 高一 = grade 10; 七年级 already says 7.
  if (m[1] === '初' && grade <= 3) grade += 6;
  if (m[1] === '高' && grade <= 3) grade += 9;
  const stage = grade <= 6 ? 1 : grade <= 9 ? 2 : 3;
  return [stage, grade, cls ? (numberOf(cls) ?? 0) : 0];
}

/** Comparator for class names (Array.prototype.sort). */
export function compareClassNames(a: string, b: string): number {
  const ra = classRank(a);
  const rb = classRank(b);
  if (ra && rb) {
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
  } else if (ra || rb) return ra ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same order as one text key, for SQL (`ORDER BY class_order(class_name)`, registered on every connection). */
export function classSortKey(name: string): string {
  const r = classRank(name);
  return r ? `${r[0]}${String(r[1]).padStart(3, '0')}${String(r[2]).padStart(3, '0')}` : `9${name}`;
}
