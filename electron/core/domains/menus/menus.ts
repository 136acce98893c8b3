import type { HomeEntry } from '../../../../shared/api/audit.ts';
import type { DayAnalysis, MenuAmendmentView, MenuIssuePlan, MenuLine, MenuLineView, MenuSummary, MenuView, NutrientFigure } from '../../../../shared/api/menus.ts';
import { addDays } from '../../../../shared/calendar.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { type Attainment, NUTRIENT_COLUMNS, NUTRIENTS, type MenuStatus, type Nutrient, type ReviewDecision } from '../../../../shared/labels-menus.ts';
import { MEAL_LABELS, MEALS, type Meal } from '../../../../shared/labels-storeroom.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { audit } from '../../ledger/audit.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertStatus, loadDoc } from '../../ledger/lifecycle.ts';
import { profileFor } from '../../ledger/profile.ts';
import { lockRefusal } from '../../ledger/period-lock.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';
import { compositionsOf, type CompositionRow } from './compositions.ts';

/**
 * 带量食谱 (issue 17; migration 0024; docs/DOMAIN-RULES.md "带量食谱"). Rules, decided:
 * - One menu per week (its Monday). The canteen saves the draft whole (every line of the week replaced) and submits it;
 *   a submitted menu is approved or returned (with remarks, back to draft) by a 家委会代表 who did not submit it.
 *   Approved is final and published (the A4 notice) and drives the expected 留样 (samples.findings).
 * - Planned cost per pupil, per day and age group: each line's grams × the ingredient's last accepted price on or before
 *   that day ÷ the grams of its purchasing unit (kg 1000, 斤 500, g 1, or the unit's weight the composition gives), in
 *   thousandths of a fen rounded half up per line; the day's sum rounded half up to the fen. No price, or a unit of no
 *   known weight: the day's cost is not given and the ingredient is named.
 * - Nutrients: grams × edible share × the value per 100 g, summed exactly and rounded half up once per day to a
 *   thousandth of the unit; an ingredient without a composition is named and counts nothing; a nutrient the source
 *   leaves empty counts 0.
 * - Targets: the profile's daily target of the age group × the summed low and high shares of the meals the day serves
 *   (WS/T 554-2017's shares). Under the low end is 不足; energy over the high end is 过量; no target is 未设目标.
 * - Amendment (migration 0026): an approved menu is never changed; the canteen amends it with a reason, which opens the
 *   next revision of the week as a draft with the approved lines copied. It is saved, submitted and approved or
 *   returned like the first; until it is approved the approved one stays in force (the expected 留样, the notice), and
 *   its approval supersedes it (status superseded, its approval kept). One open revision per week; only the week's
 *   approved menu is amended.
 * - The period lock: a menu with a day on or before the latest closed month is not saved, submitted, approved or amended
 *   any more (it decides that month's expected 留样).
 */

interface MenuRow {
  id: string;
  week_start: string;
  status: MenuStatus;
  note: string;
  created_by_name: string;
  submitted_at: string | null;
  submitted_by: string | null;
  submitted_by_name: string | null;
  approved_at: string | null;
  approved_by_name: string | null;
}

const MENU_SELECT = `SELECT m.*, cu.display_name AS created_by_name, su.display_name AS submitted_by_name, au.display_name AS approved_by_name
  FROM menus m JOIN users cu ON cu.id = m.created_by LEFT JOIN users su ON su.id = m.submitted_by LEFT JOIN users au ON au.id = m.approved_by`;

function menuRow(ctx: Ctx, id: string): MenuRow {
  const r = ctx.db.prepare(`${MENU_SELECT} WHERE m.id = ?`).get(id) as MenuRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该带量食谱');
  return r;
}

const MEAL_ORDER = `CASE l.meal WHEN 'breakfast' THEN 1 WHEN 'lunch' THEN 2 ELSE 3 END`;

