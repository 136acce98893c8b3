import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import type { OperationProgress } from '../../shared/api/maintenance.ts';
import { watchProgress } from '../../electron/core/ledger/progress.ts';
import { setupBackend } from '../helpers/backend.ts';

/**
 * Issue 19: the app's backup checks its copy (quick_check, then integrity_check table by table) — on ten years one big
 * table's check is one statement of up to ~40 s, and on the window's process it froze the window. The check (and the
 * copy's rename into place) now runs in the jobs worker. Proved without timing: a progress watcher holds this thread
 * at the check's first report and waits for the backup file to appear in the folder — which only a check running on
 * another thread can bring about. On the old code the check ran on this thread, so nothing appeared while it was held
 * (the hold gives up after 20 s). Meanwhile the dispatcher answers maintenance.progress with the backup at its check.
 */
const cleanups: (() => void)[] = [];
afterAll(() => {
  while (cleanups.length) cleanups.pop()!();
});

describe('backup.create checks its copy off the window’s thread', { timeout: 120_000 }, () => {
  it('the copy is checked and put in place while this thread is held; maintenance.progress answers at the check', async () => {
    const b = await setupBackend();
    cleanups.push(() => b.cleanup());
    const backups = path.join(b.dir, 'backups');
    const manual = () => (fs.existsSync(backups) ? fs.readdirSync(backups).filter((f) => f.endsWith('-manual.sqlite')) : []);
    expect(manual()).toEqual([]);

    const pause = new Int32Array(new SharedArrayBuffer(4));
    let held = false;
    let appearedWhileHeld: string[] = [];
    const asked: { answer?: Promise<unknown> } = {};
    const steps: string[] = [];
    const unwatch = watchProgress(b.ctx, (p: OperationProgress) => {
      if (p.op !== 'backup' || p.state !== 'running') return;
      if (steps.at(-1) !== p.step) steps.push(p.step);
      if (held || p.step !== '检查备份文件') return;
      held = true;
      // The window asks how far the backup is: answered by the dispatcher (after this watcher returns).
      asked.answer = b.invoke('maintenance.progress', {});
      for (let i = 0; i < 400 && manual().length === 0; i++) Atomics.wait(pause, 0, 0, 50);
      appearedWhileHeld = manual();
    });
    onTestFinished(unwatch);

    const r = await b.call('backup.create', {});
    expect(held).toBe(true);
    expect(appearedWhileHeld).toEqual(['canteen-20260915-100000-000-manual.sqlite']);
    expect(path.basename(r.file)).toBe('canteen-20260915-100000-000-manual.sqlite');
    expect(steps).toEqual(['准备中', '复制账本数据', '检查备份文件']);
    const progress = (await asked.answer) as { ok: true; value: OperationProgress[] };
    expect(progress.ok).toBe(true);
    expect(progress.value.find((o) => o.op === 'backup')).toMatchObject({ label: '备份', step: '检查备份文件', state: 'running', cancellable: false });
    // The backup is whole: its own copy of the ledger, checked; nothing partial left beside it.
    expect(fs.readdirSync(backups)).toEqual(['canteen-20260915-100000-000-manual.sqlite']);
    const again = await b.call('backup.preview', { file: r.file });
    expect(again.schoolName).toBe('阳光实验小学');
  });

  it('a copy that fails its check in the worker is refused in words, and nothing is left', async () => {
    const b = await setupBackend();
    cleanups.push(() => b.cleanup());
    b.db.pragma('wal_checkpoint(TRUNCATE)');
    const { finishCopyInWorker } = await import('../../electron/core/jobs/run.ts');
    const tmp = path.join(b.dir, '.copy.partial');
    const dest = path.join(b.dir, 'copy.sqlite');
    fs.copyFileSync(b.file, tmp);
    // Page 3 overwritten with nonsense: the copy's check finds it.
    const pageSize = b.db.pragma('page_size', { simple: true }) as number;
    const fd = fs.openSync(tmp, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, 2 * pageSize);
    fs.closeSync(fd);
    await expect(finishCopyInWorker(tmp, dest, 10, () => {})).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/^备份文件校验未通过（.+），备份没有保存/) });
    expect(fs.readdirSync(b.dir).filter((f) => f.includes('copy'))).toEqual([]);
  });
});
