import type { Category, NonFoodExpense } from '../../../shared/domain.ts';
import type { FundSummary } from '../../../shared/disclosure.ts';

/**
 * The month package (上报包, issue 18) as data: what a school sends its town's centre for one closed month, and what
 * a province's platform could read too. docs/PACKAGE.md documents every field; a change of shape is a new
 * PACKAGE_SCHEMA_VERSION (the centre refuses versions it does not know, by name). Money in integer fen, quantities in
 * integer thousandths of their unit, rates in basis points (1 % = 100), dates 'YYYY-MM-DD' (China), months 'YYYY-MM'.
 */
export const PACKAGE_SCHEMA_VERSION = 3;
/**
 * The versions the centre reads: 1 (the first build's) lacks `profile.disclosureDeadlineDay`, `foodSafety` and
 * `deliveries`; 2 has them; 3 may carry the finding kind `light_sample` (a sample recorded under the least weight with
 * its reason, ledger migration 0028), which a centre that reads only 1 and 2 would refuse as a malformed list — so a
 * centre too old for it says 请升级中心软件 by the version instead.
 */
export const READABLE_PACKAGE_VERSIONS: readonly number[] = [1, 2, 3];
export const PACKAGE_FORMAT = 'canteen-month-package';
/** The file names inside a package (manifest.files), fixed so a reader never trusts a name it was sent. */
export const DATA_FILE = 'data.json';
export const WORKBOOK_FILE = 'disclosure.xlsx';

/** The file on disk: the manifest (as signed text), its Ed25519 signature and the files it lists, base64. */
export interface PackageFile {
  format: typeof PACKAGE_FORMAT;
  schemaVersion: number;
  /** The manifest as JSON text: the signature is over exactly these UTF-8 bytes, so no re-serialisation is involved. */
  manifest: string;
  /** Ed25519 signature of `manifest`'s UTF-8 bytes, base64. */
  signature: string;
  /** The school's public key, SPKI DER base64; its SHA-256 is the fingerprint the centre enrolled. */
  publicKey: string;
  /** name → content, base64. */
  files: Record<string, string>;
}

export interface ManifestEntry {
  name: string;
  bytes: number;
  /** SHA-256 of the content, 64 lowercase hex. */
  sha256: string;
}

export interface PackageManifest {
  format: typeof PACKAGE_FORMAT;
  schemaVersion: number;
  schoolCode: string;
  schoolName: string;
  month: string;
  revision: number;
  /** The checksum (校验码) the close of this revision recorded and printed on the disclosure. */
  closedChecksum: string;
  closedAt: string;
  /** The close this revision replaces (the revision before, reopened), or null for revision 1. */
  supersedes: { revision: number; closedChecksum: string; reopenReason: string } | null;
  /** When the package was written (ISO, UTC). */
  createdAt: string;
  /** SHA-256 of the public key (SPKI DER), 64 lowercase hex. */
  keyFingerprint: string;
  files: ManifestEntry[];
}

/** One column (the month, or 1 January to the month's end) of the fund summary, as the disclosure printed it. */
export type PackageFund = FundSummary;

export interface PackageCategory {
  category: Category;
  /** Accepted purchases in the month (journal). */
  purchasedFen: number;
  /** The month's expense line of the disclosure for this category (consumed where the storeroom is used). */
  expenseFen: number;
  /** 分类成本 (null where the school does not use the storeroom). */
  openingFen: number | null;
  adjustmentsFen: number | null;
  closingFen: number | null;
}

export interface PackagePurchase {
  date: string;
  receiptNo: string;
  item: string;
  spec: string;
  unit: string;
  qtyMilli: number;
  unitPriceFen: number;
  amountFen: number;
  supplier: string;
  /** 统一社会信用代码 of the supplier ('' when the disclosure's supplier list does not name it). */
  supplierCreditCode: string;
  /** 验收人, in the order they signed. */
  inspectors: string[];
  note: string;
}

