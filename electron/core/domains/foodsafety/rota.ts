import type { HomeEntry } from '../../../../shared/api/audit.ts';
import type { MealFinding, MealRotaView } from '../../../../shared/api/foodsafety.ts';
import { chinaDate } from '../../../../shared/calendar.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { MEAL_LABELS, MEALS, WEEKDAY_LABELS, type Meal } from '../../../../shared/labels-foodsafety.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { audit } from '../../ledger/audit.ts';
import { lockRefusal } from '../../ledger/period-lock.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';

/**
 * 陪餐 duty rota (issue 17; migration 0026 meal_duty_rota; docs/DOMAIN-RULES.md "陪餐"). Rules, decided:
 * - Set per term by the principal (审核人) or the admin: from a date on (a version, within the term), which school
 *   leaders — active users holding the 审核人 role — eat with the pupils at which meal of which weekday. A later version
 *   takes over from its date; a version is saved whole (replacing that date's), never on or before the latest closed
 *   month (SQL holds it again), so a closed month's findings keep the rota they had — and never from a past day, nor from
 *   today once a version is in force: the leaders who keep the rota cannot take a missed duty off it.
 * - A 上课日 up to today on which a leader on the rota for that weekday and meal has no confirmed 陪餐 record of their
 *   own is a finding (rota_missed), beside the day without any 陪餐.
 */

interface TermRow {
  code: string;
  name: string;
  start_date: string;
  end_date: string;
}

