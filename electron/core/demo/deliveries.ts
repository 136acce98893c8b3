import type { Input } from '../../../shared/api/index.ts';
import type { Ingredient } from '../../../shared/api/masterdata.ts';
import type { DeliveryView, Disposition } from '../../../shared/api/receiving.ts';
import type { CertKind, StorageClass } from '../../../shared/domain.ts';
import { addDays } from '../ledger/clock.ts';
import type { DemoStep } from './types.ts';
import { seededRandom as rng } from '../ledger/seeded-random.ts';

/**
 * The kitchen door over last month and this month up to yesterday: every school day the vegetables, meat and tofu
 * arrive, milk three times a week, fish twice, grain and oil on Mondays, eggs from the market stall until its licence
 * ran out (then from the vegetable distributor). Quantities are sized for the demo's 120 pupils (lunch for all, two or
 * three meals for 32 of them): some 3–7 kg of each vegetable, 3–5 kg of each meat, a box of milk each, 70–100 kg of
 * rice a week — about 1,000 元 of food a school day against some 990 元 of fees and subsidy (the storeroom step draws
 * stored food to that budget). Prices scatter around the reference price; some lines are partly
 * rejected (烂叶, 温度偏高); a few prices run over the tolerance and carry a note; inspectors rotate in pairs and a
 * parent witnesses on Fridays. One meat delivery is cancelled and amended; yesterday's delivery from the cooperative
 * without a food licence stays a draft (the check blocks it). The accountant enters 绿源's statement for last month,
 * one delivery 3.50 off, and pays 禾丰粮油. Everything goes through the API, so it passes the same checks.
 */


function previousMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
}

/** Weekdays outside the National Day holiday (10-01 to 10-07). */
export function schoolDays(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (wd !== 0 && wd !== 6 && !(d.slice(5, 7) === '10' && Number(d.slice(8)) <= 7)) out.push(d);
  }
  return out;
}

const weekday = (d: string) => new Date(`${d}T00:00:00Z`).getUTCDay();

const SUPPLIERS = {
  veg: '杭州绿源农产品配送有限公司',
  meat: '浙江鲜丰肉类食品有限公司',
  grain: '杭州禾丰粮油贸易有限公司',
  eggs: '杭州西湖区三墩禽蛋经营部',
  fish: '淳安千岛湖鲜活水产有限公司',
  dairy: '杭州晨光乳品有限公司',
  soy: '杭州豆香坊豆制品有限公司',
  coop: '余杭兴农蔬菜专业合作社',
} as const;
const NOTE_PREFIX: Record<keyof typeof SUPPLIERS, string> = { veg: 'LY', meat: 'XF', grain: 'HF', eggs: 'SD', fish: 'QDH', dairy: 'CG', soy: 'DXF', coop: 'XN' };

/** Garlic, ginger and spring onion come by the handful, not by the crate. */
const AROMATICS = new Set(['大蒜', '生姜', '小葱']);
const VEG = ['白菜', '青菜', '菠菜', '芹菜', '土豆', '胡萝卜', '西红柿', '黄瓜', '茄子', '青椒', '洋葱', '冬瓜', '西兰花', '香菇', '大蒜', '生姜', '小葱'];
const MEAT = ['猪前腿肉', '猪后腿肉', '猪排骨', '猪里脊', '三黄鸡', '鸡腿', '鸡胸肉'];
const REJECT_REASONS = ['外层烂叶较多', '部分腐烂', '有冻伤', '规格不符'];
const WARNING_NOTES: Record<string, string> = {
  price_high: '近期市场价上涨，已与供应商核对并报校长同意',
  near_expiry: '当天午餐全部用完',
  inspector_pair_repeat: '本周人员紧张，下周起轮换',
  sensory_failed: '外包装轻微破损，内容物完好',
};

type LineInput = Input<'receiving.saveDraft'>['draft']['lines'][number];

interface Plan {
  supplier: keyof typeof SUPPLIERS;
  lines: LineInput[];
}

