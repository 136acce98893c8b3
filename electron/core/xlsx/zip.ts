import zlib from 'node:zlib';
import { ApiError } from '../../../shared/errors.ts';

/**
 * The zip inside an .xlsx a person brings, read by our own code before exceljs sees it. exceljs (through JSZip)
 * inflates every part whatever the zip's directory says, so a small file whose directory lies about a part's size
 * (a zip bomb) filled the heap and killed the process (issue 20). Here every part is inflated by node:zlib with an
 * output limit of the size its directory entry declares, the declared sizes together may not pass
 * MAX_UNZIPPED_BYTES, and a part whose actual size or CRC differs from the directory is refused. What exceljs gets
 * is a new zip of the verified parts stored uncompressed, so it never inflates anything itself.
 */

/** At most this many bytes come out of one file, all parts together (a school's list unpacks to a few MB). */
export const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;
/** An .xlsx holds a dozen parts; a few hundred with many sheets or pictures. */
export const MAX_ENTRIES = 1000;

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;

export const ZIP_MESSAGES = {
  empty: '文件是空的',
  xls: '这是旧版 Excel（.xls）文件，请在 Excel 或 WPS 中“另存为” .xlsx 格式后再导入',
  notXlsx: '文件不是 Excel 工作簿（.xlsx），请选择 .xlsx 文件；CSV、WPS(.et) 等请先另存为 .xlsx',
  damaged: '文件已损坏，无法读取（压缩数据不完整或有错误）。请在 Excel 或 WPS 中打开该文件，另存为 .xlsx 后再导入',
  tooBig: `文件解压后超过 ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB（可能是压缩炸弹或损坏的文件），已拒绝读取；若确是很大的工作簿，请只保留要导入的工作表并分批导入`,
  sizeMismatch: '文件中有部件解压后的大小与文件目录记载的不符（可能是压缩炸弹或损坏的文件），已拒绝读取',
  tooManyEntries: `文件包含的部件超过 ${MAX_ENTRIES} 个，不像正常的 Excel 工作簿（可能是损坏或恶意构造的文件），已拒绝读取`,
  method: '文件使用了 Excel 不用的压缩方式，无法读取。请在 Excel 或 WPS 中打开该文件，另存为 .xlsx 后再导入',
  encrypted: '文件的内容已加密，无法读取。请在 Excel 或 WPS 中取消加密，另存为 .xlsx 后再导入',
  zip64: '文件使用了超大文件格式（ZIP64），不像正常大小的 Excel 工作簿，已拒绝读取；请只保留要导入的工作表，另存为 .xlsx 后再导入',
} as const;

const refuse = (key: keyof typeof ZIP_MESSAGES): never => {
  throw new ApiError('VALIDATION', ZIP_MESSAGES[key]);
};

export interface ZipEntry {
  /** The name's bytes as stored (UTF-8 when flag bit 11 is set). */
  name: Buffer;
  utf8: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Where the part's compressed bytes start in the file. */
  dataStart: number;
}

/**
 * Walks the zip's directory without inflating anything (cheap, so the main process can refuse most bad files
 * without starting a worker): a zip of one disk, at most MAX_ENTRIES parts, each stored or deflated, not encrypted,
 * its bytes inside the file, the declared sizes together within MAX_UNZIPPED_BYTES, and an xl/workbook.xml.
 */
export function inspectXlsx(buf: Buffer): ZipEntry[] {
  if (buf.length === 0) refuse('empty');
  if (buf.length >= 4 && buf.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) refuse('xls');
  if (buf.length < 22 || buf.readUInt32LE(0) !== LOCAL) refuse('notXlsx');
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === END) {
      eocd = i;
      break;
    }
  }
  // A zip cut short (a download or a copy that stopped) has lost its directory, which sits at the end.
  if (eocd < 0) refuse('damaged');
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) refuse('zip64');
  // Split archives (disk numbers) are not workbooks.
  if (buf.readUInt16LE(eocd + 4) !== 0 || buf.readUInt16LE(eocd + 6) !== 0 || buf.readUInt16LE(eocd + 8) !== count) refuse('notXlsx');
  if (count > MAX_ENTRIES) refuse('tooManyEntries');
  if (cdOffset + cdSize > eocd) refuse('damaged');
  const entries: ZipEntry[] = [];
  const names = new Set<string>();
  let declared = 0;
  let hasWorkbook = false;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cdOffset + cdSize || buf.readUInt32LE(p) !== CENTRAL) refuse('damaged');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const next = p + 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    const localAt = buf.readUInt32LE(p + 42);
    if (next > cdOffset + cdSize) refuse('damaged');
    if (compressedSize === 0xffffffff || size === 0xffffffff || localAt === 0xffffffff) refuse('zip64');
    // Bit 0: encrypted; bit 6: strong encryption.
    if (flags & 0x41) refuse('encrypted');
    if (method !== STORED && method !== DEFLATED) refuse('method');
    if (method === STORED && compressedSize !== size) refuse('sizeMismatch');
    const name = buf.subarray(p + 46, p + 46 + nameLen);
    const key = name.toString('latin1');
    if (names.has(key)) refuse('damaged');
    names.add(key);
    if (key === 'xl/workbook.xml') hasWorkbook = true;
    if (localAt + 30 > cdOffset || buf.readUInt32LE(localAt) !== LOCAL) refuse('damaged');
    const dataStart = localAt + 30 + buf.readUInt16LE(localAt + 26) + buf.readUInt16LE(localAt + 28);
    if (dataStart + compressedSize > cdOffset) refuse('damaged');
    declared += size;
    if (declared > MAX_UNZIPPED_BYTES) refuse('tooBig');
    entries.push({ name, utf8: (flags & 0x800) !== 0, method, crc, compressedSize, size, dataStart });
    p = next;
  }
  if (!hasWorkbook) refuse('notXlsx');
  return entries;
}