export function menuLines(ctx: Ctx, menuId: string): MenuLineView[] {
  return ctx.db
    .prepare(
      `SELECT l.day, l.meal, l.dish, l.ingredient_id AS ingredientId, l.age_group AS ageGroup, l.qty_mg AS qtyMg, i.name AS ingredientName
       FROM menu_items l JOIN ingredients i ON i.id = l.ingredient_id WHERE l.menu_id = ? ORDER BY l.line_no`,
    )
    .all(menuId) as MenuLineView[];
}

/** Grams of one purchasing unit: what the composition says, else the unit's name when it is a weight. */
function unitGramsOf(unit: string, comp: CompositionRow | undefined): number | null {
  if (comp?.unit_grams) return comp.unit_grams;
  const u = unit.trim().toLowerCase();
  if (u === 'kg' || u === '公斤' || u === '千克') return 1000;
  if (u === '斤') return 500;
  if (u === 'g' || u === '克') return 1;
  return null;
}

/** a / b rounded half up, for non-negative BigInts. */
const divHalfUp = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b);

function lastPriceOn(ctx: Ctx, ingredientId: string, day: string): number | null {
  const r = ctx.db
    .prepare(
      `SELECT l.unit_price_fen AS p FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id
       WHERE l.ingredient_id = ? AND d.status = 'posted' AND l.accepted_milli > 0 AND d.delivery_date <= ?
       ORDER BY d.delivery_date DESC, d.posted_at DESC, l.line_no DESC LIMIT 1`,
    )
    .get(ingredientId, day) as { p: number } | undefined;
  return r ? r.p : null;
}

function figure(n: Nutrient, amount: number, dailyTarget: number | undefined, lowBp: number, highBp: number): NutrientFigure {
  if (dailyTarget === undefined) return { amount, low: null, high: null, attainment: 'none' };
  const t = Math.round(dailyTarget * 1000);
  const low = Math.round((t * lowBp) / 10_000);
  const high = Math.round((t * highBp) / 10_000);
  const attainment: Attainment = amount < low ? 'low' : n === 'energy' && amount > high ? 'high' : 'ok';
  return { amount, low, high, attainment };
}

/** Per day and age group: cost, nutrients against the targets, variety (see the rules above). */
export function analyse(ctx: Ctx, weekStart: string, lines: MenuLineView[]): { days: DayAnalysis[]; weekVariety: number } {
  const profile = profileFor(ctx, weekStart);
  const comps = compositionsOf(ctx, lines.map((l) => l.ingredientId));
  const units = new Map<string, string>();
  for (const idv of new Set(lines.map((l) => l.ingredientId))) {
    units.set(idv, (ctx.db.prepare('SELECT unit FROM ingredients WHERE id = ?').get(idv) as { unit: string }).unit);
  }
  const days: DayAnalysis[] = [];
  const keys = [...new Set(lines.map((l) => `${l.day}|${l.ageGroup}`))].sort();
  const groupOrder = profile.menuAgeGroups.map((g) => g.code);
  keys.sort((a, b) => {
    const [da, ga] = a.split('|');
    const [db, gb] = b.split('|');
    return da !== db ? (da < db ? -1 : 1) : groupOrder.indexOf(ga) - groupOrder.indexOf(gb);
  });
  for (const key of keys) {
    const [day, code] = key.split('|');
    const group = profile.menuAgeGroups.find((g) => g.code === code);
    const mine = lines.filter((l) => l.day === day && l.ageGroup === code);
    const meals = MEALS.filter((m) => mine.some((l) => l.meal === m));
    const missing: string[] = [];
    let costMilli = 0n;
    let costKnown = true;
    const sums = Object.fromEntries(NUTRIENTS.map((n) => [n, 0n])) as Record<Nutrient, bigint>;
    for (const l of mine) {
      const comp = comps.get(l.ingredientId);
      const price = lastPriceOn(ctx, l.ingredientId, day);
      const grams = unitGramsOf(units.get(l.ingredientId) as string, comp);
      if (price === null) {
        costKnown = false;
        missing.push(`${l.ingredientName}无验收价格`);
      } else if (grams === null) {
        costKnown = false;
        missing.push(`${l.ingredientName}的单位“${units.get(l.ingredientId)}”未登记每单位克数`);
      } else {
        costMilli += divHalfUp(BigInt(l.qtyMg) * BigInt(price), BigInt(grams));
      }
      if (!comp) {
        missing.push(`${l.ingredientName}未登记营养成分`);
        continue;
      }
      for (const n of NUTRIENTS) {
        const v = comp[NUTRIENT_COLUMNS[n] as keyof CompositionRow] as number | null;
        if (v !== null) sums[n] += BigInt(l.qtyMg) * BigInt(comp.edible_bp) * BigInt(v);
      }
    }
    const lowBp = meals.reduce((s, m) => s + profile.menuMealSharesBp[m][0], 0);
    const highBp = meals.reduce((s, m) => s + profile.menuMealSharesBp[m][1], 0);
    const nutrients = Object.fromEntries(
      NUTRIENTS.map((n) => [n, figure(n, Number(divHalfUp(sums[n], 1_000_000_000n)), group?.targets[n], lowBp, highBp)]),
    ) as Record<Nutrient, NutrientFigure>;
    days.push({
      day,
      ageGroup: code,
      ageGroupLabel: group?.label ?? code,
      meals,
      costFen: costKnown ? Number(divHalfUp(costMilli, 1000n)) : null,
      missing: [...new Set(missing)],
      nutrients,
      variety: new Set(lines.filter((l) => l.day === day).map((l) => l.ingredientId)).size,
    });
  }
  return { days, weekVariety: new Set(lines.map((l) => l.ingredientId)).size };
}

