import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../electron/core/backend.ts';
import { backupsDir, createBackup } from '../../electron/core/integrity/backup.ts';
import { chainHeadOf, verifyLedger, verifyLedgerFile, type VerifyOptions } from '../../electron/core/integrity/verify.ts';
import type { VerifyResult } from '../../shared/api/maintenance.ts';
import { PASSWORD, tableDigest, type TestBackend } from '../helpers/backend.ts';
import { feeSchool } from '../core/fees-fixture.ts';
import { draft, line, postNew, setupWorld } from '../core/receiving-fixtures.ts';
import { creditCode, ledgerWithHistory } from './fixture.ts';
import { plainCopy, tamperableCopies, tamperRounds, tamperTargets } from './tamper-kit.ts';
import { registeredTables } from '../../electron/core/ledger/tables.ts';

/**
 * Tampering behind the app's back, as someone with the sqlite3 shell would: triggers dropped, CHECK constraints
 * ignored, then one direct change, deletion or insertion. `verify` must catch every one.
 */
// Every table the registry checks entity by entity, with their children, the accounts, the installation and the chain
// (tamper-kit.ts suiteOf); their keys are the primary keys the migrations give them.
const KEYS: Record<string, string[]> = Object.assign({}, ...Object.values(tamperTargets('foundation')));
/**
 * Columns verify does not cover (said in the report): a posting's integer id and the singleton/created_at
 * bookkeeping columns carry no meaning of their own.
 */
const NOT_COVERED: Record<string, string[]> = {
  journal_postings: ['id'],
  installation: ['created_at', 'singleton'],
  school: ['singleton'],
};

let b: TestBackend;
let baseline: string;
let anchor: VerifyOptions['anchor'];
let work: string;
/** A fresh tamperable copy of the baseline, in memory (tamper-kit.ts). */
let freshCopy: () => Database.Database;

beforeAll(async () => {
  b = await ledgerWithHistory();
  const f = await createBackup(b.db, backupsDir(b.dir), 'daily', new Date());
  baseline = f.file;
  const head = chainHeadOf(baseline)!;
  anchor = { seq: head.seq, hash: head.hash, source: f.name };
  work = fs.mkdtempSync(path.join(b.dir, 'tamper-'));
  freshCopy = tamperableCopies(baseline);
}, 120_000);
afterAll(() => b?.cleanup());

