import type { CentreInput, CentreMethodName, CentreOutput } from '../../../shared/centre/api.ts';
import { ApiCallError } from '../api.ts';

/** Type-only imports above: the centre's zod schemas stay in the backend, as the school's do. */

type Listener = () => void;
const lostListeners = new Set<Listener>();
export function onCentreUnauthenticated(fn: Listener): () => void {
  lostListeners.add(fn);
  return () => lostListeners.delete(fn);
}

/** Calls a centre method through the same door as the school's (window.canteen.invoke); throws ApiCallError. */
export async function centreCall<K extends CentreMethodName>(name: K, input: CentreInput<K>): Promise<CentreOutput<K>> {
  const bridge = typeof window !== 'undefined' ? window.canteen : undefined;
  if (!bridge) throw new ApiCallError(name, 'TRANSPORT', '无法连接到中心程序（未找到 window.canteen）');
  let r;
  try {
    r = await bridge.invoke(name, input);
  } catch (e) {
    throw new ApiCallError(name, 'TRANSPORT', `与中心程序通信失败：${(e as Error)?.message ?? String(e)}`);
  }
  if (r.ok) return r.value as CentreOutput<K>;
  const err = new ApiCallError(name, r.error.code, r.error.message, r.error.issues ?? []);
  if (err.code === 'UNAUTHENTICATED' && name !== 'auth.login') for (const fn of lostListeners) fn();
  throw err;
}
