import { z } from './contract.ts';
import { formatFen } from '../format.ts';

/**
 * Field schemas with the Chinese messages people see. Money is integer fen and quantities integer thousandths
 * everywhere behind the form; the limits keep sums far inside Number.MAX_SAFE_INTEGER.
 */
export const MAX_MILLI = 1_000_000_000_000; // 10 亿 units

/**
 * Money limits, one per kind of amount (issue 20): where a migration's CHECK bounds a column, the field that writes it
 * has the same bound, so the API refuses with a Chinese message what SQL would refuse with its own text.
 */
export const MAX_FEN = 100_000_000_000; // 10 亿元: amounts SQL bounds only through their postings (|posting| ≤ 10^13)
/** fee_receipts.amount_fen ≤ 100000000 (migration 0003): one receipt at most 100 万元. */
export const MAX_RECEIPT_FEN = 100_000_000;
/** meal_plans.daily_rate_fen and fee_receipts.daily_rate_fen BETWEEN 0 AND 100000 (migration 0003): 1000 元 a day. */
export const MAX_DAILY_RATE_FEN = 100_000;

/**
 * Characters that make one name look like another without being seen (issue 20): zero-width and direction marks
 * (U+200B–U+200F), bidi embeddings and overrides (U+202A–U+202E), the word joiner and invisible operators
 * (U+2060–U+2064), bidi isolates (U+2066–U+2069), the Arabic letter mark (U+061C) and the BOM (U+FEFF).
 */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** C0 (tab and newline included), DEL, C1, and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The same but the newline, for text of several lines. */
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** One spelling per name: composed (NFC), without invisible characters, so "白\u200b菜" is 白菜 and NFD "Café" is Café. */
export function normalizeText(s: string): string {
  return s.normalize('NFC').replace(INVISIBLE, '');
}
/** As normalizeText, with every line break (CR LF, CR, U+2028, U+2029) made a plain newline. */
function normalizeLines(s: string): string {
  return normalizeText(s).replace(/\r\n?|[\u2028\u2029]/g, '\n');
}

/** A single-line text (a name, a number, a short note): normalised, trimmed, no line break or control character. */
export const text = (label: string, max = 100) =>
  z
    .string({ error: `${label}必须是文字` })
    .overwrite(normalizeText)
    .trim()
    .min(1, { error: `请填写${label}` })
    .max(max, { error: `${label}不能超过 ${max} 个字` })
    .refine((s) => !CONTROL.test(s), { error: `${label}不能包含换行或控制字符` });

export const optionalText = (label: string, max = 200) =>
  z
    .string({ error: `${label}必须是文字` })
    .overwrite(normalizeText)
    .trim()
    .max(max, { error: `${label}不能超过 ${max} 个字` })
    .refine((s) => !CONTROL.test(s), { error: `${label}不能包含换行或控制字符` })
    .default('');

/** Text of several lines (a reason, a note typed in a text area): as `text`, but newlines are kept. */
export const note = (label: string, max = 200) =>
  z
    .string({ error: `${label}必须是文字` })
    .overwrite(normalizeLines)
    .trim()
    .min(1, { error: `请填写${label}` })
    .max(max, { error: `${label}不能超过 ${max} 个字` })
    .refine((s) => !CONTROL_BUT_NEWLINE.test(s), { error: `${label}不能包含控制字符` });

export const optionalNote = (label: string, max = 200) =>
  z
    .string({ error: `${label}必须是文字` })
    .overwrite(normalizeLines)
    .trim()
    .max(max, { error: `${label}不能超过 ${max} 个字` })
    .refine((s) => !CONTROL_BUT_NEWLINE.test(s), { error: `${label}不能包含控制字符` })
    .default('');

/**
 * Whole fen, 0 to `max`. The range is checked before the integer rule, so 1e16 says it is too large (the first message
 * is the one people see), and every check carries its own message (zod gives an unmessaged check the type's message).
 */
export const fen = (label: string, max = MAX_FEN) =>
  z
    .number({ error: `${label}必须是数字` })
    .min(0, { error: `${label}不能为负数` })
    .max(max, { error: `${label}不能超过 ${formatFen(max)} 元` })
    .int({ error: `${label}必须以分为单位的整数` });

