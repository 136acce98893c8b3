import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiError } from '../../../shared/errors.ts';
import { jobTempDir } from '../integrity/litter.ts';

/**
 * LibreOffice headless as converter (the notice-board PDF) and as an independent reader of our workbooks in tests.
 * Each run gets its own user profile folder: two soffice processes sharing one profile would hand the job to each
 * other or fail, and a fresh profile leaves nothing behind. The profile lives in the run's temp folder (litter.ts),
 * so a run killed mid-conversion leaves it where the next start removes it.
 *
 * The converter dies with its parent (issue 20 item 8: 50 soffice processes outlived 35 killed exports). soffice is a
 * script that starts oosplash, which starts soffice.bin: on POSIX they run in a process group of their own, killed
 * whole on a timeout, when this process exits, and — as a SIGKILL of this process runs no code — by a small watchdog
 * shell that polls this process and kills the group once it is gone. On Windows the tree is killed on a timeout and
 * on exit (taskkill /T).
 */

const CANDIDATES = ['soffice', 'libreoffice'];
const EXTRA_DIRS = ['/usr/bin', '/usr/local/bin', '/opt/libreoffice/program', 'C:\\Program Files\\LibreOffice\\program', '/Applications/LibreOffice.app/Contents/MacOS'];

/** The soffice executable: CANTEEN_SOFFICE, else PATH, else the usual install folders; null when absent. */
export function findSoffice(): string | null {
  const env = process.env.CANTEEN_SOFFICE;
  if (env) return fs.existsSync(env) ? env : null;
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  const exts = process.platform === 'win32' ? ['.exe', '.com'] : [''];
  for (const dir of dirs) {
    for (const name of CANDIDATES) {
      for (const ext of exts) {
        const p = path.join(dir, name + ext);
        try {
          fs.accessSync(p, fs.constants.X_OK);
          if (fs.statSync(p).isFile()) return p;
        } catch {
          /* not here */
        }
      }
    }
  }
  return null;
}

export const SOFFICE_MISSING = '未找到 LibreOffice（soffice），无法生成 PDF。请安装 LibreOffice（Debian/Ubuntu：apt-get install libreoffice-calc-nogui），或用环境变量 CANTEEN_SOFFICE 指定 soffice 的路径。';

const WINDOWS = process.platform === 'win32';

/** Converters running now, killed with this process (the 'exit' hook below). */
const running = new Set<ChildProcess>();
let exitHooked = false;

/** Kills a converter and everything it started. */
function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (WINDOWS) spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/** POSIX: a shell in its own group that kills the converter's group once this process is gone (even by SIGKILL). */
function watchdog(group: number): ChildProcess | null {
  if (WINDOWS) return null;
  try {
    const w = spawn('/bin/sh', ['-c', 'while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -KILL -"$2" 2>/dev/null', 'canteen-soffice-watchdog', String(process.pid), String(group)], {
      detached: true,
      stdio: 'ignore',
    });
    w.on('error', () => undefined);
    w.unref();
    return w;
  } catch {
    return null;
  }
}

function stopWatchdog(w: ChildProcess | null): void {
  if (!w?.pid) return;
  try {
    process.kill(-w.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Runs soffice with these arguments as a killable group; rejects with what it said when it fails or times out. */
function runSoffice(soffice: string, args: string[], timeoutMs: number): Promise<void> {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => {
      for (const c of running) killTree(c);
    });
  }
  return new Promise<void>((resolve, reject) => {
    const child = spawn(soffice, args, { detached: !WINDOWS, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const guard = child.pid !== undefined ? watchdog(child.pid) : null;
    let said = '';
    const hear = (d: Buffer) => {
      if (said.length < 8000) said += d.toString('utf8');
    };
    child.stdout?.on('data', hear);
    child.stderr?.on('data', hear);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killTree(child);
    }, timeoutMs);
    const done = (err: string | null) => {
      clearTimeout(timer);
      running.delete(child);
      stopWatchdog(guard);
      // A converter that exited may have left a helper behind in its group.
      if (!WINDOWS) killTree(child);
      if (err === null) resolve();
      else reject(new ApiError('INTERNAL', `LibreOffice 转换失败：${err}`));
    };
    child.on('error', (e) => done(e.message));
    child.on('close', (code, signal) => {
      if (timedOut) done(`超过 ${Math.round(timeoutMs / 1000)} 秒仍未完成，已停止`);
      else if (code === 0) done(null);
      else done((said.trim() || `退出码 ${code ?? signal}`).slice(0, 2000));
    });
  });
}

/**
 * `soffice --headless --convert-to <target> --outdir <outDir> <file>`; resolves to the files it made in outDir
 * (a CSV export of every sheet makes one file per sheet). `dataDir`: the ledger's data folder, whose tmp/ holds the
 * profile (the system temp folder without one).
 */
export async function convertWithSoffice(file: string, target: string, outDir: string, opts: { timeoutMs?: number; dataDir?: string | null } = {}): Promise<string[]> {
  const soffice = findSoffice();
  if (!soffice) throw new ApiError('RULE', SOFFICE_MISSING);
  fs.mkdirSync(outDir, { recursive: true });
  const before = new Set(fs.readdirSync(outDir));
  const profile = jobTempDir('soffice', opts.dataDir);
  try {
    await runSoffice(soffice, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nologo', '--convert-to', target, '--outdir', outDir, file], opts.timeoutMs ?? 180_000);
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const made = fs.readdirSync(outDir).filter((f) => !before.has(f)).map((f) => path.join(outDir, f));
  if (made.length === 0) throw new ApiError('INTERNAL', `LibreOffice 未生成 ${target} 文件：${path.basename(file)}`);
  return made;
}
