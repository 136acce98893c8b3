import type { Input, MethodName, Output } from '../../shared/api/index.ts';
import type { ErrorCode } from '../../shared/errors.ts';

/** Type-only imports above: the zod schemas stay in the backend, the renderer only knows names and shapes. */

export interface Issue {
  path: string;
  message: string;
}

/** A rejection from the backend, carrying its stable code, the Chinese message and per-field issues. */
export class ApiCallError extends Error {
  readonly code: ErrorCode | 'TRANSPORT';
  readonly issues: Issue[];
  readonly method: string;
  constructor(method: string, code: ErrorCode | 'TRANSPORT', message: string, issues: Issue[] = []) {
    super(message);
    this.name = 'ApiCallError';
    this.method = method;
    this.code = code;
    this.issues = issues;
  }
}

type Listener = (err: ApiCallError) => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called when any call comes back UNAUTHENTICATED (session gone, user disabled): the app returns to the login page. */
export function onUnauthenticated(fn: Listener): () => void {
  unauthenticatedListeners.add(fn);
  return () => unauthenticatedListeners.delete(fn);
}

/** Calls a backend method; resolves with its value or throws ApiCallError. */
export async function call<K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> {
  const bridge = typeof window !== 'undefined' ? window.canteen : undefined;
  if (!bridge) throw new ApiCallError(name, 'TRANSPORT', '无法连接到账本程序（未找到 window.canteen）');
  let r;
  try {
    r = await bridge.invoke(name, input);
  } catch (e) {
    throw new ApiCallError(name, 'TRANSPORT', `与账本程序通信失败：${(e as Error)?.message ?? String(e)}`);
  }
  if (r.ok) return r.value as Output<K>;
  const err = new ApiCallError(name, r.error.code, r.error.message, r.error.issues ?? []);
  // A wrong password where one is asked again (changing it, leaving 现场填写) is not a lost session.
  if (err.code === 'UNAUTHENTICATED' && name !== 'auth.login' && name !== 'auth.changePassword' && name !== 'surveys.kioskClose') {
    for (const fn of unauthenticatedListeners) fn(err);
  }
  throw err;
}

export const ERROR_TITLES: Record<ApiCallError['code'], string> = {
  VALIDATION: '输入有误',
  UNAUTHENTICATED: '需要登录',
  FORBIDDEN: '没有权限',
  NOT_FOUND: '找不到记录',
  CONFLICT: '数据冲突',
  RULE: '不符合规定',
  LOCKED: '已锁定',
  UNKNOWN_METHOD: '功能不存在',
  DISK_FULL: '磁盘空间不足',
  CANCELLED: '已取消',
  INTERNAL: '程序内部错误',
  TRANSPORT: '连接失败',
};
