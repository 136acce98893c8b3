import readline from 'node:readline';
import type { ApiResult } from '../../../shared/errors.ts';
import { EXIT_OK, EXIT_REJECTED, type CliCommand } from '../command.ts';

/** One request line → one result line (blank lines are skipped); a malformed line is answered with an error, not fatal. */
function parseLine(line: string, n: number): { method: string; input: unknown } | ApiResult<never> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, error: { code: 'VALIDATION', message: `第 ${n} 行不是有效的 JSON` } };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof (v as { method?: unknown }).method !== 'string') {
    return { ok: false, error: { code: 'VALIDATION', message: `第 ${n} 行应为 {"method": "功能名", "input": {...}}` } };
  }
  const extra = Object.keys(v).filter((k) => k !== 'method' && k !== 'input');
  if (extra.length) return { ok: false, error: { code: 'VALIDATION', message: `第 ${n} 行含有不认识的字段：${extra.join('、')}` } };
  const { method, input } = v as { method: string; input?: unknown };
  return { method, input: input ?? {} };
}

export const batchCommand: CliCommand = {
  name: 'batch',
  summary: '从标准输入逐行读取 {"method": ..., "input": ...}，一次登录、同一进程内依次调用，每行输出一条结果 {"ok": ...}',
  usage: '--db 账本文件 --user 用户名 batch < 请求.jsonl',
  async run(c) {
    const b = await c.open({ create: false });
    if (c.flag('user') !== undefined || c.io.env.CANTEEN_USER) await c.login(b);
    let failed = 0;
    let n = 0;
    const rl = readline.createInterface({ input: c.io.stdin, crlfDelay: Infinity });
    for await (const raw of rl) {
      n++;
      const line = raw.trim();
      if (line === '') continue;
      const req = parseLine(line, n);
      const result = 'method' in req ? await b.invoke(req.method, req.input) : req;
      if (!result.ok) failed++;
      await c.print(result.ok ? { ok: true, value: result.value ?? null } : result, { line: true });
    }
    return failed ? EXIT_REJECTED : EXIT_OK;
  },
};
