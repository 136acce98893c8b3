import { ApiError } from '../../../shared/errors.ts';
import type { CentreItemMapping } from '../../../shared/centre/api.ts';
import { formatFen } from '../../../shared/format.ts';
import { rows, type Centre, type Row } from './db.ts';

/**
 * The centre's views (issue 18), SQL over the imported packages, each on the newest revision of every school's month
 * (`current_packages`). Money in fen, rates in basis points; every rounding is half-up on integers, done in SQL so a
 * view and its workbook agree. docs/PACKAGE.md states the rules.
 */

/**
 * The current revisions' purchase lines summed per package by item (`purchase_items`, schema 8: derived.ts), each
 * item under the name and spec the centre compares it by: the school's own mapping (item_map_school, schema 7), else
 * the town's (item_map), else its own name (same unit). Every
 * view that compares items across schools reads lines through this (供应商 the same way, by supplier too): a city
 * month's 1.8 M lines are some 180,000 such sums. A mapping can bring two of a school's items under one name: the
 * readers sum again by the compared name, so the figures are those of the lines. Read it with the month (or item)
 * filter on `l`.
 */
const CURRENT_ITEM_SUMS = `(
  SELECT l.school_code, l.month, l.revision, p.price_tolerance_bp, coalesce(ms.to_item, m.to_item, l.item) AS item, coalesce(ms.to_spec, m.to_spec, l.spec) AS spec, l.unit,
    l.lines, l.qty_milli, l.amount_fen
  FROM current_packages p JOIN purchase_items l USING (school_code, month, revision)
  LEFT JOIN item_map_school ms ON ms.school_code = l.school_code AND ms.item = l.item AND ms.spec = l.spec AND ms.unit = l.unit
  LEFT JOIN item_map m ON m.item = l.item AND m.spec = l.spec AND m.unit = l.unit)`;

export interface ViewColumn {
  key: string;
  header: string;
  /** How the exported workbook shows it: money in yuan, a rate in percent, thousandths as units, or as is. */
  kind: 'text' | 'int' | 'fen' | 'bp' | 'milli' | 'bool';
  width?: number;
}

export interface CentreView {
  title: string;
  columns: ViewColumn[];
  rows: Row[];
  /** A paged view (食材价格): the rows of the whole month and how many of them are flagged, whatever page was read. */
  total?: number;
  flagged?: number;
}

/** One signed change of a figure for the "what changed" text: '+12.00' / '−3.50' (fen), '+1' (count). */
const signed = (v: number, fen: boolean) => `${v > 0 ? '+' : '−'}${fen ? formatFen(Math.abs(v)) : Math.abs(v)}`;

/** What changed between a school's newest revision and the one before it, in words; null without an earlier one. */
function changesText(r: Row): string | null {
  if (r.previous_revision === null || r.previous_revision === undefined) return null;
  const parts: string[] = [];
  const d = (k: string) => Number(r[k] ?? 0);
  if (d('d_income_fen')) parts.push(`本月收入 ${signed(d('d_income_fen'), true)} 元`);
  if (d('d_expense_fen')) parts.push(`本月支出 ${signed(d('d_expense_fen'), true)} 元`);
  if (d('d_surplus_fen')) parts.push(`本月结余 ${signed(d('d_surplus_fen'), true)} 元`);
  if (d('d_purchase_lines')) parts.push(`采购明细 ${signed(d('d_purchase_lines'), false)} 行`);
  if (d('d_purchase_fen')) parts.push(`采购金额 ${signed(d('d_purchase_fen'), true)} 元`);
  return `与第 ${r.previous_revision} 版相比：${parts.length ? parts.join('，') : '收支与采购数字未变'}`;
}

/**
 * 报送情况 for a month: every enrolled school, whether it sent the month, its newest revision and what that replaced,
 * how many days after the month's end it closed, the disclosure deadline of its profile (次月几日前公示, from package
 * schema version 2) and how many days after it the month was approved (0 when on time; null without a deadline), and
 * what changed from the revision before (income, expense, surplus, purchase lines and amount); the schools that sent
 * nothing first.
 */
