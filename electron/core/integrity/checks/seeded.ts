import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../db/migrations/index.ts';
import { canonical, type CheckContext, type Row } from './common.ts';

/**
 * The rows the migrations themselves write (accounts, the meal plans' starting rates), read from a scratch database
 * built by the same migrations: they have no audit entry, so this is what they must be until one changes them.
 */
let seeded: { accounts: Map<string, Row>; mealPlans: Map<string, Row> } | null = null;
function migrationSeed(): { accounts: Map<string, Row>; mealPlans: Map<string, Row> } {
  if (seeded) return seeded;
  const scratch = new Database(':memory:');
  try {
    for (const m of MIGRATIONS) scratch.exec(m.sql);
    const byCode = (sql: string) => new Map((scratch.prepare(sql).all() as Row[]).map((r) => [String(r.code), r]));
    seeded = { accounts: byCode('SELECT * FROM accounts'), mealPlans: byCode('SELECT * FROM meal_plans') };
  } finally {
    scratch.close();
  }
  return seeded;
}

/** Accounts: those the migrations create, plus one payable account per supplier named after it. */
export function checkAccounts({ db, tables, add, covered, chain }: CheckContext): void {
  if (!tables.has('accounts')) return;
  const fixed = migrationSeed().accounts;
  const rows = db.prepare('SELECT * FROM accounts').all() as Row[];
  covered.accounts = rows.length;
  const seen = new Set<string>();
  for (const row of rows) {
    const code = String(row.code);
    seen.add(code);
    const f = fixed.get(code);
    if (f) {
      if (canonical(f) !== canonical(row)) add({ kind: 'tamper', table: 'accounts', id: code, message: `会计科目 ${code} 被改动（与软件建立的不符）` });
      continue;
    }
    const m = /^payable:(.+)$/.exec(code);
    const names = m ? chain.historicalNames.get(`supplier:${m[1]}`) : undefined;
    if (!m || !names || row.supplier_id !== m[1] || row.kind !== 'liability' || ![...names].some((n) => row.name === `应付账款—${n}`)) {
      add({ kind: 'tamper', table: 'accounts', id: code, message: `会计科目 ${code} 无法由账本记录解释（疑似被直接插入或改动）` });
    }
  }
  for (const code of fixed.keys()) if (!seen.has(code)) add({ kind: 'tamper', table: 'accounts', id: code, message: `会计科目 ${code} 缺失（疑似被直接删除）` });
}

/** Meal plans: seeded by the migration without an audit entry, changed only by audited rate updates. */
export function checkMealPlans({ db, tables, add, covered, chain }: CheckContext): void {
  if (!tables.has('meal_plans')) return;
  const expected = new Map<string, { seq: number | undefined; row: Row }>([...migrationSeed().mealPlans].map(([code, row]) => [code, { seq: undefined, row }]));
  for (const [code, m] of chain.mealPlans) expected.set(code, m);
  const rows = db.prepare('SELECT * FROM meal_plans').all() as Row[];
  covered.meal_plans = rows.length;
  for (const row of rows) {
    const code = String(row.code);
    const e = expected.get(code);
    expected.delete(code);
    if (!e) {
      add({ kind: 'tamper', table: 'meal_plans', id: code, message: `用餐方式 ${code} 无法由账本记录解释（疑似被直接插入）` });
      continue;
    }
    const cols = [...new Set([...Object.keys(row), ...Object.keys(e.row)])].filter((k) => canonical(row[k] ?? null) !== canonical(e.row[k] ?? null));
    if (cols.length) add({ kind: 'tamper', table: 'meal_plans', id: code, seq: e.seq, message: `用餐方式 ${code} 与${e.seq ? `审计记录（第 ${e.seq} 条）` : '软件建立时'}不符：${cols.join('、')} 被改动` });
  }
  for (const [code, e] of expected) add({ kind: 'tamper', table: 'meal_plans', id: code, seq: e.seq, message: `用餐方式 ${code} 缺失（疑似被直接删除）` });
}

/** The installation: exactly one row. */
export function checkInstallation({ db, tables, add, covered }: CheckContext): void {
  if (!tables.has('installation')) return;
  const n = (db.prepare('SELECT count(*) AS n FROM installation').get() as { n: number }).n;
  covered.installation = n;
  if (n !== 1) add({ kind: 'tamper', table: 'installation', message: `安装信息应有且只有一行，现有 ${n} 行` });
}
