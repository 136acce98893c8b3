import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setupBackend, type TestBackend } from '../helpers/backend.ts';
import { creditCode } from '../core/receiving-fixtures.ts';
import { focusedTestId as focused, openApp, setSchoolClock, type App } from './harness.ts';

/**
 * The door form as a keyboard grid (issue 15): a 10-line delivery typed without the mouse from the open form to the
 * posted 验收单, in at most 250 keystrokes (the old two-row cards took 538). One pork line whose two certificates the
 * rules require (Enter leads into them), one partly rejected (Enter leads into reason and disposition), one in 斤 (Tab
 * to the unit cell, ↓ picks 斤, Enter goes on to the price), prices typed (no history to prefill them). A Chinese character typed is counted as 3 keystrokes (pinyin and the choice), every
 * other character and key as 1.
 *
 * Worked by hand: 大米 50 × 5.80 = 290.00; 猪肉 10 × 28.00 = 280.00; 白菜 20 received, 2 rejected: 18 × 2.40 = 43.20;
 * 面粉 25 × 4.20 = 105.00; 鸡蛋 15 × 11.00 = 165.00; 土豆 30 × 3.00 = 90.00; 西红柿 12 × 6.50 = 78.00; 黄瓜 16 斤 ×
 * 2.00/斤 = 32.00 (1 斤 = 0.5 kg: 8 kg in stock at 4.00/kg); 食用油 20 × 15.00 = 300.00; 豆腐 10 × 3.50 = 35.00 → 1,418.20.
 */
const POLL = { timeout: 60_000, interval: 100 };
const LONG = 600_000;
let b: TestBackend;
let app: App;

beforeAll(async () => {
  b = await setupBackend();
  await b.call('suppliers.create', {
    name: '城东农产品配送有限公司',
    creditCode: creditCode('91350102MA2XYW001'),
    address: '城东路 1 号',
    contactPerson: '王经理',
    phone: '0591-88886666',
    licences: [{ kind: 'food_business', number: 'JY13501020001', expiresOn: '2027-06-30' }],
  });
  const items: [string, 'grain' | 'meat' | 'vegetable' | 'soy' | 'seasoning', string, number][] = [
    ['大米', 'grain', 'kg', 580],
    ['猪肉', 'meat', 'kg', 2800],
    ['白菜', 'vegetable', 'kg', 240],
    ['面粉', 'grain', 'kg', 420],
    ['鸡蛋', 'meat', 'kg', 1100],
    ['土豆', 'vegetable', 'kg', 300],
    ['西红柿', 'vegetable', 'kg', 650],
    ['黄瓜', 'vegetable', 'kg', 400],
    ['食用油', 'seasoning', 'L', 1500],
    ['豆腐', 'soy', 'kg', 350],
  ];
  for (const [name, category, unit, refPriceFen] of items) {
    // 猪肉's certificates come from the rules for its kind (猪肉: 动物检疫 + 肉品品质), not from the item
    await b.call('ingredients.create', { name, category, unit, refPriceFen, requiredCerts: [], ...(name === '鸡蛋' ? { kind: 'eggs' as const } : {}) });
  }
  await b.loginAs('storekeeper');
  app = await openApp({ backend: b, name: 'receiving-keyboard', path: '/receiving' });
  app.page.setDefaultTimeout(60_000);
  // The school's clock is the backend's (2026-09-15 10:00 China time): the form's date defaults to that day.
  await setSchoolClock(app.page, Date.UTC(2026, 8, 15, 2));
  await app.page.reload();
});

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

