import fs from 'node:fs';
import { openBackend, toApiError, type Backend } from '../core/backend.ts';
import { resolveLedgerPath, type LedgerLocation } from '../core/paths.ts';
import { assertLocalStorage } from '../core/integrity/storage-location.ts';
import { assertLedgerFile } from './ledger-file.ts';
import type { SessionInfo } from '../../shared/api/people.ts';
import { ApiError, type ApiErrorShape } from '../../shared/errors.ts';
import { parseArgs, UsageError } from './args.ts';
import { EXIT_OK, EXIT_REJECTED, EXIT_USAGE, type CliCommand, type CliContext, type CliIo } from './command.ts';
import { COMMANDS } from './commands/index.ts';
import { promptHidden } from './prompt.ts';
import { showProgressOf, upgradeReporter } from './progress.ts';
import { pendingUpgrade, upgradeLedger } from '../core/db/upgrade.ts';
import { acquireWriterLock } from '../core/integrity/writer-lock.ts';

const GLOBAL_FLAGS = ['db', 'data-dir', 'user'];
const GLOBAL_BOOLEANS = ['help'];

export function usageText(): string {
  const lines = [
    '用法：canteen [--db 账本文件 | --data-dir 数据目录] [--user 用户名] <命令> [参数]',
    '',
    '命令：',
    ...COMMANDS.map((c) => `  canteen ${c.usage}\n      ${c.summary}`),
    '',
    '账本位置：--db 或环境变量 CANTEEN_DB 指定文件；--data-dir 或 CANTEEN_DATA_DIR 指定数据目录（其中的 ledger.sqlite）；',
    '          都未指定时使用软件的数据目录。',
    '密码：取自环境变量 CANTEEN_PASSWORD；未设置时在终端中提示输入（不回显）。',
    '退出码：0 成功；1 调用被拒绝（错误以 JSON 输出到标准输出）；2 命令行用法错误。',
  ];
  return `${lines.join('\n')}\n`;
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

/** For the last words of a failing command: a closed stdout/stderr must not turn into a second failure. */
async function writeQuietly(stream: NodeJS.WritableStream, text: string): Promise<void> {
  try {
    await write(stream, text);
  } catch {
    // nothing more can be said
  }
}

/** Runs one command line and returns the exit code; never throws. */
export async function main(argv: readonly string[], io: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const opened: Backend[] = [];
  // The ledger the command is about, for what a damaged file's message says a restore would cost.
  let ledgerFile: string | null = null;
  try {
    const booleans = new Set([...GLOBAL_BOOLEANS, ...COMMANDS.flatMap((c) => c.booleanFlags ?? [])]);
    const args = parseArgs(argv, booleans, new Set(COMMANDS.flatMap((c) => c.repeatableFlags ?? [])));
    if (args.flags.get('help') === true || args.command === 'help') {
      await write(io.stdout, usageText());
      return EXIT_OK;
    }
    if (!args.command) throw new UsageError('缺少命令');
    const cmd = COMMANDS.find((c) => c.name === args.command);
    if (!cmd) throw new UsageError(`没有名为“${args.command}”的命令`);
    const known = new Set([...GLOBAL_FLAGS, ...GLOBAL_BOOLEANS, ...(cmd.flags ?? []), ...(cmd.booleanFlags ?? [])]);
    for (const [name, v] of args.flags) {
      if (!known.has(name)) throw new UsageError(`命令 ${cmd.name} 不认识参数 --${name}`);
      if (v === '' ) throw new UsageError(`参数 --${name} 的取值不能为空`);
    }
    const ctx = makeContext(cmd, args.positionals, args.flags, io, opened);
    try {
      ledgerFile = ctx.location().file;
    } catch {
      // A command without a ledger (methods, help).
    }
    return await cmd.run(ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      await writeQuietly(io.stderr, `错误：${e.message}\n\n${usageText()}`);
      return EXIT_USAGE;
    }
    const err = e instanceof ApiError ? e : toApiError(e, null, ledgerFile);
    await writeQuietly(io.stdout, `${JSON.stringify(err.toJSON(), null, 2)}\n`);
    return EXIT_REJECTED;
  } finally {
    for (const b of opened) b.close();
  }
}

function makeContext(cmd: CliCommand, positionals: string[], flags: Map<string, string | true>, io: CliIo, opened: Backend[]): CliContext {
  const flag = (name: string) => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  let location: LedgerLocation | null = null;
  const ctx: CliContext = {
    io,
    positionals,
    flag,
    has: (name) => flags.has(name),
    requireFlag(name, label) {
      const v = flag(name);
      if (v === undefined || v.trim() === '') throw new UsageError(`命令 ${cmd.name} 需要参数 --${name} ${label}`);
      return v;
    },
    location() {
      location ??= resolveLedgerPath({ db: flag('db'), dataDir: flag('data-dir'), env: io.env });
      return location;
    },
    async open(opts = {}) {
      const loc = ctx.location();
      // The same refusal as the app's: no ledger on a network share or in a cloud-sync folder.
      assertLocalStorage(loc.file, { env: io.env });
      assertLedgerFile(loc.file, { create: opts.create !== false });
      const exists = fs.existsSync(loc.file);
      if (!exists) fs.mkdirSync(loc.dataDir, { recursive: true });
      // The writer lock (held while this command runs) names the CLI when the app or another command is refused.
      // A ledger of an older version is upgraded first, its backup and each step shown on a terminal (issue 19).
      // The lock is held from before the upgrade until the backend holds it too (it counts within a process).
      const lock = exists && pendingUpgrade(loc.file) ? acquireWriterLock(loc.file, 'cli') : null;
      let b: Backend;
      try {
        if (lock) {
          const shown = upgradeReporter(io.stderr);
          try {
            await upgradeLedger(loc.file, { onProgress: shown.onProgress });
          } finally {
            shown.end();
          }
        }
        b = openBackend({ file: loc.file, lockHolder: 'cli' });
      } finally {
        lock?.release();
      }
      opened.push(b);
      // Long work through the backend (an export, a restore) shows its progress on a terminal's stderr.
      const stop = showProgressOf(b, io.stderr);
      const close = b.close;
      b.close = () => {
        stop();
        close();
      };
      return b;
    },
    async login(b) {
      const username = flag('user') ?? io.env.CANTEEN_USER;
      if (!username) throw new UsageError(`命令 ${cmd.name} 需要参数 --user 用户名（或环境变量 CANTEEN_USER）`);
      const password = await ctx.password(`用户 ${username} 的密码：`);
      const r = await b.invoke('auth.login', { username, password });
      if (!r.ok) throw new ApiError(r.error.code, r.error.message, r.error.issues);
      return r.value as SessionInfo;
    },
    async password(prompt) {
      const env = io.env.CANTEEN_PASSWORD;
      if (env !== undefined && env !== '') return env;
      if (!io.stdin.isTTY || !io.stdin.setRawMode) throw new UsageError('请用环境变量 CANTEEN_PASSWORD 提供密码（不在终端中运行，无法提示输入）');
      try {
        return await promptHidden(io, prompt);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
    },
    async print(value, opts = {}) {
      await write(io.stdout, `${opts.line ? JSON.stringify(value) : JSON.stringify(value, null, 2)}\n`);
    },
    async reject(error: ApiErrorShape) {
      await ctx.print(error);
      return EXIT_REJECTED;
    },
  };
  return ctx;
}
