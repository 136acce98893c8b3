import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../../shared/errors.ts';
import { defaultDataDir } from '../paths.ts';

/**
 * SQLite relies on the file system's byte-range locks and on fsync reaching the disk. Network file systems (SMB, NFS)
 * get both subtly wrong, and sync clients (OneDrive, 坚果云…) copy the file, its -wal and -shm separately and may
 * overwrite one with an older copy: either way a ledger loses postings without any error. So the app and the CLI
 * refuse to open a ledger in such a place, and say why and where to put it instead.
 */

type Env = Record<string, string | undefined>;

export interface StorageCheckOptions {
  platform?: NodeJS.Platform;
  env?: Env;
  homedir?: string;
  /** Linux: the text of /proc/mounts (tests pass a fake table); read from the system when omitted. */
  mounts?: string | null;
  /** Windows: drive letters mapped to network shares (e.g. ['Z']); asked of `net use` when omitted. */
  networkDrives?: readonly string[] | null;
  /** Resolves symlinks and junctions of the nearest existing ancestor; identity when omitted on a foreign platform. */
  realpath?: (p: string) => string;
}

export type StorageProblem = 'unc' | 'network-drive' | 'network-fs' | 'cloud';

export type StorageVerdict =
  | { ok: true; path: string }
  | { ok: false; path: string; problem: StorageProblem; /** e.g. 'OneDrive', 'cifs', 'Z:' */ what: string; message: string };

/** File system types (the third column of /proc/mounts) that reach the file over a network. */
const NETWORK_FS = new Set([
  'nfs', 'nfs4', 'cifs', 'smb', 'smb2', 'smb3', 'smbfs', 'ncpfs', 'ncp', 'afs', 'coda', 'ceph', 'glusterfs', 'lustre',
  'davfs', '9p', 'sshfs', 'ftpfs', 'gpfs', 'ocfs2', 'beegfs', 'orangefs',
]);
/** FUSE file systems are named fuse.<program>; these programs serve remote or cloud storage. */
const NETWORK_FUSE = /^fuse\.(sshfs|rclone|s3fs|goofys|gcsfuse|davfs2?|curlftpfs|gvfsd-fuse|glusterfs|cephfs|juicefs|smbnetfs|onedriver|ossfs|cosfs|obsfs|bosfs|nutstore.*|alist.*|.*drive.*)$/i;

/** Cloud sync folders, recognised by a path segment (case-insensitive); named the way people know them. */
const CLOUD_FOLDERS: { name: string; segment: RegExp }[] = [
  { name: 'OneDrive', segment: /^onedrive( - .*)?$/i },
  { name: 'Dropbox', segment: /^dropbox( \(.*\))?$/i },
  { name: 'iCloud 云盘', segment: /^(icloud ?drive|mobile documents|com~apple~clouddocs)$/i },
  { name: 'Google 云端硬盘', segment: /^(google ?drive|googledrive-.*|my drive|我的云端硬盘|共享云端硬盘|shared drives)$/i },
  { name: '坚果云', segment: /^(nutstore|nutstorefiles|.*坚果云.*)$/i },
  { name: '百度网盘', segment: /^(baidusyncdisk|baidunetdiskworkspace|baiduyun.*|.*百度网盘.*|百度云.*)$/i },
  { name: '腾讯微云', segment: /^(weiyun.*|.*微云.*)$/i },
  { name: '阿里云盘', segment: /^(.*阿里云盘.*|alipan.*|adrive)$/i },
  { name: 'Synology Drive', segment: /^synologydrive$/i },
  // macOS puts every File Provider sync client (OneDrive, Dropbox, Google Drive…) under ~/Library/CloudStorage.
  { name: '网盘', segment: /^cloudstorage$/i },
];

/** Environment variables sync clients set to their folder (OneDrive on Windows). */
const CLOUD_ENV = ['OneDrive', 'OneDriveConsumer', 'OneDriveCommercial'];

/**
 * Where the ledger file may not live. Pure apart from reading /proc/mounts, `net use` and realpath when they are not
 * given, so tests drive it with path strings, a fake mount table and a fake list of network drives.
 */
export function checkStorageLocation(file: string, opts: StorageCheckOptions = {}): StorageVerdict {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const given = (platform === 'win32' ? path.win32 : path.posix).resolve(file);
  const found = classify(given, opts);
  if (!found) return { ok: true, path: given };
  return { ok: false, path: given, ...found, message: refusalMessage(given, found.problem, found.what, { ...opts, platform, env }) };
}

function classify(given: string, opts: StorageCheckOptions): { problem: StorageProblem; what: string } | null {
  const platform = opts.platform ?? process.platform;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const env = opts.env ?? process.env;
  const native = platform === process.platform;
  const realpath = opts.realpath ?? (native ? realpathOfNearest : (x: string) => x);
  const full = platform === 'win32' ? normaliseWin(realpath(given)) : realpath(given);

  if (platform === 'win32') {
    for (const candidate of [given, full]) {
      const w = normaliseWin(candidate);
      if (w.startsWith('\\\\') && !/^\\\\[?.]\\[a-z]:/i.test(w)) return { problem: 'unc', what: uncRoot(w) };
    }
    const drive = /^([a-z]):/i.exec(full)?.[1]?.toUpperCase();
    if (drive) {
      const mapped = opts.networkDrives ?? (native ? windowsNetworkDrives() : []);
      if (mapped.map((d) => d.replace(/:$/, '').toUpperCase()).includes(drive)) return { problem: 'network-drive', what: `${drive}:` };
    }
  } else {
    const mounts = opts.mounts !== undefined ? opts.mounts : platform === 'linux' && native ? readMounts() : null;
    if (mounts) {
      const fsType = mountFsType(mounts, full);
      if (fsType && isNetworkFs(fsType)) return { problem: 'network-fs', what: fsType };
    }
  }

  const cloud = cloudFolderOf(full, p, env) ?? cloudFolderOf(given, p, env);
  return cloud ? { problem: 'cloud', what: cloud } : null;
}

