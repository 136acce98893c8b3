import { contextBridge, ipcRenderer } from 'electron';
import { INVOKE_CHANNEL } from './shell/channel.ts';

/**
 * The renderer's only door to the backend: `window.canteen.invoke(name, input)`, resolving to an ApiResult. Runs
 * sandboxed, so it is bundled into one CommonJS file that requires nothing but 'electron'. No ipcRenderer, no Node
 * and no other channel is exposed.
 */
contextBridge.exposeInMainWorld('canteen', {
  invoke: (name: string, input: unknown) => ipcRenderer.invoke(INVOKE_CHANNEL, { name, input }),
});
