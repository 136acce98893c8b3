import fs from 'node:fs';
import path from 'node:path';
import { type ResourceLimits, Worker } from 'node:worker_threads';
import ExcelJS from 'exceljs';
import { ApiError, type ErrorCode } from '../../../shared/errors.ts';
import { inspectXlsx, unpackXlsx } from './zip.ts';

/**
 * Reading .xlsx files people bring (supplier and ingredient lists, the student roster): the zip checked and its
 * parts inflated within a hard limit by our own code (xlsx-zip.ts) before exceljs sees them, all of it in a worker
 * thread with its own memory and time limits; the first visible sheet with content read as typed cells, every cell
 * also available as the text a person sees. One reader for every import.
 */

export type Cell =
  | { t: 'empty' }
  | { t: 'text'; text: string }
  | { t: 'number'; value: number; text: string }
  | { t: 'date'; iso: string }
  | { t: 'bool'; value: boolean }
  | { t: 'error'; text: string };

export interface RawSheet {
  name: string;
  /** Rows as read, by sheet row number; empty rows left out. */
  rows: { row: number; cells: Cell[] }[];
  dataRowCount: number;
}

const MAX_COLUMNS = 100;

/**
 * A number cell as the text a person typed: Excel keeps 15 significant digits, so rounding there undoes binary
 * noise (a computed 0.30000000000000004 reads "0.3", 2.5 reads "2.5") and money parsing never sees a float.
 */
export function numberText(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const p = n.toPrecision(15);
  if (p.includes('e')) return String(n);
  return p.includes('.') ? p.replace(/0+$/, '').replace(/\.$/, '') : p;
}

export function cellOf(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return { t: 'empty' };
  if (typeof v === 'string') return v.trim() === '' ? { t: 'empty' } : { t: 'text', text: v };
  if (typeof v === 'number') return { t: 'number', value: v, text: numberText(v) };
  if (typeof v === 'boolean') return { t: 'bool', value: v };
  // exceljs gives date cells as JS Dates at UTC midnight of the day shown.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { t: 'error', text: '无效日期' } : { t: 'date', iso: v.toISOString().slice(0, 10) };
  if ('error' in v) return { t: 'error', text: String(v.error) };
  if ('richText' in v) return cellOf(v.richText.map((r) => r.text).join(''));
  if ('formula' in v || 'sharedFormula' in v) return cellOf((v as ExcelJS.CellFormulaValue).result ?? null);
  if ('text' in v) return cellOf(typeof v.text === 'string' ? v.text : (v.text as unknown as ExcelJS.CellValue));
  return { t: 'text', text: String(v) };
}

export function cellText(c: Cell): string {
  switch (c.t) {
    case 'empty':
      return '';
    case 'text':
      return c.text.trim();
    case 'number':
      return c.text;
    case 'date':
      return c.iso;
    case 'bool':
      return c.value ? '是' : '否';
    case 'error':
      return c.text;
  }
}

const UNREADABLE = '无法读取该 .xlsx 文件（文件可能已损坏，或不是 Excel/WPS 保存的工作簿）。请在 Excel 或 WPS 中打开该文件，另存为 .xlsx 后再导入';
const OUT_OF_MEMORY = '文件过大或结构异常，读取时超出内存限制，已停止读取。请只保留要导入的工作表，另存为 .xlsx 后分批导入';

/** What one read may use: the worker thread's V8 heap, and the time before it is stopped. */
export interface ReadLimits {
  resourceLimits: ResourceLimits;
  timeoutMs: number;
}

/**
 * A roster of 10,000 rows reads within a 48 MB heap; a file that needs ten times that is not a list a school typed. The heap limit covers V8's heap only: the parts' bytes (Buffers, outside it) are bounded by
 * the inflation limit in xlsx-zip.ts.
 */
export const READ_LIMITS: ReadLimits = {
  resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 48, stackSizeMb: 4 },
  timeoutMs: 60_000,
};

