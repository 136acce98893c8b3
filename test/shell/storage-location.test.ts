import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertLocalStorage, checkStorageLocation, mountFsType, parseNetUse } from '../../electron/core/integrity/storage-location.ts';
import { ApiError } from '../../shared/errors.ts';

const identity = (p: string) => p;
const win = { platform: 'win32' as const, env: { APPDATA: 'C:\\Users\\lan\\AppData\\Roaming' }, homedir: 'C:\\Users\\lan', networkDrives: [], realpath: identity };

/** A /proc/mounts table as a Linux box with a NAS, a Samba share, an sshfs mount and a path with a space shows it. */
const MOUNTS = [
  'sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0',
  '/dev/sda2 / ext4 rw,relatime 0 0',
  '/dev/sda3 /home ext4 rw,relatime 0 0',
  'nas:/export/canteen /mnt/nas nfs4 rw,relatime,vers=4.2 0 0',
  '//fileserver/office /mnt/office cifs rw,relatime,vers=3.1.1 0 0',
  'lan@pc:/srv /home/lan/remote fuse.sshfs rw,nosuid,nodev 0 0',
  '/dev/sdb1 /media/lan/U\\040盘 vfat rw,nosuid 0 0',
  'tmpfs /tmp tmpfs rw,nosuid,nodev 0 0',
].join('\n');
const linux = { platform: 'linux' as const, env: { HOME: '/home/lan' }, homedir: '/home/lan', mounts: MOUNTS, realpath: identity };

