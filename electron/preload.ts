import { contextBridge, ipcRenderer } from 'electron';
import { INVOKE_CHANNEL, OPEN_PATH_CHANNEL, PICK_PATH_CHANNEL } from './shell/channel.ts';

/**
 * The renderer's only doors to the main process: `window.canteen.invoke(name, input)` to the backend, resolving to an
 * ApiResult, and `window.canteen.pickPath(kind)` for the shell's native folder/file dialog (kind 'backupFolder' or
 * 'backupFile'; resolves to an ApiResult of the chosen path or null), and after an export or a backup
 * `openPath(path)` / `showInFolder(path)` (the main process opens only files it wrote or chose: shell/open-path.ts).
 * Runs sandboxed, so it is bundled into one
 * CommonJS file that requires nothing but 'electron'. No ipcRenderer, no Node and no other channel is exposed.
 */
contextBridge.exposeInMainWorld('canteen', {
  invoke: (name: string, input: unknown) => ipcRenderer.invoke(INVOKE_CHANNEL, { name, input }),
  pickPath: (kind: string) => ipcRenderer.invoke(PICK_PATH_CHANNEL, { kind }),
  openPath: (path: string) => ipcRenderer.invoke(OPEN_PATH_CHANNEL, { action: 'open', path }),
  showInFolder: (path: string) => ipcRenderer.invoke(OPEN_PATH_CHANNEL, { action: 'folder', path }),
});
