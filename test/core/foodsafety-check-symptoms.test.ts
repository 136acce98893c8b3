import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * 晨检's symptoms "as the profile lists" (issue 17), by hand. Today is 2026-10-15. From October the region's profile
 * asks about 发热, 咳嗽, 腹泻 and 手部皮肤破损 only; September's (the default) asks all eight of the app's list. A check
 * is held to the list of its own day's month.
 */
const clock = new Date(Date.UTC(2026, 9, 15, 2, 0, 0));
let b: TestBackend;
let wang = '';

beforeAll(async () => {
  b = await setupBackend({ now: () => clock });
  const school = await b.call('school.get', {});
  expect(school.profile.morningCheckSymptoms).toEqual(['fever', 'cough', 'diarrhoea', 'vomiting', 'sore_throat', 'hand_wound', 'skin_disease', 'other']);
  await b.call('school.update', { name: school.name, profile: { ...school.profile, morningCheckSymptoms: ['fever', 'cough', 'diarrhoea', 'hand_wound'] }, effectiveFrom: '2026-10' });
  await b.loginAs('storekeeper');
  wang = (await b.call('staff.save', { name: '王师傅', post: '厨师', certNo: 'JK-001', certExpiry: '2027-03-01' })).id;
}, 60_000);
afterAll(() => b?.cleanup());

describe('the symptoms a 晨检 asks about come from the profile of its month', { timeout: 60_000 }, () => {
  it('the day says which; October’s four, September’s eight', async () => {
    expect((await b.call('checks.day', { date: '2026-10-15' })).symptoms).toEqual(['fever', 'cough', 'diarrhoea', 'hand_wound']);
    expect((await b.call('checks.day', { date: '2026-09-30' })).symptoms).toHaveLength(8);
  });

  it('a symptom the month does not ask about is refused in words, writing nothing; September still takes it', async () => {
    const before = tableDigest(b);
    expect(await b.reject('checks.record', { date: '2026-10-15', checks: [{ staffId: wang, symptoms: ['vomiting'], outcome: 'unfit', onDuty: false }] })).toMatchObject({
      code: 'RULE',
      message: '王师傅：“呕吐”不是本区域晨检的检查项目（发热、咳嗽、腹泻、手部皮肤破损）',
    });
    expect(tableDigest(b)).toBe(before);
    const [c] = await b.call('checks.record', { date: '2026-09-30', checks: [{ staffId: wang, symptoms: ['vomiting'], outcome: 'unfit', onDuty: false }] });
    expect([c.symptoms, c.outcome]).toEqual([['vomiting'], 'unfit']);
    const [d] = await b.call('checks.record', { date: '2026-10-15', checks: [{ staffId: wang, symptoms: ['cough'], outcome: 'unfit', onDuty: false }] });
    expect(d.symptoms).toEqual(['cough']);
  });

  it('the profile keeps at least one, each once', async () => {
    await b.loginAs('admin');
    const school = await b.call('school.get', {});
    const before = tableDigest(b);
    expect(await b.reject('school.update', { name: school.name, profile: { ...school.profile, morningCheckSymptoms: [] }, effectiveFrom: '2026-11' })).toMatchObject({ code: 'VALIDATION', message: '请至少保留一项晨检症状' });
    expect(await b.reject('school.update', { name: school.name, profile: { ...school.profile, morningCheckSymptoms: ['fever', 'fever'] }, effectiveFrom: '2026-11' })).toMatchObject({ code: 'VALIDATION', message: '晨检症状重复' });
    expect(tableDigest(b)).toBe(before);
  });
});