export async function submissionView(c: Centre, month: string): Promise<CentreView> {
  const r = await rows(
    c.conn,
    `WITH held AS (
       SELECT school_code, count(*) AS revisions, max(revision) AS revision FROM packages WHERE month = ? GROUP BY school_code),
     prev AS (
       SELECT p.school_code, max(q.revision) AS previous_revision
       FROM current_packages p JOIN packages q ON q.school_code = p.school_code AND q.month = p.month AND q.revision < p.revision
       WHERE p.month = ? GROUP BY p.school_code),
     fig AS (SELECT school_code, revision, income_fen, expense_fen, surplus_fen FROM fund WHERE month = ? AND period = 'month'),
     pl AS (SELECT school_code, revision, count(*) AS lines, sum(amount_fen) AS amount_fen FROM purchases WHERE month = ? GROUP BY ALL),
     base AS (
       SELECT s.code AS school_code, s.name AS school_name, p.revision IS NOT NULL AS sent, coalesce(h.revisions, 0) AS revisions,
         p.revision, p.supersedes_revision, p.reopen_reason, p.closed_checksum,
         -- The approval's date in China (closed_at is ISO UTC): an approval at 00:30 on the 16th is after the 15th.
         CAST(CAST(p.closed_at AS TIMESTAMP) + INTERVAL 8 HOUR AS DATE) AS closed_day,
         CASE WHEN p.closed_at IS NULL THEN NULL
              ELSE date_diff('day', last_day(CAST(? || '-01' AS DATE)), CAST(CAST(p.closed_at AS TIMESTAMP) + INTERVAL 8 HOUR AS DATE)) END AS days_after_month_end,
         CASE WHEN p.disclosure_deadline_day IS NULL THEN NULL
              ELSE CAST(CAST(? || '-01' AS DATE) + INTERVAL 1 MONTH + (p.disclosure_deadline_day - 1) * INTERVAL 1 DAY AS DATE) END AS deadline,
         substr(p.imported_at, 1, 10) AS imported_on,
         pr.previous_revision,
         f1.income_fen - f0.income_fen AS d_income_fen, f1.expense_fen - f0.expense_fen AS d_expense_fen, f1.surplus_fen - f0.surplus_fen AS d_surplus_fen,
         coalesce(l1.lines, 0) - coalesce(l0.lines, 0) AS d_purchase_lines, coalesce(l1.amount_fen, 0) - coalesce(l0.amount_fen, 0) AS d_purchase_fen
       FROM schools s
       LEFT JOIN held h ON h.school_code = s.code
       LEFT JOIN current_packages p ON p.school_code = s.code AND p.month = ?
       LEFT JOIN prev pr ON pr.school_code = s.code
       LEFT JOIN fig f1 ON f1.school_code = s.code AND f1.revision = p.revision
       LEFT JOIN fig f0 ON f0.school_code = s.code AND f0.revision = pr.previous_revision
       LEFT JOIN pl l1 ON l1.school_code = s.code AND l1.revision = p.revision
       LEFT JOIN pl l0 ON l0.school_code = s.code AND l0.revision = pr.previous_revision)
     SELECT * EXCLUDE (closed_day) REPLACE (strftime(deadline, '%Y-%m-%d') AS deadline), strftime(closed_day, '%Y-%m-%d') AS closed_on,
       CASE WHEN deadline IS NULL OR closed_day IS NULL THEN NULL ELSE greatest(0, date_diff('day', deadline, closed_day)) END AS days_late
     FROM base ORDER BY sent, school_code`,
    [month, month, month, month, month, month, month],
  );
  for (const x of r) x.changes = changesText(x);
  return {
    title: `报送情况（${month}）`,
    columns: [
      { key: 'school_code', header: '学校代码', kind: 'text', width: 14 },
      { key: 'school_name', header: '学校', kind: 'text', width: 24 },
      { key: 'sent', header: '已报送', kind: 'bool', width: 8 },
      { key: 'revision', header: '当前版本', kind: 'int', width: 10 },
      { key: 'revisions', header: '收到版本数', kind: 'int', width: 10 },
      { key: 'supersedes_revision', header: '取代版本', kind: 'int', width: 10 },
      { key: 'reopen_reason', header: '反结账理由', kind: 'text', width: 30 },
      { key: 'changes', header: '与上一版相比', kind: 'text', width: 40 },
      { key: 'closed_on', header: '月结日期', kind: 'text', width: 12 },
      { key: 'days_after_month_end', header: '月末后天数', kind: 'int', width: 10 },
      { key: 'deadline', header: '公示期限', kind: 'text', width: 12 },
      { key: 'days_late', header: '逾期天数', kind: 'int', width: 10 },
      { key: 'imported_on', header: '导入日期', kind: 'text', width: 12 },
      { key: 'closed_checksum', header: '校验码', kind: 'text', width: 20 },
    ],
    rows: r,
  };
}

/**
 * 结余率: per school and month, the month's income, surplus and rate, and the rate over the profile's period (month,
 * term or year) against its limit, as the school's close computed it; over the limit first, then by rate.
 * over_limit_month compares the month exactly: surplus × 10000 > limit × income.
 */
