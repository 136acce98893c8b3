import type { Student } from '../../shared/api/fees.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import type { Db } from '../../electron/core/db/open.ts';
import { ROSTER, SEPT_DAYS } from './fees-fixture.ts';
import { draft, line, postNew, setupWorld, type World } from './receiving-fixtures.ts';

/**
 * September 2026 of a small school, posted through the real APIs (clock 2026-09-15 10:00 China time, then moved
 * to 2026-10-08 once the month is over). Figures worked out by hand:
 *
 * Deliveries (城东农产品配送, both posted, inspected by 张保管 and 李验收):
 *   D1 2026-09-03: 大米 10 kg × 4.20 = 42.00 (stored, expiry 2027-02-01); 白菜 12 kg received, 2 kg rejected
 *      (烂叶, returned), 10 kg × 2.50 = 25.00 (直进直出)                                      → 67.00
 *   D2 2026-09-10: 猪肉 2 kg × 28.00 = 56.00 (直进直出, certificates); 牛奶 10 盒 × 3.00 = 30.00 → 86.00
 *   purchased: 粮油 42.00, 肉禽蛋 56.00, 蔬菜水果 25.00, 奶 30.00 = 153.00
 * Storeroom: 2026-09-14 lunch issues 大米 6 kg = 6/10 × 42.00 = 25.20; the count finds 3.9 kg of the 4 kg left:
 *   a count loss of 0.1 kg = 0.1/4 × 16.80 = 0.42; closing 粮油 = 16.80 − 0.42 = 16.38.
 *   consumed 粮油 = 0 + 42.00 − 16.38 = 25.62 (= 25.20 issued + 0.42 lost); the rest went straight to the kitchen:
 *   consumed = 25.62 + 56.00 + 25.00 + 30.00 = 136.62
 * Fees (month period, 21 school days): 2026-09-01 cash receipts for 王小明 (午餐 21 × 6.00 = 126.00), 李小红
 *   (两餐 21 × 10.00 = 210.00), 张伟 (三餐寄宿 21 × 15.00 = 315.00) = 651.00; 刘洋 and 陈静 have not paid.
 *   Refund (approved 2026-09-15, paid in cash that day): 李小红 on leave, notice 09-15, last day 09-18 → 16, 17, 18
 *   = 3 days × 10.00 = 30.00.
 * Subsidy (5.00 元/生/天): 一(1)班 王小明 and 张伟 on 09-01 and 09-02, 一(2)班 刘洋 on 09-01 = 5 meal days = 25.00.
 * Donation: 100.00 into the bank on 2026-09-05 (fund.recordIncome).
 * Cash: 09-01 +651.00 cleared at 651.00; 09-15 −30.00 cleared at 621.00 (by the accountant: the cashier took the cash).
 * Supplier statement: 153.00. Bank statement at 09-30: 100.00.
 *
 * Income = (651.00 − 30.00) + 25.00 + 100.00 = 746.00; expense (consumed) = 136.62; surplus = 609.38;
 * meal days: 王小明 21 + 李小红 (21 − 3) + 张伟 21 = 60 paid, + 刘洋's subsidised 09-01 = 61.
 */
export interface SeptSchool {
  w: World;
  students: Record<string, Student>;
  riceLotId: string;
  d1: { id: string; number: string };
  d2: { id: string; number: string };
}

/** The four prices of September's deliveries, fen per unit; the figures above are for the defaults. */
export interface SeptPrices {
  rice: number;
  cabbage: number;
  pork: number;
  milk: number;
}
export const SEPT_PRICES: SeptPrices = { rice: 420, cabbage: 250, pork: 2800, milk: 300 };