describe('verify catches tampering done with SQLite behind the app', () => {
  it('the untouched ledger and its backup verify clean (anchored on the backup)', () => {
    const r = verifyLedgerFile(b.file);
    expect(r.problems).toEqual([]);
    expect(r.anchor).toMatch(/daily/);
    // Every registered table but the chain itself, except the row-snapshot tables born before snapshots: this ledger's
    // chain (written before them) carries none, so they are left uncovered and named only if they hold rows.
    const expected = registeredTables()
      .filter(([t, e]) => t !== 'audit_log' && (e.check !== 'snapshots' || e.snapshottedFromBirth))
      .map(([t]) => t);
    expect(Object.keys(r.coveredTables).sort()).toEqual(expected.sort());
    expect(Object.keys(r.coveredTables)).toEqual(
      expect.arrayContaining(['accounts', 'doc_counters', 'ingredients', 'installation', 'journal_entries', 'journal_postings', 'meal_plans', 'school', 'supplier_licences', 'suppliers', 'user_roles', 'users',
        // the failed logins of migration 0015, snapshotted from the start
        'login_attempts',
        // the pupils' class moves of migration 0016, snapshotted from the start
        'student_class_moves',
        // the opening (期初建账) of migration 0017, snapshotted from the start (checked even while it holds no row)
        'openings', 'opening_lines',
        // the regional profile's versions of migration 0018, snapshotted from the start (the first one written by setup)
        'profile_versions',
        // the month totals of migrations 0006, 0009 and 0012, recomputed from their source rows
        'account_month_totals', 'account_day_totals', 'stock_lot_categories', 'stock_month_totals', 'subsidy_meal_months', 'subsidy_class_months']),
    );
    expect(r.journalEntries).toBe(5); // 4 posted + 1 reversal
    const db = new Database(baseline, { readonly: true });
    expect(verifyLedger(db, { anchor }).problems).toEqual([]);
    db.close();
  });

  it('a direct change of a supplier phone is named in the first problem', () => {
    const db = freshCopy();
    db.prepare(`UPDATE suppliers SET phone = '13999999999' WHERE name = '绿源蔬菜'`).run();
    const r = verifyLedger(db, { anchor });
    db.close();
    expect(r.ok).toBe(false);
    expect(r.first!.message).toContain('供应商');
    expect(r.first!.message).toContain('phone');
  });

  it('at least 500 random changes, deletions and insertions: every one caught', () => {
    expect(Object.keys(KEYS)).toEqual(expect.arrayContaining(['accounts', 'audit_log', 'ingredients', 'installation', 'journal_entries', 'journal_postings', 'school', 'supplier_licences', 'suppliers', 'user_roles', 'users']));
    const seed = Number(process.env.TAMPER_SEED ?? Date.now() % 1_000_000);
    const { counts, perTable, missed } = tamperRounds({
      tables: KEYS,
      skip: NOT_COVERED,
      rounds: 540,
      seed,
      fresh: freshCopy,
      verify: (db) => verifyLedger(db, { anchor }),
      // Caught when verify fails at all: a forged posting may be named under its entry, a role under its user.
      caught: (r) => !r.ok,
    });
    console.log(`tampering (seed ${seed}): ${JSON.stringify(counts)}; per table ${JSON.stringify(perTable)}; missed ${missed.length}`);
    expect(missed).toEqual([]);
    expect(counts.change + counts.delete + counts.insert).toBeGreaterThanOrEqual(500);
    expect(Math.min(counts.change, counts.delete, counts.insert)).toBeGreaterThanOrEqual(150);
  }, 400_000);

  it('the CLI verify exits non-zero naming the first broken entry; zero on a clean ledger', () => {
    const clean = path.join(work, 'cli-clean.sqlite');
    fs.copyFileSync(baseline, clean);
    const run = (file: string) => {
      try {
        return { code: 0, out: execFileSync(process.execPath, ['bin/canteen.js', '--db', file, 'verify'], { encoding: 'utf8' }) };
      } catch (e) {
        const err = e as { status: number; stdout: string };
        return { code: err.status, out: err.stdout };
      }
    };
    const ok = run(clean);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('校验通过');
    const bad = path.join(work, 'cli-bad.sqlite');
    fs.copyFileSync(baseline, bad);
    const db = new Database(bad);
    db.exec('DROP TRIGGER journal_posting_no_update');
    db.prepare(`UPDATE journal_postings SET amount_fen = amount_fen + 100 WHERE id = (SELECT min(id) FROM journal_postings)`).run();
    db.close();
    const r = run(bad);
    expect(r.code).toBe(1);
    expect(r.out).toContain('校验未通过');
    expect(r.out).toMatch(/借贷不平衡|记账分录/);
  }, 180_000);
});

/** What verify and the dispatcher say about a schema difference, as a person reads it. */
const inReport = (what: string) => `数据库结构与本软件不一致：${what}`;
const refusal = (what: string) => `账本的数据库结构与本软件不一致（${what}），为防止账目被篡改，已禁止写入。请运行校验查看详情，并从备份恢复或联系技术支持。`;

/**
 * Schema tampering (issue 20): a trigger dropped, changed or planted, an index or view added, a table redefined. The
 * rows stay as the chain says, so only a comparison with the schema the migrations define can see it.
 */
