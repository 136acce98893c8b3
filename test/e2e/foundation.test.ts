import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import type { Ingredient, Supplier } from '../../shared/api/masterdata.ts';
import { PASSWORD, setupBackend, tableDigest, tempLedger, type TestBackend } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * The Foundation issue end to end, in order on one empty ledger: first run, login, suppliers, ingredients, pinyin
 * search, the audit log, users and role-based menus. The clock is fixed at 2026-09-15 02:00 UTC = 10:00 China time.
 */
const NOW = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
const PW = 'admin-pass-123';

/** expect.poll with room for a loaded 2-core machine (its default gives up after 1 s). */
const until = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 100 });

let ledger: ReturnType<typeof tempLedger>;
let backend: Backend;
let app: App;

async function value<T>(name: string, input: unknown): Promise<T> {
  const r = await backend.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value as T;
}

beforeAll(async () => {
  ledger = tempLedger();
  backend = openBackend({ file: ledger.file, now: () => NOW });
  app = await openApp({ backend, name: 'foundation' });
});

afterAll(async () => {
  await app?.close();
  backend?.close();
  ledger?.cleanup();
});

describe('Foundation in Chromium', { timeout: 90_000 }, () => {
  test('first run sets up the school and its administrator', async () => {
    const { page } = app;
    await until(() => page.getByText('首次使用：建立账本').isVisible()).toBe(true);
    await page.getByLabel('学校名称').fill('阳光实验小学');
    await page.getByLabel('管理员用户名').fill('admin');
    await page.getByLabel('管理员姓名').fill('王管理');
    await page.getByLabel('密码', { exact: true }).fill(PW);
    await page.getByLabel('再次输入密码').fill('different-123');
    await page.getByRole('button', { name: '建立账本并登录' }).click();
    await until(() => page.getByText('两次输入的密码不一致').isVisible()).toBe(true);
    await page.getByLabel('再次输入密码').fill(PW);
    await app.screenshot('first-run');
    await page.getByRole('button', { name: '建立账本并登录' }).click();
    await page.getByTestId('school-name').waitFor();
    expect(await page.getByTestId('school-name').textContent()).toBe('阳光实验小学');
    expect(await value<{ initialized: boolean }>('setup.status', {})).toEqual({ initialized: true, schoolName: '阳光实验小学' });
  });

  test('logout, a wrong password is refused in Chinese, then admin logs in', async () => {
    const { page } = app;
    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByLabel('密码').press('Enter'); // Enter on the last field lands on 登录; Enter again submits
    await page.keyboard.press('Enter');
    await until(() => page.getByText('用户名或密码错误').first().isVisible()).toBe(true);
    await page.getByLabel('密码').fill(PW);
    await app.screenshot('login');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('side-menu').waitFor();
    for (const item of ['首页', '验收入库', '伙食费', '月结与公示', '供应商', '食材', '用户', '审计', '设置']) {
      // .first(): a group title and its only child may share the name (设置 › 设置).
      expect(await page.getByTestId('side-menu').getByRole('menuitem', { name: item, exact: true }).first().isVisible(), item).toBe(true);
    }
    await app.screenshot('home');
  });

  test('a supplier with two licences: a bad credit code is shown under its field and writes nothing', async () => {
    const { page } = app;
    await page.getByRole('menuitem', { name: '供应商', exact: true }).click();
    await page.getByRole('button', { name: '新增供应商' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('供应商名称').fill('绿源蔬菜配送有限公司');
    await dialog.getByLabel('统一社会信用代码').fill('91350100M000100Y44'); // check character should be 3
    await dialog.getByLabel('地址').fill('福州市鼓楼区五四路 1 号');
    await dialog.getByLabel('联系人').fill('林师傅');
    await dialog.getByLabel('联系电话').fill('0591-88880000');
    const rows = dialog.getByTestId('licence-row');
    expect(await rows.count()).toBe(2);
    await rows.nth(0).getByPlaceholder('证照编号').fill('91350100M000100Y43');
    await rows.nth(1).getByPlaceholder('证照编号').fill('JY13501000000001');
    await rows.nth(1).getByPlaceholder('有效期至').fill('2027-06-30');
    await rows.nth(1).getByPlaceholder('有效期至').press('Enter');
    const digest = tableDigest(backend);
    await dialog.getByRole('button', { name: '保存' }).click();
    await until(() => dialog.getByText('统一社会信用代码应为 18 位且校验位正确').isVisible()).toBe(true);
    // One submission only: Enter in the date field moved on, it did not submit the form as well.
    expect(await page.locator('.ant-message-notice').count()).toBe(1);
    expect(tableDigest(backend)).toBe(digest);
    await app.screenshot('supplier-error');
    await dialog.getByLabel('统一社会信用代码').fill('91350100M000100Y43');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    const table = page.getByTestId('supplier-table');
    await until(() => table.getByText('绿源蔬菜配送有限公司').isVisible()).toBe(true);
    expect(await table.getByText('营业执照：长期').isVisible()).toBe(true);
    expect(await table.getByText('食品经营许可证：2027-06-30').isVisible()).toBe(true);
    await app.screenshot('suppliers');
    const [s] = await value<Supplier[]>('suppliers.search', { q: 'lyscps' }); // 绿源蔬菜配送 by pinyin initials
    expect(s).toMatchObject({
      name: '绿源蔬菜配送有限公司',
      creditCode: '91350100M000100Y43',
      address: '福州市鼓楼区五四路 1 号',
      contactPerson: '林师傅',
      phone: '0591-88880000',
      kind: 'distributor',
      licences: [
        { kind: 'business', number: '91350100M000100Y43', expiresOn: null },
        { kind: 'food_business', number: 'JY13501000000001', expiresOn: '2027-06-30' },
      ],
      disabled: false,
    });
  });

  test('ingredient 白菜 typed from the keyboard (Enter moves on), then found by "bc"', async () => {
    const { page } = app;
    await page.getByRole('menuitem', { name: '食材', exact: true }).click();
    await page.getByRole('button', { name: '新增食材' }).click();
    const dialog = page.getByRole('dialog');
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
    await dialog.getByLabel('品名').fill('白菜');
    await page.keyboard.press('Enter');
    expect(await focusedId()).toBe('category');
    await page.keyboard.press('ArrowDown'); // opens the list on the current 蔬菜水果
    await until(() => page.locator('#category').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Enter'); // picks it and moves on
    await until(focusedId).toBe('unit'); // default kg stays
    await page.keyboard.press('Enter');
    await until(focusedId).toBe('spec');
    await page.keyboard.type('散装');
    await page.keyboard.press('Enter');
    expect(await focusedId()).toBe('refPriceFen');
    await page.keyboard.type('2.5');
    await page.keyboard.press('Enter');
    expect(await dialog.getByLabel('参考价').inputValue()).toBe('2.50'); // re-shown as money once left
    await app.screenshot('ingredient-form');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    // A second ingredient so that the search has something to leave out.
    await value('ingredients.create', { name: '土豆', category: 'vegetable', unit: 'kg', storable: true });
    await page.getByTestId('ingredient-search').locator('input').fill('bc');
    const table = page.getByTestId('ingredient-table');
    await until(() => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    expect(await table.locator('tbody tr.ant-table-row').first().textContent()).toContain('白菜');
    await app.screenshot('ingredient-search');
    const found = await value<Ingredient[]>('ingredients.search', { q: '白菜' });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: '白菜', category: 'vegetable', unit: 'kg', spec: '散装', refPriceFen: 250, requiredCerts: [], banned: false, storable: false });
  });

  test('审计 shows the creations in China time with their values; the ingredient picker takes "bc" + Enter', async () => {
    const { page } = app;
    await page.getByRole('menuitem', { name: '审计', exact: true }).click();
    const table = page.getByTestId('audit-table');
    // The log's own rows (they carry the expand button), not the rows of an expanded before/after table.
    const entries = table.locator('tr.ant-table-row').filter({ has: page.locator('td.ant-table-row-expand-icon-cell') });
    await until(() => table.getByText('绿源蔬菜配送有限公司').isVisible()).toBe(true);
    // 02:00 UTC is 10:00 in China.
    expect(await entries.first().textContent()).toContain('2026-09-15 10:00:00');
    const supplierRow = entries.filter({ hasText: '绿源蔬菜配送有限公司' });
    expect(await supplierRow.textContent()).toContain('新增');
    expect(await supplierRow.textContent()).toContain('王管理');
    await supplierRow.click();
    const diff = page.getByTestId('audit-diff').first();
    await diff.waitFor();
    expect(await diff.locator('tr', { hasText: '统一社会信用代码' }).textContent()).toContain('91350100M000100Y43');
    expect(await diff.locator('tr', { hasText: '证照 · 第2项 · 有效期至' }).textContent()).toContain('2027-06-30');
    expect(await diff.locator('tr', { hasText: '证照 · 第1项 · 类型' }).textContent()).toContain('营业执照');
    expect(await diff.locator('tr', { hasText: '证照 · 第1项 · 有效期至' }).textContent()).toContain('—'); // 长期
    await app.screenshot('audit-supplier');
    await supplierRow.click(); // collapse

    // Filtered by what was done, chosen in Chinese from the keyboard (issue 15: the page showed raw codes).
    await page.getByTestId('audit-action').click();
    await page.keyboard.type('新增');
    await page.keyboard.press('Enter');
    await until(() => page.getByTestId('audit-action').textContent()).toContain('新增（create）');
    await until(async () => {
      const texts = await entries.allTextContents();
      return texts.length > 0 && texts.every((x) => x.includes('新增') && !x.includes('修改'));
    }).toBe(true);

    await page.getByTestId('audit-entity').click();
    await page.locator('.ant-select-dropdown:visible').getByText('食材', { exact: true }).click();
    const picker = page.getByTestId('audit-ingredient');
    await picker.click();
    // Typed fast: Enter comes before the search results; the first match is picked when they arrive.
    await page.keyboard.type('bc');
    await page.keyboard.press('Enter');
    await until(() => picker.textContent()).toContain('白菜');
    await until(() => entries.count()).toBe(1);
    const row = entries.first();
    expect(await row.textContent()).toContain('白菜');
    await row.click();
    const d = page.getByTestId('audit-diff').first();
    await d.waitFor();
    expect(await d.locator('tr', { hasText: '参考价' }).textContent()).toContain('2.50 元'); // typed as 2.5
    expect(await d.locator('tr', { hasText: '类别' }).textContent()).toContain('蔬菜水果');
    expect(await d.locator('tr', { hasText: '规格' }).textContent()).toContain('散装');
    await app.screenshot('audit-ingredient');
  });

  test('a storekeeper created by the admin sees only the menu the role allows', async () => {
    const { page } = app;
    await page.getByRole('menuitem', { name: '用户', exact: true }).click();
    await page.getByRole('button', { name: '新增用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill('zhangbg');
    await dialog.getByLabel('姓名').fill('张保管');
    await dialog.getByRole('checkbox', { name: '食堂管理员' }).check();
    await dialog.getByLabel('初始密码').fill('store-pass-123');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    const users = page.getByTestId('user-table');
    await until(() => users.getByText('张保管').isVisible()).toBe(true);
    expect(await users.locator('tr', { hasText: 'zhangbg' }).textContent()).toContain('食堂管理员');
    await app.screenshot('users');

    await page.getByTestId('user-menu').click();
    await page.getByText('退出登录').click();
    await page.getByLabel('用户名').fill('zhangbg');
    await page.getByLabel('密码').fill('store-pass-123');
    await page.getByRole('button', { name: '登录' }).click();
    const menu = page.getByTestId('side-menu');
    await menu.waitFor();
    const visible = (name: string) => menu.getByRole('menuitem', { name, exact: true }).first().isVisible();
    for (const item of ['首页', '验收入库', '供应商', '食材']) expect(await visible(item), item).toBe(true);
    // DOMAIN.md: the storekeeper may not collect fees or close a month; users, audit and settings are others' work.
    for (const item of ['伙食费', '月结与公示', '用户', '审计', '设置']) expect(await menu.getByText(item, { exact: true }).count(), item).toBe(0);
    expect(await page.getByTestId('user-menu').textContent()).toContain('张保管');
    // Typing the address of a page the role may not open shows a refusal, not the page.
    await page.evaluate(() => (window.location.hash = '#/audit'));
    await until(() => page.getByText('您的角色无权打开此页面').isVisible()).toBe(true);
    await page.evaluate(() => (window.location.hash = '#/'));
    await app.screenshot('storekeeper-menu');
    expect(app.errors).toEqual([]);
  });
});

describe('Home, settings, users and own password (a set-up school)', { timeout: 90_000 }, () => {
  let b: TestBackend;
  let ui: App;
  beforeAll(async () => {
    b = await setupBackend({ now: () => NOW });
    // 2026-09-01 is before the fixed today (2026-09-15 in China): the food licence has expired.
    await b.call('suppliers.create', {
      name: '城东粮油商行',
      creditCode: '92440300L12345678R',
      address: '城东路 8 号',
      contactPerson: '赵老板',
      phone: '13800000000',
      licences: [
        { kind: 'business', number: '92440300L12345678R', expiresOn: null },
        { kind: 'food_business', number: 'JY14403000000002', expiresOn: '2026-09-01' },
      ],
    });
    await b.loginAs('admin');
    ui = await openApp({ backend: b, name: 'foundation-admin' });
  });
  afterAll(async () => {
    await ui?.close();
    b?.cleanup();
  });

  test('首页 lists the expired licence; 去处理 opens the supplier, and fixing it clears the item', async () => {
    const { page } = ui;
    const list = page.getByTestId('attention-list');
    const item = list.locator('.ant-list-item', { hasText: '城东粮油商行：食品经营许可证已过期' });
    await until(() => item.isVisible()).toBe(true);
    expect(await item.textContent()).toContain('须处理');
    expect(await item.textContent()).toContain('有效期至 2026-09-01');
    await ui.screenshot('home-attention');
    await item.getByRole('button', { name: '去处理' }).click();
    const dialog = page.getByRole('dialog');
    await until(() => dialog.getByText('编辑供应商：城东粮油商行').isVisible()).toBe(true);
    const date = dialog.getByTestId('licence-row').nth(1).getByPlaceholder('有效期至');
    await date.click();
    await date.fill('2027-12-31');
    await date.press('Enter');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'detached' });
    const s = await b.call('suppliers.search', { q: '城东粮油' });
    expect(s[0].licences[1]).toEqual({ kind: 'food_business', number: 'JY14403000000002', expiresOn: '2027-12-31' });
    await page.getByRole('menuitem', { name: '首页', exact: true }).click();
    await until(() => page.getByText('暂无需要处理的事项').isVisible()).toBe(true);
  });

  test('食材 filters by category', async () => {
    await b.call('ingredients.create', { name: '大米', category: 'grain', unit: 'kg', storable: true });
    await b.call('ingredients.create', { name: '青菜', category: 'vegetable', unit: 'kg' });
    const { page } = ui;
    await page.getByRole('menuitem', { name: '食材', exact: true }).click();
    const rows = page.getByTestId('ingredient-table').locator('tbody tr.ant-table-row');
    await until(() => rows.count()).toBe(2);
    await page.getByTestId('ingredient-category-filter').click();
    await page.locator('.ant-select-dropdown:visible').getByText('粮油', { exact: true }).click();
    await until(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('大米');
    expect(await rows.first().textContent()).toContain('可储存');
  });

  test('设置 saves the school name and a profile rate typed as a percentage', async () => {
    const { page } = ui;
    await page.getByRole('menuitem', { name: '设置', exact: true }).last().click();
    const form = page.getByTestId('settings-form');
    await form.getByLabel('学校名称').fill('阳光实验小学（东校区）');
    await form.getByLabel('结余率上限').fill('3.5');
    await form.getByLabel('退费办结时限（工作日）').fill('10');
    await ui.screenshot('settings');
    await form.getByRole('button', { name: '保存设置' }).click();
    await until(() => page.getByTestId('school-name').textContent()).toBe('阳光实验小学（东校区）');
    const school = await b.call('school.get', {});
    expect(school.name).toBe('阳光实验小学（东校区）');
    expect(school.profile.surplusLimitBp).toBe(350); // 3.5 % in basis points
    expect(school.profile.refundDeadlineWorkingDays).toBe(10);
    expect(school.profile.bannedItems).toContain('四季豆'); // untouched fields keep their values
    // Issue 14 §5: the change is a version in force from this month (the clock reads 2026-09-15), listed under the form.
    expect(school.profileVersions.map((v) => v.effectiveFrom)).toEqual(['2026-09', null]);
    await until(() => form.getByLabel('区域配置生效月份').inputValue()).toBe('2026-09');
    const versions = page.getByTestId('profile-versions').locator('tbody tr.ant-table-row');
    await until(() => versions.count()).toBe(2);
    expect(await versions.first().textContent()).toContain('2026年9月');
    expect(await versions.first().textContent()).toContain('系统管理员');
    expect(await versions.last().textContent()).toContain('建账起');
    // A month written wrong is refused on the page, before any call.
    await form.getByLabel('区域配置生效月份').fill('2026-9');
    await form.getByRole('button', { name: '保存设置' }).click();
    await until(() => form.textContent()).toContain('生效月份格式应为 YYYY-MM，如 2026-10');
    expect((await b.call('school.get', {})).profileVersions).toHaveLength(2);
    await form.getByLabel('区域配置生效月份').fill('2026-09');
  });

  test('用户: disable and enable, reset a password; 修改密码 changes the admin’s own', async () => {
    const { page } = ui;
    await page.getByRole('menuitem', { name: '用户', exact: true }).click();
    const row = page.getByTestId('user-table').locator('tr', { hasText: 'storekeeper2' });
    await row.getByRole('button', { name: '停用' }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: '确定' }).click();
    await until(() => row.textContent()).toContain('已停用');
    expect((await b.call('users.list', {})).find((u) => u.username === 'storekeeper2')?.disabled).toBe(true);
    await row.getByRole('button', { name: '启用' }).click();
    await page.locator('.ant-popconfirm:visible').getByRole('button', { name: '确定' }).click();
    await until(() => row.textContent()).toContain('在用');

    // Edit roles: 李验收 also becomes 出纳 (small schools double up).
    await row.getByRole('button', { name: '编辑' }).click();
    const edit = page.getByRole('dialog');
    await edit.getByRole('checkbox', { name: '出纳' }).check();
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.waitFor({ state: 'detached' });
    await until(() => row.textContent()).toContain('出纳');
    expect((await b.call('users.list', {})).find((u) => u.username === 'storekeeper2')?.roles.sort()).toEqual(['cashier', 'storekeeper']);

    const cashier = page.getByTestId('user-table').locator('tr', { hasText: 'cashier' });
    await cashier.getByRole('button', { name: '重置密码' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('新密码').fill('short');
    await dialog.getByRole('button', { name: '重置' }).click();
    await until(() => dialog.getByText('密码至少 8 位').isVisible()).toBe(true);
    await dialog.getByLabel('新密码').fill('cashier-new-456');
    await dialog.getByRole('button', { name: '重置' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.getByTestId('user-menu').click();
    await page.getByText('修改密码').click();
    await page.getByLabel('原密码').fill('not-my-password');
    await page.getByLabel('新密码', { exact: true }).fill('admin-new-789');
    await page.getByLabel('再次输入新密码').fill('admin-new-789');
    await page.getByRole('button', { name: '修改密码' }).click();
    await until(() => page.getByText('原密码不正确').first().isVisible()).toBe(true);
    await page.getByLabel('原密码').fill(PASSWORD);
    await page.getByRole('button', { name: '修改密码' }).click();
    await until(() => page.getByText('密码已修改').isVisible()).toBe(true);
    expect(ui.errors).toEqual([]);

    // Both new passwords work (the backend's own login check); the old ones no longer do.
    expect((await b.invoke('auth.login', { username: 'cashier', password: 'cashier-new-456' })).ok).toBe(true);
    expect((await b.invoke('auth.login', { username: 'admin', password: PASSWORD })).ok).toBe(false);
    expect((await b.invoke('auth.login', { username: 'admin', password: 'admin-new-789' })).ok).toBe(true);
  });
});
