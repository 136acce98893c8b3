import { spawnSync } from 'node:child_process';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { READ_LIMITS, readSheet } from '../../electron/core/xlsx/read.ts';
import { inspectXlsx, unpackXlsx } from '../../electron/core/xlsx/zip.ts';
import { deflated, rowXml, SHEET_HEAD, SHEET_TAIL, workbookParts, xlsxOf, zip } from './zip-kit.ts';

/**
 * Hostile .xlsx files (issue 20 items 3 and 9): a zip bomb whose directory lies about a part's size killed the
 * process ("Reached heap limit", exit 134), and a part whose size or compression did not match its directory came
 * back as exceljs's own English ("Bug : uncompressed data size mismatch"). Every bomb is built by zip-kit.ts.
 */
const root = path.resolve(import.meta.dirname, '..', '..');

const DAMAGED = '文件已损坏，无法读取（压缩数据不完整或有错误）。请在 Excel 或 WPS 中打开该文件，另存为 .xlsx 后再导入';
const SIZE_MISMATCH = '文件中有部件解压后的大小与文件目录记载的不符（可能是压缩炸弹或损坏的文件），已拒绝读取';
const TOO_BIG = '文件解压后超过 200 MB（可能是压缩炸弹或损坏的文件），已拒绝读取；若确是很大的工作簿，请只保留要导入的工作表并分批导入';
const TOO_MANY = '文件包含的部件超过 1000 个，不像正常的 Excel 工作簿（可能是损坏或恶意构造的文件），已拒绝读取';
const METHOD = '文件使用了 Excel 不用的压缩方式，无法读取。请在 Excel 或 WPS 中打开该文件，另存为 .xlsx 后再导入';
const OUT_OF_MEMORY = '文件过大或结构异常，读取时超出内存限制，已停止读取。请只保留要导入的工作表，另存为 .xlsx 后分批导入';

describe('hostile workbooks through the API', () => {
  it('refuse each bomb and damaged file with a Chinese message, write nothing, and leave a process with a 256 MB heap alive', () => {
    // The API runs in a child with a heap too small for the bomb's 300 MB: before this fix it died there (exit 134).
    const child = spawnSync(process.execPath, ['--max-old-space-size=256', 'test/integrity/children/xlsx-bombs.ts'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
    expect(child.stderr).not.toContain('heap limit');
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    const results = JSON.parse(child.stdout.split('\n').find((l) => l.startsWith('RESULT '))!.slice('RESULT '.length)) as {
      file: string;
      method: string;
      ok: boolean;
      code?: string;
      message?: string;
      rows?: number;
      unchanged: boolean;
    }[];
    const expected: Record<string, string> = {
      lyingBomb: SIZE_MISMATCH,
      honestBomb: TOO_BIG,
      manyParts: TOO_MANY,
      truncated: DAMAGED,
      garbled: DAMAGED,
      badCrc: DAMAGED,
      sizeMismatch: SIZE_MISMATCH,
      oddMethod: METHOD,
    };
    const methods = ['import.preview', 'import.commit', 'students.importPreview'];
    expect(results.filter((r) => r.file !== 'good').map((r) => [r.file, r.method])).toEqual(Object.keys(expected).flatMap((f) => methods.map((m) => [f, m])));
    for (const r of results.filter((x) => x.file !== 'good')) {
      expect({ file: r.file, method: r.method, ok: r.ok, code: r.code, message: r.message, unchanged: r.unchanged }).toEqual({
        file: r.file,
        method: r.method,
        ok: false,
        code: 'VALIDATION',
        message: expected[r.file],
        unchanged: true,
      });
    }
    // After all of them the same process still reads a good file: one data row under the header, for both imports.
    expect(results.filter((r) => r.file === 'good')).toEqual([
      { file: 'good', method: 'import.preview', ok: true, rows: 1, unchanged: true },
      { file: 'good', method: 'students.importPreview', ok: true, rows: 1, unchanged: true },
    ]);
  }, 300_000);
});

describe('inflation within a hard limit', () => {
  it('stops inflating a part at the size its directory declares, before reaching what follows', () => {
    // The sheet's stream: 2 MB of spaces, then bytes that are no deflate at all. Its directory says 5,000 bytes.
    // Inflating it all would end in a data error ("damaged"); stopping at the declared size ends in the size refusal.
    const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
    const spaces = zlib.deflateRawSync(Buffer.alloc(1024 * 1024, 0x20), flush);
    const compressed = Buffer.concat([zlib.deflateRawSync(Buffer.from(SHEET_HEAD), flush), spaces, spaces, Buffer.from([0xff, 0xff, 0xff, 0xff])]);
    const file = zip(workbookParts({ name: 'xl/worksheets/sheet1.xml', compressed, size: 5000, crc: 0 }));
    expect(() => unpackXlsx(file)).toThrow(SIZE_MISMATCH);
    // The same stream declared at its full size reaches the garbage: the refusal above came from the limit.
    const full = zip(workbookParts({ name: 'xl/worksheets/sheet1.xml', compressed, size: SHEET_HEAD.length + 2 * 1024 * 1024 + 1, crc: 0 }));
    expect(() => unpackXlsx(full)).toThrow(DAMAGED);
  });

  it('hands exceljs the verified parts stored, with the same names and sizes', () => {
    const file = xlsxOf([['品名', '类别'], ['白菜', '蔬菜水果']]);
    const original = inspectXlsx(file);
    const stored = inspectXlsx(unpackXlsx(file));
    expect(original.every((e) => e.method === 8)).toBe(true);
    expect(stored.map((e) => [e.name.toString(), e.method, e.size, e.compressedSize])).toEqual(original.map((e) => [e.name.toString(), 0, e.size, e.size]));
  });
});

describe('the read in a worker thread', () => {
  it('ends a read that exhausts its heap with a Chinese message; the process and the next read go on', async () => {
    const small = { resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 }, timeoutMs: 60_000 };
    const good = xlsxOf([['品名', '单位'], ['白菜', '千克']]).toString('base64');
    // Within 32 MB a small sheet reads (so what follows is the file's doing, not exceljs's own size) ...
    expect((await readSheet(good, 10, small)).dataRowCount).toBe(2);
    // ... and 10,000 rows of 20 cells (200,000 cell objects in exceljs) do not.
    const rows = Array.from({ length: 10_000 }, (_, i) => Array.from({ length: 20 }, (_, j) => `格${i}-${j}`));
    await expect(readSheet(xlsxOf(rows).toString('base64'), 10, small)).rejects.toMatchObject({ code: 'VALIDATION', message: OUT_OF_MEMORY });
    expect((await readSheet(good, 10, READ_LIMITS)).rows.map((r) => r.cells.length)).toEqual([2, 2]);
  }, 60_000);

  it('ends a read that runs out of time', async () => {
    const file = zip(workbookParts(deflated('xl/worksheets/sheet1.xml', SHEET_HEAD + rowXml(1, ['品名']) + SHEET_TAIL))).toString('base64');
    await expect(readSheet(file, 10, { resourceLimits: READ_LIMITS.resourceLimits, timeoutMs: 1 })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: '文件过大或结构异常，读取超过 0 秒，已停止读取。请只保留要导入的工作表，另存为 .xlsx 后分批导入',
    });
  });
});
