import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli/main.ts';
import { openCentreBackend, type CentreBackend } from '../../electron/core/centre/backend.ts';
import { rows } from '../../electron/core/centre/db.ts';
import { cancelOperation, watchProgress } from '../../electron/core/ledger/progress.ts';
import { packageFileName } from '../../electron/core/package/schema.ts';
import { fingerprintOf } from '../../electron/core/package/signing-key.ts';
import { seededRandom } from '../../electron/core/ledger/seeded-random.ts';
import { benchSchools, makePackageData, monthOf, sealPackage } from '../../scripts/bench/centre-packages.ts';
import type { OperationProgress } from '../../shared/api/maintenance.ts';

/**
 * Progress of the centre's folder import (issue 19): packages.import reports each package — which of how many, the
 * school and the month — through the school's progress registry (ledger/progress.ts), packages.progress answers while
 * the import runs (beside the dispatcher's queue), and a cancel stops before the next package: the packages already in
 * stay (each its own transaction), the rest are not imported, said in Chinese. Real signed packages on a real DuckDB
 * file: two schools of the benchmark's generator (第1小学, 第2小学), two months each, plus a fifth for the cancels.
 */
const NOW = () => new Date(Date.UTC(2026, 10, 20, 2, 0, 0));
let dir: string;
let b: CentreBackend;

const ok = async (name: string, input: unknown) => {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  return r.value;
};
const packageCount = async () => Number((await rows(b.centre.conn, 'SELECT count(*) AS n FROM packages'))[0].n);

/** A folder of these schools' packages for these months (revision 1), named as schools name them. */
function folderOf(name: string, made: { s: ReturnType<typeof benchSchools>[number]; m: string }[]): string {
  const d = path.join(dir, name);
  fs.mkdirSync(d);
  const rnd = seededRandom(11);
  for (const { s, m } of made) fs.writeFileSync(path.join(d, packageFileName(s.code, m, 1)), JSON.stringify(sealPackage(s, makePackageData(s, m, rnd, 30), true).file));
  return d;
}

const schools = benchSchools(3);
let four: string;
let cancelOne: string;
let cancelBeside: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-centre-progress-'));
  const [s1, s2, s3] = schools;
  four = folderOf('four', [{ s: s1, m: monthOf(0) }, { s: s1, m: monthOf(1) }, { s: s2, m: monthOf(0) }, { s: s2, m: monthOf(1) }]);
  cancelOne = folderOf('cancel-one', [2, 3, 4, 5, 6].map((i) => ({ s: s1, m: monthOf(i) })));
  cancelBeside = folderOf('cancel-beside', [2, 3, 4, 5, 6, 7, 8, 9].map((i) => ({ s: s3, m: monthOf(i) })));
  b = await openCentreBackend({ file: path.join(dir, 'centre.duckdb'), create: true, now: NOW });
  await ok('centre.setup', { centreName: '城关镇教育管理中心', adminUsername: 'wang', adminName: '王主任', password: 'Centre-2026' });
  for (const s of schools) await ok('schools.enrol', { code: s.code, name: s.name, fingerprint: fingerprintOf(s.pub) });
  await ok('users.create', { username: 'zhao', displayName: '赵审核', role: 'centre_reviewer', password: 'Review-2026' });
}, 60_000);

