import type { KioskView, SurveySessionView, TermSurveyView } from '../../../../shared/api/menus.ts';
import { chinaDate } from '../../../../shared/calendar.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { SURVEY_ANSWERS, type SurveyAnswer } from '../../../../shared/labels-menus.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { RefusedAfterWrite } from '../../handlers.ts';
import { audit } from '../../ledger/audit.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertPeriodOpen } from '../../ledger/period-lock.ts';
import { profileFor } from '../../ledger/profile.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';
import { assertMayTryLogin, recordLoginFailure, resetLoginFailures } from '../people/login-guard.ts';
import { verifyPassword } from '../people/passwords.ts';

/**
 * 现场填写 (issue 17; migration 0029; docs/DOMAIN-RULES.md "满意度 and 投诉"): parents type their own survey forms on the
 * shared PC. Rules, decided:
 * - A staff member who records surveys (admin, 食堂管理员, 审核人) or the parent-committee member opens a session for a
 *   term (its 学期 name) on today; its questions are the profile's in force today, kept as asked. One session at a time.
 * - The login that opened it is in kiosk mode (Session.kiosk): the dispatcher lets through the kiosk's methods only
 *   (KIOSK_MODE_METHODS), so the page, a reload or a typed call reach nothing else. Closing takes the caller's password,
 *   through the login guard (a wrong one counts as a failed login and backs off the same way); in kiosk mode the caller
 *   is the opener. A session left open (the app closed) is closed from the survey page by any who may open one.
 * - A form is its own row: anonymous (no person; the day, the time and the session), every question answered with
 *   满意/基本满意/不满意, a remark of at most 200 characters. Only on the session's day, only while it is open, never
 *   changed. The month lock covers the day (a session is opened and answered only today).
 * - A term's survey combines its paper records (surveys.record, confirmed) and its typed forms, per question by the
 *   question's text: each source and the sum shown apart; 满意率 is (满意 + 基本满意) ÷ all answers, half up to the bp.
 */

interface SessionRow {
  id: string;
  term_name: string;
  session_date: string;
  questions: string;
  opened_at: string;
  opened_by: string;
  opened_by_name: string;
  closed_at: string | null;
  closed_by_name: string | null;
  responses: number;
}

const SESSION_SELECT = `SELECT s.id, s.term_name, s.session_date, s.questions, s.opened_at, s.opened_by, u.display_name AS opened_by_name, s.closed_at,
  c.display_name AS closed_by_name, (SELECT count(*) FROM survey_responses r WHERE r.session_id = s.id) AS responses
  FROM survey_sessions s JOIN users u ON u.id = s.opened_by LEFT JOIN users c ON c.id = s.closed_by`;

const kioskView = (r: SessionRow): KioskView => ({
  id: r.id,
  termName: r.term_name,
  date: r.session_date,
  questions: JSON.parse(r.questions) as string[],
  openedByName: r.opened_by_name,
  openedAt: r.opened_at,
});

const sessionView = (r: SessionRow): SurveySessionView => ({ ...kioskView(r), closedAt: r.closed_at, closedByName: r.closed_by_name, responses: r.responses });

