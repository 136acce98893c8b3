import ExcelJS from 'exceljs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SurveyAnswer } from '../../shared/labels-menus.ts';
import { verifyLedger } from '../../electron/core/integrity/verify.ts';
import { PASSWORD, setupBackend, tableDigest, type TestBackend } from '../helpers/backend.ts';

/**
 * 满意度 typed by parents at 现场填写 (issue 17, migration 0029): a term's 40 paper forms and 3 forms typed at the kiosk,
 * combined per question and in the 满意率 — every figure worked out by hand below —, the kiosk login held to the kiosk's
 * methods, leaving by the opener's password, and the refusals (clear Chinese, nothing written).
 */
let now = new Date(Date.UTC(2026, 9, 15, 2, 0, 0)); // 2026-10-15 10:00 China time
let b: TestBackend;
const Q = ['饭菜口味', '饭菜份量', '食品卫生', '菜品种类', '价格', '服务态度'];
const s = 'satisfied' as const;
const f = 'fair' as const;
const d = 'dissatisfied' as const;
let sessionId = '';

beforeAll(async () => {
  b = await setupBackend({ now: () => now });
  await b.loginAs('reviewer');
  // The paper forms: 40 returned; 菜品种类 left blank on one.
  const paper: [number, number, number][] = [
    [30, 8, 2],
    [25, 10, 5],
    [35, 5, 0],
    [20, 15, 4],
    [18, 12, 10],
    [32, 6, 2],
  ];
  await b.call('surveys.record', { termName: '2026秋', date: '2026-10-14', forms: 40, results: Q.map((question, i) => ({ question, counts: { satisfied: paper[i][0], fair: paper[i][1], dissatisfied: paper[i][2] } })) });
}, 60_000);
afterAll(() => b?.cleanup());

