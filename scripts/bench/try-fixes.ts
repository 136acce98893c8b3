/**
 * Times candidate fixes for the slow queries found by profile.ts, as plain SQL on a throwaway copy of the quick bench
 * ledger (the app is not changed): npx node scripts/bench/try-fixes.ts
 */
import fs from 'node:fs';
import Database from 'better-sqlite3';
const FIX = '/tmp/canteen-bench-fix.sqlite';
fs.copyFileSync(process.argv[2] ?? 'bench-results/ledger-quick.sqlite', FIX);
const db = new Database(FIX);
const P = { from: '2017-06-01', to: '2017-06-30' };
const orig = `SELECT count(*) AS n FROM (
  SELECT r.student_id AS s, d.day AS day FROM school_days d JOIN fee_receipts r ON d.day BETWEEN r.period_start AND r.period_end
  WHERE d.day BETWEEN @from AND @to AND r.receipt_date <= @to AND (r.status = 'valid' OR r.void_date > @to)
    AND NOT EXISTS (SELECT 1 FROM fee_refunds f WHERE f.student_id = r.student_id AND f.approved_on <= @to AND (f.status <> 'void' OR f.void_date > @to) AND d.day BETWEEN f.first_day AND f.last_day)
  UNION SELECT student_id, meal_date FROM subsidy_meals WHERE meal_date BETWEEN @from AND @to)`;
const fixed = orig.replace('WHERE d.day BETWEEN @from AND @to AND', 'WHERE d.day BETWEEN @from AND @to AND r.period_end >= @from AND r.period_start <= @to AND');
const time = (label: string, sql: string, params: object = P, n = 5) => {
  const st = db.prepare(sql);
  const v = st.get(params);
  const t = performance.now();
  for (let i = 0; i < n; i++) st.get(params);
  console.log(label, ((performance.now() - t) / n).toFixed(1), 'ms', JSON.stringify(v));
};
time('mealDays as is', orig);
time('mealDays year to date 2016-09..2017-06', orig, { from: '2016-09-01', to: '2017-06-30' }, 2);
db.exec('CREATE INDEX bench_fee_receipts_period ON fee_receipts(period_end, period_start)');
time('mealDays + index(period_end, period_start) + bound on period', fixed);
for (const r of db.prepare('EXPLAIN QUERY PLAN ' + fixed).all(P) as { detail: string }[]) console.log('   ', r.detail);
const cc = `SELECT i.category, coalesce(sum(CASE WHEN m.move_date < @start THEN m.value_fen END), 0) AS opening, coalesce(sum(CASE WHEN m.move_date <= @end THEN m.value_fen END), 0) AS closing
  FROM stock_movements m JOIN stock_lots l ON l.id = m.lot_id JOIN ingredients i ON i.id = l.ingredient_id WHERE m.move_date <= @end GROUP BY i.category`;
time('categoryCost (whole history to month end)', cc, { start: '2017-06-01', end: '2017-06-30' });
const ccMonth = cc.replace('WHERE m.move_date <= @end', 'WHERE m.move_date BETWEEN @start AND @end');
time('categoryCost over the month only (opening from a closed-month snapshot)', ccMonth, { start: '2017-06-01', end: '2017-06-30' });
const acct = `SELECT coalesce(sum(p.amount_fen), 0) AS s FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id WHERE p.account = 'bank' AND e.entry_date >= '2017-06-01' AND e.entry_date <= '2017-06-30'`;
time('account sum for a month (account index, every posting ever)', acct, {}, 20);
const acct2 = `SELECT coalesce(sum(p.amount_fen), 0) AS s FROM journal_entries e JOIN journal_postings p ON p.entry_id = e.id WHERE p.account = 'bank' AND e.entry_date >= '2017-06-01' AND e.entry_date <= '2017-06-30'`;
db.exec('CREATE INDEX bench_postings_entry_account ON journal_postings(entry_id, account, amount_fen)');
time('same, with index postings(entry_id, account, amount_fen), driven by date', acct2.replace('FROM journal_entries e JOIN', 'FROM journal_entries e CROSS JOIN'), {}, 20);
db.close();
fs.rmSync(FIX, { force: true });
for (const s of ['-wal', '-shm']) fs.rmSync(FIX + s, { force: true });
