import { describe, expect, it } from 'vitest';
import { emptyLine, lineFlow, lineProblem, parseRate, residueRejection, showsResidue, toDraft, type FormValues, type LineValues } from '../../renderer/src/pages/receiving/model.ts';

// The door form's 农残快检 (issue 17, renderer/src/pages/receiving/model.ts), pure functions; expected values by hand.
const A = '01900000-0000-7000-8000-000000000001';
const I1 = '01900000-0000-7000-8000-0000000000b1';
const cabbage = (over: Partial<LineValues> = {}): LineValues => ({ ...emptyLine(), ingredientId: I1, receivedMilli: 20_000, unitPriceFen: 240, ...over });
const form = (lines: LineValues[]): FormValues => ({
  date: '2026-09-15', arrivalTime: '', supplierId: A, noteNumber: 'SH1', inspectorIds: [A, A], witnessUserId: null, witnessName: '', remark: '', warningNote: '', lines,
});

describe('the quick test in the door form', () => {
  it('the rate as typed: "62.5" is 625 tenths, "50%" 500, "100" 1000; "100.1", "-3" and "6,5" are not rates', () => {
    expect([parseRate('62.5'), parseRate('50%'), parseRate('100'), parseRate(''), parseRate(' 0 ')]).toEqual([625, 500, 1000, null, 0]);
    for (const bad of ['100.1', '-3', '6,5', '62.55', 'abc']) expect(parseRate(bad)).toBeNaN();
  });

  it('Enter visits rate, tester and time after the price when the row shows the test; the card asks for its result', () => {
    const l = { ...cabbage(), detail: false };
    expect(lineFlow(l, [], true)).toEqual(['item', 'received', 'price', 'residue-rate', 'residue-tester', 'residue-time', 'rejected']);
    expect(lineFlow({ ...l, residueMethod: 'test_card' }, [], true)).toEqual(['item', 'received', 'price', 'residue-result', 'residue-tester', 'residue-time', 'rejected']);
    expect(lineFlow(l, [])).toEqual(['item', 'received', 'price', 'rejected']);
    expect(showsResidue(cabbage(), 'vegetable', ['vegetable'])).toBe(true);
    expect(showsResidue(cabbage(), 'grain', ['vegetable'])).toBe(false);
    expect(showsResidue(cabbage({ residueTester: '李' }), 'grain', [])).toBe(true);
  });

  it('a failed rate rejects the whole quantity for 农残快检不合格; corrected below 50 % it undoes only that', () => {
    const before = cabbage({ residueRate: '6' });
    const failed = residueRejection(before, { ...before, residueRate: '62' });
    expect(failed).toEqual({ rejectedMilli: 20_000, rejectReason: '农残快检不合格' });
    const after = { ...before, residueRate: '62', ...failed, disposition: 'destroyed' as const };
    expect(residueRejection(after, { ...after, residueRate: '12' })).toEqual({ rejectedMilli: null, rejectReason: '', disposition: null });
    // A reason typed by hand is kept and not undone.
    const own = cabbage({ rejectedMilli: 20_000, rejectReason: '烂叶', disposition: 'returned' });
    expect(residueRejection(own, { ...own, residueRate: '70' })).toEqual({ rejectedMilli: 20_000, rejectReason: '烂叶' });
    expect(residueRejection({ ...own, residueRate: '70' }, { ...own, residueRate: '7' })).toEqual({});
  });

  it('the draft carries the test; a half-typed test is said at the row', () => {
    const t = toDraft(form([cabbage({ residueRate: '62.5', residueTester: '李检测', residueTime: '07:40' })]), {});
    expect(t.draft?.lines[0].residueTest).toEqual({ method: 'enzyme_inhibition', inhibitionTenths: 625, result: null, tester: '李检测', testedTime: '07:40' });
    expect(toDraft(form([cabbage()]), {}).draft?.lines[0].residueTest).toBeNull();
    expect(lineProblem(cabbage({ residueRate: '62.5' }))).toBe('农残快检：请填写检测人');
    expect(lineProblem(cabbage({ residueRate: '62.5', residueTester: '李', residueTime: '7:40' }))).toBe('农残快检：检测时间格式应为 HH:MM，如 07:40');
    expect(lineProblem(cabbage({ residueMethod: 'test_card', residueTester: '李', residueTime: '07:40' }))).toBe('农残快检：请选择阴性或阳性');
  });
});
