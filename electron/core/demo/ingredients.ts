import type { Input } from '../../../shared/api/index.ts';
import type { Category, CertKind } from '../../../shared/domain.ts';
import type { DemoStep } from './types.ts';

type Row = [name: string, unit: string, spec: string, priceFen: number | null, flags?: { certs?: CertKind[]; storable?: boolean; banned?: boolean }];

const PORK: CertKind[] = ['animal_quarantine', 'meat_quality'];
const MEAT: CertKind[] = ['animal_quarantine'];
const KEEP = { storable: true };

/** A town school's catalogue at 2026 Zhejiang prices (fen per unit); banned items stay listed so they are caught. */
const CATALOGUE: Record<Category, Row[]> = {
  grain: [
    ['大米', '千克', '东北粳米 25kg/袋', 560, KEEP],
    ['面粉', '千克', '中筋 25kg/袋', 480, KEEP],
    ['挂面', '千克', '', 900, KEEP],
    ['糯米', '千克', '', 720, KEEP],
    ['小米', '千克', '', 1200, KEEP],
    ['玉米面', '千克', '', 600, KEEP],
    ['大豆油', '桶', '5L/桶', 7500, KEEP],
    ['菜籽油', '桶', '5L/桶', 8900, KEEP],
  ],
  meat: [
    ['猪前腿肉', '千克', '', 2800, { certs: PORK }],
    ['猪后腿肉', '千克', '', 2900, { certs: PORK }],
    ['猪排骨', '千克', '', 4200, { certs: PORK }],
    ['猪里脊', '千克', '', 3600, { certs: PORK }],
    ['牛腩', '千克', '', 7800, { certs: MEAT }],
    ['牛后腿肉', '千克', '', 8200, { certs: MEAT }],
    ['羊肉', '千克', '带皮', 8800, { certs: MEAT }],
    ['三黄鸡', '千克', '冰鲜 整只', 2600, { certs: MEAT }],
    ['鸡腿', '千克', '冷冻', 2200, { certs: MEAT, storable: true }],
    ['鸡胸肉', '千克', '冷冻', 1800, { certs: MEAT, storable: true }],
    ['鸡翅中', '千克', '冷冻', 4600, { certs: MEAT, storable: true }],
    ['鸡蛋', '千克', '', 1100],
  ],
  aquatic: [
    ['草鱼', '千克', '鲜活', 1800],
    ['鲈鱼', '千克', '鲜活', 3600],
    ['基围虾', '千克', '鲜活', 7000],
    ['带鱼段', '千克', '冷冻', 3200, KEEP],
    ['巴沙鱼柳', '千克', '进口 冷冻', 2400, { certs: ['import_inspection'], storable: true }],
    ['海带结', '千克', '', 900],
  ],
  vegetable: [
    ['白菜', '千克', '', 280],
    ['青菜', '千克', '', 400],
    ['菠菜', '千克', '', 600],
    ['芹菜', '千克', '', 500],
    ['土豆', '千克', '', 320],
    ['胡萝卜', '千克', '', 300],
    ['西红柿', '千克', '', 600],
    ['黄瓜', '千克', '', 500],
    ['茄子', '千克', '', 500],
    ['青椒', '千克', '', 600],
    ['洋葱', '千克', '', 300],
    ['冬瓜', '千克', '', 200],
    ['西兰花', '千克', '', 900],
    ['香菇', '千克', '鲜', 1400],
    ['大蒜', '千克', '', 1000],
    ['生姜', '千克', '', 1200],
    ['小葱', '千克', '', 800],
    ['苹果', '千克', '', 900],
    ['香蕉', '千克', '', 600],
    ['四季豆', '千克', '', 800, { banned: true }],
    ['鲜黄花菜', '千克', '', 1600, { banned: true }],
    ['野生蘑菇', '千克', '', null, { banned: true }],
  ],
  dairy: [
    ['纯牛奶', '盒', '200mL/盒', 250, KEEP],
    ['酸奶', '杯', '100g/杯', 300],
  ],
  soy: [
    ['老豆腐', '千克', '', 600],
    ['豆腐干', '千克', '', 1200],
    ['千张', '千克', '', 1400],
    ['腐竹', '千克', '干货', 3200, KEEP],
  ],
  seasoning: [
    ['食用盐', '袋', '400g/袋 加碘', 250, KEEP],
    ['生抽', '瓶', '500mL/瓶', 850, KEEP],
    ['老抽', '瓶', '500mL/瓶', 900, KEEP],
    ['米醋', '瓶', '500mL/瓶', 600, KEEP],
    ['白砂糖', '千克', '', 800, KEEP],
    ['料酒', '瓶', '500mL/瓶', 700, KEEP],
    ['蚝油', '瓶', '700g/瓶', 1200, KEEP],
    ['玉米淀粉', '袋', '500g/袋', 500, KEEP],
    ['八角', '千克', '', 6000, KEEP],
  ],
  other: [
    ['紫菜', '包', '50g/包', 500, KEEP],
    ['黑木耳', '千克', '干货', 6000, KEEP],
    ['红枣', '千克', '', 2000, KEEP],
    ['速冻水饺', '千克', '冷冻 猪肉白菜馅', 1800, KEEP],
  ],
};

export function demoIngredients(): Input<'ingredients.create'>[] {
  return (Object.entries(CATALOGUE) as [Category, Row[]][]).flatMap(([category, rows]) =>
    rows.map(([name, unit, spec, refPriceFen, f = {}]) => ({
      name,
      category,
      unit,
      spec,
      refPriceFen,
      requiredCerts: f.certs ?? [],
      storable: f.storable ?? false,
      banned: f.banned ?? false,
    })),
  );
}

export const ingredientsStep: DemoStep = {
  name: '食材目录',
  async run(d) {
    await d.loginAs('storekeeper');
    for (const input of demoIngredients()) {
      const i = await d.call('ingredients.create', input);
      d.ingredients.set(i.name, i);
    }
    // The storekeeper's 鸡蛋 under 肉禽蛋 is checked as meat until someone who may classify it says it is 鲜蛋
    // (shared/cert-rules.ts defaultKind): the accountant does, and the month-close checklist lists the change.
    await d.loginAs('accountant');
    const egg = d.ingredients.get('鸡蛋')!;
    const { id, name, category, unit, spec, refPriceFen, banned, storable } = egg;
    d.ingredients.set(name, await d.call('ingredients.update', { id, name, category, unit, spec, refPriceFen, banned, storable, kind: 'eggs' }));
  },
};
