import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pidAlive } from './writer-lock.ts';

/**
 * What a killed or starved run leaves behind (issue 20 item 8), and the sweep at the next start that removes it. Every
 * scratch file the core writes carries its writer's pid in its name: a backup's `.NAME.PID.MS.partial` beside the
 * backup, a restore's `.restore-PID-MS.sqlite` beside the ledger, an attachment's `HASH.EXT.PID.tmp`, the exported
 * workbook's `NAME.xlsx.part-PID`, the writer lock's `ledger.sqlite.lock.PID.new` / `.lock.stale-PID-MS`, and the run's
 * own temp folder `tmp/run-PID-MS` (LibreOffice's profile and the PDF's scratch workbook). A file is litter when its
 * pid no longer runs (or is this process's pid but older than this run: a pid reused after a restart); a file whose
 * pid runs belongs to a concurrent run and is kept — unless a day old, longer than any backup or restore takes.
 */

/** When this process started (ms since the epoch): files of this pid older than that were left by an earlier run. */
export const RUN_STARTED_MS = Math.floor(performance.timeOrigin);

const DAY_MS = 24 * 60 * 60 * 1000;
/** Temp folders of older versions, named without a pid: litter once no conversion could still be using them. */
const LEGACY_TEMP_AGE_MS = 60 * 60 * 1000;

/** This run's temp folder: `<data folder>/tmp/run-PID-MS`, or the system's temp folder where there is no data folder. */
export function runTempDir(dataDir?: string | null): string {
  const dir = dataDir ? path.join(dataDir, 'tmp', `run-${process.pid}-${RUN_STARTED_MS}`) : path.join(os.tmpdir(), `canteen-run-${process.pid}-${RUN_STARTED_MS}`);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh folder inside this run's temp folder, for one job (removed by the job; by the next start if it is killed). */
export function jobTempDir(prefix: string, dataDir?: string | null): string {
  return fs.mkdtempSync(path.join(runTempDir(dataDir), `${prefix}-`));
}

/** Does the run that wrote a file named with `pid` still go on? */
function ownerLives(pid: number, mtimeMs: number): boolean {
  if (pid === process.pid) return mtimeMs >= RUN_STARTED_MS - 1000;
  return pidAlive(pid);
}

/** The pid a scratch name carries, by the patterns above; null for anything else (never touched). */
export function scratchOwner(name: string): number | null {
  const m =
    /^\..+\.(\d+)\.\d+\.partial(?:-wal|-shm|-journal)?$/.exec(name) ??
    /^\.restore-(\d+)-\d+\.sqlite(?:-wal|-shm|-journal)?$/.exec(name) ??
    /^[0-9a-f]{64}\.[a-z]+\.(\d+)\.tmp$/.exec(name) ??
    /\.xlsx\.part-(\d+)$/.exec(name) ??
    /\.lock\.(\d+)\.new$/.exec(name) ??
    /\.lock\.stale-(\d+)-\d+$/.exec(name) ??
    /^(?:run|canteen-run)-(\d+)-\d+$/.exec(name);
  return m ? Number(m[1]) : null;
}

function entries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function mtimeOf(file: string): number | null {
  try {
    return fs.lstatSync(file).mtimeMs;
  } catch {
    return null;
  }
}

/** Removes the scratch entries of dead runs directly in `dir` (folders only where `dirs`); returns what it removed. */
function sweepDir(dir: string, now: number, opts: { dirs?: boolean; recurse?: boolean; only?: RegExp } = {}): string[] {
  const removed: string[] = [];
  for (const e of entries(dir)) {
    const full = path.join(dir, e.name);
    if (e.isDirectory() && opts.recurse && scratchOwner(e.name) === null) {
      removed.push(...sweepDir(full, now, opts));
      continue;
    }
    const pid = opts.only && !opts.only.test(e.name) ? null : scratchOwner(e.name);
    if (pid === null || (e.isDirectory() && !opts.dirs) || (!e.isDirectory() && !e.isFile())) continue;
    const mtime = mtimeOf(full);
    if (mtime === null) continue;
    const stale = !ownerLives(pid, mtime) || (!e.isDirectory() && now - mtime > DAY_MS && pid !== process.pid);
    if (!stale) continue;
    try {
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      /* in use or not ours to remove: the next start tries again */
    }
  }
  return removed;
}

/**
 * The sweep at start, run by the ledger's writer (under its lock) before the ledger is opened: scratch files of dead
 * runs beside the ledger, in backups/, attachments/, exports/ and tmp/, and the system temp folder's conversion
 * folders. Never throws: litter is not worth refusing a start for.
 */
export function sweepLitter(dataDir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  try {
    removed.push(...sweepDir(dataDir, now));
    removed.push(...sweepDir(path.join(dataDir, 'backups'), now));
    removed.push(...sweepDir(path.join(dataDir, 'exports'), now));
    removed.push(...sweepDir(path.join(dataDir, 'attachments'), now, { recurse: true }));
    removed.push(...sweepDir(path.join(dataDir, 'tmp'), now, { dirs: true }));
    removed.push(...sweepSystemTemp(now));
  } catch {
    /* see above */
  }
  return removed;
}

/** The system temp folder: run folders of dead runs, and older versions' pid-less conversion folders once an hour old. */
function sweepSystemTemp(now: number): string[] {
  const dir = os.tmpdir();
  // Only our own run folders there: other programs' files in the shared folder are never looked at.
  const removed = sweepDir(dir, now, { dirs: true, only: /^canteen-run-\d+-\d+$/ });
  for (const e of entries(dir)) {
    if (!e.isDirectory() || !/^canteen-(?:soffice|summary)-[A-Za-z0-9]{6}$/.test(e.name)) continue;
    const full = path.join(dir, e.name);
    const mtime = mtimeOf(full);
    if (mtime === null || now - mtime < LEGACY_TEMP_AGE_MS) continue;
    try {
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(full);
    } catch {
      /* someone else's */
    }
  }
  return removed;
}