function reviews(ctx: Ctx, menuId: string): MenuView['reviews'] {
  return ctx.db
    .prepare(
      `SELECT r.decision, r.remark, r.reviewed_at AS reviewedAt, u.display_name AS reviewedByName FROM menu_reviews r JOIN users u ON u.id = r.reviewed_by
       WHERE r.menu_id = ? ORDER BY r.seq`,
    )
    .all(menuId) as MenuView['reviews'];
}

interface AmendmentRow {
  menu_id: string;
  amends: string;
  revision: number;
  reason: string;
  created_at: string;
  created_by_name: string;
}

function amendmentOf(ctx: Ctx, menuId: string): AmendmentRow | undefined {
  return ctx.db
    .prepare(`SELECT a.*, u.display_name AS created_by_name FROM menu_amendments a JOIN users u ON u.id = a.created_by WHERE a.menu_id = ?`)
    .get(menuId) as AmendmentRow | undefined;
}

/** Every revision of a week, oldest first. */
function revisionsOf(ctx: Ctx, weekStart: string): { id: string; revision: number; status: MenuStatus }[] {
  return ctx.db
    .prepare(
      `SELECT m.id, coalesce(a.revision, 1) AS revision, m.status FROM menus m LEFT JOIN menu_amendments a ON a.menu_id = m.id
       WHERE m.week_start = ? ORDER BY revision`,
    )
    .all(weekStart) as { id: string; revision: number; status: MenuStatus }[];
}