function sessionRow(ctx: Ctx, id: string): SessionRow {
  const r = ctx.db.prepare(`${SESSION_SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该现场填写');
  return r;
}

const today = (ctx: Ctx) => chinaDate(ctx.now());

export function openKiosk(ctx: Ctx, v: { termName: string }): KioskView {
  const user = currentUser(ctx);
  const day = today(ctx);
  assertPeriodOpen(ctx, day);
  const open = ctx.db.prepare(`${SESSION_SELECT} WHERE s.closed_at IS NULL`).get() as SessionRow | undefined;
  if (open) throw new ApiError('CONFLICT', `${open.opened_by_name} 于 ${open.session_date} 开始的“${open.term_name}”现场填写还没有结束：请先在满意度页面结束它`);
  const questions = profileFor(ctx, day).surveyQuestions;
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare('INSERT INTO survey_sessions (id, origin, term_name, session_date, questions, opened_at, opened_by) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(id, ctx.installationId, v.termName, day, JSON.stringify(questions), ctx.now().toISOString(), user.userId);
  audit(ctx, 'create', 'survey_sessions', id, null, withRows({ termName: v.termName, date: day }, groupRows(ctx, 'survey_sessions', 'id', id)));
  ctx.setSession({ ...user, kiosk: id });
  return kioskView(sessionRow(ctx, id));
}

/** The session this login is in, or null: questions only, never an answer. */
export function currentKiosk(ctx: Ctx): KioskView | null {
  const id = currentUser(ctx).kiosk;
  if (!id) return null;
  return kioskView(sessionRow(ctx, id));
}

export function respond(ctx: Ctx, v: { sessionId: string; answers: (SurveyAnswer | null)[]; remark: string }): null {
  const s = sessionRow(ctx, v.sessionId);
  if (s.closed_at) throw new ApiError('CONFLICT', `“${s.term_name}”的现场填写已经结束，不能再提交问卷`);
  const day = today(ctx);
  if (day !== s.session_date) throw new ApiError('RULE', `这次现场填写是 ${s.session_date} 开始的，只在当天接受问卷：请结束它，重新开始现场填写`);
  const questions = JSON.parse(s.questions) as string[];
  if (v.answers.length !== questions.length) throw new ApiError('VALIDATION', `问卷有 ${questions.length} 个问题，提交了 ${v.answers.length} 个回答`);
  const missing = v.answers.findIndex((a) => a === null);
  if (missing >= 0) throw new ApiError('VALIDATION', `第 ${missing + 1} 题“${questions[missing]}”还没有回答`);
  assertPeriodOpen(ctx, day);
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare('INSERT INTO survey_responses (id, session_id, response_date, answers, remark, submitted_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(id, s.id, day, JSON.stringify(v.answers), v.remark, ctx.now().toISOString());
  audit(ctx, 'create', 'survey_responses', id, null, withRows({ termName: s.term_name }, groupRows(ctx, 'survey_responses', 'id', id)));
  return null;
}

export function closeKiosk(ctx: Ctx, v: { id: string; password: string }): SurveySessionView {
  const user = currentUser(ctx);
  const s = sessionRow(ctx, v.id);
  if (user.kiosk && user.kiosk !== s.id) throw new ApiError('FORBIDDEN', '本机正在进行另一场现场填写，只能结束那一场');
  if (s.closed_at) throw new ApiError('CONFLICT', `“${s.term_name}”的现场填写已经结束`);
  const me = ctx.db.prepare('SELECT username, password_hash FROM users WHERE id = ?').get(user.userId) as { username: string; password_hash: string };
  assertMayTryLogin(ctx, me.username);
  if (!verifyPassword(v.password, me.password_hash)) {
    // Counted and audited like a failed login, and kept although the call is refused (a parent guessing is backed off).
    recordLoginFailure(ctx, me.username, user.userId);
    throw new RefusedAfterWrite(new ApiError('UNAUTHENTICATED', user.kiosk ? `密码不正确：退出现场填写须输入开启人 ${user.displayName} 的密码` : '密码不正确'));
  }
  const reset = resetLoginFailures(ctx, me.username, user.userId, null);
  ctx.db.prepare('UPDATE survey_sessions SET closed_at = ?, closed_by = ? WHERE id = ?').run(ctx.now().toISOString(), user.userId, s.id);
  const snaps = [groupRows(ctx, 'survey_sessions', 'id', s.id), ...(reset ? [reset] : [])];
  audit(ctx, 'update', 'survey_sessions', s.id, { closedAt: null }, withRows({ closedAt: ctx.now().toISOString(), responses: s.responses }, ...snaps));
  if (user.kiosk) ctx.setSession({ userId: user.userId, username: user.username, displayName: user.displayName, roles: user.roles });
  return sessionView(sessionRow(ctx, s.id));
}

type Counts = Record<SurveyAnswer, number>;
const zero = (): Counts => ({ satisfied: 0, fair: 0, dissatisfied: 0 });

/** (满意 + 基本满意) ÷ all answers in basis points, half up; null without an answer. */
function satisfiedBp(counts: Counts[]): number | null {
  let all = 0;
  let good = 0;
  for (const c of counts) {
    for (const a of SURVEY_ANSWERS) all += c[a];
    good += c.satisfied + c.fair;
  }
  return all === 0 ? null : Math.floor((good * 20_000 + all) / (2 * all));
}

/** Every term's survey; with `from`/`to`, only the paper records and the sessions dated in those days (the 月报's month). */
export function termSurveys(ctx: Ctx, from = '0000-01-01', to = '9999-12-31'): TermSurveyView[] {
  const terms = new Map<string, TermSurveyView>();
  const term = (name: string, date: string): TermSurveyView => {
    let t = terms.get(name);
    if (!t) {
      t = { termName: name, lastDate: date, paperForms: 0, paperRecords: 0, typedForms: 0, sessions: [], results: [], paperBp: null, typedBp: null, satisfiedBp: null, remarks: [] };
      terms.set(name, t);
    }
    if (date > t.lastDate) t.lastDate = date;
    return t;
  };
  const line = (t: TermSurveyView, question: string) => {
    let l = t.results.find((r) => r.question === question);
    if (!l) {
      l = { question, paper: zero(), typed: zero(), combined: zero() };
      t.results.push(l);
    }
    return l;
  };
  const paper = ctx.db
    .prepare(`SELECT term_name, survey_date, forms, results FROM satisfaction_surveys WHERE status = 'confirmed' AND survey_date BETWEEN ? AND ? ORDER BY survey_date, created_at`)
    .all(from, to) as { term_name: string; survey_date: string; forms: number; results: string }[];
  for (const p of paper) {
    const t = term(p.term_name, p.survey_date);
    t.paperForms += p.forms;
    t.paperRecords += 1;
    for (const r of JSON.parse(p.results) as { question: string; counts: Counts }[]) {
      const l = line(t, r.question);
      for (const a of SURVEY_ANSWERS) l.paper[a] += r.counts[a];
    }
  }
  const sessions = ctx.db.prepare(`${SESSION_SELECT} WHERE s.session_date BETWEEN ? AND ? ORDER BY s.session_date DESC, s.opened_at DESC`).all(from, to) as SessionRow[];
  const answers = ctx.db.prepare('SELECT response_date, answers, remark FROM survey_responses WHERE session_id = ? ORDER BY submitted_at, id');
  for (const s of [...sessions].reverse()) {
    const t = term(s.term_name, s.session_date);
    t.sessions.unshift(sessionView(s));
    const questions = JSON.parse(s.questions) as string[];
    for (const r of answers.all(s.id) as { response_date: string; answers: string; remark: string }[]) {
      t.typedForms += 1;
      (JSON.parse(r.answers) as SurveyAnswer[]).forEach((a, i) => (line(t, questions[i]).typed[a] += 1));
      if (r.remark) t.remarks.push({ date: r.response_date, text: r.remark });
    }
  }
  for (const t of terms.values()) {
    for (const l of t.results) for (const a of SURVEY_ANSWERS) l.combined[a] = l.paper[a] + l.typed[a];
    t.paperBp = satisfiedBp(t.results.map((l) => l.paper));
    t.typedBp = satisfiedBp(t.results.map((l) => l.typed));
    t.satisfiedBp = satisfiedBp(t.results.map((l) => l.combined));
  }
  return [...terms.values()].sort((a, b) => (a.lastDate === b.lastDate ? a.termName.localeCompare(b.termName) : a.lastDate < b.lastDate ? 1 : -1));
}
