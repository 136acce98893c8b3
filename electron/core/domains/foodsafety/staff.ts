import type { CheckDay, CheckView, StaffFinding, StaffView } from '../../../../shared/api/foodsafety.ts';
import { addDays, chinaDate, lastDayOfMonth } from '../../../../shared/calendar.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { HEALTH_CERT_WARN_DAYS, SYMPTOM_LABELS, type CertState, type CheckOutcome, type Symptom } from '../../../../shared/labels-foodsafety.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { audit } from '../../ledger/audit.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { assertStatus, cancel, loadDoc } from '../../ledger/lifecycle.ts';
import { groupRows, withRows } from '../../ledger/row-snapshot.ts';
import { profileFor } from '../people/index.ts';

/**
 * 晨检 and 健康证 (issue 17 slice 3; migration 0022; docs/DOMAIN-RULES.md "晨检与健康证"). Rules, decided:
 * - The roster is kept up to date (a renewed certificate is saved over the old one; every save audited with its row);
 *   a person who leaves is made inactive, never deleted.
 * - Each working day, each active person is checked once: the symptoms found (of those the profile of the month asks
 *   about, morningCheckSymptoms; another is refused), 合格 or 不合格, and whether they work that
 *   day. A person with a symptom is not 合格; a 不合格 names a symptom or says why. REFUSED: putting on duty a person
 *   checked 不合格, or one whose health certificate is missing or expired on that day (held in SQL again).
 * - A certificate expiring within 30 days is warned of on the storekeeper's home; a 上课日 up to today on which an active
 *   person was not checked is a finding (checklist, informational).
 */

interface StaffRow {
  id: string;
  name: string;
  post: string;
  cert_no: string;
  cert_expiry: string | null;
  active: number;
  created_at: string;
}

export function certState(expiry: string | null, day: string): CertState {
  if (!expiry) return 'missing';
  if (expiry < day) return 'expired';
  return expiry <= addDays(day, HEALTH_CERT_WARN_DAYS) ? 'expiring' : 'ok';
}

const staffView = (r: StaffRow, day: string): StaffView => ({
  id: r.id,
  name: r.name,
  post: r.post,
  certNo: r.cert_no,
  certExpiry: r.cert_expiry,
  active: r.active === 1,
  certState: certState(r.cert_expiry, day),
});

function staffRow(ctx: Ctx, id: string): StaffRow {
  const r = ctx.db.prepare('SELECT * FROM canteen_staff WHERE id = ?').get(id) as StaffRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该从业人员');
  return r;
}

export function listStaff(ctx: Ctx, includeInactive: boolean): StaffView[] {
  const today = chinaDate(ctx.now());
  const rows = ctx.db.prepare(`SELECT * FROM canteen_staff WHERE active = 1 OR ? ORDER BY active DESC, created_at, id`).all(includeInactive ? 1 : 0) as StaffRow[];
  return rows.map((r) => staffView(r, today));
}

