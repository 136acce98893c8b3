import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FoodSafetyMonthReport } from '../../../../shared/api/menus.ts';
import { chinaDate, lastDayOfMonth } from '../../../../shared/calendar.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { CERT_STATE_LABELS } from '../../../../shared/labels-foodsafety.ts';
import { MENU_STATUS_LABELS } from '../../../../shared/labels-menus.ts';
import { DISPOSITION_LABELS, residueReading, type Disposition, type ResidueMethod, type ResidueResult } from '../../../../shared/labels-receiving.ts';
import { formatBp, formatMilli } from '../../../../shared/format.ts';
import { MEAL_LABELS, MEALS, type Meal } from '../../../../shared/labels-storeroom.ts';
import type { Ctx } from '../../context.ts';
import { mealFindings } from '../foodsafety/meals.ts';
import { sampleFindings } from '../foodsafety/samples.ts';
import { certState, checkFindings } from '../foodsafety/staff.ts';
import { termSurveys } from './kiosk.ts';
import { analyse, menuLines } from './menus.ts';

/**
 * 食品安全月报 (issue 17): the month's food-safety records in one A4 sheet — per 上课日 up to the month's end (or
 * today), the meals sampled and accompanied and the staff checked; the counts; the findings (留样, 陪餐, 晨检) and the
 * follow-ups; the staff's certificates; the menus of the weeks touching the month and their 审定; the complaints and
 * who closed them; the 农残快检 at the door (lines tested and failed, each failed line with its reading and how it was
 * rejected); the month's 满意度 per term, the paper forms and the forms parents typed at 现场填写 apart and together. Its
 * own workbook (the disclosure workbook is not changed).
 */
export function foodSafetyMonth(ctx: Ctx, month: string): FoodSafetyMonthReport {
  const from = `${month}-01`;
  const last = lastDayOfMonth(month);
  const today = chinaDate(ctx.now());
  const to = last < today ? last : today;
  const school = ctx.db.prepare('SELECT name FROM school').get() as { name: string } | undefined;
  const mealsOf = (sql: string, day: string): Meal[] => {
    const got = new Set((ctx.db.prepare(sql).all(day) as { meal: Meal }[]).map((r) => r.meal));
    return MEALS.filter((m) => got.has(m));
  };
  const schoolDays = from <= to ? (ctx.db.prepare('SELECT day FROM school_days WHERE day BETWEEN ? AND ? ORDER BY day').all(from, to) as { day: string }[]) : [];
  const days = schoolDays.map(({ day }) => ({
    date: day,
    sampledMeals: mealsOf(`SELECT DISTINCT meal FROM food_samples WHERE sample_date = ? AND status = 'confirmed'`, day),
    accompaniedMeals: mealsOf(`SELECT DISTINCT meal FROM accompanied_meals WHERE meal_date = ? AND status = 'confirmed'`, day),
    checked: (ctx.db.prepare(`SELECT count(*) AS n FROM morning_checks WHERE check_date = ? AND status = 'confirmed'`).get(day) as { n: number }).n,
    // On the roster by that day, as the 晨检 findings count them.
    staff: (ctx.db.prepare(`SELECT count(*) AS n FROM canteen_staff WHERE active = 1 AND date(created_at, '+8 hours') <= ?`).get(day) as { n: number }).n,
  }));
  const samples = ctx.db
    .prepare(
      `SELECT count(*) AS count, coalesce(sum(EXISTS (SELECT 1 FROM food_sample_discards d WHERE d.sample_id = s.id AND d.discarded_at < s.keep_until)), 0) AS earlyDiscards
       FROM food_samples s WHERE s.sample_date BETWEEN ? AND ? AND s.status = 'confirmed'`,
    )
    .get(from, last) as { count: number; earlyDiscards: number };
  const sampleIssues = sampleFindings(ctx, month);
  const meals = ctx.db
    .prepare(
      `SELECT count(*) AS count, coalesce(sum(problem <> ''), 0) AS problems, coalesce(sum(EXISTS (SELECT 1 FROM meal_followups f WHERE f.meal_id = m.id)), 0) AS followedUp
       FROM accompanied_meals m WHERE m.meal_date BETWEEN ? AND ? AND m.status = 'confirmed'`,
    )
    .get(from, last) as { count: number; problems: number; followedUp: number };
  const findings = [...sampleIssues, ...mealFindings(ctx, month), ...checkFindings(ctx, month)]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((f) => f.text);
  const staff = (
    ctx.db
      .prepare(
        `SELECT s.name, s.cert_expiry AS certExpiry,
           (SELECT count(*) FROM morning_checks c WHERE c.staff_id = s.id AND c.status = 'confirmed' AND c.check_date BETWEEN ? AND ?) AS checkedDays
         FROM canteen_staff s WHERE s.active = 1 ORDER BY s.created_at, s.id`,
      )
      .all(from, last) as { name: string; certExpiry: string | null; checkedDays: number }[]
  ).map((s) => ({ ...s, certState: CERT_STATE_LABELS[certState(s.certExpiry, last)] }));
  const menus = (
    ctx.db
      .prepare(
        `SELECT m.id, m.week_start AS weekStart, m.status, m.approved_at AS approvedAt, u.display_name AS approvedByName FROM menus m LEFT JOIN users u ON u.id = m.approved_by
         WHERE m.week_start BETWEEN date(?, '-6 days') AND ? ORDER BY m.week_start, m.created_at, m.id`,
      )
      .all(from, last) as (Omit<FoodSafetyMonthReport['menus'][number], 'lowFigures'> & { id: string })[]
  ).map(({ id, ...m }) => {
    // Its nutrient attainment: how many figures (a day, an age group, a nutrient) fall under their target.
    const { days } = analyse(ctx, m.weekStart, menuLines(ctx, id));
    const lowFigures = days.reduce((n, d) => n + Object.values(d.nutrients).filter((f) => f.attainment === 'low').length, 0);
    return { ...m, lowFigures };
  });
  const complaints = (
    ctx.db
      .prepare(
        `SELECT c.received_date AS date, c.content, f.action, fu.display_name AS closedByName FROM complaints c
         LEFT JOIN complaint_followups f ON f.complaint_id = c.id LEFT JOIN users fu ON fu.id = f.closed_by
         WHERE c.received_date BETWEEN ? AND ? AND c.status = 'confirmed' ORDER BY c.received_date, c.created_at`,
      )
      .all(from, last) as { date: string; content: string; action: string | null; closedByName: string | null }[]
  ).map((c) => ({ date: c.date, content: c.content, closed: c.action !== null, action: c.action ?? '', closedByName: c.closedByName ?? '' }));
  // Light samples as the findings count them (留样不足: recorded under the least weight, with the reason).
  const light = sampleIssues.filter((f) => f.kind === 'light_sample').length;
  return { month, schoolName: school?.name ?? '', from, to, days, samples: { count: samples.count, light, earlyDiscards: samples.earlyDiscards }, meals, findings, staff, menus, complaints, surveys: monthSurveys(ctx, from, last), residueTests: residueTests(ctx, from, last) };
}

