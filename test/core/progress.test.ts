import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { estimateSeconds, watchProgress } from '../../electron/core/ledger/progress.ts';
import type { OperationProgress } from '../../shared/api/maintenance.ts';
import { buildLedger, PASSWORD } from '../../scripts/bench/build-ledger.ts';
import { loginAs } from '../../scripts/bench/bench-session.ts';
import { tempLedger } from '../helpers/backend.ts';

/**
 * Progress on long work (issue 19): verify and the month's export run in a worker thread and report what they do;
 * the backend keeps each operation (maintenance.progress) and lets its starter cancel it where that is safe.
 * The ledger is the benchmark's generator at a small size: a school year of closed months to export.
 */
let t: ReturnType<typeof tempLedger>;
let b: Backend;
let months: string[];

beforeAll(async () => {
  t = tempLedger();
  const built = await buildLedger(t.file, { years: 1, students: 100, linesPerMonth: 80, mealStudents: 30, ingredients: 60, close: true });
  months = built.months;
  b = openBackend({ file: t.file, now: () => new Date(`${months.at(-1)}-28T03:00:00.000Z`) });
}, 240_000);
afterAll(() => {
  b?.close();
  t?.cleanup();
});

/** Every change of one operation kind while `work` runs. */
async function recording<T>(op: OperationProgress['op'], work: () => Promise<T>): Promise<{ value: T; seen: OperationProgress[] }> {
  const seen: OperationProgress[] = [];
  const stop = watchProgress(b.ctx, (p) => {
    if (p.op === op) seen.push(p);
  });
  try {
    return { value: await work(), seen };
  } finally {
    stop();
  }
}

/** done/total never goes back, and the last event is the end: done, at its total. */
function expectMonotonicToDone(seen: OperationProgress[]): void {
  expect(seen.length).toBeGreaterThanOrEqual(3);
  expect(new Set(seen.map((p) => p.id)).size).toBe(1);
  const fractions = seen.filter((p) => p.total > 0).map((p) => p.done / p.total);
  for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
  expect(seen.slice(0, -1).every((p) => p.state === 'running')).toBe(true);
  const last = seen.at(-1)!;
  expect(last.state).toBe('done');
  expect(last.total).toBeGreaterThan(0);
  expect(last.done).toBe(last.total);
  expect(last.etaSeconds).toBe(0);
}

describe('progress of long work', { timeout: 120_000 }, () => {
  it('verify (in a worker thread) advances monotonically to done, and the ledger verifies clean', async () => {
    loginAs(b, 'accountant');
    const { value: r, seen } = await recording('verify', () => b.invoke('integrity.verify', {}));
    expect(r.ok && (r.value as { ok: boolean }).ok).toBe(true);
    expectMonotonicToDone(seen);
    expect(seen[0]).toMatchObject({ op: 'verify', label: '校验账本', cancellable: true, state: 'running' });
    // What the steps say, in order of first appearance: each check of verify in turn, then the end.
    expect([...new Set(seen.map((p) => p.step))]).toEqual([
      '准备中',
      '查找最新备份作为锚点',
      '检查数据库文件结构',
      '核对审计记录链',
      '核对基础资料',
      '核对记账凭证',
      '核对会计科目与用餐方式',
      '逐组核对各业务表',
      '核对单据编号',
      '重算已月结月份',
      '重算汇总表',
      '核对数据库结构',
      '核对附件文件',
      '核对完成',
    ]);
    // The backend keeps it readable for the window's poll after the end.
    const listed = await b.invoke('maintenance.progress', {});
    expect(listed.ok && (listed.value as OperationProgress[]).find((p) => p.id === seen[0].id)?.state).toBe('done');
  });

  it("the export of a closed month advances through its sheets to done and writes the workbook", async () => {
    loginAs(b, 'accountant');
    const dir = path.join(t.dir, 'out');
    const { value: r, seen } = await recording('export', () => b.invoke('monthclose.export', { month: months.at(-2)!, dir, pdf: false }));
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expectMonotonicToDone(seen);
    const steps = [...new Set(seen.map((p) => p.step))];
    expect(steps.slice(0, 3)).toEqual(['准备中', '核对月结校验码', '汇总公示数据']);
    expect(steps.filter((s) => s.startsWith('写出工作表')).length).toBeGreaterThanOrEqual(3);
    expect(fs.existsSync((r.value as { xlsxPath: string }).xlsxPath)).toBe(true);
  });

  it('a cancelled export stops, says so, and leaves no file behind', async () => {
    loginAs(b, 'accountant');
    const dir = path.join(t.dir, 'cancelled');
    const stop = watchProgress(b.ctx, (p) => {
      // Cancelled at its first step in the worker: the next report throws there.
      if (p.op === 'export' && p.state === 'running' && p.step === '核对月结校验码') void b.invoke('maintenance.cancel', { id: p.id });
    });
    const r = await b.invoke('monthclose.export', { month: months.at(-2)!, dir, pdf: false });
    stop();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual({ code: 'CANCELLED', message: '导出月结公示已取消' });
    expect(fs.existsSync(dir) ? fs.readdirSync(dir) : []).toEqual([]);
    const ops = (await b.invoke('maintenance.progress', {})) as { ok: true; value: OperationProgress[] };
    expect(ops.value.at(-1)).toMatchObject({ op: 'export', state: 'cancelled' });
  });

  it('a backup reports its pages; it cannot be cancelled, nor can another person cancel one\'s work', async () => {
    loginAs(b, 'accountant');
    const ids: string[] = [];
    const refusals: unknown[] = [];
    const stop = watchProgress(b.ctx, (p) => {
      if (p.op === 'backup' && p.state === 'running' && !ids.includes(p.id)) {
        ids.push(p.id);
        void b.invoke('maintenance.cancel', { id: p.id }).then((x) => refusals.push(x));
      }
    });
    const { value: r, seen } = await recording('backup', () => b.invoke('backup.create', {}));
    stop();
    expect(r.ok).toBe(true);
    expectMonotonicToDone(seen);
    expect(seen.some((p) => p.step === '复制账本数据' && p.total > 1)).toBe(true);
    expect(refusals).toEqual([{ ok: false, error: { code: 'RULE', message: '备份开始后不能取消（中途停止会留下不完整的数据），请等待完成' } }]);
    loginAs(b, 'admin');
    expect(await b.invoke('maintenance.cancel', { id: ids[0] })).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '只能取消自己开始的工作' } });
  });

  it('the estimate is the rate so far, and none before there is one', () => {
    expect(estimateSeconds(10_000, 25, 100)).toBe(30);
    expect(estimateSeconds(10_000, 0, 100)).toBeNull();
    expect(estimateSeconds(200, 50, 100)).toBeNull();
    expect(estimateSeconds(10_000, 100, 100)).toBe(0);
    expect(PASSWORD).toBeTruthy();
  });
});