export async function surplusView(c: Centre, opts: { month?: string } = {}): Promise<CentreView> {
  const r = await rows(
    c.conn,
    `SELECT p.school_code, s.name AS school_name, p.month, p.revision, f.income_fen, f.expense_fen, f.surplus_fen, f.surplus_rate_bp,
       p.surplus_period, p.period_from, p.period_income_fen, p.period_surplus_fen, p.period_rate_bp, p.surplus_limit_bp,
       p.period_breach AS breach,
       CASE WHEN f.income_fen <= 0 THEN f.surplus_fen > 0 ELSE CAST(f.surplus_fen AS HUGEINT) * 10000 > CAST(p.surplus_limit_bp AS HUGEINT) * f.income_fen END AS over_limit_month
     FROM current_packages p JOIN fund f USING (school_code, month, revision) LEFT JOIN schools s ON s.code = p.school_code
     WHERE f.period = 'month' AND (? IS NULL OR p.month = ?)
     ORDER BY breach DESC, over_limit_month DESC, p.period_rate_bp DESC NULLS LAST, p.school_code, p.month`,
    [opts.month ?? null, opts.month ?? null],
  );
  return {
    title: `结余率${opts.month ? `（${opts.month}）` : ''}`,
    columns: [
      { key: 'school_code', header: '学校代码', kind: 'text', width: 14 },
      { key: 'school_name', header: '学校', kind: 'text', width: 24 },
      { key: 'month', header: '月份', kind: 'text', width: 10 },
      { key: 'revision', header: '版本', kind: 'int', width: 6 },
      { key: 'income_fen', header: '本月收入（元）', kind: 'fen', width: 14 },
      { key: 'expense_fen', header: '本月支出（元）', kind: 'fen', width: 14 },
      { key: 'surplus_fen', header: '本月结余（元）', kind: 'fen', width: 14 },
      { key: 'surplus_rate_bp', header: '本月结余率', kind: 'bp', width: 10 },
      { key: 'over_limit_month', header: '本月超限', kind: 'bool', width: 8 },
      { key: 'surplus_period', header: '考核期间', kind: 'text', width: 8 },
      { key: 'period_from', header: '期间起', kind: 'text', width: 10 },
      { key: 'period_rate_bp', header: '期间结余率', kind: 'bp', width: 10 },
      { key: 'surplus_limit_bp', header: '限额', kind: 'bp', width: 8 },
      { key: 'breach', header: '超限', kind: 'bool', width: 6 },
    ],
    rows: r,
  };
}

/**
 * 食材价格 for a month: per item (name + spec + unit) and school, the month's average unit price (amount ÷ quantity,
 * half-up to the fen) and the town's median, min and max over the schools' averages (median of an even count: the
 * mean of the middle two, half-up). A school's price is flagged over_median when its exact average exceeds the median
 * by more than its profile's tolerance (avg > median × (1 + tolerance)), over_reference when it exceeds the reference
 * price its disclosure printed by more than the tolerance. Flagged rows first.
 */
