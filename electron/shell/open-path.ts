import fs from 'node:fs';
import path from 'node:path';
import type { IpcMain, Shell } from 'electron';
import type { ApiResult } from '../../shared/errors.ts';
import { OPEN_PATH_ACTIONS, OPEN_PATH_CHANNEL, type OpenPathAction } from './channel.ts';
import { isTrustedSender } from './ipc.ts';

export { OPEN_PATH_CHANNEL };

/**
 * The API methods that write a file for people to take away, and where their result names it. Only these results
 * add to the list of written files; an input path never does (the renderer could name any path there).
 */
const WRITTEN_FILE_KEYS: Record<string, readonly string[]> = {
  'backup.create': ['file'],
  'monthclose.export': ['xlsxPath', 'pdfPath'],
  'monthclose.package': ['file'],
};

/**
 * What a file opened with `open` may be: the app's exports and backups. Anything else (an attachment someone uploaded
 * as .exe or .bat into the data folder) is never handed to the system to open — it could run.
 */
export const OPENABLE_EXTENSIONS = ['.xlsx', '.pdf', '.csv', '.zip', '.sqlite'];

/**
 * The files this session wrote and the folders people chose in the shell's own dialog, kept in the main process: the
 * renderer can only ask, never add. Paths are stored as the file system names them (realpath), so a path spelled
 * another way (.., a symlink) compares equal or not at all.
 */
export class WrittenPaths {
  private files = new Set<string>();
  private folders = new Set<string>();
  private readonly roots: readonly string[];
  constructor(roots: readonly string[] = []) {
    this.roots = roots;
  }

  /** From an API result: the paths the methods above say they wrote. */
  recordResult(method: string, result: ApiResult<unknown>): void {
    const keys = WRITTEN_FILE_KEYS[method];
    if (!keys || !result.ok || typeof result.value !== 'object' || result.value === null) return;
    for (const key of keys) {
      const p = (result.value as Record<string, unknown>)[key];
      if (typeof p === 'string' && path.isAbsolute(p)) {
        const real = realpath(p);
        if (real) this.files.add(real);
      }
    }
  }

  /** A folder chosen in the native dialog (pick-path.ts): the person picked it, not the page. */
  recordChosenFolder(dir: string): void {
    const real = realpath(dir);
    if (real) this.folders.add(real);
  }

  /** Whether `real` (a realpath) is a written file, or inside the data folder or a chosen folder. */
  allows(real: string): boolean {
    if (this.files.has(real)) return true;
    return [...this.roots.map((r) => realpath(r)).filter((r): r is string => r !== null), ...this.folders].some((dir) => isInside(real, dir));
  }
}

function realpath(p: string): string | null {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return null;
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

export interface OpenPathOptions {
  shell: Pick<Shell, 'openPath' | 'showItemInFolder'>;
  written: WrittenPaths;
  isOurContents: (id: number) => boolean;
  log?: (msg: string) => void;
}

const fail = (code: 'FORBIDDEN' | 'VALIDATION' | 'NOT_FOUND' | 'INTERNAL', message: string): ApiResult<never> => ({ ok: false, error: { code, message } });

/**
 * `window.canteen.openPath(path)` / `showInFolder(path)`: after an export or a backup, the file opens in the system's
 * program, or its folder in the file manager. Only our own page may ask (as for invoke), and only for a file this
 * session wrote, or one inside the data folder or a folder chosen in the shell's dialog; the file must exist, and
 * `open` takes only the kinds of file the app writes. Anything else is refused and logged, and nothing opens.
 */
export function registerOpenPathHandler(ipcMain: Pick<IpcMain, 'handle'>, opts: OpenPathOptions): void {
  const log = opts.log ?? (() => {});
  ipcMain.handle(OPEN_PATH_CHANNEL, async (event, message: unknown): Promise<ApiResult<null>> => {
    try {
      if (!isTrustedSender(event, opts.isOurContents)) {
        log(`拒绝来自不受信任页面的打开文件请求：${event.senderFrame?.url ?? '(无页面)'}`);
        return fail('FORBIDDEN', '拒绝来自不受信任页面的调用');
      }
      const m = typeof message === 'object' && message !== null ? (message as { action?: unknown; path?: unknown }) : {};
      if (typeof m.action !== 'string' || !(OPEN_PATH_ACTIONS as readonly string[]).includes(m.action)) return fail('VALIDATION', '不支持的打开方式');
      if (typeof m.path !== 'string' || m.path.length === 0 || m.path.length > 4096 || m.path.includes('\0') || !path.isAbsolute(m.path)) {
        return fail('VALIDATION', '文件路径不正确');
      }
      const action = m.action as OpenPathAction;
      const real = realpath(m.path);
      // A missing file is said to be missing only where the page may look: elsewhere the answer is the same refusal
      // as for an existing file, so the page cannot probe which paths exist.
      if (!real && opts.written.allows(path.resolve(m.path))) return fail('NOT_FOUND', `文件不存在（可能已被移动或删除）：${m.path}`);
      if (!real || !opts.written.allows(real)) {
        log(`拒绝打开不是本程序导出的文件：${m.path}`);
        return fail('FORBIDDEN', '只能打开本程序导出或备份的文件');
      }
      if (action === 'folder') {
        opts.shell.showItemInFolder(real);
        return { ok: true, value: null };
      }
      if (!fs.statSync(real).isFile() || !OPENABLE_EXTENSIONS.includes(path.extname(real).toLowerCase())) {
        log(`拒绝打开此类文件：${m.path}`);
        return fail('FORBIDDEN', `只能打开导出的表格、PDF 或备份文件（${OPENABLE_EXTENSIONS.join('、')}）`);
      }
      // shell.openPath resolves to '' on success, else the system's error text.
      const err = await opts.shell.openPath(real);
      if (err) return fail('INTERNAL', `无法打开文件：${err}`);
      return { ok: true, value: null };
    } catch (e) {
      log(`打开文件出错：${(e as Error)?.stack ?? String(e)}`);
      return fail('INTERNAL', `无法打开文件：${(e as Error)?.message ?? String(e)}`);
    }
  });
}
