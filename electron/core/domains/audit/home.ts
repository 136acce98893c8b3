import type { AttentionItem, HomeEntry, HomeLine, HomeSection, HomeSummary } from '../../../../shared/api/audit.ts';
import { chinaDateTime } from '../../../../shared/calendar.ts';
import { formatFen, formatMilli } from '../../../../shared/format.ts';
import { ROLE_LABELS, ROLES, type Role } from '../../../../shared/roles.ts';
import { backupsDir, listBackups } from '../../integrity/backup.ts';
import { addDays, chinaDate, monthWords, previousMonth } from '../../ledger/clock.ts';
import type { Ctx } from '../../context.ts';
import { healthOf } from '../../integrity/health-check.ts';
import { accountBalance } from '../../ledger/journal.ts';
import { listRefunds } from '../fees/refunds.ts';
import { checklist } from '../monthclose/checklist.ts';
import { monthState } from '../monthclose/index.ts';
import { profileOf } from '../people/index.ts';
import { payables } from '../receiving/reconciliation.ts';
import { nearExpiryLots } from '../storeroom/trace.ts';
import { sampleFindings, samplesDue } from '../foodsafety/samples.ts';
import { mealFindings, openFollowups } from '../foodsafety/meals.ts';
import { certWarnings, checkDay } from '../foodsafety/staff.ts';
import { residueFindings, residueRulesFor, residueToday } from '../receiving/residue.ts';
import { MEAL_LABELS } from '../../../../shared/labels-foodsafety.ts';
import { menuHomeEntry } from '../menus/menus.ts';
import { mealDutyEntry } from '../foodsafety/rota.ts';

/**
 * Each role's home (issue 15): a section per role the person holds, each entry a figure with the page where its work
 * is done. Every link is to a page of that role (renderer/src/routes.tsx); test/core/home.test.ts and
 * test/e2e/home.test.ts walk them. Lists under an entry are cut at LINES (the page behind the entry has the rest).
 */
const LINES = 10;

const cut = (lines: HomeLine[]): HomeLine[] => lines.slice(0, LINES);
const count = (n: number, unit: string) => `${n} ${unit}`;

/** The month the books are being closed for: last month until it is closed, then this month. */
export function monthToClose(ctx: Ctx): string {
  const thisMonth = chinaDate(ctx.now()).slice(0, 7);
  const last = previousMonth(thisMonth);
  return ctx.db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(last) ? thisMonth : last;
}

/** Monday of the week `day` falls in (China's week starts on Monday). */
function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return addDays(day, -((weekday + 6) % 7));
}

interface DeliveryRow {
  id: string;
  number: string | null;
  status: 'draft' | 'posted' | 'cancelled';
  delivery_date: string;
  supplier: string;
  total_fen: number;
}

function deliveriesBetween(ctx: Ctx, from: string, to: string): DeliveryRow[] {
  return ctx.db
    .prepare(
      `SELECT d.id, d.number, d.status, d.delivery_date, s.name AS supplier, d.total_fen FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id
       WHERE d.delivery_date BETWEEN ? AND ? AND d.status <> 'cancelled' ORDER BY d.delivery_date DESC, d.number DESC, d.created_at DESC`,
    )
    .all(from, to) as DeliveryRow[];
}

const deliveryLine = (d: DeliveryRow, withDate: boolean): HomeLine => ({
  text: `${withDate ? `${d.delivery_date} ` : ''}${d.number ?? '草稿'} ${d.supplier}${d.status === 'posted' ? ` ¥${formatFen(d.total_fen)}` : '（未过账）'}`,
  link: `/receiving/${d.id}`,
  tone: d.status === 'draft' ? 'warning' : 'info',
});

function lotLines(ctx: Ctx, expiredOnly: boolean): HomeLine[] {
  return nearExpiryLots(ctx)
    .filter((l) => !expiredOnly || l.state === 'expired')
    .map((l) => ({
      text: `${l.ingredientName} ${formatMilli(l.onHandMilli)} ${l.unit}：${l.state === 'expired' ? '已过期' : '临期'}（保质期至 ${l.expiryDate}）`,
      link: `/storeroom/trace/${l.lotId}`,
      tone: l.state === 'expired' ? 'error' : 'warning',
    }));
}

