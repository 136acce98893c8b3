import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditHash, GENESIS_HASH, type AuditRow } from '../../electron/core/ledger/audit.ts';
import { backupsDir, createBackup } from '../../electron/core/integrity/backup.ts';
import type { Ctx } from '../../electron/core/context.ts';
import { disclosureListsJson } from '../../electron/core/domains/monthclose/disclosure.ts';
import { closeFigures, figuresChecksum } from '../../electron/core/ledger/month-figures.ts';
import { groupRows, rowsWhere } from '../../electron/core/ledger/row-snapshot.ts';
import { describeReport, verifyLedger, verifyLedgerFile } from '../../electron/core/integrity/verify.ts';
import { classSortKey } from '../../shared/class-order.ts';
import { OCT_DAYS } from '../core/fees-fixture.ts';
import { septemberSchool, type SeptSchool } from '../core/monthclose-fixture.ts';
import { restoreTriggers, tamperableCopy } from './tamper-kit.ts';

/**
 * Issue 20 item 6: outside anchors. A ledger rewritten whole with the project's own functions (rows changed, every
 * audit entry after them re-hashed, the close's figures and checksum recomputed with the new chain head) agrees with
 * itself, so verify without an anchor passes it — and says plainly that no anchor was used. The 校验码 printed on the
 * published notice (the first 16 hex digits of the close's checksum) no longer belongs to it: verify --anchor fails.
 * Cutting the chain's tail is caught by the anchor of a close it removes, or by a backup holding a later state.
 */

const NO_ANCHOR = '未使用外部锚点：只能证明账本自身前后一致，不能证明没有被整体改写；请用公示表上的校验码运行 verify --anchor（或在“备份与校验”页填入校验码）。';
const notOurs = (hex: string) => `公示校验码 ${hex} 不属于本账本的任何已月结月份（账本可能被改写或截断）`;

let s: SeptSchool;
let work: string;
/** September closed once (the close's full checksum and the 16 digits a notice prints). */
let closed: string;
let checksum: string;
let printed: string;

beforeAll(async () => {
  s = await septemberSchool();
  const b = s.w.b;
  await b.loginAs('accountant');
  await b.call('monthclose.submit', { month: '2026-09' });
  await b.loginAs('reviewer');
  await b.call('monthclose.approve', { month: '2026-09' });
  checksum = (await b.call('monthclose.get', { month: '2026-09' })).state.checksumHex!;
  printed = checksum.slice(0, 16);
  work = fs.mkdtempSync(path.join(path.dirname(b.file), 'anchor-'));
  closed = path.join(work, 'closed.sqlite');
  await b.db.backup(closed);
}, 300_000);
afterAll(() => s?.w.b.cleanup());

const ctxOf = (db: Database.Database): Ctx => ({ db, now: () => new Date('2026-10-08T02:00:00Z'), installationId: '', dataDir: null, session: null, setSession: () => {} }) as unknown as Ctx;

/** Re-hashes the whole chain as a forger with the project's own auditHash would, letting `edit` change entries first. */
function rewriteChain(db: Database.Database, edit: (r: AuditRow, prevHash: string) => Record<string, unknown> | null): void {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').all() as AuditRow[];
  const upd = db.prepare('UPDATE audit_log SET after = ?, prev_hash = ?, hash = ? WHERE seq = ?');
  let prev = GENESIS_HASH;
  for (const r of rows) {
    const after = edit(r, prev);
    const row = { ...r, after: after ? JSON.stringify(after) : r.after, prev_hash: prev };
    const hash = auditHash(row);
    upd.run(row.after, prev, hash, r.seq);
    prev = hash;
  }
}

/** The account totals as the triggers would have kept them (the forger recomputes them from the changed postings). */
function recomputeTotals(db: Database.Database): void {
  db.exec(`DELETE FROM account_month_totals;
    INSERT INTO account_month_totals SELECT p.account, substr(e.entry_date, 1, 7), sum(p.amount_fen), count(*) FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY 1, 2;
    DELETE FROM account_day_totals;
    INSERT INTO account_day_totals SELECT e.entry_date, p.account, sum(p.amount_fen), count(*) FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id GROUP BY 1, 2;`);
}

/**
 * September's donation of 100.00 rewritten to 10.00 (90.00 taken out of the fund's books), with the chain and the
 * close rewritten to match: the postings and totals, the two audit entries that carry the amount, then at the close
 * the figures recomputed by closeFigures, the checksum by figuresChecksum with the new chain head, the close event and
 * the published lists updated and the close entry's row snapshots rebuilt by the project's own groupRows/rowsWhere.
 */
