import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import type { Ingredient, Supplier } from '../../shared/api/masterdata.ts';
import { tableDigest, tempLedger } from '../helpers/backend.ts';
import { openApp, type App } from './harness.ts';

/**
 * The Foundation issue end to end, in order on one empty ledger: first run, login, suppliers, ingredients, pinyin
 * search, the audit log, users and role-based menus. The clock is fixed at 2026-09-15 02:00 UTC = 10:00 China time.
 */
const NOW = new Date(Date.UTC(2026, 8, 15, 2, 0, 0));
const PW = 'admin-pass-123';

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

describe('Foundation in Chromium', () => {
  test('first run sets up the school and its administrator', async () => {
    const { page } = app;
    await expect.poll(() => page.getByText('首次使用：建立账本').isVisible()).toBe(true);
    await page.getByLabel('学校名称').fill('阳光实验小学');
    await page.getByLabel('管理员用户名').fill('admin');
    await page.getByLabel('管理员姓名').fill('王管理');
    await page.getByLabel('密码', { exact: true }).fill(PW);
    await page.getByLabel('再次输入密码').fill('different-123');
    await page.getByRole('button', { name: '建立账本并登录' }).click();
    await expect.poll(() => page.getByText('两次输入的密码不一致').isVisible()).toBe(true);
    await page.getByLabel('再次输入密码').fill(PW);
    await app.screenshot('first-run');
    await page.getByRole('button', { name: '建立账本并登录' }).click();
    await page.getByTestId('school-name').waitFor();
    expect(await page.getByTestId('school-name').textContent()).toBe('阳光实验小学');
    expect(await value<{ initialized: boolean }>('setup.status', {})).toEqual({ initialized: true, schoolName: '阳光实验小学' });
  });
});
