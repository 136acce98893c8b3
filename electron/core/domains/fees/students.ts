import {
  ROSTER_FIELD_LABELS,
  type MealPlan,
  type MealPlanRow,
  type RosterField,
  type RosterPreview,
  type RosterRow,
  type Student,
  type StudentClassMove,
  type Term,
} from '../../../../shared/api/fees.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { audit } from '../../ledger/audit.ts';
import { lastDayOfMonth } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertPeriodOpen } from '../../ledger/journal.ts';
import { likePrefix, pinyinKeys, pinyinSearchParams, pinyinSearchSql } from '../../ledger/pinyin.ts';
import { getStudent, schoolDaysBetween, resolvePeriod, toStudent, userName, type StudentRow } from './common.ts';
import { guessMapping, readSheet } from './sheet.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';
import { mapReporting, startOperation, withOperation, type ProgressReporter } from '../../ledger/progress.ts';

/** The roster (花名册), meal plans with their daily rates, the school-day calendar and terms. */

type Keys = 'students.get' | 'mealPlans.list' | 'mealPlans.update' | 'schoolDays.get' | 'schoolDays.set' | 'terms.list' | 'terms.save' | 'fees.period'
  | 'students.list' | 'students.classes' | 'students.update' | 'students.create' | 'students.move' | 'students.moves' | 'students.importPreview' | 'students.importCommit';

interface MoveRow {
  id: string;
  student_id: string;
  from_class: string;
  to_class: string;
  effective_date: string;
  note: string;
  created_at: string;
  created_by: string;
}

function classMoves(ctx: Ctx, studentId: string): StudentClassMove[] {
  return (ctx.db.prepare('SELECT * FROM student_class_moves WHERE student_id = ? ORDER BY effective_date').all(studentId) as MoveRow[]).map((r) => ({
    id: r.id,
    studentId: r.student_id,
    fromClass: r.from_class,
    toClass: r.to_class,
    date: r.effective_date,
    note: r.note,
    createdAt: r.created_at,
    createdByName: userName(ctx, r.created_by),
  }));
}

function mealPlans(ctx: Ctx): MealPlanRow[] {
  return (ctx.db.prepare(`SELECT code, name, daily_rate_fen, updated_at FROM meal_plans ORDER BY daily_rate_fen, code`).all() as {
    code: MealPlan;
    name: string;
    daily_rate_fen: number;
    updated_at: string;
  }[]).map((r) => ({ code: r.code, name: r.name, dailyRateFen: r.daily_rate_fen, updatedAt: r.updated_at }));
}

const ROSTER_SYNONYMS: Record<RosterField, string[]> = {
  studentNo: ['学号', '学籍号', '编号', '学生编号'],
  name: ['姓名', '学生姓名', '名字'],
  className: ['班级', '班别', '所在班级'],
  mealPlan: ['用餐方式', '就餐方式', '用餐类型', '餐别'],
  subsidyEligible: ['是否受助', '受助', '营养餐', '是否营养改善计划', '补助'],
};

export function parseMealPlan(s: string): MealPlan | null {
  const t = s.replace(/\s/g, '');
  if (['午餐', '中餐', '午', 'lunch', '一餐'].includes(t)) return 'lunch';
  if (['两餐', '二餐', '早午餐', '午晚餐', 'two'].includes(t)) return 'two';
  if (['三餐', '三餐寄宿', '寄宿', '住校', 'boarding'].includes(t)) return 'boarding';
  return null;
}
export function parseYesNo(s: string): boolean | null {
  const t = s.replace(/\s/g, '').toLowerCase();
  if (['是', '受助', 'y', 'yes', '1', '√', 'true'].includes(t)) return true;
  if (['否', '', '不受助', 'n', 'no', '0', '×', 'false'].includes(t)) return false;
  return null;
}

function checkRow(cells: string[], m: Record<RosterField, number | null>): { row: RosterRow | null; errors: string[] } {
  const get = (f: RosterField) => (m[f] === null ? '' : (cells[m[f] as number] ?? '').trim());
  const errors: string[] = [];
  const studentNo = get('studentNo');
  const name = get('name');
  const className = get('className');
  if (!/^[0-9A-Za-z-]{1,20}$/.test(studentNo)) errors.push(studentNo ? `学号“${studentNo}”应为 1–20 位数字或字母` : '缺少学号');
  if (!name) errors.push('缺少姓名');
  else if (name.length > 30) errors.push('姓名超过 30 个字');
  if (!className) errors.push('缺少班级');
  else if (className.length > 30) errors.push('班级超过 30 个字');
  const planText = get('mealPlan');
  const mealPlan = m.mealPlan === null ? 'lunch' : parseMealPlan(planText);
  if (!mealPlan) errors.push(planText ? `用餐方式“${planText}”无法识别（应为 午餐、两餐 或 三餐寄宿）` : '缺少用餐方式');
  const eligText = get('subsidyEligible');
  const subsidyEligible = parseYesNo(eligText);
  if (subsidyEligible === null) errors.push(`是否受助“${eligText}”无法识别（应为 是 或 否）`);
  if (errors.length) return { row: null, errors };
  return { row: { studentNo, name, className, mealPlan: mealPlan as MealPlan, subsidyEligible: subsidyEligible as boolean }, errors };
}

