import type { Handlers } from '../../handlers.ts';
import type { foodsafetyApi } from '../../../../shared/api/foodsafety.ts';
import { amendSample, discardSamples, listSamples, recordSamples, sampleFindings } from './samples.ts';

/** 食品安全 (issue 17): 留样 (samples.ts). */
export const foodsafetyHandlers: Handlers<keyof typeof foodsafetyApi> = {
  'samples.list': (ctx, { from, to }) => listSamples(ctx, from, to),
  'samples.record': (ctx, input) => recordSamples(ctx, input),
  'samples.amend': (ctx, input) => amendSample(ctx, input),
  'samples.discard': (ctx, input) => discardSamples(ctx, input),
  'samples.findings': (ctx, { month }) => sampleFindings(ctx, month),
};
