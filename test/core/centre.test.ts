import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { DEMO_STEPS, seedDemo } from '../../electron/core/demo/index.ts';
import { closeLastMonth } from '../../electron/core/demo/close.ts';
import { disclosureData } from '../../electron/core/domains/monthclose/disclosure.ts';
import { deriveFund } from '../../electron/core/disclosure/derive.ts';
import { fundSummary } from '../../electron/core/ledger/month-figures.ts';
import { DuckDBInstance } from '@duckdb/node-api';
import { OFFLINE_OPTIONS, openCentre, rows, type Centre } from '../../electron/core/centre/db.ts';
import { enrolSchool, importFolder, importPackage } from '../../electron/core/centre/import.ts';
import { foodSafetyView, inspectionView, mapItem, monthItems, priceView, submissionView, supplierView, surplusView, unmapItem } from '../../electron/core/centre/views.ts';
import { writeViewsWorkbook } from '../../electron/core/centre/export.ts';
import { readIdentity, signWithInstallationKey } from '../../electron/core/package/signing-key.ts';
import type { PackageData, PackageFile, PackageManifest } from '../../electron/core/package/schema.ts';
import type { PurchaseLine } from '../../shared/disclosure.ts';
import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import { tempLedger } from '../helpers/backend.ts';
import { parseCsv } from '../helpers/csv.ts';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/soffice.ts';
import { septemberSchool, type SeptSchool } from './monthclose-fixture.ts';
import { creditCode } from './receiving-fixtures.ts';

/**
 * Issue 18 end to end in the core: schools close and package a month (上报包), the town centre (DuckDB) imports the
 * folder, refuses bad packages whole with their reasons, and its views give the figures worked out by hand.
 */

const NOW = () => new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
const MONTH = '2026-10';
const DEMO = [
  { code: '2135000101', name: '城关第一小学' },
  { code: '2135000102', name: '城关第二小学' },
  { code: '2135000103', name: '溪口中心小学' },
];

interface School {
  b: Backend;
  dir: string;
  cleanup: () => void;
  call<K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>>;
  login(u: string): Promise<unknown>;
}

function school(b: Backend, dir: string, cleanup: () => void, password: (u: string) => string): School {
  const call = async <K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> => {
    const r = await b.invoke(name, input);
    if (!r.ok) throw new Error(`${name} rejected: ${JSON.stringify(r.error)}`);
    return r.value as Output<K>;
  };
  return { b, dir, cleanup, call, login: (u) => call('auth.login', { username: u, password: password(u) }) };
}

/** Every table's rows, as text, hashed: equal digests mean the centre holds exactly the same rows. */
async function centreDigest(c: Centre): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of ['schools', 'packages', 'fund', 'fund_lines', 'categories', 'purchases', 'rejected', 'prices', 'suppliers', 'subsidy', 'refunds']) {
    const r = await rows(c.conn, `SELECT count(*) AS n, coalesce(md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY CAST(t AS VARCHAR))), '') AS h FROM ${t} t`);
    out[t] = `${r[0].n}:${r[0].h}`;
  }
  return out;
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-'));
const readPkg = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as PackageFile;
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/**
 * The package round-trips: every figure of the school's disclosure for `month` (the DisclosureData its workbook is
 * written from, and the month page's surplus over the profile's period) equals the row the centre holds for it. Returns
 * the centre's month fund row and the lists' lengths, for the caller's hand-worked checks.
 */
