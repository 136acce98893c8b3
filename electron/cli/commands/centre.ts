import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../args.ts';
import { EXIT_OK, EXIT_REJECTED, type CliCommand, type CliContext } from '../command.ts';
import { monthArg } from './close-month.ts';
import { openCentreBackend, type CentreBackend } from '../../core/centre/backend.ts';
import { writeViewsWorkbook } from '../../core/centre/export.ts';
import type { CentreView } from '../../core/centre/views.ts';
import { CENTRE_VIEWS, type CentreImportOutcome, type CentreInput, type CentreMethodName, type CentreOutput, type CentreSession } from '../../../shared/centre/api.ts';
import { ApiError } from '../../../shared/errors.ts';
import { showProgressOf } from '../progress.ts';

/**
 * 中心 (issue 18): the town centre's DuckDB database — init, enrol a school, import a folder of 上报包, write the views
 * of a month to an .xlsx, and verify the file against its audit chain. --db names the centre's file (centre.duckdb).
 *
 * Every subcommand goes through the centre's dispatcher (openCentreBackend's invoke), as the app does: `init --admin`
 * is the app's first-run setup (centre.setup), and the others log in as --user (or CANTEEN_USER) with CANTEEN_PASSWORD
 * or a hidden prompt, as the school's commands do — so the roles, the validation, the audit chain and the login backoff
 * are the app's: a centre reviewer cannot enrol or import here either.
 */
const SUBS = ['init', 'enrol', 'import', 'export', 'verify'] as const;

function centreFile(c: CliContext): string {
  const f = c.flag('db') ?? c.io.env.CANTEEN_CENTRE_DB;
  if (!f) throw new UsageError('命令 centre 需要参数 --db 中心数据库文件（例如 centre.duckdb）');
  return path.resolve(f);
}

async function withBackend<T>(file: string, create: boolean, f: (b: CentreBackend) => Promise<T>): Promise<T> {
  const b = await openCentreBackend({ file, create });
  try {
    return await f(b);
  } finally {
    b.close();
  }
}

/** One call through the dispatcher; a refusal ends the command (printed as JSON, exit 1). */
async function call<K extends CentreMethodName>(b: CentreBackend, name: K, input: CentreInput<K>): Promise<CentreOutput<K>> {
  const r = await b.invoke(name, input);
  if (!r.ok) throw new ApiError(r.error.code, r.error.message, r.error.issues);
  return r.value as CentreOutput<K>;
}

/** Logs in as --user (or CANTEEN_USER) through auth.login, as the school's commands do (cli/main.ts `login`). */
async function login(c: CliContext, b: CentreBackend, sub: string): Promise<CentreSession> {
  const username = c.flag('user') ?? c.io.env.CANTEEN_USER;
  if (!username) throw new UsageError(`命令 centre ${sub} 需要参数 --user 用户名（或环境变量 CANTEEN_USER）`);
  const password = await c.password(`中心用户 ${username} 的密码：`);
  return call(b, 'auth.login', { username, password });
}