/** The month's 满意度 per term: paper and typed forms dated in the month, apart and together (kiosk.ts termSurveys). */
function monthSurveys(ctx: Ctx, from: string, last: string): FoodSafetyMonthReport['surveys'] {
  return termSurveys(ctx, from, last).map((t) => ({ termName: t.termName, paperForms: t.paperForms, typedForms: t.typedForms, paperBp: t.paperBp, typedBp: t.typedBp, satisfiedBp: t.satisfiedBp }));
}

/** 农残快检 of the month's posted deliveries: how many lines were tested and failed, and each failed line as handled. */
function residueTests(ctx: Ctx, from: string, last: string): FoodSafetyMonthReport['residueTests'] {
  const rows = ctx.db
    .prepare(
      `SELECT d.delivery_date AS date, i.name AS item, i.unit, s.name AS supplier, t.method, t.inhibition_tenths AS tenths, t.result,
         l.rejected_milli AS rejected, l.disposition
       FROM delivery_residue_tests t JOIN deliveries d ON d.id = t.delivery_id
         JOIN delivery_lines l ON l.delivery_id = t.delivery_id AND l.line_no = t.line_no
         JOIN ingredients i ON i.id = l.ingredient_id JOIN suppliers s ON s.id = d.supplier_id
       WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? ORDER BY d.delivery_date, d.number, t.line_no`,
    )
    .all(from, last) as {
    date: string;
    item: string;
    unit: string;
    supplier: string;
    method: ResidueMethod;
    tenths: number | null;
    result: ResidueResult;
    rejected: number;
    disposition: Disposition | null;
  }[];
  const failed = rows.filter((r) => r.result === 'fail');
  return {
    tested: rows.length,
    failed: failed.length,
    failures: failed.map((r) => ({
      date: r.date,
      item: r.item,
      supplier: r.supplier,
      reading: `${residueReading(r.method, r.tenths, r.result)}，不合格`,
      handling: `拒收 ${formatMilli(r.rejected)} ${r.unit}，${r.disposition ? DISPOSITION_LABELS[r.disposition] : ''}`,
    })),
  };
}

const mealWords = (ms: Meal[]) => (ms.length ? ms.map((m) => MEAL_LABELS[m]).join('、') : '无');
const utcDate = (iso: string) => new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))));

