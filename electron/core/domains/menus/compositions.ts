import type { CompositionView, NutrientValues } from '../../../../shared/api/menus.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { NUTRIENT_COLUMNS, NUTRIENT_LABELS, NUTRIENTS, type Nutrient } from '../../../../shared/labels-menus.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { audit } from '../../ledger/audit.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';
import { cellText, type Cell, type RawSheet } from '../../xlsx/read.ts';

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

/**
 * The rows of a composition workbook (`compositions.import`): a header row naming the columns — 食材, 可食部 (%),
 * 每单位克数, the nutrients by their Chinese names (能量, 蛋白质 … 维生素C; units in the header are ignored), 数据来源 — then
 * one row per ingredient, named exactly as in the catalogue. Every row is checked before anything is written: one bad
 * row and nothing is imported. Each row is then saved as `compositions.save` saves it (and audited so).
 */
export function compositionRows(ctx: Ctx, sheet: RawSheet): { ingredientId: string; edibleBp: number; unitGrams: number | null; values: Record<Nutrient, number | null>; source: string }[] {
  const [head, ...body] = sheet.rows;
  if (!head) throw new ApiError('VALIDATION', '工作表是空的：第一行应为表头（食材、可食部、每单位克数、各营养素、数据来源）');
  const headers = head.cells.map((c) => cellText(c).replace(/[（(].*$/, '').replace(/\s+/g, ''));
  const col = (name: string) => headers.findIndex((h) => h === name);
  const at = { item: col('食材'), edible: col('可食部'), unit: col('每单位克数'), source: col('数据来源') };
  if (at.item < 0 || at.source < 0) throw new ApiError('VALIDATION', '表头须有“食材”和“数据来源”两列');
  const nut = NUTRIENTS.map((n) => [n, col(NUTRIENT_LABELS[n])] as const);
  if (nut.every(([, i]) => i < 0)) throw new ApiError('VALIDATION', `表头没有任何营养素列（${NUTRIENTS.map((n) => NUTRIENT_LABELS[n]).join('、')}）`);
  const text = (cells: Cell[], i: number) => (i < 0 || i >= cells.length ? '' : cellText(cells[i]));
  const milli = (t: string, label: string, row: number): number | null => {
    if (t === '') return null;
    const m = /^(\d{1,9})(?:\.(\d{1,3}))?$/.exec(t);
    if (!m) throw new ApiError('VALIDATION', `第 ${row} 行：${label}“${t}”不是数字（最多三位小数），未导入任何数据`);
    return Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  };
  const out = [];
  const seen = new Set<string>();
  for (const { row, cells } of body) {
    const name = text(cells, at.item);
    if (name === '') continue;
    const found = ctx.db.prepare('SELECT id FROM ingredients WHERE name = ?').all(name) as { id: string }[];
    if (found.length === 0) throw new ApiError('VALIDATION', `第 ${row} 行：食材“${name}”不在食材目录中，未导入任何数据`);
    if (found.length > 1) throw new ApiError('VALIDATION', `第 ${row} 行：食材目录中有多个“${name}”（规格不同），请在页面上逐个登记`);
    if (seen.has(found[0].id)) throw new ApiError('VALIDATION', `第 ${row} 行：${name} 重复，未导入任何数据`);
    seen.add(found[0].id);
    const source = text(cells, at.source);
    if (source === '') throw new ApiError('VALIDATION', `第 ${row} 行：${name} 没有写数据来源，未导入任何数据`);
    const pct = milli(text(cells, at.edible), '可食部', row);
    if (pct !== null && (pct % 10 !== 0 || pct < 10 || pct > 100_000)) throw new ApiError('VALIDATION', `第 ${row} 行：可食部应为 0.01～100 的百分数，未导入任何数据`);
    const unitText = text(cells, at.unit);
    if (unitText !== '' && !/^\d{1,9}$/.test(unitText)) throw new ApiError('VALIDATION', `第 ${row} 行：每单位克数应为整数，未导入任何数据`);
    const values = Object.fromEntries(nut.map(([n, i]) => [n, milli(text(cells, i), NUTRIENT_LABELS[n], row)])) as Record<Nutrient, number | null>;
    if (NUTRIENTS.every((n) => values[n] === null)) throw new ApiError('VALIDATION', `第 ${row} 行：${name} 没有任何营养素含量，未导入任何数据`);
    out.push({ ingredientId: found[0].id, edibleBp: pct === null ? 10_000 : pct / 10, unitGrams: unitText === '' ? null : Number(unitText), values, source });
  }
  if (out.length === 0) throw new ApiError('VALIDATION', '工作表中没有可导入的行');
  return out;
}