afterAll(() => {
  b?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the centre folder import reports its progress', () => {
  it('each package in order: which of how many, the school and the month; then done', async () => {
    const seen: string[] = [];
    const stop = watchProgress(b.ctx, (p) => seen.push(`${p.label}|${p.step}|${p.done}/${p.total}|${p.state}`));
    let answered: OperationProgress[] = [];
    const stopPoll = watchProgress(b.ctx, (p) => {
      // Asked through the dispatcher while the second package is on: answered before the import ends.
      if (p.step.startsWith('2/4 ') && p.done === 1 && !answered.length) void ok('packages.progress', {}).then((v) => (answered = v as OperationProgress[]));
    });
    let outcomes: { status: string }[];
    try {
      outcomes = (await ok('packages.import', { dir: four })) as { status: string }[];
    } finally {
      stop();
      stopPoll();
    }
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'imported', 'imported']);
    expect(seen).toEqual([
      '导入上报包|准备中|0/0|running',
      '导入上报包|共 4 个上报包|0/4|running',
      '导入上报包|1/4 第1小学 2017-01|0/4|running',
      '导入上报包|1/4 第1小学 2017-01|1/4|running',
      '导入上报包|2/4 第1小学 2017-02|1/4|running',
      '导入上报包|2/4 第1小学 2017-02|2/4|running',
      '导入上报包|3/4 第2小学 2017-01|2/4|running',
      '导入上报包|3/4 第2小学 2017-01|3/4|running',
      '导入上报包|4/4 第2小学 2017-02|3/4|running',
      '导入上报包|4/4 第2小学 2017-02|4/4|done',
    ]);
    // The poll sent during the import was answered while it ran (not queued behind it).
    expect(answered.map((p) => [p.state, p.userId])).toEqual([['running', 'wang']]);
    const after = (await ok('packages.progress', {})) as OperationProgress[];
    expect(after.map((p) => [p.op, p.label, p.state, p.done, p.total, p.etaSeconds, p.cancellable, p.userId])).toEqual([['import', '导入上报包', 'done', 4, 4, 0, true, 'wang']]);
    expect(await packageCount()).toBe(4);
  });

  it('a cancel during the first package leaves exactly that one imported, and says so in Chinese', async () => {
    let asked = false;
    const stop = watchProgress(b.ctx, (p) => {
      if (!asked && p.state === 'running' && p.step === '1/5 第1小学 2017-03') {
        asked = true;
        cancelOperation(b.ctx, p.id);
      }
    });
    const r = await b.invoke('packages.import', { dir: cancelOne });
    stop();
    expect(r).toEqual({ ok: false, error: expect.objectContaining({ code: 'CANCELLED', message: '导入上报包已取消：已导入 1 个上报包，其余 4 个未导入；已导入的上报包保留，再次导入该文件夹会接着导入其余的' }) });
    expect(await packageCount()).toBe(5);
    expect((await rows(b.centre.conn, `SELECT month FROM packages WHERE school_code = ? AND month >= '2017-03' ORDER BY month`, [schools[0].code])).map((x) => x.month)).toEqual(['2017-03']);
    // The record ends where the cancel was asked (its reports stop there: ledger/progress.ts); the message counts.
    const ops = (await ok('packages.progress', {})) as OperationProgress[];
    expect(ops.map((p) => [p.state, p.step, p.done, p.total])).toEqual([
      ['done', '4/4 第2小学 2017-02', 4, 4],
      ['cancelled', '1/5 第1小学 2017-03', 0, 5],
    ]);
    // Importing the folder again takes in the rest: the first is nothing to do.
    expect(((await ok('packages.import', { dir: cancelOne })) as { status: string }[]).map((o) => o.status)).toEqual(['unchanged', 'imported', 'imported', 'imported', 'imported']);
    expect(await packageCount()).toBe(9);
  });

  it('packages.cancel through the dispatcher while the import runs stops it between packages; the centre still verifies', async () => {
    let cancel: Promise<unknown> | null = null;
    const stop = watchProgress(b.ctx, (p) => {
      if (!cancel && p.state === 'running' && p.step.startsWith('1/8 ')) cancel = b.invoke('packages.cancel', { id: p.id });
    });
    const r = await b.invoke('packages.import', { dir: cancelBeside });
    stop();
    expect(await cancel).toMatchObject({ ok: true, value: { state: 'running', label: '导入上报包' } });
    expect(r.ok).toBe(false);
    const m = /^导入上报包已取消：已导入 (\d) 个上报包，其余 (\d) 个未导入；已导入的上报包保留，再次导入该文件夹会接着导入其余的$/.exec(r.ok ? '' : r.error.message);
    expect(m).not.toBeNull();
    const [imported, rest] = [Number(m![1]), Number(m![2])];
    expect(imported + rest).toBe(8);
    expect(imported).toBeGreaterThanOrEqual(1);
    expect(rest).toBeGreaterThanOrEqual(1);
    expect(await packageCount()).toBe(9 + imported);
    expect(await ok('centre.verify', {})).toMatchObject({ ok: true, packages: 9 + imported });
  });

  it('progress and cancel have packages.import roles: a reviewer is refused, and so is a call before login', async () => {
    const ops = (await ok('packages.progress', {})) as OperationProgress[];
    await ok('auth.login', { username: 'zhao', password: 'Review-2026' });
    expect(await b.invoke('packages.progress', {})).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' }) });
    expect(await b.invoke('packages.cancel', { id: ops[0].id })).toEqual({ ok: false, error: expect.objectContaining({ code: 'FORBIDDEN', message: '您的角色无权进行此操作' }) });
    await ok('auth.logout', {});
    expect(await b.invoke('packages.progress', {})).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNAUTHENTICATED', message: '请先登录' }) });
    await ok('auth.login', { username: 'wang', password: 'Centre-2026' });
    // An ended import is not cancelled again, in words.
    expect(await b.invoke('packages.cancel', { id: ops[0].id })).toEqual({ ok: false, error: expect.objectContaining({ code: 'CONFLICT', message: '导入上报包已经结束，无需取消' }) });
    expect(await b.invoke('packages.cancel', { id: '' })).toEqual({ ok: false, error: expect.objectContaining({ code: 'VALIDATION', message: '请指明要取消的工作' }) });
  });
});

