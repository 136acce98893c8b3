import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PackageResult } from '../../../../shared/api/monthclose.ts';
import type { PurchaseLine } from '../../../../shared/disclosure.ts';
import { CATEGORIES } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import type { Ctx } from '../../context.ts';
import { deriveFund, subsidyAmountFen } from '../../disclosure/derive.ts';
import { writeDisclosureWorkbook } from '../../disclosure/index.ts';
import { lastDayOfMonth, monthWords } from '../../ledger/clock.ts';
import { sampleFindings } from '../foodsafety/samples.ts';
import { mealFindings } from '../foodsafety/meals.ts';
import { DATA_FILE, PACKAGE_FORMAT, PACKAGE_SCHEMA_VERSION, WORKBOOK_FILE, packageFileName, type PackageData, type PackageFile, type PackageManifest, type PackagePurchase } from '../../package/schema.ts';
import { ensureIdentity, existingIdentity, formatFingerprint, needCode, signWithInstallationKey } from '../../package/signing-key.ts';
import { profileFor } from '../people/index.ts';
import { disclosureData } from './disclosure.ts';
import { fundSummary, newFiguresMemo, type FiguresMemo } from '../../ledger/month-figures.ts';

/**
 * The month package (上报包, issue 18) of a closed month: the disclosure workbook as the export writes it, the month's
 * data (package/schema.ts, docs/PACKAGE.md) from the same DisclosureData the workbook is written from — so the
 * centre's figures are the published ones —, the close's checksum, a manifest of SHA-256 hashes and the installation's
 * Ed25519 signature over the manifest (the key is the ledger's, signing_keys). One file per school, month and revision;
 * a later revision names the close it supersedes. Built in two steps, as a prepared writing method: the data and the
 * workbook before the transaction, the key (made on first use) and the signed file inside it.
 */

interface CloseEvent {
  kind: 'submit' | 'close' | 'reopen';
  revision: number;
  reason: string;
  checksum: string | null;
  created_at: string;
}

