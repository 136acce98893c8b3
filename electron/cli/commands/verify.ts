import { verifyLedgerFile, describeReport } from '../../core/verify.ts';
import { EXIT_OK, EXIT_REJECTED, type CliCommand } from '../command.ts';
import { ApiError } from '../../../shared/errors.ts';
import fs from 'node:fs';

/**
 * `canteen --db FILE verify`: reads the ledger (no writer lock: the app may keep running) and checks it against its
 * audit chain and its newest backup. Exit 0 when clean; 1 naming the first problem. In a folder that cannot be
 * written (a read-only share or USB stick) the ledger is only read, and `readOnly` says how.
 */
export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: '校验账本：数据库完整性、外键、审计链、记账凭证借贷平衡，并与审计记录逐行核对（发现被绕过软件直接改动的数据）；有问题时退出码为 1',
  usage: '--db 账本文件 verify',
  async run(c) {
    const file = c.location().file;
    if (!fs.existsSync(file)) throw new ApiError('NOT_FOUND', `找不到账本文件 ${file}`);
    const r = verifyLedgerFile(file);
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
    });
    return r.ok ? EXIT_OK : EXIT_REJECTED;
  },
};
