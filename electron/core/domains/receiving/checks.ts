import type { Ingredient, Supplier } from '../../../../shared/api/masterdata.ts';
import type { CheckResult, DeliveryDraft, DeliveryLine, Finding } from '../../../../shared/api/receiving.ts';
import { effectiveCerts } from '../../../../shared/cert-rules.ts';
import { CATEGORY_LABELS, CERT_LABELS, type Category } from '../../../../shared/domain.ts';
import { RESIDUE_REJECT_REASON, residueReading } from '../../../../shared/labels-receiving.ts';
import { formatFen, lineAmountFen } from '../../../../shared/format.ts';
import type { RegionalProfile } from '../../../../shared/profile.ts';
import { addDays } from '../../ledger/clock.ts';
import { convertLine } from './units.ts';

/**
 * The rules of DOMAIN.md §1 that a delivery must pass at the kitchen door. Pure functions over the draft, the master
 * data and the profile: the form calls them live (receiving.check) and posting calls them again in the main process,
 * so whatever the form did, the same rules decide. Errors block posting; warnings need a note.
 */

export interface CheckFacts {
  draft: DeliveryDraft;
  supplier: Supplier | null;
  ingredients: Map<string, Ingredient>;
  profile: RegionalProfile;
  /** Active users by id (inspectors must be among them). */
  activeUsers: Map<string, string>;
  /** How many other posted deliveries in the 30 days ending on the delivery date each inspector pair signed,
   * keyed by pairKey(a, b). */
  pairCounts: Map<string, number>;
}

/** The 30-day window of the rotation rule: the delivery date and the 29 days before it. */
export const PAIR_WINDOW_DAYS = 30;

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

/** The expiry date a line carries: the date typed, else production date + shelf-life days, else none (fresh). */
export function effectiveExpiry(l: Pick<DeliveryLine, 'expiryDate' | 'productionDate' | 'shelfLifeDays'>): string | null {
  if (l.expiryDate) return l.expiryDate;
  if (l.productionDate && l.shelfLifeDays) return addDays(l.productionDate, l.shelfLifeDays);
  return null;
}

export function lineAmounts(l: Pick<DeliveryLine, 'acceptedMilli' | 'unitPriceFen' | 'printedAmountFen'>): { computedAmountFen: number; amountFen: number; differenceFen: number } {
  const computedAmountFen = lineAmountFen(l.acceptedMilli, l.unitPriceFen);
  const amountFen = l.printedAmountFen ?? computedAmountFen;
  return { computedAmountFen, amountFen, differenceFen: amountFen - computedAmountFen };
}

/**
 * The highest unit price that passes: reference × (1 − discount of the category) × (1 + tolerance), in exact
 * integers. Returns whether `price` is above it and the limit rounded down to the fen (for the message).
 */
export function priceAboveLimit(priceFen: number, refFen: number, discountBp: number, toleranceBp: number): { above: boolean; limitFen: number } {
  const limitScaled = BigInt(refFen) * BigInt(10_000 - discountBp) * BigInt(10_000 + toleranceBp);
  return { above: BigInt(priceFen) * 100_000_000n > limitScaled, limitFen: Number(limitScaled / 100_000_000n) };
}

export function isBanned(ing: Ingredient, profile: RegionalProfile): string | null {
  if (ing.banned) return ing.name;
  return profile.bannedItems.find((b) => ing.name.includes(b)) ?? null;
}

