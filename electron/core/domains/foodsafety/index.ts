import type { Handlers } from '../../handlers.ts';
import type { foodsafetyApi } from '../../../../shared/api/foodsafety.ts';
import { amendMeal, closeFollowup, listMeals, mealFindings, recordMeal } from './meals.ts';
import { amendCheck, certWarnings, checkDay, checkFindings, listStaff, recordChecks, saveStaff } from './staff.ts';
import { amendSample, discardSamples, listSamples, recordSamples, sampleFindings } from './samples.ts';
import { getRota, saveRota } from './rota.ts';

/** 食品安全 (issue 17): 留样 (samples.ts), 陪餐 and its 整改 (meals.ts) and duty rota (rota.ts), 晨检 and 健康证 (staff.ts). */
export const foodsafetyHandlers: Handlers<keyof typeof foodsafetyApi> = {
  'samples.list': (ctx, { from, to }) => listSamples(ctx, from, to),
  'samples.record': (ctx, input) => recordSamples(ctx, input),
  'samples.amend': (ctx, input) => amendSample(ctx, input),
  'samples.discard': (ctx, input) => discardSamples(ctx, input),
  'samples.findings': (ctx, { month }) => sampleFindings(ctx, month),
  'meals.list': (ctx, { from, to }) => listMeals(ctx, from, to),
  'meals.record': (ctx, input) => recordMeal(ctx, input),
  'meals.amend': (ctx, input) => amendMeal(ctx, input),
  'meals.closeFollowup': (ctx, input) => closeFollowup(ctx, input),
  'meals.findings': (ctx, { month }) => mealFindings(ctx, month),
  'mealRota.get': (ctx, { termCode }) => getRota(ctx, termCode),
  'mealRota.save': (ctx, input) => saveRota(ctx, input),
  'staff.list': (ctx, { includeInactive }) => listStaff(ctx, includeInactive),
  'staff.save': (ctx, input) => saveStaff(ctx, input),
  'checks.day': (ctx, { date }) => checkDay(ctx, date),
  'checks.record': (ctx, input) => recordChecks(ctx, input),
  'checks.amend': (ctx, input) => amendCheck(ctx, input),
  // The month's unchecked days, then today's certificate warnings.
  'staff.findings': (ctx, { month }) => [...checkFindings(ctx, month), ...certWarnings(ctx)],
};
