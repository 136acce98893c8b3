/**
 * The centre benchmark's synthetic month packages (issue 18), shared by scripts/bench/centre.ts and
 * test/core/centre-bulk.test.ts. School ledgers take minutes a month to build, a town's ten years would take days, so
 * the packages are made directly in the schema's shape (electron/core/package/schema.ts) with the sizes of real ones:
 * purchase lines drawn from 60 items at prices scattered around a reference, 8 suppliers of 40 in the town, 30
 * deliveries (验收单) of 20 lines with rotating inspector pairs and parents witnessing most, a few 留样/陪餐 findings, a
 * workbook of 60 KB (random bytes: it is only hashed). Each school signs with its own Ed25519 key.
 *
 * `sealPackage` gives both what a school sends (the signed file) and what the import's checks make of it (the
 * manifest, data and hashes the centre stores): the import reads the first, the bulk load takes the second.
 */
import crypto from 'node:crypto';
import type { CheckedPackage } from '../../electron/core/centre/import.ts';
import { CATEGORIES } from '../../shared/domain.ts';
import { DATA_FILE, FOOD_SAFETY_FINDING_KINDS, PACKAGE_FORMAT, PACKAGE_SCHEMA_VERSION, WORKBOOK_FILE, type PackageData, type PackageFile, type PackageFund, type PackageManifest } from '../../electron/core/package/schema.ts';
import { fingerprintOf } from '../../electron/core/package/signing-key.ts';

export interface BenchSchool {
  code: string;
  name: string;
  key: crypto.KeyObject;
  pub: Buffer;
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** Month i of the run, from 2017-01. */
export const monthOf = (i: number) => {
  const y = 2017 + Math.floor(i / 12);
  return `${y}-${String((i % 12) + 1).padStart(2, '0')}`;
};

export const ITEMS = Array.from({ length: 60 }, (_, i) => ({ item: `食材${String(i + 1).padStart(2, '0')}`, spec: i % 3 === 0 ? '一级' : '', unit: i % 5 === 0 ? '盒' : 'kg', ref: 200 + ((i * 137) % 3000) }));
const SUPPLIERS = Array.from({ length: 40 }, (_, i) => ({ name: `供应商${i + 1}有限公司`, code: `91330100MA${String(100000 + i).padStart(8, '0')}` }));

export function benchSchools(n: number): BenchSchool[] {
  return Array.from({ length: n }, (_, i) => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    return { code: `21350${String(i + 1).padStart(5, '0')}`, name: `第${i + 1}小学`, key: privateKey, pub: publicKey.export({ format: 'der', type: 'spki' }) };
  });
}

function fund(income: number, expense: number): PackageFund {
  const byCat = Object.fromEntries(CATEGORIES.map((c, i) => [c, i === 0 ? expense : 0])) as PackageFund['expenseByCategoryFen'];
  return {
    previousBalanceFen: 0, feesCollectedFen: income, refundsFen: 0, feeNetFen: income, subsidyFen: 0, otherIncomeFen: 0, incomeFen: income,
    expenseByCategoryFen: byCat, nonFoodFen: {}, foodExpenseFen: expense, expenseFen: expense, surplusFen: income - expense,
    cumulativeSurplusFen: income - expense, surplusRateBp: income ? Math.round(((income - expense) * 10_000) / income) : null, mealDays: 2000, avgCostFen: Math.round(expense / 2000), foodShareBp: null,
  };
}

