import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type MethodName } from '../../shared/api/index.ts';
import type { MethodDef } from '../../shared/api/contract.ts';
import { periodFieldsOf } from '../../shared/api/period-fields.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';
import { DEFAULT_PROFILE } from '../../shared/profile.ts';

/**
 * The period lock (issue 20 item 2, docs/DOMAIN-RULES.md "Dates and the period lock"): with 2026-10 and 2026-11 closed
 * and 2026-09 left open before them, no writing method books a date on or before 2026-11-30 or after today
 * (2026-12-03, China time), and what it refuses writes nothing. Every dated method is found by walking the contract,
 * and listed here by hand as well: a date field added without its mark, or a mark the dispatcher does not hold, fails.
 */

const NOW = () => new Date(Date.UTC(2026, 11, 3, 2, 0, 0)); // 2026-12-03 10:00 China time
const X = '01890000-0000-7000-8000-000000000000'; // a well-formed id of nothing
const LOCK_TAIL = '不能再记账；如需更正请由审核人填写理由后反结账';

/** Every document date or month of a writing method, by hand: method, field path, kind, may it lie ahead. */
const DATED: [MethodName, string, 'date' | 'month', boolean][] = [
  ['schoolDays.set', 'month', 'month', true],
  ['fees.collect', 'date', 'date', false],
  ['refunds.pay', 'paidOn', 'date', false],
  ['subsidy.record', 'date', 'date', false],
  ['subsidy.receive', 'date', 'date', false],
  ['clearing.confirm', 'date', 'date', false],
  ['deposits.create', 'date', 'date', false],
  ['receiving.saveDraft', 'draft.date', 'date', false],
  ['receiving.statementSave', 'month', 'month', false],
  ['receiving.pay', 'date', 'date', false],
  ['storeroom.issue', 'date', 'date', false],
  ['storeroom.cancelIssue', 'date', 'date', false],
  ['storeroom.adjust', 'date', 'date', false],
  ['storeroom.countStart', 'month', 'month', false],
  ['storeroom.countEnter', 'month', 'month', false],
  ['storeroom.countPost', 'month', 'month', false],
  ['monthclose.setBankBalance', 'month', 'month', false],
  ['fund.recordExpense', 'date', 'date', false],
  ['fund.recordIncome', 'date', 'date', false],
  ['opening.save', 'date', 'date', false],
  ['refunds.create', 'approvedOn', 'date', false],
  ['students.move', 'date', 'date', false],
  // a void is booked on a day of its own (issue 14): today unless given, never in a closed month
  ['receipts.void', 'voidDate', 'date', false],
  ['refunds.void', 'voidDate', 'date', false],
  // a profile version's first month (issue 14 §5): never a closed one; a later month may be named ahead
  ['school.update', 'effectiveFrom', 'month', true],
  // 留样 (issue 17): the day the samples were taken
  ['samples.record', 'date', 'date', false],
  // 陪餐 (issue 17): the day of the meal
  ['meals.record', 'date', 'date', false],
  // 晨检 (issue 17): the day of the check
  ['checks.record', 'date', 'date', false],
  // 满意度 and 投诉 (issue 17): the day of the survey, the day the complaint came in
  ['surveys.record', 'date', 'date', false],
  ['complaints.record', 'date', 'date', false],
];

/** Dates and months in writing methods that are not the date a document is booked on, and why. */
const NOT_DOCUMENT_DATES: Record<string, string> = {
  'schoolDays.set days[]': 'the days of the month field, which carries the lock',
  'terms.save startDate': 'a term in the school calendar',
  'terms.save endDate': 'a term in the school calendar',
  'staff.save certExpiry': 'a health certificate’s expiry',
  'menus.save weekStart': 'a menu is planned ahead for a week, not booked (issue 17)',
  'menus.save lines[].day': 'a day of the planned week',
  'mealRota.save fromDate': 'the day a 陪餐 duty rota takes effect, planned ahead; the handler refuses one on or before the latest closed month (foodsafety-rota.test.ts)',
  'refunds.create noticeDate': 'the absence refunded (its days count from the notice, whenever typed); the refund is booked on approvedOn',
  'refunds.create lastDay': 'the absence refunded; the refund is booked on approvedOn',
  'refunds.create appliedOn': 'when the family applied (not after the approval, fees-refunds.ts); the refund is booked on approvedOn',
  'refunds.create teacherConfirmedOn': 'when the teacher confirmed (not after the approval); the refund is booked on approvedOn',
  'receiving.saveDraft draft.lines[].productionDate': 'the goods’ production date',
  'receiving.saveDraft draft.lines[].expiryDate': 'the goods’ expiry date',
  'opening.save lines[].expiryDate': 'the opening stock’s expiry date',
  'suppliers.create licences[].expiresOn': 'a licence’s expiry',
  'suppliers.update licences[].expiresOn': 'a licence’s expiry',
  'monthclose.submit month': 'the close itself',
  'monthclose.approve month': 'the close itself',
  'monthclose.reopen month': 'the reopening itself (latest closed month only)',
  // It writes the signing key on first use (issue 18, signing_keys), nothing dated: it packages a month already closed.
  'monthclose.package month': 'the package of a closed month (only a closed month can be packaged)',
};

