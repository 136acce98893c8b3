import type { ComplaintView, SurveyView } from '../../../../shared/api/menus.ts';
import { addDays } from '../../../../shared/calendar.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { SURVEY_ANSWERS, type SurveyAnswer } from '../../../../shared/labels-menus.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { audit } from '../../ledger/audit.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertStatus, loadDoc } from '../../ledger/lifecycle.ts';
import { profileFor } from '../../ledger/profile.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';

/**
 * 满意度 and 投诉 (issue 17; migration 0024). Rules, decided:
 * - A survey is the term's paper forms counted: per question of the profile (the questions in force on the survey's
 *   date, all of them, in order), how many answered 满意, 基本满意, 不满意. No question may have more answers than
 *   forms returned. Kept with the questions as asked.
 * - A complaint is logged with its date, channel, who (may be left empty) and what; it is closed once, by the person
 *   who dealt with it, writing what was done. Open complaints are findings of the 月报.
 */

interface SurveyRow {
  id: string;
  term_name: string;
  survey_date: string;
  forms: number;
  results: string;
  status: 'confirmed' | 'cancelled';
  created_by_name: string;
  cancel_reason: string | null;
}

const surveyView = (r: SurveyRow): SurveyView => {
  const results = JSON.parse(r.results) as SurveyView['results'];
  let all = 0;
  let good = 0;
  for (const q of results) {
    for (const a of SURVEY_ANSWERS) all += q.counts[a];
    good += q.counts.satisfied + q.counts.fair;
  }
  return {
    id: r.id,
    termName: r.term_name,
    date: r.survey_date,
    forms: r.forms,
    results,
    satisfiedBp: all === 0 ? 0 : Math.round((good * 10_000) / all),
    status: r.status,
    createdByName: r.created_by_name,
    cancelReason: r.cancel_reason,
  };
};

const SURVEY_SELECT = `SELECT s.*, u.display_name AS created_by_name FROM satisfaction_surveys s JOIN users u ON u.id = s.created_by`;

export function listSurveys(ctx: Ctx): SurveyView[] {
  return (ctx.db.prepare(`${SURVEY_SELECT} ORDER BY s.survey_date DESC, s.created_at DESC`).all() as SurveyRow[]).map(surveyView);
}

export function recordSurvey(ctx: Ctx, v: { termName: string; date: string; forms: number; results: { question: string; counts: Record<SurveyAnswer, number> }[] }): SurveyView {
  const questions = profileFor(ctx, v.date).surveyQuestions;
  const asked = v.results.map((r) => r.question);
  if (asked.length !== questions.length || asked.some((q, i) => q !== questions[i])) {
    throw new ApiError('VALIDATION', `调查问题应为区域配置的 ${questions.length} 个问题：${questions.join('、')}`);
  }
  for (const r of v.results) {
    const n = SURVEY_ANSWERS.reduce((s, a) => s + r.counts[a], 0);
    if (n > v.forms) throw new ApiError('VALIDATION', `“${r.question}”的回答共 ${n} 份，多于收回的问卷 ${v.forms} 份`);
  }
  const user = currentUser(ctx);
  const id = uuidv7(ctx.now().getTime());
  const results = v.results.map((r) => ({ question: r.question, counts: Object.fromEntries(SURVEY_ANSWERS.map((a) => [a, r.counts[a]])) }));
  ctx.db
    .prepare(`INSERT INTO satisfaction_surveys (id, origin, term_name, survey_date, forms, results, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'confirmed', ?, ?)`)
    .run(id, ctx.installationId, v.termName, v.date, v.forms, JSON.stringify(results), ctx.now().toISOString(), user.userId);
  const view = surveyView(ctx.db.prepare(`${SURVEY_SELECT} WHERE s.id = ?`).get(id) as SurveyRow);
  audit(ctx, 'create', 'satisfaction_surveys', id, null, withRows({ termName: v.termName, forms: v.forms, satisfiedBp: view.satisfiedBp }, groupRows(ctx, 'satisfaction_surveys', 'id', id)));
  return view;
}

interface ComplaintRow {
  id: string;
  received_date: string;
  channel: string;
  complainant: string;
  content: string;
  status: 'confirmed' | 'cancelled';
  created_at: string;
  created_by_name: string;
  cancel_reason: string | null;
  f_action: string | null;
  f_at: string | null;
  f_by_name: string | null;
}

const COMPLAINT_SELECT = `SELECT c.*, u.display_name AS created_by_name, f.action AS f_action, f.closed_at AS f_at, fu.display_name AS f_by_name
  FROM complaints c JOIN users u ON u.id = c.created_by LEFT JOIN complaint_followups f ON f.complaint_id = c.id LEFT JOIN users fu ON fu.id = f.closed_by`;

const complaintView = (r: ComplaintRow): ComplaintView => ({
  id: r.id,
  date: r.received_date,
  channel: r.channel,
  complainant: r.complainant,
  content: r.content,
  status: r.status,
  createdByName: r.created_by_name,
  createdAt: r.created_at,
  cancelReason: r.cancel_reason,
  followup: r.f_at ? { action: r.f_action ?? '', closedAt: r.f_at, closedByName: r.f_by_name ?? '' } : null,
});

function complaintRow(ctx: Ctx, id: string): ComplaintRow {
  const r = ctx.db.prepare(`${COMPLAINT_SELECT} WHERE c.id = ?`).get(id) as ComplaintRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该投诉');
  return r;
}

export function listComplaints(ctx: Ctx, from: string, to: string): ComplaintView[] {
  if (to > addDays(from, 400)) throw new ApiError('VALIDATION', '一次最多查询 400 天的投诉');
  return (ctx.db.prepare(`${COMPLAINT_SELECT} WHERE c.received_date BETWEEN ? AND ? ORDER BY c.received_date, c.created_at`).all(from, to) as ComplaintRow[]).map(complaintView);
}

export function recordComplaint(ctx: Ctx, v: { date: string; channel: string; complainant: string; content: string }): ComplaintView {
  const user = currentUser(ctx);
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare(`INSERT INTO complaints (id, origin, received_date, channel, complainant, content, status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'confirmed', ?, ?)`)
    .run(id, ctx.installationId, v.date, v.channel, v.complainant, v.content, ctx.now().toISOString(), user.userId);
  audit(ctx, 'create', 'complaints', id, null, withRows({ date: v.date, channel: v.channel, content: v.content }, groupRows(ctx, 'complaints', 'id', id)));
  return complaintView(complaintRow(ctx, id));
}

export function closeComplaint(ctx: Ctx, v: { id: string; action: string }): ComplaintView {
  const r = complaintRow(ctx, v.id);
  assertStatus(loadDoc(ctx, 'complaints', v.id), ['confirmed'], 'rectify');
  if (r.f_at) throw new ApiError('CONFLICT', `${r.received_date} 的投诉已由 ${r.f_by_name} 处理完毕，不能重复处理`);
  ctx.db.prepare('INSERT INTO complaint_followups (complaint_id, action, closed_at, closed_by) VALUES (?, ?, ?, ?)').run(v.id, v.action, ctx.now().toISOString(), currentUser(ctx).userId);
  audit(ctx, 'create', 'complaint_followups', v.id, null, withRows({ content: r.content, action: v.action }, groupRows(ctx, 'complaint_followups', 'complaint_id', v.id)));
  return complaintView(complaintRow(ctx, v.id));
}
