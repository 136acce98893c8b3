import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { readIdentity } from '../../electron/core/package/signing-key.ts';
import { closedDemoLedger, openApp, type App } from './harness.ts';

/**
 * 生成上报包 on the month page (issue 18), in Chromium against the real core: the demo with October closed; the reviewer
 * clicks the button, the page asks for the school code the first time (no signing key yet), and the package is
 * written to the data folder's packages/, named with the code, month and revision, with the key's fingerprint shown.
 */
let t: Awaited<ReturnType<typeof closedDemoLedger>>;
let b: Backend;
let app: App;

beforeAll(async () => {
  const now = new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
  t = await closedDemoLedger(now); // the demo with October closed and approved, seeded once per run (harness.ts)
  b = openBackend({ file: t.file, now: () => now });
  const r = await b.invoke('auth.login', { username: 'reviewer', password: 'demo-reviewer' });
  if (!r.ok) throw new Error(r.error.message);
  app = await openApp({ backend: b, name: 'package', path: '/closing?month=2026-10' });
}, 240_000);

afterAll(async () => {
  await app?.close();
  b?.close();
  t?.cleanup();
});

describe('上报包 on the month page', () => {
  test('the first package asks for the school code, makes the key and writes the signed file', async () => {
    const page = app.page;
    await expect.poll(() => page.getByTestId('close-status').innerText()).toBe('已月结');
    await page.getByTestId('close-package').click();
    await page.getByTestId('package-school-code').fill('2135000123');
    await page.getByTestId('package-school-code').press('Enter');
    const done = page.getByTestId('close-packaged');
    await done.waitFor();
    await app.screenshot('packaged');
    const file = path.join(t.dir, 'packages', '2135000123_2026-10_r1.canteen-pkg.json');
    expect(fs.existsSync(file)).toBe(true);
    const fp = readIdentity(b.db)!.fingerprint.match(/.{4}/g)!.join(' ');
    const text = await done.innerText();
    expect(text).toContain('已生成上报包：2135000123，2026-10，第 1 版');
    expect(text).toContain(`文件：${file}`);
    expect(text).toContain(`公钥指纹：${fp}`);
    await page.getByRole('button', { name: '知道了' }).click();
    await done.waitFor({ state: 'hidden' });
    // Again: the key is there, no question asked, the same revision's file is written anew.
    await page.getByTestId('close-package').click();
    await expect.poll(() => page.getByTestId('close-packaged').innerText()).toContain('第 1 版');
    expect(await page.getByTestId('package-school-code').isVisible()).toBe(false);
  });
});
