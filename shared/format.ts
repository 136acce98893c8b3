/** Formatting at the edge: integers in, strings out. Parsing typed text back into integers lives here too. */

export function formatFen(fen: number): string {
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const cents = abs % 100;
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}.${String(cents).padStart(2, '0')}`;
}

/** Quantities in thousandths, shown with up to three decimals and no trailing zeros: 2500 → "2.5". */
export function formatMilli(milli: number): string {
  const neg = milli < 0;
  const abs = Math.abs(milli);
  const whole = Math.trunc(abs / 1000);
  const frac = String(abs % 1000).padStart(3, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Basis points as a percentage with two decimals: 1234 → "12.34%", -5 → "-0.05%". */
export function formatBp(bp: number): string {
  const neg = bp < 0;
  const abs = Math.abs(bp);
  return `${neg ? '-' : ''}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}%`;
}

/** "12.5" → 1250; null for anything that is not a plain decimal with at most `decimals` places. */
function parseScaled(text: string, decimals: number): number | null {
  const s = text.trim().replace(/,/g, '');
  const m = new RegExp(`^(\\d{1,12})(?:\\.(\\d{0,${decimals}}))?$`).exec(s);
  if (!m) return null;
  return Number(m[1]) * 10 ** decimals + Number((m[2] ?? '').padEnd(decimals, '0') || '0');
}
export const parseYuanToFen = (text: string): number | null => parseScaled(text, 2);
export const parseQuantityToMilli = (text: string): number | null => parseScaled(text, 3);

/**
 * Amount of a line: quantity (thousandths) × unit price (fen per unit), rounded half-up to the fen, in integers
 * (BigInt so that no intermediate product loses precision).
 */
export function lineAmountFen(qtyMilli: number, unitPriceFen: number): number {
  const p = BigInt(qtyMilli) * BigInt(unitPriceFen);
  return Number((p + 500n) / 1000n);
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const BIG_UNITS = ['', '万', '亿', '万亿'];

/** 大写金额 as printed on receipts: 32000 → 叁佰贰拾元整, 12005 → 壹佰贰拾元零伍分. */
export function fenToChineseCapital(fen: number): string {
  if (!Number.isInteger(fen)) throw new Error('金额必须是整数分');
  if (fen === 0) return '零元整';
  const neg = fen < 0;
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100);
  const jiao = Math.trunc(abs / 10) % 10;
  const fenDigit = abs % 10;
  let out = '';
  if (yuan > 0) out = `${integerToCapital(yuan)}元`;
  if (jiao === 0 && fenDigit === 0) return `${neg ? '负' : ''}${out}整`;
  if (jiao > 0) out += `${yuan > 0 && yuan % 10 === 0 ? '零' : ''}${DIGITS[jiao]}角`;
  else if (yuan > 0) out += '零';
  if (fenDigit > 0) out += `${DIGITS[fenDigit]}分`;
  else out += '整';
  return `${neg ? '负' : ''}${out}`;
}

function integerToCapital(n: number): string {
  const groups: number[] = [];
  while (n > 0) {
    groups.push(n % 10000);
    n = Math.trunc(n / 10000);
  }
  let out = '';
  let pendingZero = false;
  for (let g = groups.length - 1; g >= 0; g--) {
    const v = groups[g];
    if (v === 0) {
      pendingZero = out !== '';
      continue;
    }
    if (out !== '' && (pendingZero || v < 1000)) out += '零';
    pendingZero = false;
    out += groupToCapital(v) + BIG_UNITS[g];
  }
  return out;
}

function groupToCapital(v: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.trunc(v / 10 ** i) % 10;
    if (d === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零';
    zero = false;
    out += DIGITS[d] + SMALL_UNITS[i];
  }
  return out;
}