export const centreCommand: CliCommand = {
  name: 'centre',
  summary:
    '乡镇中心：init 建立中心数据库（--centre 中心名称 --admin 用户名 同时建立第一位中心管理员，密码取自 CANTEEN_PASSWORD 或提示输入）；以下须用 --user 登录：enrol 登记学校（代码、名称、公钥指纹，中心管理员）；import 导入文件夹中的上报包（逐包校验，整包导入或整包拒绝，中心管理员）；export 导出某月的报送情况、结余率、食材价格、供应商、验收、食品安全（.xlsx）；verify 校验中心数据库与审计记录（中心管理员，有问题时退出码为 1）',
  usage:
    '--db centre.duckdb centre init [--centre 中心名称 --admin 用户名 [--admin-name 姓名]] | --user 用户名 centre enrol --code 代码 --name 名称 --fingerprint 指纹 (或 --sheet 登记表.json) | import 文件夹 | export YYYY-MM|last-month --out 文件.xlsx | verify',
  flags: ['code', 'name', 'fingerprint', 'sheet', 'out', 'centre', 'admin', 'admin-name'],
  async run(c) {
    const [sub, arg] = c.positionals;
    if (!SUBS.includes(sub as (typeof SUBS)[number])) throw new UsageError(`centre 的子命令应为 ${SUBS.join('、')} 之一`);
    const file = centreFile(c);
    if (sub === 'init') {
      const adminUsername = c.flag('admin');
      if (!adminUsername) {
        if (c.has('centre') || c.has('admin-name')) throw new UsageError('centre init 需要参数 --admin 管理员用户名（与 --centre 中心名称一起）');
        // The file alone: the first centre admin is made when the app first opens it (centre.setup).
        await withBackend(file, true, async () => undefined);
        await c.print({ centre: file, created: true, admin: null });
        return EXIT_OK;
      }
      const centreName = c.requireFlag('centre', '中心名称');
      const adminName = c.flag('admin-name') ?? '中心管理员';
      const password = await c.password(`中心管理员 ${adminUsername} 的密码（至少 8 位）：`);
      if (!c.io.env.CANTEEN_PASSWORD && (await c.password('再次输入密码确认：')) !== password) throw new UsageError('两次输入的密码不一致');
      const existed = fs.existsSync(file);
      let s: CentreSession;
      try {
        s = await withBackend(file, true, (b) => call(b, 'centre.setup', { centreName, adminUsername, adminName, password }));
      } catch (e) {
        // A refused setup (a weak password, a bad name) leaves no file without an admin behind: init may be run again.
        if (!existed) for (const f of [file, `${file}.wal`]) fs.rmSync(f, { force: true });
        throw e;
      }
      await c.print({ centre: file, created: true, centreName: s.centreName, admin: { username: s.username, displayName: s.displayName, role: s.role } });
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
      await c.print(
        await withBackend(file, false, async (b) => {
          await login(c, b, sub);
          return call(b, 'schools.enrol', input);
        }),
      );
      return EXIT_OK;
    }
    if (sub === 'import') {
      if (!arg) throw new UsageError('centre import 需要上报包所在的文件夹');
      const results: CentreImportOutcome[] = await withBackend(file, false, async (b) => {
        await login(c, b, sub);
        // Its progress on stderr when that is a terminal (as the school's long commands): nothing extra otherwise.
        const stop = showProgressOf(b, c.io.stderr);
        try {
          return await call(b, 'packages.import', { dir: path.resolve(arg) });
        } finally {
          stop();
        }
      });
      await c.print({
        imported: results.filter((r) => r.status === 'imported').length,
        unchanged: results.filter((r) => r.status === 'unchanged').length,
        refused: results.filter((r) => r.status === 'refused').length,
        packages: results.map((r) => ({ file: path.basename(r.file), status: r.status, message: r.message })),
      });
      return results.some((r) => r.status === 'refused') ? EXIT_REJECTED : EXIT_OK;
    }
    if (sub === 'verify') {
      const r = await withBackend(file, false, async (b) => {
        await login(c, b, sub);
        return call(b, 'centre.verify', {});
      });
      await c.print(r);
      return r.ok ? EXIT_OK : EXIT_REJECTED;
    }
    const month = monthArg(c.positionals.slice(1), 'centre export', new Date());
    const out = path.resolve(c.requireFlag('out', '导出文件（.xlsx）'));
    if (!out.toLowerCase().endsWith('.xlsx')) throw new UsageError('--out 应为 .xlsx 文件');
    await withBackend(file, false, async (b) => {
      await login(c, b, sub);
      const views: CentreView[] = [];
      for (const view of CENTRE_VIEWS) views.push((await call(b, 'views.show', { view, month })) as CentreView);
      await writeViewsWorkbook(views, out);
    });
    await c.print({ xlsx: out });
    return EXIT_OK;
  },
};
