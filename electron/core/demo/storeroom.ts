import { addDays, lastDayOfMonth, previousMonth } from '../ledger/clock.ts';
import type { DemoContext, DemoStep } from './types.ts';

/**
 * The storeroom's month (runs after the deliveries and the fees steps, on whatever stored stock the posted deliveries
 * left): every school day of last month and of this month up to yesterday, the storekeeper issues lunch from each
 * stored item, earliest expiry first; expired lots are disposed of (过期销毁); last month ends with a count that finds
 * 1.5 % of the first counted lot lost (损耗) and the rest as booked. Without stored stock it does nothing.
 *
 * How much: where the month has income (fees and subsidy booked), the kitchen cooks to it (以收定支): the stored food
 * drawn over the month is the income less half the profile's surplus limit (so the month ends about 1 % in surplus
 * under the default 2 %) less what went straight to the kitchen, spread over the school days left; each item gives
 * its share of what it holds. This month's fees are not collected in the demo: its school days draw what a day of
 * last month did. Without income (no fees in the ledger) each day draws what keeps the stock lasting to the month's
 * end, keeping a few days' worth for the count.
 */

function schoolDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6 && !(d.slice(5, 7) === '10' && Number(d.slice(8)) <= 7)) out.push(d);
  }
  return out;
}

/** Whole tenths of the unit (100 g of a kilogram): what a kitchen scale reads. */
const tenths = (milli: number) => Math.floor(milli / 100) * 100;

/**
 * What a school day of the month may draw from stock for the month to end at half the profile's surplus limit:
 * (income × (1 − limit / 2) − food already consumed) ÷ school days, where food already consumed is what went straight
 * to the kitchen (nothing has been drawn from stock yet). Null when the month has no income.
 */
async function dailyBudget(d: DemoContext, month: string, schoolDayCount: number): Promise<number | null> {
  if (schoolDayCount === 0) return null;
  await d.loginAs('accountant');
  const v = await d.call('monthclose.get', { month });
  await d.loginAs('storekeeper');
  const c = v.summary.current;
  if (!v.summary.usesStoreroom || c.incomeFen <= 0) return null;
  const surplus = Math.round((c.incomeFen * v.summary.period.limitBp) / 2 / 10_000);
  return Math.max(0, c.incomeFen - surplus - c.expenseFen) / schoolDayCount;
}

/** No item is drawn at more than this many times its even share of what it holds (day one has little in store). */
const MAX_SCALE = 3;

async function issueDays(d: DemoContext, days: string[], dailyFen: number | null): Promise<void> {
  let remaining = (dailyFen ?? 0) * days.length;
  for (const [i, day] of days.entries()) {
    const left = days.length - i;
    const stock = await d.call('storeroom.stock', { asOf: day, q: '', includeEmpty: false });
    const planned: { ingredientId: string; usable: number; share: number; unitFen: number; step: number }[] = [];
    for (const item of stock) {
      for (const lot of item.lots.filter((l) => l.state === 'expired' && l.onHandMilli > 0)) {
        const m = await d.call('storeroom.adjust', { lotId: lot.lotId, date: day, qtyMilli: lot.onHandMilli, reason: 'expired', note: '过期，已在监督下销毁' });
        remaining -= Math.abs(m.valueFen);
      }
      const lots = item.lots.filter((l) => l.state !== 'expired');
      const usable = lots.reduce((s, l) => s + l.onHandMilli, 0);
      const value = lots.reduce((s, l) => s + l.onHandValueFen, 0);
      // Spread what is on hand over the days left in the month, keeping a few days' worth for the count; milk goes
      // out by the whole box.
      if (usable > 0) planned.push({ ingredientId: item.ingredientId, usable, share: usable / (left + 3), unitFen: value / usable, step: item.unit === '盒' ? 1000 : 100 });
    }
    // With a budget: scale every item's share so that today draws the budget left ÷ the school days left.
    const plannedFen = planned.reduce((s, p) => s + p.share * p.unitFen, 0);
    const scale = dailyFen === null || plannedFen === 0 ? 1 : Math.min(MAX_SCALE, Math.max(0, remaining / left / plannedFen));
    const lines = planned
      .map((p) => ({ ingredientId: p.ingredientId, lotId: null, qtyMilli: Math.min(p.usable, Math.floor((p.share * scale) / p.step) * p.step) }))
      .filter((l) => l.qtyMilli > 0);
    if (lines.length) remaining -= (await d.call('storeroom.issue', { date: day, meal: 'lunch', lines, note: '' })).totalFen;
  }
}

export const storeroomStep: DemoStep = {
  name: '库房：出库与月末盘点',
  async run(d) {
    await d.loginAs('storekeeper');
    const thisMonth = d.today.slice(0, 7);
    const last = previousMonth(thisMonth);
    const lastEnd = lastDayOfMonth(last);
    const lastDays = schoolDays(`${last}-01`, lastEnd);
    // This month's fees are not in yet: its days draw as much as a day of last month did.
    const daily = await dailyBudget(d, last, lastDays.length);
    await issueDays(d, lastDays, daily);

    const onHand = await d.call('storeroom.stock', { asOf: lastEnd, q: '', includeEmpty: false });
    if (onHand.length > 0) {
      const count = await d.call('storeroom.countStart', { month: last });
      const [first] = count.lines;
      const loss = Math.max(100, tenths(Math.round((first.bookMilli * 15) / 1000)));
      await d.call('storeroom.countEnter', {
        month: last,
        lines: count.lines.map((l) =>
          l.lotId === first.lotId && l.bookMilli > loss
            ? { lotId: l.lotId, countedMilli: l.bookMilli - loss, reason: 'loss' as const, note: '搬运撒漏、受潮' }
            : { lotId: l.lotId, countedMilli: l.bookMilli, reason: null, note: '' },
        ),
      });
      await d.call('storeroom.countPost', { month: last });
    }
    await issueDays(d, schoolDays(`${thisMonth}-01`, addDays(d.today, -1)), daily);
  },
};
