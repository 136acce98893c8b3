import type { z } from './contract.ts';
import { periodFields, type PeriodField } from './fields.ts';

/**
 * Finds the fields marked with `documentDate` / `documentMonth` (shared/api/fields.ts) in a method's input schema:
 * statically (for the test that enumerates the dated methods of the contract) and with their values in a parsed input
 * (for the dispatcher, which holds the period lock on every one of them).
 */

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  valueType?: z.ZodType;
  items?: z.ZodType[];
};
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

export interface PeriodFieldAt extends PeriodField {
  /** 'date', 'draft.date', 'lines[].date' */
  path: string;
}

/** Every marked field reachable in the schema, by path ('[]' for any element of a list). */
export function periodFieldsOf(schema: z.ZodType): PeriodFieldAt[] {
  const out: PeriodFieldAt[] = [];
  const walk = (s: z.ZodType, path: string, seen: Set<z.ZodType>) => {
    if (seen.has(s)) return;
    seen.add(s);
    const meta = periodFields.get(s);
    if (meta) out.push({ ...meta, path });
    const d = defOf(s);
    const next = (c: z.ZodType | undefined, p = path) => c && walk(c, p, seen);
    if (d.type === 'object') for (const [k, c] of Object.entries(d.shape ?? {})) next(c, path ? `${path}.${k}` : k);
    else if (d.type === 'array') next(d.element, `${path}[]`);
    else if (d.type === 'pipe') (next(d.in), next(d.out));
    else if (d.type === 'union') for (const o of d.options ?? []) next(o);
    else if (d.type === 'intersection') (next(d.left), next(d.right));
    else if (d.type === 'record') next(d.valueType, `${path}[]`);
    else if (d.type === 'tuple') for (const it of d.items ?? []) next(it, `${path}[]`);
    else next(d.innerType);
  };
  walk(schema, '', new Set());
  return out;
}

export interface PeriodValue extends PeriodField {
  path: string;
  value: string;
}

/** The marked values of a parsed input (absent optional fields and nulls are skipped). */
export function periodValuesOf(schema: z.ZodType, value: unknown): PeriodValue[] {
  const out: PeriodValue[] = [];
  const walk = (s: z.ZodType, v: unknown, path: string) => {
    if (v === undefined || v === null) return;
    const meta = periodFields.get(s);
    if (meta && typeof v === 'string') out.push({ ...meta, path, value: v });
    const d = defOf(s);
    if (d.type === 'object') {
      if (typeof v !== 'object') return;
      for (const [k, c] of Object.entries(d.shape ?? {})) walk(c, (v as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (d.type === 'array') {
      if (Array.isArray(v)) v.forEach((x, i) => walk(d.element as z.ZodType, x, `${path}.${i}`));
    } else if (d.type === 'pipe') walk(d.out as z.ZodType, v, path);
    else if (d.type === 'union' || d.type === 'intersection' || d.type === 'record' || d.type === 'tuple') {
      // No marked field sits under these today; periodFieldsOf finds one if it ever does, and the contract test then
      // fails until this walk learns to follow it.
    } else if (d.innerType) walk(d.innerType, v, path);
  };
  walk(schema, value, '');
  return out;
}