function storekeeper(ctx: Ctx, today: string, month: string): HomeEntry[] {
  const todays = deliveriesBetween(ctx, today, today);
  const posted = todays.filter((d) => d.status === 'posted');
  const drafts = ctx.db
    .prepare(
      `SELECT d.id, d.number, d.status, d.delivery_date, s.name AS supplier, d.total_fen FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id
       WHERE d.status = 'draft' ORDER BY d.delivery_date, d.created_at`,
    )
    .all() as DeliveryRow[];
  const lots = lotLines(ctx, false);
  const entries: HomeEntry[] = [
    {
      kind: 'deliveries_today',
      label: '今日验收',
      value: count(todays.length, '张'),
      detail: `已过账 ${posted.length} 张，合格金额 ¥${formatFen(posted.reduce((s, d) => s + d.total_fen, 0))}；草稿 ${todays.length - posted.length} 张`,
      link: '/receiving',
      linkLabel: '验收入库',
      lines: cut(todays.map((d) => deliveryLine(d, false))),
    },
    {
      kind: 'drafts',
      label: '验收单草稿',
      value: count(drafts.length, '张'),
      detail: drafts.length ? '请核对后过账，或填写原因作废（月结时不能留有草稿）' : '没有未过账的草稿',
      link: '/receiving',
      linkLabel: '验收入库',
      lines: cut(drafts.map((d) => ({ ...deliveryLine(d, true), tone: d.delivery_date < today ? 'warning' : 'info' }))),
    },
    {
      kind: 'expiring_lots',
      label: '临期与过期库存',
      value: count(lots.length, '批'),
      detail: lots.length ? '临期的优先出库，过期的报损“过期销毁”' : `没有 ${profileOf(ctx).nearExpiryDays} 天内到期的库存`,
      link: '/storeroom',
      linkLabel: '库房',
      lines: cut(lots),
    },
  ];
  entries.push(foodSamples(ctx, today));
  const day = checkDay(ctx, today).rows.filter((r) => r.staff.active);
  const checked = day.filter((r) => r.check);
  entries.push({
    kind: 'morning_checks',
    label: '今日晨检',
    value: `已检 ${checked.length} / ${day.length} 人`,
    detail: `上岗 ${checked.filter((r) => r.check?.onDuty).length} 人；健康证 30 天内到期、已过期或未登记的须换证后才能上岗`,
    link: '/foodsafety/checks',
    linkLabel: '晨检',
    lines: cut([
      ...day.filter((r) => !r.check).map((r): HomeLine => ({ text: `${r.staff.name} 今日未晨检`, link: '/foodsafety/checks', tone: 'warning' })),
      ...certWarnings(ctx).map((w): HomeLine => ({ text: w.text, link: '/foodsafety/checks', tone: w.kind === 'cert_expiring' ? 'warning' : 'error' })),
    ]),
  });
  const followups = openFollowups(ctx);
  entries.push({
    kind: 'meal_followups',
    label: '陪餐整改',
    value: count(followups.length, '项待整改'),
    detail: followups.length ? '陪餐时提出的问题，整改后写明做了什么' : '陪餐提出的问题均已整改',
    link: '/foodsafety/meals',
    linkLabel: '陪餐',
    lines: cut(followups.map((f) => ({ text: f.text, link: `/foodsafety/meals?date=${f.date}`, tone: 'warning' }))),
  });
  // 带量食谱 (issue 17): next week's menu, and any returned by the parents.
  entries.push(menuHomeEntry(ctx, today, 'canteen'));
  // 农残快检 (issue 17): only where this month's profile asks for it; a day short of the minimum is listed.
  const residue = residueRulesFor(ctx, today.slice(0, 7));
  if (residue) {
    const done = residueToday(ctx, today);
    const short = residueFindings(ctx, today.slice(0, 7));
    entries.push({
      kind: 'residue_tests',
      label: '农残快检',
      value: `今日已检 ${done.tested} 行`,
      detail: `不合格 ${done.failed} 行（全部拒收）；每日至少 ${residue.minLinesPerDay} 行；本月不足的 ${short.length} 天`,
      link: '/receiving',
      linkLabel: '验收入库',
      lines: cut(short.map((f): HomeLine => ({ text: f.text, link: '/receiving', tone: 'warning' }))),
    });
  }
  if (profileOf(ctx).usesStoreroom) {
    const c = ctx.db.prepare('SELECT status FROM stock_counts WHERE month = ?').get(month) as { status: string } | undefined;
    entries.push({
      kind: 'count_due',
      label: `${monthWords(month)}月末盘点`,
      value: c?.status === 'posted' ? '已过账' : c ? '进行中' : '未开始',
      detail: c?.status === 'posted' ? '本期盘点已完成' : '月结前须完成盘点并过账',
      link: '/storeroom/count',
      linkLabel: '盘点',
      lines: [],
    });
  }
  return entries;
}