export function runChecks(f: CheckFacts): Finding[] {
  const { draft: d, profile } = f;
  const out: Finding[] = [];
  const err = (code: string, message: string, lineIndex?: number) => out.push(lineIndex === undefined ? { level: 'error', code, message } : { level: 'error', code, lineIndex, message });
  const warn = (code: string, message: string, lineIndex?: number) => out.push(lineIndex === undefined ? { level: 'warning', code, message } : { level: 'warning', code, lineIndex, message });

  // The supplier and its food licence, valid on the delivery date (a licence expiring that day still holds).
  const s = f.supplier;
  if (!s) err('supplier_unknown', '找不到该供应商');
  else {
    if (s.disabled) err('supplier_disabled', `供应商“${s.name}”已停用`);
    const food = s.licences.filter((l) => l.kind === 'food_business' || l.kind === 'food_production');
    if (food.length === 0) err('licence_missing', `供应商“${s.name}”未登记食品经营许可证或食品生产许可证`);
    else if (!food.some((l) => l.expiresOn === null || l.expiresOn >= d.date)) {
      const last = food.map((l) => l.expiresOn as string).sort().at(-1);
      err('licence_expired', `供应商“${s.name}”的食品经营/生产许可证已于 ${last} 过期`);
    }
  }
  if (!d.noteNumber) err('note_number_missing', '请填写送货单号（每批送货都应索取送货单或购物凭证）');

  // 双人或多人联检, and rotation of the pair.
  const inspectors = [...new Set(d.inspectorIds)];
  for (const u of inspectors) if (!f.activeUsers.has(u)) err('inspector_unknown', '验收人不是在用的用户');
  const known = inspectors.filter((u) => f.activeUsers.has(u));
  if (known.length < 2) err('inspectors_too_few', `至少需要两位不同的验收人（现有 ${known.length} 位）`);
  for (let i = 0; i < known.length; i++) {
    for (let j = i + 1; j < known.length; j++) {
      const n = f.pairCounts.get(pairKey(known[i], known[j])) ?? 0;
      if (n >= profile.inspectorPairRepeatLimit) {
        warn(
          'inspector_pair_repeat',
          `${f.activeUsers.get(known[i])}与${f.activeUsers.get(known[j])}近 ${PAIR_WINDOW_DAYS} 天已共同验收 ${n} 次，本次为第 ${n + 1} 次（上限 ${profile.inspectorPairRepeatLimit} 次），建议轮换验收人`,
        );
      }
    }
  }

  if (d.lines.length === 0) err('no_lines', '验收单没有明细');
  d.lines.forEach((l, i) => {
    const n = `第 ${i + 1} 行`;
    const ing = f.ingredients.get(l.ingredientId);
    if (!ing) {
      err('ingredient_unknown', `${n}：找不到该食材`, i);
      return;
    }
    const name = `${n}（${ing.name}）`;
    // 农残快检 (issue 17): a failed test rejects the whole line, for that reason; a category the profile of the
    // delivery's month names needs a test on what is accepted.
    const t = l.residueTest;
    if (t?.result === 'fail' && (l.acceptedMilli > 0 || !l.rejectReason.includes(RESIDUE_REJECT_REASON))) {
      err('residue_failed', `${name}：农残快检不合格（${residueReading(t.method, t.inhibitionTenths, t.result)}），应全部拒收，拒收原因填写“${RESIDUE_REJECT_REASON}”并选择退回或销毁`, i);
    }
    if (!t && l.acceptedMilli > 0 && profile.residueTestCategories.includes(ing.category)) {
      err('residue_test_missing', `${name}：${CATEGORY_LABELS[ing.category]}须做农残快检，请填写快检方法、结果、检测人和检测时间`, i);
    }
    // Rules about the goods apply to what is accepted: refusing expired or banned goods at the door is the remedy.
    if (l.acceptedMilli === 0) return;
    const banned = isBanned(ing, profile);
    if (banned) err('banned', `${name}：属于禁止采购的食品（${banned}），请拒收`, i);

    if (l.productionDate && l.productionDate > d.date) err('production_future', `${name}：生产日期 ${l.productionDate} 晚于验收日期`, i);
    const expiry = effectiveExpiry(l);
    if (expiry !== null) {
      if (expiry < d.date) err('expired', `${name}：已过保质期（保质期至 ${expiry}），请拒收`, i);
      else if (expiry <= addDays(d.date, profile.nearExpiryDays)) warn('near_expiry', `${name}：临近保质期（保质期至 ${expiry}，${profile.nearExpiryDays} 天内到期）`, i);
    }

    // The requirement is the profile's rules for the item's category, kind and import joined with the item's own
    // additions, computed here from the master data and rules as they are now (at post time too), never taken from
    // the draft or from a list the ingredient carries.
    for (const kind of effectiveCerts(profile.certRules, ing)) {
      if (!l.certs[kind]?.trim()) err('cert_missing', `${name}：缺少${CERT_LABELS[kind]}编号`, i);
    }

    // Kitchen units: the reference price is per base unit, so the price per 斤 or 箱 is compared converted.
    const conv = convertLine(l, ing, name);
    if (!conv.ok) err('unit_unknown', conv.message, i);
    if (ing.refPriceFen !== null && conv.ok) {
      const discount = profile.referenceDiscountBp[ing.category] ?? 0;
      const price = conv.line.unitPriceFen;
      const { above, limitFen } = priceAboveLimit(price, ing.refPriceFen, discount, profile.priceToleranceBp);
      if (above) {
        const typed = conv.line.sizeMilli === null ? '' : `（${formatFen(l.unitPriceFen)} 元/${l.receivedUnit}）`;
        warn('price_high', `${name}：单价 ${formatFen(price)} 元${typed}高于参考价上限 ${formatFen(limitFen)} 元（参考价 ${formatFen(ing.refPriceFen)} 元/${ing.unit}）`, i);
      }
    }

    const failed = [l.packagingOk ? '' : '包装不完好', l.labelOk ? '' : '标识不全', l.freshOk ? '' : '有变质或异味'].filter(Boolean);
    if (failed.length) warn('sensory_failed', `${name}：感官检查${failed.join('、')}，仍有合格数量`, i);
  });
  return out;
}

function findingKey(code: string, lineIndex: number | null | undefined): string {
  return `${code}:${lineIndex ?? ''}`;
}

/** Amounts, expiry dates, and whether the findings allow posting given the notes on the draft. */
export function summarize(d: DeliveryDraft, findings: Finding[], residueCategories: Category[] = []): CheckResult {
  const noted = new Set(d.warningNotes.filter((w) => w.note.trim()).map((w) => findingKey(w.code, w.lineIndex)));
  const unnotedWarnings = d.warningNote.trim()
    ? 0
    : findings.filter((x) => x.level === 'warning' && !noted.has(findingKey(x.code, x.lineIndex))).length;
  const lines = d.lines.map((l) => ({ expiryDate: effectiveExpiry(l), ...lineAmounts(l) }));
  return {
    findings,
    unnotedWarnings,
    canPost: unnotedWarnings === 0 && !findings.some((x) => x.level === 'error'),
    lines,
    totalFen: lines.reduce((s, l) => s + l.amountFen, 0),
    residueCategories,
  };
}
