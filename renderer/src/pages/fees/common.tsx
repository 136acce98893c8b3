import { DatePicker, Select, Table, Tag, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { monthWords } from '../../../../shared/calendar.ts';
import { MEAL_PLAN_LABELS } from '../../../../shared/labels-fees.ts';
import { canCall } from '../../../../shared/access.generated.ts';
import type { ClassInfo, Student, Term } from '../../../../shared/api/fees.ts';
import type { RegionalProfile } from '../../../../shared/profile.ts';
import { call } from '../../api.ts';
import { EntitySelect } from '../../components/EntitySelect.tsx';
import { showError } from '../../feedback.ts';
import { chinaToday } from '../../labels.ts';
import { useRoles } from '../../session.ts';
import { NOWRAP } from '../../components/columns.ts';

/** Pieces the fee pages share: the class list, the period picker (month or term by profile), a student search. */

export function useCanWrite(): boolean {
  return canCall('fees.collect', useRoles());
}

export function useClasses(): [ClassInfo[], () => void] {
  const [classes, setClasses] = useState<ClassInfo[]>([]);
  const load = useCallback(() => {
    call('students.classes', {}).then(setClasses, showError);
  }, []);
  useEffect(load, [load]);
  return [classes, load];
}

export function ClassSelect(props: { value?: string; onChange?: (v: string) => void; classes: ClassInfo[]; id?: string; style?: React.CSSProperties; allowClear?: boolean; 'data-testid'?: string }) {
  return (
    <Select
      id={props.id}
      data-testid={props['data-testid']}
      value={props.value}
      onChange={props.onChange}
      allowClear={props.allowClear}
      placeholder="选择班级"
      style={{ minWidth: 140, ...props.style }}
      showSearch
      options={props.classes.map((c) => ({ value: c.className, label: `${c.className}（${c.students}人）` }))}
    />
  );
}

/** The school's profile and terms, for the period picker and labels. */
export function useFeeSetup(): { profile: RegionalProfile | null; terms: Term[]; schoolName: string } {
  const [profile, setProfile] = useState<RegionalProfile | null>(null);
  const [schoolName, setSchoolName] = useState('');
  const [terms, setTerms] = useState<Term[]>([]);
  useEffect(() => {
    call('school.get', {}).then((s) => {
      setProfile(s.profile);
      setSchoolName(s.name);
    }, showError);
    call('terms.list', {}).then(setTerms, showError);
  }, []);
  return { profile, terms, schoolName };
}

export function currentMonth(): string {
  return chinaToday().slice(0, 7);
}

/** A month ('2026-09') where fees go by month, a term ('2026秋') where they go by term. */
export function PeriodPicker({ value, onChange, byTerm, terms, id }: { value?: string; onChange?: (v: string) => void; byTerm: boolean; terms: Term[]; id?: string }) {
  if (byTerm) {
    return <Select id={id} value={value} onChange={onChange} placeholder="选择学期" style={{ minWidth: 180 }} options={terms.map((t) => ({ value: t.code, label: t.name }))} />;
  }
  return (
    <DatePicker
      id={id}
      picker="month"
      allowClear={false}
      value={value ? dayjs(`${value}-01`) : null}
      format="YYYY年M月"
      onChange={(d) => d && onChange?.(d.format('YYYY-MM'))}
    />
  );
}

export function DateInput({ value, onChange, id, allowClear = false, 'data-testid': testId }: { value?: string | null; onChange?: (v: string) => void; id?: string; allowClear?: boolean; 'data-testid'?: string }) {
  return (
    <DatePicker
      id={id}
      data-testid={testId}
      allowClear={allowClear}
      value={value ? dayjs(value) : null}
      format="YYYY-MM-DD"
      onChange={(d) => onChange?.(d ? d.format('YYYY-MM-DD') : (undefined as unknown as string))}
    />
  );
}

const searchStudents = (q: string) => call('students.list', { q, limit: 30 });
const getStudent = (id: string) => call('students.get', { id });

/** Student picker: 学号, 姓名 or 拼音首字母. */
export function StudentSelect(props: { value?: string | null; onChange?: (id: string | null, s: Student | null) => void; id?: string; style?: React.CSSProperties; 'data-testid'?: string }) {
  return (
    <EntitySelect<Student>
      placeholder="学生：输入学号、姓名或拼音首字母"
      {...props}
      style={{ minWidth: 280, ...props.style }}
      search={searchStudents}
      get={getStudent}
      selectedLabel={(s) => `${s.name}（${s.studentNo}）`}
      label={(s) => (
        <span>
          {s.name} <span style={{ color: '#888' }}>{s.studentNo} · {s.className} · {MEAL_PLAN_LABELS[s.mealPlan]}</span>
          {s.subsidyEligible && <Tag color="green" style={{ marginLeft: 6 }}>受助</Tag>}
        </span>
      )}
    />
  );
}

export function periodLabel(key: string, terms: Term[]): string {
  if (/^\d{4}-\d{2}$/.test(key)) return monthWords(key);
  return terms.find((t) => t.code === key)?.name ?? key;
}

/** The pupil a fee record is for: 班级, 学号, 姓名, as every fee list shows them. */
export function pupilColumns<T extends { className: string; studentNo: string; studentName: string }>(): TableColumnsType<T> {
  return [
    { title: '班级', dataIndex: 'className' },
    { title: '学号', dataIndex: 'studentNo', ...NOWRAP },
    { title: '姓名', dataIndex: 'studentName' },
  ];
}

/** A list of fee records (receipts, refunds, pupils): compact rows, 50 a page, the count below. */
export function FeeList<T extends { id: string }>({ rows, columns, 'data-testid': testId }: { rows: T[]; columns: TableColumnsType<T>; 'data-testid'?: string }) {
  return <Table<T> size="small" rowKey="id" dataSource={rows} pagination={{ pageSize: 50, showTotal: (t) => `共 ${t} 条` }} data-testid={testId} columns={columns} />;
}

/**
 * The batch print's address: a class and a date range (the list's filters), or one collection run — the receipts the
 * 收费 page just issued, numbers `first`…`last` on their day (a run's numbers are consecutive: numbering.ts).
 */
export function batchPath(sel: { className?: string; from?: string; to?: string; first?: string; last?: string }): string {
  const q = new URLSearchParams();
  if (sel.className) q.set('class', sel.className);
  if (sel.from) q.set('from', sel.from);
  if (sel.to) q.set('to', sel.to);
  if (sel.first && sel.last) {
    q.set('first', sel.first);
    q.set('last', sel.last);
  }
  return `/fees/receipts/batch?${q.toString()}`;
}
