import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ApiError } from '../../../shared/errors.ts';

/**
 * LibreOffice headless as converter (the notice-board PDF) and as an independent reader of our workbooks in tests.
 * Each run gets its own user profile folder: two soffice processes sharing one profile would hand the job to each
 * other or fail, and a fresh profile leaves nothing behind.
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

/**
 * `soffice --headless --convert-to <target> --outdir <outDir> <file>`; resolves to the files it made in outDir
 * (a CSV export of every sheet makes one file per sheet).
 */
export async function convertWithSoffice(file: string, target: string, outDir: string, timeoutMs = 180_000): Promise<string[]> {
  const soffice = findSoffice();
  if (!soffice) throw new ApiError('RULE', SOFFICE_MISSING);
  fs.mkdirSync(outDir, { recursive: true });
  const before = new Set(fs.readdirSync(outDir));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'canteen-soffice-'));
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        soffice,
        [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--nologo', '--convert-to', target, '--outdir', outDir, file],
        { timeout: timeoutMs, windowsHide: true },
        (err, stdout, stderr) => {
          if (err) reject(new ApiError('INTERNAL', `LibreOffice 转换失败：${(stderr || stdout || err.message).trim()}`));
          else resolve();
        },
      );
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const made = fs.readdirSync(outDir).filter((f) => !before.has(f)).map((f) => path.join(outDir, f));
  if (made.length === 0) throw new ApiError('INTERNAL', `LibreOffice 未生成 ${target} 文件：${path.basename(file)}`);
  return made;
}