export async function priceView(c: Centre, month: string, opts: { limit?: number; offset?: number } = {}): Promise<CentreView> {
  // A city's month is some 200,000 school × item rows: a screen reads them a page at a time (flagged first), and the
  // page says how many rows the month has and how many are flagged (counted over all of them, not the page). The
  // school's name is joined to the page only.
  const limit = opts.limit ?? 2_147_483_647;
  const offset = opts.offset ?? 0;
  const r = await rows(
    c.conn,
    `WITH lines AS (
       SELECT l.school_code, l.price_tolerance_bp AS tol, l.item, l.spec, l.unit,
         sum(l.amount_fen) AS amount_fen, sum(l.qty_milli) AS qty_milli, sum(l.lines) AS lines
       FROM ${CURRENT_ITEM_SUMS} l
       WHERE l.month = ? GROUP BY ALL HAVING sum(l.qty_milli) > 0),
     avg AS (
       SELECT *, CAST((2 * CAST(amount_fen AS HUGEINT) * 1000 + qty_milli) // (2 * qty_milli) AS BIGINT) AS avg_price_fen FROM lines),
     town AS (
       SELECT item, spec, unit, count(*) AS schools, CAST(floor(median(avg_price_fen) + 0.5) AS BIGINT) AS median_fen,
         min(avg_price_fen) AS min_fen, max(avg_price_fen) AS max_fen
       FROM avg GROUP BY item, spec, unit),
     ref AS (
       -- The school's reference price under the name its item is compared by (the disclosure's 食材价格 has no spec).
       SELECT p.school_code, coalesce(ms.to_item, m.to_item, x.item) AS item, x.unit, max(x.reference_price_fen) AS reference_price_fen
       FROM current_packages p JOIN prices x USING (school_code, month, revision)
       LEFT JOIN (SELECT DISTINCT school_code, item, unit, to_item FROM item_map_school) ms ON ms.school_code = x.school_code AND ms.item = x.item AND ms.unit = x.unit
       LEFT JOIN (SELECT DISTINCT item, unit, to_item FROM item_map) m ON m.item = x.item AND m.unit = x.unit
       WHERE x.month = ? GROUP BY ALL),
     res AS (
       SELECT a.item, a.spec, a.unit, a.school_code, a.lines, a.qty_milli, a.amount_fen, a.avg_price_fen,
         t.schools, t.median_fen, t.min_fen, t.max_fen, r.reference_price_fen, a.tol AS tolerance_bp,
         CAST(a.amount_fen AS HUGEINT) * 1000 * 10000 > CAST(t.median_fen AS HUGEINT) * (10000 + a.tol) * a.qty_milli AS over_median,
         coalesce(CAST(a.amount_fen AS HUGEINT) * 1000 * 10000 > CAST(r.reference_price_fen AS HUGEINT) * (10000 + a.tol) * a.qty_milli, false) AS over_reference
       FROM avg a JOIN town t USING (item, spec, unit)
       LEFT JOIN ref r ON r.school_code = a.school_code AND r.item = a.item AND r.unit = a.unit),
     page AS (
       SELECT * FROM res ORDER BY (over_median OR over_reference) DESC, item, spec, unit, avg_price_fen DESC, school_code LIMIT ? OFFSET ?)
     SELECT a.item, a.spec, a.unit, a.school_code, s.name AS school_name, a.lines, a.qty_milli, a.amount_fen, a.avg_price_fen,
       a.schools, a.median_fen, a.min_fen, a.max_fen, a.reference_price_fen, a.tolerance_bp, a.over_median, a.over_reference,
       (SELECT count(*) FROM res) AS total_rows__, (SELECT count(*) FROM res WHERE over_median OR over_reference) AS flagged_rows__
     FROM page a LEFT JOIN schools s ON s.code = a.school_code
     ORDER BY (a.over_median OR a.over_reference) DESC, a.item, a.spec, a.unit, a.avg_price_fen DESC, a.school_code`,
    [month, month, limit, offset],
  );
  let total = r.length ? Number(r[0].total_rows__) : 0;
  let flagged = r.length ? Number(r[0].flagged_rows__) : 0;
  for (const x of r) {
    delete x.total_rows__;
    delete x.flagged_rows__;
  }
  if (!r.length && offset > 0) {
    // A page past the end: the counts alone.
    const n = await priceView(c, month, { limit: 1 });
    total = n.total ?? 0;
    flagged = n.flagged ?? 0;
  }
  return {
    title: `食材价格（${month}）`,
    columns: [
      { key: 'item', header: '食材', kind: 'text', width: 12 },
      { key: 'spec', header: '规格', kind: 'text', width: 10 },
      { key: 'unit', header: '单位', kind: 'text', width: 6 },
      { key: 'school_code', header: '学校代码', kind: 'text', width: 14 },
      { key: 'school_name', header: '学校', kind: 'text', width: 22 },
      { key: 'lines', header: '笔数', kind: 'int', width: 6 },
      { key: 'qty_milli', header: '数量', kind: 'milli', width: 10 },
      { key: 'amount_fen', header: '金额（元）', kind: 'fen', width: 12 },
      { key: 'avg_price_fen', header: '本校均价（元）', kind: 'fen', width: 12 },
      { key: 'schools', header: '学校数', kind: 'int', width: 6 },
      { key: 'median_fen', header: '全镇中位价（元）', kind: 'fen', width: 12 },
      { key: 'min_fen', header: '最低（元）', kind: 'fen', width: 10 },
      { key: 'max_fen', header: '最高（元）', kind: 'fen', width: 10 },
      { key: 'reference_price_fen', header: '参考价（元）', kind: 'fen', width: 10 },
      { key: 'tolerance_bp', header: '允许偏差', kind: 'bp', width: 8 },
      { key: 'over_median', header: '高于中位价超限', kind: 'bool', width: 10 },
      { key: 'over_reference', header: '高于参考价超限', kind: 'bool', width: 10 },
    ],
    rows: r,
    total,
    flagged,
  };
}

/**
 * 供应商 for a month: suppliers by credit code across schools — how many schools they delivered to, deliveries and
 * amount, a licence expired before the month's end (or missing) at any school's disclosure, and the widest spread of
 * one item's average price between the schools they supplied ((max − min) ÷ min, basis points, half-up), with that
 * item. Suppliers of several schools first, then the widest spread.
 */
