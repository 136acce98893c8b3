import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { LATEST_VERSION } from '../../electron/core/db/open.ts';
import { upgradeLedger, type UpgradeProgress } from '../../electron/core/db/upgrade.ts';
import { StartSwitch } from '../../electron/shell/start-kind.ts';
import { StartDoor, UpgradeScreen } from '../../electron/shell/upgrade-at-start.ts';
import { tempLedger } from '../helpers/backend.ts';
import { writeSchema25Ledger } from '../helpers/old-ledger.ts';
import { openApp, type App } from './harness.ts';

/**
 * The upgrade screen (issue 19) in Chromium: the page talks to the shell's StartDoor as in the app while a ledger of
 * version 25 is upgraded. The progress a real upgrade of that ledger reported is handed to the screen a step at a time
 * (the app's worker does it as it goes; a small ledger is too quick to watch), and the page's line, recorded at every
 * change, follows it in order — the backup, then 第 k/n 步 — with no 取消; at the end the page goes on to the app (the
 * first-run question, this ledger not being set up).
 */
let t: ReturnType<typeof tempLedger>;
let school: Backend | null = null;
let app: App;
const door = new StartDoor();
const screen = new UpgradeScreen({ from: 25, to: LATEST_VERSION });
const events: UpgradeProgress[] = [];

beforeAll(async () => {
  t = tempLedger('v25.sqlite');
  writeSchema25Ledger(t.file);
  await upgradeLedger(t.file, { onProgress: (p) => events.push(p) });
  door.screen = screen;
  app = await openApp({ backend: door, name: 'upgrade-screen' });
}, 120_000);

afterAll(async () => {
  await app?.close();
  school?.close();
  t?.cleanup();
});

describe('the upgrade screen', () => {
  test('shows the backup and the steps advancing, no 取消, then goes on to the app', async () => {
    const page = app.page;
    await page.getByTestId('upgrade-screen').waitFor();
    expect(await page.getByTestId('upgrade-note').innerText()).toBe('升级不能中途取消：每一步在一个事务中完成，停在两步之间的账本不能被任何版本的软件正常打开。升级前已自动备份原账本。');
    await page.evaluate(() => {
      const w = window as unknown as { __seen: string[]; __obs: MutationObserver };
      w.__seen = [];
      const look = () => {
        const text = document.querySelector('[data-testid="upgrade-step"]')?.textContent ?? null;
        if (text && w.__seen.at(-1) !== text) w.__seen.push(text);
      };
      w.__obs = new MutationObserver(look);
      w.__obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      look();
    });
    // Each reported point, three polls apart (a loaded page may answer late): the backup's start and its check, each
    // step's first statement and its end.
    const shown = events.filter((e, i) => i === 0 || (e.phase === 'backup' && e.step !== events[i - 1].step) || e.phase !== events[i - 1].phase || e.migration?.stepNo !== events[i - 1].migration?.stepNo || e.migration?.what === '完成');
    for (const e of shown) {
      screen.update(e);
      await new Promise((r) => setTimeout(r, 750));
    }
    await app.screenshot('migrating');
    expect(await page.getByRole('button', { name: '取消' }).count()).toBe(0);
    expect(await page.getByText(`升级前备份：${events[0].backupFile}`).count()).toBe(1);
    school = openBackend({ file: t.file });
    door.target = new StartSwitch({ kind: 'school', target: school }, () => Promise.reject(new Error('not here')));
    screen.finish({ from: 25, to: LATEST_VERSION, backupFile: events[0].backupFile });
    await page.getByTestId('choose-school').waitFor({ timeout: 30_000 });
    const seen = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    const steps = LATEST_VERSION - 25;
    expect(seen[0]).toMatch(/^(正在开始……|准备中（0%）|升级前备份：复制账本数据（0%）)$/);
    // The copy is the first half of the backup's scale, its check the second.
    expect(seen).toContain('升级前备份：检查备份文件（50%）');
    // The steps in order, each seen.
    const stepNos = seen.map((s) => /^第 (\d+)\/(\d+) 步/.exec(s)).filter((m) => m !== null).map((m) => Number(m![1]));
    expect([...new Set(stepNos)]).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
    expect(stepNos).toEqual([...stepNos].sort((a, b) => a - b));
    expect(seen.some((s) => s.startsWith(`第 1/${steps} 步 0026_menu_amendments：`))).toBe(true);
    expect(seen.at(-1)).toMatch(new RegExp(`^第 ${steps}/${steps} 步 .+：完成（100%）$`));
    expect(app.errors).toEqual([]);
  });
});
