import type { DeliveryDraftInput, DeliveryView, Disposition, Finding } from '../../../../shared/api/receiving.ts';
import { RESIDUE_REJECT_REASON, residueResultOf, type ResidueMethod, type ResidueResult } from '../../../../shared/labels-receiving.ts';
import { CERT_KINDS, type Category, type CertKind, type StorageClass } from '../../../../shared/domain.ts';
import { formatMilli, lineAmountFen } from '../../../../shared/format.ts';
import { toBaseMilli, unitSize, type UnitItem } from '../../../../shared/units.ts';

/**
 * The kitchen-door form's values and their translation to the API's draft. The form keeps what people type (dates
 * and temperatures as text, rejected quantity instead of accepted); the draft holds integers and ISO dates.
 */
export interface LineValues {
  ingredientId: string | null;
  /** The unit received in (斤, 箱…; shared/units.ts), null for the item's own unit; quantities and price are in it. */
  receivedUnit: string | null;
  receivedMilli: number | null;
  rejectedMilli: number | null;
  rejectReason: string;
  disposition: Disposition | null;
  unitPriceFen: number | null;
  printedAmountFen: number | null;
  productionDate: string;
  batchNo: string;
  shelfLifeDays: string;
  expiryDate: string;
  storageClass: StorageClass;
  packagingOk: boolean;
  labelOk: boolean;
  freshOk: boolean;
  temperature: string;
  certs: Partial<Record<CertKind, string>>;
  /** 农残快检 (issue 17): the method, the enzyme method's rate as typed ("62.5"), the test card's result, who, when. */
  residueMethod: ResidueMethod;
  residueRate: string;
  residueResult: ResidueResult | null;
  residueTester: string;
  residueTime: string;
}

export interface FormValues {
  date: string;
  arrivalTime: string;
  supplierId: string | null;
  noteNumber: string;
  inspectorIds: string[];
  witnessUserId: string | null;
  witnessName: string;
  remark: string;
  warningNote: string;
  lines: LineValues[];
}

export const emptyLine = (): LineValues => ({
  ingredientId: null,
  receivedUnit: null,
  receivedMilli: null,
  rejectedMilli: null,
  rejectReason: '',
  disposition: null,
  unitPriceFen: null,
  printedAmountFen: null,
  productionDate: '',
  batchNo: '',
  shelfLifeDays: '',
  expiryDate: '',
  storageClass: 'ambient',
  packagingOk: true,
  labelOk: true,
  freshOk: true,
  temperature: '',
  certs: {},
  residueMethod: 'enzyme_inhibition',
  residueRate: '',
  residueResult: null,
  residueTester: '',
  residueTime: '',
});

/** "62.5" or "62.5%" → 625 tenths of a percent; null for empty; NaN for anything else or above 100 %. */
export function parseRate(text: string): number | null {
  const s = (text ?? '').trim().replace('%', '');
  if (s === '') return null;
  const m = /^(\d{1,3})(?:\.(\d))?$/.exec(s);
  if (!m) return Number.NaN;
  const v = Number(m[1]) * 10 + Number(m[2] ?? '0');
  return v > 1000 ? Number.NaN : v;
}

/** Whether anything of the row's quick test is typed. */
export function hasResidueValues(l: Pick<LineValues, 'residueRate' | 'residueResult' | 'residueTester' | 'residueTime'>): boolean {
  return !!((l.residueRate ?? '').trim() || l.residueResult || (l.residueTester ?? '').trim() || (l.residueTime ?? '').trim());
}

/** The quick test's result as the core decides it (the enzyme method's from its rate), or null while not known. */
export function residueResultOfLine(l: LineValues): ResidueResult | null {
  if (l.residueMethod === 'test_card') return l.residueResult ?? null;
  const r = parseRate(l.residueRate);
  return r === null || Number.isNaN(r) ? null : residueResultOf(r);
}

/**
 * What a change to the quick test does to the rejection: a failed test rejects the whole quantity for 农残快检不合格
 * (the disposition is still chosen); a test that no longer fails undoes exactly that prefill, nothing typed by hand.
 */