/** Throws a RULE error with the Chinese explanation when the ledger file sits on a network share or in a sync folder. */
export function assertLocalStorage(file: string, opts: StorageCheckOptions = {}): void {
  const v = checkStorageLocation(file, opts);
  if (!v.ok) throw new ApiError('RULE', v.message);
}

export function isNetworkFs(fsType: string): boolean {
  const t = fsType.toLowerCase();
  return NETWORK_FS.has(t) || NETWORK_FUSE.test(t);
}

/** The fs type of the longest mount point containing `file` in a /proc/mounts table (octal escapes decoded). */
export function mountFsType(mounts: string, file: string): string | null {
  let best: { dir: string; type: string } | null = null;
  for (const line of mounts.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 3) continue;
    const dir = cols[1].replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    const inside = dir === '/' || file === dir || file.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
    // Later lines mount over earlier ones at the same point, hence >=.
    if (inside && (!best || dir.length >= best.dir.length)) best = { dir, type: cols[2] };
  }
  return best?.type ?? null;
}

function cloudFolderOf(full: string, p: path.PlatformPath, env: Env): string | null {
  const cmp = (s: string) => (p === path.win32 ? s.toLowerCase().replace(/\//g, '\\') : s);
  for (const name of CLOUD_ENV) {
    const dir = env[name];
    if (dir && p.isAbsolute(dir)) {
      const d = cmp(p.resolve(dir));
      const f = cmp(full);
      if (f === d || f.startsWith(d.endsWith(p.sep) ? d : d + p.sep)) return 'OneDrive';
    }
  }
  const segments = full.split(/[\\/]+/).filter(Boolean);
  for (const seg of segments) {
    for (const c of CLOUD_FOLDERS) if (c.segment.test(seg)) return c.name;
  }
  return null;
}

function normaliseWin(s: string): string {
  let w = s.replace(/\//g, '\\');
  if (/^\\\\\?\\unc\\/i.test(w)) w = `\\\\${w.slice(8)}`; // \\?\UNC\server\share → \\server\share
  return w;
}

function uncRoot(w: string): string {
  const [server = '', share = ''] = w.slice(2).split('\\');
  return `\\\\${server}${share ? `\\${share}` : ''}`;
}

function refusalMessage(file: string, problem: StorageProblem, what: string, where: StorageCheckOptions & { platform: NodeJS.Platform; env: Env }): string {
  const place =
    problem === 'unc'
      ? `网络共享文件夹（${what}）`
      : problem === 'network-drive'
        ? `网络驱动器（${what}，映射到其他电脑的共享文件夹）`
        : problem === 'network-fs'
          ? `网络文件系统（${what}）`
          : `${what} 等网盘的同步文件夹`;
  let suggestion: string;
  try {
    const def = defaultDataDir({ platform: where.platform, env: where.env, homedir: where.homedir });
    const defOk = !classify(def, where);
    suggestion = defOk ? `本机硬盘上的文件夹，例如默认的数据文件夹 ${def}（不指定 --db / --data-dir，也不设置 CANTEEN_DB / CANTEEN_DATA_DIR 即使用它）` : '';
  } catch {
    suggestion = '';
  }
  if (!suggestion) suggestion = where.platform === 'win32' ? '本机硬盘上的文件夹，例如 D:\\食堂账本' : '本机硬盘上的文件夹，例如主目录下的 食堂账本 文件夹';
  return (
    `账本文件不能放在${place}：${file}。` +
    `账本是 SQLite 数据库，放在网络共享或网盘同步文件夹里时，文件锁和写入顺序得不到保证，网络中断或同步软件用旧副本覆盖都会让账目丢失或损坏。` +
    `请把账本放在${suggestion}；需要异地留存时，请用“备份”功能生成备份文件，再把备份文件复制到网盘或U盘。`
  );
}

/** realpath of the deepest existing ancestor, with the rest re-appended (the ledger may not exist yet). */
function realpathOfNearest(file: string): string {
  let dir = file;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(dir), ...rest.reverse());
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) return file;
      rest.push(path.basename(dir));
      dir = parent;
    }
  }
}

function readMounts(): string | null {
  try {
    return fs.readFileSync('/proc/mounts', 'utf8');
  } catch {
    return null;
  }
}

/** Drive letters `net use` lists as connected to a share ("OK  Z:  \\server\share …"); its wording is localised. */
export function parseNetUse(out: string): string[] {
  const drives: string[] = [];
  for (const m of out.matchAll(/(?:^|\s)([A-Za-z]):\s+\\\\[^\s\\]+/gm)) drives.push(m[1].toUpperCase());
  return drives;
}

function windowsNetworkDrives(): string[] {
  try {
    const r = spawnSync('net', ['use'], { encoding: 'utf8', timeout: 5000, windowsHide: true });
    return r.status === 0 ? parseNetUse(r.stdout) : [];
  } catch {
    return [];
  }
}

