/**
 * The core's door to the school calendar (shared/calendar.ts, which the renderer uses too): China dates from
 * instants, day and month arithmetic. Kept as a module so the core's thirty importers need not change.
 */
export { addDays, addMonths, addMonthsToDate, chinaDate, daysBetween, lastDayOfMonth, monthOf, monthsBetween, monthWords, previousMonth } from '../../../shared/calendar.ts';