export function getMenu(ctx: Ctx, id: string): MenuView {
  const r = menuRow(ctx, id);
  const lines = menuLines(ctx, id);
  const profile = profileFor(ctx, r.week_start);
  const { days, weekVariety } = analyse(ctx, r.week_start, lines);
  const a = amendmentOf(ctx, id);
  const amendment: MenuAmendmentView | null = a ? { amendsId: a.amends, reason: a.reason, createdAt: a.created_at, createdByName: a.created_by_name } : null;
  const next = ctx.db.prepare('SELECT menu_id FROM menu_amendments WHERE amends = ?').get(id) as { menu_id: string } | undefined;
  return {
    id: r.id,
    weekStart: r.week_start,
    status: r.status,
    revision: a?.revision ?? 1,
    amendment,
    amendedById: next?.menu_id ?? null,
    revisions: revisionsOf(ctx, r.week_start),
    note: r.note,
    lines,
    createdByName: r.created_by_name,
    submittedAt: r.submitted_at,
    submittedByName: r.submitted_by_name,
    submittedByMe: r.submitted_by !== null && r.submitted_by === ctx.session?.userId,
    approvedAt: r.approved_at,
    approvedByName: r.approved_by_name,
    reviews: reviews(ctx, id),
    analysis: days,
    weekVariety,
    varietyPerDay: profile.menuVarietyPerDay,
    varietyPerWeek: profile.menuVarietyPerWeek,
    ageGroups: profile.menuAgeGroups.map((g) => ({ code: g.code, label: g.label })),
  };
}

export function listMenus(ctx: Ctx, from: string, to: string): MenuSummary[] {
  return ctx.db
    .prepare(
      // The newest revision of a week first (the page opens it).
      `SELECT m.id, m.week_start AS weekStart, m.status, coalesce(a.revision, 1) AS revision, m.submitted_at AS submittedAt, m.approved_at AS approvedAt,
         au.display_name AS approvedByName, (SELECT count(DISTINCT l.day || l.meal || l.dish) FROM menu_items l WHERE l.menu_id = m.id) AS dishes
       FROM menus m LEFT JOIN users au ON au.id = m.approved_by LEFT JOIN menu_amendments a ON a.menu_id = m.id
       WHERE m.week_start BETWEEN ? AND ? ORDER BY m.week_start DESC, revision DESC`,
    )
    .all(addDays(from, -6), to) as MenuSummary[];
}

/** A menu's rows for its audit entry; `also`: other menus the write changed (the one an approved revision supersedes). */
function menuAudit(ctx: Ctx, id: string, also: string[] = []) {
  return (after: Record<string, unknown>) =>
    withRows(
      after,
      groupRows(ctx, 'menus', 'id', id),
      groupRows(ctx, 'menu_items', 'menu_id', id),
      groupRows(ctx, 'menu_reviews', 'menu_id', id),
      groupRows(ctx, 'menu_amendments', 'menu_id', id),
      ...also.map((other) => groupRows(ctx, 'menus', 'id', other)),
    );
}

/** A menu whose days reach into a closed month is not changed any more: it decides that month's expected 留样. */
function assertMenuOpen(ctx: Ctx, weekStart: string, days: string[]): void {
  const first = [...days].sort()[0] ?? weekStart;
  const why = lockRefusal(ctx, first);
  if (why) throw new ApiError('LOCKED', `带量食谱 ${weekStart} 含 ${first}：${why}`);
}

const daysOf = (ctx: Ctx, id: string): string[] => (ctx.db.prepare('SELECT DISTINCT day FROM menu_items WHERE menu_id = ?').all(id) as { day: string }[]).map((d) => d.day);

/** A superseded menu is refused in words of its own (the lifecycle would call it 已作废). */
function assertNotSuperseded(ctx: Ctx, r: MenuRow): void {
  if (r.status !== 'superseded') return;
  const next = ctx.db.prepare('SELECT revision FROM menu_amendments WHERE amends = ?').get(r.id) as { revision: number } | undefined;
  throw new ApiError('CONFLICT', `带量食谱 ${r.week_start} 的这一版已被第 ${next?.revision ?? '?'} 版取代，不能再修改、提交、审定或修订`);
}

