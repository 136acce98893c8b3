import type { BrowserWindow, Dialog, IpcMain, OpenDialogOptions } from 'electron';
import type { ApiResult } from '../../shared/errors.ts';
import { PICK_PATH_CHANNEL, PICK_PATH_KINDS, type PickPathKind } from './channel.ts';
import { isTrustedSender } from './ipc.ts';

export { PICK_PATH_CHANNEL };

export interface PickPathOptions {
  dialog: Pick<Dialog, 'showOpenDialog'>;
  /** The app's window: the dialog's parent (modal to it, never a free-floating window behind it). */
  window: () => BrowserWindow | null;
  isOurContents: (id: number) => boolean;
  /** Where a backup file is looked for first (the backups folder). */
  backupsDir?: string;
  log?: (msg: string) => void;
  /** Told each chosen path with its kind (the shell lets the files in a chosen folder be opened: open-path.ts). */
  onPicked?: (kind: PickPathKind, chosen: string) => void;
}

/** The dialog for each kind: titles and buttons in Chinese; a folder may be created on the stick; backups are .sqlite. */
export function dialogOptions(kind: PickPathKind, backupsDir?: string): OpenDialogOptions {
  if (kind === 'packageFolder') {
    return { title: '选择上报包所在的文件夹（如 U 盘）', buttonLabel: '导入此文件夹', properties: ['openDirectory', 'dontAddToRecent'] };
  }
  if (kind === 'backupFolder') {
    return { title: '选择备份到的文件夹（如 U 盘）', buttonLabel: '备份到此文件夹', properties: ['openDirectory', 'createDirectory', 'dontAddToRecent'] };
  }
  return {
    title: '选择要恢复的备份文件',
    buttonLabel: '查看此备份',
    ...(backupsDir ? { defaultPath: backupsDir } : {}),
    properties: ['openFile', 'dontAddToRecent'],
    filters: [
      { name: '账本备份（*.sqlite）', extensions: ['sqlite'] },
      { name: '所有文件', extensions: ['*'] },
    ],
  };
}

const fail = (code: 'FORBIDDEN' | 'VALIDATION' | 'INTERNAL', message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

/**
 * `window.canteen.pickPath(kind)`: shows the native open dialog, modal to the app's window, and answers the chosen
 * absolute path (null when cancelled). Only the top frame of our own window showing our own page may ask (the same
 * check as the invoke channel); it can choose only among the two kinds, never pass dialog options of its own. The
 * path then goes through the API like a typed one (backup.create / backup.preview check it again).
 */
export function registerPickPathHandler(ipcMain: Pick<IpcMain, 'handle'>, opts: PickPathOptions): void {
  const log = opts.log ?? (() => {});
  ipcMain.handle(PICK_PATH_CHANNEL, async (event, message: unknown): Promise<ApiResult<string | null>> => {
    try {
      if (!isTrustedSender(event, opts.isOurContents)) {
        log(`拒绝来自不受信任页面的选择文件请求：${event.senderFrame?.url ?? '(无页面)'}`);
        return fail('FORBIDDEN', '拒绝来自不受信任页面的调用');
      }
      const kind = typeof message === 'object' && message !== null ? (message as { kind?: unknown }).kind : undefined;
      if (typeof kind !== 'string' || !(PICK_PATH_KINDS as readonly string[]).includes(kind)) return fail('VALIDATION', '不支持的选择类型');
      const win = opts.window();
      if (!win || win.isDestroyed()) return fail('INTERNAL', '程序窗口已关闭');
      const r = await opts.dialog.showOpenDialog(win, dialogOptions(kind as PickPathKind, opts.backupsDir));
      const chosen = r.canceled || !r.filePaths[0] ? null : r.filePaths[0];
      if (chosen) opts.onPicked?.(kind as PickPathKind, chosen);
      return { ok: true, value: chosen };
    } catch (e) {
      log(`选择文件出错：${(e as Error)?.stack ?? String(e)}`);
      return fail('INTERNAL', `无法打开选择窗口：${(e as Error)?.message ?? String(e)}`);
    }
  });
}
