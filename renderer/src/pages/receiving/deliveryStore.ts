import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Ingredient } from '../../../../shared/api/masterdata.ts';
import type { CheckResult, Finding } from '../../../../shared/api/receiving.ts';
import type { Category } from '../../../../shared/domain.ts';
import { emptyLine, hasDetailValues, noteKey, toDraft, type FormValues, type LineValues, type Translated } from './model.ts';

/**
 * The door form's state, one store per open form. Each row reads only its own slice (`rows[key]`, its item, its check)
 * through a selector, so typing in line 30 renders line 30 and not the other 29 (issue 15: the old form redrew every
 * line on every key). Rows are keyed, not indexed: removing a line keeps the others' state and messages.
 */
export type Header = Omit<FormValues, 'lines'>;
export interface RowState extends LineValues {
  key: string;
  /** The person asked for the row's detail (F2 or 详情); a draft read back with detail values opens it too. */
  detail: boolean;
  /** Notes to this row's warnings, by finding code. */
  notes: Record<string, string>;
}
/** What the last check said of one row. */
export interface RowCheck {
  findings: Finding[];
  expiryDate: string | null;
  differenceFen: number;
}
export interface DeliveryState {
  header: Header;
  /** Notes to warnings about the whole delivery, by code. */
  deliveryNotes: Record<string, string>;
  order: string[];
  rows: Record<string, RowState>;
  ings: Record<string, Ingredient>;
  checks: Record<string, RowCheck>;
  deliveryFindings: Finding[];
  result: CheckResult | null;
  /** Why no check could be asked (an incomplete row, no supplier). */
  problem: string | null;
  /** The categories needing a 农残快检 under the profile of the delivery's month, as the last check said (kept while a
   * check cannot be asked). */
  residueCategories: Category[];
  setHeader(patch: Partial<Header>): void;
  setLine(key: string, patch: Partial<RowState>): void;
  addLine(): string;
  removeLine(key: string): void;
  /** Puts these lines after the rows already chosen, in place of the empty ones, with an empty row last. */
  fillLines(lines: LineValues[]): string[];
  setIng(i: Ingredient): void;
  setNote(key: string | null, code: string, note: string): void;
  /** `keys`: the row of each draft line the check was asked for. */
  applyCheck(keys: string[], result: CheckResult | null, problem: string | null): void;
}

export const NO_CHECK: RowCheck = { findings: [], expiryDate: null, differenceFen: 0 };
let seq = 0;
const newKey = () => `r${++seq}`;
const row = (l: LineValues, notes: Record<string, string> = {}): RowState => ({ ...l, key: newKey(), detail: hasDetailValues(l), notes });

