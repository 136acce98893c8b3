import { prepared, type Handlers } from '../../handlers.ts';
import { readSheet } from '../../xlsx/read.ts';
import { startOperation } from '../../ledger/progress.ts';
import type { menusApi } from '../../../../shared/api/menus.ts';
import { compositionRows, listCompositions, saveComposition } from './compositions.ts';
import { amendMenu, getMenu, issuePlan, listMenus, reviewMenu, saveMenu, submitMenu } from './menus.ts';
import { foodSafetyMonth, writeFoodSafetyMonth } from './report.ts';
import { closeKiosk, currentKiosk, openKiosk, respond, termSurveys } from './kiosk.ts';
import { closeComplaint, listComplaints, listSurveys, recordComplaint, recordSurvey } from './surveys.ts';

/** 带量食谱 and its 审定 (menus.ts), the composition values (compositions.ts), 满意度 and 投诉 (surveys.ts), 现场填写 by parents (kiosk.ts), 食品安全月报 (report.ts). */
export const menusHandlers: Handlers<keyof typeof menusApi> = {
  'compositions.list': (ctx) => listCompositions(ctx),
  'compositions.save': (ctx, input) => saveComposition(ctx, input),
  // The workbook is read (through xlsx/read.ts, in its worker) before the dispatcher's transaction; its rows are checked
  // and saved inside it, all or none. Progress (issue 19): 读取文件, then 写入数据 rows i/n; a cancel asked while the
  // file is read is seen at the first row, and the transaction rolls back (nothing written).
  'compositions.import': prepared({
    prepare: async (ctx, input) => {
      const op = startOperation(ctx, 'import', { cancellable: true, label: '导入营养成分' });
      try {
        op.report('读取文件', 0, 0);
        return { sheet: await readSheet(input.fileBase64, 2000), op };
      } catch (e) {
        throw op.endWith(e);
      }
    },
    run: (ctx, _input, { sheet, op }) => {
      try {
        const rows = compositionRows(ctx, sheet);
        const names = rows.map((r, i) => {
          if (i % 100 === 0) op.report('写入数据', i, rows.length);
          return saveComposition(ctx, r).ingredientName;
        });
        op.report('写入数据', names.length, names.length);
        op.end('done');
        return { saved: names.length, names };
      } catch (e) {
        throw op.endWith(e);
      }
    },
  }),
  'menus.list': (ctx, { from, to }) => listMenus(ctx, from, to),
  'menus.get': (ctx, { id }) => getMenu(ctx, id),
  'menus.save': (ctx, input) => saveMenu(ctx, input),
  'menus.submit': (ctx, { id }) => submitMenu(ctx, id),
  'menus.review': (ctx, input) => reviewMenu(ctx, input),
  'menus.amend': (ctx, input) => amendMenu(ctx, input),
  'menus.issuePlan': (ctx, input) => issuePlan(ctx, input),
  'surveys.list': (ctx) => listSurveys(ctx),
  'surveys.record': (ctx, input) => recordSurvey(ctx, input),
  'surveys.terms': (ctx) => termSurveys(ctx),
  'surveys.kioskOpen': (ctx, input) => openKiosk(ctx, input),
  'surveys.kiosk': (ctx) => currentKiosk(ctx),
  'surveys.respond': (ctx, input) => respond(ctx, input),
  'surveys.kioskClose': (ctx, input) => closeKiosk(ctx, input),
  'complaints.list': (ctx, { from, to }) => listComplaints(ctx, from, to),
  'complaints.record': (ctx, input) => recordComplaint(ctx, input),
  'complaints.close': (ctx, input) => closeComplaint(ctx, input),
  'reports.foodSafetyMonth': (ctx, { month }) => foodSafetyMonth(ctx, month),
  'reports.foodSafetyMonthExport': (ctx, { month, dir }) => writeFoodSafetyMonth(ctx, month, dir),
};
