import { Input, Tag } from 'antd';
import type { LotState } from '../../../../shared/api/storeroom.ts';
import { LOT_STATE_LABELS } from '../../../../shared/labels-storeroom.ts';
import { chinaToday } from '../../labels.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import { useRoles } from '../../session.ts';

/** Pieces the storeroom pages share: who may write, the state tag, plain date and month boxes (typed, no mouse). */

export const BASE = '/storeroom';

export function useCanWrite(): boolean {
  return canCall('storeroom.issue', useRoles());
}

export function StateTag({ state, daysLeft }: { state: LotState; daysLeft?: number | null }) {
  if (state === 'ok') return null;
  const text = state === 'near' && daysLeft != null ? `${LOT_STATE_LABELS[state]}（${daysLeft} 天）` : LOT_STATE_LABELS[state];
  return <Tag color={state === 'expired' ? 'red' : 'orange'}>{text}</Tag>;
}

export function DateBox(props: { value: string; onChange: (v: string) => void; id?: string; 'data-testid'?: string; style?: React.CSSProperties }) {
  return <Input type="date" id={props.id} data-testid={props['data-testid']} value={props.value} onChange={(e) => e.target.value && props.onChange(e.target.value)} style={{ width: 160, ...props.style }} />;
}

export function MonthBox(props: { value: string; onChange: (v: string) => void; 'data-testid'?: string }) {
  return <Input type="month" data-testid={props['data-testid']} value={props.value} onChange={(e) => e.target.value && props.onChange(e.target.value)} style={{ width: 160 }} />;
}

export function currentMonth(): string {
  return chinaToday().slice(0, 7);
}