export function createDeliveryStore(initial: FormValues, notes: Record<string, string>): StoreApi<DeliveryState> {
  const { lines, ...header } = initial;
  const rows = lines.map((l, i) => {
    const own = Object.fromEntries(
      Object.entries(notes)
        .filter(([k]) => k.endsWith(`:${i}`))
        .map(([k, v]) => [k.split(':')[0], v]),
    );
    return row(l, own);
  });
  const deliveryNotes = Object.fromEntries(
    Object.entries(notes)
      .filter(([k]) => k.endsWith(':'))
      .map(([k, v]) => [k.split(':')[0], v]),
  );
  return createStore<DeliveryState>()((set, get) => ({
    header,
    deliveryNotes,
    order: rows.map((r) => r.key),
    rows: Object.fromEntries(rows.map((r) => [r.key, r])),
    ings: {},
    checks: {},
    deliveryFindings: [],
    result: null,
    problem: null,
    residueCategories: [],
    setHeader: (patch) => set((s) => ({ header: { ...s.header, ...patch } })),
    setLine: (key, patch) => set((s) => (s.rows[key] ? { rows: { ...s.rows, [key]: { ...s.rows[key], ...patch } } } : {})),
    addLine: () => {
      const r = row(emptyLine());
      set((s) => ({ order: [...s.order, r.key], rows: { ...s.rows, [r.key]: r } }));
      return r.key;
    },
    removeLine: (key) =>
      set((s) => {
        const rest = { ...s.rows };
        delete rest[key];
        return { order: s.order.filter((k) => k !== key), rows: rest };
      }),
    fillLines: (lines) => {
      const added = [...lines, emptyLine()].map((l) => row(l));
      set((s) => {
        const kept = s.order.filter((k) => s.rows[k].ingredientId);
        const rows = Object.fromEntries(kept.map((k) => [k, s.rows[k]]));
        for (const r of added) rows[r.key] = r;
        return { order: [...kept, ...added.map((r) => r.key)], rows };
      });
      return added.map((r) => r.key);
    },
    setIng: (i) => {
      if (get().ings[i.id] !== i) set((s) => ({ ings: { ...s.ings, [i.id]: i } }));
    },
    setNote: (key, code, note) =>
      set((s) => (key === null ? { deliveryNotes: { ...s.deliveryNotes, [code]: note } } : s.rows[key] ? { rows: { ...s.rows, [key]: { ...s.rows[key], notes: { ...s.rows[key].notes, [code]: note } } } } : {})),
    applyCheck: (keys, result, problem) =>
      set((s) => {
        if (!result) return { problem, result: null };
        // Each row keeps its previous check object when nothing in it changed: its selector then returns the same
        // reference and the row does not render again.
        const fresh: Record<string, RowCheck> = {};
        keys.forEach((key, d) => {
          fresh[key] = { findings: [], expiryDate: result.lines[d]?.expiryDate ?? null, differenceFen: result.lines[d]?.differenceFen ?? 0 };
        });
        const deliveryFindings: Finding[] = [];
        for (const f of result.findings) {
          if (f.lineIndex === undefined) deliveryFindings.push(f);
          else {
            const key = keys[f.lineIndex];
            if (key && fresh[key]) fresh[key].findings.push({ ...f, lineIndex: s.order.indexOf(key) });
          }
        }
        const checks: Record<string, RowCheck> = {};
        for (const key of s.order) {
          const next = fresh[key] ?? NO_CHECK;
          const prev = s.checks[key];
          checks[key] = prev && JSON.stringify(prev) === JSON.stringify(next) ? prev : next;
        }
        return {
          checks,
          result,
          problem: null,
          residueCategories: JSON.stringify(result.residueCategories) === JSON.stringify(s.residueCategories) ? s.residueCategories : result.residueCategories,
          deliveryFindings: JSON.stringify(deliveryFindings) === JSON.stringify(s.deliveryFindings) ? s.deliveryFindings : deliveryFindings,
        };
      }),
  }));
}

/** The state as the model's FormValues and its index-keyed notes (what toDraft takes). */
export function formOf(s: DeliveryState): { values: FormValues; notes: Record<string, string> } {
  const notes: Record<string, string> = {};
  for (const [code, note] of Object.entries(s.deliveryNotes)) notes[noteKey(code, null)] = note;
  s.order.forEach((k, i) => {
    for (const [code, note] of Object.entries(s.rows[k].notes)) notes[noteKey(code, i)] = note;
  });
  return { values: { ...s.header, lines: s.order.map((k) => s.rows[k]) }, notes };
}

/** The draft to save or post (an incomplete row refuses), or to check (incomplete rows left out); `keys` per draft line. */
export function translate(s: DeliveryState, forCheck = false): Translated & { keys: string[] } {
  const { values, notes } = formOf(s);
  const t = toDraft(values, notes, { skipIncomplete: forCheck });
  return { ...t, keys: t.formIndex.map((i) => s.order[i]) };
}

export type DeliveryStore = StoreApi<DeliveryState>;
export const useDelivery = <T>(store: DeliveryStore, selector: (s: DeliveryState) => T): T => useStore(store, selector);