export interface PackageData {
  schemaVersion: number;
  school: { code: string; name: string };
  month: string;
  revision: number;
  closedChecksum: string;
  /** The rules of the regional profile in force for the month (the ones the disclosure was computed under). */
  profile: {
    usesStoreroom: boolean;
    allowedNonFood: NonFoodExpense[];
    surplusLimitBp: number;
    surplusPeriod: 'month' | 'term' | 'year';
    priceToleranceBp: number;
    /** 次月几日前公示: the disclosure is due by this day of the next month (version 2; absent in version 1). */
    disclosureDeadlineDay?: number;
  };
  fund: { month: PackageFund; yearToDate: PackageFund };
  /** The surplus rate over the profile's period (month, term or year) up to this month, against its limit. */
  surplusPeriod: { kind: 'month' | 'term' | 'year'; from: string; to: string; incomeFen: number; surplusFen: number; rateBp: number | null; limitBp: number; breach: boolean };
  categories: PackageCategory[];
  purchases: PackagePurchase[];
  rejected: { item: string; unit: string; qtyMilli: number; reason: string; disposition: string }[];
  prices: { item: string; category: Category; unit: string; qtyMilli: number; amountFen: number; referencePriceFen: number | null; previousAvgPriceFen: number | null }[];
  suppliers: { name: string; creditCode: string; licenceNo: string; licenceValidUntil: string | null; deliveries: number; amountFen: number; certificates: number }[];
  subsidy: { className: string; students: number; days: number; studentDays: number; rateFen: number; amountFen: number }[];
  /**
   * 留样 and 陪餐 of the month (version 2; absent in version 1): the school days, and each finding the month-close
   * checklist shows, by kind, date and meal only — no names, no remarks. As the ledger gives them when the package is
   * written (these records are not part of the close's checksum).
   */
  foodSafety?: { schoolDays: number; findings: { kind: FoodSafetyFindingKind; date: string; meal: 'breakfast' | 'lunch' | 'dinner' | null }[] };
  /**
   * The month's posted deliveries (验收单, version 2; absent in version 1): number, date, whether a parent-committee
   * member witnessed the receiving (not who), the supplier's credit code, how many lines were received and how many
   * of them were rejected in part or whole.
   */
  deliveries?: { receiptNo: string; date: string; witnessed: boolean; supplierCreditCode: string; lines: number; rejectedLines: number }[];
  /** Refunds as the disclosure lists them, without the pupil's name or number (the centre needs amounts, not names). */
  refunds: { className: string; days: number; amountFen: number; reason: string; appliedOn: string; approvedOn: string | null; paidOn: string | null; status: 'paid' | 'pending'; earlier: boolean }[];
}

/** The 留样 (samples) and 陪餐 (accompanied meals) finding kinds a package carries. */
export const FOOD_SAFETY_FINDING_KINDS = ['no_samples', 'meal_without_sample', 'planned_dish_without_sample', 'light_sample', 'early_discard', 'no_companion', 'rota_missed', 'open_followup'] as const;
export type FoodSafetyFindingKind = (typeof FOOD_SAFETY_FINDING_KINDS)[number];
/** The kinds a package of this schema version may carry: `light_sample` from version 3. */
export function findingKindsOf(schemaVersion: number): readonly FoodSafetyFindingKind[] {
  return schemaVersion >= 3 ? FOOD_SAFETY_FINDING_KINDS : FOOD_SAFETY_FINDING_KINDS.filter((k) => k !== 'light_sample');
}

/** '2026-10' and a revision in the file name a person sees on the USB stick: 2135000123_2026-10_r2.canteen-pkg.json. */
export function packageFileName(code: string, month: string, revision: number): string {
  return `${code}_${month}_r${revision}.canteen-pkg.json`;
}

/** A school code: the 10-digit 学校标识码 or another code of 4–20 digits and capital letters the centre assigns. */
export const SCHOOL_CODE_RE = /^[0-9A-Z]{4,20}$/;