export function residueRejection(before: LineValues, after: LineValues): Partial<LineValues> {
  const was = residueResultOfLine(before) === 'fail';
  const is = residueResultOfLine(after) === 'fail';
  if (is && !was && after.receivedMilli != null && !Number.isNaN(after.receivedMilli)) {
    return { rejectedMilli: after.receivedMilli, rejectReason: after.rejectReason?.trim() ? after.rejectReason : RESIDUE_REJECT_REASON };
  }
  if (was && !is && after.rejectReason === RESIDUE_REJECT_REASON && after.rejectedMilli === after.receivedMilli) return { rejectedMilli: null, rejectReason: '', disposition: null };
  return {};
}

/** "-18.5" → -185 tenths of °C; null for empty; NaN for anything else. Digits only, never parseFloat. */
export function parseTenths(text: string): number | null {
  const s = text.trim().replace('℃', '');
  if (s === '') return null;
  const m = /^(-?)(\d{1,3})(?:\.(\d))?$/.exec(s);
  if (!m) return Number.NaN;
  const v = Number(m[2]) * 10 + Number(m[3] ?? '0');
  return m[1] ? -v : v;
}
export function formatTenths(v: number | null): string {
  if (v === null) return '';
  const a = Math.abs(v);
  return `${v < 0 ? '-' : ''}${Math.trunc(a / 10)}${a % 10 ? `.${a % 10}` : ''}`;
}

/** Warning notes are keyed by code and the line's place in the form. */
export const noteKey = (code: string, lineIndex: number | null | undefined) => `${code}:${lineIndex ?? ''}`;

export interface Translated {
  draft: DeliveryDraftInput | null;
  /** Draft line index → form line index (empty form lines are left out of the draft). */
  formIndex: number[];
  problem: string | null;
}

/**
 * What keeps a chosen line from the draft, said at its row (the form sends no check while a row has one): the
 * contract's own refusals (quantities, the rejection's reason and disposition) caught before asking.
 */
export function lineProblem(l: LineValues): string | null {
  const received = l.receivedMilli;
  const rejected = l.rejectedMilli ?? 0;
  const temp = parseTenths(l.temperature ?? '');
  const days = (l.shelfLifeDays ?? '').trim();
  if (received == null || Number.isNaN(received) || received <= 0) return '请填写送货数量';
  if (l.unitPriceFen == null || Number.isNaN(l.unitPriceFen)) return '请填写单价';
  if (Number.isNaN(rejected) || rejected > received) return '拒收数量不能超过送货数量';
  if (rejected > 0 && !(l.rejectReason ?? '').trim()) return '有拒收数量时请填写拒收原因';
  if (rejected > 0 && !l.disposition) return '有拒收数量时请选择处理方式（当场退回或销毁）';
  if (temp !== null && Number.isNaN(temp)) return '温度应为数字，如 -18 或 3.5';
  if (days !== '' && !/^\d{1,4}$/.test(days)) return '保质期应为天数';
  if (hasResidueValues(l)) {
    const rate = parseRate(l.residueRate);
    if (l.residueMethod !== 'test_card' && (rate === null || Number.isNaN(rate))) return '农残快检：抑制率应为 0 到 100 的数字，如 62.5';
    if (l.residueMethod === 'test_card' && !l.residueResult) return '农残快检：请选择阴性或阳性';
    if (!(l.residueTester ?? '').trim()) return '农残快检：请填写检测人';
    if (!/^([01]\d|2[0-3]):[0-5]\d$/.test((l.residueTime ?? '').trim())) return '农残快检：检测时间格式应为 HH:MM，如 07:40';
  }
  return null;
}

