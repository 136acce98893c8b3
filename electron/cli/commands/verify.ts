import { verifyLedgerFile, describeReport } from '../../core/integrity/verify.ts';
import { assertLedgerFile } from '../ledger-file.ts';
import { EXIT_OK, EXIT_REJECTED, type CliCommand } from '../command.ts';
import { badChecksumMessage, parsePublishedChecksums } from '../../../shared/anchors.ts';
import { UsageError } from '../args.ts';
import { terminalReporter } from '../progress.ts';
import { openLedgerToRead } from '../../core/db/open.ts';
import { quickVerify } from '../../core/integrity/quick.ts';
import { quickResult } from '../../core/domains/maintenance/index.ts';

/**
 * `canteen --db FILE verify [--anchor 校验码]`: reads the ledger (no writer lock: the app may keep running) and checks
 * it against its audit chain, its newest backup and the 校验码 of published notices (issue 20 item 6: without an
 * outside anchor a ledger rewritten whole with the app's own code agrees with itself, and the summary says so).
 * Exit 0 when clean; 1 naming the first problem (a 校验码 no close of this ledger carries is one). In a folder that
 * cannot be written (a read-only share or USB stick) the ledger is only read, and `readOnly` says how.
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary:
    '校验账本：数据库完整性、外键、审计链、记账凭证借贷平衡，并与审计记录逐行核对（发现被绕过软件直接改动的数据）；--quick 只从最近的月结封存起核对（几秒钟，每天可做；封存之前的数据不逐行核对，没有封存时做完整校验）；--anchor 给出公示表上的校验码（可多个，逗号分隔或重复 --anchor），核对账本是否仍是公示时的账本；有问题时退出码为 1',
  usage: '--db 账本文件 verify [--quick] [--anchor 校验码[,校验码…]]',
  flags: ['anchor'],
  booleanFlags: ['quick'],
  repeatableFlags: ['anchor'],
  async run(c) {
    const given = c.flag('anchor');
    const { values, bad } = parsePublishedChecksums(given ?? '');
    if (bad.length) throw new UsageError(badChecksumMessage(bad[0]));
    if (given !== undefined && values.length === 0) throw new UsageError('--anchor 后面应为公示表上的校验码');
    const file = c.location().file;
    assertLedgerFile(file, { create: false });
    const progress = terminalReporter(c.io.stderr, '校验账本');
    if (c.has('quick') && values.length === 0) {
      // From the newest intact month-close seal on (integrity/quick.ts); without one, the full check below.
      const opened = openLedgerToRead(file);
      let q: ReturnType<typeof quickVerify>;
      try {
        q = quickVerify(opened.db, { report: progress.report });
      } finally {
        opened.close();
        progress.end();
      }
      if (q.sealed) {
        const v = quickResult(q);
        await c.print({ ok: v.ok, mode: 'quick', summary: opened.readOnlyNote ? `${v.summary}（${opened.readOnlyNote}）` : v.summary, readOnly: opened.readOnlyNote, sealed: q.sealed, first: v.problems[0] ?? null, problems: v.problems, auditEntries: v.auditEntries, coveredTables: v.coveredTables });
        return v.ok ? EXIT_OK : EXIT_REJECTED;
      }
    }
    let r: ReturnType<typeof verifyLedgerFile>;
    try {
      r = verifyLedgerFile(file, values, progress.report);
    } finally {
      progress.end();
    }
    await c.print({
      ok: r.ok,
      mode: 'full',
      // A ledger in a folder that cannot be written is read without changing a byte, and the summary says so.
      summary: r.readOnlyNote ? `${describeReport(r)}（${r.readOnlyNote}）` : describeReport(r),
      readOnly: r.readOnlyNote,
      first: r.first,
      problems: r.problems,
      auditEntries: r.auditEntries,
      journalEntries: r.journalEntries,
      coveredTables: r.coveredTables,
      uncoveredTables: r.uncoveredTables,
      anchor: r.anchor,
      anchors: r.anchors,
    });
    return r.ok ? EXIT_OK : EXIT_REJECTED;
  },
};
