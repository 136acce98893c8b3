import { z } from './contract.ts';

/**
 * Field schemas with the Chinese messages people see. Money is integer fen and quantities integer thousandths
 * everywhere behind the form; the limits keep sums far inside Number.MAX_SAFE_INTEGER.
 */
export const MAX_FEN = 100_000_000_000; // 10 亿元
export const MAX_MILLI = 1_000_000_000_000; // 10 亿 units

export const text = (label: string, max = 100) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .min(1, { error: `请填写${label}` })
    .max(max, { error: `${label}不能超过 ${max} 个字` })
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s), { error: `${label}含有不可见的控制字符` });

export const optionalText = (label: string, max = 200) =>
  z
    .string({ error: `${label}必须是文字` })
    .trim()
    .max(max, { error: `${label}不能超过 ${max} 个字` })
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s), { error: `${label}含有不可见的控制字符` })
    .default('');

export const fen = (label: string) =>
  z
    .number({ error: `${label}必须是数字` })
    .int({ error: `${label}必须以分为单位的整数` })
    .min(0, { error: `${label}不能为负数` })
    .max(MAX_FEN, { error: `${label}超出允许范围` });

export const milli = (label: string) =>
  z
    .number({ error: `${label}必须是数字` })
    .int({ error: `${label}必须是千分之一单位的整数` })
    .min(0, { error: `${label}不能为负数` })
    .max(MAX_MILLI, { error: `${label}超出允许范围` });

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

export const id = (label = '编号') =>
  z
    .string({ error: `${label}必须是文字` })
    .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, { error: `${label}无效` });

export const search = z
  .string({ error: '搜索词必须是文字' })
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

export const password = z
  .string({ error: '密码必须是文字' })
  .min(8, { error: '密码至少 8 位' })
  .max(128, { error: '密码不能超过 128 位' });

export const username = z
  .string({ error: '用户名必须是文字' })
  .trim()
  .regex(/^[A-Za-z0-9_.-]{2,32}$/, { error: '用户名为 2–32 位字母、数字、下划线、点或横线' });
