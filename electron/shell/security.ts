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

/**
 * Every web contents the app creates stays on our origin: no new windows (window.open, target=_blank), no navigation
 * or redirect away from app://canteen (a dropped file or a stray link would otherwise replace the app with a page
 * that could call the preload), no <webview>. Hash changes inside the app are in-page and not affected.
 */
export function hardenWebContents(contents: WebContents, log: (msg: string) => void = () => {}): void {
  contents.setWindowOpenHandler(({ url }) => {
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
 * (replacing any other; DevTools excepted), so that no page the window could ever reach runs without it.
 */
export function enforceCsp(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    // DevTools (development runs only) brings its own policy and needs it.
    if (details.url.startsWith('devtools:')) return callback({});
    const headers = Object.fromEntries(Object.entries(details.responseHeaders ?? {}).filter(([k]) => k.toLowerCase() !== 'content-security-policy'));
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [CSP] } });
  });
}
