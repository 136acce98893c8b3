import type { Backend } from '../backend.ts';
import { chinaDate } from '../ledger/clock.ts';
import type { Input, MethodName, Output } from '../../../shared/api/index.ts';
import { ApiError } from '../../../shared/errors.ts';
import { deliveriesStep } from './deliveries.ts';
import { feesStep } from './fees.ts';
import { ingredientsStep } from './ingredients.ts';
import { openingStep } from './opening.ts';
import { schoolAndPeople } from './people.ts';
import { storeroomStep } from './storeroom.ts';
import { suppliersStep } from './suppliers.ts';
import type { DemoAccount, DemoContext, DemoStep } from './types.ts';

export type { DemoAccount, DemoContext, DemoStep } from './types.ts';

export const DEMO_SCHOOL = '阳光实验小学';

/** The school, its people and master data: what every later step builds on (and a quick seed for tests). */
export const FOUNDATION_STEPS: DemoStep[] = [schoolAndPeople, suppliersStep, ingredientsStep];

/**
 * The demo, in order. Later issues add their step (a month of deliveries, fees, …) as one line here. The storeroom
 * comes after the fees: the kitchen draws stored food to the month's income (以收定支, see storeroom.ts).
 */
export const DEMO_STEPS: DemoStep[] = [...FOUNDATION_STEPS, openingStep, deliveriesStep, feesStep, storeroomStep];

/**
 * Seeds a demo school into an empty ledger through the API (so every record passes the same checks and leaves the
 * same audit trail as one typed in). All steps run in one transaction: a failing step leaves the ledger empty.
 */
export async function seedDemo(backend: Backend, opts: { steps?: DemoStep[]; schoolName?: string } = {}): Promise<{ schoolName: string; accounts: DemoAccount[] }> {
  const status = await backend.invoke('setup.status', {});
  if (!status.ok) throw new ApiError(status.error.code, status.error.message, status.error.issues);
  if ((status.value as { initialized: boolean }).initialized) throw new ApiError('CONFLICT', '该账本已有学校，演示数据只能建在新账本上');

  const accounts: DemoAccount[] = [];
  const call = async <K extends MethodName>(name: K, input: Input<K>): Promise<Output<K>> => {
    const r = await backend.invoke(name, input);
    if (!r.ok) throw new ApiError(r.error.code, `演示数据“${name}”被拒绝：${r.error.message}`, r.error.issues);
    return r.value as Output<K>;
  };
  const d: DemoContext = {
    backend,
    call,
    async loginAs(username) {
      const a = accounts.find((x) => x.username === username);
      if (!a) throw new ApiError('NOT_FOUND', `没有演示账户 ${username}`);
      await call('auth.login', { username, password: a.password });
    },
    today: chinaDate(backend.ctx.now()),
    schoolName: opts.schoolName ?? DEMO_SCHOOL,
    accounts,
    suppliers: new Map(),
    ingredients: new Map(),
  };

  // Each invoke's own transaction becomes a savepoint inside this one (better-sqlite3 nests them).
  backend.db.exec('BEGIN IMMEDIATE');
  try {
    for (const step of opts.steps ?? DEMO_STEPS) await step.run(d);
    backend.db.exec('COMMIT');
  } catch (e) {
    if (backend.db.inTransaction) backend.db.exec('ROLLBACK');
    throw e;
  } finally {
    backend.ctx.setSession(null);
  }
  return { schoolName: d.schoolName, accounts };
}
