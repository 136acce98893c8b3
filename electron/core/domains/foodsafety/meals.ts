import type { AccompaniedMealView, MealFinding } from '../../../../shared/api/foodsafety.ts';
import { addDays, chinaDate, lastDayOfMonth } from '../../../../shared/calendar.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { MEAL_ASPECT_LABELS, MEAL_ASPECTS, MEAL_LABELS, RATING_LABELS, type CompanionKind, type Meal, type MealAspect, type Rating } from '../../../../shared/labels-foodsafety.ts';
import { currentUser, hasRole, type Ctx } from '../../context.ts';
import { audit } from '../../ledger/audit.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertStatus, cancel, loadDoc } from '../../ledger/lifecycle.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';
import { rotaFindings } from './rota.ts';

/**
 * 陪餐 (issue 17 slice 2; migration 0022; docs/DOMAIN-RULES.md "陪餐"). Rules, decided:
 * - The companion is the person logged in: a 审核人/校长 records as a school leader, a 家委会代表 as a parent (a person
 *   holding both records as a leader). Nobody records another person's 陪餐, and one person one record per meal.
 * - A 差 on any aspect needs the problem described (refused otherwise, and held in SQL); a problem raised opens a
 *   follow-up (整改) that the 食堂管理员, a leader or the admin closes by writing what was done.
 * - Only the person who made a record corrects it (cancel with a reason + a new record); once its follow-up is closed
 *   it is not cancelled any more.
 * - Findings (informational, on the checklist and the homes): a 上课日 up to today without any 陪餐, a follow-up still open,
 *   a leader on the duty rota (rota.ts) without their 陪餐 of that meal.
 */

interface MealRow {
  id: string;
  meal_date: string;
  meal: Meal;
  companion_kind: CompanionKind;
  companion_name: string;
  taste: Rating;
  quantity: Rating;
  hygiene: Rating;
  temperature: Rating;
  taste_remark: string;
  quantity_remark: string;
  hygiene_remark: string;
  temperature_remark: string;
  problem: string;
  status: 'confirmed' | 'cancelled';
  amends: string | null;
  created_at: string;
  created_by: string;
  cancelled_at: string | null;
  cancelled_by_name: string | null;
  cancel_reason: string | null;
  f_action: string | null;
  f_at: string | null;
  f_by_name: string | null;
}

const SELECT = `SELECT m.*, xu.display_name AS cancelled_by_name, f.action AS f_action, f.closed_at AS f_at, fu.display_name AS f_by_name
  FROM accompanied_meals m LEFT JOIN users xu ON xu.id = m.cancelled_by
  LEFT JOIN meal_followups f ON f.meal_id = m.id LEFT JOIN users fu ON fu.id = f.closed_by`;
const MEAL_ORDER = `CASE m.meal WHEN 'breakfast' THEN 1 WHEN 'lunch' THEN 2 ELSE 3 END`;

function toView(ctx: Ctx, r: MealRow): AccompaniedMealView {
  return {
    id: r.id,
    date: r.meal_date,
    meal: r.meal,
    companionKind: r.companion_kind,
    companionName: r.companion_name,
    ratings: { taste: r.taste, quantity: r.quantity, hygiene: r.hygiene, temperature: r.temperature },
    remarks: { taste: r.taste_remark, quantity: r.quantity_remark, hygiene: r.hygiene_remark, temperature: r.temperature_remark },
    problem: r.problem,
    status: r.status,
    amends: r.amends,
    createdAt: r.created_at,
    mine: r.created_by === ctx.session?.userId,
    cancelledByName: r.cancelled_by_name,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
    followup: r.f_at ? { action: r.f_action ?? '', closedAt: r.f_at, closedByName: r.f_by_name ?? '' } : null,
  };
}

function mealRow(ctx: Ctx, id: string): MealRow {
  const r = ctx.db.prepare(`${SELECT} WHERE m.id = ?`).get(id) as MealRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该陪餐记录');
  return r;
}