export const deliveriesStep: DemoStep = {
  name: '验收入库：上月与本月送货',
  async run(d) {
    await d.loginAs('storekeeper');
    const r = rng(20260915);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const between = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
    const ing = (name: string): Ingredient => {
      const i = d.ingredients.get(name);
      if (!i) throw new Error(`演示食材缺少 ${name}`);
      return i;
    };
    const sup = (k: keyof typeof SUPPLIERS) => {
      const s = d.suppliers.get(SUPPLIERS[k]);
      if (!s) throw new Error(`演示供应商缺少 ${SUPPLIERS[k]}`);
      return s;
    };
    // Eggs come from the market stall while its food licence holds, then from the distributor.
    const eggLicenceEnds = sup('eggs').licences.find((l) => l.kind === 'food_business')?.expiresOn ?? '2000-01-01';

    const people = await d.call('receiving.people', {});
    const byName = (username: string) => {
      const name = d.accounts.find((a) => a.username === username)?.displayName;
      const p = people.find((x) => x.name === name);
      if (!p) throw new Error(`演示账户缺少 ${username}`);
      return p.id;
    };
    const keepers = [byName('storekeeper'), byName('storekeeper2')];
    const seconds = [byName('storekeeper2'), byName('accountant'), byName('reviewer'), byName('admin'), byName('cashier')];
    const parent = byName('parent');
    let pairTurn = 0;
    const nextPair = () => {
      const first = keepers[pairTurn % 2];
      const second = seconds[Math.floor(pairTurn / 2) % seconds.length];
      pairTurn++;
      return second === first ? [first, keepers[0]] : [first, second];
    };

    /** Price around the reference (90 %–104 %), now and then over the tolerance (+16 %). */
    const price = (i: Ingredient) => {
      const ref = i.refPriceFen ?? 1000;
      return r() < 0.02 ? Math.round((ref * 116) / 100) : Math.round((ref * between(90, 104)) / 100);
    };
    /** Quantities as a scale reads them: whole tenths of the unit. */
    const qty = (lo: number, hi: number) => between(lo * 10, hi * 10) * 100;
    const line = (name: string, received: number, extra: Partial<LineInput> = {}): LineInput => {
      const i = ing(name);
      return { ingredientId: i.id, receivedMilli: received, acceptedMilli: received, unitPriceFen: price(i), storageClass: 'ambient', ...extra };
    };
    const maybeReject = (l: LineInput, p: number, dispositions: Disposition[] = ['destroyed', 'returned']): LineInput => {
      if (r() >= p) return l;
      const rejected = Math.max(100, Math.floor((l.receivedMilli * between(5, 15)) / 100 / 100) * 100);
      return { ...l, acceptedMilli: l.receivedMilli - rejected, rejectedMilli: rejected, rejectReason: pick(REJECT_REASONS), disposition: pick(dispositions) };
    };
    const certs = (name: string, date: string, n: number): Partial<Record<CertKind, string>> => {
      const kinds = ing(name).effectiveCerts;
      const tag = `${date.replaceAll('-', '')}${String(n).padStart(2, '0')}`;
      return Object.fromEntries(kinds.map((k) => [k, `${k === 'animal_quarantine' ? 'A3301' : k === 'meat_quality' ? 'RP' : 'CIQ'}${tag}`]));
    };

    const plansFor = (date: string, firstOfMonth: boolean): Plan[] => {
      const wd = weekday(date);
      const plans: Plan[] = [];
      // vegetables every day, eggs here once the stall's licence has run out
      const veg: LineInput[] = [];
      for (const name of [...VEG].sort(() => r() - 0.5).slice(0, between(4, 6))) veg.push(maybeReject(line(name, AROMATICS.has(name) ? qty(0.5, 1.5) : qty(3, 7)), 0.08));
      if (wd === 2 || wd === 4) veg.push(line(pick(['苹果', '香蕉']), qty(12, 18)));
      if (date > eggLicenceEnds && (wd === 1 || wd === 3 || wd === 5)) veg.push(line('鸡蛋', qty(6, 9), { storageClass: 'chilled' }));
      plans.push({ supplier: 'veg', lines: veg });
      // meat every day, chilled with its certificates; frozen chicken with dates
      const meat = [...MEAT].sort(() => r() - 0.5).slice(0, between(2, 3)).map((name, n) => {
        const frozen = name === '鸡腿' || name === '鸡胸肉';
        const extra: Partial<LineInput> = frozen
          ? { storageClass: 'frozen' as StorageClass, temperatureDc: -between(180, 200), productionDate: addDays(date, -between(7, 20)), shelfLifeDays: 365 }
          : { storageClass: 'chilled' as StorageClass, temperatureDc: between(20, 45) };
        return maybeReject(line(name, frozen ? qty(2, 4) : qty(3, 5), { ...extra, certs: certs(name, date, n + 1) }), 0.03, ['returned']);
      });
      if (wd === 2) meat.push(line('牛腩', qty(3, 5), { storageClass: 'chilled', temperatureDc: between(20, 40), certs: certs('牛腩', date, 9) }));
      plans.push({ supplier: 'meat', lines: meat });
      // tofu every day (made that morning)
      plans.push({ supplier: 'soy', lines: ['老豆腐', '豆腐干', '千张'].sort(() => r() - 0.5).slice(0, between(1, 2)).map((n) => line(n, qty(2, 5), { storageClass: 'chilled' })) });
      // milk Monday, Wednesday, Friday
      if (wd === 1 || wd === 3 || wd === 5) {
        const milk = [line('纯牛奶', between(110, 125) * 1000, { storageClass: 'chilled', productionDate: addDays(date, -between(1, 3)), shelfLifeDays: 30 })];
        if (wd === 3) milk.push(line('酸奶', between(105, 120) * 1000, { storageClass: 'chilled', productionDate: addDays(date, -1), shelfLifeDays: 21, temperatureDc: between(30, 60) }));
        plans.push({ supplier: 'dairy', lines: milk });
      }
      // fish Tuesday and Thursday; frozen hairtail now and then
      if (wd === 2 || wd === 4) {
        const fish = [line(pick(['草鱼', '鲈鱼']), qty(5, 8), { storageClass: 'chilled', temperatureDc: between(10, 40) })];
        if (r() < 0.4) fish.push(line('带鱼段', qty(3, 5), { storageClass: 'frozen', temperatureDc: -between(180, 200), productionDate: addDays(date, -between(20, 60)), shelfLifeDays: 270 }));
        plans.push({ supplier: 'fish', lines: fish });
      }
      // grain and oil on Mondays (or the first school day of the month), seasonings every other week
      if (wd === 1 || firstOfMonth) {
        const made = addDays(date, -between(20, 45));
        const grain = [
          line('大米', qty(70, 100), { productionDate: made, shelfLifeDays: 365, batchNo: `DM${made.replaceAll('-', '')}` }),
          line('面粉', qty(10, 20), { productionDate: made, shelfLifeDays: 270 }),
        ];
        const dom = Number(date.slice(8));
        if (dom <= 7 || (dom >= 15 && dom <= 21)) {
          grain.push(line('大豆油', between(3, 5) * 1000, { productionDate: made, shelfLifeDays: 540 }));
          for (const [n, lo, hi] of [['食用盐', 3, 6], ['生抽', 3, 6], ['米醋', 2, 4], ['白砂糖', 2, 4], ['料酒', 2, 4]] as const) {
            grain.push(line(n, between(lo, hi) * 1000, { productionDate: addDays(date, -between(30, 90)), shelfLifeDays: 720 }));
          }
        }
        plans.push({ supplier: 'grain', lines: grain });
      }
      // eggs from the market stall Monday, Wednesday, Friday while its licence holds
      if (date <= eggLicenceEnds && (wd === 1 || wd === 3 || wd === 5)) plans.push({ supplier: 'eggs', lines: [line('鸡蛋', qty(6, 9), { storageClass: 'chilled' })] });
      return plans;
    };

    const save = (date: string, p: Plan, n: number, extra: Partial<Input<'receiving.saveDraft'>['draft']> = {}) =>
      d.call('receiving.saveDraft', {
        id: null,
        draft: {
          date,
          arrivalTime: `0${6 + Math.min(n, 3)}:${String(between(0, 59)).padStart(2, '0')}`,
          supplierId: sup(p.supplier).id,
          noteNumber: `${NOTE_PREFIX[p.supplier]}${date.replaceAll('-', '')}-${n + 1}`,
          inspectorIds: nextPair(),
          witnessUserId: weekday(date) === 5 && n === 0 ? parent : null,
          lines: p.lines,
          ...extra,
        },
      });
    /** Posts a saved draft, writing a note for each warning the check raises (as the storekeeper would). */
    const post = async (id: string) => {
      const v = await d.call('receiving.get', { id });
      const warnings = v.findings.filter((f) => f.level === 'warning');
      if (warnings.length) {
        const warningNotes = warnings.map((f) => ({ code: f.code, lineIndex: f.lineIndex ?? null, note: WARNING_NOTES[f.code] ?? '已核实' }));
        await d.call('receiving.saveDraft', { id, draft: { ...toDraftInput(v), warningNotes } });
      }
      return d.call('receiving.post', { id });
    };

    const thisMonth = d.today.slice(0, 7);
    const last = previousMonth(thisMonth);
    const days = [...schoolDays(`${last}-01`, addDays(`${thisMonth}-01`, -1)), ...schoolDays(`${thisMonth}-01`, addDays(d.today, -1))];
    let corrected = false;
    for (const [i, date] of days.entries()) {
      const plans = plansFor(date, i === 0 || days[i - 1].slice(0, 7) !== date.slice(0, 7));
      for (const [n, p] of plans.entries()) {
        const saved = await save(date, p, n);
        const posted = await post(saved.id);
        // One correction mid last month: the meat price was typed wrong, the delivery is cancelled and amended.
        if (!corrected && p.supplier === 'meat' && date.slice(0, 7) === last && date.slice(8) >= '10') {
          corrected = true;
          const { amended } = await d.call('receiving.cancel', { id: posted.id, reason: '第 1 行单价录入错误（多录一位小数）', amend: true });
          if (amended) await post(amended.id);
        }
      }
    }
    // Yesterday the cooperative brought greens; without a food licence the check blocks posting and it stays a draft.
    const yesterday = addDays(d.today, -1);
    await save(yesterday, { supplier: 'coop', lines: [line('青菜', qty(6, 10)), line('菠菜', qty(3, 5))] }, 9, { remark: '合作社尚未提供食品经营许可证，待补证后再过账' });

    // The accountant: 绿源's statement for last month (one delivery billed 3.50 more) and a payment to 禾丰粮油.
    await d.loginAs('accountant');
    const veg = sup('veg');
    const rec = await d.call('receiving.reconciliation', { supplierId: veg.id, month: last });
    if (rec.rows.length > 0) {
      const lines = rec.rows.map((row, k) => ({ ref: row.noteNumber, amountFen: row.ourFen + (k === Math.floor(rec.rows.length / 2) ? 350 : 0) }));
      await d.call('receiving.statementSave', {
        supplierId: veg.id,
        month: last,
        totalFen: lines.reduce((s, l) => s + l.amountFen, 0),
        invoiceNumbers: [`3301${last.replace('-', '')}0001`, `3301${last.replace('-', '')}0002`],
        lines,
        note: '差额待与供应商核实',
      });
    }
    const grain = sup('grain');
    const owed = await d.call('receiving.reconciliation', { supplierId: grain.id, month: last });
    if (owed.payableAtMonthEndFen > 0) {
      await d.call('receiving.pay', { supplierId: grain.id, date: `${thisMonth}-05` < d.today ? `${thisMonth}-05` : d.today, amountFen: owed.payableAtMonthEndFen, method: 'bank', reference: `ZZ${last.replace('-', '')}01`, note: `${last} 货款` });
    }
  },
};

