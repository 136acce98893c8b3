import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { CSP } from './csp.ts';
import { isAppUrl } from './protocol.ts';

/**
 * The main window. The renderer is a web page with no Node: context isolation, the Chromium sandbox, no node
 * integration anywhere, web security on, no <webview>, no middle-click new windows. Its only door to the backend is
 * the preload's `invoke`. The options are written out here, at the one place a window is made, so that a reader (and
 * `npm run lint:electron`) sees them where they take effect.
 */
export function createMainWindow(
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow,
  opts: { preload: string; icon?: string; devTools?: boolean },
): BrowserWindow {
  return new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: '阳光食堂账本',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      devTools: opts.devTools ?? false,
    },
  });
}

type Preventable = { preventDefault(): void };

/** A blob: URL the app's own page created (blob:app://canteen/<uuid>); anything else, blob or not, is foreign. */
export function isOwnBlobUrl(url: string): boolean {
  return url.startsWith('blob:') && isAppUrl(url.slice('blob:'.length)) && /^blob:app:\/\/canteen\/[0-9a-f-]{36}$/i.test(url);
}

/**
 * Every web contents the app creates stays on our origin: no new windows (window.open, target=_blank; except a bare
 * viewer for a blob the app made itself, see below), no navigation
 * or redirect away from app://canteen (a dropped file or a stray link would otherwise replace the app with a page
 * that could call the preload), no <webview>. Hash changes inside the app are in-page and not affected.
 */
export function hardenWebContents(contents: WebContents, log: (msg: string) => void = () => {}): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isOwnBlobUrl(url)) {
      // The one exception: a file the app itself made (a PDF attachment opened to read), shown in a bare sandboxed
      // window. It has no preload, and the IPC handler refuses any sender but the main window anyway.
      return {
        action: 'allow',
        overrideBrowserWindowOptions: {
          autoHideMenuBar: true,
          webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false, devTools: false },
        },
      };
    }
    log(`拒绝打开新窗口：${url}`);
    return { action: 'deny' };
  });
  const stayHome = (event: Preventable, url: string) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      log(`拒绝离开本程序的页面：${url}`);
    }
  };
  contents.on('will-navigate', (event, url) => stayHome(event, url));
  contents.on('will-redirect', (event, url) => stayHome(event, url));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('拒绝嵌入 webview');
  });
}

/** The app needs no camera, microphone, location, notifications, MIDI, HID, USB or serial: every request is denied. */
export function denyAllPermissions(session: Session, log: (msg: string) => void = () => {}): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`拒绝权限请求：${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/**
 * The app protocol already sends the CSP with each file; this puts it on every response the session sees as well
 * (replacing any other), so that no page the window could ever reach runs without it.
 */
export function enforceCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    // Documents served from responses only; DevTools and Chromium's own viewers (the PDF viewer) keep their policy.
    if (!/^(app|https?|file):/i.test(details.url)) return callback({});
    const headers = Object.fromEntries(Object.entries(details.responseHeaders ?? {}).filter(([k]) => k.toLowerCase() !== 'content-security-policy'));
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [CSP] } });
  });
}