/** The file's bytes from the API's base64 (a data: URL prefix and line breaks allowed). */
function decode(fileBase64: string): Buffer {
  return Buffer.from(fileBase64.replace(/^data:[^,]*,/, '').replace(/\s+/g, ''), 'base64');
}

/**
 * Reads the sheet, keeping at most `maxRows` (+ a few, so a message can say how many there were). The zip's
 * directory is checked here (cheap: most files that are not an .xlsx are refused without a thread); the parts are
 * inflated and parsed in a worker thread with its own heap limit and a time limit, so a file that would exhaust
 * memory (a zip bomb we did not foresee, a sheet exceljs cannot hold) stops that thread with a message and never
 * takes down the process: in the app, the main process that holds the window and the ledger.
 */
export async function readSheet(fileBase64: string, maxRows: number, limits: ReadLimits = READ_LIMITS): Promise<RawSheet> {
  const buf = decode(fileBase64);
  inspectXlsx(buf);
  return new Promise<RawSheet>((resolve, reject) => {
    let worker: Worker;
    try {
      worker = takeWorker(limits);
    } catch (e) {
      reject(new ApiError('INTERNAL', `无法启动读取文件的线程：${(e as Error).message}`));
      return;
    }
    let settled = false;
    /** `healthy`: the worker answered, so it may read the next file; otherwise it is ended. */
    const settle = (error: ApiError | null, sheet?: RawSheet, healthy = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Only our own listeners: removeAllListeners() would also remove the Worker's own, which pass its messages on.
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (healthy && limits === READ_LIMITS) keepIdle(worker);
      else void worker.terminate();
      if (error) reject(error);
      else resolve(sheet as RawSheet);
    };
    const timer = setTimeout(
      () => settle(new ApiError('VALIDATION', `文件过大或结构异常，读取超过 ${Math.round(limits.timeoutMs / 1000)} 秒，已停止读取。请只保留要导入的工作表，另存为 .xlsx 后分批导入`)),
      limits.timeoutMs,
    );
    const onMessage = (m: SheetAnswer) => settle(m.ok ? null : new ApiError(m.code, m.message), m.ok ? m.sheet : undefined, true);
    const onError = (e: Error & { code?: string }) =>
      settle(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new ApiError('VALIDATION', OUT_OF_MEMORY) : new ApiError('INTERNAL', `读取文件时出错：${e.message}`));
    const onExit = (code: number) => settle(new ApiError('INTERNAL', `读取文件的线程意外退出（代码 ${code}）`));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage({ bytes: buf, maxRows } satisfies SheetJob);
  });
}

/** What the worker (xlsx-worker.ts) gets and answers. */
export interface SheetJob {
  bytes: Uint8Array;
  maxRows: number;
}
export type SheetAnswer = { ok: true; sheet: RawSheet } | { ok: false; code: ErrorCode; message: string };

/**
 * Starting a thread and loading exceljs into it takes 0.15-0.3 s, and a fresh thread runs exceljs unoptimised (a
 * 5,000-row sheet read 5-7 times slower than in a thread that has read a few). So a thread that answered is kept
 * for the next read for a few minutes (imports come in runs: a preview, its commit, the next file), without keeping
 * the process alive. A thread that ran out of memory or time is never reused: it has ended or is ended.
 */
const IDLE_MS = 5 * 60_000;
let idle: { worker: Worker; expiry: ReturnType<typeof setTimeout>; drop: () => void } | null = null;

function takeWorker(limits: ReadLimits): Worker {
  if (limits === READ_LIMITS && idle) {
    const { worker, expiry, drop } = idle;
    idle = null;
    clearTimeout(expiry);
    worker.off('error', drop).off('exit', drop);
    worker.ref();
    return worker;
  }
  return startWorker(limits.resourceLimits);
}