/** The CLI with stderr a terminal (`tty`) or not (a pipe, a log); the password from CANTEEN_PASSWORD. */
async function canteen(tty: boolean, args: string[]) {
  const stdout = new PassThrough();
  const stderr = Object.assign(new PassThrough(), tty ? { isTTY: true, columns: 200 } : {});
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const code = await main(args, { stdin, stdout, stderr, env: { CANTEEN_PASSWORD: 'Centre-2026' } });
  return { code, stdout: out, stderr: err };
}

describe('canteen centre import on the command line', { timeout: 120_000 }, () => {
  it('paints the progress line on stderr when it is a terminal, clears it at the end; nothing extra otherwise', async () => {
    const file = path.join(dir, 'cli', 'centre.duckdb');
    expect((await canteen(false, ['--db', file, 'centre', 'init', '--centre', '城关镇教育管理中心', '--admin', 'wang'])).code).toBe(0);
    for (const s of schools.slice(0, 2)) {
      const r = await canteen(false, ['--db', file, '--user', 'wang', 'centre', 'enrol', '--code', s.code, '--name', s.name, '--fingerprint', fingerprintOf(s.pub)]);
      expect(r.code, r.stdout).toBe(0);
    }
    const tty = await canteen(true, ['--db', file, '--user', 'wang', 'centre', 'import', four]);
    expect(tty.code, tty.stdout).toBe(0);
    expect(JSON.parse(tty.stdout)).toMatchObject({ imported: 4, unchanged: 0, refused: 0 });
    // Each line painted in place; the first three are painted at once (nothing done yet), the rest at most 10 a second.
    expect(tty.stderr.startsWith('\r\x1b[K导入上报包：准备中\r\x1b[K导入上报包：共 4 个上报包 0%\r\x1b[K导入上报包：1/4 第1小学 2017-01 0%')).toBe(true);
    expect(tty.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(tty.stderr).not.toContain('\n');
    const plain = await canteen(false, ['--db', file, '--user', 'wang', 'centre', 'import', four]);
    expect(plain).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(plain.stdout)).toMatchObject({ imported: 0, unchanged: 4, refused: 0 });
  });
});
