import fs from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/errors.ts';

/**
 * What --db names must be a ledger file: not a folder (EISDIR), not an empty file (opening one would quietly make a
 * blank ledger there, and a person who named the wrong file would see an empty school — issue 20 item 9). `create`:
 * init and demo may start a ledger in a new or empty file.
 */
export function assertLedgerFile(file: string, opts: { create: boolean }): void {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (st?.isDirectory()) {
    throw new ApiError('VALIDATION', `${file} 是一个文件夹，不是账本文件；请用 --db 给出账本文件的路径（例如 ${path.join(file, 'ledger.sqlite')}），或用 --data-dir 指定数据文件夹`);
  }
  if (opts.create) return;
  if (st && st.size === 0) throw new ApiError('NOT_FOUND', `账本文件 ${file} 是空文件（0 字节），里面没有账目；请检查 --db 指定的文件是否正确，新建账本请用 canteen init`);
  if (!st) throw new ApiError('NOT_FOUND', `找不到账本文件 ${file}，请先用 canteen init 或 canteen demo 建立账本，或用 --db 指定账本文件`);
}