/** 今日留样 (issue 17): today's sampled meals, samples due for discard, and this month's 留样 findings. */
function foodSamples(ctx: Ctx, today: string): HomeEntry {
  const todays = ctx.db
    .prepare(`SELECT meal, count(*) AS n FROM food_samples WHERE sample_date = ? AND status = 'confirmed' GROUP BY meal ORDER BY CASE meal WHEN 'breakfast' THEN 1 WHEN 'lunch' THEN 2 ELSE 3 END`)
    .all(today) as { meal: keyof typeof MEAL_LABELS; n: number }[];
  const due = samplesDue(ctx);
  const findings = sampleFindings(ctx, today.slice(0, 7));
  const link = '/foodsafety/samples';
  return {
    kind: 'food_samples',
    label: '今日留样',
    value: todays.length ? todays.map((m) => `${MEAL_LABELS[m.meal]} ${m.n} 个菜品`).join('，') : '尚未留样',
    detail: `到期待处理 ${due.length} 份；本月留样问题 ${findings.length} 项`,
    link,
    linkLabel: '留样',
    lines: cut([
      ...due.map((d): HomeLine => ({ text: `${d.date} ${MEAL_LABELS[d.meal]} ${d.dish}：已到保存期限（${chinaDateTime(d.keepUntil, 'minute')}），待处理`, link, tone: 'info' })),
      ...findings.map((f): HomeLine => ({ text: f.text, link: `${link}?month=${f.date.slice(0, 7)}`, tone: 'warning' })),
    ]),
  };
}

function cashier(ctx: Ctx, today: string): HomeEntry[] {
  // Today's cash in and out, from today's entries (by the entry-date index): a day is a handful of rows.
  const cash = ctx.db
    .prepare(
      `SELECT coalesce(sum(CASE WHEN p.amount_fen > 0 THEN p.amount_fen END), 0) AS inFen, coalesce(sum(CASE WHEN p.amount_fen < 0 THEN -p.amount_fen END), 0) AS outFen
       FROM journal_entries e JOIN journal_postings p ON p.entry_id = e.id WHERE e.entry_date = ? AND p.account = 'cash'`,
    )
    .get(today) as { inFen: number; outFen: number };
  const cleared = (ctx.db.prepare('SELECT max(day) AS d FROM cash_clearings').get() as { d: string | null }).d;
  const receipts = ctx.db
    .prepare(
      `SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS f, coalesce(sum(CASE WHEN method = 'cash' THEN amount_fen END), 0) AS cash
       FROM fee_receipts WHERE receipt_date = ? AND status = 'valid'`,
    )
    .get(today) as { n: number; f: number; cash: number };
  const due = listRefunds(ctx, `f.status = 'approved'`);
  const overdue = due.filter((r) => r.overdue);
  return [
    {
      kind: 'cash_today',
      label: '今日现金',
      value: `收 ¥${formatFen(cash.inFen)}　付 ¥${formatFen(cash.outFen)}`,
      detail: `库存现金账面 ¥${formatFen(accountBalance(ctx, 'cash'))}；最近日清 ${cleared ?? '尚无'}`,
      link: `/fees/clearing`,
      linkLabel: '日清',
      lines: [],
    },
    {
      kind: 'receipts_today',
      label: '今日收据',
      value: count(receipts.n, '张'),
      detail: `合计 ¥${formatFen(receipts.f)}，其中现金 ¥${formatFen(receipts.cash)}`,
      link: '/fees/receipts',
      linkLabel: '收据',
      lines: [],
    },
    {
      kind: 'refunds_due',
      label: '待退付的退费',
      value: count(due.length, '笔'),
      detail: due.length ? `合计 ¥${formatFen(due.reduce((s, r) => s + r.amountFen, 0))}，其中逾期 ${overdue.length} 笔` : '没有已批准待退付的退费',
      link: '/fees/refunds',
      linkLabel: '退费',
      lines: cut(
        [...overdue, ...due.filter((r) => !r.overdue)].map((r) => ({
          text: `${r.number} ${r.className} ${r.studentName} ¥${formatFen(r.amountFen)}${r.overdue ? '（逾期）' : ''}`,
          link: '/fees/refunds',
          tone: r.overdue ? 'error' : 'info',
        })),
      ),
    },
  ];
}