export async function supplierView(c: Centre, month: string): Promise<CentreView> {
  const r = await rows(
    c.conn,
    `WITH s AS (
       SELECT x.* FROM current_packages p JOIN suppliers x USING (school_code, month, revision) WHERE p.month = ?),
     per AS (
       SELECT credit_code, min(name) AS name, count(DISTINCT school_code) AS schools, sum(deliveries) AS deliveries, sum(amount_fen) AS amount_fen,
         bool_or(licence_no = '' OR licence_valid_until IS NULL OR licence_valid_until < CAST(last_day(CAST(? || '-01' AS DATE)) AS VARCHAR)) AS licence_problem
       FROM s GROUP BY credit_code),
     g AS (
       -- The month's lines summed by school, supplier and item (purchase_item_suppliers, schema 8: one row per
       -- school, supplier and item as the school wrote it), each under the name and spec it is compared by. A row
       -- whose compared item is a mapping's target may meet another of its school's items there (merged): those are
       -- summed again; every other row is already the school's whole for that supplier and item.
       -- The school's own mapping (item_map_school) before the town's; a row that is a school mapping's source or target
       -- is summed again too.
       SELECT l.school_code, l.supplier_credit_code AS credit_code, coalesce(ms.to_item, m.to_item, l.item) AS item, coalesce(ms.to_spec, m.to_spec, l.spec) AS spec, l.unit,
         l.qty_milli, l.amount_fen, m.to_item IS NOT NULL OR t.to_item IS NOT NULL OR ms.to_item IS NOT NULL OR ts.to_item IS NOT NULL AS merged
       FROM current_packages p JOIN purchase_item_suppliers l USING (school_code, month, revision)
       LEFT JOIN item_map_school ms ON ms.school_code = l.school_code AND ms.item = l.item AND ms.spec = l.spec AND ms.unit = l.unit
       LEFT JOIN item_map m ON m.item = l.item AND m.spec = l.spec AND m.unit = l.unit
       LEFT JOIN (SELECT DISTINCT to_item, to_spec, unit FROM item_map) t ON t.to_item = l.item AND t.to_spec = l.spec AND t.unit = l.unit
       LEFT JOIN (SELECT DISTINCT school_code, to_item, to_spec, unit FROM item_map_school) ts ON ts.school_code = l.school_code AND ts.to_item = l.item AND ts.to_spec = l.spec AND ts.unit = l.unit
       WHERE l.month = ? AND l.supplier_credit_code <> ''),
     item_avg AS (
       SELECT credit_code, item, spec, unit, school_code, (2 * CAST(amount_fen AS HUGEINT) * 1000 + qty_milli) // (2 * qty_milli) AS avg_fen
       FROM g WHERE NOT merged AND qty_milli > 0
       UNION ALL
       SELECT credit_code, item, spec, unit, school_code, (2 * CAST(sum(amount_fen) AS HUGEINT) * 1000 + sum(qty_milli)) // (2 * sum(qty_milli)) AS avg_fen
       FROM g WHERE merged GROUP BY credit_code, item, spec, unit, school_code HAVING sum(qty_milli) > 0),
     spread AS (
       SELECT credit_code, item, spec, unit, CAST((2 * (max(avg_fen) - min(avg_fen)) * 10000 + min(avg_fen)) // (2 * min(avg_fen)) AS INTEGER) AS spread_bp
       FROM item_avg GROUP BY ALL HAVING count(*) >= 2 AND min(avg_fen) > 0),
     widest AS (
       -- Ties go to the first item by name (arg_max took whichever row it met first, which could differ between files).
       SELECT credit_code, first(item ORDER BY spread_bp DESC, item, spec, unit) AS spread_item, max(spread_bp) AS spread_bp FROM spread GROUP BY credit_code),
     rej AS (
       -- Lines received and lines rejected (in part or whole) on the supplier's deliveries (package schema 2).
       SELECT x.supplier_credit_code AS credit_code, sum(x.lines) AS received_lines, sum(x.rejected_lines) AS rejected_lines
       FROM current_packages p JOIN deliveries x USING (school_code, month, revision) WHERE p.month = ? GROUP BY 1)
     SELECT per.credit_code, per.name, per.schools, per.deliveries, per.amount_fen, per.licence_problem, w.spread_item, w.spread_bp,
       r.received_lines, r.rejected_lines,
       CASE WHEN r.received_lines > 0 THEN CAST((2 * r.rejected_lines * 10000 + r.received_lines) // (2 * r.received_lines) AS INTEGER) END AS rejection_rate_bp
     FROM per LEFT JOIN widest w USING (credit_code) LEFT JOIN rej r USING (credit_code)
     ORDER BY per.schools DESC, w.spread_bp DESC NULLS LAST, per.credit_code`,
    [month, month, month, month],
  );
  return {
    title: `供应商（${month}）`,
    columns: [
      { key: 'credit_code', header: '统一社会信用代码', kind: 'text', width: 22 },
      { key: 'name', header: '供应商', kind: 'text', width: 26 },
      { key: 'schools', header: '供货学校数', kind: 'int', width: 10 },
      { key: 'deliveries', header: '送货次数', kind: 'int', width: 10 },
      { key: 'amount_fen', header: '金额（元）', kind: 'fen', width: 14 },
      { key: 'licence_problem', header: '许可证过期或缺失', kind: 'bool', width: 12 },
      { key: 'spread_item', header: '校间价差最大的食材', kind: 'text', width: 14 },
      { key: 'spread_bp', header: '校间价差', kind: 'bp', width: 10 },
      { key: 'received_lines', header: '验收明细行', kind: 'int', width: 10 },
      { key: 'rejected_lines', header: '拒收行', kind: 'int', width: 8 },
      { key: 'rejection_rate_bp', header: '拒收率', kind: 'bp', width: 8 },
    ],
    rows: r,
  };
}

