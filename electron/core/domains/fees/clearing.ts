import type { ClearingStatus, Deposit } from '../../../../shared/api/fees.ts';
import { FEE_WRITERS } from '../../../../shared/api/fees.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { formatFen } from '../../../../shared/format.ts';
import { audit } from '../../ledger/audit.ts';
import { addDays, lastDayOfMonth } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { accountBalance, assertPeriodOpen, postEntry } from '../../ledger/journal.ts';
import { nextNumber } from '../../ledger/numbering.ts';
import { assertWritableDay, lastClearedDay, today, userName } from './common.ts';
import { profileFor } from '../people/index.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';

/**
 * 日清: the cashier counts the cash at the end of a day; the book balance of 库存现金 is set against it, a difference
 * needs a reason and is posted to 现金长短款, and the day closes (with every day before it) for cash. Deposits move cash
 * to the canteen's bank account; the fee modules have no other way for cash to leave (no 坐收坐支).
 */

type Keys = 'clearing.status' | 'clearing.confirm' | 'clearing.list' | 'deposits.create' | 'deposits.list';

function cashFlows(ctx: Ctx, date: string): { inFen: number; outFen: number } {
  const r = ctx.db
    .prepare(
      `SELECT coalesce(sum(CASE WHEN p.amount_fen > 0 THEN p.amount_fen END), 0) AS i, coalesce(-sum(CASE WHEN p.amount_fen < 0 THEN p.amount_fen END), 0) AS o
       FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id WHERE p.account = 'cash' AND e.entry_date = ? AND e.source_type <> 'cash_clearing'`,
    )
    .get(date) as { i: number; o: number };
  return { inFen: r.i, outFen: r.o };
}

function cashTakers(ctx: Ctx, date: string): { id: string; name: string }[] {
  return ctx.db
    .prepare(`SELECT DISTINCT u.id, u.display_name AS name FROM fee_receipts r JOIN users u ON u.id = r.created_by WHERE r.receipt_date = ? AND r.method = 'cash' ORDER BY u.display_name`)
    .all(date) as { id: string; name: string }[];
}

export function clearingStatus(ctx: Ctx, date: string): ClearingStatus {
  const openingFen = accountBalance(ctx, 'cash', addDays(date, -1));
  const { inFen, outFen } = cashFlows(ctx, date);
  const takers = cashTakers(ctx, date);
  const c = ctx.db.prepare('SELECT * FROM cash_clearings WHERE day = ?').get(date) as
    | { book_balance_fen: number; counted_fen: number; difference_fen: number; reason: string; created_at: string; created_by: string }
    | undefined;
  let blockedReason: string | null = null;
  const me = ctx.session;
  const latest = lastClearedDay(ctx);
  if (c) blockedReason = '该日已日清';
  else if (date > today(ctx)) blockedReason = '还未到这一天';
  else if (latest && latest > date) blockedReason = `${latest} 已日清，之前的日期不能再日清`;
  else if (!me || !me.roles.some((r) => FEE_WRITERS.includes(r))) blockedReason = '只有出纳或会计可以确认日清';
  else if (profileFor(ctx, date).cashClearingTwoPeople && takers.some((t) => t.id === me.userId)) blockedReason = '按本校规定，当天收取现金的人不能自己确认日清，请由另一位出纳或会计确认';
  return {
    date,
    bookBalanceFen: openingFen + inFen - outFen,
    openingFen,
    cashInFen: inFen,
    cashOutFen: outFen,
    cashReceipts: (ctx.db.prepare(`SELECT count(*) AS n FROM fee_receipts WHERE receipt_date = ? AND method = 'cash'`).get(date) as { n: number }).n,
    cashTakers: takers.map((t) => t.name),
    cleared: c
      ? { countedFen: c.counted_fen, bookBalanceFen: c.book_balance_fen, differenceFen: c.difference_fen, reason: c.reason, confirmedAt: c.created_at, confirmedByName: userName(ctx, c.created_by) }
      : null,
    blockedReason,
  };
}

interface DepositRow {
  id: string;
  number: string;
  deposit_date: string;
  amount_fen: number;
  note: string;
  created_at: string;
  created_by: string;
}
const toDeposit = (ctx: Ctx, r: DepositRow): Deposit => ({
  id: r.id,
  number: r.number,
  date: r.deposit_date,
  amountFen: r.amount_fen,
  note: r.note,
  createdAt: r.created_at,
  createdByName: userName(ctx, r.created_by),
});

