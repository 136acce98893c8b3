import { describe, expect, it } from 'vitest';
import { digest16 } from '../../electron/core/integrity/checks/common.ts';
import { DigestStore, keyOf, REPLAY, SEEN } from '../../electron/core/integrity/checks/digest-store.ts';

/**
 * verify's expectations off the JS heap (issue 19): every group the chain wrote must be found again by its name after
 * the store has grown many times, hold the last digest, entry and count set for it, and be listed when the check did
 * not meet it — a lost or mixed-up slot would let a deleted group pass.
 */
describe('DigestStore', () => {
  it('finds every name after growing, keeps the last value set, and lists the names not met in entry order', () => {
    const store = new DigestStore(16);
    const names = Array.from({ length: 30_000 }, (_, i) => `019a${String(i).padStart(6, '0')}-group`);
    names.forEach((g, i) => store.set(keyOf(g), digest16(`rows of ${g}`), i + 1, i % 7));
    // A later entry rewrites every tenth group (as an update replaces a delivery's lines): the last one counts.
    for (let i = 0; i < names.length; i += 10) store.set(keyOf(names[i]), digest16(`new rows of ${names[i]}`), 100_000 + i, 3, REPLAY);
    expect(store.size).toBe(30_000);

    for (const [i, g] of names.entries()) {
      const slot = store.find(keyOf(g));
      expect(slot).toBeGreaterThanOrEqual(0);
      const rewritten = i % 10 === 0;
      expect(store.digestIs(slot, digest16(rewritten ? `new rows of ${g}` : `rows of ${g}`))).toBe(true);
      expect(store.digestIs(slot, digest16(rewritten ? `rows of ${g}` : `new rows of ${g}`))).toBe(false);
      expect(store.seq(slot)).toBe(rewritten ? 100_000 + i : i + 1);
      expect(store.count(slot)).toBe(rewritten ? 3 : i % 7);
      expect(store.has(slot, REPLAY)).toBe(rewritten);
      expect(store.key(slot)).toBe(keyOf(g).slice(0, 16));
    }
    expect(store.find(keyOf('019a0030000-group'))).toBe(-1);
    expect(store.find(keyOf('never written'))).toBe(-1);

    // The check meets all but three groups; those three come back, in the order of the entries that wrote them.
    const missing = new Set([names[25_001], names[7], names[20]]);
    for (const g of names) if (!missing.has(g)) store.mark(store.find(keyOf(g)), SEEN);
    expect(store.without(SEEN).map((s) => store.seq(s))).toEqual([8, 25_002, 100_020]);
    expect(store.without(SEEN).map((s) => store.key(s))).toEqual([names[7], names[25_001], names[20]].map((g) => keyOf(g).slice(0, 16)));

    store.release();
    expect(store.size).toBe(0);
    expect(store.find(keyOf(names[0]))).toBe(-1);
  });
});
