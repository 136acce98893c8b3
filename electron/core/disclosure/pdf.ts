import fs from 'node:fs';
import path from 'node:path';
import type { DisclosureData, DisclosureLayout } from '../../../shared/disclosure.ts';
import { ApiError } from '../../../shared/errors.ts';
import { convertWithSoffice, findSoffice, SOFFICE_MISSING } from './soffice.ts';
import { disclosureFileName, writeSheets } from './workbook.ts';
import { jobTempDir } from '../integrity/litter.ts';

/**
 * The summary sheet as a PDF for the notice board: LibreOffice converts a whole workbook, so a one-sheet workbook
 * of the summary is written to a temp folder and converted. Returns the PDF's path:
 * `{outDir}/{学校}_{YYYY}年{M}月_伙食费收支公示表.pdf`. The temp folder is in the run's temp folder under the data
 * folder's tmp/ (litter.ts): a run killed mid-conversion leaves it to the next start.
 */
export async function writeSummaryPdf(data: DisclosureData, layout: DisclosureLayout, outDir: string, dataDir?: string | null): Promise<string> {
  if (!findSoffice()) throw new ApiError('RULE', SOFFICE_MISSING);
  const tmp = jobTempDir('summary', dataDir);
  try {
    const xlsx = path.join(tmp, disclosureFileName(data, '伙食费收支公示表'));
    await writeSheets(data, layout, xlsx, ['summary']);
    const convDir = path.join(tmp, 'out');
    const made = await convertWithSoffice(xlsx, 'pdf', convDir, { dataDir });
    const pdf = made.find((f) => f.endsWith('.pdf'));
    if (!pdf) throw new ApiError('INTERNAL', 'LibreOffice 未生成 PDF 文件');
    fs.mkdirSync(outDir, { recursive: true });
    const target = path.join(outDir, disclosureFileName(data, '伙食费收支公示表', 'pdf'));
    fs.copyFileSync(pdf, target);
    return target;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
