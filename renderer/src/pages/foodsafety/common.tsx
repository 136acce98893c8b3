import { Input, Select } from 'antd';
import { chinaHour } from '../../../../shared/calendar.ts';
import { MEAL_LABELS, MEALS, type Meal } from '../../../../shared/labels-foodsafety.ts';

/** Pieces the 食品安全 pages share. */

/** 早餐 before 9:00, 午餐 before 14:00, else 晚餐: the meal being recorded now. */
export function mealNow(now = new Date()): Meal {
  const h = chinaHour(now);
  return h < 9 ? 'breakfast' : h < 14 ? 'lunch' : 'dinner';
}

/** The China time of day, HH:MM. */
export function chinaClock(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}

export function MealSelect({ value, onChange, id, 'data-testid': testId }: { value?: Meal; onChange?: (m: Meal) => void; id?: string; 'data-testid'?: string }) {
  return <Select id={id} data-testid={testId} value={value} onChange={onChange} style={{ width: 100 }} options={MEALS.map((m) => ({ value: m, label: MEAL_LABELS[m] }))} />;
}

/** A time of day typed as 11:30 (or 1130). */
export function TimeInput(props: { value?: string; onChange?: (v: string) => void; id?: string; 'data-testid'?: string; style?: React.CSSProperties }) {
  return (
    <Input
      id={props.id}
      data-testid={props['data-testid']}
      value={props.value}
      placeholder="时:分"
      maxLength={5}
      style={{ width: 80, ...props.style }}
      onChange={(e) => {
        const v = e.target.value.replace('：', ':');
        props.onChange?.(/^\d{4}$/.test(v) ? `${v.slice(0, 2)}:${v.slice(2)}` : v);
      }}
    />
  );
}