const SCHEMA_CASES: { what: string; sql: string; named: string[]; refused?: string }[] = [
  { what: 'one trigger dropped', sql: 'DROP TRIGGER journal_posting_no_update', named: ['触发器 journal_posting_no_update 缺失'] },
  {
    what: 'a trigger planted that shaves 1 yuan off each new receipt (its guard dropped)',
    sql: `DROP TRIGGER fee_receipts_immutable;
          CREATE TRIGGER shave AFTER INSERT ON fee_receipts BEGIN UPDATE fee_receipts SET amount_fen = amount_fen - 100, override_reason = '优惠' WHERE id = NEW.id; END`,
    named: ['触发器 fee_receipts_immutable 缺失', '多出触发器 shave（表 fee_receipts）'],
    refused: '多出触发器 shave（表 fee_receipts）等 2 处',
  },
  {
    what: 'a trigger rewritten under its own name to do nothing',
    sql: `DROP TRIGGER journal_posting_no_update;
          CREATE TRIGGER journal_posting_no_update BEFORE UPDATE ON journal_postings WHEN 0 BEGIN SELECT RAISE(ABORT, '记账分录不能修改，只能冲销'); END`,
    named: ['触发器 journal_posting_no_update 的定义被改动'],
  },
  { what: 'an index added', sql: 'CREATE INDEX suppliers_phone ON suppliers(phone)', named: ['多出索引 suppliers_phone（表 suppliers）'] },
  { what: 'an index dropped', sql: 'DROP INDEX journal_entries_source', named: ['索引 journal_entries_source 缺失'] },
  { what: 'an index redefined', sql: 'DROP INDEX journal_entries_date; CREATE INDEX journal_entries_date ON journal_entries(memo)', named: ['索引 journal_entries_date 的定义被改动'] },
  { what: 'a column added to a table', sql: 'ALTER TABLE suppliers ADD COLUMN note TEXT', named: ['表 suppliers 的定义被改动'] },
  {
    what: "a table's CHECK removed by editing sqlite_schema",
    sql: `PRAGMA writable_schema = ON;
          UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (amount_fen <> 0 AND abs(amount_fen) <= 10000000000000)', '') WHERE name = 'journal_postings';
          PRAGMA writable_schema = OFF;`,
    named: ['表 journal_postings 的定义被改动'],
  },
  { what: 'a table added', sql: 'CREATE TABLE notes (x TEXT)', named: ['多出表 notes'] },
  { what: 'a view added', sql: 'CREATE VIEW receipts_plain AS SELECT id, amount_fen FROM fee_receipts', named: ['多出视图 receipts_plain'] },
];