export function saveStaff(ctx: Ctx, v: { id: string | null; name: string; post: string; certNo: string; certExpiry: string | null; active: boolean }): StaffView {
  const user = currentUser(ctx);
  const at = ctx.now().toISOString();
  const dup = ctx.db.prepare('SELECT id FROM canteen_staff WHERE name = ? AND active = 1 AND id IS NOT ?').get(v.name, v.id) as { id: string } | undefined;
  if (dup && v.active) throw new ApiError('CONFLICT', `已有在岗的从业人员 ${v.name}：同名的请加以区分（如 王芳（面点））`);
  let id = v.id;
  const before = id ? staffRow(ctx, id) : null;
  if (before && id) {
    ctx.db
      .prepare('UPDATE canteen_staff SET name = ?, post = ?, cert_no = ?, cert_expiry = ?, active = ?, updated_at = ?, updated_by = ? WHERE id = ?')
      .run(v.name, v.post, v.certNo, v.certExpiry, v.active ? 1 : 0, at, user.userId, id);
  } else {
    id = uuidv7(ctx.now().getTime());
    ctx.db
      .prepare(
        `INSERT INTO canteen_staff (id, origin, name, post, cert_no, cert_expiry, active, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, ctx.installationId, v.name, v.post, v.certNo, v.certExpiry, v.active ? 1 : 0, at, user.userId, at, user.userId);
  }
  const after = staffView(staffRow(ctx, id), chinaDate(ctx.now()));
  audit(
    ctx,
    before ? 'update' : 'create',
    'canteen_staff',
    id,
    before ? { name: before.name, certNo: before.cert_no, certExpiry: before.cert_expiry, active: before.active === 1 } : null,
    withRows({ name: after.name, certNo: after.certNo, certExpiry: after.certExpiry, active: after.active }, groupRows(ctx, 'canteen_staff', 'id', id)),
  );
  return after;
}

interface CheckRow {
  id: string;
  check_date: string;
  staff_id: string;
  staff_name: string;
  symptoms: string;
  outcome: CheckOutcome;
  on_duty: number;
  note: string;
  status: 'confirmed' | 'cancelled';
  amends: string | null;
  created_at: string;
  created_by_name: string;
  cancel_reason: string | null;
}

const CHECK_SELECT = `SELECT c.*, s.name AS staff_name, u.display_name AS created_by_name FROM morning_checks c
  JOIN canteen_staff s ON s.id = c.staff_id JOIN users u ON u.id = c.created_by`;

const checkView = (r: CheckRow): CheckView => ({
  id: r.id,
  date: r.check_date,
  staffId: r.staff_id,
  staffName: r.staff_name,
  symptoms: r.symptoms ? (r.symptoms.split(',') as Symptom[]) : [],
  outcome: r.outcome,
  onDuty: r.on_duty === 1,
  note: r.note,
  status: r.status,
  amends: r.amends,
  createdByName: r.created_by_name,
  createdAt: r.created_at,
  cancelReason: r.cancel_reason,
});

function checkById(ctx: Ctx, id: string): CheckView {
  const r = ctx.db.prepare(`${CHECK_SELECT} WHERE c.id = ?`).get(id) as CheckRow | undefined;
  if (!r) throw new ApiError('NOT_FOUND', '找不到该晨检记录');
  return checkView(r);
}

export function checkDay(ctx: Ctx, date: string): CheckDay {
  const staff = ctx.db
    .prepare(`SELECT * FROM canteen_staff WHERE active = 1 OR id IN (SELECT staff_id FROM morning_checks WHERE check_date = ?) ORDER BY created_at, id`)
    .all(date) as StaffRow[];
  const checks = (ctx.db.prepare(`${CHECK_SELECT} WHERE c.check_date = ? ORDER BY c.created_at`).all(date) as CheckRow[]).map(checkView);
  return {
    date,
    rows: staff.map((s) => ({ staff: staffView(s, date), check: checks.find((c) => c.staffId === s.id && c.status === 'confirmed') ?? null })),
    cancelled: checks.filter((c) => c.status === 'cancelled'),
    symptoms: profileFor(ctx, date).morningCheckSymptoms,
  };
}

interface CheckInput {
  symptoms: Symptom[];
  outcome: CheckOutcome;
  onDuty: boolean;
  note: string;
}

/** The rules of one person's check on `date`, refused in words before anything is written. */
function checkRules(ctx: Ctx, s: StaffRow, date: string, v: CheckInput): void {
  if (s.active !== 1) throw new ApiError('RULE', `${s.name} 已停用，不能登记晨检`);
  // The symptoms the profile of that month asks about (a region may leave some out).
  const asked = profileFor(ctx, date).morningCheckSymptoms;
  const other = v.symptoms.find((x) => !asked.includes(x));
  if (other) throw new ApiError('RULE', `${s.name}：“${SYMPTOM_LABELS[other]}”不是本区域晨检的检查项目（${asked.map((x) => SYMPTOM_LABELS[x]).join('、')}）`);
  if (v.outcome === 'fit' && v.symptoms.length > 0) {
    throw new ApiError('RULE', `${s.name} 有${v.symptoms.map((x) => SYMPTOM_LABELS[x]).join('、')}，晨检结果不能为合格`);
  }
  if (v.outcome === 'unfit' && v.symptoms.length === 0 && v.note === '') throw new ApiError('RULE', `${s.name} 晨检不合格：请勾选症状或写明原因`);
  if (!v.onDuty) return;
  if (v.outcome === 'unfit') throw new ApiError('RULE', `${s.name} 晨检不合格，不能上岗`);
  const state = certState(s.cert_expiry, date);
  if (state === 'missing') throw new ApiError('RULE', `${s.name} 没有登记健康证，不能上岗`);
  if (state === 'expired') throw new ApiError('RULE', `${s.name} 的健康证（${s.cert_no}）已于 ${s.cert_expiry} 过期，不能上岗：请换证后更新健康证`);
}

function insertCheck(ctx: Ctx, date: string, staffId: string, v: CheckInput, amends: string | null): string {
  const id = uuidv7(ctx.now().getTime());
  ctx.db
    .prepare(
      `INSERT INTO morning_checks (id, origin, check_date, staff_id, symptoms, outcome, on_duty, note, status, amends, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'confirmed', ?, ?, ?)`,
    )
    .run(id, ctx.installationId, date, staffId, v.symptoms.join(','), v.outcome, v.onDuty ? 1 : 0, v.note, amends, ctx.now().toISOString(), currentUser(ctx).userId);
  return id;
}

export function recordChecks(ctx: Ctx, input: { date: string; checks: (CheckInput & { staffId: string })[] }): CheckView[] {
  const seen = new Set<string>();
  for (const c of input.checks) {
    const s = staffRow(ctx, c.staffId);
    if (seen.has(c.staffId)) throw new ApiError('VALIDATION', `${s.name} 填了两次`);
    seen.add(c.staffId);
    if (ctx.db.prepare(`SELECT 1 FROM morning_checks WHERE check_date = ? AND staff_id = ? AND status = 'confirmed'`).get(input.date, c.staffId)) {
      throw new ApiError('CONFLICT', `${input.date} ${s.name} 已晨检：如有错误请更正该记录`);
    }
    checkRules(ctx, s, input.date, c);
  }
  return input.checks.map((c) => {
    const id = insertCheck(ctx, input.date, c.staffId, { ...c, symptoms: [...new Set(c.symptoms)] }, null);
    const v = checkById(ctx, id);
    audit(ctx, 'create', 'morning_checks', id, null, withRows({ date: v.date, staff: v.staffName, outcome: v.outcome, onDuty: v.onDuty }, groupRows(ctx, 'morning_checks', 'id', id)));
    return v;
  });
}

export function amendCheck(ctx: Ctx, input: CheckInput & { id: string; reason: string }): CheckView {
  const old = checkById(ctx, input.id);
  assertStatus(loadDoc(ctx, 'morning_checks', input.id, { name: `${old.date} ${old.staffName}` }), ['confirmed'], 'save');
  checkRules(ctx, staffRow(ctx, old.staffId), old.date, input);
  cancel(ctx, 'morning_checks', input.id, input.reason, old.date, { from: ['confirmed'] });
  audit(ctx, 'cancel', 'morning_checks', old.id, { status: 'confirmed' }, withRows({ status: 'cancelled', reason: input.reason }, groupRows(ctx, 'morning_checks', 'id', old.id)));
  const id = insertCheck(ctx, old.date, old.staffId, { ...input, symptoms: [...new Set(input.symptoms)] }, old.id);
  const v = checkById(ctx, id);
  audit(ctx, 'amend', 'morning_checks', id, null, withRows({ amends: old.id, outcome: v.outcome, onDuty: v.onDuty, reason: input.reason }, groupRows(ctx, 'morning_checks', 'id', id)));
  return v;
}

/** A month's 晨检 findings: each 上课日 up to today, each person active then (on the roster by that day) and not checked. */
export function checkFindings(ctx: Ctx, month: string): StaffFinding[] {
  const from = `${month}-01`;
  const last = lastDayOfMonth(month);
  const today = chinaDate(ctx.now());
  const to = last < today ? last : today;
  if (from > to) return [];
  const rows = ctx.db
    .prepare(
      `SELECT d.day, s.id, s.name FROM school_days d JOIN canteen_staff s ON s.active = 1 AND date(s.created_at, '+8 hours') <= d.day
       WHERE d.day BETWEEN ? AND ?
         AND NOT EXISTS (SELECT 1 FROM morning_checks c WHERE c.check_date = d.day AND c.staff_id = s.id AND c.status = 'confirmed')
       ORDER BY d.day, s.created_at`,
    )
    .all(from, to) as { day: string; id: string; name: string }[];
  return rows.map((r) => ({ kind: 'unchecked', date: r.day, staffId: r.id, text: `${r.day} ${r.name} 未晨检` }));
}

/** Certificates missing, expired or expiring within 30 days of today, of the active staff (the storekeeper's warnings). */
export function certWarnings(ctx: Ctx): StaffFinding[] {
  const today = chinaDate(ctx.now());
  return listStaff(ctx, false)
    .filter((s) => s.certState !== 'ok')
    .map((s) => ({
      kind: s.certState === 'missing' ? 'cert_missing' : s.certState === 'expired' ? 'cert_expired' : 'cert_expiring',
      date: today,
      staffId: s.id,
      text:
        s.certState === 'missing'
          ? `${s.name} 没有登记健康证：不能上岗`
          : s.certState === 'expired'
            ? `${s.name} 的健康证已于 ${s.certExpiry} 过期：不能上岗，请尽快换证`
            : `${s.name} 的健康证将于 ${s.certExpiry} 到期（30 天内）：请提前换证`,
    }));
}