async function expectRoundTrip(
  c: Centre,
  s: { ctx: Backend['ctx']; call: (name: 'monthclose.get', input: { month: string }) => Promise<Output<'monthclose.get'>> },
  code: string,
  MONTH: string,
): Promise<{ fund: Record<string, unknown>[]; suppliers: number; refunds: number; rejected: number; subsidy: number; prices: number }> {
  const st = await s.call('monthclose.get', { month: MONTH });
  const d = disclosureData(s.ctx, MONTH, st.state.revision, st.state.checksumHex!);
  const key = [code, MONTH, st.state.revision];
  const where = 'WHERE school_code = ? AND month = ? AND revision = ?';
  // The package's own row: the school, the close's checksum, the profile's rules the disclosure was computed under,
  // and the surplus over the profile's period as the school's month page shows it.
  const period = fundSummary(s.ctx, MONTH).period;
  expect(await rows(c.conn, `SELECT school_name, closed_checksum, uses_storeroom, surplus_limit_bp, surplus_period, price_tolerance_bp, period_from, period_to, period_income_fen, period_surplus_fen, period_rate_bp, period_breach FROM packages ${where}`, key)).toEqual([
    {
      school_name: d.schoolName, closed_checksum: d.checksumHex, uses_storeroom: d.usesStoreroom, surplus_limit_bp: d.surplusLimitBp, surplus_period: d.surplusPeriod,
      price_tolerance_bp: d.priceToleranceBp, period_from: period.from, period_to: period.to, period_income_fen: period.incomeFen, period_surplus_fen: period.surplusFen,
      period_rate_bp: period.rateBp, period_breach: period.breach,
    },
  ]);
  const fund = await rows(c.conn, `SELECT * FROM fund ${where} ORDER BY period`, key);
  for (const [row, inputs] of [[fund[0], d.monthFigures], [fund[1], d.yearToDate]] as const) {
    const f = deriveFund(inputs, d.allowedNonFood);
    expect(row).toMatchObject({
      previous_balance_fen: f.previousBalanceFen, fees_collected_fen: f.feesCollectedFen, refunds_fen: f.refundsFen, fee_net_fen: f.feeNetFen,
      subsidy_fen: f.subsidyFen, other_income_fen: f.otherIncomeFen, income_fen: f.incomeFen, food_expense_fen: f.foodExpenseFen,
      expense_fen: f.expenseFen, surplus_fen: f.surplusFen, cumulative_surplus_fen: f.cumulativeSurplusFen, surplus_rate_bp: f.surplusRateBp,
      meal_days: f.mealDays, avg_cost_fen: f.avgCostFen, food_share_bp: f.foodShareBp,
    });
    expect(Object.keys(row).sort()).toEqual(['avg_cost_fen', 'cumulative_surplus_fen', 'expense_fen', 'fee_net_fen', 'fees_collected_fen', 'food_expense_fen', 'food_share_bp', 'income_fen', 'meal_days', 'month', 'other_income_fen', 'period', 'previous_balance_fen', 'refunds_fen', 'revision', 'school_code', 'subsidy_fen', 'surplus_fen', 'surplus_rate_bp']);
    const lines = await rows(c.conn, `SELECT kind, key, amount_fen FROM fund_lines ${where} AND period = ? ORDER BY kind, key`, [...key, row.period]);
    expect(Object.fromEntries(lines.filter((l) => l.kind === 'category').map((l) => [l.key, l.amount_fen]))).toEqual(f.expenseByCategoryFen);
    expect(Object.fromEntries(lines.filter((l) => l.kind === 'non_food').map((l) => [l.key, l.amount_fen]))).toEqual(f.nonFoodFen);
  }
  const purchases = await rows(c.conn, `SELECT date, receipt_no, item, spec, unit, qty_milli, unit_price_fen, amount_fen, supplier, inspectors, note FROM purchases ${where} ORDER BY line_no`, key);
  expect(purchases).toEqual(
    [...(d.purchases as Iterable<PurchaseLine>)].map((p) => ({
      date: p.date, receipt_no: p.receiptNo, item: p.item, spec: p.spec, unit: p.unit, qty_milli: p.qtyMilli, unit_price_fen: p.unitPriceFen,
      amount_fen: p.amountFen, supplier: p.supplier, inspectors: p.inspectors, note: p.note,
    })),
  );
  const credit = await rows(c.conn, `SELECT DISTINCT supplier, supplier_credit_code FROM purchases ${where} ORDER BY 1`, key);
  const codes = new Map(d.suppliers.map((x) => [x.name, x.creditCode]));
  for (const x of credit) expect(x.supplier_credit_code).toBe(codes.get(String(x.supplier)));
  expect(await rows(c.conn, `SELECT name, credit_code, licence_no, licence_valid_until, deliveries, amount_fen, certificates FROM suppliers ${where} ORDER BY rowid`, key)).toEqual(
    d.suppliers.map((x) => ({ name: x.name, credit_code: x.creditCode, licence_no: x.licenceNo, licence_valid_until: x.licenceValidUntil, deliveries: x.deliveries, amount_fen: x.amountFen, certificates: x.certificates })),
  );
  expect(await rows(c.conn, `SELECT item, category, unit, qty_milli, amount_fen, reference_price_fen, previous_avg_price_fen FROM prices ${where} ORDER BY rowid`, key)).toEqual(
    d.prices.map((x) => ({ item: x.item, category: x.category, unit: x.unit, qty_milli: x.qtyMilli, amount_fen: x.amountFen, reference_price_fen: x.referencePriceFen, previous_avg_price_fen: x.previousAvgPriceFen })),
  );
  expect(await rows(c.conn, `SELECT item, unit, qty_milli, reason, disposition FROM rejected ${where} ORDER BY line_no`, key)).toEqual(
    d.rejected.map((x) => ({ item: x.item, unit: x.unit, qty_milli: x.qtyMilli, reason: x.reason, disposition: x.disposition })),
  );
  expect(await rows(c.conn, `SELECT class_name, students, days, student_days, rate_fen, amount_fen FROM subsidy ${where} ORDER BY rowid`, key)).toEqual(
    d.subsidy.map((x) => ({ class_name: x.className, students: x.students, days: x.days, student_days: x.studentDays, rate_fen: x.rateFen, amount_fen: x.studentDays * x.rateFen })),
  );
  expect(await rows(c.conn, `SELECT class_name, days, amount_fen, reason, applied_on, approved_on, paid_on, status, earlier FROM refunds ${where} ORDER BY line_no`, key)).toEqual(
    d.refunds.map((x) => ({
      class_name: x.className, days: x.days, amount_fen: x.amountFen, reason: x.reason, applied_on: x.appliedOn, approved_on: x.approvedOn ?? null, paid_on: x.paidOn,
      status: x.status ?? (x.paidOn === null ? 'pending' : 'paid'), earlier: x.earlier ?? false,
    })),
  );
  // 分类成本 where the storeroom is used (opening, purchases, adjustments, closing), and each category's expense
  // line of the summary (consumed) either way.
  const monthFund = deriveFund(d.monthFigures, d.allowedNonFood);
  expect(await rows(c.conn, `SELECT category, purchased_fen, expense_fen, opening_fen, adjustments_fen, closing_fen FROM categories ${where} ORDER BY rowid`, key)).toEqual(
    d.usesStoreroom
      ? d.categoryCosts.map((x) => ({ category: x.category, purchased_fen: x.purchasesFen, expense_fen: monthFund.expenseByCategoryFen[x.category], opening_fen: x.openingFen, adjustments_fen: x.adjustmentsFen, closing_fen: x.closingFen }))
      : Object.entries(monthFund.expenseByCategoryFen).map(([category, v]) => ({ category, purchased_fen: expect.any(Number), expense_fen: v, opening_fen: null, adjustments_fen: null, closing_fen: null })),
  );
  return { fund, suppliers: credit.length, refunds: d.refunds.length, rejected: d.rejected.length, subsidy: d.subsidy.length, prices: d.prices.length };
}

