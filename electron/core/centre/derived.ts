import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { PackageData } from '../package/schema.ts';
import { rows } from './db.ts';

/**
 * Derived tables of the centre (schema version 8, issue 18's scale): each package's purchase lines summed by item
 * (name + spec + unit, as the school wrote it) and by item and supplier credit code. 食材价格, 供应商, the item picker
 * and the price chart read these instead of grouping a city month's 1.8 M purchase lines (a school's 600–2,000 lines a
 * month are some 60–400 such sums). They hold nothing of their own: the import writes them from the same lines in the
 * package's transaction (import.ts packageLists), a file upgraded to 8 derives them from `purchases`
 * (`DERIVE_PURCHASE_SUMS`), and `purchaseSumDifferences` re-derives them and names every row that differs — so a
 * change to `purchases` made behind the app's back (or to these tables) shows. The item mapping (食材对应) is applied
 * when a view reads them, never stored: a mapping changes no derived row.
 */
export const PURCHASE_SUMS = `
CREATE TABLE purchase_items (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL,
  item VARCHAR NOT NULL, spec VARCHAR NOT NULL, unit VARCHAR NOT NULL,
  lines BIGINT NOT NULL CHECK (lines >= 1), qty_milli BIGINT NOT NULL, amount_fen BIGINT NOT NULL
);
CREATE TABLE purchase_item_suppliers (
  school_code VARCHAR NOT NULL, month VARCHAR NOT NULL, revision INTEGER NOT NULL,
  item VARCHAR NOT NULL, spec VARCHAR NOT NULL, unit VARCHAR NOT NULL, supplier_credit_code VARCHAR NOT NULL,
  lines BIGINT NOT NULL CHECK (lines >= 1), qty_milli BIGINT NOT NULL, amount_fen BIGINT NOT NULL
);
`;

/** The sums as `purchases` gives them, per table: what the derived table must hold, row for row. */
const FROM_PURCHASES = {
  purchase_items: `SELECT school_code, month, revision, item, spec, unit, count(*) AS lines, CAST(sum(qty_milli) AS BIGINT) AS qty_milli, CAST(sum(amount_fen) AS BIGINT) AS amount_fen
    FROM purchases GROUP BY school_code, month, revision, item, spec, unit`,
  purchase_item_suppliers: `SELECT school_code, month, revision, item, spec, unit, supplier_credit_code, count(*) AS lines, CAST(sum(qty_milli) AS BIGINT) AS qty_milli, CAST(sum(amount_fen) AS BIGINT) AS amount_fen
    FROM purchases GROUP BY school_code, month, revision, item, spec, unit, supplier_credit_code`,
} as const;
export type PurchaseSumTable = keyof typeof FROM_PURCHASES;

/** Fills the derived tables from `purchases` (the upgrade to version 8); ordered by month so a month's rows lie together. */
export const DERIVE_PURCHASE_SUMS = Object.entries(FROM_PURCHASES)
  .map(([t, sql]) => `INSERT INTO ${t} SELECT * FROM (${sql}) ORDER BY month, school_code, revision;`)
  .join('\n');

/**
 * One package's sums, in each derived table's column order after the key (school_code, month, revision), in the order
 * each item (and supplier) first appears among its lines.
 */
export function purchaseSumLists(d: Pick<PackageData, 'purchases'>): [PurchaseSumTable, DuckDBValue[][]][] {
  const byItem = new Map<string, DuckDBValue[]>();
  const bySupplier = new Map<string, DuckDBValue[]>();
  for (const p of d.purchases) {
    const k = `${p.item}\u0000${p.spec}\u0000${p.unit}`;
    const a = byItem.get(k);
    if (a) {
      a[3] = (a[3] as number) + 1;
      a[4] = (a[4] as number) + p.qtyMilli;
      a[5] = (a[5] as number) + p.amountFen;
    } else byItem.set(k, [p.item, p.spec, p.unit, 1, p.qtyMilli, p.amountFen]);
    const ks = `${k}\u0000${p.supplierCreditCode}`;
    const b = bySupplier.get(ks);
    if (b) {
      b[4] = (b[4] as number) + 1;
      b[5] = (b[5] as number) + p.qtyMilli;
      b[6] = (b[6] as number) + p.amountFen;
    } else bySupplier.set(ks, [p.item, p.spec, p.unit, p.supplierCreditCode, 1, p.qtyMilli, p.amountFen]);
  }
  return [
    ['purchase_items', [...byItem.values()]],
    ['purchase_item_suppliers', [...bySupplier.values()]],
  ];
}

export interface PurchaseSumDifference {
  table: PurchaseSumTable;
  /** 'missing': `purchases` gives this sum and the table lacks it; 'extra': the table holds a sum `purchases` does not give. */
  kind: 'missing' | 'extra';
  row: Record<string, string | number | boolean | null>;
}

/**
 * Re-derives both tables from `purchases` and compares, row for row (EXCEPT ALL both ways): every sum missing or
 * extra, at most `limit` of each per table. Empty when the derived tables are exactly what the lines give.
 */
export async function purchaseSumDifferences(conn: DuckDBConnection, limit = 20): Promise<PurchaseSumDifference[]> {
  const out: PurchaseSumDifference[] = [];
  for (const [t, sql] of Object.entries(FROM_PURCHASES) as [PurchaseSumTable, string][]) {
    const cols = t === 'purchase_items' ? 'school_code, month, revision, item, spec, unit, lines, qty_milli, amount_fen' : 'school_code, month, revision, item, spec, unit, supplier_credit_code, lines, qty_milli, amount_fen';
    for (const [kind, q] of [
      ['missing', `SELECT * FROM ((${sql}) EXCEPT ALL SELECT ${cols} FROM ${t}) ORDER BY ALL LIMIT ${limit}`],
      ['extra', `SELECT * FROM (SELECT ${cols} FROM ${t} EXCEPT ALL (${sql})) ORDER BY ALL LIMIT ${limit}`],
    ] as const) {
      for (const row of await rows(conn, q)) out.push({ table: t, kind, row });
    }
  }
  return out;
}
