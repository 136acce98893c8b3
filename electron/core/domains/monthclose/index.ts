import fs from 'node:fs';
import path from 'node:path';
import type { ExportResult, MonthEvent, MonthState, MonthStatus } from '../../../../shared/api/monthclose.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { audit, auditHead } from '../../ledger/audit.ts';
import { groupRows, newestBySeq, withRows } from '../../ledger/row-snapshot.ts';
import { chinaDate, lastDayOfMonth, monthWords } from '../../ledger/clock.ts';
import { currentUser, type Ctx } from '../../context.ts';
import { profileFor } from '../people/index.ts';
import { disclosureFileName, writeDisclosureWorkbook, writeSummaryPdf } from '../../disclosure/index.ts';
import { prepared, type Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { diskFullMessage, freeBytes, isDiskFull } from '../../integrity/disk-space.ts';
import { bankLines, blockingItems, checklist } from './checklist.ts';
import { disclosureData, disclosureListsJson } from './disclosure.ts';
import { closeFigures, figuresChecksum, fundSummary, newFiguresMemo } from '../../ledger/month-figures.ts';
import { fundHandlers } from './fund.ts';
import { recomputeClosedMonthChecksum, verifyClosedMonths, type ClosedMonthCheck } from '../../ledger/closed-months.ts';
import { noProgress, withOperation, type ProgressReporter } from '../../ledger/progress.ts';
import { jobFile, runJob } from '../../jobs/run.ts';
import { sealNow } from '../../integrity/seal.ts';
import { finishMonthPackage, prepareMonthPackage } from './package.ts';
import { ensureIdentity, formatFingerprint } from '../../package/signing-key.ts';

/**
 * 月结 (DOMAIN.md §3): the 会计 submits a month whose checklist is clear; the 审核人 (another person) approves and the
 * month locks — closed_periods gets its row, which the journal's trigger, assertPeriodOpen and the SQL locks of
 * migration 0005 read, so nothing posts into it by any path. The close records the figures in canonical JSON, the
 * audit chain's head, their SHA-256 (the checksum printed on every disclosure sheet) and the revision. Reopening
 * (审核人, written reason) is an event too; the lock row goes, nothing else; the next close is revision n + 1.
 * The close also records the disclosure's detail lists as they stand (month_disclosures), which every export of that
 * revision writes.
 */

type Keys = 'monthclose.list' | 'monthclose.get' | 'monthclose.setBankBalance' | 'monthclose.submit' | 'monthclose.approve' | 'monthclose.reopen' | 'monthclose.export' | 'monthclose.package' | 'monthclose.signingKey';

interface EventRow {
  seq: number;
  kind: 'submit' | 'close' | 'reopen';
  revision: number;
  reason: string;
  figures: string | null;
  audit_head: string | null;
  checksum: string | null;
  created_at: string;
  created_by: string;
  by_name: string | null;
}

function eventRows(ctx: Ctx, m: string): EventRow[] {
  return ctx.db
    .prepare(`SELECT e.*, u.display_name AS by_name FROM month_close_events e LEFT JOIN users u ON u.id = e.created_by WHERE e.month = ? ORDER BY e.seq`)
    .all(m) as EventRow[];
}

const isClosed = (ctx: Ctx, m: string) => ctx.db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(m) !== undefined;

/** Shown on the page before a reviewer who also submitted the close tries to approve it (the approval refuses it). */
const OWN_SUBMISSION = '您提交的月结需由另一位审核人审核（不相容岗位分离：提交月结的人不能审核自己提交的月结）';

export function monthState(ctx: Ctx, m: string): MonthState {
  const ev = eventRows(ctx, m);
  const last = ev[ev.length - 1];
  const closed = isClosed(ctx, m);
  const status: MonthStatus = closed ? 'closed' : last?.kind === 'submit' ? 'submitted' : 'open';
  const lastClose = [...ev].reverse().find((e) => e.kind === 'close');
  const reopens = ev.filter((e) => e.kind === 'reopen').length;
  // Who submitted the current revision: named while it waits and after it closed (the approval's result says whose
  // submission the reviewer approved); a reopened month has no submission yet.
  const submit = status === 'open' ? undefined : [...ev].reverse().find((e) => e.kind === 'submit');
  return {
    month: m,
    status,
    revision: closed && lastClose ? lastClose.revision : reopens + 1,
    checksumHex: closed && lastClose ? lastClose.checksum : null,
    submittedByName: submit ? (submit.by_name ?? '') : null,
    approveBlockedReason: status === 'submitted' && submit && submit.created_by === ctx.session?.userId ? OWN_SUBMISSION : null,
    events: ev.map((e): MonthEvent => ({ kind: e.kind, revision: e.revision, reason: e.reason, checksumHex: e.checksum, at: e.created_at, byName: e.by_name ?? '' })),
  };
}

function addEvent(ctx: Ctx, m: string, kind: EventRow['kind'], revision: number, extra: { reason?: string; figures?: string; auditHead?: string; checksum?: string } = {}): void {
  ctx.db
    .prepare(
      `INSERT INTO month_close_events (id, origin, month, kind, revision, reason, figures, audit_head, checksum, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(uuidv7(ctx.now().getTime()), ctx.installationId, m, kind, revision, extra.reason ?? '', extra.figures ?? null, extra.auditHead ?? null, extra.checksum ?? null, ctx.now().toISOString(), currentUser(ctx).userId);
}

function assertChecklistClear(ctx: Ctx, m: string, what: string): void {
  const open = blockingItems(checklist(ctx, m));
  if (open.length) {
    throw new ApiError(
      'RULE',
      `${monthWords(m)}不能${what}：月结检查清单还有 ${open.length} 项未完成（${open.map((i) => i.label).join('；')}）`,
      open.map((i) => ({ path: i.key, message: i.missing.length ? i.missing.slice(0, 5).join('；') : i.detail })),
    );
  }
}

/** Parents read closed months only (their disclosures); everybody else reads any month. */
function assertMayRead(ctx: Ctx, m: string): void {
  const s = ctx.session;
  if (s && s.roles.length > 0 && s.roles.every((r) => r === 'parent') && !isClosed(ctx, m)) {
    throw new ApiError('FORBIDDEN', `${monthWords(m)}尚未月结，家委会代表只能查看已月结月份的公示`);
  }
}

/** The latest close of a closed month: its revision, stored checksum and audit head. */
function latestClose(ctx: Ctx, m: string): EventRow {
  const close = [...eventRows(ctx, m)].reverse().find((e) => e.kind === 'close');
  if (!isClosed(ctx, m) || !close) throw new ApiError('RULE', `${monthWords(m)}尚未月结，审核通过后才能导出公示`);
  return close;
}

export { recomputeClosedMonthChecksum, verifyClosedMonths, type ClosedMonthCheck };

/**
 * The month's disclosure workbook (and the summary PDF) of its latest close, with progress in hundredths: the checksum
 * check to 10, the figures to 40, the workbook's sheets to 90 (100 without the PDF), the PDF to 100.
 */
export async function exportMonth(ctx: Ctx, { month, dir, pdf }: { month: string; dir?: string; pdf?: boolean }, report: ProgressReporter = noProgress): Promise<ExportResult> {
  assertMayRead(ctx, month);
  const close = latestClose(ctx, month);
  const checksumHex = close.checksum as string;
  // One memo for the check and the data: both need the month's closeFigures, computed once (issue 8).
  report('核对月结校验码', 0, 100);
  const memo = newFiguresMemo();
  const check = recomputeClosedMonthChecksum(ctx.db, month, memo);
  if (check && !check.ok) throw new ApiError('RULE', `${monthWords(month)}的账目在月结后发生了变化（校验码不符），请由审核人核查后反结账重新月结`);
  report('汇总公示数据', 10, 100);
  const data = disclosureData(ctx, month, close.revision, checksumHex, memo);
  const outDir = dir ?? (ctx.dataDir ? path.join(ctx.dataDir, 'exports') : null);
  if (!outDir) throw new ApiError('VALIDATION', '请指定导出文件夹');
  fs.mkdirSync(outDir, { recursive: true });
  const layout = profileFor(ctx, month).disclosureLayout;
  const span = pdf ? 50 : 60;
  const xlsxPath = await writeDisclosureWorkbook(data, layout, path.join(outDir, disclosureFileName(data, close.revision > 1 ? `伙食费公示_第${close.revision}版` : '伙食费公示')), (step, done, total) =>
    report(step, 40 + Math.floor((span * done) / Math.max(1, total)), 100),
  );
  let pdfPath: string | null = null;
  let pdfError: string | null = null;
  if (pdf) {
    // Before the PDF: a cancel here keeps the workbook just written (it is whole) and writes no PDF.
    report('生成收支公示表 PDF', 90, 100);
    try {
      const written = await writeSummaryPdf(data, layout, outDir, ctx.dataDir);
      // A later revision keeps the earlier PDF beside it, as it does the workbook.
      pdfPath = close.revision > 1 ? written.replace(/\.pdf$/, `_第${close.revision}版.pdf`) : written;
      if (pdfPath !== written) fs.renameSync(written, pdfPath);
    } catch (e) {
      // The workbook stands on its own; a missing LibreOffice or a full disk only costs the notice-board PDF, and
      // says so in words.
      pdfError = isDiskFull(e)
        ? diskFullMessage(freeBytes(outDir), { where: `导出位置（${outDir}）所在磁盘`, what: '公示表已导出，收支公示表 PDF 没有写出', kept: '账本没有改动' })
        : (e as Error).message;
    }
  }
  return { xlsxPath, pdfPath, pdfError, revision: close.revision, checksumHex };
}

export const monthcloseHandlers: Handlers<Keys | 'fund.recordExpense' | 'fund.recordIncome'> = {
  ...fundHandlers,

  'monthclose.list': (ctx) => {
    const months = ctx.db.prepare(`SELECT DISTINCT month FROM month_close_events UNION SELECT period FROM closed_periods ORDER BY 1 DESC`).all() as { month: string }[];
    const parentOnly = ctx.session?.roles.every((r) => r === 'parent') ?? false;
    return months
      .map(({ month }) => monthState(ctx, month))
      .filter((s) => !parentOnly || s.status === 'closed')
      .map((s) => ({ month: s.month, status: s.status, revision: s.revision }));
  },

  'monthclose.get': (ctx, { month }) => {
    assertMayRead(ctx, month);
    const staff = ctx.session?.roles.some((r) => r !== 'parent') ?? false;
    return {
      state: monthState(ctx, month),
      checklist: staff ? checklist(ctx, month) : null,
      bank: staff ? bankLines(ctx, month) : null,
      summary: fundSummary(ctx, month),
    };
  },

  'monthclose.setBankBalance': (ctx, { month, account, balanceFen, note }) => {
    if (isClosed(ctx, month)) throw new ApiError('LOCKED', `${monthWords(month)}已月结锁定，不能再录入银行对账余额`);
    const before = bankLines(ctx, month).find((b) => b.account === account);
    ctx.db
      .prepare(`INSERT INTO bank_statement_balances (month, account, balance_fen, note, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`)
      .run(month, account, balanceFen, note, ctx.now().toISOString(), currentUser(ctx).userId);
    const lines = bankLines(ctx, month);
    const after = lines.find((b) => b.account === account);
    audit(ctx, 'bank_statement', 'month_close', month, before ? { account, statementFen: before.statementFen } : null, withRows({
      account,
      statementFen: balanceFen,
      bookFen: after?.bookFen,
      differenceFen: after?.differenceFen,
      note,
    }, newestBySeq(ctx, 'bank_statement_balances')));
    return lines;
  },

  'monthclose.submit': (ctx, { month }) => {
    if (isClosed(ctx, month)) throw new ApiError('CONFLICT', `${monthWords(month)}已月结`);
    if (lastDayOfMonth(month) > chinaDate(ctx.now())) throw new ApiError('RULE', `${monthWords(month)}还没有结束，月末之后才能月结`);
    assertChecklistClear(ctx, month, '提交月结');
    const st = monthState(ctx, month);
    addEvent(ctx, month, 'submit', st.revision);
    audit(ctx, 'submit', 'month_close', month, { status: st.status }, withRows({ status: 'submitted', revision: st.revision }, newestBySeq(ctx, 'month_close_events')));
    return monthState(ctx, month);
  },

  'monthclose.approve': (ctx, { month }) => {
    const st = monthState(ctx, month);
    if (st.status === 'closed') throw new ApiError('CONFLICT', `${monthWords(month)}已月结`);
    if (st.status !== 'submitted') throw new ApiError('RULE', `${monthWords(month)}尚未由会计提交月结，不能审核`);
    const ev = eventRows(ctx, month);
    const user = currentUser(ctx);
    // Segregation of duties: the one who prepared the close does not approve it, whatever roles they hold.
    if (ev[ev.length - 1].created_by === user.userId) throw new ApiError('RULE', '不相容岗位分离：提交月结的人不能审核自己提交的月结，请由另一位审核人审核');
    assertChecklistClear(ctx, month, '审核月结');
    const figures = closeFigures(ctx, month);
    const head = auditHead(ctx.db);
    const checksum = figuresChecksum(figures, head);
    addEvent(ctx, month, 'close', st.revision, { figures: JSON.stringify(figures), auditHead: head, checksum });
    ctx.db.prepare('INSERT INTO closed_periods (period, closed_at, closed_by) VALUES (?, ?, ?)').run(month, ctx.now().toISOString(), user.userId);
    // The disclosure's detail lists as published now: a later export gives the same sheets whatever changes after.
    ctx.db
      .prepare('INSERT INTO month_disclosures (month, revision, lists, created_at, created_by) VALUES (?, ?, ?, ?, ?)')
      .run(month, st.revision, disclosureListsJson(ctx, month), ctx.now().toISOString(), user.userId);
    audit(ctx, 'close', 'month_close', month, { status: 'submitted' }, withRows({
      status: 'closed',
      revision: st.revision,
      checksum,
      auditHead: head,
      incomeFen: figures.current.feesCollectedFen - figures.current.refundsFen + figures.current.subsidyFen + figures.current.otherIncomeFen,
      // What every table holds at the close (integrity/seal.ts): verify --quick starts from the newest intact seal.
      seal: sealNow(ctx.db),
    }, newestBySeq(ctx, 'month_close_events'), groupRows(ctx, 'closed_periods', 'period', month), groupRows(ctx, 'month_disclosures', 'month', month)));
    return monthState(ctx, month);
  },

  'monthclose.reopen': (ctx, { month, reason }) => {
    const st = monthState(ctx, month);
    if (st.status !== 'closed') throw new ApiError('RULE', `${monthWords(month)}尚未月结，不需要反结账`);
    const later = ctx.db.prepare('SELECT period FROM closed_periods WHERE period > ? ORDER BY period LIMIT 1').get(month) as { period: string } | undefined;
    if (later) throw new ApiError('RULE', `${monthWords(later.period)}已月结：请先反结账后面的月份，再反结账${monthWords(month)}`);
    addEvent(ctx, month, 'reopen', st.revision, { reason });
    // The only step that removes anything, and the SQL trigger lets it through only right after this reopen event.
    ctx.db.prepare('DELETE FROM closed_periods WHERE period = ?').run(month);
    audit(ctx, 'reopen', 'month_close', month, { status: 'closed', revision: st.revision, checksum: st.checksumHex }, withRows({ status: 'open', reason, nextRevision: st.revision + 1 }, newestBySeq(ctx, 'month_close_events'), groupRows(ctx, 'closed_periods', 'period', month)));
    return monthState(ctx, month);
  },

  // In a worker thread on its own read-only connection (jobs/run.ts), so the window keeps answering; cancellable
  // between its steps (a cancelled workbook's part file is removed; nothing is written to the ledger).
  'monthclose.export': (ctx, input) =>
    withOperation(ctx, 'export', { cancellable: true }, (run) => (jobFile(ctx) ? runJob<ExportResult>(ctx, 'export', input, run) : exportMonth(ctx, input, run.report))),

  // 上报包 (issue 18): refused, like the export, when the closed month's figures no longer give its checksum.
  // The package is built before the transaction; the key (made on first use, in the ledger) signs it inside.
  'monthclose.package': prepared({
    prepare: async (ctx, { month, dir, schoolCode }) => {
      latestClose(ctx, month);
      const outDir = dir ?? (ctx.dataDir ? path.join(ctx.dataDir, 'packages') : null);
      if (!outDir) throw new ApiError('VALIDATION', '请指定上报包的输出文件夹');
      return prepareMonthPackage(ctx, month, outDir, {
        schoolCode,
        assertUnchanged: (memo) => {
          const check = recomputeClosedMonthChecksum(ctx.db, month, memo);
          if (check && !check.ok) throw new ApiError('RULE', `${monthWords(month)}的账目在月结后发生了变化（校验码不符），请由审核人核查后反结账重新月结`);
        },
      });
    },
    run: (ctx, _input, p) => finishMonthPackage(ctx, p),
  }),

  'monthclose.signingKey': (ctx, { schoolCode }) => {
    const { identity, created } = ensureIdentity(ctx, schoolCode);
    const school = ctx.db.prepare('SELECT name FROM school').get() as { name: string } | undefined;
    return { schoolCode: identity.schoolCode, schoolName: school?.name ?? '', fingerprint: formatFingerprint(identity.fingerprint), createdAt: identity.createdAt, created };
  },
};