/** The 月报 as an A4 workbook of one sheet, written with exceljs's streaming writer; returns its path. */
export async function writeFoodSafetyMonth(ctx: Ctx, month: string, dir: string | undefined): Promise<{ xlsxPath: string }> {
  const r = foodSafetyMonth(ctx, month);
  const outDir = dir ?? (ctx.dataDir ? path.join(ctx.dataDir, 'exports') : null);
  if (!outDir) throw new ApiError('VALIDATION', '请指定导出文件夹');
  fs.mkdirSync(outDir, { recursive: true });
  const xlsxPath = path.join(outDir, `食品安全月报_${month}.xlsx`);
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: xlsxPath, useStyles: true });
  const ws = wb.addWorksheet('食品安全月报', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.7, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  });
  ws.columns = [{ width: 14 }, { width: 22 }, { width: 22 }, { width: 14 }, { width: 30 }];
  const font = { name: '宋体', size: 11, charset: 134 };
  const bold = { font: { ...font, bold: true } };
  const THIN = { style: 'thin' } as const;
  const cell = { font, border: { top: THIN, left: THIN, bottom: THIN, right: THIN } };
  const add = (values: (string | number | Date)[], style: Partial<ExcelJS.Style> = { font }) => {
    const row = ws.addRow(values);
    row.eachCell((c) => {
      c.style = style;
      if (c.value instanceof Date) c.style = { ...style, numFmt: 'yyyy-mm-dd' };
    });
    row.commit();
  };
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  add([`${r.schoolName} ${y}年${m}月食品安全月报`], { font: { ...font, size: 16, bold: true } });
  add([r.from <= r.to ? `统计期间：${r.from} 至 ${r.to}` : '统计期间：本月尚未开始']);
  add(['一、留样、陪餐与晨检（按上课日）'], bold);
  add(['日期', '留样餐次', '陪餐餐次', '晨检人数', '应检人数'], { ...cell, font: { ...font, bold: true } });
  for (const d of r.days) add([utcDate(d.date), mealWords(d.sampledMeals), mealWords(d.accompaniedMeals), d.checked, d.staff], cell);
  add([`留样 ${r.samples.count} 份，其中留样不足 ${r.samples.light} 份、提前处理 ${r.samples.earlyDiscards} 份；陪餐 ${r.meals.count} 次，提出问题 ${r.meals.problems} 个，已整改 ${r.meals.followedUp} 个`]);
  add(['二、发现的问题与整改'], bold);
  if (r.findings.length === 0) add(['无']);
  r.findings.forEach((f, i) => add([`${i + 1}. ${f}`]));
  add(['三、从业人员晨检与健康证'], bold);
  add(['姓名', '健康证有效期', '健康证状态', '本月晨检天数'], { ...cell, font: { ...font, bold: true } });
  for (const s of r.staff) add([s.name, s.certExpiry ? utcDate(s.certExpiry) : '未登记', s.certState, s.checkedDays], cell);
  add(['四、带量食谱审定'], bold);
  add(['周一日期', '状态', '审定时间', '审定人', '营养素不足（项）'], { ...cell, font: { ...font, bold: true } });
  for (const mm of r.menus) add([utcDate(mm.weekStart), MENU_STATUS_LABELS[mm.status], mm.approvedAt ? chinaDate(new Date(mm.approvedAt)) : '', mm.approvedByName ?? '', mm.lowFigures], cell);
  add(['五、投诉及处理'], bold);
  add(['日期', '投诉内容', '处理结果', '处理人', '状态'], { ...cell, font: { ...font, bold: true } });
  for (const c of r.complaints) add([utcDate(c.date), c.content, c.action, c.closedByName, c.closed ? '已处理' : '待处理'], cell);
  add(['六、农残快检（送货验收）'], bold);
  add([`快检 ${r.residueTests.tested} 行，不合格 ${r.residueTests.failed} 行（不合格的全部拒收）`]);
  if (r.residueTests.failures.length) {
    add(['日期', '食材', '供应商', '检测结果', '处理'], { ...cell, font: { ...font, bold: true } });
    for (const f of r.residueTests.failures) add([utcDate(f.date), f.item, f.supplier, f.reading, f.handling], cell);
  }
  // 满意度: the paper forms and the forms parents typed at 现场填写, each with its 满意率, and together.
  add(['七、满意度调查（纸质问卷与家长现场填写）'], bold);
  if (r.surveys.length === 0) add(['本月无']);
  else {
    const bp = (v: number | null) => (v === null ? '—' : formatBp(v));
    add(['学期', '纸质问卷（满意率）', '现场填写（满意率）', '合计（份）', '合计满意率'], { ...cell, font: { ...font, bold: true } });
    for (const t of r.surveys) add([t.termName, `${t.paperForms} 份（${bp(t.paperBp)}）`, `${t.typedForms} 份（${bp(t.typedBp)}）`, t.paperForms + t.typedForms, bp(t.satisfiedBp)], cell);
  }
  ws.commit();
  await wb.commit();
  return { xlsxPath };
}
