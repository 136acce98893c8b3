import { OTHER_EXPENSE_LABELS, OTHER_INCOME_LABELS, type OtherExpenseKind, type OtherIncomeKind } from '../../../../shared/api/monthclose.ts';
import { BANK_FEE, FULL_COST_ONLY, NON_FOOD_EXPENSES, NON_FOOD_LABELS, type NonFoodExpense } from '../../../../shared/domain.ts';
import { ApiError } from '../../../../shared/errors.ts';
import { formatFen } from '../../../../shared/format.ts';
import { audit } from '../../ledger/audit.ts';
import type { Ctx } from '../../context.ts';
import type { Handlers } from '../../handlers.ts';
import { uuidv7 } from '../../ledger/ids.ts';
import { accountBalance, assertPeriodOpen, postEntry } from '../../ledger/journal.ts';
import { profileFor } from '../people/index.ts';

/**
 * The fund's other entries (DOMAIN.md §3 专款专用): canteen expenses besides ingredients, and other income. Ingredients
 * come only through receiving (a delivery inspected at the door). Every refusal names the rule.
 */

type Keys = 'fund.recordExpense' | 'fund.recordIncome';

/** The negative list: never paid from meal money, whatever the profile says. */
const NEGATIVE_LIST: Partial<Record<OtherExpenseKind, string>> = {
  staff_meals: '伙食费不得用于教职工就餐',
  bonus: '伙食费不得用于发放奖金、福利',
  hospitality: '伙食费不得用于招待',
  school_public: '伙食费不得用于学校公用经费开支',
  subsidy_cash: '营养改善计划补助不得以现金形式发放',
  lending: '伙食费不得出借或用于担保',
};
const RULE = '专款专用（《学校食品安全与营养健康管理规定》及膳食经费负面清单）';

const INCOME_REFUSED: Partial<Record<OtherIncomeKind, string>> = {
  shop_rent: '商铺租金不属于学生伙食费，不得计入食堂膳食经费',
  stall: '承包档口收入不属于学生伙食费，不得计入食堂膳食经费',
};

function assertCash(ctx: Ctx, method: 'bank' | 'cash', amountFen: number, date: string): void {
  const avail = Math.min(accountBalance(ctx, method, date), accountBalance(ctx, method));
  if (amountFen > avail) throw new ApiError('RULE', `${method === 'cash' ? '库存现金' : '银行存款'}只有 ${formatFen(avail)} 元，不能支付 ${formatFen(amountFen)} 元`);
}

export const fundHandlers: Handlers<Keys> = {
  'fund.recordExpense': (ctx, { date, kind, amountFen, method, memo }) => {
    const banned = NEGATIVE_LIST[kind];
    if (banned) throw new ApiError('RULE', `不能登记“${OTHER_EXPENSE_LABELS[kind]}”：${banned}（${RULE}）`);
    const nonFood = kind as NonFoodExpense;
    if (!NON_FOOD_EXPENSES.includes(nonFood)) throw new ApiError('VALIDATION', '支出类别无效');
    const profile = profileFor(ctx, date);
    const label = NON_FOOD_LABELS[nonFood];
    if (nonFood === BANK_FEE) {
      // 手续费 is what the bank charges the canteen's own account (食堂专户), so it leaves that account, never the cash box.
      if (method !== 'bank') throw new ApiError('RULE', '手续费是食堂专户的银行手续费，只能从银行存款（食堂专户）列支，付款方式请选“银行”');
    } else if (FULL_COST_ONLY.includes(nonFood) && profile.costBasis !== 'full') {
      throw new ApiError(
        'RULE',
        `不能登记“${label}”支出：本校区域配置（${profile.name}）按食材成本核算（自营），${label}只有按全成本核算（承包经营）的区域配置才能列支（${RULE}）`,
      );
    } else if (!(profile.allowedNonFood as readonly string[]).includes(nonFood)) {
      throw new ApiError(
        'RULE',
        profile.costBasis === 'full'
          ? `不能登记“${label}”支出：本校区域配置（${profile.name}）没有把${label}列为可列支的费用（${RULE}）`
          : `不能登记“${label}”支出：本校区域配置（${profile.name}）规定伙食费只能用于食材，${label}不得从伙食费中列支（${RULE}）`,
      );
    }
    assertPeriodOpen(ctx, date);
    assertCash(ctx, method, amountFen, date);
    const id = uuidv7(ctx.now().getTime());
    const account = `expense:${nonFood}`;
    postEntry(ctx, {
      date,
      memo: `${label}：${memo}`,
      sourceType: 'fund_expense',
      sourceId: id,
      postings: [
        { account, amountFen },
        { account: method, amountFen: -amountFen },
      ],
    });
    audit(ctx, 'create', 'fund_expense', id, null, { date, kind, amountFen, method, memo });
    return { id, account };
  },

  'fund.recordIncome': (ctx, { date, kind, amountFen, method, memo }) => {
    const refused = INCOME_REFUSED[kind];
    if (refused) throw new ApiError('RULE', `不能登记“${OTHER_INCOME_LABELS[kind]}”：${refused}（${RULE}）`);
    assertPeriodOpen(ctx, date);
    const id = uuidv7(ctx.now().getTime());
    postEntry(ctx, {
      date,
      memo: `${OTHER_INCOME_LABELS[kind]}：${memo}`,
      sourceType: 'fund_income',
      sourceId: id,
      postings: [
        { account: method, amountFen },
        { account: 'income:other', amountFen: -amountFen },
      ],
    });
    audit(ctx, 'create', 'fund_income', id, null, { date, kind, amountFen, method, memo });
    return { id, account: 'income:other' };
  },
};
