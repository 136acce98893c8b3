import { Select, Tag } from 'antd';
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Ingredient, Supplier } from '../../../shared/api/masterdata.ts';
import { CATEGORY_LABELS } from '../../../shared/domain.ts';
import { formatFen } from '../../../shared/format.ts';
import { call } from '../api.ts';
import { showError } from '../feedback.ts';

export interface EntitySelectProps<T extends { id: string }> {
  /** The selected item's id (Form.Item passes value/onChange). */
  value?: string | null;
  onChange?: (id: string | null, item: T | null) => void;
  /** Remote search: pinyin initials, names, codes — the backend decides what matches. */
  search: (q: string) => Promise<T[]>;
  /** Loads one item by id, to show the label of a value that is not among the current results. */
  get: (id: string) => Promise<T>;
  label: (item: T) => ReactNode;
  /** Short text shown once selected (defaults to the label). */
  selectedLabel?: (item: T) => string;
  placeholder?: string;
  disabled?: boolean;
  allowClear?: boolean;
  autoFocus?: boolean;
  style?: React.CSSProperties;
  /**
   * The list's least width (px). The list is at least as wide as the box and grows to its widest option (up to 90% of
   * the window), so a narrow box in a grid row still shows an item's spec and reference price in full.
   */
  popupMinWidth?: number;
  id?: string;
  'data-testid'?: string;
}

/**
 * A keyboard-first remote search select: type pinyin initials ("bc"), the first match is highlighted, Enter picks it.
 * Results come from the backend (filterOption off), so the same matching rules serve the CLI, import and forms.
 */
export function EntitySelect<T extends { id: string }>(props: EntitySelectProps<T>) {
  const { value, onChange, search, get, label, selectedLabel, placeholder, disabled, allowClear = true, autoFocus, style, popupMinWidth, id } = props;
  const [items, setItems] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<T | null>(null);
  /** Counts searches; a result is shown only if no newer keystroke came after it was asked. */
  const seq = useRef(0);
  /** A search is typed but its results have not arrived: the options on screen are not for this text. */
  const pending = useRef(false);
  /** Enter was pressed while pending: pick the first result when it arrives (fast typists: "bc⏎"). */
  const pickFirst = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const choose = useCallback((it: T | null) => {
    setSelected(it);
    onChangeRef.current?.(it?.id ?? null, it);
  }, []);

  const run = useCallback(
    (q: string, mine: number) => {
      setLoading(true);
      search(q).then(
        (rows) => {
          if (mine !== seq.current) return; // a later keystroke already asked again
          setItems(rows);
          setLoading(false);
          pending.current = false;
          if (pickFirst.current) {
            pickFirst.current = false;
            if (rows[0]) {
              choose(rows[0]);
              setOpen(false);
            }
          }
        },
        (e: unknown) => {
          if (mine !== seq.current) return;
          setLoading(false);
          pending.current = false;
          pickFirst.current = false;
          showError(e);
        },
      );
    },
    [search, choose],
  );

  const ask = useCallback(
    (q: string, delayMs: number) => {
      clearTimeout(timer.current);
      const mine = ++seq.current;
      pending.current = true;
      // Never leave the previous text's results under the cursor: Enter must not pick from a stale list.
      setItems([]);
      timer.current = setTimeout(() => run(q, mine), delayMs);
    },
    [run],
  );

  // Show the label of a value set from outside (editing an existing record).
  useEffect(() => {
    if (!value) return setSelected(null);
    if (selected?.id === value) return;
    const known = items.find((i) => i.id === value);
    if (known) return setSelected(known);
    let live = true;
    get(value).then((it) => live && setSelected(it), showError);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const options = items.map((it) => ({ value: it.id, label: label(it), title: selectedLabel?.(it) }));
  /** The closed select shows the chosen item's name even when the current results (another search) do not hold it. */
  const shownLabel = selected ? (selectedLabel?.(selected) ?? label(selected)) : null;

  return (
    <Select<string>
      id={id}
      data-testid={props['data-testid']}
      value={value ?? undefined}
      placeholder={placeholder ?? '输入拼音首字母或名称查找'}
      disabled={disabled}
      allowClear={allowClear}
      autoFocus={autoFocus}
      style={{ minWidth: 220, ...style }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { minWidth: popupMinWidth, maxWidth: '90vw' } } }}
      loading={loading}
      options={options}
      optionLabelProp={selectedLabel ? 'title' : 'label'}
      labelRender={(p) => (p.label !== undefined && p.label !== null ? p.label : selected && p.value === selected.id ? shownLabel : '…')}
      defaultActiveFirstOption
      open={open}
      showSearch={{ filterOption: false, onSearch: (q) => ask(q, 120) }}
      notFoundContent={loading || pending.current ? '查找中…' : '没有找到'}
      onInputKeyDown={(e) => {
        if (e.key === 'Enter' && pending.current) pickFirst.current = true;
      }}
      onOpenChange={(o) => {
        setOpen(o);
        if (o && items.length === 0 && !pending.current) ask('', 0);
        if (!o) pickFirst.current = pickFirst.current && pending.current;
      }}
      onChange={(v) => {
        pickFirst.current = false;
        const it = (v && (items.find((i) => i.id === v) ?? (selected?.id === v ? selected : null))) || null;
        choose(it);
      }}
    />
  );
}

type Props<T extends { id: string }> = Omit<EntitySelectProps<T>, 'search' | 'get' | 'label'> & {
  includeDisabled?: boolean;
};

const searchSuppliers = (includeDisabled: boolean) => (q: string) => call('suppliers.search', { q, includeDisabled, limit: 30 });
const getSupplier = (id: string) => call('suppliers.get', { id });

/** Supplier picker: 名称, 拼音首字母 or 统一社会信用代码. */
export function SupplierSelect({ includeDisabled = false, ...rest }: Props<Supplier>) {
  const search = useCallback((q: string) => searchSuppliers(includeDisabled)(q), [includeDisabled]);
  return (
    <EntitySelect<Supplier>
      placeholder="供应商：输入名称或拼音首字母"
      {...rest}
      search={search}
      get={getSupplier}
      selectedLabel={(s) => s.name}
      label={(s) => (
        <span>
          {s.name}
          {s.disabled && <Tag style={{ marginLeft: 6 }}>已停用</Tag>}
        </span>
      )}
    />
  );
}

const getIngredient = (id: string) => call('ingredients.get', { id });

/** Ingredient picker: 品名 or 拼音首字母 ("bc" → 白菜), showing category, unit and spec to tell similar items apart. */
export function IngredientSelect({ includeDisabled = false, ...rest }: Props<Ingredient>) {
  const search = useCallback((q: string) => call('ingredients.search', { q, includeDisabled, limit: 30 }), [includeDisabled]);
  return (
    <EntitySelect<Ingredient>
      placeholder="食材：输入品名或拼音首字母"
      popupMinWidth={360}
      {...rest}
      search={search}
      get={getIngredient}
      selectedLabel={(i) => i.name}
      label={(i) => (
        <span>
          {i.name}
          <span style={{ color: '#8c8c8c', marginLeft: 6 }}>
            {CATEGORY_LABELS[i.category]} · {i.unit}
            {i.spec ? ` · ${i.spec}` : ''}
            {i.refPriceFen != null ? ` · 参考价 ${formatFen(i.refPriceFen)}` : ''}
          </span>
          {i.banned && <Tag color="red" style={{ marginLeft: 6 }}>禁用</Tag>}
        </span>
      )}
    />
  );
}
