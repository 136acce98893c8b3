import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertKind } from '../../shared/domain.ts';
import { septemberSchool, type SeptSchool } from './monthclose-fixture.ts';

/**
 * Issue 14 §6: the 供应商及资质 sheet's 随货证明（份） counts the certificates that came with the month's accepted
 * lines — one per line and kind of certificate, whether its number was typed or a scan of it attached to the line, or
 * both (once). September of monthclose-fixture.ts, by hand: 城东农产品配送有限公司's D2 line 1 (猪肉) carries two typed numbers
 * (动物检疫合格证明 DQ-350102-0001, 肉品品质检验合格证明 RP-0001) = 2. Added here before the close:
 *   - a scan of 猪肉's 动物检疫合格证明 (already typed: still 2),
 *   - a scan of a 检验报告 for D2 line 2 (牛奶, no number typed: 3),
 *   - a scan of D1's delivery note (送货单) and a photo of D1 line 1 (大米): not certificates, still 3.
 * 随货证明 = 3. On the code before, scans were never counted (the comment claimed they were): 2.
 */

const M = '2026-09';
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('随货证明 counts typed certificates and certificate scans, each once', { timeout: 240_000 }, () => {
  let s: SeptSchool;
  let rows: unknown[][];
  beforeAll(async () => {
    s = await septemberSchool();
    const b = s.w.b;
    await b.loginAs('storekeeper');
    const scan = (deliveryId: string, lineNo: number | null, kind: 'certificate' | 'delivery_note' | 'photo', certKind: CertKind | null, fileName: string) =>
      b.call('receiving.attach', { deliveryId, lineNo, certKind, kind, fileName, mime: 'image/png', dataBase64: PNG });
    await scan(s.d2.id, 1, 'certificate', 'animal_quarantine', '猪肉检疫证明.png');
    await scan(s.d2.id, 2, 'certificate', 'test_report', '牛奶检验报告.png');
    await scan(s.d1.id, null, 'delivery_note', null, '送货单.png');
    await scan(s.d1.id, 1, 'photo', null, '大米.png');
    await b.loginAs('accountant');
    await b.call('monthclose.submit', { month: M });
    await b.loginAs('reviewer');
    await b.call('monthclose.approve', { month: M });
    await b.loginAs('accountant');
    const ex = await b.call('monthclose.export', { month: M, dir: path.join(b.dir, 'out'), pdf: false });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(ex.xlsxPath);
    rows = [];
    wb.getWorksheet('供应商及资质')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
  });
  afterAll(() => s.w.b.cleanup());

  it('the supplier’s row and the total read 3', () => {
    const header = rows.find((r) => r[0] === '供应商')!;
    const col = header.indexOf('随货证明（份）');
    expect(col).toBe(6);
    const supplier = rows.find((r) => r[0] === '城东农产品配送有限公司')!;
    // 2 deliveries, 67.00 + 86.00 = 153.00, 3 certificates
    expect([supplier[4], supplier[5], supplier[col]]).toEqual([2, 153, 3]);
    expect(rows.find((r) => r[0] === '合计')![col]).toBe(3);
  });
});
