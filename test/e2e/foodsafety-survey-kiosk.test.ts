import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PASSWORD, setupBackend, type TestBackend } from '../helpers/backend.ts';
import { focusedTestId, openApp, type App } from './harness.ts';

/**
 * 满意度 现场填写 end to end in Chromium (issue 17), Thursday 2026-10-15: the term 2026秋 has 40 paper forms counted
 * (entered through the API). The 食堂管理员 opens 现场填写 on the 满意度与投诉 page; the window becomes the parents' page
 * — no menu, a reload or a typed address stays on it. Two parents answer by keyboard one after another (1/2/3, arrows,
 * Enter); the second sees nothing of the first's answers. Leaving refuses a wrong password and takes the opener's; the
 * survey page then shows the paper counts, the typed ones and their sum (figures worked by hand below).
 */
const NOW = new Date('2026-10-15T02:00:00Z');
const Q = ['饭菜口味', '饭菜份量', '食品卫生', '菜品种类', '价格', '服务态度'];
let b: TestBackend;
let app: App;

beforeAll(async () => {
  b = await setupBackend({ now: () => NOW });
  await b.loginAs('reviewer');
  const paper: [number, number, number][] = [
    [30, 8, 2],
    [25, 10, 5],
    [35, 5, 0],
    [20, 15, 4],
    [18, 12, 10],
    [32, 6, 2],
  ];
  await b.call('surveys.record', { termName: '2026秋', date: '2026-10-14', forms: 40, results: Q.map((question, i) => ({ question, counts: { satisfied: paper[i][0], fair: paper[i][1], dissatisfied: paper[i][2] } })) });
  await b.loginAs('storekeeper');
  app = await openApp({ backend: b, name: 'foodsafety-survey-kiosk', path: '/foodsafety/surveys' });
  await app.page.getByTestId('kiosk-open').waitFor();
});

afterAll(async () => {
  await app?.close();
  b?.cleanup();
});

const typed = () => b.db.prepare('SELECT answers, remark FROM survey_responses ORDER BY submitted_at, id').all() as { answers: string; remark: string }[];

describe('现场填写 in Chromium', () => {
  test('the storekeeper opens it: the window is the parents\' page only, even after a reload or a typed address', async () => {
    const { page } = app;
    await page.getByTestId('kiosk-term').fill('2026秋');
    await page.getByTestId('kiosk-open').click();
    await page.getByTestId('kiosk-q-0').waitFor();
    expect(await page.getByTestId('side-menu').count()).toBe(0);
    expect(await page.getByTestId('user-menu').count()).toBe(0);
    await page.reload();
    await page.evaluate(() => (window.location.hash = '#/audit'));
    await page.getByTestId('kiosk-q-0').waitFor();
    expect(await page.getByTestId('side-menu').count()).toBe(0);
    expect(await page.getByRole('radiogroup').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))).toEqual(Q);
    await expect.poll(() => focusedTestId(page)).toBe('kiosk-q-0');
    await app.screenshot('kiosk-empty');
  });

  test('the first parent answers by keyboard (1/2/3), writes a remark and submits; thanks, then the page clears', async () => {
    const { page } = app;
    for (const k of ['1', '1', '2', '3', '2', '1']) await page.keyboard.press(k);
    await expect.poll(() => focusedTestId(page)).toBe('kiosk-remark');
    await page.keyboard.type('希望多一些蔬菜');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedTestId(page)).toBe('kiosk-submit');
    await page.keyboard.press('Enter');
    await page.getByTestId('kiosk-thanks').waitFor();
    expect(typed()).toEqual([{ answers: '["satisfied","satisfied","fair","dissatisfied","fair","satisfied"]', remark: '希望多一些蔬菜' }]);
    await app.screenshot('kiosk-thanks');
    // Enter on 下一位家长填写 clears the page at once.
    await expect.poll(() => focusedTestId(page)).toBe('kiosk-next');
    await page.keyboard.press('Enter');
    await page.getByTestId('kiosk-q-0').waitFor();
  });

  test('the second parent sees none of it, is told of an unanswered question, and answers with the arrows and Enter', async () => {
    const { page } = app;
    expect(await page.locator('[role="radio"][aria-checked="true"]').count()).toBe(0);
    expect(await page.getByTestId('kiosk-remark').inputValue()).toBe('');
    await page.getByTestId('kiosk-submit').click();
    expect(await page.getByTestId('kiosk-error').textContent()).toBe('第 1 题“饭菜口味”还没有回答');
    await expect.poll(() => focusedTestId(page)).toBe('kiosk-q-0');
    // → → picks 基本满意 (from none: 满意, then 基本满意); Enter moves on; 3, 1, 1, 3, 1.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    for (const k of ['3', '1', '1', '3', '1']) await page.keyboard.press(k);
    expect(await page.locator('[role="radio"][aria-checked="true"]').allTextContents()).toEqual(['2 基本满意', '3 不满意', '1 满意', '1 满意', '3 不满意', '1 满意']);
    await expect.poll(() => focusedTestId(page)).toBe('kiosk-remark');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.getByTestId('kiosk-thanks').waitFor();
    expect(typed().map((r) => [JSON.parse(r.answers), r.remark])).toEqual([
      [['satisfied', 'satisfied', 'fair', 'dissatisfied', 'fair', 'satisfied'], '希望多一些蔬菜'],
      [['fair', 'dissatisfied', 'satisfied', 'satisfied', 'dissatisfied', 'satisfied'], ''],
    ]);
  });

  test('leaving takes the opener\'s password; the survey then shows paper, typed and combined', async () => {
    const { page } = app;
    await page.getByTestId('kiosk-leave').click();
    await page.getByTestId('kiosk-password').fill('not-the-password');
    await page.keyboard.press('Enter');
    expect(await page.getByTestId('kiosk-leave-error').textContent()).toBe('密码不正确：退出现场填写须输入开启人 张保管 的密码');
    expect(await page.getByTestId('side-menu').count()).toBe(0);
    await page.getByTestId('kiosk-password').fill(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByTestId('side-menu').waitFor();
    const terms = page.getByTestId('survey-terms');
    await terms.getByText('2026秋').waitFor();
    const row = terms.locator('tbody tr').first();
    const cells = await row.locator('td').allTextContents();
    // Paper 40, typed 2, together 42. 满意率: paper 216 of 239 answers = 90.38 %; typed 9 of 12 = 75.00 %;
    // together 225 of 251 = 89.64 %.
    expect(cells.slice(0, 5)).toEqual(['2026秋', '40 份', '2 份', '42 份', '90.38% / 75.00% / 89.64%']);
    expect(await row.locator('td').nth(5).locator('div').allTextContents()).toEqual([
      '饭菜口味：30/8/2 + 1/1/0 = 31/9/2',
      '饭菜份量：25/10/5 + 1/0/1 = 26/10/6',
      '食品卫生：35/5/0 + 1/1/0 = 36/6/0',
      '菜品种类：20/15/4 + 1/0/1 = 21/15/5',
      '价格：18/12/10 + 0/1/1 = 18/13/11',
      '服务态度：32/6/2 + 2/0/0 = 34/6/2',
    ]);
    expect(cells[6]).toBe('2026-10-15 张保管 开启，2 份，张保管 结束');
    expect(cells[7]).toBe('2026-10-15 希望多一些蔬菜');
    await app.screenshot('survey-combined');
    expect(app.errors).toEqual([]);
  });
});