describe('three demo schools package October; the centre imports the folder', { timeout: 300_000 }, () => {
  const schools: School[] = [];
  let folder: string;
  let later: string;
  let centreDir: string;
  let c: Centre;
  let closed = false;
  const files: Record<string, string> = {};
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    folder = tmp();
    later = tmp();
    centreDir = tmp();
    cleanups.push(() => [folder, later, centreDir].forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
    // Copies of the first school's ledger taken before it packaged anything, so before its signing key was made (the
    // key is in the ledger, migration 0027: a copy taken later would carry the school's own key).
    const copy = tempLedger();
    const forged = tempLedger();
    for (const s of DEMO) {
      const t = tempLedger();
      const b = openBackend({ file: t.file, now: NOW });
      await seedDemo(b, { steps: [...DEMO_STEPS, closeLastMonth({ approve: true })], schoolName: s.name });
      const sc = school(b, t.dir, () => (b.close(), t.cleanup()), (u) => `demo-${u}`);
      schools.push(sc);
      if (schools.length === 1) for (const c of [copy, forged]) await b.db.backup(c.file);
      await sc.login('reviewer');
      const r = await sc.call('monthclose.package', { month: MONTH, dir: folder, schoolCode: s.code });
      expect(r).toMatchObject({ schoolCode: s.code, month: MONTH, revision: 1, supersedesRevision: null });
      expect(path.basename(r.file)).toBe(`${s.code}_2026-10_r1.canteen-pkg.json`);
      files[s.code] = r.file;
    }
    // A school the centre never enrolled: a copy of the first school's ledger in another data folder, with its own key.
    const other = school(openBackend({ file: copy.file, now: NOW }), copy.dir, () => copy.cleanup(), (u) => `demo-${u}`);
    cleanups.push(() => (other.b.close(), other.cleanup()));
    await other.login('reviewer');
    await other.call('monthclose.package', { month: MONTH, dir: folder, schoolCode: '2135000199' });
    // A forger: the same ledger copy signs for the first school's code with a key the centre did not enrol.
    const forger = school(openBackend({ file: forged.file, now: NOW }), forged.dir, () => forged.cleanup(), (u) => `demo-${u}`);
    cleanups.push(() => (forger.b.close(), forger.cleanup()));
    await forger.login('reviewer');
    const fr = await forger.call('monthclose.package', { month: MONTH, dir: forged.dir, schoolCode: DEMO[0].code });
    fs.copyFileSync(fr.file, path.join(folder, 'forged-2135000101.canteen-pkg.json'));
    // A duplicate, a package whose data was changed after signing, and one whose signed manifest was edited.
    fs.copyFileSync(files[DEMO[0].code], path.join(folder, 'dup-2135000101.canteen-pkg.json'));
    const t = readPkg(files[DEMO[1].code]);
    const data = JSON.parse(Buffer.from(t.files['data.json'], 'base64').toString('utf8')) as PackageData;
    data.purchases[0].unitPriceFen -= 10;
    t.files['data.json'] = Buffer.from(`${JSON.stringify(data)}\n`).toString('base64');
    fs.writeFileSync(path.join(folder, 'tampered-2135000102.canteen-pkg.json'), JSON.stringify(t));
    const e = readPkg(files[DEMO[2].code]);
    e.manifest = e.manifest.replace('"revision":1', '"revision":3');
    fs.writeFileSync(path.join(folder, 'manifest-edited-2135000103.canteen-pkg.json'), JSON.stringify(e));

    c = await openCentre(path.join(centreDir, 'centre.duckdb'), { create: true });
    for (const [i, s] of DEMO.entries()) {
      const id = readIdentity(schools[i].b.db)!;
      // As typed from the enrolment sheet: groups of four.
      await enrolSchool(c, { code: s.code, name: s.name, fingerprint: id.fingerprint.match(/.{4}/g)!.join(' ') }, NOW());
    }
    // Enrolled, never sent anything.
    await enrolSchool(c, { code: '2135000104', name: '溪口第二小学', fingerprint: 'ab'.repeat(32) }, NOW());
  });

  afterAll(() => {
    if (!closed) c?.close();
    for (const s of schools) s.cleanup();
    for (const f of cleanups) f();
  });

  it('imports the good packages, says "nothing to do" for the duplicate and refuses the bad ones whole, with their reasons', async () => {
    const out = await importFolder(c, folder, NOW());
    const got = out.map((o) => ({ file: path.basename(o.file), status: o.status, message: o.message }));
    expect(got.map((g) => [g.file, g.status])).toEqual([
      ['2135000101_2026-10_r1.canteen-pkg.json', 'imported'],
      ['2135000102_2026-10_r1.canteen-pkg.json', 'imported'],
      ['2135000103_2026-10_r1.canteen-pkg.json', 'imported'],
      ['2135000199_2026-10_r1.canteen-pkg.json', 'refused'],
      ['dup-2135000101.canteen-pkg.json', 'unchanged'],
      ['forged-2135000101.canteen-pkg.json', 'refused'],
      ['manifest-edited-2135000103.canteen-pkg.json', 'refused'],
      ['tampered-2135000102.canteen-pkg.json', 'refused'],
    ]);
    expect(got[0].message).toBe('城关第一小学2026年10月第 1 版已导入');
    expect(got[3].message).toBe('学校代码 2135000199（城关第一小学）未在本中心登记，上报包未导入；请先登记该校的学校代码、名称与公钥指纹');
    expect(got[4].message).toBe('城关第一小学2026年10月第 1 版已导入，内容相同，无需重复导入');
    expect(got[5].message).toMatch(/^签名无效：上报包的公钥指纹（[0-9a-f ]{79}）不是中心为 城关第一小学 登记的指纹（[0-9a-f ]{79}）$/);
    expect(got[6].message).toBe('签名无效：清单与签名不符（上报包在签名后被改动，或不是用包内公钥签发的）');
    expect(got[7].message).toBe('文件 data.json 与清单记录的哈希不符（内容在签名后被改动）');
    // Only the three good packages are held, each whole: its every purchase line.
    const held = await rows(c.conn, `SELECT p.school_code, p.revision, (SELECT count(*) FROM purchases l WHERE l.school_code = p.school_code) AS lines FROM packages p ORDER BY 1`);
    expect(held.map((h) => h.school_code)).toEqual(['2135000101', '2135000102', '2135000103']);
    for (const [i, h] of held.entries()) {
      const data = JSON.parse(Buffer.from(readPkg(files[DEMO[i].code]).files['data.json'], 'base64').toString('utf8')) as PackageData;
      expect(h.lines).toBe(data.purchases.length);
      expect(h.lines).toBeGreaterThan(100);
    }
  });

  it('importing the same folder again changes nothing', async () => {
    const before = await centreDigest(c);
    const again = await importFolder(c, folder, NOW());
    expect(again.filter((o) => o.status === 'imported')).toEqual([]);
    expect(again.filter((o) => o.status === 'unchanged').map((o) => path.basename(o.file))).toEqual([
      '2135000101_2026-10_r1.canteen-pkg.json',
      '2135000102_2026-10_r1.canteen-pkg.json',
      '2135000103_2026-10_r1.canteen-pkg.json',
      'dup-2135000101.canteen-pkg.json',
    ]);
    expect(await centreDigest(c)).toEqual(before);
  });

  it('a package that fails half-way through its rows leaves nothing behind (one transaction)', async () => {
    // Signed with the school's own key (so every check passes) as revision 2, with a line the centre cannot store.
    const p = readPkg(files[DEMO[0].code]);
    const m = JSON.parse(p.manifest) as PackageManifest;
    const data = JSON.parse(Buffer.from(p.files['data.json'], 'base64').toString('utf8')) as PackageData;
    data.revision = 2;
    (data.purchases[data.purchases.length - 1] as { item: unknown }).item = null;
    const bytes = Buffer.from(`${JSON.stringify(data)}\n`);
    p.files['data.json'] = bytes.toString('base64');
    m.revision = 2;
    m.files = m.files.map((f) => (f.name === 'data.json' ? { ...f, bytes: bytes.length, sha256: sha(bytes) } : f));
    p.manifest = JSON.stringify(m);
    p.signature = signWithInstallationKey(schools[0].b.db, Buffer.from(p.manifest)).toString('base64');
    const file = path.join(centreDir, 'broken.canteen-pkg.json');
    fs.writeFileSync(file, JSON.stringify(p));
    const before = await centreDigest(c);
    const r = await importPackage(c, file, NOW());
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/^导入失败，未导入：/);
    expect(await centreDigest(c)).toEqual(before);
  });

  it('a reopened and re-approved month is revision 2, naming what it supersedes; the older revision is then refused', async () => {
    const s = schools[2];
    await s.login('reviewer');
    const r1 = await s.call('monthclose.get', { month: MONTH });
    await s.call('monthclose.reopen', { month: MONTH, reason: '核对10月银行对账单后重新审核' });
    await s.login('accountant');
    // What the reopening found: the bank's October account fee, 3.50, on the stamped statement (58,767.85 − 3.50 =
    // 58,764.35) but never booked.
    await s.call('fund.recordExpense', { date: '2026-10-31', kind: 'bank_fee', amountFen: 350, method: 'bank', memo: '10月账户管理费' });
    await s.call('monthclose.setBankBalance', { month: MONTH, account: 'bank', balanceFen: 5_876_435, note: '按银行盖章对账单重录（含账户管理费）' });
    await s.call('monthclose.submit', { month: MONTH });
    await s.login('reviewer');
    await s.call('monthclose.approve', { month: MONTH });
    const r = await s.call('monthclose.package', { month: MONTH, dir: later });
    expect(r).toMatchObject({ schoolCode: '2135000103', revision: 2, supersedesRevision: 1 });
    const m = JSON.parse(readPkg(r.file).manifest) as PackageManifest;
    expect(m.supersedes).toEqual({ revision: 1, closedChecksum: r1.state.checksumHex, reopenReason: '核对10月银行对账单后重新审核' });
    fs.copyFileSync(files['2135000103'], path.join(later, 'old-2135000103.canteen-pkg.json'));
    const out = await importFolder(c, later, NOW());
    expect(out.map((o) => [path.basename(o.file), o.status, o.message])).toEqual([
      ['2135000103_2026-10_r2.canteen-pkg.json', 'imported', '溪口中心小学2026年10月第 2 版已导入，取代第 1 版（反结账理由：核对10月银行对账单后重新审核）'],
      ['old-2135000103.canteen-pkg.json', 'refused', '溪口中心小学2026年10月已导入第 2 版，此包是较早的第 1 版，未导入'],
    ]);
  });

  it('报送情况: who sent October, at which revision, what the revision changed, lateness; the school that sent nothing first', async () => {
    const v = await submissionView(c, MONTH);
    expect(v.rows.map((r) => [r.school_code, r.school_name, r.sent, r.revision, r.revisions, r.supersedes_revision, r.changes])).toEqual([
      ['2135000104', '溪口第二小学', false, null, 0, null, null],
      ['2135000101', '城关第一小学', true, 1, 1, null, null],
      ['2135000102', '城关第二小学', true, 1, 1, null, null],
      // Revision 2 books the 3.50 bank fee the reopening found: expense up, surplus down, purchases as they were.
      ['2135000103', '溪口中心小学', true, 2, 2, 1, '与第 1 版相比：本月支出 +3.50 元，本月结余 −3.50 元'],
    ]);
    // The demo closes October on 20 November (the test clock): 20 days after the month's end; the profile's
    // disclosure deadline is the 15th of the next month (次月 15 日前公示, the default), so 5 days late.
    expect(v.rows.map((r) => [r.days_after_month_end, r.deadline, r.days_late])).toEqual([
      [null, null, null],
      [20, '2026-11-15', 5],
      [20, '2026-11-15', 5],
      [20, '2026-11-15', 5],
    ]);
  });

  it('the package round-trips: every figure of each school\'s disclosure equals the centre\'s', async () => {
    for (const [i, s] of schools.entries()) {
      const r = await expectRoundTrip(c, { ctx: s.b.ctx, call: s.call }, DEMO[i].code, MONTH);
      // October's income as monthclose-demo.test.ts works it out by hand from the demo's roster: 13,888.00 + 2,890.00.
      expect(r.fund[0].income_fen).toBe(1_677_800);
      expect(r.suppliers).toBeGreaterThan(3);
      expect([r.rejected, r.subsidy, r.prices]).toEqual([6, 6, 44]);
      // The deliveries as the school's 验收单 list them: posted, with whether a parent witnessed (the demo's parent
      // witnesses the first delivery of each Friday).
      const own = s.b.db
        .prepare(`SELECT number AS receipt_no, delivery_date AS date, witness_user_id IS NOT NULL AS witnessed FROM deliveries WHERE status = 'posted' AND delivery_date LIKE '2026-10-%' ORDER BY delivery_date, number`)
        .all() as { receipt_no: string; date: string; witnessed: number }[];
      const held = await rows(c.conn, `SELECT receipt_no, date, witnessed FROM deliveries JOIN current_packages USING (school_code, month, revision) WHERE school_code = ? AND month = ? ORDER BY date, receipt_no`, [DEMO[i].code, MONTH]);
      expect(held).toEqual(own.map((x) => ({ ...x, witnessed: x.witnessed === 1 })));
      expect(held.filter((x) => x.witnessed).every((x) => new Date(`${x.date}T00:00:00Z`).getUTCDay() === 5)).toBe(true);
      expect(held.some((x) => x.witnessed) && held.some((x) => !x.witnessed)).toBe(true);
    }
  });

  it('a package of schema version 1 (no disclosure deadline) is still read; version 4 is refused by name; lateness by the China date', async () => {
    // The first school's package rewritten as the first build wrote it: version 1, no profile.disclosureDeadlineDay.
    const asVersion = (v: number, o: { revision?: number; closedAt?: string } = {}) => {
      const p = readPkg(files[DEMO[0].code]);
      const m = JSON.parse(p.manifest) as PackageManifest;
      const data = JSON.parse(Buffer.from(p.files['data.json'], 'base64').toString('utf8')) as PackageData;
      expect(data.profile.disclosureDeadlineDay).toBe(15);
      if (v === 1) {
        delete data.profile.disclosureDeadlineDay;
        delete data.foodSafety;
        delete data.deliveries;
      }
      data.schemaVersion = v;
      data.revision = o.revision ?? 1;
      const bytes = Buffer.from(`${JSON.stringify(data)}\n`);
      p.files['data.json'] = bytes.toString('base64');
      Object.assign(m, { schemaVersion: v, revision: data.revision, closedAt: o.closedAt ?? m.closedAt, files: m.files.map((f) => (f.name === 'data.json' ? { ...f, bytes: bytes.length, sha256: sha(bytes) } : f)) });
      Object.assign(p, { schemaVersion: v, manifest: JSON.stringify(m) });
      p.signature = signWithInstallationKey(schools[0].b.db, Buffer.from(p.manifest)).toString('base64');
      const dir = fs.mkdtempSync(path.join(centreDir, `v${v}-r${data.revision}-`));
      fs.writeFileSync(path.join(dir, `v${v}.canteen-pkg.json`), JSON.stringify(p));
      return dir;
    };
    const other = await openCentre(path.join(centreDir, 'versions.duckdb'), { create: true });
    try {
      await enrolSchool(other, { code: DEMO[0].code, name: DEMO[0].name, fingerprint: readIdentity(schools[0].b.db)!.fingerprint }, NOW());
      expect((await importFolder(other, asVersion(4), NOW())).map((o) => [o.status, o.message])).toEqual([['refused', '上报包数据格式版本 4 本中心不支持（支持版本 1、2、3），请升级中心软件']]);
      expect((await importFolder(other, asVersion(1), NOW())).map((o) => [o.status, o.message])).toEqual([['imported', '城关第一小学2026年10月第 1 版已导入']]);
      const v = await submissionView(other, MONTH);
      expect(v.rows.map((r) => [r.school_code, r.sent, r.days_after_month_end, r.deadline, r.days_late])).toEqual([[DEMO[0].code, true, 20, null, null]]);
      // Nor whether a parent witnessed its deliveries (blank), nor 留样 and 陪餐: its 食品安全 row is blank.
      expect((await inspectionView(other, MONTH)).rows.map((r) => [r.school_code, r.unwitnessed])).toEqual([[DEMO[0].code, null]]);
      expect((await foodSafetyView(other, MONTH)).rows.map((r) => [r.school_code, r.school_days, r.samples_rate_bp, r.days_without_companion])).toEqual([[DEMO[0].code, null, null, null]]);
      // Version 2 approved at 23:59 on 15 November in China (15:59 UTC): on the deadline day, not late. At 00:30 on the
      // 16th in China (16:30 UTC on the 15th): one day late, though the UTC date is still the 15th.
      const late = async (revision: number, closedAt: string) => {
        expect((await importFolder(other, asVersion(2, { revision, closedAt }), NOW()))[0].status).toBe('imported');
        return (await submissionView(other, MONTH)).rows.map((r) => [r.revision, r.closed_on, r.days_after_month_end, r.deadline, r.days_late]);
      };
      expect(await late(2, '2026-11-15T15:59:00.000Z')).toEqual([[2, '2026-11-15', 15, '2026-11-15', 0]]);
      expect(await late(3, '2026-11-15T16:30:00.000Z')).toEqual([[3, '2026-11-16', 16, '2026-11-15', 1]]);
    } finally {
      other.close();
    }
  });

  it('uses only what DuckDB has built in: no extension is installed or loaded from outside, nothing can be fetched', async () => {
    const settings = await rows(c.conn, `SELECT current_setting('autoinstall_known_extensions') AS i, current_setting('autoload_known_extensions') AS l, current_setting('enable_external_access') AS x`);
    expect(settings).toEqual([{ i: false, l: false, x: false }]);
    // A feature that would need an extension from the network is refused, not fetched.
    await expect(c.conn.run(`INSTALL httpfs`)).rejects.toThrow();
    await expect(c.conn.run(`SELECT * FROM read_csv('https://example.org/x.csv')`)).rejects.toThrow();
    // The views again on an instance that may look at its extensions (external access on, autoload and autoinstall
    // still off): they run, and every extension loaded is one DuckDB has statically linked.
    c.close();
    closed = true;
    const inst = await DuckDBInstance.create(':memory:', { ...OFFLINE_OPTIONS });
    const conn = await inst.connect();
    try {
      await conn.run(`ATTACH '${path.join(centreDir, 'centre.duckdb')}' AS centre (READ_ONLY)`);
      await conn.run('USE centre');
      const again = { conn } as unknown as Centre;
      expect((await priceView(again, MONTH)).rows.length).toBeGreaterThan(20);
      expect((await surplusView(again)).rows.length).toBe(3);
      expect((await submissionView(again, MONTH)).rows.length).toBe(4);
      expect(await rows(conn, `SELECT extension_name FROM duckdb_extensions() WHERE (loaded OR installed) AND install_mode <> 'STATICALLY_LINKED'`)).toEqual([]);
      expect((await rows(conn, `SELECT extension_name FROM duckdb_extensions() WHERE loaded ORDER BY 1`)).map((r) => r.extension_name)).toEqual(expect.arrayContaining(['core_functions']));
    } finally {
      conn.closeSync();
      inst.closeSync();
    }
  });
});

