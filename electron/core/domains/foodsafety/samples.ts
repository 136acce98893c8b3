import type { SampleFinding, SampleRules, SampleView } from '../../../../shared/api/foodsafety.ts';
import { addDays, chinaDate, chinaDateTime, chinaInstant, lastDayOfMonth } from '../../../../shared/calendar.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { MEAL_LABELS, type Meal } from '../../../../shared/labels-foodsafety.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { audit } from '../../ledger/audit.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertStatus, cancel, loadDoc } from '../../ledger/lifecycle.ts';
import { assertPeriodOpen } from '../../ledger/period-lock.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';
import { profileFor } from '../people/index.ts';

/**
 * 留样 (issue 17 slice 1; migration 0021; docs/DOMAIN-RULES.md "留样"). Rules, decided:
 * - A light sample (under the profile's least weight for the sample's day, national 125 g) is first REFUSED with the
 *   advice to top it up and weigh it again: the form is filled at the fridge when the sample is sealed. When it cannot
 *   be topped up (the dish is sold out) it is RECORDED as weighed with the reason (light_reason, migration 0028) and is a
 *   finding 留样不足 like a missing sample — never lost, which would make the dish show as unsampled. A reason on a
 *   sample that meets the weight is refused. SQL holds "at least the national 125 g, or a reason" again.
 * - The keep-until time is at least the profile's hours after the time taken (national 48): an earlier one is refused.
 * - A discard before keep-until is RECORDED ONLY WITH A REASON (a broken fridge, an inspector taking it) and is then a
 *   finding on the homes and the checklist: what happened to the sample is written down, never hidden by a refusal.
 *   Without a reason it is refused.
 * - A meal day without samples (a 上课日 up to today with none, or a meal the storeroom issued food for with none) is a
 *   finding, shown on the storekeeper's and reviewer's homes and on the month-close checklist (informational: it does
 *   not block the close, the books are right; the reviewer is told).
 */

interface SampleRow {
  id: string;
  sample_date: string;
  meal: Meal;
  dish: string;
  weight_g: number;
  taken_at: string;
  taker: string;
  fridge: string;
  keep_until: string;
  light_reason: string;
  status: 'confirmed' | 'cancelled';
  amends: string | null;
  created_at: string;
  created_by_name: string;
  cancelled_at: string | null;
  cancelled_by_name: string | null;
  cancel_reason: string | null;
  d_at: string | null;
  d_disposer: string | null;
  d_reason: string | null;
  d_by_name: string | null;
}

const SELECT = `SELECT s.*, cu.display_name AS created_by_name, xu.display_name AS cancelled_by_name,
  d.discarded_at AS d_at, d.disposer AS d_disposer, d.reason AS d_reason, du.display_name AS d_by_name
  FROM food_samples s JOIN users cu ON cu.id = s.created_by LEFT JOIN users xu ON xu.id = s.cancelled_by
  LEFT JOIN food_sample_discards d ON d.sample_id = s.id LEFT JOIN users du ON du.id = d.created_by`;

function toView(r: SampleRow): SampleView {
  return {
    id: r.id,
    date: r.sample_date,
    meal: r.meal,
    dish: r.dish,
    weightG: r.weight_g,
    takenAt: r.taken_at,
    taker: r.taker,
    fridge: r.fridge,
    keepUntil: r.keep_until,
    lightReason: r.light_reason,
    status: r.status,
    amends: r.amends,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    cancelledByName: r.cancelled_by_name,
    cancelledAt: r.cancelled_at,
    cancelReason: r.cancel_reason,
    discard: r.d_at ? { at: r.d_at, disposer: r.d_disposer ?? '', reason: r.d_reason ?? '', early: r.d_at < r.keep_until, recordedByName: r.d_by_name ?? '' } : null,
  };
}

function sampleById(ctx: Ctx, id: string): SampleView {
  const r = ctx.db.prepare(`${SELECT} WHERE s.id = ?`).get(id) as SampleRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该留样记录');
  return toView(r);
}