export function listMeals(ctx: Ctx, from: string, to: string): AccompaniedMealView[] {
  if (to > addDays(from, 62)) throw new ApiError('VALIDATION', '一次最多查询 62 天的陪餐记录');
  const rows = ctx.db.prepare(`${SELECT} WHERE m.meal_date BETWEEN ? AND ? ORDER BY m.meal_date, ${MEAL_ORDER}, m.created_at`).all(from, to) as MealRow[];
  return rows.map((r) => toView(ctx, r));
}

interface MealInput {
  ratings: Record<MealAspect, Rating>;
  remarks: Record<MealAspect, string>;
  problem: string;
}

function checkInput(v: MealInput): void {
  const poor = MEAL_ASPECTS.filter((a) => v.ratings[a] === 'poor');
  if (poor.length > 0 && v.problem === '') {
    throw new ApiError('RULE', `${poor.map((a) => MEAL_ASPECT_LABELS[a]).join('、')}评价为“${RATING_LABELS.poor}”：请写明发现的问题，以便整改`);
  }
}

function insertMeal(ctx: Ctx, date: string, meal: Meal, v: MealInput, amends: string | null): string {
  const user = currentUser(ctx);
  if (ctx.db.prepare(`SELECT 1 FROM accompanied_meals WHERE meal_date = ? AND meal = ? AND created_by = ? AND status = 'confirmed'`).get(date, meal, user.userId)) {
    throw new ApiError('CONFLICT', `${date} ${MEAL_LABELS[meal]} 您已登记过陪餐：如有错误请更正该记录`);
  }
  // A person holding both roles eats with the pupils as a school leader.
  const kind: CompanionKind = hasRole(ctx, 'reviewer') ? 'leader' : 'parent';
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare(
      `INSERT INTO accompanied_meals (id, origin, meal_date, meal, companion_kind, companion_name, taste, quantity, hygiene, temperature,
         taste_remark, quantity_remark, hygiene_remark, temperature_remark, problem, status, amends, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, ?)`,
    )
    .run(
      id, ctx.installationId, date, meal, kind, user.displayName, v.ratings.taste, v.ratings.quantity, v.ratings.hygiene, v.ratings.temperature,
      v.remarks.taste, v.remarks.quantity, v.remarks.hygiene, v.remarks.temperature, v.problem, amends, ctx.now().toISOString(), user.userId,
    );
  return id;
}

export function recordMeal(ctx: Ctx, input: MealInput & { date: string; meal: Meal }): AccompaniedMealView {
  checkInput(input);
  const id = insertMeal(ctx, input.date, input.meal, input, null);
  const v = toView(ctx, mealRow(ctx, id));
  audit(ctx, 'create', 'accompanied_meals', id, null, withRows({ date: v.date, meal: v.meal, ratings: v.ratings, problem: v.problem }, groupRows(ctx, 'accompanied_meals', 'id', id)));
  return v;
}

export function amendMeal(ctx: Ctx, input: MealInput & { id: string; reason: string }): AccompaniedMealView {
  const old = mealRow(ctx, input.id);
  assertStatus(loadDoc(ctx, 'accompanied_meals', input.id), ['confirmed'], 'save');
  if (old.created_by !== currentUser(ctx).userId) throw new ApiError('FORBIDDEN', `这是 ${old.companion_name} 的陪餐记录：只能由本人更正`);
  if (old.f_at) throw new ApiError('CONFLICT', `${old.companion_name} 的陪餐记录提出的问题已整改，不能更正`);
  checkInput(input);
  cancel(ctx, 'accompanied_meals', input.id, input.reason, old.meal_date, { from: ['confirmed'] });
  audit(ctx, 'cancel', 'accompanied_meals', old.id, { status: 'confirmed' }, withRows({ status: 'cancelled', reason: input.reason }, groupRows(ctx, 'accompanied_meals', 'id', old.id)));
  const id = insertMeal(ctx, old.meal_date, old.meal, input, old.id);
  const v = toView(ctx, mealRow(ctx, id));
  audit(ctx, 'amend', 'accompanied_meals', id, null, withRows({ amends: old.id, ratings: v.ratings, problem: v.problem, reason: input.reason }, groupRows(ctx, 'accompanied_meals', 'id', id)));
  return v;
}