function forgeDonation(file: string): void {
  const db = tamperableCopy(closed, file);
  // The forger runs the project's own code on the file: its SQL function as every ledger connection has it (db/open.ts).
  db.function('class_order', { deterministic: true }, classSortKey);
  const ctx = ctxOf(db);
  const entry = (db.prepare(`SELECT id FROM journal_entries WHERE source_type = 'fund_income'`).get() as { id: string }).id;
  db.prepare('UPDATE journal_postings SET amount_fen = CASE WHEN amount_fen > 0 THEN 1000 ELSE -1000 END WHERE entry_id = ?').run(entry);
  recomputeTotals(db);
  rewriteChain(db, (r, prev) => {
    const after = r.after ? (JSON.parse(r.after) as Record<string, any>) : null;
    if (!after) return null;
    if (r.entity === 'journal_entry' && r.entity_id === entry) {
      for (const p of after.postings) p.amountFen = p.amountFen > 0 ? 1000 : -1000;
      return after;
    }
    if (r.entity === 'fund_income') return { ...after, amountFen: 1000 };
    if (r.action === 'close' && r.entity === 'month_close') {
      const month = r.entity_id!;
      const figures = closeFigures(ctx, month);
      const sum = figuresChecksum(figures, prev);
      const ev = db.prepare(`SELECT seq FROM month_close_events WHERE month = ? AND kind = 'close' AND revision = ?`).get(month, after.revision) as { seq: number };
      db.prepare('UPDATE month_close_events SET figures = ?, audit_head = ?, checksum = ? WHERE seq = ?').run(JSON.stringify(figures), prev, sum, ev.seq);
      db.prepare('UPDATE month_disclosures SET lists = ? WHERE month = ? AND revision = ?').run(disclosureListsJson(ctx, month), month, after.revision);
      const c = figures.current;
      return {
        ...after,
        checksum: sum,
        auditHead: prev,
        incomeFen: c.feesCollectedFen - c.refundsFen + c.subsidyFen + c.otherIncomeFen,
        _rows: [rowsWhere(ctx, 'month_close_events', 'seq = ?', ev.seq), groupRows(ctx, 'closed_periods', 'period', month), groupRows(ctx, 'month_disclosures', 'month', month)],
      };
    }
    return null;
  });
  restoreTriggers(db);
  db.close();
}

const readOnly = (file: string) => new Database(file, { readonly: true });

