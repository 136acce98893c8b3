import { UsageError } from '../args.ts';
import { EXIT_OK, type CliCommand } from '../command.ts';

/** Reads the JSON argument; '-' reads it from stdin (for inputs too long for a command line, e.g. a file in base64). */
async function readInput(c: Parameters<CliCommand['run']>[0], text: string | undefined): Promise<unknown> {
  if (text === undefined) return {};
  let raw = text;
  if (text === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of c.io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    raw = Buffer.concat(chunks).toString('utf8');
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new UsageError(`输入不是有效的 JSON：${(e as Error).message}`);
  }
}

export const callCommand: CliCommand = {
  name: 'call',
  summary: '以某用户身份调用一个功能（与界面相同的校验和角色检查），结果以 JSON 输出；输入写 - 表示从标准输入读取',
  usage: '--db 账本文件 --user 用户名 call 功能名 [\'JSON\' | -]',
  async run(c) {
    const [method, json, ...extra] = c.positionals;
    if (!method) throw new UsageError('命令 call 需要功能名，例如 canteen call suppliers.search \'{"q":"bc"}\'（canteen methods 列出全部功能）');
    if (extra.length) throw new UsageError(`命令 call 只接受功能名和一个 JSON 参数，多出了：${extra.join(' ')}（JSON 请整体加引号）`);
    const input = await readInput(c, json);
    const b = await c.open({ create: false });
    // Without --user only public methods pass; the dispatcher says so (请先登录), as it would over IPC.
    if (c.flag('user') !== undefined || c.io.env.CANTEEN_USER) await c.login(b);
    const r = await b.invoke(method, input);
    if (!r.ok) return c.reject(r.error);
    await c.print(r.value ?? null);
    return EXIT_OK;
  },
};
