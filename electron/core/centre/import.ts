import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import { ApiError } from '../../../shared/errors.ts';
import { DATA_FILE, findingKindsOf, PACKAGE_FORMAT, READABLE_PACKAGE_VERSIONS, SCHOOL_CODE_RE, WORKBOOK_FILE, type PackageData, type PackageFile, type PackageFund, type PackageManifest } from '../package/schema.ts';
import { fingerprintOf, formatFingerprint, normalizeFingerprint, verifySignature } from '../package/signing-key.ts';
import { rows, type Centre } from './db.ts';
import { appendCentreAudit, digestLists, heldPackageRow } from './audit.ts';
import { purchaseSumLists } from './derived.ts';
import { noProgress, type ProgressReporter } from '../ledger/progress.ts';

/**
 * Enrolment and import at the centre (issue 18). A package is checked in full before anything is written — the
 * school is enrolled, the public key it carries is the enrolled fingerprint's, the signature covers the manifest, every
 * file has the manifest's size and SHA-256, the schema version is known, the data says what the manifest says, the
 * revision is newer than the one held — and then imported in one DuckDB transaction: whole, or not at all. The same
 * package again (same revision, same data) is "nothing to do", so importing a folder twice changes nothing.
 */

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const SUPPORTED = READABLE_PACKAGE_VERSIONS.join('、');

export async function enrolSchool(c: Centre, input: { code: string; name: string; fingerprint: string }, now: Date): Promise<{ code: string; name: string; fingerprint: string; replaced: boolean }> {
  const code = input.code.trim();
  const name = input.name.trim().normalize('NFC');
  if (!SCHOOL_CODE_RE.test(code)) throw new ApiError('VALIDATION', '学校代码应为 4–20 位数字或大写字母（如教育部学校标识码）');
  if (name.length < 1 || name.length > 60) throw new ApiError('VALIDATION', '请填写学校名称（最多 60 个字）');
  const fp = normalizeFingerprint(input.fingerprint);
  if (!fp) throw new ApiError('VALIDATION', '公钥指纹应为 64 位十六进制数字（登记表上 16 组、每组 4 位）');
  const held = await rows(c.conn, 'SELECT code FROM schools WHERE code = ?', [code]);
  // A school that lost its data folder made a new key: enrolling it again replaces the fingerprint (packages already
  // imported stay, they were checked against the key of their day).
  if (held.length) await c.conn.run('UPDATE schools SET name = ?, fingerprint = ?, enrolled_at = ? WHERE code = ?', [name, fp, now.toISOString(), code]);
  else await c.conn.run('INSERT INTO schools VALUES (?, ?, ?, ?)', [code, name, fp, now.toISOString()]);
  return { code, name, fingerprint: formatFingerprint(fp), replaced: held.length > 0 };
}

export type ImportStatus = 'imported' | 'unchanged' | 'refused';

export interface ImportOutcome {
  file: string;
  status: ImportStatus;
  schoolCode: string | null;
  month: string | null;
  revision: number | null;
  /** Chinese: what happened, or why the package was refused. */
  message: string;
}

class Refusal extends Error {}
const refuse = (message: string): never => {
  throw new Refusal(message);
};

interface Checked {
  manifest: PackageManifest;
  data: PackageData;
  manifestSha: string;
  dataSha: string;
  workbookSha: string;
}

