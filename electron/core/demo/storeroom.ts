import { addDays, lastDayOfMonth } from '../clock.ts';
import type { DemoContext, DemoStep } from './types.ts';

/**
 * The storeroom's month (runs after the deliveries step, on whatever stored stock the posted deliveries left):
 * every school day of last month and of this month up to yesterday, the storekeeper issues lunch from each stored
 * item, earliest expiry first, about what keeps the stock lasting to the month's end; expired lots are disposed of
 * (过期销毁); last month ends with a count that finds 1.5 % of the first counted lot lost (损耗) and the rest as booked.
 * Without stored stock it does nothing.
 */

function previousMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}

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

async function issueDays(d: DemoContext, days: string[]): Promise<void> {
  for (const [i, day] of days.entries()) {
    const left = days.length - i;
    const stock = await d.call('storeroom.stock', { asOf: day, q: '', includeEmpty: false });
    const lines: { ingredientId: string; lotId: null; qtyMilli: number }[] = [];
    for (const item of stock) {
      for (const lot of item.lots.filter((l) => l.state === 'expired' && l.onHandMilli > 0)) {
        await d.call('storeroom.adjust', { lotId: lot.lotId, date: day, qtyMilli: lot.onHandMilli, reason: 'expired', note: '过期，已在监督下销毁' });
      }
      const usable = item.lots.filter((l) => l.state !== 'expired').reduce((s, l) => s + l.onHandMilli, 0);
      // Spread what is on hand over the days left in the month, keeping a few days' worth for the count.
      const qty = tenths(Math.floor(usable / (left + 3)));
      if (qty > 0) lines.push({ ingredientId: item.ingredientId, lotId: null, qtyMilli: qty });
    }
    if (lines.length) await d.call('storeroom.issue', { date: day, meal: 'lunch', lines, note: '' });
  }
}

export const storeroomStep: DemoStep = {
  name: '库房：出库与月末盘点',
  async run(d) {
    await d.loginAs('storekeeper');
    const thisMonth = d.today.slice(0, 7);
    const last = previousMonth(thisMonth);
    const lastEnd = lastDayOfMonth(last);
    await issueDays(d, schoolDays(`${last}-01`, lastEnd));

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
    await issueDays(d, schoolDays(`${thisMonth}-01`, addDays(d.today, -1)));
  },
};
