import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_PROFILE } from '../../shared/profile.ts';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { creditCode } from '../core/receiving-fixtures.ts';
import { focusedTestId as focused, openApp, setSchoolClock, type App } from './harness.ts';

/**
 * 农残快检 at the door (issue 17), from the keyboard. The school's profile asks for a test on 蔬菜水果 from September.
 * The storekeeper types 白菜 20 kg × 2.40 and, Enter after the price, its test: 62.5 % inhibition (≥ 50 %: 不合格), the
 * tester and the time; the form rejects the whole 20 kg for 农残快检不合格, Enter walks through them to the disposition
 * (销毁). 菠菜 10 kg × 5.00 tests 12.5 % (合格); 大米 needs no test. Worked by hand: 菠菜 50.00 + 大米 50 × 5.80 = 290.00
 * → 340.00 accepted; the 白菜 line books nothing.
 */
const POLL = { timeout: 60_000, interval: 100 };
const LONG = 600_000;
let b: TestBackend;
let app: App;

beforeAll(async () => {
  b = await setupBackend();
  const school = await b.call('school.get', {});
  await b.call('school.update', { name: school.name, profile: { ...DEFAULT_PROFILE, residueTestCategories: ['vegetable'] }, effectiveFrom: '2026-09' });
  await b.call('suppliers.create', {
    name: '城东农产品配送有限公司',
    creditCode: creditCode('91350102MA2XYW001'),
    address: '城东路 1 号',
    contactPerson: '王经理',
    phone: '0591-88886666',
    licences: [{ kind: 'food_business', number: 'JY13501020001', expiresOn: '2027-06-30' }],
  });
  for (const [name, category, refPriceFen] of [['大米', 'grain', 580], ['白菜', 'vegetable', 240], ['菠菜', 'vegetable', 500]] as const) {
    await b.call('ingredients.create', { name, category, unit: 'kg', refPriceFen, requiredCerts: [] });
  }
  await b.loginAs('storekeeper');
  app = await openApp({ backend: b, name: 'receiving-residue', path: '/receiving' });
  app.page.setDefaultTimeout(60_000);
  // The school's clock is the backend's (2026-09-15 10:00 China time): the form's date defaults to that day.
  await setSchoolClock(app.page, Date.UTC(2026, 8, 15, 2));
  await app.page.reload();
});

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

describe('农残快检 at the door', () => {
  test('a failed test typed in the Enter flow rejects the whole line; the detail and the printed 验收单 show the tests', async () => {
    const { page } = app;
    const at = async (testid: string) => expect.poll(() => focused(page), POLL).toBe(testid);
    const choose = async (typed: string, option: string) => {
      await page.keyboard.type(typed);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: option }).waitFor();
      await page.keyboard.press('Enter');
    };
    const enter = () => page.keyboard.press('Enter');

    await page.evaluate(() => (location.hash = '#/receiving/new'));
    await page.getByTestId('delivery-form').waitFor();
    await at('delivery-supplier');
    await choose('cd', '城东农产品配送有限公司');
    await at('delivery-note-number');
    await page.keyboard.type('SH-0915');
    await enter();
    await at('delivery-inspector-0');
    await choose('zbg', '张保管');
    await at('delivery-inspector-1');
    await choose('lys', '李验收');
    await at('delivery-inspector-2');
    await enter();
    await enter();
    await enter();

    // 白菜: the test's fields follow the price in the Enter flow.
    await at('line-0-item');
    await choose('bc', '白菜');
    await at('line-0-received');
    await page.keyboard.type('20');
    await enter();
    await at('line-0-price');
    await page.keyboard.type('2.4');
    await page.getByTestId('line-0-residue').waitFor(); // the profile of September asks for it (from the live check)
    await enter();
    await at('line-0-residue-rate');
    await page.keyboard.type('62.5');
    await expect.poll(() => page.getByTestId('line-0-residue-verdict').textContent(), POLL).toBe('不合格，整行拒收');
    await enter();
    await at('line-0-residue-tester');
    await page.keyboard.type('李检测');
    await enter();
    await at('line-0-residue-time');
    await page.keyboard.type('07:40');
    await enter();
    // The whole quantity is rejected for 农残快检不合格: Enter walks through them to the disposition.
    await at('line-0-rejected');
    expect(await page.getByTestId('line-0-rejected').inputValue()).toBe('20');
    await enter();
    await at('line-0-reject-reason');
    expect(await page.getByTestId('line-0-reject-reason').inputValue()).toBe('农残快检不合格');
    await enter();
    await at('line-0-disposition');
    await page.keyboard.press('ArrowRight'); // 当场退回 → 销毁
    await enter();

    // 菠菜 passes at 12.5 %.
    await at('line-1-item');
    await choose('bocai', '菠菜');
    await at('line-1-received');
    await page.keyboard.type('10');
    await enter();
    await page.keyboard.type('5');
    await enter();
    await at('line-1-residue-rate');
    await page.keyboard.type('12.5');
    await enter();
    await page.keyboard.type('李检测');
    await enter();
    await page.keyboard.type('07:45');
    await enter();
    await at('line-1-rejected');
    expect(await page.getByTestId('line-1-residue-verdict').textContent()).toBe('合格');
    await enter();

    // 大米 needs none: price, rejected, next line.
    await at('line-2-item');
    await choose('dm', '大米');
    await at('line-2-received');
    await page.keyboard.type('50');
    await enter();
    await page.keyboard.type('5.8');
    await enter();
    await at('line-2-rejected');
    expect(await page.getByTestId('line-2-residue').count()).toBe(0);
    await enter();
    await at('line-3-item');
    expect(await page.getByTestId('delivery-total').textContent()).toBe('合格金额合计：¥340.00');
    await expect.poll(() => page.getByTestId('delivery-post').isDisabled(), POLL).toBe(false);
    await app.screenshot('tested');
    await enter();
    await at('delivery-post');
    await enter();
    await page.getByTestId('delivery-detail').waitFor();
    expect(await page.getByTestId('delivery-residue-1').textContent()).toContain('酶抑制率法 抑制率 62.5%');
    expect(await page.getByTestId('delivery-residue-1').textContent()).toContain('不合格');

    const list = await b.call('receiving.list', {});
    const d = await b.call('receiving.get', { id: list.rows[0].id });
    expect(d.totalFen).toBe(34_000);
    expect(d.lines.map((l) => [l.ingredientName, l.acceptedMilli, l.rejectedMilli, l.rejectReason, l.disposition, l.residueTest])).toEqual([
      ['白菜', 0, 20_000, '农残快检不合格', 'destroyed', { method: 'enzyme_inhibition', inhibitionTenths: 625, result: 'fail', tester: '李检测', testedTime: '07:40' }],
      ['菠菜', 10_000, 0, '', null, { method: 'enzyme_inhibition', inhibitionTenths: 125, result: 'pass', tester: '李检测', testedTime: '07:45' }],
      ['大米', 50_000, 0, '', null, null],
    ]);

    await page.getByTestId('delivery-print-view').click();
    const print = page.getByTestId('print-residue');
    await print.waitFor();
    const text = await print.textContent();
    for (const s of ['白菜', '酶抑制率法 抑制率 62.5%', '不合格（拒收）', '菠菜', '酶抑制率法 抑制率 12.5%', '李检测', '07:45']) expect(text).toContain(s);
    expect(await page.getByTestId('delivery-print').textContent()).toContain('农残快检不合格');
    await app.screenshot('print');
    expect(app.errors).toEqual([]);
  }, LONG);
});