/** A well-formed input for each dated method, the date put in by `at`. Ids name nothing unless the handler needs them. */
function inputFor(m: MethodName, d: string): unknown {
  switch (m) {
    case 'schoolDays.set': return { month: d, days: [] };
    case 'fees.collect': return { period: '2026-12', date: d, method: 'cash', items: [{ studentId: X }] };
    case 'refunds.pay': return { id: X, paidOn: d, method: 'bank' };
    case 'subsidy.record': return { className: '一(1)班', date: d, studentIds: [X] };
    case 'subsidy.receive': return { date: d, amountFen: 100 };
    case 'clearing.confirm': return { date: d, countedFen: 0 };
    case 'deposits.create': return { date: d, amountFen: 100 };
    case 'receiving.saveDraft': return { id: null, draft: { date: d, supplierId: X, lines: [] } };
    case 'receiving.statementSave': return { supplierId: X, month: d, totalFen: 0 };
    case 'receiving.pay': return { supplierId: X, date: d, amountFen: 100, method: 'bank' };
    case 'storeroom.issue': return { date: d, meal: 'lunch', lines: [{ ingredientId: X, qtyMilli: 1_000 }] };
    case 'storeroom.cancelIssue': return { id: X, date: d, reason: '录错' };
    case 'storeroom.adjust': return { lotId: X, date: d, qtyMilli: 1_000, reason: 'loss' };
    case 'storeroom.countStart': return { month: d };
    case 'storeroom.countEnter': return { month: d, lines: [{ lotId: X, countedMilli: 0 }] };
    case 'storeroom.countPost': return { month: d };
    case 'monthclose.setBankBalance': return { month: d, account: 'bank', balanceFen: 0 };
    case 'fund.recordExpense': return { date: d, kind: 'fuel', amountFen: 100, method: 'bank', memo: '燃料' };
    case 'fund.recordIncome': return { date: d, kind: 'donation', amountFen: 100, method: 'bank', memo: '捐赠' };
    case 'opening.save': return { date: d, bankFen: 100, subsidyBankFen: 0, cashFen: 0, lines: [] };
    case 'refunds.create':
      return { studentId: X, reason: 'leave', noticeDate: '2026-12-01', lastDay: '2026-12-02', appliedOn: '2000-01-01', teacherName: '黄老师', teacherConfirmedOn: '2000-01-01', approvedOn: d };
    case 'students.move': return { id: X, toClass: '二(1)班', date: d };
    case 'receipts.void': return { id: X, reason: '收错了学生', voidDate: d };
    case 'refunds.void': return { id: X, reason: '家长撤回申请', voidDate: d };
    case 'school.update': return { name: '阳光小学', profile: DEFAULT_PROFILE, effectiveFrom: d };
    case 'meals.record': return { date: d, meal: 'lunch', ratings: { taste: 'good', quantity: 'good', hygiene: 'good', temperature: 'good' } };
    case 'checks.record': return { date: d, checks: [{ staffId: X, outcome: 'fit', onDuty: false }] };
    case 'samples.record': return { date: d, meal: 'lunch', fridge: '1号留样柜', taker: '张保管', dishes: [{ dish: '红烧肉', weightG: 150, takenTime: '09:30' }] };
    case 'surveys.record': return { termName: '2026秋', date: d, forms: 10, results: [{ question: '饭菜口味', counts: { satisfied: 1, fair: 0, dissatisfied: 0 } }] };
    case 'complaints.record': return { date: d, channel: '电话', content: '饭菜偏咸' };
    default: throw new Error(`no input for ${m}`);
  }
}

