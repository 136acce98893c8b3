import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { ApiErrorShape, ApiResult } from '../../shared/errors.ts';
import { INVOKE_CHANNEL } from './channel.ts';
import { isAppUrl } from './protocol.ts';

export { INVOKE_CHANNEL };

/** Big enough for an .xlsx import sent as bytes or base64, small enough that a runaway page cannot exhaust memory. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;
const MAX_DEPTH = 64;
const MAX_NAME = 100;

export interface InvokeTarget {
  invoke(name: string, input: unknown): Promise<ApiResult<unknown>>;
}

export interface IpcOptions {
  /** The backend (openBackend's `invoke`). */
  backend: InvokeTarget;
  /** The web contents ids of our own windows; a message from any other contents is refused. */
  isOurContents: (id: number) => boolean;
  maxInputBytes?: number;
  log?: (msg: string) => void;
  /** Sees each answered call (the shell records the files exports and backups wrote: open-path.ts). */
  onResult?: (name: string, result: ApiResult<unknown>) => void;
}

const fail = (code: ApiErrorShape['code'], message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

/**
 * A message is trusted only when it comes from the top frame of one of our windows, showing a page of our own
 * origin. Anything else (a subframe, a page that somehow navigated away, another web contents) is refused.
 */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, isOurContents: (id: number) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || !event.sender) return false;
  if (!isOurContents(event.sender.id)) return false;
  if (frame !== event.sender.mainFrame) return false;
  return isAppUrl(frame.url);
}

/**
 * Approximate size of a structured-clone value in bytes (strings at two bytes a character, typed arrays as their
 * bytes), counted only until it passes `limit`: past that the result just says "too big". Nesting deeper than
 * MAX_DEPTH counts as Infinity, so a hostile value cannot make the walk recurse without end.
 */
export function inputSize(value: unknown, limit: number): number {
  let total = 0;
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): boolean => {
    if (depth > MAX_DEPTH) {
      total = Infinity;
      return false;
    }
    if (v === null || v === undefined || typeof v === 'boolean') total += 4;
    else if (typeof v === 'number' || typeof v === 'bigint') total += 8;
    else if (typeof v === 'string') total += v.length * 2;
    else if (ArrayBuffer.isView(v)) total += v.byteLength;
    else if (v instanceof ArrayBuffer) total += v.byteLength;
    else if (typeof v === 'object') {
      if (seen.has(v)) return true;
      seen.add(v);
      const entries = v instanceof Map ? [...v.entries()].flat() : v instanceof Set ? [...v] : Array.isArray(v) ? v : Object.entries(v).flat();
      for (const x of entries) {
        if (!walk(x, depth + 1)) return false;
      }
    } else total += 8;
    return total <= limit;
  };
  walk(value, 0);
  return total;
}

/**
 * Registers the one handler on the one channel. It never throws across IPC: every outcome, including a refused
 * sender, a malformed message and an unexpected crash, comes back as an ApiResult the renderer can show.
 */
export function registerInvokeHandler(ipcMain: Pick<IpcMain, 'handle'>, opts: IpcOptions): void {
  const limit = opts.maxInputBytes ?? MAX_INPUT_BYTES;
  const log = opts.log ?? (() => {});
  ipcMain.handle(INVOKE_CHANNEL, async (event, message: unknown): Promise<ApiResult<unknown>> => {
    try {
      if (!isTrustedSender(event, opts.isOurContents)) {
        log(`拒绝来自不受信任页面的调用：${event.senderFrame?.url ?? '(无页面)'}`);
        return fail('FORBIDDEN', '拒绝来自不受信任页面的调用');
      }
      if (typeof message !== 'object' || message === null || Array.isArray(message)) return fail('VALIDATION', '调用格式不正确');
      const { name, input } = message as { name?: unknown; input?: unknown };
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME) return fail('VALIDATION', '调用格式不正确：缺少功能名称');
      if (inputSize(input, limit) > limit) {
        return fail('VALIDATION', `提交的数据太大（超过 ${Math.round(limit / 1024 / 1024)} MB），请分批处理或缩小文件`);
      }
      const result = await opts.backend.invoke(name, input);
      opts.onResult?.(name, result);
      return result;
    } catch (e) {
      log(`调用出错：${(e as Error)?.stack ?? String(e)}`);
      return fail('INTERNAL', `内部错误：${(e as Error)?.message ?? String(e)}`);
    }
  });
}