export function rulesFor(ctx: Ctx, date: string): SampleRules {
  const p = profileFor(ctx, date);
  return { minGrams: p.sampleMinGrams, keepHours: p.sampleKeepHours };
}

export function listSamples(ctx: Ctx, from: string, to: string): { samples: SampleView[]; rules: SampleRules } {
  if (to > addDays(from, 62)) throw new ApiError('VALIDATION', '一次最多查询 62 天的留样记录');
  const rows = ctx.db
    .prepare(`${SELECT} WHERE s.sample_date BETWEEN ? AND ? ORDER BY s.sample_date, CASE s.meal WHEN 'breakfast' THEN 1 WHEN 'lunch' THEN 2 ELSE 3 END, s.taken_at, s.created_at`)
    .all(from, to) as SampleRow[];
  return { samples: rows.map(toView), rules: rulesFor(ctx, to) };
}

interface Dish {
  dish: string;
  weightG: number;
  takenTime: string;
  /** '' unless the sample is light and could not be topped up. */
  lightReason: string;
}

/**
 * The weights of the dishes against the least weight of their day: a light dish without its reason is refused, every
 * one of them at once, the message advising to top up first (and saying how to record it when that cannot be done);
 * each is named in the issues at its reason field (`path(i)`), where the form offers it. A reason on a dish that meets
 * the weight is refused too: it would make the sample a finding it is not.
 */
function checkWeights(dishes: Dish[], rules: SampleRules, path: (i: number) => string): void {
  const light = dishes.flatMap((d, i) => (d.weightG < rules.minGrams && !d.lightReason ? [{ i, message: `${d.dish} 留样量 ${d.weightG} 克，不足 ${rules.minGrams} 克` }] : []));
  if (light.length) {
    throw new ApiError(
      'RULE',
      `${light.map((l) => l.message).join('；')}：每个菜品留样不少于 ${rules.minGrams} 克，请补足后再登记；确实无法补足（如菜品已售完）请填写留样不足原因，登记后列为问题`,
      light.map((l) => ({ path: path(l.i), message: `${l.message}：请补足后再登记，无法补足请填写原因` })),
    );
  }
  const needless = dishes.findIndex((d) => d.weightG >= rules.minGrams && d.lightReason);
  if (needless >= 0) {
    const d = dishes[needless];
    const message = `${d.dish} 留样量 ${d.weightG} 克，已达 ${rules.minGrams} 克，不需要填写留样不足原因`;
    throw new ApiError('RULE', message, [{ path: path(needless), message }]);
  }
}

/** The instants of one dish's sample, checked against the rules of its day; refusals in words, nothing written. */
function checkDish(ctx: Ctx, date: string, d: Dish, keepUntil: string | undefined, rules: SampleRules): { takenAt: string; keepUntil: string } {
  const takenAt = chinaInstant(date, d.takenTime);
  if (takenAt > ctx.now().toISOString()) throw new ApiError('RULE', `${d.dish} 的留样时间 ${date} ${d.takenTime} 晚于现在，不能预先登记`);
  const least = new Date(new Date(takenAt).getTime() + rules.keepHours * 3600_000).toISOString();
  const until = keepUntil ? chinaInstant(keepUntil.slice(0, 10), keepUntil.slice(11)) : least;
  if (until < least) {
    throw new ApiError('RULE', `${d.dish} 保存至 ${keepUntil}，不足 ${rules.keepHours} 小时：留样须保存至 ${chinaDateTime(least, 'minute')} 以后`);
  }
  return { takenAt, keepUntil: until };
}

function assertNoDuplicate(ctx: Ctx, date: string, meal: Meal, dish: string): void {
  if (ctx.db.prepare(`SELECT 1 FROM food_samples WHERE sample_date = ? AND meal = ? AND dish = ? AND status = 'confirmed'`).get(date, meal, dish)) {
    throw new ApiError('CONFLICT', `${date} ${MEAL_LABELS[meal]} 已有 ${dish} 的留样记录：如有错误请更正该记录`);
  }
}