/**
 * Inflates every part, each to at most the size its directory entry declares (so all together to at most
 * MAX_UNZIPPED_BYTES, whatever the compressed bytes hold), checks its actual size and CRC, and returns a new zip of
 * the parts stored uncompressed, for exceljs to read without inflating anything. `rewrite` may replace a checked
 * part's bytes (never making it larger) before it is stored; the stored size and CRC are those of what it returns.
 */
export function unpackXlsx(buf: Buffer, rewrite?: (name: string, part: Buffer) => Buffer): Buffer {
  const entries = inspectXlsx(buf);
  let total = 22;
  for (const e of entries) total += 30 + 46 + 2 * e.name.length + e.size;
  const out = Buffer.alloc(total);
  const central: { e: ZipEntry; at: number }[] = [];
  let at = 0;
  let inflated = 0;
  for (const e of entries) {
    const data = buf.subarray(e.dataStart, e.dataStart + e.compressedSize);
    let part: Buffer;
    if (e.method === STORED) part = data;
    else {
      try {
        // maxOutputLength must be at least 1: an empty part that inflates to a byte is then caught below.
        part = zlib.inflateRawSync(data, { maxOutputLength: Math.max(e.size, 1) });
      } catch (err) {
        throw new ApiError('VALIDATION', (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? ZIP_MESSAGES.sizeMismatch : ZIP_MESSAGES.damaged);
      }
    }
    inflated += part.length;
    if (part.length !== e.size) refuse('sizeMismatch');
    if (inflated > MAX_UNZIPPED_BYTES) refuse('tooBig');
    if (zlib.crc32(part) !== e.crc) refuse('damaged');
    let stored = e;
    if (rewrite) {
      const next = rewrite(e.name.toString('utf8'), part);
      if (next !== part) {
        if (next.length > part.length) throw new Error('unpackXlsx: a rewrite may not make a part larger');
        part = next;
        stored = { ...e, size: part.length, crc: zlib.crc32(part) };
      }
    }
    central.push({ e: stored, at });
    at = writeHeader(out, at, LOCAL, stored, 0);
    at += part.copy(out, at);
  }
  const cdOffset = at;
  for (const { e, at: localAt } of central) at = writeHeader(out, at, CENTRAL, e, localAt);
  out.writeUInt32LE(END, at);
  out.writeUInt16LE(0, at + 4);
  out.writeUInt16LE(0, at + 6);
  out.writeUInt16LE(entries.length, at + 8);
  out.writeUInt16LE(entries.length, at + 10);
  out.writeUInt32LE(at - cdOffset, at + 12);
  out.writeUInt32LE(cdOffset, at + 16);
  out.writeUInt16LE(0, at + 20);
  // A rewritten part may be shorter than declared: the zip ends at its end-of-directory record.
  return out.subarray(0, at + 22);
}

/** A local (30 bytes) or central (46 bytes) header of a stored part, then its name; returns where it ends. */
function writeHeader(out: Buffer, at: number, sig: number, e: ZipEntry, localAt: number): number {
  const central = sig === CENTRAL;
  out.writeUInt32LE(sig, at);
  let p = at + 4;
  if (central) {
    out.writeUInt16LE(20, p);
    p += 2;
  }
  out.writeUInt16LE(10, p); // version needed: stored
  out.writeUInt16LE(e.utf8 ? 0x800 : 0, p + 2);
  out.writeUInt16LE(STORED, p + 4);
  out.writeUInt16LE(0, p + 6); // time
  out.writeUInt16LE(0x21, p + 8); // date: 1980-01-01
  out.writeUInt32LE(e.crc, p + 10);
  out.writeUInt32LE(e.size, p + 14);
  out.writeUInt32LE(e.size, p + 18);
  out.writeUInt16LE(e.name.length, p + 22);
  out.writeUInt16LE(0, p + 24); // extra
  p += 26;
  if (central) {
    out.fill(0, p, p + 10); // comment length, disk, internal and external attributes
    out.writeUInt32LE(localAt, p + 10);
    p += 14;
  }
  return p + e.name.copy(out, p);
}
