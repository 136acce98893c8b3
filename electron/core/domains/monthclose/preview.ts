import type { Handlers } from '../../handlers.ts';
import { deriveFund } from '../../disclosure/derive.ts';
import { resolveLayout } from '../../disclosure/layout.ts';
import { summaryTableRows } from '../../disclosure/summary-rows.ts';
import { allowedKinds, newFiguresMemo, rangeFigures } from '../../ledger/month-figures.ts';

/**
 * The settings page's preview (issue 14 §4): a month's 收支公示 rows as the workbook would print them under the profile
 * being edited — its categories, expense kinds, cost basis, row labels and limits — from the month's booked figures
 * (a closed month's as published). A reading method: it runs on the query-only connection and writes nothing.
 */
export const previewHandlers: Handlers<'monthclose.preview'> = {
  'monthclose.preview': (ctx, { month, profile }) => {
    const memo = newFiguresMemo();
    const allowed = allowedKinds(profile);
    const mo = deriveFund(rangeFigures(ctx, month, month, profile, memo).inputs, allowed);
    const yt = deriveFund(rangeFigures(ctx, `${month.slice(0, 4)}-01`, month, profile, memo).inputs, allowed);
    const L = resolveLayout(profile.disclosureLayout, profile.usesStoreroom);
    return {
      month,
      closed: ctx.db.prepare('SELECT 1 FROM closed_periods WHERE period = ?').get(month) !== undefined,
      canteenKind: L.canteenKind,
      sheets: L.sheets.map((s) => s.name),
      rows: summaryTableRows(
        mo,
        yt,
        {
          usesStoreroom: profile.usesStoreroom,
          allowedNonFood: allowed,
          costBasis: profile.costBasis,
          categoryGroups: profile.disclosureCategories,
          surplusLimitBp: profile.surplusLimitBp,
          surplusPeriod: profile.surplusPeriod,
        },
        L.label,
      ),
    };
  },
};