function insertSample(ctx: Ctx, v: { date: string; meal: Meal; dish: string; weightG: number; lightReason: string; takenAt: string; taker: string; fridge: string; keepUntil: string; amends: string | null }): string {
  const user = currentUser(ctx);
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare(
      `INSERT INTO food_samples (id, origin, sample_date, meal, dish, weight_g, taken_at, taker, fridge, keep_until, status, amends, created_at, created_by, light_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, ?, ?)`,
    )
    .run(id, ctx.installationId, v.date, v.meal, v.dish, v.weightG, v.takenAt, v.taker, v.fridge, v.keepUntil, v.amends, ctx.now().toISOString(), user.userId, v.lightReason);
  return id;
}

export function recordSamples(
  ctx: Ctx,
  input: { date: string; meal: Meal; fridge: string; taker: string; keepUntil?: string; dishes: Dish[] },
): SampleView[] {
  const rules = rulesFor(ctx, input.date);
  checkWeights(input.dishes, rules, (i) => `dishes.${i}.lightReason`);
  const seen = new Set<string>();
  const checked = input.dishes.map((d) => {
    if (seen.has(d.dish)) throw new ApiError('VALIDATION', `菜品 ${d.dish} 填了两次`);
    seen.add(d.dish);
    assertNoDuplicate(ctx, input.date, input.meal, d.dish);
    return { ...d, ...checkDish(ctx, input.date, d, input.keepUntil, rules) };
  });
  const ids = checked.map((d) =>
    insertSample(ctx, { date: input.date, meal: input.meal, dish: d.dish, weightG: d.weightG, lightReason: d.lightReason, takenAt: d.takenAt, taker: input.taker, fridge: input.fridge, keepUntil: d.keepUntil, amends: null }),
  );
  const views = ids.map((id) => sampleById(ctx, id));
  for (const v of views) {
    const light = v.lightReason ? { lightReason: v.lightReason } : {};
    audit(ctx, 'create', 'food_samples', v.id, null, withRows({ date: v.date, meal: v.meal, dish: v.dish, weightG: v.weightG, ...light }, groupRows(ctx, 'food_samples', 'id', v.id)));
  }
  return views;
}

export function amendSample(
  ctx: Ctx,
  input: { id: string; reason: string; dish: string; weightG: number; lightReason: string; takenTime: string; taker: string; fridge: string; keepUntil?: string },
): SampleView {
  const old = sampleById(ctx, input.id);
  assertStatus(loadDoc(ctx, 'food_samples', input.id), ['confirmed'], 'save');
  if (old.discard) throw new ApiError('CONFLICT', `留样 ${old.dish} 已于 ${chinaDateTime(old.discard.at, 'minute')} 处理，不能更正`);
  const rules = rulesFor(ctx, old.date);
  checkWeights([input], rules, () => 'lightReason');
  const checked = checkDish(ctx, old.date, input, input.keepUntil, rules);
  // The cancel books on the sample's own date: a sample of a closed month is not corrected any more (period lock).
  cancel(ctx, 'food_samples', input.id, input.reason, old.date, { from: ['confirmed'] });
  assertNoDuplicate(ctx, old.date, old.meal, input.dish);
  const id = insertSample(ctx, { date: old.date, meal: old.meal, dish: input.dish, weightG: input.weightG, lightReason: input.lightReason, takenAt: checked.takenAt, taker: input.taker, fridge: input.fridge, keepUntil: checked.keepUntil, amends: old.id });
  audit(ctx, 'cancel', 'food_samples', old.id, { status: 'confirmed' }, withRows({ status: 'cancelled', reason: input.reason, amendedBy: id }, groupRows(ctx, 'food_samples', 'id', old.id)));
  const v = sampleById(ctx, id);
  const light = v.lightReason ? { lightReason: v.lightReason } : {};
  audit(ctx, 'amend', 'food_samples', id, null, withRows({ amends: old.id, dish: v.dish, weightG: v.weightG, ...light, reason: input.reason }, groupRows(ctx, 'food_samples', 'id', id)));
  return v;
}

