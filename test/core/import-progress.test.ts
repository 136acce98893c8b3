import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchProgress } from '../../electron/core/ledger/progress.ts';
import type { OperationProgress } from '../../shared/api/maintenance.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * Progress of an .xlsx import (issue 19): reading the file, checking its rows (before the transaction, with turns of
 * the event loop), then writing them inside the transaction, each with how far it is; 取消 is honoured at every report
 * and, before the commit, writes nothing (tableDigest).
 */
let b: TestBackend;
beforeEach(async () => {
  b = await setupBackend();
  await b.loginAs('storekeeper');
});
afterEach(() => b.cleanup());

const ROWS = 450;

/** 450 ingredients 食材001…食材450, as a school's own sheet would list them. */
async function bigFile(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['品名', '类别', '单位', '规格', '参考价(元)']);
  for (let i = 1; i <= ROWS; i++) ws.addRow([`食材${String(i).padStart(3, '0')}`, '蔬菜水果', '千克', '', 2.5]);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

function recording(stopAt?: (p: OperationProgress) => boolean): { seen: OperationProgress[]; stop: () => void } {
  const seen: OperationProgress[] = [];
  const stop = watchProgress(b.ctx, (p) => {
    if (p.op !== 'import') return;
    seen.push(p);
    if (p.state === 'running' && stopAt?.(p)) void b.invoke('maintenance.cancel', { id: p.id });
  });
  return { seen, stop };
}

describe('import progress', { timeout: 60_000 }, () => {
  it('reads, checks the rows and writes them, each step counting up, to done', async () => {
    const file = await bigFile();
    const r = recording();
    const out = await b.call('import.commit', { kind: 'ingredients', fileBase64: file });
    r.stop();
    expect(out.created).toBe(ROWS);
    const { seen } = r;
    expect(new Set(seen.map((p) => p.id)).size).toBe(1);
    expect(seen[0]).toMatchObject({ label: '导入食材', cancellable: true, state: 'running' });
    // The steps in order, each once: reading, checking, writing.
    const steps = seen.filter((p) => p.state === 'running' && p.step !== '准备中').map((p) => p.step);
    expect(steps.filter((s, i) => s !== steps[i - 1])).toEqual(['读取文件', '检查数据', '写入数据']);
    expect(seen.filter((p) => p.step === '检查数据').map((p) => `${p.done}/${p.total}`)).toEqual(['100/450', '200/450', '300/450', '400/450']);
    expect(seen.filter((p) => p.state === 'running' && p.step === '写入数据' && p.total > 0).map((p) => `${p.done}/${p.total}`)).toEqual(['0/450', '100/450', '200/450', '300/450', '400/450', '450/450']);
    expect(seen.at(-1)).toMatchObject({ state: 'done', done: ROWS, total: ROWS, etaSeconds: 0 });
  });

  it('取消 while the rows are checked: CANCELLED, nothing written', async () => {
    const file = await bigFile();
    const before = tableDigest(b);
    const r = recording((p) => p.step === '检查数据' && p.done >= 200);
    const res = await b.invoke('import.commit', { kind: 'ingredients', fileBase64: file });
    r.stop();
    expect(res).toEqual({ ok: false, error: { code: 'CANCELLED', message: '导入食材已取消' } });
    expect(r.seen.at(-1)).toMatchObject({ state: 'cancelled', step: '检查数据', done: 200 });
    expect(tableDigest(b)).toBe(before);
  });

  it('取消 while the rows are written, before the commit: the transaction rolls back, nothing written', async () => {
    const file = await bigFile();
    const before = tableDigest(b);
    const r = recording((p) => p.step === '写入数据' && p.done >= 300);
    const res = await b.invoke('import.commit', { kind: 'ingredients', fileBase64: file });
    r.stop();
    expect(res).toEqual({ ok: false, error: { code: 'CANCELLED', message: '导入食材已取消' } });
    expect(r.seen.at(-1)).toMatchObject({ state: 'cancelled', step: '写入数据', done: 300 });
    expect(tableDigest(b)).toBe(before);
  });
});
