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
        callsAwaitedByPage: (window as unknown as { __canteenPending?: number }).__canteenPending ?? null,
      }));
      // Whether the page's timers run at all: a 3 s toast was once still up 10 s on, beside a click with no answer.
      const timer50ms = await Promise.race([
        app.page.evaluate(() => new Promise<string>((r) => {
          const t0 = performance.now();
          setTimeout(() => r(`fired after ${Math.round(performance.now() - t0)} ms`), 50);
        })),
        new Promise<string>((r) => setTimeout(() => r('not fired within 3 s'), 3000)),
      ]);
      const feedback = await app.shownFeedback();
      const dir = path.join(RESULTS_DIR, 'failures');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}-${ctx.task.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 60)}.png`);
      await app.page.screenshot({ path: file });
      console.log(`[on failure] ${name}: ${JSON.stringify({ ...shown, callsUnansweredByBackend: app.callsInFlight(), timer50ms, feedback, errors: app.errors, screenshot: path.relative(process.cwd(), file) })}`);
    } catch (e) {
      console.log(`[on failure] ${name}: could not read the page (${(e as Error).message})`);
    }
  }
});
