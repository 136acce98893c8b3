import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../args.ts';
import { EXIT_OK, EXIT_REJECTED, type CliCommand, type CliContext } from '../command.ts';
import { monthArg } from './close-month.ts';
import { openCentre, type Centre } from '../../core/centre/db.ts';
import { writeViewsWorkbook } from '../../core/centre/export.ts';
import { enrolSchool, importFolder } from '../../core/centre/import.ts';
import { foodSafetyView, inspectionView, priceView, submissionView, supplierView, surplusView } from '../../core/centre/views.ts';

/**
 * 中心 (issue 18): the town centre's DuckDB database — init, enrol a school, import a folder of 上报包, and write the
 * views (报送情况, 结余率, 食材价格) of a month to an .xlsx. --db names the centre's file (centre.duckdb).
 */
const SUBS = ['init', 'enrol', 'import', 'export'] as const;

function centreFile(c: CliContext): string {
  const f = c.flag('db') ?? c.io.env.CANTEEN_CENTRE_DB;
  if (!f) throw new UsageError('命令 centre 需要参数 --db 中心数据库文件（例如 centre.duckdb）');
  return path.resolve(f);
}

async function withCentre<T>(file: string, create: boolean, f: (c: Centre) => Promise<T>): Promise<T> {
  const c = await openCentre(file, { create });
  try {
    return await f(c);
  } finally {
    c.close();
  }
}

export const centreCommand: CliCommand = {
  name: 'centre',
  summary: '乡镇中心：init 建立中心数据库；enrol 登记学校（代码、名称、公钥指纹）；import 导入文件夹中的上报包（逐包校验，整包导入或整包拒绝）；export 导出某月的报送情况、结余率、食材价格、供应商、验收（.xlsx）',
  usage: '--db centre.duckdb centre init | enrol --code 代码 --name 名称 --fingerprint 指纹 (或 --sheet 登记表.json) | import 文件夹 | export YYYY-MM|last-month --out 文件.xlsx',
  flags: ['code', 'name', 'fingerprint', 'sheet', 'out'],
  async run(c) {
    const [sub, arg] = c.positionals;
    if (!SUBS.includes(sub as (typeof SUBS)[number])) throw new UsageError(`centre 的子命令应为 ${SUBS.join('、')} 之一`);
    const file = centreFile(c);
    const now = new Date();
    if (sub === 'init') {
      await withCentre(file, true, async () => undefined);
      await c.print({ centre: file, created: true });
      return EXIT_OK;
    }
    if (sub === 'enrol') {
      const sheet = c.flag('sheet');
      let input: { code: string; name: string; fingerprint: string };
      if (sheet) {
        // The school's `canteen key --out` file; what it says is printed below, to be compared with the paper sheet.
        let s: { schoolCode?: unknown; schoolName?: unknown; fingerprint?: unknown };
        try {
          s = JSON.parse(fs.readFileSync(path.resolve(sheet), 'utf8'));
        } catch (e) {
          throw new UsageError(`读不了登记表 ${sheet}：${(e as Error).message}`);
        }
        if (typeof s.schoolCode !== 'string' || typeof s.schoolName !== 'string' || typeof s.fingerprint !== 'string') throw new UsageError(`${sheet} 不是学校的登记表（canteen key --out 写出的文件）`);
        input = { code: s.schoolCode, name: s.schoolName, fingerprint: s.fingerprint };
      } else {
        input = { code: c.requireFlag('code', '学校代码'), name: c.requireFlag('name', '学校名称'), fingerprint: c.requireFlag('fingerprint', '公钥指纹') };
      }
      await c.print(await withCentre(file, false, (x) => enrolSchool(x, input, now)));
      return EXIT_OK;
    }
    if (sub === 'import') {
      if (!arg) throw new UsageError('centre import 需要上报包所在的文件夹');
      const results = await withCentre(file, false, (x) => importFolder(x, path.resolve(arg), now));
      await c.print({
        imported: results.filter((r) => r.status === 'imported').length,
        unchanged: results.filter((r) => r.status === 'unchanged').length,
        refused: results.filter((r) => r.status === 'refused').length,
        packages: results.map((r) => ({ file: path.basename(r.file), status: r.status, message: r.message })),
      });
      return results.some((r) => r.status === 'refused') ? EXIT_REJECTED : EXIT_OK;
    }
    const month = monthArg(c.positionals.slice(1), 'centre export', now);
    const out = path.resolve(c.requireFlag('out', '导出文件（.xlsx）'));
    if (!out.toLowerCase().endsWith('.xlsx')) throw new UsageError('--out 应为 .xlsx 文件');
    await withCentre(file, false, async (x) => writeViewsWorkbook([await submissionView(x, month), await surplusView(x, { month }), await priceView(x, month), await supplierView(x, month), await inspectionView(x, month), await foodSafetyView(x, month)], out));
    await c.print({ xlsx: out });
    return EXIT_OK;
  },
};
