import type { Ingredient } from '../../../../shared/api/masterdata.ts';
import type { DeliveryLine } from '../../../../shared/api/receiving.ts';
import { MAX_MILLI } from '../../../../shared/api/fields.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { formatMilli } from '../../../../shared/format.ts';
import { basePriceFen, toBaseMilli, unitSize } from '../../../../shared/units.ts';

/**
 * A delivery line in the unit it was received in, converted to its item's base unit (shared/units.ts has the
 * conversions and the rounding rule). `sizeMilli` null: received in the base unit, the line is stored as typed.
 */
export interface BaseLine {
  sizeMilli: number | null;
  receivedMilli: number;
  acceptedMilli: number;
  rejectedMilli: number;
  unitPriceFen: number;
}

type UnitFields = Pick<DeliveryLine, 'receivedUnit' | 'receivedMilli' | 'rejectedMilli' | 'acceptedMilli' | 'unitPriceFen'>;

/** The line's received unit, or null when it is the item's own (null, or the base unit's name typed). */
export function receivedUnitOf(l: Pick<DeliveryLine, 'receivedUnit'>, ing: Pick<Ingredient, 'unit'>): string | null {
  return l.receivedUnit && l.receivedUnit !== ing.unit ? l.receivedUnit : null;
}

/** Converts one line, or says in the clerk's words why it cannot be (`n`: 第 N 行（品名）). */
export function convertLine(l: UnitFields, ing: Ingredient, n: string): { ok: true; line: BaseLine } | { ok: false; message: string } {
  const unit = receivedUnitOf(l, ing);
  if (unit === null) {
    return { ok: true, line: { sizeMilli: null, receivedMilli: l.receivedMilli, acceptedMilli: l.acceptedMilli, rejectedMilli: l.rejectedMilli, unitPriceFen: l.unitPriceFen } };
  }
  const size = unitSize(ing, unit);
  if (!size.ok) return { ok: false, message: `${n}：${size.message}` };
  const received = toBaseMilli(l.receivedMilli, size.sizeMilli);
  const rejected = toBaseMilli(l.rejectedMilli, size.sizeMilli);
  if (received === null || rejected === null) {
    const bad = received === null ? l.receivedMilli : l.rejectedMilli;
    return { ok: false, message: `${n}：${formatMilli(bad)} ${unit}换算成${ing.unit}不是整 0.001 ${ing.unit}，请核对数量` };
  }
  if (received > MAX_MILLI) return { ok: false, message: `${n}：${formatMilli(l.receivedMilli)} ${unit}换算后的数量超出允许范围` };
  return { ok: true, line: { sizeMilli: size.sizeMilli, receivedMilli: received, acceptedMilli: received - rejected, rejectedMilli: rejected, unitPriceFen: basePriceFen(l.unitPriceFen, size.sizeMilli) } };
}

/** Every line converted, or the first line that cannot be refused (writes nothing: called before anything is stored). */
export function convertLines(lines: UnitFields[], ingredients: Map<string, Ingredient>, ingredientIds: string[]): BaseLine[] {
  return lines.map((l, i) => {
    const ing = ingredients.get(ingredientIds[i]);
    if (!ing) throw new ApiError('NOT_FOUND', `第 ${i + 1} 行：找不到该食材`);
    const r = convertLine(l, ing, `第 ${i + 1} 行（${ing.name}）`);
    if (!r.ok) throw new ApiError('VALIDATION', r.message, [{ path: `lines.${i}.receivedUnit`, message: r.message }]);
    return r.line;
  });
}