/** A line with no item chosen is an empty row and left out; a chosen item needs quantity and price. */
export function toDraft(v: FormValues, notes: Record<string, string>, opts: { skipIncomplete?: boolean } = {}): Translated {
  const formIndex: number[] = [];
  const lines: DeliveryDraftInput['lines'] = [];
  let problem: string | null = null;
  (v.lines ?? []).forEach((l, i) => {
    if (!l?.ingredientId) {
      if (l && (l.receivedMilli != null || l.unitPriceFen != null)) problem ??= `第 ${i + 1} 行：请选择品名`;
      return;
    }
    const received = l.receivedMilli;
    const rejected = l.rejectedMilli ?? 0;
    const temp = parseTenths(l.temperature ?? '');
    const days = (l.shelfLifeDays ?? '').trim();
    const own = lineProblem(l);
    // The live check leaves an incomplete row out (it says so at the row) and checks the rest.
    if (own && opts.skipIncomplete) return;
    if (own) problem ??= `第 ${i + 1} 行：${own}`;
    if (problem) return;
    formIndex.push(i);
    lines.push({
      ingredientId: l.ingredientId,
      receivedUnit: l.receivedUnit ?? null,
      receivedMilli: received as number,
      acceptedMilli: (received as number) - rejected,
      rejectedMilli: rejected,
      rejectReason: rejected > 0 ? l.rejectReason ?? '' : '',
      disposition: rejected > 0 ? l.disposition : null,
      unitPriceFen: l.unitPriceFen as number,
      printedAmountFen: l.printedAmountFen != null && !Number.isNaN(l.printedAmountFen) ? l.printedAmountFen : null,
      productionDate: l.productionDate?.trim() || null,
      batchNo: l.batchNo ?? '',
      shelfLifeDays: days === '' ? null : Number(days),
      expiryDate: l.expiryDate?.trim() || null,
      storageClass: l.storageClass ?? 'ambient',
      packagingOk: l.packagingOk ?? true,
      labelOk: l.labelOk ?? true,
      freshOk: l.freshOk ?? true,
      temperatureDc: temp,
      certs: Object.fromEntries(Object.entries(l.certs ?? {}).filter(([, x]) => x && x.trim())),
      residueTest: hasResidueValues(l)
        ? l.residueMethod === 'test_card'
          ? { method: 'test_card', inhibitionTenths: null, result: l.residueResult, tester: l.residueTester.trim(), testedTime: l.residueTime.trim() }
          : { method: 'enzyme_inhibition', inhibitionTenths: parseRate(l.residueRate), result: null, tester: l.residueTester.trim(), testedTime: l.residueTime.trim() }
        : null,
    });
  });
  if (problem) return { draft: null, formIndex, problem };
  if (!v.supplierId) return { draft: null, formIndex, problem: '请选择供应商' };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.date ?? '')) return { draft: null, formIndex, problem: '验收日期格式应为 YYYY-MM-DD' };
  const toDraftIndex = new Map(formIndex.map((f, d) => [f, d]));
  const warningNotes = Object.entries(notes)
    .filter(([, note]) => note.trim())
    .flatMap(([key, note]): { code: string; lineIndex: number | null; note: string }[] => {
      const [code, idx] = key.split(':');
      if (idx === '') return [{ code, lineIndex: null, note }];
      const d = toDraftIndex.get(Number(idx));
      return d === undefined ? [] : [{ code, lineIndex: d, note }];
    });
  return {
    formIndex,
    problem: null,
    draft: {
      date: v.date,
      arrivalTime: v.arrivalTime?.trim() || null,
      supplierId: v.supplierId,
      noteNumber: v.noteNumber ?? '',
      inspectorIds: [...new Set((v.inspectorIds ?? []).filter((x): x is string => !!x))],
      witnessUserId: v.witnessUserId ?? null,
      witnessName: v.witnessUserId ? '' : (v.witnessName ?? ''),
      lines,
      warningNotes,
      warningNote: v.warningNote ?? '',
      remark: v.remark ?? '',
    },
  };
}

