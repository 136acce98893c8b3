/**
 * Imports vocabulary (codes and the labels shown to people), used by the contract shared/api/imports.ts, which
 * re-exports it, and by the renderer at run time. No zod here: nothing the renderer loads may pull zod in.
 */

/** What can be imported from a spreadsheet; each kind writes through its create method's own schema and rules. */
export const IMPORT_KINDS = ['suppliers', 'ingredients'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_KIND_LABELS: Record<ImportKind, string> = { suppliers: '供应商', ingredients: '食材' };

/** The file travels as base64: this bound (≈ 3.7 MB of .xlsx) keeps one import far inside memory on an old PC. */
export const MAX_IMPORT_BASE64 = 5_000_000;
export const MAX_IMPORT_ROWS = 5_000;