/** Everything that can be checked without the database: the file's shape, the signature, the hashes, the data. */
function checkFile(file: string): Checked & { publicKey: string } {
  let pkg: PackageFile;
  try {
    pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as PackageFile;
  } catch {
    return refuse('不是上报包文件（无法按上报包格式读取）');
  }
  if (!pkg || typeof pkg !== 'object' || pkg.format !== PACKAGE_FORMAT || typeof pkg.manifest !== 'string' || typeof pkg.signature !== 'string' || typeof pkg.publicKey !== 'string' || !pkg.files || typeof pkg.files !== 'object') {
    refuse('不是上报包文件（缺少清单、签名或公钥）');
  }
  if (!READABLE_PACKAGE_VERSIONS.includes(pkg.schemaVersion)) refuse(`上报包数据格式版本 ${String(pkg.schemaVersion)} 本中心不支持（支持版本 ${SUPPORTED}），请升级中心软件`);
  if (!verifySignature(pkg.publicKey, Buffer.from(pkg.manifest, 'utf8'), pkg.signature)) refuse('签名无效：清单与签名不符（上报包在签名后被改动，或不是用包内公钥签发的）');
  const manifest = JSON.parse(pkg.manifest) as PackageManifest;
  if (manifest.schemaVersion !== pkg.schemaVersion) refuse(`清单的数据格式版本 ${String(manifest.schemaVersion)} 与上报包的版本 ${String(pkg.schemaVersion)} 不一致`);
  const content = new Map<string, Buffer>();
  for (const entry of manifest.files) {
    const b64 = pkg.files[entry.name];
    if (typeof b64 !== 'string') refuse(`清单中的文件 ${entry.name} 不在上报包中`);
    const bytes = Buffer.from(b64, 'base64');
    if (bytes.length !== entry.bytes || sha256(bytes) !== entry.sha256) refuse(`文件 ${entry.name} 与清单记录的哈希不符（内容在签名后被改动）`);
    content.set(entry.name, bytes);
  }
  for (const name of Object.keys(pkg.files)) if (!content.has(name)) refuse(`上报包中的文件 ${name} 不在签名的清单中`);
  const dataBytes = content.get(DATA_FILE);
  const workbook = content.get(WORKBOOK_FILE);
  if (!dataBytes || !workbook) refuse(`上报包缺少 ${DATA_FILE} 或 ${WORKBOOK_FILE}`);
  let data: PackageData;
  try {
    data = JSON.parse(dataBytes!.toString('utf8')) as PackageData;
  } catch {
    return refuse(`${DATA_FILE} 不是有效的 JSON`);
  }
  if (data.schemaVersion !== pkg.schemaVersion) refuse(`月度数据格式版本 ${String(data.schemaVersion)} 与上报包的版本 ${String(pkg.schemaVersion)} 不一致`);
  if (data.school?.code !== manifest.schoolCode || data.month !== manifest.month || data.revision !== manifest.revision || data.closedChecksum !== manifest.closedChecksum) {
    refuse('月度数据与清单不符（学校代码、月份、版本或校验码不一致）');
  }
  const dl = data.deliveries;
  if (dl !== undefined) {
    const ok = Array.isArray(dl) && dl.every((x) => typeof x?.receiptNo === 'string' && x.receiptNo !== '' && typeof x.date === 'string' && x.date.startsWith(`${manifest.month}-`) && typeof x.witnessed === 'boolean' &&
        typeof x.supplierCreditCode === 'string' && Number.isInteger(x.lines) && Number.isInteger(x.rejectedLines) && x.rejectedLines >= 0 && x.rejectedLines <= x.lines);
    if (!ok || new Set(dl.map((x) => x.receiptNo)).size !== dl.length) refuse('月度数据中的验收单列表格式无效');
  }
  const fsd = data.foodSafety;
  if (fsd !== undefined) {
    const kinds = findingKindsOf(data.schemaVersion);
    const ok =
      fsd !== null && typeof fsd === 'object' && Number.isInteger(fsd.schoolDays) && fsd.schoolDays >= 0 && fsd.schoolDays <= 31 && Array.isArray(fsd.findings) &&
      fsd.findings.every((f) => kinds.includes(f?.kind) && typeof f.date === 'string' && f.date.startsWith(`${manifest.month}-`) && (f.meal === null || ['breakfast', 'lunch', 'dinner'].includes(f.meal)));
    if (!ok) refuse('月度数据中的食品安全（留样、陪餐）记录格式无效');
  }
  const due = data.profile?.disclosureDeadlineDay;
  if (due !== undefined && !(Number.isInteger(due) && due >= 1 && due <= 28)) refuse('月度数据中的公示期限（次月几日前公示）无效');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(manifest.month) || !Number.isInteger(manifest.revision) || manifest.revision < 1) refuse('清单中的月份或版本无效');
  return { manifest, data, publicKey: pkg.publicKey, manifestSha: sha256(Buffer.from(pkg.manifest, 'utf8')), dataSha: sha256(dataBytes!), workbookSha: sha256(workbook!) };
}