/** A stored delivery back into form values and notes (editing a draft or an amended copy). */
export function fromDelivery(d: DeliveryView): { values: FormValues; notes: Record<string, string> } {
  return {
    values: {
      date: d.date,
      arrivalTime: d.arrivalTime ?? '',
      supplierId: d.supplierId,
      noteNumber: d.noteNumber,
      inspectorIds: d.inspectors.map((i) => i.userId),
      witnessUserId: d.witnessUserId,
      witnessName: d.witnessUserId ? '' : d.witnessName,
      remark: d.remark,
      warningNote: d.warningNote,
      lines: d.lines.map((l) => ({
        ingredientId: l.ingredientId,
        receivedUnit: l.receivedUnit,
        receivedMilli: l.receivedMilli,
        rejectedMilli: l.rejectedMilli || null,
        rejectReason: l.rejectReason,
        disposition: l.disposition,
        unitPriceFen: l.unitPriceFen,
        printedAmountFen: l.printedAmountFen,
        productionDate: l.productionDate ?? '',
        batchNo: l.batchNo,
        shelfLifeDays: l.shelfLifeDays === null ? '' : String(l.shelfLifeDays),
        // a computed expiry is shown by the check, not typed back in
        expiryDate: l.shelfLifeDays !== null && l.productionDate ? '' : (l.expiryDate ?? ''),
        storageClass: l.storageClass,
        packagingOk: l.packagingOk,
        labelOk: l.labelOk,
        freshOk: l.freshOk,
        temperature: formatTenths(l.temperatureDc),
        certs: l.certs,
        residueMethod: l.residueTest?.method ?? 'enzyme_inhibition',
        residueRate: l.residueTest?.inhibitionTenths != null ? formatTenths(l.residueTest.inhibitionTenths) : '',
        residueResult: l.residueTest?.method === 'test_card' ? l.residueTest.result : null,
        residueTester: l.residueTest?.tester ?? '',
        residueTime: l.residueTest?.testedTime ?? '',
      })),
    },
    notes: Object.fromEntries(d.warningNotes.map((w) => [noteKey(w.code, w.lineIndex), w.note])),
  };
}

/** Findings of the check mapped back to form line indices. */
export function findingsByFormLine(findings: Finding[], formIndex: number[]): { delivery: Finding[]; lines: Map<number, Finding[]> } {
  const lines = new Map<number, Finding[]>();
  const delivery: Finding[] = [];
  for (const f of findings) {
    if (f.lineIndex === undefined) delivery.push(f);
    else {
      const i = formIndex[f.lineIndex] ?? f.lineIndex;
      lines.set(i, [...(lines.get(i) ?? []), { ...f, lineIndex: i }]);
    }
  }
  return { delivery, lines };
}

/** The fields of a row, as the grid names them (data-testid `line-<i>-<field>`). */
export type LineField = 'item' | 'received' | 'unit' | 'price' | 'rejected' | 'reject-reason' | 'disposition' | DetailField | `cert-${CertKind}` | ResidueField;
/** The quick test's typed fields (the method and the card's result are chosen with the arrows, a Tab away). */
export type ResidueField = 'residue-rate' | 'residue-result' | 'residue-tester' | 'residue-time';
/** The row detail's typed fields, in the order Enter visits them once the detail is asked for. */
export const DETAIL_FIELDS = ['production', 'batch', 'shelf', 'expiry', 'temp', 'printed'] as const;
export type DetailField = (typeof DETAIL_FIELDS)[number];

/** Certificates a row shows: what the item requires (the profile's rules joined with its own) and any typed anyway. */
export function lineCerts(l: Pick<LineValues, 'certs'>, required: readonly CertKind[]): CertKind[] {
  const typed = (Object.keys(l.certs ?? {}) as CertKind[]).filter((k) => l.certs[k]);
  return CERT_KINDS.filter((k) => required.includes(k) || typed.includes(k));
}

/** Whether a line holds anything in the detail's fields (a draft read back opens its detail). */
export function hasDetailValues(l: LineValues): boolean {
  return !!(l.productionDate || l.batchNo || l.shelfLifeDays || l.expiryDate || l.temperature || l.printedAmountFen != null || !l.packagingOk || !l.labelOk || !l.freshOk);
}

/**
 * The fields Enter visits on a row, in order: the paper 验收单's columns (item, quantity, price, rejected); when some
 * is rejected, its reason and disposition (posting needs both); the detail's fields when the person asked for the
 * detail; the certificates the item requires (posting needs them). An empty row has only its item. Whatever else is
 * on screen stays a Tab away.
 */