describe('现场填写: parents type their forms on the shared PC', () => {
  it('the 食堂管理员 opens it for 2026秋: today, the profile\'s six questions, and the login is held to the kiosk', async () => {
    await b.loginAs('storekeeper');
    const k = await b.call('surveys.kioskOpen', { termName: '2026秋' });
    sessionId = k.id;
    expect(k).toEqual({ id: k.id, termName: '2026秋', date: '2026-10-15', questions: Q, openedByName: '张保管', openedAt: '2026-10-15T02:00:00.000Z' });
    expect((await b.call('auth.me', {}))?.kiosk).toBe(k.id);
    // Anything but the kiosk's own methods is refused to the kiosk's login, writing nothing — the ledger, the survey
    // results (earlier answers), logging out.
    const before = tableDigest(b);
    const held = '正在进行满意度现场填写：请开启人输入密码退出后再使用其他功能';
    for (const [m, input] of [
      ['surveys.terms', {}],
      ['surveys.list', {}],
      ['menus.list', { from: '2026-10-01', to: '2026-10-31' }],
      ['auth.logout', {}],
      ['auth.changePassword', { oldPassword: PASSWORD, newPassword: 'another-pass-456' }],
      ['surveys.kioskOpen', { termName: '2026秋' }],
    ] as const) {
      expect(await b.reject(m, input), m).toMatchObject({ code: 'FORBIDDEN', message: held });
    }
    expect(tableDigest(b)).toBe(before);
    // The kiosk's page reads the questions, never an answer.
    expect(await b.call('surveys.kiosk', {})).toEqual(k);
  });

  it('refuses a form with a question unanswered, an answer outside the three, a wrong number of answers or a long remark, writing nothing', async () => {
    const before = tableDigest(b);
    const all = (a: SurveyAnswer | null, i = -1) => Q.map((_, j) => (j === i ? a : s));
    expect(await b.reject('surveys.respond', { sessionId, answers: all(null, 1), remark: '' })).toMatchObject({ code: 'VALIDATION', message: '第 2 题“饭菜份量”还没有回答' });
    expect(await b.reject('surveys.respond', { sessionId, answers: [...all(s).slice(0, 5), 'good'], remark: '' })).toMatchObject({
      code: 'VALIDATION',
      message: '回答应为 满意、基本满意 或 不满意',
      issues: [{ path: 'answers.5' }],
    });
    expect(await b.reject('surveys.respond', { sessionId, answers: all(s).slice(0, 5), remark: '' })).toMatchObject({ code: 'VALIDATION', message: '问卷有 6 个问题，提交了 5 个回答' });
    expect(await b.reject('surveys.respond', { sessionId, answers: all(s), remark: '好'.repeat(201) })).toMatchObject({ code: 'VALIDATION', message: '意见和建议不能超过 200 个字' });
    expect(await b.reject('surveys.respond', { sessionId, answers: [], remark: '' })).toMatchObject({ code: 'VALIDATION', message: '请回答问卷' });
    expect(tableDigest(b)).toBe(before);
  });

  it('takes three parents\' forms, each its own anonymous row', async () => {
    await b.call('surveys.respond', { sessionId, answers: [s, s, f, d, f, s], remark: '希望多一些蔬菜' });
    now = new Date(now.getTime() + 60_000);
    await b.call('surveys.respond', { sessionId, answers: [f, d, s, s, d, s], remark: '' });
    now = new Date(now.getTime() + 60_000);
    await b.call('surveys.respond', { sessionId, answers: [s, f, s, f, d, d], remark: '  ' });
    const rows = b.db.prepare('SELECT * FROM survey_responses ORDER BY submitted_at').all() as Record<string, unknown>[];
    // No person in the row: the session, the day, the time, the answers and the remark.
    expect(Object.keys(rows[0]).sort()).toEqual(['answers', 'id', 'remark', 'response_date', 'session_id', 'submitted_at']);
    expect(rows.map((r) => [r.session_id, r.response_date, r.submitted_at, JSON.parse(r.answers as string), r.remark])).toEqual([
      [sessionId, '2026-10-15', '2026-10-15T02:00:00.000Z', [s, s, f, d, f, s], '希望多一些蔬菜'],
      [sessionId, '2026-10-15', '2026-10-15T02:01:00.000Z', [f, d, s, s, d, s], ''],
      [sessionId, '2026-10-15', '2026-10-15T02:02:00.000Z', [s, f, s, f, d, d], ''],
    ]);
    // The kiosk still shows the questions only.
    expect(Object.keys((await b.call('surveys.kiosk', {}))!).sort()).toEqual(['date', 'id', 'openedAt', 'openedByName', 'questions', 'termName']);
  });

  it('leaving takes the opener\'s password: a wrong one is refused (and counted as a failed login), the right one closes it', async () => {
    const r = await b.invoke('surveys.kioskClose', { id: sessionId, password: 'wrong-pass' });
    expect(r).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: '密码不正确：退出现场填写须输入开启人 张保管 的密码' } });
    expect(b.db.prepare(`SELECT outcome FROM login_attempts WHERE username = 'storekeeper' ORDER BY seq DESC LIMIT 1`).get()).toEqual({ outcome: 'fail' });
    expect(b.db.prepare('SELECT closed_at FROM survey_sessions WHERE id = ?').get(sessionId)).toEqual({ closed_at: null });
    expect(await b.reject('menus.list', { from: '2026-10-01', to: '2026-10-31' })).toMatchObject({ code: 'FORBIDDEN' });
    now = new Date(now.getTime() + 60_000);
    const closed = await b.call('surveys.kioskClose', { id: sessionId, password: PASSWORD });
    expect(closed).toMatchObject({ closedAt: '2026-10-15T02:03:00.000Z', closedByName: '张保管', responses: 3 });
    expect((await b.call('auth.me', {}))?.kiosk).toBeUndefined();
    // The login is the storekeeper's again.
    await b.call('menus.list', { from: '2026-10-01', to: '2026-10-31' });
  });

  it('a closed session refuses more forms, writing nothing', async () => {
    const before = tableDigest(b);
    expect(await b.reject('surveys.respond', { sessionId, answers: Q.map(() => s), remark: '' })).toMatchObject({ code: 'CONFLICT', message: '“2026秋”的现场填写已经结束，不能再提交问卷' });
    expect(await b.reject('surveys.kioskClose', { id: sessionId, password: PASSWORD })).toMatchObject({ code: 'CONFLICT', message: '“2026秋”的现场填写已经结束' });
    expect(tableDigest(b)).toBe(before);
  });

  it('the term\'s survey: 40 paper forms and 3 typed, each source and the sum, 满意率 worked by hand', async () => {
    const [t] = await b.call('surveys.terms', {});
    const c = (satisfied: number, fair: number, dissatisfied: number) => ({ satisfied, fair, dissatisfied });
    expect(t.results).toEqual([
      // paper + typed = combined
      { question: '饭菜口味', paper: c(30, 8, 2), typed: c(2, 1, 0), combined: c(32, 9, 2) },
      { question: '饭菜份量', paper: c(25, 10, 5), typed: c(1, 1, 1), combined: c(26, 11, 6) },
      { question: '食品卫生', paper: c(35, 5, 0), typed: c(2, 1, 0), combined: c(37, 6, 0) },
      { question: '菜品种类', paper: c(20, 15, 4), typed: c(1, 1, 1), combined: c(21, 16, 5) },
      { question: '价格', paper: c(18, 12, 10), typed: c(0, 1, 2), combined: c(18, 13, 12) },
      { question: '服务态度', paper: c(32, 6, 2), typed: c(2, 0, 1), combined: c(34, 6, 3) },
    ]);
    expect([t.termName, t.lastDate, t.paperForms, t.paperRecords, t.typedForms]).toEqual(['2026秋', '2026-10-15', 40, 1, 3]);
    // Paper: 216 of 239 answers 满意 or 基本满意 = 90.3766 % → 9038 bp; typed: 13 of 18 = 72.222 % → 7222;
    // together: 229 of 257 = 89.105 % → 8911.
    expect([t.paperBp, t.typedBp, t.satisfiedBp]).toEqual([9038, 7222, 8911]);
    expect(t.remarks).toEqual([{ date: '2026-10-15', text: '希望多一些蔬菜' }]);
    expect(t.sessions.map((x) => [x.date, x.openedByName, x.closedByName, x.responses])).toEqual([['2026-10-15', '张保管', '张保管', 3]]);
  });

  it('the 食品安全月报 reports the month\'s survey: paper and typed apart, and together (sheet read back by exceljs)', async () => {
    const r = await b.call('reports.foodSafetyMonth', { month: '2026-10' });
    expect(r.surveys).toEqual([{ termName: '2026秋', paperForms: 40, typedForms: 3, paperBp: 9038, typedBp: 7222, satisfiedBp: 8911 }]);
    expect((await b.call('reports.foodSafetyMonth', { month: '2026-09' })).surveys).toEqual([]);
    const { xlsxPath } = await b.call('reports.foodSafetyMonthExport', { month: '2026-10', dir: path.join(b.dir, 'out') });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsxPath);
    const ws = wb.getWorksheet('食品安全月报')!;
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const at = rows.findIndex((row) => row[0] === '七、满意度调查（纸质问卷与家长现场填写）');
    expect(rows.slice(at + 1)).toEqual([
      ['学期', '纸质问卷（满意率）', '现场填写（满意率）', '合计（份）', '合计满意率'],
      ['2026秋', '40 份（90.38%）', '3 份（72.22%）', 43, '89.11%'],
    ]);
  });

  it('the parent-committee member may open one too; a second while one is open is refused; next day the session takes no form', async () => {
    await b.loginAs('parent');
    const k = await b.call('surveys.kioskOpen', { termName: '2026秋' });
    expect(k.openedByName).toBe('周家长');
    // The window was closed with the kiosk on (its login goes with the window); the 审核人 logs in the next time.
    b.ctx.setSession(null);
    await b.loginAs('reviewer');
    const before = tableDigest(b);
    expect(await b.reject('surveys.kioskOpen', { termName: '2026秋' })).toMatchObject({ code: 'CONFLICT', message: '周家长 于 2026-10-15 开始的“2026秋”现场填写还没有结束：请先在满意度页面结束它' });
    expect(await b.reject('surveys.kioskOpen', { termName: '' })).toMatchObject({ code: 'VALIDATION', message: '请填写学期' });
    now = new Date(Date.UTC(2026, 9, 16, 1, 0, 0)); // 2026-10-16 09:00
    expect(await b.reject('surveys.respond', { sessionId: k.id, answers: Q.map(() => s), remark: '' })).toMatchObject({
      code: 'RULE',
      message: '这次现场填写是 2026-10-15 开始的，只在当天接受问卷：请结束它，重新开始现场填写',
    });
    expect(tableDigest(b)).toBe(before);
    // A session left open (the parent's app closed) is ended from the survey page by another who may open one, with their
    // own password.
    const closed = await b.call('surveys.kioskClose', { id: k.id, password: PASSWORD });
    expect([closed.closedByName, closed.responses]).toEqual(['赵校长', 0]);
  });

  it('SQL holds the rules again: forms are never changed or removed, nor added to a closed session or with a bad answer', () => {
    const db = b.db;
    const id = (db.prepare('SELECT id FROM survey_responses LIMIT 1').get() as { id: string }).id;
    expect(() => db.prepare(`UPDATE survey_responses SET remark = 'x' WHERE id = ?`).run(id)).toThrow('家长提交的问卷不能修改');
    expect(() => db.prepare('DELETE FROM survey_responses WHERE id = ?').run(id)).toThrow('家长提交的问卷不能删除');
    expect(() => db.prepare('DELETE FROM survey_sessions WHERE id = ?').run(sessionId)).toThrow('现场填写记录不能删除');
    expect(() => db.prepare(`UPDATE survey_sessions SET closed_at = NULL, closed_by = NULL WHERE id = ?`).run(sessionId)).toThrow('现场填写已结束，不能修改');
    const ins = (session: string, answers: string) => () =>
      db.prepare(`INSERT INTO survey_responses (id, session_id, response_date, answers, remark, submitted_at) VALUES ('y', ?, '2026-10-15', ?, '', 'now')`).run(session, answers);
    expect(ins(sessionId, JSON.stringify(Q.map(() => s)))).toThrow('现场填写已结束，不能再提交问卷');
    const user = (db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
    db.prepare(`INSERT INTO survey_sessions (id, origin, term_name, session_date, questions, opened_at, opened_by) VALUES ('open', 'o', '2026秋', '2026-10-15', ?, 'now', ?)`).run(JSON.stringify(Q), user);
    expect(ins('open', JSON.stringify([s, s, s, s, s, 'good']))).toThrow('回答应为 满意、基本满意 或 不满意');
    expect(ins('open', JSON.stringify([s, s]))).toThrow('回答的题数与问卷的问题数不符');
    expect(() => db.prepare(`INSERT INTO survey_sessions (id, origin, term_name, session_date, questions, opened_at, opened_by) VALUES ('open2', 'o', '2026秋', '2026-10-15', ?, 'now', ?)`).run(JSON.stringify(Q), user)).toThrow(/UNIQUE/);
    db.prepare(`UPDATE survey_sessions SET closed_at = 'now', closed_by = ? WHERE id = 'open'`).run(user);
  });

  it('verify covers the two tables (the scratch session above is not in the chain, so it is named)', () => {
    const r = verifyLedger(b.db);
    expect(r.problems).toEqual([{ kind: 'tamper', table: 'survey_sessions', id: 'open', message: '满意度现场填写表中的记录 open 没有对应的审计记录（疑似被直接插入）' }]);
    expect(r.coveredTables.survey_responses).toBe(3);
  });
  it('the month lock: a kiosk is not opened in a closed month, and SQL refuses a form dated in one', async () => {
    const admin = (b.db.prepare(`SELECT id FROM users WHERE username = 'admin'`).get() as { id: string }).id;
    b.db.prepare('INSERT INTO closed_periods (period, closed_at, closed_by) VALUES (?, ?, ?)').run('2026-10', '2026-10-16T01:00:00Z', admin);
    {
      const before = tableDigest(b);
      const e = await b.reject('surveys.kioskOpen', { termName: '2026秋' });
      expect(e.code).toBe('LOCKED');
      expect(e.message).toMatch(/^2026年10月已月结锁定/);
      expect(tableDigest(b)).toBe(before);
      expect(() => b.db.prepare(`INSERT INTO survey_responses (id, session_id, response_date, answers, remark, submitted_at) VALUES ('x', ?, '2026-10-15', '[]', '', 'now')`).run(sessionId)).toThrow('该月份已月结锁定，不能再记账');
    }
  });

});
