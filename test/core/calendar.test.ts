import { describe, expect, it } from 'vitest';
import { addDays, addMonths, addMonthsToDate, chinaDate, chinaDateTime, chinaHour, chinaMonthInstants, daysBetween, lastDayOfMonth, monthsBetween, monthWords, previousMonth } from '../../shared/calendar.ts';

describe('the school calendar (China time)', () => {
  it('reads instants in China time: 16:30 UTC on 30 September is 1 October, 00:30', () => {
    const t = new Date('2026-09-30T16:30:00Z');
    expect(chinaDate(t)).toBe('2026-10-01');
    expect(chinaHour(t)).toBe(0);
    expect(chinaDateTime('2026-09-30T16:30:05.123Z')).toBe('2026-10-01 00:30:05');
    expect(chinaDateTime('2026-09-30T16:30:05.123Z', 'minute')).toBe('2026-10-01 00:30');
    expect(chinaMonthInstants('2026-10')).toEqual({ from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' });
  });

  it('counts days and months across year ends and leap years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-09-15', '2026-10-08')).toBe(23);
    expect(lastDayOfMonth('2028-02')).toBe('2028-02-29');
    expect(lastDayOfMonth('2026-02')).toBe('2026-02-28');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2026-11', 14)).toBe('2028-01');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(addMonthsToDate('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonthsToDate('2027-08-31', 6)).toBe('2028-02-29');
  });

  it('writes a month as people do', () => {
    expect(monthWords('2026-09')).toBe('2026年9月');
    expect(monthWords('2026-12-03')).toBe('2026年12月');
  });
});