/** One school's month: `lines` purchase lines, 20 to a delivery. */
export function makePackageData(school: BenchSchool, m: string, rnd: () => number, lines: number, revision = 1): PackageData {
  const sup = Array.from({ length: 8 }, (_, i) => SUPPLIERS[(Number(school.code.slice(-3)) * 7 + i * 5) % SUPPLIERS.length]);
  const pairs = rnd() < 0.1 ? [['张三', '李四']] : [['张三', '李四'], ['王五', '李四'], ['赵六', '王五']];
  const purchases = Array.from({ length: lines }, (_, i) => {
    const it = ITEMS[Math.floor(rnd() * ITEMS.length)];
    const s = sup[i % sup.length];
    const price = Math.max(1, Math.round(it.ref * (0.85 + rnd() * 0.35)));
    const qty = 1000 * (1 + Math.floor(rnd() * 20));
    const receipt = Math.floor(i / 20);
    return {
      date: `${m}-${String(1 + (receipt % 28)).padStart(2, '0')}`, receiptNo: `YS${m.replace('-', '')}${String(receipt).padStart(4, '0')}`,
      item: it.item, spec: it.spec, unit: it.unit, qtyMilli: qty, unitPriceFen: price, amountFen: Math.round((qty * price) / 1000),
      supplier: s.name, supplierCreditCode: s.code, inspectors: pairs[receipt % pairs.length], note: '',
    };
  });
  const deliveries = Array.from({ length: Math.ceil(lines / 20) }, (_, r) => ({
    receiptNo: `YS${m.replace('-', '')}${String(r).padStart(4, '0')}`, date: `${m}-${String(1 + (r % 28)).padStart(2, '0')}`, witnessed: rnd() < 0.8,
    supplierCreditCode: sup[r % sup.length].code, lines: Math.min(20, lines - r * 20), rejectedLines: rnd() < 0.1 ? 1 : 0,
  }));
  const findings = Array.from({ length: Math.floor(rnd() * 4) }, () => ({
    kind: FOOD_SAFETY_FINDING_KINDS[Math.floor(rnd() * FOOD_SAFETY_FINDING_KINDS.length)], date: `${m}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`, meal: 'lunch' as const,
  }));
  const expense = purchases.reduce((t, p) => t + p.amountFen, 0);
  const income = Math.round(expense * (0.97 + rnd() * 0.06));
  return {
    schemaVersion: PACKAGE_SCHEMA_VERSION, school: { code: school.code, name: school.name }, month: m, revision, closedChecksum: sha(Buffer.from(`${school.code}${m}${revision}`)),
    profile: { usesStoreroom: false, allowedNonFood: [], surplusLimitBp: 200, surplusPeriod: 'term', priceToleranceBp: 1000, disclosureDeadlineDay: 15 },
    fund: { month: fund(income, expense), yearToDate: fund(income * 6, expense * 6) },
    surplusPeriod: { kind: 'term', from: m, to: m, incomeFen: income, surplusFen: income - expense, rateBp: Math.round(((income - expense) * 10_000) / income), limitBp: 200, breach: income - expense > income * 0.02 },
    categories: CATEGORIES.map((c, i) => ({ category: c, purchasedFen: i === 0 ? expense : 0, expenseFen: i === 0 ? expense : 0, openingFen: null, adjustmentsFen: null, closingFen: null })),
    purchases,
    rejected: [{ item: ITEMS[0].item, unit: 'kg', qtyMilli: 2000, reason: '部分腐烂', disposition: '当场退回' }],
    prices: ITEMS.slice(0, 40).map((it) => ({ item: it.item, category: 'grain' as const, unit: it.unit, qtyMilli: 10_000, amountFen: it.ref * 10, referencePriceFen: it.ref, previousAvgPriceFen: null })),
    suppliers: sup.map((s, i) => ({ name: s.name, creditCode: s.code, licenceNo: 'JY1330100', licenceValidUntil: i === 7 && rnd() < 0.2 ? '2017-01-31' : '2030-12-31', deliveries: 10, amountFen: Math.round(expense / 8), certificates: 20 })),
    subsidy: Array.from({ length: 12 }, (_, i) => ({ className: `${i + 1}班`, students: 40, days: 20, studentDays: 800, rateFen: 500, amountFen: 400_000 })),
    refunds: [{ className: '1班', days: 3, amountFen: 1800, reason: '请假', appliedOn: `${m}-10`, approvedOn: `${m}-11`, paidOn: `${m}-12`, status: 'paid', earlier: false }],
    deliveries,
    foodSafety: { schoolDays: 20, findings },
  };
}

/**
 * The package of `data`: the signed file a school sends (when `sign`), and what the import's checks make of that
 * file — manifest, data and the three SHA-256 the centre stores. A revision above 1 says it supersedes the one before.
 */
export function sealPackage(school: BenchSchool, data: PackageData, sign: boolean): { checked: CheckedPackage; file: PackageFile | null } {
  const dataBytes = Buffer.from(`${JSON.stringify(data)}\n`);
  const workbook = crypto.randomBytes(60_000);
  const m = data.month;
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT, schemaVersion: PACKAGE_SCHEMA_VERSION, schoolCode: school.code, schoolName: school.name, month: m, revision: data.revision,
    closedChecksum: data.closedChecksum, closedAt: `${m}-28T02:00:00.000Z`,
    supersedes: data.revision > 1 ? { revision: data.revision - 1, closedChecksum: sha(Buffer.from(`${school.code}${m}${data.revision - 1}`)), reopenReason: '补录漏记的采购' } : null,
    createdAt: `${m}-28T03:00:00.000Z`, keyFingerprint: fingerprintOf(school.pub),
    files: [{ name: DATA_FILE, bytes: dataBytes.length, sha256: sha(dataBytes) }, { name: WORKBOOK_FILE, bytes: workbook.length, sha256: sha(workbook) }],
  };
  const text = JSON.stringify(manifest);
  const checked: CheckedPackage = { manifest, data, manifestSha: sha(Buffer.from(text, 'utf8')), dataSha: sha(dataBytes), workbookSha: sha(workbook) };
  if (!sign) return { checked, file: null };
  return {
    checked,
    file: {
      format: PACKAGE_FORMAT, schemaVersion: PACKAGE_SCHEMA_VERSION, manifest: text, signature: crypto.sign(null, Buffer.from(text), school.key).toString('base64'),
      publicKey: school.pub.toString('base64'), files: { [DATA_FILE]: dataBytes.toString('base64'), [WORKBOOK_FILE]: workbook.toString('base64') },
    },
  };
}
