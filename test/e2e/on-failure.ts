/**
 * When an e2e test fails, say what each open app had on screen: the route, the messages and notifications shown, the
 * focused element, and a screenshot in test-results/failures/. A flaky failure on a loaded CI run otherwise leaves only
 * "waiting for getByText(...)": the 食物成分 flake (346 kcal typed into 可食部, refused as 可食部不能超过 100%) was found
 * only once the notification was printed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach } from 'vitest';
import { OPEN, RESULTS_DIR } from './harness.ts';

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const [app, name] of OPEN) {
    try {
      const shown = await app.page.evaluate(() => ({
        route: location.hash,
        focused: document.activeElement?.outerHTML.slice(0, 200) ?? null,
      }));
      const feedback = await app.shownFeedback();
      const dir = path.join(RESULTS_DIR, 'failures');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}-${ctx.task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}.png`);
      await app.page.screenshot({ path: file });
      console.log(`[on failure] ${name}: ${JSON.stringify({ ...shown, feedback, errors: app.errors, screenshot: path.relative(process.cwd(), file) })}`);
    } catch (e) {
      console.log(`[on failure] ${name}: could not read the page (${(e as Error).message})`);
    }
  }
});