function accountant(ctx: Ctx, month: string): HomeEntry[] {
  const state = monthState(ctx, month);
  const items = checklist(ctx, month);
  const required = items.filter((i) => !i.informational);
  const statements = items.find((i) => i.key === 'statements');
  const owed = payables(ctx).filter((p) => p.balanceFen > 0);
  return [
    {
      kind: 'checklist',
      label: `${monthWords(month)}月结检查清单`,
      value: `${required.filter((i) => i.ok).length}/${required.length} 项完成`,
      detail: state.status === 'submitted' ? '已提交，等待审核' : required.every((i) => i.ok) ? '检查清单已完成，可以提交月结' : '完成下列各项后提交月结',
      link: `/closing?month=${month}`,
      linkLabel: '月结与公示',
      lines: required.filter((i) => !i.ok).map((i) => ({ text: `${i.label}：${i.detail}`, link: i.link, tone: 'warning' })),
    },
    {
      kind: 'statements',
      label: `${monthWords(month)}供应商对账单`,
      value: statements?.ok ? '已核对' : count(statements?.missing.length ?? 0, '家未完成'),
      detail: statements?.detail ?? '',
      link: statements?.link ?? `/receiving/reconcile?month=${month}`,
      linkLabel: '供应商对账',
      lines: cut((statements?.missing ?? []).map((m) => ({ text: m, link: statements?.link ?? `/receiving/reconcile?month=${month}`, tone: 'warning' }))),
    },
    {
      kind: 'payables',
      label: '应付供应商款',
      value: `¥${formatFen(owed.reduce((s, p) => s + p.balanceFen, 0))}`,
      detail: `${owed.length} 家供应商尚有未付款`,
      link: '/receiving/reconcile',
      linkLabel: '供应商对账与付款',
      lines: cut(owed.map((p) => ({ text: `${p.supplierName} ¥${formatFen(p.balanceFen)}`, link: '/receiving/reconcile', tone: 'info' }))),
    },
  ];
}

function reviewer(ctx: Ctx, month: string, flags: AttentionItem[]): HomeEntry[] {
  const submitted = (ctx.db.prepare(`SELECT DISTINCT month FROM month_close_events ORDER BY month`).all() as { month: string }[])
    .map((r) => monthState(ctx, r.month))
    .filter((s) => s.status === 'submitted');
  const lines: HomeLine[] = submitted.map((s) => ({ text: `${monthWords(s.month)}月结（提交人 ${s.submittedByName ?? ''}）待审核`, link: `/closing?month=${s.month}`, tone: 'warning' }));
  const opening = ctx.db.prepare(`SELECT opening_date FROM openings WHERE status = 'submitted'`).get() as { opening_date: string } | undefined;
  if (opening) lines.push({ text: `期初建账（期初日期 ${opening.opening_date}）待审核`, link: '/closing/opening', tone: 'warning' });
  // What the checklist leaves for the reviewer to know (late entries, changed certificate rules), beside the flags.
  const notes = checklist(ctx, month).filter((i) => i.informational && i.missing.length > 0);
  // This month's 留样 findings as they happen (the checklist above speaks of the month being closed).
  const thisMonth = chinaDate(ctx.now()).slice(0, 7);
  const samples = thisMonth === month ? [] : [...sampleFindings(ctx, thisMonth), ...mealFindings(ctx, thisMonth)];
  const flagLines: HomeLine[] = [
    ...flags.map((f) => ({ text: f.title, link: f.link, tone: f.severity })),
    ...samples.map((f) => ({ text: f.text, link: `/foodsafety/${'mealId' in f ? 'meals' : 'samples'}?month=${thisMonth}`, tone: 'warning' as const })),
    ...notes.map((i) => ({ text: `${monthWords(month)}：${i.detail}`, link: i.link, tone: 'info' as const })),
  ];
  return [
    {
      kind: 'submissions',
      label: '待审核',
      value: count(lines.length, '项'),
      detail: lines.length ? '月结与期初建账须由审核人审核后生效' : '没有待审核的提交',
      link: submitted.length ? `/closing?month=${submitted[0].month}` : '/closing',
      linkLabel: '月结与公示',
      lines,
    },
    {
      kind: 'flags',
      label: '提醒',
      value: count(flagLines.length, '项'),
      detail: flagLines.length ? '逾期、过期与补录等需审核人知悉的事项' : '没有需要审核人知悉的事项',
      link: '/audit',
      linkLabel: '审计',
      lines: cut(flagLines),
    },
    // 陪餐 (issue 17): today's duty from the rota.
    mealDutyEntry(ctx, chinaDate(ctx.now())),
  ];
}

