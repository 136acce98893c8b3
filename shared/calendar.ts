/**
 * The school's calendar, once: China time (UTC+8 all year, no daylight saving), dates as YYYY-MM-DD, months as
 * YYYY-MM. Timestamps are stored in UTC; business dates and every time shown to a person are China's. Both the core
 * and the renderer use this module (it imports nothing).
 */

export const CHINA_OFFSET_MS = 8 * 3600 * 1000;

/** The China date of an instant: 2026-09-30T16:30Z is 2026-10-01. */
export function chinaDate(d: Date): string {
  return new Date(d.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2026-09-15T02:00:00.000Z" → "2026-09-15 10:00:00" (or to the minute), the school's clock. */
export function chinaDateTime(iso: string, to: 'second' | 'minute' = 'second'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const t = new Date(d.getTime() + CHINA_OFFSET_MS).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, to === 'second' ? 19 : 16)}`;
}

/** A China date and time of day ('2026-10-08', '11:30') → the UTC instant the core stores ("2026-10-08T03:30:00.000Z"). */
export function chinaInstant(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [h, min] = time.split(':').map(Number);
  return new Date(Date.UTC(y, m - 1, d, h, min) - CHINA_OFFSET_MS).toISOString();
}

/** The hour of the day in China (0–23). */
export function chinaHour(d: Date): number {
  return new Date(d.getTime() + CHINA_OFFSET_MS).getUTCHours();
}

/** The UTC instants bounding a China month, for comparing stored timestamps: [from, to). */
export function chinaMonthInstants(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  return { from: new Date(Date.UTC(y, m - 1, 1) - CHINA_OFFSET_MS).toISOString(), to: new Date(Date.UTC(y, m, 1) - CHINA_OFFSET_MS).toISOString() };
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  const t = (s: string) => {
    const [y, m, d] = s.split('-').map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((t(to) - t(from)) / 86_400_000);
}

/** A date's calendar months later, the day clamped to the month's end (08-31 + 6 months → 02-28/29). */
export function addMonthsToDate(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

export function monthOf(isoDate: string): string {
  return isoDate.slice(0, 7);
}

export function firstDayOfMonth(month: string): string {
  return `${month}-01`;
}

export function lastDayOfMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** A month n months later (n may be negative): addMonths('2026-01', -1) = '2025-12'. */
export function addMonths(month: string, n: number): string {
  const [y, mo] = month.split('-').map(Number);
  const t = y * 12 + (mo - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  return addMonths(month, -1);
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** '2026-09' (or a date in it) → '2026年9月', as every page, message and sheet writes a month. */
export function monthWords(monthOrDate: string): string {
  return `${monthOrDate.slice(0, 4)}年${Number(monthOrDate.slice(5, 7))}月`;
}
