import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult } from '../../../shared/api/monthclose.ts';
import { UsageError } from '../args.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';
import { monthArg } from './close-month.ts';

/**
 * Writes a closed month's disclosure workbook to --out (and the summary PDF beside it when LibreOffice is installed),
 * through monthclose.export: the same figures, checksum and revision as the app's export button.
 */
export const exportMonthCommand: CliCommand = {
  name: 'export-month',
  summary: '导出已月结月份的公示工作簿（.xlsx）到 --out，并在同一文件夹写出收支公示表 PDF；输出文件路径与版本（JSON）',
  usage: '--db 账本文件 --user 用户名 export-month YYYY-MM|last-month --out 文件.xlsx [--force]',
  flags: ['out'],
  booleanFlags: ['force'],
  async run(c) {
    const month = monthArg(c.positionals, 'export-month');
    const out = path.resolve(c.requireFlag('out', '导出文件（.xlsx）'));
    if (!out.toLowerCase().endsWith('.xlsx')) throw new UsageError('--out 应为 .xlsx 文件');
    // A published notice may already be there (last month's, or one a parent was sent): never replace it unasked.
    if (fs.existsSync(out) && !c.has('force')) throw new UsageError(`文件 ${out} 已存在；如确要覆盖，请加 --force`);
    const b = await c.open({ create: false });
    await c.login(b);
    const dir = path.dirname(out);
    fs.mkdirSync(dir, { recursive: true });
    const r = await b.invoke('monthclose.export', { month, dir });
    if (!r.ok) return c.reject(r.error);
    const v = r.value as ExportResult;
    if (path.resolve(v.xlsxPath) !== out) fs.renameSync(v.xlsxPath, out);
    await c.print({ xlsx: out, pdf: v.pdfPath, pdfError: v.pdfError, revision: v.revision, checksum: v.checksumHex });
    return EXIT_OK;
  },
};
