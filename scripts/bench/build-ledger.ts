/**
 * Builds a large ledger for the benchmark (issue 8), deterministically (seeded PRNG, fixed clock per day).
 *
 * Every record goes through the real dispatcher (backend.invoke: validation, roles, handlers, triggers, audit chain),
 * so the ledger is exactly what years of typing would leave. Speed comes from one outer transaction per month (each
 * invoke's own transaction becomes a savepoint, as in electron/core/demo/index.ts), synchronous=OFF while building,
 * and sessions set directly instead of scrypt logins.
 *
 *   npx node scripts/bench/build-ledger.ts --out bench-results/ledger-quick.sqlite --years 1 --students 3000 \
 *     --lines 2000 --meals 1500
 *   npx node scripts/bench/build-ledger.ts --out bench-results/ledger-10y.sqlite --resume
 *
 * --resume keeps what an earlier (interrupted, or smaller --years) run committed and goes on from there: each month is
 * one transaction and draws from its own seeded generator, so a resumed ledger holds the same rows as one built in a
 * single run. Ten years take long enough that the build is best run in pieces.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import type { Role } from '../../shared/roles.ts';
import { makeCreditCode } from '../../electron/core/demo/credit-code.ts';
import { addDays, lastDayOfMonth } from '../../electron/core/ledger/clock.ts';
import { CATEGORIES } from '../../shared/domain.ts';
import { seededRandom as rng } from '../../electron/core/ledger/seeded-random.ts';

export interface BuildSize {
  years: number;
  students: number;
  /** Accepted delivery lines per month. */
  linesPerMonth: number;
  /** Students on subsidised meals every school day. */
  mealStudents: number;
  ingredients: number;
  /** Months closed (all but the last, which stays open for the posting benchmarks). */
  close: boolean;
}

export const FULL: BuildSize = { years: 10, students: 3000, linesPerMonth: 2000, mealStudents: 1500, ingredients: 5000, close: true };
export const QUICK: BuildSize = { ...FULL, years: 1 };

export const FIRST_YEAR = 2016;
export const PASSWORD = 'bench-pass-123';
const CLASS_SIZE = 50;


/** A school year's ten months: September–January and March–July (February is the winter holiday). */
export function schoolMonths(years: number): string[] {
  const out: string[] = [];
  for (let y = 0; y < years; y++) {
    const a = FIRST_YEAR + y;
    for (const m of [9, 10, 11, 12]) out.push(`${a}-${String(m).padStart(2, '0')}`);
    for (const m of [1, 3, 4, 5, 6, 7]) out.push(`${a + 1}-${String(m).padStart(2, '0')}`);
  }
  return out;
}

/** Up to 22 weekdays of the month (National Day week off). */
export function monthDays(month: string): string[] {
  const out: string[] = [];
  for (let d = `${month}-01`; d <= lastDayOfMonth(month) && out.length < 22; d = addDays(d, 1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6 && !(month.endsWith('-10') && Number(d.slice(8)) <= 7)) out.push(d);
  }
  return out;
}

const FOOD = '米面油盐糖醋酱菜瓜豆茄椒葱姜蒜笋菇耳藕芹菠萝卜薯芋莲枣梨桃橙柚蕉莓鸡鸭鹅猪牛羊鱼虾蟹蛋奶粉丝条饼糕粥汤干鲜冻腊熏卤香辣酸甜';
const CATS = CATEGORIES;