describe('the price and surplus views against figures worked out by hand', { timeout: 240_000 }, () => {
  /**
   * Three schools with September of monthclose-fixture.ts (10 kg 大米, 10 kg 白菜 accepted, 2 kg 猪肉, 10 盒 牛奶; the
   * default profile: tolerance 10 %, no reference discount; reference prices 大米 6.00, 白菜 2.50, 猪肉 28.00, 牛奶 3.00)
   * at different prices:
   *            大米   白菜   猪肉    牛奶
   *   A 9001   4.20   2.50   28.00   3.00
   *   B 9002   4.50   2.60   30.00   3.05
   *   C 9003   6.00   2.40   35.00   3.00
   * Town (A, B, C): 大米 median 4.50 (min 4.20, max 6.00): C's 6.00 > 4.50 × 1.1 = 4.95 is flagged, not above 6.00 ×
   * 1.1 = 6.60. 白菜 median 2.50, none over 2.75. 猪肉 median 30.00: C's 35.00 > 33.00 flagged, and above the reference
   * 28.00 × 1.1 = 30.80 too; B's 30.00 is neither. 牛奶 median 3.00, max 3.05 (≤ 3.30).
   * A and B alone: medians are the mean of the two, half-up: 大米 4.35, 白菜 2.55, 猪肉 29.00, 牛奶 (3.00 + 3.05) / 2 =
   * 3.025 → 3.03.
   * Surplus (income 746.00 each, see the fixture): consumed 大米 = 6 kg issued + 0.1 kg lost of the 10 kg lot:
   *   A 25.62 → expense 136.62, surplus 609.38, rate 60938 / 74600 = 81.69 %
   *   B 27.00 + 0.45 = 27.45, + 26.00 + 60.00 + 30.50 = 143.95 → surplus 602.05, rate 80.70 %
   *   C 36.00 + 0.60 = 36.60, + 24.00 + 70.00 + 30.00 = 160.60 → surplus 585.40, rate 78.47 %
   * all over the 2 % limit (September is the term's first month here).
   */
  const PRICES = [
    { code: '9001', name: '甲校', prices: { rice: 420, cabbage: 250, pork: 2800, milk: 300 } },
    { code: '9002', name: '乙校', prices: { rice: 450, cabbage: 260, pork: 3000, milk: 305 } },
    { code: '9003', name: '丙校', prices: { rice: 600, cabbage: 240, pork: 3500, milk: 300 } },
  ];
  const M = '2026-09';
  const made: SeptSchool[] = [];
  let folder: string;
  let c: Centre;

  beforeAll(async () => {
    folder = tmp();
    c = await openCentre(path.join(folder, 'centre', 'centre.duckdb'), { create: true });
    for (const p of PRICES) {
      const s = await septemberSchool({ prices: p.prices, schoolName: p.name });
      made.push(s);
      const b = s.w.b;
      if (p.code === '9001') {
        // 甲校 keeps the food-safety book on two days: samples of lunch on 1 and 2 September — on the 2nd also 青菜, light
        // (100 g, sold out: recorded with its reason, a finding) —, and the principal eats with the pupils on 1 September
        // and finds the food too salty (a problem raised, not yet followed up).
        await b.loginAs('storekeeper');
        for (const date of ['2026-09-01', '2026-09-02']) await b.call('samples.record', { date, meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '米饭', weightG: 150, takenTime: '11:20' }] });
        await b.call('samples.record', { date: '2026-09-02', meal: 'lunch', fridge: '1号留样柜', taker: '王师傅', dishes: [{ dish: '青菜', weightG: 100, takenTime: '11:25', lightReason: '菜品已售完，无法补足' }] });
        await b.loginAs('reviewer');
        await b.call('meals.record', { date: '2026-09-01', meal: 'lunch', ratings: { taste: 'fair', quantity: 'good', hygiene: 'good', temperature: 'good' }, problem: '菜偏咸' });
      }
      await b.loginAs('accountant');
      await b.call('monthclose.submit', { month: M });
      await b.loginAs('reviewer');
      await b.call('monthclose.approve', { month: M });
      const r = await b.call('monthclose.package', { month: M, dir: path.join(folder, p.code), schoolCode: p.code });
      await enrolSchool(c, { code: p.code, name: p.name, fingerprint: r.fingerprint }, NOW());
    }
  });
  afterAll(() => {
    c?.close();
    for (const s of made) s.w.b.cleanup();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const priceRows = async () =>
    (await priceView(c, M)).rows.map((r) => [r.item, r.school_code, r.avg_price_fen, r.median_fen, r.min_fen, r.max_fen, r.reference_price_fen, r.over_median, r.over_reference]);

  it('two schools: the median is the mean of the two, half-up', async () => {
    for (const code of ['9001', '9002']) expect((await importFolder(c, path.join(folder, code), NOW()))[0].status).toBe('imported');
    expect(await priceRows()).toEqual([
      ['大米', '9002', 450, 435, 420, 450, 600, false, false],
      ['大米', '9001', 420, 435, 420, 450, 600, false, false],
      ['牛奶', '9002', 305, 303, 300, 305, 300, false, false],
      ['牛奶', '9001', 300, 303, 300, 305, 300, false, false],
      ['猪肉', '9002', 3000, 2900, 2800, 3000, 2800, false, false],
      ['猪肉', '9001', 2800, 2900, 2800, 3000, 2800, false, false],
      ['白菜', '9002', 260, 255, 250, 260, 250, false, false],
      ['白菜', '9001', 250, 255, 250, 260, 250, false, false],
    ]);
  });

  it('three schools: medians, min, max and the flags, flagged rows first', async () => {
    expect((await importFolder(c, path.join(folder, '9003'), NOW()))[0].status).toBe('imported');
    expect(await priceRows()).toEqual([
      ['大米', '9003', 600, 450, 420, 600, 600, true, false],
      ['猪肉', '9003', 3500, 3000, 2800, 3500, 2800, true, true],
      ['大米', '9002', 450, 450, 420, 600, 600, false, false],
      ['大米', '9001', 420, 450, 420, 600, 600, false, false],
      ['牛奶', '9002', 305, 300, 300, 305, 300, false, false],
      ['牛奶', '9001', 300, 300, 300, 305, 300, false, false],
      ['牛奶', '9003', 300, 300, 300, 305, 300, false, false],
      ['猪肉', '9002', 3000, 3000, 2800, 3500, 2800, false, false],
      ['猪肉', '9001', 2800, 3000, 2800, 3500, 2800, false, false],
      ['白菜', '9002', 260, 250, 240, 260, 250, false, false],
      ['白菜', '9001', 250, 250, 240, 260, 250, false, false],
      ['白菜', '9003', 240, 250, 240, 260, 250, false, false],
    ]);
  });

  it('the package round-trips here too, with September\'s refund (3 days, 30.00, paid 15 September)', async () => {
    for (const [i, s] of made.entries()) {
      const r = await expectRoundTrip(c, { ctx: s.w.b.ctx, call: (n, x) => s.w.b.call(n, x) }, PRICES[i].code, M);
      expect(r.refunds).toBe(1);
      expect(r.fund[0].income_fen).toBe(74_600);
    }
    const held = await rows(c.conn, `SELECT school_code, amount_fen, days, paid_on, status, earlier FROM refunds ORDER BY school_code`);
    expect(held).toEqual(PRICES.map((p) => ({ school_code: p.code, amount_fen: 3_000, days: 3, paid_on: '2026-09-15', status: 'paid', earlier: false })));
  });

  it('食材对应: 丙校 calls its rice 东北大米; mapped to 大米, it is compared with the others (the three-school figures above)', async () => {
    // A centre of its own: 甲 and 乙 as packaged, 丙's package as a school naming the item 东北大米 would have written it
    // (its purchase lines and its 食材价格 row), signed with 丙's key.
    const c2 = await openCentre(path.join(folder, 'map', 'centre.duckdb'), { create: true });
    try {
      for (const [i, p] of PRICES.entries()) await enrolSchool(c2, { code: p.code, name: p.name, fingerprint: readIdentity(made[i].w.b.db)!.fingerprint }, NOW());
      for (const code of ['9001', '9002']) expect((await importFolder(c2, path.join(folder, code), NOW()))[0].status).toBe('imported');
      const pkg = readPkg(path.join(folder, '9003', '9003_2026-09_r1.canteen-pkg.json'));
      const m = JSON.parse(pkg.manifest) as PackageManifest;
      const data = JSON.parse(Buffer.from(pkg.files['data.json'], 'base64').toString('utf8')) as PackageData;
      for (const l of [...data.purchases, ...data.prices]) if (l.item === '大米') l.item = '东北大米';
      const bytes = Buffer.from(`${JSON.stringify(data)}\n`);
      pkg.files['data.json'] = bytes.toString('base64');
      m.files = m.files.map((f) => (f.name === 'data.json' ? { ...f, bytes: bytes.length, sha256: sha(bytes) } : f));
      pkg.manifest = JSON.stringify(m);
      pkg.signature = signWithInstallationKey(made[2].w.b.db, Buffer.from(pkg.manifest)).toString('base64');
      const dir = path.join(folder, 'map-9003');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, '9003_2026-09_r1.canteen-pkg.json'), JSON.stringify(pkg));
      expect((await importFolder(c2, dir, NOW()))[0].status).toBe('imported');
      const rice = async () =>
        (await priceView(c2, M)).rows.filter((r) => String(r.item).includes('大米')).map((r) => [r.item, r.school_code, r.avg_price_fen, r.median_fen, r.min_fen, r.max_fen, r.reference_price_fen, r.over_median, r.over_reference]);
      // Unmapped: 大米 is 甲 and 乙 (median of two, 4.35), 东北大米 丙 alone.
      expect(await rice()).toEqual([
        ['东北大米', '9003', 600, 600, 600, 600, 600, false, false],
        ['大米', '9002', 450, 435, 420, 450, 600, false, false],
        ['大米', '9001', 420, 435, 420, 450, 600, false, false],
      ]);
      const mapped = await mapItem(c2, { item: '东北大米', spec: '', unit: 'kg', toItem: '大米', toSpec: '' }, 'zhongxin', NOW());
      expect(mapped).toMatchObject({ item: '东北大米', toItem: '大米', mappedBy: 'zhongxin' });
      // Mapped: the three-school 大米 of the table above — median 4.50, 丙's 6.00 over it, not over its reference 6.00.
      expect(await rice()).toEqual([
        ['大米', '9003', 600, 450, 420, 600, 600, true, false],
        ['大米', '9002', 450, 450, 420, 600, 600, false, false],
        ['大米', '9001', 420, 450, 420, 600, 600, false, false],
      ]);
      // The supplier's widest spread and the chart's item list see the mapping too.
      expect((await supplierView(c2, M)).rows.map((r) => [r.spread_item, r.spread_bp])).toEqual([['大米', 4286]]);
      expect((await monthItems(c2, M)).filter((x) => x.item.includes('大米'))).toEqual([{ item: '大米', spec: '', unit: 'kg', schools: 3 }]);
      // No chains, no loops, not onto itself; refused in words.
      await expect(mapItem(c2, { item: '大米', spec: '', unit: 'kg', toItem: '粳米', toSpec: '' }, 'zhongxin', NOW())).rejects.toThrow('“东北大米”（kg）已对应到“大米”（kg），它不能再对应到别的食材');
      await expect(mapItem(c2, { item: '籼米', spec: '', unit: 'kg', toItem: '东北大米', toSpec: '' }, 'zhongxin', NOW())).rejects.toThrow('“东北大米”（kg）本身已对应到“大米”（kg），请直接对应到后者');
      await expect(mapItem(c2, { item: '大米', spec: '', unit: 'kg', toItem: '大米', toSpec: '' }, 'zhongxin', NOW())).rejects.toThrow('食材不能对应到它自己');
      // Unmapped again: as before.
      await unmapItem(c2, { item: '东北大米', spec: '', unit: 'kg' });
      expect((await rice()).map((r) => [r[0], r[1], r[3]])).toEqual([['东北大米', '9003', 600], ['大米', '9002', 435], ['大米', '9001', 435]]);
      await expect(unmapItem(c2, { item: '东北大米', spec: '', unit: 'kg' })).rejects.toThrow('“东北大米”（kg）没有对应关系');
    } finally {
      c2.close();
    }
  });

  it('食品安全: 留样 and 陪餐 completion by school, the schools with most days missing first', async () => {
    // September has 21 school days (fees-fixture SEPT_DAYS). 乙 and 丙 recorded nothing: 21 days without samples and 21
    // without an accompanied meal, rates 0. 甲: samples on 2 days (rate 2/21 = 9.5238 % → 9.52 %), an accompanied meal
    // on 1 (1/21 = 4.7619 % → 4.76 %) whose problem is still open; one light sample (2 September's 青菜).
    const v = await foodSafetyView(c, M);
    expect(v.rows.map((r) => [r.school_code, r.school_days, r.samples_rate_bp, r.days_without_samples, r.meals_without_sample, r.dishes_without_sample, r.light_samples, r.early_discards, r.companion_rate_bp, r.days_without_companion, r.rota_missed, r.open_followups])).toEqual([
      ['9002', 21, 0, 21, 0, 0, 0, 0, 0, 21, 0, 0],
      ['9003', 21, 0, 21, 0, 0, 0, 0, 0, 21, 0, 0],
      ['9001', 21, 952, 19, 0, 0, 1, 0, 476, 20, 0, 1],
    ]);
    expect(v.columns.find((x) => x.key === 'light_samples')?.header).toBe('留样不足');
    // The package carries kinds, dates and meals only: no names, no remarks.
    const data = JSON.parse(Buffer.from(readPkg(path.join(folder, '9001', '9001_2026-09_r1.canteen-pkg.json')).files['data.json'], 'base64').toString('utf8')) as PackageData;
    expect(data.foodSafety!.findings.filter((f) => f.kind === 'open_followup')).toEqual([{ kind: 'open_followup', date: '2026-09-01', meal: 'lunch' }]);
    expect(data.foodSafety!.findings.filter((f) => f.kind === 'light_sample')).toEqual([{ kind: 'light_sample', date: '2026-09-02', meal: 'lunch' }]);
    expect(JSON.stringify(data.foodSafety)).not.toMatch(/菜偏咸|王师傅|售完/);
    // The kind light_sample came with package schema version 3: the package is written at 3, and the same data
    // claiming version 2 (which a school could not have written) is refused whole, in words, importing nothing.
    expect(data.schemaVersion).toBe(3);
    const p = readPkg(path.join(folder, '9001', '9001_2026-09_r1.canteen-pkg.json'));
    const m = JSON.parse(p.manifest) as PackageManifest;
    const bytes = Buffer.from(`${JSON.stringify({ ...data, schemaVersion: 2, revision: 2 })}\n`);
    p.files['data.json'] = bytes.toString('base64');
    Object.assign(m, { schemaVersion: 2, revision: 2, files: m.files.map((f) => (f.name === 'data.json' ? { ...f, bytes: bytes.length, sha256: sha(bytes) } : f)) });
    Object.assign(p, { schemaVersion: 2, manifest: JSON.stringify(m) });
    p.signature = signWithInstallationKey(made[0].w.b.db, Buffer.from(p.manifest)).toString('base64');
    const dir = fs.mkdtempSync(path.join(folder, 'v2-light-'));
    fs.writeFileSync(path.join(dir, 'v2.canteen-pkg.json'), JSON.stringify(p));
    expect((await importFolder(c, dir, NOW())).map((o) => [o.status, o.message])).toEqual([['refused', '月度数据中的食品安全（留样、陪餐）记录格式无效']]);
    expect((await foodSafetyView(c, M)).rows.find((r) => r.school_code === '9001')?.light_samples).toBe(1);
  });

  it('结余率: each school\'s month against the limit, breaches first, highest rate first', async () => {
    const v = await surplusView(c, { month: M });
    expect(v.rows.map((r) => [r.school_code, r.income_fen, r.expense_fen, r.surplus_fen, r.surplus_rate_bp, r.surplus_limit_bp, r.breach, r.over_limit_month])).toEqual([
      ['9001', 74_600, 13_662, 60_938, 8169, 200, true, true],
      ['9002', 74_600, 14_395, 60_205, 8070, 200, true, true],
      ['9003', 74_600, 16_060, 58_540, 7847, 200, true, true],
    ]);
  });

  it('供应商: the distributor all three schools share, its amount and the widest spread of one item between them', async () => {
    // 城东农产品配送 delivers both September deliveries at every school; 闽江粮油 (licence without a date) delivered none.
    // Delivery totals: A 67.00 + 86.00, B 71.00 + 90.50, C 84.00 + 100.00 = 498.50. Spreads between the schools'
    // averages: 大米 (6.00 − 4.20) ÷ 4.20 = 42.857 % → 42.86 %; 猪肉 25.00 %; 白菜 8.33 %; 牛奶 1.67 %.
    const v = await supplierView(c, M);
    expect(v.rows).toEqual([
      // Lines: D1 大米 and 白菜 (2 kg of it rejected), D2 猪肉 and 牛奶 — 4 received, 1 rejected at each school: 3 of 12 = 25 %.
      { credit_code: creditCode('91350102MA2XYW001'), name: '城东农产品配送有限公司', schools: 3, deliveries: 6, amount_fen: 49_850, licence_problem: false, spread_item: '大米', spread_bp: 4286, received_lines: 12, rejected_lines: 3, rejection_rate_bp: 2500 },
    ]);
  });

  it('验收: every school\'s two deliveries signed by the same two inspectors — never rotated; one rejected line beside four accepted', async () => {
    const v = await inspectionView(c, M);
    // No parent witnessed either delivery at any school (the fixture names no witness).
    expect(v.rows.map((r) => [r.school_code, r.deliveries, r.unwitnessed, r.inspector_groups, r.top_group, r.top_share_bp, r.never_rotated, r.accepted_lines, r.rejected_lines])).toEqual([
      ['9001', 2, 2, 1, '张保管、李验收', 10_000, true, 4, 1],
      ['9002', 2, 2, 1, '张保管、李验收', 10_000, true, 4, 1],
      ['9003', 2, 2, 1, '张保管、李验收', 10_000, true, 4, 1],
    ]);
  });

  it('the comparison workbook reads back with exceljs: the views\' figures in yuan and the flags', async () => {
    const file = path.join(folder, '对比.xlsx');
    await writeViewsWorkbook([await submissionView(c, M), await surplusView(c, { month: M }), await priceView(c, M)], file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['报送情况（2026-09）', '结余率（2026-09）', '食材价格（2026-09）']);
    const price = wb.getWorksheet('食材价格（2026-09）')!;
    const header = price.getRow(2).values as unknown[];
    expect(header.slice(1, 4)).toEqual(['食材', '规格', '单位']);
    const first = price.getRow(3);
    const col = (h: string) => header.indexOf(h);
    expect([first.getCell(col('食材')).value, first.getCell(col('学校')).value, first.getCell(col('本校均价（元）')).value, first.getCell(col('全镇中位价（元）')).value, first.getCell(col('高于中位价超限')).value]).toEqual(['大米', '丙校', 6, 4.5, '是']);
    expect(first.getCell(col('本校均价（元）')).numFmt).toBe('"¥"#,##0.00');
    const sur = wb.getWorksheet('结余率（2026-09）')!;
    const sh = sur.getRow(2).values as unknown[];
    expect(sur.getRow(3).getCell(sh.indexOf('本月结余率')).value).toBe(0.8169);
    expect(sur.getRow(3).getCell(sh.indexOf('超限')).value).toBe('是');
    expect(price.pageSetup.paperSize).toBe(9);
  });

  it('LibreOffice opens the comparison workbook headless: the price sheet as CSV has the same figures', async () => {
    expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
    const file = path.join(folder, '对比.xlsx');
    const files = await convertWithSoffice(file, 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', path.join(folder, 'csv'));
    const price = parseCsv(fs.readFileSync(files.find((f) => f.endsWith('-食材价格（2026-09）.csv'))!, 'utf8'));
    expect(price[0][0]).toBe('食材价格（2026-09）');
    const header = price[1];
    const pick = (r: string[]) => ['食材', '学校', '本校均价（元）', '全镇中位价（元）', '最低（元）', '最高（元）', '高于中位价超限', '高于参考价超限'].map((h) => r[header.indexOf(h)]);
    // The cells' values (the CSV is not "as shown"): yuan.
    expect(pick(price[2])).toEqual(['大米', '丙校', '6', '4.5', '4.2', '6', '是', '否']);
    expect(pick(price[3])).toEqual(['猪肉', '丙校', '35', '30', '28', '35', '是', '是']);
    expect(price.length).toBe(14);
  });
});