/**
 * 验收 for a month, per school: deliveries (验收单), the distinct groups of inspectors who signed them, the most
 * frequent group and its share; `never_rotated` when two or more deliveries were all signed by one group. Rejected
 * lines against accepted lines. Deliveries no parent witnessed (package schema 2; blank for version 1).
 */
export async function inspectionView(c: Centre, month: string): Promise<CentreView> {
  const r = await rows(
    c.conn,
    // Each count is one GROUP BY joined on the school (no subquery per package): the month's lines by delivery, the
    // rejections and the unwitnessed deliveries.
    `WITH d AS (
       SELECT l.school_code, l.receipt_no, min(l.inspectors) AS inspectors, count(*) AS lines
       FROM current_packages p JOIN purchases l USING (school_code, month, revision) WHERE l.month = ? GROUP BY ALL),
     groups AS (
       SELECT school_code, inspectors, count(*) AS n, sum(lines) AS lines FROM d GROUP BY ALL),
     per AS (
       -- The most frequent group; ties go to the first by name (arg_max took whichever row it met first).
       SELECT school_code, sum(n) AS deliveries, count(*) AS inspector_groups, first(inspectors ORDER BY n DESC, inspectors) AS top_group, max(n) AS top_n,
         CAST(sum(lines) AS BIGINT) AS accepted_lines
       FROM groups GROUP BY school_code),
     rej AS (
       SELECT j.school_code, count(*) AS rejected_lines FROM current_packages p JOIN rejected j USING (school_code, month, revision) WHERE j.month = ? GROUP BY 1),
     unw AS (
       SELECT x.school_code, count(*) AS unwitnessed FROM current_packages p JOIN deliveries x USING (school_code, month, revision)
       WHERE x.month = ? AND NOT x.witnessed GROUP BY 1),
     cur AS (SELECT school_code, schema_version FROM current_packages WHERE month = ?)
     SELECT per.school_code, s.name AS school_name, per.deliveries,
       -- Package schema 2 lists the month's deliveries with whether a parent witnessed them; version 1 does not (null).
       CASE WHEN cur.schema_version >= 2 THEN coalesce(unw.unwitnessed, 0) END AS unwitnessed,
       per.inspector_groups, per.top_group,
       CAST((2 * per.top_n * 10000 + per.deliveries) // (2 * per.deliveries) AS INTEGER) AS top_share_bp,
       per.deliveries >= 2 AND per.inspector_groups = 1 AS never_rotated, per.accepted_lines, coalesce(rej.rejected_lines, 0) AS rejected_lines
     FROM per JOIN cur USING (school_code) LEFT JOIN unw USING (school_code) LEFT JOIN rej USING (school_code) LEFT JOIN schools s ON s.code = per.school_code
     ORDER BY never_rotated DESC, top_share_bp DESC, per.school_code`,
    [month, month, month, month],
  );
  return {
    title: `验收（${month}）`,
    columns: [
      { key: 'school_code', header: '学校代码', kind: 'text', width: 14 },
      { key: 'school_name', header: '学校', kind: 'text', width: 24 },
      { key: 'deliveries', header: '验收单数', kind: 'int', width: 10 },
      { key: 'unwitnessed', header: '无家长陪同验收', kind: 'int', width: 12 },
      { key: 'inspector_groups', header: '验收人组合数', kind: 'int', width: 12 },
      { key: 'top_group', header: '最常见组合', kind: 'text', width: 20 },
      { key: 'top_share_bp', header: '占比', kind: 'bp', width: 8 },
      { key: 'never_rotated', header: '从未轮换', kind: 'bool', width: 8 },
      { key: 'accepted_lines', header: '验收明细行', kind: 'int', width: 10 },
      { key: 'rejected_lines', header: '拒收行', kind: 'int', width: 8 },
    ],
    rows: r,
  };
}

/**
 * 食品安全 for a month, per school that sent it: its school days, the 留样 findings (school days without any sample,
 * meals issued without a sample, planned dishes without one, light samples recorded with a reason, samples discarded early) and the 陪餐 findings (school
 * days without an accompanied meal, rota turns missed, problems raised and not yet followed up); each completion rate
 * is the school days with a record over the school days, half-up, in basis points. Schools with the most days missing
 * first. A version-1 package carries none of this: its row is all blank.
 */
