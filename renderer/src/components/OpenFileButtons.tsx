import { Button, Space } from 'antd';
import type { ApiResult } from '../../../shared/errors.ts';
import { ApiCallError } from '../api.ts';
import { showError } from '../feedback.ts';

/** The preload's file functions (electron/preload.ts; the main process checks every path: shell/open-path.ts). */
interface FileBridge {
  openPath?(path: string): Promise<ApiResult<null>>;
  showInFolder?(path: string): Promise<ApiResult<null>>;
}
const bridge = (): FileBridge | undefined => (typeof window !== 'undefined' ? (window.canteen as FileBridge | undefined) : undefined);

/** Whether the shell can open files (the Electron app can; a browser, like the e2e harness, cannot). */
export function canOpenFiles(): boolean {
  const b = bridge();
  return typeof b?.openPath === 'function' && typeof b?.showInFolder === 'function';
}

async function ask(what: 'openPath' | 'showInFolder', file: string): Promise<void> {
  const b = bridge();
  if (!b?.[what]) return;
  let r;
  try {
    r = await b[what](file);
  } catch (e) {
    throw new ApiCallError(what, 'TRANSPORT', `无法打开：${(e as Error)?.message ?? String(e)}`);
  }
  if (!r.ok) throw new ApiCallError(what, r.error.code, r.error.message);
}

/**
 * 打开文件 / 打开所在文件夹 for a file an export or a backup just wrote, through the shell (which opens only files it
 * wrote or chose: electron/shell/open-path.ts). Renders nothing where there is no shell.
 */
export function OpenFileButtons({ file, testId }: { file: string; testId: string }) {
  if (!canOpenFiles()) return null;
  return (
    <Space size={4} data-testid={testId}>
      <Button size="small" onClick={() => ask('openPath', file).catch(showError)} data-testid={`${testId}-open`}>
        打开文件
      </Button>
      <Button size="small" onClick={() => ask('showInFolder', file).catch(showError)} data-testid={`${testId}-folder`}>
        打开所在文件夹
      </Button>
    </Space>
  );
}
