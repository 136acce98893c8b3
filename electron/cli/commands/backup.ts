import path from 'node:path';
import fs from 'node:fs';
import { backupDbTo } from '../../core/integrity/backup.ts';
import { ApiError } from '../../../shared/errors.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { terminalReporter } from '../progress.ts';

/** `canteen --db FILE backup --out FILE`: one self-contained copy through SQLite's online backup API. */
export const backupCommand: CliCommand = {
  name: 'backup',
  summary: '备份账本到指定文件（单个文件即可恢复，可存到 U 盘）',
  usage: '--db 账本文件 backup --out 备份文件',
  flags: ['out'],
  async run(c) {
    const out = path.resolve(c.requireFlag('out', '备份文件'));
    if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new ApiError('VALIDATION', `${out} 是一个文件夹；请给出备份文件名，例如 ${path.join(out, '食堂账本备份.sqlite')}`);
    if (fs.existsSync(out)) throw new ApiError('CONFLICT', `备份文件 ${out} 已存在，请换一个文件名`);
    if (path.resolve(out) === path.resolve(c.location().file)) throw new ApiError('VALIDATION', '备份文件不能是账本文件本身');
    const b = await c.open({ create: false });
    const progress = terminalReporter(c.io.stderr, '备份');
    try {
      await backupDbTo(b.db, out, progress.report);
    } finally {
      progress.end();
    }
    await c.print({ ledger: c.location().file, backup: out, sizeBytes: fs.statSync(out).size });
    return EXIT_OK;
  },
};
