import type { CompositionView, NutrientValues } from '../../../../shared/api/menus.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { NUTRIENT_COLUMNS, NUTRIENTS, type Nutrient } from '../../../../shared/labels-menus.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { audit } from '../../ledger/audit.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';

/**
 * 食物成分 (issue 17): the nutrients per 100 g edible part of an ingredient, as the school enters them with their source
 * named (the national food composition table is copyrighted and not shipped). Kept up to date like the staff roster:
 * each save replaces the ingredient's values and is audited with its row.
 */

export interface CompositionRow {
  ingredient_id: string;
  ingredient_name: string;
  unit: string;
  edible_bp: number;
  unit_grams: number | null;
  energy: number | null;
  protein: number | null;
  fat: number | null;
  carbohydrate: number | null;
  calcium: number | null;
  iron: number | null;
  zinc: number | null;
  vitamin_a: number | null;
  vitamin_b1: number | null;
  vitamin_b2: number | null;
  vitamin_c: number | null;
  source: string;
  updated_at: string;
  updated_by_name: string;
}

const SELECT = `SELECT c.*, i.name AS ingredient_name, i.unit, u.display_name AS updated_by_name FROM food_compositions c
  JOIN ingredients i ON i.id = c.ingredient_id JOIN users u ON u.id = c.updated_by`;

export const valuesOf = (r: CompositionRow): NutrientValues =>
  Object.fromEntries(NUTRIENTS.map((n) => [n, r[NUTRIENT_COLUMNS[n] as keyof CompositionRow] as number | null])) as NutrientValues;

const view = (r: CompositionRow): CompositionView => ({
  ingredientId: r.ingredient_id,
  ingredientName: r.ingredient_name,
  unit: r.unit,
  edibleBp: r.edible_bp,
  unitGrams: r.unit_grams,
  values: valuesOf(r),
  source: r.source,
  updatedAt: r.updated_at,
  updatedByName: r.updated_by_name,
});

export function listCompositions(ctx: Ctx): CompositionView[] {
  return (ctx.db.prepare(`${SELECT} ORDER BY i.py_initials, i.name`).all() as CompositionRow[]).map(view);
}

/** Compositions of the given ingredients, by ingredient id. */
export function compositionsOf(ctx: Ctx, ingredientIds: string[]): Map<string, CompositionRow> {
  const out = new Map<string, CompositionRow>();
  const stmt = ctx.db.prepare(`${SELECT} WHERE c.ingredient_id = ?`);
  for (const idv of new Set(ingredientIds)) {
    const r = stmt.get(idv) as CompositionRow | undefined;
    if (r) out.set(idv, r);
  }
  return out;
}

export function saveComposition(
  ctx: Ctx,
  v: { ingredientId: string; edibleBp: number; unitGrams: number | null; values: Record<Nutrient, number | null>; source: string },
): CompositionView {
  const ing = ctx.db.prepare('SELECT name FROM ingredients WHERE id = ?').get(v.ingredientId) as { name: string } | undefined;
  if (!ing) throw new ApiError('NOT_FOUND', '找不到该食材');
  if (NUTRIENTS.every((n) => v.values[n] === null)) throw new ApiError('VALIDATION', `${ing.name}：请至少填写一项营养素含量`);
  const user = currentUser(ctx);
  const at = ctx.now().toISOString();
  const before = compositionsOf(ctx, [v.ingredientId]).get(v.ingredientId) ?? null;
  const cols = NUTRIENTS.map((n) => NUTRIENT_COLUMNS[n]);
  const vals = NUTRIENTS.map((n) => v.values[n]);
  if (before) {
    ctx.db
      .prepare(`UPDATE food_compositions SET edible_bp = ?, unit_grams = ?, ${cols.map((c) => `${c} = ?`).join(', ')}, source = ?, updated_at = ?, updated_by = ? WHERE ingredient_id = ?`)
      .run(v.edibleBp, v.unitGrams, ...vals, v.source, at, user.userId, v.ingredientId);
  } else {
    ctx.db
      .prepare(
        `INSERT INTO food_compositions (ingredient_id, edible_bp, unit_grams, ${cols.join(', ')}, source, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ${cols.map(() => '?').join(', ')}, ?, ?, ?, ?, ?)`,
      )
      .run(v.ingredientId, v.edibleBp, v.unitGrams, ...vals, v.source, at, user.userId, at, user.userId);
  }
  const after = view(compositionsOf(ctx, [v.ingredientId]).get(v.ingredientId) as CompositionRow);
  audit(
    ctx,
    before ? 'update' : 'create',
    'food_compositions',
    v.ingredientId,
    before ? { ingredient: ing.name, values: valuesOf(before), source: before.source } : null,
    withRows({ ingredient: ing.name, values: after.values, source: after.source }, groupRows(ctx, 'food_compositions', 'ingredient_id', v.ingredientId)),
  );
  return after;
}
