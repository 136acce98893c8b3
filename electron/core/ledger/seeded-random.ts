/**
 * mulberry32: a small seeded generator that gives the same numbers on every machine, for what must replay — the demo
 * school, the benchmark ledger and the property tests that print their seed. Not for anything secret (ids.ts uses
 * crypto).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