/** `n` distinct names of 2–4 food characters (realistic pinyin initials for the search benchmark). */
export function ingredientNames(n: number, r: () => number): string[] {
  const seen = new Set<string>();
  while (seen.size < n) {
    const len = 2 + Math.floor(r() * 3);
    let s = '';
    for (let i = 0; i < len; i++) s += FOOD[Math.floor(r() * FOOD.length)];
    seen.add(s);
  }
  return [...seen];
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧';
const GIVEN = ['子涵', '浩然', '欣怡', '梓轩', '雨桐', '宇航', '诗琪', '俊杰', '思远', '佳怡', '一诺', '明轩', '可馨', '博文', '若曦', '晨阳', '语嫣', '天佑'];

export function className(c: number): string {
  return `${Math.floor(c / 10) + 1}年级${(c % 10) + 1}班`;
}

type Call = <K extends MethodName>(name: K, input: Input<K>) => Promise<Output<K>>;

export interface BuildResult {
  file: string;
  size: BuildSize;
  months: string[];
  seconds: number;
  fileMB: number;
  rows: Record<string, number>;
}

export async function buildLedger(file: string, size: BuildSize, log: (s: string) => void = () => {}, resume = false): Promise<BuildResult> {
  const t0 = performance.now();
  const resuming = resume && fs.existsSync(file);
  if (!resuming) for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const months = schoolMonths(size.years);
  let nowIso = `${months[0]}-01T02:00:00.000Z`;
  const b = openBackend({ file, now: () => new Date(nowIso), lockHolder: 'bench' });
  const at = (day: string, hhmm = '02:00') => (nowIso = `${day}T${hhmm}:00.000Z`);
  b.db.pragma('synchronous = OFF');
  const call: Call = async (name, input) => {
    const r = await b.invoke(name, input);
    if (!r.ok) throw new Error(`${name} 被拒绝：${JSON.stringify(r.error).slice(0, 600)}`);
    return r.value as never;
  };
  const users = new Map<string, { id: string; name: string; roles: Role[] }>();
  const as = (username: string) => {
    const u = users.get(username)!;
    b.ctx.setSession({ userId: u.id, username, displayName: u.name, roles: u.roles });
  };
  let r = rng(20160901);
  const between = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const supplierIds: string[] = [];
  const ingredients: { id: string; price: number }[] = [];
  if (resuming) {
    for (const u of b.db.prepare(`SELECT u.id, u.username, u.display_name AS name, group_concat(r.role) AS roles FROM users u JOIN user_roles r ON r.user_id = u.id GROUP BY u.id`).all() as { id: string; username: string; name: string; roles: string }[]) {
      users.set(u.username, { id: u.id, name: u.name, roles: u.roles.split(',') as Role[] });
    }
    supplierIds.push(...(b.db.prepare('SELECT id FROM suppliers ORDER BY rowid').all() as { id: string }[]).map((x) => x.id));
    ingredients.push(...(b.db.prepare('SELECT id, ref_price_fen AS price FROM ingredients ORDER BY rowid').all() as { id: string; price: number }[]));
    log(`resuming ${file}: ${supplierIds.length} suppliers, ${ingredients.length} ingredients`);
  } else {

  // --- the school, its people and master data (in the month before the first school month)
  at(addDays(`${months[0]}-01`, -10));
  b.db.exec('BEGIN IMMEDIATE');
  await call('setup.init', { schoolName: '阳光寄宿学校', adminUsername: 'admin', adminName: '王建国', password: PASSWORD });
  const people: [string, string, Role[]][] = [
    ['storekeeper', '张保管', ['storekeeper']],
    ['storekeeper2', '李验收', ['storekeeper']],
    ['cashier', '陈出纳', ['cashier']],
    ['accountant', '刘会计', ['accountant']],
    ['reviewer', '赵校长', ['reviewer']],
  ];
  for (const [username, displayName, roles] of people) {
    const u = await call('users.create', { username, displayName, roles, password: PASSWORD });
    users.set(username, { id: (u as { id: string }).id, name: displayName, roles });
  }
  const admin = b.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string };
  users.set('admin', { id: admin.id, name: '王建国', roles: ['admin'] });
  as('admin');
  for (let s = 0; s < 12; s++) {
    const code = makeCreditCode('1', '330106', String(32415768 + s * 7919).slice(0, 8));
    const sup = await call('suppliers.create', {
      name: `杭州第${s + 1}农产品配送有限公司`,
      creditCode: code,
      address: `杭州市西湖区留下街道 ${s + 1} 号`,
      contactPerson: '吴国平',
      phone: '0571-87352016',
      kind: 'distributor',
      licences: [
        { kind: 'business', number: code, expiresOn: null },
        { kind: 'food_business', number: `JY133010600${String(s).padStart(5, '0')}`, expiresOn: '2099-12-31' },
      ],
    });
    supplierIds.push(sup.id);
  }
  for (const [k, name] of ingredientNames(size.ingredients, r).entries()) {
    const price = between(200, 5000);
    // Synthetic items set by the admin to 其他, so no line needs a certificate number: the post measures what it did
    // before the certificate rules (issue 14); a real catalogue's meat asks for them (shared/cert-rules.ts).
    const ing = await call('ingredients.create', { name, category: CATS[k % CATS.length], unit: '千克', spec: '', refPriceFen: price, requiredCerts: [], kind: 'other', imported: false, banned: false, storable: false });
    ingredients.push({ id: ing.id, price });
  }
  const rows = [];
  const classes = Math.ceil(size.students / CLASS_SIZE);
  for (let i = 0; i < size.students; i++) {
    const c = i % classes;
    rows.push({
      studentNo: `S${String(i + 1).padStart(6, '0')}`,
      name: SURNAMES[(i * 7) % SURNAMES.length] + GIVEN[(i * 5 + c) % GIVEN.length],
      className: className(c),
      mealPlan: (['lunch', 'two', 'boarding'] as const)[i % 3],
      subsidyEligible: i < size.mealStudents,
    });
  }
  await call('students.importCommit', { rows });
  b.db.exec('COMMIT');
  }
  const students = b.db.prepare(`SELECT id, class_name AS cls, subsidy_eligible AS sub FROM students ORDER BY student_no`).all() as { id: string; cls: string; sub: number }[];
  const byClass = new Map<string, { id: string; sub: number }[]>();
  for (const s of students) byClass.set(s.cls, [...(byClass.get(s.cls) ?? []), s]);
  log(`master data: ${supplierIds.length} suppliers, ${ingredients.length} ingredients, ${students.length} students in ${byClass.size} classes`);

  const inspectorPairs = [
    [users.get('storekeeper')!.id, users.get('storekeeper2')!.id],
    [users.get('storekeeper')!.id, users.get('accountant')!.id],
    [users.get('storekeeper2')!.id, users.get('reviewer')!.id],
    [users.get('storekeeper2')!.id, users.get('admin')!.id],
  ];
  let pairTurn = 0;
  let closing = size.close;
  const built = new Set((b.db.prepare('SELECT DISTINCT substr(day, 1, 7) AS m FROM school_days').all() as { m: string }[]).map((x) => x.m));
  const isClosed = (m: string) => b.db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(m) !== undefined;
  for (const [mi, month] of months.entries()) {
    const tm = performance.now();
    const days = monthDays(month);
    // Each month draws from its own generator, so a resumed build makes the same rows as a single run.
    r = rng(20160901 + 7919 * (mi + 1));
    pairTurn = 0;
    if (built.has(month)) {
      if (closing && mi < months.length - 1 && !isClosed(month)) {
        await closeMonth(b, call, as, month, (d) => at(d));
        log(`${month}: built earlier, closed now, ${((performance.now() - tm) / 1000).toFixed(1)} s`);
      }
      continue;
    }
    at(`${month}-01`);
    b.db.exec('BEGIN IMMEDIATE');
    as('admin');
    await call('schoolDays.set', { month, days });
    const perDay = Math.round(size.linesPerMonth / days.length);
    for (const [di, day] of days.entries()) {
      at(day);
      // Deliveries: this day's lines spread over deliveries of up to 25 lines, one supplier each.
      as('storekeeper');
      let left = size.linesPerMonth - perDay * (days.length - 1) > 0 && di === days.length - 1 ? size.linesPerMonth - perDay * (days.length - 1) : perDay;
      let n = 0;
      while (left > 0) {
        const count = Math.min(left, 25);
        left -= count;
        const picked = new Set<number>();
        while (picked.size < count) picked.add(Math.floor(r() * ingredients.length));
        const lines = [...picked].map((k) => ({ ingredientId: ingredients[k].id, receivedMilli: between(10, 300) * 100, acceptedMilli: 0, unitPriceFen: ingredients[k].price, storageClass: 'ambient' as const }));
        for (const l of lines) l.acceptedMilli = l.receivedMilli;
        const draft = {
          date: day,
          arrivalTime: `0${6 + Math.min(n, 3)}:${String(between(0, 59)).padStart(2, '0')}`,
          supplierId: supplierIds[(di * 5 + n) % supplierIds.length],
          noteNumber: `BN${day.replaceAll('-', '')}-${n + 1}`,
          inspectorIds: inspectorPairs[pairTurn++ % inspectorPairs.length],
          lines,
        };
        let v = await call('receiving.saveDraft', { id: null, draft });
        if (v.findings.some((f) => f.level === 'warning')) v = await call('receiving.saveDraft', { id: v.id, draft: { ...draft, warningNote: '已核实' } });
        await call('receiving.post', { id: v.id });
        n++;
      }
      // Fees: on the first school day every class pays the month by bank or WeChat (no cash, so no cash days).
      as('cashier');
      if (di === 0) {
        for (const list of byClass.values()) {
          for (const method of ['bank', 'wechat'] as const) {
            const items = list.filter((_, k) => (k % 2 === 0) === (method === 'bank')).map((s) => ({ studentId: s.id }));
            if (items.length) await call('fees.collect', { period: month, date: day, method, items });
          }
        }
      }
      for (const [cls, list] of byClass) {
        const ids = list.filter((s) => s.sub).map((s) => s.id);
        if (ids.length) await call('subsidy.record', { className: cls, date: day, studentIds: ids });
      }
      if (di === days.length - 1) {
        const summary = await call('subsidy.summary', { month });
        if (summary.receivableFen > 0) await call('subsidy.receive', { date: day, amountFen: summary.receivableFen, note: `${month} 营养改善计划补助` });
      }
    }
    b.db.exec('COMMIT');
    let closed = false;
    if (closing && mi < months.length - 1) {
      try {
        closed = await closeMonth(b, call, as, month, (d) => at(d));
      } catch (e) {
        log(`  ${month}: month close failed, later months stay open: ${(e as Error).message}`);
        if (b.db.inTransaction) b.db.exec('ROLLBACK');
        closing = false;
      }
    }
    log(`${month}: ${days.length} days, ${((performance.now() - tm) / 1000).toFixed(1)} s${closed ? ', closed' : ''}`);
  }
  b.ctx.setSession(null);
  b.db.pragma('synchronous = FULL');
  b.db.pragma('wal_checkpoint(TRUNCATE)');
  const counts: Record<string, number> = {};
  for (const { name } of b.db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]) {
    counts[name] = (b.db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n;
  }
  b.close();
  const result = { file, size, months, seconds: (performance.now() - t0) / 1000, fileMB: fs.statSync(file).size / 1048576, rows: counts };
  fs.writeFileSync(`${file}.json`, JSON.stringify(result, null, 2));
  return result;
}