export const clearingHandlers: Handlers<Keys> = {
  'clearing.status': (ctx, { date }) => clearingStatus(ctx, date),

  'clearing.confirm': (ctx, { date, countedFen, reason }) => {
    const st = clearingStatus(ctx, date);
    if (st.blockedReason) throw new ApiError(st.cleared ? 'CONFLICT' : 'RULE', st.blockedReason);
    assertPeriodOpen(ctx, date);
    const diff = countedFen - st.bookBalanceFen;
    if (diff !== 0 && !reason) {
      throw new ApiError('VALIDATION', `实点现金与账面余额相差 ${formatFen(diff)} 元，请填写差异原因`, [{ path: 'reason', message: '请填写差异原因' }]);
    }
    if (diff !== 0) {
      postEntry(ctx, {
        date,
        memo: `${date} 日清${diff > 0 ? '长款' : '短款'} ${formatFen(Math.abs(diff))} 元：${reason}`,
        sourceType: 'cash_clearing',
        sourceId: date,
        postings: [
          { account: 'cash', amountFen: diff },
          { account: 'cash_over_short', amountFen: -diff },
        ],
      });
    }
    const user = currentUser(ctx);
    ctx.db
      .prepare(`INSERT INTO cash_clearings (day, origin, book_balance_fen, counted_fen, difference_fen, reason, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(date, ctx.installationId, st.bookBalanceFen, countedFen, diff, diff === 0 ? '' : reason, ctx.now().toISOString(), user.userId);
    const after = clearingStatus(ctx, date);
    audit(ctx, 'clear', 'cash_day', null, null, withRows({ date, documentDate: date, bookBalanceFen: st.bookBalanceFen, countedFen, differenceFen: diff, reason: diff === 0 ? '' : reason }, groupRows(ctx, 'cash_clearings', 'day', date)));
    return after;
  },

  'clearing.list': (ctx, { month }) =>
    (ctx.db
      .prepare(`SELECT c.day, c.counted_fen, c.book_balance_fen, c.difference_fen, c.reason, u.display_name FROM cash_clearings c LEFT JOIN users u ON u.id = c.created_by WHERE c.day BETWEEN ? AND ? ORDER BY c.day`)
      .all(`${month}-01`, lastDayOfMonth(month)) as { day: string; counted_fen: number; book_balance_fen: number; difference_fen: number; reason: string; display_name: string | null }[]).map((r) => ({
      date: r.day,
      countedFen: r.counted_fen,
      bookBalanceFen: r.book_balance_fen,
      differenceFen: r.difference_fen,
      reason: r.reason,
      confirmedByName: r.display_name ?? '',
    })),

  'deposits.create': (ctx, { date, amountFen, note }) => {
    assertWritableDay(ctx, date, '现金送存', true);
    const atDate = accountBalance(ctx, 'cash', date);
    const now = accountBalance(ctx, 'cash');
    const avail = Math.min(atDate, now);
    if (amountFen > avail) throw new ApiError('RULE', `库存现金只有 ${formatFen(avail)} 元，不能送存 ${formatFen(amountFen)} 元`);
    const id = uuidv7(ctx.now().getTime());
    const number = nextNumber(ctx, 'CK', Number(date.slice(0, 4)));
    ctx.db
      .prepare(`INSERT INTO cash_deposits (id, origin, number, deposit_date, amount_fen, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, ctx.installationId, number, date, amountFen, note, ctx.now().toISOString(), currentUser(ctx).userId);
    postEntry(ctx, {
      date,
      memo: `现金送存银行 ${number}${note ? `：${note}` : ''}`,
      sourceType: 'cash_deposit',
      sourceId: id,
      postings: [
        { account: 'bank', amountFen },
        { account: 'cash', amountFen: -amountFen },
      ],
    });
    const d = toDeposit(ctx, ctx.db.prepare('SELECT * FROM cash_deposits WHERE id = ?').get(id) as DepositRow);
    audit(ctx, 'create', 'cash_deposit', id, null, withRows({ ...d, documentDate: date }, groupRows(ctx, 'cash_deposits', 'id', id)));
    return d;
  },
  'deposits.list': (ctx, { month }) =>
    (ctx.db.prepare('SELECT * FROM cash_deposits WHERE deposit_date BETWEEN ? AND ? ORDER BY number').all(`${month}-01`, lastDayOfMonth(month)) as DepositRow[]).map((r) =>
      toDeposit(ctx, r),
    ),
};