/** A stored delivery back into the draft the API takes. */
function toDraftInput(x: DeliveryView): Input<'receiving.saveDraft'>['draft'] {
  return {
    date: x.date,
    arrivalTime: x.arrivalTime,
    supplierId: x.supplierId,
    noteNumber: x.noteNumber,
    inspectorIds: x.inspectors.map((i) => i.userId),
    witnessUserId: x.witnessUserId,
    witnessName: x.witnessUserId ? '' : x.witnessName,
    lines: x.lines.map((l) => ({
      ingredientId: l.ingredientId,
      receivedMilli: l.receivedMilli,
      acceptedMilli: l.acceptedMilli,
      rejectedMilli: l.rejectedMilli,
      rejectReason: l.rejectReason,
      disposition: l.disposition,
      unitPriceFen: l.unitPriceFen,
      printedAmountFen: l.printedAmountFen,
      productionDate: l.productionDate,
      batchNo: l.batchNo,
      shelfLifeDays: l.shelfLifeDays,
      expiryDate: l.shelfLifeDays !== null && l.productionDate ? null : l.expiryDate,
      storageClass: l.storageClass,
      packagingOk: l.packagingOk,
      labelOk: l.labelOk,
      freshOk: l.freshOk,
      temperatureDc: l.temperatureDc,
      certs: l.certs,
      note: l.note,
    })),
    warningNotes: x.warningNotes,
    warningNote: x.warningNote,
    remark: x.remark,
  };
}
