import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';
import { creditCode } from '../integrity/fixture.ts';
import { feeSchool, type FeeSchool } from './fees-fixture.ts';

/**
 * Issue 20 item 10: names that look alike but differ by an invisible character (zero-width, bidi controls), or by
 * Unicode composition, were stored beside the originals; a newline was allowed in a name. Every text field of the
 * contract now keeps one spelling (NFC, invisible characters removed) and refuses control characters.
 */
let b: TestBackend;
beforeEach(async () => {
  b = await setupBackend();
});
afterEach(() => b.cleanup());

const ingredient = (name: string) => ({ name, category: 'vegetable' as const, unit: 'kg' });
const supplier = (name: string, i: number) => ({
  name,
  creditCode: creditCode(`9111000010000000${i}`),
  address: '城南路 1 号',
  contactPerson: '王经理',
  phone: '13800000000',
});

describe('look-alike names are the same name', () => {
  it('an ingredient spelled with a zero-width space, joiner, BOM or word joiner is a duplicate of 白菜', async () => {
    await b.call('ingredients.create', ingredient('白菜'));
    const before = tableDigest(b);
    for (const name of ['白\u200b菜', '白\u200d菜', '\ufeff白菜', '白菜\u2060', '白\u200e菜', '\u2066白菜\u2069']) {
      expect(await b.reject('ingredients.create', ingredient(name))).toEqual({ code: 'CONFLICT', message: '已有食材“白菜”' });
    }
    expect(tableDigest(b)).toBe(before);
  });

  it('a name is stored without its invisible characters, and its pinyin keys come from what is stored', async () => {
    const made = await b.call('ingredients.create', ingredient('\u202e土\u200b豆'));
    expect(made.name).toBe('土豆');
    expect(b.db.prepare('SELECT name, py_initials, py_full FROM ingredients WHERE id = ?').get(made.id)).toEqual({ name: '土豆', py_initials: 'td', py_full: 'tudou' });
    // Found by its initials and by the name typed with a zero-width space.
    expect((await b.call('ingredients.search', { q: 'td' })).map((i) => i.name)).toEqual(['土豆']);
    expect((await b.call('ingredients.search', { q: '土\u200b豆' })).map((i) => i.name)).toEqual(['土豆']);
  });

  it('decomposed (NFD) Café is the composed Café', async () => {
    const nfc = 'Caf\u00e9';
    const nfd = 'Cafe\u0301';
    const s = await b.call('suppliers.create', supplier(`${nfc}食品`, 1));
    expect(s.name).toBe(`${nfc}食品`);
    const before = tableDigest(b);
    expect(await b.reject('suppliers.create', supplier(`${nfd}食品`, 2))).toEqual({ code: 'CONFLICT', message: `已有名为“${nfc}食品”的供应商` });
    expect(tableDigest(b)).toBe(before);
    const made = await b.call('ingredients.create', ingredient(nfd));
    expect(made.name).toBe(nfc);
    expect(made.name.length).toBe(4);
  });

  it('a user’s display name and a school name are kept without invisible characters', async () => {
    const u = await b.call('users.create', { username: 'newbie', displayName: '王\u200b老师', roles: ['parent'], password: 'abcd-1234' });
    expect(u.displayName).toBe('王老师');
    const school = await b.call('school.get', {});
    const updated = await b.call('school.update', { name: '\u202a阳光实验小学\u202c', profile: school.profile });
    expect(updated.name).toBe('阳光实验小学');
  });
});

describe('control characters', () => {
  it('a name with a newline, tab, or another control character is refused in Chinese and writes nothing', async () => {
    const before = tableDigest(b);
    for (const name of ['白\n菜', '白\r菜', '白\t菜', '白\u0000菜', '白\u007f菜', '白\u0085菜', '白\u2028菜']) {
      expect(await b.reject('ingredients.create', ingredient(name))).toEqual({
        code: 'VALIDATION',
        message: '品名不能包含换行或控制字符',
        issues: [{ path: 'name', message: '品名不能包含换行或控制字符' }],
      });
    }
    expect(await b.reject('suppliers.create', supplier('城南\n粮油', 3))).toMatchObject({ code: 'VALIDATION', message: '供应商名称不能包含换行或控制字符' });
    expect(await b.reject('users.create', { username: 'newbie', displayName: '王\n老师', roles: ['parent'], password: 'abcd-1234' })).toMatchObject({
      code: 'VALIDATION',
      message: '姓名不能包含换行或控制字符',
    });
    // Only invisible characters: nothing is left of the name.
    expect(await b.reject('ingredients.create', ingredient('\u200b\u200d'))).toMatchObject({ code: 'VALIDATION', message: '请填写品名' });
    expect(tableDigest(b)).toBe(before);
  });
});

describe('pupils and classes, and a reason of several lines', () => {
  let s: FeeSchool;
  beforeEach(async () => {
    s = await feeSchool();
    await s.b.loginAs('admin');
  });
  afterEach(() => s.b.cleanup());

  it('a roster row with invisible characters in the pupil’s or class name is the same pupil and class', async () => {
    const row = { studentNo: '2026001', name: '王\u200b小明', className: '一(1)\u200d班', mealPlan: 'lunch' as const, subsidyEligible: true };
    expect(await s.b.call('students.importCommit', { rows: [row] })).toEqual({ created: 0, updated: 0, unchanged: 1 });
    const before = tableDigest(s.b);
    expect(await s.b.reject('students.importCommit', { rows: [{ ...row, className: '一(1)班\n' + '二' }] })).toMatchObject({ code: 'VALIDATION', message: '班级不能包含换行或控制字符' });
    expect(tableDigest(s.b)).toBe(before);
  });

  it('a reason keeps its line breaks (CR LF made LF) but refuses other control characters', async () => {
    await s.b.loginAs('cashier');
    const [receipt] = await s.b.call('fees.collect', { period: '2026-09', method: 'cash', items: [{ studentId: s.students['王小明'].id }] });
    const before = tableDigest(s.b);
    expect(await s.b.reject('receipts.void', { id: receipt.id, reason: '家长要求\t重开' })).toMatchObject({ code: 'VALIDATION', message: '作废理由不能包含控制字符' });
    expect(tableDigest(s.b)).toBe(before);
    const voided = await s.b.call('receipts.void', { id: receipt.id, reason: '家长要求\r\n按两餐重开\u200b' });
    expect(voided.voidReason).toBe('家长要求\n按两餐重开');
  });
});
