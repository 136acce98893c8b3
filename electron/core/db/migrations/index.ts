import { foundation } from './0001_foundation.ts';
import { receiving } from './0002_receiving.ts';
import { fees } from './0003_fees.ts';
import { storeroom } from './0004_storeroom.ts';
import { monthclose } from './0005_monthclose.ts';
import { monthTotals } from './0006_month_totals.ts';
import { postingSpeed } from './0007_posting_speed.ts';
import { subsidyMealsBatch } from './0008_subsidy_meals_batch.ts';
import { accountDayTotals } from './0009_account_day_totals.ts';
import { subsidyBatchesDate } from './0010_subsidy_batches_date.ts';
import { postingPages } from './0011_posting_pages.ts';
import { disclosureReads } from './0012_disclosure_reads.ts';
import { ingredientKinds } from './0013_ingredient_kinds.ts';
import { periodLockBoundary } from './0014_period_lock_boundary.ts';
import { loginAttempts } from './0015_login_attempts.ts';
import { studentClassMoves } from './0016_student_class_moves.ts';
import { opening } from './0017_opening.ts';
import { profileVersions } from './0018_profile_versions.ts';
import { cancelStamps } from './0019_cancel_stamps.ts';
import { expenseKinds } from './0020_expense_kinds.ts';
import { foodSamples } from './0021_food_samples.ts';
import { accompaniedMeals } from './0022_accompanied_meals.ts';
import { kitchenUnits } from './0023_kitchen_units.ts';
import { menus } from './0024_menus.ts';
import { residueTests } from './0025_residue_tests.ts';
import { menuAmendments } from './0026_menu_amendments.ts';
import { signingKey } from './0027_signing_key.ts';
import { lightSamples } from './0028_light_samples.ts';
import { surveyKiosk } from './0029_survey_kiosk.ts';

export interface Migration {
  name: string;
  sql: string;
}

/** Ordered; never edit or reorder a released step, only append. Version N means the first N steps are applied. */
export const MIGRATIONS: Migration[] = [
  foundation,
  receiving,
  fees,
  storeroom,
  monthclose,
  monthTotals,
  postingSpeed,
  subsidyMealsBatch,
  accountDayTotals,
  subsidyBatchesDate,
  postingPages,
  disclosureReads,
  ingredientKinds,
  periodLockBoundary,
  loginAttempts,
  studentClassMoves,
  opening,
  profileVersions,
  cancelStamps,
  expenseKinds,
  foodSamples,
  accompaniedMeals,
  kitchenUnits,
  menus,
  residueTests,
  menuAmendments,
  signingKey,
  lightSamples,
  surveyKiosk,
];