const monthWords = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5))}月`;

/**
 * Checks one package against the centre and imports it whole, or says why not. Never throws for a bad package.
 * `named`: told the school and month once the file is read and its signature checked (the folder's progress line).
 */
export async function importPackage(c: Centre, file: string, now: Date, by: string | null = null, named?: (schoolName: string, month: string) => void): Promise<ImportOutcome> {
  const out: ImportOutcome = { file, status: 'refused', schoolCode: null, month: null, revision: null, message: '' };
  try {
    const k = checkFile(file);
    const m = k.manifest;
    named?.(m.schoolName, m.month);
    Object.assign(out, { schoolCode: m.schoolCode, month: m.month, revision: m.revision });
    const school = (await rows(c.conn, 'SELECT name, fingerprint FROM schools WHERE code = ?', [m.schoolCode]))[0];
    if (!school) refuse(`学校代码 ${m.schoolCode}（${m.schoolName}）未在本中心登记，上报包未导入；请先登记该校的学校代码、名称与公钥指纹`);
    const fp = fingerprintOf(Buffer.from(k.publicKey, 'base64'));
    if (fp !== school.fingerprint || m.keyFingerprint !== fp) {
      refuse(`签名无效：上报包的公钥指纹（${formatFingerprint(fp)}）不是中心为 ${school.name} 登记的指纹（${formatFingerprint(String(school.fingerprint))}）`);
    }
    const held = await rows(c.conn, 'SELECT revision, data_sha256, closed_checksum FROM packages WHERE school_code = ? AND month = ? ORDER BY revision DESC', [m.schoolCode, m.month]);
    const latest = held[0];
    const what = `${school.name}${monthWords(m.month)}`;
    if (latest && m.revision < Number(latest.revision)) refuse(`${what}已导入第 ${latest.revision} 版，此包是较早的第 ${m.revision} 版，未导入`);
    if (latest && m.revision === Number(latest.revision)) {
      if (latest.data_sha256 === k.dataSha && latest.closed_checksum === m.closedChecksum) {
        return { ...out, status: 'unchanged', message: `${what}第 ${m.revision} 版已导入，内容相同，无需重复导入` };
      }
      refuse(`${what}第 ${m.revision} 版已导入，此包同一版本的内容却不同（校验码 ${m.closedChecksum.slice(0, 16)}），未导入；请学校核实`);
    }
    await writePackage(c, k, path.basename(file), now, by);
    const sup = m.supersedes ? `，取代第 ${m.supersedes.revision} 版（反结账理由：${m.supersedes.reopenReason}）` : '';
    return { ...out, status: 'imported', message: `${what}第 ${m.revision} 版已导入${sup}` };
  } catch (e) {
    if (e instanceof Refusal) return { ...out, message: e.message };
    return { ...out, message: `导入失败，未导入：${(e as Error).message}` };
  }
}

/**
 * Every *.canteen-pkg.json in a folder (not below it), in name order, each in its own transaction (importPackage).
 * Progress (issue 19): before each package `report` says how far the folder is (`3/120 城关一小 2026-10` once the
 * package is named, packages done of all), and the event loop gets a turn there, so the window's poll is answered
 * while a town's year imports. A cancel (the reporter throws `Cancelled`) stops before the next package: the packages
 * already imported stay, and the error says in Chinese how many were imported and that the rest were not.
 */
export async function importFolder(c: Centre, dir: string, now: Date, by: string | null = null, report: ProgressReporter = noProgress): Promise<ImportOutcome[]> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new ApiError('NOT_FOUND', `找不到文件夹 ${dir}`);
  const files = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.canteen-pkg.json'))
    .sort();
  const n = files.length;
  const out: ImportOutcome[] = [];
  let step = `共 ${n} 个上报包`;
  for (let i = 0; i < n; i++) {
    try {
      report(step, i, n);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'CANCELLED') throw new ApiError('CANCELLED', cancelledText(out, n));
      throw e;
    }
    await new Promise((r) => setImmediate(r));
    // Named by its file until its manifest is read (a file that is no package has no school to name).
    step = `${i + 1}/${n} ${files[i]}`;
    const outcome = await importPackage(c, path.join(dir, files[i]), now, by, (school, month) => {
      step = `${i + 1}/${n} ${school} ${month}`;
      try {
        report(step, i, n);
      } catch {
        // A cancel asked meanwhile: this package goes on to its end (its own transaction); the next report stops.
      }
    });
    out.push(outcome);
  }
  return out;
}

/** What a cancelled folder import says: how many of its packages went in, and that the rest did not. */
function cancelledText(done: ImportOutcome[], total: number): string {
  const count = (s: ImportStatus) => done.filter((o) => o.status === s).length;
  const imported = count('imported');
  const rest = `其余 ${total - done.length} 个未导入`;
  const kept = imported ? '；已导入的上报包保留，再次导入该文件夹会接着导入其余的' : '；再次导入该文件夹即可接着导入';
  if (imported === done.length) return `导入上报包已取消：已导入 ${imported} 个上报包，${rest}${kept}`;
  const parts = [`已导入 ${imported} 个`, count('unchanged') ? `无需导入 ${count('unchanged')} 个` : '', count('refused') ? `已拒收 ${count('refused')} 个` : ''].filter(Boolean);
  return `导入上报包已取消：已处理 ${done.length} 个上报包（${parts.join('，')}），${rest}${kept}`;
}

function fundValues(f: PackageFund): DuckDBValue[] {
  return [
    f.previousBalanceFen, f.feesCollectedFen, f.refundsFen, f.feeNetFen, f.subsidyFen, f.otherIncomeFen, f.incomeFen, f.foodExpenseFen,
    f.expenseFen, f.surplusFen, f.cumulativeSurplusFen, f.surplusRateBp, f.mealDays, f.avgCostFen, f.foodShareBp,
  ];
}

/** The packages row of one package, in the table's column order. */
function packageRow(k: Checked, fileName: string, now: Date): DuckDBValue[] {
  const { manifest: m, data: d } = k;
  return [
    m.schoolCode, m.month, m.revision, m.schemaVersion, m.schoolName, m.closedChecksum, m.closedAt, m.createdAt, now.toISOString(), fileName, k.manifestSha, k.dataSha, k.workbookSha,
    m.supersedes?.revision ?? null, m.supersedes?.closedChecksum ?? null, m.supersedes?.reopenReason ?? null,
    d.profile.usesStoreroom, d.profile.surplusLimitBp, d.profile.surplusPeriod, d.profile.priceToleranceBp,
    d.surplusPeriod.from, d.surplusPeriod.to, d.surplusPeriod.incomeFen, d.surplusPeriod.surplusFen, d.surplusPeriod.rateBp, d.surplusPeriod.breach,
    d.profile.disclosureDeadlineDay ?? null,
    d.foodSafety?.schoolDays ?? null,
  ];
}

/**
 * Every list of one package as the rows it writes, table by table, each row in its table's column order after the
 * key (school_code, month, revision). The import appends these in one transaction; the benchmark's bulk load
 * (`openBulkLoad`) appends exactly the same rows, so a bulk-filled centre holds what importing would have written.
 */
function packageLists(k: Checked): [table: string, list: DuckDBValue[][]][] {
  const d = k.data;
  const lines: DuckDBValue[][] = [];
  for (const [period, f] of [['month', d.fund.month], ['ytd', d.fund.yearToDate]] as const) {
    for (const [cat, v] of Object.entries(f.expenseByCategoryFen)) lines.push([period, 'category', cat, v]);
    for (const [kind, v] of Object.entries(f.nonFoodFen)) lines.push([period, 'non_food', kind, v ?? 0]);
  }
  return [
    ['fund', [['month', ...fundValues(d.fund.month)], ['ytd', ...fundValues(d.fund.yearToDate)]]],
    ['fund_lines', lines],
    ['categories', d.categories.map((x) => [x.category, x.purchasedFen, x.expenseFen, x.openingFen, x.adjustmentsFen, x.closingFen])],
    ['purchases', d.purchases.map((p, i) => [i + 1, p.date, p.receiptNo, p.item, p.spec, p.unit, p.qtyMilli, p.unitPriceFen, p.amountFen, p.supplier, p.supplierCreditCode, p.inspectors.join('、'), p.note])],
    ['rejected', d.rejected.map((r, i) => [i + 1, r.item, r.unit, r.qtyMilli, r.reason, r.disposition])],
    ['prices', d.prices.map((p) => [p.item, p.category, p.unit, p.qtyMilli, p.amountFen, p.referencePriceFen, p.previousAvgPriceFen])],
    ['suppliers', d.suppliers.map((s) => [s.name, s.creditCode, s.licenceNo, s.licenceValidUntil, s.deliveries, s.amountFen, s.certificates])],
    ['subsidy', d.subsidy.map((s) => [s.className, s.students, s.days, s.studentDays, s.rateFen, s.amountFen])],
    ['deliveries', (d.deliveries ?? []).map((x) => [x.receiptNo, x.date, x.witnessed, x.supplierCreditCode, x.lines, x.rejectedLines])],
    ['food_safety_findings', (d.foodSafety?.findings ?? []).map((f, i) => [i + 1, f.kind, f.date, f.meal])],
    ['refunds', d.refunds.map((r, i) => [i + 1, r.className, r.days, r.amountFen, r.reason, r.appliedOn, r.approvedOn, r.paidOn, r.status, r.earlier])],
    // Derived (schema 8, derived.ts): the lines summed by item and by item and supplier, for 食材价格 and 供应商.
    ...purchaseSumLists(d),
  ];
}

type Appender = Awaited<ReturnType<Centre['conn']['createAppender']>>;

/** One row into an appender, value by value in the table's column order. */
function appendRow(a: Appender, values: DuckDBValue[]): void {
  for (const x of values) {
    if (x === null || x === undefined) a.appendNull();
    else if (typeof x === 'string') a.appendVarchar(x);
    else if (typeof x === 'boolean') a.appendBoolean(x);
    else if (typeof x === 'number' && Number.isInteger(x)) a.appendBigInt(BigInt(x));
    else a.appendValue(x);
  }
  a.endRow();
}

/**
 * One transaction: the package's row, every list and the centre's audit entry for them (audit.ts: who imported it,
 * the package row with the package's own hashes, each table's count and digest as written), or nothing. `by` is the
 * centre user (null when called outside the dispatcher, as tests of the import do).
 */
async function writePackage(c: Centre, k: Checked, fileName: string, now: Date, by: string | null): Promise<void> {
  const { manifest: m } = k;
  const key: DuckDBValue[] = [m.schoolCode, m.month, m.revision];
  const conn = c.conn;
  // DuckDB's appender, row by row into the table's columns in order: a month of 2,000 purchase lines goes in as one
  // chunk, not 2,000 statements. Its rows are the transaction's: a failing flush rolls back with everything else.
  const many = async (table: string, list: DuckDBValue[][]) => {
    if (!list.length) return;
    const a = await conn.createAppender(table);
    try {
      for (const v of list) appendRow(a, [...key, ...v]);
      a.flushSync();
    } finally {
      a.closeSync();
    }
  };
  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(`INSERT INTO packages VALUES (${Array(28).fill('?').join(', ')})`, packageRow(k, fileName, now));
    const lists = packageLists(k);
    for (const [table, list] of lists) await many(table, list);
    const k3: [string, string, number] = [m.schoolCode, m.month, m.revision];
    await appendCentreAudit(conn, {
      at: now.toISOString(),
      username: by,
      action: 'package.import',
      subject: `${m.schoolCode} ${m.month} 第${m.revision}版`,
      // The rows as appended (digestLists: no read back), the package row as held (its one row).
      detail: { package: await heldPackageRow(conn, k3), tables: digestLists(lists) },
    });
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

/** What the bulk load takes for a package: what the import's checks produce from its file. */
export type CheckedPackage = Checked;

/**
 * The benchmark's bulk load (scripts/bench/centre.ts, a city's year): packages already known good (generated in the
 * same process) appended through one appender per table kept open across packages — no file, no signature, no
 * transaction per package — writing exactly the rows `importPackage` would (packageRow and packageLists are the
 * import's). Not for packages people bring: nothing is checked. test/core/centre-bulk.test.ts proves the views over
 * a bulk-filled centre equal those over an imported one.
 */
export async function openBulkLoad(c: Centre): Promise<{ add(k: CheckedPackage, fileName: string, now: Date): void; close(): void }> {
  const tables = ['packages', 'fund', 'fund_lines', 'categories', 'purchases', 'rejected', 'prices', 'suppliers', 'subsidy', 'deliveries', 'food_safety_findings', 'refunds', 'purchase_items', 'purchase_item_suppliers'];
  const appenders = new Map<string, Appender>();
  for (const t of tables) appenders.set(t, await c.conn.createAppender(t));
  return {
    add(k, fileName, now) {
      const key: DuckDBValue[] = [k.manifest.schoolCode, k.manifest.month, k.manifest.revision];
      appendRow(appenders.get('packages')!, packageRow(k, fileName, now));
      for (const [table, list] of packageLists(k)) {
        const a = appenders.get(table)!;
        for (const v of list) appendRow(a, [...key, ...v]);
      }
    },
    close() {
      for (const a of appenders.values()) {
        a.flushSync();
        a.closeSync();
      }
    },
  };
}