export async function septemberSchool(opts: { skipBank?: boolean; prices?: Partial<SeptPrices>; schoolName?: string } = {}): Promise<SeptSchool> {
  const p = { ...SEPT_PRICES, ...opts.prices };
  // Prices of the caller's may run over the tolerance: the storekeeper notes it, as the app asks before posting.
  const priceNote = opts.prices ? { warningNote: '近期市场价上涨，已与供应商核对并报校长同意' } : {};
  const w = await setupWorld({ schoolName: opts.schoolName });
  const b = w.b;
  await b.loginAs('admin');
  await b.call('schoolDays.set', { month: '2026-09', days: SEPT_DAYS });
  await b.call('students.importCommit', { rows: ROSTER });
  const list = await b.call('students.list', { q: '', includeInactive: true, limit: 100 });
  const students = Object.fromEntries(list.map((s) => [s.name, s]));

  await b.loginAs('storekeeper');
  const d1 = await postNew(
    w,
    draft(
      w,
      [
        line(w.rice, { receivedMilli: 10_000, unitPriceFen: p.rice, expiryDate: '2027-02-01' }),
        line(w.cabbage, { receivedMilli: 12_000, rejectedMilli: 2_000, rejectReason: '烂叶', disposition: 'returned', unitPriceFen: p.cabbage }),
      ],
      { date: '2026-09-03', noteNumber: 'SH-0903', ...priceNote },
    ),
  );
  const d2 = await postNew(
    w,
    draft(
      w,
      [
        line(w.pork, { receivedMilli: 2_000, unitPriceFen: p.pork, storageClass: 'chilled', certs: { animal_quarantine: 'DQ-350102-0001', meat_quality: 'RP-0001' } }),
        line(w.milk, { receivedMilli: 10_000, unitPriceFen: p.milk, storageClass: 'chilled' }),
      ],
      { date: '2026-09-10', noteNumber: 'SH-0910', ...priceNote },
    ),
  );
  await b.call('storeroom.issue', { date: '2026-09-14', meal: 'lunch', lines: [{ ingredientId: w.rice, lotId: null, qtyMilli: 6_000 }] });

  await b.loginAs('cashier');
  const s = students;
  await b.call('fees.collect', { period: '2026-09', date: '2026-09-01', method: 'cash', items: [{ studentId: s['王小明'].id }, { studentId: s['李小红'].id }, { studentId: s['张伟'].id }] });
  for (const date of ['2026-09-01', '2026-09-02']) await b.call('subsidy.record', { className: '一(1)班', date, studentIds: [s['王小明'].id, s['张伟'].id] });
  await b.call('subsidy.record', { className: '一(2)班', date: '2026-09-01', studentIds: [s['刘洋'].id] });
  await b.loginAs('accountant');
  await b.call('clearing.confirm', { date: '2026-09-01', countedFen: 65_100 });
  await b.call('fund.recordIncome', { date: '2026-09-05', kind: 'donation', amountFen: 10_000, method: 'bank', memo: '爱心企业捐赠' });
  await b.loginAs('cashier');
  const refund = await b.call('refunds.create', {
    studentId: s['李小红'].id,
    reason: 'leave',
    noticeDate: '2026-09-15',
    lastDay: '2026-09-18',
    appliedOn: '2026-09-15',
    teacherName: '王老师',
    teacherConfirmedOn: '2026-09-15',
  });
  if (refund.amountFen !== 3_000 || refund.days !== 3) throw new Error(`refund worked out by hand as 3 days, 30.00; got ${refund.days}, ${refund.amountFen}`);
  await b.call('refunds.pay', { id: refund.id, paidOn: '2026-09-15', method: 'cash' });
  await b.loginAs('accountant');
  await b.call('clearing.confirm', { date: '2026-09-15', countedFen: 62_100 });

  await b.loginAs('storekeeper');
  const count = await b.call('storeroom.countStart', { month: '2026-09' });
  const riceLotId = count.lines.find((l) => l.ingredientId === w.rice)!.lotId;
  await b.call('storeroom.countEnter', { month: '2026-09', lines: [{ lotId: riceLotId, countedMilli: 3_900, reason: 'count_loss', note: '称重损耗' }] });
  await b.call('storeroom.countPost', { month: '2026-09' });

  await b.loginAs('accountant');
  // 10 kg of rice, 10 kg of cabbage, 2 kg of pork, 10 boxes of milk: 153.00 at the default prices.
  await b.call('receiving.statementSave', { supplierId: w.supplierId, month: '2026-09', totalFen: 10 * p.rice + 10 * p.cabbage + 2 * p.pork + 10 * p.milk });
  w.setNow('2026-10-08T02:00:00Z');
  if (!opts.skipBank) await b.call('monthclose.setBankBalance', { month: '2026-09', account: 'bank', balanceFen: 10_000 });
  return { w, students, riceLotId, d1: { id: d1.id, number: d1.number! }, d2: { id: d2.id, number: d2.number! } };
}

type Call = <K extends MethodName>(name: K, input: Input<K>) => Promise<Output<K>>;

/**
 * What the demo leaves open on purpose for its month, done as the people would: the suppliers' (corrected)
 * statements by the accountant, and — if the demo has not counted the storeroom — the storekeeper's count with every
 * lot found as booked. `login(username)` switches the caller's session. The bank statements are left to the caller.
 */
export async function finishDemoMonth(call: Call, db: Db, login: (u: string) => Promise<unknown>, month: string): Promise<void> {
  await login('accountant');
  const suppliers = db.prepare(`SELECT DISTINCT supplier_id AS id FROM deliveries WHERE status = 'posted' AND delivery_date LIKE ?`).all(`${month}-%`) as { id: string }[];
  for (const { id } of suppliers) {
    const r = await call('receiving.reconciliation', { supplierId: id, month });
    if (r.differenceFen !== 0 || r.unmatched.length > 0 || r.rows.some((x) => x.differenceFen !== null && x.differenceFen !== 0)) {
      await call('receiving.statementSave', { supplierId: id, month, totalFen: r.ourTotalFen, invoiceNumbers: [], lines: [], note: '供应商更正后的对账单' });
    }
  }
  const v = await call('monthclose.get', { month });
  if (v.checklist?.find((i) => i.key === 'storeroom' && !i.ok)) {
    await login('storekeeper');
    const count = (await call('storeroom.countGet', { month })) ?? (await call('storeroom.countStart', { month }));
    if (count.status !== 'posted') {
      if (count.lines.length) await call('storeroom.countEnter', { month, lines: count.lines.map((l) => ({ lotId: l.lotId, countedMilli: l.bookMilli, reason: null, note: '' })) });
      await call('storeroom.countPost', { month });
    }
    await login('accountant');
  }
}
