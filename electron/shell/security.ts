import type { BrowserWindowConstructorOptions, Session, WebContents } from 'electron';
import { isAppUrl } from './protocol.ts';

/**
 * The window's options. The renderer is a web page with no Node: context isolation, the Chromium sandbox, no node
 * integration anywhere, web security on, no <webview>. Its only door to the backend is the preload's `invoke`.
 */
export function mainWindowOptions(opts: { preload: string; icon?: string; devTools?: boolean }): BrowserWindowConstructorOptions {
  return {
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
      devTools: opts.devTools ?? false,
    },
  };
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
