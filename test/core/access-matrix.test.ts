import { describe, expect, it } from 'vitest';
import { api } from '../../shared/api/index.ts';
import type { MethodDef } from '../../shared/api/contract.ts';

/**
 * Who may call what, written out by hand (issue 16: the roles test took its expectation from the contract itself,
 * so adding the cashier to the storeroom's writers passed it). The contract must equal this table exactly; with
 * test/core/roles.test.ts (the dispatcher lets through exactly the contract's roles) the behaviour equals it too.
 * A change of who may do what is a change to this table, made on purpose and reviewed as such.
 *
 * Columns: method, W (writes the ledger) or R, then the roles — `public` (no login), `any` (any logged-in user),
 * `EVERYONE` (all six roles by name), or the roles by name in alphabetical order.
 */
const MATRIX = `
  app.info                     R  any
  audit.list                   R  accountant admin reviewer
  auth.changePassword          W  any
  auth.login                   W  public
  auth.logout                  R  any
  auth.me                      R  public
  backup.create                R  accountant admin
  backup.list                  R  accountant admin
  backup.preview               R  admin
  backup.restore               R  admin
  clearing.confirm             W  accountant cashier
  clearing.list                R  accountant admin cashier reviewer
  clearing.status              R  accountant admin cashier reviewer
  checks.amend                 W  storekeeper
  checks.day                   R  accountant admin reviewer storekeeper
  checks.record                W  storekeeper
  complaints.close             W  admin reviewer storekeeper
  complaints.list              R  EVERYONE
  complaints.record            W  admin reviewer storekeeper
  compositions.import          W  admin storekeeper
  compositions.list            R  EVERYONE
  compositions.save            W  admin storekeeper
  deposits.create              W  accountant cashier
  deposits.list                R  accountant admin cashier reviewer
  fees.arrears                 R  accountant admin cashier reviewer
  fees.collect                 W  accountant cashier
  fees.period                  R  accountant admin cashier reviewer
  fees.quote                   R  accountant admin cashier reviewer
  fees.settlement              R  accountant admin cashier reviewer
  fees.statement               R  accountant admin cashier reviewer
  fund.recordExpense           W  accountant
  fund.recordIncome            W  accountant
  home.attention               R  any
  home.summary                 R  any
  import.commit                W  accountant admin storekeeper
  import.preview               R  accountant admin storekeeper
  import.template              R  accountant admin storekeeper
  ingredients.create           W  accountant admin storekeeper
  ingredients.get              R  EVERYONE
  ingredients.list             R  EVERYONE
  ingredients.search           R  EVERYONE
  ingredients.update           W  accountant admin storekeeper
  integrity.health             R  any
  integrity.verify             R  accountant admin reviewer
  maintenance.cancel           R  any
  maintenance.progress         R  any
  mealRota.get                 R  EVERYONE
  mealRota.save                W  admin reviewer
  meals.amend                  W  parent reviewer
  meals.closeFollowup          W  admin reviewer storekeeper
  meals.findings               R  accountant admin reviewer storekeeper
  meals.list                   R  EVERYONE
  meals.record                 W  parent reviewer
  mealPlans.list               R  accountant admin cashier reviewer
  mealPlans.update             W  accountant admin
  menus.amend                  W  admin storekeeper
  menus.get                    R  EVERYONE
  menus.issuePlan              R  admin storekeeper
  menus.list                   R  EVERYONE
  menus.review                 W  parent
  menus.save                   W  admin storekeeper
  menus.submit                 W  admin storekeeper
  monthclose.approve           W  reviewer
  monthclose.export            R  accountant admin parent reviewer
  monthclose.get               R  accountant admin parent reviewer
  monthclose.list              R  accountant admin parent reviewer
  monthclose.package           W  accountant admin reviewer
  monthclose.preview           R  admin
  monthclose.reopen            W  reviewer
  monthclose.setBankBalance    W  accountant
  monthclose.signingKey        W  admin
  monthclose.submit            W  accountant
  opening.approve              W  reviewer
  opening.get                  R  accountant admin reviewer
  opening.importPreview        R  accountant
  opening.save                 W  accountant
  opening.submit               W  accountant
  opening.withdraw             W  accountant reviewer
  receipts.get                 R  accountant admin cashier reviewer
  receipts.list                R  accountant admin cashier reviewer
  receipts.void                W  accountant cashier
  receiving.attach             W  accountant storekeeper
  receiving.attachmentData     R  EVERYONE
  receiving.cancel             W  accountant storekeeper
  receiving.check              R  accountant storekeeper
  receiving.deleteAttachment   W  accountant admin storekeeper
  receiving.discard            W  accountant storekeeper
  receiving.get                R  EVERYONE
  receiving.lastPrice          R  EVERYONE
  receiving.list               R  EVERYONE
  receiving.pay                W  accountant
  receiving.payables           R  accountant admin reviewer
  receiving.people             R  accountant storekeeper
  receiving.post               W  accountant storekeeper
  receiving.priceHistory       R  EVERYONE
  receiving.reconciliation     R  accountant admin reviewer
  receiving.reconciliationMonth R  accountant admin reviewer
  receiving.saveDraft          W  accountant storekeeper
  receiving.statementSave      W  accountant
  refunds.create               W  accountant cashier
  refunds.list                 R  accountant admin cashier reviewer
  refunds.pay                  W  accountant cashier
  refunds.quote                R  accountant admin cashier reviewer
  refunds.void                 W  accountant cashier
  reports.foodSafetyMonth      R  accountant admin reviewer storekeeper
  reports.foodSafetyMonthExport R  accountant admin reviewer storekeeper
  samples.amend                W  storekeeper
  samples.discard              W  storekeeper
  samples.findings             R  accountant admin reviewer storekeeper
  samples.list                 R  EVERYONE
  samples.record               W  storekeeper
  school.get                   R  any
  school.update                W  admin
  schoolDays.get               R  accountant admin cashier reviewer
  schoolDays.set               W  accountant admin cashier
  setup.init                   W  public
  setup.status                 R  public
  storeroom.adjust             W  storekeeper
  storeroom.cancelIssue        W  storekeeper
  storeroom.categoryCost       R  accountant admin reviewer storekeeper
  storeroom.countEnter         W  storekeeper
  storeroom.countGet           R  accountant admin reviewer storekeeper
  storeroom.countPost          W  storekeeper
  storeroom.countStart         W  storekeeper
  storeroom.issue              W  storekeeper
  storeroom.issues             R  accountant admin reviewer storekeeper
  storeroom.lotTrace           R  accountant admin parent reviewer storekeeper
  storeroom.lots               R  accountant admin parent reviewer storekeeper
  storeroom.mealTrace          R  accountant admin parent reviewer storekeeper
  storeroom.proposeIssue       R  accountant admin reviewer storekeeper
  storeroom.stock              R  accountant admin reviewer storekeeper
  students.classes             R  accountant admin cashier reviewer
  students.create              W  accountant admin cashier
  students.get                 R  accountant admin cashier reviewer
  students.importCommit        W  accountant admin cashier
  students.importPreview       R  accountant admin cashier
  students.list                R  accountant admin cashier reviewer
  students.move                W  accountant admin cashier
  students.moves               R  accountant admin cashier reviewer
  students.update              W  accountant admin cashier
  staff.findings               R  accountant admin reviewer storekeeper
  staff.list                   R  accountant admin reviewer storekeeper
  staff.save                   W  admin storekeeper
  subsidy.receive              W  accountant cashier
  subsidy.record               W  accountant cashier
  subsidy.roster               R  accountant admin cashier reviewer
  subsidy.summary              R  accountant admin cashier reviewer
  suppliers.create             W  accountant admin storekeeper
  suppliers.get                R  EVERYONE
  suppliers.search             R  EVERYONE
  suppliers.update             W  accountant admin storekeeper
  surveys.kiosk                R  admin parent reviewer storekeeper
  surveys.kioskClose           W  admin parent reviewer storekeeper
  surveys.kioskOpen            W  admin parent reviewer storekeeper
  surveys.list                 R  EVERYONE
  surveys.record               W  admin reviewer storekeeper
  surveys.respond              W  admin parent reviewer storekeeper
  surveys.terms                R  EVERYONE
  terms.list                   R  accountant admin cashier reviewer
  terms.save                   W  accountant admin cashier
  users.create                 W  admin
  users.list                   R  admin
  users.resetPassword          W  admin
  users.setDisabled            W  admin
  users.update                 W  admin
`;