describe('the door form from the keyboard', () => {
  test('a 10-line delivery (pork with certificates, a partly rejected line) is typed and posted in ≤ 250 keystrokes', async () => {
    const { page } = app;
    let keys = 0;
    const press = async (key: string) => {
      keys++;
      await page.keyboard.press(key);
    };
    const type = async (text: string) => {
      for (const ch of text) keys += /\p{Script=Han}/u.test(ch) ? 3 : 1;
      await page.keyboard.type(text);
    };
    /** Types into a select and takes the highlighted option with Enter once it is the one wanted (waiting is free). */
    const choose = async (typed: string, option: string) => {
      await type(typed);
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: option }).waitFor();
      await press('Enter');
    };
    const at = async (testid: string) => expect.poll(() => focused(page), POLL).toBe(testid);

    await page.evaluate(() => (location.hash = '#/receiving/new'));
    await page.getByTestId('delivery-form').waitFor();
    expect(await page.getByTestId('delivery-date').inputValue()).toBe('2026-09-15');
    await at('delivery-supplier'); // the form opens with the cursor in the supplier box

    await choose('cd', '城东农产品配送有限公司');
    await at('delivery-note-number');
    await type('SH-0915');
    await press('Enter');
    await at('delivery-inspector-0');
    await choose('zbg', '张保管');
    await at('delivery-inspector-1');
    await choose('lys', '李验收');
    await at('delivery-inspector-2');
    await press('Enter'); // no third inspector
    await press('Enter'); // no parent representative in the list
    await press('Enter'); // nor by name
    await at('line-0-item');

    /** One line on the row: item, quantity, price; Enter on an empty rejected box goes to the next line. */
    const line = async (i: number, initials: string, name: string, qty: string, price: string, rejected = '', unitDown = 0) => {
      await at(`line-${i}-item`);
      await choose(initials, name);
      await at(`line-${i}-received`);
      await type(qty);
      if (unitDown) {
        // kitchen units: the unit cell is a Tab away; ↓ picks the next unit (kg → 斤), and Enter goes on to the price
        await press('Tab');
        await at(`line-${i}-unit`);
        for (let k = 0; k < unitDown; k++) await press('ArrowDown');
      }
      await press('Enter');
      await at(`line-${i}-price`);
      await type(price);
      await press('Enter');
      await at(`line-${i}-rejected`);
      if (rejected) await type(rejected);
      await press('Enter');
    };

    await line(0, 'dm', '大米', '50', '5.8');
    await line(1, 'zr', '猪肉', '10', '28');
    // pork: the rules require two certificates, and Enter leads into them rather than to the next line
    await at('line-1-cert-animal_quarantine');
    await type('DQ-3501-0915');
    await press('Enter');
    await at('line-1-cert-meat_quality');
    await type('RP-3501-0915');
    await press('Enter');
    // a partly rejected line: Enter leads to the reason and the disposition, which posting needs
    await line(2, 'bc', '白菜', '20', '2.4', '2');
    await at('line-2-reject-reason');
    await type('外层烂叶');
    await press('Enter');
    await at('line-2-disposition');
    await press('ArrowRight'); // 当场退回 → 销毁
    await press('Enter');
    await line(3, 'mf', '面粉', '25', '4.2');
    await line(4, 'jd', '鸡蛋', '15', '11');
    await line(5, 'td', '土豆', '30', '3');
    await line(6, 'xhs', '西红柿', '12', '6.5');
    await line(7, 'hg', '黄瓜', '16', '2', '', 1);
    await line(8, 'syy', '食用油', '20', '15');
    await line(9, 'df', '豆腐', '10', '3.5');
    await at('line-10-item');
    expect(await page.getByTestId('line-2-accepted').textContent()).toBe('18 kg');
    expect(await page.getByTestId('line-2-amount').textContent()).toBe('¥43.20');
    expect(await page.getByTestId('line-7-accepted').textContent()).toBe('16 斤 = 8 kg');
    expect(await page.getByTestId('line-7-amount').textContent()).toBe('¥32.00');
    expect(await page.getByTestId('delivery-total').textContent()).toBe('合格金额合计：¥1,418.20');
    // the checks have passed: Enter on the empty line leaves the grid for 过账, and Enter posts
    await expect.poll(() => page.getByTestId('delivery-post').isDisabled(), POLL).toBe(false);
    await app.screenshot('grid-ready');
    await press('Enter');
    await at('delivery-post');
    await press('Enter');
    await page.getByTestId('delivery-detail').waitFor();

    expect(keys).toBeLessThanOrEqual(250);
    console.log(`[receiving-keyboard] 10 lines typed and posted in ${keys} keystrokes`);

    const list = await b.call('receiving.list', {});
    expect(list.rows).toHaveLength(1);
    expect(list.rows[0]).toMatchObject({ number: 'YS2026-0001', status: 'posted', totalFen: 141_820, lineCount: 10, rejectedLines: 1 });
    const d = await b.call('receiving.get', { id: list.rows[0].id });
    expect(d.noteNumber).toBe('SH-0915');
    expect(d.inspectors.map((x) => x.name).sort()).toEqual(['张保管', '李验收'].sort());
    expect(d.lines.map((l) => [l.ingredientName, l.receivedMilli, l.acceptedMilli, l.unitPriceFen, l.amountFen])).toEqual([
      ['大米', 50_000, 50_000, 580, 29_000],
      ['猪肉', 10_000, 10_000, 2_800, 28_000],
      ['白菜', 20_000, 18_000, 240, 4_320],
      ['面粉', 25_000, 25_000, 420, 10_500],
      ['鸡蛋', 15_000, 15_000, 1_100, 16_500],
      ['土豆', 30_000, 30_000, 300, 9_000],
      ['西红柿', 12_000, 12_000, 650, 7_800],
      ['黄瓜', 16_000, 16_000, 200, 3_200],
      ['食用油', 20_000, 20_000, 1_500, 30_000],
      ['豆腐', 10_000, 10_000, 350, 3_500],
    ]);
    expect(d.lines[1].certs).toEqual({ animal_quarantine: 'DQ-3501-0915', meat_quality: 'RP-3501-0915' });
    expect(d.lines[2]).toMatchObject({ rejectedMilli: 2_000, rejectReason: '外层烂叶', disposition: 'destroyed' });
    // 黄瓜 as billed (16 斤 at 2.00/斤) and as stored: 8 kg at 4.00/kg, in stock as 8 kg worth 32.00
    expect(d.lines[7]).toMatchObject({ receivedUnit: '斤', unitSizeMilli: 500, baseReceivedMilli: 8_000, baseAcceptedMilli: 8_000, baseUnitPriceFen: 400 });
    expect(b.db.prepare('SELECT received_milli, accepted_milli, unit_price_fen, amount_fen FROM delivery_lines WHERE delivery_id = ? AND line_no = 8').get(d.id)).toEqual({
      received_milli: 8_000,
      accepted_milli: 8_000,
      unit_price_fen: 400,
      amount_fen: 3_200,
    });
    expect(b.db.prepare('SELECT in_milli, in_value_fen FROM stock_lots WHERE delivery_id = ? AND line_no = 8').get(d.id)).toEqual({ in_milli: 8_000, in_value_fen: 3_200 });
    // the printed 验收单 says the unit billed and what it is in kg
    await page.getByTestId('delivery-print-view').click();
    await page.getByTestId('delivery-print').waitFor();
    expect(await page.getByTestId('print-unit-8').textContent()).toBe('斤1斤=0.5kg');
    expect(await page.getByTestId('print-accepted-8').textContent()).toBe('16=8kg');
    await app.screenshot('print-kitchen-units');
    await page.getByRole('button', { name: '返回' }).click();
    expect(app.errors).toEqual([]);
  }, LONG);

  test('复制上次送货 fills the supplier’s last delivery as new lines, quantities blank; Enter walks the quantities', async () => {
    const { page } = app;
    const at = async (testid: string) => expect.poll(() => focused(page), POLL).toBe(testid);
    await page.evaluate(() => (location.hash = '#/receiving/new'));
    await page.getByTestId('delivery-form').waitFor();
    expect(await page.getByTestId('delivery-copy-last').isDisabled()).toBe(true); // no supplier yet
    await at('delivery-supplier');
    await page.keyboard.type('cd');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option-active', { hasText: '城东农产品配送有限公司' }).waitFor();
    await page.keyboard.press('Enter');
    await at('delivery-note-number');
    await page.keyboard.type('SH-0916');
    await page.getByTestId('delivery-copy-last').click();
    await at('line-0-received');
    const names = ['大米', '猪肉', '白菜', '面粉', '鸡蛋', '土豆', '西红柿', '黄瓜', '食用油', '豆腐'];
    // 黄瓜 was billed in 斤 last time: the copy keeps the unit and its price per 斤 (2.00, not 4.00 per kg)
    const prices = ['5.80', '28.00', '2.40', '4.20', '11.00', '3.00', '6.50', '2.00', '15.00', '3.50'];
    for (const [i, name] of names.entries()) {
      // the item's name shows once the copied items are fetched ('…' meanwhile): waited for, as everywhere here
      await expect.poll(() => page.getByTestId(`line-${i}-item`).textContent(), POLL).toContain(name);
      expect(await page.getByTestId(`line-${i}-price`).inputValue()).toBe(prices[i]);
      expect(await page.getByTestId(`line-${i}-received`).inputValue()).toBe('');
      expect(await page.getByTestId(`line-${i}-rejected`).inputValue()).toBe('');
    }
    expect(await page.getByTestId('line-7-unit').inputValue()).toBe('斤');
    expect(await page.getByTestId('line-1-cert-animal_quarantine').inputValue()).toBe(''); // each delivery has its own
    expect(await page.getByTestId('line-10-item').textContent()).not.toMatch(/大米|豆腐/);
    expect(await page.getByTestId('delivery-total').textContent()).toBe('合格金额合计：¥0.00');
    await app.screenshot('copied');
    // quantity, Enter past price and rejected (and 猪肉's two certificates, 黄瓜's unit 斤), Enter on the next item: its quantity
    const qty = ['40', '8', '15', '20', '10', '25', '10', '12', '10', '12'];
    for (const [i, q] of qty.entries()) {
      await at(`line-${i}-received`);
      await page.keyboard.type(q);
      for (let k = 0; k < (i === 1 ? 5 : i === 7 ? 4 : 3); k++) await page.keyboard.press('Enter');
      await at(`line-${i + 1}-item`);
      if (i < 9) await page.keyboard.press('Enter');
    }
    // 40 × 5.80 + 8 × 28 + 15 × 2.40 + 20 × 4.20 + 10 × 11 + 25 × 3 + 10 × 6.50 + 12 斤 × 2 + 10 × 15 + 12 × 3.50
    // = 232 + 224 + 36 + 84 + 110 + 75 + 65 + 24 + 150 + 42 = 1,042.00
    expect(await page.getByTestId('delivery-total').textContent()).toBe('合格金额合计：¥1,042.00');
    // back along the flow with Shift+Enter (from the empty line into the last field of the line above), ↑ to the line above
    await page.keyboard.press('Shift+Enter');
    await at('line-9-rejected');
    await page.keyboard.press('Shift+Enter');
    await at('line-9-price');
    await page.keyboard.press('ArrowUp');
    await at('line-8-price');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter'); // price → quantity → item → 黄瓜's rejected
    await at('line-7-rejected');
    await page.keyboard.press('ArrowDown');
    await at('line-8-rejected');
    await page.getByTestId('delivery-save').click();
    await expect.poll(async () => (await b.call('receiving.list', { status: 'draft' })).rows.length, POLL).toBe(1);
    const draft = await b.call('receiving.get', { id: (await b.call('receiving.list', { status: 'draft' })).rows[0].id });
    expect(draft.noteNumber).toBe('SH-0916');
    expect(draft.lines.map((l) => [l.ingredientName, l.receivedMilli, l.unitPriceFen, l.rejectedMilli])).toEqual([
      ['大米', 40_000, 580, 0],
      ['猪肉', 8_000, 2_800, 0],
      ['白菜', 15_000, 240, 0],
      ['面粉', 20_000, 420, 0],
      ['鸡蛋', 10_000, 1_100, 0],
      ['土豆', 25_000, 300, 0],
      ['西红柿', 10_000, 650, 0],
      ['黄瓜', 12_000, 200, 0],
      ['食用油', 10_000, 1_500, 0],
      ['豆腐', 12_000, 350, 0],
    ]);
    expect(draft.lines[1].certs).toEqual({});
    expect(app.errors).toEqual([]);
  }, LONG);
});
