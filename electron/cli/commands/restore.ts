import { previewBackup, restoreLedger } from '../../core/integrity/backup-restore.ts';
import { terminalReporter } from '../progress.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';

/**
 * `canteen --db FILE restore --from FILE [--preview]`: checks the backup, backs the current ledger up, then puts the
 * backup in its place. A damaged, truncated, foreign or newer-version file is refused and nothing is touched.
 */
export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: '从备份恢复账本（先自动备份当前账本；损坏、截断、非账本或更新版本的文件会被拒绝）；--preview 只查看备份内容',
  usage: '--db 账本文件 restore --from 备份文件 [--preview]',
  flags: ['from'],
  booleanFlags: ['preview'],
  async run(c) {
    const from = c.requireFlag('from', '备份文件');
    if (c.has('preview')) {
      await c.print({ preview: previewBackup(from, c.location().file) });
      return EXIT_OK;
    }
    const b = await c.open({ create: false });
    const progress = terminalReporter(c.io.stderr, '从备份恢复');
    let r: Awaited<ReturnType<typeof restoreLedger>>;
    try {
      r = await restoreLedger(b.ctx, from, progress.report);
    } finally {
      progress.end();
    }
    await c.print({ ledger: c.location().file, restoredFrom: from, preview: r.preview, preRestoreBackup: r.preRestore.file });
    return EXIT_OK;
  },
};
