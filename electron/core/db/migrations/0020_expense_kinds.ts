import type { Migration } from './index.ts';

/**
 * Expense kinds besides ingredients (issue 14 §4, shared/domain.ts NON_FOOD_EXPENSES): 手续费 — the canteen account's
 * bank charges, allowed under every profile and shown as its own row — and 办公, 维修, 其他费用, which only a full-cost
 * (承包经营) profile may allow. Only their accounts are new: fund.recordExpense posts to them as it does to 燃料, 水电,
 * 人工, and verify compares the account list with the one the migrations build.
 */
export const expenseKinds: Migration = {
  name: '0020_expense_kinds',
  sql: `
INSERT INTO accounts (code, name, kind) VALUES
  ('expense:office', '办公', 'expense'),
  ('expense:repairs', '维修', 'expense'),
  ('expense:misc', '其他费用', 'expense'),
  ('expense:bank_fee', '银行手续费', 'expense');
`,
};