export async function foodSafetyView(c: Centre, month: string): Promise<CentreView> {
  const r = await rows(
    c.conn,
    `WITH f AS (
       SELECT school_code, count(*) FILTER (WHERE kind = 'no_samples') AS days_without_samples,
         count(*) FILTER (WHERE kind = 'meal_without_sample') AS meals_without_sample,
         count(*) FILTER (WHERE kind = 'planned_dish_without_sample') AS dishes_without_sample,
         count(*) FILTER (WHERE kind = 'light_sample') AS light_samples,
         count(*) FILTER (WHERE kind = 'early_discard') AS early_discards,
         count(*) FILTER (WHERE kind = 'no_companion') AS days_without_companion,
         count(*) FILTER (WHERE kind = 'rota_missed') AS rota_missed,
         count(*) FILTER (WHERE kind = 'open_followup') AS open_followups
       FROM current_packages p JOIN food_safety_findings x USING (school_code, month, revision) WHERE p.month = ? GROUP BY school_code),
     base AS (
       SELECT p.school_code, coalesce(s.name, p.school_name) AS school_name, p.school_days,
         CASE WHEN p.school_days IS NULL THEN NULL ELSE coalesce(f.days_without_samples, 0) END AS days_without_samples,
         CASE WHEN p.school_days IS NULL THEN NULL ELSE coalesce(f.meals_without_sample, 0) END AS meals_without_sample,
         CASE WHEN p.school_days IS NULL THEN NULL ELSE coalesce(f.dishes_without_sample, 0) END AS dishes_without_sample,
         CASE WHEN p.school_days IS NULL THEN NULL ELSE coalesce(f.light_samples, 0) END AS light_samples,
         CASE WHEN p.school_days IS NULL THEN NULL ELSE coalesce(f.early_discards, 0) END AS early_discards,
         CASE WHEN p.school_days IS NULL THEN NULL ELSE coalesce(f.days_without_companion, 0) END AS days_without_companion,
         CASE WHEN p.school_days IS NULL THEN NULL ELSE coalesce(f.rota_missed, 0) END AS rota_missed,
         CASE WHEN p.school_days IS NULL THEN NULL ELSE coalesce(f.open_followups, 0) END AS open_followups
       FROM current_packages p LEFT JOIN f USING (school_code) LEFT JOIN schools s ON s.code = p.school_code WHERE p.month = ?)
     SELECT *,
       CASE WHEN school_days > 0 THEN CAST((2 * (school_days - days_without_samples) * 10000 + school_days) // (2 * school_days) AS INTEGER) END AS samples_rate_bp,
       CASE WHEN school_days > 0 THEN CAST((2 * (school_days - days_without_companion) * 10000 + school_days) // (2 * school_days) AS INTEGER) END AS companion_rate_bp
     FROM base
     ORDER BY (days_without_samples + days_without_companion) DESC NULLS LAST, school_code`,
    [month, month],
  );
  return {
    title: `食品安全（${month}）`,
    columns: [
      { key: 'school_code', header: '学校代码', kind: 'text', width: 14 },
      { key: 'school_name', header: '学校', kind: 'text', width: 24 },
      { key: 'school_days', header: '上课日', kind: 'int', width: 8 },
      { key: 'samples_rate_bp', header: '留样完成率', kind: 'bp', width: 10 },
      { key: 'days_without_samples', header: '无留样天数', kind: 'int', width: 10 },
      { key: 'meals_without_sample', header: '出库未留样餐次', kind: 'int', width: 12 },
      { key: 'dishes_without_sample', header: '食谱菜品未留样', kind: 'int', width: 12 },
      { key: 'light_samples', header: '留样不足', kind: 'int', width: 8 },
      { key: 'early_discards', header: '提前销毁', kind: 'int', width: 8 },
      { key: 'companion_rate_bp', header: '陪餐完成率', kind: 'bp', width: 10 },
      { key: 'days_without_companion', header: '无陪餐天数', kind: 'int', width: 10 },
      { key: 'rota_missed', header: '值班未陪餐', kind: 'int', width: 10 },
      { key: 'open_followups', header: '待整改问题', kind: 'int', width: 10 },
    ],
    rows: r,
  };
}

/** The items bought in a month (name + spec + unit), with how many schools bought each: the chart's item picker. */
export async function monthItems(c: Centre, month: string): Promise<{ item: string; spec: string; unit: string; schools: number }[]> {
  const r = await rows(
    c.conn,
    `SELECT l.item, l.spec, l.unit, count(DISTINCT l.school_code) AS schools
     FROM ${CURRENT_ITEM_SUMS} l
     WHERE l.month = ? GROUP BY ALL HAVING sum(l.qty_milli) > 0 ORDER BY schools DESC, l.item, l.spec, l.unit`,
    [month],
  );
  return r.map((x) => ({ item: String(x.item), spec: String(x.spec), unit: String(x.unit), schools: Number(x.schools) }));
}

/**
 * One item's price by school over months (the 食材价格 chart): each school's average unit price of the item (name +
 * spec + unit) in each month it bought it, half-up to the fen as in priceView.
 */