describe('a published 校验码 anchors the ledger against a rewrite with its own code', () => {
  it('the untouched ledger: no anchor said plainly; its printed 校验码 found as September’s first close', () => {
    const db = readOnly(closed);
    const bare = verifyLedger(db);
    expect(bare.problems).toEqual([]);
    expect(bare.anchors).toEqual([]);
    expect(describeReport(bare)).toMatch(/^校验通过：/);
    expect(describeReport(bare).endsWith(NO_ANCHOR)).toBe(true);
    const anchored = verifyLedger(db, { published: [printed] });
    db.close();
    expect(anchored.problems).toEqual([]);
    expect(anchored.anchors).toHaveLength(1);
    expect(anchored.anchors[0]).toMatchObject({ kind: 'published', source: printed, ok: true });
    expect(anchored.anchors[0].detail).toMatch(/^2026年9月第 1 次月结：审计记录第 1 至 \d+ 条与公示时一致$/);
    expect(describeReport(anchored)).toContain(`外部锚点：公示校验码 ${printed}（2026年9月第 1 次月结：审计记录第 1 至`);
  });

  it('integrity.verify (the 备份与校验 page) takes the checksums too, and refuses a word that is not one', async () => {
    const b = s.w.b;
    await b.loginAs('reviewer');
    const none = await b.call('integrity.verify', {});
    expect(none.ok).toBe(true);
    expect(none.anchors).toEqual([]);
    expect(none.summary.endsWith(NO_ANCHOR)).toBe(true);
    const r = await b.call('integrity.verify', { anchors: [` ${printed.toUpperCase()} `] });
    expect(r.ok).toBe(true);
    expect(r.anchors).toHaveLength(1);
    expect(r.anchors[0]).toMatchObject({ kind: 'published', source: printed, ok: true });
    const stranger = await b.call('integrity.verify', { anchors: [printed, 'ab12cd34ef560789'] });
    expect(stranger.ok).toBe(false);
    expect(stranger.problems.map((p) => p.message)).toEqual([notOurs('ab12cd34ef560789')]);
    const e = await b.reject('integrity.verify', { anchors: [printed.slice(0, 8)] });
    expect(e.code).toBe('VALIDATION');
    expect(e.message).toBe('校验码应为公示表上“校验码：”后的 16 位（或更长的）十六进制数字（0-9、a-f）');
  });

  it('the donation rewritten with the whole chain and the close passes verify without an anchor, and fails with the printed 校验码', () => {
    const file = path.join(work, 'forged.sqlite');
    forgeDonation(file);
    const db = readOnly(file);
    // The forgery is real: September's other income now reads 10.00, under a new close checksum.
    const ev = db.prepare(`SELECT figures, checksum FROM month_close_events WHERE kind = 'close'`).get() as { figures: string; checksum: string };
    expect(JSON.parse(ev.figures).current.otherIncomeFen).toBe(1000);
    expect(ev.checksum.startsWith(printed)).toBe(false);
    const bare = verifyLedger(db);
    expect(bare.problems).toEqual([]);
    expect(describeReport(bare).endsWith(NO_ANCHOR)).toBe(true);
    const anchored = verifyLedger(db, { published: [printed] });
    // And the new checksum (what a forger would print on a new notice) is carried, so the anchor itself is no noise.
    const own = verifyLedger(db, { published: [ev.checksum.slice(0, 16)] });
    db.close();
    expect(anchored.ok).toBe(false);
    expect(anchored.problems.map((p) => p.message)).toEqual([notOurs(printed)]);
    expect(anchored.anchors).toEqual([{ kind: 'published', source: printed, ok: false, detail: '不属于本账本的任何已月结月份' }]);
    expect(describeReport(anchored)).toBe(`校验未通过，发现 1 处问题。第一处：${notOurs(printed)}`);
    expect(own.problems).toEqual([]);
  });

  it('a chain rewritten before the close that keeps the close record (and so the printed checksum) is named without any anchor', () => {
    // The donation's memo changed in its rows and audit entries, every hash after it recomputed, the close left as it
    // was: its figures still recompute, but the chain no longer leads to the head the close recorded.
    const file = path.join(work, 'kept-close.sqlite');
    const db = tamperableCopy(closed, file);
    const entry = (db.prepare(`SELECT id FROM journal_entries WHERE source_type = 'fund_income'`).get() as { id: string }).id;
    db.prepare(`UPDATE journal_entries SET memo = '其他收入：个人捐赠' WHERE id = ?`).run(entry);
    rewriteChain(db, (r) => (r.entity === 'journal_entry' && r.entity_id === entry ? { ...JSON.parse(r.after!), memo: '其他收入：个人捐赠' } : null));
    restoreTriggers(db);
    const closeSeq = (db.prepare(`SELECT seq FROM audit_log WHERE action = 'close'`).get() as { seq: number }).seq;
    const r = verifyLedger(db);
    const anchored = verifyLedger(db, { published: [printed] });
    db.close();
    expect(r.problems.map((p) => p.message)).toEqual([
      `2026年9月第 1 次月结记录的审计链头不是审计记录第 ${closeSeq - 1} 条（这次月结之前的审计记录被改写，公示的校验码已不能印证本账本）`,
    ]);
    expect(anchored.anchors).toEqual([{ kind: 'published', source: printed, ok: false, detail: '2026年9月第 1 次月结，其记录与审计记录不符' }]);
  });

  it("cutting the month's approval off the chain's tail passes without an anchor and fails with the printed 校验码", () => {
    const file = path.join(work, 'cut-close.sqlite');
    const db = tamperableCopy(closed, file);
    const closeSeq = (db.prepare(`SELECT seq FROM audit_log WHERE action = 'close'`).get() as { seq: number }).seq;
    db.exec(`DELETE FROM audit_log WHERE seq >= ${closeSeq};
      DELETE FROM month_close_events WHERE kind = 'close';
      DELETE FROM closed_periods;
      DELETE FROM month_disclosures;`);
    restoreTriggers(db);
    const bare = verifyLedger(db);
    const anchored = verifyLedger(db, { published: [checksum] });
    db.close();
    expect(bare.problems).toEqual([]);
    expect(anchored.problems.map((p) => p.message)).toEqual([notOurs(`${printed}…`)]);
  });
});