function closeEvents(ctx: Ctx, m: string): CloseEvent[] {
  return ctx.db.prepare('SELECT kind, revision, reason, checksum, created_at FROM month_close_events WHERE month = ? ORDER BY seq').all(m) as CloseEvent[];
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** The month's data as the package carries it. `checkRecomputed` runs inside the figures memo, before reading. */
export function packageData(ctx: Ctx, m: string, revision: number, checksumHex: string, schoolCode: string, memo: FiguresMemo = newFiguresMemo()): PackageData {
  const d = disclosureData(ctx, m, revision, checksumHex, memo);
  const summary = fundSummary(ctx, m);
  const profile = profileFor(ctx, m);
  const monthFund = deriveFund(d.monthFigures, d.allowedNonFood);
  const creditCodes = new Map(d.suppliers.map((s) => [s.name, s.creditCode]));
  const purchases: PackagePurchase[] = [];
  // Frozen lists are arrays; a month closed before they were recorded reads its lines live (a synchronous cursor).
  for (const p of d.purchases as Iterable<PurchaseLine>) {
    purchases.push({
      date: p.date,
      receiptNo: p.receiptNo,
      item: p.item,
      spec: p.spec,
      unit: p.unit,
      qtyMilli: p.qtyMilli,
      unitPriceFen: p.unitPriceFen,
      amountFen: p.amountFen,
      supplier: p.supplier,
      supplierCreditCode: creditCodes.get(p.supplier) ?? '',
      inspectors: p.inspectors ? p.inspectors.split('、') : [],
      note: p.note,
    });
  }
  const costs = new Map(d.categoryCosts.map((c) => [c.category, c]));
  return {
    schemaVersion: PACKAGE_SCHEMA_VERSION,
    school: { code: schoolCode, name: d.schoolName },
    month: m,
    revision,
    closedChecksum: checksumHex,
    profile: { usesStoreroom: d.usesStoreroom, allowedNonFood: d.allowedNonFood, surplusLimitBp: d.surplusLimitBp, surplusPeriod: d.surplusPeriod, priceToleranceBp: profile.priceToleranceBp, disclosureDeadlineDay: profile.disclosureDeadlineDay },
    fund: { month: monthFund, yearToDate: deriveFund(d.yearToDate, d.allowedNonFood) },
    surplusPeriod: {
      kind: summary.period.kind,
      from: summary.period.from,
      to: summary.period.to,
      incomeFen: summary.period.incomeFen,
      surplusFen: summary.period.surplusFen,
      rateBp: summary.period.rateBp,
      limitBp: summary.period.limitBp,
      breach: summary.period.breach,
    },
    categories: CATEGORIES.map((c) => {
      const cost = d.usesStoreroom ? costs.get(c) : undefined;
      return {
        category: c,
        purchasedFen: summary.current.purchasedByCategoryFen[c],
        expenseFen: monthFund.expenseByCategoryFen[c],
        openingFen: cost?.openingFen ?? null,
        adjustmentsFen: cost?.adjustmentsFen ?? null,
        closingFen: cost?.closingFen ?? null,
      };
    }),
    purchases,
    rejected: d.rejected.map((r) => ({ item: r.item, unit: r.unit, qtyMilli: r.qtyMilli, reason: r.reason, disposition: r.disposition })),
    prices: d.prices.map((p) => ({ item: p.item, category: p.category, unit: p.unit, qtyMilli: p.qtyMilli, amountFen: p.amountFen, referencePriceFen: p.referencePriceFen, previousAvgPriceFen: p.previousAvgPriceFen })),
    suppliers: d.suppliers.map((s) => ({ ...s })),
    subsidy: d.subsidy.map((s) => ({ className: s.className, students: s.students, days: s.days, studentDays: s.studentDays, rateFen: s.rateFen, amountFen: subsidyAmountFen(s) })),
    deliveries: (
      ctx.db
        .prepare(
          `SELECT d.number, d.delivery_date, d.witness_user_id IS NOT NULL OR d.witness_name <> '' AS witnessed, s.credit_code,
             (SELECT count(*) FROM delivery_lines l WHERE l.delivery_id = d.id) AS lines,
             (SELECT count(*) FROM delivery_lines l WHERE l.delivery_id = d.id AND l.rejected_milli > 0) AS rejected_lines
           FROM deliveries d JOIN suppliers s ON s.id = d.supplier_id
           WHERE d.delivery_date BETWEEN ? AND ? AND d.status = 'posted' ORDER BY d.delivery_date, d.number`,
        )
        .all(`${m}-01`, lastDayOfMonth(m)) as { number: string; delivery_date: string; witnessed: number; credit_code: string; lines: number; rejected_lines: number }[]
    ).map((x) => ({ receiptNo: x.number, date: x.delivery_date, witnessed: x.witnessed === 1, supplierCreditCode: x.credit_code, lines: x.lines, rejectedLines: x.rejected_lines })),
    foodSafety: {
      schoolDays: (ctx.db.prepare('SELECT count(*) AS n FROM school_days WHERE day BETWEEN ? AND ?').get(`${m}-01`, lastDayOfMonth(m)) as { n: number }).n,
      findings: [...sampleFindings(ctx, m), ...mealFindings(ctx, m)].map((f) => ({ kind: f.kind, date: f.date, meal: f.meal })),
    },
    refunds: d.refunds.map((r) => ({
      className: r.className,
      days: r.days,
      amountFen: r.amountFen,
      reason: r.reason,
      appliedOn: r.appliedOn,
      approvedOn: r.approvedOn ?? null,
      paidOn: r.paidOn,
      status: r.status ?? (r.paidOn === null ? 'pending' : 'paid'),
      earlier: r.earlier ?? false,
    })),
  };
}

/** What `prepareMonthPackage` reads and builds before the transaction: the data, the workbook, the close. */
export interface PreparedPackage {
  month: string;
  outDir: string;
  /** The school code the package is for: the installation key's, or the one given to make the key with. */
  schoolCode: string;
  close: CloseEvent;
  supersedes: PackageManifest['supersedes'];
  dataBytes: Buffer;
  schoolName: string;
  workbook: Buffer;
}

/**
 * Reads and builds the package of a closed month (a writing method's `prepare`: nothing is written to the ledger).
 * `assertUnchanged` is the export's check that the ledger still gives the closed month's checksum.
 */
export async function prepareMonthPackage(
  ctx: Ctx,
  m: string,
  outDir: string,
  opts: { schoolCode?: string; assertUnchanged: (memo: FiguresMemo) => void },
): Promise<PreparedPackage> {
  if (!ctx.dataDir) throw new ApiError('VALIDATION', '内存中的账本没有数据文件夹，不能生成上报包');
  const ev = closeEvents(ctx, m);
  const closed = ctx.db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(m) !== undefined;
  const close = [...ev].reverse().find((e) => e.kind === 'close');
  if (!closed || !close || !close.checksum) throw new ApiError('RULE', `${monthWords(m)}尚未月结，审核通过后才能生成上报包`);
  // The key is made (or taken in from files kept before migration 0027) in the transaction; here only its code.
  const existing = existingIdentity(ctx.db, ctx.dataDir);
  if (existing && opts.schoolCode !== undefined && opts.schoolCode !== existing.schoolCode) {
    throw new ApiError('CONFLICT', `本机的签名密钥是为学校代码 ${existing.schoolCode} 生成的，不能用于学校代码 ${opts.schoolCode}`);
  }
  const schoolCode = existing?.schoolCode ?? opts.schoolCode;
  if (schoolCode === undefined) throw needCode();
  // One memo for the check, the data and the workbook: each needs the month's closeFigures, computed once.
  const memo = newFiguresMemo();
  opts.assertUnchanged(memo);
  const data = packageData(ctx, m, close.revision, close.checksum, schoolCode, memo);
  // The workbook exactly as export-month writes it, through a scratch folder of our own.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), `canteen-pkg-${process.pid}-`));
  let workbook: Buffer;
  try {
    const d = disclosureData(ctx, m, close.revision, close.checksum, memo);
    const file = await writeDisclosureWorkbook(d, profileFor(ctx, m).disclosureLayout, path.join(scratch, WORKBOOK_FILE));
    workbook = fs.readFileSync(file);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  let supersedes: PackageManifest['supersedes'] = null;
  if (close.revision > 1) {
    const before = [...ev].reverse().find((e) => e.kind === 'close' && e.revision === close.revision - 1);
    const reopen = [...ev].reverse().find((e) => e.kind === 'reopen' && e.revision === close.revision - 1);
    supersedes = { revision: close.revision - 1, closedChecksum: before?.checksum ?? '', reopenReason: reopen?.reason ?? '' };
  }
  return { month: m, outDir, schoolCode, close, supersedes, dataBytes: Buffer.from(`${JSON.stringify(data)}\n`, 'utf8'), schoolName: data.school.name, workbook };
}

/**
 * Signs and writes the prepared package (a writing method's `run`, inside the transaction): the installation's key is
 * made here on first use, in the ledger with its audit entry (so backups carry it).
 */
export function finishMonthPackage(ctx: Ctx, p: PreparedPackage): PackageResult {
  const { identity } = ensureIdentity(ctx, p.schoolCode);
  const { close, month: m, dataBytes, workbook } = p;
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT,
    schemaVersion: PACKAGE_SCHEMA_VERSION,
    schoolCode: identity.schoolCode,
    schoolName: p.schoolName,
    month: m,
    revision: close.revision,
    closedChecksum: close.checksum!,
    closedAt: close.created_at,
    supersedes: p.supersedes,
    createdAt: ctx.now().toISOString(),
    keyFingerprint: identity.fingerprint,
    files: [
      { name: DATA_FILE, bytes: dataBytes.length, sha256: sha256(dataBytes) },
      { name: WORKBOOK_FILE, bytes: workbook.length, sha256: sha256(workbook) },
    ],
  };
  const manifestText = JSON.stringify(manifest);
  const pkg: PackageFile = {
    format: PACKAGE_FORMAT,
    schemaVersion: PACKAGE_SCHEMA_VERSION,
    manifest: manifestText,
    signature: signWithInstallationKey(ctx.db, Buffer.from(manifestText, 'utf8')).toString('base64'),
    publicKey: identity.publicKey,
    files: { [DATA_FILE]: dataBytes.toString('base64'), [WORKBOOK_FILE]: workbook.toString('base64') },
  };
  fs.mkdirSync(p.outDir, { recursive: true });
  const out = path.join(p.outDir, packageFileName(identity.schoolCode, m, close.revision));
  const tmp = `${out}.${process.pid}.partial`;
  fs.writeFileSync(tmp, `${JSON.stringify(pkg)}\n`);
  fs.renameSync(tmp, out);
  return {
    file: out,
    schoolCode: identity.schoolCode,
    month: m,
    revision: close.revision,
    supersedesRevision: p.supersedes?.revision ?? null,
    checksumHex: close.checksum!,
    fingerprint: formatFingerprint(identity.fingerprint),
  };
}
