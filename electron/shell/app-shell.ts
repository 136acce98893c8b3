import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow as BrowserWindowType } from 'electron';
import { openBackend, type Backend } from '../core/backend.ts';
import type { CentreBackend } from '../core/centre/backend.ts';
import { createBackup, DEFAULT_RETENTION, listBackups, pruneBackups, scheduleDailyBackups, startupBackup } from '../core/integrity/backup.ts';
import { startHealthCheck, stopHealthCheck, type HealthState } from '../core/integrity/health-check.ts';
import { checkStorageLocation } from '../core/integrity/storage-location.ts';
import { resolveDataLocation, type DataLocation } from './data-location.ts';
import { registerInvokeHandler } from './ipc.ts';
import { registerOpenPathHandler, WrittenPaths } from './open-path.ts';
import { registerPickPathHandler } from './pick-path.ts';
import { CENTRE_FILE, centreFileAtStart, StartSwitch } from './start-kind.ts';
import { APP_ENTRY_URL, APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol.ts';
import { createMainWindow, denyAllPermissions, enforceCsp, hardenWebContents } from './security.ts';
import { pendingUpgrade } from '../core/db/upgrade.ts';
import { backupsDir } from '../core/integrity/backup.ts';
import { acquireWriterLock } from '../core/integrity/writer-lock.ts';
import { finishCopyInWorker, runUpgradeJob } from '../core/jobs/run.ts';
import { StartDoor, UpgradeScreen } from './upgrade-at-start.ts';
import type { InvokeTarget } from './ipc.ts';

/** The parts of the electron module the shell uses; main.ts passes the real one, tests a fake. */
export type ElectronMain = Pick<typeof import('electron'), 'app' | 'BrowserWindow' | 'ipcMain' | 'protocol' | 'session' | 'dialog' | 'shell'>;

export interface ShellOptions {
  /** The built renderer folder (dist/renderer) served as app://canteen/. */
  rendererDir: string;
  /** The bundled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  iconPath?: string;
  argv: readonly string[];
  env: Record<string, string | undefined>;
  /** Open DevTools-capable windows (development runs only). */
  devTools?: boolean;
  /** Echo the log to the console as well as main.log (default true; tests that provoke errors keep it to the file). */
  echoLog?: boolean;
  /**
   * better-sqlite3's entry file, resolved by main.ts: the file check's worker thread loads it from this path (see
   * core/integrity/health-check.ts). Without it no file check runs.
   */
  sqliteDriver?: string;
}

export interface Shell {
  /**
   * Resolves when the window is loading, or with null when startup was refused (the app then quits): a school ledger,
   * or (issue 18) a town centre's database (start-kind.ts says which).
   */
  ready: Promise<{
    kind: 'school';
    window: BrowserWindowType;
    backend: Backend;
    location: DataLocation;
    /** The start backup (null if it failed). */
    startBackup: Promise<string | null>;
    /** The file check after the start backup (null when none runs: no sqliteDriver). */
    healthCheck: Promise<HealthState | null>;
    /** What the page talks to: the ledger, or the centre once the first run chose it. */
    target: StartSwitch;
  } | {
    kind: 'centre';
    window: BrowserWindowType;
    centre: CentreBackend;
    location: DataLocation;
    target: StartSwitch;
    backend?: undefined;
    startBackup?: undefined;
    healthCheck?: undefined;
  } | null>;
}

/**
 * The main process, wired from its parts: the privileged app:// scheme (before ready), one instance, every web
 * contents hardened, then on ready the data folder (checked to be local), the backend, permissions denied, the app
 * protocol, the one IPC handler and the window.
 */
export function startShell(electron: ElectronMain, opts: ShellOptions): Shell {
  const { app, BrowserWindow, ipcMain, protocol, session, dialog, shell } = electron;
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  if (!app.requestSingleInstanceLock()) {
    // A second copy would hold its own session on the same ledger; bring the first one forward instead.
    app.quit();
    return { ready: Promise.resolve(null) };
  }

  let log: (msg: string) => void = (msg) => console.log(msg);
  let mainWindow: BrowserWindowType | null = null;
  let backend: Backend | null = null;
  let centre: CentreBackend | null = null;
  let dailyBackups: { stop(): void } | null = null;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, (m) => log(m)));
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    dailyBackups?.stop();
    if (backend) stopHealthCheck(backend.ctx);
    backend?.close();
    backend = null;
    centre?.close();
    centre = null;
    app.quit();
  });

  const refuse = (title: string, message: string) => {
    log(`${title}：${message}`);
    dialog.showErrorBox(title, message);
    app.quit();
    return null;
  };

  /** The centre's database (DuckDB, loaded only when a centre is opened), in the data folder's place of the ledger. */
  const openCentreAt = async (file: string): Promise<CentreBackend> => {
    const { openCentreBackend } = await import('../core/centre/backend.ts');
    const opened = await openCentreBackend({ file, create: !fs.existsSync(file) });
    centre = opened;
    log(`打开中心数据库 ${file}`);
    return opened;
  };
  const isOurs = (id: number) => mainWindow !== null && !mainWindow.isDestroyed() && mainWindow.webContents.id === id;
  /** The protocol, the channels and the window: the same for a ledger and a centre. */
  const openWindow = (location: DataLocation, target: InvokeTarget, written: WrittenPaths) => {
    denyAllPermissions(session.defaultSession, (m) => log(m));
    enforceCsp(session.defaultSession);
    registerAppProtocol(protocol, opts.rendererDir);
    registerInvokeHandler(ipcMain, {
      backend: target,
      isOurContents: isOurs,
      log: (m) => log(m),
      onResult: (name, result) => written.recordResult(name, result),
    });
    registerPickPathHandler(ipcMain, {
      dialog,
      window: () => mainWindow,
      isOurContents: isOurs,
      backupsDir: location.backupsDir,
      log: (m) => log(m),
      onPicked: (kind, chosen) => kind === 'backupFolder' && written.recordChosenFolder(chosen),
    });
    registerOpenPathHandler(ipcMain, {
      shell,
      written,
      isOurContents: isOurs,
      log: (m) => log(m),
    });
    const win = createMainWindow(BrowserWindow, { preload: opts.preloadPath, icon: opts.iconPath, devTools: opts.devTools });
    mainWindow = win;
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      mainWindow = null;
    });
    win.webContents.on('render-process-gone', (_e, details) => log(`页面进程退出：${details.reason}`));
    void win.loadURL(APP_ENTRY_URL).catch((e: Error) => log(`页面加载失败：${e.message}`));
    return win;
  };

  const ready = app.whenReady().then(async () => {
    const location = resolveDataLocation({ argv: opts.argv, env: opts.env, userData: app.getPath('userData') });
    const verdict = checkStorageLocation(location.ledgerFile);
    if (!verdict.ok) return refuse('账本位置不安全', verdict.message);
    try {
      for (const dir of [location.dataDir, location.backupsDir, location.logsDir]) fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      return refuse('无法创建数据文件夹', `${location.dataDir}：${(e as Error).message}`);
    }
    log = fileLogger(path.join(location.logsDir, 'main.log'), opts.echoLog ?? true);
    const centreFile = centreFileAtStart(location, opts.argv, opts.env);
    if (centreFile) {
      // A centre: no ledger is opened at all (nor backed up: the centre's data are the schools' packages).
      log(`启动 ${app.getName()} ${app.getVersion()}，中心数据库 ${centreFile}`);
      let opened: CentreBackend;
      try {
        opened = await openCentreAt(centreFile);
      } catch (e) {
        return refuse('无法打开中心数据库', (e as Error).message);
      }
      const target = new StartSwitch({ kind: 'centre', target: opened }, () => Promise.resolve(opened));
      const win = openWindow(location, target, new WrittenPaths([location.dataDir, path.dirname(centreFile)]));
      return { kind: 'centre' as const, window: win, centre: opened, location, target };
    }
    log(`启动 ${app.getName()} ${app.getVersion()}，账本 ${location.ledgerFile}（来源 ${location.source}）`);
    // The files this session's exports and backups wrote, and the folders chosen in the native dialog: the only
    // paths (besides the data folder) the page may ask the shell to open (open-path.ts). Kept here, never in the page.
    const written = new WrittenPaths([location.dataDir]);
    // What the window's channel talks to: the upgrade screen while an older ledger is upgraded, then the backend.
    const door = new StartDoor();
    let early: BrowserWindowType | null = null;
    // A ledger of an older version (issue 19): its backup and the ladder run in the jobs worker, never on this thread,
    // while the window is open and shows their progress (upgrade-at-start.ts); the backend opens once they are done.
    const pending = pendingUpgrade(location.ledgerFile);
    if (pending) {
      let lock: ReturnType<typeof acquireWriterLock>;
      try {
        lock = acquireWriterLock(location.ledgerFile, 'app');
      } catch (e) {
        return refuse('无法打开账本', (e as Error).message);
      }
      const screen = new UpgradeScreen(pending);
      door.screen = screen;
      early = openWindow(location, door, written);
      log(`升级账本数据：版本 ${pending.from} → ${pending.to}（升级前先备份）`);
      const t0 = Date.now();
      let upgraded = false;
      try {
        const r = await runUpgradeJob(location.ledgerFile, { backups: backupsDir(path.dirname(path.resolve(location.ledgerFile))), onProgress: (p) => screen.update(p) });
        upgraded = true;
        screen.finish(r);
        log(`升级账本数据完成（用时 ${Math.round((Date.now() - t0) / 1000)} 秒），升级前备份：${r?.backupFile ?? '无'}`);
        backend = openBackend({ file: location.ledgerFile });
      } catch (e) {
        const message = (e as Error).message;
        if (!upgraded) screen.fail(message);
        return refuse(upgraded ? '无法打开账本' : '无法升级账本', message);
      } finally {
        lock.release();
      }
    } else {
      try {
        backend = openBackend({ file: location.ledgerFile });
      } catch (e) {
        return refuse('无法打开账本', (e as Error).message);
      }
    }
    const opened = backend;

    // A backup at every start, then one a day while the app runs (backup.ts); a failed backup is logged, never fatal.
    // The ledger is read through `opened.db` each time: a restore swaps the connection. Each copy's check runs in the
    // jobs worker (finishCopyInWorker): on ten years one table's check is a statement of up to ~40 s.
    const startBackup = startupBackup(opened.db, location.dataDir, new Date(), DEFAULT_RETENTION, finishCopyInWorker)
      .then((b) => {
        log(`启动备份：${b?.file}`);
        return b?.file ?? null;
      })
      .catch((e: Error) => {
        log(`启动备份失败：${e.message}`);
        return null;
      })
      .finally(() => {
        if (!backend) return;
        dailyBackups = scheduleDailyBackups({
          now: () => new Date(),
          lastBackupAt: () => {
            const newest = listBackups(location.backupsDir)[0];
            return newest ? new Date(newest.at) : null;
          },
          run: async () => {
            const b = await createBackup(opened.db, location.backupsDir, 'daily', new Date(), '', undefined, finishCopyInWorker);
            pruneBackups(location.backupsDir, new Date());
            log(`每日备份：${b.file}`);
          },
          onError: (e) => log(`每日备份失败：${(e as Error)?.message ?? String(e)}`),
        });
      });

    // Page-level damage, looked for once the start backup is done (it reads the whole file too): quick_check on a
    // read-only connection in a worker thread, so this process never waits for it (core/integrity/health-check.ts).
    const driver = opts.sqliteDriver;
    const healthCheck: Promise<HealthState | null> = driver
      ? startBackup.then(() => {
          if (!backend) return null;
          return startHealthCheck(opened.ctx, { file: location.ledgerFile, driver }).then((h) => {
            log(h.status === 'ok' ? '账本文件检查：正常' : h.status === 'damaged' ? `账本文件检查：发现损坏：${h.problems.join('；')}` : `账本文件检查未完成：${h.problems.join('；')}`);
            // The sealed quick verify that follows a clean file check (in the jobs worker): what it found and how long it took.
            if (h.quick) log(`每日快速校验（用时 ${h.quick.ms ?? 0} 毫秒）：${h.quick.summary}${h.quick.problems.length > 1 ? `；${h.quick.problems.slice(1, 5).join('；')}` : ''}`);
            return h;
          });
        })
      : Promise.resolve(null);

    // At the first run the page may still make this computer a town centre instead (start-kind.ts): the empty ledger
    // is closed with its backups and file check, and centre.duckdb made in the data folder.
    const target = new StartSwitch({ kind: 'school', target: opened }, async () => {
      const c = await openCentreAt(path.join(location.dataDir, CENTRE_FILE));
      dailyBackups?.stop();
      dailyBackups = null;
      stopHealthCheck(opened.ctx);
      opened.close();
      backend = null;
      return c;
    });
    door.target = target;
    const win = early ?? openWindow(location, door, written);
    return { kind: 'school' as const, window: win, backend: opened, location, startBackup, healthCheck, target };
  });
  return { ready };
}

const LOG_ROTATE_BYTES = 5 * 1024 * 1024;

/**
 * Appends timestamped lines to logs/main.log; logging must never take the app down, so failures are swallowed. A log
 * past 5 MB at start is moved to main.log.1 (replacing the older one), so years of use do not fill the disk.
 */
export function fileLogger(file: string, echo = true): (msg: string) => void {
  try {
    if (fs.statSync(file).size > LOG_ROTATE_BYTES) fs.renameSync(file, `${file}.1`);
  } catch {
    // No log yet.
  }
  return (msg) => {
    const line = `${new Date().toISOString()} ${msg}\n`;
    try {
      fs.appendFileSync(file, line);
    } catch {
      // The console still has it.
    }
    if (echo) console.log(line.trimEnd());
  };
}