describe('a backup in backups/ anchors the tail', () => {
  it('a receipt posted after the close, backed up, then cut off the tail with its journal and audit rows: named by the backup; passes without it', async () => {
    const b = s.w.b;
    await b.loginAs('admin');
    await b.call('schoolDays.set', { month: '2026-10', days: OCT_DAYS });
    const before = (b.db.prepare('SELECT max(seq) AS n FROM audit_log').get() as { n: number }).n;
    await b.loginAs('cashier');
    await b.call('fees.collect', { period: '2026-10', date: '2026-10-08', method: 'cash', items: [{ studentId: s.students['刘洋'].id }] });
    const dir = path.join(work, 'tail');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'ledger.sqlite');
    await b.db.backup(file);
    const backup = await createBackup(b.db, backupsDir(dir), 'daily', new Date('2026-10-08T03:00:00Z'));
    const head = (b.db.prepare('SELECT max(seq) AS n FROM audit_log').get() as { n: number }).n;

    const db = tamperableCopy(file, `${file}.cut`);
    const receipt = db.prepare(`SELECT id, number FROM fee_receipts WHERE receipt_date = '2026-10-08'`).get() as { id: string; number: string };
    const [, series, year] = /^(\D+)(\d{4})-/.exec(receipt.number)!;
    db.prepare(`DELETE FROM journal_postings WHERE entry_id IN (SELECT id FROM journal_entries WHERE source_id = ?)`).run(receipt.id);
    db.prepare(`DELETE FROM journal_entries WHERE source_id = ?`).run(receipt.id);
    db.prepare(`DELETE FROM fee_receipts WHERE id = ?`).run(receipt.id);
    db.prepare(`DELETE FROM audit_log WHERE seq > ?`).run(before);
    db.prepare('UPDATE doc_counters SET last = last - 1 WHERE series = ? AND year = ?').run(series, Number(year));
    recomputeTotals(db);
    restoreTriggers(db);
    db.close();
    fs.renameSync(`${file}.cut`, file);
    for (const side of ['-wal', '-shm']) fs.rmSync(`${file}${side}`, { force: true });

    const r = verifyLedgerFile(file);
    expect(r.problems.map((p) => p.message)).toEqual([`备份 ${backup.name} 中有第 ${head} 条审计记录，当前账本中却没有（审计记录被截去）`]);
    expect(r.anchors).toEqual([{ kind: 'backup', source: backup.name, ok: false, detail: '审计记录与该备份不一致' }]);
    // Without the backup the cut ledger agrees with itself, and the report says that is all it shows.
    fs.rmSync(backupsDir(dir), { recursive: true });
    const bare = verifyLedgerFile(file);
    expect(bare.problems).toEqual([]);
    expect(describeReport(bare).endsWith(NO_ANCHOR)).toBe(true);
  }, 120_000);
});

describe('canteen verify --anchor', () => {
  const run = (...args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, ['bin/canteen.js', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), err: '' };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout, err: x.stderr };
    }
  };

  it('0 with the printed 校验码 (repeated or comma-separated, any case), 1 naming it on the forged ledger, 2 on a word that is not one', () => {
    const dir = path.join(work, 'cli');
    fs.mkdirSync(dir);
    const good = path.join(dir, 'good.sqlite');
    fs.copyFileSync(closed, good);
    const forged = path.join(work, 'forged.sqlite');
    if (!fs.existsSync(forged)) forgeDonation(forged);

    const plain = run('--db', good, 'verify');
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out).summary.endsWith(NO_ANCHOR)).toBe(true);
    expect(JSON.parse(plain.out).anchors).toEqual([]);

    const ok = run('--db', good, 'verify', '--anchor', printed.toUpperCase());
    expect(ok.code).toBe(0);
    const v = JSON.parse(ok.out);
    expect(v.anchors).toHaveLength(1);
    expect(v.anchors[0]).toMatchObject({ kind: 'published', source: printed, ok: true });
    expect(v.summary).toContain(`外部锚点：公示校验码 ${printed}（2026年9月第 1 次月结`);

    const bad = run('--db', forged, 'verify', '--anchor', printed);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.out).first.message).toBe(notOurs(printed));

    // Two anchors, one a stranger's: repeated --anchor and a comma list are the same.
    const stranger = 'ab12cd34ef560789';
    for (const args of [['--anchor', printed, '--anchor', stranger], [`--anchor=${printed},${stranger}`]]) {
      const two = run('--db', good, 'verify', ...args);
      expect(two.code).toBe(1);
      const t = JSON.parse(two.out);
      expect(t.anchors.map((a: { ok: boolean }) => a.ok)).toEqual([true, false]);
      expect(t.problems.map((p: { message: string }) => p.message)).toEqual([notOurs(stranger)]);
    }

    const short = run('--db', good, 'verify', '--anchor', printed.slice(0, 8));
    expect(short.code).toBe(2);
    expect(short.err).toContain(`“${printed.slice(0, 8)}”不是公示校验码：应为公示表上“校验码：”后的 16 位（或更长的）十六进制数字（0-9、a-f）`);
  }, 120_000);
});