export function lineFlow(l: LineValues & { detail: boolean }, certs: readonly CertKind[], residue = false): LineField[] {
  if (!l.ingredientId) return ['item'];
  // The unit (issue 15) is a Tab away while it is the item's own; once another is chosen, Enter visits it too.
  const f: LineField[] = l.receivedUnit ? ['item', 'received', 'unit', 'price'] : ['item', 'received', 'price'];
  // 农残快检 (issue 17), when the item's category needs it: tested before the rejection, which a failed test fills in.
  if (residue) f.push(l.residueMethod === 'test_card' ? 'residue-result' : 'residue-rate', 'residue-tester', 'residue-time');
  f.push('rejected');
  if ((l.rejectedMilli ?? 0) > 0) f.push('reject-reason', 'disposition');
  if (l.detail) f.push(...DETAIL_FIELDS);
  for (const c of certs) f.push(`cert-${c}`);
  return f;
}

/** Whether a row shows its quick test: the item's category needs one under the delivery's profile, or one is typed. */
export function showsResidue(l: LineValues, category: Category | undefined, residueCategories: readonly Category[]): boolean {
  return !!l.ingredientId && ((!!category && residueCategories.includes(category)) || hasResidueValues(l));
}

/** The amount of a line as the core computes it (the supplier's printed amount, else accepted × price); null until known. */
export function localAmountFen(l: LineValues): number | null {
  const acc = acceptedOf(l);
  if (l.printedAmountFen != null && !Number.isNaN(l.printedAmountFen)) return l.printedAmountFen;
  if (acc == null || l.unitPriceFen == null || Number.isNaN(l.unitPriceFen)) return null;
  return lineAmountFen(acc, l.unitPriceFen);
}
/**
 * A quantity in the row's received unit and what it is in the item's own unit ("3 箱 = 72 盒", "20 斤 = 10 千克"); the
 * quantity alone in the base unit; null when the unit does not convert it (the check says why).
 */
export function conversionText(milli: number, l: Pick<LineValues, 'receivedUnit'>, item: UnitItem): string | null {
  if (!l.receivedUnit || l.receivedUnit === item.unit) return `${formatMilli(milli)} ${item.unit}`.trim();
  const size = unitSize(item, l.receivedUnit);
  const base = size.ok ? toBaseMilli(milli, size.sizeMilli) : null;
  return base === null ? null : `${formatMilli(milli)} ${l.receivedUnit} = ${formatMilli(base)} ${item.unit}`;
}

/**
 * A price carried over to another unit of the same item (the prefilled last price per kg becomes per 斤 when the unit
 * cell is changed): price × size of the new unit / size of the old, half-up to the fen; unchanged when either does not
 * convert. The person types over it when the supplier billed otherwise.
 */
export function priceInUnit(priceFen: number | null, from: string | null, to: string | null, item: UnitItem): number | null {
  if (priceFen == null || Number.isNaN(priceFen)) return priceFen;
  const a = unitSize(item, from ?? item.unit);
  const b = unitSize(item, to ?? item.unit);
  if (!a.ok || !b.ok) return priceFen;
  const p = BigInt(priceFen) * BigInt(b.sizeMilli);
  const s = BigInt(a.sizeMilli);
  return Number((p * 2n + s) / (2n * s));
}

/** Received less rejected; null while either is not a quantity or rejected exceeds received. */
export function acceptedOf(l: LineValues): number | null {
  const r = l.receivedMilli;
  const j = l.rejectedMilli ?? 0;
  if (r == null || Number.isNaN(r) || Number.isNaN(j) || j > r) return null;
  return r - j;
}

/**
 * A delivery's lines as new lines to type (copying the last delivery of a supplier): the same items, prices, storage
 * and supplier-side details that recur; quantities, rejections, dates, batches, temperatures and certificate numbers
 * blank, since each delivery has its own.
 */
export function copiedLines(d: DeliveryView): LineValues[] {
  return d.lines.map((l) => ({ ...emptyLine(), ingredientId: l.ingredientId, receivedUnit: l.receivedUnit, unitPriceFen: l.unitPriceFen, storageClass: l.storageClass }));
}