describe('verify and the app catch a changed schema', () => {
  /** The copy, changed by `sql` with the sqlite3 shell's defaults; its verify report. */
  function changed(i: number, sql: string) {
    const file = path.join(work, `schema${i}.sqlite`);
    const db = plainCopy(baseline, file);
    db.exec(sql);
    db.close();
    const ro = new Database(file, { readonly: true });
    const r = verifyLedger(ro, { anchor });
    ro.close();
    return { file, r };
  }

  for (const [i, c] of SCHEMA_CASES.entries()) {
    it(`${c.what}: verify names it, and the app refuses writes while reads, login and verify still work`, async () => {
      const { file, r } = changed(i, c.sql);
      expect(r.ok).toBe(false);
      expect(r.problems.filter((p) => p.kind !== 'schema')).toEqual([]);
      expect(r.problems.map((p) => p.message).sort()).toEqual(c.named.map(inReport).sort());
      const app = openBackend({ file });
      try {
        expect((await app.invoke('auth.login', { username: 'admin', password: PASSWORD })).ok).toBe(true);
        const before = tableDigest(app);
        const w = await app.invoke('suppliers.create', { name: '新供应商', creditCode: creditCode('91110000100000009'), address: '城北路 9 号', contactPerson: '李经理', phone: '13800000009', licences: [] });
        expect(w.ok).toBe(false);
        if (!w.ok) {
          expect(w.error.code).toBe('LOCKED');
          expect(w.error.message).toBe(refusal(c.refused ?? c.named[0]));
        }
        expect(tableDigest(app)).toBe(before);
        const list = await app.invoke('suppliers.search', { q: '' });
        expect(list.ok).toBe(true);
        const v = await app.invoke('integrity.verify', {});
        expect(v.ok && (v.value as VerifyResult).problems.map((p) => p.message).sort()).toEqual(c.named.map(inReport).sort());
      } finally {
        app.close();
      }
    }, 60_000);
  }

  it('every trigger dropped: each one named', () => {
    const db = new Database(baseline, { readonly: true });
    const triggers = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'trigger' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
    db.close();
    expect(triggers.length).toBeGreaterThanOrEqual(81);
    const { r } = changed(90, triggers.map((t) => `DROP TRIGGER "${t}";`).join('\n'));
    expect(r.problems.filter((p) => p.kind !== 'schema')).toEqual([]);
    expect(r.problems.map((p) => p.message).sort()).toEqual(triggers.map((t) => inReport(`触发器 ${t} 缺失`)).sort());
  });

  it('an untouched copy takes the same write (the refusal above is the schema, not the call)', async () => {
    const file = path.join(work, 'schema-clean.sqlite');
    plainCopy(baseline, file).close();
    const app = openBackend({ file });
    try {
      expect((await app.invoke('auth.login', { username: 'admin', password: PASSWORD })).ok).toBe(true);
      const w = await app.invoke('suppliers.create', { name: '新供应商', creditCode: creditCode('91110000100000009'), address: '城北路 9 号', contactPerson: '李经理', phone: '13800000009', licences: [] });
      expect(w.ok ? true : w.error).toBe(true);
    } finally {
      app.close();
    }
  });

  it('a shaving trigger planted while the app runs: the next receipt is refused, nothing written; after reopening too; verify names it', async () => {
    const s = await feeSchool();
    try {
      const st = s.students;
      // 王小明, lunch, September: 21 days × 6.00 = 126.00.
      const first = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['王小明'].id }] });
      expect(first[0].amountFen).toBe(12_600);
      const shell = new Database(s.b.file);
      shell.exec(SCHEMA_CASES[1].sql);
      shell.close();
      const before = tableDigest(s.b);
      const e = await s.b.reject('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['李小红'].id }] });
      expect(e).toEqual({ code: 'LOCKED', message: refusal('多出触发器 shave（表 fee_receipts）等 2 处') });
      expect(tableDigest(s.b)).toBe(before);
      expect((await s.b.call('receipts.get', { id: first[0].id })).amountFen).toBe(12_600);
      s.b.close();
      const again = openBackend({ file: s.b.file });
      try {
        expect((await again.invoke('auth.login', { username: 'cashier', password: PASSWORD })).ok).toBe(true);
        const afterLogin = tableDigest(again);
        const r2 = await again.invoke('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: st['李小红'].id }] });
        expect(r2.ok ? null : r2.error.code).toBe('LOCKED');
        expect(tableDigest(again)).toBe(afterLogin);
      } finally {
        again.close();
      }
      const r = verifyLedgerFile(s.b.file);
      expect(r.problems.map((p) => p.message)).toContain(inReport('多出触发器 shave（表 fee_receipts）'));
      expect(r.problems.map((p) => p.message)).toContain(inReport('触发器 fee_receipts_immutable 缺失'));
    } finally {
      s.b.cleanup();
    }
  }, 60_000);
});

