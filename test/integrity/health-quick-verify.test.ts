import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend, type Backend } from '../../electron/core/backend.ts';
import { startHealthCheck } from '../../electron/core/integrity/health-check.ts';
import { buildLedger } from '../../scripts/bench/build-ledger.ts';
import { loginAs } from '../../scripts/bench/bench-session.ts';
import { tempLedger } from '../helpers/backend.ts';
import { restoreTriggers, tamperableCopy } from './tamper-kit.ts';

/**
 * The daily check after start (issue 19): once the file check finds the file clean, the sealed quick verify
 * (integrity/quick.ts) runs in the jobs worker, and its result is kept with the health state: integrity.health says
 * when it ran, how long it took and what it found; a problem is an attention item on the home page, sent to 备份与校验
 * (or 关于 for who cannot open it), as the file check's damage is. The ledger: the benchmark's generator at a small
 * size, every month but the last closed (so sealed), the open month written after the newest seal.
 */
const driver = createRequire(import.meta.url).resolve('better-sqlite3');
let t: ReturnType<typeof tempLedger>;
let months: string[];

beforeAll(async () => {
  t = tempLedger();
  months = (await buildLedger(t.file, { years: 1, students: 20, linesPerMonth: 10, mealStudents: 5, ingredients: 12, close: true })).months;
}, 240_000);
afterAll(() => t?.cleanup());

/** A copy of the built ledger in its own folder (the health check reads it by path, as the app does). */
function copy(name: string, edit?: (db: Database.Database) => void): string {
  const dir = path.join(t.dir, name);
  fs.mkdirSync(dir);
  const file = path.join(dir, 'ledger.sqlite');
  const db = tamperableCopy(t.file, file);
  edit?.(db);
  restoreTriggers(db);
  db.close();
  return file;
}

async function value<T>(b: Backend, name: string): Promise<T> {
  const r = await b.invoke(name, {});
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

type Quick = { status: string; startedAt: string; checkedAt: string | null; ms: number | null; summary: string; problems: string[]; sealed: { month: string; seq: number } | null };
type Item = { kind: string; severity: string; title: string; detail: string; link: string };

describe('the quick verify after a clean file check', { timeout: 120_000 }, () => {
  it('a clean ledger: the health info says the quick verify passed from the newest seal; nothing on the home page', async () => {
    const file = copy('clean');
    const b = openBackend({ file });
    try {
      loginAs(b, 'admin');
      const s = await startHealthCheck(b.ctx, { file, driver });
      expect(s.status).toBe('ok');
      const h = await value<{ status: string; quick?: Quick }>(b, 'integrity.health');
      expect(h.status).toBe('ok');
      const closeSeq = (b.db.prepare(`SELECT max(seq) AS s FROM audit_log WHERE entity = 'month_close' AND action = 'close'`).get() as { s: number }).s;
      expect(h.quick).toMatchObject({ status: 'ok', problems: [], sealed: { month: months.at(-2), seq: closeSeq } });
      expect(h.quick!.summary).toMatch(/^快速校验通过：自.+月结的封存（审计记录第 \d+ 条）以来的 \d+ 条审计记录首尾相接/);
      expect(h.quick!.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(typeof h.quick!.ms).toBe('number');
      expect(h.quick!.ms).toBeGreaterThanOrEqual(0);
      const items = await value<Item[]>(b, 'home.attention');
      expect(items.filter((i) => i.kind === 'quick_verify_failed' || i.kind === 'ledger_damaged')).toEqual([]);
    } finally {
      b.close();
    }
  });

  it('the newest audit entries after the seal changed: the quick verify names it, and the home page says so in Chinese', async () => {
    let last = 0;
    const file = copy('tampered', (d) => {
      last = (d.prepare('SELECT max(seq) AS s FROM audit_log').get() as { s: number }).s;
      // The two newest entries' times moved a minute back, as someone covering their tracks might.
      d.prepare(`UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%fZ', at, '-60 seconds') WHERE seq >= ?`).run(last - 1);
    });
    const b = openBackend({ file });
    try {
      loginAs(b, 'admin');
      const s = await startHealthCheck(b.ctx, { file, driver });
      // The file itself is sound: SQLite's page check passes, the quick verify finds the change.
      expect(s.status).toBe('ok');
      const h = await value<{ status: string; quick?: Quick }>(b, 'integrity.health');
      expect(h.status).toBe('ok');
      expect(h.quick).toMatchObject({ status: 'failed', sealed: { month: months.at(-2) } });
      expect(h.quick!.problems[0]).toBe(`审计记录第 ${last - 1} 条内容被改动`);
      expect(h.quick!.summary).toBe(`快速校验未通过，发现 ${h.quick!.problems.length} 处问题。第一处：审计记录第 ${last - 1} 条内容被改动`);

      const item = (await value<Item[]>(b, 'home.attention')).find((i) => i.kind === 'quick_verify_failed');
      expect(item).toEqual({
        kind: 'quick_verify_failed',
        severity: 'error',
        title: '每日快速校验发现账本数据与审计记录不符',
        detail: `启动后的快速校验发现：审计记录第 ${last - 1} 条内容被改动。账本可能被绕过软件直接改动。请由系统管理员在“备份与校验”中做完整校验，查明原因后再继续录入。`,
        link: '/maintenance/backup',
      });
      // Everyone who sees the file check sees it; who cannot open 备份与校验 is sent to 关于.
      loginAs(b, 'accountant');
      expect((await value<Item[]>(b, 'home.attention')).find((i) => i.kind === 'quick_verify_failed')?.link).toBe('/maintenance/backup');
      loginAs(b, 'cashier');
      expect((await value<Item[]>(b, 'home.attention')).find((i) => i.kind === 'quick_verify_failed')?.link).toBe('/about');
    } finally {
      b.close();
    }
  });
});