export async function priceHistory(c: Centre, item: { item: string; spec: string; unit: string }): Promise<{ schoolCode: string; schoolName: string; month: string; avgPriceFen: number }[]> {
  const r = await rows(
    c.conn,
    `SELECT l.school_code, coalesce(s.name, p.school_name) AS school_name, l.month,
       CAST((2 * CAST(sum(l.amount_fen) AS HUGEINT) * 1000 + sum(l.qty_milli)) // (2 * sum(l.qty_milli)) AS BIGINT) AS avg_price_fen
     FROM ${CURRENT_ITEM_SUMS} l JOIN current_packages p USING (school_code, month, revision) LEFT JOIN schools s ON s.code = l.school_code
     WHERE l.item = ? AND l.spec = ? AND l.unit = ?
     GROUP BY ALL HAVING sum(l.qty_milli) > 0 ORDER BY l.month, l.school_code`,
    [item.item, item.spec, item.unit],
  );
  return r.map((x) => ({ schoolCode: String(x.school_code), schoolName: String(x.school_name), month: String(x.month), avgPriceFen: Number(x.avg_price_fen) }));
}

/** The mapping's shape is the API's (shared/centre/api.ts), declared there once. */
type ItemMapping = CentreItemMapping;

/** The centre's item mapping (食材对应), by the school's item. */
export async function itemMappings(c: Centre): Promise<ItemMapping[]> {
  const r = await rows(c.conn, 'SELECT * FROM item_map ORDER BY item, spec, unit');
  return r.map((x) => ({ item: String(x.item), spec: String(x.spec), unit: String(x.unit), toItem: String(x.to_item), toSpec: String(x.to_spec), mappedAt: String(x.mapped_at), mappedBy: String(x.mapped_by) }));
}

const named = (item: string, spec: string, unit: string) => `“${item}${spec ? `（${spec}）` : ''}”（${unit}）`;

/**
 * Compares a school's item (name + spec, in its unit) under another name and spec from now on, in every view; a
 * mapping of the same item is replaced. One step only: the target may not itself be mapped, nor the item be the
 * target of another mapping (so no chain or loop), and an item is not mapped to itself.
 */
export async function mapItem(c: Centre, m: { item: string; spec: string; unit: string; toItem: string; toSpec: string }, by: string, now: Date): Promise<ItemMapping> {
  if (m.item === m.toItem && m.spec === m.toSpec) throw new ApiError('VALIDATION', '食材不能对应到它自己');
  const targetMapped = await rows(c.conn, 'SELECT to_item, to_spec FROM item_map WHERE item = ? AND spec = ? AND unit = ?', [m.toItem, m.toSpec, m.unit]);
  if (targetMapped.length) {
    throw new ApiError('CONFLICT', `${named(m.toItem, m.toSpec, m.unit)}本身已对应到${named(String(targetMapped[0].to_item), String(targetMapped[0].to_spec), m.unit)}，请直接对应到后者`);
  }
  const isTarget = await rows(c.conn, 'SELECT item, spec FROM item_map WHERE to_item = ? AND to_spec = ? AND unit = ? ORDER BY item, spec LIMIT 1', [m.item, m.spec, m.unit]);
  if (isTarget.length) {
    throw new ApiError('CONFLICT', `${named(String(isTarget[0].item), String(isTarget[0].spec), m.unit)}已对应到${named(m.item, m.spec, m.unit)}，它不能再对应到别的食材`);
  }
  // Nor the target of one school's own mapping (item_map_school): that school's lines would be one step from it, two.
  const isSchoolTarget = await rows(
    c.conn,
    `SELECT coalesce(s.name, m.school_code) AS school, m.item, m.spec FROM item_map_school m LEFT JOIN schools s ON s.code = m.school_code
     WHERE m.to_item = ? AND m.to_spec = ? AND m.unit = ? AND (m.item <> m.to_item OR m.spec <> m.to_spec) ORDER BY m.school_code, m.item, m.spec LIMIT 1`,
    [m.item, m.spec, m.unit],
  );
  if (isSchoolTarget.length) {
    const t = isSchoolTarget[0];
    throw new ApiError('CONFLICT', `${String(t.school)}的${named(String(t.item), String(t.spec), m.unit)}已对应到${named(m.item, m.spec, m.unit)}，它不能再对应到别的食材`);
  }
  await c.conn.run('INSERT OR REPLACE INTO item_map VALUES (?, ?, ?, ?, ?, ?, ?)', [m.item, m.spec, m.unit, m.toItem, m.toSpec, now.toISOString(), by]);
  return { ...m, mappedAt: now.toISOString(), mappedBy: by };
}

/** Removes a mapping: the item is compared under its own name and spec again. */
export async function unmapItem(c: Centre, m: { item: string; spec: string; unit: string }): Promise<void> {
  const held = await rows(c.conn, 'SELECT 1 FROM item_map WHERE item = ? AND spec = ? AND unit = ?', [m.item, m.spec, m.unit]);
  if (!held.length) throw new ApiError('NOT_FOUND', `${named(m.item, m.spec, m.unit)}没有对应关系`);
  await c.conn.run('DELETE FROM item_map WHERE item = ? AND spec = ? AND unit = ?', [m.item, m.spec, m.unit]);
}