/** ISO weekday of a date: 1 Monday … 7 Sunday. */
const weekdayOf = (day: string) => ((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const MEAL_ORDER = (m: Meal) => MEALS.indexOf(m);

function leaders(ctx: Ctx): { id: string; name: string }[] {
  return ctx.db
    .prepare(
      `SELECT u.id, u.display_name AS name FROM users u WHERE u.disabled = 0 AND EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'reviewer')
       ORDER BY u.display_name, u.id`,
    )
    .all() as { id: string; name: string }[];
}

export function getRota(ctx: Ctx, termCode: string | null): MealRotaView | null {
  const today = chinaDate(ctx.now());
  const term = (
    termCode
      ? ctx.db.prepare('SELECT code, name, start_date, end_date FROM terms WHERE code = ?').get(termCode)
      : ctx.db.prepare('SELECT code, name, start_date, end_date FROM terms WHERE start_date <= ? ORDER BY start_date DESC LIMIT 1').get(today)
  ) as TermRow | undefined;
  if (!term) {
    if (termCode) throw new ApiError('NOT_FOUND', `找不到学期 ${termCode}`);
    return null;
  }
  const rows = ctx.db
    .prepare(
      `SELECT d.from_date, d.weekday, d.meal, d.user_id, u.display_name AS user_name FROM meal_duty_rota d JOIN users u ON u.id = d.user_id
       WHERE d.term_code = ? ORDER BY d.from_date`,
    )
    .all(term.code) as { from_date: string; weekday: number; meal: Meal; user_id: string; user_name: string }[];
  const versions: MealRotaView['versions'] = [];
  for (const r of rows) {
    let v = versions.find((x) => x.fromDate === r.from_date);
    if (!v) versions.push((v = { fromDate: r.from_date, entries: [] }));
    v.entries.push({ weekday: r.weekday, meal: r.meal, userId: r.user_id, userName: r.user_name });
  }
  for (const v of versions) v.entries.sort((a, b) => a.weekday - b.weekday || MEAL_ORDER(a.meal) - MEAL_ORDER(b.meal) || (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0));
  const terms = ctx.db.prepare('SELECT code, name FROM terms ORDER BY start_date').all() as { code: string; name: string }[];
  return { termCode: term.code, termName: term.name, startDate: term.start_date, endDate: term.end_date, versions, leaders: leaders(ctx), terms };
}

export function saveRota(ctx: Ctx, v: { termCode: string; fromDate: string; entries: { weekday: number; meal: Meal; userId: string }[] }): MealRotaView {
  const term = ctx.db.prepare('SELECT code, name, start_date, end_date FROM terms WHERE code = ?').get(v.termCode) as TermRow | undefined;
  if (!term) throw new ApiError('NOT_FOUND', `找不到学期 ${v.termCode}`);
  if (v.fromDate < term.start_date || v.fromDate > term.end_date) {
    throw new ApiError('VALIDATION', `生效日期 ${v.fromDate} 不在${term.name}（${term.start_date} 至 ${term.end_date}）内`);
  }
  const why = lockRefusal(ctx, v.fromDate);
  if (why) throw new ApiError('LOCKED', `生效日期 ${v.fromDate}：${why}`);
  const allowed = new Map(leaders(ctx).map((l) => [l.id, l.name]));
  const seen = new Set<string>();
  for (const e of v.entries) {
    if (!allowed.has(e.userId)) {
      const u = ctx.db.prepare('SELECT display_name FROM users WHERE id = ?').get(e.userId) as { display_name: string } | undefined;
      if (!u) throw new ApiError('NOT_FOUND', '找不到该值班领导');
      throw new ApiError('RULE', `${u.display_name} 不是在用的学校领导（审核人），不能排入陪餐值班`);
    }
    const k = `${e.weekday}|${e.meal}|${e.userId}`;
    if (seen.has(k)) throw new ApiError('VALIDATION', `${WEEKDAY_LABELS[e.weekday]}${MEAL_LABELS[e.meal]} ${allowed.get(e.userId)} 填了两次`);
    seen.add(k);
  }
  // The rota binds the leaders who set it: a version never reaches back. It takes effect tomorrow at the earliest once
  // the term has one in force today (else a leader who missed today's lunch could take himself off today's duty and
  // the finding with it); the term's first rota may start today.
  const today = chinaDate(ctx.now());
  const inForce = ctx.db.prepare('SELECT 1 FROM meal_duty_rota WHERE term_code = ? AND from_date <= ? LIMIT 1').get(v.termCode, today) !== undefined;
  if (v.fromDate < today || (inForce && v.fromDate === today)) {
    const earliest = inForce ? '明天' : '今天';
    throw new ApiError('RULE', `生效日期 ${v.fromDate}：${inForce ? '值班表已在执行，' : ''}新的值班安排最早从${earliest}起生效，不能改写已过的值班`, [
      { path: 'fromDate', message: `最早从${earliest}起生效` },
    ]);
  }
  const before = (ctx.db.prepare('SELECT count(*) AS n FROM meal_duty_rota WHERE term_code = ? AND from_date = ?').get(v.termCode, v.fromDate) as { n: number }).n;
  ctx.db.prepare('DELETE FROM meal_duty_rota WHERE term_code = ? AND from_date = ?').run(v.termCode, v.fromDate);
  const user = currentUser(ctx);
  const at = ctx.now().toISOString();
  const ins = ctx.db.prepare('INSERT INTO meal_duty_rota (term_code, from_date, weekday, meal, user_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const e of v.entries) ins.run(v.termCode, v.fromDate, e.weekday, e.meal, e.userId, at, user.userId);
  audit(
    ctx,
    before ? 'update' : 'create',
    'meal_duty_rota',
    v.termCode,
    before ? { fromDate: v.fromDate, entries: before } : null,
    withRows({ term: term.name, fromDate: v.fromDate, entries: v.entries.length }, groupRows(ctx, 'meal_duty_rota', 'term_code', v.termCode)),
  );
  return getRota(ctx, v.termCode) as MealRotaView;
}

/** The leaders on the rota for a day (its term's version in force that day, that weekday), by meal. */
function rotaOn(ctx: Ctx, day: string): { meal: Meal; userId: string; userName: string }[] {
  return ctx.db
    .prepare(
      `SELECT d.meal, d.user_id AS userId, u.display_name AS userName FROM meal_duty_rota d JOIN users u ON u.id = d.user_id
       WHERE d.term_code = (SELECT code FROM terms WHERE start_date <= @day AND end_date >= @day ORDER BY start_date DESC LIMIT 1)
         AND d.from_date = (SELECT max(x.from_date) FROM meal_duty_rota x WHERE x.term_code = d.term_code AND x.from_date <= @day)
         AND d.weekday = @weekday`,
    )
    .all({ day, weekday: weekdayOf(day) }) as { meal: Meal; userId: string; userName: string }[];
}

/** School days of [from, to] on which a leader on the rota has no 陪餐 record of their own for the meal. */
export function rotaFindings(ctx: Ctx, days: string[]): MealFinding[] {
  const out: MealFinding[] = [];
  const has = ctx.db.prepare(`SELECT 1 FROM accompanied_meals WHERE meal_date = ? AND meal = ? AND created_by = ? AND status = 'confirmed'`);
  for (const day of days) {
    const duty = rotaOn(ctx, day).sort((a, b) => MEAL_ORDER(a.meal) - MEAL_ORDER(b.meal) || (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0));
    for (const d of duty) {
      if (has.get(day, d.meal, d.userId)) continue;
      out.push({ kind: 'rota_missed', date: day, meal: d.meal, text: `${day} ${MEAL_LABELS[d.meal]} 值班领导 ${d.userName} 没有陪餐记录`, mealId: null });
    }
  }
  return out;
}

/**
 * The school leader's home (issue 17: each role's home shows its due records for today): today's 陪餐 duty from the
 * rota — who is on duty at which meal and whether they have recorded their 陪餐; the caller's own duty first in the value.
 */
export function mealDutyEntry(ctx: Ctx, today: string): HomeEntry {
  const me = ctx.session?.userId ?? '';
  const link = `/foodsafety/meals?date=${today}`;
  const anyRota = ctx.db
    .prepare('SELECT 1 FROM meal_duty_rota d JOIN terms t ON t.code = d.term_code WHERE t.start_date <= @day AND t.end_date >= @day AND d.from_date <= @day LIMIT 1')
    .get({ day: today });
  if (!anyRota) {
    return { kind: 'meal_duty', label: '今日陪餐值班', value: '未安排', detail: '本学期尚未安排陪餐值班表：请在 陪餐 页安排学校领导陪餐值班', link, linkLabel: '陪餐', lines: [] };
  }
  const has = ctx.db.prepare(`SELECT 1 FROM accompanied_meals WHERE meal_date = ? AND meal = ? AND created_by = ? AND status = 'confirmed'`);
  const duty = rotaOn(ctx, today)
    .sort((a, b) => MEAL_ORDER(a.meal) - MEAL_ORDER(b.meal) || (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0))
    .map((d) => ({ ...d, done: has.get(today, d.meal, d.userId) !== undefined }));
  const mine = duty.filter((d) => d.userId === me);
  return {
    kind: 'meal_duty',
    label: '今日陪餐值班',
    value: mine.length ? mine.map((d) => `${MEAL_LABELS[d.meal]}${d.done ? '已陪餐' : '待陪餐'}`).join('，') : duty.length ? '今日您不值班' : '今日无值班',
    detail: '学校领导按值班表与学生共同用餐并登记；值班领导未登记陪餐列为问题',
    link,
    linkLabel: '陪餐',
    lines: duty.map((d) => ({ text: `${MEAL_LABELS[d.meal]} 值班领导 ${d.userName}：${d.done ? '已陪餐' : '尚未登记陪餐'}`, link, tone: d.done ? ('info' as const) : ('warning' as const) })),
  };
}