export function closeFollowup(ctx: Ctx, input: { id: string; action: string }): AccompaniedMealView {
  const r = mealRow(ctx, input.id);
  assertStatus(loadDoc(ctx, 'accompanied_meals', input.id), ['confirmed'], 'rectify');
  if (r.problem === '') throw new ApiError('RULE', `${r.meal_date} ${MEAL_LABELS[r.meal]} ${r.companion_name} 的陪餐没有提出问题，无需整改`);
  if (r.f_at) throw new ApiError('CONFLICT', `${r.meal_date} ${MEAL_LABELS[r.meal]} ${r.companion_name} 提出的问题已整改，不能重复整改`);
  const user = currentUser(ctx);
  ctx.db.prepare('INSERT INTO meal_followups (meal_id, action, closed_at, closed_by) VALUES (?, ?, ?, ?)').run(input.id, input.action, ctx.now().toISOString(), user.userId);
  audit(ctx, 'create', 'meal_followups', input.id, null, withRows({ problem: r.problem, action: input.action }, groupRows(ctx, 'meal_followups', 'meal_id', input.id)));
  return toView(ctx, mealRow(ctx, input.id));
}

/** A month's 陪餐 findings: 上课日 up to today without a 陪餐 record, and problems raised in the month not yet followed up. */
export function mealFindings(ctx: Ctx, month: string): MealFinding[] {
  const from = `${month}-01`;
  const last = lastDayOfMonth(month);
  const today = chinaDate(ctx.now());
  const to = last < today ? last : today;
  const out: MealFinding[] = [];
  if (from <= to) {
    const days = ctx.db
      .prepare(
        `SELECT d.day FROM school_days d WHERE d.day BETWEEN ? AND ?
           AND NOT EXISTS (SELECT 1 FROM accompanied_meals m WHERE m.meal_date = d.day AND m.status = 'confirmed') ORDER BY d.day`,
      )
      .all(from, to) as { day: string }[];
    for (const { day } of days) out.push({ kind: 'no_companion', date: day, meal: null, text: `${day} 上课日没有陪餐记录`, mealId: null });
  }
  const open = ctx.db
    .prepare(
      `SELECT m.id, m.meal_date, m.meal, m.companion_name, m.problem FROM accompanied_meals m
       WHERE m.meal_date BETWEEN ? AND ? AND m.status = 'confirmed' AND m.problem <> ''
         AND NOT EXISTS (SELECT 1 FROM meal_followups f WHERE f.meal_id = m.id) ORDER BY m.meal_date, ${MEAL_ORDER}`,
    )
    .all(from, last) as { id: string; meal_date: string; meal: Meal; companion_name: string; problem: string }[];
  for (const r of open) {
    out.push({ kind: 'open_followup', date: r.meal_date, meal: r.meal, text: `${r.meal_date} ${MEAL_LABELS[r.meal]} ${r.companion_name} 陪餐提出的问题待整改：${r.problem}`, mealId: r.id });
  }
  if (from <= to) {
    const schoolDays = (ctx.db.prepare('SELECT day FROM school_days WHERE day BETWEEN ? AND ? ORDER BY day').all(from, to) as { day: string }[]).map((d) => d.day);
    out.push(...rotaFindings(ctx, schoolDays));
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Every follow-up still open, of the last 120 days (the homes' to-do). */
export function openFollowups(ctx: Ctx): MealFinding[] {
  const today = chinaDate(ctx.now());
  const rows = ctx.db
    .prepare(
      `SELECT m.id, m.meal_date, m.meal, m.companion_name, m.problem FROM accompanied_meals m
       WHERE m.meal_date BETWEEN ? AND ? AND m.status = 'confirmed' AND m.problem <> ''
         AND NOT EXISTS (SELECT 1 FROM meal_followups f WHERE f.meal_id = m.id) ORDER BY m.meal_date, ${MEAL_ORDER}`,
    )
    .all(addDays(today, -120), today) as { id: string; meal_date: string; meal: Meal; companion_name: string; problem: string }[];
  return rows.map((r) => ({ kind: 'open_followup', date: r.meal_date, meal: r.meal, text: `${r.meal_date} ${MEAL_LABELS[r.meal]} ${r.companion_name} 陪餐提出的问题待整改：${r.problem}`, mealId: r.id }));
}
