import { chinaDate, lastDayOfMonth } from '../../../../shared/calendar.ts';
import { CATEGORY_LABELS } from '../../../../shared/domain.ts';
import type { Ctx } from '../../context.ts';
import { profileFor } from '../people/index.ts';

/**
 * 农残快检 (issue 17; docs/DOMAIN-RULES.md "农残快检"): the day minimum. The profile of the month names the categories
 * that need a test and the least number of tested lines a day; a day with posted deliveries of those categories whose
 * tested lines fall short is a finding — on the storekeeper's home and, informational, on the month-close checklist.
 * A day that brought fewer such lines than the minimum needs them all tested, no more.
 */
export interface ResidueDayFinding {
  date: string;
  /** Lines of the test categories accepted or rejected that day (posted deliveries). */
  lines: number;
  tested: number;
  required: number;
  text: string;
}

export interface ResidueRules {
  categories: string[];
  minLinesPerDay: number;
}

/** Whether the profile of this month asks for quick tests at all (the home and the checklist show the item only then). */
export function residueRulesFor(ctx: Ctx, month: string): ResidueRules | null {
  const p = profileFor(ctx, month);
  return p.residueTestCategories.length || p.residueTestMinLinesPerDay ? { categories: p.residueTestCategories, minLinesPerDay: p.residueTestMinLinesPerDay } : null;
}

export function residueFindings(ctx: Ctx, month: string): ResidueDayFinding[] {
  const p = profileFor(ctx, month);
  const min = p.residueTestMinLinesPerDay;
  if (min === 0) return [];
  const from = `${month}-01`;
  const today = chinaDate(ctx.now());
  const last = lastDayOfMonth(month);
  const to = last < today ? last : today;
  if (from > to) return [];
  // No categories named: every line counts towards the day.
  const cats = JSON.stringify(p.residueTestCategories);
  const days = ctx.db
    .prepare(
      `SELECT d.delivery_date AS day,
         sum(CASE WHEN ? = '[]' OR i.category IN (SELECT value FROM json_each(?)) THEN 1 ELSE 0 END) AS lines,
         count(t.line_no) AS tested
       FROM deliveries d JOIN delivery_lines l ON l.delivery_id = d.id JOIN ingredients i ON i.id = l.ingredient_id
         LEFT JOIN delivery_residue_tests t ON t.delivery_id = l.delivery_id AND t.line_no = l.line_no
       WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ?
       GROUP BY d.delivery_date HAVING lines > 0 ORDER BY d.delivery_date`,
    )
    .all(cats, cats, from, to) as { day: string; lines: number; tested: number }[];
  const what = p.residueTestCategories.length ? p.residueTestCategories.map((c) => CATEGORY_LABELS[c]).join('、') : '食材';
  return days.flatMap((d) => {
    const required = Math.min(min, d.lines);
    if (d.tested >= required) return [];
    return [{ date: d.day, lines: d.lines, tested: d.tested, required, text: `${d.day} 农残快检 ${d.tested} 行，少于应检 ${required} 行（每日至少 ${min} 行；当日${what} ${d.lines} 行）` }];
  });
}

/** Today's tested lines on posted and draft deliveries, and how many failed (the storekeeper's home). */
export function residueToday(ctx: Ctx, today: string): { tested: number; failed: number } {
  return ctx.db
    .prepare(
      `SELECT count(*) AS tested, coalesce(sum(t.result = 'fail'), 0) AS failed FROM deliveries d JOIN delivery_residue_tests t ON t.delivery_id = d.id
       WHERE d.delivery_date = ? AND d.status <> 'cancelled'`,
    )
    .get(today) as { tested: number; failed: number };
}
