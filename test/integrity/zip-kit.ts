import zlib from 'node:zlib';

/**
 * Hand-made zips for the hostile-file tests: a minimal .xlsx (the five parts Excel needs) written part by part, so a
 * test can make the directory lie about a part's size, add thousands of parts or cut the file short. No binary
 * fixtures: every bomb is built here, in a few milliseconds.
 */
export interface Part {
  name: string;
  /** Deflated bytes (raw deflate) as they go into the file. */
  compressed: Buffer;
  /** The actual inflated size and CRC. */
  size: number;
  crc: number;
  /** What the directory (and the local header) say the inflated size is; the actual size unless a test lies. */
  declaredSize?: number;
  /** The compression method the headers name (8, deflate, unless a test says otherwise). */
  method?: number;
}

export function deflated(name: string, content: string | Buffer): Part {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, compressed: zlib.deflateRawSync(data), size: data.length, crc: zlib.crc32(data) };
}

/**
 * A part that inflates to `head`, then `megabytes` MB of spaces, then `tail`, built without ever holding the spaces:
 * one MB of spaces deflated once with a sync flush (a byte-aligned, non-final block that refers to nothing before
 * it) is repeated, then a final empty block. Deflate packs spaces about 1000:1, so 300 MB is about 300 KB.
 */
export function spaceBomb(name: string, head: string, megabytes: number, tail: string): Part {
  const mb = Buffer.alloc(1024 * 1024, 0x20);
  const flush = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const h = Buffer.from(head, 'utf8');
  const t = Buffer.from(tail, 'utf8');
  const block = zlib.deflateRawSync(mb, flush);
  const pieces = [zlib.deflateRawSync(h, flush)];
  let crc = zlib.crc32(h);
  for (let i = 0; i < megabytes; i++) {
    pieces.push(block);
    crc = zlib.crc32(mb, crc);
  }
  pieces.push(zlib.deflateRawSync(t));
  crc = zlib.crc32(t, crc);
  return { name, compressed: Buffer.concat(pieces), size: h.length + megabytes * mb.length + t.length, crc };
}

/** A zip of the parts, deflated, the directory saying `declaredSize ?? size` for each. */
export function zip(parts: Part[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8');
    const header = (central: boolean) => {
      const b = Buffer.alloc(central ? 46 : 30);
      let at = 0;
      b.writeUInt32LE(central ? 0x02014b50 : 0x04034b50, at);
      at += 4;
      if (central) {
        b.writeUInt16LE(20, at);
        at += 2;
      }
      b.writeUInt16LE(20, at);
      b.writeUInt16LE(0x800, at + 2);
      b.writeUInt16LE(p.method ?? 8, at + 4);
      b.writeUInt16LE(0, at + 6);
      b.writeUInt16LE(0x21, at + 8);
      b.writeUInt32LE(p.crc, at + 10);
      b.writeUInt32LE(p.compressed.length, at + 14);
      b.writeUInt32LE(p.declaredSize ?? p.size, at + 18);
      b.writeUInt16LE(name.length, at + 22);
      if (central) b.writeUInt32LE(offset, 42);
      return b;
    };
    locals.push(header(false), name, p.compressed);
    centrals.push(header(true), name);
    offset += 30 + name.length + p.compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const SHEET_TAIL = '</sheetData></worksheet>';

/** One row of inline-string cells, as sheet XML. */
export function rowXml(r: number, cells: string[]): string {
  const col = (i: number) => String.fromCharCode(65 + i);
  return `<row r="${r}">${cells.map((c, i) => `<c r="${col(i)}${r}" t="inlineStr"><is><t>${c}</t></is></c>`).join('')}</row>`;
}

/** The parts of a one-sheet workbook around the given sheet part (named xl/worksheets/sheet1.xml). */
export function workbookParts(sheet: Part): Part[] {
  return [
    deflated(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    ),
    deflated(
      '_rels/.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    deflated(
      'xl/workbook.xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    deflated(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    sheet,
  ];
}

/** A whole .xlsx with the given rows on its one sheet. */
export function xlsxOf(rows: string[][]): Buffer {
  return zip(workbookParts(deflated('xl/worksheets/sheet1.xml', SHEET_HEAD + rows.map((r, i) => rowXml(i + 1, r)).join('') + SHEET_TAIL)));
}

const SHEET = 'xl/worksheets/sheet1.xml';
const HEADER_ROW = ['品名', '类别', '单位'];

/**
 * The hostile workbooks of issue 20, each a file a storekeeper or a cashier could pick:
 * - lyingBomb: the sheet inflates to 300 MB of spaces (311 KB in the file), its directory entry says 5,000 bytes;
 * - honestBomb: the same, its directory saying 300 MB;
 * - manyParts: a good workbook with 5,000 more parts;
 * - truncated: a good workbook cut after 60% of its bytes (a copy that stopped);
 * - garbled: the sheet's compressed bytes start with a reserved block type;
 * - badCrc: the sheet intact but its CRC in the directory wrong;
 * - sizeMismatch: the sheet intact but its directory saying 1,000 bytes more than it holds;
 * - oddMethod: the sheet's headers naming compression method 12 (bzip2), which no .xlsx uses.
 */
export function hostileWorkbooks(): Record<string, Buffer> {
  const sheet = () => deflated(SHEET, SHEET_HEAD + rowXml(1, HEADER_ROW) + rowXml(2, ['白菜', '蔬菜水果', '千克']) + SHEET_TAIL);
  const good = zip(workbookParts(sheet()));
  const bomb = () => spaceBomb(SHEET, SHEET_HEAD + rowXml(1, HEADER_ROW), 300, SHEET_TAIL);
  const garbled = sheet();
  garbled.compressed = Buffer.from(garbled.compressed);
  garbled.compressed[0] = 0xff;
  return {
    lyingBomb: zip(workbookParts({ ...bomb(), declaredSize: 5000 })),
    honestBomb: zip(workbookParts(bomb())),
    manyParts: zip([...workbookParts(sheet()), ...Array.from({ length: 5000 }, (_, i) => deflated(`xl/media/image${i}.png`, 'x'))]),
    truncated: good.subarray(0, Math.floor(good.length * 0.6)),
    garbled: zip(workbookParts(garbled)),
    badCrc: zip(workbookParts({ ...sheet(), crc: (sheet().crc ^ 1) >>> 0 })),
    sizeMismatch: zip(workbookParts({ ...sheet(), declaredSize: sheet().size + 1000 })),
    oddMethod: zip(workbookParts({ ...sheet(), method: 12 })),
  };
}
