import { describe, expect, it } from 'vitest';
import { emptyLine, findingsByFormLine, formatTenths, lineCerts, lineFlow, lineProblem, localAmountFen, parseTenths, toDraft, type FormValues } from '../../renderer/src/pages/receiving/model.ts';

// The kitchen-door form's translation to the API draft (renderer/src/pages/receiving/model.ts), pure functions.
const A = '01900000-0000-7000-8000-000000000001';
const I1 = '01900000-0000-7000-8000-0000000000b1';
const I2 = '01900000-0000-7000-8000-0000000000b2';

const form = (over: Partial<FormValues> = {}): FormValues => ({
  date: '2026-09-15',
  arrivalTime: '',
  supplierId: A,
  noteNumber: 'SH1',
  inspectorIds: [A, A],
  witnessUserId: null,
  witnessName: '',
  remark: '',
  warningNote: '',
  lines: [],
  ...over,
});

describe('temperatures in tenths of a degree', () => {
  it('parses digits without floating point and formats back', () => {
    expect(parseTenths('-18.5')).toBe(-185);
    expect(parseTenths('3')).toBe(30);
    expect(parseTenths(' 4.0℃ ')).toBe(40);
    expect(parseTenths('')).toBeNull();
    expect(parseTenths('3.25')).toBeNaN();
    expect(parseTenths('abc')).toBeNaN();
    expect(formatTenths(-185)).toBe('-18.5');
    expect(formatTenths(40)).toBe('4');
    expect(formatTenths(-5)).toBe('-0.5');
  });
});

describe('form → draft', () => {
  it('leaves out empty rows, splits received into accepted and rejected, and maps notes to draft line indices', () => {
    const lines = [
      { ...emptyLine(), ingredientId: I1, receivedMilli: 20_000, rejectedMilli: 2_000, rejectReason: '烂叶', disposition: 'destroyed' as const, unitPriceFen: 240 },
      emptyLine(),
      { ...emptyLine(), ingredientId: I2, receivedMilli: 100_000, unitPriceFen: 300, expiryDate: '2026-09-17', temperature: '4.5', certs: { animal_quarantine: ' ', meat_quality: 'RP1' } },
    ];
    const t = toDraft(form({ lines }), { 'near_expiry:2': '当天用完', 'price_high:1': '空行的说明不带过去', 'inspector_pair_repeat:': '轮换' });
    expect(t.problem).toBeNull();
    expect(t.formIndex).toEqual([0, 2]);
    expect(t.draft?.lines.map((l) => [l.receivedMilli, l.acceptedMilli, l.rejectedMilli, l.disposition])).toEqual([
      [20_000, 18_000, 2_000, 'destroyed'],
      [100_000, 100_000, 0, null],
    ]);
    expect(t.draft?.lines[1]).toMatchObject({ temperatureDc: 45, expiryDate: '2026-09-17', certs: { meat_quality: 'RP1' } });
    expect(t.draft?.warningNotes).toEqual([
      { code: 'near_expiry', lineIndex: 1, note: '当天用完' },
      { code: 'inspector_pair_repeat', lineIndex: null, note: '轮换' },
    ]);
    // the same inspector twice is sent once: the check then says two distinct ones are needed
    expect(t.draft?.inspectorIds).toEqual([A]);
  });

  it('names the first incomplete row instead of sending it', () => {
    expect(toDraft(form({ lines: [{ ...emptyLine(), ingredientId: I1, unitPriceFen: 100 }] }), {}).problem).toBe('第 1 行：请填写送货数量');
    expect(toDraft(form({ lines: [{ ...emptyLine(), ingredientId: I1, receivedMilli: 1000, unitPriceFen: 100, rejectedMilli: 2000 }] }), {}).problem).toBe('第 1 行：拒收数量不能超过送货数量');
    expect(toDraft(form({ lines: [{ ...emptyLine(), ingredientId: I1, receivedMilli: 1000, unitPriceFen: 100, temperature: '冷' }] }), {}).problem).toBe('第 1 行：温度应为数字，如 -18 或 3.5');
    expect(toDraft(form({ supplierId: null }), {}).problem).toBe('请选择供应商');
    expect(toDraft(form({ lines: [{ ...emptyLine(), receivedMilli: 1000 }] }), {}).problem).toBe('第 1 行：请选择品名');
  });

  it('maps findings of draft lines back to form rows', () => {
    const r = findingsByFormLine([{ level: 'error', code: 'x', lineIndex: 1, message: 'm' }, { level: 'warning', code: 'y', message: 'n' }], [0, 2]);
    expect([...r.lines.keys()]).toEqual([2]);
    expect(r.delivery.map((f) => f.code)).toEqual(['y']);
  });
});

describe('the grid’s Enter flow and the row’s own problems (issue 15)', () => {
  const chosen = { ...emptyLine(), ingredientId: I1, detail: false };
  it('visits item, quantity, price, rejected; reason and disposition when some is rejected; the detail when asked; the required certificates', () => {
    expect(lineFlow({ ...emptyLine(), detail: false }, [])).toEqual(['item']);
    expect(lineFlow(chosen, [])).toEqual(['item', 'received', 'price', 'rejected']);
    expect(lineFlow({ ...chosen, rejectedMilli: 2_000 }, [])).toEqual(['item', 'received', 'price', 'rejected', 'reject-reason', 'disposition']);
    expect(lineFlow({ ...chosen, detail: true }, ['meat_quality'])).toEqual(['item', 'received', 'price', 'rejected', 'production', 'batch', 'shelf', 'expiry', 'temp', 'printed', 'cert-meat_quality']);
    expect(lineFlow(chosen, lineCerts({ certs: { test_report: 'T1' } }, ['animal_quarantine', 'meat_quality']))).toEqual([
      'item', 'received', 'price', 'rejected', 'cert-animal_quarantine', 'cert-meat_quality', 'cert-test_report',
    ]);
  });
  it('a rejected quantity needs its reason and disposition at the row; the live check leaves an incomplete row out', () => {
    const rejected = { ...chosen, receivedMilli: 20_000, unitPriceFen: 240, rejectedMilli: 2_000 };
    expect(lineProblem(rejected)).toBe('有拒收数量时请填写拒收原因');
    expect(lineProblem({ ...rejected, rejectReason: '烂叶' })).toBe('有拒收数量时请选择处理方式（当场退回或销毁）');
    expect(lineProblem({ ...rejected, rejectReason: '烂叶', disposition: 'returned' })).toBeNull();
    const lines = [rejected, { ...emptyLine(), ingredientId: I2, receivedMilli: 1_000, unitPriceFen: 300 }];
    expect(toDraft(form({ lines }), {}).problem).toBe('第 1 行：有拒收数量时请填写拒收原因');
    const live = toDraft(form({ lines }), {}, { skipIncomplete: true });
    expect(live.problem).toBeNull();
    expect(live.formIndex).toEqual([1]);
    expect(live.draft?.lines.map((l) => l.ingredientId)).toEqual([I2]);
  });
  it('the row’s amount is the supplier’s printed one, else accepted × price rounded to the fen', () => {
    expect(localAmountFen({ ...chosen, receivedMilli: 18_500, unitPriceFen: 333 })).toBe(6_161); // 18.5 × 3.33 = 61.605 → 61.61
    expect(localAmountFen({ ...chosen, receivedMilli: 20_000, rejectedMilli: 2_000, unitPriceFen: 240, printedAmountFen: 4_400 })).toBe(4_400);
    expect(localAmountFen({ ...chosen, receivedMilli: 1_000, rejectedMilli: 2_000, unitPriceFen: 240 })).toBeNull();
  });
});
