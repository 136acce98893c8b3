import { CREDIT_CODE_CHARS } from '../../../shared/api/fields.ts';

/**
 * A 统一社会信用代码 (GB 32100-2015) built the way real ones are: registration authority (9 = market regulation),
 * organisation kind (1 enterprise, 2 individual business, 3 farmers' cooperative), 6-digit division code, the
 * 9-character organisation code (8 digits + its GB 11714 check character), then the check character over all 17.
 */
export function makeCreditCode(kind: '1' | '2' | '3', division: string, orgBody: string): string {
  if (!/^\d{6}$/.test(division) || !/^\d{8}$/.test(orgBody)) throw new Error('division must be 6 digits, orgBody 8 digits');
  const orgWeights = [3, 7, 9, 10, 5, 8, 4, 2];
  const orgSum = [...orgBody].reduce((s, ch, i) => s + Number(ch) * orgWeights[i], 0);
  const c9 = 11 - (orgSum % 11);
  const orgCheck = c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9);
  const first17 = `9${kind}${division}${orgBody}${orgCheck}`;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(first17[i]) * weights[i];
  return first17 + CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
}