export function discardSamples(ctx: Ctx, input: { ids: string[]; at?: string; disposer: string; reason: string }): SampleView[] {
  const user = currentUser(ctx);
  const now = ctx.now().toISOString();
  const at = input.at ? chinaInstant(input.at.slice(0, 10), input.at.slice(11)) : now;
  if (at > now) throw new ApiError('RULE', `处理时间 ${input.at} 晚于现在，不能预先登记`);
  assertPeriodOpen(ctx, chinaDate(new Date(at)));
  const out: SampleView[] = [];
  for (const id of new Set(input.ids)) {
    const s = sampleById(ctx, id);
    const doc = loadDoc(ctx, 'food_samples', id);
    assertStatus(doc, ['confirmed'], 'dispose');
    if (s.discard) throw new ApiError('CONFLICT', `留样 ${s.dish}（${s.date} ${MEAL_LABELS[s.meal]}）已于 ${chinaDateTime(s.discard.at, 'minute')} 处理，不能重复处理`);
    if (at < s.takenAt) throw new ApiError('RULE', `处理时间早于 ${s.dish} 的留样时间 ${chinaDateTime(s.takenAt, 'minute')}`);
    if (at < s.keepUntil && !input.reason) {
      throw new ApiError('RULE', `${s.dish}（${s.date} ${MEAL_LABELS[s.meal]}）须保存至 ${chinaDateTime(s.keepUntil, 'minute')}，不能提前处理；确需提前处理（如冰箱故障、被监管部门取走）请填写原因`);
    }
    ctx.db
      .prepare('INSERT INTO food_sample_discards (sample_id, discarded_at, disposer, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, at, input.disposer, input.reason, now, user.userId);
    const v = sampleById(ctx, id);
    audit(ctx, 'create', 'food_sample_discards', id, null, withRows({ at, disposer: input.disposer, reason: input.reason, early: v.discard?.early ?? false }, groupRows(ctx, 'food_sample_discards', 'sample_id', id)));
    out.push(v);
  }
  return out;
}

/**
 * A month's 留样 findings, by date: school days without samples, meals issued without samples, planned dishes without
 * one, light samples (留样不足: under the least weight of the month's profile, recorded with their reason), early discards.
 */
export function sampleFindings(ctx: Ctx, month: string): SampleFinding[] {
  const from = `${month}-01`;
  const today = chinaDate(ctx.now());
  const last = lastDayOfMonth(month);
  const to = last < today ? last : today;
  if (from > to) return [];
  const out: SampleFinding[] = [];
  const noSamples = ctx.db
    .prepare(
      `SELECT d.day FROM school_days d WHERE d.day BETWEEN ? AND ?
         AND NOT EXISTS (SELECT 1 FROM food_samples s WHERE s.sample_date = d.day AND s.status = 'confirmed') ORDER BY d.day`,
    )
    .all(from, to) as { day: string }[];
  for (const { day } of noSamples) out.push({ kind: 'no_samples', date: day, meal: null, text: `${day} 上课日没有留样记录` });
  const issued = ctx.db
    .prepare(
      `SELECT DISTINCT i.issue_date AS day, i.meal FROM stock_issues i
       WHERE i.issue_date BETWEEN ? AND ? AND i.meal IS NOT NULL AND i.reverses IS NULL
         AND NOT EXISTS (SELECT 1 FROM stock_issues r WHERE r.reverses = i.id)
         AND NOT EXISTS (SELECT 1 FROM food_samples s WHERE s.sample_date = i.issue_date AND s.meal = i.meal AND s.status = 'confirmed')
       ORDER BY day, CASE i.meal WHEN 'breakfast' THEN 1 WHEN 'lunch' THEN 2 ELSE 3 END`,
    )
    .all(from, to) as { day: string; meal: Meal }[];
  const dayless = new Set(noSamples.map((d) => d.day));
  for (const r of issued) {
    if (dayless.has(r.day)) continue;
    out.push({ kind: 'meal_without_sample', date: r.day, meal: r.meal, text: `${r.day} ${MEAL_LABELS[r.meal]} 有出库但没有留样记录` });
  }
  // The approved 带量食谱 drives the expected list (issue 17): a planned dish of a meal that has other samples but none
  // of that dish. (A day without any sample is already a finding above.)
  const planned = ctx.db
    .prepare(
      `SELECT DISTINCT l.day, l.meal, l.dish FROM menu_items l JOIN menus m ON m.id = l.menu_id
       WHERE l.day BETWEEN ? AND ? AND m.status = 'approved'
         AND NOT EXISTS (SELECT 1 FROM food_samples s WHERE s.sample_date = l.day AND s.meal = l.meal AND s.dish = l.dish AND s.status = 'confirmed')
       ORDER BY l.day, CASE l.meal WHEN 'breakfast' THEN 1 WHEN 'lunch' THEN 2 ELSE 3 END, l.dish`,
    )
    .all(from, to) as { day: string; meal: Meal; dish: string }[];
  for (const r of planned) {
    if (dayless.has(r.day)) continue;
    out.push({ kind: 'planned_dish_without_sample', date: r.day, meal: r.meal, text: `${r.day} ${MEAL_LABELS[r.meal]} ${r.dish} 是审定食谱中的菜品，没有留样记录` });
  }
  // Light samples: recorded with a reason, or (never through the API) under the profile's least weight without one.
  const least = profileFor(ctx, from).sampleMinGrams;
  const light = ctx.db
    .prepare(
      `SELECT s.sample_date AS day, s.meal, s.dish, s.weight_g, s.light_reason FROM food_samples s
       WHERE s.sample_date BETWEEN ? AND ? AND s.status = 'confirmed' AND (s.light_reason <> '' OR s.weight_g < ?)
       ORDER BY s.sample_date, CASE s.meal WHEN 'breakfast' THEN 1 WHEN 'lunch' THEN 2 ELSE 3 END, s.taken_at, s.dish`,
    )
    .all(from, last, least) as { day: string; meal: Meal; dish: string; weight_g: number; light_reason: string }[];
  for (const r of light) {
    out.push({
      kind: 'light_sample',
      date: r.day,
      meal: r.meal,
      text: `${r.day} ${MEAL_LABELS[r.meal]} ${r.dish} 留样不足：${r.weight_g} 克（应不少于 ${least} 克）${r.light_reason ? `：${r.light_reason}` : ''}`,
    });
  }
  const early = ctx.db
    .prepare(
      `SELECT s.sample_date AS day, s.meal, s.dish, s.keep_until, d.discarded_at, d.reason FROM food_sample_discards d JOIN food_samples s ON s.id = d.sample_id
       WHERE s.sample_date BETWEEN ? AND ? AND d.discarded_at < s.keep_until ORDER BY s.sample_date, d.discarded_at`,
    )
    .all(from, last) as { day: string; meal: Meal; dish: string; keep_until: string; discarded_at: string; reason: string }[];
  for (const r of early) {
    out.push({
      kind: 'early_discard',
      date: r.day,
      meal: r.meal,
      text: `${r.day} ${MEAL_LABELS[r.meal]} ${r.dish} 的留样于 ${chinaDateTime(r.discarded_at, 'minute')} 提前处理（应保存至 ${chinaDateTime(r.keep_until, 'minute')}）：${r.reason}`,
    });
  }
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Confirmed samples past their keep-until time and not yet discarded (the storekeeper's to-do). */
export function samplesDue(ctx: Ctx): SampleView[] {
  const rows = ctx.db
    // The last 60 days by the date index: a sample older than that and never discarded is long a finding of its month.
    .prepare(`${SELECT} WHERE s.sample_date BETWEEN ? AND ? AND s.status = 'confirmed' AND d.sample_id IS NULL AND s.keep_until <= ? ORDER BY s.keep_until`)
    .all(addDays(chinaDate(ctx.now()), -60), chinaDate(ctx.now()), ctx.now().toISOString()) as SampleRow[];
  return rows.map(toView);
}
