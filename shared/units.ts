/**
 * Kitchen units (issue 15), declared once for the door form, the core and the print. An item is stored in its base
 * unit — its unit as the catalogue names it (千克, 斤, 盒…) — and may be received in another unit:
 * - a weight unit, converted by its weight (斤 = 500 g, 公斤 = 千克 = kg = 1000 g, 两 = 50 g, 克 = g = 1 g) when the base
 *   unit is a weight too: 1 斤 = 0.5 千克, 1 两 = 0.05 千克, 1 公斤 = 2 斤;
 * - a package (箱, 件, 袋, 包, 桶) of the size the ingredient's master data gives it, in base units (1 箱 = 24 盒,
 *   1 件 = 10 千克): `packSizes` on the ingredient, base thousandths per package.
 *
 * A line keeps what the supplier billed — the unit, the quantity in it and the price per it — and the conversion
 * (base thousandths per one received unit) as it was that day. Rounding (DOMAIN.md "Money is exact"):
 * - amount = accepted quantity in the received unit × price per received unit, rounded half-up to the fen once
 *   (the supplier's own arithmetic: 20 斤 × 1.60 = 32.00);
 * - base quantity = quantity × size exactly (1 斤 = 0.5 千克: 20 斤 = 10 千克); a quantity that does not convert to whole
 *   thousandths of the base unit (0.001 斤 = 0.0005 千克) is refused, never rounded;
 * - the price per base unit (what the reference-price check, the stock lot and the disclosure's unit price read) is
 *   price × 1000 / size rounded half-up to the fen: 1.60/斤 = 3.20/千克 exactly; 50.00/箱 of 24 盒 = 2.0833 → 2.08/盒.
 *   It is never multiplied back into an amount: stock takes the line's amount as its value (72 盒 worth 150.00, not
 *   72 × 2.08 = 149.76).
 */

/** Grams in one unit of each weight unit we convert by weight. */
export const WEIGHT_GRAMS: Readonly<Record<string, number>> = {
  斤: 500,
  两: 50,
  公斤: 1000,
  千克: 1000,
  kg: 1000,
  克: 1,
  g: 1,
};

/** The package units an ingredient may declare a size for, in base units. */
export const PACK_UNITS = ['箱', '件', '袋', '包', '桶'] as const;
export type PackUnit = (typeof PACK_UNITS)[number];

/** The weight units offered at the door for an item weighed in a weight unit. */
export const DOOR_WEIGHT_UNITS = ['斤', '公斤', '两'] as const;

/** Base thousandths per package, by package unit (e.g. { 箱: 24000 } for 1 箱 = 24 盒). */
export type PackSizes = Partial<Record<PackUnit, number>>;

export interface UnitItem {
  name?: string;
  unit: string;
  packSizes: PackSizes;
}

export type UnitConversion = { ok: true; sizeMilli: number } | { ok: false; message: string };

export function isPackUnit(u: string): u is PackUnit {
  return (PACK_UNITS as readonly string[]).includes(u);
}

/**
 * Base thousandths in one `unit` of the item (1000 for its own base unit), or why the item cannot be received in it.
 */
export function unitSize(item: UnitItem, unit: string): UnitConversion {
  const what = item.name ? `“${item.name}”` : '该食材';
  if (unit === item.unit) return { ok: true, sizeMilli: 1000 };
  if (isPackUnit(unit)) {
    const size = item.packSizes[unit];
    if (!size) return { ok: false, message: `${what}没有登记每${unit}的规格（1 ${unit} = 多少${item.unit}），请先在食材资料中填写` };
    return { ok: true, sizeMilli: size };
  }
  const g = WEIGHT_GRAMS[unit];
  const base = WEIGHT_GRAMS[item.unit];
  if (g !== undefined && base !== undefined && (g * 1000) % base === 0) return { ok: true, sizeMilli: (g * 1000) / base };
  return { ok: false, message: `${what}以“${item.unit}”计量，不能按“${unit}”验收` };
}

/** The units an item may be received in: its base unit first, then the weights, then its packages. */
export function unitsOf(item: UnitItem): string[] {
  const out = [item.unit];
  // A weight the same as the base unit (公斤 for 千克) is the base unit under another name: not offered twice.
  for (const u of DOOR_WEIGHT_UNITS) {
    const s = WEIGHT_GRAMS[item.unit] !== undefined && u !== item.unit ? unitSize(item, u) : null;
    if (s?.ok && s.sizeMilli !== 1000) out.push(u);
  }
  for (const u of PACK_UNITS) if (item.packSizes[u]) out.push(u);
  return out;
}

/** A quantity in a received unit as base thousandths, or null when it does not convert exactly. */
export function toBaseMilli(qtyMilli: number, sizeMilli: number): number | null {
  const p = BigInt(qtyMilli) * BigInt(sizeMilli);
  return p % 1000n === 0n ? Number(p / 1000n) : null;
}

/** The price per base unit of a price per received unit, rounded half-up to the fen (for reference and stock only). */
export function basePriceFen(priceFen: number, sizeMilli: number): number {
  const p = BigInt(priceFen) * 1000n;
  const s = BigInt(sizeMilli);
  return Number((p * 2n + s) / (2n * s));
}