describe('verify and attachmentData catch an attachment file changed or deleted on disk', () => {
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('a certificate photo')]);
  const PDF = Buffer.from('%PDF-1.4\n% a quarantine certificate scan\n');

  it('a scan replaced by other bytes and one deleted: both refused on read and named by delivery and file in verify', async () => {
    const w = await setupWorld();
    try {
      const d1 = await postNew(w, draft(w, [line(w.rice)]));
      const d2 = await postNew(w, draft(w, [line(w.cabbage, { unitPriceFen: 250 })], { noteNumber: 'SH-0915-02' }));
      expect([d1.number, d2.number]).toEqual(['YS2026-0001', 'YS2026-0002']);
      const attach = (deliveryId: string, fileName: string, mime: 'image/png' | 'application/pdf', bytes: Buffer) =>
        w.b.call('receiving.attach', { deliveryId, lineNo: null, certKind: null, kind: 'certificate', fileName, mime, dataBase64: bytes.toString('base64') });
      const photo = await attach(d1.id, '合格证.png', 'image/png', PNG);
      // The same photo attached to the second delivery: one file on disk, two rows.
      const photo2 = await attach(d2.id, '合格证副本.png', 'image/png', PNG);
      const scan = await attach(d1.id, '检疫证明.pdf', 'application/pdf', PDF);
      const dir = path.join(w.b.dir, 'attachments');
      const pngFile = path.join(dir, `${photo.sha256}.png`);
      const pdfFile = path.join(dir, `${scan.sha256}.pdf`);
      const clean = verifyLedgerFile(w.b.file);
      expect(clean.problems).toEqual([]);
      expect(clean.attachmentFiles).toBe(2);

      // Replaced: same size, one byte different at the end.
      const forged = Buffer.from(PNG);
      forged[forged.length - 1] ^= 1;
      fs.writeFileSync(pngFile, forged);
      fs.rmSync(pdfFile);

      const changedMsg = (delivery: string, name: string) => `附件文件已被改动或缺失（验收单 ${delivery} 的“${name}”：文件内容与登记的 sha256 不符），请从备份恢复附件（数据文件夹中的 attachments 文件夹）`;
      expect(await w.b.reject('receiving.attachmentData', { id: photo.id })).toEqual({ code: 'CONFLICT', message: changedMsg('YS2026-0001', '合格证.png') });
      expect(await w.b.reject('receiving.attachmentData', { id: photo2.id })).toEqual({ code: 'CONFLICT', message: changedMsg('YS2026-0002', '合格证副本.png') });
      expect(await w.b.reject('receiving.attachmentData', { id: scan.id })).toEqual({
        code: 'NOT_FOUND',
        message: `附件文件已被改动或缺失（验收单 YS2026-0001 的“检疫证明.pdf”：文件 ${scan.sha256}.pdf 不存在），请从备份恢复附件（数据文件夹中的 attachments 文件夹）`,
      });

      const r = verifyLedgerFile(w.b.file);
      expect(r.ok).toBe(false);
      expect(r.problems.map((p) => [p.kind, p.id, p.message]).sort()).toEqual(
        [
          ['attachment', photo.id, changedMsg('YS2026-0001', '合格证.png')],
          ['attachment', photo2.id, changedMsg('YS2026-0002', '合格证副本.png')],
          ['attachment', scan.id, `附件文件已被改动或缺失（验收单 YS2026-0001 的“检疫证明.pdf”：文件 ${scan.sha256}.pdf 缺失或无法读取），请从备份恢复附件（数据文件夹中的 attachments 文件夹）`],
        ].sort(),
      );
      // The maintenance page's verify says the same.
      await w.b.loginAs('admin');
      const v = (await w.b.call('integrity.verify', {})) as VerifyResult;
      expect(v.problems.filter((p) => p.kind === 'attachment')).toHaveLength(3);

      // Put back from a backup: served and verified again.
      fs.writeFileSync(pngFile, PNG);
      fs.writeFileSync(pdfFile, PDF);
      expect((await w.b.call('receiving.attachmentData', { id: scan.id })).dataBase64).toBe(PDF.toString('base64'));
      expect(verifyLedgerFile(w.b.file).problems).toEqual([]);
    } finally {
      w.b.cleanup();
    }
  }, 60_000);
});