export function saveMenu(ctx: Ctx, v: { id: string | null; weekStart: string; note: string; lines: MenuLine[] }): MenuView {
  const weekday = new Date(`${v.weekStart}T00:00:00Z`).getUTCDay();
  if (weekday !== 1) throw new ApiError('VALIDATION', `${v.weekStart} 不是星期一：带量食谱按周填写，请选择该周的星期一`);
  const end = addDays(v.weekStart, 6);
  const profile = profileFor(ctx, v.weekStart);
  const groups = new Map(profile.menuAgeGroups.map((g) => [g.code, g.label]));
  const seen = new Set<string>();
  v.lines.forEach((l, i) => {
    const at = `第 ${i + 1} 行（${l.day} ${MEAL_LABELS[l.meal]} ${l.dish}）`;
    if (l.day < v.weekStart || l.day > end) throw new ApiError('VALIDATION', `${at}：日期不在 ${v.weekStart} 至 ${end} 这一周`);
    if (!groups.has(l.ageGroup)) throw new ApiError('VALIDATION', `${at}：年龄组“${l.ageGroup}”不在区域配置的年龄组中（${[...groups.values()].join('、')}）`);
    const ing = ctx.db.prepare('SELECT name, banned, disabled FROM ingredients WHERE id = ?').get(l.ingredientId) as { name: string; banned: number; disabled: number } | undefined;
    if (!ing) throw new ApiError('NOT_FOUND', `${at}：找不到该食材`);
    if (ing.banned) throw new ApiError('RULE', `${at}：${ing.name} 是禁止供应的食材`);
    const k = `${l.day}|${l.meal}|${l.dish}|${l.ingredientId}|${l.ageGroup}`;
    if (seen.has(k)) throw new ApiError('VALIDATION', `${at}：${ing.name}（${groups.get(l.ageGroup)}）重复填写`);
    seen.add(k);
  });
  const user = currentUser(ctx);
  const at = ctx.now().toISOString();
  let id = v.id;
  let before: MenuRow | null = null;
  assertMenuOpen(ctx, v.weekStart, v.lines.map((l) => l.day));
  if (id) {
    before = menuRow(ctx, id);
    assertNotSuperseded(ctx, before);
    if (before.status === 'approved') throw new ApiError('CONFLICT', `带量食谱 ${before.week_start} 已审定公布，不能修改`);
    assertStatus(loadDoc(ctx, 'menus', id), ['draft'], 'save', { submitted: '请等待家委会审定；退回后可修改' });
    if (before.week_start !== v.weekStart) throw new ApiError('VALIDATION', '带量食谱的周次不能修改');
    assertMenuOpen(ctx, before.week_start, daysOf(ctx, id));
    ctx.db.prepare('UPDATE menus SET note = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(v.note, at, user.userId, id);
    ctx.db.prepare('DELETE FROM menu_items WHERE menu_id = ?').run(id);
  } else {
    const other = ctx.db.prepare('SELECT id FROM menus WHERE week_start = ?').get(v.weekStart) as { id: string } | undefined;
    if (other) throw new ApiError('CONFLICT', `${v.weekStart} 这一周已有带量食谱：请打开它修改`);
    id = uuidv7(ctx.now().getTime());
    ctx.db
      .prepare(`INSERT INTO menus (id, origin, week_start, status, note, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?)`)
      .run(id, ctx.installationId, v.weekStart, v.note, at, user.userId, at, user.userId);
  }
  const ins = ctx.db.prepare('INSERT INTO menu_items (menu_id, line_no, day, meal, dish, ingredient_id, age_group, qty_mg) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  v.lines.forEach((l, i) => ins.run(id, i + 1, l.day, l.meal, l.dish, l.ingredientId, l.ageGroup, l.qtyMg));
  audit(ctx, before ? 'update' : 'create', 'menus', id, before ? { status: before.status } : null, menuAudit(ctx, id)({ weekStart: v.weekStart, lines: v.lines.length }));
  return getMenu(ctx, id);
}

export function submitMenu(ctx: Ctx, id: string): MenuView {
  const r = menuRow(ctx, id);
  assertNotSuperseded(ctx, r);
  if (r.status === 'approved') throw new ApiError('CONFLICT', `带量食谱 ${r.week_start} 已审定公布，不能再提交`);
  assertStatus(loadDoc(ctx, 'menus', id), ['draft'], 'submit');
  assertMenuOpen(ctx, r.week_start, daysOf(ctx, id));
  if (!ctx.db.prepare('SELECT 1 FROM menu_items WHERE menu_id = ?').get(id)) throw new ApiError('RULE', `带量食谱 ${r.week_start} 没有菜品，不能提交`);
  const user = currentUser(ctx);
  ctx.db.prepare(`UPDATE menus SET status = 'submitted', submitted_at = ?, submitted_by = ? WHERE id = ?`).run(ctx.now().toISOString(), user.userId, id);
  audit(ctx, 'submit', 'menus', id, { status: 'draft' }, menuAudit(ctx, id)({ status: 'submitted' }));
  return getMenu(ctx, id);
}

export function reviewMenu(ctx: Ctx, v: { id: string; decision: ReviewDecision; remark: string }): MenuView {
  const r = menuRow(ctx, v.id);
  assertNotSuperseded(ctx, r);
  if (r.status === 'approved') throw new ApiError('CONFLICT', `带量食谱 ${r.week_start} 已审定，不能重复审定`);
  assertStatus(loadDoc(ctx, 'menus', v.id), ['submitted'], v.decision === 'approved' ? 'approve' : 'withdraw');
  assertMenuOpen(ctx, r.week_start, daysOf(ctx, v.id));
  const user = currentUser(ctx);
  if (r.submitted_by === user.userId) throw new ApiError('FORBIDDEN', `带量食谱 ${r.week_start} 是您提交的：须由另一位家委会代表审定`);
  const at = ctx.now().toISOString();
  const seq = (ctx.db.prepare('SELECT coalesce(max(seq), 0) + 1 AS n FROM menu_reviews WHERE menu_id = ?').get(v.id) as { n: number }).n;
  ctx.db.prepare('INSERT INTO menu_reviews (menu_id, seq, decision, remark, reviewed_at, reviewed_by) VALUES (?, ?, ?, ?, ?, ?)').run(v.id, seq, v.decision, v.remark, at, user.userId);
  // An approved revision supersedes the menu it amends (first, so the week never holds two approved).
  const amended = v.decision === 'approved' ? amendmentOf(ctx, v.id)?.amends : undefined;
  if (amended) ctx.db.prepare(`UPDATE menus SET status = 'superseded' WHERE id = ?`).run(amended);
  if (v.decision === 'approved') {
    ctx.db.prepare(`UPDATE menus SET status = 'approved', approved_at = ?, approved_by = ? WHERE id = ?`).run(at, user.userId, v.id);
  } else {
    ctx.db.prepare(`UPDATE menus SET status = 'draft', submitted_at = NULL, submitted_by = NULL WHERE id = ?`).run(v.id);
  }
  const rows = menuAudit(ctx, v.id, amended ? [amended] : [])({ decision: v.decision, remark: v.remark, ...(amended ? { supersedes: amended } : {}) });
  audit(ctx, v.decision === 'approved' ? 'approve' : 'send_back', 'menus', v.id, { status: 'submitted' }, rows);
  return getMenu(ctx, v.id);
}

/**
 * A reasoned amendment of the week's approved menu: the next revision as a draft with the approved lines copied, the
 * reason in menu_amendments. The approved menu is not touched (it stays in force until the revision is approved).
 */
export function amendMenu(ctx: Ctx, v: { id: string; reason: string }): MenuView {
  const r = menuRow(ctx, v.id);
  assertNotSuperseded(ctx, r);
  if (r.status !== 'approved') throw new ApiError('CONFLICT', `带量食谱 ${r.week_start} ${r.status === 'draft' ? '还是草稿' : '正在审定'}：直接修改即可，只有已审定的食谱需要修订`);
  assertMenuOpen(ctx, r.week_start, daysOf(ctx, v.id));
  const open = ctx.db
    .prepare(`SELECT coalesce(a.revision, 1) AS revision FROM menus m LEFT JOIN menu_amendments a ON a.menu_id = m.id WHERE m.week_start = ? AND m.status IN ('draft','submitted')`)
    .get(r.week_start) as { revision: number } | undefined;
  if (open) throw new ApiError('CONFLICT', `带量食谱 ${r.week_start} 已有第 ${open.revision} 版修订本尚未审定：请在该版上修改`);
  const revision = (amendmentOf(ctx, v.id)?.revision ?? 1) + 1;
  const user = currentUser(ctx);
  const at = ctx.now().toISOString();
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare(`INSERT INTO menus (id, origin, week_start, status, note, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?)`)
    .run(id, ctx.installationId, r.week_start, r.note, at, user.userId, at, user.userId);
  ctx.db
    .prepare(
      `INSERT INTO menu_items (menu_id, line_no, day, meal, dish, ingredient_id, age_group, qty_mg)
       SELECT ?, line_no, day, meal, dish, ingredient_id, age_group, qty_mg FROM menu_items WHERE menu_id = ? ORDER BY line_no`,
    )
    .run(id, v.id);
  ctx.db.prepare('INSERT INTO menu_amendments (menu_id, amends, revision, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)').run(id, v.id, revision, v.reason, at, user.userId);
  audit(ctx, 'amend', 'menus', id, null, menuAudit(ctx, id)({ weekStart: r.week_start, amends: v.id, revision, reason: v.reason }));
  return getMenu(ctx, id);
}

/**
 * 出库 from the approved menu (issue 17): for one day and meal of the week's approved menu, each ingredient's raw grams per
 * pupil × the diners of its age group, summed, and in the ingredient's unit (grams of the unit as for the planned cost),
 * half up to the thousandth. An age group without diners counts none; an unknown one is refused.
 */
export function issuePlan(ctx: Ctx, v: { date: string; meal: Meal; diners: Record<string, number> }): MenuIssuePlan {
  const monday = addDays(v.date, -((new Date(`${v.date}T00:00:00Z`).getUTCDay() + 6) % 7));
  const menu = ctx.db.prepare(`SELECT id, week_start FROM menus WHERE week_start = ? AND status = 'approved'`).get(monday) as { id: string; week_start: string } | undefined;
  if (!menu) throw new ApiError('NOT_FOUND', `${v.date} 所在的一周（${monday} 起）没有已审定的带量食谱`);
  const groups = profileFor(ctx, monday).menuAgeGroups;
  for (const code of Object.keys(v.diners)) {
    if (!groups.some((g) => g.code === code)) throw new ApiError('VALIDATION', `年龄组“${code}”不在区域配置的年龄组中（${groups.map((g) => g.label).join('、')}）`);
  }
  const total = Object.values(v.diners).reduce((a, b) => a + b, 0);
  if (total === 0) throw new ApiError('RULE', '请填写各年龄组的就餐人数');
  const lines = menuLines(ctx, menu.id).filter((l) => l.day === v.date && l.meal === v.meal);
  if (lines.length === 0) throw new ApiError('RULE', `已审定的带量食谱中 ${v.date} ${MEAL_LABELS[v.meal]} 没有菜品`);
  const comps = compositionsOf(ctx, lines.map((l) => l.ingredientId));
  const byItem = new Map<string, MenuIssuePlan['lines'][number]>();
  for (const l of lines) {
    let it = byItem.get(l.ingredientId);
    if (!it) {
      const ing = ctx.db.prepare('SELECT unit, storable FROM ingredients WHERE id = ?').get(l.ingredientId) as { unit: string; storable: number };
      it = { ingredientId: l.ingredientId, name: l.ingredientName, unit: ing.unit, storable: ing.storable === 1, totalMg: 0, qtyMilli: null, dishes: [] };
      byItem.set(l.ingredientId, it);
    }
    it.totalMg += l.qtyMg * (v.diners[l.ageGroup] ?? 0);
    if (!it.dishes.includes(l.dish)) it.dishes.push(l.dish);
  }
  for (const it of byItem.values()) {
    const grams = unitGramsOf(it.unit, comps.get(it.ingredientId));
    it.qtyMilli = grams === null ? null : Number(divHalfUp(BigInt(it.totalMg), BigInt(grams)));
  }
  return { menuId: menu.id, weekStart: menu.week_start, revision: amendmentOf(ctx, menu.id)?.revision ?? 1, date: v.date, meal: v.meal, diners: total, lines: [...byItem.values()] };
}

/** The dishes an approved menu plans for a day and meal (the expected 留样 list). */
export function plannedDishes(ctx: Ctx, from: string, to: string): { day: string; meal: Meal; dish: string }[] {
  return ctx.db
    .prepare(
      `SELECT DISTINCT l.day, l.meal, l.dish FROM menu_items l JOIN menus m ON m.id = l.menu_id
       WHERE m.status = 'approved' AND l.day BETWEEN ? AND ? ORDER BY l.day, ${MEAL_ORDER}, l.dish`,
    )
    .all(from, to) as { day: string; meal: Meal; dish: string }[];
}

/** Whose home shows what of the menus (electron/core/domains/audit/home.ts): the canteen's next week, the parents' 审定. */
export function menuHomeEntry(ctx: Ctx, today: string, who: 'canteen' | 'parent'): HomeEntry {
  const monday = addDays(today, -((new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7));
  if (who === 'parent') {
    const me = ctx.session?.userId ?? '';
    const waiting = ctx.db
      .prepare(`SELECT week_start, submitted_by FROM menus WHERE status = 'submitted' AND week_start BETWEEN ? AND ? ORDER BY week_start`)
      .all(addDays(monday, -28), addDays(monday, 56)) as { week_start: string; submitted_by: string }[];
    const mine = waiting.filter((m) => m.submitted_by !== me);
    return {
      kind: 'menus_review',
      label: '食谱审定',
      value: mine.length ? `${mine.length} 份待审定` : '无',
      detail: mine.length ? '食堂提交的带量食谱：审定通过后公示，或写明意见退回' : '没有待审定的带量食谱',
      link: `/foodsafety/menus?week=${mine[0]?.week_start ?? monday}`,
      linkLabel: '带量食谱',
      lines: mine.map((m) => ({ text: `${m.week_start} 这一周的带量食谱待审定`, link: `/foodsafety/menus?week=${m.week_start}`, tone: 'warning' as const })),
    };
  }
  const next = addDays(monday, 7);
  // The week's newest revision (an amendment under way shows as its draft or 待审定).
  const row = ctx.db.prepare('SELECT id, status FROM menus WHERE week_start = ? ORDER BY created_at DESC, id DESC LIMIT 1').get(next) as { id: string; status: MenuStatus } | undefined;
  const returned = ctx.db
    .prepare(
      `SELECT m.week_start, r.remark, u.display_name AS by_name FROM menus m JOIN menu_reviews r ON r.menu_id = m.id AND r.seq = (SELECT max(seq) FROM menu_reviews WHERE menu_id = m.id)
       JOIN users u ON u.id = r.reviewed_by WHERE m.status = 'draft' AND r.decision = 'returned' AND m.week_start BETWEEN ? AND ? ORDER BY m.week_start`,
    )
    .all(addDays(monday, -28), addDays(monday, 56)) as { week_start: string; remark: string; by_name: string }[];
  return {
    kind: 'menus',
    label: '带量食谱',
    value: `下周 ${row ? { draft: '草稿', submitted: '待审定', approved: '已审定', superseded: '已审定' }[row.status] : '未编制'}`,
    detail: `${next} 这一周的食谱须提前编制，经家委会审定后公示`,
    link: `/foodsafety/menus?week=${next}`,
    linkLabel: '带量食谱',
    lines: returned.map((r) => ({ text: `${r.week_start} 这一周的食谱被 ${r.by_name} 退回：${r.remark}`, link: `/foodsafety/menus?week=${r.week_start}`, tone: 'warning' as const })),
  };
}
