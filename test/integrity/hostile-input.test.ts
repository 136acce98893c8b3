import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type MethodName } from '../../shared/api/index.ts';
import type { MethodDef } from '../../shared/api/contract.ts';
import { ERROR_CODES } from '../../shared/errors.ts';
import { tableDigest, type TestBackend } from '../helpers/backend.ts';
import { ledgerWithHistory } from './fixture.ts';

/**
 * Hostile input over every method of the contract (walked from `api`, so new methods are covered without editing
 * this file): random values of every type, objects with the method's own field names holding hostile values, huge
 * strings, negative and overflowing numbers, impossible dates, SQL and HTML fragments. Nothing may crash (no INTERNAL),
 * every rejection has a known code and a Chinese message, and a rejected call leaves every table as it was.
 */
const RUNS_PER_METHOD = Number(process.env.HOSTILE_RUNS ?? 25);
/** New cases every run (that is the point), but a failure names its seed: HOSTILE_SEED=n replays it exactly. */
const SEED = Number(process.env.HOSTILE_SEED ?? Date.now() % 2_147_483_647);
const CJK = /[\u4e00-\u9fff]/;

/** The field names of a method's input object (zod 4 internals: unwrap default/optional/pipe to the object). */
function fieldNames(schema: unknown): string[] {
  let s = schema as { _zod?: { def: Record<string, unknown> } } | undefined;
  for (let i = 0; i < 10 && s?._zod; i++) {
    const def = s._zod.def;
    if (def.type === 'object') return Object.keys(def.shape as object);
    s = (def.innerType ?? def.in ?? def.schema) as typeof s;
  }
  return [];
}

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    "'; DROP TABLE users; --",
    "' OR '1'='1",
    '"); DELETE FROM journal_entries; --',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '%',
    '_',
    '\\',
    '\u0000',
    '\u202e反转',
    '２０２６－０９－１５',
    '2026-02-30',
    '2026-13-01',
    '0000-00-00',
    '9999-12-31',
    '1900-01-01',
    '2026-9-1',
    '2026-09',
    'NaN',
    '-1',
    '1e309',
    '0190a000-0000-7000-8000-000000000000',
    '../../../../etc/passwd',
    'C:\\Windows\\system32',
    '/',
    '',
    ' ',
    '白菜',
    'admin',
  ),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => '菜'.repeat(n)),
  fc.integer({ min: 1000, max: 2_000_000 }).map((n) => 'x'.repeat(n)),
);
const hostileNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1, -0, 0.5, 1e21, -1e21, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, Number.MIN_SAFE_INTEGER, Infinity, -Infinity, NaN, 2 ** 63, 100_000_000_001),
);
const leaf = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.bigInt().map((x) => x));
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('v'), { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 4 })),
})).v;

function inputArb(def: MethodDef): fc.Arbitrary<unknown> {
  const names = fieldNames(def.input);
  const shaped =
    names.length > 0
      ? fc.record(Object.fromEntries(names.map((n) => [n, hostileValue])), { requiredKeys: [] }).chain((o) =>
          fc.oneof(fc.constant(o), fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 2 }).map((extra) => ({ ...o, ...extra }))),
        )
      : fc.dictionary(fc.string({ maxLength: 10 }), hostileValue, { maxKeys: 3 });
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: fc.anything() }, { weight: 1, arbitrary: hostileValue });
}

let b: TestBackend;
let admin: { userId: string; username: string; displayName: string; roles: ['admin'] };

beforeAll(async () => {
  b = await ledgerWithHistory();
  const s = b.ctx.session!;
  admin = { userId: s.userId, username: s.username, displayName: s.displayName, roles: ['admin'] };
}, 120_000);
afterAll(() => b?.cleanup());

describe('hostile input over every API method', () => {
  it('nothing crashes; every rejection has a code and a Chinese message; rejected calls change nothing', async () => {
    const names = Object.keys(api) as MethodName[];
    let cases = 0;
    let rejected = 0;
    let accepted = 0;
    const problems: string[] = [];
    let current = tableDigest(b); // the digest after the last call (recomputed only when a call was accepted)
    for (const [i, name] of names.entries()) {
      const def = api[name] as MethodDef;
      await fc.assert(
        fc.asyncProperty(inputArb(def), async (input) => {
          b.ctx.setSession(admin); // auth.logout and friends must not end the run
          const before = current;
          cases++;
          let r;
          try {
            r = await b.invoke(name, input);
          } catch (e) {
            problems.push(`${name} threw ${(e as Error).message}`);
            current = tableDigest(b);
            return false;
          }
          if (r.ok) {
            accepted++;
            current = tableDigest(b);
            return true;
          }
          rejected++;
          const e = r.error;
          const bad =
            !ERROR_CODES.includes(e.code) ? `unknown code ${e.code}` : e.code === 'INTERNAL' ? `INTERNAL: ${e.message}` : !CJK.test(e.message) ? `message not Chinese: ${e.message}` : tableDigest(b) !== before ? 'rejected but data changed' : null;
          if (bad) {
            current = tableDigest(b);
            problems.push(`${name} ${bad.slice(0, 300)} — input ${JSON.stringify(input, (_k, v) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'string' && v.length > 80 ? `${v.slice(0, 20)}…(${v.length})` : v))?.slice(0, 300)}`);
            return false;
          }
          return true;
        }),
        { numRuns: RUNS_PER_METHOD, endOnFailure: true, seed: SEED + i },
      ).catch(() => {
        /* recorded in problems; go on with the other methods */
      });
    }
    console.log(`hostile input (HOSTILE_SEED=${SEED}): ${cases} cases over ${names.length} methods (${accepted} accepted, ${rejected} rejected); problems ${problems.length}`);
    expect(problems, `replay with HOSTILE_SEED=${SEED}`).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(names.length * RUNS_PER_METHOD);
  }, 600_000);
});