function parent(ctx: Ctx, today: string): HomeEntry[] {
  const closed = (ctx.db.prepare('SELECT max(period) AS m FROM closed_periods').get() as { m: string | null }).m;
  const monday = mondayOf(today);
  const week = deliveriesBetween(ctx, monday, today).filter((d) => d.status === 'posted');
  const prices = ctx.db
    .prepare(
      `SELECT i.name, i.unit, min(l.unit_price_fen) AS lo, max(l.unit_price_fen) AS hi, sum(l.amount_fen) AS fen,
         (SELECT d2.id FROM delivery_lines l2 JOIN deliveries d2 ON d2.id = l2.delivery_id
          WHERE l2.ingredient_id = i.id AND d2.status = 'posted' AND d2.delivery_date BETWEEN ? AND ? AND l2.accepted_milli > 0
          ORDER BY d2.delivery_date DESC, d2.number DESC LIMIT 1) AS last_id
       FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id JOIN ingredients i ON i.id = l.ingredient_id
       WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? AND l.accepted_milli > 0
       GROUP BY i.id ORDER BY fen DESC, i.name`,
    )
    .all(monday, today, monday, today) as { name: string; unit: string; lo: number; hi: number; fen: number; last_id: string }[];
  const rejected = ctx.db
    .prepare(
      `SELECT d.id, d.delivery_date, i.name, i.unit, l.rejected_milli, l.reject_reason FROM delivery_lines l JOIN deliveries d ON d.id = l.delivery_id
       JOIN ingredients i ON i.id = l.ingredient_id
       WHERE d.status = 'posted' AND d.delivery_date BETWEEN ? AND ? AND l.rejected_milli > 0 ORDER BY d.delivery_date DESC, l.line_no`,
    )
    .all(monday, today) as { id: string; delivery_date: string; name: string; unit: string; rejected_milli: number; reject_reason: string }[];
  const witness: HomeLine[] = [
    ...lotLines(ctx, true).map((l) => ({ ...l, text: `${l.text}，待报损销毁` })),
    ...rejected.map((r): HomeLine => ({ text: `${r.delivery_date} ${r.name} 拒收 ${formatMilli(r.rejected_milli)} ${r.unit}：${r.reject_reason}`, link: `/receiving/${r.id}`, tone: 'warning' })),
  ];
  const entries: HomeEntry[] = [];
  if (closed) {
    const st = monthState(ctx, closed);
    entries.push({
      kind: 'notice',
      label: '最近公示',
      value: monthWords(closed),
      detail: `已月结公示${st.checksumHex ? `，校验码 ${st.checksumHex.slice(0, 16)}` : ''}；可在公示页查看并导出公示表`,
      link: `/closing?month=${closed}`,
      linkLabel: '查看并导出公示',
      lines: [],
    });
  } else {
    entries.push({ kind: 'notice', label: '最近公示', value: '尚无', detail: '还没有月结公示的月份', link: '/receiving', linkLabel: '验收入库', lines: [] });
  }
  entries.push(
    {
      kind: 'deliveries_week',
      label: '本周验收',
      value: count(week.length, '张'),
      detail: `${monday} 至 ${today}，合格金额 ¥${formatFen(week.reduce((s, d) => s + d.total_fen, 0))}`,
      link: '/receiving',
      linkLabel: '验收入库',
      lines: cut(week.map((d) => deliveryLine(d, true))),
    },
    {
      kind: 'prices_week',
      label: '本周价格',
      value: count(prices.length, '种食材'),
      detail: '本周验收合格的单价（按金额从大到小）',
      link: '/receiving/prices',
      linkLabel: '价格历史',
      lines: cut(prices.map((p) => ({ text: `${p.name} ${p.lo === p.hi ? formatFen(p.lo) : `${formatFen(p.lo)}–${formatFen(p.hi)}`} 元/${p.unit}`, link: `/receiving/${p.last_id}`, tone: 'info' }))),
    },
    {
      kind: 'witness',
      label: '可见证的事项',
      value: count(witness.length, '项'),
      detail: witness.length ? '过期库存的销毁、本周拒收的食材：家委会代表可到场见证' : '本周没有拒收，也没有待销毁的过期库存',
      link: '/storeroom/trace',
      linkLabel: '追溯',
      lines: cut(witness),
    },
  );
  // 带量食谱 awaiting the parents' 审定 (issue 17).
  entries.push(menuHomeEntry(ctx, today, 'parent'));
  return entries;
}

