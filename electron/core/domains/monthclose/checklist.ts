import type { BankLine, ChecklistItem } from '../../../../shared/api/monthclose.ts';
import { formatFen } from '../../../../shared/format.ts';
import { defaultImported, defaultKind } from '../../../../shared/cert-rules.ts';
import { CATEGORY_LABELS, CERT_LABELS, INGREDIENT_KIND_LABELS, type Category, type CertKind, type IngredientKind } from '../../../../shared/domain.ts';
import { lastDayOfMonth } from '../../ledger/clock.ts';
import type { Ctx } from '../../context.ts';
import { accountBalance } from '../../ledger/journal.ts';
import { monthStart } from '../../ledger/month-figures.ts';
import { profileFor } from '../people/index.ts';
import { reconciliationMonth } from '../receiving/reconciliation.ts';
import { sampleFindings } from '../foodsafety/samples.ts';
import { mealFindings } from '../foodsafety/meals.ts';
import { checkFindings } from '../foodsafety/staff.ts';
import { residueFindings, residueRulesFor } from '../receiving/residue.ts';

/**
 * The month-close checklist (DOMAIN.md §3 月结): every item says what is missing and where to fix it. Only the
 * subsidy item is informational (fees records meals served and funds received, not a claim to compare with).
 */

const BANK_ACCOUNTS = [
  { account: 'bank', label: '银行存款（食堂专户）' },
  { account: 'subsidy_bank', label: '营养改善计划补助专户' },
] as const;

export function bankLines(ctx: Ctx, month: string): BankLine[] {
  const end = lastDayOfMonth(month);
  return BANK_ACCOUNTS.map(({ account, label }) => {
    const s = ctx.db
      .prepare(
        `SELECT b.balance_fen, b.created_at, u.display_name FROM bank_statement_balances b LEFT JOIN users u ON u.id = b.created_by
         WHERE b.month = ? AND b.account = ? ORDER BY b.seq DESC LIMIT 1`,
      )
      .get(month, account) as { balance_fen: number; created_at: string; display_name: string | null } | undefined;
    const bookFen = accountBalance(ctx, account, end);
    return {
      account,
      label,
      bookFen,
      statementFen: s?.balance_fen ?? null,
      differenceFen: s ? s.balance_fen - bookFen : null,
      enteredByName: s?.display_name ?? null,
      enteredAt: s?.created_at ?? null,
    };
  });
}

/** Whether an account has any posting dated by the month's end (an account never used needs no statement). */
function accountUsed(ctx: Ctx, account: string, month: string): boolean {
  return ctx.db.prepare('SELECT 1 FROM account_month_totals WHERE account = ? AND month <= ? LIMIT 1').get(account, month) !== undefined;
}

function item(key: ChecklistItem['key'], label: string, missing: string[], okDetail: string, badDetail: string, link: string, linkLabel: string, informational = false): ChecklistItem {
  const ok = informational || missing.length === 0;
  return { key, label, ok, informational, detail: missing.length === 0 || informational ? okDetail : badDetail, missing, link, linkLabel };
}

