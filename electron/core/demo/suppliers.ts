import type { Input } from '../../../shared/api/index.ts';
import { addDays } from '../ledger/clock.ts';
import { makeCreditCode } from './credit-code.ts';
import type { DemoStep } from './types.ts';

const XIHU = '330106'; // 杭州市西湖区
const YUHANG = '330110'; // 杭州市余杭区
const CHUNAN = '330127'; // 淳安县

/**
 * Eight suppliers of a town school. Licence dates are relative to today so the home page always has something to
 * show: 鲜丰肉类's production licence runs out within 30 days, 三墩禽蛋's business licence has already expired.
 */
export function demoSuppliers(today: string): Input<'suppliers.create'>[] {
  const code = (kind: '1' | '2' | '3', div: string, body: string) => makeCreditCode(kind, div, body);
  const s = (name: string, creditCode: string, rest: Omit<Input<'suppliers.create'>, 'name' | 'creditCode'>) => ({ name, creditCode, ...rest });
  const c1 = code('1', XIHU, '32415768');
  const c2 = code('1', YUHANG, '58126430');
  const c3 = code('1', XIHU, '70238514');
  const c4 = code('2', XIHU, '06391742');
  const c5 = code('1', CHUNAN, '14752096');
  const c6 = code('1', YUHANG, '66017238');
  const c7 = code('1', XIHU, '83540127');
  const c8 = code('3', YUHANG, '27964301');
  return [
    s('杭州绿源农产品配送有限公司', c1, {
      address: '杭州市西湖区留下街道屏基山路 88 号', contactPerson: '吴国平', phone: '0571-87352016', kind: 'distributor',
      licences: [
        { kind: 'business', number: c1, expiresOn: null },
        { kind: 'food_business', number: 'JY13301060031452', expiresOn: addDays(today, 640) },
      ],
    }),
    s('浙江鲜丰肉类食品有限公司', c2, {
      address: '杭州市余杭区仁和街道东塘路 17 号', contactPerson: '沈建华', phone: '0571-86238845', kind: 'producer',
      licences: [
        { kind: 'business', number: c2, expiresOn: null },
        { kind: 'food_production', number: 'SC10433011000527', expiresOn: addDays(today, 18) },
      ],
    }),
    s('杭州禾丰粮油贸易有限公司', c3, {
      address: '杭州市西湖区三墩镇振华路 203 号', contactPerson: '郑丽萍', phone: '13805716624', kind: 'distributor',
      licences: [
        { kind: 'business', number: c3, expiresOn: addDays(today, 2900) },
        { kind: 'food_business', number: 'JY13301060047719', expiresOn: addDays(today, 410) },
      ],
    }),
    s('杭州西湖区三墩禽蛋经营部', c4, {
      address: '杭州市西湖区三墩农贸市场 B 区 12 号摊位', contactPerson: '何根土', phone: '13958011473', kind: 'market',
      licences: [
        { kind: 'business', number: c4, expiresOn: null },
        { kind: 'food_business', number: 'JY23301060058231', expiresOn: addDays(today, -12) },
      ],
    }),
    s('淳安千岛湖鲜活水产有限公司', c5, {
      address: '杭州市淳安县千岛湖镇新安东路 56 号', contactPerson: '方志强', phone: '0571-64812390', kind: 'producer',
      licences: [
        { kind: 'business', number: c5, expiresOn: null },
        { kind: 'food_production', number: 'SC12233012700318', expiresOn: addDays(today, 905) },
      ],
    }),
    s('杭州晨光乳品有限公司', c6, {
      address: '杭州市余杭区良渚街道好运街 9 号', contactPerson: '蒋文斌', phone: '0571-88607721', kind: 'producer',
      licences: [
        { kind: 'business', number: c6, expiresOn: null },
        { kind: 'food_production', number: 'SC10533011000846', expiresOn: addDays(today, 1200) },
      ],
    }),
    s('杭州豆香坊豆制品有限公司', c7, {
      address: '杭州市西湖区转塘街道龙山路 31 号', contactPerson: '叶美娟', phone: '0571-87096653', kind: 'producer',
      licences: [
        { kind: 'business', number: c7, expiresOn: null },
        { kind: 'food_production', number: 'SC11133010600294', expiresOn: addDays(today, 530) },
      ],
    }),
    s('余杭兴农蔬菜专业合作社', c8, {
      address: '杭州市余杭区径山镇前溪村 5 组', contactPerson: '俞土根', phone: '13606518892', kind: 'farm',
      licences: [{ kind: 'business', number: c8, expiresOn: null }],
    }),
  ];
}

export const suppliersStep: DemoStep = {
  name: '供应商',
  async run(d) {
    await d.loginAs('storekeeper');
    for (const input of demoSuppliers(d.today)) {
      const s = await d.call('suppliers.create', input);
      d.suppliers.set(s.name, s);
    }
  },
};