/** Statements, storeroom count, bank balances as booked, submit and approve — what the people do at month end. */
async function closeMonth(b: Backend, call: Call, as: (u: string) => void, month: string, at: (d: string) => void): Promise<boolean> {
  const next = addDays(lastDayOfMonth(month), 3);
  at(next);
  b.db.exec('BEGIN IMMEDIATE');
  as('accountant');
  const suppliers = b.db.prepare(`SELECT DISTINCT supplier_id AS id FROM deliveries WHERE status = 'posted' AND delivery_date LIKE ?`).all(`${month}-%`) as { id: string }[];
  for (const { id } of suppliers) {
    const rec = await call('receiving.reconciliation', { supplierId: id, month });
    await call('receiving.statementSave', { supplierId: id, month, totalFen: rec.ourTotalFen, invoiceNumbers: [], lines: [], note: '' });
  }
  let v = await call('monthclose.get', { month });
  if (v.checklist?.find((i) => i.key === 'storeroom' && !i.ok)) {
    as('storekeeper');
    const count = (await call('storeroom.countGet', { month })) ?? (await call('storeroom.countStart', { month }));
    if (count.status !== 'posted') {
      if (count.lines.length) await call('storeroom.countEnter', { month, lines: count.lines.map((l) => ({ lotId: l.lotId, countedMilli: l.bookMilli, reason: null, note: '' })) });
      await call('storeroom.countPost', { month });
    }
    as('accountant');
  }
  for (const line of v.bank ?? []) await call('monthclose.setBankBalance', { month, account: line.account, balanceFen: line.bookFen });
  v = await call('monthclose.get', { month });
  const failing = (v.checklist ?? []).filter((i) => !i.ok);
  if (failing.length) throw new Error(`checklist: ${JSON.stringify(failing).slice(0, 400)}`);
  await call('monthclose.submit', { month });
  as('reviewer');
  await call('monthclose.approve', { month });
  b.db.exec('COMMIT');
  return true;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function sizeFromArgs(): BuildSize {
  const base = process.argv.includes('--quick') ? QUICK : FULL;
  const num = (k: string, d: number) => (arg(k) === undefined ? d : Number(arg(k)));
  return {
    years: num('years', base.years),
    students: num('students', base.students),
    linesPerMonth: num('lines', base.linesPerMonth),
    mealStudents: num('meals', base.mealStudents),
    ingredients: num('ingredients', base.ingredients),
    close: !process.argv.includes('--no-close'),
  };
}

if (import.meta.filename === path.resolve(process.argv[1] ?? '')) {
  const size = sizeFromArgs();
  const out = arg('out') ?? `bench-results/ledger-${size.years}y.sqlite`;
  const res = await buildLedger(out, size, (s) => console.log(`${new Date().toISOString().slice(11, 19)} ${s}`), process.argv.includes('--resume'));
  console.log(JSON.stringify({ ...res, months: `${res.months[0]}..${res.months.at(-1)}` }, null, 2));
}
