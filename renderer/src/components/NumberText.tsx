import { Input } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import type { FormRule as Rule } from 'antd';
import { formatFen, formatMilli, parseQuantityToMilli, parseYuanToFen } from '../../../shared/format.ts';

/**
 * Text boxes for exact numbers. People type decimals ("12.5"); the form holds integers: fen for money, thousandths
 * for quantities. Empty → null; text that is not a valid amount → NaN, which `fenRules`/`milliRules` reject with a
 * Chinese message. Never parseFloat: shared/format.ts parses the digits.
 */
interface ScaledProps {
  value?: number | null;
  onChange?: (v: number | null) => void;
  placeholder?: string;
  disabled?: boolean;
  autoFocus?: boolean;
  id?: string;
  style?: React.CSSProperties;
  prefix?: ReactNode;
  suffix?: ReactNode;
  'data-testid'?: string;
}

function ScaledInput(props: ScaledProps & { parse: (s: string) => number | null; format: (n: number) => string }) {
  const { value, onChange, parse, format, ...rest } = props;
  const [text, setText] = useState(() => (value == null || Number.isNaN(value) ? '' : format(value)));
  // Follow values set from outside (form reset, editing another record) unless they are what the text already says.
  useEffect(() => {
    const current = text.trim() === '' ? null : parse(text);
    if (value == null && text.trim() !== '' && current !== null) setText('');
    else if (value != null && !Number.isNaN(value) && current !== value) setText(format(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  return (
    <Input
      {...rest}
      inputMode="decimal"
      value={text}
      style={{ textAlign: 'right', ...rest.style }}
      onChange={(e) => {
        const t = e.target.value;
        setText(t);
        if (t.trim() === '') onChange?.(null);
        else onChange?.(parse(t) ?? Number.NaN);
      }}
      onBlur={() => {
        const v = text.trim() === '' ? null : parse(text);
        if (v != null) setText(format(v));
      }}
    />
  );
}

/** Money in 元 → integer fen; shows "1,234.50" once left. */
export function MoneyInput(props: ScaledProps) {
  return <ScaledInput prefix="¥" suffix="元" placeholder="0.00" {...props} parse={parseYuanToFen} format={formatFen} />;
}

/** A quantity → integer thousandths; up to three decimals. Pass the unit as suffix ("kg"). */
export function QuantityInput(props: ScaledProps) {
  return <ScaledInput placeholder="0" {...props} parse={parseQuantityToMilli} format={formatMilli} />;
}

function scaledRules(label: string, required: boolean, hint: string): Rule[] {
  return [
    {
      validator: (_r, v: number | null | undefined) => {
        if (v == null) return required ? Promise.reject(new Error(`请填写${label}`)) : Promise.resolve();
        if (Number.isNaN(v)) return Promise.reject(new Error(`${label}${hint}`));
        return Promise.resolve();
      },
    },
  ];
}

export const fenRules = (label: string, required = true): Rule[] => scaledRules(label, required, '应为不超过两位小数的金额，如 12.50');
export const milliRules = (label: string, required = true): Rule[] => scaledRules(label, required, '应为不超过三位小数的数量，如 2.5');

/** A rate in basis points typed as a percentage with up to two decimals: "2" or "2.00" % → 200. */
export function PercentInput(props: ScaledProps) {
  return <ScaledInput suffix="%" placeholder="0.00" {...props} parse={parseYuanToFen} format={formatFen} />;
}
export const bpRules = (label: string, maxBp = 10_000): Rule[] => [
  ...scaledRules(label, true, '应为不超过两位小数的百分数，如 2.5'),
  { validator: (_r, v: number | null) => (v != null && v > maxBp ? Promise.reject(new Error(`${label}不能超过 ${formatFen(maxBp)}%`)) : Promise.resolve()) },
];