export function checklist(ctx: Ctx, month: string): ChecklistItem[] {
  const profile = profileFor(ctx, month);
  const from = monthStart(month);
  const to = lastDayOfMonth(month);
  const items: ChecklistItem[] = [];

  // Earlier months first: a month's opening balance and year to date rest on them, so they must be fixed already.
  const earlier = ctx.db
    .prepare(
      // Months with any posting, from the month totals (migration 0006) rather than every journal entry ever.
      // The month of a posted opening (期初建账) holds the opening alone: it is the balance the books start from, not
      // a month of business to close (migration 0017).
      `SELECT DISTINCT month AS m FROM account_month_totals
       WHERE month < substr(?, 1, 7) AND month NOT IN (SELECT period FROM closed_periods)
         AND month > coalesce((SELECT substr(opening_date, 1, 7) FROM openings WHERE status = 'posted'), '') ORDER BY m`,
    )
    .all(from) as { m: string }[];
  items.push(
    item('earlier_months', '之前的月份已月结', earlier.map((r) => `${r.m.slice(0, 4)}年${Number(r.m.slice(5))}月有记账但未月结`), '之前有记账的月份均已月结', `有 ${earlier.length} 个更早的月份未月结，请先按月份顺序月结`, earlier.length ? `/closing?month=${earlier[0].m}` : '/closing', '先月结更早的月份'),
  );

  // 日清: every day with cash movement in the month (the clearing's own over/short posting aside) is cleared.
  const cashDays = ctx.db
    .prepare(
      // The month's days with cash postings come from the day totals; only the days not cleared are looked at closer.
      `SELECT t.day FROM account_day_totals t
       WHERE t.account = 'cash' AND t.day BETWEEN ? AND ? AND NOT EXISTS (SELECT 1 FROM cash_clearings c WHERE c.day = t.day)
         AND EXISTS (SELECT 1 FROM journal_entries e JOIN journal_postings p ON p.entry_id = e.id
                     WHERE e.entry_date = t.day AND e.source_type <> 'cash_clearing' AND p.account = 'cash')
       ORDER BY t.day`,
    )
    .all(from, to) as { day: string }[];
  items.push(item('cash_days', '每个有现金收付的日子都已日清', cashDays.map((d) => `${d.day} 未日清`), '本月有现金收付的日子均已日清', `${cashDays.length} 天有现金收付但未日清`, '/fees/clearing', '日清'));

  // No draft deliveries dated in the month.
  const drafts = ctx.db
    .prepare(
      `SELECT d.delivery_date AS date, s.name AS supplier FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id
       WHERE d.status = 'draft' AND d.delivery_date BETWEEN ? AND ? ORDER BY d.delivery_date, d.created_at`,
    )
    .all(from, to) as { date: string; supplier: string }[];
  items.push(item('drafts', '没有未过账的验收单草稿', drafts.map((d) => `${d.date} ${d.supplier} 的验收单草稿`), '本月没有验收单草稿', `本月还有 ${drafts.length} 张验收单草稿：请过账或作废`, '/receiving', '验收入库'));

  // Supplier statements reconciled, for every supplier with posted deliveries in the month.
  const suppliers = reconciliationMonth(ctx, month);
  const unreconciled: string[] = [];
  for (const { rec: r, row } of suppliers) {
    if (row.state === 'none') unreconciled.push(`${r.supplierName}：未录入对账单`);
    else if (r.differenceFen !== 0) unreconciled.push(`${r.supplierName}：对账单 ${formatFen(r.statement!.totalFen)} 元，验收合计 ${formatFen(r.ourTotalFen)} 元，相差 ${formatFen(r.differenceFen ?? 0)} 元`);
    else if (row.state === 'different') unreconciled.push(`${r.supplierName}：对账单逐单金额与验收单不符`);
  }
  items.push(
    item('statements', '供应商对账单已核对', unreconciled, suppliers.length ? `本月 ${suppliers.length} 家供应商的对账单均已核对一致` : '本月没有供货', `${unreconciled.length} 家供应商对账未完成`, `/receiving/reconcile?month=${month}`, '供应商对账'),
  );

  // Bank balances agreed with the statements entered here.
  const bank = bankLines(ctx, month).filter((b) => b.statementFen !== null || accountUsed(ctx, b.account, month));
  const bankMissing = bank.flatMap((b) =>
    b.statementFen === null
      ? [`${b.label}：未录入银行对账单余额（账面 ${formatFen(b.bookFen)} 元）`]
      : b.differenceFen !== 0
        ? [`${b.label}：对账单 ${formatFen(b.statementFen)} 元，账面 ${formatFen(b.bookFen)} 元，相差 ${formatFen(b.differenceFen ?? 0)} 元`]
        : [],
  );
  items.push(item('bank', '银行存款余额已与对账单核对', bankMissing, bank.length ? '银行对账单余额与账面一致' : '本月之前没有银行收支', '银行余额未核对或不一致', '/closing', '在本页录入对账单余额'));

  // Subsidy: meals served × rate is the claim; informational (no separate claim record to compare with).
  const sb = ctx.db.prepare('SELECT coalesce(sum(students), 0) AS n, coalesce(sum(amount_fen), 0) AS a FROM subsidy_batches WHERE meal_date BETWEEN ? AND ?').get(from, to) as { n: number; a: number };
  items.push(
    item('subsidy', '营养改善计划补助申报', [], `本月受助就餐 ${sb.n} 人日，应申报补助 ${formatFen(sb.a)} 元（受助人日数 × 补助标准）`, '', '/fees/subsidy', '营养改善计划', true),
  );

  // Who changed what decides a delivery's certificates: informational, for the reviewer.
  const certChanges = certificateChanges(ctx, month);
  items.push(
    item('certificate_rules', '食材类别、种类与索证要求的变更', certChanges, certChanges.length ? `本月有 ${certChanges.length} 处变更（谁、何时、改了什么），请审核人知悉` : '本月食材的类别、种类、进口与所需证明及索证规则均未变更', '', '/masterdata/ingredients', '食材目录', true),
  );

  // Entries typed well after the date they are booked on (补录): informational, so the 审核人 sees what was entered late.
  const late = backdatedEntries(ctx, month, profile.backdateWarnDays);
  items.push(
    item('backdated', `补录的单据（录入晚于单据日期 ${profile.backdateWarnDays} 天以上）`, late, late.length ? `本月有 ${late.length} 笔记账晚于单据日期 ${profile.backdateWarnDays} 天以上录入（单据日期、录入时间、录入人、内容），请审核人知悉` : `本月没有晚于单据日期 ${profile.backdateWarnDays} 天以上录入的记账`, '', '/audit', '审计日志', true),
  );

  // 留样 (issue 17): a 上课日 or an issued meal without samples, a sample discarded early. Informational: the books are
  // right without them, and a month is not held open for a record that can no longer be made; the 审核人 is told.
  const samples = sampleFindings(ctx, month);
  items.push(
    item('food_samples', '留样记录', samples.map((f) => f.text), samples.length ? `本月有 ${samples.length} 项留样问题（缺留样、留样不足或提前处理），请审核人知悉` : '本月每个上课日和出库餐次都有留样，没有留样不足或提前处理', '', `/foodsafety/samples?month=${month}`, '留样', true),
  );

  // 陪餐 (issue 17): a 上课日 without any, a problem raised and not followed up. Informational, as 留样.
  const meals = mealFindings(ctx, month);
  items.push(
    item('accompanied_meals', '陪餐记录与整改', meals.map((f) => f.text), meals.length ? `本月有 ${meals.length} 项陪餐问题（缺陪餐或整改未完成），请审核人知悉` : '本月每个上课日都有陪餐记录，提出的问题均已整改', '', `/foodsafety/meals?month=${month}`, '陪餐', true),
  );

  // 晨检 (issue 17): every active canteen worker checked on every 上课日. Informational, as 留样.
  const unchecked = checkFindings(ctx, month);
  items.push(
    item('morning_checks', '从业人员晨检', unchecked.map((f) => f.text), unchecked.length ? `本月有 ${unchecked.length} 人次未晨检，请审核人知悉` : '本月每个上课日在岗人员均已晨检', '', `/foodsafety/checks?month=${month}`, '晨检', true),
  );

  // 农残快检 (issue 17): a delivery day with fewer tested lines than the profile's minimum. Informational, as 留样; shown
  // only where the month's profile asks for quick tests.
  const residue = residueRulesFor(ctx, month);
  if (residue) {
    const short = residueFindings(ctx, month);
    items.push(
      item('residue_tests', '农残快检', short.map((f) => f.text), short.length ? `本月有 ${short.length} 天农残快检少于每日 ${residue.minLinesPerDay} 行，请审核人知悉` : `本月每个送货日的农残快检均不少于 ${residue.minLinesPerDay} 行`, '', '/receiving', '验收入库', true),
    );
  }

  if (profile.usesStoreroom) {
    const counted = ctx.db.prepare(`SELECT status FROM stock_counts WHERE month = ?`).get(month) as { status: string } | undefined;
    const missing = counted?.status === 'posted' ? [] : [counted ? '本月盘点尚未过账' : '本月尚未盘点'];
    items.push(item('storeroom', '库房月末盘点已完成', missing, '本月盘点已过账', '库房月末盘点未完成', '/storeroom/count', '盘点'));
  }
  return items;
}