/** Whole fen that may be negative (a bank balance), within ±`max`. */
export const signedFen = (label: string, max = MAX_FEN) =>
  z
    .number({ error: `${label}必须是数字` })
    .min(-max, { error: `${label}不能低于 -${formatFen(max)} 元` })
    .max(max, { error: `${label}不能超过 ${formatFen(max)} 元` })
    .int({ error: `${label}必须以分为单位的整数` });

export const milli = (label: string) =>
  z
    .number({ error: `${label}必须是数字` })
    .min(0, { error: `${label}不能为负数` })
    .max(MAX_MILLI, { error: `${label}超出允许范围` })
    .int({ error: `${label}必须是千分之一单位的整数` });

/** A calendar date as the school reads it (China time), YYYY-MM-DD, checked to exist. */
export const isoDate = (label: string) =>
  z
    .string({ error: `${label}必须是日期` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `${label}格式应为 YYYY-MM-DD` })
    .refine(isRealDate, { error: `${label}不是有效日期` });

export const month = (label = '月份') =>
  z
    .string({ error: `${label}必须是文字` })
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: `${label}格式应为 YYYY-MM` })
    .refine((m) => Number(m.slice(0, 4)) >= 2000 && Number(m.slice(0, 4)) <= 2100, { error: `${label}超出范围` });

/**
 * What a date or month field of a writing method means for the period lock (docs/DOMAIN-RULES.md "Dates and the period
 * lock"). The dispatcher walks every input against its schema and refuses a marked value that lies on or before the
 * last day of the latest closed month, and (unless `future` is true) one after today in China time.
 * `action` names what is refused in the "not yet" message of a month ("2026年10月还没到，不能盘点").
 */
export interface PeriodField {
  kind: 'date' | 'month';
  label: string;
  future: boolean;
  action: string;
}
export const periodFields = z.registry<PeriodField>();

/** The date a document is booked on (验收日期, 收款日期, 出库日期, …): not in a locked month, not after today. */
export const documentDate = (label: string) => {
  const s = isoDate(label);
  periodFields.add(s, { kind: 'date', label, future: false, action: '记账' });
  return s;
};

/**
 * A month whose records a method writes (盘点, 银行对账余额, 供应商对账单): not locked; not after this month unless
 * `future` (the school calendar is planned ahead).
 */
export const documentMonth = (label: string, action: string, opts: { future?: boolean } = {}) => {
  const s = month(label);
  periodFields.add(s, { kind: 'month', label, future: opts.future ?? false, action });
  return s;
};

export const id = (label = '编号') =>
  z
    .string({ error: `${label}必须是文字` })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, { error: `${label}无效` });

export const search = z
  .string({ error: '搜索词必须是文字' })
  .overwrite(normalizeText)
  .trim()
  .max(50, { error: '搜索词不能超过 50 个字' })
  .default('');

export function isRealDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const [y, m, d] = s.split('-').map(Number);
  if (y < 2000 || y > 2100) return false;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** 统一社会信用代码: 18 characters with a GB 32100-2015 check character. */
export const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export function isCreditCode(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(code[i]) * weights[i];
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_CHARS[check] === code[17];
}
export const creditCode = z
  .string({ error: '统一社会信用代码必须是文字' })
  .trim()
  .toUpperCase()
  .refine(isCreditCode, { error: '统一社会信用代码应为 18 位且校验位正确' });

/**
 * The first rule a new password breaks, or null (issue 20: eight spaces were accepted). Length is counted without the
 * spaces around it; the password itself is kept as typed, and passwords set before the rule still log in.
 */
export function passwordProblem(p: string): string | null {
  if (p.length > 128) return '密码不能超过 128 位';
  const t = p.trim();
  if (p.length > 0 && t.length === 0) return '密码不能全是空格';
  if ([...t].length < 8) return '密码至少 8 位';
  if (new Set(t).size === 1) return '密码不能全是同一个字符';
  const kinds = [/\p{L}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}\s]/u].filter((k) => k.test(t)).length;
  if (kinds < 2) return '密码须包含字母、数字、符号中的至少两种';
  return null;
}

/** A new password: one message, the first rule it breaks. */
export const password = z.string({ error: '密码必须是文字' }).superRefine((p, c) => {
  const problem = passwordProblem(p);
  if (problem) c.addIssue({ code: 'custom', message: problem });
});

export const username = z
  .string({ error: '用户名必须是文字' })
  .trim()
  .regex(/^[A-Za-z0-9_.-]{2,32}$/, { error: '用户名为 2–32 位字母、数字、下划线、点或横线' });