describe('storage location guard', () => {
  it('accepts local folders on Windows and Linux', () => {
    expect(checkStorageLocation('C:\\Users\\lan\\AppData\\Roaming\\阳光食堂账本\\ledger.sqlite', win).ok).toBe(true);
    expect(checkStorageLocation('D:\\食堂账本\\ledger.sqlite', win).ok).toBe(true);
    expect(checkStorageLocation('\\\\?\\D:\\食堂账本\\ledger.sqlite', win).ok).toBe(true);
    expect(checkStorageLocation('/home/lan/.config/阳光食堂账本/ledger.sqlite', linux).ok).toBe(true);
    expect(checkStorageLocation('/media/lan/U 盘/账本/ledger.sqlite', linux).ok).toBe(true);
    // A name that merely contains a provider's word is not its sync folder.
    expect(checkStorageLocation('/home/lan/dropboxer/ledger.sqlite', linux).ok).toBe(true);
    expect(checkStorageLocation('/home/lan/my-onedrive-notes/ledger.sqlite', linux).ok).toBe(true);
  });

  it('refuses UNC paths, in either slash style and the \\\\?\\UNC form', () => {
    for (const f of ['\\\\fileserver\\财务\\ledger.sqlite', '//fileserver/财务/ledger.sqlite', '\\\\?\\UNC\\fileserver\\财务\\ledger.sqlite']) {
      const v = checkStorageLocation(f, win);
      expect(v.ok, f).toBe(false);
      if (!v.ok) {
        expect(v.problem).toBe('unc');
        expect(v.what).toBe('\\\\fileserver\\财务');
      }
    }
  });

  it('refuses a mapped network drive, and a local path whose real path is a share', () => {
    const v = checkStorageLocation('Z:\\账本\\ledger.sqlite', { ...win, networkDrives: ['Z'] });
    expect(v).toMatchObject({ ok: false, problem: 'network-drive', what: 'Z:' });
    expect(checkStorageLocation('D:\\账本\\ledger.sqlite', { ...win, networkDrives: ['Z'] }).ok).toBe(true);
    const viaLink = checkStorageLocation('C:\\账本链接\\ledger.sqlite', { ...win, realpath: () => '\\\\nas\\share\\账本\\ledger.sqlite' });
    expect(viaLink).toMatchObject({ ok: false, problem: 'unc', what: '\\\\nas\\share' });
  });

  it('reads mapped drives from `net use`, whatever the language of its header', () => {
    const out = [
      '会记录新的网络连接。',
      '',
      '状态       本地        远程                      网络',
      '-------------------------------------------------------------------------------',
      'OK           Z:        \\\\fileserver\\财务        Microsoft Windows Network',
      '不可用       Y:        \\\\nas\\backup             Microsoft Windows Network',
      'OK                     \\\\printserver\\IPC$      Microsoft Windows Network',
      '命令成功完成。',
    ].join('\r\n');
    expect(parseNetUse(out)).toEqual(['Z', 'Y']);
  });

  it('refuses network file systems from the mount table, longest mount point first', () => {
    expect(checkStorageLocation('/mnt/nas/canteen/ledger.sqlite', linux)).toMatchObject({ ok: false, problem: 'network-fs', what: 'nfs4' });
    expect(checkStorageLocation('/mnt/office/ledger.sqlite', linux)).toMatchObject({ ok: false, problem: 'network-fs', what: 'cifs' });
    expect(checkStorageLocation('/home/lan/remote/ledger.sqlite', linux)).toMatchObject({ ok: false, problem: 'network-fs', what: 'fuse.sshfs' });
    // /mnt/nas2 is not under /mnt/nas.
    expect(checkStorageLocation('/mnt/nas2/ledger.sqlite', linux).ok).toBe(true);
    expect(mountFsType(MOUNTS, '/home/lan/remote')).toBe('fuse.sshfs');
    expect(mountFsType(MOUNTS, '/home/lan/remotely/x')).toBe('ext4');
    expect(mountFsType(MOUNTS, '/media/lan/U 盘/x')).toBe('vfat');
    expect(mountFsType(MOUNTS, '/etc/x')).toBe('ext4');
  });

  it('refuses the sync folders of OneDrive, Dropbox, iCloud, Google Drive, 坚果云, 百度网盘 and 腾讯微云', () => {
    const cases: [string, string, typeof win | typeof linux | { platform: 'darwin'; env: {}; homedir: string; realpath: typeof identity }][] = [
      ['C:\\Users\\lan\\OneDrive\\文档\\ledger.sqlite', 'OneDrive', win],
      ['C:\\Users\\lan\\OneDrive - 阳光实验小学\\ledger.sqlite', 'OneDrive', win],
      ['C:\\Users\\lan\\Dropbox\\ledger.sqlite', 'Dropbox', win],
      ['C:\\Users\\lan\\iCloudDrive\\账本\\ledger.sqlite', 'iCloud 云盘', win],
      ['G:\\我的云端硬盘\\ledger.sqlite', 'Google 云端硬盘', win],
      ['G:\\My Drive\\ledger.sqlite', 'Google 云端硬盘', win],
      ['C:\\Users\\lan\\Nutstore\\1\\我的坚果云\\ledger.sqlite', '坚果云', win],
      ['D:\\BaiduSyncdisk\\账本\\ledger.sqlite', '百度网盘', win],
      ['D:\\百度网盘同步空间\\ledger.sqlite', '百度网盘', win],
      ['D:\\微云同步盘\\ledger.sqlite', '腾讯微云', win],
      ['/home/lan/Dropbox/ledger.sqlite', 'Dropbox', linux],
      ['/home/lan/坚果云/ledger.sqlite', '坚果云', linux],
      ['/Users/lan/Library/Mobile Documents/com~apple~CloudDocs/ledger.sqlite', 'iCloud 云盘', { platform: 'darwin', env: {}, homedir: '/Users/lan', realpath: identity }],
      ['/Users/lan/Library/CloudStorage/OneDrive-Personal/ledger.sqlite', '网盘', { platform: 'darwin', env: {}, homedir: '/Users/lan', realpath: identity }],
    ];
    for (const [file, name, opts] of cases) {
      const v = checkStorageLocation(file, opts);
      expect(v.ok, file).toBe(false);
      if (!v.ok) {
        expect(v.problem, file).toBe('cloud');
        expect(v.what, file).toBe(name);
      }
    }
  });

  it('refuses a OneDrive folder renamed by the user, found through the OneDrive environment variable', () => {
    const env = { ...win.env, OneDrive: 'E:\\云同步' };
    expect(checkStorageLocation('e:\\云同步\\账本\\ledger.sqlite', { ...win, env })).toMatchObject({ ok: false, problem: 'cloud', what: 'OneDrive' });
    expect(checkStorageLocation('E:\\云同步2\\ledger.sqlite', { ...win, env }).ok).toBe(true);
  });

  it('says why and where to put the ledger instead, in Chinese', () => {
    const v = checkStorageLocation('\\\\fileserver\\财务\\ledger.sqlite', win);
    expect(v.ok).toBe(false);
    if (v.ok) return;
    expect(v.message).toContain('网络共享文件夹（\\\\fileserver\\财务）');
    expect(v.message).toContain('SQLite');
    expect(v.message).toContain('丢失');
    // The suggested place is the default data folder in AppData.
    expect(v.message).toContain('C:\\Users\\lan\\AppData\\Roaming\\阳光食堂账本');
    const l = checkStorageLocation('/mnt/nas/ledger.sqlite', linux);
    expect(!l.ok && l.message).toContain('/home/lan/.config/阳光食堂账本');
    // When the default folder is itself on the network, it is not suggested.
    const nfsHome = checkStorageLocation('/home/lan/x/ledger.sqlite', { ...linux, mounts: 'srv:/home /home nfs rw 0 0' });
    expect(nfsHome.ok).toBe(false);
    expect(!nfsHome.ok && nfsHome.message).not.toContain('.config');
    expect(!nfsHome.ok && nfsHome.message).toContain('本机硬盘');
  });

  it('assertLocalStorage throws a RULE ApiError with that message, and passes local paths', () => {
    expect(() => assertLocalStorage('/home/lan/Dropbox/ledger.sqlite', linux)).toThrow(ApiError);
    try {
      assertLocalStorage('/home/lan/Dropbox/ledger.sqlite', linux);
    } catch (e) {
      expect((e as ApiError).code).toBe('RULE');
      expect((e as ApiError).message).toContain('Dropbox');
    }
    expect(() => assertLocalStorage('/home/lan/账本/ledger.sqlite', linux)).not.toThrow();
  });

  it('follows a symlink on this machine into a sync folder', () => {
    if (process.platform === 'win32') return;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-loc-'));
    try {
      fs.mkdirSync(path.join(dir, 'Dropbox'));
      fs.symlinkSync(path.join(dir, 'Dropbox'), path.join(dir, 'books'));
      const v = checkStorageLocation(path.join(dir, 'books', 'sub', 'ledger.sqlite'), { mounts: null });
      expect(v).toMatchObject({ ok: false, problem: 'cloud', what: 'Dropbox' });
      expect(checkStorageLocation(path.join(dir, 'plain', 'ledger.sqlite'), { mounts: null }).ok).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
