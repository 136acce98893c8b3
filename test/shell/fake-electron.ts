/**
 * A stand-in for the parts of the electron module the shell touches, recording what the shell does with them. It
 * follows Electron's documented behaviour where the shell relies on it: ipcMain.handle refuses a second handler on a
 * channel, events pass a preventable event object, whenReady resolves once, new web contents emit
 * 'web-contents-created' on the app. Plain erasable TypeScript so a Node child process can load it too.
 */
type Listener = (...args: any[]) => unknown;

class Emitter {
  listeners = new Map<string, Listener[]>();
  on(event: string, fn: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), fn]);
    return this;
  }
  once(event: string, fn: Listener): this {
    const wrap: Listener = (...args) => {
      this.listeners.set(event, (this.listeners.get(event) ?? []).filter((f) => f !== wrap));
      return fn(...args);
    };
    return this.on(event, wrap);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const fn of this.listeners.get(event) ?? []) fn(...args);
  }
  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}
export const fakeEvent = (): FakeEvent => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

export interface FakeFrame {
  url: string;
}

let nextContentsId = 1;
export class FakeWebContents extends Emitter {
  id = nextContentsId++;
  mainFrame: FakeFrame = { url: '' };
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.windowOpenHandler = h;
  }
}

export function createFakeElectron(opts: { userData: string; singleInstance?: boolean }) {
  const calls: string[] = [];
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    quitCalls: 0,
    requestSingleInstanceLock: () => opts.singleInstance ?? true,
    whenReady: () => {
      calls.push('app.whenReady');
      return Promise.resolve();
    },
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`fake app.getPath(${name}) not provided`);
      return opts.userData;
    },
    getName: () => '阳光食堂账本',
    getVersion: () => '0.1.0',
    quit() {
      app.quitCalls++;
      calls.push('app.quit');
    },
  });

  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends Emitter {
    options: any;
    webContents = new FakeWebContents();
    loaded: string[] = [];
    shown = false;
    constructor(options: any) {
      super();
      this.options = options;
      windows.push(this);
      calls.push('new BrowserWindow');
      app.emit('web-contents-created', fakeEvent(), this.webContents);
    }
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    isDestroyed = () => false;
    isMinimized = () => false;
    restore(): void {}
    focus(): void {}
    show(): void {
      this.shown = true;
    }
  }

  const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
  const privileged: unknown[] = [];
  const protocol = {
    registerSchemesAsPrivileged(schemes: unknown[]) {
      calls.push('protocol.registerSchemesAsPrivileged');
      privileged.push(...schemes);
    },
    handle(scheme: string, handler: (req: Request) => Promise<Response>) {
      if (protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
      calls.push(`protocol.handle:${scheme}`);
      protocolHandlers.set(scheme, handler);
    },
  };

  const permissions: {
    request: ((wc: unknown, permission: string, cb: (granted: boolean) => void, details?: unknown) => void) | null;
    check: ((wc: unknown, permission: string, origin: string, details?: unknown) => boolean) | null;
    device: ((details: unknown) => boolean) | null;
  } = { request: null, check: null, device: null };
  const webRequest: { onHeadersReceived: ((details: { url: string; responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders?: Record<string, string[]> }) => void) => void) | null } = {
    onHeadersReceived: null,
  };
  const session = {
    defaultSession: {
      webRequest: {
        onHeadersReceived(h: typeof webRequest.onHeadersReceived) {
          webRequest.onHeadersReceived = h;
        },
      },
      setPermissionRequestHandler(h: typeof permissions.request) {
        permissions.request = h;
      },
      setPermissionCheckHandler(h: typeof permissions.check) {
        permissions.check = h;
      },
      setDevicePermissionHandler(h: typeof permissions.device) {
        permissions.device = h;
      },
    },
  };

  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  let handleCalls = 0;
  const ipcMain = {
    handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) {
      handleCalls++;
      calls.push(`ipcMain.handle:${channel}`);
      // Electron: "Attempted to register a second handler for '<channel>'".
      if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcHandlers.set(channel, fn);
    },
    get handleCalls() {
      return handleCalls;
    },
  };

  const errorBoxes: { title: string; content: string }[] = [];
  /** Every open dialog shown: its parent window and options. `openDialogAnswer` is what the person "chooses". */
  const openDialogs: { parent: unknown; options: any }[] = [];
  const answer: { next: { canceled: boolean; filePaths: string[] } | Error } = { next: { canceled: true, filePaths: [] } };
  const dialog = {
    showErrorBox(title: string, content: string) {
      errorBoxes.push({ title, content });
    },
    // Electron: showOpenDialog([window, ]options) resolves to { canceled, filePaths }.
    showOpenDialog(parentOrOptions: unknown, maybeOptions?: unknown) {
      const [parent, options] = maybeOptions === undefined ? [null, parentOrOptions] : [parentOrOptions, maybeOptions];
      calls.push('dialog.showOpenDialog');
      openDialogs.push({ parent, options });
      return answer.next instanceof Error ? Promise.reject(answer.next) : Promise.resolve(answer.next);
    },
  };

  /** Every shell.openPath / shell.showItemInFolder call; `openPathAnswer` is what openPath resolves to ('' = opened). */
  const shellCalls: { method: 'openPath' | 'showItemInFolder'; path: string }[] = [];
  const shellState = { openPathAnswer: '' };
  const shell = {
    openPath(p: string) {
      calls.push('shell.openPath');
      shellCalls.push({ method: 'openPath', path: p });
      return Promise.resolve(shellState.openPathAnswer);
    },
    showItemInFolder(p: string) {
      calls.push('shell.showItemInFolder');
      shellCalls.push({ method: 'showItemInFolder', path: p });
    },
  };

  return {
    electron: { app, BrowserWindow: FakeBrowserWindow, protocol, session, ipcMain, dialog, shell },
    shellCalls,
    shellState,
    app,
    windows,
    calls,
    privileged,
    protocolHandlers,
    permissions,
    webRequest,
    ipcHandlers,
    ipcMain,
    errorBoxes,
    openDialogs,
    /** What the next open dialogs answer: a chosen path, a cancel (null), or a failure. */
    setOpenDialogAnswer(a: string | null | Error) {
      answer.next = a instanceof Error ? a : a === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [a] };
    },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** An IPC event as Electron builds it for a message from `contents`, sent by `frame` (the main frame by default). */
export function ipcEvent(contents: FakeWebContents, frame: FakeFrame | null = contents.mainFrame) {
  return { sender: contents, senderFrame: frame };
}
