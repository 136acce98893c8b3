import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCentreBackend, type CentreBackend } from '../../electron/core/centre/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * 数据校验 at the centre (issue 18, centre integrity), in Chromium against the real centre backend: the centre admin
 * checks the file — clean, with its four audit entries —, a school's name is then changed through DuckDB directly and
 * the check names it; a mapping for one school (食材对应, 学校 chosen) is listed apart from the town's and lands in the
 * chain; a centre reviewer has no 数据校验 in the menu. Messages written out by hand.
 */
let dir: string;
let centre: CentreBackend;
let app: App;

async function call(name: string, input: unknown): Promise<unknown> {
  const r = await centre.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-verify-e2e-'));
  centre = await openCentreBackend({ file: path.join(dir, 'centre.duckdb'), create: true, now: () => new Date(Date.UTC(2026, 9, 20, 2, 0, 0)) });
  await call('centre.setup', { centreName: '城关镇教育管理中心', adminUsername: 'wang', adminName: '王主任', password: 'Centre-2026' });
  await call('users.create', { username: 'zhao', displayName: '赵审核', role: 'centre_reviewer', password: 'Review-2026' });
  await call('schools.enrol', { code: '9001', name: '甲校', fingerprint: 'ab'.repeat(32) });
  await call('schools.enrol', { code: '9002', name: '乙校', fingerprint: 'cd'.repeat(32) });
  await call('auth.logout', {});
  app = await openApp({ backend: centre, name: 'centre-verify' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  centre?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function login(username: string, password: string) {
  const page = app.page;
  await page.getByTestId('centre-login-username').fill(username);
  await page.getByTestId('centre-login-password').fill(password);
  await page.getByTestId('centre-login-submit').click();
}

describe('数据校验 in the centre app', () => {
  test('the centre admin checks the file: clean, then a school\'s name changed behind the app\'s back is named', async () => {
    const page = app.page;
    await login('wang', 'Centre-2026');
    await page.getByRole('menuitem', { name: '数据校验' }).click();
    await page.getByTestId('centre-verify-run').click();
    await expect
      .poll(() => page.getByTestId('centre-verify-result').innerText())
      .toBe('中心数据库校验通过：审计记录 4 条首尾相接，0 个上报包的数据与导入时记录的哈希和行数一致，学校、用户与食材对应与审计记录一致');
    await centre.centre.conn.run(`UPDATE schools SET name = '乙校二部' WHERE code = '9002'`);
    await page.getByTestId('centre-verify-run').click();
    await expect.poll(() => page.getByTestId('centre-verify-problem').allInnerTexts()).toEqual(['学校 9002（乙校二部）的“学校名称”与审计记录不符（在软件之外被改动）']);
    await expect.poll(() => page.getByTestId('centre-verify-result').innerText()).toContain('中心数据库校验发现 1 处问题，第一处：学校 9002（乙校二部）的“学校名称”与审计记录不符（在软件之外被改动）');
    await app.screenshot('centre-verify');
    await centre.centre.conn.run(`UPDATE schools SET name = '乙校' WHERE code = '9002'`);
  });

  test("食材对应 for one school: 乙校's 大米 as 东北大米, listed apart from the town's, and in the chain", async () => {
    const page = app.page;
    await page.getByRole('menuitem', { name: '食材对应' }).click();
    await expect.poll(() => page.getByTestId('map-school-list').innerText()).toContain('没有哪所学校有自己的对应');
    await page.getByTestId('map-school').click();
    await page.locator('.ant-select-item-option', { hasText: '乙校（9002）' }).click();
    await page.getByTestId('map-item').fill('大米');
    await page.getByTestId('map-unit').fill('kg');
    await page.getByTestId('map-to-item').fill('东北大米');
    await page.getByTestId('map-submit').click();
    await expect.poll(() => page.getByTestId('map-done').innerText()).toBe('已对应（仅乙校）：大米，kg → 东北大米，kg');
    await expect.poll(async () => (await page.getByTestId('map-school-list').locator('tbody tr').allInnerTexts()).map((r) => r.split('\t').slice(0, 5).map((x) => x.trim()))).toEqual([['乙校', '大米', '—', 'kg', '东北大米']]);
    // The town's list is untouched.
    await expect.poll(() => page.getByTestId('map-list').innerText()).toContain('没有食材对应');
    await app.screenshot('centre-itemmap-school');
    await page.getByRole('menuitem', { name: '数据校验' }).click();
    await page.getByTestId('centre-verify-run').click();
    await expect.poll(() => page.getByTestId('centre-verify-result').innerText()).toContain('中心数据库校验通过：审计记录 5 条首尾相接');
    await page.getByRole('button', { name: '退出' }).click();
  });

  test('a centre reviewer has no 数据校验', async () => {
    const page = app.page;
    await login('zhao', 'Review-2026');
    await expect.poll(() => page.getByRole('menuitem').allInnerTexts()).toEqual(['学校登记', '报送情况', '结余率', '食材价格', '供应商', '验收', '食品安全', '食材对应']);
  });
});
