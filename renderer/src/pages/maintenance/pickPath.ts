import { ApiCallError } from '../../api.ts';

/** Whether the shell offers its native folder/file dialog (the Electron app does; a browser harness does not). */
export function canPickPath(): boolean {
  return typeof window !== 'undefined' && typeof window.canteen?.pickPath === 'function';
}

/** Opens the shell's dialog; resolves with the chosen absolute path, or null when the person cancelled. */
export async function pickPath(kind: 'backupFolder' | 'backupFile'): Promise<string | null> {
  const pick = window.canteen?.pickPath;
  if (!pick) throw new ApiCallError('pickPath', 'TRANSPORT', '此环境没有选择文件夹的窗口，请输入完整路径');
  let r;
  try {
    r = await pick(kind);
  } catch (e) {
    throw new ApiCallError('pickPath', 'TRANSPORT', `无法打开选择窗口：${(e as Error)?.message ?? String(e)}`);
  }
  if (r.ok) return r.value;
  throw new ApiCallError('pickPath', r.error.code, r.error.message);
}