const EVERYONE = 'accountant admin cashier parent reviewer storekeeper';

function fromContract(def: MethodDef): string {
  if (def.access === 'public' || def.access === 'any') return def.access;
  const roles = [...def.access].sort().join(' ');
  return roles === EVERYONE ? 'EVERYONE' : roles;
}

describe('the access matrix', () => {
  const expected = new Map(
    MATRIX.trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .map(([name, w, ...roles]) => [name, `${w}  ${roles.join(' ')}`]),
  );
  it('lists every method of the contract once, and no other', () => {
    expect([...expected.keys()].sort()).toEqual(Object.keys(api).sort());
  });
  it('the contract gives each method exactly the roles and the writes flag written here', () => {
    const differ: string[] = [];
    for (const [name, def] of Object.entries(api) as [string, MethodDef][]) {
      const got = `${def.writes ? 'W' : 'R'}  ${fromContract(def)}`;
      if (expected.has(name) && expected.get(name) !== got) differ.push(`${name}: table says "${expected.get(name)}", contract says "${got}"`);
    }
    expect(differ).toEqual([]);
  });
  it('the parent committee writes nothing but its own 陪餐 (recording it, and correcting what it recorded), the 审定 of menus and the 满意度 现场填写 (opening it, the parents\' forms, closing it)', () => {
    const writes = [...expected].filter(([, v]) => v.startsWith('W') && / (parent|EVERYONE)( |$)/.test(v)).map(([k]) => k);
    expect(writes.sort()).toEqual(['meals.amend', 'meals.record', 'menus.review', 'surveys.kioskClose', 'surveys.kioskOpen', 'surveys.respond']);
  });
});
