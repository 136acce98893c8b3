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

  it('the preview of the same file reports reading and the rows checked, and writes nothing', async () => {
    const file = await bigFile();
    const before = tableDigest(b);
    const r = recording();
    const p = await b.call('import.preview', { kind: 'ingredients', fileBase64: file });
    r.stop();
    expect(p.okCount).toBe(ROWS);
    expect(r.seen.filter((x) => x.state === 'running' && x.step !== '准备中').map((x) => `${x.step} ${x.done}/${x.total}`)).toEqual(['读取文件 0/0', '检查数据 100/450', '检查数据 200/450', '检查数据 300/450', '检查数据 400/450']);
    expect(r.seen.at(-1)).toMatchObject({ state: 'done', label: '导入食材' });
    expect(tableDigest(b)).toBe(before);
  });
});

/** A roster of 250 pupils 2026001…2026250 in 二(1)班, lunch, as a school's own sheet. */
async function rosterFile(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['学号', '姓名', '班级', '用餐方式']);
  for (let i = 1; i <= 250; i++) ws.addRow([String(2026000 + i), `学生${i}`, '二(1)班', '午餐']);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
}

describe('roster and opening imports', { timeout: 60_000 }, () => {
  it('花名册: the preview reads and checks the rows, the commit writes them a hundred at a time (not cancellable)', async () => {
    await b.loginAs('admin');
    const r = recording();
    const p = await b.call('students.importPreview', { dataBase64: await rosterFile() });
    expect(p.okCount).toBe(250);
    const out = await b.call('students.importCommit', { rows: p.rows.map((x) => x.row!) });
    r.stop();
    expect(out).toEqual({ created: 250, updated: 0, unchanged: 0 });
    expect(new Set(r.seen.map((x) => x.label))).toEqual(new Set(['导入花名册']));
    const [preview, commit] = [...new Set(r.seen.map((x) => x.id))];
    const running = (id: string) => r.seen.filter((x) => x.id === id && x.state === 'running' && x.step !== '准备中').map((x) => `${x.step} ${x.done}/${x.total}`);
    expect(running(preview)).toEqual(['读取文件 0/0', '检查数据 100/250', '检查数据 200/250', '检查数据 250/250']);
    expect(running(commit)).toEqual(['写入数据 0/250', '写入数据 100/250', '写入数据 200/250', '写入数据 250/250']);
    expect(r.seen.filter((x) => x.id === commit).every((x) => x.cancellable === false)).toBe(true);
    expect(r.seen.at(-1)).toMatchObject({ id: commit, state: 'done' });
  });

  it('期初库存: the file read into lines reports its rows; 取消 stops it (it writes nothing either way)', async () => {
    await b.loginAs('accountant');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('期初');
    ws.addRow(['品名', '数量', '金额']);
    for (let i = 1; i <= 300; i++) ws.addRow([`食材${i}`, '1', '2.00']);
    const file = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const before = tableDigest(b);
    const all = recording();
    const p = await b.call('opening.importPreview', { kind: 'stock', dataBase64: file });
    all.stop();
    expect(p.rows).toHaveLength(300);
    expect(all.seen.filter((x) => x.state === 'running' && x.step !== '准备中').map((x) => `${x.step} ${x.done}/${x.total}`)).toEqual(['读取文件 0/0', '检查数据 100/300', '检查数据 200/300', '检查数据 300/300']);
    expect(all.seen[0].label).toBe('导入期初库存');
    const r = recording((x) => x.step === '检查数据' && x.done >= 100);
    const res = await b.invoke('opening.importPreview', { kind: 'stock', dataBase64: file });
    r.stop();
    expect(res).toEqual({ ok: false, error: { code: 'CANCELLED', message: '导入期初库存已取消' } });
    expect(tableDigest(b)).toBe(before);
  });

  it('营养成分: reading, then the rows written a hundred at a time; 取消 while reading writes nothing', async () => {
    // 150 ingredients in the catalogue (through the import above), then their composition values.
    await b.call('import.commit', { kind: 'ingredients', fileBase64: await bigFile() });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('成分');
    ws.addRow(['食材', '可食部(%)', '每单位克数', '能量(kcal)', '数据来源']);
    for (let i = 1; i <= 150; i++) ws.addRow([`食材${String(i).padStart(3, '0')}`, 100, '', 20, '测试数据']);
    const file = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const before = tableDigest(b);
    const stopped = recording((x) => x.step === '读取文件');
    expect(await b.invoke('compositions.import', { fileBase64: file })).toEqual({ ok: false, error: { code: 'CANCELLED', message: '导入营养成分已取消' } });
    stopped.stop();
    expect(tableDigest(b)).toBe(before);
    const r = recording();
    expect((await b.call('compositions.import', { fileBase64: file })).saved).toBe(150);
    r.stop();
    expect(r.seen.filter((x) => x.state === 'running' && x.step !== '准备中').map((x) => `${x.step} ${x.done}/${x.total}`)).toEqual(['读取文件 0/0', '写入数据 0/150', '写入数据 100/150', '写入数据 150/150']);
    expect(r.seen.at(-1)).toMatchObject({ label: '导入营养成分', state: 'done' });
  });
});