function admin(ctx: Ctx): HomeEntry[] {
  const users = ctx.db.prepare(`SELECT count(*) AS n, coalesce(sum(disabled), 0) AS off FROM users`).get() as { n: number; off: number };
  const held = new Set(
    (ctx.db.prepare(`SELECT DISTINCT r.role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.disabled = 0`).all() as { role: Role }[]).map((r) => r.role),
  );
  const missing = ROLES.filter((r) => !held.has(r));
  const school = ctx.db.prepare('SELECT name FROM school').get() as { name: string };
  const backups = ctx.dataDir ? listBackups(backupsDir(ctx.dataDir)) : [];
  const newest = backups.reduce<string | null>((m, b) => (m === null || b.at > m ? b.at : m), null);
  const health = healthOf(ctx).status;
  return [
    {
      kind: 'users',
      label: '用户',
      value: count(users.n - users.off, '人在用'),
      detail: `${users.off ? `停用 ${users.off} 人；` : ''}${missing.length ? `没有人担任：${missing.map((r) => ROLE_LABELS[r]).join('、')}` : '每个角色都有人担任'}`,
      link: '/masterdata/users',
      linkLabel: '用户',
      lines: [],
    },
    {
      kind: 'settings',
      label: '设置',
      value: school.name,
      detail: `地区配置：${profileOf(ctx).name}`,
      link: '/settings',
      linkLabel: '设置',
      lines: [],
    },
    {
      kind: 'backups',
      label: '备份',
      value: newest ? chinaDateTime(newest, 'minute') : '尚无备份',
      detail: `${backups.length ? `共 ${backups.length} 份备份；` : ''}账本文件检查：${health === 'damaged' ? '发现损坏' : health === 'ok' ? '正常' : health === 'pending' ? '进行中' : '未检查'}`,
      link: '/maintenance/backup',
      linkLabel: '备份与校验',
      lines: [],
    },
  ];
}

/** Sections for the roles held, in the order of ROLES; `flags` are the attention items meant for the reviewer. */
export function homeSections(ctx: Ctx, roles: readonly Role[], flags: AttentionItem[]): HomeSection[] {
  const today = chinaDate(ctx.now());
  const month = monthToClose(ctx);
  const build: Record<Role, () => HomeEntry[]> = {
    admin: () => admin(ctx),
    storekeeper: () => storekeeper(ctx, today, month),
    cashier: () => cashier(ctx, today),
    accountant: () => accountant(ctx, month),
    reviewer: () => reviewer(ctx, month, flags),
    parent: () => parent(ctx, today),
  };
  return ROLES.filter((r) => roles.includes(r)).map((role) => ({ role, title: ROLE_LABELS[role], entries: build[role]() }));
}

export type { HomeSummary };