function keepIdle(worker: Worker): void {
  if (idle) {
    void worker.terminate();
    return;
  }
  worker.unref();
  const drop = () => {
    if (idle?.worker !== worker) return;
    clearTimeout(idle.expiry);
    idle = null;
  };
  worker.on('error', drop).on('exit', drop);
  const expiry = setTimeout(() => {
    drop();
    void worker.terminate();
  }, IDLE_MS);
  expiry.unref();
  idle = { worker, expiry, drop };
}

let bundledWorkerSource: string | null = null;

/**
 * From the sources (tests, the CLI on Node 24) the worker is xlsx-worker.ts beside this file. In the bundle
 * (dist/electron/main.cjs, where import.meta is empty) scripts/build.mjs builds it beside main.cjs as
 * xlsx-worker.cjs, and its source is read and evaluated: in the installed app both sit inside app.asar, which
 * Electron's fs reads but a worker's own file loader may not.
 */
function startWorker(resourceLimits: ResourceLimits): Worker {
  if (typeof __filename === 'string' && __filename.endsWith('.cjs')) {
    bundledWorkerSource ??= fs.readFileSync(path.join(__dirname, 'xlsx-worker.cjs'), 'utf8');
    return new Worker(bundledWorkerSource, { eval: true, resourceLimits });
  }
  return new Worker(new URL('./worker.ts', import.meta.url), { resourceLimits });
}

const SHEET_RELS = /^xl\/worksheets\/_rels\/[^/]+\.rels$/;
/** A worksheet's relationship to its notes (comments) or their VML drawing, self-closing or not. */
const NOTE_REL = /<(?:\w+:)?Relationship\b[^>]*?\bType="[^"]*\/(?:comments|vmlDrawing)"[^>]*?(?:\/>|>\s*<\/(?:\w+:)?Relationship>)/g;

/**
 * The cells are all an import reads, so a sheet's links to its notes (批注, e.g. our template's header notes) are
 * dropped before exceljs sees them: exceljs finds a sheet's notes only where it and Excel put them (xl/comments1.xml
 * behind "../comments1.xml"), and another writer's layout (openpyxl, and the programs built on it: xl/comments/
 * comment1.xml behind "/xl/comments/comment1.xml") made it throw "Cannot read properties of undefined (reading
 * 'comments')", so a template re-saved by such a program could not be imported (issue 14 §6).
 */
function withoutNotes(name: string, part: Buffer): Buffer {
  if (!SHEET_RELS.test(name)) return part;
  const xml = part.toString('utf8');
  const kept = xml.replace(NOTE_REL, '');
  return kept === xml ? part : Buffer.from(kept, 'utf8');
}

/**
 * The read itself, in the worker: the parts inflated and checked by xlsx-zip.ts, handed to exceljs stored (it
 * inflates nothing), the first visible sheet with content read into cells.
 */
export async function parseSheet(buf: Buffer, maxRows: number): Promise<RawSheet> {
  const clean = unpackXlsx(buf, withoutNotes);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(clean as unknown as ExcelJS.Buffer);
  } catch {
    throw new ApiError('VALIDATION', UNREADABLE);
  }
  const ws = wb.worksheets.find((w) => w.state === 'visible' && w.actualRowCount > 0) ?? wb.worksheets[0];
  if (!ws) throw new ApiError('VALIDATION', '工作簿中没有工作表');
  const rows: RawSheet['rows'] = [];
  let dataRowCount = 0;
  const width = Math.min(ws.columnCount, MAX_COLUMNS);
  ws.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    const cells: Cell[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellOf(r.getCell(c).value));
    if (cells.every((c) => c.t === 'empty')) return;
    dataRowCount++;
    // Keep a few past the limit so the message can say how many there were without holding a huge sheet twice.
    if (rows.length <= maxRows + 10) rows.push({ row: rowNumber, cells });
  });
  return { name: ws.name, rows, dataRowCount };
}