function sameStudent(s: StudentRow, r: RosterRow): boolean {
  return s.name === r.name && s.class_name === r.className && s.meal_plan === r.mealPlan && (s.subsidy_eligible === 1) === r.subsidyEligible && s.active === 1;
}

export function upsertStudent(ctx: Ctx, r: RosterRow): 'create' | 'update' | 'same' {
  const at = ctx.now().toISOString();
  const by = currentUser(ctx).userId;
  const py = pinyinKeys(r.name);
  const existing = ctx.db.prepare('SELECT * FROM students WHERE student_no = ?').get(r.studentNo) as StudentRow | undefined;
  if (!existing) {
    const id = uuidv7(ctx.now().getTime());
    ctx.db
      .prepare(
        `INSERT INTO students (id, origin, student_no, name, class_name, meal_plan, subsidy_eligible, active, py_initials, py_full, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, ctx.installationId, r.studentNo, r.name, r.className, r.mealPlan, r.subsidyEligible ? 1 : 0, py.initials, py.full, at, by, at, by);
    audit(ctx, 'create', 'student', id, null, withRows(getStudent(ctx, id), groupRows(ctx, 'students', 'id', id)));
    return 'create';
  }
  if (sameStudent(existing, r)) return 'same';
  const before = toStudent(existing);
  ctx.db
    .prepare(
      `UPDATE students SET name = ?, class_name = ?, meal_plan = ?, subsidy_eligible = ?, active = 1, py_initials = ?, py_full = ?, updated_at = ?, updated_by = ? WHERE id = ?`,
    )
    .run(r.name, r.className, r.mealPlan, r.subsidyEligible ? 1 : 0, py.initials, py.full, at, by, existing.id);
  audit(ctx, 'update', 'student', existing.id, before, withRows(getStudent(ctx, existing.id), groupRows(ctx, 'students', 'id', existing.id)));
  return 'update';
}

export const studentHandlers: Handlers<Keys> = {
  'mealPlans.list': (ctx) => mealPlans(ctx),
  'mealPlans.update': (ctx, input) => {
    const before = mealPlans(ctx).find((p) => p.code === input.code);
    if (!before) throw new ApiError('NOT_FOUND', '找不到该用餐方式');
    ctx.db.prepare('UPDATE meal_plans SET daily_rate_fen = ?, updated_at = ?, updated_by = ? WHERE code = ?').run(input.dailyRateFen, ctx.now().toISOString(), currentUser(ctx).userId, input.code);
    const after = mealPlans(ctx).find((p) => p.code === input.code) as MealPlanRow;
    audit(ctx, 'update', 'meal_plan', null, before, after);
    return after;
  },

  'schoolDays.get': (ctx, { month }) => ({ month, days: schoolDaysBetween(ctx, `${month}-01`, lastDayOfMonth(month)) }),
  'schoolDays.set': (ctx, { month, days }) => {
    assertPeriodOpen(ctx, `${month}-01`);
    const before = schoolDaysBetween(ctx, `${month}-01`, lastDayOfMonth(month));
    const sorted = [...days].sort();
    ctx.db.prepare('DELETE FROM school_days WHERE day BETWEEN ? AND ?').run(`${month}-01`, lastDayOfMonth(month));
    const ins = ctx.db.prepare('INSERT INTO school_days (day, created_at, created_by) VALUES (?, ?, ?)');
    for (const d of sorted) ins.run(d, ctx.now().toISOString(), currentUser(ctx).userId);
    const monthDays = Array.from({ length: Number(lastDayOfMonth(month).slice(8)) }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
    audit(ctx, 'update', 'school_days', null, { month, days: before }, withRows({ month, days: sorted }, ...monthDays.map((d) => groupRows(ctx, 'school_days', 'day', d))));
    return { month, days: sorted };
  },
  'terms.list': (ctx) =>
    (ctx.db.prepare('SELECT code, name, start_date AS startDate, end_date AS endDate FROM terms ORDER BY start_date DESC').all() as Term[]),
  'terms.save': (ctx, t) => {
    const before = ctx.db.prepare('SELECT code, name, start_date AS startDate, end_date AS endDate FROM terms WHERE code = ?').get(t.code) as Term | undefined;
    if (before && ctx.db.prepare(`SELECT 1 FROM fee_receipts WHERE period_key = ?`).get(t.code) && (before.startDate !== t.startDate || before.endDate !== t.endDate)) {
      throw new ApiError('RULE', `学期“${t.code}”已开出收据，不能再改起止日期`);
    }
    ctx.db
      .prepare(
        `INSERT INTO terms (code, name, start_date, end_date, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(code) DO UPDATE SET name = excluded.name, start_date = excluded.start_date, end_date = excluded.end_date, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(t.code, t.name, t.startDate, t.endDate, ctx.now().toISOString(), currentUser(ctx).userId);
    audit(ctx, before ? 'update' : 'create', 'term', null, before ?? null, withRows(t, groupRows(ctx, 'terms', 'code', t.code)));
    return t;
  },
  'fees.period': (ctx, { period }) => resolvePeriod(ctx, period),

  'students.list': (ctx, input) => {
    const STUDENT_MATCH = pinyinSearchSql('s');
    // Student number from the start; name, pinyin initials or full pinyin anywhere ("xm" finds 王小明). With a search
    // text, the whole name or number typed comes first, then the earliest match, then the roster order.
    const rows = ctx.db
      .prepare(
        `SELECT * FROM students s WHERE (${STUDENT_MATCH.where} OR (@q <> '' AND s.student_no LIKE @numberPrefix ESCAPE '\\'))
         AND (@className IS NULL OR s.class_name = @className) AND (@all OR s.active = 1)
         ORDER BY (${STUDENT_MATCH.exact} OR s.student_no = @q) DESC, CASE WHEN @q = '' THEN 0 ELSE ${STUDENT_MATCH.position} END,
           class_order(s.class_name), s.class_name, s.student_no LIMIT @limit`,
      )
      .all({ ...pinyinSearchParams(input.q), numberPrefix: likePrefix(input.q), className: input.className ?? null, all: input.includeInactive ? 1 : 0, limit: input.limit }) as StudentRow[];
    return rows.map(toStudent);
  },
  'students.get': (ctx, { id }) => getStudent(ctx, id),
  'students.classes': (ctx) =>
    ctx.db
      .prepare(`SELECT class_name AS className, count(*) AS students, sum(subsidy_eligible) AS eligible FROM students WHERE active = 1 GROUP BY class_name ORDER BY class_order(class_name), class_name`)
      .all() as { className: string; students: number; eligible: number }[],
  'students.update': (ctx, input) => {
    const before = getStudent(ctx, input.id);
    const py = pinyinKeys(input.name);
    ctx.db
      .prepare(`UPDATE students SET name = ?, class_name = ?, meal_plan = ?, subsidy_eligible = ?, active = ?, py_initials = ?, py_full = ?, updated_at = ?, updated_by = ? WHERE id = ?`)
      .run(input.name, input.className, input.mealPlan, input.subsidyEligible ? 1 : 0, input.active ? 1 : 0, py.initials, py.full, ctx.now().toISOString(), currentUser(ctx).userId, input.id);
    const after: Student = getStudent(ctx, input.id);
    audit(ctx, 'update', 'student', input.id, before, withRows(after, groupRows(ctx, 'students', 'id', input.id)));
    return after;
  },

  'students.create': (ctx, input) => {
    const dup = ctx.db.prepare('SELECT name, class_name, active FROM students WHERE student_no = ?').get(input.studentNo) as { name: string; class_name: string; active: number } | undefined;
    if (dup) {
      throw new ApiError('CONFLICT', `学号 ${input.studentNo} 已是${dup.class_name}${dup.name}${dup.active ? '' : '（已离校）'}的学号，不能重复`, [{ path: 'studentNo', message: '学号重复' }]);
    }
    upsertStudent(ctx, input);
    const r = ctx.db.prepare('SELECT * FROM students WHERE student_no = ?').get(input.studentNo) as StudentRow;
    return toStudent(r);
  },
  /**
   * 调班 on a date: the pupil's current class becomes `toClass`; the move keeps the class before the date, so a meal day
   * before it still belongs to the old class (subsidy.record, subsidy.roster read classOn). A meal already recorded in
   * the old class on or after the date would then be in the wrong class: refused, naming the day.
   */
  'students.move': (ctx, { id, toClass, date, note }) => {
    const before = getStudent(ctx, id);
    if (!before.active) throw new ApiError('RULE', `${before.name}（${before.studentNo}）已离校，不能调班`);
    if (toClass === before.className) throw new ApiError('VALIDATION', `${before.name}已在${toClass}，无需调班`, [{ path: 'toClass', message: '与现在的班级相同' }]);
    const last = ctx.db.prepare('SELECT max(effective_date) AS d FROM student_class_moves WHERE student_id = ?').get(id) as { d: string | null };
    if (last.d !== null && date <= last.d) {
      throw new ApiError('RULE', `${before.name}已于 ${last.d} 调班，新的调班日期必须晚于 ${last.d}`, [{ path: 'date', message: `应晚于 ${last.d}` }]);
    }
    const meal = ctx.db
      .prepare(`SELECT m.meal_date, b.class_name FROM subsidy_meals m JOIN subsidy_batches b ON b.id = m.batch_id WHERE m.student_id = ? AND m.meal_date >= ? ORDER BY m.meal_date LIMIT 1`)
      .get(id, date) as { meal_date: string; class_name: string } | undefined;
    if (meal) {
      throw new ApiError('RULE', `${before.name}在 ${meal.meal_date} 已按${meal.class_name}登记受助就餐，调班日期不能早于或等于该日；请选择 ${meal.meal_date} 之后的日期`, [{ path: 'date', message: `应晚于 ${meal.meal_date}` }]);
    }
    const at = ctx.now().toISOString();
    const by = currentUser(ctx).userId;
    const moveId = uuidv7(ctx.now().getTime());
    ctx.db
      .prepare(`INSERT INTO student_class_moves (id, origin, student_id, from_class, to_class, effective_date, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(moveId, ctx.installationId, id, before.className, toClass, date, note, at, by);
    ctx.db.prepare('UPDATE students SET class_name = ?, updated_at = ?, updated_by = ? WHERE id = ?').run(toClass, at, by, id);
    const after = getStudent(ctx, id);
    audit(ctx, 'move', 'student', id, before, withRows({ ...after, documentDate: date, fromClass: before.className, note }, groupRows(ctx, 'students', 'id', id), groupRows(ctx, 'student_class_moves', 'id', moveId)));
    return after;
  },
  'students.moves': (ctx, { id }) => {
    getStudent(ctx, id);
    return classMoves(ctx, id);
  },

  // Progress (issue 19): reading the file, then its rows checked a hundred at a time; nothing is written, so 取消
  // stops it at any report.
  'students.importPreview': (ctx, input) => withOperation(ctx, 'import', { cancellable: true, label: '导入花名册' }, (run) => rosterPreview(ctx, input, run.report)),
  // The rows written in the one transaction, reported a hundred at a time (the CLI's line shows them; the window,
  // whose poll waits for this synchronous write, sees it end). Not cancellable: no cancel can arrive while it runs.
  'students.importCommit': (ctx, { rows }) => {
    const op = startOperation(ctx, 'import', { cancellable: false, label: '导入花名册' });
    try {
      const counts = { created: 0, updated: 0, unchanged: 0 };
      rows.forEach((r, i) => {
        if (i % 100 === 0) op.report('写入数据', i, rows.length);
        const a = upsertStudent(ctx, r);
        if (a === 'create') counts.created++;
        else if (a === 'update') counts.updated++;
        else counts.unchanged++;
      });
      audit(ctx, 'import', 'roster', null, null, { rows: rows.length, ...counts });
      op.report('写入数据', rows.length, rows.length);
      op.end('done');
      return counts;
    } catch (e) {
      throw op.endWith(e);
    }
  },
};

async function rosterPreview(ctx: Ctx, input: { dataBase64: string; mapping?: Record<RosterField, number | null> }, report: ProgressReporter): Promise<RosterPreview> {
  report('读取文件', 0, 0);
  const sheet = await readSheet(input.dataBase64, Object.values(ROSTER_SYNONYMS).flat());
  const mapping = input.mapping ?? guessMapping(sheet.headers, ROSTER_SYNONYMS);
  const missing = (['studentNo', 'name', 'className'] as RosterField[]).filter((f) => mapping[f] === null);
  const seen = new Map<string, number>();
  const rows: RosterPreview['rows'] = await mapReporting(sheet.rows, ({ line, cells }) => {
    const { row, errors } = missing.length ? { row: null, errors: [`未对应列：${missing.map((f) => ROSTER_FIELD_LABELS[f]).join('、')}`] } : checkRow(cells, mapping);
    if (row) {
      const first = seen.get(row.studentNo);
      if (first !== undefined) errors.push(`学号 ${row.studentNo} 与第 ${first} 行重复`);
      else seen.set(row.studentNo, line);
    }
    let action: 'create' | 'update' | 'same' | null = null;
    if (row && errors.length === 0) {
      const s = ctx.db.prepare('SELECT * FROM students WHERE student_no = ?').get(row.studentNo) as StudentRow | undefined;
      action = !s ? 'create' : sameStudent(s, row) ? 'same' : 'update';
    }
    return { line, row: errors.length ? null : row, errors, action };
  }, report);
  report('检查数据', rows.length, rows.length);
  const errorCount = rows.filter((r) => r.errors.length).length;
  return { sheetName: sheet.sheetName, headers: sheet.headers, mapping, rows, okCount: rows.length - errorCount, errorCount };
}