/** Date-like fields of a method's input from its JSON schema: paths of strings with the date or month pattern. */
function dateLikePaths(def: MethodDef): string[] {
  const out: string[] = [];
  const walk = (s: Record<string, unknown> | undefined, path: string) => {
    if (!s || typeof s !== 'object') return;
    if (s.type === 'string' && (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$' || s.pattern === '^\\d{4}-(0[1-9]|1[0-2])$')) out.push(path);
    for (const [k, v] of Object.entries((s.properties as Record<string, Record<string, unknown>>) ?? {})) walk(v, path ? `${path}.${k}` : k);
    if (s.items) walk(s.items as Record<string, unknown>, `${path}[]`);
    for (const alt of (s.anyOf as Record<string, unknown>[]) ?? []) walk(alt, path);
    for (const alt of (s.oneOf as Record<string, unknown>[]) ?? []) walk(alt, path);
  };
  walk(def.input.toJSONSchema({ unrepresentable: 'any', io: 'input' }) as Record<string, unknown>, '');
  return [...new Set(out)];
}

describe('the contract marks every document date', () => {
  it('the marked fields of the writing methods are exactly the hand list', () => {
    const marked = Object.entries(api)
      .filter(([, def]) => (def as MethodDef).writes)
      .flatMap(([name, def]) => periodFieldsOf((def as MethodDef).input).map((f) => [name, f.path, f.kind, f.future]));
    expect(marked.sort()).toEqual([...DATED].sort());
  });

  it('every other date or month a writing method takes is named here with its reason', () => {
    const marked = new Set(DATED.map(([m, p]) => `${m} ${p}`));
    const unmarked = Object.entries(api)
      .filter(([, def]) => (def as MethodDef).writes)
      .flatMap(([name, def]) => dateLikePaths(def as MethodDef).map((p) => `${name} ${p}`))
      .filter((k) => !marked.has(k));
    expect(unmarked.sort()).toEqual(Object.keys(NOT_DOCUMENT_DATES).sort());
  });
});

describe('with 2026-10 and 2026-11 closed (2026-09 left open before them), today 2026-12-03', { timeout: 120_000 }, () => {
  let b: TestBackend;
  beforeAll(async () => {
    b = await setupBackend({ now: NOW });
    const admin = (b.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
    for (const p of ['2026-10', '2026-11']) b.db.prepare('INSERT INTO closed_periods (period, closed_at, closed_by) VALUES (?, ?, ?)').run(p, '2026-12-01T02:00:00Z', admin);
  });
  afterAll(() => b?.cleanup());

  // [value for a date field, value for a month field, the message for the date, the message for the month]
  const refused: [string, string, string, string][] = [
    ['2026-11-15', '2026-11', `2026年11月已月结锁定，${LOCK_TAIL}`, `2026年11月已月结锁定，${LOCK_TAIL}`],
    ['2026-10-15', '2026-10', `2026年10月已月结锁定，${LOCK_TAIL}`, `2026年10月已月结锁定，${LOCK_TAIL}`],
    ['2026-09-10', '2026-09', `2026年11月已月结锁定，2026-09-10 早于已锁定的月份，${LOCK_TAIL}`, `2026年11月已月结锁定，2026年9月 早于已锁定的月份，${LOCK_TAIL}`],
    ['2000-01-01', '2000-01', `2026年11月已月结锁定，2000-01-01 早于已锁定的月份，${LOCK_TAIL}`, `2026年11月已月结锁定，2000年1月 早于已锁定的月份，${LOCK_TAIL}`],
  ];
  const ahead: [string, string][] = [
    ['2026-12-04', '2027-01'],
    ['2027-01-01', '2027-01'],
    ['2100-12-31', '2100-12'],
  ];

  for (const [method, path, kind, future] of DATED) {
    const role = (api[method] as MethodDef).access as readonly string[];
    it(`${method} (${path}) refuses the locked months and ${future ? 'takes months ahead' : 'the days ahead'}, writing nothing`, async () => {
      await b.loginAs(role[0]);
      const before = tableDigest(b);
      for (const [date, month, dateMsg, monthMsg] of refused) {
        const e = await b.reject(method, inputFor(method, kind === 'date' ? date : month));
        const label = `${method} ${kind === 'date' ? date : month}`;
        expect(e.code, label).toBe('LOCKED');
        expect(e.message, label).toBe(kind === 'date' ? dateMsg : monthMsg);
        expect(e.issues?.[0]?.path, label).toBe(path);
        expect(tableDigest(b), label).toBe(before);
      }
      for (const [date, month] of ahead) {
        const value = kind === 'date' ? date : month;
        const r = await b.invoke(method, inputFor(method, value));
        if (future) {
          // The school calendar is planned ahead: not refused for its date.
          if (!r.ok) expect(r.error.message, value).not.toMatch(/已月结锁定|晚于今天|还没到/);
          continue;
        }
        expect(r.ok, value).toBe(false);
        if (r.ok) continue;
        const label = DATE_LABELS[method];
        expect(r.error, `${method} ${value}`).toMatchObject(
          kind === 'date'
            ? { code: 'RULE', message: `${label} ${value} 晚于今天 2026-12-03，不能预先记账` }
            : { code: 'RULE', message: `${Number(value.slice(0, 4))}年${Number(value.slice(5))}月还没到，不能${MONTH_ACTIONS[method]}` },
        );
        expect(tableDigest(b), value).toBe(before);
      }
      // An open day, today or before, is not refused for its date (it may be for something else: the ids name nothing).
      for (const value of kind === 'date' ? ['2026-12-01', '2026-12-03'] : ['2026-12']) {
        const r = await b.invoke(method, inputFor(method, value));
        if (!r.ok) expect(r.error.message, `${method} ${value}`).not.toMatch(/已月结锁定|晚于今天|还没到|早于已锁定/);
      }
    });
  }

  it('a whole document in an open month goes through: an income on 2026-12-01', async () => {
    await b.loginAs('accountant');
    const r = await b.call('fund.recordIncome', { date: '2026-12-01', kind: 'donation', amountFen: 100, method: 'bank', memo: '捐赠' });
    expect(b.db.prepare('SELECT entry_date, memo FROM journal_entries WHERE source_id = ?').all(r.id)).toEqual([{ entry_date: '2026-12-01', memo: '捐赠：捐赠' }]);
  });

  it('SQL behind the app’s back: entries and dated records on or before the latest closed month are refused', () => {
    const d = b.db;
    const tx = (sql: string, ...args: unknown[]) => () => d.transaction(() => d.prepare(sql).run(...args))();
    const entry = (date: string) => tx(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES (?, 'o', ?, 'm', 't', 'open', 'now')`, `e-${date}`, date);
    expect(entry('2026-11-30')).toThrow('该月份已月结锁定，不能再记账');
    expect(entry('2026-09-10')).toThrow('该日期早于已月结锁定的月份，不能再记账');
    expect(entry('2000-01-01')).toThrow('该日期早于已月结锁定的月份，不能再记账');
    expect(tx(`INSERT INTO school_days (day) VALUES ('2026-09-30')`)).toThrow('该日期早于已月结锁定的月份，不能再记账');
    expect(tx(`INSERT INTO cash_deposits (id, origin, deposit_date, amount_fen, created_at, created_by) VALUES ('x', 'o', '2026-08-03', 1, 'now', 'u')`)).toThrow('该日期早于已月结锁定的月份，不能再记账');
    expect(tx(`INSERT INTO subsidy_receipts (id, origin, received_on, amount_fen, created_at, created_by) VALUES ('x', 'o', '2026-10-03', 1, 'now', 'u')`)).toThrow('该月份已月结锁定，不能再记账');
    expect(tx(`INSERT INTO supplier_payments (id, origin, supplier_id, pay_date, amount_fen, method, created_at, created_by) VALUES ('x', 'o', 's', '2026-09-03', 1, 'bank', 'now', 'u')`)).toThrow('该日期早于已月结锁定的月份，不能再记账');
    expect(tx(`INSERT INTO bank_statement_balances (month, account, balance_fen, created_at, created_by) VALUES ('2026-09', 'bank', 1, 'now', 'u')`)).toThrow('该日期早于已月结锁定的月份，不能再记账');
    expect(tx(`INSERT INTO stock_issues (id, origin, number, issue_date, meal, created_at, created_by) VALUES ('x', 'o', 'CK', '2026-07-01', 'lunch', 'now', 'u')`)).toThrow('该日期早于已月结锁定的月份，不能再记账');
    expect(tx(`INSERT INTO student_class_moves (id, origin, student_id, from_class, to_class, effective_date, created_at, created_by) VALUES ('x', 'o', 's', '一班', '二班', '2026-11-02', 'now', 'u')`)).toThrow('该月份已月结锁定，不能再记账');
    expect(tx(`INSERT INTO student_class_moves (id, origin, student_id, from_class, to_class, effective_date, created_at, created_by) VALUES ('x', 'o', 's', '一班', '二班', '2026-09-02', 'now', 'u')`)).toThrow('该日期早于已月结锁定的月份，不能再记账');
    expect(tx(`INSERT INTO stock_movements (id, origin, lot_id, kind, move_date, qty_milli, value_fen, reason, created_at) VALUES ('m', 'o', 'l', 'adjustment', '2026-09-30', -1, 0, 'loss', 'now')`)).toThrow('该日期早于已月结锁定的月份，不能再记账');
    // After the latest closed month the trigger lets an entry in (rolled back here: nothing else of it is posted).
    d.exec('SAVEPOINT open_month');
    expect(() => d.prepare(`INSERT INTO journal_entries (id, origin, entry_date, memo, source_type, status, created_at) VALUES ('ok', 'o', '2026-12-01', 'm', 't', 'open', 'now')`).run()).not.toThrow();
    d.exec('ROLLBACK TO open_month; RELEASE open_month');
  });

  it('reopening the latest closed month opens it again, and only it (the close before it becomes the boundary)', async () => {
    await b.loginAs('reviewer');
    expect((await b.reject('monthclose.reopen', { month: '2026-10', reason: '更正十月的收入' })).message).toBe('2026年11月已月结：请先反结账后面的月份，再反结账2026年10月');
    await b.call('monthclose.reopen', { month: '2026-11', reason: '更正十一月的收入' });
    await b.loginAs('accountant');
    await b.call('fund.recordIncome', { date: '2026-11-20', kind: 'donation', amountFen: 100, method: 'bank', memo: '补记捐赠' });
    const before = tableDigest(b);
    expect(await b.reject('fund.recordIncome', { date: '2026-10-31', kind: 'donation', amountFen: 100, method: 'bank', memo: '补记' })).toMatchObject({ code: 'LOCKED', message: `2026年10月已月结锁定，${LOCK_TAIL}` });
    expect(await b.reject('fund.recordIncome', { date: '2026-09-30', kind: 'donation', amountFen: 100, method: 'bank', memo: '补记' })).toMatchObject({ code: 'LOCKED', message: `2026年10月已月结锁定，2026-09-30 早于已锁定的月份，${LOCK_TAIL}` });
    expect(tableDigest(b)).toBe(before);
  });
});

/** The labels the contract gives each date (the "not ahead of today" message names them). */
const DATE_LABELS: Partial<Record<MethodName, string>> = {
  'samples.record': '留样日期',
  'meals.record': '陪餐日期',
  'checks.record': '晨检日期',
  'surveys.record': '调查日期',
  'complaints.record': '投诉日期',
  'opening.save': '期初日期',
  'fees.collect': '收款日期',
  'refunds.pay': '退付日期',
  'subsidy.record': '就餐日期',
  'subsidy.receive': '到账日期',
  'clearing.confirm': '日期',
  'deposits.create': '存款日期',
  'receiving.saveDraft': '验收日期',
  'receiving.pay': '付款日期',
  'storeroom.issue': '出库日期',
  'storeroom.cancelIssue': '冲销日期',
  'storeroom.adjust': '日期',
  'fund.recordExpense': '日期',
  'fund.recordIncome': '日期',
  'refunds.create': '批准日期',
  'students.move': '调班日期',
  'receipts.void': '作废日期',
  'refunds.void': '作废日期',
};
const MONTH_ACTIONS: Partial<Record<MethodName, string>> = {
  'receiving.statementSave': '录入供应商对账单',
  'storeroom.countStart': '盘点',
  'storeroom.countEnter': '盘点',
  'storeroom.countPost': '盘点',
  'monthclose.setBankBalance': '录入银行对账余额',
};