/** Audit times are UTC; the month is China's (UTC+8, no daylight saving). */
function chinaMonthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  return { from: new Date(Date.UTC(y, m - 1, 1) - 8 * 3600_000).toISOString(), to: new Date(Date.UTC(y, m, 1) - 8 * 3600_000).toISOString() };
}

function chinaMinute(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

interface ClassRecord {
  name?: string;
  spec?: string;
  category?: Category;
  kind?: IngredientKind;
  imported?: boolean;
  requiredCerts?: CertKind[];
}

/**
 * What decides an ingredient's certificates (category, kind, 进口, its own list) changed during the month, and the
 * profile's certificate rules: informational, so the 审核人 sees who changed what a delivery had to carry (issue 14).
 * Reads the ingredients' and the school's audit entries (by the entity index), not every entry of the month.
 */
export function certificateChanges(ctx: Ctx, month: string): string[] {
  const { from, to } = chinaMonthBounds(month);
  const rows = ctx.db
    .prepare(
      `SELECT a.at, a.entity, a.before, a.after, u.display_name AS who FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
       WHERE a.entity IN ('ingredient', 'school') AND a.action = 'update' AND a.at >= ? AND a.at < ? ORDER BY a.seq`,
    )
    .all(from, to) as { at: string; entity: string; before: string | null; after: string | null; who: string | null }[];
  const certs = (cs: CertKind[] | undefined) => (cs ?? []).map((c) => CERT_LABELS[c]).join('、') || '无';
  const out: string[] = [];
  for (const r of rows) {
    const b = r.before ? (JSON.parse(r.before) as Record<string, unknown>) : {};
    const a = r.after ? (JSON.parse(r.after) as Record<string, unknown>) : {};
    const head = `${chinaMinute(r.at)} ${r.who ?? '—'}`;
    if (r.entity === 'school') {
      const rb = JSON.stringify((b.profile as { certRules?: unknown } | undefined)?.certRules ?? null);
      const ra = JSON.stringify((a.profile as { certRules?: unknown } | undefined)?.certRules ?? null);
      if (rb !== ra) out.push(`${head}：修改了区域配置中的索证规则（按类别、种类、进口应查验的证明）`);
      continue;
    }
    const before = b as ClassRecord;
    const after = a as ClassRecord;
    // Entries written before migration 0013 carry no kind: the kind the migration gave the item.
    const kindOf = (x: ClassRecord) => x.kind ?? defaultKind(x.category ?? 'other', x.name ?? '');
    const importedOf = (x: ClassRecord) => x.imported ?? defaultImported(x.name ?? '', x.spec ?? '', x.requiredCerts ?? []);
    const changes = [
      before.category !== after.category ? `类别 ${CATEGORY_LABELS[before.category ?? 'other']} → ${CATEGORY_LABELS[after.category ?? 'other']}` : '',
      kindOf(before) !== kindOf(after) ? `种类 ${INGREDIENT_KIND_LABELS[kindOf(before)]} → ${INGREDIENT_KIND_LABELS[kindOf(after)]}` : '',
      importedOf(before) !== importedOf(after) ? `进口 ${importedOf(before) ? '是' : '否'} → ${importedOf(after) ? '是' : '否'}` : '',
      JSON.stringify([...(before.requiredCerts ?? [])].sort()) !== JSON.stringify([...(after.requiredCerts ?? [])].sort()) ? `所需证明 ${certs(before.requiredCerts)} → ${certs(after.requiredCerts)}` : '',
    ].filter(Boolean);
    if (changes.length) out.push(`${head}：${after.name ?? before.name ?? ''} ${changes.join('，')}`);
  }
  return out;
}

/**
 * Back-dated entries of the month (issue 14 §3): every journal entry dated in the month whose typing (its created_at,
 * China time — the same moment as its audit entry's `at`) came more than `days` days after its date. Every dated money
 * document (delivery, receipt, refund approval and payout, subsidy, deposit, expense, income, supplier payment, stock
 * issue) books its date through a journal entry, so one read by the journal's date index finds them all.
 */
export function backdatedEntries(ctx: Ctx, month: string, days: number): string[] {
  const rows = ctx.db
    .prepare(
      `SELECT e.entry_date, e.created_at, e.memo, u.display_name AS who FROM journal_entries e LEFT JOIN users u ON u.id = e.created_by
       WHERE e.entry_date BETWEEN ? AND ? AND date(e.created_at, '+8 hours') > date(e.entry_date, '+' || ? || ' days')
       ORDER BY e.entry_date, e.created_at`,
    )
    .all(monthStart(month), lastDayOfMonth(month), days) as { entry_date: string; created_at: string; memo: string; who: string | null }[];
  const dayMs = 86_400_000;
  return rows.map((r) => {
    const typedDay = chinaMinute(r.created_at).slice(0, 10);
    const late = Math.round((Date.parse(`${typedDay}T00:00:00Z`) - Date.parse(`${r.entry_date}T00:00:00Z`)) / dayMs);
    return `单据日期 ${r.entry_date}，${chinaMinute(r.created_at)} 由 ${r.who ?? '—'} 录入（晚 ${late} 天）：${r.memo}`;
  });
}

export function blockingItems(items: ChecklistItem[]): ChecklistItem[] {
  return items.filter((i) => !i.ok);
}

