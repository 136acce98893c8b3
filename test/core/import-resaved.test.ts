import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertWithSoffice, findSoffice } from '../../electron/core/disclosure/soffice.ts';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * Issue 14 §6: our import template (its header cells carry notes, 批注) re-saved by another program must import.
 * - LibreOffice keeps the notes where Excel and exceljs put them (xl/comments1.xml behind "../comments1.xml"): it
 *   imported before this fix too.
 * - openpyxl (and what is built on it) writes them as xl/comments/comment1.xml and xl/drawings/commentsDrawing1.vml
 *   behind absolute targets ("/xl/comments/comment1.xml"): exceljs threw "Cannot read properties of undefined (reading
 *   'comments')" and the import said the file could not be read. The layout is rebuilt here from our template part by
 *   part as openpyxl 3.0.9 writes it (checked against a file it saved), so the test needs no Python; where Debian's
 *   python3-openpyxl is installed, the real re-save is imported as well.
 * Checked: on the code before the fix the openpyxl-layout tests fail with VALIDATION '无法读取该 .xlsx 文件…'.
 */

const CT_COMMENTS = 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml';

/** Our template with its notes moved to where openpyxl puts them (same bytes, other names and targets). */
async function openpyxlLayout(templateBase64: string): Promise<string> {
  const zip = await JSZip.loadAsync(Buffer.from(templateBase64, 'base64'));
  const comments = await zip.file('xl/comments1.xml')!.async('nodebuffer');
  const vml = zip.file(/^xl\/drawings\/vmlDrawing1\.vml$/)[0];
  expect(vml, 'the template carries its notes as a VML drawing').toBeTruthy();
  zip.remove('xl/comments1.xml');
  zip.file('xl/comments/comment1.xml', comments);
  zip.remove(vml.name);
  zip.file('xl/drawings/commentsDrawing1.vml', await vml.async('nodebuffer'));
  zip.file(
    'xl/worksheets/_rels/sheet1.xml.rels',
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="/xl/comments/comment1.xml" Id="comments"/>' +
      '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/vmlDrawing" Target="/xl/drawings/commentsDrawing1.vml" Id="anysvml"/>' +
      '</Relationships>',
  );
  const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
  zip.file('xl/worksheets/sheet1.xml', sheet.replace(/<legacyDrawing r:id="[^"]*"\/>/, '<legacyDrawing r:id="anysvml"/>'));
  const types = await zip.file('[Content_Types].xml')!.async('string');
  zip.file('[Content_Types].xml', types.replace('/xl/comments1.xml', '/xl/comments/comment1.xml'));
  expect(types).toContain(CT_COMMENTS);
  return (await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })).toString('base64');
}

const SYSTEM_PYTHON = '/usr/bin/python3';
const hasOpenpyxl = (() => {
  try {
    execFileSync(SYSTEM_PYTHON, ['-c', 'import openpyxl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let b: TestBackend;
const templates: Record<'suppliers' | 'ingredients', string> = { suppliers: '', ingredients: '' };
beforeAll(async () => {
  b = await setupBackend();
  await b.loginAs('storekeeper');
  for (const kind of ['suppliers', 'ingredients'] as const) templates[kind] = (await b.call('import.template', { kind })).fileBase64;
});
afterAll(() => b.cleanup());

/** The template's example row, as each kind's preview should read it (written out from the template by hand). */
const EXAMPLE = {
  suppliers: { name: '杭州绿源农产品配送有限公司', contactPerson: '吴国平', phone: '0571-87352016', licences: [{ kind: 'food_business', number: 'JY13301060031452', expiresOn: '2028-06-30' }] },
  ingredients: { name: '猪前腿肉', category: 'meat', unit: '千克', refPriceFen: 2_800, requiredCerts: ['animal_quarantine', 'meat_quality'] },
};

async function previewsAndImports(kind: 'suppliers' | 'ingredients', fileBase64: string) {
  const p = await b.call('import.preview', { kind, fileBase64 });
  expect(p.fileErrors).toEqual([]);
  expect(p.rows.map((r) => [r.row, r.errors])).toEqual([[2, []]]);
  expect(p.rows[0].input).toMatchObject(EXAMPLE[kind]);
  return p;
}

describe('the import template re-saved by another program', { timeout: 120_000 }, () => {
  it('in openpyxl’s layout (notes under xl/comments/, absolute targets): previews and imports, suppliers and ingredients', async () => {
    const suppliers = await openpyxlLayout(templates.suppliers);
    await previewsAndImports('suppliers', suppliers);
    const r = await b.call('import.commit', { kind: 'suppliers', fileBase64: suppliers });
    expect(r.created).toBe(1);
    await previewsAndImports('ingredients', await openpyxlLayout(templates.ingredients));
  });

  it('a file that is not a workbook is still refused, and writes nothing', async () => {
    const before = tableDigest(b);
    const e = await b.reject('import.preview', { kind: 'suppliers', fileBase64: Buffer.from('not a zip at all').toString('base64') });
    expect(e.code).toBe('VALIDATION');
    expect(tableDigest(b)).toBe(before);
  });

  it('by LibreOffice (soffice --convert-to xlsx): previews', async () => {
    expect(findSoffice(), 'LibreOffice (libreoffice-calc-nogui) must be installed').not.toBeNull();
    const src = path.join(b.dir, 'template-ingredients.xlsx');
    fs.writeFileSync(src, Buffer.from(templates.ingredients, 'base64'));
    const [out] = await convertWithSoffice(src, 'xlsx', path.join(b.dir, 'lo'));
    await previewsAndImports('ingredients', fs.readFileSync(out).toString('base64'));
  });

  it.skipIf(!hasOpenpyxl)('by openpyxl itself (Debian python3-openpyxl, where installed): previews', async () => {
    // Ingredients: the supplier of the template's example row was imported above.
    const src = path.join(b.dir, 'template-ingredients-py.xlsx');
    const out = path.join(b.dir, 'openpyxl-ingredients.xlsx');
    fs.writeFileSync(src, Buffer.from(templates.ingredients, 'base64'));
    execFileSync(SYSTEM_PYTHON, ['-c', 'import openpyxl, sys; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])', src, out]);
    await previewsAndImports('ingredients', fs.readFileSync(out).toString('base64'));
  });
});
