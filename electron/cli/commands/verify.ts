import { verifyLedgerFile, describeReport } from '../../core/integrity/verify.ts';
import { assertLedgerFile } from '../ledger-file.ts';
import { EXIT_OK, EXIT_REJECTED, type CliCommand } from '../command.ts';
import { badChecksumMessage, parsePublishedChecksums } from '../../../shared/anchors.ts';
import { UsageError } from '../args.ts';
import { terminalReporter } from '../progress.ts';

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
    '校验账本：数据库完整性、外键、审计链、记账凭证借贷平衡，并与审计记录逐行核对（发现被绕过软件直接改动的数据）；--anchor 给出公示表上的校验码（可多个，逗号分隔或重复 --anchor），核对账本是否仍是公示时的账本；有问题时退出码为 1',
  usage: '--db 账本文件 verify [--anchor 校验码[,校验码…]]',
  flags: ['anchor'],
  repeatableFlags: ['anchor'],
  async run(c) {
    const given = c.flag('anchor');
    const { values, bad } = parsePublishedChecksums(given ?? '');
    if (bad.length) throw new UsageError(badChecksumMessage(bad[0]));
    if (given !== undefined && values.length === 0) throw new UsageError('--anchor 后面应为公示表上的校验码');
    const file = c.location().file;
    assertLedgerFile(file, { create: false });
    const progress = terminalReporter(c.io.stderr, '校验账本');
    let r: ReturnType<typeof verifyLedgerFile>;
    try {
      progress.report('逐项核对账本', 0, 1);
      r = verifyLedgerFile(file, values);
    } finally {
      progress.end();
    }
    await c.print({
      ok: r.ok,
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
