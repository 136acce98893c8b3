import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

/**
 * 留样 for the meals the storeroom issued food for (issue 17 slice 1): with no 上课日 entered, the meals served are the
 * meals of the 出库单 (not reversed). 大米 10 kg is delivered on 2026-09-14; 1 kg goes to lunch that day (sampled), 1 kg
 * to dinner that day (the issue then reversed: no meal), 1 kg to breakfast on the 15th (not sampled). Today is
 * 2026-09-15 10:00 China time. By hand: one finding, 2026-09-15 早餐.
 */
let w: World;
beforeAll(async () => {
  w = await setupWorld();
  await postNew(w, draft(w, [line(w.rice)], { date: '2026-09-14', noteNumber: 'SH-0914' }));
});
afterAll(() => w?.b.cleanup());

describe('留样 and the storeroom’s meals', { timeout: 60_000 }, () => {
  it('a meal issued and not sampled is a finding; a sampled one and a reversed one are not', async () => {
    const { b } = w;
    const issue = (date: string, meal: 'breakfast' | 'lunch' | 'dinner') => b.call('storeroom.issue', { date, meal, lines: [{ ingredientId: w.rice, qtyMilli: 1_000 }] });
    await issue('2026-09-14', 'lunch');
    const dinner = await issue('2026-09-14', 'dinner');
    await b.call('storeroom.cancelIssue', { id: dinner.id, date: '2026-09-14', reason: '晚餐改为面食，未用大米' });
    await issue('2026-09-15', 'breakfast');
    await b.call('samples.record', { date: '2026-09-14', meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '米饭', weightG: 150, takenTime: '11:30' }] });
    expect(await b.call('samples.findings', { month: '2026-09' })).toEqual([{ kind: 'meal_without_sample', date: '2026-09-15', meal: 'breakfast', text: '2026-09-15 早餐 有出库但没有留样记录' }]);
    await b.call('samples.record', { date: '2026-09-15', meal: 'breakfast', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '白粥', weightG: 130, takenTime: '07:10' }] });
    expect(await b.call('samples.findings', { month: '2026-09' })).toEqual([]);
  });
});
